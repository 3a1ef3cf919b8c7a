package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// filterOut mirrors the documented JSON of `exosep filter --json`;
// pointers catch missing keys.
type filterOut struct {
	Particles []struct {
		DiameterNM *float64 `json:"diameter_nm"`
		Sieving    *float64 `json:"sieving_coefficient"`
		Passed     *float64 `json:"passed_fraction"`
		Retained   *float64 `json:"retained_fraction"`
		Trapped    *float64 `json:"trapped_fraction"`
		Damaged    *float64 `json:"damaged_fraction"`
	} `json:"particles"`
	FluxInitial *float64 `json:"flux_lmh_initial"`
	FluxFinal   *float64 `json:"flux_lmh_final"`
	Minutes     *float64 `json:"minutes"`
	AreaCM2     float64  `json:"area_cm2"`
	PermeateML  float64  `json:"permeate_ml"`
	TMPKPa      float64  `json:"tmp_kpa"`
	CleanWater  float64  `json:"clean_water_lmh_per_bar"`
	Mode        string   `json:"mode"`
}

func filterJSONRun(t *testing.T, args ...string) filterOut {
	t.Helper()
	code, stdout, stderr := exosep(append(append([]string{"filter"}, args...), "--json")...)
	if code != 0 || stderr != "" || strings.Count(stdout, "\n") != 1 {
		t.Fatalf("%q: exit %d, stderr %q, stdout %q", args, code, stderr, stdout)
	}
	var out filterOut
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("decoding %q: %v", stdout, err)
	}
	if out.FluxInitial == nil || out.FluxFinal == nil || out.Minutes == nil {
		t.Fatalf("missing flux_lmh_initial, flux_lmh_final or minutes: %s", stdout)
	}
	for _, p := range out.Particles {
		if p.DiameterNM == nil || p.Sieving == nil || p.Passed == nil || p.Retained == nil || p.Trapped == nil || p.Damaged == nil {
			t.Fatalf("a particle lacks a documented key: %s", stdout)
		}
		for _, f := range []float64{*p.Sieving, *p.Passed, *p.Retained, *p.Trapped, *p.Damaged} {
			if !(f >= 0 && f <= 1) {
				t.Errorf("%g nm: fraction %g outside 0..1", *p.DiameterNM, f)
			}
		}
		// Tolerance 1e-12: the engine conserves particles exactly.
		if s := *p.Passed + *p.Retained + *p.Trapped; math.Abs(s-1) > 1e-12 {
			t.Errorf("%g nm: passed + retained + trapped = %.15g", *p.DiameterNM, s)
		}
	}
	return out
}

// The documented JSON, and what the physics says for clear cases: a rigid
// 20 nm sphere through a 450 nm filter passes (sieving ≥ 0.99); a rigid
// 2000 nm sphere, larger than its largest pore class (median radius 225 nm
// × 1.3^5), does not (0); on a 100 nm filter a 200 nm vesicle passes
// (squeezed) at 100 kPa but not at 1 kPa, and some of those squeezed
// rupture; the dilute tracers leave the flux at the clean membrane's,
// L_p·TMP (1e-9 relative), and the time is permeate/(flux × area) (1e-9).
func TestFilterCommand(t *testing.T) {
	out := filterJSONRun(t, "--pore-nm", "450", "--diameter-nm", "20,2000")
	if s := *out.Particles[0].Sieving; s < 0.99 {
		t.Errorf("20 nm through 450 nm: sieving %g", s)
	}
	if s := *out.Particles[1].Sieving; s != 0 || *out.Particles[1].Passed != 0 {
		t.Errorf("2000 nm rigid through 450 nm: sieving %g, passed %g", s, *out.Particles[1].Passed)
	}
	if math.Abs(*out.FluxInitial/(out.CleanWater*out.TMPKPa/100)-1) > 1e-9 || math.Abs(*out.FluxFinal / *out.FluxInitial - 1) > 1e-9 {
		t.Errorf("flux %g → %g LMH, clean membrane %g LMH/bar at %g kPa", *out.FluxInitial, *out.FluxFinal, out.CleanWater, out.TMPKPa)
	}
	if want := out.PermeateML * 1e-3 / (*out.FluxInitial * out.AreaCM2 * 1e-4) * 60; math.Abs(*out.Minutes/want-1) > 1e-9 {
		t.Errorf("minutes %g, want %g", *out.Minutes, want)
	}
	hi := filterJSONRun(t, "--pore-nm", "100", "--diameter-nm", "200", "--deformable", "--tmp-kpa", "100")
	lo := filterJSONRun(t, "--pore-nm", "100", "--diameter-nm", "200", "--deformable", "--tmp-kpa", "1")
	if !(*hi.Particles[0].Passed > 0.5 && *hi.Particles[0].Damaged > 0 && *lo.Particles[0].Passed < 0.05) {
		t.Errorf("200 nm vesicle on 100 nm: passed %g (damaged %g) at 100 kPa, %g at 1 kPa", *hi.Particles[0].Passed, *hi.Particles[0].Damaged, *lo.Particles[0].Passed)
	}
	uf := filterJSONRun(t, "--mwco-kda", "100", "--diameter-nm", "100")
	if uf.Mode != "tff" || *uf.Particles[0].Passed != 0 || !(*uf.Particles[0].Retained > 0.5) {
		t.Errorf("100 kDa tff, 100 nm vesicle: mode %s, %+v", uf.Mode, uf.Particles[0])
	}
	code, stdout, stderr := exosep("filter", "--mwco-kda", "500", "--deadend", "--diameter-nm", "7,100")
	if code != 0 || stderr != "" || !strings.Contains(stdout, "d (nm)  sieving  passed %  retained %  trapped %  damaged %") || !strings.Contains(stdout, "dead-end") {
		t.Errorf("table: exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	if code, out, _ := exosep("filter", "--help"); code != 0 || !strings.Contains(out, "exosep filter (--mwco-kda K | --pore-nm P)") {
		t.Errorf("--help: exit %d", code)
	}
	if code, out, _ := exosep("help", "filter"); code != 0 || !strings.Contains(out, "--concentration-factor F") {
		t.Errorf("help filter: exit %d", code)
	}
}

// Bad input: one line on stderr naming the flag and what it allows, exit 2.
func TestFilterBadFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--diameter-nm", "100"}, "missing --mwco-kda or --pore-nm (allowed: one of them"},
		{[]string{"--mwco-kda", "100", "--pore-nm", "100", "--diameter-nm", "100"}, "--mwco-kda and --pore-nm exclude each other"},
		{[]string{"--pore-nm", "5", "--diameter-nm", "100"}, "--pore-nm 5 is outside the allowed range (allowed: 20–10000 nm)"},
		{[]string{"--mwco-kda", "0.5", "--diameter-nm", "100"}, "--mwco-kda 0.5 is outside the allowed range (allowed: 1–10000 kDa)"},
		{[]string{"--mwco-kda", "big", "--diameter-nm", "100"}, `--mwco-kda "big" is not a number (allowed: 1–10000 kDa)`},
		{[]string{"--pore-nm", "220", "--deadend", "--tff", "--diameter-nm", "100"}, "--deadend and --tff exclude each other"},
		{[]string{"--pore-nm", "220", "--tmp-kpa", "2000", "--diameter-nm", "100"}, "--tmp-kpa 2000 is outside the allowed range (allowed: 0.1–1000 kPa)"},
		{[]string{"--pore-nm", "220", "--volume-ml", "0", "--diameter-nm", "100"}, "--volume-ml 0 is outside the allowed range (allowed: above 0 up to 100000 mL)"},
		{[]string{"--pore-nm", "220", "--concentration-factor", "5", "--diameter-nm", "100"}, "--concentration-factor applies to an ultrafilter or tangential flow"},
		{[]string{"--mwco-kda", "100", "--concentration-factor", "1", "--diameter-nm", "100"}, "--concentration-factor 1 is outside the allowed range (allowed: above 1 up to 1000)"},
		{[]string{"--pore-nm", "220"}, "missing --diameter-nm"},
		{[]string{"--pore-nm", "220", "--diameter-nm", "100,-3"}, "--diameter-nm -3 is outside the allowed range"},
		{[]string{"--pore-nm", "220", "--diameter-nm", "100", "--colour", "red"}, "unknown flag --colour"},
	} {
		code, out, errOut := exosep(append([]string{"filter"}, tt.args...)...)
		if code != 2 || out != "" || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "exosep filter: ") {
			t.Errorf("%q: exit %d, stderr %q, want one line containing %q", tt.args, code, errOut, tt.want)
		}
	}
}
