package bridge

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"exosep/engine/protocol"
)

// Filtration messages decode into one of step, preset or protocol; every
// malformed one is refused naming the field.
func TestDecodeFiltrationMessage(t *testing.T) {
	cmd, err := DecodeCommand(`{"exosep":1,"type":"filtration","seq":4,"input":"msc-cm","volumeMl":50,"compare":["nikfarjam2020"],` +
		`"filtration":{"kind":"ultrafilter","mwco_kda":100,"mode":"tff","concentration_factor":10},"animation":{"particles":300,"timeScale":120,"seed":9,"reducedMotion":true,"colorProfile":"projector","species":["exosome","albumin"]}}`)
	if err != nil {
		t.Fatal(err)
	}
	f := cmd.Filtration
	if cmd.Type != TypeFiltration || f.Seq != 4 || f.Input != "msc-cm" || f.VolumeML != 50 || len(f.Step) == 0 || f.Animation.Particles != 300 ||
		f.Animation.Seed != 9 || !f.Animation.ReducedMotion || len(f.Compare) != 1 ||
		f.Animation.ColorProfile != ProfileProjector || strings.Join(f.Animation.Species, ",") != "exosome,albumin" {
		t.Fatalf("decoded %+v", cmd)
	}
	cmd, err = DecodeCommand(`{"exosep":1,"type":"filtration","preset":"heinemann2014-sf"}`)
	if err != nil || cmd.Filtration.Preset != "heinemann2014-sf" {
		t.Fatalf("preset: %+v, %v", cmd, err)
	}
	for _, tc := range []struct{ text, field string }{
		{`{"exosep":1,"type":"filtration","seq":3}`, "filtration"},                                               // none of the three
		{`{"exosep":1,"type":"filtration","preset":"uf-100kda","protocol":{}}`, "filtration"},                    // two of them
		{`{"exosep":1,"type":"filtration","preset":"uf-100kda","extra":1}`, "extra"},                             // unknown field
		{`{"exosep":1,"type":"filtration","preset":"uf-100kda","animation":{"fps":1}}`, "animation"},             // unknown animation field
		{`{"exosep":1,"type":"filtration","preset":"uf-100kda","volumeMl":"a lot"}`, "volumeMl"},                 // wrong type
		{`{"exosep":1,"type":"filtration","preset":"uf-100kda","seq":"x"}`, "seq"},                               // wrong type
		{`{"exosep":1,"type":"filtration","preset":7}`, "preset"},                                                // wrong type
		{`{"exosep":1,"type":"filtration","preset":"uf-100kda","compare":"nikfarjam2020"}`, "compare"},           // not a list
		{`{"exosep":1,"type":"filtration","preset":"uf-100kda","animation":{"particles":"many"}}`, "animation"},  // wrong type
		{`{"exosep":1,"type":"filtration","preset":"uf-100kda","animation":{"colorProfile":3}}`, "animation"},    // wrong type
		{`{"exosep":1,"type":"filtration","preset":"uf-100kda","animation":{"species":"exosome"}}`, "animation"}, // not a list
	} {
		cmd, err := DecodeCommand(tc.text)
		fe, ok := err.(FieldError)
		if !ok || fe.Field != tc.field || cmd.Type != TypeFiltration {
			t.Errorf("%s: error %v (type %s), want a FieldError naming %s", tc.text, err, cmd.Type, tc.field)
		}
	}
	// The seq of a bad message is kept so the error can be answered.
	cmd, _ = DecodeCommand(`{"exosep":1,"type":"filtration","seq":12,"bogus":true}`)
	if cmd.Filtration.Seq != 12 {
		t.Errorf("seq of a bad message: %d, want 12", cmd.Filtration.Seq)
	}
	var e FiltrationEnvelope
	if err := json.Unmarshal([]byte(FiltrationErrorText(12, FieldError{"bogus", "unknown"})), &e); err != nil || e.Type != TypeFiltrationError || e.Seq != 12 || e.Field != "bogus" {
		t.Errorf("error text: %+v, %v", e, err)
	}
}

// Bad values are refused by the engine's validation, each problem naming
// the field (prefixed so the page can find its control) and the allowed
// range; nothing is run.
func TestRunFiltrationProblems(t *testing.T) {
	l := lib(t)
	step := func(s string) json.RawMessage { return json.RawMessage(s) }
	for _, tc := range []struct {
		name  string
		req   FiltrationRequest
		field string
		want  string // in the message
	}{
		{"tmp", FiltrationRequest{Step: step(`{"kind":"ultrafilter","mwco_kda":100,"concentration_factor":10,"tmp_kpa":5000}`)}, "filtration.tmp_kpa", "0.1–1000 kPa"},
		{"mwco", FiltrationRequest{Step: step(`{"kind":"ultrafilter","mwco_kda":77,"concentration_factor":10}`)}, "filtration.mwco_kda", "100"},
		{"shear in dead-end", FiltrationRequest{Step: step(`{"kind":"ultrafilter","mwco_kda":100,"mode":"deadend","concentration_factor":10,"shear_rate_per_s":4000}`)}, "filtration.shear_rate_per_s", "tff"},
		{"unknown step field", FiltrationRequest{Step: step(`{"kind":"ultrafilter","mwco_kda":100,"concentration_factor":10,"speed":1}`)}, "filtration.speed", ""},
		{"a spin only", FiltrationRequest{Step: step(`{"kind":"pool"}`)}, "steps", "filter or ultrafilter"},
		{"volume", FiltrationRequest{Preset: "uf-100kda", VolumeML: -1}, "volumeMl", "above 0"},
		{"input", FiltrationRequest{Preset: "uf-100kda", Input: "blood"}, "input", "msc-cm"},
		{"preset", FiltrationRequest{Preset: "nope"}, "preset", "heinemann2014-sf"},
		{"compare", FiltrationRequest{Preset: "uf-100kda", Compare: []string{"nope"}}, "compare[0]", "nikfarjam2020"},
		{"particles", FiltrationRequest{Preset: "uf-100kda", Animation: FiltrationAnimation{Particles: 5}}, "animation.particles", "100–5000"},
		{"time scale", FiltrationRequest{Preset: "uf-100kda", Animation: FiltrationAnimation{TimeScale: -2}}, "animation.timeScale", "0: automatic"},
		{"colour profile", FiltrationRequest{Preset: "uf-100kda", Animation: FiltrationAnimation{ColorProfile: "neon"}}, "animation.colorProfile", "projector, high-contrast"},
		{"species", FiltrationRequest{Preset: "uf-100kda", Animation: FiltrationAnimation{Species: []string{"exosome", "unicorn"}}}, "animation.species", `"unicorn" is not a species id`},
		{"species twice", FiltrationRequest{Preset: "uf-100kda", Animation: FiltrationAnimation{Species: []string{"albumin", "albumin"}}}, "animation.species", "twice"},
		{"protocol step", FiltrationRequest{Protocol: json.RawMessage(`{"name":"x","input":"msc-cm","steps":[{"kind":"filter","pore_um":0.22},{"kind":"ultrafilter","mwco_kda":100,"concentration_factor":2000}]}`)}, "steps[2].concentration_factor", "1000"},
	} {
		run, probs := RunFiltration(tc.req, l)
		if run != nil || len(probs) == 0 {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		var e FiltrationEnvelope
		if err := json.Unmarshal([]byte(EncodeFiltration(8, nil, probs)), &e); err != nil {
			t.Fatal(err)
		}
		if e.Type != TypeFiltrationError || e.Seq != 8 || e.Field != tc.field || !strings.Contains(e.Message, tc.want) {
			t.Errorf("%s: field %q message %q, want field %q and %q in the message", tc.name, e.Field, e.Message, tc.field, tc.want)
		}
	}
}

// One filtration and a preset give the protocol engine's own figures; the
// membrane steps carry the very filter runs the protocol reports, and the
// comparison presets are run on the same input and volume.
func TestRunFiltrationMatchesEngine(t *testing.T) {
	l := lib(t)
	run, probs := RunFiltration(FiltrationRequest{Preset: "heinemann2014-sf", Seq: 5, Compare: []string{"nikfarjam2020"}}, l)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	p, _ := l.Preset("heinemann2014-sf")
	want, err := l.Run(p, protocol.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := run.Result.Protocol
	if got.Final.ExosomeYieldFraction != want.Final.ExosomeYieldFraction || got.Final.TotalMinutes != want.Final.TotalMinutes {
		t.Errorf("yield %g, %g min; engine %g, %g min", got.Final.ExosomeYieldFraction, got.Final.TotalMinutes, want.Final.ExosomeYieldFraction, want.Final.TotalMinutes)
	}
	if len(run.Stages) != 3 || len(run.Result.Stages) != 3 {
		t.Fatalf("%d stages, want SF's 3", len(run.Stages))
	}
	for i, st := range run.Result.Stages {
		fd := want.Steps[st.Step-1].Filter
		if st.Minutes != fd.FiltrationMinutes || st.FluxLMHInitial != fd.FluxLMHInitial || st.Mode != fd.Mode {
			t.Errorf("stage %d: %g min %g LMH %s, engine %g min %g LMH %s", i, st.Minutes, st.FluxLMHInitial, st.Mode, fd.FiltrationMinutes, fd.FluxLMHInitial, fd.Mode)
		}
		for _, sp := range st.Species {
			if s := sp.Passed + sp.Retained + sp.Trapped; math.Abs(s-1) > 1e-9 && sp.Count > 0 {
				t.Errorf("stage %d %s: passed+retained+trapped = %g", i, sp.ID, s)
			}
			if tr, ok := fd.TrappedFraction[sp.ID]; ok && math.Abs(tr-sp.Trapped) > 1e-9 {
				t.Errorf("stage %d %s: trapped %g, engine %g", i, sp.ID, sp.Trapped, tr)
			}
		}
	}
	if len(run.Result.Comparison) != 1 {
		t.Fatalf("comparison %+v", run.Result.Comparison)
	}
	cp, _ := l.Preset("nikfarjam2020")
	cp.Input = "msc-cm"
	cr, err := l.Run(cp, protocol.Options{VolumeML: got.Input.VolumeML})
	if err != nil {
		t.Fatal(err)
	}
	if c := run.Result.Comparison[0]; c.ExosomeYieldFraction != cr.Final.ExosomeYieldFraction || c.VolumeML != 1000 {
		t.Errorf("comparison %+v, engine yield %g on 1000 mL", c, cr.Final.ExosomeYieldFraction)
	}
	var e FiltrationEnvelope
	if err := json.Unmarshal([]byte(EncodeFiltration(run.Seq, run, nil)), &e); err != nil || e.Type != TypeFiltrationResult || e.Seq != 5 || len(e.Result.Stages) != 3 {
		t.Errorf("result envelope: %v", err)
	}

	// One step on a given input and volume.
	one, probs := RunFiltration(FiltrationRequest{Step: json.RawMessage(`{"kind":"ultrafilter","mwco_kda":100,"mode":"tff","tmp_kpa":40,"concentration_factor":10}`), VolumeML: 200}, l)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if len(one.Stages) != 1 || one.Result.Protocol.Input.VolumeML != 200 || one.Result.Stages[0].TMPKPa != 40 || one.Result.Stages[0].Mode != "tff" {
		t.Errorf("one step: %+v", one.Result.Stages)
	}
}
