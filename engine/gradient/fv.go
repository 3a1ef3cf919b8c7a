package gradient

import "math"

// fvSolver advances the Lamm equation in a cylinder (cross-section
// constant along r, as in a swinging-bucket tube)
//
//	∂c/∂t = −∂J/∂r,  J = v(r, t)·c − D(r, t)·∂c/∂r,  J = 0 at both ends,
//
// on n equal cells by backward Euler with Scharfetter–Gummel fluxes
// (exact for constant v and D between two cell centres; upwind when D =
// 0). The scheme conserves Σ c·h to rounding and keeps c ≥ 0 (its matrix
// is an M-matrix). v and D are given at the n − 1 interior faces.
type fvSolver struct {
	n          int
	h          float64
	lo, di, up []float64
	rhs, cp    []float64
}

func newFV(n int, h float64) *fvSolver {
	return &fvSolver{n: n, h: h, lo: make([]float64, n), di: make([]float64, n), up: make([]float64, n),
		rhs: make([]float64, n), cp: make([]float64, n)}
}

// bern is B(x) = x/(eˣ − 1), B(0) = 1.
func bern(x float64) float64 {
	if math.Abs(x) < 0.05 {
		return bernSeries(x)
	}
	if x > 700 {
		return 0
	}
	return x / math.Expm1(x)
}

// bernSeries is B(x) by its Taylor series 1 − x/2 + x²/12 − x⁴/720 +
// x⁶/30240 (Bernoulli numbers); for |x| < 0.05 the first omitted term,
// x⁸/1209600, is below 4e-17 relative.
func bernSeries(x float64) float64 {
	x2 := x * x
	return 1 - x/2 + x2*(1.0/12+x2*(-1.0/720+x2*(1.0/30240)))
}

// faceCoeffs returns a, b with J = a·c_left − b·c_right at a face:
// a = (D/h)·B(−Pe), b = (D/h)·B(Pe), Pe = v·h/D. One exponential serves
// both, by B(−x) = B(x) + x, applied to the non-negative argument so
// that nothing cancels.
func faceCoeffs(v, d, h float64) (a, b float64) {
	if d <= 0 || math.Abs(v*h) > 700*d {
		return math.Max(v, 0), -math.Min(v, 0)
	}
	pe := v * h / d
	g := d / h
	if pe >= 0 {
		bp := bern(pe)
		return g * (bp + pe), g * bp
	}
	bm := bern(-pe)
	return g * bm, g * (bm - pe)
}

// step advances c (in place) by dt with face velocities v and
// diffusivities d (len n − 1 each).
func (f *fvSolver) step(c, v, d []float64, dt float64) {
	n, h := f.n, f.h
	if n == 1 {
		return
	}
	g := h / dt
	for i := 0; i < n; i++ {
		f.lo[i], f.up[i] = 0, 0
		f.di[i] = g
		f.rhs[i] = g * c[i]
	}
	for i := 0; i < n-1; i++ {
		a, b := faceCoeffs(v[i], d[i], h)
		// Flux a·c_i − b·c_{i+1} leaves cell i and enters cell i+1.
		f.di[i] += a
		f.up[i] -= b
		f.di[i+1] += b
		f.lo[i+1] -= a
	}
	// Thomas algorithm.
	f.cp[0] = f.up[0] / f.di[0]
	c[0] = f.rhs[0] / f.di[0]
	for i := 1; i < n; i++ {
		m := f.di[i] - f.lo[i]*f.cp[i-1]
		f.cp[i] = f.up[i] / m
		c[i] = (f.rhs[i] - f.lo[i]*c[i-1]) / m
	}
	for i := n - 2; i >= 0; i-- {
		c[i] -= f.cp[i] * c[i+1]
	}
}
