package protocol_test

import (
	"math"
	"strings"
	"testing"

	"exosep/engine/filter"
	"exosep/engine/protocol"
)

// Bad filter and ultrafilter steps: one message per problem, naming the
// step, the field and what is allowed.
func TestFiltrationValidation(t *testing.T) {
	lib := library(t)
	file := `{
	 "name": "bad filtration", "input": "msc-cm",
	 "steps": [
	  {"kind": "filter", "membrane": "pes-500kda"},
	  {"kind": "filter", "pore_um": 0.22, "membrane": "pes-0.22um"},
	  {"kind": "filter", "pore_um": 0.22, "module": "hollow-fibre-lab", "tmp_kpa": 5000},
	  {"kind": "ultrafilter", "mwco_kda": 42, "concentration_factor": 10},
	  {"kind": "ultrafilter", "membrane": "pes-100kda", "mwco_kda": 100, "concentration_factor": 10},
	  {"kind": "ultrafilter", "membrane": "pes-100kda", "concentration_factor": 10, "final_volume_ml": 5},
	  {"kind": "ultrafilter", "membrane": "pes-100kda", "mode": "sideways", "concentration_factor": 0.5, "diafiltration_volumes": 30},
	  {"kind": "ultrafilter", "membrane": "pes-100kda", "mode": "deadend", "concentration_factor": 10, "shear_rate_per_s": 4000, "module": "hollow-fibre-lab"},
	  {"kind": "ultrafilter", "membrane": "pes-100kda", "final_volume_ml": 5, "pore_um": 0.1}
	 ]}`
	_, probs := lib.ParseFile([]byte(file))
	msgs := make([]string, len(probs))
	for i, p := range probs {
		msgs[i] = p.String()
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		`step 1 (filter): field membrane: "pes-500kda" is not a catalogue microfilter (allowed: pes-0.45um, pes-0.22um, pes-0.1um, te-0.1um)`,
		`step 2 (filter): field membrane: give one of membrane and pore_um, not both`,
		`step 3 (filter): field module: "hollow-fibre-lab" is not a catalogue deadend module (allowed: syringe-25mm, disc-47mm, disc-142mm, stirred-cell-76mm)`,
		`step 3 (filter): field tmp_kpa: 5000 kPa is outside the allowed range 0.1–1000 kPa`,
		`step 4 (ultrafilter): field mwco_kda: 42 kDa is not a catalogue cut-off (allowed: 10, 30, 100, 300, 500, 1000)`,
		`step 5 (ultrafilter): field membrane: give exactly one of membrane (allowed: pes-10kda, pes-30kda, pes-100kda, pes-300kda, pes-500kda, pes-1000kda) and mwco_kda`,
		`step 6 (ultrafilter): field concentration_factor: give exactly one of concentration_factor (feed / final volume, above 1 up to 1000) and final_volume_ml`,
		`step 7 (ultrafilter): field mode: "sideways" is not allowed (allowed: tff, deadend)`,
		`step 7 (ultrafilter): field concentration_factor: 0.5 is outside the allowed range: above 1 up to 1000`,
		`step 7 (ultrafilter): field diafiltration_volumes: 30 is outside the allowed range 0–20`,
		`step 8 (ultrafilter): field shear_rate_per_s: only for mode tff`,
		`step 8 (ultrafilter): field module: "hollow-fibre-lab" is not a catalogue deadend module`,
		`step 9 (ultrafilter): field pore_um: not used by a ultrafilter step (allowed: kind, name, note, source, membrane, mwco_kda, mode, module, tmp_kpa, concentration_factor, final_volume_ml, diafiltration_volumes, shear_rate_per_s)`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
	// A final volume not below the volume reaching the step is found when
	// the protocol runs, named by step and field.
	p := protocol.Protocol{Name: "too much", Input: "msc-cm", VolumeML: 10, Steps: []protocol.Step{{Kind: "ultrafilter", MWCOkDa: 100, FinalVolumeML: 20}}}
	if _, err := lib.Run(p, protocol.Options{}); err == nil || !strings.Contains(err.Error(), "step 1 (ultrafilter): field final_volume_ml: 20 mL is not below the 10 mL reaching this step") {
		t.Errorf("err = %v", err)
	}
}

// The review's claims on ultrafiltration and sequential filtration, from
// the physics:
//   - 500 kDa tangential flow with diafiltration removes soluble protein
//     (≥ 90 % of the albumin entering the step leaves with the permeate)
//     while keeping most exosomes (> 80 %), concentrating 20× (the volume
//     out is the volume in / 20, 1e-9; the 1 L less the first filter's
//     hold-up);
//   - SF handles 1 L within a day (total time < 24 h);
//   - UF traps vesicles on the membrane (trapped share > 0 in every
//     ultrafilter step; dead-end loses more than tangential flow);
//   - a large MWCO first, then a small one, filters faster and leaves less
//     protein than the single small MWCO at the same overall
//     concentration (in the model it also loses more exosomes: each
//     dead-end stage leaves part of its deposit — stated, not hidden);
//   - the SF product is purer (particles per µg protein) than either UF
//     product.
func TestFiltrationPresets(t *testing.T) {
	lib := library(t)
	sf := run(t, lib, preset(t, lib, "heinemann2014-sf"), protocol.Options{})
	tff := sf.Steps[1]
	if tff.Filter == nil || tff.Filter.Mode != "tff" || math.Abs(tff.VolumeOutML-tff.VolumeInML/20) > 1e-9 || math.Abs(tff.Filter.ConcentrationFactor-20) > 1e-9 {
		t.Fatalf("TFF step: %+v, volume out %g", tff.Filter, tff.VolumeOutML)
	}
	if a := tff.Species["albumin"]; !(a.Discarded >= 0.9*a.In) {
		t.Errorf("TFF: albumin %g of %g removed, want ≥ 90 %%", a.Discarded, a.In)
	}
	if e := tff.Species["exosome"]; !(e.Kept > 0.8*e.In) {
		t.Errorf("TFF: exosomes %g of %g kept, want > 80 %%", e.Kept, e.In)
	}
	if sf.Final.TotalMinutes >= 24*60 {
		t.Errorf("SF of 1 L took %g min, want within a day", sf.Final.TotalMinutes)
	}
	single := run(t, lib, preset(t, lib, "uf-100kda"), protocol.Options{})
	seq := run(t, lib, preset(t, lib, "uf-1000-then-100kda"), protocol.Options{})
	ufMinutes := func(r *protocol.Result) (m float64) {
		for _, s := range r.Steps {
			if s.Kind == protocol.KindUltrafilter {
				m += s.Filter.FiltrationMinutes
				if !(s.Filter.TrappedFraction["exosome"] > 0) {
					t.Errorf("%s: no exosome trapped on the membrane", s.Name)
				}
			}
		}
		return m
	}
	if a, b := ufMinutes(seq), ufMinutes(single); !(a < b) {
		t.Errorf("large MWCO first: %g min of ultrafiltration, single 100 kDa %g min", a, b)
	}
	if !(seq.Final.ProteinUG < single.Final.ProteinUG) {
		t.Errorf("large MWCO first leaves %g µg protein, single 100 kDa %g µg", seq.Final.ProteinUG, single.Final.ProteinUG)
	}
	// Same ultrafilter, tangential flow instead of dead-end: less trapped.
	de := protocol.Protocol{Name: "de", Input: "msc-cm", Steps: []protocol.Step{{Kind: "ultrafilter", Membrane: "pes-100kda", Mode: "deadend", ConcentrationFactor: 10}}}
	tf := de
	tf.Steps = []protocol.Step{{Kind: "ultrafilter", Membrane: "pes-100kda", Mode: "tff", ConcentrationFactor: 10}}
	tDE := run(t, lib, de, protocol.Options{}).Steps[0].Filter.TrappedFraction["exosome"]
	tTF := run(t, lib, tf, protocol.Options{}).Steps[0].Filter.TrappedFraction["exosome"]
	if !(tTF < tDE) {
		t.Errorf("trapped exosomes: tangential %g, dead-end %g", tTF, tDE)
	}
	for _, r := range []*protocol.Result{single, seq} {
		if !(sf.Final.ParticlesPerUGProtein > r.Final.ParticlesPerUGProtein) {
			t.Errorf("SF %g particles/µg, %s %g", sf.Final.ParticlesPerUGProtein, r.Protocol, r.Final.ParticlesPerUGProtein)
		}
	}
}

// FilterTrace hands over, per filter and ultrafilter step, the membrane
// model's run whose figures the step reports: the same minutes, fluxes and
// volumes (exactly: it is the same run), and one Series per step.
func TestFilterTrace(t *testing.T) {
	lib := library(t)
	type traced struct {
		step int
		p    filter.Params
		res  *filter.Result
	}
	var got []traced
	sf := run(t, lib, preset(t, lib, "heinemann2014-sf"), protocol.Options{FilterTrace: func(step int, p filter.Params, res *filter.Result) {
		got = append(got, traced{step, p, res})
	}})
	if len(got) != 3 {
		t.Fatalf("traced %d filtrations, want the preset's 3", len(got))
	}
	for i, tr := range got {
		if tr.step != i+1 {
			t.Errorf("trace %d: step %d, want %d", i, tr.step, i+1)
		}
		fd := sf.Steps[tr.step-1].Filter
		if fd == nil {
			t.Fatalf("step %d has no filter detail", tr.step)
		}
		if fd.FiltrationMinutes != tr.res.Minutes || fd.FluxLMHInitial != tr.res.FluxLMHInitial || fd.PermeateML != tr.res.PermeateML || fd.Mode != tr.p.Module.Mode {
			t.Errorf("step %d: detail %g min %g LMH %g mL %s, trace %g min %g LMH %g mL %s", tr.step, fd.FiltrationMinutes, fd.FluxLMHInitial, fd.PermeateML, fd.Mode,
				tr.res.Minutes, tr.res.FluxLMHInitial, tr.res.PermeateML, tr.p.Module.Mode)
		}
		if len(tr.res.Series) < 2 || len(tr.p.Particles) != len(tr.res.Particles) {
			t.Errorf("step %d: %d samples, %d particle classes for %d results", tr.step, len(tr.res.Series), len(tr.p.Particles), len(tr.res.Particles))
		}
	}
}
