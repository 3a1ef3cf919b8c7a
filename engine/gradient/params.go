package gradient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strings"
	"sync"

	"exosep/assets"
	"exosep/engine/catalog"
	"exosep/engine/quantity"
	"exosep/engine/rotor"
)

// Modes, loads and shapes.
const (
	RateZonal = "rate-zonal"
	Isopycnic = "isopycnic"

	LoadTop    = "top"
	LoadBottom = "bottom"

	ShapeLinear  = "linear"
	ShapeStep    = "step"
	ShapeUniform = "uniform" // self-forming: one solution, the field makes the gradient
)

// Limits on parameters not set by a rotor or medium.
const (
	MaxFractions        = 100
	MaxMinutes          = 7 * 24 * 60 // a week: CsCl equilibrium runs take days
	MaxRampMinutes      = 60
	MaxLayers           = 12
	DefaultTemperatureC = 4
	// minLayerShare is the thinnest layer accepted, as a share of the tube.
	minLayerShare = 1e-3
)

// Params is one gradient run in one swinging-bucket tube. It is a plain
// JSON value; units are in the field names. Densities are at the run's
// temperature; percentages are the medium's basis (sucrose, CsCl % w/w;
// iodixanol % w/v). Exactly one of each density/percent pair is given.
type Params struct {
	// Mode is "rate-zonal" (separation by sedimentation rate: short run,
	// shallow gradient) or "isopycnic" (to the buoyant density: long run).
	// The physics is the same; the mode sets the exosome-rich fraction
	// rule's wording and the warnings (an isopycnic run that has not
	// reached equilibrium is flagged).
	Mode   string `json:"mode"`
	Medium string `json:"medium"`
	// Load is "top" (sample layered on the gradient; default) or "bottom"
	// (sample mixed into the densest layer; particles float up).
	Load string `json:"load,omitempty"`
	// Shape is "linear" (from → to, top to bottom), "step" (Layers) or
	// "uniform" (one solution, From only: self-forming under the field).
	// Empty: "step" when Layers are given, else "linear".
	Shape             string  `json:"shape,omitempty"`
	FromDensityGPerML float64 `json:"from_density_g_per_ml,omitempty"`
	ToDensityGPerML   float64 `json:"to_density_g_per_ml,omitempty"`
	FromPercent       float64 `json:"from_percent,omitempty"`
	ToPercent         float64 `json:"to_percent,omitempty"`
	// GradientML is the volume of a linear or uniform gradient; 0 fills
	// the tube above the cushion, below the sample.
	GradientML float64 `json:"gradient_ml,omitempty"`
	// Layers of a step gradient, top first.
	Layers []Layer `json:"layers,omitempty"`
	// A cushion is a dense layer under the gradient.
	CushionDensityGPerML float64 `json:"cushion_density_g_per_ml,omitempty"`
	CushionPercent       float64 `json:"cushion_percent,omitempty"`
	CushionML            float64 `json:"cushion_ml,omitempty"`
	// SampleML is the sample volume per tube; 0: the data's default share
	// of the tube (an estimate).
	SampleML float64 `json:"sample_ml,omitempty"`

	Rotor string  `json:"rotor"`
	RPM   float64 `json:"rpm,omitempty"`
	RCF   float64 `json:"rcf,omitempty"`
	// RCFAt is the radius RCF refers to: "min", "avg" or "max" (default).
	RCFAt        string   `json:"rcf_at,omitempty"`
	Minutes      float64  `json:"minutes"`
	AccelMinutes *float64 `json:"accel_minutes,omitempty"`
	DecelMinutes *float64 `json:"decel_minutes,omitempty"`
	TemperatureC *float64 `json:"temperature_c,omitempty"`
	Fractions    int      `json:"fractions"`
}

// Layer is one layer of a step gradient.
type Layer struct {
	DensityGPerML float64 `json:"density_g_per_ml,omitempty"`
	Percent       float64 `json:"percent,omitempty"`
	VolumeML      float64 `json:"volume_ml"`
}

// Problem names a field of Params and what is wrong with it.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (p Problem) String() string { return "field " + p.Field + ": " + p.Message }

// Problems is a list of problems; as an error, one per line.
type Problems []Problem

func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "\n")
}

// Library is what a gradient run reads from the data files.
type Library struct {
	Catalog  *catalog.Catalog
	Media    map[string]*Medium
	Handling Handling
	// Ramps: default speed ramp, RampMinS at least, RampSPer100kRPM at
	// 100,000 rpm scaled with speed (inputs.json "spin"; an estimate).
	RampSPer100kRPM, RampMinS float64
}

// Load reads data/gradient-media.json (and the ramp figures of
// data/inputs.json) against cat.
func Load(fsys fs.FS, cat *catalog.Catalog) (*Library, error) {
	l := &Library{Catalog: cat}
	water, ok := cat.Media["water"]
	if !ok {
		return nil, errors.New("gradient: the catalog has no medium \"water\"")
	}
	var errs []error
	var err error
	l.Media, l.Handling, err = loadMedia(fsys, cat.Sources, water)
	errs = append(errs, err)
	errs = append(errs, l.loadRamps(fsys))
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *Library) loadRamps(fsys fs.FS) error {
	raw, err := fs.ReadFile(fsys, "data/inputs.json")
	if err != nil {
		return err
	}
	var f struct {
		Spin struct {
			RampPer100k quantity.Q `json:"ramp_per_100000_rpm"`
			RampMin     quantity.Q `json:"ramp_min"`
		} `json:"spin"`
	}
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&f); err != nil {
		return fmt.Errorf("inputs.json: %v", err)
	}
	p := quantity.Problems{File: "inputs.json"}
	var e error
	l.RampSPer100kRPM, e = f.Spin.RampPer100k.Check("spin.ramp_per_100000_rpm", l.Catalog.Sources, "min", "s")
	p.Add(e)
	l.RampMinS, e = f.Spin.RampMin.Check("spin.ramp_min", l.Catalog.Sources, "min", "s")
	p.Add(e)
	return p.Err()
}

var (
	defOnce sync.Once
	defLib  *Library
	defErr  error
)

// Default returns the library built from the embedded assets.
func Default() (*Library, error) {
	defOnce.Do(func() {
		cat, err := catalog.Default()
		if err != nil {
			defErr = err
			return
		}
		defLib, defErr = Load(assets.Data, cat)
	})
	return defLib, defErr
}

// Validate checks p with the default library.
func (p Params) Validate() Problems {
	l, err := Default()
	if err != nil {
		return Problems{{Field: "data", Message: err.Error()}}
	}
	return l.Validate(p)
}

// swingingNames lists the catalogue's swinging-bucket rotors.
func (l *Library) swingingNames() []string {
	var out []string
	for _, r := range l.Catalog.Rotors.Rotors {
		if r.Kind == rotor.SwingingBucket {
			out = append(out, r.Name)
		}
	}
	return out
}

// temperature returns the run temperature.
func (p Params) temperature() float64 {
	if p.TemperatureC != nil {
		return *p.TemperatureC
	}
	return DefaultTemperatureC
}

// Validate checks every field of p and returns all problems, each naming
// the field and its allowed range. An empty result means p can Run.
func (l *Library) Validate(p Params) Problems {
	var probs Problems
	bad := func(field, format string, a ...any) {
		probs = append(probs, Problem{Field: field, Message: fmt.Sprintf(format, a...)})
	}
	switch p.Mode {
	case RateZonal, Isopycnic:
	case "":
		bad("mode", "required (allowed: rate-zonal, isopycnic)")
	default:
		bad("mode", "%q is not allowed (allowed: rate-zonal, isopycnic)", p.Mode)
	}
	switch p.Load {
	case "", LoadTop, LoadBottom:
	default:
		bad("load", "%q is not allowed (allowed: top, bottom)", p.Load)
	}
	celsius := p.temperature()
	water := l.Catalog.Media["water"]
	tLo, tHi := water.RangeC()
	if math.IsNaN(celsius) || celsius < tLo || celsius > tHi {
		bad("temperature_c", "%s °C is outside the allowed range %s–%s °C", num(celsius), num(tLo), num(tHi))
		celsius = DefaultTemperatureC
	}
	m, okMedium := l.Media[p.Medium]
	if !okMedium {
		if p.Medium == "" {
			bad("medium", "required (allowed: %s)", joinIDs(l.MediumIDs()))
		} else {
			bad("medium", "%q is not a gradient medium (allowed: %s)", p.Medium, joinIDs(l.MediumIDs()))
		}
	}
	// Rotor.
	r, err := l.Catalog.Rotors.Find(p.Rotor)
	okRotor := err == nil
	switch {
	case p.Rotor == "":
		bad("rotor", "required (allowed swinging-bucket rotors: %s)", joinIDs(l.swingingNames()))
	case !okRotor:
		bad("rotor", "%q is not a catalogue rotor (allowed swinging-bucket rotors: %s)", p.Rotor, joinIDs(l.swingingNames()))
	case r.Kind != rotor.SwingingBucket:
		bad("rotor", "%s is a %s rotor; gradients are modelled in swinging-bucket rotors only, where the gradient lies along the radius (allowed: %s)", r.Name, r.Kind, joinIDs(l.swingingNames()))
		okRotor = false
	}
	// Speed.
	conv := rotor.AtMax
	if p.RCFAt != "" {
		c, err := rotor.ParseConvention(p.RCFAt)
		if err != nil {
			bad("rcf_at", "%q is not a radius convention (allowed: min, avg, max)", p.RCFAt)
		} else {
			conv = c
		}
		if p.RCF == 0 {
			bad("rcf_at", "given without rcf (it says at which radius rcf applies)")
		}
	}
	switch {
	case (p.RPM != 0) == (p.RCF != 0):
		bad("rpm", "give exactly one of rpm and rcf")
	case p.RPM != 0:
		if !(p.RPM > 0) || (okRotor && p.RPM > r.MaxRPM) {
			if okRotor {
				bad("rpm", "%s rpm is outside the allowed range: above 0 up to the %s maximum %s rpm", num(p.RPM), r.Name, num(r.MaxRPM))
			} else {
				bad("rpm", "%s rpm must be above 0", num(p.RPM))
			}
		}
	default:
		if !(p.RCF > 0) {
			bad("rcf", "%s × g must be above 0", num(p.RCF))
		} else if okRotor {
			maxRCF := rotor.RCF(r.MaxRPM, r.RadiusM(conv))
			if p.RCF > maxRCF {
				bad("rcf", "%s × g is above the %s maximum %s × g at r_%s (allowed: above 0 up to %s × g)", num(p.RCF), r.Name, fmt.Sprintf("%.0f", math.Floor(maxRCF)), conv, fmt.Sprintf("%.0f", math.Floor(maxRCF)))
			}
		}
	}
	if !(p.Minutes > 0 && p.Minutes <= MaxMinutes) {
		bad("minutes", "%s min is outside the allowed range: above 0 up to %d min (7 days)", num(p.Minutes), MaxMinutes)
	}
	for _, rp := range []struct {
		field string
		v     *float64
	}{{"accel_minutes", p.AccelMinutes}, {"decel_minutes", p.DecelMinutes}} {
		if rp.v != nil && !(*rp.v >= 0 && *rp.v <= MaxRampMinutes) {
			bad(rp.field, "%s min is outside the allowed range 0–%d min", num(*rp.v), MaxRampMinutes)
		}
	}
	if !(p.Fractions >= 1 && p.Fractions <= MaxFractions) {
		bad("fractions", "%d is outside the allowed range 1–%d", p.Fractions, MaxFractions)
	}
	// Gradient shape and densities.
	shape := p.shape()
	densityIn := func(field string, gPerML, pct float64, required bool) {
		if !okMedium {
			return
		}
		lo, hi := m.DensityRangeKgM3(celsius)
		rng := fmt.Sprintf("%s: %.4f–%.4f g/mL at %s °C, or %s 0–%s %% %s", m.Name, lo/1e3, hi/1e3, num(celsius), field, num(m.MaxPercent()), m.Basis)
		switch {
		case gPerML != 0 && pct != 0:
			bad(field, "give a density or a percentage, not both (allowed: %s)", rng)
		case gPerML == 0 && pct == 0:
			if required {
				bad(field, "required (allowed: %s)", rng)
			}
		case gPerML != 0:
			if _, ok := m.ConcentrationForDensity(gPerML*1e3, celsius); !ok {
				bad(field, "%s g/mL is outside the medium's range (allowed: %s)", num(gPerML), rng)
			}
		default:
			if !(pct > 0 && pct <= m.MaxPercent()) {
				bad(field, "%s %% is outside the medium's range (allowed: %s)", num(pct), rng)
			}
		}
	}
	switch shape {
	case ShapeLinear, ShapeUniform:
		if len(p.Layers) > 0 {
			bad("layers", "not used by a %s gradient (layers make a step gradient)", shape)
		}
		densityIn(pick(p.FromPercent != 0, "from_percent", "from_density_g_per_ml"), p.FromDensityGPerML, p.FromPercent, true)
		if shape == ShapeLinear {
			densityIn(pick(p.ToPercent != 0, "to_percent", "to_density_g_per_ml"), p.ToDensityGPerML, p.ToPercent, true)
		} else if p.ToDensityGPerML != 0 || p.ToPercent != 0 {
			bad("to_density_g_per_ml", "not used by a uniform (self-forming) gradient: give from_density_g_per_ml only")
		}
		if p.GradientML < 0 {
			bad("gradient_ml", "%s mL must be 0 (fill the tube) or above 0", num(p.GradientML))
		}
	case ShapeStep:
		if len(p.Layers) == 0 || len(p.Layers) > MaxLayers {
			bad("layers", "%d layers; allowed 1–%d", len(p.Layers), MaxLayers)
		}
		for _, f := range []struct {
			name string
			set  bool
		}{{"from_density_g_per_ml", p.FromDensityGPerML != 0}, {"to_density_g_per_ml", p.ToDensityGPerML != 0},
			{"from_percent", p.FromPercent != 0}, {"to_percent", p.ToPercent != 0}, {"gradient_ml", p.GradientML != 0}} {
			if f.set {
				bad(f.name, "not used by a step gradient (give the layers)")
			}
		}
		for i, ly := range p.Layers {
			densityIn(fmt.Sprintf("layers[%d].%s", i, pick(ly.Percent != 0, "percent", "density_g_per_ml")), ly.DensityGPerML, ly.Percent, true)
			if !(ly.VolumeML > 0) {
				bad(fmt.Sprintf("layers[%d].volume_ml", i), "%s mL must be above 0", num(ly.VolumeML))
			}
		}
	default:
		bad("shape", "%q is not allowed (allowed: linear, step, uniform)", p.Shape)
	}
	hasCushion := p.CushionDensityGPerML != 0 || p.CushionPercent != 0
	if hasCushion != (p.CushionML != 0) {
		bad("cushion_ml", "a cushion needs both a density (cushion_density_g_per_ml or cushion_percent) and cushion_ml above 0")
	} else if hasCushion {
		densityIn(pick(p.CushionPercent != 0, "cushion_percent", "cushion_density_g_per_ml"), p.CushionDensityGPerML, p.CushionPercent, true)
		if !(p.CushionML > 0) {
			bad("cushion_ml", "%s mL must be above 0", num(p.CushionML))
		}
	}
	if p.SampleML < 0 {
		bad("sample_ml", "%s mL must be above 0 (or 0: the default share of the tube)", num(p.SampleML))
	}
	// Volumes against the tube.
	if okRotor && len(probs) == 0 {
		tubeML := r.TubeVolumeM3 * 1e6
		sample := p.sampleML(l, r)
		var total float64
		switch shape {
		case ShapeStep:
			for _, ly := range p.Layers {
				total += ly.VolumeML
			}
		default:
			total = p.GradientML
		}
		total += p.CushionML
		// A bottom-loaded sample is mixed into the densest layer (part of
		// its volume); a top-loaded one adds to the column.
		if p.loadMode() == LoadTop {
			total += sample
		}
		if total > tubeML*(1+1e-9) {
			bad("layers", "the sample, gradient and cushion hold %s mL, more than the %s tube's %s mL", num(total), r.Name, num(tubeML))
		}
		if shape != ShapeStep && p.GradientML == 0 && tubeML-total < tubeML*0.05 {
			bad("gradient_ml", "filling the tube leaves the gradient only %s mL of the %s tube's %s mL (at least 5 %%)", num(tubeML-total), r.Name, num(tubeML))
		}
		if sample > tubeML/2 {
			bad("sample_ml", "%s mL is outside the allowed range: above 0 up to half the %s tube, %s mL", num(sample), r.Name, num(tubeML/2))
		}
		if p.loadMode() == LoadBottom {
			bottom := p.bottomLayerML(l, r)
			if sample > bottom*(1+1e-9) {
				bad("sample_ml", "a bottom-loaded sample (%s mL) must fit in the densest layer above any cushion (%s mL)", num(sample), num(bottom))
			}
		}
		for i, ly := range p.Layers {
			if ly.VolumeML < tubeML*minLayerShare {
				bad(fmt.Sprintf("layers[%d].volume_ml", i), "%s mL is below the thinnest layer modelled, %s mL (0.1 %% of the tube)", num(ly.VolumeML), num(tubeML*minLayerShare))
			}
		}
	}
	return probs
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

func (p Params) shape() string {
	if p.Shape != "" {
		return p.Shape
	}
	if len(p.Layers) > 0 {
		return ShapeStep
	}
	return ShapeLinear
}

func (p Params) loadMode() string {
	if p.Load == "" {
		return LoadTop
	}
	return p.Load
}

// sampleML is the sample volume per tube.
func (p Params) sampleML(l *Library, r rotor.Rotor) float64 {
	if p.SampleML > 0 {
		return p.SampleML
	}
	return l.Handling.SampleShare * r.TubeVolumeM3 * 1e6
}

// bottomLayerML is the volume of the densest layer above the cushion.
func (p Params) bottomLayerML(l *Library, r rotor.Rotor) float64 {
	if p.shape() == ShapeStep {
		return p.Layers[len(p.Layers)-1].VolumeML
	}
	return p.gradientML(l, r)
}

// gradientML is a linear or uniform gradient's volume.
func (p Params) gradientML(l *Library, r rotor.Rotor) float64 {
	if p.GradientML > 0 {
		return p.GradientML
	}
	v := r.TubeVolumeM3*1e6 - p.CushionML
	if p.loadMode() == LoadTop {
		v -= p.sampleML(l, r)
	}
	return v
}

// num formats a value as typed.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.6f", v), "0"), ".")
}
