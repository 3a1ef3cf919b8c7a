package bridge

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"exosep/engine/filter"
	"exosep/engine/gradient"
	"exosep/engine/protocol"
	"exosep/engine/rotor"
	"exosep/engine/spin"
)

// Message types of whole protocols (the protocol builder).
const (
	// TypeProtocol (parent → stage): {"protocol": <engine/protocol.Protocol
	// JSON>, "volumeMl": n?, "seq": n?, "animation": Animation?}. The stage
	// validates it with the engine, answers protocolResult or protocolError
	// (echoing seq) and animates its steps in turn (ProtocolRun.Steps).
	TypeProtocol = "protocol"
	// TypeProtocolResult (stage → parent): {"seq": n, "result":
	// <protocol.Result JSON>} — the same shape as `exosep protocol --json`.
	TypeProtocolResult = "protocolResult"
	// TypeProtocolError (stage → parent): {"seq": n, "problems":
	// [protocol.Problem]}, each naming the step (1-based; 0: the protocol),
	// the field and the allowed range.
	TypeProtocolError = "protocolError"
)

// Animation are the stage-only settings of a protocol animation; zero
// fields take the defaults of Defaults().
type Animation struct {
	Particles     int     `json:"particles,omitempty"`
	TimeScale     float64 `json:"timeScale,omitempty"`
	Seed          uint64  `json:"seed,omitempty"`
	ReducedMotion bool    `json:"reducedMotion,omitempty"`
	// ColorProfile and Species are the display settings of Params.
	ColorProfile string   `json:"colorProfile,omitempty"`
	Species      []string `json:"species,omitempty"`
}

// withDefaults fills zero fields from Defaults().
func (a Animation) withDefaults() Animation {
	d := Defaults()
	if a.Particles == 0 {
		a.Particles = d.Particles
	}
	if a.TimeScale == 0 {
		a.TimeScale = d.TimeScale
	}
	if a.Seed == 0 {
		a.Seed = d.Seed
	}
	return a
}

// ProtocolRequest is a decoded protocol message. Protocol holds the raw
// JSON of the protocol, validated by RunProtocol.
type ProtocolRequest struct {
	Protocol  json.RawMessage
	VolumeML  float64
	Seq       int
	Animation Animation
}

// SpinStep is one spin of a protocol as the stage animates it: the
// engine's conditions for that step (rotor, speed, the suspending liquid
// as mixed by then, the effective time at full speed, ramps included)
// and, per catalogue species, the quadrature nodes the engine carried into
// the step with their counts.
type SpinStep struct {
	Step int // protocol step, 1-based
	Of   int // steps in the protocol
	Name string
	Keep string // pellet | supernatant
	// HoldMinutes is the time at speed the step asks for.
	HoldMinutes float64
	Spin        spin.Params
	Detail      protocol.SpinDetail
	Species     []protocol.SpeciesNodes // catalogue order
	// Next names what happens to what is kept: "resuspend", "pool",
	// "filter", "spin", "gradient" or "" (the product).
	Next string
}

// ProtocolRun is a validated protocol, its engine result, its spins and
// every step as the stage shows it.
type ProtocolRun struct {
	Seq    int
	Result *protocol.Result
	Spins  []SpinStep
	// Steps are all the protocol's steps in order (see ShownStep).
	Steps     []ShownStep
	Animation Animation
}

// RunProtocol validates req (the protocol with the engine's ParseFile:
// structure and every value; the volume; the animation settings) and runs
// it. Problems name the step (0 for the protocol), the field and the
// allowed range; an empty list means the run succeeded.
func RunProtocol(req ProtocolRequest, lib *protocol.Library) (*ProtocolRun, protocol.Problems) {
	p, probs := lib.ParseFile(req.Protocol)
	if !(req.VolumeML == 0 || (req.VolumeML > 0 && req.VolumeML <= protocol.MaxVolumeML)) {
		probs = append(probs, protocol.Problem{Field: "volume_ml", Message: fmt.Sprintf("%g mL is outside the allowed range: above 0 up to %d mL", req.VolumeML, protocol.MaxVolumeML)})
	}
	a := req.Animation.withDefaults()
	if !(a.Particles >= MinParticles && a.Particles <= MaxParticles) {
		probs = append(probs, protocol.Problem{Field: "animation.particles", Message: fmt.Sprintf("%d is outside the allowed range %d–%d", a.Particles, MinParticles, MaxParticles)})
	}
	if !(a.TimeScale >= MinTimeScale && a.TimeScale <= MaxTimeScale) {
		probs = append(probs, protocol.Problem{Field: "animation.timeScale", Message: fmt.Sprintf("%g is outside the allowed range %d–%d process seconds per second", a.TimeScale, MinTimeScale, MaxTimeScale)})
	}
	if err := checkColorProfile(a.ColorProfile); err != nil {
		probs = append(probs, protocol.Problem{Field: "animation.colorProfile", Message: err.(FieldError).Message})
	}
	if err := checkSpecies("animation.species", a.Species, lib.Catalog); err != nil {
		probs = append(probs, protocol.Problem{Field: "animation.species", Message: err.(FieldError).Message})
	}
	if len(probs) > 0 {
		return nil, probs
	}
	var inputs [][]protocol.SpeciesNodes
	grads := map[int]*gradient.Run{}
	membranes := map[int]*FiltrationStage{}
	res, err := lib.Run(p, protocol.Options{VolumeML: req.VolumeML,
		Trace: func(_ int, in []protocol.SpeciesNodes) {
			inputs = append(inputs, in)
		},
		GradientTrace: func(step int, r *gradient.Run) { grads[step] = r },
		FilterTrace: func(step int, fp filter.Params, fr *filter.Result) {
			s := p.Steps[step-1]
			name := s.Name
			if name == "" {
				name = s.Kind
			}
			membranes[step] = &FiltrationStage{Step: step, Of: len(p.Steps), Name: name, Kind: s.Kind, Params: fp, Res: fr}
		}})
	if err != nil {
		if ps, ok := err.(protocol.Problems); ok {
			return nil, ps
		}
		return nil, protocol.Problems{{Message: err.Error()}}
	}
	run := &ProtocolRun{Seq: req.Seq, Result: res, Animation: a}
	spinAt := map[int]int{} // step → index into run.Spins
	for i, sr := range res.Steps {
		if sr.Spin == nil {
			continue
		}
		d := sr.Spin
		r, err := lib.Catalog.Rotors.Find(d.Rotor)
		if err != nil {
			return nil, protocol.Problems{{Step: i + 1, Field: "rotor", Message: err.Error()}}
		}
		sp := spin.Params{Rotor: r, RPM: math.Min(d.RPM, r.MaxRPM), DurationS: d.EffectiveMinutes * 60, TemperatureC: d.TemperatureC,
			Medium: lib.Catalog.Media["pbs"], ViscosityPas: d.ViscosityMPas / 1e3, MediumDensityKgM3: d.DensityGPerML * 1e3}
		step := SpinStep{Step: i + 1, Of: len(res.Steps), Name: sr.Name, Keep: d.Keep, HoldMinutes: sr.Time.HoldMinutes, Spin: sp, Detail: *d, Species: inputs[i]}
		if i+1 < len(res.Steps) {
			step.Next = res.Steps[i+1].Kind
		}
		spinAt[i+1] = len(run.Spins)
		run.Spins = append(run.Spins, step)
	}
	for i, sr := range res.Steps {
		st := ShownStep{Step: i + 1, Of: len(res.Steps), Name: sr.Name, Kind: sr.Kind, Result: &res.Steps[i], Gradient: grads[i+1], Membrane: membranes[i+1]}
		if k, ok := spinAt[i+1]; ok {
			st.Spin = &run.Spins[k]
		}
		run.Steps = append(run.Steps, st)
	}
	return run, nil
}

// decodeProtocol reads the fields of a protocol message.
func decodeProtocol(raw map[string]json.RawMessage) (ProtocolRequest, error) {
	var req ProtocolRequest
	for k, v := range raw {
		var err error
		switch k {
		case "exosep", "type":
		case "protocol":
			req.Protocol = v
		case "volumeMl":
			err = json.Unmarshal(v, &req.VolumeML)
		case "seq":
			err = json.Unmarshal(v, &req.Seq)
		case "animation":
			d := json.NewDecoder(strings.NewReader(string(v)))
			d.DisallowUnknownFields()
			err = d.Decode(&req.Animation)
		default:
			return req, fmt.Errorf("message type protocol: unknown field %q (allowed: protocol, volumeMl, seq, animation)", k)
		}
		if err != nil {
			return req, fmt.Errorf("message type protocol: field %s: %v", k, err)
		}
	}
	if len(req.Protocol) == 0 {
		return req, fmt.Errorf("message type protocol: field protocol is required")
	}
	return req, nil
}

// ProtocolEnvelope is a stage → parent protocol message.
type ProtocolEnvelope struct {
	Exosep   int               `json:"exosep"`
	Type     string            `json:"type"`
	Seq      int               `json:"seq"`
	Result   *protocol.Result  `json:"result,omitempty"`
	Problems protocol.Problems `json:"problems,omitempty"`
}

// EncodeProtocol renders a protocolResult (run != nil) or protocolError
// message as JSON text.
func EncodeProtocol(seq int, run *ProtocolRun, probs protocol.Problems) string {
	e := ProtocolEnvelope{Exosep: Version, Seq: seq}
	if run != nil {
		e.Type, e.Result = TypeProtocolResult, run.Result
	} else {
		e.Type, e.Problems = TypeProtocolError, probs
	}
	b, err := json.Marshal(e)
	if err != nil { // a Result holds no NaN or infinity; this is a bug
		return Encode(Envelope{Type: TypeError, Field: "protocol", Message: err.Error()})
	}
	return string(b)
}

// rcfLabel is "110,000 × g" for a spin's caption.
func rcfLabel(d protocol.SpinDetail) string {
	v := d.RCFMax
	at := "r_max"
	switch d.RCFAt {
	case string(rotor.AtAvg):
		v, at = d.RCFAvg, "r_avg"
	case string(rotor.AtMin):
		v, at = d.RCFMin, "r_min"
	}
	return thousandsInt(v) + " × g (" + at + ")"
}

// Caption is the stage's one-line description of a spin step (Latin-1,
// for the debug font).
func (s SpinStep) Caption() string {
	return fmt.Sprintf("Step %d of %d: %s, %s min (%s with ramps)",
		s.Step, s.Of, rcfLabel(s.Detail), trimFloat(s.HoldMinutes), trimFloat(s.Detail.EffectiveMinutes))
}

func trimFloat(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", v), "0"), ".")
}

func thousandsInt(x float64) string {
	s := fmt.Sprintf("%.0f", x)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
