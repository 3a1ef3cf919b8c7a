package protocol

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"exosep/engine/filter"
	"exosep/engine/gradient"
	"exosep/engine/lamm"
	"exosep/engine/rotor"
	"exosep/engine/sediment"
	"exosep/engine/species"
)

// Sieve is a caller's filter model for filter steps: the fraction of
// particles of a species with diameter diameterM that pass a membrane of
// nominal pore size poreM. Without one (the default), filter steps use the
// membrane model of package filter; ultrafilter steps always do.
type Sieve func(speciesID string, diameterM, poreM float64) float64

// SharpCutoff is the simplest Sieve: rigid spheres pass if and only if
// they are smaller than the pore (d < pore passes; no deformation,
// adsorption, fouling or hold-up). The engine used it before the membrane
// model; it remains for comparison (Options.Sieve = SharpCutoff).
func SharpCutoff(_ string, diameterM, poreM float64) float64 {
	if diameterM < poreM {
		return 1
	}
	return 0
}

// Options adjust a run.
type Options struct {
	// VolumeML, when > 0, overrides the protocol's sample volume (mL).
	VolumeML float64
	// Sieve replaces the membrane model of filter steps (nil: package
	// filter's model).
	Sieve Sieve
	// Trace, when set, is called before each step with what enters it:
	// every species' quadrature nodes with their particle counts (the
	// stage samples its animation from these). The slices are fresh for
	// each call and belong to the callee.
	Trace func(step int, in []SpeciesNodes)
	// FilterTrace, when set, is called after each filter or ultrafilter
	// step (1-based) with the membrane model's parameters and result (the
	// stage animates its time series). Both belong to the callee.
	FilterTrace func(step int, p filter.Params, res *filter.Result)
	// GradientTrace, when set, is called after each gradient step
	// (1-based) with the gradient engine's run of one of its tubes (every
	// tube runs the same; counts per tube), the run whose fractions the
	// step keeps (the stage animates it). It belongs to the callee.
	GradientTrace func(step int, run *gradient.Run)
}

// SpeciesNodes is one species as the engine carries it into a step: its
// quadrature nodes (diameter, density) each with the number of particles
// (albumin: molecules) it stands for, in Weight.
type SpeciesNodes struct {
	ID    string
	Nodes []species.Node
}

// Quadrature: nodes in diameter × density per species. Small species
// (below smallMaxDiameterM, the candidates for the Lamm solver) get fewer
// nodes, since each may cost a Lamm solve. Every species' kept fraction is
// within 2e-3 absolute or 1 % relative of a 4×-finer quadrature (tested).
var (
	fineND, fineNR   = 16, 4
	smallND, smallNR = 6, 3
)

const smallMaxDiameterM = 40e-9

// Lamm discretisation for one node: cells below and above the residual
// layer's top, time steps in all and per ramp (the deceleration, when the
// pile-up relaxes, needs resolving). Tested against a 10×-finer solve.
var (
	lammBelow, lammAbove, lammSteps, lammRampSteps = 6, 16, 16, 2
)

// The Lamm solver replaces the no-diffusion formula where back-diffusion
// would change a node's kept fraction by more than lammTolerance of it (or
// lammFloor of the node's particles); see needLamm.
const (
	lammTolerance = 1e-2
	lammFloor     = 1e-4
)

type node struct {
	d, rho     float64
	dSD, rhoSD float64 // spread within the node's quadrature cell (species.Node)
	count      float64
	damaged    float64 // damaged or aggregated particles among count
	proteinKg  float64 // per particle
	bin        int     // size histogram bin
}

type speciesState struct {
	id      string
	sp      species.Species
	nodes   []node
	fragile bool
	small   bool
}

func (sp *speciesState) total() float64 {
	var t float64
	for _, n := range sp.nodes {
		t += n.count
	}
	return t
}

type runner struct {
	lib           *Library
	opt           Options
	input         Input
	volumeM3      float64
	vessels       int
	inputFraction float64 // share of the input's liquid in the suspending liquid (rest: PBS)
	// A gradient step leaves its medium's solute in the liquid at
	// gradConcKgM3 (kg/m³); resuspensions dilute it.
	gradMedium    *gradient.Medium
	gradConcKgM3  float64
	species       []speciesState
	inputExosomes float64
	solver        lamm.Solver
	kept          [][]float64          // per species, per node: fraction kept by the current step
	newDamage     [][]float64          // per species, per node: share of intact particles damaged
	lastEnv       *spinEnv             // the last spin's conditions (for tests)
	quad          *gradient.Quadrature // nodes per species; nil: fineND × fineNR (smallND × smallNR)
	// Work space of speciesSpin.
	pel          []float64
	lammIdx      []int
	lammS, lammD []float64
}

// Run runs p with the default library (see Library.Run).
func Run(p Protocol, opt Options) (*Result, error) {
	lib, err := Default()
	if err != nil {
		return nil, err
	}
	return lib.Run(p, opt)
}

// Run validates p and runs it step by step, carrying every species as a
// size and density distribution (quadrature nodes) whose counts each step
// splits into kept and discarded. It returns Problems (as the error) when
// p is invalid or a step cannot be carried out with the volumes reached.
// Run is safe for concurrent use.
func (l *Library) Run(p Protocol, opt Options) (*Result, error) {
	if probs := l.Validate(p); len(probs) > 0 {
		return nil, probs
	}
	if opt.VolumeML != 0 && !(opt.VolumeML > 0 && opt.VolumeML <= MaxVolumeML) {
		return nil, Problems{{Field: "volume_ml", Message: fmt.Sprintf("%s mL is outside the allowed range: above 0 up to %d mL", num(opt.VolumeML), MaxVolumeML)}}
	}
	in, _ := l.Input(p.Input)
	r := &runner{lib: l, opt: opt, input: in, vessels: 1, inputFraction: 1}
	res := &Result{Protocol: p.Name, Source: p.Source, Notes: append([]string(nil), notes...)}
	res.Input = InputUsed{ID: in.ID, Name: in.Name, Species: map[string]float64{}}
	switch {
	case opt.VolumeML > 0:
		r.volumeM3, res.Input.VolumeFrom = opt.VolumeML*1e-6, "caller"
	case p.VolumeML > 0:
		r.volumeM3, res.Input.VolumeFrom = p.VolumeML*1e-6, "protocol"
	default:
		r.volumeM3, res.Input.VolumeFrom = in.DefaultVolumeM3, "input default"
		res.Input.VolumeConfidence = string(in.Figures["volume"].Confidence)
	}
	res.Input.VolumeML = tidy(r.volumeM3 * 1e6)
	r.initSpecies()
	for _, sp := range r.species {
		res.Input.Species[sp.id] = sp.total()
	}
	res.Input.ProteinUG = r.proteinKg() * 1e9

	for i, s := range p.Steps {
		if opt.Trace != nil {
			opt.Trace(i+1, r.nodesNow())
		}
		sr, err := r.step(i+1, s)
		if err != nil {
			return nil, err
		}
		res.Steps = append(res.Steps, sr)
		res.Final.TotalMinutes += sr.Minutes
		res.Final.RunMinutes += sr.Time.RunMinutes
		res.Final.AccelDecelMinutes += float64(sr.Time.Runs) * (sr.Time.AccelMinutes + sr.Time.DecelMinutes)
		res.Final.HandsOnMinutes += sr.Time.HandsOnMinutes
		res.Final.Runs += sr.Time.Runs
	}
	res.Final.Summary = r.summarize()
	return res, nil
}

func (r *runner) initSpecies() {
	m := &r.lib.Model
	for _, sp := range r.lib.Catalog.Species {
		st := speciesState{id: sp.ID, sp: sp, fragile: m.DamageAppliesTo[sp.ID], small: sp.MaxDiameterM < smallMaxDiameterM}
		total := r.input.PerM3[sp.ID] * r.volumeM3
		prot := m.Protein[sp.ID]
		if sp.ID == AlbuminID && prot.PerParticleKg > 0 {
			total = r.input.SolubleProteinKgM3 * r.volumeM3 / prot.PerParticleKg
		}
		nd, nr := fineND, fineNR
		if st.small {
			nd, nr = smallND, smallNR
		}
		if q := r.quad; q != nil {
			nd, nr = q.Diameters, q.Densities
			if sp.MaxDiameterM < q.SmallBelowM {
				nd, nr = q.SmallDiameters, q.SmallDensities
			}
		}
		for _, n := range r.lib.nodes(sp, nd, nr) {
			st.nodes = append(st.nodes, node{d: n.DiameterM, rho: n.DensityKgM3, dSD: n.DiameterSDM, rhoSD: n.DensitySDKgM3, count: total * n.Weight,
				proteinKg: prot.Of(n.DiameterM, n.DensityKgM3), bin: binOf(n.DiameterM * 1e9)})
		}
		r.species = append(r.species, st)
		if sp.ID == ExosomeID {
			r.inputExosomes = total
		}
	}
	r.kept = make([][]float64, len(r.species))
	r.newDamage = make([][]float64, len(r.species))
	most := 0
	for i, sp := range r.species {
		r.kept[i] = make([]float64, len(sp.nodes))
		r.newDamage[i] = make([]float64, len(sp.nodes))
		most = max(most, len(sp.nodes))
	}
	r.pel = make([]float64, most)
}

// nodesNow copies every species' nodes and counts (for Options.Trace).
func (r *runner) nodesNow() []SpeciesNodes {
	out := make([]SpeciesNodes, len(r.species))
	for i, sp := range r.species {
		ns := make([]species.Node, len(sp.nodes))
		for j, n := range sp.nodes {
			ns[j] = species.Node{DiameterM: n.d, DensityKgM3: n.rho, Weight: n.count}
		}
		out[i] = SpeciesNodes{ID: sp.id, Nodes: ns}
	}
	return out
}

func (r *runner) proteinKg() float64 {
	var p float64
	for _, sp := range r.species {
		for _, n := range sp.nodes {
			p += n.count * n.proteinKg
		}
	}
	return p
}

// apply moves every node by the kept fractions (and new damage) of the
// current step and records the flows in sr.
func (r *runner) apply(sr *StepResult) {
	sr.Species = map[string]Flow{}
	var pin, pkept, pdisc float64
	for i := range r.species {
		sp := &r.species[i]
		var f Flow
		for j := range sp.nodes {
			n := &sp.nodes[j]
			k := r.kept[i][j]
			in := n.count
			kept := in * k
			disc := in - kept
			f.In += in
			f.Kept += kept
			f.Discarded += disc
			pin += in * n.proteinKg
			pkept += kept * n.proteinKg
			pdisc += disc * n.proteinKg
			// Damaged particles keep their share among what is kept; new
			// damage (from a pellet that is kept) is added on top.
			intactKept := (in - n.damaged) * k
			n.damaged = n.damaged*k + intactKept*r.newDamage[i][j]
			n.count = kept
			if n.damaged > n.count {
				n.damaged = n.count
			}
		}
		sr.Species[sp.id] = f
	}
	sr.ProteinUG = Flow{In: pin * 1e9, Kept: pkept * 1e9, Discarded: pdisc * 1e9}
}

func (r *runner) resetFractions(k float64) {
	for i := range r.kept {
		for j := range r.kept[i] {
			r.kept[i][j] = k
			r.newDamage[i][j] = 0
		}
	}
}

func (r *runner) step(n int, s Step) (StepResult, error) {
	sr := StepResult{Index: n, Name: s.Name, Kind: s.Kind, VolumeInML: tidy(r.volumeM3 * 1e6)}
	if sr.Name == "" {
		sr.Name = fmt.Sprintf("%s %d", s.Kind, n)
	}
	m := &r.lib.Model
	var handsOnS float64
	switch s.Kind {
	case KindSpin:
		if err := r.spin(n, s, &sr); err != nil {
			return sr, err
		}
	case KindFilter, KindUltrafilter:
		handsOnS = m.FilterSetupS
		if s.Kind == KindUltrafilter || r.opt.Sieve == nil {
			if err := r.filtration(n, s, &sr); err != nil {
				return sr, err
			}
			break
		}
		// The caller's sieve replaces the membrane model of a filter step:
		// a fraction passing per node, no time, fouling or hold-up.
		pore := s.PoreUM * 1e-6
		if s.Membrane != "" {
			mem, _ := r.lib.Catalog.Membranes.Membrane(s.Membrane)
			pore = mem.NominalPoreM
		}
		for i := range r.species {
			sp := &r.species[i]
			for j, nd := range sp.nodes {
				pass := r.opt.Sieve(sp.id, nd.d, pore)
				if !(pass >= 0) { // negative or NaN: nothing passes
					pass = 0
				}
				r.kept[i][j] = math.Min(1, pass)
				r.newDamage[i][j] = 0
			}
		}
		r.vessels = 1
		sr.Filter = &FilterDetail{PoreUM: pore * 1e6, Model: "caller's filter model"}
		r.apply(&sr)
	case KindResuspend:
		newV := r.volumeM3 * s.Factor
		if s.Factor == 0 {
			target := s.VolumeML * 1e-6
			perVessel := r.volumeM3 / float64(r.vessels)
			newV = math.Max(target, perVessel) * float64(r.vessels)
			if target < perVessel*(1-1e-12) {
				sr.Warnings = append(sr.Warnings, fmt.Sprintf("each of the %d vessel(s) already holds %s mL, more than volume_ml %s mL: no PBS added",
					r.vessels, num(tidy(perVessel*1e6)), num(s.VolumeML)))
			}
		}
		r.inputFraction *= r.volumeM3 / newV
		r.gradConcKgM3 *= r.volumeM3 / newV
		r.volumeM3 = newV
		handsOnS = float64(r.vessels) * m.ResuspendPerVesselS
		r.resetFractions(1)
		r.apply(&sr)
	case KindGradient:
		if err := r.gradientStep(n, s, &sr); err != nil {
			return sr, err
		}
	case KindPool:
		if r.vessels > 1 {
			handsOnS = m.PoolS
		}
		r.vessels = 1
		r.resetFractions(1)
		r.apply(&sr)
	}
	if s.Kind != KindSpin && s.Kind != KindGradient {
		sr.Time.HandsOnMinutes = handsOnS / 60
	}
	sr.Minutes = sr.Time.RunMinutes + sr.Time.HandsOnMinutes
	sr.VolumeOutML = tidy(r.volumeM3 * 1e6)
	sr.VesselsOut = r.vessels
	sr.Product = r.summarize()
	return sr, nil
}

// liquid returns the suspending liquid's viscosity (Pa·s) and density
// (kg/m³) at celsius: the input liquid (water's curves times its viscosity
// ratio, plus its density excess at 20 °C) mixed with PBS in the tracked
// proportion φ, viscosity log-linearly (η = η_PBS^(1−φ) η_in^φ, an
// Arrhenius-type mixing rule) and density linearly.
func (r *runner) liquid(celsius float64) (eta, rho float64, err error) {
	water, pbs := r.lib.Catalog.Media["water"], r.lib.Catalog.Media["pbs"]
	etaW, err := water.ViscosityPas(celsius)
	if err != nil {
		return 0, 0, err
	}
	rhoW, _ := water.DensityKgM3(celsius)
	rhoW20, _ := water.DensityKgM3(20)
	etaP, _ := pbs.ViscosityPas(celsius)
	rhoP, _ := pbs.DensityKgM3(celsius)
	etaIn := etaW * r.input.ViscosityRatio
	rhoIn := rhoW + (r.input.LiquidDensity20KgM3 - rhoW20)
	phi := r.inputFraction
	eta, rho = etaP*math.Pow(etaIn/etaP, phi), phi*rhoIn+(1-phi)*rhoP
	if r.gradMedium != nil && r.gradConcKgM3 > 0 {
		// The gradient solute on top of that liquid: its density excess
		// over water and its viscosity ratio to water at celsius.
		rho += r.gradMedium.DensityKgM3(r.gradConcKgM3, celsius) - r.gradMedium.DensityKgM3(0, celsius)
		eta *= r.gradMedium.ViscosityPas(r.gradConcKgM3, celsius) / r.gradMedium.ViscosityPas(0, celsius)
	}
	return eta, rho, nil
}

// gradientStep runs a density-gradient step (package gradient): the
// liquid is split over tubes of sample_ml each (tubes = ceil(V/sample)),
// every node is run as the sample of one tube, and each node keeps the
// share of its particles in the kept fractions. The kept fractions of
// all tubes are pooled into one vessel; their liquid is the gradient
// medium at the kept fractions' mean concentration in a PBS base (the
// sample's own liquid is taken as spread through the gradient and
// dropped: φ = 0), which later steps see as density and viscosity
// (runner.liquid) and resuspensions dilute.
func (r *runner) gradientStep(n int, s Step, sr *StepResult) error {
	gl, err := gradient.Default()
	if err != nil {
		return err
	}
	gp := *s.Gradient
	rot, _ := r.lib.Catalog.Rotors.Find(gp.Rotor)
	perTubeML := gp.SampleML
	if perTubeML == 0 {
		perTubeML = gl.Handling.SampleShare * rot.TubeVolumeM3 * 1e6
	}
	tubes := max(1, int(math.Ceil(r.volumeM3*1e6/perTubeML-1e-9)))
	gp.SampleML = r.volumeM3 * 1e6 / float64(tubes)
	celsius := gradient.DefaultTemperatureC * 1.0
	if gp.TemperatureC != nil {
		celsius = *gp.TemperatureC
	}
	_, rhoL, err := r.liquid(celsius)
	if err != nil {
		return Problems{{Step: n, StepName: s.Name, Kind: s.Kind, Field: "gradient.temperature_c", Message: err.Error()}}
	}
	m := &r.lib.Model
	run, err := gl.Compute(gp, r.gradientSample(rhoL, float64(tubes)))
	if err != nil {
		var probs Problems
		if gps, ok := err.(gradient.Problems); ok {
			for _, pr := range gps {
				probs = append(probs, Problem{Step: n, StepName: s.Name, Kind: s.Kind, Field: "gradient." + pr.Field, Message: pr.Message})
			}
			return probs
		}
		return err
	}
	if r.opt.GradientTrace != nil {
		r.opt.GradientTrace(n, run)
	}
	keep := s.KeepFractions.List
	if s.KeepFractions.Peak {
		keep = run.ExosomeRich
		if len(keep) == 0 {
			return Problems{{Step: n, StepName: s.Name, Kind: s.Kind, Field: "keep_fractions", Message: `"peak" found no exosomes in the gradient; give a list of fraction numbers`}}
		}
	}
	shares := run.NodeShares(keep)
	for i := range r.species {
		for j := range r.species[i].nodes {
			r.kept[i][j], r.newDamage[i][j] = shares[i][j], 0
		}
	}
	fr := run.Fractions()
	var vol, mass float64
	for _, j := range keep {
		vol += fr[j-1].VolumeML * 1e-6
		mass += fr[j-1].VolumeML * 1e-6 * fr[j-1].ConcentrationKgM3
	}
	r.apply(sr)
	r.volumeM3 = vol * float64(tubes)
	r.vessels = 1
	r.inputFraction = 0
	r.gradMedium = gl.Media[gp.Medium]
	r.gradConcKgM3 = mass / vol
	runs := (tubes + rot.TubeCount - 1) / rot.TubeCount
	sr.Time.Runs = runs
	sr.Time.HoldMinutes = run.HoldS / 60
	sr.Time.AccelMinutes = run.AccelS / 60
	sr.Time.DecelMinutes = run.DecelS / 60
	sr.Time.RunMinutes = float64(runs) * run.DurationS / 60
	sr.Time.HandsOnMinutes = (float64(runs)*m.RunSetupS + float64(tubes)*(gl.Handling.PouringS+float64(gp.Fractions)*gl.Handling.FractionS)) / 60
	sr.Time.RampFrom = "default (estimate)"
	if gp.AccelMinutes != nil || gp.DecelMinutes != nil {
		sr.Time.RampFrom = "step"
	}
	sr.Gradient = &GradientDetail{Medium: run.Medium.Name, Mode: gp.Mode, Rotor: run.Rotor, RPM: run.RPM, RCFAvg: run.RCFAvg, RCFMax: run.RCFMax,
		Tubes: tubes, SampleMLPerTube: gp.SampleML, Fractions: fr, Kept: keep, ExosomePeak: run.ExosomePeak,
		KeptDensityGPerML: r.gradMedium.DensityKgM3(r.gradConcKgM3, celsius) / 1e3, KeptConcentrationKgM3: r.gradConcKgM3,
		MediumApproach: run.Medium.ApproachAtEnd, Equilibrated: run.Equilibrated}
	sr.Warnings = append(sr.Warnings, run.Warnings...)
	return nil
}

// gradientSample is the current liquid as a gradient sample: every node
// with its count shared over tubes, its protein and whether it is
// counted (within the counting range; albumin never).
func (r *runner) gradientSample(liquidKgM3, tubes float64) gradient.Sample {
	m := &r.lib.Model
	sample := gradient.Sample{LiquidDensityKgM3: liquidKgM3}
	for _, sp := range r.species {
		ss := gradient.SpeciesSample{ID: sp.id}
		for _, nd := range sp.nodes {
			ss.Nodes = append(ss.Nodes, gradient.NodeSample{DiameterM: nd.d, DensityKgM3: nd.rho, DiameterSDM: nd.dSD, DensitySDKgM3: nd.rhoSD, Count: nd.count / tubes,
				ProteinKg: nd.proteinKg, Counted: sp.id != AlbuminID && nd.d >= m.CountMinM && nd.d <= m.CountMaxM})
		}
		sample.Species = append(sample.Species, ss)
	}
	return sample
}

// GradientSample returns volumeML of the input inputID, at celsius, as
// the sample of one gradient tube (gradient.SampleQuadrature's nodes with
// their cell spreads, the protocol engine's protein and counting range),
// for `exosep gradient` and the stage.
func (l *Library) GradientSample(inputID string, volumeML, celsius float64) (gradient.Sample, error) {
	in, ok := l.Input(inputID)
	if !ok {
		return gradient.Sample{}, fmt.Errorf("%q is not a known input (allowed: %s)", inputID, strings.Join(l.InputIDs(), ", "))
	}
	if !(volumeML > 0 && volumeML <= MaxVolumeML) {
		return gradient.Sample{}, fmt.Errorf("sample volume %s mL is outside the allowed range: above 0 up to %d mL", num(volumeML), MaxVolumeML)
	}
	r := &runner{lib: l, input: in, volumeM3: volumeML * 1e-6, vessels: 1, inputFraction: 1, quad: &gradient.SampleQuadrature}
	r.initSpecies()
	_, rho, err := r.liquid(celsius)
	if err != nil {
		return gradient.Sample{}, err
	}
	return r.gradientSample(rho, 1), nil
}

// spinEnv holds one spin's conditions for the per-node calculation.
type spinEnv struct {
	r                     rotor.Rotor
	omega                 float64
	holdS, accelS, decelS float64
	effS                  float64 // hold + (accel + decel)/3: same ∫ω²dt
	celsius, eta, rhoM    float64
	f                     float64 // residual liquid / tube volume
	rcfMax                float64
	// Lamm set-up: geometry, domain and mesh.
	geom                    lamm.Geometry
	top, split, bottom      float64
	fieldR, refR, deltaPath float64
	cosAngle                float64
	faces                   []float64
	// Damage of fragile species as a function of ln s, tabulated per spin.
	dmgLnS, dmgVal []float64
}

func (r *runner) spin(n int, s Step, sr *StepResult) error {
	m := &r.lib.Model
	rot, _ := r.lib.Catalog.Rotors.Find(s.Rotor)
	rpm := s.RPM
	conv := ""
	if s.RCF > 0 {
		c := DefaultConvention
		if s.RCFAt != "" {
			c, _ = rotor.ParseConvention(s.RCFAt)
		}
		conv = string(c)
		rpm = rotor.RPMForRCF(s.RCF, rot.RadiusM(c))
	}
	celsius := m.DefaultTemperatureC
	if s.TemperatureC != nil {
		celsius = *s.TemperatureC
	}
	eta, rho, err := r.liquid(celsius)
	if err != nil {
		return Problems{{Step: n, StepName: s.Name, Kind: s.Kind, Field: "temperature_c", Message: err.Error()}}
	}
	ramp := math.Max(m.RampMinS, m.RampSPer100kRPM*rpm/1e5)
	accel, decel := ramp, ramp
	sr.Time.RampFrom = "default (estimate)"
	if s.AccelMinutes != nil {
		accel = *s.AccelMinutes * 60
	}
	if s.DecelMinutes != nil {
		decel = *s.DecelMinutes * 60
	}
	if s.AccelMinutes != nil || s.DecelMinutes != nil {
		sr.Time.RampFrom = "step"
	}
	e := &spinEnv{r: rot, omega: rotor.Omega(rpm), holdS: s.Minutes * 60, accelS: accel, decelS: decel,
		celsius: celsius, eta: eta, rhoM: rho, rcfMax: rotor.RCF(rpm, rot.RMaxM)}
	e.effS = e.holdS + (accel+decel)/3

	// Volumes, tubes and runs.
	vt := rot.TubeVolumeM3
	tubes := int(math.Ceil(r.volumeM3/vt - 1e-9))
	tubes = max(tubes, 1)
	runs := (tubes + rot.TubeCount - 1) / rot.TubeCount
	residual := math.Max(m.ResidualFraction*vt, m.ResidualMinM3)
	if s.ResidualUL > 0 {
		residual = s.ResidualUL * 1e-9
	}
	residual = math.Min(residual, vt/2)
	e.f = residual / vt
	if fill := r.volumeM3 / (float64(tubes) * vt); fill < 0.5 {
		sr.Warnings = append(sr.Warnings, fmt.Sprintf("the %s tube is only %.0f %% full; the model assumes full tubes (a shorter column pellets faster)", rot.Name, 100*fill))
	}
	if s.Keep == KeepSupernatant && r.volumeM3 <= float64(tubes)*residual {
		return Problems{{Step: n, StepName: s.Name, Kind: s.Kind, Field: "keep", Message: fmt.Sprintf("the %s mL sample is no more than the liquid left with the pellets (%d × %s µL)", num(r.volumeM3*1e6), tubes, num(residual*1e9))}}
	}
	// A pellet cannot keep more liquid than the tube held.
	residual = math.Min(residual, r.volumeM3/float64(tubes))
	e.f = residual / vt
	e.setupLamm()

	// Per node: fraction kept with the pellet (pellet + residual liquid),
	// and the compaction damage of the part that pelleted.
	sd := &SpinDetail{Rotor: rot.Name, RPM: rpm, RCFMin: rotor.RCF(rpm, rot.RMinM), RCFAvg: rotor.RCF(rpm, rot.RadiusM(rotor.AtAvg)),
		RCFMax: e.rcfMax, RCFAt: conv, KFactor: rot.KFactor(rpm), Keep: s.Keep, Tubes: tubes, TubesPerRun: rot.TubeCount,
		TemperatureC: celsius, ViscosityMPas: eta * 1e3, DensityGPerML: rho / 1e3, ResidualULPerTube: residual * 1e9,
		EffectiveMinutes: e.effS / 60, LammSpecies: []string{}, Pelleted: SpeciesFrac{}}
	sd.Damage = SpinDamage{DoseGHours: e.rcfMax * e.effS / 3600, Confidence: "estimate"}
	for i := range r.species {
		sp := &r.species[i]
		if sp.total() == 0 {
			for j := range sp.nodes {
				r.kept[i][j], r.newDamage[i][j] = 1, 0
			}
			continue
		}
		pelleted, damaged, usedLamm := r.speciesSpin(e, i, s.Keep == KeepPellet)
		sd.Pelleted[sp.id] = pelleted
		if usedLamm {
			sd.LammSpecies = append(sd.LammSpecies, sp.id)
		}
		if sp.id == ExosomeID {
			sd.Damage.ExosomesDamagedFraction = damaged
		}
	}
	sort.Strings(sd.LammSpecies)
	if ex, ok := r.lib.Catalog.SpeciesByID(ExosomeID); ok {
		mid := (ex.MinDensityKgM3 + ex.MaxDensityKgM3) / 2
		d := sediment.CutoffDiameter(rot, e.omega, e.effS, mid-rho, eta)
		if !math.IsInf(d, 0) {
			sd.ExosomeCutoffNM = d * 1e9
		}
	}
	sr.Spin = sd
	r.lastEnv = e
	r.apply(sr)

	// Volumes after the spin.
	if s.Keep == KeepPellet {
		r.volumeM3 = float64(tubes) * residual
		r.vessels = tubes
	} else {
		r.volumeM3 -= float64(tubes) * residual
		r.vessels = 1
	}
	sr.Time.Runs = runs
	sr.Time.HoldMinutes = e.holdS / 60
	sr.Time.AccelMinutes = accel / 60
	sr.Time.DecelMinutes = decel / 60
	sr.Time.RunMinutes = float64(runs) * (e.holdS + accel + decel) / 60
	sr.Time.HandsOnMinutes = (float64(runs)*m.RunSetupS + float64(tubes)*m.PerTubeS) / 60
	return nil
}

// setupLamm fixes the 1-D domain the Lamm solver uses for this rotor:
//
//	swinging bucket: Cylinder r_min…r_max, field ω²r, the residual layer the
//	                 bottom δ = f·(r_max − r_min);
//	fixed angle:     Slab across the tube, field ω²r_avg (the constant-field
//	                 approximation of package sediment), length the tube's
//	                 mean chord (π/4)·D/cosθ (so that the slab's pelleted
//	                 fraction ξ·4/π matches the chord formula's slope at small
//	                 ξ), the residual the outer-wall layer f·length.
func (e *spinEnv) setupLamm() {
	e.cosAngle = math.Cos(e.r.AngleRad)
	if e.r.Kind == rotor.FixedAngle {
		e.geom = lamm.Slab
		e.top = 0
		e.bottom = math.Pi / 4 * e.r.TubeDiameterM / math.Cos(e.r.AngleRad)
		e.fieldR = e.r.RadiusM(rotor.AtAvg)
		e.refR = e.fieldR
	} else {
		e.geom = lamm.Cylinder
		e.top, e.bottom = e.r.RMinM, e.r.RMaxM
		e.refR = e.r.RMaxM
	}
	e.deltaPath = e.f * (e.bottom - e.top)
	e.split = e.bottom - e.deltaPath
	e.faces = lamm.SplitFaces(e.top, e.split, e.bottom, e.deltaPath/(3*float64(lammBelow)), lammBelow, lammAbove)
}

// closedForm returns, for one particle size and density in this spin, the
// no-diffusion fraction k that ends with the pellet (pellet + residual
// liquid), P that reached the pellet and F that floated, with the
// sedimentation coefficient s (x = sω²t_eff; P and F from package
// sediment):
//
//	swinging bucket: k = P + e^(−x)·|[r_max − δ, r_max] ∩ occupied| / L,
//	                 occupied = [r_min e^x, r_max] (sinking) or
//	                 [r_min, r_max e^x] (floating), where the plateau e^(−x)
//	                 remains (the Lamm solution with D = 0, cylinder);
//	fixed angle:     k = P_chord + max(0, min(f, 1 − ξ_e)) (sinking) or
//	                 max(0, f − ξ_e) (floating), ξ_e = |ξ|·4/π, the residual
//	                 layer on the outer wall holding plateau liquid (c = c0,
//	                 constant field) until the cleared zone reaches it.
func (e *spinEnv) closedForm(d, rho float64) (k, P, F, s float64) {
	s = sediment.Coefficient(d, rho, e.rhoM, e.eta)
	if e.r.Kind == rotor.FixedAngle {
		// sediment.Fractions for a fixed-angle rotor, with ξ computed once.
		xi := s * e.omega * e.omega * e.fieldR * e.effS * e.cosAngle / e.r.TubeDiameterM
		xe := math.Abs(xi) * 4 / math.Pi
		if xi >= 0 {
			P = sediment.ChordFraction(xi)
			k = P + math.Max(0, math.Min(e.f, 1-xe))
		} else {
			F = sediment.ChordFraction(-xi)
			k = math.Max(0, e.f-xe)
		}
	} else {
		P, F = sediment.Fractions(e.r, s, e.omega, e.effS)
		x := s * e.omega * e.omega * e.effS
		L := e.r.RMaxM - e.r.RMinM
		lo, hi := e.r.RMinM*math.Exp(x), e.r.RMaxM
		if x < 0 {
			lo, hi = e.r.RMinM, e.r.RMaxM*math.Exp(x)
		}
		lo = math.Max(lo, e.r.RMaxM-e.f*L)
		k = P + math.Exp(-x)*math.Max(0, hi-lo)/L
	}
	if s == 0 {
		k = e.f // no field: the residual holds its share of a uniform liquid
	}
	return math.Min(1-F, math.Max(0, k)), P, F, s
}

// speciesSpin fills r.kept[i] and r.newDamage[i] for species i: the closed
// form for every node; then, where back-diffusion from the pile-up
// (thickness D/v) would change what is kept by more than 1 % (needLamm),
// the Lamm equation for those nodes (all at once, SolveMany), k being the
// solute found within the residual layer at the end; then compaction
// damage for fragile species. It returns the fraction of the species that
// reached the pellet, the damaged share of that, and whether the Lamm
// solver was used.
func (r *runner) speciesSpin(e *spinEnv, i int, keepPellet bool) (pelleted, damaged float64, usedLamm bool) {
	sp := &r.species[i]
	kept, dmgOut := r.kept[i], r.newDamage[i]
	pel := r.pel[:len(sp.nodes)]
	r.lammIdx, r.lammS, r.lammD = r.lammIdx[:0], r.lammS[:0], r.lammD[:0]
	for j, nd := range sp.nodes {
		k, P, _, s := e.closedForm(nd.d, nd.rho)
		kept[j], pel[j] = k, P
		if s == 0 {
			continue
		}
		v := math.Abs(s) * e.omega * e.omega * e.refR
		D := lamm.StokesEinstein(nd.d, e.eta, e.celsius)
		if needLamm(e, s, D, v, P, k, keepPellet) {
			r.lammIdx = append(r.lammIdx, j)
			r.lammS = append(r.lammS, s)
			r.lammD = append(r.lammD, D)
		}
	}
	if len(r.lammIdx) > 0 {
		p := lamm.Problem{Geometry: e.geom, TopM: e.top, BottomM: e.bottom, OmegaRadS: e.omega, FieldRadiusM: e.fieldR,
			AccelS: e.accelS, HoldS: e.holdS, DecelS: e.decelS, Faces: e.faces, Steps: lammSteps, RampSteps: lammRampSteps}
		err := r.solver.SolveMany(p, r.lammS, r.lammD, func(b int, sol lamm.Solution) {
			j := r.lammIdx[b]
			k := math.Min(1, math.Max(0, sol.AmountBetween(e.split, e.bottom)/(e.bottom-e.top)))
			kept[j] = k
			// What sits in the bottom layer beyond the plateau share came
			// down through the field: the compacted part.
			pel[j] = math.Max(0, k-e.f)
		})
		usedLamm = err == nil
	}
	total := sp.total()
	if sp.fragile && keepPellet {
		// The species' own damage table over its range of s.
		sLo, sHi := math.Inf(1), 0.0
		for j, nd := range sp.nodes {
			if s := sediment.Coefficient(nd.d, nd.rho, e.rhoM, e.eta); s > 0 && pel[j] > 0 {
				sLo, sHi = math.Min(sLo, s), math.Max(sHi, s)
			}
		}
		e.damageTable(&r.lib.Model, sLo, sHi)
	}
	var pelW, dmgW float64
	for j, nd := range sp.nodes {
		dmg := 0.0
		if sp.fragile && keepPellet && pel[j] > 0 {
			if s := sediment.Coefficient(nd.d, nd.rho, e.rhoM, e.eta); s > 0 {
				dmg = e.damageAt(s)
			}
		}
		k := kept[j]
		if keepPellet {
			// Only the pelleted part is compressed; it is a share pel/k of
			// what is kept.
			dmgOut[j] = 0
			if k > 0 {
				dmgOut[j] = dmg * pel[j] / k
			}
		} else {
			kept[j] = 1 - k
			dmgOut[j] = 0
		}
		pelW += nd.count * pel[j]
		dmgW += nd.count * pel[j] * dmg
	}
	if total > 0 {
		pelleted = pelW / total
	}
	if pelW > 0 {
		damaged = dmgW / pelW
	}
	return pelleted, damaged, usedLamm
}

// needLamm decides whether back-diffusion changes the kept fraction (k
// for a kept pellet, 1 − k for a kept supernatant) by more than
// max(lammTolerance × kept, lammFloor), from the size of the effect:
//
//	sinking:  the no-diffusion pile P sits at the bottom; with diffusion it
//	          spreads over ℓ = D/v, and the share beyond the residual layer
//	          δ is about e^(−δ/ℓ): error ≈ P·e^(−δ/ℓ);
//	floating: a layer c = |v|t is cleared at the bottom and refilled by
//	          diffusion over ℓ: error ≈ min(f, c/L)·min(1, ℓ/δ)·e^(−max(0, c − δ)/ℓ).
func needLamm(e *spinEnv, s, D, v, P, k float64, keepPellet bool) bool {
	kept := k
	if !keepPellet {
		kept = 1 - k
	}
	l := D / v
	var err float64
	if s > 0 {
		if P == 0 || e.deltaPath > 40*l {
			return false // e^(−40) ≈ 4e-18: the pile lies within δ
		}
		err = P * math.Exp(-e.deltaPath/l)
	} else {
		c := v * e.effS
		err = math.Min(e.f, c/(e.bottom-e.top)) * math.Min(1, l/e.deltaPath) * math.Exp(-math.Max(0, c-e.deltaPath)/l)
	}
	return err > math.Max(lammTolerance*kept, lammFloor)
}

// damageTable tabulates, for this spin and one species, the damaged share
// of the particles of sedimentation coefficient s that pellet: package damage's Weibull law
// averaged over their arrival times (dose = RCF(r_max) × time in the
// pellet), at damageGrid points log-spaced over [sLo, sHi]; damageAt
// interpolates in ln s (the share is smooth in s: arrival times scale as
// 1/s).
func (e *spinEnv) damageTable(m *Model, sLo, sHi float64) {
	e.dmgLnS, e.dmgVal = e.dmgLnS[:0], e.dmgVal[:0]
	if !(sHi > 0) || m.Damage.Fraction(e.rcfMax*e.effS) < 1e-6 {
		return // no vesicle can get more than the whole spin's dose
	}
	sLo = math.Max(sLo, sHi*1e-6)
	w2 := e.omega * e.omega
	if e.r.Kind == rotor.FixedAngle {
		// ξ = 1 at t = D/(cosθ·s·ω²·r_avg): every particle has arrived.
		if e.r.TubeDiameterM/(e.cosAngle*sLo*w2*e.fieldR) < 1e-3*e.effS {
			e.constantDamage(m)
			return
		}
	} else if math.Log(e.r.RMaxM/e.r.RMinM)/(sLo*w2) < 1e-3*e.effS {
		e.constantDamage(m)
		return
	}
	for i := 0; i < damageGrid; i++ {
		s := sLo * math.Pow(sHi/sLo, float64(i)/float64(damageGrid-1))
		var tFull float64
		if e.r.Kind == rotor.FixedAngle {
			// ξ = 1: the far wall reached by every particle.
			tFull = e.r.TubeDiameterM / (e.cosAngle * s * w2 * e.fieldR)
		} else {
			tFull = math.Log(e.r.RMaxM/e.r.RMinM) / (s * w2)
		}
		P := func(t float64) float64 {
			p, _ := sediment.Fractions(e.r, s, e.omega, t)
			return p
		}
		e.dmgLnS = append(e.dmgLnS, math.Log(s))
		e.dmgVal = append(e.dmgVal, m.Damage.MeanOverArrivals(P, tFull, e.effS, e.rcfMax, damageIntervals))
	}
}

// Damage tabulation: points in s, and midpoint intervals over arrival
// times (tested against a finer tabulation).
var (
	damageGrid      = 16
	damageIntervals = 8
)

// constantDamage is the table when every node arrives within the first
// 0.1 % of the spin: all get the whole spin's dose.
func (e *spinEnv) constantDamage(m *Model) {
	f := m.Damage.Fraction(e.rcfMax * e.effS)
	e.dmgLnS = append(e.dmgLnS[:0], 0)
	e.dmgVal = append(e.dmgVal[:0], f)
}

func (e *spinEnv) damageAt(s float64) float64 {
	n := len(e.dmgLnS)
	switch n {
	case 0:
		return 0
	case 1:
		return e.dmgVal[0]
	}
	x := math.Log(s)
	if x <= e.dmgLnS[0] {
		return e.dmgVal[0]
	}
	if x >= e.dmgLnS[n-1] {
		return e.dmgVal[n-1]
	}
	h := (e.dmgLnS[n-1] - e.dmgLnS[0]) / float64(n-1)
	i := min(int((x-e.dmgLnS[0])/h), n-2)
	t := (x - e.dmgLnS[i]) / h
	return e.dmgVal[i]*(1-t) + e.dmgVal[i+1]*t
}

// notes state the models' assumptions for every result.
var notes = []string{
	"Species are carried as size × density quadrature nodes (lognormal size, uniform density; species.json); every step splits each node's count into kept and discarded, so nothing is created or lost.",
	"Spins: Stokes sedimentation of rigid spheres, particles uniform in full tubes at the start (Livshits et al. 2015); speed ramps count through ∫ω²dt = ω²(hold + (accel + decel)/3); ramps default to 5 min per 100,000 rpm scaled with speed (estimate).",
	"A pellet keeps a residual liquid layer (0.5 % of the tube, at least 10 µL: estimate) that carries the species around it; soluble proteins and small lipoproteins, whose pile-up at the bottom back-diffuses, are computed with the Lamm equation.",
	"Runs = ceil(tubes / tubes per rotor) with tubes = ceil(volume / tube volume); time = runs × (spin + ramps) + hands-on (estimates).",
	"Filters and ultrafilters (engine/filter): hindered transport of spheres through lognormal pores (Dechadilok & Deen 2006), deformable vesicles squeezing through smaller pores above 2τ(1/r − 1/a) and rupturing beyond the bilayer's lysis strain, particles plugging pore mouths and forming a cake (Carman–Kozeny), polarisation and Lévêque mass transfer in tangential flow; time from the flux J = TMP/(μ(R_m + R_c)). Pore structure and most process figures are estimates.",
	"Gradient steps (package gradient): every node run as Gaussian packets through the medium's evolving density and viscosity; the kept fractions are pooled and their liquid is the gradient medium at their mean concentration in PBS, which sets density and viscosity in later steps and is diluted by resuspensions.",
	"Compaction damage of pelleted vesicles: Weibull in RCF × time in the pellet, half damaged after 100,000 × g for 4 h (the review's 'serious damage', ref 33: an estimate).",
	"Particles are counted within 50–1000 nm (NTA range); protein per particle is a share of particle mass (lipoproteins: read; vesicles: estimate); purity classes after Webber & Clayton 2013 are an estimate.",
}

// tidy rounds a unit conversion (m³ → mL) to 12 significant digits, far
// below any figure's precision, so that 50 mL prints as 50.
func tidy(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, 11-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}
