package bridge

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"exosep/engine/gradient"
)

const plasmaIPUC = `{"mode":"isopycnic","medium":"iodixanol","from_density_g_per_ml":1.05,"to_density_g_per_ml":1.25,"rotor":"SW 41 Ti","rcf":100000,"minutes":120,"fractions":12}`

func gradLibs(t *testing.T) *gradient.Library {
	t.Helper()
	gl, err := gradient.Default()
	if err != nil {
		t.Fatal(err)
	}
	return gl
}

func TestDecodeGradientMessage(t *testing.T) {
	cmd, err := DecodeCommand(`{"exosep":1,"type":"gradient","seq":4,"input":"plasma","animation":{"particles":2000,"timeScale":900,"seed":3,"reducedMotion":true,"colorProfile":"projector","species":["exosome","hdl"]},"gradient":` + plasmaIPUC + `}`)
	if err != nil {
		t.Fatal(err)
	}
	g := cmd.Gradient
	if cmd.Type != TypeGradient || g.Seq != 4 || g.Input != "plasma" || !reflect.DeepEqual(g.Animation, GradientAnimation{2000, 900, 3, true, "projector", []string{"exosome", "hdl"}}) ||
		g.Params.Medium != "iodixanol" || g.Params.Fractions != 12 || g.Params.RCF != 100000 {
		t.Fatalf("decoded %+v", cmd)
	}
	if cmd, err := DecodeCommand(`{"exosep":1,"type":"gradient","gradient":` + plasmaIPUC + `}`); err != nil || cmd.Gradient.Input != DefaultGradientInput {
		t.Fatalf("default input: %+v, %v", cmd.Gradient, err)
	}
}

// Every decoding error names the offending field, and the seq is kept so
// the page can match the gradientError to its request.
func TestDecodeGradientErrorsNameFields(t *testing.T) {
	for _, c := range []struct {
		text, field, says string
		seq               int
	}{
		{`{"exosep":1,"type":"gradient","seq":2}`, "gradient", "required", 2},
		{`{"exosep":1,"type":"gradient","seq":3,"gradient":{},"colour":"red"}`, "colour", "unknown field", 3},
		{`{"exosep":1,"type":"gradient","seq":5,"gradient":{"mode":"isopycnic","speed":3}}`, "gradient", `"speed"`, 5},
		{`{"exosep":1,"type":"gradient","seq":6,"gradient":{"minutes":"long"}}`, "gradient", "minutes", 6},
		{`{"exosep":1,"type":"gradient","seq":7,"gradient":{},"animation":{"fps":60}}`, "animation", `"fps"`, 7},
		{`{"exosep":1,"type":"gradient","seq":8,"gradient":{},"input":3}`, "input", "string", 8},
		{`{"exosep":1,"type":"gradient","seq":"x","gradient":{}}`, "seq", "integer", 0},
	} {
		cmd, err := DecodeCommand(c.text)
		fe, ok := err.(FieldError)
		if !ok {
			t.Errorf("%s: error %v (%T), want a FieldError", c.text, err, err)
			continue
		}
		if fe.Field != c.field || !strings.Contains(fe.Message, c.says) {
			t.Errorf("%s: field %q message %q, want field %q saying %q", c.text, fe.Field, fe.Message, c.field, c.says)
		}
		if cmd.Type != TypeGradient || cmd.Gradient.Seq != c.seq {
			t.Errorf("%s: type %q seq %d, want gradient, %d", c.text, cmd.Type, cmd.Gradient.Seq, c.seq)
		}
		var env GradientEnvelope
		if err := json.Unmarshal([]byte(GradientErrorText(cmd.Gradient.Seq, err)), &env); err != nil {
			t.Fatal(err)
		}
		if env.Type != TypeGradientError || env.Seq != c.seq || env.Field != c.field || len(env.Problems) != 1 {
			t.Errorf("%s: answered %+v", c.text, env)
		}
	}
	// Another version is not a gradient message at all.
	if _, err := DecodeCommand(`{"exosep":2,"type":"gradient","gradient":{}}`); err == nil {
		t.Error("accepted version 2")
	}
}

// Validation problems name the field and the allowed range, from the
// engine (fixed-angle rotor, densities), the input and the animation.
func TestRunGradientProblems(t *testing.T) {
	gl, pl := gradLibs(t), lib(t)
	good := func() GradientRequest {
		var p gradient.Params
		if err := json.Unmarshal([]byte(plasmaIPUC), &p); err != nil {
			t.Fatal(err)
		}
		return GradientRequest{Params: p, Input: "plasma"}
	}
	for _, c := range []struct {
		name   string
		change func(*GradientRequest)
		field  string
		says   string
	}{
		{"fixed-angle rotor", func(r *GradientRequest) { r.Params.Rotor = "Type 70 Ti" }, "rotor", "swinging-bucket"},
		{"density beyond the medium", func(r *GradientRequest) { r.Params.ToDensityGPerML = 1.9 }, "to_density_g_per_ml", "allowed"},
		{"no fractions", func(r *GradientRequest) { r.Params.Fractions = 0 }, "fractions", "1–100"},
		{"input", func(r *GradientRequest) { r.Input = "urine" }, "input", "msc-cm"},
		{"particles", func(r *GradientRequest) { r.Animation.Particles = 7 }, "animation.particles", "100–50000"},
		{"time scale", func(r *GradientRequest) { r.Animation.TimeScale = -1 }, "animation.timeScale", "allowed range"},
		{"colour profile", func(r *GradientRequest) { r.Animation.ColorProfile = "neon" }, "animation.colorProfile", "projector"},
		{"species", func(r *GradientRequest) { r.Animation.Species = []string{"exosome", "unicorn"} }, "animation.species", "unicorn"},
		{"species twice", func(r *GradientRequest) { r.Animation.Species = []string{"hdl", "hdl"} }, "animation.species", "twice"},
	} {
		req := good()
		c.change(&req)
		run, probs := RunGradient(req, gl, pl)
		if run != nil || len(probs) == 0 {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		found := false
		for _, p := range probs {
			if p.Field == c.field && strings.Contains(p.Message, c.says) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: problems %v, want field %q saying %q", c.name, probs, c.field, c.says)
		}
	}
}

// The answer carries the engine's own fractions for the same parameters
// and sample, and the automatic time scale plays the spin in
// GradientSpinWallS seconds.
func TestRunGradientMatchesEngine(t *testing.T) {
	gl, pl := gradLibs(t), lib(t)
	var p gradient.Params
	if err := json.Unmarshal([]byte(plasmaIPUC), &p); err != nil {
		t.Fatal(err)
	}
	run, probs := RunGradient(GradientRequest{Params: p, Input: "plasma", Seq: 9}, gl, pl)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	r, _ := gl.Catalog.Rotors.Find(p.Rotor)
	sample, err := pl.GradientSample("plasma", gl.Handling.SampleShare*r.TubeVolumeM3*1e6, gradient.DefaultTemperatureC)
	if err != nil {
		t.Fatal(err)
	}
	want, err := gl.Compute(p, sample)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(run.Result.Fractions, want.Fractions()) || run.Result.ExosomePeak != want.ExosomePeak {
		t.Errorf("fractions differ from the engine's")
	}
	if got := run.Run.DurationS / run.Animation.TimeScale; got != GradientSpinWallS {
		t.Errorf("automatic time scale plays the spin in %g s, want %d", got, GradientSpinWallS)
	}
	var env GradientEnvelope
	if err := json.Unmarshal([]byte(EncodeGradient(run.Seq, run, nil)), &env); err != nil {
		t.Fatal(err)
	}
	if env.Type != TypeGradientResult || env.Seq != 9 || env.Result == nil || len(env.Result.Fractions) != 12 || env.Result.Input != "plasma" {
		t.Errorf("encoded %+v", env)
	}
}
