package fastexp

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ulps is |a − b| in units of b's last place.
func ulps(a, b float64) float64 {
	if a == b {
		return 0
	}
	u := math.Nextafter(math.Abs(b), math.Inf(1)) - math.Abs(b)
	return math.Abs(a-b) / u
}

// Exp and Expm1 against the math package: within 4 ulp over a sweep of
// |x| ≤ 745 (uniform and near 0, near the reduction boundaries ±ln2/2·k,
// and across the subnormal range).
func TestAgainstMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var xs []float64
	for i := 0; i < 200000; i++ {
		xs = append(xs, (rng.Float64()*2-1)*745, (rng.Float64()*2-1)*2, (rng.Float64()*2-1)*1e-6)
	}
	for k := -1000; k <= 1000; k++ {
		b := float64(k) * math.Ln2 / 2
		xs = append(xs, b, math.Nextafter(b, 0), math.Nextafter(b, 1e3))
	}
	for x := -745.0; x < -700; x += 0.01 {
		xs = append(xs, x)
	}
	worstE, worstM := 0.0, 0.0
	for _, x := range xs {
		if x > maxArg {
			continue
		}
		if u := ulps(Exp(x), math.Exp(x)); u > worstE {
			if math.Exp(x) < 0x1p-1022 { // subnormal: absolute error of an ulp of the smallest normal
				if math.Abs(Exp(x)-math.Exp(x)) > 4*0x1p-1074 {
					t.Errorf("Exp(%v) = %v, math %v", x, Exp(x), math.Exp(x))
				}
				continue
			}
			worstE = u
			if u > 4 {
				t.Errorf("Exp(%v) = %v, math %v (%.1f ulp)", x, Exp(x), math.Exp(x), u)
			}
		}
		if u := ulps(Expm1(x), math.Expm1(x)); u > worstM {
			worstM = u
			if u > 4 {
				t.Errorf("Expm1(%v) = %v, math %v (%.1f ulp)", x, Expm1(x), math.Expm1(x), u)
			}
		}
	}
	t.Logf("worst: Exp %.2f ulp, Expm1 %.2f ulp over %d arguments", worstE, worstM, len(xs))
}

func TestSpecialValues(t *testing.T) {
	for _, c := range []struct{ x, exp, expm1 float64 }{
		{0, 1, 0},
		{math.Inf(1), math.Inf(1), math.Inf(1)},
		{math.Inf(-1), 0, -1},
		{710, math.Inf(1), math.Inf(1)},
		{-746, 0, -1},
		{709, math.Exp(709), math.Expm1(709)},
		{1, math.E, math.E - 1},
	} {
		if got := Exp(c.x); !(got == c.exp || ulps(got, c.exp) <= 2) {
			t.Errorf("Exp(%v) = %v, want %v", c.x, got, c.exp)
		}
		if got := Expm1(c.x); !(got == c.expm1 || ulps(got, c.expm1) <= 2) {
			t.Errorf("Expm1(%v) = %v, want %v", c.x, got, c.expm1)
		}
	}
	if !math.IsNaN(Exp(math.NaN())) || !math.IsNaN(Expm1(math.NaN())) {
		t.Errorf("NaN must stay NaN")
	}
}

var sink float64

// BenchmarkExp times this package's functions and math's over a sweep of
// arguments (go test -bench . ; GOOS=js GOARCH=wasm for the wasm build).
func BenchmarkExp(b *testing.B) {
	for _, c := range []struct {
		name  string
		f     func(float64) float64
		start float64
	}{{"Exp", Exp, -3}, {"math.Exp", math.Exp, -3}, {"Expm1", Expm1, -0.3}, {"math.Expm1", math.Expm1, -0.3}} {
		b.Run(c.name, func(b *testing.B) {
			x, s := c.start, 0.0
			for b.Loop() {
				s += c.f(x)
				x += 1e-7
			}
			sink = s
		})
	}
}
