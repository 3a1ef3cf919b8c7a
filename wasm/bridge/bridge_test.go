package bridge

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"exosep/engine/catalog"
	"exosep/engine/rotor"
)

func cat(t *testing.T) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDecodeCommandAccepts(t *testing.T) {
	p := Defaults()
	raw, _ := json.Marshal(map[string]any{"exosep": 1, "type": "params", "params": p})
	cases := []struct {
		in   string
		want Command
	}{
		{`{"exosep":1,"type":"play"}`, Command{Type: TypePlay}},
		{`{"exosep":1,"type":"pause"}`, Command{Type: TypePause}},
		{` {"type":"reset","exosep":1} `, Command{Type: TypeReset}},
		{`{"exosep":1,"type":"frames","every":30}`, Command{Type: TypeFrames, Every: 30}},
		{`{"exosep":1,"type":"frames","every":0}`, Command{Type: TypeFrames}},
		{string(raw), Command{Type: TypeParams, Params: p}},
		{`{"exosep":1,"type":"params","params":{"rotor":"Type 70 Ti","rpm":50000,"minutes":30,"temperatureC":20,"medium":"pbs","particles":20000,"timeScale":600,"seed":9,"reducedMotion":true}}`,
			Command{Type: TypeParams, Params: Params{Rotor: "Type 70 Ti", RPM: 50000, Minutes: 30, TemperatureC: 20,
				Medium: "pbs", Particles: 20000, TimeScale: 600, Seed: 9, ReducedMotion: true}}},
	}
	for _, tc := range cases {
		got, err := DecodeCommand(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("DecodeCommand(%s) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestDecodeCommandRejects(t *testing.T) {
	cases := []struct {
		in, want string // want: a phrase the error must contain
	}{
		{`{"exosep":2,"type":"play"}`, "want protocol version 1, got 2"},
		{`{"type":"play"}`, "want protocol version 1, got missing"},
		{`{"exosep":"1","type":"play"}`, "malformed message"},
		{`{"exosep":1,"type":"explode"}`, `"explode" is not one of params, protocol, filtration, gradient, play, pause, reset, frames`},
		{`{"exosep":1}`, `"" is not one of`},
		{`{"exosep":1,"type":"ready"}`, `"ready" is not one of`},
		{`{"exosep":1,"type":"play","volume":3}`, `unknown field "volume"`},
		{`{"exosep":1,"type":"params","params":{"rotor":"SW 41 Ti","speed":3}}`, `unknown field "speed"`},
		{`{"exosep":1,"type":"params","params":{"particles":"many"}}`, "message params"},
		{`{"exosep":1,"type":"params"}`, "field params is required"},
		{`{"exosep":1,"type":"play","params":{}}`, "takes no params"},
		{`{"exosep":1,"type":"play","every":3}`, "takes no field every"},
		{`{"exosep":1,"type":"frames"}`, "every must be an integer"},
		{`{"exosep":1,"type":"frames","every":-1}`, "every must be an integer"},
		{`{"exosep":1,"type":"frames","every":1.5}`, "malformed message"},
		{`{"exosep":1,"type":"play"`, "malformed message"},
		{`not json`, "malformed message"},
		{``, "malformed message"},
		{`{"exosep":1,"type":"play"} {"exosep":1,"type":"pause"}`, "text after the JSON object"},
		{`[1,2]`, "malformed message"},
	}
	for _, tc := range cases {
		_, err := DecodeCommand(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("DecodeCommand(%q) error = %v; want one containing %q", tc.in, err, tc.want)
		}
	}
}

func TestResolveNamesBadField(t *testing.T) {
	c := cat(t)
	cases := []struct {
		field string
		mod   func(*Params)
		want  string // the allowed range or values, in the message
	}{
		{"rotor", func(p *Params) { p.Rotor = "SW 99" }, "allowed SW 28"},
		{"medium", func(p *Params) { p.Medium = "oil" }, "not one of water, pbs"},
		{"particles", func(p *Params) { p.Particles = 99 }, "allowed range 100–50000"},
		{"particles", func(p *Params) { p.Particles = 50001 }, "allowed range 100–50000"},
		{"timeScale", func(p *Params) { p.TimeScale = 0.5 }, "allowed range 1–3600"},
		{"timeScale", func(p *Params) { p.TimeScale = math.NaN() }, "allowed range 1–3600"},
		{"rpm", func(p *Params) { p.RPM = 1000 }, "either rpm or rcf, not both"},
		{"rpm", func(p *Params) { p.RCF = 0 }, "a speed is required"},
		{"rpm", func(p *Params) { p.RCF, p.RPM = 0, 41001 }, "allowed range 1–41000 rpm for SW 41 Ti"},
		{"rpm", func(p *Params) { p.RCF, p.RPM = 0, -5 }, "allowed range 1–41000"},
		{"rcf", func(p *Params) { p.RCF = 300000 }, "outside the allowed range 1–"},
		{"rcf", func(p *Params) { p.RCF = -1 }, "outside the allowed range 1–"},
		{"rcfAt", func(p *Params) { p.RCFAt = "middle" }, "allowed min, avg, max"},
		{"temperatureC", func(p *Params) { p.TemperatureC = 95 }, "°C is outside the allowed range"},
		{"minutes", func(p *Params) { p.Minutes = 0 }, "above 0 up to 2880 min"},
		{"minutes", func(p *Params) { p.Minutes = 3000 }, "above 0 up to 2880 min"},
		{"colorProfile", func(p *Params) { p.ColorProfile = "neon" }, "not one of default, projector, high-contrast"},
		{"colorProfile", func(p *Params) { p.ColorProfile = "Projector" }, "not one of default, projector, high-contrast"},
		{"species", func(p *Params) { p.Species = []string{"exosome", "unicorn"} }, `"unicorn" is not a species id; allowed: cell, apoptotic-body`},
		{"species", func(p *Params) { p.Species = []string{"hdl", "hdl"} }, "listed twice"},
	}
	for _, tc := range cases {
		p := Defaults()
		tc.mod(&p)
		_, err := Resolve(p, c)
		var fe FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !strings.Contains(fe.Message, tc.want) {
			t.Errorf("Resolve(%+v) = %v; want field %q with %q", p, err, tc.field, tc.want)
		}
		if _, _, err := Compute(p, c); !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("Compute(%+v) = %v; want field %q", p, err, tc.field)
		}
	}
	if _, err := Resolve(Defaults(), c); err != nil {
		t.Errorf("defaults rejected: %v", err)
	}
}

func TestRCFToRPMRoundTrip(t *testing.T) {
	c := cat(t)
	for _, r := range c.Rotors.Rotors {
		for _, at := range []rotor.Convention{rotor.AtMin, rotor.AtAvg, rotor.AtMax} {
			maxRCF := rotor.RCF(r.MaxRPM, r.RadiusM(at))
			for _, frac := range []float64{0.001, 0.3, 1} {
				rcf := maxRCF * frac
				p := Defaults()
				p.Rotor, p.RCF, p.RCFAt = r.Name, rcf, string(at)
				sp, err := Resolve(p, c)
				if err != nil {
					t.Fatalf("%s rcf %g at r_%s: %v", r.Name, rcf, at, err)
				}
				back := rotor.RCF(sp.RPM, r.RadiusM(at))
				if math.Abs(back-rcf) > 1e-9*rcf {
					t.Errorf("%s: rcf %g at r_%s → %g rpm → %g", r.Name, rcf, at, sp.RPM, back)
				}
				// The same speed given in rpm resolves to itself.
				q := p
				q.RCF, q.RCFAt, q.RPM = 0, "", sp.RPM
				if sq, err := Resolve(q, c); err != nil || sq.RPM != sp.RPM {
					t.Errorf("%s: rpm %g resolved to %g, %v", r.Name, sp.RPM, sq.RPM, err)
				}
			}
		}
	}
	// Compute reports the RCF it was given, at its radius.
	p := Defaults()
	res, _, err := Compute(p, c)
	if err != nil || math.Abs(res.RCFMax-p.RCF) > 1e-6*p.RCF || !(res.RCFMin < res.RCFAvg && res.RCFAvg < res.RCFMax) {
		t.Errorf("Compute(defaults): %+v, %v", res, err)
	}
}

// Display settings (colour profile, species shown) are validated like any
// parameter, never change the spin, and are echoed by the protocol path.
func TestDisplaySettings(t *testing.T) {
	c := cat(t)
	a := Defaults()
	b := a
	b.ColorProfile, b.Species, b.TimeScale = ProfileHighContrast, []string{"exosome"}, 600
	if !SameSpin(a, b) {
		t.Error("display settings changed the spin")
	}
	b.Minutes++
	if SameSpin(a, b) {
		t.Error("a longer spin is the same spin")
	}
	ra, _, errA := Compute(a, c)
	b = a
	b.ColorProfile, b.Species = ProfileProjector, []string{"hdl", "exosome"}
	rb, _, errB := Compute(b, c)
	if errA != nil || errB != nil || !reflect.DeepEqual(ra, rb) {
		t.Errorf("display settings changed the result: %v %v", errA, errB)
	}
	if len(rb.Species) != len(c.Species) {
		t.Errorf("the result lists %d species, want all %d", len(rb.Species), len(c.Species))
	}
	for _, tc := range []struct {
		shown []string
		id    string
		want  bool
	}{{nil, "hdl", true}, {[]string{"exosome"}, "hdl", false}, {[]string{"exosome"}, "exosome", true}} {
		if Shows(tc.shown, tc.id) != tc.want {
			t.Errorf("Shows(%v, %s) != %v", tc.shown, tc.id, tc.want)
		}
	}
	known, unknown := KnownSpecies([]string{"Apoptotic_Body", "x", "exosome", "EXOSOME"}, c)
	if !reflect.DeepEqual(known, []string{"apoptotic-body", "exosome"}) || !reflect.DeepEqual(unknown, []string{"x"}) {
		t.Errorf("KnownSpecies: %v, %v", known, unknown)
	}
}

func TestEncode(t *testing.T) {
	st := State{Minutes: 7, Playing: true, Species: []SpeciesState{{ID: "exosome", Free: 3, Pelleted: 2}}}
	text := Encode(Envelope{Type: TypeState, State: &st})
	var back map[string]any
	if err := json.Unmarshal([]byte(text), &back); err != nil {
		t.Fatal(err)
	}
	if back["exosep"] != float64(Version) || back["type"] != "state" {
		t.Errorf("envelope %s", text)
	}
	want := `{"exosep":1,"type":"state","state":{"minutes":7,"playing":true,"done":false,"species":[{"id":"exosome","free":3,"pelleted":2,"floated":0}]}}`
	if text != want {
		t.Errorf("Encode = %s\nwant     %s", text, want)
	}
	if got := Encode(Envelope{Type: TypeError, Field: "rpm", Message: "too fast"}); got != `{"exosep":1,"type":"error","field":"rpm","message":"too fast"}` {
		t.Errorf("error message: %s", got)
	}
	if got := Encode(Envelope{Type: TypeFrame, Frame: &Frame{Frames: 2, Particles: 10, Minutes: 1.5, NowMs: 33}}); got != `{"exosep":1,"type":"frame","frame":{"frames":2,"particles":10,"minutes":1.5,"nowMs":33}}` {
		t.Errorf("frame message: %s", got)
	}
	if got := Encode(Envelope{Type: TypeReady}); got != `{"exosep":1,"type":"ready"}` {
		t.Errorf("ready message: %s", got)
	}
}

// The query table covers exactly the JSON fields of Params.
func TestParamSpecsMatchParams(t *testing.T) {
	var names []string
	rt := reflect.TypeFor[Params]()
	for i := range rt.NumField() {
		names = append(names, strings.Split(rt.Field(i).Tag.Get("json"), ",")[0])
	}
	var got []string
	for _, s := range ParamSpecs() {
		got = append(got, s.Name)
		if s.Doc == "" || s.Allowed == "" {
			t.Errorf("spec %q lacks documentation", s.Name)
		}
	}
	if !reflect.DeepEqual(got, names) {
		t.Errorf("ParamSpecs %v, Params fields %v", got, names)
	}
}

func TestParseQuery(t *testing.T) {
	c := cat(t)
	d := Defaults()
	cases := []struct {
		name       string
		query      string
		want       func(*Params)
		errFields  []string
		ignored    []string
		frameEvery int
	}{
		{"empty", "", nil, nil, nil, 0},
		{"stage params", "?particles=20000&timeScale=600", func(p *Params) { p.Particles, p.TimeScale = 20000, 600 }, nil, nil, 0},
		{"fixed angle by rpm", "rotor=Type+70+Ti&rpm=50000&minutes=30&medium=pbs&temperatureC=20&seed=42",
			func(p *Params) {
				p.Rotor, p.RPM, p.RCF, p.RCFAt, p.Minutes, p.Medium, p.TemperatureC, p.Seed = "Type 70 Ti", 50000, 0, "", 30, "pbs", 20, 42
			}, nil, nil, 0},
		{"rcf at avg", "rcf=20000&rcfAt=avg", func(p *Params) { p.RCF, p.RCFAt = 20000, "avg" }, nil, nil, 0},
		{"bare reduced motion", "reducedMotion", func(p *Params) { p.ReducedMotion = true }, nil, nil, 0},
		{"frames and unknown keys", "frames=30&embed=1&lang=de", nil, nil, []string{"embed", "lang"}, 30},
		{"bad syntax keeps defaults", "particles=lots&timeScale=fast&seed=-1&reducedMotion=maybe&minutes=NaN&frames=x",
			nil, []string{"frames", "minutes", "particles", "reducedMotion", "seed", "timeScale"}, nil, 0},
		{"out of range falls back", "particles=10&timeScale=9999", nil, []string{"particles", "timeScale"}, nil, 0},
		{"rpm above the rotor's maximum", "rpm=99999", nil, []string{"rpm"}, nil, 0},
		{"unknown rotor", "rotor=SW+99&minutes=20", func(p *Params) { p.Minutes = 20 }, []string{"rotor"}, nil, 0},
		{"temperature outside the table", "temperatureC=99&particles=300", func(p *Params) { p.Particles = 300 }, []string{"temperatureC"}, nil, 0},
		{"rpm and rcf both", "rpm=20000&rcf=5000", nil, []string{"rpm"}, nil, 0},
		{"last value wins", "particles=200&particles=400", func(p *Params) { p.Particles = 400 }, nil, nil, 0},
		{"display settings", "colorProfile=projector&species=exosome,%20HDL,,exosome", func(p *Params) {
			p.ColorProfile, p.Species = "projector", []string{"exosome", "hdl"}
		}, nil, nil, 0},
		{"bad colour profile", "colorProfile=neon&particles=300", func(p *Params) { p.Particles = 300 }, []string{"colorProfile"}, nil, 0},
		{"unknown species dropped", "species=exosome,unicorn", func(p *Params) { p.Species = []string{"exosome"} }, []string{"species"}, nil, 0},
		{"no known species", "species=unicorn", nil, []string{"species"}, nil, 0},
		{"empty species list: every species", "species=", nil, nil, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := ParseQuery(tc.query, c)
			want := d
			if tc.want != nil {
				tc.want(&want)
			}
			if !reflect.DeepEqual(q.Params, want) {
				t.Errorf("params %+v\nwant %+v", q.Params, want)
			}
			var fields []string
			for _, e := range q.Errors {
				fields = append(fields, e.Field)
				if !strings.Contains(e.Message, "default") {
					t.Errorf("error %v does not say the default is used", e)
				}
			}
			if !reflect.DeepEqual(fields, tc.errFields) {
				t.Errorf("errors %v, want fields %v", q.Errors, tc.errFields)
			}
			if !reflect.DeepEqual(q.Ignored, tc.ignored) {
				t.Errorf("ignored %v, want %v", q.Ignored, tc.ignored)
			}
			if q.FrameEvery != tc.frameEvery {
				t.Errorf("frame every %d, want %d", q.FrameEvery, tc.frameEvery)
			}
			if _, err := Resolve(q.Params, c); err != nil {
				t.Errorf("parsed params do not resolve: %v", err)
			}
		})
	}
}
