// Package filter is ExoSep's membrane filtration model: dead-end
// microfilters (0.45 µm, 0.22 µm, 100 nm), ultrafilters rated by molecular
// weight cut-off (10–1000 kDa) run dead-end or in tangential flow through
// hollow fibres, and the steps of sequential filtration built from them. It
// says, for particles of given sizes, what passes, what stays in the
// retentate, what is trapped on the membrane and what is damaged, and how
// long the liquid takes to pass as the membrane fouls. SI units inside;
// units in every JSON name.
//
// # API (for the protocol engine, the CLI and the stage)
//
//	Catalogue           membranes, modules, process figures of data/membranes.json (Load; also catalog.Catalog.Membranes)
//	Membrane            pores (median radius, spread), thickness, tortuosity, porosity; PoreClasses, PoreRadiiSample,
//	                    PoreDensityPerM2, ResistancePerM, PermeabilityLMHPerBar, CalibrateMWCO
//	Module              holder or hollow-fibre cartridge: mode (deadend | tff), area, hold-up, fibres
//	Params / Validate   one filtration (Samples, Tolerance, MinSteps tune the integration); Problems name the field and the allowed range
//	Run → *Result       per particle class: sieving coefficient, passed/retained/trapped/lodged/cake/damaged
//	                    fractions; time series (Sample: t, flux, permeate, retentate, buffer, cake thickness and
//	                    resistance, membrane resistance, pores blocked, pressure across the membrane, phase);
//	                    Result.At(tS) interpolates it; pore classes and a pore-radius sample for drawing
//	PoreFate            one particle at one pore at a pressure: λ, pass, squeezed, ruptured, threshold, lodging odds
//	Convective, Diffusive, Partition, ConvectiveHindrance, PoreSieving, Polarized, ProteinRadiusM,
//	StokesEinsteinD, Leveque, SqueezeThresholdPa, SqueezeAreaStrain, LodgeProbability
//	Law, Laws, FluxVolume, Fit   Hermia's blocking laws, closed forms and the linearised fit
//
// # Pores
//
// A membrane's pores are cylinders of length L·τ (thickness × tortuosity)
// whose radii are lognormal in number (median r_m, geometric standard
// deviation GSD), discretised into 25 classes over ±5σ in ln r. Flow
// through a pore goes as r⁴ (Hagen–Poiseuille), so with porosity ε
//
//	n = ε/(π⟨r²⟩),  R_m = 8Lτ⟨r²⟩/(ε⟨r⁴⟩),  L_p = 1/(μR_m)
//
// (⟨r²⟩ = r_m² e^(2σ²), ⟨r⁴⟩ = r_m⁴ e^(8σ²)). A microfilter's median pore is
// its nominal pore. An ultrafilter's MWCO is the weight 90 % retained
// (physics-data.md §4): its median radius is set so that the flow-weighted
// convective sieving Σ q_j W(a/r_j) of a globular protein of that weight,
// radius R_h = 4.75 N^0.29 Å with N = MW/110 (Wilkins et al. 1999), is 0.1;
// for uniform pores this is r = R_h/0.72 (derived, tested).
//
// # Particles at a pore (PoreFate)
//
// With λ = a/r (particle over pore radius):
//
//   - Rigid spheres with λ < 1: hindered convection and diffusion
//     (Dechadilok & Deen 2006): Φ = (1 − λ)², W = Φ·K_c, H = Φ·K_d, and the
//     pore's sieving coefficient S = W e^Pe/(W + e^Pe − 1) with
//     Pe = (W/H)·v·L/D∞ and the pore's Poiseuille velocity v = ΔP r²/(8μL),
//     so Pe = (W/H)·ΔP·r²/(8μD∞) (Deen 1987). Tested against the pore
//     equation integrated numerically and the limits S → W, S → 1.
//   - Deformable vesicles (the damage model's species: exosomes,
//     microvesicles, apoptotic bodies) smaller than the pore pass freely;
//     larger ones pass when the pressure across the membrane exceeds
//     ΔP_min = 2τ(1/r − 1/a) — Hunter & Frisken's (1998) lysis-tension
//     threshold 2τ/r for a ≫ r, falling to 0 at a = r (ExoSep's continuous
//     form; τ = 5 mN/m, an estimate). A vesicle pushed through at constant
//     volume as a cylinder of radius r with hemispherical ends needs an
//     area strain (2ℓ/r + 4)/(4(a/r)²) − 1, ℓ/r = (4/3)((a/r)³ − 1); above
//     the lysis strain (4 %, an estimate) it ruptures: damaged (it still
//     passes). This is the "shear damages vesicles unless pressure is
//     controlled" of the review, as a pressure criterion.
//   - What cannot pass is held back. A particle with 1 ≤ λ < 2 (wedge
//     ratio, an estimate) can wedge in the pore mouth and plug it, with
//     probability 1 − exp(−E/k_BT), E = ΔP·πr²·r (ExoSep's estimate:
//     Boltzmann odds of the wedged state) — a protein at a 2 nm pore at
//     100 kPa mostly leaves again, a vesicle at a 100 nm pore does not.
//     Each plug closes one pore (complete blocking); plugs cannot exceed
//     the open pores of a class. Plugged particles are trapped (lost).
//
// Flow-weighted over the open pore classes these give the membrane's
// sieving coefficient S_m of each particle class.
//
// # Fouling and flux
//
// Resistances in series: J = TMP/(μ(R_m/Σq_j o_j + R_c)), o_j the open share
// of class j. The deposit (cake) of particles held back by pores they
// cannot enter has the Carman–Kozeny resistance R_c = 180(1 − ε_c)/ε_c³ ·
// δ/d₃₂² = 5(1 − ε_c)/ε_c³ · s²/v per area (s, v: the deposit's particle
// surface and volume per area; ε_c = 0.4, estimate); its thickness is
// v/(1 − ε_c). Particles turned away by partitioning at pores they fit
// stay in the liquid (polarisation), not in the deposit.
//
// Dead-end: every particle held back at a pore it cannot enter lodges or
// deposits; no back-transport. Tangential flow: the polarised layer is
// described by the film model with the Lévêque mass-transfer coefficient
// for laminar flow in a fibre, k = 0.816(γ_w D²/L)^(1/3) (wall shear rate
// γ_w, fibre length L; Zeman & Zydney 1996); the observed sieving
// coefficient is S_o = S_m e^(J/k)/(1 − S_m + S_m e^(J/k)); held-back
// particles deposit only with the share of the flux above the critical
// flux J_crit = k ln(φ_max/φ_b) (φ_b the volume fraction of held-back
// particles in the bulk, φ_max = 0.64), i.e. max(0, 1 − J_crit/J).
//
// Hermia's laws d²t/dV² = k(dt/dV)^n (n = 2 complete, 1.5 standard, 1
// intermediate blocking, 0 cake; Hermia 1982) are given in closed form for
// constant pressure (FluxVolume) with the linearised fit (Fit). The
// mechanistic model produces complete blocking (plugs) and cake filtration
// (deposit) — tested by recovering n and k from its own runs; it has no
// in-pore deposition, so standard and intermediate blocking appear only
// through the closed forms.
//
// # Process and time
//
// A run holds TMP constant and steps the permeate volume: CollectPermeate
// filters the feed down to the holder's hold-up (which stays, with what it
// holds, as retentate); CollectRetentate concentrates to a final volume
// (concentration factor = feed/final) and then diafilters N_D volumes at
// constant volume. In a step the bulk is exposed to x = ∫dV/V_R
// (ln(V_R/V_R') while concentrating, ΔV/V_R while diafiltering); a class
// leaves the bulk at rate κ = S_o + lodge + deposit shares, n(1 − e^(−κx)),
// which is exact for constant coefficients: concentration by CF leaves
// CF^(−S) of a solute that passes with S, diafiltration e^(−S·N_D)
// (tested to 1e-9).
//
// Mass: every particle is passed, in the retentate (bulk, or the recovered
// share of the deposit: 50 % dead-end, 90 % tangential flow — estimates
// after the review's "trapped vesicles cannot be recovered"), or trapped
// (plugs and unrecovered deposit); passed + retained + trapped = 1 to
// 1e-12 (tested). Damaged is counted within passed.
//
// # Integration and its error control
//
// The coefficients change as pores plug and the deposit grows. Each volume
// step is taken twice from the same state: with the coefficients at its
// start (the predictor, first order) and with the mean of those and the
// coefficients at the predictor's end (the corrector, second order; kept:
// Heun's method on the exponential update). Their difference estimates the
// predictor's error; a step is accepted when, for every quantity, it is
// within Tolerance (Params; 0.1 by default) times: the step's time; 1 plus
// the step's change of ln q_o and of ln(R_m/q_o + R_c); each class's change
// in the step of what it has passed, lodged and deposited, plus 1 % of
// Tolerance times its feed. The next step is the last × 0.9/√ratio (at most × 4, no growth
// right after a rejection); a rejected step is retried × 0.9/ratio (at
// least × 0.2). A step may close at most 30 % of the open flow at the last
// step's rate, so a clogging membrane is approached geometrically.
//
// Within a step q_o and R_c are cubic Hermite in V from their values and
// slopes at both ends (the slopes from the coefficients, limited to keep
// q_o monotone; Fritsch & Carlson 1980). Time is ∫μ(R_m/q_o + R_c)/(TMP·A)
// dV: exact for q_o linear in V (complete blocking; the chord's logarithmic
// mean) and R_c linear in V (cake filtration) — tested against Hermia's
// closed forms to 1e-9 and 2e-4 — plus a three-point Gauss–Legendre
// correction for the curve's departure from its chord. A run stops
// (Clogged) where the flux falls to 0.1 % of its start — the last step is
// placed there by bisection on the Hermite curves, to 0.1 % of that flux —
// or after 48 h (data). The series samples the run at equal volumes of
// permeate (Samples, 32 by default) by dense output from the same curves.
//
// The kept corrector is far more accurate than the estimate: at the
// default, time, permeate and every species' passed and trapped share
// agree with a reference of 16384 fixed steps to 1.1 %, 0.1 % and 1.1 %
// (or 1.2e-3) for the 0.22 µm filter on plasma, the worst case, and to
// 0.2 % in time for the clogging track-etch step of sequential
// filtration; tested to 2 %, 0.5 % and 2 % (or 2e-3), every class to
// 5e-3, over dead-end, tangential-flow and clogging runs, the reference
// itself checked against a run at tolerance 1e-4. Runs take 3–7 steps,
// clogging ones 20–25 (32 fixed steps, halved up to 6 times, before: 40–92,
// with the track-etch step 18 % too slow).
//
// # Data (data/membranes.json)
//
// Membrane structure (pore spread, thickness, tortuosity, porosity), module
// areas and hold-ups, and the process figures are estimates, marked so:
// no manufacturer data sheet could be read. Derived clean-water
// permeabilities of water at 20 °C: 0.45 µm ≈ 14,600, 0.22 µm ≈ 3,500,
// 100 nm cast ≈ 720, 100 nm track-etch ≈ 470 L m⁻² h⁻¹ bar⁻¹;
// ultrafilters 10 kDa ≈ 50, 100 kDa ≈ 190, 500 kDa ≈ 480, 1000 kDa ≈ 720
// (they scale with 1/μ: at 4 °C and in medium they are lower); median
// ultrafilter pore radii 1.7 nm (10 kDa) to 6.5 nm (1000 kDa), 5.3 nm at
// 500 kDa (physics-data §4's 7–8 nm is for one pore size; the spread moves
// the median down). MWCO ratings and the 100 nm steps of sequential filtration
// are read from the review (Nikfarjam et al. 2020) and Heinemann et al.
// 2014; the track-etch thickness (6 µm) from a public test of such
// membranes.
//
// # Known limits
//
// Spheres in cylindrical pores; no adsorption or in-pore deposition
// (standard blocking), no cake compression or deformable-cake resistance,
// no shear-induced diffusion or shear damage in the fibres (wall shear
// stress is reported, not used), TMP uniform along the fibres, the liquid
// Newtonian with the feed's viscosity throughout (concentrated retentates
// are more viscous), a stirred cell treated as dead-end without
// back-transport. Results near λ = 1 depend on the discretised pore
// distribution and on the estimated wedge ratio and lodging odds; the
// sequential-filtration preset's track-etch step clogs in this model
// (exosomes of 100–150 nm plug 100 nm pores), which is the least certain
// of its outcomes.
//
// # Sources
//
// Dechadilok & Deen 2006, Ind Eng Chem Res 45:6953 (hindrance factors);
// Deen 1987, AIChE J 33:1409 (pore sieving coefficient); Zeman & Zydney
// 1996, Microfiltration and Ultrafiltration (film model, Lévêque
// correlation); Wilkins et al. 1999, Biochemistry 38:16424 (protein
// radius); Hunter & Frisken 1998, Biophys J 74:2996 (extrusion threshold);
// Hermia 1982, Trans IChemE 60:183, restated by Costa, de Pinho &
// Elimelech 2006, J Membr Sci 281:716 (blocking laws); Fritsch & Carlson
// 1980, SIAM J Numer Anal 17:238 (monotone cubic interpolation); Nikfarjam et al.
// 2020, J Transl Med 18:449 (UF and SF as the review describes them; its
// refs 34, 39, 48); physics-data.md §4 (with read/derived marks).
package filter
