package bridge

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"exosep/engine/catalog"
)

// ParamSpec describes one field of Params as it appears in JSON messages and
// in the stage's URL query string (the same name in both). ParamSpecs is the
// one table the query parser uses, so documentation rendered from it cannot
// drift from what the stage accepts.
type ParamSpec struct {
	Name    string // JSON field and URL query key
	Unit    string // "" when dimensionless
	Default string // as text, from Defaults()
	Allowed string // allowed values, in words
	Doc     string

	set   func(p *Params, v string) error
	reset func(p *Params, d Params) // restore the default (and what it depends on)
}

// FrameEveryKey is the stage-only URL key that opts in to frame messages
// (frames=n posts one every n-th frame). It is not part of Params.
const FrameEveryKey = "frames"

func parseFloat(v string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a finite number", v)
	}
	return f, nil
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not one of true, false, 1, 0", v)
}

func speedReset(p *Params, d Params) { p.RPM, p.RCF, p.RCFAt = d.RPM, d.RCF, d.RCFAt }

var specs = func() []ParamSpec {
	d := Defaults()
	g := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	return []ParamSpec{
		{Name: "rotor", Default: d.Rotor, Allowed: "a rotor name from the catalogue (case, spaces and hyphens ignored)",
			Doc: "Rotor; its radii, angle and tube set the geometry drawn to scale.",
			set: func(p *Params, v string) error {
				if strings.TrimSpace(v) == "" {
					return fmt.Errorf("a rotor name is required")
				}
				p.Rotor = v
				return nil
			},
			reset: func(p *Params, d Params) { p.Rotor = d.Rotor }},
		{Name: "rpm", Unit: "rpm", Default: "", Allowed: "above 0 up to the rotor's maximum; give rpm or rcf, not both",
			Doc:   "Rotor speed in revolutions per minute.",
			set:   func(p *Params, v string) (err error) { p.RPM, err = parseFloat(v); return },
			reset: speedReset},
		{Name: "rcf", Unit: "× g", Default: g(d.RCF), Allowed: "above 0 up to the rotor's maximum at the rcfAt radius",
			Doc:   "Relative centrifugal force (RCF) at the radius named by rcfAt.",
			set:   func(p *Params, v string) (err error) { p.RCF, err = parseFloat(v); return },
			reset: speedReset},
		{Name: "rcfAt", Default: d.RCFAt, Allowed: "min, avg or max",
			Doc:   "Radius at which rcf is quoted: r_min, r_avg or r_max.",
			set:   func(p *Params, v string) error { p.RCFAt = v; return nil },
			reset: speedReset},
		{Name: "minutes", Unit: "min", Default: g(d.Minutes), Allowed: "above 0 up to 2880",
			Doc:   "Spin duration at speed (acceleration and braking are ignored).",
			set:   func(p *Params, v string) (err error) { p.Minutes, err = parseFloat(v); return },
			reset: func(p *Params, d Params) { p.Minutes = d.Minutes }},
		{Name: "temperatureC", Unit: "°C", Default: g(d.TemperatureC), Allowed: "the medium's tabulated range",
			Doc:   "Temperature; sets the medium's viscosity and density.",
			set:   func(p *Params, v string) (err error) { p.TemperatureC, err = parseFloat(v); return },
			reset: func(p *Params, d Params) { p.TemperatureC = d.TemperatureC }},
		{Name: "medium", Default: d.Medium, Allowed: "water or pbs",
			Doc:   "Suspending medium.",
			set:   func(p *Params, v string) error { p.Medium = v; return nil },
			reset: func(p *Params, d Params) { p.Medium = d.Medium }},
		{Name: "particles", Default: strconv.Itoa(d.Particles), Allowed: fmt.Sprintf("%d–%d", MinParticles, MaxParticles),
			Doc: "Particles drawn on the stage, split evenly across the species.",
			set: func(p *Params, v string) error {
				n, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil {
					return fmt.Errorf("%q is not a whole number", v)
				}
				p.Particles = n
				return nil
			},
			reset: func(p *Params, d Params) { p.Particles = d.Particles }},
		{Name: "timeScale", Unit: "s per s", Default: g(d.TimeScale), Allowed: fmt.Sprintf("%d–%d", MinTimeScale, MaxTimeScale),
			Doc:   "Process seconds shown per wall-clock second (60: one minute per second).",
			set:   func(p *Params, v string) (err error) { p.TimeScale, err = parseFloat(v); return },
			reset: func(p *Params, d Params) { p.TimeScale = d.TimeScale }},
		{Name: "seed", Default: strconv.FormatUint(d.Seed, 10), Allowed: "0–18446744073709551615",
			Doc: "Random seed; the same seed draws the same particles.",
			set: func(p *Params, v string) error {
				n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
				if err != nil {
					return fmt.Errorf("%q is not a whole number 0–18446744073709551615", v)
				}
				p.Seed = n
				return nil
			},
			reset: func(p *Params, d Params) { p.Seed = d.Seed }},
		{Name: "reducedMotion", Default: strconv.FormatBool(d.ReducedMotion), Allowed: "true or false (a bare key means true)",
			Doc:   "Show the end state at once instead of animating.",
			set:   func(p *Params, v string) (err error) { p.ReducedMotion, err = parseBool(v); return },
			reset: func(p *Params, d Params) { p.ReducedMotion = d.ReducedMotion }},
		{Name: "colorProfile", Default: d.ColorProfile, Allowed: strings.Join(ColorProfiles(), ", "),
			Doc:   "Colour profile: projector (bolder colours, larger particles and text, for classrooms) or high-contrast (black, white and yellow); the page and the animation follow it.",
			set:   func(p *Params, v string) error { p.ColorProfile = v; return nil },
			reset: func(p *Params, d Params) { p.ColorProfile = d.ColorProfile }},
		{Name: "species", Default: "", Allowed: "catalogue species ids, comma-separated (unknown ones are ignored); empty: every species",
			Doc: "Populations drawn in the animation and listed in the results and the spoken description. The others are still simulated and counted.",
			set: func(p *Params, v string) error {
				p.Species = SplitSpecies(v)
				return nil
			},
			reset: func(p *Params, d Params) { p.Species = d.Species }},
	}
}()

// ParamSpecs lists every Params field in JSON order.
func ParamSpecs() []ParamSpec { return append([]ParamSpec(nil), specs...) }

func specByName(name string) (ParamSpec, bool) {
	for _, s := range specs {
		if s.Name == name {
			return s, true
		}
	}
	return ParamSpec{}, false
}

// Query is the stage's URL query string, parsed.
type Query struct {
	Params     Params       // valid for Resolve (falls back to defaults)
	FrameEvery int          // frames=n; 0 = no frame messages
	Errors     []FieldError // one per rejected value, each replaced by its default
	Ignored    []string     // keys that are not parameters (sorted)
}

// ParseQuery reads Params from a URL query string ("particles=20000&
// timeScale=600", with or without the leading "?"), starting from Defaults.
// A bad value never breaks the stage: it is reported as a FieldError and
// replaced by its default. Values that parse but are rejected by Resolve
// (say rpm above the rotor's maximum) are reset the same way, field by
// field, so the returned Params always resolve. Giving rpm without rcf
// clears the default rcf (and vice versa).
func ParseQuery(rawQuery string, cat *catalog.Catalog) Query {
	q := Query{Params: Defaults()}
	vals, err := url.ParseQuery(strings.TrimPrefix(rawQuery, "?"))
	if err != nil {
		q.Errors = append(q.Errors, FieldError{"query", err.Error()})
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	d := Defaults()
	speedSet := map[string]bool{}
	for _, k := range keys {
		v := vals[k][len(vals[k])-1] // the last one wins, as in most query parsers
		if k == FrameEveryKey {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > MaxFrameEvery {
				q.Errors = append(q.Errors, FieldError{k, fmt.Sprintf("%q is not a whole number 0–%d; using the default 0 (off)", v, MaxFrameEvery)})
				continue
			}
			q.FrameEvery = n
			continue
		}
		s, ok := specByName(k)
		if !ok {
			q.Ignored = append(q.Ignored, k)
			continue
		}
		if err := s.set(&q.Params, v); err != nil {
			q.Errors = append(q.Errors, FieldError{k, err.Error() + "; using the default"})
			s.reset(&q.Params, d)
			continue
		}
		speedSet[k] = true
	}
	switch {
	case speedSet["rpm"] && !speedSet["rcf"]:
		q.Params.RCF, q.Params.RCFAt = 0, ""
	case speedSet["rcf"] && !speedSet["rpm"]:
		q.Params.RPM = 0
	}
	if cat == nil {
		return q
	}
	if speedSet["species"] { // keep the known species, as the pages' validator does
		known, unknown := KnownSpecies(q.Params.Species, cat)
		if len(unknown) > 0 {
			msg := fmt.Sprintf("ignored %s (allowed: %s); the other species listed are shown instead of the default (every species)", strings.Join(unknown, ", "), strings.Join(speciesIDs(cat), ", "))
			if len(known) == 0 {
				msg = fmt.Sprintf("%s: no species id (allowed: %s); using the default (every species)", strings.Join(unknown, ", "), strings.Join(speciesIDs(cat), ", "))
			}
			q.Errors = append(q.Errors, FieldError{"species", msg})
		}
		q.Params.Species = known
	}
	for range specs {
		_, err := Resolve(q.Params, cat)
		if err == nil {
			return q
		}
		var fe FieldError
		if !errors.As(err, &fe) {
			fe = FieldError{"params", err.Error()}
		}
		fe.Message += "; using the default"
		q.Errors = append(q.Errors, fe)
		s, ok := specByName(fe.Field)
		if !ok {
			break
		}
		s.reset(&q.Params, d)
	}
	if _, err := Resolve(q.Params, cat); err != nil {
		q.Params = d
	}
	return q
}
