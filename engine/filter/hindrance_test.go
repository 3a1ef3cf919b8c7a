package filter_test

import (
	"math"
	"testing"

	"exosep/engine/filter"
)

// The hindrance factors against Dechadilok & Deen's (2006) correlations,
// evaluated independently (Python, double precision, from the formulas as
// printed in physics-data.md §4) at several λ; tolerance 1e-12 absolute.
func TestHindranceCorrelations(t *testing.T) {
	for _, c := range []struct{ lambda, w, h float64 }{
		{0.05, 0.982688114837643, 0.7550153309112341},
		{0.1, 0.9387892375921105, 0.5918437994748699},
		{0.2, 0.8051190093469074, 0.3578974475199273},
		{0.3, 0.6450448838564091, 0.20333307018289656},
		{0.5, 0.3364078364078364, 0.047447203122530805},
		{0.72, 0.09936914095403841, 0.0036028800555992294},
		{0.9, 0.011190111966309145, 3.299565875120036e-05},
	} {
		if w := filter.Convective(c.lambda); math.Abs(w-c.w) > 1e-12 {
			t.Errorf("W(%g) = %.17g, want %.17g", c.lambda, w, c.w)
		}
		if h := filter.Diffusive(c.lambda); math.Abs(h-c.h) > 1e-12 {
			t.Errorf("H(%g) = %.17g, want %.17g", c.lambda, h, c.h)
		}
	}
}

// Limits: λ → 0 gives W = H = 1 (a point particle is not hindered), λ → 1
// gives 0 (it no longer enters), both fall monotonically in between, and
// W = 0.1 — the MWCO's 90 % retention — at λ = 0.72 ± 0.005 (physics-data
// §4, derived there).
func TestHindranceLimits(t *testing.T) {
	for _, l := range []float64{0, 1e-9} {
		if w, h := filter.Convective(l), filter.Diffusive(l); math.Abs(w-1) > 1e-7 || math.Abs(h-1) > 1e-7 {
			t.Errorf("λ = %g: W = %g, H = %g, want 1 (1e-7)", l, w, h)
		}
	}
	for _, l := range []float64{1, 1.5, 1 - 1e-12} {
		if w, h := filter.Convective(l), filter.Diffusive(l); w > 1e-20 || h > 1e-9 {
			t.Errorf("λ = %g: W = %g, H = %g, want 0", l, w, h)
		}
	}
	prevW, prevH := 2.0, 2.0
	for i := 0; i <= 1000; i++ {
		l := float64(i) / 1000
		w, h := filter.Convective(l), filter.Diffusive(l)
		if w > prevW+1e-15 || h > prevH+1e-15 || w < 0 || h < 0 {
			t.Fatalf("not monotone or negative at λ = %g: W %g (before %g), H %g (before %g)", l, w, prevW, h, prevH)
		}
		prevW, prevH = w, h
	}
	// W = 0.1 by bisection.
	lo, hi := 0.5, 0.9
	for range 60 {
		m := (lo + hi) / 2
		if filter.Convective(m) > 0.1 {
			lo = m
		} else {
			hi = m
		}
	}
	if math.Abs(lo-0.72) > 0.005 {
		t.Errorf("W = 0.1 at λ = %.4f, want 0.72 ± 0.005", lo)
	}
}

// The bounds the run's sieving shortcut rests on (a rigid class's
// Pe = (W/H)·ΔP r²/(8μD) is bounded below without computing H): W/H ≥ 1
// (hindered convection never slower than hindered diffusion) for
// 0 ≤ λ ≤ 0.999, and H ≤ 1 for all λ; on a grid of 10⁶ points. Above
// λ = 0.999 the linear interpolation of H dips W/H below 1 (at λ ≈
// 0.99997), which is why the shortcut uses H ≤ 1 there.
func TestHindranceBoundsForPeclet(t *testing.T) {
	for i := 0; i <= 1000000; i++ {
		l := float64(i) / 1e6
		w, h := filter.Convective(l), filter.Diffusive(l)
		if h > 1 || (l <= 0.999 && w < h) {
			t.Fatalf("λ = %g: W = %g, H = %g", l, w, h)
		}
	}
	if l := 0.99999; filter.Convective(l) >= filter.Diffusive(l) {
		t.Errorf("λ = %g: W/H = %g, expected below 1 (the reason for the bound's limit)", l, filter.Convective(l)/filter.Diffusive(l))
	}
}

// The pore sieving coefficient S = W e^Pe/(W + e^Pe − 1) against the
// steady convection–diffusion equation in the pore integrated numerically
// (RK4, 400 steps): N = K_c v C − K_d D dC/dz with C(0) = Φ c_w, C(L) = Φ c_p
// and N = v c_p; being linear in c_p, two integrations give c_p/c_w
// (tolerance 1e-9). Limits: Pe → ∞ gives W, Pe → 0 gives 1; hand value
// W = 0.5, Pe = ln 2: S = 0.5·2/1.5 = 2/3. Polarisation: S_m = 0.5 at
// J/k = ln 3 gives S_o = 0.5·3/(0.5 + 1.5) = 0.75.
func TestPoreSievingAndPolarisation(t *testing.T) {
	for _, c := range []struct{ w, pe, want float64 }{
		{0.3, 1e3, 0.3},
		{0.3, 1e-12, 1},
		{0.5, math.Ln2, 2.0 / 3},
		{0, 5, 0},
	} {
		if s := filter.PoreSieving(c.w, c.pe); math.Abs(s-c.want) > 1e-9 {
			t.Errorf("S(W %g, Pe %g) = %.17g, want %.17g", c.w, c.pe, s, c.want)
		}
	}
	for _, c := range []struct{ lambda, pe float64 }{{0.2, 0.3}, {0.4, 2}, {0.6, 7}} {
		phi, kc := filter.Partition(c.lambda), filter.ConvectiveHindrance(c.lambda)
		// Units with v = 1, L = 1: Pe = K_c/(K_d D) sets K_d D.
		kdD := kc / c.pe
		// C(L) from C(0) = Φ with c_p = 0 and c_p = 1, dC/dz = (K_c C − c_p)/(K_d D).
		end := func(cp float64) float64 {
			f := func(c float64) float64 { return (kc*c - cp) / kdD }
			c, h := phi, 1.0/400
			for range 400 {
				k1 := f(c)
				k2 := f(c + h/2*k1)
				k3 := f(c + h/2*k2)
				k4 := f(c + h*k3)
				c += h / 6 * (k1 + 2*k2 + 2*k3 + k4)
			}
			return c
		}
		e0, e1 := end(0), end(1)
		// C(L) = e0 + (e1 − e0)·c_p = Φ c_p.
		cp := e0 / (phi - (e1 - e0))
		if s := filter.PoreSieving(filter.Convective(c.lambda), c.pe); math.Abs(s-cp) > 1e-9 {
			t.Errorf("λ %g, Pe %g: S = %.12g, pore equation gives %.12g", c.lambda, c.pe, s, cp)
		}
	}
	if s := filter.Polarized(0.5, math.Log(3)); math.Abs(s-0.75) > 1e-15 {
		t.Errorf("S_o = %g, want 0.75", s)
	}
	if s := filter.Polarized(0.2, 0); math.Abs(s-0.2) > 1e-15 {
		t.Errorf("no polarisation: S_o = %g, want S_m 0.2", s)
	}
}

// Wilkins et al. 1999: R_h = 4.75 N^0.29 Å; albumin (66.5 kDa, N ≈ 605)
// gives 30.2 Å, within 20 % of its measured Stokes radius 3.6 nm
// (physics-data.md §2) — the correlation's scatter.
func TestProteinRadius(t *testing.T) {
	r := filter.ProteinRadiusM(66.5)
	if want := 4.75e-10 * math.Pow(66500.0/110, 0.29); math.Abs(r-want) > 1e-22 {
		t.Errorf("R_h = %g m, want %g", r, want)
	}
	if math.Abs(r/3.6e-9-1) > 0.2 {
		t.Errorf("albumin R_h %.3g nm, measured 3.6 nm", r*1e9)
	}
}

// Deformable vesicles: the squeeze threshold 2τ(1/r − 1/a) (0 at a = r,
// 2τ/r for a ≫ r: Hunter & Frisken's 0.2 MPa for τ = 5 mN/m and a 100 nm
// pore), and the area strain of the volume-conserving sausage: 0 at a = r;
// at a = 1.2r, ℓ = (4/3)(1.728 − 1)r and strain = (2ℓ/r + 4)/(4·1.44) − 1 =
// 0.0314 (hand computation; 1e-4).
func TestSqueeze(t *testing.T) {
	if p := filter.SqueezeThresholdPa(1e-3, 50e-9, 5e-3); math.Abs(p-2e5) > 0.01*2e5 {
		t.Errorf("large vesicle threshold %g Pa, want 2e5 (1 %%)", p)
	}
	if p := filter.SqueezeThresholdPa(50e-9, 50e-9, 5e-3); p != 0 {
		t.Errorf("a = r threshold %g, want 0", p)
	}
	if s := filter.SqueezeAreaStrain(60e-9, 50e-9); math.Abs(s-((2*4.0/3*0.728+4)/(4*1.44)-1)) > 1e-12 || math.Abs(s-0.0314) > 1e-4 {
		t.Errorf("strain at a = 1.2 r: %g, want 0.0314", s)
	}
	if s := filter.SqueezeAreaStrain(50e-9, 50e-9); s != 0 {
		t.Errorf("strain at a = r: %g", s)
	}
	// PoreFate: below the threshold held back (and may lodge), above it
	// squeezed; ruptured when the strain exceeds the lysis strain.
	pr := filter.Process{LysisTensionNPerM: 5e-3, LysisAreaStrain: 0.04, WedgeRatio: 2}
	th := filter.SqueezeThresholdPa(75e-9, 50e-9, 5e-3)
	below := filter.PoreFate(150e-9, 50e-9, true, 0.9*th, 1e-3, 20, pr)
	above := filter.PoreFate(150e-9, 50e-9, true, 1.1*th, 1e-3, 20, pr)
	rigid := filter.PoreFate(150e-9, 50e-9, false, 1.1*th, 1e-3, 20, pr)
	if below.Pass != 0 || below.LodgeProbability <= 0 || !above.Squeezed || above.Pass != 1 || !above.Ruptured || rigid.Pass != 0 {
		t.Errorf("fates: below %+v, above %+v, rigid %+v", below, above, rigid)
	}
	if f := filter.PoreFate(110e-9, 50e-9, true, 1e6, 1e-3, 20, pr); !f.Squeezed || f.Ruptured {
		t.Errorf("a = 1.1 r (strain %g < 4 %%): %+v, want squeezed intact", filter.SqueezeAreaStrain(55e-9, 50e-9), f)
	}
}

// Lodging odds 1 − exp(−ΔP·πr³/k_BT): ≈ E/k_BT when small, → 1 when large.
func TestLodgeProbability(t *testing.T) {
	kT := filter.Boltzmann * 293.15
	r := 2e-9
	e := 1e5 * math.Pi * r * r * r / kT
	if p := filter.LodgeProbability(r, 1e5, 20); math.Abs(p-(1-math.Exp(-e))) > 1e-15 || !(p < 0.5) {
		t.Errorf("protein-sized pore: %g (E/kT = %g)", p, e)
	}
	if p := filter.LodgeProbability(50e-9, 1e5, 20); p < 0.99 {
		t.Errorf("100 nm pore at 100 kPa: %g, want ≈ 1", p)
	}
}
