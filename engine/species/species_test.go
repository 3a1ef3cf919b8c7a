package species_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"

	"exosep/assets"
	"exosep/engine/catalog"
	"exosep/engine/species"
)

func all(t testing.TB) []species.Species {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c.Species
}

// The ten populations the foundation issue names are all there.
func TestCatalogueSpecies(t *testing.T) {
	want := []string{"cell", "apoptotic-body", "microvesicle", "exosome", "hdl", "ldl", "vldl", "chylomicron", "albumin", "protein-aggregate"}
	got := map[string]species.Species{}
	for _, s := range all(t) {
		got[s.ID] = s
	}
	for _, id := range want {
		if _, ok := got[id]; !ok {
			t.Errorf("species %q missing", id)
		}
	}
	// Exosomes span the review's 30–150 nm; HDL overlaps their density
	// (1.063–1.21 vs 1.13–1.19 g/mL), which later gradients must reproduce.
	ex, hdl := got["exosome"], got["hdl"]
	if math.Abs(ex.MinDiameterM-30e-9) > 1e-18 || math.Abs(ex.MaxDiameterM-150e-9) > 1e-18 {
		t.Errorf("exosome range %g–%g m, want 30–150 nm", ex.MinDiameterM, ex.MaxDiameterM)
	}
	if !(hdl.MinDensityKgM3 < ex.MaxDensityKgM3 && hdl.MaxDensityKgM3 > ex.MinDensityKgM3) {
		t.Error("HDL and exosome density ranges must overlap")
	}
	if got["cell"].DiameterConfidence != "estimate" || got["exosome"].DensityConfidence != "read" {
		t.Error("confidence marks not carried from the data")
	}
}

// Samples stay in range and their quantiles match the truncated lognormal:
// the share of samples below the distribution's q-quantile is q within
// 4 binomial standard errors.
func TestSampleMatchesQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 40000
	for _, s := range all(t) {
		d := make([]float64, n)
		for i := range d {
			var rho float64
			d[i], rho = s.Sample(rng)
			if d[i] < s.MinDiameterM || d[i] > s.MaxDiameterM || rho < s.MinDensityKgM3 || rho > s.MaxDensityKgM3 {
				t.Fatalf("%s: sample (%g m, %g kg/m³) out of range", s.ID, d[i], rho)
			}
		}
		if s.MinDiameterM == s.MaxDiameterM {
			continue
		}
		for _, q := range []float64{0.1, 0.5, 0.9} {
			cut := s.DiameterQuantile(q)
			below := 0
			for _, x := range d {
				if x < cut {
					below++
				}
			}
			se := math.Sqrt(q * (1 - q) / n)
			if got := float64(below) / n; math.Abs(got-q) > 4*se {
				t.Errorf("%s: %.4f of samples below the %.1f quantile", s.ID, got, q)
			}
		}
	}
}

// An untruncated-looking lognormal (range ±6 GSD) has its median at the
// median parameter: Φ⁻¹ and Φ invert each other.
func TestQuantileOfWideLognormal(t *testing.T) {
	s := species.Species{ID: "x", MedianDiameterM: 100e-9, GSD: 1.5, MinDiameterM: 100e-9 / math.Pow(1.5, 6), MaxDiameterM: 100e-9 * math.Pow(1.5, 6), MinDensityKgM3: 1, MaxDensityKgM3: 1}
	if got := s.DiameterQuantile(0.5); math.Abs(got/100e-9-1) > 1e-9 {
		t.Errorf("median = %g", got)
	}
	// 84.13 % quantile of a lognormal is median·GSD.
	if got := s.DiameterQuantile(0.841344746); math.Abs(got/150e-9-1) > 1e-6 {
		t.Errorf("84 %% quantile = %g, want 150 nm", got)
	}
}

func TestNodes(t *testing.T) {
	for _, s := range all(t) {
		nodes := s.Nodes(64, 8)
		sum := 0.0
		for _, n := range nodes {
			sum += n.Weight
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("%s: weights sum to %g", s.ID, sum)
		}
		if s.ID == "albumin" && len(nodes) != 1 {
			t.Errorf("albumin has one size and density: %d nodes, want 1", len(nodes))
		}
	}
}

// A node's cell is the population between two quantiles. Its diameter
// SD (closed-form truncated-lognormal moments in Nodes) against the
// midpoint rule over 20000 equal slices of probability in the cell
// (DiameterQuantile; 1e-4 relative); density cells are uniform slices of
// width Δ: Δ/√12 (1e-12 relative); one size: 0.
func TestNodeCellSpreads(t *testing.T) {
	for _, s := range all(t) {
		for _, nn := range [][2]int{{1, 1}, {4, 2}, {16, 4}} {
			nodes := s.Nodes(nn[0], nn[1])
			nd, nr := nn[0], nn[1]
			oneSize := s.GSD == 1 || s.MinDiameterM == s.MaxDiameterM
			if oneSize {
				nd = 1
			}
			if s.MinDensityKgM3 == s.MaxDensityKgM3 {
				nr = 1
			}
			if len(nodes) != nd*nr {
				t.Fatalf("%s %v: %d nodes, want %d", s.ID, nn, len(nodes), nd*nr)
			}
			wantRho := (s.MaxDensityKgM3 - s.MinDensityKgM3) / float64(nr) / math.Sqrt(12)
			for i, n := range nodes {
				if math.Abs(n.DensitySDKgM3-wantRho) > 1e-12*math.Max(wantRho, 1) {
					t.Errorf("%s %v node %d: density SD %g, want %g", s.ID, nn, i, n.DensitySDKgM3, wantRho)
				}
				if oneSize {
					if n.DiameterSDM != 0 {
						t.Errorf("%s: one size, diameter SD %g, want 0", s.ID, n.DiameterSDM)
					}
					continue
				}
				if i%nr != 0 {
					continue
				}
				cell := i / nr
				const k = 20000
				var m1, m2 float64
				for j := 0; j < k; j++ {
					d := s.DiameterQuantile((float64(cell) + (float64(j)+0.5)/k) / float64(nd))
					m1 += d / k
					m2 += d * d / k
				}
				want := math.Sqrt(m2 - m1*m1)
				if math.Abs(n.DiameterSDM/want-1) > 1e-4 {
					t.Errorf("%s %v node %d: diameter SD %g, want %g", s.ID, nn, i, n.DiameterSDM, want)
				}
			}
		}
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	good, _ := assets.Data.ReadFile("data/species.json")
	bad := strings.Replace(string(good), `"color": "#3ddc97"`, `"color": "green"`, 1)
	bad = strings.Replace(bad, `"source": "nikfarjam2020"`, `"source": "hearsay"`, 1)
	bad = strings.Replace(bad, `"distribution": "uniform"`, `"distribution": "normal"`, 1)
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, err = species.Load(fstest.MapFS{"data/species.json": {Data: []byte(strings.ReplaceAll(bad, "\n", " "))}}, c.Sources)
	if err == nil {
		t.Fatal("broken species.json accepted")
	}
	for _, want := range []string{`species.json: species[3] "exosome".color: "green" must be #rrggbb`, `source "hearsay" is not in sources.json`, `density.distribution: "normal" is not supported`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
