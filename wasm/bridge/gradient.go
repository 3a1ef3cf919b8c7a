package bridge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"exosep/engine/gradient"
	"exosep/engine/protocol"
)

// Message types of density-gradient runs (the gradient page).
const (
	// TypeGradient (parent → stage): {"gradient": <engine/gradient.Params
	// JSON>, "input": id?, "seq": n?, "animation": GradientAnimation?}.
	// The stage validates it with the engine, answers gradientResult or
	// gradientError (echoing seq) and animates the run.
	TypeGradient = "gradient"
	// TypeGradientResult (stage → parent): {"seq": n, "result":
	// GradientResult}.
	TypeGradientResult = "gradientResult"
	// TypeGradientError (stage → parent): {"seq": n, "field": f,
	// "message": m, "problems": [{field, message}]} — the first problem
	// in field and message, every problem in problems, each naming the
	// field (gradient.Params' JSON names; "input"; "animation.*") and the
	// allowed range.
	TypeGradientError = "gradientError"
)

// DefaultGradientInput is the sample of a gradient message without input.
const DefaultGradientInput = "msc-cm"

// Animation ranges of a gradient run. A gradient run lasts minutes to
// days, so its time scale goes far beyond a spin's; 0 (the default) fits
// the whole spin into GradientSpinWallS wall-clock seconds.
const (
	MaxGradientTimeScale = 1e6
	// GradientSpinWallS is how long the spin plays with the automatic
	// time scale, seconds.
	GradientSpinWallS = 12
)

// GradientAnimation are the stage-only settings of a gradient animation.
// Zero fields take defaults: Particles and Seed those of Defaults();
// TimeScale automatic (the spin in GradientSpinWallS seconds).
type GradientAnimation struct {
	Particles     int     `json:"particles,omitempty"`
	TimeScale     float64 `json:"timeScale,omitempty"`
	Seed          uint64  `json:"seed,omitempty"`
	ReducedMotion bool    `json:"reducedMotion,omitempty"`
	// ColorProfile and Species are the display settings of Params: the
	// palette, and the species drawn (empty: all). They change the
	// picture only, never the run or the result.
	ColorProfile string   `json:"colorProfile,omitempty"`
	Species      []string `json:"species,omitempty"`
}

// GradientRequest is a decoded gradient message.
type GradientRequest struct {
	Params    gradient.Params
	Input     string
	Seq       int
	Animation GradientAnimation
}

// GradientRun is a validated, computed gradient run for the stage.
type GradientRun struct {
	Seq       int
	Input     string
	Run       *gradient.Run
	Result    GradientResult
	Animation GradientAnimation // defaults filled in; TimeScale > 0
}

// GradientResult is the answer to a gradient message: the engine's
// fractions (index 1 at the top, per tube), the exosome peak, the pellet,
// the medium's own redistribution, warnings and the model's notes.
type GradientResult struct {
	Mode         string               `json:"mode"`
	Medium       string               `json:"medium"`
	MediumName   string               `json:"medium_name"`
	Input        string               `json:"input"`
	Rotor        string               `json:"rotor"`
	RPM          float64              `json:"rpm"`
	RCFAvg       float64              `json:"rcf_avg"`
	RCFMax       float64              `json:"rcf_max"`
	Minutes      float64              `json:"minutes"`
	DurationS    float64              `json:"duration_s"`
	TemperatureC float64              `json:"temperature_c"`
	SampleML     float64              `json:"sample_ml"`
	MeniscusM    float64              `json:"meniscus_m"`
	BottomM      float64              `json:"bottom_m"`
	Zones        []gradient.Zone      `json:"zones"`
	Species      []string             `json:"species"`
	Fractions    []gradient.Fraction  `json:"fractions"`
	ExosomePeak  int                  `json:"exosome_peak_fraction"`
	ExosomeRich  []int                `json:"exosome_rich_fractions"`
	Pellet       map[string]float64   `json:"pellet"`
	Equilibrated map[string]float64   `json:"equilibrated_share"`
	MediumReport GradientMediumReport `json:"medium_report"`
	Warnings     []string             `json:"warnings"`
	Notes        []string             `json:"notes"`
}

// GradientMediumReport is the medium's redistribution (gradient.MediumReport
// without its profile).
type GradientMediumReport struct {
	SedimentationS   float64 `json:"sedimentation_s"`
	DiffusionM2S     float64 `json:"diffusion_m2_s"`
	RelaxationTimeS  float64 `json:"relaxation_time_s"`
	ApproachAtEnd    float64 `json:"approach_at_end"`
	FormationTime90S float64 `json:"formation_time_90_s"`
	Extrapolated     bool    `json:"extrapolated"`
}

// decodeGradient reads the fields of a gradient message. The run's
// parameters and the animation refuse unknown fields.
func decodeGradient(raw map[string]json.RawMessage) (GradientRequest, error) {
	req := GradientRequest{Input: DefaultGradientInput}
	has := false
	for k, v := range raw {
		var err error
		switch k {
		case "exosep", "type":
		case "gradient":
			has = true
			d := json.NewDecoder(bytes.NewReader(v))
			d.DisallowUnknownFields()
			err = d.Decode(&req.Params)
		case "input":
			err = json.Unmarshal(v, &req.Input)
		case "seq":
			err = json.Unmarshal(v, &req.Seq)
		case "animation":
			d := json.NewDecoder(bytes.NewReader(v))
			d.DisallowUnknownFields()
			err = d.Decode(&req.Animation)
		default:
			return req, FieldError{k, "unknown field of a gradient message (allowed: gradient, input, seq, animation)"}
		}
		if err != nil {
			return req, FieldError{k, fmt.Sprintf("cannot be read: %v", strings.TrimPrefix(err.Error(), "json: "))}
		}
	}
	if !has {
		return req, FieldError{"gradient", "required: the run's parameters (mode, medium, densities, rotor, rpm or rcf, minutes, fractions)"}
	}
	return req, nil
}

// RunGradient validates req (the run's parameters with the engine's
// Validate, the input, the animation settings) and computes the run.
// Problems name the field and the allowed range; an empty list means the
// run succeeded.
func RunGradient(req GradientRequest, gl *gradient.Library, pl *protocol.Library) (*GradientRun, gradient.Problems) {
	probs := gl.Validate(req.Params)
	if _, ok := pl.Input(req.Input); !ok {
		probs = append(probs, gradient.Problem{Field: "input", Message: fmt.Sprintf("%q is not a known sample (allowed: %s)", req.Input, strings.Join(pl.InputIDs(), ", "))})
	}
	a := req.Animation
	d := Defaults()
	if a.Particles == 0 {
		a.Particles = d.Particles
	}
	if a.Seed == 0 {
		a.Seed = d.Seed
	}
	if !(a.Particles >= MinParticles && a.Particles <= MaxParticles) {
		probs = append(probs, gradient.Problem{Field: "animation.particles", Message: fmt.Sprintf("%d is outside the allowed range %d–%d", a.Particles, MinParticles, MaxParticles)})
	}
	if !(a.TimeScale == 0 || (a.TimeScale >= MinTimeScale && a.TimeScale <= MaxGradientTimeScale)) {
		probs = append(probs, gradient.Problem{Field: "animation.timeScale", Message: fmt.Sprintf("%g is outside the allowed range %d–%g process seconds per second (0: automatic, the spin in %d s)", a.TimeScale, MinTimeScale, MaxGradientTimeScale, GradientSpinWallS)})
	}
	if err := checkColorProfile(a.ColorProfile); err != nil {
		probs = append(probs, gradient.Problem{Field: "animation.colorProfile", Message: err.(FieldError).Message})
	}
	if err := checkSpecies("animation.species", a.Species, gl.Catalog); err != nil {
		probs = append(probs, gradient.Problem{Field: "animation.species", Message: err.(FieldError).Message})
	}
	if len(probs) > 0 {
		return nil, probs
	}
	r, _ := gl.Catalog.Rotors.Find(req.Params.Rotor) // Validate checked it
	sampleML := req.Params.SampleML
	if sampleML == 0 {
		sampleML = gl.Handling.SampleShare * r.TubeVolumeM3 * 1e6
	}
	celsius := float64(gradient.DefaultTemperatureC)
	if req.Params.TemperatureC != nil {
		celsius = *req.Params.TemperatureC
	}
	sample, err := pl.GradientSample(req.Input, sampleML, celsius)
	if err != nil {
		return nil, gradient.Problems{{Field: "sample_ml", Message: err.Error()}}
	}
	run, err := gl.Compute(req.Params, sample)
	if err != nil {
		if ps, ok := err.(gradient.Problems); ok {
			return nil, ps
		}
		return nil, gradient.Problems{{Field: "gradient", Message: err.Error()}}
	}
	if a.TimeScale == 0 {
		a.TimeScale = run.DurationS / GradientSpinWallS
	}
	gr := &GradientRun{Seq: req.Seq, Input: req.Input, Run: run, Animation: a, Result: NewGradientResult(run, req.Input)}
	return gr, nil
}

// NewGradientResult is the page's view of a run.
func NewGradientResult(run *gradient.Run, input string) GradientResult {
	res := GradientResult{Mode: run.Params.Mode, Medium: run.Params.Medium, MediumName: run.Medium.Name, Input: input,
		Rotor: run.Rotor, RPM: run.RPM, RCFAvg: run.RCFAvg, RCFMax: run.RCFMax, Minutes: run.Params.Minutes,
		DurationS: run.DurationS, TemperatureC: run.TemperatureC, SampleML: run.SampleML,
		MeniscusM: run.MeniscusM, BottomM: run.BottomM, Zones: run.Zones, Species: run.Species,
		Fractions: run.Fractions(), ExosomePeak: run.ExosomePeak, ExosomeRich: run.ExosomeRich,
		Pellet: run.Pellet(), Equilibrated: run.Equilibrated, Warnings: run.Warnings, Notes: run.Notes,
		MediumReport: GradientMediumReport{SedimentationS: run.Medium.SedimentationS, DiffusionM2S: run.Medium.DiffusionM2S,
			RelaxationTimeS: run.Medium.RelaxationTimeS, ApproachAtEnd: run.Medium.ApproachAtEnd,
			FormationTime90S: run.Medium.FormationTime90S, Extrapolated: run.Medium.Extrapolated}}
	if res.Warnings == nil {
		res.Warnings = []string{}
	}
	if res.ExosomeRich == nil {
		res.ExosomeRich = []int{}
	}
	return res
}

// GradientEnvelope is a stage → parent gradient message.
type GradientEnvelope = RunEnvelope[GradientResult, gradient.Problem]

var gradientKind = runKind{TypeGradientResult, TypeGradientError, "gradient"}

// EncodeGradient renders a gradientResult (run != nil) or gradientError
// message as JSON text.
func EncodeGradient(seq int, run *GradientRun, probs gradient.Problems) string {
	var res *GradientResult
	if run != nil {
		res = &run.Result
	}
	return encodeRun(gradientKind, seq, res, probs, func(p gradient.Problem) (string, string) { return p.Field, p.Message })
}

// GradientErrorText renders a gradientError for a message that did not
// decode (seq unknown: 0 unless the message carried one).
func GradientErrorText(seq int, err error) string {
	fe := asFieldError(err, gradientKind.field)
	return EncodeGradient(seq, nil, gradient.Problems{{Field: fe.Field, Message: fe.Message}})
}
