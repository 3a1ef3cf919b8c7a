package filter

import (
	"errors"
	"math"
)

// Law is one of Hermia's blocking laws, d²t/dV² = k·(dt/dV)^n at constant
// pressure, V the filtrate volume per membrane area (Hermia 1982; restated
// by Costa, de Pinho & Elimelech 2006; physics-data.md §4).
type Law struct {
	Name string  `json:"name"`
	N    float64 `json:"n"`
}

// The four laws.
var (
	CompleteBlocking     = Law{"complete blocking", 2}
	StandardBlocking     = Law{"standard blocking", 1.5}
	IntermediateBlocking = Law{"intermediate blocking", 1}
	CakeFiltration       = Law{"cake filtration", 0}
)

// Laws lists the four laws, n from 2 down to 0.
var Laws = []Law{CompleteBlocking, StandardBlocking, IntermediateBlocking, CakeFiltration}

// FluxVolume returns the flux J (m/s) and filtrate volume per area V (m)
// at time tS of a constant-pressure filtration following law with initial
// flux j0 (m/s) and constant k in Hermia's units for that n:
//
//	n = 2    J = J0 e^(−k t)                V = (J0/k)(1 − e^(−k t))          k in 1/s
//	n = 1.5  J = J0 / (1 + K J0 t/2)²       V = J0 t / (1 + K J0 t/2)         K = k/√J0 in 1/m
//	n = 1    J = J0 / (1 + k J0 t)          V = ln(1 + k J0 t) / k            k in 1/m
//	n = 0    J = J0 / √(1 + 2 k J0² t)      V = (√(1 + 2 k J0² t) − 1)/(k J0)  k in s/m²
//
// (the closed forms of physics-data.md §4, derived from the law; for
// standard blocking d²t/dV² = K·√J0·(dt/dV)^1.5, so Hermia's k = K√J0, in
// m^(-1/2) s^(-1/2)).
func (l Law) FluxVolume(j0, k, tS float64) (J, V float64) {
	switch l.N {
	case 2:
		return j0 * math.Exp(-k*tS), j0 / k * -math.Expm1(-k*tS)
	case 1.5:
		d := 1 + k/math.Sqrt(j0)*j0*tS/2
		return j0 / (d * d), j0 * tS / d
	case 1:
		return j0 / (1 + k*j0*tS), math.Log1p(k*j0*tS) / k
	case 0:
		s := math.Sqrt(1 + 2*k*j0*j0*tS)
		return j0 / s, (s - 1) / (k * j0)
	}
	return math.NaN(), math.NaN()
}

// Fit recovers Hermia's n and k from filtration data: times tS at which
// filtrate volumes per area v (m) were reached, V increasing. It takes
// dt/dV and d²t/dV² by central differences on the (non-uniform) V grid
// and fits ln(d²t/dV²) = ln k + n·ln(dt/dV) by least squares. At least 5
// points are needed, and d²t/dV² must be positive (a slowing filtration).
func Fit(tS, v []float64) (n, k float64, err error) {
	if len(tS) != len(v) || len(tS) < 5 {
		return 0, 0, errors.New("need at least 5 (t, V) points of equal count")
	}
	var xs, ys []float64
	for i := 1; i < len(v)-1; i++ {
		h1, h2 := v[i]-v[i-1], v[i+1]-v[i]
		if !(h1 > 0 && h2 > 0) {
			return 0, 0, errors.New("V must increase")
		}
		d1 := (tS[i+1]-tS[i])/h2*h1/(h1+h2) + (tS[i]-tS[i-1])/h1*h2/(h1+h2)
		d2 := 2 * ((tS[i+1]-tS[i])/h2 - (tS[i]-tS[i-1])/h1) / (h1 + h2)
		if !(d1 > 0 && d2 > 0) {
			continue
		}
		xs = append(xs, math.Log(d1))
		ys = append(ys, math.Log(d2))
	}
	if len(xs) < 3 {
		return 0, 0, errors.New("the filtration does not slow down: no blocking law applies")
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(xs))
	var sxx, sxy float64
	for i := range xs {
		sxx += (xs[i] - mx) * (xs[i] - mx)
		sxy += (xs[i] - mx) * (ys[i] - my)
	}
	if sxx == 0 {
		return 0, 0, errors.New("dt/dV does not vary: no blocking law applies")
	}
	n = sxy / sxx
	return n, math.Exp(my - n*mx), nil
}
