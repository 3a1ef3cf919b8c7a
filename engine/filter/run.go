package filter

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// What a filtration collects.
const (
	CollectPermeate  = "permeate"  // a clarifying filter: all the feed is pushed through; the filtrate is the product
	CollectRetentate = "retentate" // concentration (and diafiltration): what the membrane holds back is the product
)

// Limits of Params (Validate).
const (
	MinTMPPa                = 100   // 0.1 kPa
	MaxTMPPa                = 1e6   // 1 MPa (10 bar)
	MinShearRatePerS        = 100   // s⁻¹
	MaxShearRatePerS        = 50000 // s⁻¹
	MaxFeedM3               = 0.1   // 100 L
	MaxDiafiltrationVolumes = 20
	MaxDiameterM            = 100e-6
	MinSamples, MaxSamples  = 4, 100000
	// DefaultSamples is the number of samples of a run's series.
	DefaultSamples             = 32
	MinTolerance, MaxTolerance = 1e-9, 0.1
	MaxMinSteps                = 1000000
)

// Particle is one class of particles fed to the filter: a diameter, how
// many there are in the feed, and whether they are deformable vesicles.
type Particle struct {
	Species    string  `json:"species,omitempty"`
	DiameterM  float64 `json:"diameter_m"`
	Count      float64 `json:"count"`
	Deformable bool    `json:"deformable"`
}

// Params is one filtration. SI units.
type Params struct {
	Membrane Membrane
	Module   Module // its Mode is the filtration mode (deadend or tff)
	Process  Process
	// TMPPa is the transmembrane pressure, held constant.
	TMPPa float64
	// FeedVolumeM3 is the volume fed.
	FeedVolumeM3 float64
	// Collect is CollectPermeate or CollectRetentate.
	Collect string
	// FinalVolumeM3 is the retentate volume at the end of concentration
	// (CollectRetentate; 0 < final < feed). Concentration factor =
	// feed/final.
	FinalVolumeM3 float64
	// DiafiltrationVolumes is the buffer exchanged at the final volume, in
	// units of that volume (CollectRetentate only).
	DiafiltrationVolumes float64
	// ViscosityPas and TemperatureC describe the liquid.
	ViscosityPas float64
	TemperatureC float64
	// ShearRatePerS is the wall shear rate in the fibres (tff only; 0 uses
	// Process.DefaultShearRatePerS).
	ShearRatePerS float64
	Particles     []Particle
	// Samples is the number of samples of the series, at equal volumes of
	// permeate (0: DefaultSamples); they are interpolated within the
	// volume steps, which the error control sizes.
	Samples int
	// Tolerance bounds each volume step's estimated error: the first-order
	// predictor's, relative (0: DefaultTolerance; package doc). The kept
	// second-order result is far more accurate than the bound says.
	Tolerance float64
	// MinSteps, when > 0, limits each volume step to 1/MinSteps of the
	// permeate planned, the error control still on top (a reference run
	// of many small steps).
	MinSteps int
}

// Problem is one problem with Params, naming the field.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (p Problem) String() string { return "field " + p.Field + ": " + p.Message }

// Problems lists problems; as an error it prints one per line.
type Problems []Problem

func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "\n")
}

// Validate checks p and returns every problem, each naming the field and
// the allowed range.
func (p Params) Validate() Problems {
	var ps Problems
	bad := func(field, format string, a ...any) {
		ps = append(ps, Problem{field, fmt.Sprintf(format, a...)})
	}
	if err := p.Membrane.Validate(); err != nil {
		bad("membrane", "%v", err)
	}
	if err := p.Module.Validate(); err != nil {
		bad("module", "%v", err)
	}
	if !(p.TMPPa >= MinTMPPa && p.TMPPa <= MaxTMPPa) {
		bad("tmp_kpa", "%g kPa is outside the allowed range %g–%g kPa", p.TMPPa/1e3, MinTMPPa/1e3, MaxTMPPa/1e3)
	}
	if !(p.FeedVolumeM3 > 0 && p.FeedVolumeM3 <= MaxFeedM3) {
		bad("volume_ml", "%g mL is outside the allowed range: above 0 up to %g mL", p.FeedVolumeM3*1e6, MaxFeedM3*1e6)
	}
	switch p.Collect {
	case CollectPermeate:
		if p.FinalVolumeM3 != 0 {
			bad("final_volume_ml", "not used when the permeate is collected (all the feed is filtered)")
		}
		if p.DiafiltrationVolumes != 0 {
			bad("diafiltration_volumes", "not used when the permeate is collected")
		}
	case CollectRetentate:
		if !(p.FinalVolumeM3 > 0 && p.FinalVolumeM3 < p.FeedVolumeM3) {
			bad("final_volume_ml", "%g mL is outside the allowed range: above 0 and below the feed's %g mL", p.FinalVolumeM3*1e6, p.FeedVolumeM3*1e6)
		}
		if !(p.DiafiltrationVolumes >= 0 && p.DiafiltrationVolumes <= MaxDiafiltrationVolumes) {
			bad("diafiltration_volumes", "%g is outside the allowed range 0–%d", p.DiafiltrationVolumes, MaxDiafiltrationVolumes)
		}
	default:
		bad("collect", "%q is not allowed (allowed: %s, %s)", p.Collect, CollectPermeate, CollectRetentate)
	}
	if !(p.ViscosityPas >= 1e-4 && p.ViscosityPas <= 1) {
		bad("viscosity_mpas", "%g mPa·s is outside the allowed range 0.1–1000 mPa·s", p.ViscosityPas*1e3)
	}
	if !(p.TemperatureC >= 0 && p.TemperatureC <= 40) {
		bad("temperature_c", "%g °C is outside the allowed range 0–40 °C", p.TemperatureC)
	}
	if p.Module.Mode == Tangential && p.ShearRatePerS != 0 && !(p.ShearRatePerS >= MinShearRatePerS && p.ShearRatePerS <= MaxShearRatePerS) {
		bad("shear_rate_per_s", "%g s⁻¹ is outside the allowed range %d–%d s⁻¹", p.ShearRatePerS, MinShearRatePerS, MaxShearRatePerS)
	}
	if p.Module.Mode == DeadEnd && p.ShearRatePerS != 0 {
		bad("shear_rate_per_s", "only for a tangential-flow (tff) module")
	}
	if p.Samples != 0 && !(p.Samples >= MinSamples && p.Samples <= MaxSamples) {
		bad("samples", "%d is outside the allowed range %d–%d", p.Samples, MinSamples, MaxSamples)
	}
	if p.Tolerance != 0 && !(p.Tolerance >= MinTolerance && p.Tolerance <= MaxTolerance) {
		bad("tolerance", "%g is outside the allowed range %g–%g", p.Tolerance, MinTolerance, MaxTolerance)
	}
	if !(p.MinSteps >= 0 && p.MinSteps <= MaxMinSteps) {
		bad("min_steps", "%d is outside the allowed range 0–%d", p.MinSteps, MaxMinSteps)
	}
	for i, pt := range p.Particles {
		if !(pt.DiameterM > 0 && pt.DiameterM <= MaxDiameterM) {
			bad(fmt.Sprintf("particles[%d].diameter_nm", i), "%g nm is outside the allowed range: above 0 up to %g nm", pt.DiameterM*1e9, MaxDiameterM*1e9)
		}
		if !(pt.Count >= 0 && !math.IsInf(pt.Count, 0)) {
			bad(fmt.Sprintf("particles[%d].count", i), "%g must be a finite number ≥ 0", pt.Count)
		}
	}
	return ps
}

// ParticleResult is what became of one particle class. The fractions are
// of the particles fed: passed + retained + trapped = 1.
type ParticleResult struct {
	Species    string  `json:"species,omitempty"`
	DiameterNM float64 `json:"diameter_nm"`
	Deformable bool    `json:"deformable"`
	Count      float64 `json:"count"`
	// SievingCoefficient is the observed sieving coefficient (permeate
	// over bulk concentration) on the clean membrane at the start;
	// FinalSievingCoefficient at the end.
	SievingCoefficient      float64 `json:"sieving_coefficient"`
	FinalSievingCoefficient float64 `json:"final_sieving_coefficient"`
	// PassedFraction went into the permeate.
	PassedFraction float64 `json:"passed_fraction"`
	// RetainedFraction is in the retentate at the end: the liquid not
	// filtered (for a dead-end filter collecting the permeate, the module's
	// hold-up) plus the recovered share of the deposit.
	RetainedFraction float64 `json:"retained_fraction"`
	// TrappedFraction is lost on the membrane: wedged in pore mouths, or
	// in the unrecovered share of the deposit.
	TrappedFraction float64 `json:"trapped_fraction"`
	// LodgedFraction (part of trapped) plugged pores; CakeFraction went
	// into the deposit (recovered or not).
	LodgedFraction float64 `json:"lodged_fraction"`
	CakeFraction   float64 `json:"cake_fraction"`
	// DamagedFraction is the share of the particles fed that ruptured
	// squeezing through a pore smaller than themselves (counted within
	// passed).
	DamagedFraction float64 `json:"damaged_fraction"`
}

// Sample is the state of the filtration at one time.
type Sample struct {
	TimeS       float64 `json:"time_s"`
	FluxLMH     float64 `json:"flux_lmh"` // L m⁻² h⁻¹
	PermeateML  float64 `json:"permeate_ml"`
	RetentateML float64 `json:"retentate_ml"`
	// BufferML is the diafiltration buffer added so far.
	BufferML float64 `json:"buffer_ml"`
	// CakeThicknessNM is the deposit's thickness (solids / (1 − ε_c)).
	CakeThicknessNM float64 `json:"cake_thickness_nm"`
	// CakeResistancePerM and MembraneResistancePerM (the membrane's, with
	// its plugged pores) add in series: J = TMP/(μ(R_m + R_c)). With every
	// pore plugged R_m is infinite, reported as the largest float64 (JSON
	// has no infinity).
	CakeResistancePerM     float64 `json:"cake_resistance_per_m"`
	MembraneResistancePerM float64 `json:"membrane_resistance_per_m"`
	// PoresBlockedFraction is the share of pores plugged by lodged
	// particles; FlowBlockedFraction their share of the clean flow.
	PoresBlockedFraction float64 `json:"pores_blocked_fraction"`
	FlowBlockedFraction  float64 `json:"flow_blocked_fraction"`
	// MembranePressureKPa is the pressure across the membrane itself (TMP
	// less the drop across the deposit).
	MembranePressureKPa float64 `json:"membrane_pressure_kpa"`
	// Phase is "filtration", "concentration" or "diafiltration".
	Phase string `json:"phase"`
}

// Result is one filtration, JSON-serialisable, units in the field names.
type Result struct {
	Membrane Membrane `json:"membrane"`
	Module   Module   `json:"module"`
	Mode     string   `json:"mode"`
	Collect  string   `json:"collect"`
	TMPKPa   float64  `json:"tmp_kpa"`
	AreaCM2  float64  `json:"area_cm2"`
	// CleanWaterLMHPerBar is the membrane's permeability for the liquid
	// filtered (L m⁻² h⁻¹ bar⁻¹), from its pores (Hagen–Poiseuille).
	CleanWaterLMHPerBar float64 `json:"clean_water_lmh_per_bar"`
	PoreRadiusNM        float64 `json:"pore_radius_nm"` // median
	PoreDensityPerCM2   float64 `json:"pore_density_per_cm2"`
	// PoreRadiiNM is a sample of the pore radii at equal-probability
	// quantiles, smallest first (for drawing the membrane to scale).
	PoreRadiiNM []float64   `json:"pore_radii_nm"`
	Pores       []PoreClass `json:"pore_classes"`
	// Tangential flow: wall shear rate, wall shear stress μγ, mean
	// velocity in a fibre γd/8, feed flow through the module.
	ShearRatePerS        float64 `json:"shear_rate_per_s,omitempty"`
	WallShearStressPa    float64 `json:"wall_shear_stress_pa,omitempty"`
	CrossflowVelocityMS  float64 `json:"crossflow_velocity_m_per_s,omitempty"`
	FeedFlowMLPerMin     float64 `json:"feed_flow_ml_per_min,omitempty"`
	FeedML               float64 `json:"feed_ml"`
	PermeateML           float64 `json:"permeate_ml"`
	RetentateML          float64 `json:"retentate_ml"`
	BufferML             float64 `json:"buffer_ml"`
	ConcentrationFactor  float64 `json:"concentration_factor"`
	DiafiltrationVolumes float64 `json:"diafiltration_volumes"`
	Minutes              float64 `json:"minutes"`
	FluxLMHInitial       float64 `json:"flux_lmh_initial"`
	FluxLMHFinal         float64 `json:"flux_lmh_final"`
	// Clogged is set when the flux fell to 0.1 % of its start (the run
	// stops there) or the time limit was reached before the planned volume
	// was filtered.
	Clogged bool `json:"clogged"`
	// VolumeSteps is the number of volume steps taken (accepted by the
	// error control).
	VolumeSteps int              `json:"volume_steps"`
	Warnings    []string         `json:"warnings,omitempty"`
	Particles   []ParticleResult `json:"particles"`
	Series      []Sample         `json:"series"`
}

// At returns the state at time tS, interpolated linearly between the
// samples (clamped to the first and last). Phase is the earlier sample's.
func (r *Result) At(tS float64) Sample {
	s := r.Series
	if len(s) == 0 {
		return Sample{}
	}
	if tS <= s[0].TimeS {
		return s[0]
	}
	if tS >= s[len(s)-1].TimeS {
		return s[len(s)-1]
	}
	i := sort.Search(len(s), func(i int) bool { return s[i].TimeS > tS }) - 1
	a, b := s[i], s[i+1]
	f := (tS - a.TimeS) / (b.TimeS - a.TimeS)
	lerp := func(x, y float64) float64 { return x + f*(y-x) }
	return Sample{
		TimeS: tS, FluxLMH: lerp(a.FluxLMH, b.FluxLMH), PermeateML: lerp(a.PermeateML, b.PermeateML),
		RetentateML: lerp(a.RetentateML, b.RetentateML), BufferML: lerp(a.BufferML, b.BufferML),
		CakeThicknessNM: lerp(a.CakeThicknessNM, b.CakeThicknessNM), CakeResistancePerM: lerp(a.CakeResistancePerM, b.CakeResistancePerM),
		MembraneResistancePerM: lerp(a.MembraneResistancePerM, b.MembraneResistancePerM),
		PoresBlockedFraction:   lerp(a.PoresBlockedFraction, b.PoresBlockedFraction), FlowBlockedFraction: lerp(a.FlowBlockedFraction, b.FlowBlockedFraction),
		MembranePressureKPa: lerp(a.MembranePressureKPa, b.MembranePressureKPa), Phase: a.Phase,
	}
}

// Run simulates the filtration at constant TMP, stepping the permeate
// volume with error control (package doc). It returns Problems when p is
// invalid.
func Run(p Params) (*Result, error) {
	if ps := p.Validate(); len(ps) > 0 {
		return nil, ps
	}
	mb, md, pr := p.Membrane, p.Module, p.Process
	samples := p.Samples
	if samples == 0 {
		samples = DefaultSamples
	}
	eta := p.ViscosityPas
	m := newModel(p)
	res := &Result{Membrane: mb, Module: md, Mode: md.Mode, Collect: p.Collect, TMPKPa: p.TMPPa / 1e3, AreaCM2: md.AreaM2 * 1e4,
		CleanWaterLMHPerBar: mb.PermeabilityLMHPerBar(eta), PoreRadiusNM: mb.PoreRadiusM * 1e9,
		PoreDensityPerCM2: mb.PoreDensityPerM2() / 1e4, Pores: m.classes, FeedML: p.FeedVolumeM3 * 1e6}
	res.PoreRadiiNM = mb.PoreRadiiSample(64)
	for i := range res.PoreRadiiNM {
		res.PoreRadiiNM[i] *= 1e9
	}
	if m.tff {
		gamma := p.ShearRatePerS
		if gamma == 0 {
			gamma = pr.DefaultShearRatePerS
		}
		res.ShearRatePerS = gamma
		res.WallShearStressPa = eta * gamma
		res.CrossflowVelocityMS = gamma * md.FibreInnerDiameterM / 8
		res.FeedFlowMLPerMin = res.CrossflowVelocityMS * math.Pi / 4 * md.FibreInnerDiameterM * md.FibreInnerDiameterM * float64(md.Fibres) * 6e7
	}

	v0, vf := p.FeedVolumeM3, p.FinalVolumeM3
	if p.Collect == CollectPermeate {
		// The filter's hold-up stays behind: the feed is filtered down to it.
		vf = math.Min(md.HoldUpM3, v0/2)
	}
	vConc := v0 - vf
	vDia := p.DiafiltrationVolumes * vf
	vTotal := vConc + vDia
	// Samples per phase, in proportion to the phase's permeate (at least
	// one each).
	samplesConc, samplesDia := samples, 0
	if vDia > 0 {
		samplesConc = max(1, min(samples-1, int(math.Round(float64(samples)*vConc/vTotal))))
		samplesDia = samples - samplesConc
	}
	name := "filtration"
	if p.Collect == CollectRetentate {
		name = "concentration"
	}
	phases := []phase{{name: name, v0: 0, v1: vConc, concentrating: true, vrEnd: vf, samples: samplesConc}}
	if vDia > 0 {
		phases = append(phases, phase{name: "diafiltration", v0: vConc, v1: vTotal, vrEnd: vf, samples: samplesDia})
	}

	defer m.release()
	st := m.state(0)
	st.vr = v0
	for i := range st.pt {
		st.pt[i].bulk = m.pt[i].n0
	}
	for j := range st.open {
		st.open[j] = 1
	}
	m.setHydraulics(st)
	ra := m.rateSet(0)
	m.evaluate(st, ra)
	res.FluxLMHInitial = st.j * 3.6e6
	res.Particles = make([]ParticleResult, m.np)
	for i := range res.Particles {
		res.Particles[i].SievingCoefficient = ra.pt[i].s
	}
	res.Series = make([]Sample, 0, samples+2)
	m.sample(st, res, name)
	st, ra, res.Clogged = m.integrate(st, ra, phases, vTotal, res)

	res.Minutes = st.t / 60
	res.FluxLMHFinal = st.j * 3.6e6
	res.PermeateML, res.RetentateML, res.BufferML = st.v*1e6, st.vr*1e6, st.buffer*1e6
	if st.vr > 0 {
		res.ConcentrationFactor = v0 / st.vr
	}
	if vf > 0 {
		res.DiafiltrationVolumes = st.buffer / vf
	}
	rec := pr.CakeRecoveredDeadEnd
	if m.tff {
		rec = pr.CakeRecoveredTFF
	}
	for i, pt := range p.Particles {
		out := &res.Particles[i]
		out.Species, out.DiameterNM, out.Deformable, out.Count = pt.Species, pt.DiameterM*1e9, pt.Deformable, pt.Count
		out.FinalSievingCoefficient = ra.pt[i].s
		if pt.Count > 0 {
			n, q := pt.Count, &st.pt[i]
			out.PassedFraction = q.passed / n
			out.LodgedFraction = q.lodged / n
			out.CakeFraction = q.cake / n
			out.RetainedFraction = (q.bulk + rec*q.cake) / n
			out.TrappedFraction = (q.lodged + (1-rec)*q.cake) / n
			out.DamagedFraction = q.damaged / n
		}
	}
	if res.Clogged {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the membrane clogged: %.4g of %.4g mL filtered in %.4g min", st.v*1e6, vTotal*1e6, res.Minutes))
	}
	return res, nil
}

// Leveque is the mass-transfer coefficient of laminar flow in a tube at
// wall shear rate γ over length L for diffusivity D: k = 0.816·(γD²/L)^(1/3)
// (the Lévêque solution, length-averaged; Zeman & Zydney 1996; equivalently
// Sh = 1.62 (Re·Sc·d/L)^(1/3) with γ = 8u/d). m/s.
func Leveque(gammaPerS, dM2s, lengthM float64) float64 {
	return 0.816 * math.Cbrt(gammaPerS*dM2s*dM2s/lengthM)
}
