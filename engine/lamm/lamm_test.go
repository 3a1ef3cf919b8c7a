package lamm_test

import (
	"math"
	"strings"
	"testing"

	"exosep/engine/lamm"
	"exosep/engine/sediment"
)

// An analytical-ultracentrifuge cell: meniscus 5.9 cm, bottom 7.2 cm (the
// usual 12 mm double-sector cell), 50,000 rpm.
const (
	rMeniscus = 0.059
	rBottom   = 0.072
	rpm50k    = 50000.0
)

func omega(rpm float64) float64 { return 2 * math.Pi * rpm / 60 }

func solve(t *testing.T, p lamm.Problem) lamm.Solution {
	t.Helper()
	s, err := lamm.Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// With D = 0 the Lamm equation has the closed-form solution of a sharp
// boundary leaving the meniscus, r_b(t) = r_m e^(sω²t), above a plateau
// diluted radially: c0 e^(−2sω²t) in a sector, c0 e^(−sω²t) in a cylinder
// (Svedberg & Pedersen 1940; physics-data.md §1). The upwinded scheme
// smears the boundary but keeps the plateau and the equivalent (second
// moment) boundary; BDF2's time error at 400 steps is below 1e-6, the
// tolerance 1e-5 allows for the partial cells at the plateau point.
func TestNoDiffusionAnalytic(t *testing.T) {
	for _, tt := range []struct {
		geom     lamm.Geometry
		tau      float64 // s ω² t
		dilution float64 // plateau exponent per τ: 2 sector, 1 cylinder
	}{
		{lamm.Sector, 0.05, 2},
		{lamm.Sector, 0.12, 2},
		{lamm.Cylinder, 0.05, 1},
		{lamm.Cylinder, 0.12, 1},
	} {
		w := omega(rpm50k)
		s := 1e-12 // 10 S
		hold := tt.tau / (s * w * w)
		sol := solve(t, lamm.Problem{Geometry: tt.geom, TopM: rMeniscus, BottomM: rBottom, SedimentationS: s,
			OmegaRadS: w, HoldS: hold, Cells: 2600, Steps: 400})
		rb := rMeniscus * math.Exp(tt.tau)
		rp := (rb + rBottom) / 2 // a point in the plateau
		if got, want := sol.ConcentrationAt(rp), math.Exp(-tt.dilution*tt.tau); math.Abs(got/want-1) > 1e-5 {
			t.Errorf("%s τ=%g: plateau %.8f, want e^(−%g τ) = %.8f", tt.geom, tt.tau, got, tt.dilution, want)
		}
		if got := sol.EquivalentBoundary(rp); math.Abs(got/rb-1) > 1e-5 {
			t.Errorf("%s τ=%g: boundary %.7f m, want r_m e^τ = %.7f m", tt.geom, tt.tau, got, rb)
		}
		// Nothing above the boundary (upwinding smears it over a few
		// hundred cells' width: check well above it).
		if c := sol.ConcentrationAt(rMeniscus + 0.5*(rb-rMeniscus)); c > 1e-6 {
			t.Errorf("%s τ=%g: c = %g halfway to the boundary, want 0", tt.geom, tt.tau, c)
		}
	}
}

// In a cylinder with D = 0 the solute below a depth δ from the bottom is
// r_max − (r_max − δ)e^(−x) per unit area (x = sω²t, before the boundary
// passes r_max − δ): the pellet of package sediment's Livshits formula plus
// the plateau left in the layer. Lamm and sediment must agree (tolerance
// 1e-6 of the column: time discretisation).
func TestCylinderMatchesSedimentPellet(t *testing.T) {
	rmin, rmax := 0.0674, 0.1531 // SW 41 Ti
	delta := 0.43e-3             // 66 µL over a 14 mm tube
	w := omega(24000)
	for _, x := range []float64{0.001, 0.05, 0.4} {
		s := 1e-11
		hold := x / (s * w * w)
		faces := lamm.SplitFaces(rmin, rmax-delta, rmax, delta/20, 40, 800)
		sol := solve(t, lamm.Problem{Geometry: lamm.Cylinder, TopM: rmin, BottomM: rmax, SedimentationS: s, OmegaRadS: w, HoldS: hold, Faces: faces, Steps: 1000})
		L := rmax - rmin
		got := sol.AmountBetween(rmax-delta, rmax) / L
		pellet := sediment.SwingingPelleted(rmin, rmax, x)
		want := pellet + math.Exp(-x)*delta/L
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("x=%g: bottom layer holds %.8f of the column, sediment gives %.8f (pellet %.8f)", x, got, want, pellet)
		}
	}
}

// Speed ramps: the no-diffusion solution depends on ∫ω²dt, which for linear
// ramps of τa and τd around a hold H is ω²(H + (τa + τd)/3). Plateau in a
// cylinder e^(−s∫ω²dt) within 1e-5 (time discretisation of the ramps).
func TestRampsIntegrateOmegaSquared(t *testing.T) {
	w := omega(rpm50k)
	s := 1e-12
	p := lamm.Problem{Geometry: lamm.Cylinder, TopM: rMeniscus, BottomM: rBottom, SedimentationS: s, OmegaRadS: w,
		AccelS: 240, HoldS: 3600, DecelS: 300, Cells: 1300, Steps: 600}
	x := s * w * w * (p.HoldS + (p.AccelS+p.DecelS)/3)
	sol := solve(t, p)
	rp := (rMeniscus*math.Exp(x) + rBottom) / 2
	if got, want := sol.ConcentrationAt(rp), math.Exp(-x); math.Abs(got/want-1) > 1e-5 {
		t.Errorf("plateau %.8f, want e^(−s∫ω²dt) = %.8f", got, want)
	}
	if got, want := sol.EquivalentBoundary(rp), rMeniscus*math.Exp(x); math.Abs(got/want-1) > 1e-5 {
		t.Errorf("boundary %.7f, want %.7f", got, want)
	}
}

// Finite volumes with no-flux ends conserve the solute to round-off: every
// geometry, with and without diffusion, ramps, flotation, graded meshes, a
// synthetic boundary, both integrators. Tolerance 1e-10 relative: tens of
// tridiagonal solves on meshes whose cells span six decades. Backward Euler
// also keeps every concentration ≥ 0 (its matrix is an M-matrix).
func TestMassConservation(t *testing.T) {
	w := omega(40000)
	graded := lamm.GradedFaces(rMeniscus, rBottom, 1e-6, 60)
	for _, p := range []lamm.Problem{
		{Geometry: lamm.Sector, SedimentationS: 4.3e-13, DiffusionM2S: 6e-11, HoldS: 3600, Cells: 200, Steps: 50},
		{Geometry: lamm.Sector, SedimentationS: 1e-11, HoldS: 7200, Cells: 50, Steps: 20},
		{Geometry: lamm.Cylinder, SedimentationS: -3e-12, DiffusionM2S: 1e-11, AccelS: 300, HoldS: 1000, DecelS: 300, Cells: 120, Steps: 40},
		{Geometry: lamm.Cylinder, SedimentationS: 5e-13, DiffusionM2S: 5e-11, HoldS: 36000, Faces: graded, Steps: 30},
		{Geometry: lamm.Slab, FieldRadiusM: 0.065, SedimentationS: 2e-12, DiffusionM2S: 2e-11, HoldS: 5000, Cells: 80, Steps: 25},
		{Geometry: lamm.Sector, DiffusionM2S: 1e-10, HoldS: 3600, BoundaryM: 0.065, Cells: 100, Steps: 10},
	} {
		for _, scheme := range []lamm.Scheme{lamm.BDF2, lamm.Euler} {
			p.TopM, p.BottomM, p.OmegaRadS, p.Scheme = rMeniscus, rBottom, w, scheme
			sol := solve(t, p)
			initial := rBottom - rMeniscus
			switch {
			case p.Geometry == lamm.Sector && p.BoundaryM > 0:
				initial = (rBottom*rBottom - p.BoundaryM*p.BoundaryM) / 2
			case p.Geometry == lamm.Sector:
				initial = (rBottom*rBottom - rMeniscus*rMeniscus) / 2
			case p.BoundaryM > 0:
				initial = rBottom - p.BoundaryM
			}
			if got := sol.Total(); math.Abs(got/initial-1) > 1e-10 {
				t.Errorf("%s %q s=%g D=%g: total %.15g, initial %.15g (rel. error %.1e)", p.Geometry, scheme, p.SedimentationS, p.DiffusionM2S, got, initial, got/initial-1)
			}
			if scheme != lamm.Euler {
				continue
			}
			for i, c := range sol.C {
				if c < 0 {
					t.Errorf("%s backward Euler: negative concentration %g in cell %d", p.Geometry, c, i)
					break
				}
			}
		}
	}
}

// masonWeaver is the exact series solution of Mason & Weaver (1924, Phys
// Rev 23:412) for a settling column of height L with no flux at both ends,
// uniform initial concentration 1, in the dimensionless variables
// y = depth/L (0 top, 1 bottom), τ = vt/L, α = D/(vL):
//
//	c = e^(y/α) / (α(e^(1/α) − 1))
//	  + 16πα² e^((2y − τ)/(4α)) Σₘ e^(−απ²m²τ) m [1 − (−1)ᵐ e^(−1/(2α))]
//	    [sin(mπy) + 2πmα cos(mπy)] / (1 + 4π²m²α²)²
func masonWeaver(y, tau, alpha float64) float64 {
	c := math.Exp((y-1)/alpha) / (alpha * -math.Expm1(-1/alpha))
	pre := 16 * math.Pi * alpha * alpha * math.Exp((2*y-tau)/(4*alpha))
	var sum float64
	for m := 1; m < 100000; m++ {
		fm := float64(m)
		decay := math.Exp(-alpha * math.Pi * math.Pi * fm * fm * tau)
		sign := 1.0
		if m%2 == 1 {
			sign = -1
		}
		den := 1 + 4*math.Pi*math.Pi*fm*fm*alpha*alpha
		term := decay * fm * (1 - sign*math.Exp(-1/(2*alpha))) * (math.Sin(fm*math.Pi*y) + 2*math.Pi*fm*alpha*math.Cos(fm*math.Pi*y)) / (den * den)
		sum += term
		if decay/(den*den) < 1e-18 {
			break
		}
	}
	return c + pre*sum
}

// The slab against the exact Mason–Weaver series with diffusion: profiles
// within 2e-4 of the column's initial concentration (2,000 cells: the
// scheme's O(h²) error is ~1e-5 where the profile curves most).
func TestSlabAgainstMasonWeaver(t *testing.T) {
	const L = 0.01
	for _, tt := range []struct{ alpha, tau float64 }{{0.1, 0.3}, {0.1, 1.2}, {0.5, 0.2}, {0.5, 1}, {0.05, 0.6}} {
		s, w, rf := 1e-12, omega(30000), 0.07
		v := s * w * w * rf
		p := lamm.Problem{Geometry: lamm.Slab, TopM: 0, BottomM: L, SedimentationS: s, DiffusionM2S: tt.alpha * v * L,
			OmegaRadS: w, FieldRadiusM: rf, HoldS: tt.tau * L / v, Cells: 2000, Steps: 800}
		sol := solve(t, p)
		worst := 0.0
		for i, x := range sol.Centers() {
			want := masonWeaver(x/L, tt.tau, tt.alpha)
			worst = math.Max(worst, math.Abs(sol.C[i]-want))
		}
		if worst > 2e-4 {
			t.Errorf("α=%g τ=%g: largest deviation from Mason–Weaver %.2e, want ≤ 2e-4", tt.alpha, tt.tau, worst)
		}
	}
}

// A synthetic boundary spreading by diffusion alone (s = 0) in a long slab
// follows the erfc solution for an initial step (Crank, The Mathematics of
// Diffusion, 2nd ed. 1975, §2.3): c = ½ erfc((x₀ − x)/(2√(Dt))), and the
// gradient's variance grows as 2Dt. Tolerances: profile 5e-4 (cell size
// L/2000 against a boundary 2√(Dt) ≈ L/20 wide), variance 0.5 %.
func TestSyntheticBoundarySpreading(t *testing.T) {
	const L, x0, D = 0.02, 0.01, 6e-11
	for _, hours := range []float64{0.5, 2, 6} {
		tS := hours * 3600
		sol := solve(t, lamm.Problem{Geometry: lamm.Slab, TopM: 0, BottomM: L, DiffusionM2S: D, HoldS: tS, BoundaryM: x0, Cells: 2000, Steps: 200})
		xs := sol.Centers()
		worst := 0.0
		for i, x := range xs {
			want := 0.5 * math.Erfc((x0-x)/(2*math.Sqrt(D*tS)))
			worst = math.Max(worst, math.Abs(sol.C[i]-want))
		}
		if worst > 5e-4 {
			t.Errorf("%g h: profile deviates from ½erfc by %.2e", hours, worst)
		}
		// Variance of the gradient dc/dx, located at the faces.
		var m0, m1, m2 float64
		for i := 1; i < len(xs); i++ {
			g := sol.C[i] - sol.C[i-1]
			x := sol.Faces[i]
			m0 += g
			m1 += g * x
			m2 += g * x * x
		}
		mean := m1 / m0
		variance := m2/m0 - mean*mean
		if want := 2 * D * tS; math.Abs(variance/want-1) > 5e-3 {
			t.Errorf("%g h: gradient variance %.4g m², want 2Dt = %.4g m²", hours, variance, want)
		}
		if math.Abs(mean-x0) > 1e-7 {
			t.Errorf("%g h: boundary moved to %g m without a field", hours, mean)
		}
	}
}

// With diffusion the second-moment boundary still moves exactly as
// r_m e^(sω²t) and the plateau still dilutes as e^(−2sω²t) (Goldberg 1953:
// exact whenever the meniscus is depleted and a flat plateau remains).
// A solute of 4.3 S and 2e-11 m²/s at 60,000 rpm; the plateau
// point lies > 4 boundary widths 2√(Dt) below the boundary and > 30 pile-up
// thicknesses D/v above the bottom. Tolerance 2e-5 (time discretisation).
func TestSecondMomentWithDiffusion(t *testing.T) {
	w := omega(60000)
	s, D := 4.3e-13, 2e-11
	for _, tau := range []float64{0.08, 0.12} {
		hold := tau / (s * w * w)
		faces := lamm.GradedFaces(rMeniscus, rBottom, 2e-7, 1500)
		sol := solve(t, lamm.Problem{Geometry: lamm.Sector, TopM: rMeniscus, BottomM: rBottom, SedimentationS: s, DiffusionM2S: D,
			OmegaRadS: w, HoldS: hold, Faces: faces, Steps: 400})
		rb := rMeniscus * math.Exp(tau)
		rp := rb + 0.7*(rBottom-rb)
		if width, pile := 2*math.Sqrt(D*hold), D/(s*w*w*rBottom); rp-rb < 4*width || rBottom-rp < 30*pile {
			t.Fatalf("test set-up: plateau point too close to the boundary (%g m, width %g) or the bottom (%g m, pile %g)", rp-rb, width, rBottom-rp, pile)
		}
		if got, want := sol.ConcentrationAt(rp), math.Exp(-2*tau); math.Abs(got/want-1) > 2e-5 {
			t.Errorf("τ=%g: plateau %.7f, want %.7f", tau, got, want)
		}
		if got := sol.EquivalentBoundary(rp); math.Abs(got/rb-1) > 2e-5 {
			t.Errorf("τ=%g: second-moment boundary %.7f m, want r_m e^(sω²t) = %.7f m", tau, got, rb)
		}
	}
}

// Long runs reach sedimentation equilibrium: zero flux, so
// D dc/dr = sω²r c and c ∝ exp(sω²r²/(2D)) in a sector (Svedberg &
// Pedersen 1940), normalised to the initial amount. Tolerance 1e-3
// relative (cell size against the exponential's scale).
func TestSedimentationEquilibrium(t *testing.T) {
	w := omega(12000)
	s, D := 4.3e-13, 6e-11
	// Time ≫ (r_b − r_m)²/D ≈ 2.8e6 s.
	sol := solve(t, lamm.Problem{Geometry: lamm.Sector, TopM: rMeniscus, BottomM: rBottom, SedimentationS: s, DiffusionM2S: D,
		OmegaRadS: w, HoldS: 3e7, Cells: 400, Steps: 2000})
	k := s * w * w / (2 * D)
	// Normalisation: ∫ A e^(k r²) r dr = (e^(k rb²) − e^(k rm²))/(2k) = (rb² − rm²)/2.
	norm := (rBottom*rBottom - rMeniscus*rMeniscus) / 2 * 2 * k / (math.Exp(k*rBottom*rBottom) - math.Exp(k*rMeniscus*rMeniscus))
	if ratio := math.Exp(k * (rBottom*rBottom - rMeniscus*rMeniscus)); ratio < 2 {
		t.Fatalf("test set-up: bottom/meniscus ratio %g too flat to test", ratio)
	}
	for i, r := range sol.Centers() {
		want := norm * math.Exp(k*r*r)
		if math.Abs(sol.C[i]/want-1) > 1e-3 {
			t.Fatalf("r=%.5f: c = %.6f, equilibrium %.6f", r, sol.C[i], want)
		}
	}
}

func TestValidateNamesFieldAndRange(t *testing.T) {
	good := lamm.Problem{Geometry: lamm.Sector, TopM: rMeniscus, BottomM: rBottom, SedimentationS: 1e-12, OmegaRadS: 5000, HoldS: 60, Cells: 10, Steps: 5}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		mod  func(*lamm.Problem)
		want string
	}{
		{func(p *lamm.Problem) { p.Geometry = "cone" }, `geometry "cone" must be sector, cylinder or slab`},
		{func(p *lamm.Problem) { p.BottomM = 0.05 }, "bottom 0.05 m must be greater than top 0.059 m"},
		{func(p *lamm.Problem) { p.DiffusionM2S = -1 }, "diffusion coefficient -1 m²/s must be ≥ 0"},
		{func(p *lamm.Problem) { p.HoldS = 0 }, "total time 0 s must be > 0"},
		{func(p *lamm.Problem) { p.Cells = 0 }, "cells 0 outside the allowed range 1–100000"},
		{func(p *lamm.Problem) { p.Steps = 0 }, "steps 0 outside the allowed range 1–1000000"},
		{func(p *lamm.Problem) { p.BoundaryM = 0.08 }, "synthetic boundary 0.08 m must lie between"},
		{func(p *lamm.Problem) { p.Faces = []float64{rMeniscus, 0.07, 0.065, rBottom} }, "mesh faces must increase"},
		{func(p *lamm.Problem) { p.Geometry, p.FieldRadiusM = lamm.Slab, 0 }, "field radius 0 m must be > 0 for a slab"},
		{func(p *lamm.Problem) { p.Scheme = "rk4" }, `scheme "rk4" must be`},
		{func(p *lamm.Problem) { p.RampSteps = -1 }, "ramp steps -1 outside the allowed range 0–1000000"},
	} {
		p := good
		tt.mod(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("err = %v, want %q", err, tt.want)
		}
		if _, err := lamm.Solve(p); err == nil {
			t.Errorf("Solve accepted %q", tt.want)
		}
	}
}

func TestMeshes(t *testing.T) {
	f := lamm.GradedFaces(0.06, 0.07, 1e-6, 40)
	if len(f) != 41 || f[0] != 0.06 || f[40] != 0.07 {
		t.Fatalf("graded mesh ends: %d faces, %g–%g", len(f), f[0], f[len(f)-1])
	}
	if h := f[40] - f[39]; math.Abs(h/1e-6-1) > 1e-9 {
		t.Errorf("finest cell %g, want 1e-6", h)
	}
	for i := 1; i < len(f); i++ {
		if !(f[i] > f[i-1]) {
			t.Fatalf("graded mesh not increasing at %d", i)
		}
	}
	// Coarser than uniform: equal cells.
	if u := lamm.GradedFaces(0, 1, 0.5, 4); math.Abs(u[1]-0.25) > 1e-15 {
		t.Errorf("uniform fallback %v", u)
	}
	s := lamm.SplitFaces(0.0674, 0.1527, 0.1531, 2e-5, 8, 20)
	if len(s) != 29 || s[20] != 0.1527 || s[0] != 0.0674 || s[28] != 0.1531 {
		t.Errorf("split mesh: %d faces, face 20 = %g", len(s), s[20])
	}
	for i := 1; i < len(s); i++ {
		if !(s[i] > s[i-1]) {
			t.Fatalf("split mesh not increasing at %d: %v", i, s)
		}
	}
}

// The size used by the protocol engine for soluble species.
func BenchmarkSolveProtocolSize(b *testing.B) {
	faces := lamm.SplitFaces(0.0674, 0.1531-0.43e-3, 0.1531, 0.43e-3/12, 10, 18)
	p := lamm.Problem{Geometry: lamm.Cylinder, TopM: 0.0674, BottomM: 0.1531, SedimentationS: 4.3e-13, DiffusionM2S: 6e-11,
		OmegaRadS: omega(26000), AccelS: 130, HoldS: 4200, DecelS: 130, Faces: faces, Steps: 24}
	var s lamm.Solver
	for b.Loop() {
		if _, err := s.Solve(p); err != nil {
			b.Fatal(err)
		}
	}
}

// SolveMany advances several systems together; each must equal Solve's
// result for the same coefficients to round-off (1e-14 absolute).
func TestSolveManyMatchesSolve(t *testing.T) {
	faces := lamm.SplitFaces(0.0674, 0.1531-0.43e-3, 0.1531, 0.43e-3/24, 8, 20)
	p := lamm.Problem{Geometry: lamm.Cylinder, TopM: 0.0674, BottomM: 0.1531, OmegaRadS: omega(26000),
		AccelS: 130, HoldS: 4200, DecelS: 130, Faces: faces, Steps: 24}
	sed := []float64{4.3e-13, 1e-12, -2e-12, 0, 3e-11}
	diff := []float64{6e-11, 3e-11, 2e-11, 5e-11, 0}
	var s lamm.Solver
	got := map[int][]float64{}
	if err := s.SolveMany(p, sed, diff, func(j int, sol lamm.Solution) { got[j] = append([]float64(nil), sol.C...) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(sed) {
		t.Fatalf("%d solutions for %d systems", len(got), len(sed))
	}
	for j := range sed {
		q := p
		q.SedimentationS, q.DiffusionM2S = sed[j], diff[j]
		one := solve(t, q)
		for i, c := range one.C {
			if math.Abs(got[j][i]-c) > 1e-14 {
				t.Fatalf("system %d cell %d: SolveMany %.17g, Solve %.17g", j, i, got[j][i], c)
			}
		}
	}
	if err := s.SolveMany(p, sed, diff[:2], func(int, lamm.Solution) {}); err == nil || !strings.Contains(err.Error(), "5 sedimentation and 2 diffusion") {
		t.Errorf("mismatched lists: err = %v", err)
	}
	if err := s.SolveMany(p, []float64{1e-12}, []float64{-1}, func(int, lamm.Solution) {}); err == nil || !strings.Contains(err.Error(), "diffusion coefficient -1") {
		t.Errorf("bad coefficient: err = %v", err)
	}
}

// Eighteen systems at once: the size of one small species' nodes.
func BenchmarkSolveMany18(b *testing.B) {
	faces := lamm.SplitFaces(0.0674, 0.1531-0.43e-3, 0.1531, 0.43e-3/24, 8, 20)
	p := lamm.Problem{Geometry: lamm.Cylinder, TopM: 0.0674, BottomM: 0.1531,
		OmegaRadS: omega(26000), AccelS: 130, HoldS: 4200, DecelS: 130, Faces: faces, Steps: 24}
	sed, diff := make([]float64, 18), make([]float64, 18)
	for j := range sed {
		sed[j] = 3e-13 * (1 + float64(j)/6)
		diff[j] = 6e-11 / (1 + float64(j)/10)
	}
	var s lamm.Solver
	for b.Loop() {
		if err := s.SolveMany(p, sed, diff, func(int, lamm.Solution) {}); err != nil {
			b.Fatal(err)
		}
	}
}

// As the field fades during deceleration, the pile-up at the bottom (held
// against diffusion by the field, thickness D/v) relaxes: the solute within
// a thin bottom layer falls during a 150 s deceleration, and resolving the
// ramp converges (4 steps per ramp within 0.3 % of 512; the engine's
// choice). A slab 11.8 mm long (a fixed-angle tube's path), layer 59 µm.
func TestDecelerationRelaxesPile(t *testing.T) {
	L, f := 0.0118, 0.005
	faces := lamm.SplitFaces(0, L*(1-f), L, L*f/18, 6, 16)
	base := lamm.Problem{Geometry: lamm.Slab, TopM: 0, BottomM: L, SedimentationS: 3e-13, DiffusionM2S: 2e-11, OmegaRadS: omega(50946),
		FieldRadiusM: 0.0379, HoldS: 5400, Faces: faces, Steps: 20}
	layer := func(p lamm.Problem) float64 {
		sol := solve(t, p)
		return sol.AmountBetween(L*(1-f), L) / L
	}
	atSpeed := layer(base)
	withDecel := base
	withDecel.DecelS, withDecel.RampSteps, withDecel.Steps = 150, 512, 532
	ref := layer(withDecel)
	if !(ref < 0.95*atSpeed) {
		t.Errorf("bottom layer holds %.5f after deceleration, %.5f at speed: want a clear loss to back-diffusion", ref, atSpeed)
	}
	withDecel.RampSteps, withDecel.Steps = 4, 24
	if got := layer(withDecel); math.Abs(got/ref-1) > 3e-3 {
		t.Errorf("4 ramp steps: %.5f, 512 ramp steps: %.5f", got, ref)
	}
}
