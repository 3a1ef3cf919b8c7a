package bridge

import (
	"encoding/json"
	"strings"
	"testing"

	"exosep/engine/protocol"
)

func lib(t *testing.T) *protocol.Library {
	t.Helper()
	l, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func presetJSON(t *testing.T, id string) string {
	t.Helper()
	p, err := lib(t).Preset(id)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDecodeProtocolMessage(t *testing.T) {
	text := `{"exosep":1,"type":"protocol","seq":7,"volumeMl":25,"animation":{"particles":2000,"timeScale":600},"protocol":` + presetJSON(t, "thery2006") + `}`
	cmd, err := DecodeCommand(text)
	if err != nil {
		t.Fatal(err)
	}
	if cmd.Type != TypeProtocol || cmd.Protocol.Seq != 7 || cmd.Protocol.VolumeML != 25 || cmd.Protocol.Animation.Particles != 2000 {
		t.Fatalf("decoded %+v", cmd)
	}
	for _, bad := range []string{
		`{"exosep":1,"type":"protocol"}`,                                     // no protocol
		`{"exosep":1,"type":"protocol","protocol":{},"extra":1}`,             // unknown field
		`{"exosep":1,"type":"protocol","protocol":{},"seq":"x"}`,             // wrong type
		`{"exosep":1,"type":"protocol","protocol":{},"animation":{"fps":1}}`, // unknown animation field
		`{"exosep":2,"type":"protocol","protocol":{}}`,                       // other version
	} {
		if _, err := DecodeCommand(bad); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

// RunProtocol gives the engine's own result, and one SpinStep per spin
// carrying that step's input nodes and conditions.
func TestRunProtocolMatchesEngine(t *testing.T) {
	l := lib(t)
	p, _ := l.Preset("nikfarjam2020")
	run, probs := RunProtocol(ProtocolRequest{Protocol: json.RawMessage(presetJSON(t, "nikfarjam2020")), Seq: 3}, l)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	want, err := l.Run(p, protocol.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(run.Result)
	b, _ := json.Marshal(want)
	if string(a) != string(b) {
		t.Error("RunProtocol's result differs from protocol.Run's")
	}
	spins := 0
	for _, s := range p.Steps {
		if s.Kind == protocol.KindSpin {
			spins++
		}
	}
	if len(run.Spins) != spins {
		t.Fatalf("%d spin steps, want %d", len(run.Spins), spins)
	}
	first := run.Spins[0]
	if first.Step != 1 || first.Keep != "supernatant" || first.Next != "spin" || len(first.Species) != len(l.Catalog.Species) {
		t.Errorf("first spin %+v", first)
	}
	if got, want := first.Spin.DurationS, want.Steps[0].Spin.EffectiveMinutes*60; got != want {
		t.Errorf("duration %g s, want the effective time %g s", got, want)
	}
	if err := first.Spin.Validate(); err != nil {
		t.Errorf("spin params invalid: %v", err)
	}
	if c := first.Caption(); !strings.Contains(c, "Step 1 of 10") || !strings.Contains(c, "500 × g (r_avg), 10 min") {
		t.Errorf("caption %q", c)
	}
	out := EncodeProtocol(run.Seq, run, nil)
	var env map[string]any
	if err := json.Unmarshal([]byte(out), &env); err != nil || env["type"] != TypeProtocolResult || env["seq"] != 3.0 {
		t.Errorf("encoded %.200s", out)
	}
}

// Bad values come back as Problems naming the step and field, with the
// engine's allowed range; bad animation settings and volumes too.
func TestRunProtocolProblems(t *testing.T) {
	l := lib(t)
	bad := strings.Replace(presetJSON(t, "thery2006"), `"minutes":70`, `"minutes":-3`, 1)
	_, probs := RunProtocol(ProtocolRequest{Protocol: json.RawMessage(bad), VolumeML: -1,
		Animation: Animation{Particles: 5, ColorProfile: "neon", Species: []string{"exosome", "dragon"}}}, l)
	fields := map[string]protocol.Problem{}
	for _, p := range probs {
		fields[p.Field] = p
	}
	if p, ok := fields["minutes"]; !ok || p.Step != 4 || !strings.Contains(p.Message, "allowed range") {
		t.Errorf("minutes problem %+v (all: %v)", p, probs)
	}
	for _, f := range []string{"volume_ml", "animation.particles", "animation.colorProfile", "animation.species"} {
		if _, ok := fields[f]; !ok {
			t.Errorf("no problem for %s: %v", f, probs)
		}
	}
	out := EncodeProtocol(0, nil, probs)
	if !strings.Contains(out, `"type":"protocolError"`) || !strings.Contains(out, `"field":"minutes"`) {
		t.Errorf("encoded %s", out)
	}
	if p := fields["animation.species"]; !strings.Contains(p.Message, `"dragon"`) || !strings.Contains(p.Message, "allowed: cell") {
		t.Errorf("species problem %+v", p)
	}
	if _, probs := RunProtocol(ProtocolRequest{Protocol: json.RawMessage(`[1]`)}, l); len(probs) == 0 {
		t.Error("a JSON array accepted as a protocol")
	}
}

// Every step of a protocol is shown in order, each kind with the engine's
// own computation of that step: a spin its input nodes, a gradient step
// the run whose fractions it keeps, a membrane step its membrane trace;
// resuspend and pool steps have no scene and say so. Captions name the
// step and what it does.
func TestRunProtocolShowsEveryStep(t *testing.T) {
	l := lib(t)
	for _, c := range []struct {
		preset string
		kinds  []string
		// captions: per step, words its caption holds
		captions map[int][]string
		handOff  map[int][]string
	}{
		{"onodi2018-iodixanol", []string{"gradient", "resuspend", "spin", "resuspend"},
			map[int][]string{1: {"Step 1 of 4", "density gradient", "isopycnic in iodixanol", "24 h"}, 2: {"Step 2 of 4", "nothing to animate"},
				3: {"Step 3 of 4", "× g"}, 4: {"Step 4 of 4", "resuspended or diluted", "nothing to animate"}},
			map[int][]string{1: {"Step 1:", "kept and pooled", "the rest discarded"}, 3: {"Step 3 pour-off"}}},
		{"nikfarjam2020", []string{"spin", "spin", "filter", "spin", "spin", "resuspend", "pool", "resuspend", "spin", "resuspend"},
			map[int][]string{3: {"Step 3 of 10", "filter, dead-end"}, 7: {"Step 7 of 10", "pooled into one vessel", "nothing to animate"}},
			map[int][]string{3: {"Step 3:", "the filtrate", "goes on"}}},
		{"uf-100kda", []string{"filter", "ultrafilter"},
			map[int][]string{2: {"Step 2 of 2", "ultrafilter"}},
			map[int][]string{2: {"Step 2:", "the retentate", "the permeate is discarded"}}},
	} {
		t.Run(c.preset, func(t *testing.T) {
			run, probs := RunProtocol(ProtocolRequest{Protocol: json.RawMessage(presetJSON(t, c.preset)), Animation: Animation{Seed: 3}}, l)
			if len(probs) > 0 {
				t.Fatal(probs)
			}
			if len(run.Steps) != len(c.kinds) {
				t.Fatalf("%d steps shown, want %d", len(run.Steps), len(c.kinds))
			}
			for i, st := range run.Steps {
				sr := &run.Result.Steps[i]
				if st.Step != i+1 || st.Of != len(c.kinds) || st.Kind != c.kinds[i] || st.Result != sr {
					t.Errorf("step %d: %d of %d, kind %s; want kind %s and the engine's step result", i+1, st.Step, st.Of, st.Kind, c.kinds[i])
				}
				switch st.Kind {
				case protocol.KindSpin:
					if st.Spin == nil || st.Spin.Step != i+1 || st.Gradient != nil || st.Membrane != nil {
						t.Errorf("step %d: spin %v, gradient %v, membrane %v", i+1, st.Spin, st.Gradient, st.Membrane)
					}
				case protocol.KindGradient:
					g := st.GradientRun(run.Animation, run.Result.Input.ID)
					if g == nil || st.Spin != nil || st.Membrane != nil {
						t.Fatalf("step %d: no gradient run", i+1)
					}
					// The run is the step's own: its fractions are those
					// the engine reported for the step.
					if d := sr.Gradient; g.Result.ExosomePeak != d.ExosomePeak || len(g.Result.Fractions) != len(d.Fractions) ||
						g.Result.Fractions[d.ExosomePeak-1].Species["exosome"] != d.Fractions[d.ExosomePeak-1].Species["exosome"] {
						t.Errorf("step %d: the gradient run is not the step's (peak %d vs %d)", i+1, g.Result.ExosomePeak, d.ExosomePeak)
					}
					if g.Animation.Particles != run.Animation.Particles || g.Animation.Seed != run.Animation.Seed+uint64(i+1) ||
						g.Animation.TimeScale != g.Run.DurationS/GradientSpinWallS {
						t.Errorf("step %d: gradient animation %+v", i+1, g.Animation)
					}
				case protocol.KindFilter, protocol.KindUltrafilter:
					f := st.FiltrationRun(run.Animation)
					if f == nil || len(f.Stages) != 1 || st.Spin != nil || st.Gradient != nil {
						t.Fatalf("step %d: no membrane run", i+1)
					}
					m := f.Stages[0]
					if m.Step != i+1 || m.Kind != st.Kind || m.Res == nil || m.Res.Minutes != sr.Filter.FiltrationMinutes {
						t.Errorf("step %d: membrane stage %d %s, %v min; the step filtered %v min", i+1, m.Step, m.Kind, m.Res.Minutes, sr.Filter.FiltrationMinutes)
					}
					if f.Animation.Particles != DefaultFiltrationParticles {
						t.Errorf("step %d: %d particles on the membrane, want %d", i+1, f.Animation.Particles, DefaultFiltrationParticles)
					}
				default:
					if st.Animated() {
						t.Errorf("step %d (%s) has a scene", i+1, st.Kind)
					}
				}
				if st.Animated() != (st.Kind != protocol.KindResuspend && st.Kind != protocol.KindPool) {
					t.Errorf("step %d (%s): animated %v", i+1, st.Kind, st.Animated())
				}
				for _, w := range c.captions[i+1] {
					if got := st.Caption(); !strings.Contains(got, w) {
						t.Errorf("step %d caption %q lacks %q", i+1, got, w)
					}
				}
				for _, w := range c.handOff[i+1] {
					if got := st.HandOffCaption(); !strings.Contains(got, w) {
						t.Errorf("step %d hand-off caption %q lacks %q", i+1, got, w)
					}
				}
				if strings.Contains(st.Caption(), "not animated") {
					t.Errorf("step %d caption %q", i+1, st.Caption())
				}
			}
		})
	}
}
