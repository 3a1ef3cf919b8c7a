package sediment_test

import (
	"math"
	"testing"

	"exosep/engine/rotor"
	"exosep/engine/sediment"
)

func TestCoefficientClosedForm(t *testing.T) {
	for _, tt := range []struct {
		d, rp, rm, eta float64
		wantS          float64 // svedberg
	}{
		// 100 nm, Δρ 150 kg/m³, 1 mPa·s: 1e-14·150/0.018 s = 8.333e-11 s = 833.3 S.
		{100e-9, 1150, 1000, 1e-3, 833.33333333},
		// 1 µm doubles d: s ×4 ×100.
		{1e-6, 1150, 1000, 1e-3, 83333.333333},
		// Lighter than the medium: negative s (flotation).
		{50e-9, 950, 1000, 1e-3, -69.444444444},
	} {
		got := sediment.Coefficient(tt.d, tt.rp, tt.rm, tt.eta) / sediment.Svedberg
		if math.Abs(got-tt.wantS) > 1e-9*math.Abs(tt.wantS) {
			t.Errorf("s(%g m) = %.10g S, want %.10g", tt.d, got, tt.wantS)
		}
	}
}

// The swinging-bucket pelleted fraction against a direct count: particles
// on a fine uniform grid of r0 in [r_min, r_max] pellet when r0·e^x ≥ r_max.
// Tolerance 2/N (grid resolution).
func TestSwingingPelletedAgainstCount(t *testing.T) {
	const N = 200000
	rmin, rmax := 0.0674, 0.1531
	for _, x := range []float64{1e-4, 0.05, 0.3, 0.8, math.Log(rmax / rmin), 2} {
		hit := 0
		for i := 0; i < N; i++ {
			r0 := rmin + (float64(i)+0.5)/N*(rmax-rmin)
			if r0*math.Exp(x) >= rmax {
				hit++
			}
		}
		got := sediment.SwingingPelleted(rmin, rmax, x)
		if want := float64(hit) / N; math.Abs(got-want) > 2.0/N {
			t.Errorf("x=%g: P = %.6f, count gives %.6f", x, got, want)
		}
		// Flotation mirrors it at the meniscus.
		hit = 0
		for i := 0; i < N; i++ {
			r0 := rmin + (float64(i)+0.5)/N*(rmax-rmin)
			if r0*math.Exp(-x) <= rmin {
				hit++
			}
		}
		if got, want := sediment.SwingingFloated(rmin, rmax, -x), float64(hit)/N; math.Abs(got-want) > 2.0/N {
			t.Errorf("x=%g: floated %.6f, count gives %.6f", -x, got, want)
		}
	}
	if sediment.SwingingPelleted(rmin, rmax, -1) != 0 || sediment.SwingingFloated(rmin, rmax, 1) != 0 {
		t.Error("wrong-direction fractions must be 0")
	}
}

// The fixed-angle chord formula against the area a unit disc loses when
// shifted by 2ξ radii, counted on a 2000×2000 grid (tolerance 2e-3).
func TestChordFractionAgainstArea(t *testing.T) {
	const n = 2000
	for _, xi := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
		in, out := 0, 0
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				a := -1 + (float64(i)+0.5)*2/n
				b := -1 + (float64(j)+0.5)*2/n
				if a*a+b*b >= 1 {
					continue
				}
				in++
				a2 := a + 2*xi
				if a2*a2+b*b >= 1 {
					out++
				}
			}
		}
		got := sediment.ChordFraction(xi)
		if want := float64(out) / float64(in); math.Abs(got-want) > 2e-3 {
			t.Errorf("ξ=%g: P = %.4f, area count %.4f", xi, got, want)
		}
	}
	if sediment.ChordFraction(0) != 0 || sediment.ChordFraction(1) != 1 || sediment.ChordFraction(3) != 1 {
		t.Error("ChordFraction ends: want 0 at 0, 1 at ≥ 1")
	}
	// ξ = ½: (2/π)(π/6 + √3/4) = 0.609 (closed form).
	if got, want := sediment.ChordFraction(0.5), 2/math.Pi*(math.Pi/6+math.Sqrt(3)/4); math.Abs(got-want) > 1e-15 {
		t.Errorf("ChordFraction(0.5) = %g, want %g", got, want)
	}
}

// At the cut-off diameter pelleting is just complete; 1 % smaller is not.
func TestCutoffDiameter(t *testing.T) {
	sw := rotor.Rotor{Name: "sb", Kind: rotor.SwingingBucket, MaxRPM: 41000, RMinM: 0.0674, RMaxM: 0.1531, TubeDiameterM: 0.014}
	fa := rotor.Rotor{Name: "fa", Kind: rotor.FixedAngle, AngleRad: 23 * math.Pi / 180, MaxRPM: 70000, RMinM: 0.0395, RMaxM: 0.0919, TubeDiameterM: 0.025}
	const rhoP, rhoM, eta, tS = 1150.0, 1000.0, 1.55e-3, 70 * 60.0
	for _, r := range []rotor.Rotor{sw, fa} {
		omega := rotor.Omega(30000)
		d := sediment.CutoffDiameter(r, omega, tS, rhoP-rhoM, eta)
		at := func(d float64) float64 {
			p, _ := sediment.Fractions(r, sediment.Coefficient(d, rhoP, rhoM, eta), omega, tS)
			return p
		}
		if p := at(d * (1 + 1e-9)); p != 1 {
			t.Errorf("%s: P(d*) = %.12f, want 1", r.Name, p)
		}
		if p := at(d * 0.99); !(p < 1) {
			t.Errorf("%s: P(0.99 d*) = %g, want < 1", r.Name, p)
		}
		if r.Kind == rotor.SwingingBucket {
			// Livshits 2015: d* = sqrt(18 η ln(rmax/rmin) / (Δρ ω² t)).
			want := math.Sqrt(18 * eta * math.Log(r.RMaxM/r.RMinM) / ((rhoP - rhoM) * omega * omega * tS))
			if math.Abs(d/want-1) > 1e-12 {
				t.Errorf("d* = %g, closed form %g", d, want)
			}
		}
	}
	if !math.IsInf(sediment.CutoffDiameter(sw, 1000, 60, -10, 1e-3), 1) {
		t.Error("a particle lighter than the medium has no cut-off: want +Inf")
	}
}

// Fixed-angle rotors pellet faster than their k-factor suggests (Livshits
// 2015 abstract: scaling by k-factor is not equivalent for fixed angles):
// the same s and clearing time k/s leave a fixed-angle tube fully
// pelleted well before a swinging bucket of the same k is.
func TestFixedAngleBeatsKFactorScaling(t *testing.T) {
	fa := rotor.Rotor{Name: "Type 70 Ti", Kind: rotor.FixedAngle, AngleRad: 23 * math.Pi / 180, MaxRPM: 70000, RMinM: 0.0395, RMaxM: 0.0919, TubeDiameterM: 0.025}
	omega := rotor.Omega(fa.MaxRPM)
	s := 10 * sediment.Svedberg
	tK := fa.KFactor(fa.MaxRPM) / 10 * 3600 // k-factor clearing time, s
	if p, _ := sediment.Fractions(fa, s, omega, tK/2); p != 1 {
		t.Errorf("fixed angle at half the k-factor time: P = %g, want 1 (the short path across the tube)", p)
	}
}
