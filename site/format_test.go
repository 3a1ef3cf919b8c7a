package site

import (
	"encoding/json"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"exosep/assets"
)

func TestFormatExamples(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{formatInt(0), "0"},
		{formatInt(999.5), "1,000"},
		{formatInt(24395.4), "24,395"},
		{formatInt(1234567.89), "1,234,568"},
		{formatInt(-1234.2), "−1,234"},
		{formatInt(-0.2), "0"},
		{fixed(1.56734, 3), "1.567"},
		{fixed(0.999975, 4), "1.0000"},
		{formatPercent(0), "0"},
		{formatPercent(1e-5), "<0.1"},
		{formatPercent(0.62345), "62.3"},
		{formatPercent(0.99949), "99.9"},
		{formatPercent(0.9995), ">99.9"},
		{formatPercent(1), "100"},
		{formatPercent(1.0000000000000204), "100"}, // quadrature sums may overshoot 1
		{formatSci(4.3), "4.30"},
		{formatSci(349.2), "349"},
		{formatSci(1753.2), "1,753"},
		{formatSci(0.0123), "0.0123"},
		{formatSci(1e8), "1.00 × 10⁸"},
		{formatSci(4.494e6), "4.49 × 10⁶"},
		{formatSci(99999), "1.00 × 10⁵"},
		{formatSci(-1.2e-3), "−1.20 × 10⁻³"},
		{formatSci(1000), "1,000"},
		{formatCutoff(-1), "none: such particles do not sink"},
		{formatCutoff(47.3), "47.3 nm"},
		{formatCutoff(1500), "1.50 µm"},
		{formatMinutes(70), "70"},
		{formatMinutes(2.25), "2.3"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

// formatCase is one value formatted by one rule, in Go and in JavaScript.
type formatCase struct {
	Fn  string  `json:"fn"`
	X   float64 `json:"x"`
	D   int     `json:"d,omitempty"`
	Out string  `json:"out,omitempty"`
}

func goFormat(c formatCase) string {
	switch c.Fn {
	case "int":
		return formatInt(c.X)
	case "fixed":
		return fixed(c.X, c.D)
	case "percent":
		return formatPercent(c.X)
	case "sci":
		return formatSci(c.X)
	case "cutoff":
		return formatCutoff(c.X)
	case "minutes":
		return formatMinutes(c.X)
	}
	panic(c.Fn)
}

// TestFormatMatchesJS runs static/format.js in node on the same values and
// requires identical strings, so the live page shows what the build showed.
func TestFormatMatchesJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; cannot run static/format.js")
	}
	var cases []formatCase
	fixedVals := []float64{0, 1e-9, 0.0004, 0.0005, 0.000499999, 0.00999, 0.01, 0.0123, 0.125, 0.5, 0.62345,
		0.9994, 0.99949, 0.9995, 0.99951, 1, 1.0000000000000204, 1.5, 2.25, 4.3, 9.995, 9.9951, 12.5,
		47.3, 99.95, 100, 349.2, 999.5, 999.6, 1000, 1500, 1753.2, 9999.4, 9999.6, 12345, 24395.4,
		99999, 287712.6, 1e6, 4.494e6, 1e8, 1.23456e12, -1, -0.2, -1234.2, -1.2e-3, -5e5, 1e-3, 7.2e-9}
	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed: reproducible cases
	for range 300 {
		fixedVals = append(fixedVals, rng.Float64(), math.Pow(10, rng.Float64()*16-6), -math.Pow(10, rng.Float64()*10-3))
	}
	for _, x := range fixedVals {
		for _, fn := range []string{"int", "percent", "sci", "cutoff", "minutes"} {
			if fn != "sci" && fn != "int" && x < 0 && fn != "cutoff" {
				continue
			}
			cases = append(cases, formatCase{Fn: fn, X: x})
		}
		for _, d := range []int{1, 3, 4} {
			cases = append(cases, formatCase{Fn: "fixed", X: x, D: d})
		}
	}
	js, err := fs.ReadFile(assets.Static, "static/format.js")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "format.js"), js, 0o644); err != nil {
		t.Fatal(err)
	}
	driver := `const F = require("./format.js");
let input = "";
process.stdin.on("data", d => input += d);
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(c => {
    const f = c.fn === "fixed" ? F.fixed(c.x, c.d) : F[c.fn](c.x);
    return Object.assign({}, c, {out: f});
  });
  process.stdout.write(JSON.stringify(out));
});`
	if err := os.WriteFile(filepath.Join(dir, "driver.js"), []byte(driver), 0o644); err != nil {
		t.Fatal(err)
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command(node, "driver.js")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got []formatCase
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node output: %v", err)
	}
	if len(got) != len(cases) {
		t.Fatalf("node returned %d results for %d cases", len(got), len(cases))
	}
	bad := 0
	for i, c := range cases {
		if want := goFormat(c); got[i].Out != want {
			bad++
			if bad <= 20 {
				t.Errorf("%s(%v, %d): Go %q, JS %q", c.Fn, c.X, c.D, want, got[i].Out)
			}
		}
	}
}
