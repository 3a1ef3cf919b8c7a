package protocol

import (
	"math"
	"testing"

	"exosep/engine/lamm"
	"exosep/engine/sediment"
)

// lammCases are the spins where the presets use the Lamm solver: soluble
// protein and small lipoproteins pelleting at 100,000–110,000 × g in a
// fixed-angle, a swinging-bucket and a benchtop rotor.
func lammCases(t testing.TB) (*Library, []struct {
	name  string
	input string
	step  Step
}) {
	lib, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return lib, []struct {
		name  string
		input string
		step  Step
	}{
		{"Type 70 Ti CM", "msc-cm", Step{Kind: KindSpin, Rotor: "Type 70 Ti", RCF: 100000, RCFAt: "avg", Minutes: 70, Keep: KeepPellet}},
		{"SW 41 Ti CM 4 h", "msc-cm", Step{Kind: KindSpin, Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 240, Keep: KeepPellet}},
		{"TLA-100.3 plasma", "plasma", Step{Kind: KindSpin, Rotor: "TLA-100.3", RCF: 110000, RCFAt: "avg", Minutes: 90, Keep: KeepPellet}},
		{"SW 41 Ti plasma", "plasma", Step{Kind: KindSpin, Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 70, Keep: KeepPellet}},
	}
}

// keptBy runs one spin step on a fresh input and returns the kept fraction
// of every node of the species that used the Lamm solver.
func keptBy(t testing.TB, lib *Library, input string, s Step) map[string][]float64 {
	p := Protocol{Name: "one spin", Input: input, VolumeML: 10, Steps: []Step{s}}
	if probs := lib.Validate(p); len(probs) > 0 {
		t.Fatal(probs)
	}
	in, _ := lib.Input(input)
	r := &runner{lib: lib, input: in, vessels: 1, inputFraction: 1, volumeM3: 10e-6}
	r.initSpecies()
	var sr StepResult
	if err := r.spin(1, s, &sr); err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for i, sp := range r.species {
		for _, id := range sr.Spin.LammSpecies {
			if id == sp.id {
				out[id] = append([]float64(nil), r.kept[i]...)
			}
		}
	}
	return out
}

// The Lamm discretisation the engine uses (6 + 16 cells, 16 steps of which
// 2 per ramp) against a 10×-finer one in space and time: every node's kept
// fraction
// within 1 % relative — the same tolerance that decides where the Lamm
// solver is needed at all (lammTolerance).
func TestLammResolutionConverged(t *testing.T) {
	lib, cases := lammCases(t)
	for _, c := range cases {
		coarse := keptBy(t, lib, c.input, c.step)
		if len(coarse) == 0 {
			t.Fatalf("%s: no species used the Lamm solver; the test would be vacuous", c.name)
		}
		b, a, st, rs := lammBelow, lammAbove, lammSteps, lammRampSteps
		lammBelow, lammAbove, lammSteps, lammRampSteps = 10*b, 10*a, 10*st, 10*rs
		fine := keptBy(t, lib, c.input, c.step)
		lammBelow, lammAbove, lammSteps, lammRampSteps = b, a, st, rs
		for id, ks := range coarse {
			worst := 0.0
			for j, k := range ks {
				worst = math.Max(worst, math.Abs(k/fine[id][j]-1))
			}
			t.Logf("%s %s: largest relative deviation %.2e over %d nodes", c.name, id, worst, len(ks))
			if worst > lammTolerance {
				t.Errorf("%s %s: kept fraction off by %.2e relative from the fine solve, want ≤ %g", c.name, id, worst, lammTolerance)
			}
		}
	}
}

// speciesKept runs one spin on a fresh input and returns each species'
// kept fraction (kept / in) with the current quadrature.
func speciesKept(t testing.TB, lib *Library, input string, s Step) map[string]float64 {
	p := Protocol{Name: "one spin", Input: input, VolumeML: 10, Steps: []Step{s}}
	res, err := lib.Run(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for id, f := range res.Steps[0].Species {
		if f.In > 0 {
			out[id] = f.Kept / f.In
		}
	}
	return out
}

// The quadrature the engine uses (16 × 4 nodes, 6 × 3 for species below
// 40 nm) against a 4×-finer one in each direction: every species' kept
// fraction within 2e-3 absolute and 1 % relative, for pellets and
// supernatants from 2,000 × g to 110,000 × g in three rotor types.
func TestQuadratureConverged(t *testing.T) {
	lib, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		input string
		step  Step
	}{
		{"msc-cm", Step{Kind: KindSpin, Rotor: "Type 70 Ti", RCF: 10000, RCFAt: "avg", Minutes: 30, Keep: KeepSupernatant}},
		{"msc-cm", Step{Kind: KindSpin, Rotor: "Type 70 Ti", RCF: 100000, RCFAt: "avg", Minutes: 70, Keep: KeepPellet}},
		{"msc-cm", Step{Kind: KindSpin, Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 70, Keep: KeepPellet}},
		{"msc-cm", Step{Kind: KindSpin, Rotor: "Sorvall SS-34", RCF: 2000, RCFAt: "avg", Minutes: 10, Keep: KeepSupernatant}},
		{"plasma", Step{Kind: KindSpin, Rotor: "TLA-100.3", RCF: 110000, RCFAt: "avg", Minutes: 90, Keep: KeepPellet}},
		{"plasma", Step{Kind: KindSpin, Rotor: "TLA-100.3", RCF: 10000, RCFAt: "avg", Minutes: 30, Keep: KeepSupernatant}},
	}
	for _, c := range cases {
		coarse := speciesKept(t, lib, c.input, c.step)
		fnd, fnr, snd, snr := fineND, fineNR, smallND, smallNR
		fineND, fineNR, smallND, smallNR = 4*fnd, 4*fnr, 4*snd, 4*snr
		fine := speciesKept(t, lib, c.input, c.step)
		fineND, fineNR, smallND, smallNR = fnd, fnr, snd, snr
		for id, k := range coarse {
			d := math.Abs(k - fine[id])
			t.Logf("%s %s %g×g %s: %s kept %.5f, fine %.5f", c.input, c.step.Rotor, c.step.RCF, c.step.Keep, id, k, fine[id])
			if d > 2e-3 && d > 0.01*fine[id] {
				t.Errorf("%s %s %g×g %s: %s kept %.5f, 4×-finer quadrature %.5f", c.input, c.step.Rotor, c.step.RCF, c.step.Keep, id, k, fine[id])
			}
		}
	}
}

// spinEnvFor sets up one spin's environment as Run does.
func spinEnvFor(t testing.TB, lib *Library, input string, s Step) (*runner, *spinEnv) {
	in, _ := lib.Input(input)
	r := &runner{lib: lib, input: in, vessels: 1, inputFraction: 1, volumeM3: 10e-6}
	r.initSpecies()
	var sr StepResult
	if err := r.spin(1, s, &sr); err != nil {
		t.Fatal(err)
	}
	return r, r.lastEnv
}

// As D → 0 the Lamm solution the engine uses (its own coarse mesh) must
// reproduce the no-diffusion closed form. Swinging bucket: within 1e-4
// relative (the exact plateau and pile, less the numerical diffusion of the
// meniscus depletion on the coarse upper cells). Fixed angle: the closed
// form uses the chord formula, the Lamm slab its small-ξ equivalent
// ξ·4/π, which differ by (2/3π)ξ³ + O(ξ⁵) (series of the chord formula);
// tolerance 1.2 × that + 1e-6.
func TestLammMatchesClosedFormWithoutDiffusion(t *testing.T) {
	lib, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, rot := range []string{"SW 41 Ti", "Type 70 Ti"} {
		_, e := spinEnvFor(t, lib, "msc-cm", Step{Kind: KindSpin, Rotor: rot, RCF: 100000, RCFAt: "avg", Minutes: 70, Keep: KeepPellet})
		for _, d := range []float64{7.2e-9, 12e-9, 25e-9} {
			k, _, _, s := e.closedForm(d, 1150)
			var lk float64
			var sol lamm.Solver
			p := lamm.Problem{Geometry: e.geom, TopM: e.top, BottomM: e.bottom, OmegaRadS: e.omega, FieldRadiusM: e.fieldR,
				AccelS: e.accelS, HoldS: e.holdS, DecelS: e.decelS, Faces: e.faces, Steps: 600, RampSteps: 100}
			if err := sol.SolveMany(p, []float64{s}, []float64{0}, func(_ int, x lamm.Solution) {
				lk = x.AmountBetween(e.split, e.bottom) / (e.bottom - e.top)
			}); err != nil {
				t.Fatal(err)
			}
			tol := 1e-4 * k
			if e.geom == lamm.Slab {
				xi := s * e.omega * e.omega * e.fieldR * e.effS * e.cosAngle / e.r.TubeDiameterM
				if xi > 0.3 {
					continue // the small-ξ equivalence no longer holds
				}
				tol = 1.2*2/(3*math.Pi)*xi*xi*xi + 1e-6
			}
			if math.Abs(lk-k) > tol {
				t.Errorf("%s, %g nm: Lamm (D → 0) keeps %.8f, closed form %.8f (tolerance %.2g)", rot, d*1e9, lk, k, tol)
			}
		}
	}
}

// The damage table (16 points in ln s over the species' range, 8 arrival
// intervals) against a 4×-finer tabulation: within 2e-3 absolute for every
// exosome node of a 4 h, 100,000 × g pellet in both rotor types.
func TestDamageTableConverged(t *testing.T) {
	lib, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, rot := range []string{"SW 41 Ti", "Type 70 Ti"} {
		r, e := spinEnvFor(t, lib, "msc-cm", Step{Kind: KindSpin, Rotor: rot, RCF: 100000, RCFAt: "avg", Minutes: 240, Keep: KeepPellet})
		var sLo, sHi = math.Inf(1), 0.0
		var ss []float64
		for _, sp := range r.species {
			if sp.id != ExosomeID {
				continue
			}
			for _, nd := range sp.nodes {
				s := sediment.Coefficient(nd.d, nd.rho, e.rhoM, e.eta)
				ss = append(ss, s)
				sLo, sHi = math.Min(sLo, s), math.Max(sHi, s)
			}
		}
		e.damageTable(&lib.Model, sLo, sHi) // the exosomes' table, as speciesSpin builds it
		coarse := make([]float64, len(ss))
		for i, s := range ss {
			coarse[i] = e.damageAt(s)
		}
		g, n := damageGrid, damageIntervals
		damageGrid, damageIntervals = 4*g, 4*n
		e.damageTable(&lib.Model, sLo, sHi)
		damageGrid, damageIntervals = g, n
		worst := 0.0
		for i, s := range ss {
			worst = math.Max(worst, math.Abs(coarse[i]-e.damageAt(s)))
		}
		t.Logf("%s: damage table within %.2e of the 4×-finer one", rot, worst)
		if worst > 2e-3 || coarse[0] < 0.1 {
			t.Errorf("%s: damage table off by %.2e (smallest-node damage %.3f)", rot, worst, coarse[0])
		}
	}
}
