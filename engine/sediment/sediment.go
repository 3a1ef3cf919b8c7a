package sediment

import (
	"math"

	"exosep/engine/rotor"
)

// Svedberg is one svedberg in seconds.
const Svedberg = 1e-13

// Coefficient returns the Stokes sedimentation coefficient s in seconds of a
// sphere of diameter diameterM and density particleKgM3 in a medium of
// density mediumKgM3 and viscosity viscosityPas:
// s = d²(ρp − ρm)/(18η) (Stokes 1851; physics-data.md §1).
func Coefficient(diameterM, particleKgM3, mediumKgM3, viscosityPas float64) float64 {
	return diameterM * diameterM * (particleKgM3 - mediumKgM3) / (18 * viscosityPas)
}

// SwingingPelleted is the pelleted fraction in a swinging bucket after
// exponent x = s ω² t ≥ 0: P = (r_max/L)(1 − e^(−x)), capped at 1
// (Livshits 2015). It returns 0 for x ≤ 0.
func SwingingPelleted(rMinM, rMaxM, x float64) float64 {
	if x <= 0 {
		return 0
	}
	p := rMaxM / (rMaxM - rMinM) * -math.Expm1(-x)
	return math.Min(p, 1)
}

// SwingingFloated is the fraction that reaches the meniscus when x = s ω² t
// < 0 (flotation): r(t) = r0 e^x reaches r_min for r0 ≤ r_min e^(−x), so
// F = (r_min/L)(e^(−x) − 1), capped at 1. It returns 0 for x ≥ 0.
func SwingingFloated(rMinM, rMaxM, x float64) float64 {
	if x >= 0 {
		return 0
	}
	f := rMinM / (rMaxM - rMinM) * math.Expm1(-x)
	return math.Min(f, 1)
}

// ChordFraction is the share of a disc that a uniform shift by ξ diameters
// sweeps out of itself: (2/π)(asin ξ + ξ√(1−ξ²)) for 0 ≤ ξ < 1, 1 beyond
// (Livshits 2015, Supplement: the fixed-angle pelleted fraction).
func ChordFraction(xi float64) float64 {
	switch {
	case xi <= 0:
		return 0
	case xi >= 1:
		return 1
	}
	return 2 / math.Pi * (math.Asin(xi) + xi*math.Sqrt(1-xi*xi))
}

// FixedAngleXi is ξ = v t / L_sed for a fixed-angle rotor, with
// v = s ω² r_avg and L_sed = D / cos θ. Negative when the particle floats.
func FixedAngleXi(r rotor.Rotor, sSeconds, omega, tS float64) float64 {
	v := sSeconds * omega * omega * r.RadiusM(rotor.AtAvg)
	return v * tS * math.Cos(r.AngleRad) / r.TubeDiameterM
}

// Fractions returns the pelleted and floated fractions of particles with
// sedimentation coefficient sSeconds after tS seconds at omega rad/s.
func Fractions(r rotor.Rotor, sSeconds, omega, tS float64) (pelleted, floated float64) {
	if r.Kind == rotor.FixedAngle {
		xi := FixedAngleXi(r, sSeconds, omega, tS)
		if xi >= 0 {
			return ChordFraction(xi), 0
		}
		return 0, ChordFraction(-xi)
	}
	x := sSeconds * omega * omega * tS
	return SwingingPelleted(r.RMinM, r.RMaxM, x), SwingingFloated(r.RMinM, r.RMaxM, x)
}

// CutoffDiameter returns d*, the smallest diameter that pellets completely
// in tS seconds at omega, for buoyant density excess deltaRhoKgM3 > 0 and
// viscosity viscosityPas. It returns +Inf when deltaRhoKgM3 ≤ 0 (nothing
// pellets).
func CutoffDiameter(r rotor.Rotor, omega, tS, deltaRhoKgM3, viscosityPas float64) float64 {
	if deltaRhoKgM3 <= 0 || omega <= 0 || tS <= 0 {
		return math.Inf(1)
	}
	// The coefficient s* that just completes pelleting.
	var sStar float64
	if r.Kind == rotor.FixedAngle {
		sStar = r.TubeDiameterM / (math.Cos(r.AngleRad) * omega * omega * r.RadiusM(rotor.AtAvg) * tS)
	} else {
		sStar = math.Log(r.RMaxM/r.RMinM) / (omega * omega * tS)
	}
	return math.Sqrt(18 * viscosityPas * sStar / deltaRhoKgM3)
}
