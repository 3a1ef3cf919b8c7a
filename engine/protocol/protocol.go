package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"exosep/engine/filter"
	"exosep/engine/gradient"
	"exosep/engine/rotor"
	"exosep/engine/spin"
)

// Species ids the engine refers to by name.
const (
	ExosomeID = "exosome"
	AlbuminID = "albumin"
)

// Step kinds.
const (
	KindSpin        = "spin"
	KindFilter      = "filter"
	KindUltrafilter = "ultrafilter"
	KindResuspend   = "resuspend"
	KindPool        = "pool"
	KindGradient    = "gradient"
)

// Keep values of a spin.
const (
	KeepPellet      = "pellet"
	KeepSupernatant = "supernatant"
)

// Protocol is an ordered list of steps applied to one input sample. It is a
// plain JSON-serialisable value (the format of data/presets/*.json and of
// `exosep protocol --file`); units are in the field names.
type Protocol struct {
	// ID names a preset (its file name); empty for other protocols.
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	// Source is a key of data/sources.json (required for presets).
	Source string `json:"source,omitempty"`
	Note   string `json:"note,omitempty"`
	// Input is an input id of data/inputs.json ("msc-cm", "plasma").
	Input string `json:"input"`
	// VolumeML is the sample volume in mL; 0 uses the input's default.
	VolumeML float64 `json:"volume_ml,omitempty"`
	Steps    []Step  `json:"steps"`
}

// Step is one step. Kind selects which fields apply:
//
//	spin:      rotor, rpm or rcf (+ rcf_at), minutes, keep; optional
//	           temperature_c, accel_minutes, decel_minutes, residual_ul
//	filter:    pore_um or membrane (a catalogue microfilter); optional
//	           module (a dead-end holder), tmp_kpa — all the liquid is
//	           pushed through and the filtrate is kept
//	ultrafilter: membrane (a catalogue ultrafilter) or mwco_kda; optional
//	           mode (tff, the default, or deadend), module, tmp_kpa,
//	           shear_rate_per_s (tff); concentration_factor or
//	           final_volume_ml (one of them); optional
//	           diafiltration_volumes — the retentate is kept
//	resuspend: volume_ml — bring each vessel to this volume with PBS
//	           (resuspends a pellet; a vessel already fuller is left as it
//	           is, with a warning), or factor — multiply the volume by it
//	           with PBS (dilutes a liquid: 2 is 1:1)
//	pool:      no fields — combine all vessels into one
//	gradient:  gradient — a density-gradient run (package gradient's
//	           Params: medium, mode, densities or percentages, layers,
//	           cushion, rotor, rpm or rcf, minutes, fractions, …), and
//	           keep_fractions — "peak" (the exosome-rich fractions) or a
//	           list of 1-based fraction indices (1 = top); the kept
//	           fractions are pooled and become the liquid of later steps
//
// A wash is resuspend + spin. Name, Note and Source may be given on any step.
type Step struct {
	Kind   string `json:"kind"`
	Name   string `json:"name,omitempty"`
	Note   string `json:"note,omitempty"`
	Source string `json:"source,omitempty"`

	Rotor string `json:"rotor,omitempty"`
	// RPM or RCF (× g at the radius RCFAt: "min", "avg" or "max"; default
	// "max") gives the speed; exactly one of them.
	RPM   float64 `json:"rpm,omitempty"`
	RCF   float64 `json:"rcf,omitempty"`
	RCFAt string  `json:"rcf_at,omitempty"`
	// Minutes is the time at speed.
	Minutes float64 `json:"minutes,omitempty"`
	// TemperatureC defaults to the data's 4 °C when nil.
	TemperatureC *float64 `json:"temperature_c,omitempty"`
	Keep         string   `json:"keep,omitempty"`
	// AccelMinutes and DecelMinutes override the default ramps (a stated
	// estimate scaled from one instrument's figure).
	AccelMinutes *float64 `json:"accel_minutes,omitempty"`
	DecelMinutes *float64 `json:"decel_minutes,omitempty"`
	// ResidualUL overrides the liquid left with each pellet, µL per tube.
	ResidualUL float64 `json:"residual_ul,omitempty"`

	PoreUM float64 `json:"pore_um,omitempty"`
	// Membrane filtration (filter, ultrafilter): a catalogue membrane id
	// (data/membranes.json), or for an ultrafilter its MWCO in kDa; the
	// mode (deadend | tff), a catalogue module, the transmembrane pressure
	// (0: the data's default for the mode), the end of concentration
	// (factor or final volume), diafiltration volumes and the fibres' wall
	// shear rate (tff; 0: the data's default).
	Membrane             string  `json:"membrane,omitempty"`
	MWCOkDa              float64 `json:"mwco_kda,omitempty"`
	Mode                 string  `json:"mode,omitempty"`
	Module               string  `json:"module,omitempty"`
	TMPkPa               float64 `json:"tmp_kpa,omitempty"`
	ConcentrationFactor  float64 `json:"concentration_factor,omitempty"`
	FinalVolumeML        float64 `json:"final_volume_ml,omitempty"`
	DiafiltrationVolumes float64 `json:"diafiltration_volumes,omitempty"`
	ShearRatePerS        float64 `json:"shear_rate_per_s,omitempty"`

	VolumeML float64 `json:"volume_ml,omitempty"`
	Factor   float64 `json:"factor,omitempty"`

	Gradient      *gradient.Params `json:"gradient,omitempty"`
	KeepFractions *KeepFractions   `json:"keep_fractions,omitempty"`
}

// KeepFractions selects the fractions a gradient step keeps: Peak (JSON
// "peak": the exosome-rich fractions the run finds) or List (JSON
// [i, …], 1-based, 1 = top).
type KeepFractions struct {
	Peak bool
	List []int
}

// MarshalJSON writes "peak" or the list.
func (k KeepFractions) MarshalJSON() ([]byte, error) {
	if k.Peak {
		return []byte(`"peak"`), nil
	}
	return json.Marshal(k.List)
}

// UnmarshalJSON reads "peak" or a list of integers.
func (k *KeepFractions) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if s != "peak" {
			return fmt.Errorf("%q is not allowed (allowed: \"peak\" or a list of fraction numbers, 1 = top)", s)
		}
		*k = KeepFractions{Peak: true}
		return nil
	}
	var l []int
	if err := json.Unmarshal(b, &l); err != nil {
		return errors.New(`expected "peak" or a list of fraction numbers (1 = top)`)
	}
	*k = KeepFractions{List: l}
	return nil
}

// Problem is one problem with a protocol, naming the step (1-based; 0 for
// the protocol itself) and the field.
type Problem struct {
	Step     int    `json:"step"`
	StepName string `json:"step_name,omitempty"`
	Kind     string `json:"kind,omitempty"`
	Field    string `json:"field"`
	Message  string `json:"message"`
}

// String formats the problem as `step 3 (spin "10,000 × g"): field rcf: …`.
func (p Problem) String() string {
	var b strings.Builder
	if p.Step > 0 {
		fmt.Fprintf(&b, "step %d", p.Step)
		switch {
		case p.Kind != "" && p.StepName != "":
			fmt.Fprintf(&b, " (%s %q)", p.Kind, p.StepName)
		case p.Kind != "":
			fmt.Fprintf(&b, " (%s)", p.Kind)
		case p.StepName != "":
			fmt.Fprintf(&b, " (%q)", p.StepName)
		}
		b.WriteString(": ")
	}
	if p.Field != "" {
		fmt.Fprintf(&b, "field %s: ", p.Field)
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is a list of problems; as an error it prints one per line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// fieldsOf lists the fields each kind accepts (besides kind, name, note,
// source).
var fieldsOf = map[string][]string{
	KindSpin:        {"rotor", "rpm", "rcf", "rcf_at", "minutes", "temperature_c", "keep", "accel_minutes", "decel_minutes", "residual_ul"},
	KindFilter:      {"pore_um", "membrane", "module", "tmp_kpa"},
	KindUltrafilter: {"membrane", "mwco_kda", "mode", "module", "tmp_kpa", "concentration_factor", "final_volume_ml", "diafiltration_volumes", "shear_rate_per_s"},
	KindResuspend:   {"volume_ml", "factor"},
	KindPool:        {},
	KindGradient:    {"gradient", "keep_fractions"},
}

var kinds = []string{KindSpin, KindFilter, KindUltrafilter, KindResuspend, KindPool, KindGradient}

var protocolFields = []string{"id", "name", "source", "note", "input", "volume_ml", "steps"}

// Parse decodes a protocol file, reporting every structural problem (bad
// JSON, unknown fields, wrong types) at once. Values, and fields given to
// a kind of step that does not use them, are checked by Library.Validate;
// Library.ParseFile does both.
func Parse(data []byte) (Protocol, Problems) {
	var p Protocol
	var probs Problems
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return p, Problems{{Message: "not a JSON object: " + err.Error()}}
	}
	keys := sortedKeys(top)
	for _, k := range keys {
		raw := top[k]
		var err error
		switch k {
		case "id":
			err = json.Unmarshal(raw, &p.ID)
		case "name":
			err = json.Unmarshal(raw, &p.Name)
		case "source":
			err = json.Unmarshal(raw, &p.Source)
		case "note":
			err = json.Unmarshal(raw, &p.Note)
		case "input":
			err = json.Unmarshal(raw, &p.Input)
		case "volume_ml":
			err = json.Unmarshal(raw, &p.VolumeML)
		case "steps":
			var steps []json.RawMessage
			if err = json.Unmarshal(raw, &steps); err == nil {
				for i, s := range steps {
					st, sp := parseStep(i+1, s)
					p.Steps = append(p.Steps, st)
					probs = append(probs, sp...)
				}
			}
		default:
			probs = append(probs, Problem{Field: k, Message: "unknown field (allowed: " + strings.Join(protocolFields, ", ") + ")"})
			continue
		}
		if err != nil {
			probs = append(probs, Problem{Field: k, Message: typeMessage(err)})
		}
	}
	return p, probs
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func typeMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want := "a string"
		switch te.Type.Kind() {
		case reflect.Float64, reflect.Pointer:
			want = "a number"
		case reflect.Slice:
			want = "a list"
		}
		return fmt.Sprintf("expected %s, found a JSON %s", want, te.Value)
	}
	return err.Error()
}

func parseStep(n int, raw json.RawMessage) (Step, Problems) {
	var s Step
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return s, Problems{{Step: n, Message: "not a JSON object: " + typeMessage(err)}}
	}
	// Kind and name first, so that later problems can name the step.
	var probs Problems
	if r, ok := m["kind"]; ok {
		if err := json.Unmarshal(r, &s.Kind); err != nil {
			probs = append(probs, Problem{Step: n, Field: "kind", Message: typeMessage(err)})
		}
	}
	if r, ok := m["name"]; ok {
		if err := json.Unmarshal(r, &s.Name); err != nil {
			probs = append(probs, Problem{Step: n, Kind: s.Kind, Field: "name", Message: typeMessage(err)})
		}
	}
	allowed, known := fieldsOf[s.Kind]
	for _, k := range sortedKeys(m) {
		r := m[k]
		pr := Problem{Step: n, StepName: s.Name, Kind: s.Kind, Field: k}
		var err error
		switch k {
		case "kind", "name":
			continue
		case "note":
			err = json.Unmarshal(r, &s.Note)
		case "source":
			err = json.Unmarshal(r, &s.Source)
		case "rotor":
			err = json.Unmarshal(r, &s.Rotor)
		case "rpm":
			err = json.Unmarshal(r, &s.RPM)
		case "rcf":
			err = json.Unmarshal(r, &s.RCF)
		case "rcf_at":
			err = json.Unmarshal(r, &s.RCFAt)
		case "minutes":
			err = json.Unmarshal(r, &s.Minutes)
		case "temperature_c":
			err = json.Unmarshal(r, &s.TemperatureC)
		case "keep":
			err = json.Unmarshal(r, &s.Keep)
		case "accel_minutes":
			err = json.Unmarshal(r, &s.AccelMinutes)
		case "decel_minutes":
			err = json.Unmarshal(r, &s.DecelMinutes)
		case "residual_ul":
			err = json.Unmarshal(r, &s.ResidualUL)
		case "pore_um":
			err = json.Unmarshal(r, &s.PoreUM)
		case "membrane":
			err = json.Unmarshal(r, &s.Membrane)
		case "mwco_kda":
			err = json.Unmarshal(r, &s.MWCOkDa)
		case "mode":
			err = json.Unmarshal(r, &s.Mode)
		case "module":
			err = json.Unmarshal(r, &s.Module)
		case "tmp_kpa":
			err = json.Unmarshal(r, &s.TMPkPa)
		case "concentration_factor":
			err = json.Unmarshal(r, &s.ConcentrationFactor)
		case "final_volume_ml":
			err = json.Unmarshal(r, &s.FinalVolumeML)
		case "diafiltration_volumes":
			err = json.Unmarshal(r, &s.DiafiltrationVolumes)
		case "shear_rate_per_s":
			err = json.Unmarshal(r, &s.ShearRatePerS)
		case "volume_ml":
			err = json.Unmarshal(r, &s.VolumeML)
		case "factor":
			err = json.Unmarshal(r, &s.Factor)
		case "gradient":
			var g gradient.Params
			dec := json.NewDecoder(bytes.NewReader(r))
			dec.DisallowUnknownFields()
			if err = dec.Decode(&g); err == nil {
				s.Gradient = &g
			}
		case "keep_fractions":
			var k KeepFractions
			if err = json.Unmarshal(r, &k); err == nil {
				s.KeepFractions = &k
			}
		default:
			pr.Message = "unknown field"
			if known {
				pr.Message += " (allowed for a " + s.Kind + " step: " + strings.Join(append([]string{"kind", "name", "note", "source"}, allowed...), ", ") + ")"
			}
			probs = append(probs, pr)
			continue
		}
		if err != nil {
			pr.Message = typeMessage(err)
			probs = append(probs, pr)
			continue
		}
	}
	return s, probs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ParseFile parses a protocol file and validates it: every problem once,
// structural ones (Parse) first; a field with a structural problem is not
// checked again for its value.
func (l *Library) ParseFile(data []byte) (Protocol, Problems) {
	p, probs := Parse(data)
	type key struct {
		step  int
		field string
	}
	seen := map[key]bool{}
	for _, pr := range probs {
		seen[key{pr.Step, pr.Field}] = true
	}
	for _, pr := range l.Validate(p) {
		if !seen[key{pr.Step, pr.Field}] {
			probs = append(probs, pr)
		}
	}
	return p, probs
}

// Limits on protocol values not set by a rotor, filter or input.
const (
	MaxSteps          = 60
	MaxVolumeML       = 100000 // 100 L
	MaxResuspendML    = 2000
	MaxFactor         = 1000
	MinPoreUM         = 0.02
	MaxPoreUM         = 10
	MaxRampMinutes    = 60
	MaxMinutes        = spin.MaxDurationS / 60
	DefaultConvention = rotor.AtMax
)

// Validate checks every value of p against the library (inputs, rotors,
// media, sources) and returns all problems, each naming the step and field
// and the allowed range. An empty result means p can Run.
func (l *Library) Validate(p Protocol) Problems {
	var probs Problems
	top := func(field, format string, a ...any) {
		probs = append(probs, Problem{Field: field, Message: fmt.Sprintf(format, a...)})
	}
	if _, ok := l.Input(p.Input); !ok {
		top("input", "%q is not a known input (allowed: %s)", p.Input, strings.Join(l.InputIDs(), ", "))
	}
	if p.VolumeML != 0 && !(p.VolumeML > 0 && p.VolumeML <= MaxVolumeML) {
		top("volume_ml", "%s mL is outside the allowed range: above 0 up to %d mL (0 or absent: the input's default)", num(p.VolumeML), MaxVolumeML)
	}
	if p.Source != "" {
		if _, ok := l.Catalog.Sources[p.Source]; !ok {
			top("source", "%q is not a key of sources.json", p.Source)
		}
	}
	if len(p.Steps) == 0 || len(p.Steps) > MaxSteps {
		top("steps", "%d steps; allowed 1–%d", len(p.Steps), MaxSteps)
	}
	for i, s := range p.Steps {
		probs = append(probs, l.validateStep(i+1, s)...)
	}
	return probs
}

func (l *Library) validateStep(n int, s Step) Problems {
	var probs Problems
	bad := func(field, format string, a ...any) {
		probs = append(probs, Problem{Step: n, StepName: s.Name, Kind: s.Kind, Field: field, Message: fmt.Sprintf(format, a...)})
	}
	allowed, ok := fieldsOf[s.Kind]
	if !ok {
		bad("kind", "%q is not a step kind (allowed: %s)", s.Kind, strings.Join(kinds, ", "))
		return probs
	}
	if s.Source != "" {
		if _, ok := l.Catalog.Sources[s.Source]; !ok {
			bad("source", "%q is not a key of sources.json", s.Source)
		}
	}
	// Fields set that the kind does not use.
	set := map[string]bool{
		"rotor": s.Rotor != "", "rpm": s.RPM != 0, "rcf": s.RCF != 0, "rcf_at": s.RCFAt != "",
		"minutes": s.Minutes != 0, "temperature_c": s.TemperatureC != nil, "keep": s.Keep != "",
		"accel_minutes": s.AccelMinutes != nil, "decel_minutes": s.DecelMinutes != nil, "residual_ul": s.ResidualUL != 0,
		"pore_um": s.PoreUM != 0, "volume_ml": s.VolumeML != 0, "factor": s.Factor != 0,
		"membrane": s.Membrane != "", "mwco_kda": s.MWCOkDa != 0, "mode": s.Mode != "", "module": s.Module != "",
		"tmp_kpa": s.TMPkPa != 0, "concentration_factor": s.ConcentrationFactor != 0, "final_volume_ml": s.FinalVolumeML != 0,
		"diafiltration_volumes": s.DiafiltrationVolumes != 0, "shear_rate_per_s": s.ShearRatePerS != 0,
		"gradient": s.Gradient != nil, "keep_fractions": s.KeepFractions != nil,
	}
	for _, f := range []string{"rotor", "rpm", "rcf", "rcf_at", "minutes", "temperature_c", "keep", "accel_minutes", "decel_minutes", "residual_ul", "pore_um", "volume_ml", "factor",
		"membrane", "mwco_kda", "mode", "module", "tmp_kpa", "concentration_factor", "final_volume_ml", "diafiltration_volumes", "shear_rate_per_s", "gradient", "keep_fractions"} {
		if set[f] && !contains(allowed, f) {
			bad(f, "not used by a %s step (allowed: %s)", s.Kind, strings.Join(append([]string{"kind", "name", "note", "source"}, allowed...), ", "))
		}
	}
	switch s.Kind {
	case KindSpin:
		r, err := l.Catalog.Rotors.Find(s.Rotor)
		if err != nil {
			if s.Rotor == "" {
				bad("rotor", "required (allowed: %s)", strings.Join(l.Catalog.Rotors.Names(), ", "))
			} else {
				bad("rotor", "%q is not a catalogue rotor (allowed: %s)", s.Rotor, strings.Join(l.Catalog.Rotors.Names(), ", "))
			}
		}
		conv := DefaultConvention
		if s.RCFAt != "" {
			c, err := rotor.ParseConvention(s.RCFAt)
			if err != nil {
				bad("rcf_at", "%q is not a radius convention (allowed: min, avg, max)", s.RCFAt)
			} else {
				conv = c
			}
			if s.RCF == 0 {
				bad("rcf_at", "given without rcf (it says at which radius rcf applies)")
			}
		}
		switch {
		case (s.RPM != 0) == (s.RCF != 0):
			bad("rpm", "give exactly one of rpm and rcf")
		case s.RPM != 0:
			switch {
			case err == nil && !(s.RPM > 0 && s.RPM <= r.MaxRPM):
				bad("rpm", "%s rpm is outside the allowed range: above 0 up to the %s maximum %s rpm", num(s.RPM), r.Name, num(r.MaxRPM))
			case !(s.RPM > 0):
				bad("rpm", "%s rpm must be above 0", num(s.RPM))
			}
		default:
			if err != nil {
				if !(s.RCF > 0) {
					bad("rcf", "%s × g must be above 0", num(s.RCF))
				}
				break
			}
			maxRCF := rotor.RCF(r.MaxRPM, r.RadiusM(conv))
			allowed := fmt.Sprintf("allowed: above 0 up to %s × g at r_%s, i.e. %s rpm", floor0(maxRCF), conv, num(r.MaxRPM))
			switch {
			case !(s.RCF > 0):
				bad("rcf", "%s × g must be above 0 (%s)", num(s.RCF), allowed)
			case s.RCF > maxRCF:
				bad("rcf", "%s × g is above the %s maximum %s × g at r_%s (%s)", num(s.RCF), r.Name, floor0(maxRCF), conv, allowed)
			}
		}
		if !(s.Minutes > 0 && s.Minutes <= MaxMinutes) {
			bad("minutes", "%s min is outside the allowed range: above 0 up to %d min", num(s.Minutes), MaxMinutes)
		}
		if s.TemperatureC != nil {
			lo, hi := l.Catalog.Media["pbs"].RangeC()
			if t := *s.TemperatureC; math.IsNaN(t) || t < lo || t > hi {
				bad("temperature_c", "%s °C is outside the allowed range %s–%s °C", num(t), num(lo), num(hi))
			}
		}
		switch s.Keep {
		case KeepPellet, KeepSupernatant:
		case "":
			bad("keep", "required (allowed: pellet, supernatant)")
		default:
			bad("keep", "%q is not allowed (allowed: pellet, supernatant)", s.Keep)
		}
		for _, rp := range []struct {
			field string
			v     *float64
		}{{"accel_minutes", s.AccelMinutes}, {"decel_minutes", s.DecelMinutes}} {
			if rp.v != nil && !(*rp.v >= 0 && *rp.v <= MaxRampMinutes) {
				bad(rp.field, "%s min is outside the allowed range 0–%d min", num(*rp.v), MaxRampMinutes)
			}
		}
		if s.ResidualUL != 0 && err == nil {
			if maxUL := r.TubeVolumeM3 * 1e9 / 2; !(s.ResidualUL > 0 && s.ResidualUL <= maxUL) {
				bad("residual_ul", "%s µL is outside the allowed range: above 0 up to half the %s tube, %s µL", num(s.ResidualUL), r.Name, num(maxUL))
			}
		}
	case KindGradient:
		gl, err := gradient.Default()
		switch {
		case err != nil:
			bad("gradient", "the gradient data could not be loaded: %v", err)
		case s.Gradient == nil:
			bad("gradient", "required: the run's parameters (medium, mode, densities or percentages, rotor, rpm or rcf, minutes, fractions)")
		default:
			for _, pr := range gl.Validate(*s.Gradient) {
				bad("gradient."+pr.Field, "%s", pr.Message)
			}
		}
		switch {
		case s.KeepFractions == nil:
			bad("keep_fractions", `required: "peak" (the exosome-rich fractions) or a list of fraction numbers (1 = top)`)
		case !s.KeepFractions.Peak:
			n := 0
			if s.Gradient != nil {
				n = s.Gradient.Fractions
			}
			seen := map[int]bool{}
			if len(s.KeepFractions.List) == 0 {
				bad("keep_fractions", "the list is empty (allowed: fraction numbers 1–%d, or \"peak\")", n)
			}
			for _, j := range s.KeepFractions.List {
				if j < 1 || (n > 0 && j > n) || seen[j] {
					bad("keep_fractions", "%d is not allowed (allowed: distinct fraction numbers 1–%d, 1 = top)", j, n)
					break
				}
				seen[j] = true
			}
		}
	case KindFilter:
		mc := l.Catalog.Membranes
		switch {
		case s.Membrane != "" && s.PoreUM != 0:
			bad("membrane", "give one of membrane and pore_um, not both")
		case s.Membrane != "":
			if m, ok := mc.Membrane(s.Membrane); !ok || m.Kind != filter.Microfilter {
				bad("membrane", "%q is not a catalogue microfilter (allowed: %s)", s.Membrane, strings.Join(mc.IDs(filter.Microfilter), ", "))
			}
		case !(s.PoreUM >= MinPoreUM && s.PoreUM <= MaxPoreUM):
			bad("pore_um", "%s µm is outside the allowed range %s–%s µm (common: 0.22, 0.45)", num(s.PoreUM), num(MinPoreUM), num(MaxPoreUM))
		}
		l.validateFiltration(s, filter.DeadEnd, bad)
	case KindUltrafilter:
		mc := l.Catalog.Membranes
		switch {
		case (s.Membrane != "") == (s.MWCOkDa != 0):
			bad("membrane", "give exactly one of membrane (allowed: %s) and mwco_kda", strings.Join(mc.IDs(filter.Ultrafilter), ", "))
		case s.Membrane != "":
			if m, ok := mc.Membrane(s.Membrane); !ok || m.Kind != filter.Ultrafilter {
				bad("membrane", "%q is not a catalogue ultrafilter (allowed: %s)", s.Membrane, strings.Join(mc.IDs(filter.Ultrafilter), ", "))
			}
		default:
			if _, ok := mc.Ultrafilter(s.MWCOkDa); !ok {
				bad("mwco_kda", "%s kDa is not a catalogue cut-off (allowed: %s)", num(s.MWCOkDa), strings.Join(mwcoList(mc), ", "))
			}
		}
		mode := filter.Tangential
		switch s.Mode {
		case "", filter.Tangential:
		case filter.DeadEnd:
			mode = filter.DeadEnd
		default:
			bad("mode", "%q is not allowed (allowed: %s, %s)", s.Mode, filter.Tangential, filter.DeadEnd)
		}
		switch {
		case (s.ConcentrationFactor != 0) == (s.FinalVolumeML != 0):
			bad("concentration_factor", "give exactly one of concentration_factor (feed / final volume, above 1 up to %d) and final_volume_ml", MaxConcentrationFactor)
		case s.ConcentrationFactor != 0:
			if !(s.ConcentrationFactor > 1 && s.ConcentrationFactor <= MaxConcentrationFactor) {
				bad("concentration_factor", "%s is outside the allowed range: above 1 up to %d", num(s.ConcentrationFactor), MaxConcentrationFactor)
			}
		case !(s.FinalVolumeML > 0 && s.FinalVolumeML <= MaxVolumeML):
			bad("final_volume_ml", "%s mL is outside the allowed range: above 0 and below the volume reaching the step", num(s.FinalVolumeML))
		}
		if !(s.DiafiltrationVolumes >= 0 && s.DiafiltrationVolumes <= filter.MaxDiafiltrationVolumes) {
			bad("diafiltration_volumes", "%s is outside the allowed range 0–%d", num(s.DiafiltrationVolumes), filter.MaxDiafiltrationVolumes)
		}
		if s.ShearRatePerS != 0 && mode != filter.Tangential {
			bad("shear_rate_per_s", "only for mode tff")
		} else if s.ShearRatePerS != 0 && !(s.ShearRatePerS >= filter.MinShearRatePerS && s.ShearRatePerS <= filter.MaxShearRatePerS) {
			bad("shear_rate_per_s", "%s s⁻¹ is outside the allowed range %d–%d s⁻¹", num(s.ShearRatePerS), filter.MinShearRatePerS, filter.MaxShearRatePerS)
		}
		l.validateFiltration(s, mode, bad)
	case KindResuspend:
		switch {
		case (s.VolumeML != 0) == (s.Factor != 0):
			bad("volume_ml", "give exactly one of volume_ml (final volume per vessel) and factor (dilution)")
		case s.Factor != 0:
			if !(s.Factor >= 1 && s.Factor <= MaxFactor) {
				bad("factor", "%s is outside the allowed range 1–%d (2 dilutes 1:1)", num(s.Factor), MaxFactor)
			}
		case !(s.VolumeML > 0 && s.VolumeML <= MaxResuspendML):
			bad("volume_ml", "%s mL is outside the allowed range: above 0 up to %d mL per vessel", num(s.VolumeML), MaxResuspendML)
		}
	}
	return probs
}

// MaxConcentrationFactor bounds an ultrafilter step's concentration.
const MaxConcentrationFactor = 1000

// validateFiltration checks the fields shared by filter and ultrafilter
// steps: module (of the mode) and tmp_kpa.
func (l *Library) validateFiltration(s Step, mode string, bad func(field, format string, a ...any)) {
	mc := l.Catalog.Membranes
	if s.Module != "" {
		if md, ok := mc.Module(s.Module); !ok || md.Mode != mode {
			bad("module", "%q is not a catalogue %s module (allowed: %s)", s.Module, mode, strings.Join(mc.ModuleIDs(mode), ", "))
		}
	}
	if s.TMPkPa != 0 && !(s.TMPkPa >= filter.MinTMPPa/1e3 && s.TMPkPa <= filter.MaxTMPPa/1e3) {
		bad("tmp_kpa", "%s kPa is outside the allowed range %s–%s kPa (0 or absent: the data's default for the mode)", num(s.TMPkPa), num(filter.MinTMPPa/1e3), num(filter.MaxTMPPa/1e3))
	}
}

// mwcoList lists the catalogue's ultrafilter cut-offs, kDa.
func mwcoList(mc *filter.Catalogue) []string {
	var out []string
	for _, m := range mc.Membranes {
		if m.Kind == filter.Ultrafilter {
			out = append(out, num(m.MWCOkDa))
		}
	}
	return out
}

// num formats a value as typed, without exponent noise.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.6f", v), "0"), ".")
}

// floor0 formats v rounded down to a whole number, so the printed maximum
// is itself allowed.
func floor0(v float64) string { return fmt.Sprintf("%.0f", math.Floor(v)) }

// MarshalIndent returns p as indented JSON (the preset file format).
func (p Protocol) MarshalIndent() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	err := enc.Encode(p)
	return b.Bytes(), err
}
