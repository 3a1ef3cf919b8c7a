package filter

import "math"

// Hindered transport of a rigid sphere of radius a in a cylindrical pore of
// radius r, as functions of λ = a/r (Dechadilok & Deen 2006, Ind Eng Chem
// Res 45:6953; physics-data.md §4). The correlations hold for 0 ≤ λ ≤ 0.95;
// between 0.95 and 1 the convective coefficient still follows its formula
// (it vanishes with Φ) and the diffusive one is taken linearly from its
// value at 0.95 down to 0 at λ = 1 (an interpolation, stated). At λ ≥ 1 the
// sphere does not enter: all are 0.

// lambdaFit is the upper end of Dechadilok & Deen's fit.
const lambdaFit = 0.95

// Partition is the steric partition coefficient Φ = (1 − λ)² of a sphere
// between bulk and pore.
func Partition(lambda float64) float64 {
	if lambda >= 1 {
		return 0
	}
	if lambda <= 0 {
		return 1
	}
	return (1 - lambda) * (1 - lambda)
}

// ConvectiveHindrance is K_c = (1 + 3.867λ − 1.907λ² − 0.834λ³)/(1 + 1.867λ
// − 0.741λ²) (Dechadilok & Deen 2006).
func ConvectiveHindrance(lambda float64) float64 {
	l := math.Max(0, math.Min(lambda, 1))
	return (1 + 3.867*l - 1.907*l*l - 0.834*l*l*l) / (1 + 1.867*l - 0.741*l*l)
}

// Convective is W = Φ·K_c, the convective sieving coefficient of the pore
// (the sieving coefficient at high Péclet number). W(0) = 1, W(1) = 0.
func Convective(lambda float64) float64 {
	if lambda >= 1 {
		return 0
	}
	return Partition(lambda) * ConvectiveHindrance(lambda)
}

// diffusiveFit is H = Φ·K_d = 1 + (9/8)λ ln λ − 1.56034λ + 0.528155λ² +
// 1.91521λ³ − 2.81903λ⁴ + 0.270788λ⁵ + 1.10115λ⁶ − 0.435933λ⁷
// (Dechadilok & Deen 2006).
func diffusiveFit(l float64) float64 {
	if l <= 0 {
		return 1
	}
	l2 := l * l
	return 1 + 9.0/8*l*math.Log(l) - 1.56034*l + 0.528155*l2 + 1.91521*l2*l - 2.81903*l2*l2 +
		0.270788*l2*l2*l + 1.10115*l2*l2*l2 - 0.435933*l2*l2*l2*l
}

// Diffusive is H = Φ·K_d, the diffusive hindrance of the pore: the fit up
// to λ = 0.95, then linear to 0 at λ = 1.
func Diffusive(lambda float64) float64 {
	switch {
	case lambda >= 1:
		return 0
	case lambda <= lambdaFit:
		return math.Max(0, diffusiveFit(lambda))
	}
	return math.Max(0, diffusiveFit(lambdaFit)) * (1 - lambda) / (1 - lambdaFit)
}

// PoreSieving is the sieving coefficient of one pore, the ratio of the
// concentration leaving the pore to that at its entrance, for convection
// and hindered diffusion in series through a pore of length L at mean
// velocity v (Deen 1987, AIChE J 33:1409; the form restated by Zeman &
// Zydney 1996):
//
//	S = W·e^Pe / (W + e^Pe − 1),  Pe = (W/H)·v·L/D∞
//
// S → W at high Pe (convection wins) and S → 1 as Pe → 0 (diffusion
// evens the two sides). pe is Pe; for Pe > 40, S = W to 1e-17.
func PoreSieving(w, pe float64) float64 {
	switch {
	case w <= 0:
		return 0
	case pe > 40:
		return w
	case pe <= 0:
		return 1
	}
	e := math.Exp(pe)
	return w * e / (w + e - 1)
}

// Polarized is the observed sieving coefficient when the feed at the
// membrane is concentrated by polarisation (film model; Zeman & Zydney
// 1996): with S_m the membrane's sieving coefficient and J/k the flux over
// the mass-transfer coefficient,
//
//	S_o = S_m·e^(J/k) / (1 − S_m + S_m·e^(J/k)).
func Polarized(sm, jOverK float64) float64 {
	if sm <= 0 {
		return 0
	}
	if jOverK > 700 {
		return 1
	}
	e := math.Exp(jOverK)
	return sm * e / (1 - sm + sm*e)
}

// ProteinRadiusM is the hydrodynamic radius of a globular protein of
// molecular weight kDa: R_h = 4.75·N^0.29 Å, N = MW/110 residues (Wilkins
// et al. 1999, Biochemistry 38:16424; physics-data.md §4).
func ProteinRadiusM(kDa float64) float64 {
	return 4.75e-10 * math.Pow(kDa*1000/110, 0.29)
}

// Boltzmann is k_B, J/K.
const Boltzmann = 1.380649e-23

// StokesEinsteinD is the diffusivity D = k_B·T/(6πηa) of a sphere of radius
// radiusM, m²/s.
func StokesEinsteinD(radiusM, etaPas, celsius float64) float64 {
	return Boltzmann * (celsius + 273.15) / (6 * math.Pi * etaPas * radiusM)
}
