package filter

import "math"

// Fate is what one particle does at one pore at a given pressure across
// the membrane (package doc, "Particles at a pore").
type Fate struct {
	// Lambda is the particle radius over the pore radius.
	Lambda float64 `json:"lambda"`
	// Pass is the pore's sieving coefficient for the particle: the
	// hindered-transport S(λ, Pe) when it fits (λ < 1); 1 when a deformable
	// vesicle is pushed through (squeezed) and 0 when it is held back.
	Pass float64 `json:"pass"`
	// Squeezed: a deformable vesicle larger than the pore passes because
	// the pressure exceeds ΔP_min = 2τ(1/r − 1/a).
	Squeezed bool `json:"squeezed"`
	// Ruptured: a squeezed vesicle whose passage needs more area strain
	// than the bilayer bears (damaged).
	Ruptured bool `json:"ruptured"`
	// ThresholdKPa is ΔP_min for a deformable vesicle larger than the pore
	// (0 otherwise).
	ThresholdKPa float64 `json:"threshold_kpa"`
	// LodgeProbability is the chance that a particle held back at this
	// pore stays wedged in its mouth, plugging it (0 when it does not fit
	// the mouth: λ ≥ wedge ratio, or when it passes).
	LodgeProbability float64 `json:"lodge_probability"`
	// Peclet is the pore Péclet number (W/H)·v·L/D∞ (0 when λ ≥ 1).
	Peclet float64 `json:"peclet"`
}

// SqueezeThresholdPa is the least pressure that pushes a vesicle of radius
// aM through a pore of radius rM < aM: the Laplace pressure difference
// between the cap in the pore and the vesicle outside at the lysis tension,
// ΔP_min = 2τ(1/r − 1/a). For a ≫ r it is Hunter & Frisken's 2τ/r (1998,
// Biophys J 74:2996; physics-data.md §4); it falls to 0 as a → r, joining
// rigid passage continuously.
func SqueezeThresholdPa(aM, rM, tensionNPerM float64) float64 {
	if aM <= rM {
		return 0
	}
	return 2 * tensionNPerM * (1/rM - 1/aM)
}

// SqueezeAreaStrain is the relative area increase of a vesicle of radius a
// pushed, at constant volume, into a pore of radius r < a as a cylinder of
// radius r with hemispherical ends (ExoSep's geometric estimate):
// volume πr²ℓ + (4/3)πr³ = (4/3)πa³ gives ℓ, area 2πrℓ + 4πr², strain =
// area/(4πa²) − 1. It is 0 at a = r and 3 % at a ≈ 1.2 r.
func SqueezeAreaStrain(aM, rM float64) float64 {
	if aM <= rM {
		return 0
	}
	x := aM / rM
	l := 4.0 / 3 * (x*x*x - 1) // ℓ/r
	return (2*l+4)/(4*x*x) - 1
}

// LodgeProbability is the chance that a particle held back at the mouth of
// a pore of radius rM stays there: 1 − exp(−E/k_BT), with E = ΔP·πr²·r the
// work the pressure across the plugged pore does over one pore radius (an
// ExoSep estimate: Boltzmann odds of the wedged state against the free
// one). A protein at a 2 nm ultrafilter pore at 100 kPa (E ≈ 0.6 k_BT)
// stays less than half the time; a vesicle at a 100 nm pore is held at
// 100 kPa (E ≈ 10 k_BT) and about half the time at 5–10 kPa.
func LodgeProbability(rM, membranePa, celsius float64) float64 {
	e := membranePa * math.Pi * rM * rM * rM / (Boltzmann * (celsius + 273.15))
	if e >= 56*math.Ln2 {
		return 1 // what Expm1 returns there (e^(−e) < 2⁻⁵⁶)
	}
	return -math.Expm1(-e)
}

// PoreFate computes a particle's fate at one pore: diameterM, deformable
// (vesicles), the pore radius, the pressure across the membrane, the
// liquid's viscosity and temperature, and the process figures (lysis
// tension and strain, wedge ratio). Pe = (W/H)·v·L/D∞ with the pore's
// Hagen–Poiseuille velocity v = ΔP r²/(8μL), so Pe = (W/H)·ΔP·r²/(8μD∞).
func PoreFate(diameterM, poreRadiusM float64, deformable bool, membranePa, etaPas, celsius float64, pr Process) Fate {
	a := diameterM / 2
	f := Fate{Lambda: a / poreRadiusM}
	if f.Lambda < 1 {
		w, h := Convective(f.Lambda), Diffusive(f.Lambda)
		if h > 0 {
			f.Peclet = w / h * membranePa * poreRadiusM * poreRadiusM / (8 * etaPas * StokesEinsteinD(a, etaPas, celsius))
		} else {
			f.Peclet = math.Inf(1)
		}
		f.Pass = PoreSieving(w, f.Peclet)
		if math.IsInf(f.Peclet, 0) {
			f.Peclet = 0
		}
		return f
	}
	if deformable {
		th := SqueezeThresholdPa(a, poreRadiusM, pr.LysisTensionNPerM)
		f.ThresholdKPa = th / 1e3
		if membranePa > th {
			f.Pass, f.Squeezed = 1, true
			f.Ruptured = SqueezeAreaStrain(a, poreRadiusM) > pr.LysisAreaStrain
			return f
		}
	}
	if f.Lambda < pr.WedgeRatio {
		f.LodgeProbability = LodgeProbability(poreRadiusM, membranePa, celsius)
	}
	return f
}
