package gradient

import (
	"fmt"
	"math"
	"testing"
)

// allSpecies is every species of the catalog at 1e9 particles per tube
// as the protocol engine's quadrature: 16 × 4 nodes, 6 × 3 below 40 nm.
func allSpecies(t testing.TB, l *Library) Sample {
	t.Helper()
	var s Sample
	for _, sp := range l.Catalog.Species {
		nd, nr := 16, 4
		if sp.MaxDiameterM < 40e-9 {
			nd, nr = 6, 3
		}
		s.Species = append(s.Species, sampleOf(t, l, map[string]float64{sp.ID: 1e9}, nd, nr).Species...)
	}
	return s
}

// speciesShares is, per species, its share in each fraction, its
// pelleted share and its floated share (the last two entries).
func speciesShares(run *Run) map[string][]float64 {
	n := run.Params.Fractions
	last := len(run.TimesS) - 1
	tmp := make([]float64, n)
	out := map[string][]float64{}
	for _, sp := range run.spec {
		s := make([]float64, n+2)
		var tot float64
		for i := range sp.nodes {
			nr := &sp.nodes[i]
			tot += nr.s.Count
			s[n] += nr.s.Count * run.nodeShares(nr, tmp)
			for j := range tmp {
				s[j] += nr.s.Count * tmp[j]
			}
			for _, pr := range nr.parts {
				s[n+1] += nr.s.Count * pr.w * pr.flo[last]
			}
		}
		for j := range s {
			s[j] /= tot
		}
		out[sp.id] = s
	}
	return out
}

// The run's discretisation (mediumSubsteps, maxStepCells, packets taken
// to their buoyant point by rest) against a fine one: the medium solved
// with 16 steps per level, packet substeps held to half a medium cell,
// rest off. All 10 species (allSpecies), a 24 h isopycnic step gradient,
// a 72 h isopycnic linear gradient and a 30 min rate-zonal run: every
// species' share in every fraction, its pelleted and its floated share
// within 0.005.
func TestDiscretisationMatchesFineReference(t *testing.T) {
	l := testLib(t)
	s := allSpecies(t, l)
	for _, p := range []Params{
		onodi(Isopycnic),
		{Mode: Isopycnic, Medium: "iodixanol", FromPercent: 10, ToPercent: 50, SampleML: 0.25, Rotor: "SW 55 Ti", RPM: 55000, Minutes: 72 * 60, Fractions: 10},
		{Mode: RateZonal, Medium: "sucrose", FromPercent: 5, ToPercent: 20, SampleML: 0.5, Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 30, Fractions: 12},
	} {
		run, err := l.Compute(p, s)
		if err != nil {
			t.Fatal(err)
		}
		rc, mc, ms := restCells, maxStepCells, mediumSubsteps
		restCells, maxStepCells, mediumSubsteps = 0, 0.5, 16
		fine, err := l.Compute(p, s)
		restCells, maxStepCells, mediumSubsteps = rc, mc, ms
		if err != nil {
			t.Fatal(err)
		}
		got, want := speciesShares(run), speciesShares(fine)
		n := p.Fractions
		for id, w := range want {
			for j := range w {
				if d := math.Abs(got[id][j] - w[j]); d > 0.005 {
					what := fmt.Sprintf("fraction %d", j+1)
					switch j {
					case n:
						what = "pellet"
					case n + 1:
						what = "floated"
					}
					t.Errorf("%s %s %s %s: run %.4f, fine %.4f", p.Mode, p.Rotor, id, what, got[id][j], w[j])
				}
			}
		}
	}
}

// rest gives what the exponential midpoint substep gives: in a 24 h
// isopycnic run, every packet of every node (8 × 3 per species) computed
// with rest and without (restCells = 0) has, at every level, means
// within 1e-6 medium cells (the substep's two Newton steps from h/4 away
// leave of order 1e-7 h) and variances within 1e-4 relative (the substep
// takes D and u' at its midpoint, one Newton step from r*, where D/u'
// differs from r*'s at first order in that step's error). Some packets
// must have rested, or the test would not test rest.
func TestRestMatchesSubsteps(t *testing.T) {
	l := testLib(t)
	s := sampleOf(t, l, plasmaCounts, 8, 3)
	p := onodi(Isopycnic)
	run, err := l.Compute(p, s)
	if err != nil {
		t.Fatal(err)
	}
	rc := restCells
	restCells = 0
	off, err := l.Compute(p, s)
	restCells = rc
	if err != nil {
		t.Fatal(err)
	}
	rested := 0
	for i, sp := range run.spec {
		for j, nr := range sp.nodes {
			pa := run.particle(nr.s.DiameterM, nr.s.DensityKgM3)
			for q, got := range nr.parts {
				want := off.spec[i].nodes[j].parts[q]
				for k := range got.mean {
					if dm := math.Abs(got.mean[k]-want.mean[k]) / run.h; dm > 1e-6 {
						t.Fatalf("%s d = %.3g m slice %d level %d: mean differs by %.2g cells", sp.id, nr.s.DiameterM, q, k, dm)
					}
					if dv := math.Abs(got.vari[k]/want.vari[k] - 1); dv > 1e-4 {
						t.Fatalf("%s d = %.3g m slice %d level %d: variance differs by %.2g relative", sp.id, nr.s.DiameterM, q, k, dv)
					}
					if k > 0 && got.pel[k]+got.flo[k] < 1 {
						if _, _, _, ok := pa.rest(run.rho[k], run.eta[k], got.mean[k-1], run.w2[k-1], 1); ok {
							rested++
						}
					}
				}
			}
		}
	}
	if rested == 0 {
		t.Errorf("no packet was at rest; rest was not exercised")
	}
}
