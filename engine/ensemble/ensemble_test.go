package ensemble_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"exosep/engine/catalog"
	"exosep/engine/ensemble"
	"exosep/engine/rotor"
	"exosep/engine/sediment"
	"exosep/engine/spin"
)

func params(t testing.TB, rotorName string, rcf, minutes float64) (*catalog.Catalog, spin.Params) {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Rotors.Find(rotorName)
	if err != nil {
		t.Fatal(err)
	}
	return c, spin.Params{Rotor: r, RPM: rotor.RPMForRCF(rcf, r.RMaxM), DurationS: minutes * 60, TemperatureC: 4, Medium: c.Media["water"]}
}

// The Monte Carlo of sampled particles agrees with the analytic pelleted
// (and floated) fraction integrated over each species' distribution,
// within 4 binomial standard errors plus the quadrature's 1e-3.
func TestMonteCarloAgreesWithAnalytic(t *testing.T) {
	const perSpecies = 20000
	for _, tt := range []struct {
		rotor        string
		rcf, minutes float64
	}{
		{"SW 41 Ti", 100000, 70},
		{"SW 41 Ti", 10000, 30},
		{"SW 28", 2000, 10},
		{"Type 70 Ti", 100000, 70},
		{"Type 45 Ti", 10000, 30},
		{"TLA-120.2", 100000, 15},
	} {
		c, p := params(t, tt.rotor, tt.rcf, tt.minutes)
		want, err := spin.Run(p, c.Species)
		if err != nil {
			t.Fatal(err)
		}
		e, err := ensemble.New(p, c.Species, perSpecies, rand.New(rand.NewPCG(7, 11)))
		if err != nil {
			t.Fatal(err)
		}
		e.Seek(p.DurationS)
		pel, flo := e.Fractions()
		for i, s := range want.Species {
			for _, pair := range [][2]float64{{pel[i], s.PelletedFraction}, {flo[i], s.FloatedFraction}} {
				got, exp := pair[0], pair[1]
				se := math.Sqrt(exp * (1 - exp) / perSpecies)
				if math.Abs(got-exp) > 4*se+1e-3 {
					t.Errorf("%s %g×g %g min, %s: Monte Carlo %.4f, analytic %.4f (4σ = %.4f)", tt.rotor, tt.rcf, tt.minutes, s.ID, got, exp, 4*se)
				}
			}
		}
	}
}

// Stepping in ticks reaches the same state as the closed-form Seek: the
// same particles pelleted (except those within one tick of the wall) and
// positions equal to 1e-9 m.
func TestStepMatchesSeek(t *testing.T) {
	for _, name := range []string{"SW 41 Ti", "Type 70 Ti"} {
		c, p := params(t, name, 100000, 70)
		a, _ := ensemble.New(p, c.Species, 500, rand.New(rand.NewPCG(1, 1)))
		b, _ := ensemble.New(p, c.Species, 500, rand.New(rand.NewPCG(1, 1)))
		dt := p.DurationS / 4200 // 1/60 s ticks at 1 s = 1 min
		for i := 0; i < 4200; i++ {
			a.Step(dt)
		}
		b.Seek(p.DurationS)
		if math.Abs(a.TimeS()-b.TimeS()) > 1e-6 {
			t.Fatalf("%s: time %g vs %g", name, a.TimeS(), b.TimeS())
		}
		differ := 0
		for i := range a.State {
			if a.State[i] != b.State[i] {
				differ++
				continue
			}
			if a.State[i] == ensemble.Free && (math.Abs(a.Axial[i]-b.Axial[i]) > 1e-9 || math.Abs(a.Across[i]-b.Across[i]) > 1e-9) {
				t.Errorf("%s particle %d: stepped (%g, %g), sought (%g, %g)", name, i, a.Axial[i], a.Across[i], b.Axial[i], b.Across[i])
			}
		}
		if differ > a.Len()/1000 {
			t.Errorf("%s: %d of %d particles differ in state", name, differ, a.Len())
		}
		ca, cb := a.Counts(), b.Counts()
		for i := range ca {
			if ca[i][0]+ca[i][1]+ca[i][2] != 500 || cb[i][0]+cb[i][1]+cb[i][2] != 500 {
				t.Errorf("%s: counts of species %d do not add up: %v %v", name, i, ca[i], cb[i])
			}
		}
	}
}

// Every particle stays inside the tube, and nothing is free at the walls.
func TestParticlesStayInTube(t *testing.T) {
	for _, name := range []string{"SW 41 Ti", "Type 45 Ti"} {
		c, p := params(t, name, 50000, 40)
		e, _ := ensemble.New(p, c.Species, 300, rand.New(rand.NewPCG(3, 3)))
		for k := 0; k <= 10; k++ {
			e.Seek(p.DurationS * float64(k) / 10)
			for i := 0; i < e.Len(); i++ {
				if e.Axial[i] < 0 || e.Axial[i] > e.TubeLengthM || math.Abs(e.Across[i]) > e.TubeRadiusM*(1+1e-12) {
					t.Fatalf("%s t=%d/10: particle %d at (%g, %g) outside %g × %g", name, k, i, e.Axial[i], e.Across[i], e.TubeLengthM, e.TubeRadiusM)
				}
			}
		}
	}
}

func TestSameSeedSameEnsemble(t *testing.T) {
	c, p := params(t, "SW 41 Ti", 100000, 70)
	a, _ := ensemble.New(p, c.Species, 100, rand.New(rand.NewPCG(5, 5)))
	b, _ := ensemble.New(p, c.Species, 100, rand.New(rand.NewPCG(5, 5)))
	d, _ := ensemble.New(p, c.Species, 100, rand.New(rand.NewPCG(6, 5)))
	same, other := true, true
	for i := range a.Axial {
		same = same && a.Axial[i] == b.Axial[i] && a.DiamM[i] == b.DiamM[i]
		other = other && a.Axial[i] == d.Axial[i]
	}
	if !same || other {
		t.Errorf("same seed identical: %v (want true); other seed identical: %v (want false)", same, other)
	}
	if _, err := ensemble.New(spin.Params{Rotor: p.Rotor, RPM: 1e6, DurationS: 1, Medium: p.Medium}, c.Species, 10, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("invalid params accepted")
	}
}

// BenchmarkStep20k measures one animation tick for 20,000 particles; the
// design target is < 1 ms per tick in WebAssembly (issue: Foundation).
func BenchmarkStep20k(b *testing.B) {
	for _, name := range []string{"SW 41 Ti", "Type 70 Ti"} {
		b.Run(name, func(b *testing.B) {
			c, p := params(b, name, 100000, 70)
			e, err := ensemble.New(p, c.Species, 2000, rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				b.Fatal(err)
			}
			dt := 1.0 // 1/60 s at 60× time scale
			b.ResetTimer()
			for b.Loop() {
				if e.TimeS() > p.DurationS {
					e.Seek(0)
				}
				e.Step(dt)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(e.Len()), "ns/particle")
		})
	}
}

// NewFromNodes draws particles only at the given nodes, in proportion to
// their weights, and its pelleted share agrees with the weight-averaged
// analytic fraction of the nodes (package sediment), within 4 binomial
// standard errors: the stage's protocol animation relies on this.
func TestNewFromNodesAgreesWithNodes(t *testing.T) {
	c, p := params(t, "Type 70 Ti", 100000, 70)
	ex, ok := c.SpeciesByID("exosome")
	if !ok {
		t.Fatal("no exosome species")
	}
	nodes := ex.Nodes(16, 4)
	// Skew the weights: the large half counts 5× (as after a spin that
	// kept the pellet), and one node has none.
	for i := range nodes {
		if i >= len(nodes)/2 {
			nodes[i].Weight *= 5
		}
	}
	nodes[0].Weight = 0
	const n = 40000
	e, err := ensemble.NewFromNodes(p, []ensemble.Population{{ID: "exosome", Nodes: nodes, N: n}, {ID: "empty", N: 10}}, rand.New(rand.NewPCG(3, 5)))
	if err != nil {
		t.Fatal(err)
	}
	if e.Len() != n || len(e.SpeciesIDs) != 2 {
		t.Fatalf("Len %d, species %v: want %d particles, 2 species (the empty one kept)", e.Len(), e.SpeciesIDs, n)
	}
	cond, _ := p.Conditions()
	var want, total float64
	for _, nd := range nodes {
		s := cond.SedimentationCoefficient(nd.DiameterM, nd.DensityKgM3)
		pel, _ := sediment.Fractions(p.Rotor, s, cond.Omega, p.DurationS)
		want += nd.Weight * pel
		total += nd.Weight
	}
	want /= total
	for i, d := range e.DiamM {
		if d == nodes[0].DiameterM && e.Species[i] == 0 && nodes[0].DiameterM != nodes[1].DiameterM {
			t.Fatalf("particle %d drawn at the zero-weight node", i)
		}
	}
	e.Seek(p.DurationS)
	pel, _ := e.Fractions()
	if se := math.Sqrt(want * (1 - want) / n); math.Abs(pel[0]-want) > 4*se {
		t.Errorf("pelleted %.4f on the ensemble, %.4f from the nodes (4σ = %.4f)", pel[0], want, 4*se)
	}
	if _, err := ensemble.NewFromNodes(p, []ensemble.Population{{ID: "x", N: -1}}, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("N = -1 accepted")
	}
}
