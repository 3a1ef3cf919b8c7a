package gradient

import (
	"math"
	"testing"
)

// The Bernoulli function B(x) = x/(eˣ − 1) of the Scharfetter–Gummel
// fluxes: its series branch (|x| < 0.05) and the one-exponential face
// coefficients a = (D/h)B(−Pe), b = (D/h)B(Pe) against the closed form
// evaluated directly (1e-14 relative; at x = 0 the limit 1).
func TestBernoulliAndFaceCoefficients(t *testing.T) {
	direct := func(x float64) float64 {
		if x == 0 {
			return 1
		}
		return x / math.Expm1(x)
	}
	for _, x := range []float64{-30, -1, -0.0499, -1e-3, -1e-9, 0, 1e-9, 1e-4, 0.02, 0.0499, 0.05, 0.7, 12, 300} {
		if got, want := bern(x), direct(x); math.Abs(got-want) > 1e-14*want {
			t.Errorf("B(%g) = %.17g, want %.17g", x, got, want)
		}
		const d, h = 1e-9, 1e-4
		v := x * d / h
		a, b := faceCoeffs(v, d, h)
		if wa, wb := d/h*direct(-x), d/h*direct(x); math.Abs(a-wa) > 1e-14*wa || math.Abs(b-wb) > 1e-14*wb {
			t.Errorf("Pe = %g: a, b = %.17g, %.17g, want %.17g, %.17g", x, a, b, wa, wb)
		}
	}
}

// segmentFrom finds segment's index from any hint (exact).
func TestSegmentFromHint(t *testing.T) {
	xs := []float64{0, 10, 20, 35, 50, 80}
	for _, x := range []float64{-5, 0, 3, 10, 10.5, 20, 34.9, 35, 49, 50, 79, 80, 95} {
		want, _ := segment(xs, x)
		for hint := -1; hint <= len(xs); hint++ {
			if got := segmentFrom(xs, x, hint); got != want {
				t.Errorf("x = %g, hint %d: segment %d, want %d", x, hint, got, want)
			}
		}
	}
}

// The cached equilibrium slope equals Medium.EquilibriumSlope (1e-12
// relative).
func TestEquilibriumSlopeCache(t *testing.T) {
	l := testLib(t)
	for _, id := range []string{"sucrose", "iodixanol", "cscl"} {
		m := l.Media[id]
		for _, T := range []float64{4, 20, 37} {
			f := m.at(T)
			for _, pct := range []float64{0, 7, 33, 50} {
				c := m.ConcentrationForPercent(pct)
				i, _ := segment(m.c, c)
				const r, w2 = 0.1, 1e8
				got, want := f.equilibriumSlopeIn(c, w2*r, i), m.EquilibriumSlope(c, r, w2, T)
				if math.Abs(got-want) > 1e-12*math.Abs(want) {
					t.Errorf("%s %g %% %g °C: cached %g, direct %g", id, pct, T, got, want)
				}
			}
		}
	}
}

// φ(x) = (eˣ − 1)/x and the pair φ(x), φ(2x), e^(2x) of the packet
// substeps, across the series, expm1 and exp branches, against expm1
// evaluated directly (1e-14 relative; e^(2x), in [0, 1] for x < 0, to
// 1e-34 absolute where the stiff branch drops it).
func TestPhi(t *testing.T) {
	direct := func(x float64) float64 {
		if x == 0 {
			return 1
		}
		return math.Expm1(x) / x
	}
	near := func(got, want float64) bool { return math.Abs(got-want) <= 1e-14*math.Abs(want) }
	for _, x := range []float64{-800, -60, -40.01, -40, -18, -3, -0.5, -0.49, -0.07, -0.0249, -1e-6, 0, 1e-9, 0.0249, 0.025, 0.03, 0.0499, 0.05, 0.3, 0.5, 0.51, 7, 60} {
		if got := phi(x); !near(got, direct(x)) {
			t.Errorf("φ(%g) = %.17g, want %.17g", x, got, direct(x))
		}
		p1, p2, e2 := phiPair(x)
		okE := near(e2, math.Exp(2*x)) || (x < stiffX && math.Abs(e2-math.Exp(2*x)) <= 1e-34)
		if !near(p1, direct(x)) || !near(p2, direct(2*x)) || !okE {
			t.Errorf("x = %g: φ(x), φ(2x), e^(2x) = %.17g, %.17g, %.17g; want %.17g, %.17g, %.17g", x, p1, p2, e2, direct(x), direct(2*x), math.Exp(2*x))
		}
	}
}

// The equilibrium profile found by false position equals the one found
// by plain bisection in ln c_top over the same bracket (48 halvings),
// cell by cell to 1e-11 relative, for a step, a linear and a
// self-forming (uniform) start in each medium.
func TestEquilibriumShooting(t *testing.T) {
	l := testLib(t)
	cases := []Params{
		onodi(Isopycnic),
		{Mode: RateZonal, Medium: "sucrose", FromPercent: 5, ToPercent: 20, SampleML: 0.5, Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 30, Fractions: 12},
		{Mode: Isopycnic, Medium: "cscl", Shape: ShapeUniform, FromDensityGPerML: 1.3, Rotor: "SW 55 Ti", RPM: 50000, Minutes: 600, Fractions: 10},
		{Mode: Isopycnic, Medium: "iodixanol", Shape: ShapeUniform, FromPercent: 30, Rotor: "SW 41 Ti", RPM: 40000, Minutes: 600, Fractions: 10},
	}
	for _, p := range cases {
		run, err := l.Compute(p, Sample{})
		if err != nil {
			t.Fatal(err)
		}
		c0 := run.conc[0]
		got := run.equilibriumConcentration(c0)
		var mass float64
		for _, x := range c0 {
			mass += x
		}
		ft := run.med.at(run.TemperatureC)
		want := make([]float64, len(c0))
		lo, hi := math.Log(mass/float64(len(c0)))-60, math.Log(mass/float64(len(c0)))
		for it := 0; it < 48; it++ {
			mid := (lo + hi) / 2
			if run.equilibriumProfile(ft, math.Exp(mid), want) < mass {
				lo = mid
			} else {
				hi = mid
			}
		}
		run.equilibriumProfile(ft, math.Exp((lo+hi)/2), want)
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-11*want[i] {
				t.Errorf("%s %s: cell %d: %.15g kg/m³, bisection %.15g", p.Medium, p.Shape, i, got[i], want[i])
				break
			}
		}
	}
}

// A slice that follows its neighbour's recorded substeps ends exactly
// (bit for bit) where integrating it on its own does: every slice of
// every node of a 24 h isopycnic and a 30 min rate-zonal run, recomputed
// without a lead, gives the same means, variances, wall shares and
// relaxation number. The isopycnic run must have followed somewhere, or
// the test would not test it.
func TestFollowingSlicesExact(t *testing.T) {
	l := testLib(t)
	for _, p := range []Params{
		onodi(Isopycnic),
		{Mode: RateZonal, Medium: "sucrose", FromPercent: 5, ToPercent: 20, SampleML: 0.5, Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 30, Fractions: 12},
	} {
		run, err := l.Compute(p, sampleOf(t, l, plasmaCounts, 8, 3))
		if err != nil {
			t.Fatal(err)
		}
		levels := len(run.TimesS)
		var logs [2]pathLog
		for i := range logs {
			logs[i].first = make([]int, levels)
		}
		zTop, zBot := run.sampleZone()
		followed := 0
		for _, sp := range run.spec {
			for _, nr := range sp.nodes {
				k := len(nr.parts)
				width := (zBot - zTop) / float64(k)
				pa := run.particle(nr.s.DiameterM, nr.s.DensityKgM3)
				var relax float64
				for j, got := range nr.parts {
					want := partRun{mean: make([]float64, levels), vari: make([]float64, levels), pel: make([]float64, levels), flo: make([]float64, levels),
						sRho: make([]float64, levels), sDia: make([]float64, levels)}
					relax += got.w * run.trajectory(&want, &pa, &nr.s, zTop+(float64(j)+0.5)*width, width*width/12, nil, nil, &logs[0])
					for lv := 0; lv < levels; lv++ {
						if got.mean[lv] != want.mean[lv] || got.vari[lv] != want.vari[lv] || got.pel[lv] != want.pel[lv] || got.flo[lv] != want.flo[lv] ||
							got.sRho[lv] != want.sRho[lv] || got.sDia[lv] != want.sDia[lv] {
							t.Fatalf("%s %s d = %.3g m slice %d level %d: (%v %v %v %v), alone (%v %v %v %v)", p.Mode, sp.id, nr.s.DiameterM, j, lv,
								got.mean[lv], got.vari[lv], got.pel[lv], got.flo[lv], want.mean[lv], want.vari[lv], want.pel[lv], want.flo[lv])
						}
					}
					if j > 0 && got.mean[levels-2] == nr.parts[j-1].mean[levels-2] && got.vari[levels-2] == nr.parts[j-1].vari[levels-2] {
						followed++
					}
				}
				if relax != nr.relax {
					t.Errorf("%s %s: relaxation %v, alone %v", p.Mode, sp.id, nr.relax, relax)
				}
			}
		}
		if p.Mode == Isopycnic && followed == 0 {
			t.Errorf("isopycnic: no slice ended equal to its neighbour; the following path was not exercised")
		}
	}
}
