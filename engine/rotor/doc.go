// Package rotor describes centrifuge rotors and the relations between speed,
// force and clearing time that depend only on the rotor:
//
//	ω = 2π·rpm/60                       angular speed, rad/s
//	RCF(r) = ω² r / g, g = 9.80665 m/s²  relative centrifugal force, × g
//	k = ln(r_max/r_min) / ω² · 1e13/3600 clearing factor, hours·svedberg
//	k(rpm) = k_max · (rpm_max/rpm)²      k at any speed
//
// (physics-data.md §1; Cvjetkovic et al. 2014, Fig. 1 caption.)
// Radii are of the sample column: r_min at the top of a full tube, r_max at
// its bottom. Which radius an RCF refers to is an explicit Convention, since
// protocols quote RCF at r_max or r_avg and the two differ by up to 1.4×.
package rotor
