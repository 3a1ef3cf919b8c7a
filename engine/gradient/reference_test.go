package gradient

import (
	"math"
	"testing"
)

// referenceShares solves the variable-coefficient Lamm equation for one
// node directly — J = s(r,t)ω²(t)r·c − D(r,t)∂c/∂r on a fine grid, in the
// run's own medium levels, from a top-hat over the sample zone — and
// returns its share per fraction and its mean radius.
func referenceShares(run *Run, nd NodeSample, cells, substeps int) ([]float64, float64) {
	L := run.BottomM - run.MeniscusM
	h := L / float64(cells)
	zTop, zBot := run.sampleZone()
	c := make([]float64, cells)
	for i := range c {
		a, b := run.MeniscusM+float64(i)*h, run.MeniscusM+float64(i+1)*h
		if ov := math.Min(b, zBot) - math.Max(a, zTop); ov > 0 {
			c[i] = ov / h / (zBot - zTop)
		}
	}
	fv := newFV(cells, h)
	v, d := make([]float64, cells-1), make([]float64, cells-1)
	for k := range run.w2 {
		dt := run.TimesS[k+1] - run.TimesS[k]
		w2 := run.w2[k] / dt
		for i := range v {
			rf := run.MeniscusM + float64(i+1)*h
			u, _, D := run.local(k+1, rf, nd.DiameterM, nd.DensityKgM3)
			v[i], d[i] = w2*u, D
		}
		for s := 0; s < substeps; s++ {
			fv.step(c, v, d, dt/float64(substeps))
		}
	}
	n := run.Params.Fractions
	out := make([]float64, n)
	var mean, tot float64
	for i, x := range c {
		r := run.MeniscusM + (float64(i)+0.5)*h
		j := min(int((r-run.MeniscusM)/L*float64(n)), n-1)
		out[j] += x * h
		mean += x * h * r
		tot += x * h
	}
	return out, mean / tot
}

// characteristicShares is the reference where diffusion is negligible
// (rate-zonal vesicles, Péclet number ≫ 1e3, where a finite-volume
// solution is dominated by its own numerical diffusion): n particles
// spread evenly over the sample zone, each moved by dr/dt = ω²(t)·s(r)·r
// with classical RK4 (100 steps per level) through the run's medium.
func characteristicShares(run *Run, nd NodeSample, n int) ([]float64, float64) {
	zTop, zBot := run.sampleZone()
	nf := run.Params.Fractions
	out := make([]float64, nf)
	L := run.BottomM - run.MeniscusM
	var mean float64
	for p := 0; p < n; p++ {
		r := zTop + (float64(p)+0.5)/float64(n)*(zBot-zTop)
		for k := range run.w2 {
			dt := (run.TimesS[k+1] - run.TimesS[k]) / 100
			w2 := run.w2[k] / (run.TimesS[k+1] - run.TimesS[k])
			f := func(x float64) float64 { u, _, _ := run.local(k+1, x, nd.DiameterM, nd.DensityKgM3); return w2 * u }
			for s := 0; s < 100; s++ {
				k1 := f(r)
				k2 := f(r + dt/2*k1)
				k3 := f(r + dt/2*k2)
				k4 := f(r + dt*k3)
				r += dt / 6 * (k1 + 2*k2 + 2*k3 + k4)
			}
		}
		j := min(max(int((r-run.MeniscusM)/L*float64(nf)), 0), nf-1)
		out[j] += 1 / float64(n)
		mean += r / float64(n)
	}
	return out, mean
}

// The packet model against a direct solution for single nodes of
// exosomes, HDL, LDL and albumin, isopycnic and rate-zonal: the
// finite-volume Lamm equation where diffusion matters, characteristics
// where it does not. Every fraction's share within 0.05 and the mean
// within 1 % of the column.
func TestPacketsMatchLammEquation(t *testing.T) {
	l := testLib(t)
	type node struct {
		name      string
		dNM, rhoG float64
	}
	cases := []struct {
		name  string
		p     Params
		nodes []node
		// characteristics: the reference neglects diffusion.
		characteristics bool
	}{
		{"isopycnic iodixanol SW 55 Ti 72 h",
			Params{Mode: Isopycnic, Medium: "iodixanol", FromPercent: 10, ToPercent: 50, SampleML: 0.25, Rotor: "SW 55 Ti", RPM: 55000, Minutes: 72 * 60, Fractions: 10},
			[]node{{"exosome", 100, 1.16}, {"hdl", 9, 1.12}, {"ldl", 23, 1.04}}, false},
		{"Onódi step gradient 24 h",
			onodi(Isopycnic),
			[]node{{"exosome", 100, 1.16}, {"hdl", 9, 1.12}}, false},
		{"rate-zonal sucrose 30 min",
			Params{Mode: RateZonal, Medium: "sucrose", FromPercent: 5, ToPercent: 20, SampleML: 0.5, Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 30, Fractions: 12},
			[]node{{"exosome", 100, 1.16}, {"small ev", 60, 1.16}}, true},
		{"rate-zonal sucrose 30 min, diffusing",
			Params{Mode: RateZonal, Medium: "sucrose", FromPercent: 5, ToPercent: 20, SampleML: 0.5, Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 30, Fractions: 12},
			[]node{{"hdl", 9, 1.12}, {"albumin", 7.2, 1.36}}, false},
	}
	for _, tc := range cases {
		for _, nd := range tc.nodes {
			t.Run(tc.name+"/"+nd.name, func(t *testing.T) {
				ns := NodeSample{DiameterM: nd.dNM * 1e-9, DensityKgM3: nd.rhoG * 1e3, Count: 1}
				run, err := l.Compute(tc.p, Sample{Species: []SpeciesSample{{ID: nd.name, Nodes: []NodeSample{ns}}}})
				if err != nil {
					t.Fatal(err)
				}
				var ref []float64
				var refMean float64
				if tc.characteristics {
					ref, refMean = characteristicShares(run, ns, 500)
				} else {
					ref, refMean = referenceShares(run, ns, 2000, 40)
				}
				got := run.Fractions()
				for j, f := range got {
					if math.Abs(f.Species[nd.name]-ref[j]) > 0.05 {
						t.Errorf("fraction %d: packets %.3f, Lamm %.3f", j+1, f.Species[nd.name], ref[j])
					}
				}
				mean := run.At(run.DurationS).Species[0].Nodes[0].MeanRadiusM
				if L := run.BottomM - run.MeniscusM; math.Abs(mean-refMean) > 0.01*L {
					t.Errorf("mean %.3f mm, Lamm %.3f mm", mean*1e3, refMean*1e3)
				}
			})
		}
	}
}
