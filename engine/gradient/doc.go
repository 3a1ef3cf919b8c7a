// Package gradient models density-gradient ultracentrifugation in a
// swinging-bucket tube: rate-zonal (RZUC: a thin sample zone on a shallow
// gradient, particles separate by sedimentation rate, i.e. size and shape)
// and isopycnic (IPUC: particles move to where the medium's density equals
// their own), in sucrose, iodixanol or CsCl, with linear, step or uniform
// (self-forming) gradients, an optional dense cushion, top- or bottom-
// loaded samples, and N equal-volume fractions drawn from the top.
//
// # API (for the CLI, the protocol engine and the stage)
//
//	Params                 one run: medium, mode, load, shape, densities or
//	                       percentages, layers, cushion, sample volume, rotor,
//	                       rpm or rcf, minutes, ramps, temperature, fractions
//	(*Library).Validate    every problem, naming the JSON field and range;
//	Params.Validate        the same with the default library
//	Sample                 what one tube holds: per species, quadrature nodes
//	                       (diameter, density, count, protein, counted)
//	(*Library).Compute,    the run; Compute uses Default()
//	Compute
//	(*Run).At(t)           Snapshot at t seconds: medium density per cell,
//	                       per species and node the count, mean radius, σ,
//	                       pelleted and floated shares, and its packets
//	(*Run).Fractions()     per fraction: radii, volume, density, solute
//	                       concentration, species counts, protein µg,
//	                       particles per µg protein, exosome-rich flag
//	(*Run).Pellet()        particles per species at the tube bottom
//	(*Run).NodeShares(k)   per node, the share in fractions k (protocol step)
//	Run fields             rotor, rpm, RCF, meniscus and bottom radii, zones,
//	                       phases, time levels, MediumReport (solute s, D,
//	                       relaxation time, approach to equilibrium, 90 %
//	                       formation time), ExosomePeak, ExosomeRich,
//	                       Equilibrated, Warnings, Notes
//
// Everything is plain JSON with units in the field names (SI unless named).
// A Run is immutable after Compute; At and Fractions are safe to call from
// several goroutines.
//
// # Media (gradient-media.json; sources in sources.json)
//
// Density and viscosity at 20 °C are tabulated against concentration (CRC
// for sucrose and CsCl, read; iodixanol's density from the relation
// ρ ≈ 0.998 + 0.00537·C, unverified; iodixanol's viscosity read at 55 and
// 65.2 % w/v from the Visipaque SmPC, and between water and those points a
// quadratic in ln η — an estimate). The transport variable is the mass
// concentration c (kg/m³); tables are interpolated linearly in c:
//
//	ρ(c, T) = ρ20(c) + [ρw(T) − ρw(20)] + κ·[ρ20(c) − ρw(20)]·(20 − T)
//	η(c, T) = ηw(T)·exp[L(c)·(1 + β(c)(T − 20))],  L = ln(η20(c)/ηw(20))
//
// with water from package medium, κ derived from the read sucrose figure
// (+0.005 g/mL at 5 °C; 0 elsewhere, an estimate) and β fitted to the
// second read temperature (sucrose 5 °C, iodixanol 37 °C; CsCl none: 0).
//
// The medium's solute sediments and diffuses (Lamm equation, cylinder of
// constant cross-section, finite volumes with Scharfetter–Gummel fluxes,
// one step per time level by the variable-step BDF2 formula, second
// order in time, with the concentration-dependent s and D taken at the
// extrapolation 2c − c⁻; backward Euler where the step length changes by
// more than a factor 2 (at the ramps, where BDF2's stability needs a
// ratio below 1 + √2) — mass conserved to rounding):
//
//	J = s·ω²r·c − D(c)·∂c/∂r,  s = D0·M·g/(νRT),  g = ∂ρ/∂c = 1 − v̄ρ,
//	D(c) = D0·(1 + c·β_ex·g²·M/(νRT)),
//
// from a chemical potential with an ideal and a constant non-ideal part;
// at equilibrium dρ/dr = ω²r/β(c), β(c) = νRT/(c·g²·M) + β_ex (the form of
// Ifft, Voet & Vinograd 1961), β_ex fixed by a β° at a reference density
// (CsCl 1.19e9 cm⁵ g⁻¹ s⁻² at 1.7 g/mL, recalled, an estimate; sucrose
// and iodixanol: the same order, an estimate — without it an ideal solute
// piles at the bottom beyond any real solution). A uniform start is the
// self-forming gradient; its formation is reported as the approach
// A = 1 − ‖c − c_eq‖₁/‖c₀ − c_eq‖₁ to the full-speed equilibrium (solved by
// shooting), with the time to A = 0.9 (extrapolated exponentially when
// the run is shorter) and the analytic slowest-mode time
// 1/λ₁, λ₁ = π²D/L² + (sω²r̄)²/(4D).
//
// # Particles
//
// Each quadrature node (diameter d, density ρp) moves in the local medium:
//
//	dr/dt = v = s(r)·ω²(t)·r,  s(r) = d²(ρp − ρm(r))/(18η(r))   (Stokes)
//	D(r) = k_B T/(3π η(r) d)                                   (Stokes–Einstein)
//
// so particles slow as they approach their buoyant density and stop there.
// A node is carried as Gaussian packets: the mean by the ODE above, the
// variance by the linearised (Ornstein–Uhlenbeck) moment equation
//
//	dσ²/dt = 2D(r̄) + 2·v'(r̄)·σ²,
//
// both advanced by the exponential midpoint rule (exact for v linear in r,
// stable at any stiffness), at most 4 medium cells per substep, through
// the medium's stored time levels (2 per ramp, 24 over the hold), with
// ∫ω²dt exact for linear ramps. A packet within a quarter cell of its
// buoyant point, where the step is stiff (v'·Δt < −40), is put on that
// point with the stationary variance D·Δt/(−v'Δt) (what the substep
// gives there, without evaluating it). The loaded zone (top: the sample layer;
// bottom: the last sample_ml of the densest layer) is cut into up to 8
// slices of at most 1/32 of the column, each a packet of variance
// width²/12. Walls absorb: mass past the bottom is the pellet, past the
// meniscus is floated (and collected in fraction 1); the start's own
// overlap with a wall is not counted.
// A slice whose mean and variance become bit-for-bit its neighbour's
// (they converge at rest) replays the neighbour's recorded substeps:
// the same numbers, less work.
//
// A node stands for a cell of its species (a slice of diameters and one
// of densities, NodeSample's DiameterSDM and DensitySDKgM3). Each packet
// also carries its mean's sensitivities S = ∂r̄/∂ρp and T = ∂r̄/∂d, the
// mean's equation differentiated,
//
//	dS/dt = ω²(u'·S + r·d²/(18η)),  dT/dt = ω²(u'·T + 2u/d),  S = T = 0 at t = 0,
//
// advanced by the same exponential midpoint step (exact for them, as they
// are linear) and, at rest, S = 1/ρm'(r*), T = 0. The cell maps linearly
// onto radius, so the packet's liquid mass is spread over the fractions
// (and drawn) with variance σ² + (S·σρ)² + (T·σd)²: a band is as wide as
// its species' density range in the medium's profile, not a comb of one
// band per node. The walls absorb by σ alone: a cell's fast members
// stopping at a cushion is beyond a linear map (T grows with the distance
// run), and the spread makes the running maximum of the wall's tail
// depend on the time step; the nodes resolve pelleting. SampleQuadrature
// (8 × 3 nodes, 4 × 2 below 40 nm) is within 0.1 per species and
// fraction of 32 × 8 nodes (exosomes 0.03); 16 × 4 point nodes were up
// to 0.22 off.
//
// Band width at equilibrium. Where ρm(r0) = ρp, s = 0 and
// v'(r0) = −d²·ρm'·ω²r0/(18η); the stationary variance is
// σ² = −D/v' = [k_B T/(3πηd)]·[18η/(d²ρm'ω²r0)], i.e.
//
//	σ² = k_B T / (Vp · dρm/dr · ω² r0),  Vp = πd³/6,
//
// the linearised sedimentation–diffusion equilibrium Gaussian.
//
// Fractions integrate each packet's truncated Gaussian (erf) over N equal
// radial slices (equal volumes in a tube of constant cross-section).
// ExosomePeak is the fraction with most exosomes; ExosomeRich the
// contiguous fractions around it with at least half as many.
//
// # Tests (tolerances in each test)
//
// Tables and temperature laws at their read rows (1e-9); CsCl's β° (1e-9);
// the finite-volume solver's slowest-mode decay against λ₁ (1 %) and its
// mass (1e-9); a particle in a linear gradient against the exact logistic
// r(t) = r_eq/(1 + (r_eq/r0 − 1)e^(−A r_eq t)), A = d²gω²/(18η) (0.2 % of
// the start distance), its rest where ρm = ρp (0.05 kg/m³) and its
// variance against σ² above (1 %); particles and medium conserved (1e-9);
// packets against a direct finite-volume Lamm solution (isopycnic) and
// against characteristics (rate-zonal vesicles, Péclet ≫ 1e3) for
// exosome, HDL, LDL and albumin nodes (0.05 per fraction, mean within 1 %
// of the column); rate-zonal order by size; HDL co-banding with exosomes
// in an equilibrated iodixanol IPUC with LDL/VLDL above; RZUC separating
// HDL from exosomes; a cushion stopping over-spun exosomes; the whole
// discretisation against 400 cells, 192 levels, 16 medium steps per
// level, half-cell substeps and no rest (0.01 per species and fraction);
// SampleQuadrature against 32 × 8 nodes (above).
//
// # Limits and assumptions
//
// Swinging-bucket rotors only (fixed-angle and vertical rotors are refused,
// naming the allowed rotors: their gradients reorient and are not
// radial). Buoyant densities are species.json's in every medium (no
// osmotic shrinkage in sucrose, no iodixanol uptake; reported EV banding
// in iodixanol at 1.08–1.12 g/mL is not reproduced). No particle–particle
// interaction, no effect of particles on the medium, no wall effects,
// no diffusion during fractionation; the Gaussian packet is exact only for
// linear v, so strongly skewed bands are approximated (checked against the
// direct solutions above). The non-ideal β of sucrose and iodixanol and
// several diffusion coefficients are estimates (gradient-media.json marks
// each). Small particles (HDL, 5–12 nm) take tens of hours to reach their
// buoyant density in long columns: a 24 h run in an SW 41 Ti leaves them
// short of it, which the physics, not a rule, decides.
package gradient
