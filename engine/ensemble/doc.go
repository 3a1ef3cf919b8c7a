// Package ensemble samples individual particles from the species
// distributions and moves each with the engine's own velocity, so the
// animation draws exactly what the engine computes and a Monte Carlo over the
// ensemble can be checked against the analytic pelleted fraction.
//
// Coordinates are in the tube's frame, metres, in a side view:
//
//	Axial:  along the tube axis, 0 at the top of the sample, TubeLengthM at the bottom
//	Across: across the tube, −R..R; for fixed-angle rotors +R is the outer wall
//	depth:  the hidden third coordinate (fixed-angle rotors only)
//
// Motion (same model as package sediment):
//
//	swinging bucket: r = r_min + Axial; dr/dt = s ω² r, so r(t+dt) = r(t)·e^(s ω² dt) exactly;
//	                 pelleted at r ≥ r_max, floated at r ≤ r_min.
//	fixed angle:     the particle moves radially at v = s ω² r_avg; the radial
//	                 direction has a component cos θ across the tube and sin θ
//	                 along its axis. Pelleted when (Across, depth) leaves the
//	                 tube's circular cross-section on the outer side, floated
//	                 on the inner side. The axis component is clamped to the
//	                 tube for drawing; as in Livshits 2015 the tube's ends do
//	                 not affect pelleting (a long-tube assumption).
//
// Step advances incrementally with per-particle growth factors cached per
// time step (one multiply–add per particle per tick, no allocation); Seek
// jumps to any time in closed form. Both give the same positions.
package ensemble
