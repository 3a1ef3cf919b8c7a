package species

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Species is one particle population. SI units: metres, kg/m³.
type Species struct {
	ID    string
	Name  string
	Short string // short label for legends
	Color string // #rrggbb, for the legend and the stage
	Note  string

	MedianDiameterM float64
	GSD             float64 // geometric standard deviation (≥ 1; 1 = one size)
	MinDiameterM    float64
	MaxDiameterM    float64
	MinDensityKgM3  float64
	MaxDensityKgM3  float64

	// Confidence of the size and density figures, for display:
	// "read", "derived" or "estimate" (the weakest of the fields).
	DiameterConfidence string
	DensityConfidence  string
}

// Validate checks the distribution parameters.
func (s Species) Validate() error {
	switch {
	case !(s.MinDiameterM > 0 && s.MaxDiameterM >= s.MinDiameterM):
		return fmt.Errorf("species %q: diameter range %.4g–%.4g nm must be positive with min ≤ max", s.ID, s.MinDiameterM*1e9, s.MaxDiameterM*1e9)
	case !(s.MedianDiameterM >= s.MinDiameterM && s.MedianDiameterM <= s.MaxDiameterM):
		return fmt.Errorf("species %q: median diameter %.4g nm must lie within the range %.4g–%.4g nm", s.ID, s.MedianDiameterM*1e9, s.MinDiameterM*1e9, s.MaxDiameterM*1e9)
	case !(s.GSD >= 1):
		return fmt.Errorf("species %q: geometric standard deviation %g must be ≥ 1", s.ID, s.GSD)
	case !(s.MinDensityKgM3 > 0 && s.MaxDensityKgM3 >= s.MinDensityKgM3):
		return fmt.Errorf("species %q: density range %.4g–%.4g g/mL must be positive with min ≤ max", s.ID, s.MinDensityKgM3/1e3, s.MaxDensityKgM3/1e3)
	}
	return nil
}

// fixedSize reports whether the population has a single diameter.
func (s Species) fixedSize() bool {
	return s.GSD == 1 || s.MinDiameterM == s.MaxDiameterM
}

// diameterAtQuantile maps q ∈ [0,1] to the truncated lognormal's quantile.
func (s Species) diameterAtQuantile(q float64) float64 {
	if s.fixedSize() {
		return s.MedianDiameterM
	}
	mu, sigma := math.Log(s.MedianDiameterM), math.Log(s.GSD)
	lo := normalCDF((math.Log(s.MinDiameterM) - mu) / sigma)
	hi := normalCDF((math.Log(s.MaxDiameterM) - mu) / sigma)
	p := lo + q*(hi-lo)
	d := math.Exp(mu + sigma*normalQuantile(p))
	// Guard the ends against rounding in the tails.
	return math.Min(math.Max(d, s.MinDiameterM), s.MaxDiameterM)
}

// Sample draws one particle's diameter (m) and density (kg/m³).
func (s Species) Sample(rng *rand.Rand) (diameterM, densityKgM3 float64) {
	diameterM = s.diameterAtQuantile(rng.Float64())
	densityKgM3 = s.MinDensityKgM3 + rng.Float64()*(s.MaxDensityKgM3-s.MinDensityKgM3)
	return
}

// Node is one quadrature point; the weights of a node set sum to 1.
// DiameterSDM and DensitySDKgM3 are the standard deviations of diameter
// and density among the particles of the node's cell (the slice of the
// population it stands for; 0 on a collapsed axis), for models whose
// result is not smooth in d or ρ over a cell (a band in a gradient).
type Node struct {
	DiameterM     float64
	DensityKgM3   float64
	Weight        float64
	DiameterSDM   float64
	DensitySDKgM3 float64
}

// Nodes returns nd × nr equal-probability midpoint nodes: diameters at the
// quantiles (i+½)/nd of the truncated lognormal, densities at the midpoints
// of nr equal slices of the density range. A population of one size or one
// density collapses that axis to a single node. The mean of a smooth f over
// the population is Σ w·f(node), with error O(1/n²).
func (s Species) Nodes(nd, nr int) []Node {
	if s.fixedSize() {
		nd = 1
	}
	if s.MinDensityKgM3 == s.MaxDensityKgM3 {
		nr = 1
	}
	out := make([]Node, 0, nd*nr)
	w := 1 / float64(nd*nr)
	// A uniform slice of width Δ has standard deviation Δ/√12.
	rhoSD := (s.MaxDensityKgM3 - s.MinDensityKgM3) / float64(nr) / math.Sqrt(12)
	for i := 0; i < nd; i++ {
		d := s.diameterAtQuantile((float64(i) + 0.5) / float64(nd))
		dSD := 0.0
		if !s.fixedSize() {
			dSD = s.cellDiameterSD(float64(i)/float64(nd), float64(i+1)/float64(nd))
		}
		for j := 0; j < nr; j++ {
			rho := s.MinDensityKgM3 + (float64(j)+0.5)/float64(nr)*(s.MaxDensityKgM3-s.MinDensityKgM3)
			out = append(out, Node{DiameterM: d, DensityKgM3: rho, Weight: w, DiameterSDM: dSD, DensitySDKgM3: rhoSD})
		}
	}
	return out
}

// cellDiameterSD is the standard deviation of the diameter among the
// particles between quantiles q0 and q1 of the truncated lognormal: a
// lognormal truncated to [d(q0), d(q1)], whose moments are closed-form,
//
//	E[dᵏ] = e^(kμ + k²σ²/2)·[Φ(β − kσ) − Φ(α − kσ)]/[Φ(β) − Φ(α)],
//
// α, β the standardised ln d(q0), ln d(q1).
func (s Species) cellDiameterSD(q0, q1 float64) float64 {
	mu, sigma := math.Log(s.MedianDiameterM), math.Log(s.GSD)
	a := (math.Log(s.diameterAtQuantile(q0)) - mu) / sigma
	b := (math.Log(s.diameterAtQuantile(q1)) - mu) / sigma
	den := normalMass(a, b)
	if !(den > 0) {
		return 0
	}
	m1 := math.Exp(mu+sigma*sigma/2) * normalMass(a-sigma, b-sigma) / den
	m2 := math.Exp(2*mu+2*sigma*sigma) * normalMass(a-2*sigma, b-2*sigma) / den
	return math.Sqrt(math.Max(0, m2-m1*m1))
}

// normalMass is Φ(b) − Φ(a), from the tail nearer to [a, b] so that
// nothing cancels.
func normalMass(a, b float64) float64 {
	if a > 0 {
		return 0.5 * (math.Erfc(a/math.Sqrt2) - math.Erfc(b/math.Sqrt2))
	}
	return 0.5 * (math.Erfc(-b/math.Sqrt2) - math.Erfc(-a/math.Sqrt2))
}

// DiameterQuantile returns the diameter below which a fraction q of the
// population lies (0 ≤ q ≤ 1).
func (s Species) DiameterQuantile(q float64) float64 { return s.diameterAtQuantile(q) }

// normalCDF is Φ(z) = ½ erfc(−z/√2).
func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// normalQuantile is Φ⁻¹(p) = √2 erfinv(2p − 1).
func normalQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }
