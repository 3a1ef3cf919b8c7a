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
	MinSteps, MaxSteps      = 4, 100000
	// DefaultSteps is the number of volume steps of a run: enough for 1 %
	// on time and fractions against 16× finer steps (tested).
	DefaultSteps = 32
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
	// Steps is the number of volume steps (0: DefaultSteps).
	Steps int
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
	if p.Steps != 0 && !(p.Steps >= MinSteps && p.Steps <= MaxSteps) {
		bad("steps", "%d is outside the allowed range %d–%d", p.Steps, MinSteps, MaxSteps)
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
	// Clogged is set when the flux fell below 0.1 % of its start or the
	// time limit was reached before the planned volume was filtered.
	Clogged bool `json:"clogged"`
	// VolumeSteps is the number of volume steps taken (the nominal steps,
	// some halved where the state changed fast).
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

// clogFraction: the run stops when the flux falls below this share of its
// start. A step is halved (at most maxHalvings times) where plugging would
// close more than maxChange of the open flow or the deposit's resistance
// would grow by more than maxCakeGrowth of the total (the time is exact
// for a cake growing linearly with volume; the limit keeps the flux-
// dependent sieving and pressure resolved).
// A step is also halved when it would expose the bulk to more than
// maxExposure (x = ∫dV/V_R): the end of a dead-end filtration, where the
// liquid left shrinks to the hold-up.
const (
	clogFraction  = 1e-3
	maxChange     = 0.1
	maxCakeGrowth = 1.0
	maxExposure   = 0.5
	maxHalvings   = 6
)

// pair is the static part of one particle class at one pore class.
type pair struct {
	w, peCoef float64 // W and (W/H)·r²/(8μD): Pe = peCoef·ΔP
	squeezeAt float64 // ΔP_min for a deformable vesicle (+Inf if rigid and λ ≥ 1)
	fits      bool    // λ < 1
	ruptures  bool
	wedges    bool // λ < wedge ratio (may lodge when held back)
}

// state is the run's state.
type state struct {
	bulk, passed, cake, lodged, damaged []float64
	open                                []float64 // open share per pore class
	solidsM3PerM2, surfaceM2PerM2       float64
}

// Run simulates the filtration at constant TMP, stepping the permeate
// volume in equal steps (package doc). It returns Problems when p is
// invalid.
func Run(p Params) (*Result, error) {
	if ps := p.Validate(); len(ps) > 0 {
		return nil, ps
	}
	m, md, pr := p.Membrane, p.Module, p.Process
	steps := p.Steps
	if steps == 0 {
		steps = DefaultSteps
	}
	eta, T := p.ViscosityPas, p.TemperatureC
	area := md.AreaM2
	classes := m.PoreClasses()
	nc, np := len(classes), len(p.Particles)
	poresTotal := m.PoreDensityPerM2() * area
	rm0 := m.ResistancePerM()
	tff := md.Mode == Tangential

	res := &Result{Membrane: m, Module: md, Mode: md.Mode, Collect: p.Collect, TMPKPa: p.TMPPa / 1e3, AreaCM2: area * 1e4,
		CleanWaterLMHPerBar: m.PermeabilityLMHPerBar(eta), PoreRadiusNM: m.PoreRadiusM * 1e9,
		PoreDensityPerCM2: m.PoreDensityPerM2() / 1e4, Pores: classes, FeedML: p.FeedVolumeM3 * 1e6}
	for _, r := range m.PoreRadiiSample(64) {
		res.PoreRadiiNM = append(res.PoreRadiiNM, r*1e9)
	}

	// Mass transfer (tff): Lévêque, k = 0.816 (γ D²/L)^(1/3).
	gamma := 0.0
	kMass := make([]float64, np)
	if tff {
		gamma = p.ShearRatePerS
		if gamma == 0 {
			gamma = pr.DefaultShearRatePerS
		}
		res.ShearRatePerS = gamma
		res.WallShearStressPa = eta * gamma
		res.CrossflowVelocityMS = gamma * md.FibreInnerDiameterM / 8
		res.FeedFlowMLPerMin = res.CrossflowVelocityMS * math.Pi / 4 * md.FibreInnerDiameterM * md.FibreInnerDiameterM * float64(md.Fibres) * 6e7
	}
	pairs := make([]pair, np*nc)
	// wedge0[i], wedge1[i] bound the pore classes where class i may lodge
	// (λ in [1, wedge ratio): a contiguous run of classes, the radii
	// sorted); the lodging sums need visit only those.
	wedge0, wedge1 := make([]int, np), make([]int, np)
	// The first rigidTo[i] pore classes hold class i back at any pressure
	// (rigid, λ ≥ 1).
	rigidTo := make([]int, np)
	vol := make([]float64, np)  // particle volume
	surf := make([]float64, np) // particle surface
	for i, pt := range p.Particles {
		a := pt.DiameterM / 2
		vol[i] = math.Pi / 6 * pt.DiameterM * pt.DiameterM * pt.DiameterM
		surf[i] = math.Pi * pt.DiameterM * pt.DiameterM
		D := StokesEinsteinD(a, eta, T)
		if tff {
			kMass[i] = Leveque(gamma, D, md.FibreLengthM)
		}
		for j, c := range classes {
			l := a / c.RadiusM
			q := pair{squeezeAt: math.Inf(1), wedges: l >= 1 && l < pr.WedgeRatio}
			if l < 1 && pt.Deformable {
				// A vesicle smaller than the pore needs no pressure to pass
				// (ΔP_min = 2τ(1/r − 1/a) ≤ 0): it deforms rather than being
				// excluded from the wall region like a rigid sphere.
				q.squeezeAt = 0
			} else if l < 1 {
				q.fits = true
				q.w = Convective(l)
				if h := Diffusive(l); h > 0 {
					q.peCoef = q.w / h * c.RadiusM * c.RadiusM / (8 * eta * D)
				} else {
					q.peCoef = math.Inf(1)
				}
			} else if pt.Deformable {
				q.squeezeAt = SqueezeThresholdPa(a, c.RadiusM, pr.LysisTensionNPerM)
				q.ruptures = SqueezeAreaStrain(a, c.RadiusM) > pr.LysisAreaStrain
			}
			pairs[i*nc+j] = q
			if rigidTo[i] == j && !q.fits && math.IsInf(q.squeezeAt, 1) {
				rigidTo[i] = j + 1
			}
			if q.wedges {
				if wedge1[i] == 0 {
					wedge0[i] = j
				}
				wedge1[i] = j + 1
			}
		}
	}

	st := state{bulk: make([]float64, np), passed: make([]float64, np), cake: make([]float64, np),
		lodged: make([]float64, np), damaged: make([]float64, np), open: make([]float64, nc)}
	for i, pt := range p.Particles {
		st.bulk[i] = pt.Count
	}
	for j := range st.open {
		st.open[j] = 1
	}
	cakeK := 5 * (1 - pr.CakePorosity) / (pr.CakePorosity * pr.CakePorosity * pr.CakePorosity) // R_c = cakeK·s²/v
	// Work space per step.
	trans := make([]float64, np)    // membrane sieving coefficient
	rupt := make([]float64, np)     // ruptured share of what passes
	blockSh := make([]float64, np)  // share of what is held back that cannot enter its pore (λ ≥ 1)
	lodgeSh := make([]float64, np)  // lodging share of that
	wj := make([]float64, nc)       // flow share of each class now
	heldTo := make([]float64, nc+1) // heldTo[j]: Σ wj over the classes carrying flow from j0 below j, in order
	lodgeJ := make([]float64, nc)   // lodging probability per class now
	lodgedJ := make([]float64, nc)  // particles lodged per class this step
	obs := make([]float64, np)      // observed sieving coefficient this step

	// hydraulics returns flux (m/s), pressure across the membrane, and the
	// membrane's resistance.
	hydraulics := func() (J, dPm, rm, rc float64) {
		var qo float64
		for j, c := range classes {
			qo += c.FlowShare * st.open[j]
		}
		rm = math.Inf(1)
		if qo > 0 {
			rm = rm0 / qo
		}
		if st.solidsM3PerM2 > 0 {
			rc = cakeK * st.surfaceM2PerM2 * st.surfaceM2PerM2 / st.solidsM3PerM2
		}
		J = p.TMPPa / (eta * (rm + rc))
		dPm = J * eta * rm
		if math.IsInf(rm, 1) {
			J, dPm = 0, p.TMPPa
		}
		return
	}
	// sieve fills trans, rupt, blockSh, lodgeSh at membrane pressure dPm
	// for the classes left in the bulk (all: every class); the observed
	// coefficient adds polarisation (tff).
	sieve := func(dPm float64, all bool) {
		var qo float64
		for j, c := range classes {
			wj[j] = c.FlowShare * st.open[j]
			qo += wj[j]
			lodgeJ[j] = LodgeProbability(c.RadiusM, dPm, T)
		}
		for j := range wj {
			if qo > 0 {
				wj[j] /= qo
			}
		}
		// The classes carrying flow lie between j0 and j1 (a class carrying
		// no flow: plugged, or the far tail).
		j0, j1 := 0, nc
		for j0 < nc && wj[j0] < 1e-12 {
			j0++
		}
		for j1 > j0 && wj[j1-1] < 1e-12 {
			j1--
		}
		heldTo[j0] = 0
		for j := j0; j < j1; j++ {
			heldTo[j+1] = heldTo[j]
			if w := wj[j]; w >= 1e-12 {
				heldTo[j+1] += w
			}
		}
		for i := range p.Particles {
			if !all && st.bulk[i] == 0 {
				continue // nothing left to filter
			}
			var t, r, heldFit, heldBlock, lodge float64
			row := pairs[i*nc : (i+1)*nc]
			// The classes from j0 up to jb hold the particle back (too
			// small to enter, too small to squeeze through at dPm): their
			// flow adds up to heldTo[jb] (the same sum, in the same order,
			// as class by class), and only the wedging classes among them
			// need visiting. Above jb, class by class.
			jb := max(j0, min(rigidTo[i], j1))
			for jb < j1 {
				if q := &row[jb]; q.fits || dPm > q.squeezeAt {
					break
				}
				jb++
			}
			if jb > j0 {
				heldBlock = heldTo[jb]
				for j := max(j0, wedge0[i]); j < min(jb, wedge1[i]); j++ {
					if w := wj[j]; w >= 1e-12 && row[j].wedges {
						lodge += w * lodgeJ[j]
					}
				}
			}
			for j := jb; j < j1; j++ {
				w := wj[j]
				if w < 1e-12 {
					continue
				}
				q := &row[j]
				switch {
				case q.fits:
					// PoreSieving(q.w, q.peCoef·dPm), by hand: the hot loop.
					var s float64
					switch pe := q.peCoef * dPm; {
					case q.w <= 0:
						s = 0
					case pe > 40:
						s = q.w
					case pe <= 0:
						s = 1
					default:
						e := math.Exp(pe)
						s = q.w * e / (q.w + e - 1)
					}
					t += w * s
					heldFit += w * (1 - s)
				case dPm > q.squeezeAt:
					t += w
					if q.ruptures {
						r += w
					}
				default:
					heldBlock += w
					if q.wedges {
						lodge += w * lodgeJ[j]
					}
				}
			}
			trans[i] = t
			rupt[i], blockSh[i], lodgeSh[i] = 0, 0, 0
			if t > 0 {
				rupt[i] = r / t
			}
			if heldFit+heldBlock > 0 {
				blockSh[i] = heldBlock / (heldFit + heldBlock)
			}
			if heldBlock > 0 {
				lodgeSh[i] = lodge / heldBlock
			}
		}
	}
	observed := func(i int, J float64) float64 {
		if !tff {
			return trans[i]
		}
		return Polarized(trans[i], J/kMass[i])
	}

	v0, vf := p.FeedVolumeM3, p.FinalVolumeM3
	if p.Collect == CollectPermeate {
		// The filter's hold-up stays behind: the feed is filtered down to it.
		vf = math.Min(md.HoldUpM3, v0/2)
	}
	vConc := v0 - vf
	vDia := p.DiafiltrationVolumes * vf
	vTotal := vConc + vDia
	// Steps per phase, in proportion to the phase's permeate (at least one
	// each), so that no step straddles the change of phase.
	stepsConc, stepsDia := steps, 0
	if vDia > 0 {
		stepsConc = max(1, min(steps-1, int(math.Round(float64(steps)*vConc/vTotal))))
		stepsDia = steps - stepsConc
	}
	var t, vp, buffer float64
	vr := v0
	J0, dPm0, rm, rc := hydraulics()
	sieve(dPm0, true)
	// fresh: the sieving figures still hold (nothing has moved since they
	// were computed, as when a step was refused and is retried halved).
	fresh := true
	res.FluxLMHInitial = J0 * 3.6e6
	for i := range p.Particles {
		res.Particles = append(res.Particles, ParticleResult{SievingCoefficient: observed(i, J0)})
	}
	phase := "filtration"
	if p.Collect == CollectRetentate {
		phase = "concentration"
	}
	sample := func(J, dPm, rm, rc float64) {
		var blocked, flowBlocked float64
		for j, c := range classes {
			blocked += c.NumberShare * (1 - st.open[j])
			flowBlocked += c.FlowShare * (1 - st.open[j])
		}
		res.Series = append(res.Series, Sample{TimeS: t, FluxLMH: J * 3.6e6, PermeateML: vp * 1e6, RetentateML: vr * 1e6, BufferML: buffer * 1e6,
			CakeThicknessNM: st.solidsM3PerM2 / (1 - pr.CakePorosity) * 1e9, CakeResistancePerM: rc, MembraneResistancePerM: math.Min(rm, math.MaxFloat64),
			PoresBlockedFraction: blocked, FlowBlockedFraction: flowBlocked, MembranePressureKPa: dPm / 1e3, Phase: phase})
	}
	sample(J0, dPm0, rm, rc)
	demand := make([]float64, np*nc) // lodging demand per particle and pore class this step
	lodgeNom := make([]float64, np)  // lodging per particle before the cap
	kap := make([]float64, np)       // rate κ of leaving the bulk this step
	removedN := make([]float64, np)  // particles leaving the bulk this step
	moves := make([]bool, np)        // class i moves this step (bulk > 0, κ > 0)
	J, dPm := J0, dPm0
	stopped := false
	// advance filters dv more permeate (concentrating: the retentate
	// shrinks to vrEnd, else buffer replaces the permeate). With check set
	// it first estimates the step's change: when pores would close or the
	// deposit's resistance grow by more than maxChange of what is there,
	// it changes nothing and returns false (the caller halves the step).
	advance := func(dv float64, concentrating bool, vrEnd float64, check bool) bool {
		if J <= clogFraction*J0 || t >= pr.MaxProcessS {
			res.Clogged, stopped = true, true
			return true
		}
		x := dv / vr
		if concentrating {
			x = math.Log(vr / vrEnd)
		}
		if check && (x > maxExposure || t+dv/(area*J) > pr.MaxProcessS*(1+1e-9) && dv > 1e-6*vTotal) {
			return false // too coarse near the end of the liquid or of the time allowed
		}
		if !fresh {
			sieve(dPm, false)
			fresh = true
		}
		for j := range lodgedJ {
			lodgedJ[j] = 0
		}
		// Critical flux for deposition (tff): J_crit = k ln(φ_max/φ_b),
		// φ_b the volume fraction of held-back particles in the bulk.
		var phiB float64
		for i := range p.Particles {
			obs[i] = 0
			if st.bulk[i] > 0 {
				obs[i] = observed(i, J)
			}
			if tff {
				phiB += st.bulk[i] * vol[i] * (1 - obs[i]) / vr
			}
		}
		// Each class with observed sieving s leaves the bulk at the rate
		// κ = s + lodge + toCake per unit exposure x = ∫dV/V_R, so that
		// n(1 − e^(−κx)) of its n particles leave in the step. Of the
		// filtrate's particles a share s passes; held = (1 − s)·blockShare
		// is held back against pores it cannot enter (those turned away by
		// partitioning at pores they fit, λ < 1, stay in the bulk:
		// polarisation); lodge = held·lodgeShare of them lodge; the rest
		// deposit, toCake = (held − lodge)·dep: all of it in dead-end mode
		// (dep = 1); in tangential flow only the share of the flux above the
		// critical flux J_crit = k·ln(φ_max/φ_b) (film model), dep =
		// max(0, 1 − k·ln(φ_max/φ_b)/J), the logarithm common to every class.
		var logPhi float64
		if tff && phiB > 0 && J > 0 && phiB < pr.MaxPackingFraction {
			logPhi = math.Log(pr.MaxPackingFraction / phiB)
		}
		// Pass 1: what each class would lodge, and where; the deposit's
		// growth. Pass 2 reuses κ and the number removed.
		var cakeS, cakeV float64
		for i := range p.Particles {
			lodgeNom[i] = 0
			moves[i] = false
			n := st.bulk[i]
			if n == 0 {
				continue
			}
			s := obs[i]
			held := (1 - s) * blockSh[i]
			dep := 1.0
			if tff {
				dep = 0
				switch {
				case phiB >= pr.MaxPackingFraction:
					dep = 1
				case phiB > 0 && J > 0:
					dep = math.Max(0, 1-kMass[i]*logPhi/J)
				}
			}
			lodge := held * lodgeSh[i]
			toCake := (held - lodge) * dep
			kappa := s + lodge + toCake
			if kappa <= 0 {
				continue
			}
			removed := n * -math.Expm1(-kappa*x)
			moves[i], kap[i], removedN[i] = true, kappa, removed
			cakeS += removed * toCake / kappa * surf[i]
			cakeV += removed * toCake / kappa * vol[i]
			if lodge == 0 {
				continue
			}
			lodgeNom[i] = removed * lodge / kappa
			row := pairs[i*nc : (i+1)*nc]
			var tot float64
			for j := wedge0[i]; j < wedge1[i]; j++ {
				if q := &row[j]; q.wedges && !(dPm > q.squeezeAt) {
					tot += wj[j] * lodgeJ[j]
				}
			}
			for j := wedge0[i]; j < wedge1[i]; j++ {
				d := &demand[i*nc+j]
				*d = 0
				if q := &row[j]; q.wedges && !(dPm > q.squeezeAt) && tot > 0 {
					*d = lodgeNom[i] * wj[j] * lodgeJ[j] / tot
					lodgedJ[j] += *d
				}
			}
		}
		if check {
			var lost float64 // share of the open flow the plugs would close
			var qo float64
			for j, c := range classes {
				qo += c.FlowShare * st.open[j]
				if open := poresTotal * c.NumberShare * st.open[j]; open > 0 {
					lost += c.FlowShare * st.open[j] * math.Min(1, lodgedJ[j]/open)
				}
			}
			if qo > 0 && lost > maxChange*qo {
				return false
			}
			sNew, vNew := st.surfaceM2PerM2+cakeS/area, st.solidsM3PerM2+cakeV/area
			if vNew > 0 {
				rcNew := cakeK * sNew * sNew / vNew
				if rcNew-rc > maxCakeGrowth*(rm+rc) {
					return false
				}
			}
		}
		// A class cannot lose more pores than it has open: the excess rests
		// on plugged mouths and joins the deposit.
		fresh = false
		for j, c := range classes {
			open := poresTotal * c.NumberShare * st.open[j]
			capJ := 1.0
			if lodgedJ[j] > open {
				capJ = open / lodgedJ[j]
			}
			lodgeJ[j] = capJ // reused: the cap per class this step
			if lodgedJ[j] > 0 {
				st.open[j] = math.Max(0, st.open[j]-math.Min(lodgedJ[j], open)/(poresTotal*c.NumberShare))
			}
		}
		// Pass 2: move the particles.
		var dSolids, dSurface float64
		for i := range p.Particles {
			if !moves[i] {
				continue
			}
			n, removed := st.bulk[i], removedN[i]
			pass := removed * obs[i] / kap[i]
			lod := 0.0
			if lodgeNom[i] > 0 {
				for j := wedge0[i]; j < wedge1[i]; j++ {
					lod += demand[i*nc+j] * lodgeJ[j]
				}
			}
			ck := math.Max(0, removed-pass-lod)
			st.bulk[i] = math.Max(0, n-removed)
			st.passed[i] += pass
			st.damaged[i] += pass * rupt[i]
			st.cake[i] += ck
			st.lodged[i] += lod
			dSolids += ck * vol[i]
			dSurface += ck * surf[i]
		}
		st.solidsM3PerM2 += dSolids / area
		st.surfaceM2PerM2 += dSurface / area
		Jn, dPmn, rmn, rcn := hydraulics()
		// Time: trapezoid on dt/dV = 1/(J·A), exact when 1/J is linear in
		// V (complete blocking, cake).
		if Jn <= clogFraction*J0 {
			// The pores closed within this step: count it at its starting
			// flux (the run stops; a bound that does not depend on how
			// close to zero the flux is let fall).
			t += dv / (area * J)
		} else {
			t += dv / area * (1/J + 1/Jn) / 2
		}
		if concentrating {
			vr = vrEnd
		} else {
			buffer += dv
		}
		vp += dv
		J, dPm, rm, rc = Jn, dPmn, rmn, rcn
		res.VolumeSteps++
		return true
	}
	// step advances dv, halving it (up to maxHalvings times) where the
	// state would change too fast.
	var step func(dv float64, concentrating bool, vrEnd float64, depth int)
	step = func(dv float64, concentrating bool, vrEnd float64, depth int) {
		if stopped {
			return
		}
		if advance(dv, concentrating, vrEnd, depth < maxHalvings) {
			return
		}
		mid := vrEnd
		if concentrating {
			mid = vr - dv/2
		}
		step(dv/2, concentrating, mid, depth+1)
		step(dv/2, concentrating, vrEnd, depth+1)
	}
	for k := 0; k < stepsConc+stepsDia && !stopped; k++ {
		if k < stepsConc {
			vrEnd := v0 - vConc*float64(k+1)/float64(stepsConc)
			if k == stepsConc-1 {
				vrEnd = vf
			}
			step(vConc/float64(stepsConc), true, vrEnd, 0)
		} else {
			phase = "diafiltration"
			step(vDia/float64(stepsDia), false, vr, 0)
		}
		sample(J, dPm, rm, rc)
	}
	sieve(dPm, true)
	res.Minutes = t / 60
	res.FluxLMHFinal = J * 3.6e6
	res.PermeateML, res.RetentateML, res.BufferML = vp*1e6, vr*1e6, buffer*1e6
	if vr > 0 {
		res.ConcentrationFactor = v0 / vr
	}
	if vf > 0 {
		res.DiafiltrationVolumes = buffer / vf
	}
	rec := pr.CakeRecoveredDeadEnd
	if tff {
		rec = pr.CakeRecoveredTFF
	}
	for i, pt := range p.Particles {
		out := &res.Particles[i]
		out.Species, out.DiameterNM, out.Deformable, out.Count = pt.Species, pt.DiameterM*1e9, pt.Deformable, pt.Count
		out.FinalSievingCoefficient = observed(i, J)
		if pt.Count > 0 {
			n := pt.Count
			out.PassedFraction = st.passed[i] / n
			out.LodgedFraction = st.lodged[i] / n
			out.CakeFraction = st.cake[i] / n
			out.RetainedFraction = (st.bulk[i] + rec*st.cake[i]) / n
			out.TrappedFraction = (st.lodged[i] + (1-rec)*st.cake[i]) / n
			out.DamagedFraction = st.damaged[i] / n
		}
	}
	if res.Clogged {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the membrane clogged: %.4g of %.4g mL filtered in %.4g min", vp*1e6, vTotal*1e6, res.Minutes))
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
