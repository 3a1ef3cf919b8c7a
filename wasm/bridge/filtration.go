package bridge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"exosep/engine/filter"
	"exosep/engine/protocol"
)

// Message types of membrane filtration (the ultrafiltration and sequential
// filtration pages).
const (
	// TypeFiltration (parent → stage): exactly one of
	//
	//	"filtration": one filter or ultrafilter step (engine/protocol Step
	//	              JSON: kind, membrane | mwco_kda | pore_um, mode,
	//	              module, tmp_kpa, concentration_factor,
	//	              diafiltration_volumes, shear_rate_per_s)
	//	"preset":     a protocol preset id (data/presets)
	//	"protocol":   a protocol (engine/protocol JSON)
	//
	// and optionally "input" (an inputs.json id: the sample), "volumeMl"
	// (the sample volume), "compare" (preset ids run on the same input and
	// volume for comparison), "seq" and "animation" (FiltrationAnimation).
	// The protocol must hold at least one filter or ultrafilter step. The
	// stage validates it with the engine, answers filtrationResult or
	// filtrationError (echoing seq) and animates the membranes in turn.
	TypeFiltration = "filtration"
	// TypeFiltrationResult (stage → parent): {"seq": n, "result":
	// FiltrationResult}.
	TypeFiltrationResult = "filtrationResult"
	// TypeFiltrationError (stage → parent): {"seq": n, "field": f,
	// "message": m, "problems": [protocol.Problem]} — the first problem in
	// field and message (the message names the step, the field and the
	// allowed range), every problem in problems.
	TypeFiltrationError = "filtrationError"
)

// Limits of a filtration message.
const (
	DefaultFiltrationInput = "msc-cm"
	// DefaultFiltrationParticles are drawn per membrane step.
	DefaultFiltrationParticles = 600
	MaxFiltrationParticles     = 5000
	// MaxFiltrationTimeScale bounds the process seconds per wall second
	// (a 1 L run takes hours); 0 is automatic: each membrane step plays in
	// FiltrationStepWallS seconds.
	MaxFiltrationTimeScale = 1e6
	FiltrationStepWallS    = 10
	// MaxCompare bounds the comparison presets.
	MaxCompare = 6
)

// FiltrationAnimation are the stage-only settings of a filtration
// animation; zero fields take the defaults (DefaultFiltrationParticles,
// automatic time scale, seed 1).
type FiltrationAnimation struct {
	Particles     int     `json:"particles,omitempty"`
	TimeScale     float64 `json:"timeScale,omitempty"`
	Seed          uint64  `json:"seed,omitempty"`
	ReducedMotion bool    `json:"reducedMotion,omitempty"`
	// ColorProfile and Species are the display settings of Params: the
	// palette, and the species drawn (empty: all). They change the
	// picture only, never the run, the result or the State's counts.
	ColorProfile string   `json:"colorProfile,omitempty"`
	Species      []string `json:"species,omitempty"`
}

// FiltrationRequest is a decoded filtration message. Exactly one of Step,
// Preset and Protocol is set.
type FiltrationRequest struct {
	Step      json.RawMessage // one protocol step
	Preset    string
	Protocol  json.RawMessage
	Input     string // "" keeps the protocol's (default: DefaultFiltrationInput)
	VolumeML  float64
	Compare   []string
	Seq       int
	Animation FiltrationAnimation
}

// FiltrationStage is one membrane step as the stage animates it: the
// engine's parameters (membrane, module, pressure, liquid, the particle
// classes entering the step) and its result (per class fractions, time
// series, pores).
type FiltrationStage struct {
	Step   int // protocol step, 1-based
	Of     int // steps in the protocol
	Name   string
	Kind   string // filter | ultrafilter
	Params filter.Params
	Res    *filter.Result
}

// FiltrationRun is a validated filtration request, its engine results
// and its membrane steps.
type FiltrationRun struct {
	Seq       int
	Result    FiltrationResult
	Stages    []FiltrationStage
	Animation FiltrationAnimation // defaults filled in; TimeScale 0 = automatic
}

// FiltrationResult answers a filtration message: the protocol run (yield,
// purity, time, damage per step and overall), each membrane step's
// filtration in detail, and the comparison presets' figures.
type FiltrationResult struct {
	Protocol   *protocol.Result    `json:"protocol"`
	Stages     []StageResult       `json:"stages"`
	Comparison []ComparisonFigures `json:"comparison"`
}

// StageResult is one membrane step: conditions, per species the shares
// of what entered the step, flux and the time series.
type StageResult struct {
	Step                int                     `json:"step"` // 1-based protocol step
	Name                string                  `json:"name"`
	Kind                string                  `json:"kind"`
	Membrane            string                  `json:"membrane"`
	MembraneID          string                  `json:"membrane_id"`
	MembraneKind        string                  `json:"membrane_kind"` // microfilter | ultrafilter
	MWCOkDa             float64                 `json:"mwco_kda,omitempty"`
	NominalPoreNM       float64                 `json:"nominal_pore_nm,omitempty"`
	PoreRadiusNM        float64                 `json:"pore_radius_nm"` // median
	PoreGSD             float64                 `json:"pore_gsd"`
	Module              string                  `json:"module"`
	Mode                string                  `json:"mode"`
	Collect             string                  `json:"collect"`
	TMPKPa              float64                 `json:"tmp_kpa"`
	AreaCM2             float64                 `json:"area_cm2"`
	TemperatureC        float64                 `json:"temperature_c"`
	ViscosityMPas       float64                 `json:"viscosity_mpas"`
	CleanWaterLMHPerBar float64                 `json:"clean_water_lmh_per_bar"`
	ShearRatePerS       float64                 `json:"shear_rate_per_s,omitempty"`
	WallShearStressPa   float64                 `json:"wall_shear_stress_pa,omitempty"`
	FeedML              float64                 `json:"feed_ml"`
	PermeateML          float64                 `json:"permeate_ml"`
	RetentateML         float64                 `json:"retentate_ml"`
	BufferML            float64                 `json:"buffer_ml"`
	ConcentrationFactor float64                 `json:"concentration_factor"`
	Minutes             float64                 `json:"minutes"`
	FluxLMHInitial      float64                 `json:"flux_lmh_initial"`
	FluxLMHFinal        float64                 `json:"flux_lmh_final"`
	Clogged             bool                    `json:"clogged"`
	Warnings            []string                `json:"warnings"`
	Species             []SpeciesFiltered       `json:"species"`
	Series              []filter.Sample         `json:"series"`
	Classes             []filter.ParticleResult `json:"classes"`
}

// SpeciesFiltered is one species in a membrane step: count-weighted
// fractions of its particles entering the step (passed + retained +
// trapped = 1; lodged and cake within trapped or retained as the engine
// counts them; damaged within passed).
type SpeciesFiltered struct {
	ID         string  `json:"id"`
	Count      float64 `json:"count"`
	Deformable bool    `json:"deformable"`
	Sieving    float64 `json:"sieving_coefficient"`
	Passed     float64 `json:"passed_fraction"`
	Retained   float64 `json:"retained_fraction"`
	Trapped    float64 `json:"trapped_fraction"`
	Lodged     float64 `json:"lodged_fraction"`
	Cake       float64 `json:"cake_fraction"`
	Damaged    float64 `json:"damaged_fraction"`
}

// ComparisonFigures are one protocol's overall figures on the same input
// and volume: exosome yield, the intact share, purity, time.
type ComparisonFigures struct {
	Preset                string  `json:"preset"`
	Name                  string  `json:"name"`
	ExosomeYieldFraction  float64 `json:"exosome_yield_fraction"`
	ExosomeIntactFraction float64 `json:"exosome_intact_fraction"`
	ParticlesPerUGProtein float64 `json:"particles_per_ug_protein"`
	PurityClass           string  `json:"purity_class"`
	TotalMinutes          float64 `json:"total_minutes"`
	VolumeML              float64 `json:"volume_ml"`
}

// SpeciesOf sums a membrane step's particle classes per species
// (count-weighted), in the order species first appear.
func SpeciesOf(res *filter.Result, p filter.Params) []SpeciesFiltered {
	var out []SpeciesFiltered
	idx := map[string]int{}
	for i, pr := range res.Particles {
		id := pr.Species
		k, ok := idx[id]
		if !ok {
			k = len(out)
			idx[id] = k
			out = append(out, SpeciesFiltered{ID: id, Deformable: p.Particles[i].Deformable})
		}
		s := &out[k]
		c := pr.Count
		s.Count += c
		s.Sieving += c * pr.SievingCoefficient
		s.Passed += c * pr.PassedFraction
		s.Retained += c * pr.RetainedFraction
		s.Trapped += c * pr.TrappedFraction
		s.Lodged += c * pr.LodgedFraction
		s.Cake += c * pr.CakeFraction
		s.Damaged += c * pr.DamagedFraction
	}
	for k := range out {
		s := &out[k]
		if s.Count > 0 {
			s.Sieving /= s.Count
			s.Passed /= s.Count
			s.Retained /= s.Count
			s.Trapped /= s.Count
			s.Lodged /= s.Count
			s.Cake /= s.Count
			s.Damaged /= s.Count
		}
	}
	return out
}

// newStageResult is the page's view of one membrane step.
func newStageResult(st FiltrationStage) StageResult {
	r, p, m := st.Res, st.Params, st.Params.Membrane
	sr := StageResult{Step: st.Step, Name: st.Name, Kind: st.Kind, Membrane: m.Name, MembraneID: m.ID, MembraneKind: m.Kind,
		MWCOkDa: m.MWCOkDa, PoreRadiusNM: m.PoreRadiusM * 1e9, PoreGSD: m.PoreGSD, Module: p.Module.Name, Mode: r.Mode, Collect: r.Collect,
		TMPKPa: r.TMPKPa, AreaCM2: r.AreaCM2, TemperatureC: p.TemperatureC, ViscosityMPas: p.ViscosityPas * 1e3,
		CleanWaterLMHPerBar: r.CleanWaterLMHPerBar, ShearRatePerS: r.ShearRatePerS, WallShearStressPa: r.WallShearStressPa,
		FeedML: r.FeedML, PermeateML: r.PermeateML, RetentateML: r.RetentateML, BufferML: r.BufferML,
		ConcentrationFactor: r.ConcentrationFactor, Minutes: r.Minutes, FluxLMHInitial: r.FluxLMHInitial, FluxLMHFinal: r.FluxLMHFinal,
		Clogged: r.Clogged, Warnings: r.Warnings, Species: SpeciesOf(r, p), Series: r.Series, Classes: r.Particles}
	if m.Kind == filter.Microfilter {
		sr.NominalPoreNM = m.NominalPoreM * 1e9
	}
	if sr.Warnings == nil {
		sr.Warnings = []string{}
	}
	return sr
}

// decodeFiltration reads the fields of a filtration message; the step,
// the animation and the comparison list refuse unknown fields and wrong
// types, naming the field.
func decodeFiltration(raw map[string]json.RawMessage) (FiltrationRequest, error) {
	var req FiltrationRequest
	given := 0
	for _, k := range sortedKeys(raw) {
		v := raw[k]
		var err error
		switch k {
		case "exosep", "type", "seq":
		case "filtration":
			given++
			req.Step = v
		case "preset":
			given++
			err = json.Unmarshal(v, &req.Preset)
		case "protocol":
			given++
			req.Protocol = v
		case "input":
			err = json.Unmarshal(v, &req.Input)
		case "volumeMl":
			err = json.Unmarshal(v, &req.VolumeML)
		case "compare":
			err = json.Unmarshal(v, &req.Compare)
		case "animation":
			d := json.NewDecoder(bytes.NewReader(v))
			d.DisallowUnknownFields()
			err = d.Decode(&req.Animation)
		default:
			return req, FieldError{k, "unknown field of a filtration message (allowed: filtration, preset, protocol, input, volumeMl, compare, seq, animation)"}
		}
		if err != nil {
			return req, FieldError{k, fmt.Sprintf("cannot be read: %v", strings.TrimPrefix(err.Error(), "json: "))}
		}
	}
	if given != 1 {
		return req, FieldError{"filtration", fmt.Sprintf("give exactly one of filtration (one filter or ultrafilter step), preset (a preset id) and protocol (got %d)", given)}
	}
	return req, nil
}

func sortedKeys(m map[string]json.RawMessage) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// problemField names a protocol problem's field for a filtration error:
// "filtration.<field>" for a single step, "steps[<n>].<field>" in a
// protocol (n 1-based), the field itself for the protocol's own fields.
func problemField(single bool, p protocol.Problem) string {
	f := p.Field
	if f == "" {
		f = "kind"
	}
	switch {
	case p.Step == 0:
		return f
	case single:
		return "filtration." + f
	}
	return fmt.Sprintf("steps[%d].%s", p.Step, f)
}

// RunFiltration validates req (the step or protocol with the engine's
// ParseFile, the input, the volume, the comparison presets, the animation
// settings) and runs it, tracing every membrane step. Problems name the
// field and the allowed range; an empty list means the run succeeded.
func RunFiltration(req FiltrationRequest, lib *protocol.Library) (*FiltrationRun, protocol.Problems) {
	single := len(req.Step) > 0
	var p protocol.Protocol
	var probs protocol.Problems
	switch {
	case single:
		input := req.Input
		if input == "" {
			input = DefaultFiltrationInput
		}
		// The step is checked by the engine as the one step of a protocol.
		doc := fmt.Sprintf(`{"name":"one filtration","input":%q,"steps":[%s]}`, input, req.Step)
		p, probs = lib.ParseFile([]byte(doc))
	case req.Preset != "":
		var err error
		if p, err = lib.Preset(req.Preset); err != nil {
			probs = append(probs, protocol.Problem{Field: "preset", Message: fmt.Sprintf("%q is not a preset (allowed: %s)", req.Preset, strings.Join(lib.PresetIDs(), ", "))})
		}
	default:
		p, probs = lib.ParseFile(req.Protocol)
	}
	if req.Input != "" && !single {
		p.Input = req.Input
	}
	if req.Input != "" {
		if _, ok := lib.Input(req.Input); !ok {
			probs = append(probs, protocol.Problem{Field: "input", Message: fmt.Sprintf("%q is not a known sample (allowed: %s)", req.Input, strings.Join(lib.InputIDs(), ", "))})
		}
	}
	if len(probs) == 0 && !hasMembrane(p) {
		probs = append(probs, protocol.Problem{Field: "steps", Message: "the protocol has no filter or ultrafilter step to show (allowed: at least one step of kind filter or ultrafilter)"})
	}
	if !(req.VolumeML == 0 || (req.VolumeML > 0 && req.VolumeML <= protocol.MaxVolumeML)) {
		probs = append(probs, protocol.Problem{Field: "volumeMl", Message: fmt.Sprintf("%g mL is outside the allowed range: above 0 up to %d mL", req.VolumeML, protocol.MaxVolumeML)})
	}
	if len(req.Compare) > MaxCompare {
		probs = append(probs, protocol.Problem{Field: "compare", Message: fmt.Sprintf("%d presets is outside the allowed range 0–%d", len(req.Compare), MaxCompare)})
	}
	for i, id := range req.Compare {
		if _, err := lib.Preset(id); err != nil {
			probs = append(probs, protocol.Problem{Field: fmt.Sprintf("compare[%d]", i), Message: fmt.Sprintf("%q is not a preset (allowed: %s)", id, strings.Join(lib.PresetIDs(), ", "))})
		}
	}
	a := req.Animation
	if a.Particles == 0 {
		a.Particles = DefaultFiltrationParticles
	}
	if a.Seed == 0 {
		a.Seed = 1
	}
	if !(a.Particles >= MinParticles && a.Particles <= MaxFiltrationParticles) {
		probs = append(probs, protocol.Problem{Field: "animation.particles", Message: fmt.Sprintf("%d is outside the allowed range %d–%d", a.Particles, MinParticles, MaxFiltrationParticles)})
	}
	if !(a.TimeScale == 0 || (a.TimeScale >= MinTimeScale && a.TimeScale <= MaxFiltrationTimeScale)) {
		probs = append(probs, protocol.Problem{Field: "animation.timeScale", Message: fmt.Sprintf("%g is outside the allowed range %d–%g process seconds per second (0: automatic, each membrane in %d s)", a.TimeScale, MinTimeScale, MaxFiltrationTimeScale, FiltrationStepWallS)})
	}
	if err := checkColorProfile(a.ColorProfile); err != nil {
		probs = append(probs, protocol.Problem{Field: "animation.colorProfile", Message: err.(FieldError).Message})
	}
	if err := checkSpecies("animation.species", a.Species, lib.Catalog); err != nil {
		probs = append(probs, protocol.Problem{Field: "animation.species", Message: err.(FieldError).Message})
	}
	if len(probs) > 0 {
		return nil, fieldNames(single, probs)
	}
	run := &FiltrationRun{Seq: req.Seq, Animation: a}
	res, err := lib.Run(p, protocol.Options{VolumeML: req.VolumeML, FilterTrace: func(step int, fp filter.Params, fr *filter.Result) {
		s := p.Steps[step-1]
		name := s.Name
		if name == "" {
			name = s.Kind
		}
		run.Stages = append(run.Stages, FiltrationStage{Step: step, Of: len(p.Steps), Name: name, Kind: s.Kind, Params: fp, Res: fr})
	}})
	if err != nil {
		if ps, ok := err.(protocol.Problems); ok {
			return nil, fieldNames(single, ps)
		}
		return nil, protocol.Problems{{Field: "filtration", Message: err.Error()}}
	}
	run.Result.Protocol = res
	run.Result.Stages = make([]StageResult, len(run.Stages))
	for i, st := range run.Stages {
		run.Result.Stages[i] = newStageResult(st)
	}
	run.Result.Comparison = []ComparisonFigures{}
	for _, id := range req.Compare {
		cp, _ := lib.Preset(id) // checked above
		cp.Input = res.Input.ID
		cr, err := lib.Run(cp, protocol.Options{VolumeML: res.Input.VolumeML})
		if err != nil {
			return nil, protocol.Problems{{Field: "compare", Message: fmt.Sprintf("preset %s on %g mL of %s: %v", id, res.Input.VolumeML, res.Input.ID, err)}}
		}
		run.Result.Comparison = append(run.Result.Comparison, Compare(id, cr))
	}
	return run, nil
}

// hasMembrane reports whether p has a filter or ultrafilter step.
func hasMembrane(p protocol.Protocol) bool {
	for _, s := range p.Steps {
		if s.Kind == protocol.KindFilter || s.Kind == protocol.KindUltrafilter {
			return true
		}
	}
	return false
}

// Compare is one protocol run's overall figures.
func Compare(id string, r *protocol.Result) ComparisonFigures {
	f := r.Final
	return ComparisonFigures{Preset: id, Name: r.Protocol, ExosomeYieldFraction: f.ExosomeYieldFraction, ExosomeIntactFraction: f.ExosomeIntactFraction,
		ParticlesPerUGProtein: f.ParticlesPerUGProtein, PurityClass: f.Purity.Class, TotalMinutes: f.TotalMinutes, VolumeML: r.Input.VolumeML}
}

// fieldNames prefixes each problem's field for the filtration message
// (see problemField).
func fieldNames(single bool, ps protocol.Problems) protocol.Problems {
	out := make(protocol.Problems, len(ps))
	for i, p := range ps {
		p.Field = problemField(single, p)
		out[i] = p
	}
	return out
}

// FiltrationEnvelope is a stage → parent filtration message.
type FiltrationEnvelope = RunEnvelope[FiltrationResult, protocol.Problem]

var filtrationKind = runKind{TypeFiltrationResult, TypeFiltrationError, "filtration"}

// EncodeFiltration renders a filtrationResult (run != nil) or
// filtrationError message as JSON text. The error's message is the
// engine's text of the first problem (step, field, allowed range).
func EncodeFiltration(seq int, run *FiltrationRun, probs protocol.Problems) string {
	var res *FiltrationResult
	if run != nil {
		res = &run.Result
	}
	return encodeRun(filtrationKind, seq, res, probs, func(p protocol.Problem) (string, string) {
		if p.Step > 0 {
			return p.Field, fmt.Sprintf("step %d: %s", p.Step, p.Message)
		}
		return p.Field, p.Message
	})
}

// FiltrationErrorText renders a filtrationError for a message that did not
// decode (seq 0 unless the message carried one).
func FiltrationErrorText(seq int, err error) string {
	fe := asFieldError(err, filtrationKind.field)
	return EncodeFiltration(seq, nil, protocol.Problems{{Field: fe.Field, Message: fe.Message}})
}

// decodeFiltrationCommand decodes a whole filtration message; the command
// carries the seq even when decoding fails, so the error can be answered.
func decodeFiltrationCommand(text string) (Command, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &fields); err != nil {
		return Command{Type: TypeFiltration}, FieldError{"filtration", fmt.Sprintf("malformed message: %v", err)}
	}
	var seq int
	if v, ok := fields["seq"]; ok {
		if err := json.Unmarshal(v, &seq); err != nil {
			return Command{Type: TypeFiltration}, FieldError{"seq", "must be an integer"}
		}
	}
	req, err := decodeFiltration(fields)
	req.Seq = seq
	return Command{Type: TypeFiltration, Filtration: req}, err
}

// FiltrationState is a membrane animation's state, sent at milestones:
// the membrane step shown, the process phase and time within it, the
// engine's flux, volumes, deposit and plugged pores at that time, and per
// species what the particles drawn have done so far.
type FiltrationState struct {
	Step   int    `json:"step"` // protocol step, 1-based
	Of     int    `json:"of"`   // steps in the protocol
	Name   string `json:"name"`
	Stage  int    `json:"stage"`  // membrane step shown, 1-based
	Stages int    `json:"stages"` // membrane steps in all
	// Phase is the engine's "filtration", "concentration" or
	// "diafiltration" at this time, or "done" after the last membrane.
	Phase                string                   `json:"phase"`
	Minutes              float64                  `json:"minutes"` // process time within the step
	FluxLMH              float64                  `json:"flux_lmh"`
	PermeateML           float64                  `json:"permeate_ml"`
	RetentateML          float64                  `json:"retentate_ml"`
	CakeThicknessNM      float64                  `json:"cake_thickness_nm"`
	PoresBlockedFraction float64                  `json:"pores_blocked_fraction"`
	Species              []FiltrationSpeciesState `json:"species"`
}

// FiltrationSpeciesState is one species on the membrane stage: particles
// drawn, and of them how many have passed (damaged among them), stayed
// in the retentate, or been trapped (lodged in a pore or in the deposit)
// by now; the rest (Waiting) have not reached the membrane yet. The
// engine's fractions for the whole step are given beside them.
type FiltrationSpeciesState struct {
	ID             string  `json:"id"`
	Drawn          int     `json:"drawn"`
	Waiting        int     `json:"waiting"`
	Passed         int     `json:"passed"`
	Damaged        int     `json:"damaged"`
	Retained       int     `json:"retained"`
	Trapped        int     `json:"trapped"`
	EnginePassed   float64 `json:"engine_passed_fraction"`
	EngineRetained float64 `json:"engine_retained_fraction"`
	EngineTrapped  float64 `json:"engine_trapped_fraction"`
}
