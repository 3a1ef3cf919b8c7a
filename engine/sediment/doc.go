// Package sediment models how particles move and pellet in a spinning tube.
//
// Sedimentation coefficient (Stokes drag on a sphere, dilute suspension,
// Reynolds number ≪ 1, no wall or concentration effects):
//
//	s = d² (ρp − ρm) / (18 η)                    [s, seconds; 1 S = 1e-13 s]
//
// radial velocity v = s ω² r. Negative s (particle lighter than the medium)
// means the particle floats toward the axis.
//
// Pelleted fraction, particles initially uniform along the tube (Livshits et
// al. 2015, Sci Rep 5:17319, main text and Supplement):
//
//	swinging bucket:  r(t) = r0 exp(s ω² t);
//	                  P = (r_max/L)(1 − exp(−s ω² t)), capped at 1, L = r_max − r_min
//	fixed angle:      particles cross the tube, path L_sed = D / cos θ,
//	                  ξ = v t / L_sed with v = s ω² r_avg (constant; assumption),
//	                  P = (2/π)(asin ξ + ξ √(1 − ξ²)) for ξ < 1, else 1
//
// Cut-off diameter d*: the smallest particle that pellets completely
// (P = 1): swinging bucket d* = √(18 η ln(r_max/r_min) / (Δρ ω² t));
// fixed angle d* = √(18 η D / (cos θ · Δρ ω² r_avg t)).
//
// Units: metres, seconds, kg/m³, Pa·s; ω in rad/s.
package sediment
