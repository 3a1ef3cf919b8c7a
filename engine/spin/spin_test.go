package spin_test

import (
	"math"
	"strings"
	"testing"

	"exosep/engine/catalog"
	"exosep/engine/rotor"
	"exosep/engine/sediment"
	"exosep/engine/spin"
)

func setup(t testing.TB, rotorName string, rcf float64, minutes float64) (*catalog.Catalog, spin.Params) {
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

// Albumin's sedimentation coefficient in water at 20 °C is 4.3 S
// (physics-data.md §2, read); the Stokes sphere with its derived effective
// density must give it within 5 % (the derivation from M, v̄ and the Stokes
// radius gives 4.41 S).
func TestAlbuminSvedbergMatchesPublished(t *testing.T) {
	c, p := setup(t, "SW 41 Ti", 100000, 60)
	p.TemperatureC = 20
	cond, err := p.Conditions()
	if err != nil {
		t.Fatal(err)
	}
	alb, _ := c.SpeciesByID("albumin")
	s := cond.SedimentationCoefficient(alb.MedianDiameterM, alb.MinDensityKgM3) / sediment.Svedberg
	if math.Abs(s/4.3-1) > 0.05 {
		t.Errorf("albumin s20,w = %.2f S, want 4.3 S within 5 %%", s)
	}
}

// Run's quadrature equals a 16× finer quadrature within 1e-3 per species.
func TestRunQuadratureConverged(t *testing.T) {
	for _, tt := range []struct {
		rotor   string
		rcf     float64
		minutes float64
	}{{"SW 41 Ti", 100000, 70}, {"SW 41 Ti", 10000, 30}, {"Type 70 Ti", 100000, 70}, {"Type 45 Ti", 2000, 10}} {
		c, p := setup(t, tt.rotor, tt.rcf, tt.minutes)
		res, err := spin.Run(p, c.Species)
		if err != nil {
			t.Fatal(err)
		}
		cond, _ := p.Conditions()
		for i, sp := range c.Species {
			var fine float64
			for _, n := range sp.Nodes(96*4, 12*4) {
				pp, _ := sediment.Fractions(p.Rotor, cond.SedimentationCoefficient(n.DiameterM, n.DensityKgM3), cond.Omega, p.DurationS)
				fine += n.Weight * pp
			}
			if got := res.Species[i].PelletedFraction; math.Abs(got-fine) > 1e-3 {
				t.Errorf("%s %g×g %g min, %s: %.5f vs fine %.5f", tt.rotor, tt.rcf, tt.minutes, sp.ID, got, fine)
			}
		}
	}
}

// Known behaviour the physics must reproduce (physics-data.md; review):
// cells pellet completely at 300 × g in 10 min, exosomes mostly stay up;
// at 100,000 × g for 70 min most exosomes pellet; albumin barely moves;
// chylomicrons and VLDL float rather than pellet.
func TestRunReproducesKnownBehaviour(t *testing.T) {
	frac := func(rotorName string, rcf, minutes float64) map[string]spin.SpeciesResult {
		c, p := setup(t, rotorName, rcf, minutes)
		res, err := spin.Run(p, c.Species)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]spin.SpeciesResult{}
		for _, s := range res.Species {
			m[s.ID] = s
		}
		return m
	}
	low := frac("SW 41 Ti", 300, 10)
	if math.Abs(low["cell"].PelletedFraction-1) > 1e-9 || low["exosome"].PelletedFraction > 0.01 {
		t.Errorf("300×g 10 min: cells %.3f (want 1), exosomes %.3f (want < 0.01)", low["cell"].PelletedFraction, low["exosome"].PelletedFraction)
	}
	high := frac("SW 41 Ti", 100000, 70)
	if e := high["exosome"].PelletedFraction; e < 0.5 || e >= 1 {
		t.Errorf("100,000×g 70 min: exosomes %.3f pelleted, want most but not all", e)
	}
	if a := high["albumin"].PelletedFraction; a > 0.05 {
		t.Errorf("albumin %.3f pelleted, want < 0.05", a)
	}
	if ch := high["chylomicron"]; ch.PelletedFraction != 0 || ch.FloatedFraction < 0.5 {
		t.Errorf("chylomicrons pelleted %.3f floated %.3f, want 0 and most", ch.PelletedFraction, ch.FloatedFraction)
	}
	// Longer spins pellet more of every sinking species.
	longer := frac("SW 41 Ti", 100000, 140)
	for id, r := range high {
		if longer[id].PelletedFraction < r.PelletedFraction {
			t.Errorf("%s: 140 min pellets less than 70 min", id)
		}
	}
}

func TestValidateNamesFieldAndRange(t *testing.T) {
	_, p := setup(t, "SW 41 Ti", 100000, 70)
	for _, tt := range []struct {
		name string
		mod  func(*spin.Params)
		want string
	}{
		{"too fast", func(p *spin.Params) { p.RPM = 50000 }, "speed 50000 rpm is outside the allowed range: above 0 up to SW 41 Ti's maximum 41000 rpm"},
		{"zero speed", func(p *spin.Params) { p.RPM = 0 }, "speed 0 rpm"},
		{"zero time", func(p *spin.Params) { p.DurationS = 0 }, "duration 0 min is outside the allowed range"},
		{"hot", func(p *spin.Params) { p.TemperatureC = 45 }, "temperature 45 °C is outside the allowed range 0–40 °C"},
		{"viscosity", func(p *spin.Params) { p.ViscosityPas = 5 }, "viscosity 5000 mPa·s is outside the allowed range 0.1–1000 mPa·s"},
		{"density", func(p *spin.Params) { p.MediumDensityKgM3 = 3000 }, "medium density 3 g/mL is outside the allowed range 0.5–2.5 g/mL"},
	} {
		q := p
		tt.mod(&q)
		err := q.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
		if _, err := spin.Run(q, nil); err == nil {
			t.Errorf("%s: Run accepted invalid params", tt.name)
		}
	}
	// A viscosity override frees the temperature from the model's range.
	q := p
	q.TemperatureC, q.ViscosityPas, q.MediumDensityKgM3 = 60, 1.55e-3, 1000
	if err := q.Validate(); err != nil {
		t.Errorf("overrides given: %v", err)
	}
}

func BenchmarkRun(b *testing.B) {
	c, p := setup(b, "SW 41 Ti", 100000, 70)
	for b.Loop() {
		if _, err := spin.Run(p, c.Species); err != nil {
			b.Fatal(err)
		}
	}
}
