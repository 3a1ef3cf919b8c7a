// Package lamm solves the Lamm equation: sedimentation plus diffusion of one
// solute in a spinning cell, the model that the no-diffusion pelleting
// formulas of package sediment leave out. It matters for soluble proteins and
// small lipoproteins, whose back-diffusion from the bottom of the tube decides
// how much of them is carried over with a pellet (physics-data.md §1; Díez et
// al., BMC Biophys 2011, 4:6).
//
// Equation (Lamm 1929), conservation form, c(r, t) a concentration, r the
// distance from the rotation axis (or, for Slab, the path coordinate):
//
//	∂c/∂t = −(1/A(r)) ∂/∂r [A(r) J],   J = v(r, t) c − D ∂c/∂r
//
//	Sector:   A = r, v = s ω(t)² r          the analytical-ultracentrifuge cell
//	Cylinder: A = 1, v = s ω(t)² r          a swinging-bucket tube of uniform
//	                                        cross-section (as in Livshits 2015)
//	Slab:     A = 1, v = s ω(t)² r_field    constant field along a straight path;
//	                                        the fixed-angle tube's path across
//	                                        the tube (sediment's constant-v
//	                                        approximation), and Mason & Weaver's
//	                                        settling column
//
// Boundaries: no flux through the meniscus (TopM) or the bottom (BottomM);
// material that sediments piles up against the bottom, where back-diffusion
// balances it in a layer of thickness about D/v. ω(t) ramps linearly from 0
// to Omega in AccelS, holds for HoldS, and ramps back to 0 in DecelS.
// Initial condition: uniform c = 1, or a synthetic boundary (c = 0 above
// BoundaryM, 1 below), the cell used to measure diffusion by boundary
// spreading.
//
// Numerics: cell-centred finite volumes on a (possibly graded) mesh. The face
// flux is the Scharfetter–Gummel / Il'in–Allen–Southwell exponentially
// fitted flux
//
//	J = (D/h) [B(−Pe) c_left − B(Pe) c_right],  Pe = v h / D,  B(x) = x/(eˣ − 1)
//
// which is exact for steady convection–diffusion with constant coefficients
// across a cell: it reduces to upwinding as D → 0, to central differences as
// v → 0, and represents the exponential pile-up at the bottom without
// resolving it. Time: variable-step BDF2 (L-stable, second order; one
// backward-Euler start step), one tridiagonal solve per step. The scheme
// conserves mass to round-off: face fluxes telescope, and BDF2's
// coefficients sum to zero.
//
// Validation (tests): the no-diffusion analytic solution (boundary at
// r_m e^(sω²t), plateau c0 e^(−2sω²t) in a sector, c0 e^(−sω²t) in a
// cylinder); mass conservation to 1e-12; the exact Mason–Weaver (1924) series
// for a settling column with diffusion; the erfc spreading of a synthetic
// boundary (Crank, The Mathematics of Diffusion, 2nd ed. 1975, §2.3) whose
// gradient variance grows as 2Dt; the second-moment boundary (Goldberg 1953)
// with diffusion; and sedimentation equilibrium c ∝ exp(sω²r²/2D).
//
// Units: SI (metres, seconds, m²/s, rad/s). Concentrations are relative to
// the initial plateau c0 = 1.
package lamm
