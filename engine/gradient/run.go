package gradient

import (
	"fmt"
	"math"

	"exosep/engine/fastexp"
	"exosep/engine/rotor"
)

// Boltzmann is k_B in J/K (SI 2019, exact).
const Boltzmann = 1.380649e-23

// ExosomeID is the species whose fractions are looked for.
const ExosomeID = "exosome"

// Discretisation (tested against finer settings in
// TestDiscretisationMatchesFineReference).
var (
	gridCells      = 200  // medium cells along the column
	holdLevels     = 24   // time levels over the hold
	rampLevels     = 2    // time levels per speed ramp
	mediumSubsteps = 1    // medium solver steps per time level
	maxSlices      = 8    // initial-zone slices per node
	sliceDivisions = 32.0 // a slice is at most the column / sliceDivisions thick
	maxStepCells   = 4.0  // largest displacement per substep, in medium cells
)

// Quadrature is how many nodes (diameters × densities) stand for each
// species in a sample: species whose largest particle is below
// SmallBelowM get the Small counts.
type Quadrature struct {
	Diameters, Densities           int
	SmallDiameters, SmallDensities int
	SmallBelowM                    float64
}

// SampleQuadrature is the quadrature of a gradient run of its own (the
// gradient page, `exosep gradient`; a protocol's gradient step keeps the
// protocol's nodes). It is coarser than a protocol's 16 × 4 because every
// node costs a run of its packets, and about as accurate because each node
// carries its cell's spread (NodeSample): every species' share in every
// fraction is within 0.1 of a 32 × 8 quadrature, exosomes' within 0.03
// (TestSampleQuadratureAgainstFine; 16 × 4: 0.13 and 0.01), where 16 × 4
// point nodes were up to 0.22 off.
var SampleQuadrature = Quadrature{Diameters: 8, Densities: 3, SmallDiameters: 4, SmallDensities: 2, SmallBelowM: 40e-9}

// Sample is what is loaded into one tube: each species as quadrature
// nodes with their particle counts (per tube). SI units.
type Sample struct {
	// LiquidDensityKgM3 is the density of the sample's own liquid (the top
	// layer of a top-loaded tube) at the run temperature; 0: water.
	LiquidDensityKgM3 float64         `json:"liquid_density_kg_m3,omitempty"`
	Species           []SpeciesSample `json:"species"`
}

// SpeciesSample is one species of a Sample.
type SpeciesSample struct {
	ID    string       `json:"id"`
	Nodes []NodeSample `json:"nodes"`
}

// NodeSample is one quadrature node: a particle size and density, the
// number of particles it stands for, their protein each, and whether a
// particle counter counts them (NTA range).
//
// DiameterSDM and DensitySDKgM3 are the spread (standard deviation) of
// the particles the node stands for (its quadrature cell; 0: all alike).
// A band's position is not smooth in ρp and d over a cell (each density
// has its own isopycnic point), so the run carries each packet's
// sensitivities ∂r̄/∂ρp and ∂r̄/∂d and widens it by that spread.
type NodeSample struct {
	DiameterM     float64 `json:"diameter_m"`
	DensityKgM3   float64 `json:"density_kg_m3"`
	Count         float64 `json:"count"`
	ProteinKg     float64 `json:"protein_kg"`
	Counted       bool    `json:"counted"`
	DiameterSDM   float64 `json:"diameter_sd_m,omitempty"`
	DensitySDKgM3 float64 `json:"density_sd_kg_m3,omitempty"`
}

// Zone is one loaded layer of the column at the start.
type Zone struct {
	Name          string  `json:"name"` // "sample", "gradient", "layer 2", "cushion"
	TopRadiusM    float64 `json:"top_radius_m"`
	BottomRadiusM float64 `json:"bottom_radius_m"`
}

// MediumReport describes the medium's own redistribution (self-forming
// gradients, and the smoothing of steps).
type MediumReport struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// SedimentationS and DiffusionM2S are the solute's at the column's
	// mean starting concentration and the run temperature.
	SedimentationS float64 `json:"sedimentation_s"`
	DiffusionM2S   float64 `json:"diffusion_m2_s"`
	// RelaxationTimeS is the analytic e-folding time of the slowest mode
	// of the linearised Lamm equation at full speed: 1/λ₁ with
	// λ₁ = π²D/L² + (sω²r_avg)²/(4D) (constant drift in a closed column).
	RelaxationTimeS float64 `json:"relaxation_time_s"`
	// ApproachAtEnd is how far the profile has gone from its start to the
	// full-speed equilibrium at the end of the hold: 1 − ‖c − c_eq‖₁/‖c₀ − c_eq‖₁.
	ApproachAtEnd float64 `json:"approach_at_end"`
	// FormationTime90S is the time at full speed to reach 90 % of that
	// approach; Extrapolated when the run ends before (exponential from
	// the last two levels).
	FormationTime90S float64 `json:"formation_time_90_s"`
	Extrapolated     bool    `json:"extrapolated"`
	// EquilibriumDensityKgM3 is the full-speed equilibrium density at the
	// cell centres (Run.CentersM).
	EquilibriumDensityKgM3 []float64 `json:"equilibrium_density_kg_m3"`
}

// Run is a computed gradient run. Its exported fields are plain JSON;
// At and Fractions give the state at any time and the fractions at the
// end.
type Run struct {
	Params       Params  `json:"params"`
	Rotor        string  `json:"rotor"`
	RPM          float64 `json:"rpm"`
	RCFAvg       float64 `json:"rcf_avg"`
	RCFMax       float64 `json:"rcf_max"`
	TemperatureC float64 `json:"temperature_c"`
	// The liquid column: meniscus (top) and tube bottom radii, the tube's
	// cross-section, and the loaded zones.
	MeniscusM   float64 `json:"meniscus_m"`
	BottomM     float64 `json:"bottom_m"`
	AreaM2      float64 `json:"area_m2"`
	SampleML    float64 `json:"sample_ml"`
	Zones       []Zone  `json:"zones"`
	AccelS      float64 `json:"accel_s"`
	HoldS       float64 `json:"hold_s"`
	DecelS      float64 `json:"decel_s"`
	DurationS   float64 `json:"duration_s"`
	TubesPerRun int     `json:"tubes_per_run"`
	// TimesS are the stored time levels (At interpolates between them).
	TimesS []float64 `json:"times_s"`
	// CentersM are the medium cells' centres.
	CentersM []float64    `json:"centers_m"`
	Medium   MediumReport `json:"medium"`
	// ExosomePeak is the 1-based fraction holding most exosomes (0 when
	// the sample has none); ExosomeRich the contiguous fractions around
	// it holding at least half the peak's exosomes.
	ExosomePeak int      `json:"exosome_peak_fraction"`
	ExosomeRich []int    `json:"exosome_rich_fractions"`
	Species     []string `json:"species"`
	// Equilibrated is, per species, the share of its particles (in the
	// liquid at the end) whose distance from their isopycnic point has
	// decayed by at least e³ (relaxation number ∫|∂v/∂r|dt ≥ 3), or that
	// pelleted or floated.
	Equilibrated map[string]float64 `json:"equilibrated_share"`
	Warnings     []string           `json:"warnings"`
	Notes        []string           `json:"notes"`

	med       *Medium
	h         float64
	omega     float64
	w2        []float64   // ∫ω²dt over each step
	rho, eta  [][]float64 // per level, per cell
	conc      [][]float64
	spec      []speciesRun
	logs      [2]pathLog // scratch for node: the previous and the current slice's substeps
	fractions []Fraction
}

type speciesRun struct {
	id    string
	nodes []nodeRun
}

type nodeRun struct {
	s     NodeSample
	parts []partRun
	relax float64 // ∫ −∂v/∂r dt over the run (at the part's mean), for Equilibrated
}

// partRun is one Gaussian packet: its weight within the node and its
// trajectory per time level: mean, own variance, pelleted and floated
// shares, and the mean's sensitivities to the particle's density
// (sRho = ∂r̄/∂ρp) and diameter (sDia = ∂r̄/∂d).
type partRun struct {
	w                                float64
	mean, vari, pel, flo, sRho, sDia []float64
}

// spreadVar is the variance the node's cell adds to a packet with
// sensitivities sRho, sDia: (sRho·σρ)² + (sDia·σd)² (the cell mapped
// linearly onto radius).
func (nd *NodeSample) spreadVar(sRho, sDia float64) float64 {
	a, b := sRho*nd.DensitySDKgM3, sDia*nd.DiameterSDM
	return a*a + b*b
}

// Compute runs p on sample with the default library.
func Compute(p Params, sample Sample) (*Run, error) {
	l, err := Default()
	if err != nil {
		return nil, err
	}
	return l.Compute(p, sample)
}

// Compute validates p and computes the run: the medium's Lamm equation on a
// fixed grid, then every node of every species as Gaussian packets
// through the medium's evolving density and viscosity.
func (l *Library) Compute(p Params, sample Sample) (*Run, error) {
	if probs := l.Validate(p); len(probs) > 0 {
		return nil, probs
	}
	r, _ := l.Catalog.Rotors.Find(p.Rotor)
	m := l.Media[p.Medium]
	celsius := p.temperature()
	rpm := p.RPM
	if p.RCF > 0 {
		c := rotor.AtMax
		if p.RCFAt != "" {
			c, _ = rotor.ParseConvention(p.RCFAt)
		}
		rpm = rotor.RPMForRCF(p.RCF, r.RadiusM(c))
	}
	ramp := math.Max(l.RampMinS, l.RampSPer100kRPM*rpm/1e5)
	run := &Run{Params: p, Rotor: r.Name, RPM: rpm, RCFAvg: rotor.RCF(rpm, r.RadiusM(rotor.AtAvg)), RCFMax: rotor.RCF(rpm, r.RMaxM),
		TemperatureC: celsius, AccelS: ramp, DecelS: ramp, HoldS: p.Minutes * 60, TubesPerRun: r.TubeCount,
		med: m, omega: rotor.Omega(rpm), Notes: append([]string(nil), runNotes...), Equilibrated: map[string]float64{}}
	if p.AccelMinutes != nil {
		run.AccelS = *p.AccelMinutes * 60
	}
	if p.DecelMinutes != nil {
		run.DecelS = *p.DecelMinutes * 60
	}
	run.DurationS = run.AccelS + run.HoldS + run.DecelS
	if err := run.layout(l, r, sample); err != nil {
		return nil, err
	}
	c0 := run.initialConcentration(l, r, sample)
	run.timeGrid()
	run.solveMedium(c0)
	run.mediumReport(c0)
	zTop, zBot := run.sampleZone()
	for _, sp := range sample.Species {
		sr := speciesRun{id: sp.ID}
		for _, nd := range sp.Nodes {
			sr.nodes = append(sr.nodes, run.node(nd, zTop, zBot))
		}
		run.spec = append(run.spec, sr)
		run.Species = append(run.Species, sp.ID)
	}
	run.logs = [2]pathLog{}
	run.fractions = run.computeFractions()
	run.findExosomes()
	run.equilibrated()
	return run, nil
}

// layout places the zones: top-loaded sample, gradient (or layers),
// cushion, from the meniscus down to r_max (tube of constant
// cross-section A = V_tube/(r_max − r_min)).
func (run *Run) layout(l *Library, r rotor.Rotor, sample Sample) error {
	p := run.Params
	run.AreaM2 = r.TubeVolumeM3 / (r.RMaxM - r.RMinM)
	run.SampleML = p.sampleML(l, r)
	type z struct {
		name string
		ml   float64
	}
	var zs []z
	if p.loadMode() == LoadTop {
		zs = append(zs, z{"sample", run.SampleML})
	}
	switch p.shape() {
	case ShapeStep:
		for i, ly := range p.Layers {
			zs = append(zs, z{fmt.Sprintf("layer %d", i+1), ly.VolumeML})
		}
	default:
		zs = append(zs, z{"gradient", p.gradientML(l, r)})
	}
	if p.CushionML > 0 {
		zs = append(zs, z{"cushion", p.CushionML})
	}
	var total float64
	for _, x := range zs {
		total += x.ml
	}
	run.BottomM = r.RMaxM
	run.MeniscusM = r.RMaxM - total*1e-6/run.AreaM2
	top := run.MeniscusM
	for _, x := range zs {
		bot := top + x.ml*1e-6/run.AreaM2
		run.Zones = append(run.Zones, Zone{x.name, top, bot})
		top = bot
	}
	run.Zones[len(run.Zones)-1].BottomRadiusM = r.RMaxM
	if total < r.TubeVolumeM3*1e6*0.5 {
		run.Warnings = append(run.Warnings, fmt.Sprintf("the %s tube is only %.0f %% full", r.Name, 100*total/(r.TubeVolumeM3*1e6)))
	}
	n := gridCells
	run.h = (run.BottomM - run.MeniscusM) / float64(n)
	run.CentersM = make([]float64, n)
	for i := range run.CentersM {
		run.CentersM[i] = run.MeniscusM + (float64(i)+0.5)*run.h
	}
	return nil
}

// concOf returns the mass concentration for a density or a percentage.
func (run *Run) concOf(gPerML, pct float64) float64 {
	if pct != 0 {
		return run.med.ConcentrationForPercent(pct)
	}
	c, _ := run.med.ConcentrationForDensity(gPerML*1e3, run.TemperatureC)
	return c
}

// initialConcentration is the solute's starting profile, cell averages
// (each cell sampled at 16 points, so zone boundaries inside a cell give
// the right average). A linear gradient is linear in concentration, as a
// gradient maker mixes two solutions by volume; the top-loaded sample is
// given the concentration whose density equals its liquid's (0 when its
// liquid is lighter than water: its solutes are not the medium's, but
// only its density matters to the particles).
func (run *Run) initialConcentration(l *Library, r rotor.Rotor, sample Sample) []float64 {
	p := run.Params
	cSample := 0.0
	if sample.LiquidDensityKgM3 > 0 {
		if c, ok := run.med.ConcentrationForDensity(sample.LiquidDensityKgM3, run.TemperatureC); ok {
			cSample = c
		}
	}
	cFrom := run.concOf(p.FromDensityGPerML, p.FromPercent)
	cTo := cFrom
	if p.shape() == ShapeLinear {
		cTo = run.concOf(p.ToDensityGPerML, p.ToPercent)
	}
	cCush := 0.0
	if p.CushionML > 0 {
		cCush = run.concOf(p.CushionDensityGPerML, p.CushionPercent)
	}
	// Each zone's concentration (a gradient's at its top, rising to cTo).
	zc := make([]float64, len(run.Zones))
	for k, zn := range run.Zones {
		switch zn.Name {
		case "sample":
			zc[k] = cSample
		case "cushion":
			zc[k] = cCush
		case "gradient":
			zc[k] = cFrom
		default:
			var i int
			fmt.Sscanf(zn.Name, "layer %d", &i)
			ly := p.Layers[i-1]
			zc[k] = run.concOf(ly.DensityGPerML, ly.Percent)
		}
	}
	at := func(x float64) float64 {
		for k, zn := range run.Zones {
			if x > zn.BottomRadiusM && k < len(run.Zones)-1 {
				continue
			}
			if zn.Name == "gradient" {
				f := (x - zn.TopRadiusM) / (zn.BottomRadiusM - zn.TopRadiusM)
				return cFrom + f*(cTo-cFrom)
			}
			return zc[k]
		}
		return cCush
	}
	c := make([]float64, gridCells)
	const sub = 16
	for i := range c {
		var s float64
		for j := 0; j < sub; j++ {
			s += at(run.MeniscusM + (float64(i)+(float64(j)+0.5)/sub)*run.h)
		}
		c[i] = s / sub
	}
	return c
}

// omegaSq is ω² at time t (linear speed ramps).
func (run *Run) omegaSq(t float64) float64 {
	w := run.omega
	switch {
	case t < run.AccelS:
		w *= t / run.AccelS
	case t > run.AccelS+run.HoldS:
		w *= math.Max(0, 1-(t-run.AccelS-run.HoldS)/run.DecelS)
	}
	return w * w
}

// w2Integral is ∫ω²dt over [a, b] within one phase (exact for the linear
// ramps: ω² is quadratic in t there; Simpson's rule is exact).
func (run *Run) w2Integral(a, b float64) float64 {
	return (b - a) / 6 * (run.omegaSq(a) + 4*run.omegaSq((a+b)/2) + run.omegaSq(b))
}

// timeGrid lays out the time levels: rampLevels per ramp, holdLevels
// over the hold.
func (run *Run) timeGrid() {
	ts := []float64{0}
	add := func(t0, dur float64, n int) {
		if dur <= 0 {
			return
		}
		for k := 1; k <= n; k++ {
			ts = append(ts, t0+dur*float64(k)/float64(n))
		}
	}
	add(0, run.AccelS, rampLevels)
	add(run.AccelS, run.HoldS, holdLevels)
	add(run.AccelS+run.HoldS, run.DecelS, rampLevels)
	run.TimesS = ts
	run.w2 = make([]float64, len(ts)-1)
	for k := range run.w2 {
		run.w2[k] = run.w2Integral(ts[k], ts[k+1])
	}
}

// solveMedium advances the solute's Lamm equation over the time levels
// and stores density and viscosity per level: BDF2 (fvSolver.bdf2) while
// consecutive steps differ in length by at most a factor 2, backward
// Euler otherwise (the first step, the ramps' edges). The solute's s and
// D depend on the local concentration (buoyancy ∂ρ/∂c) and are taken at
// c + ω(c − c⁻), ω the step ratio: the extrapolation keeps the scheme
// second order (backward Euler steps use c).
func (run *Run) solveMedium(c0 []float64) {
	n := gridCells
	c := append([]float64(nil), c0...)
	fv := newFV(n, run.h)
	v := make([]float64, n-1)
	d := make([]float64, n-1)
	seg := make([]int, n)  // table segment per face
	cseg := make([]int, n) // per cell
	ft := run.med.at(run.TemperatureC)
	levels := len(run.TimesS)
	run.conc = make([][]float64, 0, levels)
	run.rho = make([][]float64, 0, levels)
	run.eta = make([][]float64, 0, levels)
	store := func() {
		rho, eta := make([]float64, n), make([]float64, n)
		for i, x := range c {
			cseg[i] = segmentFrom(ft.m.c, x, cseg[i])
			rho[i] = ft.densityIn(x, cseg[i])
			eta[i] = ft.viscosityIn(x, cseg[i])
		}
		run.conc = append(run.conc, append([]float64(nil), c...))
		run.rho = append(run.rho, rho)
		run.eta = append(run.eta, eta)
	}
	store()
	cPrev := append([]float64(nil), c...)
	cStar := make([]float64, n)
	saved := make([]float64, n)
	dtPrev := 0.0
	for k := range run.w2 {
		nsub := mediumSubsteps
		dtl := run.TimesS[k+1] - run.TimesS[k]
		dt := dtl / float64(nsub)
		w2 := run.w2[k] / dtl
		for sub := 0; sub < nsub; sub++ {
			w := 0.0
			if dtPrev > 0 && dt <= 2*dtPrev && dt >= dtPrev/2 {
				w = dt / dtPrev
			}
			for i := range c {
				cStar[i] = c[i] + w*(c[i]-cPrev[i])
			}
			for i := 0; i < n-1; i++ {
				cf := (cStar[i] + cStar[i+1]) / 2
				rf := run.MeniscusM + float64(i+1)*run.h
				seg[i] = segmentFrom(ft.m.c, cf, seg[i])
				sed, dif := ft.sedDiffIn(cf, seg[i])
				v[i] = sed * w2 * rf
				d[i] = dif
			}
			copy(saved, c)
			if w > 0 {
				fv.bdf2(c, cPrev, cStar, v, d, dt, dtPrev)
			} else {
				fv.step(c, v, d, dt)
			}
			copy(cPrev, saved)
			dtPrev = dt
		}
		store()
	}
}

// equilibriumConcentration solves the zero-flux condition at full speed,
// dc/dr = Medium.EquilibriumSlope, for the profile holding the same mass
// as c0 (shooting on the top concentration in ln c: Illinois false
// position on the bisection bracket, to its width 60/2⁴⁸ ≈ 2e-13 or a
// mass matched to 1e-15; midpoint rule per cell).
func (run *Run) equilibriumConcentration(c0 []float64) []float64 {
	n := len(c0)
	var mass float64
	for _, x := range c0 {
		mass += x
	}
	out := make([]float64, n)
	if mass <= 0 {
		return out
	}
	ft := run.med.at(run.TemperatureC)
	F := func(y float64) float64 { return run.equilibriumProfile(ft, math.Exp(y), out) - mass }
	lo, hi := math.Log(mass/float64(n))-60, math.Log(mass/float64(n))
	flo, fhi := F(lo), F(hi)
	side := 0
	for it := 0; it < 200 && hi-lo > 60/math.Exp2(48); it++ {
		mid := (lo + hi) / 2 // bisection where false position is undefined
		if fhi != flo {
			mid = hi - fhi*(hi-lo)/(fhi-flo)
		}
		if !(mid > lo && mid < hi) {
			mid = (lo + hi) / 2
		}
		fm := F(mid)
		if math.Abs(fm) <= 1e-15*mass {
			lo, hi = mid, mid
			break
		}
		if fm < 0 {
			lo, flo = mid, fm
			if side == -1 {
				fhi /= 2 // Illinois: the end kept twice is halved
			}
			side = -1
		} else {
			hi, fhi = mid, fm
			if side == 1 {
				flo /= 2
			}
			side = 1
		}
	}
	run.equilibriumProfile(ft, math.Exp((lo+hi)/2), out)
	return out
}

// equilibriumProfile fills out with the equilibrium profile from cTop at
// the top cell down (midpoint rule per cell) and returns its mass Σc.
func (run *Run) equilibriumProfile(ft fixedT, cTop float64, out []float64) float64 {
	w2 := run.omega * run.omega
	seg := 0
	c := cTop
	var s float64
	for i := range out {
		out[i] = c
		s += c
		r := run.CentersM[i]
		seg = segmentFrom(ft.m.c, c, seg)
		cm := c + ft.equilibriumSlopeIn(c, w2*r, seg)*run.h/2
		seg = segmentFrom(ft.m.c, cm, seg)
		c += ft.equilibriumSlopeIn(cm, w2*(r+run.h/2), seg) * run.h
	}
	return s
}

func (run *Run) mediumReport(c0 []float64) {
	m := run.med
	var mean float64
	for _, x := range c0 {
		mean += x / float64(len(c0))
	}
	rep := MediumReport{ID: m.ID, Name: m.Name, DiffusionM2S: m.SoluteDiffusionM2S(mean, run.TemperatureC), SedimentationS: m.SedimentationS(mean, run.TemperatureC)}
	L := run.BottomM - run.MeniscusM
	rAvg := (run.BottomM + run.MeniscusM) / 2
	vd := rep.SedimentationS * run.omega * run.omega * rAvg
	rep.RelaxationTimeS = 1 / (math.Pi*math.Pi*rep.DiffusionM2S/(L*L) + vd*vd/(4*rep.DiffusionM2S))
	ceq := run.equilibriumConcentration(c0)
	rep.EquilibriumDensityKgM3 = make([]float64, len(ceq))
	for i, x := range ceq {
		rep.EquilibriumDensityKgM3[i] = m.DensityKgM3(x, run.TemperatureC)
	}
	dist := func(c []float64) float64 {
		var s float64
		for i := range c {
			s += math.Abs(c[i] - ceq[i])
		}
		return s
	}
	d0 := dist(c0)
	approach := func(k int) float64 {
		if d0 == 0 {
			return 1
		}
		return 1 - dist(run.conc[k])/d0
	}
	// Levels at full speed: the hold's.
	first := 0
	for first < len(run.TimesS) && run.TimesS[first] < run.AccelS-1e-9 {
		first++
	}
	last := first
	for last+1 < len(run.TimesS) && run.TimesS[last+1] <= run.AccelS+run.HoldS+1e-9 {
		last++
	}
	rep.ApproachAtEnd = approach(last)
	rep.FormationTime90S = -1
	for k := first; k <= last; k++ {
		if approach(k) >= 0.9 {
			if k == first {
				rep.FormationTime90S = 0
			} else {
				a0, a1 := approach(k-1), approach(k)
				f := (0.9 - a0) / (a1 - a0)
				rep.FormationTime90S = run.TimesS[k-1] + f*(run.TimesS[k]-run.TimesS[k-1]) - run.AccelS
			}
			break
		}
	}
	if rep.FormationTime90S < 0 {
		rep.Extrapolated = true
		// 1 − A decays as e^(−λt); λ from the last two hold levels, or
		// the analytic relaxation time when that gives nothing useful.
		lam := 1 / rep.RelaxationTimeS
		if last > first {
			g0, g1 := 1-approach(last-1), 1-approach(last)
			if g0 > 0 && g1 > 0 && g1 < g0 {
				lam = math.Log(g0/g1) / (run.TimesS[last] - run.TimesS[last-1])
			}
		}
		g := 1 - rep.ApproachAtEnd
		rep.FormationTime90S = run.HoldS + math.Max(0, math.Log(g/0.1))/lam
	}
	run.Medium = rep
}

// sampleZone is the radial span the sample starts in.
func (run *Run) sampleZone() (top, bottom float64) {
	if run.Params.loadMode() == LoadTop {
		return run.Zones[0].TopRadiusM, run.Zones[0].BottomRadiusM
	}
	// Bottom load: the last SampleML of the densest layer above the
	// cushion.
	k := len(run.Zones) - 1
	if run.Zones[k].Name == "cushion" {
		k--
	}
	bottom = run.Zones[k].BottomRadiusM
	return bottom - run.SampleML*1e-6/run.AreaM2, bottom
}

// local returns, at radius r in level k's medium, u = s·r (so that the
// radial velocity is ω²u), ∂u/∂r and the particle's diffusion
// coefficient D = k_B T/(3πηd) (Stokes–Einstein).
func (run *Run) local(k int, r, d, rhoP float64) (u, du, D float64) {
	p := run.particle(d, rhoP)
	return p.local(run.rho[k], run.eta[k], r)
}

// particleIn is one particle kind in the run's grid, with what local
// needs precomputed: ρm and η are interpolated linearly between cell
// centres (held at the end cells' slopes beyond them), and
//
//	s = a(ρp − ρm)/η,  a = d²/18,   ∂s/∂r = a·[−ρm'/η − (ρp − ρm)η'/η²],
//	D = k_B T/(3πηd).
type particleIn struct {
	r0, invH, a, rhoP, kTd, twoOverD float64
}

func (run *Run) particle(d, rhoP float64) particleIn {
	return particleIn{r0: run.MeniscusM + run.h/2, invH: 1 / run.h, a: d * d / 18, rhoP: rhoP,
		kTd: Boltzmann * (run.TemperatureC + Kelvin) / (3 * math.Pi * d), twoOverD: 2 / d}
}

func (p *particleIn) local(rho, eta []float64, r float64) (u, du, D float64) {
	x := (r - p.r0) * p.invH
	i := 0 // NaN too
	if last := len(rho) - 2; x >= float64(last) {
		i = last
	} else if x > 0 {
		i = int(x)
	}
	t := x - float64(i)
	dr, de := rho[i+1]-rho[i], eta[i+1]-eta[i]
	rm := rho[i] + t*dr
	em := eta[i] + t*de
	if em < eta[i]*1e-3 { // guard extrapolation beyond the ends
		em = eta[i] * 1e-3
	}
	ie := 1 / em
	b := p.a * ie
	ex := p.rhoP - rm
	s := b * ex
	ds := -b * p.invH * (dr + ex*de*ie)
	return s * r, ds*r + s, p.kTd * ie
}

// restCells is how near (in medium cells) a packet must be to its
// buoyant point for rest to take it there (0: rest off).
var restCells = 0.25

// rest is the step over a whole level (∫ω²dt = W, duration dt) of a
// packet at rest: when a stable buoyant point r* (ρm(r*) = ρp with ρm
// rising; linear interpolation, so r* is exact within a cell) lies
// within restCells of the mean m and the step is stiff there (x =
// u'(r*)·W < stiffX), the exponential midpoint step reduces to two
// Newton steps on u(r) = 0 and the variance forgets its past:
//
//	m → r* (the Newton error from |m − r*| ≤ h/4 is of order
//	(K·h/4)²·h/4 for K = u''/(2u')·h, far below the grid's),
//	σ² → D(r*)·dt/(−x),  relaxation += −x,
//	∂r̄/∂ρp → 1/ρm'(r*),  ∂r̄/∂d → 0,
//
// which is what trajectory's substep gives (the mean to rounding, the
// variance to 1e-4 relative: TestRestMatchesSubsteps), without its two
// local evaluations and exponentials. r* depends only on ρp and the
// level, not on the diameter, so every slice of a node at rest arrives
// at the same r* and σ², bit for bit, and the slices behind follow the
// first (see node). ok is false when no such r* is near.
func (p *particleIn) rest(rho, eta []float64, m, W, dt float64) (r, vari, relax, sRho float64, ok bool) {
	x := (m - p.r0) * p.invH
	if !(x >= 0) || x >= float64(len(rho)-1) { // NaN too
		return 0, 0, 0, 0, false
	}
	i := int(x)
	h := 1 / p.invH
	for j := max(i-1, 0); j <= min(i+1, len(rho)-2); j++ {
		dr := rho[j+1] - rho[j]
		if !(dr > 0) {
			continue
		}
		t := (p.rhoP - rho[j]) / dr
		if t < 0 || t > 1 {
			continue
		}
		r = p.r0 + (float64(j)+t)*h
		if !(math.Abs(r-m) < restCells*h) {
			continue
		}
		ie := 1 / (eta[j] + t*(eta[j+1]-eta[j]))
		xs := -p.a * ie * p.invH * dr * r * W // u'(r*)·W: s = 0 there
		if xs >= stiffX {
			return 0, 0, 0, 0, false
		}
		return r, p.kTd * ie * dt / -xs, -xs, h / dr, true
	}
	return 0, 0, 0, 0, false
}

// stiffX is the argument below which eˣ (< 4.3e-18) is dropped against 1:
// (eˣ − 1)/x = −1/x to rounding.
const stiffX = -40

// phi is (eˣ − 1)/x, 1 at 0. trajectory's substep evaluates phi and
// phiPair in place, by hand, with the same branches (a call is dear in
// wasm); keep them in step.
func phi(x float64) float64 {
	switch {
	case x < stiffX:
		return -1 / x
	case math.Abs(x) < 0.05:
		return phiSeries(x)
	}
	return fastexp.Expm1(x) / x
}

// phiSeries is (eˣ − 1)/x by its Taylor series to x⁷/8!; for |x| < 0.05
// the first omitted term, x⁸/9!, is below 1.1e-16 relative.
func phiSeries(x float64) float64 {
	return 1 + x*(1.0/2+x*(1.0/6+x*(1.0/24+x*(1.0/120+x*(1.0/720+x*(1.0/5040+x*(1.0/40320)))))))
}

// phiPair returns φ(x), φ(2x) and e^(2x) (φ(x) = (eˣ − 1)/x) from at
// most one exponential: the series below |2x| = 0.05, expm1 up to
// |x| = 0.5 (e^(2x) − 1 = E(E + 2), E = eˣ − 1), exp beyond (where
// eˣ − 1 does not cancel); below stiffX none (e^(2x) < 2e-35 taken as 0).
func phiPair(x float64) (p1, p2, e2 float64) {
	ax := math.Abs(x)
	switch {
	case x < stiffX:
		p1 = -1 / x
		return p1, p1 / 2, 0
	case ax < 0.025:
		p2 = phiSeries(2 * x)
		return phiSeries(x), p2, 1 + 2*x*p2
	case ax <= 0.5:
		E := fastexp.Expm1(x)
		E2 := E * (E + 2)
		return E / x, E2 / (2 * x), 1 + E2
	default:
		ex := fastexp.Exp(x)
		e2 = ex * ex
		return (ex - 1) / x, (e2 - 1) / (2 * x), e2
	}
}

// upperTail is P(Z > z) for a standard normal Z.
func upperTail(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// node carries one node's packets through the run. The sample zone
// [zTop, zBot] is cut into slices, each a Gaussian of the slice's mean
// and variance (width²/12). A slice whose mean and variance become
// bit-for-bit those of the slice before it (neighbours converge where
// the flow contracts, at rest near the buoyant density) follows that
// slice's recorded substeps from then on instead of recomputing them:
// the same arithmetic on the same numbers, so the result is identical;
// only its own wall shares are evaluated.
func (run *Run) node(nd NodeSample, zTop, zBot float64) nodeRun {
	nr := nodeRun{s: nd}
	L := run.BottomM - run.MeniscusM
	k := int(math.Ceil((zBot - zTop) / (L / sliceDivisions)))
	k = min(max(k, 1), maxSlices)
	width := (zBot - zTop) / float64(k)
	levels := len(run.TimesS)
	slab := make([]float64, 6*levels*k)
	nr.parts = make([]partRun, 0, k)
	pa := run.particle(nd.DiameterM, nd.DensityKgM3)
	logs := &run.logs
	if len(logs[0].first) != levels {
		for i := range logs {
			logs[i].first = make([]int, levels)
		}
	}
	for j := 0; j < k; j++ {
		b := slab[6*levels*j:]
		pr := partRun{w: 1 / float64(k), mean: b[:levels:levels], vari: b[levels : 2*levels : 2*levels],
			pel: b[2*levels : 3*levels : 3*levels], flo: b[3*levels : 4*levels : 4*levels],
			sRho: b[4*levels : 5*levels : 5*levels], sDia: b[5*levels : 6*levels : 6*levels]}
		m := zTop + (float64(j)+0.5)*width
		v := width * width / 12
		var lead *partRun
		if j > 0 {
			lead = &nr.parts[j-1]
		}
		relax := run.trajectory(&pr, &pa, &nd, m, v, lead, &logs[(j+1)%2], &logs[j%2])
		nr.relax += pr.w * relax
		nr.parts = append(nr.parts, pr)
	}
	return nr
}

// pathLog records a packet's substeps: after each, the mean, the
// variance and the relaxation added; first[k] is the first substep of
// the step to level k + 1.
type pathLog struct {
	first []int
	steps []loggedStep
}

type loggedStep struct{ m, vari, relax, sRho, sDia float64 }

// wallZ is the distance to a wall, in standard deviations, beyond which
// the tail is not evaluated: P(Z > 9) ≈ 1.1e-19, far below any share
// reported (and below the 1e-9 to which particles are conserved).
const wallZ = 9

// trajectory integrates one packet: the mean by dr/dt = ω²(t)·u(r), the
// variance by dσ²/dt = 2D(r̄) + 2ω²(t)·u'(r̄)·σ² (the linearised
// Ornstein–Uhlenbeck moment equations), each substep by the exponential
// midpoint rule (exact when u is linear in r; stable for any stiffness),
// the displacement per substep held to maxStepCells medium cells. Mass
// beyond the tube bottom is pelleted, beyond the meniscus floated
// (absorbing walls; the starting overlap with a wall is not counted). It
// returns the relaxation number ∫ max(0, −ω²u') dt.
//
// The substeps are recorded in rec; from the first level where the
// packet's mean and variance equal lead's (lead's substeps in leadLog),
// it replays lead's substeps instead of computing them (nil: no lead).
func (run *Run) trajectory(pr *partRun, pa *particleIn, nd *NodeSample, m, vari float64, lead *partRun, leadLog, rec *pathLog) float64 {
	rt, rb := run.MeniscusM, run.BottomM
	sig := math.Sqrt(vari)
	qt0, qb0 := upperTail((m-rt)/sig), upperTail((rb-m)/sig)
	var pel, flo, relax float64
	var sR, sD float64 // ∂r̄/∂ρp, ∂r̄/∂d: 0 at the start (all start alike)
	// A wall's tail can only raise pel (flo) when the packet is nearer to
	// it, in standard deviations, than ever before: the tail falls with z
	// and the cap 1 − flo (1 − pel) never rises. zb, zt are those minima.
	zbMin, ztMin := float64(wallZ), float64(wallZ)
	// stiff: the last computed substep was (rest is only tried then).
	done, following, stiff := false, false, false
	maxDisp := maxStepCells * run.h
	lastCell := float64(len(run.rho[0]) - 2)
	pr.mean[0], pr.vari[0], pr.sRho[0], pr.sDia[0] = m, vari, 0, 0
	rec.steps = rec.steps[:0]
	for k := range run.w2 {
		rec.first[k] = len(rec.steps)
		if lead != nil && !following && !done && m == lead.mean[k] && vari == lead.vari[k] && sR == lead.sRho[k] && sD == lead.sDia[k] {
			following = true // both inside the column: lead is not done either
		}
		W := run.w2[k]
		dt := run.TimesS[k+1] - run.TimesS[k]
		rho, eta := run.rho[k+1], run.eta[k+1]
		rem := 1.0
		next := 0
		if following {
			next = leadLog.first[k]
		}
		for !done {
			var dRelax float64
			if following {
				if next == len(leadLog.steps) || (k+1 < len(run.w2) && next == leadLog.first[k+1]) {
					break
				}
				st := leadLog.steps[next]
				next++
				m, vari, dRelax, sR, sD = st.m, st.vari, st.relax, st.sRho, st.sDia
			} else if rem <= 1e-12 {
				break
			} else {
				rested := false
				if stiff && rem == 1 {
					var r, vr, dr, sr float64
					if r, vr, dr, sr, rested = pa.rest(rho, eta, m, W, dt); rested {
						m, vari, dRelax, sR, sD, rem = r, vr, dr, sr, 0, 0
					}
				}
				if !rested {
					var u0, u1 float64
					{
						// particleIn.local at m, by hand (calls are dear in wasm).
						x := (m - pa.r0) * pa.invH
						i := 0 // NaN too
						if x >= lastCell {
							i = int(lastCell)
						} else if x > 0 {
							i = int(x)
						}
						t := x - float64(i)
						r0, r1, e0, e1 := rho[i], rho[i+1], eta[i], eta[i+1]
						dr, de := r1-r0, e1-e0
						em := e0 + t*de
						if em < e0*1e-3 {
							em = e0 * 1e-3
						}
						ie := 1 / em
						b := pa.a * ie
						ex := pa.rhoP - (r0 + t*dr)
						sl := b * ex
						u0, u1 = sl*m, -b*pa.invH*(dr+ex*de*ie)*m+sl
					}
					f := rem
					if disp := math.Abs(u0) * W * f; disp > maxDisp {
						f = maxDisp / (math.Abs(u0) * W)
					}
					Wf, dtf := W*f, dt*f
					// phi(xh), by hand.
					xh := u1 * Wf / 2
					var ph float64
					switch {
					case xh < stiffX:
						ph = -1 / xh
					case math.Abs(xh) < 0.05:
						ph = phiSeries(xh)
					default:
						ph = fastexp.Expm1(xh) / xh
					}
					mh := m + u0*ph*Wf/2
					var uh, u1h, Dh, bh float64
					{
						// particleIn.local at mh, by hand (calls are dear in wasm).
						x := (mh - pa.r0) * pa.invH
						i := 0 // NaN too
						if x >= lastCell {
							i = int(lastCell)
						} else if x > 0 {
							i = int(x)
						}
						t := x - float64(i)
						r0, r1, e0, e1 := rho[i], rho[i+1], eta[i], eta[i+1]
						dr, de := r1-r0, e1-e0
						em := e0 + t*de
						if em < e0*1e-3 {
							em = e0 * 1e-3
						}
						ie := 1 / em
						b := pa.a * ie
						ex := pa.rhoP - (r0 + t*dr)
						sl := b * ex
						uh, u1h = sl*mh, -b*pa.invH*(dr+ex*de*ie)*mh+sl
						Dh, bh = pa.kTd*ie, b
					}
					// phiPair(xf), by hand.
					xf := u1h * Wf
					var p1, p2, e2 float64
					switch ax := math.Abs(xf); {
					case xf < stiffX:
						p1 = -1 / xf
						p2 = p1 / 2
					case ax < 0.025:
						p2 = phiSeries(2 * xf)
						p1, e2 = phiSeries(xf), 1+2*xf*p2
					case ax <= 0.5:
						E := fastexp.Expm1(xf)
						E2 := E * (E + 2)
						p1, p2, e2 = E/xf, E2/(2*xf), 1+E2
					default:
						ex := fastexp.Exp(xf)
						e2 = ex * ex
						p1, p2 = (ex-1)/xf, (e2-1)/(2*xf)
					}
					m += (uh + u1h*(m-mh)) * p1 * Wf
					// The sensitivities obey the mean's equation
					// differentiated: dS/dt = ω²(u'·S + ∂u/∂p), with
					// ∂u/∂ρp = r·d²/(18η) and ∂u/∂d = 2u/d (Stokes);
					// linear in S, so the same step is exact for them.
					sR += (u1h*sR + bh*mh) * p1 * Wf
					sD += (u1h*sD + pa.twoOverD*uh) * p1 * Wf
					vari = vari*e2 + 2*Dh*dtf*p2
					if u1h < 0 {
						dRelax = -u1h * Wf
					}
					stiff = u1h*Wf < stiffX
					rem -= f
				}
			}
			relax += dRelax
			rec.steps = append(rec.steps, loggedStep{m, vari, dRelax, sR, sD})
			switch {
			case m >= rb:
				pel, done = 1-flo, true
			case m <= rt:
				flo, done = 1-pel, true
			default:
				sig = math.Sqrt(vari)
				if zb := (rb - m) / sig; zb < zbMin {
					zbMin = zb
					pel = max(pel, min(1-flo, upperTail(zb)-qb0))
				}
				if zt := (m - rt) / sig; zt < ztMin {
					ztMin = zt
					flo = max(flo, min(1-pel, upperTail(zt)-qt0))
				}
			}
		}
		pr.mean[k+1], pr.vari[k+1], pr.pel[k+1], pr.flo[k+1], pr.sRho[k+1], pr.sDia[k+1] = m, vari, pel, flo, sR, sD
		if done { // all of it at a wall: nothing changes any more
			for j := k + 1; j < len(run.w2); j++ {
				rec.first[j] = len(rec.steps)
			}
			for j := k + 2; j < len(pr.mean); j++ {
				pr.mean[j], pr.vari[j], pr.pel[j], pr.flo[j], pr.sRho[j], pr.sDia[j] = m, vari, pel, flo, sR, sD
			}
			break
		}
	}
	return relax
}
