package gradient

import (
	"math"
	"testing"
)

// testLib returns the default library or stops the test.
func testLib(t testing.TB) *Library {
	t.Helper()
	l, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// plasmaLike is a sample with every species of the catalog at the given
// counts per tube, nd × nr nodes each; protein is 4 % of particle mass
// (enough for purity ratios; the protocol engine supplies the real one).
func sampleOf(t testing.TB, l *Library, counts map[string]float64, nd, nr int) Sample {
	t.Helper()
	var s Sample
	for _, sp := range l.Catalog.Species {
		c, ok := counts[sp.ID]
		if !ok {
			continue
		}
		ss := SpeciesSample{ID: sp.ID}
		for _, n := range sp.Nodes(nd, nr) {
			ss.Nodes = append(ss.Nodes, NodeSample{DiameterM: n.DiameterM, DensityKgM3: n.DensityKgM3, DiameterSDM: n.DiameterSDM, DensitySDKgM3: n.DensitySDKgM3, Count: c * n.Weight,
				ProteinKg: 0.04 * n.DensityKgM3 * math.Pi / 6 * n.DiameterM * n.DiameterM * n.DiameterM, Counted: n.DiameterM >= 50e-9})
		}
		s.Species = append(s.Species, ss)
	}
	return s
}

var plasmaCounts = map[string]float64{"exosome": 1e10, "hdl": 8e15, "ldl": 1e15, "vldl": 1e14, "microvesicle": 1e9, "albumin": 5e17, "chylomicron": 1e10, "protein-aggregate": 1e9, "apoptotic-body": 1e6}

func onodi(mode string) Params {
	return Params{Mode: Isopycnic, Medium: "iodixanol", Shape: ShapeStep,
		Layers:   []Layer{{Percent: 10, VolumeML: 4}, {Percent: 30, VolumeML: 4}, {Percent: 50, VolumeML: 4}},
		SampleML: 1, Rotor: "SW 41 Ti", RCF: 120000, RCFAt: "avg", Minutes: 24 * 60, Fractions: 10}
}
