package damage_test

import (
	"math"
	"strings"
	"testing"

	"exosep/engine/damage"
)

// The calibration of the data file: E½ = 100,000 × g × 4 h, m = 3.
var calibrated = damage.Model{HalfDoseGS: 1e5 * 4 * 3600, Shape: 3}

// Closed forms of the Weibull law: F(0) = 0, F(E½) = ½ exactly,
// F(2E½) = 1 − 2^(−8) for m = 3, and the 70 min / 4 h contrast the
// calibration is built on (70 min: 1 − 2^(−(70/240)³) = 1.71 %).
func TestFractionClosedForms(t *testing.T) {
	for _, tt := range []struct {
		dose, want float64
	}{
		{0, 0},
		{-5, 0},
		{calibrated.HalfDoseGS, 0.5},
		{2 * calibrated.HalfDoseGS, 1 - math.Pow(2, -8)},
		{1e5 * 70 * 60, 1 - math.Pow(2, -math.Pow(70.0/240, 3))},
	} {
		if got := calibrated.Fraction(tt.dose); math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("F(%g) = %.17g, want %.17g", tt.dose, got, tt.want)
		}
	}
	if f := calibrated.Fraction(1e5 * 70 * 60); f > 0.02 {
		t.Errorf("70 min at 100,000 × g damages %.3f, the calibration promises < 0.02", f)
	}
	// Monotone in dose.
	prev := 0.0
	for e := 0.0; e < 4*calibrated.HalfDoseGS; e += calibrated.HalfDoseGS / 50 {
		f := calibrated.Fraction(e)
		if f < prev {
			t.Fatalf("F decreases at %g", e)
		}
		prev = f
	}
}

// Averaging over arrival times: all particles arriving at once at the start
// give F(rcf·T); uniform arrivals over [0, T] give (1/T)∫F(rcf·(T − t))dt,
// here compared with a 200,000-point midpoint sum (tolerance 1e-4 for the
// 64-interval rule used in the test; the engine uses coarser rules where
// arrivals are concentrated early).
func TestMeanOverArrivals(t *testing.T) {
	const T, rcf = 4 * 3600.0, 1e5
	atOnce := func(float64) float64 { return 1 }
	// Arrivals complete by T/1000: residence T(1 − 1/16000) at the first
	// midpoint, so F is within 1e-4 of F(rcf·T).
	if got, want := calibrated.MeanOverArrivals(atOnce, T/1000, T, rcf, 8), calibrated.Fraction(rcf*T); math.Abs(got-want) > 1e-4 {
		t.Errorf("all at t=0: %g, want F(rcf·T) = %g", got, want)
	}
	uniform := func(t float64) float64 { return t / T }
	const N = 200000
	var ref float64
	for i := 0; i < N; i++ {
		ref += calibrated.Fraction(rcf*(T-(float64(i)+0.5)*T/N)) / N
	}
	if got := calibrated.MeanOverArrivals(uniform, T, T, rcf, 64); math.Abs(got-ref) > 1e-4 {
		t.Errorf("uniform arrivals: %g, reference %g", got, ref)
	}
	if got := calibrated.MeanOverArrivals(func(float64) float64 { return 0 }, T, T, rcf, 8); got != 0 {
		t.Errorf("nothing pelleted: %g, want 0", got)
	}
	// Later arrivals, less damage.
	early := calibrated.MeanOverArrivals(uniform, T/2, T, rcf, 16)
	if late := calibrated.MeanOverArrivals(uniform, T, T, rcf, 16); !(late < early) {
		t.Errorf("arrivals spread to the end (%g) should damage less than arrivals in the first half (%g)", late, early)
	}
}

func TestValidate(t *testing.T) {
	if err := calibrated.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		m    damage.Model
		want string
	}{
		{damage.Model{HalfDoseGS: 0, Shape: 3}, "half dose 0 g·s must be > 0"},
		{damage.Model{HalfDoseGS: 1, Shape: 0.5}, "shape 0.5 must be within 1–20"},
	} {
		if err := tt.m.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("err = %v, want %q", err, tt.want)
		}
	}
}
