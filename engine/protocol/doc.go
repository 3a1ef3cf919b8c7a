// Package protocol runs a whole isolation protocol — differential
// ultracentrifugation, ultrafiltration or sequential filtration as an
// ordered list of steps — on an input sample, and
// reports per step and overall what each species does, how much protein
// goes along, the purity and yield of the product, the damage done to
// vesicles and the time it all takes.
//
// A Protocol is a plain JSON value (data/presets/*.json, `exosep protocol
// --file`, the site's editor); Library.Run returns a plain Result. Inputs
// (MSC conditioned medium, plasma) and the figures of the protocol-level
// models are read from data/inputs.json, each with unit, source and
// confidence; estimates are shown as such in every Result (Notes, Purity,
// SpinDamage, InputUsed.VolumeConfidence, StepTime.RampFrom).
//
// # Models (SI inside; equation, assumptions, source)
//
// Species as distributions. Every species of species.json is carried as
// equal-probability quadrature nodes (diameter × density: 16 × 4, or 6 × 3
// below 40 nm), each with a count. A step computes for each node the fraction
// kept; counts move node by node, so the product's size distribution falls
// out and nothing is created or lost (in = kept + discarded exactly; a test
// asserts 1e-9 for every preset, species and protein).
//
// Spin (per node): Stokes s = d²(ρp − ρm)/(18η) in the suspending liquid, and
// package sediment's pelleted and floated fractions (Livshits et al. 2015:
// particles uniform in a full tube; swinging bucket r(t) = r0 e^(sω²t); fixed
// angle across the tube at constant v = sω²r_avg). Speed ramps count through
// the same ∫ω²dt: t_eff = hold + (accel + decel)/3 for linear ramps. Ramps
// default to 5 min per 100,000 rpm scaled with speed, at least 0.5 min (one
// instrument's figure; an estimate). A pellet keeps a residual liquid layer
// (0.5 % of the tube, at least 10 µL; estimate), of depth δ along the
// sedimentation path, that holds plateau liquid where the cleared zone has
// not reached it:
//
//	swinging bucket  k = P + e^(−x)·|[r_max − δ, r_max] ∩ occupied| / L,  x = sω²t_eff
//	fixed angle      k = P_chord + max(0, min(f, 1 − ξ·4/π))  (sinking)
//
// k is the share that ends with the pellet; a kept supernatant is 1 − k;
// floaters go with the supernatant.
//
// Diffusion where it matters: for soluble protein and small lipoproteins
// the material that "pellets" is a pile-up against the bottom of thickness
// D/v (D = k_B T/(3πηd), Stokes–Einstein) that back-diffuses. Where this
// changes the kept share by more than 1 % (P·e^(−δ/ℓ), ℓ = D/v), package
// lamm solves the Lamm equation (cylinder r_min…r_max for swinging buckets;
// for fixed-angle rotors a constant-field slab across the tube of the mean
// chord length (π/4)·D/cos θ) with the real speed ramps, and k is the solute
// within the residual layer at the end. This is how a long spin raises the
// protein in the pellet.
//
// Damage (package damage; calibration an estimate): vesicles that reach the
// pellet are compressed; the damaged (ruptured, fused or aggregated) share is
// F = 1 − exp(−ln2·(E/E½)³) with dose E = RCF(r_max) × time in the pellet,
// E½ = 100,000 × g × 4 h (the review's ref 33: a 4 h spin seriously damaged
// exosomes), averaged over arrival times; scored per spin.
//
// Filter and ultrafilter (package filter): each species' nodes, grouped by
// diameter, are the particle classes of a membrane filtration at constant
// TMP; vesicles (the damage model's species) are deformable. A filter step
// (pore_um or a catalogue microfilter; dead-end; a 25 mm syringe filter
// unless a module is named) keeps what passes, and the filtrate goes on
// (the holder's hold-up stays behind); an ultrafilter step (a catalogue
// ultrafilter or MWCO; tangential flow through hollow fibres by default,
// or dead-end in a stirred cell) keeps the retentate after concentration
// (concentration_factor or final_volume_ml) and diafiltration. What the
// membrane traps (plugs, unrecovered deposit) is discarded; vesicles that
// rupture squeezing through smaller pores count as damaged. The step's
// run time is the filtration time from the flux model; hands-on time is
// the data's per-step figure. The step's Filter detail reports the
// membrane, mode, module, TMP, flux, volumes, pores blocked, deposit
// thickness, trapped and damaged shares per species. Options.Sieve
// replaces the model for filter steps (SharpCutoff: the old sharp size
// cut-off). Diafiltration washes the sample's own liquid out: its share
// falls by e^(−N_D).
//
// Resuspend / pool: PBS is added to each vessel (to a volume, or by a
// dilution factor); pool merges vessels. The suspending liquid is tracked as
// a mix of the input's liquid (share φ) and PBS: ρ = φρ_in + (1 − φ)ρ_PBS,
// η = η_PBS·(η_in/η_PBS)^φ (log-linear mixing; an assumption).
//
// Gradient (package gradient): the liquid is split over tubes of
// sample_ml each; every node is run through the gradient as Gaussian
// packets and keeps its share in the kept fractions ("peak": the
// exosome-rich fractions the run finds, or a list). The kept fractions
// are pooled; their liquid is the gradient medium at their mean solute
// concentration on a PBS base (the sample's own liquid is dropped, φ = 0),
// which sets density and viscosity of later spins,
// ρ = ρ_mix + ρ_med(c) − ρ_med(0), η = η_mix·η_med(c)/η_med(0), and is
// diluted by resuspensions (c × V/V'); a test checks a spin after a
// gradient and a 1:4 dilution against this to 1e-9.
//
// Volumes and time: tubes = ceil(V / tube volume), runs = ceil(tubes / tubes
// per rotor); a spin's time = runs × (hold + accel + decel); hands-on time
// per run, tube, filtration, vessel and pooling (estimates). This is how rotor
// capacity limits output.
//
// Protein and purity: protein per particle is a share of its mass ρ·πd³/6
// (lipoproteins: composition tables, read; vesicles: chosen so that a pure
// exosome preparation reaches Webber & Clayton's high-purity band; an
// estimate), soluble protein is albumin at 66.5 kDa per molecule. Particles
// are counted within 50–1000 nm (the NTA range), so lipoproteins below it
// weigh in protein but not in counts. Particles per µg protein is classed
// with Webber & Clayton's bands (read only second-hand: an estimate).
//
// # Known limits
//
// Full tubes are assumed (a warning flags tubes under half full); no
// particle interactions, wall effects, hindered settling or pellet
// resuspension losses; the residual layer of a fixed-angle tube is taken
// next to the outer-wall pellet; floating material is discarded with a
// pellet step's supernatant; filtration runs at the data's default
// temperature with the mixed liquid's viscosity (package filter states its
// own limits); damage does not change a vesicle's size or density.
package protocol
