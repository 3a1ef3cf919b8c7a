// Package spin computes one centrifuge spin: a rotor at a speed for a time,
// in a medium at a temperature, and what happens to each particle species.
//
// Params is validated before use (each error names the field and its allowed
// range). Run integrates the sediment package's pelleted fraction over each
// species' size and density distribution with equal-probability quadrature
// nodes; the animation's ensemble (package ensemble) samples the same
// distributions and moves particles with the same velocities, and tests
// check that the two agree within the Monte Carlo's statistical error.
//
// Assumptions: constant speed for the whole duration (no acceleration or
// deceleration phases), a full tube with particles initially uniform along
// it, no diffusion (vesicles' Péclet number ~1e5), no particle interactions.
package spin
