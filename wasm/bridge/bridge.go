package bridge

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"exosep/engine/catalog"
	"exosep/engine/rotor"
	"exosep/engine/spin"
)

// Version is the protocol version carried in every message's "exosep" field.
const Version = 1

// Message types.
const (
	TypeParams = "params"
	TypePlay   = "play"
	TypePause  = "pause"
	TypeReset  = "reset"
	TypeReady  = "ready"
	TypeResult = "result"
	TypeState  = "state"
	TypeError  = "error"
	// TypeFrames (parent → stage) opts in to frame messages:
	// {"every": n} posts one every n-th drawn frame; 0 turns them off.
	TypeFrames = "frames"
	// TypeFrame (stage → parent) reports drawing progress: {"frame": Frame}.
	TypeFrame = "frame"
)

// Params are the simulator's inputs, in the units their names say.
// Exactly one of RPM and RCF is set.
type Params struct {
	Rotor        string  `json:"rotor"`
	RPM          float64 `json:"rpm,omitempty"`
	RCF          float64 `json:"rcf,omitempty"`   // × g
	RCFAt        string  `json:"rcfAt,omitempty"` // min | avg | max (default max)
	Minutes      float64 `json:"minutes"`
	TemperatureC float64 `json:"temperatureC"`
	Medium       string  `json:"medium"` // water | pbs
	// Particles drawn on the stage (split evenly across species).
	Particles int `json:"particles"`
	// TimeScale is process seconds per wall-clock second (60: 1 s = 1 min).
	TimeScale     float64 `json:"timeScale"`
	Seed          uint64  `json:"seed"`
	ReducedMotion bool    `json:"reducedMotion"`
	// ColorProfile is the stage's palette: default, projector or
	// high-contrast ("" is the default). Display only (display.go).
	ColorProfile string `json:"colorProfile,omitempty"`
	// Species are the catalogue species drawn; empty draws every species.
	// Display only: Result and State still cover every species.
	Species []string `json:"species,omitempty"`
}

// Ranges of the stage-only parameters.
const (
	MinParticles = 100
	MaxParticles = 50000
	MinTimeScale = 1
	MaxTimeScale = 3600
)

// Defaults: SW 41 Ti at 100,000 × g (r_max) for 70 min at 4 °C in water.
func Defaults() Params {
	return Params{Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "max", Minutes: 70, TemperatureC: 4,
		Medium: "water", Particles: 5000, TimeScale: 60, Seed: 1, ColorProfile: ProfileDefault}
}

// FieldError names the offending field and the allowed range.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Envelope is any message.
type Envelope struct {
	Exosep  int     `json:"exosep"`
	Type    string  `json:"type"`
	Params  *Params `json:"params,omitempty"`
	Result  *Result `json:"result,omitempty"`
	State   *State  `json:"state,omitempty"`
	Frame   *Frame  `json:"frame,omitempty"`
	Field   string  `json:"field,omitempty"`
	Message string  `json:"message,omitempty"`
}

// Command is a validated parent → stage message.
type Command struct {
	Type   string
	Params Params // for TypeParams
	Every  int    // for TypeFrames: post a frame message every Every-th frame (0 = off)
	// Protocol is the request of a TypeProtocol message; Run is filled in
	// by whoever validated and ran it (so the stage need not run it again).
	Protocol ProtocolRequest
	Run      *ProtocolRun
	// Filtration is the request of a TypeFiltration message;
	// FiltrationRun is filled in by whoever validated and ran it.
	Filtration    FiltrationRequest
	FiltrationRun *FiltrationRun
	// Gradient is the request of a TypeGradient message; GradientRun is
	// filled in by whoever validated and ran it.
	Gradient    GradientRequest
	GradientRun *GradientRun
}

// DecodeCommand parses and validates a parent → stage message given as
// JSON text. Unknown fields, other versions and unknown types are errors.
func DecodeCommand(text string) (Command, error) {
	var raw struct {
		Exosep *int             `json:"exosep"`
		Type   string           `json:"type"`
		Params *json.RawMessage `json:"params"`
		Every  *int             `json:"every"`
	}
	// A protocol message has its own fields; decode it apart.
	var head struct {
		Exosep *int   `json:"exosep"`
		Type   string `json:"type"`
	}
	if json.Unmarshal([]byte(text), &head) == nil && head.Type == TypeProtocol && head.Exosep != nil && *head.Exosep == Version {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(text), &fields); err != nil {
			return Command{}, fmt.Errorf("malformed message: %v", err)
		}
		req, err := decodeProtocol(fields)
		if err != nil {
			return Command{}, err
		}
		return Command{Type: TypeProtocol, Protocol: req}, nil
	}
	if head.Type == TypeFiltration && head.Exosep != nil && *head.Exosep == Version {
		// Answered even when it does not decode (filtrationError naming
		// the field), so its seq is read first.
		return decodeFiltrationCommand(text)
	}
	if head.Type == TypeGradient && head.Exosep != nil && *head.Exosep == Version {
		// A gradient message is answered even when it does not decode
		// (gradientError naming the field), so its seq is read first.
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(text), &fields); err != nil {
			return Command{Type: TypeGradient}, FieldError{"gradient", fmt.Sprintf("malformed message: %v", err)}
		}
		var seq int
		if v, ok := fields["seq"]; ok {
			if err := json.Unmarshal(v, &seq); err != nil {
				return Command{Type: TypeGradient}, FieldError{"seq", "must be an integer"}
			}
		}
		req, err := decodeGradient(fields)
		req.Seq = seq
		return Command{Type: TypeGradient, Gradient: req}, err
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return Command{}, fmt.Errorf("malformed message: %v", err)
	}
	if dec.More() {
		return Command{}, fmt.Errorf("malformed message: text after the JSON object")
	}
	if raw.Exosep == nil || *raw.Exosep != Version {
		got := "missing"
		if raw.Exosep != nil {
			got = fmt.Sprint(*raw.Exosep)
		}
		return Command{}, fmt.Errorf("message field exosep: want protocol version %d, got %s", Version, got)
	}
	if raw.Every != nil && raw.Type != TypeFrames {
		return Command{}, fmt.Errorf("message type %q takes no field every", raw.Type)
	}
	switch raw.Type {
	case TypeFrames:
		if raw.Params != nil {
			return Command{}, fmt.Errorf("message type frames takes no params")
		}
		if raw.Every == nil || *raw.Every < 0 || *raw.Every > MaxFrameEvery {
			return Command{}, fmt.Errorf("message type frames: field every must be an integer 0–%d (0 = off)", MaxFrameEvery)
		}
		return Command{Type: TypeFrames, Every: *raw.Every}, nil
	case TypePlay, TypePause, TypeReset:
		if raw.Params != nil {
			return Command{}, fmt.Errorf("message type %q takes no params", raw.Type)
		}
		return Command{Type: raw.Type}, nil
	case TypeParams:
		if raw.Params == nil {
			return Command{}, fmt.Errorf("message type params: field params is required")
		}
		var p Params
		d := json.NewDecoder(strings.NewReader(string(*raw.Params)))
		d.DisallowUnknownFields()
		if err := d.Decode(&p); err != nil {
			return Command{}, fmt.Errorf("message params: %v", err)
		}
		return Command{Type: TypeParams, Params: p}, nil
	}
	return Command{}, fmt.Errorf("message field type: %q is not one of params, protocol, filtration, gradient, play, pause, reset, frames", raw.Type)
}

// Encode renders a stage → parent message as JSON text.
func Encode(e Envelope) string {
	e.Exosep = Version
	b, err := json.Marshal(e)
	if err != nil { // only non-finite floats can fail; they are never sent
		return fmt.Sprintf(`{"exosep":%d,"type":"error","field":"","message":%q}`, Version, err.Error())
	}
	return string(b)
}

// Resolve validates p against the catalogue and returns the engine's spin
// parameters. Errors are FieldErrors naming the field and its allowed range.
func Resolve(p Params, cat *catalog.Catalog) (spin.Params, error) {
	r, err := cat.Rotors.Find(p.Rotor)
	if err != nil {
		return spin.Params{}, FieldError{"rotor", err.Error()}
	}
	med, ok := cat.Media[p.Medium]
	if !ok {
		return spin.Params{}, FieldError{"medium", fmt.Sprintf("%q is not one of water, pbs", p.Medium)}
	}
	if !(p.Particles >= MinParticles && p.Particles <= MaxParticles) {
		return spin.Params{}, FieldError{"particles", fmt.Sprintf("%d is outside the allowed range %d–%d", p.Particles, MinParticles, MaxParticles)}
	}
	if !(p.TimeScale >= MinTimeScale && p.TimeScale <= MaxTimeScale) {
		return spin.Params{}, FieldError{"timeScale", fmt.Sprintf("%g is outside the allowed range %d–%d process seconds per second", p.TimeScale, MinTimeScale, MaxTimeScale)}
	}
	if err := checkColorProfile(p.ColorProfile); err != nil {
		return spin.Params{}, err
	}
	if err := checkSpecies("species", p.Species, cat); err != nil {
		return spin.Params{}, err
	}
	var rpm float64
	switch {
	case p.RPM != 0 && p.RCF != 0:
		return spin.Params{}, FieldError{"rpm", "give either rpm or rcf, not both"}
	case p.RPM != 0:
		rpm = p.RPM
		if !(rpm > 0 && rpm <= r.MaxRPM) {
			return spin.Params{}, FieldError{"rpm", fmt.Sprintf("%g is outside the allowed range 1–%.0f rpm for %s", p.RPM, r.MaxRPM, r.Name)}
		}
	case p.RCF != 0:
		at := rotor.AtMax
		if p.RCFAt != "" {
			if at, err = rotor.ParseConvention(p.RCFAt); err != nil {
				return spin.Params{}, FieldError{"rcfAt", err.Error()}
			}
		}
		radius := r.RadiusM(at)
		maxRCF := rotor.RCF(r.MaxRPM, radius)
		if !(p.RCF > 0 && p.RCF <= maxRCF*(1+1e-9)) {
			return spin.Params{}, FieldError{"rcf", fmt.Sprintf("%g × g is outside the allowed range 1–%.0f × g for %s at r_%s", p.RCF, maxRCF, r.Name, at)}
		}
		rpm = math.Min(rotor.RPMForRCF(p.RCF, radius), r.MaxRPM)
	default:
		return spin.Params{}, FieldError{"rpm", "a speed is required: rpm or rcf"}
	}
	lo, hi := med.RangeC()
	if !(p.TemperatureC >= lo && p.TemperatureC <= hi) {
		return spin.Params{}, FieldError{"temperatureC", fmt.Sprintf("%g °C is outside the allowed range %g–%g °C", p.TemperatureC, lo, hi)}
	}
	if !(p.Minutes > 0 && p.Minutes <= spin.MaxDurationS/60) {
		return spin.Params{}, FieldError{"minutes", fmt.Sprintf("%g is outside the allowed range: above 0 up to %g min", p.Minutes, float64(spin.MaxDurationS)/60)}
	}
	sp := spin.Params{Rotor: r, RPM: rpm, DurationS: p.Minutes * 60, TemperatureC: p.TemperatureC, Medium: med}
	if err := sp.Validate(); err != nil {
		return spin.Params{}, FieldError{"params", err.Error()}
	}
	return sp, nil
}

// ReferenceDensityKgM3 is the particle density used for the cut-off
// diameter readout (1.15 g/mL, mid-range of small EVs; the CLI's default).
const ReferenceDensityKgM3 = 1150

// SpeciesResult is one species in a Result.
type SpeciesResult struct {
	ID               string  `json:"id"`
	Name             string  `json:"name"`
	Short            string  `json:"short"`
	Color            string  `json:"color"`
	PelletedFraction float64 `json:"pelletedFraction"`
	FloatedFraction  float64 `json:"floatedFraction"`
	Svedberg         float64 `json:"svedberg"` // at median size, mid density
}

// Result is the engine's analytic answer for a Params.
type Result struct {
	Rotor            string          `json:"rotor"`
	RotorKind        string          `json:"rotorKind"`
	RPM              float64         `json:"rpm"`
	RCFMin           float64         `json:"rcfMin"`
	RCFAvg           float64         `json:"rcfAvg"`
	RCFMax           float64         `json:"rcfMax"`
	KFactor          float64         `json:"kFactor"`
	CutoffDiameterNm float64         `json:"cutoffDiameterNm"` // -1 when nothing of the reference density pellets
	Minutes          float64         `json:"minutes"`
	ViscosityMPas    float64         `json:"viscosityMPas"`
	MediumDensity    float64         `json:"mediumDensityGPerMl"`
	Species          []SpeciesResult `json:"species"`
}

// Compute resolves p and runs the engine.
func Compute(p Params, cat *catalog.Catalog) (Result, spin.Params, error) {
	sp, err := Resolve(p, cat)
	if err != nil {
		return Result{}, sp, err
	}
	res, err := spin.Run(sp, cat.Species)
	if err != nil {
		return Result{}, sp, FieldError{"params", err.Error()}
	}
	cut := sp.CutoffDiameterM(res.Conditions, ReferenceDensityKgM3)
	out := Result{
		Rotor: sp.Rotor.Name, RotorKind: string(sp.Rotor.Kind),
		RPM: res.RPM, RCFMin: res.RCFMin, RCFAvg: res.RCFAvg, RCFMax: res.RCFMax,
		KFactor: res.KFactor, CutoffDiameterNm: -1, Minutes: p.Minutes,
		ViscosityMPas: res.Conditions.ViscosityPas * 1e3,
		MediumDensity: res.Conditions.MediumDensityKgM3 / 1e3,
	}
	if !math.IsInf(cut, 1) {
		out.CutoffDiameterNm = cut * 1e9
	}
	for i, s := range res.Species {
		c := cat.Species[i]
		out.Species = append(out.Species, SpeciesResult{
			ID: s.ID, Name: c.Name, Short: c.Short, Color: c.Color,
			PelletedFraction: s.PelletedFraction, FloatedFraction: s.FloatedFraction,
			Svedberg: s.MedianSvedberg,
		})
	}
	return out, sp, nil
}

// SpeciesState is one species' count on the stage.
type SpeciesState struct {
	ID       string `json:"id"`
	Free     int    `json:"free"`
	Pelleted int    `json:"pelleted"`
	Floated  int    `json:"floated"`
	// In a gradient animation, from the engine at the state's time: the
	// fraction (1 = top) and medium density (g/mL) where the species'
	// particles in the liquid are most concentrated (0 when none are in
	// the liquid), and the shares of its particles pelleted and floated.
	PeakFraction      int     `json:"peakFraction,omitempty"`
	PeakDensityGPerML float64 `json:"peakDensityGPerMl,omitempty"`
	PelletedShare     float64 `json:"pelletedShare,omitempty"`
	FloatedShare      float64 `json:"floatedShare,omitempty"`
}

// State is the animation's state, sent at milestones.
type State struct {
	// Step is the protocol step being animated (1-based) in a protocol
	// animation, with its Phase: while the step plays, its scene's own
	// ("spin" for a spin; "spin" then "fractionate" for a density
	// gradient, with Drawn and Fractions; the membrane engine's
	// "filtration", "concentration" or "diafiltration" for a filter or
	// ultrafilter, with Filtration), Done once the step's end is shown;
	// then "pour-off" (after a spin) or "hand-off" (after a gradient or a
	// membrane): what the step keeps goes on; "note" for a resuspend or
	// pool step (nothing to animate); after the last step "done". Step is
	// absent for one spin. In a gradient animation Phase is "spin",
	// "fractionate" (fractions drawn from the top, Drawn of Fractions so
	// far) or "done".
	Step      int            `json:"step,omitempty"`
	Phase     string         `json:"phase,omitempty"`
	Drawn     int            `json:"drawn,omitempty"`
	Fractions int            `json:"fractions,omitempty"`
	Minutes   float64        `json:"minutes"` // process time reached
	Playing   bool           `json:"playing"`
	Done      bool           `json:"done"`
	Species   []SpeciesState `json:"species"`
	// ColorProfile and Shown echo the display settings in force: the
	// palette, and the species drawn (absent: every species). Species
	// above always lists every species, drawn or not.
	ColorProfile string   `json:"colorProfile,omitempty"`
	Shown        []string `json:"shown,omitempty"`
	// Filtration is a membrane animation's state (absent otherwise).
	Filtration *FiltrationState `json:"filtration,omitempty"`
}
