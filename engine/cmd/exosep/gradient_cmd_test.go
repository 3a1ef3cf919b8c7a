package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// gradientOut mirrors the documented JSON of `exosep gradient --json`.
type gradientOut struct {
	Fractions []struct {
		Index     *int               `json:"index"`
		Density   *float64           `json:"density"`
		Species   map[string]float64 `json:"species"`
		ProteinUG *float64           `json:"protein_ug"`
	} `json:"fractions"`
	ExosomePeak *int               `json:"exosome_peak_fraction"`
	ExosomeRich []int              `json:"exosome_rich_fractions"`
	Pellet      map[string]float64 `json:"pellet"`
}

func gradientRun(t *testing.T, args ...string) gradientOut {
	t.Helper()
	code, stdout, stderr := exosep(append(append([]string{"gradient"}, args...), "--json")...)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var out gradientOut
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("decoding: %v\n%s", err, stdout)
	}
	if out.ExosomePeak == nil {
		t.Fatalf("exosome_peak_fraction missing")
	}
	for i, f := range out.Fractions {
		if f.Index == nil || *f.Index != i+1 || f.Density == nil || f.ProteinUG == nil || f.Species == nil {
			t.Fatalf("fraction %d lacks a key or is out of order: %s", i, stdout)
		}
	}
	return out
}

// The documented JSON: index 1 at the top, densities rising down the tube
// (g/mL, within the gradient's span to 0.02), the exosome peak within
// the exosome-rich fractions; --input plasma brings lipoproteins, which
// an isopycnic run leaves above the exosomes.
func TestGradientJSON(t *testing.T) {
	cases := []struct {
		name        string
		args        []string
		fractions   int
		lo, hi      float64
		wantSpecies string
	}{
		{"rate-zonal sucrose, conditioned medium",
			[]string{"--mode", "rate-zonal", "--medium", "sucrose", "--from-density", "1.03", "--to-density", "1.08", "--rotor", "SW 41 Ti", "--rcf", "100000", "--rcf-at", "avg", "--minutes", "30", "--fractions", "12"},
			12, 0.99, 1.09, "exosome"},
		{"isopycnic iodixanol with cushion, plasma",
			[]string{"--mode", "isopycnic", "--medium", "iodixanol", "--from-density", "1.05", "--to-density", "1.25", "--cushion-density", "1.3", "--cushion-ml", "0.5", "--rotor", "SW55Ti", "--rpm", "55000", "--hours", "72", "--fractions", "10", "--input", "plasma", "--sample-ml", "0.25"},
			10, 0.99, 1.6, "ldl"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := gradientRun(t, tc.args...)
			if len(out.Fractions) != tc.fractions {
				t.Fatalf("%d fractions, want %d", len(out.Fractions), tc.fractions)
			}
			prev := 0.0
			for _, f := range out.Fractions {
				if *f.Density < prev-1e-9 || *f.Density < tc.lo || *f.Density > tc.hi {
					t.Errorf("fraction %d density %.4f g/mL (previous %.4f; allowed %g–%g)", *f.Index, *f.Density, prev, tc.lo, tc.hi)
				}
				prev = *f.Density
			}
			found := false
			for _, j := range out.ExosomeRich {
				found = found || j == *out.ExosomePeak
			}
			if !found {
				t.Errorf("peak %d not among the exosome-rich %v", *out.ExosomePeak, out.ExosomeRich)
			}
			var n float64
			for _, f := range out.Fractions {
				n += f.Species[tc.wantSpecies]
			}
			if n <= 0 {
				t.Errorf("no %s in any fraction", tc.wantSpecies)
			}
		})
	}
}

func TestGradientBadInput(t *testing.T) {
	ok := []string{"--mode", "isopycnic", "--medium", "iodixanol", "--from-density", "1.05", "--to-density", "1.25", "--rotor", "SW 41 Ti", "--rcf", "100000", "--hours", "16", "--fractions", "10"}
	with := func(replace map[string]string, drop ...string) []string {
		out := []string{"gradient"}
		for i := 0; i < len(ok); i += 2 {
			skip := false
			for _, d := range drop {
				skip = skip || ok[i] == d
			}
			if skip {
				continue
			}
			v := ok[i+1]
			if r, has := replace[ok[i]]; has {
				v = r
			}
			out = append(out, ok[i], v)
		}
		return out
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"fixed-angle rotor", with(map[string]string{"--rotor": "Type 70 Ti"}), []string{"--rotor", "swinging-bucket", "SW 41 Ti"}},
		{"medium", with(map[string]string{"--medium": "ficoll"}), []string{"--medium", "cscl, iodixanol, sucrose"}},
		{"density out of range", with(map[string]string{"--to-density": "1.6"}), []string{"--to-density", "outside the medium's range"}},
		{"mode", with(map[string]string{"--mode": "fast"}), []string{"--mode", "rate-zonal, isopycnic"}},
		{"missing fractions", with(nil, "--fractions"), []string{"missing --fractions", "1–100"}},
		{"fractions not whole", with(map[string]string{"--fractions": "2.5"}), []string{"--fractions", "whole number"}},
		{"no time", with(nil, "--hours"), []string{"--hours or --minutes"}},
		{"both times", append(with(nil), "--minutes", "5"), []string{"exclude each other"}},
		{"too fast", with(map[string]string{"--rcf": "900000"}), []string{"--rcf", "maximum"}},
		{"negative cushion", append(with(nil), "--cushion-ml", "-1"), []string{"--cushion-ml", "above 0"}},
		{"cushion without density", append(with(nil), "--cushion-ml", "1"), []string{"--cushion-ml", "both"}},
		{"unknown input", append(with(nil), "--input", "urine"), []string{"--input", "msc-cm, plasma"}},
		{"unknown flag", append(with(nil), "--speed", "3"), []string{"unknown flag --speed"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := exosep(tc.args...)
			if code != 2 || stdout != "" {
				t.Fatalf("exit %d, stdout %q; want 2 and nothing", code, stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "exosep gradient: ") {
				t.Fatalf("stderr is not one line: %q", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
}

// The human output is a table with one row per fraction and the pellet.
func TestGradientText(t *testing.T) {
	code, stdout, stderr := exosep("gradient", "--mode", "rate-zonal", "--medium", "sucrose", "--from-percent", "5", "--to-percent", "20",
		"--rotor", "SW 41 Ti", "--rcf", "100000", "--minutes", "30", "--fractions", "6")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, w := range []string{"Particles per fraction", "exosome", "protein µg", "pellet", "Exosome peak: fraction"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	}
	if code, out, _ := exosep("help", "gradient"); code != 0 || !strings.Contains(out, "exosep gradient --mode") {
		t.Errorf("help gradient: exit %d", code)
	}
}
