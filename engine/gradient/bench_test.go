package gradient

import "testing"

// BenchmarkGradientRun: all 10 species (the protocol engine's quadrature,
// 16 × 4 nodes, 6 × 3 below 40 nm) through a typical isopycnic run
// (Onódi et al. 2018 step gradient, 24 h) and a typical rate-zonal run
// (5–20 % sucrose, 30 min).
func BenchmarkGradientRun(b *testing.B) {
	l := testLib(b)
	var s Sample
	{
		counts := map[string]float64{}
		for _, sp := range l.Catalog.Species {
			counts[sp.ID] = 1e9
		}
		for _, sp := range l.Catalog.Species {
			nd, nr := 16, 4
			if sp.MaxDiameterM < 40e-9 {
				nd, nr = 6, 3
			}
			s.Species = append(s.Species, sampleOf(b, l, map[string]float64{sp.ID: counts[sp.ID]}, nd, nr).Species...)
		}
	}
	runs := []struct {
		name string
		p    Params
	}{
		{"isopycnic", onodi(Isopycnic)},
		{"rate-zonal", Params{Mode: RateZonal, Medium: "sucrose", FromPercent: 5, ToPercent: 20, SampleML: 0.5, Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 30, Fractions: 12}},
	}
	// The stage's size: 8 × 2 nodes per species (4 × 2 below 40 nm).
	var small Sample
	for _, sp := range l.Catalog.Species {
		nd, nr := 8, 2
		if sp.MaxDiameterM < 40e-9 {
			nd = 4
		}
		small.Species = append(small.Species, sampleOf(b, l, map[string]float64{sp.ID: 1e9}, nd, nr).Species...)
	}
	for _, r := range runs {
		b.Run(r.name+"/stage-nodes", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := l.Compute(r.p, small); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, r := range runs {
		b.Run(r.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := l.Compute(r.p, s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
