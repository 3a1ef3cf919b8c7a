// Package engine is the root of ExoSep's physics engine: pure Go, SI units
// inside, no knowledge of Ebiten, the DOM or templ (a test asserts it).
//
// Packages, one concept each:
//
//	quantity  numbers read from data files: value, unit, source, confidence → SI
//	medium    suspending media (water, PBS): density and viscosity vs temperature
//	species   particle populations: size and density distributions, sampling
//	rotor     rotor catalogue, RCF ↔ rpm with a radius convention, k-factor
//	sediment  Stokes/Svedberg sedimentation; pelleted fraction and cut-off
//	          diameter for swinging-bucket and fixed-angle rotors (Livshits 2015)
//	spin      one centrifuge spin: parameters, validation, per-species result
//	ensemble  sampled particles moved with the engine's velocities; what the
//	          animation draws and what the Monte Carlo tests check
//	lamm      the Lamm equation (sedimentation + diffusion) by finite volumes,
//	          for soluble proteins and small lipoproteins near the pellet
//	damage    vesicle damage as a function of force × time in the pellet
//	filter    membrane filtration: hindered transport through lognormal pores,
//	          deformable vesicles, pore plugging, cake, polarisation, Hermia
//	          laws; flux and time (UF, TFF, sequential filtration)
//	gradient  density-gradient ultracentrifugation (rate-zonal, isopycnic) in
//	          sucrose, iodixanol or CsCl: the medium's own Lamm equation,
//	          particles as Gaussian packets, fractions drawn from the top
//	protocol  a whole isolation protocol (spin, filter, ultrafilter, resuspend,
//	          pool, gradient): counts and protein through every step, yield,
//	          purity, time
//	cmd/exosep the command-line calculator
//
// Data flows one way: parameters → spin.Run / protocol.Run / ensemble →
// results and positions (filter.Run → a filtration and its time series).
package engine
