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

// A protocol with a density-gradient step animates its spins only, and
// the spin after the gradient says in its caption that the gradient step
// was not shown.
func TestRunProtocolSkipsGradientHonestly(t *testing.T) {
	run, probs := RunProtocol(ProtocolRequest{Protocol: json.RawMessage(presetJSON(t, "onodi2018-iodixanol"))}, lib(t))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if len(run.Spins) != 1 || run.Spins[0].Step != 3 {
		t.Fatalf("spins %+v, want step 3 only", run.Spins)
	}
	if got := run.Spins[0].Skipped; len(got) != 1 || got[0] != 1 {
		t.Errorf("skipped %v, want [1]", got)
	}
	if c := run.Spins[0].Caption(); !strings.Contains(c, "step 1, a density gradient, is not animated here") {
		t.Errorf("caption %q does not say the gradient step is not shown", c)
	}
}
