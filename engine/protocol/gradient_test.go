package protocol_test

import (
	"math"
	"strings"
	"testing"

	"exosep/engine/gradient"
	"exosep/engine/protocol"
)

// A gradient step: the kept fractions are the run's exosome-rich ones,
// VLDL and LDL are left behind (< 1 % kept), and the later spin sees the
// kept iodixanol diluted 1:4 in PBS: density ρ_PBS + [ρ_med(c/4) − ρ_med(0)]
// and viscosity η_PBS·η_med(c/4)/η_med(0), to 1e-9 relative.
func TestGradientStep(t *testing.T) {
	lib := library(t)
	res := run(t, lib, preset(t, lib, "onodi2018-iodixanol"), protocol.Options{})
	g := res.Steps[0].Gradient
	if g == nil {
		t.Fatal("no gradient detail")
	}
	if len(g.Kept) == 0 || g.ExosomePeak < g.Kept[0] || g.ExosomePeak > g.Kept[len(g.Kept)-1] {
		t.Errorf("kept %v does not hold the exosome peak %d", g.Kept, g.ExosomePeak)
	}
	for _, id := range []string{"vldl", "ldl"} {
		f := res.Steps[0].Species[id]
		if f.Kept > 0.01*f.In {
			t.Errorf("%s kept %.3g of %.3g", id, f.Kept, f.In)
		}
	}
	if f := res.Steps[0].Species["exosome"]; f.Kept < 0.5*f.In {
		t.Errorf("exosomes kept %.3g of %.3g", f.Kept, f.In)
	}
	gl, err := gradient.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := gl.Media["iodixanol"]
	c := g.KeptConcentrationKgM3 / 4
	pbs := lib.Catalog.Media["pbs"]
	rhoP, _ := pbs.DensityKgM3(4)
	etaP, _ := pbs.ViscosityPas(4)
	wantRho := rhoP + m.DensityKgM3(c, 4) - m.DensityKgM3(0, 4)
	wantEta := etaP * m.ViscosityPas(c, 4) / m.ViscosityPas(0, 4)
	sp := res.Steps[2].Spin
	if math.Abs(sp.DensityGPerML*1e3-wantRho) > 1e-9*wantRho || math.Abs(sp.ViscosityMPas*1e-3-wantEta) > 1e-9*wantEta {
		t.Errorf("spin after the gradient: %.6f g/mL, %.4f mPa·s; want %.6f, %.4f", sp.DensityGPerML, sp.ViscosityMPas, wantRho/1e3, wantEta*1e3)
	}
	if !(wantRho > rhoP+1) {
		t.Errorf("test set-up: the kept medium (%.4f g/mL) should be denser than PBS", wantRho/1e3)
	}
}

func TestGradientStepValidation(t *testing.T) {
	lib := library(t)
	good := `{"kind": "gradient", "gradient": {"mode": "isopycnic", "medium": "iodixanol", "from_percent": 10, "to_percent": 50, "rotor": "SW 41 Ti", "rcf": 100000, "minutes": 600, "fractions": 10}, "keep_fractions": "peak"}`
	cases := []struct {
		name, step string
		want       []string
	}{
		{"no gradient", `{"kind": "gradient", "keep_fractions": "peak"}`, []string{"field gradient: required"}},
		{"no keep", strings.Replace(good, `, "keep_fractions": "peak"`, "", 1), []string{"field keep_fractions: required"}},
		{"bad keep word", strings.Replace(good, `"peak"`, `"top"`, 1), []string{"field keep_fractions", "peak"}},
		{"keep out of range", strings.Replace(good, `"peak"`, `[3, 11]`, 1), []string{"field keep_fractions: 11 is not allowed", "1–10"}},
		{"bad medium", strings.Replace(good, `"iodixanol"`, `"ficoll"`, 1), []string{"field gradient.medium", "cscl, iodixanol, sucrose"}},
		{"fixed angle", strings.Replace(good, `"SW 41 Ti"`, `"Type 70 Ti"`, 1), []string{"field gradient.rotor", "swinging-bucket"}},
		{"unknown gradient field", strings.Replace(good, `"fractions": 10`, `"fractions": 10, "speed": 3`, 1), []string{"field gradient", "speed"}},
		{"spin field on gradient", strings.Replace(good, `"kind": "gradient"`, `"kind": "gradient", "pore_um": 0.2`, 1), []string{"field pore_um", "not used by a gradient step"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, probs := lib.ParseFile([]byte(`{"name": "x", "input": "plasma", "steps": [` + tc.step + `]}`))
			msg := probs.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("problems %q lack %q", msg, w)
				}
			}
		})
	}
	if _, probs := lib.ParseFile([]byte(`{"name": "x", "input": "plasma", "steps": [` + good + `]}`)); len(probs) > 0 {
		t.Errorf("valid gradient step rejected: %v", probs)
	}
}

// GradientTrace hands over, once per gradient step and with its 1-based
// index, the very run whose fractions the step reports (same fractions,
// same exosome peak), and tracing changes nothing in the result.
func TestGradientTrace(t *testing.T) {
	lib := library(t)
	p := preset(t, lib, "onodi2018-iodixanol")
	var steps []int
	var runs []*gradient.Run
	res := run(t, lib, p, protocol.Options{GradientTrace: func(step int, r *gradient.Run) {
		steps = append(steps, step)
		runs = append(runs, r)
	}})
	if len(steps) != 1 || steps[0] != 1 || runs[0] == nil {
		t.Fatalf("traced steps %v, want [1] with a run", steps)
	}
	g := res.Steps[0].Gradient
	fr := runs[0].Fractions()
	if len(fr) != len(g.Fractions) || runs[0].ExosomePeak != g.ExosomePeak || runs[0].RPM != g.RPM {
		t.Fatalf("traced run: %d fractions, peak %d, %g rpm; step: %d, %d, %g", len(fr), runs[0].ExosomePeak, runs[0].RPM, len(g.Fractions), g.ExosomePeak, g.RPM)
	}
	for j := range fr {
		if fr[j].DensityGPerML != g.Fractions[j].DensityGPerML || fr[j].Species["exosome"] != g.Fractions[j].Species["exosome"] {
			t.Errorf("fraction %d: traced %+v, step %+v", j+1, fr[j], g.Fractions[j])
		}
	}
	plain := run(t, lib, p, protocol.Options{})
	if plain.Final.ExosomeYieldFraction != res.Final.ExosomeYieldFraction || plain.Final.TotalMinutes != res.Final.TotalMinutes {
		t.Error("tracing changed the result")
	}
}
