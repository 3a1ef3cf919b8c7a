package main

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"exosep/engine/catalog"
)

// exosep runs the command line and returns its exit status and output.
func exosep(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

// water4 returns the engine's water viscosity (Pa·s) and density (kg/m³)
// at 4 °C: the inputs of the closed forms below.
func water4(t *testing.T) (eta, rho float64) {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	w := cat.Media["water"]
	if eta, err = w.ViscosityPas(4); err != nil {
		t.Fatal(err)
	}
	if rho, err = w.DensityKgM3(4); err != nil {
		t.Fatal(err)
	}
	return eta, rho
}

// spinOut mirrors the documented JSON of `exosep spin --json`; pointers
// catch missing keys.
type spinOut struct {
	RPM       *float64 `json:"rpm"`
	RCFMin    *float64 `json:"rcf_min"`
	RCFAvg    *float64 `json:"rcf_avg"`
	RCFMax    *float64 `json:"rcf_max"`
	KFactor   *float64 `json:"k_factor"`
	Cutoff    *float64 `json:"cutoff_diameter_nm"`
	Particles []struct {
		DiameterNM *float64 `json:"diameter_nm"`
		Svedberg   *float64 `json:"sedimentation_coefficient_svedberg"`
		Pelleted   *float64 `json:"pelleted_fraction"`
		Floated    *float64 `json:"floated_fraction"`
	} `json:"particles"`
	Rotor         string   `json:"rotor"`
	ViscosityMPas float64  `json:"viscosity_mpas"`
	MediumGPML    float64  `json:"medium_density_g_per_ml"`
	TemperatureC  *float64 `json:"temperature_c"`
}

// spinJSONRun runs spin --json and decodes its single JSON object.
func spinJSONRun(t *testing.T, args ...string) spinOut {
	t.Helper()
	code, stdout, stderr := exosep(append(append([]string{"spin"}, args...), "--json")...)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if strings.Count(stdout, "\n") != 1 || !strings.HasSuffix(stdout, "\n") {
		t.Fatalf("stdout is not one line of JSON: %q", stdout)
	}
	var out spinOut
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decoding %q: %v", stdout, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("more than one JSON value on stdout: %q", stdout)
	}
	for name, v := range map[string]*float64{"rpm": out.RPM, "rcf_min": out.RCFMin, "rcf_avg": out.RCFAvg, "rcf_max": out.RCFMax, "k_factor": out.KFactor} {
		if v == nil {
			t.Fatalf("key %s missing in %s", name, stdout)
		}
	}
	for i, p := range out.Particles {
		if p.DiameterNM == nil || p.Svedberg == nil || p.Pelleted == nil || p.Floated == nil {
			t.Fatalf("particle %d lacks a key: %s", i, stdout)
		}
		if *p.Pelleted < 0 || *p.Pelleted > 1 || *p.Floated < 0 || *p.Floated > 1 {
			t.Fatalf("particle %d fractions outside 0..1: %s", i, stdout)
		}
	}
	return out
}

func near(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > rel*math.Abs(want) {
		t.Errorf("%s = %.12g, want %.12g (relative tolerance %g)", what, got, want, rel)
	}
}

func TestBadInput(t *testing.T) {
	ok := []string{"--minutes", "10", "--diameter-nm", "100"}
	sw := func(extra ...string) []string {
		return append(append([]string{"spin", "--rotor", "SW 41 Ti"}, extra...), ok...)
	}
	custom := func(extra ...string) []string {
		return append(append([]string{"spin"}, extra...), ok...)
	}
	cases := []struct {
		name string
		args []string
		want []string // substrings of the one stderr line
	}{
		{"no command", nil, []string{"rotors, spin, protocol, presets, filter, gradient, help"}},
		{"unknown command", []string{"spinn"}, []string{"spinn", "rotors, spin, protocol, presets, filter, gradient, help"}},
		{"flag before command", []string{"--json", "rotors"}, []string{"--json"}},
		{"help unknown topic", []string{"help", "bogus"}, []string{"bogus"}},
		{"rotors unknown flag", []string{"rotors", "--all"}, []string{"--all", "--json"}},
		{"rotors positional", []string{"rotors", "extra"}, []string{"extra"}},
		{"rotors json bad bool", []string{"rotors", "--json=maybe"}, []string{"--json"}},

		{"unknown rotor", []string{"spin", "--rotor", "SW 99", "--rpm", "1000", "--minutes", "10", "--diameter-nm", "100"}, []string{"--rotor", "SW 99", "SW 41 Ti"}},
		{"empty rotor", []string{"spin", "--rotor", "", "--rpm", "1000", "--minutes", "10", "--diameter-nm", "100"}, []string{"--rotor"}},
		{"unquoted rotor", []string{"spin", "--rotor", "SW", "41", "Ti", "--rpm", "1000"}, []string{"--rotor", "41"}},
		{"missing rotor", custom("--rpm", "1000"), []string{"--rotor", "--rmin-mm"}},
		{"rotor and radius", sw("--rmin-mm", "60", "--rpm", "1000"), []string{"--rotor", "--rmin-mm"}},
		{"r_min above r_max", custom("--rmin-mm", "100", "--rmax-mm", "50", "--rpm", "1000"), []string{"--rmin-mm", "--rmax-mm", "100", "50"}},
		{"r_min equal r_max", custom("--rmin-mm", "80", "--rmax-mm", "80", "--rpm", "1000"), []string{"--rmin-mm", "--rmax-mm"}},
		{"r_min zero", custom("--rmin-mm", "0", "--rmax-mm", "80", "--rpm", "1000"), []string{"--rmin-mm"}},
		{"r_max huge", custom("--rmin-mm", "10", "--rmax-mm", "1e300", "--rpm", "1000"), []string{"--rmax-mm"}},
		{"r_min alone", custom("--rmin-mm", "60", "--rpm", "1000"), []string{"--rmin-mm", "--rmax-mm"}},
		{"r_max alone", custom("--rmax-mm", "160", "--rpm", "1000"), []string{"--rmin-mm", "--rmax-mm"}},
		{"r_min unparsable", custom("--rmin-mm", "6o", "--rmax-mm", "160", "--rpm", "1000"), []string{"--rmin-mm", "6o"}},
		{"angle without diameter", custom("--rmin-mm", "40", "--rmax-mm", "80", "--angle-deg", "25", "--rpm", "1000"), []string{"--angle-deg", "--tube-diameter-mm"}},
		{"diameter without angle", custom("--rmin-mm", "40", "--rmax-mm", "80", "--tube-diameter-mm", "13", "--rpm", "1000"), []string{"--angle-deg", "--tube-diameter-mm"}},
		{"angle without radii", custom("--angle-deg", "25", "--rpm", "1000"), []string{"--angle-deg", "--rmin-mm"}},
		{"angle 90", custom("--rmin-mm", "40", "--rmax-mm", "80", "--angle-deg", "90", "--tube-diameter-mm", "13", "--rpm", "1000"), []string{"--angle-deg", "90"}},
		{"tube too wide", custom("--rmin-mm", "40", "--rmax-mm", "80", "--angle-deg", "25", "--tube-diameter-mm", "50", "--rpm", "1000"), []string{"--tube-diameter-mm", "44.14"}},
		{"tube diameter zero", custom("--rmin-mm", "40", "--rmax-mm", "80", "--angle-deg", "25", "--tube-diameter-mm", "0", "--rpm", "1000"), []string{"--tube-diameter-mm"}},

		{"rpm above maximum", sw("--rpm", "50000"), []string{"--rpm 50000 is above the maximum 41000 rpm of SW 41 Ti", "1–41000"}},
		{"rpm above custom maximum", custom("--rmin-mm", "40", "--rmax-mm", "80", "--rpm", "150001"), []string{"--rpm", "150000"}},
		{"rpm zero", sw("--rpm", "0"), []string{"--rpm", "1–41000"}},
		{"rpm negative", sw("--rpm", "-100"), []string{"--rpm", "1–41000"}},
		{"rpm unparsable", sw("--rpm", "fast"), []string{"--rpm", "fast"}},
		{"rpm NaN", sw("--rpm", "NaN"), []string{"--rpm"}},
		{"rpm Inf", sw("--rpm", "Inf"), []string{"--rpm"}},
		{"rcf above maximum", sw("--rcf", "300000"), []string{"--rcf", "287792", "41000"}},
		{"rcf above maximum at r_min", sw("--rcf", "150000", "--rcf-at", "min"), []string{"--rcf", "r_min"}},
		{"rcf zero", sw("--rcf", "0"), []string{"--rcf"}},
		{"rcf with rpm", sw("--rcf", "100000", "--rpm", "30000"), []string{"--rcf", "--rpm"}},
		{"no speed", sw(), []string{"--rcf", "--rpm"}},
		{"rcf-at unknown", sw("--rcf", "100000", "--rcf-at", "top"), []string{"--rcf-at", "min, avg, max"}},
		{"rcf-at with rpm", sw("--rpm", "30000", "--rcf-at", "avg"), []string{"--rcf-at", "--rpm"}},

		{"missing minutes", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--diameter-nm", "100"}, []string{"--minutes", "2880"}},
		{"zero minutes", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--minutes", "0", "--diameter-nm", "100"}, []string{"--minutes", "2880"}},
		{"negative minutes", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--minutes", "-5", "--diameter-nm", "100"}, []string{"--minutes"}},
		{"too many minutes", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--minutes", "3000", "--diameter-nm", "100"}, []string{"--minutes", "2880"}},
		{"minutes unparsable", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--minutes", "1h", "--diameter-nm", "100"}, []string{"--minutes", "1h"}},
		{"minutes without value", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--diameter-nm", "100", "--minutes"}, []string{"--minutes", "needs a value"}},

		{"temperature too high", sw("--rpm", "30000", "--temperature-c", "41"), []string{"--temperature-c", "0–40"}},
		{"temperature negative", sw("--rpm", "30000", "--temperature-c", "-1"), []string{"--temperature-c", "0–40"}},
		{"temperature unparsable", sw("--rpm", "30000", "--temperature-c", "cold"), []string{"--temperature-c", "cold"}},
		{"temperature with viscosity", sw("--rpm", "30000", "--temperature-c", "20", "--viscosity-mpas", "1.2"), []string{"--temperature-c", "--viscosity-mpas"}},
		{"viscosity zero", sw("--rpm", "30000", "--viscosity-mpas", "0"), []string{"--viscosity-mpas", "0.1–1000"}},
		{"medium density out of range", sw("--rpm", "30000", "--medium-density", "3"), []string{"--medium-density", "0.5–2.5"}},
		{"particle density zero", sw("--rpm", "30000", "--particle-density", "0"), []string{"--particle-density", "0.5–2.5"}},

		{"missing diameter", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--minutes", "10"}, []string{"--diameter-nm"}},
		{"empty diameter list", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--minutes", "10", "--diameter-nm", ""}, []string{"--diameter-nm", "empty"}},
		{"diameter list of commas", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--minutes", "10", "--diameter-nm", ","}, []string{"--diameter-nm"}},
		{"trailing comma", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--minutes", "10", "--diameter-nm", "100,"}, []string{"--diameter-nm"}},
		{"negative diameter", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--minutes", "10", "--diameter-nm", "-100"}, []string{"--diameter-nm", "-100"}},
		{"zero diameter in list", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--minutes", "10", "--diameter-nm", "100,0"}, []string{"--diameter-nm"}},
		{"diameter unparsable", []string{"spin", "--rotor", "sw41ti", "--rpm", "30000", "--minutes", "10", "--diameter-nm", "100,big"}, []string{"--diameter-nm", "big"}},

		{"unknown flag", sw("--rpm", "30000", "--speed", "3"), []string{"--speed", "--rpm"}},
		{"unknown single-dash flag", sw("--rpm", "30000", "-v"), []string{"-v"}},
		{"flag twice", sw("--rpm", "30000", "--rpm", "20000"), []string{"--rpm", "twice"}},
		{"json bad bool", sw("--rpm", "30000", "--json=maybe"), []string{"--json"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := exosep(c.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
				t.Errorf("stderr is not exactly one line: %q", stderr)
			}
			if !strings.Contains(stderr, "allowed") {
				t.Errorf("stderr %q does not state what is allowed", stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not mention %q", stderr, w)
				}
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"help", "spin"}, {"spin", "--help"}, {"spin", "--rpm", "5", "-h"}, {"rotors", "-help"}} {
		code, stdout, stderr := exosep(args...)
		if code != 0 || stderr != "" {
			t.Errorf("%q: exit %d, stderr %q; want 0 and nothing", args, code, stderr)
		}
		for _, w := range []string{"exosep rotors [--json]", "exosep spin (--rotor NAME", "--diameter-nm D[,D...]", "150000 rpm", "Livshits"} {
			if !strings.Contains(stdout, w) {
				t.Errorf("%q: usage lacks %q", args, w)
			}
		}
	}
}

// TestWorkedExample checks SW 41 Ti at 100 000 × g at r_max for 70 min in
// water at 4 °C against closed forms evaluated here.
func TestWorkedExample(t *testing.T) {
	const (
		g      = 9.80665
		rMin   = 67.4e-3 // m, SW 41 Ti (Beckman)
		rMax   = 153.1e-3
		rcf    = 100000.0
		tS     = 70 * 60.0
		rhoP   = 1150.0 // default particle density
		relTol = 1e-9
	)
	eta, rhoM := water4(t)
	out := spinJSONRun(t, "--rotor", "SW 41 Ti", "--rcf", "100000", "--minutes", "70", "--diameter-nm", "30,50,100")

	rpm := 60 / (2 * math.Pi) * math.Sqrt(rcf*g/rMax)
	omega2 := rcf * g / rMax
	near(t, "rpm", *out.RPM, rpm, relTol)
	near(t, "rcf_max", *out.RCFMax, rcf, relTol)
	near(t, "rcf_min", *out.RCFMin, rcf*rMin/rMax, relTol)
	near(t, "rcf_avg", *out.RCFAvg, rcf*(rMin+rMax)/2/rMax, relTol)
	near(t, "k_factor", *out.KFactor, 2.533e11*math.Log(rMax/rMin)/(rpm*rpm), 1e-3)

	dStar := math.Sqrt(18 * eta * math.Log(rMax/rMin) / ((rhoP - rhoM) * omega2 * tS))
	if out.Cutoff == nil {
		t.Fatal("cutoff_diameter_nm is null for sinking particles")
	}
	near(t, "cutoff_diameter_nm", *out.Cutoff, dStar*1e9, relTol)

	if len(out.Particles) != 3 {
		t.Fatalf("%d particles, want 3", len(out.Particles))
	}
	for i, dNM := range []float64{30, 50, 100} {
		p := out.Particles[i]
		d := dNM * 1e-9
		s := d * d * (rhoP - rhoM) / (18 * eta)
		want := math.Min(1, rMax/(rMax-rMin)*(1-math.Exp(-s*omega2*tS)))
		near(t, "diameter_nm", *p.DiameterNM, dNM, 0)
		near(t, "svedberg of "+num(dNM)+" nm", *p.Svedberg, s/1e-13, relTol)
		near(t, "pelleted fraction of "+num(dNM)+" nm", *p.Pelleted, want, relTol)
		if *p.Floated != 0 {
			t.Errorf("floated fraction of %g nm = %g, want 0", dNM, *p.Floated)
		}
	}
	// 100 nm is above the cut-off and pellets completely; 30 nm does not.
	if *out.Particles[2].Pelleted != 1 || *out.Particles[0].Pelleted > 0.5 {
		t.Errorf("pelleted fractions %g (30 nm), %g (100 nm): want < 0.5 and 1", *out.Particles[0].Pelleted, *out.Particles[2].Pelleted)
	}
}

// TestCutoffIsComplete checks that the printed cut-off is where pelleting
// becomes complete, for both rotor types.
func TestCutoffIsComplete(t *testing.T) {
	for _, rotorArgs := range [][]string{{"--rotor", "SW 41 Ti"}, {"--rotor", "Type 70 Ti"}} {
		base := append(append([]string{}, rotorArgs...), "--rpm", "30000", "--minutes", "60")
		cut := *spinJSONRun(t, append(base, "--diameter-nm", "100")...).Cutoff
		ds := strconv.FormatFloat(cut*(1-1e-6), 'g', -1, 64) + "," + strconv.FormatFloat(cut*(1+1e-6), 'g', -1, 64)
		out := spinJSONRun(t, append(base, "--diameter-nm", ds)...)
		below, above := *out.Particles[0].Pelleted, *out.Particles[1].Pelleted
		if !(below < 1 && below > 0.999) || above != 1 {
			t.Errorf("%v: pelleted fraction just below / above the cut-off %g nm = %v / %v, want just under 1 / 1", rotorArgs, cut, below, above)
		}
	}
}

func TestRCFAt(t *testing.T) {
	for conv, pick := range map[string]func(spinOut) float64{
		"min": func(o spinOut) float64 { return *o.RCFMin },
		"avg": func(o spinOut) float64 { return *o.RCFAvg },
		"max": func(o spinOut) float64 { return *o.RCFMax },
	} {
		out := spinJSONRun(t, "--rotor", "Type 45 Ti", "--rcf", "50000", "--rcf-at", conv, "--minutes", "60", "--diameter-nm", "100")
		near(t, "RCF at r_"+conv, pick(out), 50000, 1e-12)
	}
}

func TestRotorNames(t *testing.T) {
	const rMax = 153.1e-3
	want := math.Pow(2*math.Pi*30000/60, 2) * rMax / 9.80665
	for _, name := range []string{"sw41ti", "SW 41 Ti", "Sw-41-ti", "  sw 41 TI"} {
		out := spinJSONRun(t, "--rotor", name, "--rpm", "30000", "--minutes", "10", "--diameter-nm", "100")
		if out.Rotor != "SW 41 Ti" {
			t.Errorf("--rotor %q resolved to %q, want SW 41 Ti", name, out.Rotor)
		}
		near(t, "rcf_max of "+name, *out.RCFMax, want, 1e-12)
	}
	// An alias from the catalogue.
	if out := spinJSONRun(t, "--rotor", "ss34", "--rpm", "10000", "--minutes", "10", "--diameter-nm", "100"); out.Rotor != "Sorvall SS-34" {
		t.Errorf("--rotor ss34 resolved to %q", out.Rotor)
	}
}

func TestViscosityOverride(t *testing.T) {
	_, rhoM := water4(t)
	base := []string{"--rotor", "SW 41 Ti", "--rpm", "35000", "--minutes", "60", "--diameter-nm", "100"}
	def := spinJSONRun(t, base...)
	out := spinJSONRun(t, append(base, "--viscosity-mpas", "1.55")...)
	if out.ViscosityMPas != 1.55 {
		t.Errorf("viscosity_mpas = %v, want 1.55", out.ViscosityMPas)
	}
	d := 100e-9
	s := d * d * (1150 - rhoM) / (18 * 1.55e-3) / 1e-13
	near(t, "svedberg with 1.55 mPa·s", *out.Particles[0].Svedberg, s, 1e-9)
	if *out.Particles[0].Svedberg == *def.Particles[0].Svedberg || *out.Cutoff == *def.Cutoff {
		t.Error("--viscosity-mpas 1.55 changed nothing")
	}
	// The medium density still comes from water at 4 °C.
	near(t, "medium density", out.MediumGPML, rhoM/1e3, 1e-12)
	if out.TemperatureC == nil || *out.TemperatureC != 4 {
		t.Errorf("temperature_c = %v, want 4 (used for the density)", out.TemperatureC)
	}
	both := spinJSONRun(t, append(base, "--viscosity-mpas", "1.55", "--medium-density", "1.01")...)
	if both.TemperatureC != nil || both.MediumGPML != 1.01 {
		t.Errorf("with both overrides temperature_c = %v (want null), medium density %v (want 1.01)", both.TemperatureC, both.MediumGPML)
	}
	// A temperature changes the viscosity the other way.
	warm := spinJSONRun(t, append(base, "--temperature-c", "20")...)
	if !(warm.ViscosityMPas < def.ViscosityMPas && *warm.Cutoff < *def.Cutoff) {
		t.Errorf("at 20 °C viscosity %v, cut-off %v; at 4 °C %v, %v: want both lower when warm", warm.ViscosityMPas, *warm.Cutoff, def.ViscosityMPas, *def.Cutoff)
	}
}

// TestFixedAngleCustom checks a custom fixed-angle rotor against
// (2/π)(asin ξ + ξ√(1−ξ²)), ξ = sω²·r_avg·t·cosθ/D.
func TestFixedAngleCustom(t *testing.T) {
	const (
		rMin, rMax = 40e-3, 80e-3
		thetaDeg   = 25.0
		D          = 13e-3
		rpm        = 40000.0
		tS         = 20 * 60.0
		rhoP       = 1150.0
	)
	eta, rhoM := water4(t)
	out := spinJSONRun(t, "--rmin-mm", "40", "--rmax-mm", "80", "--angle-deg", "25", "--tube-diameter-mm", "13",
		"--rpm", "40000", "--minutes", "20", "--diameter-nm", "20,40,60,200")
	omega := 2 * math.Pi * rpm / 60
	cos := math.Cos(thetaDeg * math.Pi / 180)
	rAvg := (rMin + rMax) / 2
	sawPartial := false
	for i, dNM := range []float64{20, 40, 60, 200} {
		d := dNM * 1e-9
		s := d * d * (rhoP - rhoM) / (18 * eta)
		xi := s * omega * omega * rAvg * tS * cos / D
		want := 1.0
		if xi < 1 {
			want = 2 / math.Pi * (math.Asin(xi) + xi*math.Sqrt(1-xi*xi))
			sawPartial = sawPartial || xi > 0.1
		}
		near(t, "fixed-angle pelleted fraction of "+num(dNM)+" nm", *out.Particles[i].Pelleted, want, 1e-9)
	}
	if !sawPartial {
		t.Error("the test diameters never exercise 0.1 < ξ < 1")
	}
	dStar := math.Sqrt(18 * eta * D / (cos * (rhoP - rhoM) * omega * omega * rAvg * tS))
	near(t, "fixed-angle cutoff", *out.Cutoff, dStar*1e9, 1e-9)
	near(t, "k_factor", *out.KFactor, 2.533e11*math.Log(rMax/rMin)/(rpm*rpm), 1e-3)

	// The same radii without angle and tube make a swinging bucket.
	sb := spinJSONRun(t, "--rmin-mm", "40", "--rmax-mm", "80", "--rpm", "40000", "--minutes", "20", "--diameter-nm", "20")
	s := 20e-9 * 20e-9 * (rhoP - rhoM) / (18 * eta)
	near(t, "custom swinging bucket", *sb.Particles[0].Pelleted, rMax/(rMax-rMin)*(1-math.Exp(-s*omega*omega*tS)), 1e-9)
}

// TestFloating: particles lighter than the medium have no cut-off, pellet
// nothing and float to the meniscus.
func TestFloating(t *testing.T) {
	eta, rhoM := water4(t)
	out := spinJSONRun(t, "--rotor", "SW 41 Ti", "--rpm", "41000", "--minutes", "120", "--particle-density", "0.95", "--diameter-nm", "30,100,1000")
	if out.Cutoff != nil {
		t.Errorf("cutoff_diameter_nm = %v, want null", *out.Cutoff)
	}
	const rMin, rMax = 67.4e-3, 153.1e-3
	omega := 2 * math.Pi * 41000 / 60
	for i, dNM := range []float64{30, 100, 1000} {
		p := out.Particles[i]
		if *p.Pelleted != 0 {
			t.Errorf("%g nm pelleted %v, want 0", dNM, *p.Pelleted)
		}
		d := dNM * 1e-9
		x := d * d * (950 - rhoM) / (18 * eta) * omega * omega * 7200
		want := math.Min(1, rMin/(rMax-rMin)*(math.Exp(-x)-1))
		near(t, "floated fraction of "+num(dNM)+" nm", *p.Floated, want, 1e-9)
	}
	// The raw JSON says null, not a number.
	_, stdout, _ := exosep("spin", "--rotor", "SW 41 Ti", "--rpm", "41000", "--minutes", "120", "--particle-density", "0.95", "--diameter-nm", "30", "--json")
	if !strings.Contains(stdout, `"cutoff_diameter_nm":null`) {
		t.Errorf("cut-off is not null in %s", stdout)
	}
	// Text output says so too and shows the floated column.
	_, text, _ := exosep("spin", "--rotor", "SW 41 Ti", "--rpm", "41000", "--minutes", "120", "--particle-density", "0.95", "--diameter-nm", "30")
	if !strings.Contains(text, "do not sink") || !strings.Contains(text, "floated %") {
		t.Errorf("text output lacks the non-sinking note or floated column:\n%s", text)
	}
}

func TestSpinText(t *testing.T) {
	code, stdout, stderr := exosep("spin", "--rotor", "sw41ti", "--rcf", "100000", "--minutes", "70", "--diameter-nm", "30,50,100")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, w := range []string{"SW 41 Ti", "swinging-bucket", "rpm", "RCF at r_min", "RCF at r_avg", "RCF at r_max", "100000 × g",
		"k-factor", "viscosity", "medium density", "cut-off diameter", "d (nm)", "s (S)", "pelleted %"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("text output lacks %q:\n%s", w, stdout)
		}
	}
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	rows := lines[len(lines)-3:]
	for i, d := range []string{"30", "50", "100"} {
		f := strings.Fields(rows[i])
		if len(f) != 3 || f[0] != d {
			t.Errorf("row %d = %q, want the %s nm row with 3 columns", i, rows[i], d)
		}
	}
	if f := strings.Fields(rows[2]); len(f) == 3 && f[2] != "100.00" {
		t.Errorf("100 nm pelleted %s %%, want 100.00", f[2])
	}
	// Aligned: every row of the particle table has the header's width.
	head := lines[len(lines)-4]
	for _, r := range rows {
		if len([]rune(r)) != len([]rune(head)) {
			t.Errorf("row %q is not aligned with header %q", r, head)
		}
	}
	for _, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("trailing space in %q", l)
		}
	}
}

func TestRotorsJSON(t *testing.T) {
	code, stdout, stderr := exosep("rotors", "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var rs []map[string]any
	if err := json.Unmarshal([]byte(stdout), &rs); err != nil {
		t.Fatal(err)
	}
	if len(rs) != 16 {
		t.Fatalf("%d rotors, want 16", len(rs))
	}
	keys := []string{"name", "type", "angle_deg", "max_rpm", "r_min_mm", "r_max_mm", "k_factor", "k_factor_published", "tube_count", "tube_volume_ml", "tube_diameter_mm"}
	byName := map[string]map[string]any{}
	for _, r := range rs {
		for _, k := range keys {
			if _, ok := r[k]; !ok {
				t.Errorf("rotor %v lacks %q", r["name"], k)
			}
		}
		// k at maximum speed, computed independently.
		rmin, rmax, max := r["r_min_mm"].(float64), r["r_max_mm"].(float64), r["max_rpm"].(float64)
		near(t, "k_factor of "+r["name"].(string), r["k_factor"].(float64), 2.533e11*math.Log(rmax/rmin)/(max*max), 1e-3)
		if kp, ok := r["k_factor_published"].(float64); ok {
			near(t, "computed vs published k of "+r["name"].(string), r["k_factor"].(float64), kp, 0.02)
		}
		byName[r["name"].(string)] = r
	}
	sw := byName["SW 41 Ti"]
	if sw["type"] != "swinging-bucket" || sw["angle_deg"] != nil || sw["r_min_mm"] != 67.4 || sw["r_max_mm"] != 153.1 ||
		sw["max_rpm"] != 41000.0 || sw["k_factor_published"] != 124.0 || sw["tube_count"] != 6.0 || sw["tube_volume_ml"] != 13.2 {
		t.Errorf("SW 41 Ti = %v", sw)
	}
	fa := byName["Type 45 Ti"]
	if fa["type"] != "fixed-angle" || fa["angle_deg"] != 24.0 || fa["tube_diameter_mm"] != 38.0 {
		t.Errorf("Type 45 Ti = %v", fa)
	}
	if byName["SW 28.1 Ti"]["k_factor_published"] != nil {
		t.Errorf("SW 28.1 Ti has no published k-factor, got %v", byName["SW 28.1 Ti"]["k_factor_published"])
	}
}

func TestRotorsText(t *testing.T) {
	code, stdout, stderr := exosep("rotors")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(stdout, "\n")
	for i, r := range cat.Rotors.Rotors {
		if !strings.HasPrefix(lines[i+1], r.Name+" ") {
			t.Errorf("line %d = %q, want rotor %s", i+1, lines[i+1], r.Name)
		}
	}
	for _, w := range []string{"max rpm", "r_min", "r_max", "k at max", "k published", "tubes", "6 × 13.2 mL", "24°"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("rotors table lacks %q", w)
		}
	}
}
