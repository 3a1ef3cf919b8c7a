package gradient

import (
	"math"

	"exosep/engine/fastexp"
)

// fvSolver advances the Lamm equation in a cylinder (cross-section
// constant along r, as in a swinging-bucket tube)
//
//	∂c/∂t = −∂J/∂r,  J = v(r, t)·c − D(r, t)·∂c/∂r,  J = 0 at both ends,
//
// on n equal cells by backward Euler (step) or BDF2 (bdf2) with
// Scharfetter–Gummel fluxes (exact for constant v and D between two cell
// centres; upwind when D = 0). Both conserve Σ c·h to rounding; backward
// Euler also keeps c ≥ 0 (its matrix is an M-matrix), BDF2 need not (its
// right side mixes two levels), which is why solveMedium only uses it
// where steps change length smoothly. v and D are given at the n − 1
// interior faces.
type fvSolver struct {
	n  int
	h  float64
	cp []float64 // the Thomas algorithm's eliminated upper diagonal
}

func newFV(n int, h float64) *fvSolver {
	return &fvSolver{n: n, h: h, cp: make([]float64, n)}
}

// bern is B(x) = x/(eˣ − 1), B(0) = 1.
func bern(x float64) float64 {
	if math.Abs(x) < 0.05 {
		return bernSeries(x)
	}
	if x > 700 {
		return 0
	}
	return x / fastexp.Expm1(x)
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
		return max(v, 0), -min(v, 0)
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
// diffusivities d (len n − 1 each). One pass builds the tridiagonal
// system cell by cell (diagonal h/dt + a_i + b_{i−1}, off-diagonals −b_i
// above and −a_{i−1} below, right side (h/dt)·c_i) and eliminates it
// forward (Thomas algorithm); a second substitutes back.
func (f *fvSolver) step(c, v, d []float64, dt float64) {
	f.solve(c, c, v, d, f.h/dt, f.h/dt)
}

// bdf2 advances c (in place) by dt with the variable-step second-order
// backward differentiation formula, given the previous level cPrev and
// the previous step's length dtPrev:
//
//	α0·c⁺ + α1·c + α2·c⁻ = dt·L(c⁺),  ω = dt/dtPrev,
//	α0 = (1 + 2ω)/(1 + ω),  α1 = −(1 + ω),  α2 = ω²/(1 + ω),
//
// (α0 + α1 + α2 = 0, so Σc is conserved as by backward Euler). rhs is
// scratch of length n.
func (f *fvSolver) bdf2(c, cPrev, rhs, v, d []float64, dt, dtPrev float64) {
	w := dt / dtPrev
	a0, a1, a2 := (1+2*w)/(1+w), -(1 + w), w*w/(1+w)
	g := f.h / dt
	for i := range rhs[:f.n] {
		rhs[i] = -g * (a1*c[i] + a2*cPrev[i])
	}
	f.solve(c, rhs, v, d, a0*g, 1)
}

// solve writes into c the solution of (g·I + A)·c = s·rhs, A the
// Scharfetter–Gummel flux operator (times h).
func (f *fvSolver) solve(c, rhs, v, d []float64, g, s float64) {
	n, h := f.n, f.h
	if n == 1 {
		return
	}
	c, cp := c[:n], f.cp[:n]
	rhs = rhs[:n]
	v, d = v[:n-1], d[:n-1]
	// Face i − 1's coefficients and the eliminated c[i−1], cp[i−1].
	var aPrev, bPrev, cPrev, cpPrev float64
	for i := 0; i < n; i++ {
		var a, b float64
		if i < n-1 {
			a, b = faceCoeffs(v[i], d[i], h)
		}
		m := g + bPrev + a
		m += aPrev * cpPrev
		cpPrev = -b / m
		cPrev = (s*rhs[i] + aPrev*cPrev) / m
		cp[i], c[i] = cpPrev, cPrev
		aPrev, bPrev = a, b
	}
	for i := n - 2; i >= 0; i-- {
		c[i] -= cp[i] * c[i+1]
	}
}
