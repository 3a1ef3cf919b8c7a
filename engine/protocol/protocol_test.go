package protocol_test

import (
	"encoding/json"
	"io/fs"
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"exosep/assets"
	"exosep/engine/protocol"
	"exosep/engine/rotor"
)

func library(t testing.TB) *protocol.Library {
	t.Helper()
	lib, err := protocol.Default()
	if err != nil {
		t.Fatalf("embedded protocol data invalid:\n%v", err)
	}
	return lib
}

func run(t testing.TB, lib *protocol.Library, p protocol.Protocol, opt protocol.Options) *protocol.Result {
	t.Helper()
	res, err := lib.Run(p, opt)
	if err != nil {
		t.Fatalf("%s: %v", p.Name, err)
	}
	return res
}

func preset(t testing.TB, lib *protocol.Library, id string) protocol.Protocol {
	t.Helper()
	p, err := lib.Preset(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The presets are there with their sources, and the Théry et al. 2006
// preset has the steps: 300 × g 10 min, 2,000 × g 10 min,
// 10,000 × g 30 min, 100,000 × g 70 min, wash at 100,000 × g 70 min.
func TestPresets(t *testing.T) {
	lib := library(t)
	want := []string{"heinemann2014-sf", "nikfarjam2020", "nikfarjam2020-plasma", "onodi2018-iodixanol", "thery2006", "uf-1000-then-100kda", "uf-100kda"}
	if got := lib.PresetIDs(); !reflect.DeepEqual(got, want) {
		t.Errorf("presets %v, want %v", got, want)
	}
	for _, p := range lib.Presets {
		if _, ok := lib.Catalog.Sources[p.Source]; !ok || p.Name == "" || p.Note == "" {
			t.Errorf("preset %s: source %q, name %q, note %q", p.ID, p.Source, p.Name, p.Note)
		}
	}
	type spin struct{ rcf, minutes float64 }
	var got []spin
	for _, s := range preset(t, lib, "thery2006").Steps {
		if s.Kind == protocol.KindSpin {
			got = append(got, spin{s.RCF, s.Minutes})
		}
	}
	if w := []spin{{300, 10}, {2000, 10}, {10000, 30}, {100000, 70}, {100000, 70}}; !reflect.DeepEqual(got, w) {
		t.Errorf("Théry 2006 spins %v, want %v", got, w)
	}
	// The review's: low-speed spins at 500 × g, a 0.22 µm filter before
	// 10,000 × g, then 100,000–120,000 × g for 60–120 min, twice (wash).
	var kinds []string
	for _, s := range preset(t, lib, "nikfarjam2020").Steps {
		kinds = append(kinds, s.Kind)
		if s.Kind == protocol.KindSpin && s.RCF >= 1e5 && !(s.RCF <= 1.2e5 && s.Minutes >= 60 && s.Minutes <= 120) {
			t.Errorf("review preset: %s outside the review's 100,000–120,000 × g, 60–120 min", s.Name)
		}
	}
	if strings.Join(kinds[:4], " ") != "spin spin filter spin" {
		t.Errorf("review preset starts %v, want two low-speed spins, the filter, then 10,000 × g", kinds[:4])
	}
	// Sequential filtration (the review after Heinemann et al. 2014): a
	// 100 nm dead-end filter, 500 kDa tangential flow, a 100 nm track-etch
	// filter at very low pressure, on 1 L.
	sf := preset(t, lib, "heinemann2014-sf")
	if len(sf.Steps) != 3 || sf.VolumeML != 1000 || sf.Steps[0].Membrane != "pes-0.1um" || sf.Steps[1].Membrane != "pes-500kda" || sf.Steps[1].Mode != "tff" ||
		sf.Steps[2].Membrane != "te-0.1um" || !(sf.Steps[2].TMPkPa > 0 && sf.Steps[2].TMPkPa <= 10) {
		t.Errorf("SF preset steps %+v", sf.Steps)
	}
	// Ultrafiltration, large MWCO first: 1000 kDa then 100 kDa.
	var mwco []string
	for _, s := range preset(t, lib, "uf-1000-then-100kda").Steps {
		if s.Kind == protocol.KindUltrafilter {
			mwco = append(mwco, s.Membrane)
		}
	}
	if strings.Join(mwco, " ") != "pes-1000kda pes-100kda" {
		t.Errorf("sequential UF membranes %v", mwco)
	}
	if _, err := lib.Preset("nope"); err == nil || !strings.Contains(err.Error(), "allowed: heinemann2014-sf, nikfarjam2020, nikfarjam2020-plasma, onodi2018-iodixanol, thery2006, uf-1000-then-100kda, uf-100kda") {
		t.Errorf("unknown preset err = %v", err)
	}
}

// Nothing is created or lost: for every preset, every step and species,
// in = kept + discarded, each step's input is the previous step's kept,
// and input = final product + everything discarded — for particle counts
// and for protein — to 1e-9 relative (the requirement; the
// arithmetic itself is exact to ~1e-15).
func TestMassBalance(t *testing.T) {
	lib := library(t)
	const tol = 1e-9
	close := func(a, b float64) bool { return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b)) }
	for _, p := range lib.Presets {
		for _, vol := range []float64{0, 37} {
			res := run(t, lib, p, protocol.Options{VolumeML: vol})
			discarded := map[string]float64{}
			var proteinDiscarded float64
			prev := res.Input.Species
			prevProtein := res.Input.ProteinUG
			for _, s := range res.Steps {
				if len(s.Species) != len(res.Input.Species) {
					t.Fatalf("%s step %d: %d species, input has %d", p.ID, s.Index, len(s.Species), len(res.Input.Species))
				}
				for id, f := range s.Species {
					if !close(f.In, f.Kept+f.Discarded) {
						t.Errorf("%s step %d %s: in %.17g ≠ kept %.17g + discarded %.17g", p.ID, s.Index, id, f.In, f.Kept, f.Discarded)
					}
					if f.Kept < 0 || f.Discarded < -tol*f.In {
						t.Errorf("%s step %d %s: kept %g, discarded %g", p.ID, s.Index, id, f.Kept, f.Discarded)
					}
					if !close(f.In, prev[id]) {
						t.Errorf("%s step %d %s: in %.17g, previous kept %.17g", p.ID, s.Index, id, f.In, prev[id])
					}
					discarded[id] += f.Discarded
				}
				pr := s.ProteinUG
				if !close(pr.In, pr.Kept+pr.Discarded) || !close(pr.In, prevProtein) {
					t.Errorf("%s step %d protein: in %.17g, kept %.17g, discarded %.17g, previous %.17g", p.ID, s.Index, pr.In, pr.Kept, pr.Discarded, prevProtein)
				}
				proteinDiscarded += pr.Discarded
				prev = map[string]float64{}
				for id, f := range s.Species {
					prev[id] = f.Kept
				}
				prevProtein = pr.Kept
			}
			for id, in := range res.Input.Species {
				final := res.Final.Species[id].Particles
				if !close(in, final+discarded[id]) {
					t.Errorf("%s %s: input %.17g ≠ final %.17g + discarded %.17g", p.ID, id, in, final, discarded[id])
				}
			}
			if !close(res.Input.ProteinUG, res.Final.ProteinUG+proteinDiscarded) {
				t.Errorf("%s protein: input %.17g ≠ final %.17g + discarded %.17g µg", p.ID, res.Input.ProteinUG, res.Final.ProteinUG, proteinDiscarded)
			}
			if res.Input.Species["exosome"] <= 0 || res.Input.ProteinUG <= 0 {
				t.Errorf("%s: input holds no exosomes or protein; the balance would be vacuous", p.ID)
			}
		}
	}
}

// The review: DUC "results in an enrichment of exosomes" but not pure
// ones, and "the final preparation is somewhat low in exosome recovery".
// From the physics: yield strictly between 0 and 1 for every preset (the
// 10,000 × g spin pellets large exosomes, the 100,000 × g spins miss
// small ones, supernatants leave a residue); exosomes per µg protein rise
// by orders of magnitude from input to product (enrichment), yet the
// product holds other species (microvesicles, aggregates, soluble protein).
func TestRecoveryLimitedEnrichmentNotPurification(t *testing.T) {
	lib := library(t)
	n := 0
	for _, p := range lib.Presets {
		if !hasKind(p, protocol.KindSpin) || hasKind(p, protocol.KindGradient) {
			continue // the review's DUC statements; filtration presets: filtration_test.go, gradients: gradient_test.go
		}
		n++
		res := run(t, lib, p, protocol.Options{})
		f := res.Final
		if !(f.ExosomeYieldFraction > 0.05 && f.ExosomeYieldFraction < 0.9) {
			t.Errorf("%s: exosome yield %.3f, want recovery-limited (0.05–0.9)", p.ID, f.ExosomeYieldFraction)
		}
		inRatio := res.Input.Species["exosome"] / res.Input.ProteinUG
		if ratio := f.ExosomeParticles / f.ProteinUG; ratio < 100*inRatio {
			t.Errorf("%s: exosomes per µg protein %.3g in the product vs %.3g in the input: no enrichment", p.ID, ratio, inRatio)
		}
		if len(f.Contaminants) < 2 {
			t.Errorf("%s: %d co-isolated species, want several (DUC enriches, it does not purify)", p.ID, len(f.Contaminants))
		}
		if f.Purity.Class == "high purity" || f.Purity.Confidence != "estimate" {
			t.Errorf("%s: purity %+v, want below high purity and marked an estimate", p.ID, f.Purity)
		}
	}
	if n < 3 {
		t.Errorf("%d DUC presets checked, want the 3 of the data", n)
	}
}

func hasKind(p protocol.Protocol, kind string) bool {
	for _, s := range p.Steps {
		if s.Kind == kind {
			return true
		}
	}
	return false
}

// The review: DUC co-isolates "serum lipoparticles". From plasma, HDL and
// LDL sediment slowly (a few S) but are ~1e5–1e6 times more numerous than
// exosomes, so the few per cent that reach the 110,000 × g pellet (pile-up
// and residual liquid, computed with the Lamm equation) outnumber the
// exosomes in the product and carry more protein than they do; the product
// is "impure" by Webber & Clayton's bands. VLDL and chylomicrons, lighter
// than plasma, float and are discarded with the supernatant.
func TestLipoproteinsCoPelletFromPlasma(t *testing.T) {
	lib := library(t)
	res := run(t, lib, preset(t, lib, "nikfarjam2020-plasma"), protocol.Options{})
	var uc *protocol.StepResult
	for i := range res.Steps {
		if s := res.Steps[i].Spin; s != nil && s.RCFAvg >= 1e5 && s.Keep == protocol.KeepPellet {
			uc = &res.Steps[i]
			break
		}
	}
	if uc == nil {
		t.Fatal("no 100,000 × g pellet step in the plasma preset")
	}
	for _, id := range []string{"hdl", "ldl"} {
		f := uc.Species[id]
		share := f.Kept / f.In
		if !(share > 0.005 && share < 0.3) {
			t.Errorf("%s: %.4f of the input pellets at %.0f × g, want a few per cent", id, share, uc.Spin.RCFAvg)
		}
		if !contains(uc.Spin.LammSpecies, id) {
			t.Errorf("%s: the Lamm solver was not used (species %v)", id, uc.Spin.LammSpecies)
		}
	}
	f := res.Final
	lipo := f.Species["hdl"].Particles + f.Species["ldl"].Particles
	if lipo < 100*f.ExosomeParticles {
		t.Errorf("product: %.3g HDL + LDL vs %.3g exosomes, want lipoproteins to outnumber exosomes ≥ 100×", lipo, f.ExosomeParticles)
	}
	if lp, ex := f.Species["hdl"].ProteinUG+f.Species["ldl"].ProteinUG, f.Species["exosome"].ProteinUG; lp < 10*ex {
		t.Errorf("product: lipoprotein protein %.3g µg vs exosome protein %.3g µg", lp, ex)
	}
	if f.Purity.Class != "impure" {
		t.Errorf("plasma product purity %q (%.3g particles/µg), want impure", f.Purity.Class, f.ParticlesPerUGProtein)
	}
	for _, id := range []string{"vldl", "chylomicron"} {
		if f.Species[id].Particles > 1e-6*res.Input.Species[id] {
			t.Errorf("%s: %.3g of %.3g in the product; they float", id, f.Species[id].Particles, res.Input.Species[id])
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The review (ref 33): extending UC to 4 h "led to serious physical damage
// to the exosomes, not to mention the higher contamination levels of
// soluble proteins". The same Théry protocol with its 100,000 × g spin at
// 240 instead of 70 min: more compaction damage (the damage model, an
// estimate) and more soluble protein in the pellet (physics: albumin's
// pile-up grows with time; more protein aggregates pellet), and more
// protein per exosome.
func TestFourHourSpinDamagesAndContaminates(t *testing.T) {
	lib := library(t)
	base := preset(t, lib, "thery2006")
	long := base
	long.Steps = append([]protocol.Step(nil), base.Steps...)
	ucIdx := -1
	for i, s := range long.Steps {
		if s.Kind == protocol.KindSpin && s.RCF == 100000 {
			long.Steps[i].Minutes = 240
			ucIdx = i
			break
		}
	}
	r70 := run(t, lib, base, protocol.Options{})
	r240 := run(t, lib, long, protocol.Options{})
	s70, s240 := r70.Steps[ucIdx], r240.Steps[ucIdx]
	if d70, d240 := s70.Spin.Damage.ExosomesDamagedFraction, s240.Spin.Damage.ExosomesDamagedFraction; !(d240 > 5*d70 && d240 > 0.2 && d70 < 0.1) {
		t.Errorf("damaged exosomes: 70 min %.3f, 4 h %.3f; want serious damage only after 4 h", d70, d240)
	}
	soluble := func(s protocol.StepResult) float64 {
		return s.Product.Species["albumin"].ProteinUG + s.Product.Species["protein-aggregate"].ProteinUG
	}
	if a, b := soluble(s70), soluble(s240); !(b > 1.5*a) {
		t.Errorf("soluble protein in the 100,000 × g pellet: 70 min %.3g µg, 4 h %.3g µg", a, b)
	}
	if a, b := s70.ProteinUG.Kept/s70.Product.ExosomeParticles, s240.ProteinUG.Kept/s240.Product.ExosomeParticles; !(b > a) {
		t.Errorf("protein per exosome in the pellet: 70 min %.3g, 4 h %.3g µg", a, b)
	}
	if !(r240.Final.ExosomeIntactFraction < r70.Final.ExosomeIntactFraction) {
		t.Errorf("intact exosomes in the product: 70 min %.3f, 4 h %.3f", r70.Final.ExosomeIntactFraction, r240.Final.ExosomeIntactFraction)
	}
	if s240.Spin.Damage.Confidence != "estimate" {
		t.Errorf("damage confidence %q, want estimate", s240.Spin.Damage.Confidence)
	}
}

// The review: DUC's "outcome is restricted by rotor capacity". In a small
// rotor (TLA-100.3, 6 × 3.5 mL = 21 mL per run) 100 mL needs 5 runs where
// 20 mL needs 1: the time at speed multiplies, while the fractions (and so
// the yield) do not depend on the volume.
func TestVolumeSetsRunsAndTime(t *testing.T) {
	lib := library(t)
	p := protocol.Protocol{Name: "small rotor", Input: "msc-cm", Steps: []protocol.Step{
		{Kind: "spin", Name: "100,000 × g", Rotor: "TLA-100.3", RCF: 100000, Minutes: 70, Keep: "pellet"},
	}}
	var prev *protocol.Result
	for _, tt := range []struct {
		ml   float64
		runs int
	}{{20, 1}, {21, 1}, {22, 2}, {100, 5}} {
		res := run(t, lib, p, protocol.Options{VolumeML: tt.ml})
		st := res.Steps[0]
		if st.Time.Runs != tt.runs || res.Final.Runs != tt.runs {
			t.Errorf("%g mL: %d runs, want %d", tt.ml, st.Time.Runs, tt.runs)
		}
		perRun := st.Time.HoldMinutes + st.Time.AccelMinutes + st.Time.DecelMinutes
		if math.Abs(st.Time.RunMinutes-float64(tt.runs)*perRun) > 1e-9 {
			t.Errorf("%g mL: run time %g min, want %d × %g", tt.ml, st.Time.RunMinutes, tt.runs, perRun)
		}
		if prev != nil {
			if math.Abs(res.Final.ExosomeYieldFraction-prev.Final.ExosomeYieldFraction) > 1e-12 {
				t.Errorf("%g mL: yield %.15f differs from %.15f", tt.ml, res.Final.ExosomeYieldFraction, prev.Final.ExosomeYieldFraction)
			}
			if res.Final.Runs > prev.Final.Runs && !(res.Final.TotalMinutes > prev.Final.TotalMinutes+50) {
				t.Errorf("%g mL: %g min for %d runs vs %g min for %d", tt.ml, res.Final.TotalMinutes, res.Final.Runs, prev.Final.TotalMinutes, prev.Final.Runs)
			}
		}
		prev = res
	}
}

// Time accounting of one spin: ramps default to 5 min per 100,000 rpm
// scaled with speed (at least 0.5 min; data estimates), run time =
// runs × (hold + accel + decel), hands-on = runs × 10 + tubes × 2 min; a
// step's own ramps override the default and say so.
func TestSpinTime(t *testing.T) {
	lib := library(t)
	st := protocol.Step{Kind: "spin", Rotor: "Type 70 Ti", RCF: 100000, RCFAt: "avg", Minutes: 70, Keep: "pellet"}
	res := run(t, lib, protocol.Protocol{Name: "t", Input: "msc-cm", VolumeML: 320, Steps: []protocol.Step{st}}, protocol.Options{})
	s := res.Steps[0]
	r, _ := lib.Catalog.Rotors.Find("Type 70 Ti")
	rpm := rotor.RPMForRCF(100000, r.RadiusM(rotor.AtAvg))
	ramp := 5 * rpm / 1e5
	tubes := 9 // ceil(320 / 39)
	if s.Spin.Tubes != tubes || s.Time.Runs != 2 {
		t.Errorf("tubes %d runs %d, want %d and 2", s.Spin.Tubes, s.Time.Runs, tubes)
	}
	if math.Abs(s.Time.AccelMinutes-ramp) > 1e-9 || math.Abs(s.Time.DecelMinutes-ramp) > 1e-9 || s.Time.RampFrom != "default (estimate)" {
		t.Errorf("ramps %g/%g min (%s), want %g", s.Time.AccelMinutes, s.Time.DecelMinutes, s.Time.RampFrom, ramp)
	}
	if want := 2 * (70 + 2*ramp); math.Abs(s.Time.RunMinutes-want) > 1e-9 {
		t.Errorf("run %g min, want %g", s.Time.RunMinutes, want)
	}
	if want := 2*10.0 + float64(tubes)*2; math.Abs(s.Time.HandsOnMinutes-want) > 1e-9 {
		t.Errorf("hands-on %g min, want %g", s.Time.HandsOnMinutes, want)
	}
	if math.Abs(s.Minutes-(s.Time.RunMinutes+s.Time.HandsOnMinutes)) > 1e-9 || math.Abs(res.Final.TotalMinutes-s.Minutes) > 1e-9 {
		t.Errorf("step %g min, total %g", s.Minutes, res.Final.TotalMinutes)
	}
	if want := 70 + 2*ramp/3; math.Abs(s.Spin.EffectiveMinutes-want) > 1e-9 {
		t.Errorf("effective time %g min, want hold + (accel+decel)/3 = %g", s.Spin.EffectiveMinutes, want)
	}
	one, two := 1.0, 2.0
	st.AccelMinutes, st.DecelMinutes = &one, &two
	s = run(t, lib, protocol.Protocol{Name: "t", Input: "msc-cm", VolumeML: 30, Steps: []protocol.Step{st}}, protocol.Options{}).Steps[0]
	if s.Time.AccelMinutes != 1 || s.Time.DecelMinutes != 2 || s.Time.RampFrom != "step" {
		t.Errorf("step ramps: %g/%g (%s)", s.Time.AccelMinutes, s.Time.DecelMinutes, s.Time.RampFrom)
	}
	// A low-speed spin gets the 0.5 min floor.
	st = protocol.Step{Kind: "spin", Rotor: "Sorvall SS-34", RCF: 300, Minutes: 10, Keep: "supernatant"}
	s = run(t, lib, protocol.Protocol{Name: "t", Input: "msc-cm", Steps: []protocol.Step{st}}, protocol.Options{}).Steps[0]
	if s.Time.AccelMinutes != 0.5 {
		t.Errorf("300 × g ramp %g min, want the 0.5 min floor", s.Time.AccelMinutes)
	}
}

// The 0.22 µm filter with the membrane model (package filter): every
// exosome (≤ 150 nm, under the 220 nm pore) passes to within 1 %, no cell
// does, microvesicles (100–1000 nm, deformable) mostly squeeze through at
// the default 100 kPa and a share of them ruptures doing so; the step
// reports the model, its filtration time and the trapped share. A
// caller's Sieve replaces the model: SharpCutoff passes a part of the
// microvesicles (those under 220 nm) and no time is spent filtering.
func TestFilter(t *testing.T) {
	lib := library(t)
	p := protocol.Protocol{Name: "filter", Input: "msc-cm", Steps: []protocol.Step{{Kind: "filter", Name: "0.22 µm", PoreUM: 0.22}}}
	res := run(t, lib, p, protocol.Options{})
	st := res.Steps[0]
	sp := st.Species
	if f := sp["exosome"]; !(f.Kept >= 0.99*f.In) || f.In == 0 {
		t.Errorf("exosomes: %g of %g pass, want ≥ 99 %%", f.Kept, f.In)
	}
	if f := sp["cell"]; f.Kept != 0 || f.Discarded != f.In {
		t.Errorf("cells: %g of %g pass", f.Kept, f.In)
	}
	fd := st.Filter
	if fd == nil || !strings.Contains(fd.Model, "membrane model") || fd.Membrane != "pes-0.22um" || fd.Mode != "deadend" || fd.Collect != "permeate" {
		t.Fatalf("filter detail %+v", fd)
	}
	if f := sp["microvesicle"]; !(f.Kept > 0.5*f.In) || !(fd.DamagedFraction["microvesicle"] > 0.05) {
		t.Errorf("microvesicles: %g of %g pass, %g damaged; want most through by squeezing, some ruptured", f.Kept, f.In, fd.DamagedFraction["microvesicle"])
	}
	if !(fd.FiltrationMinutes > 0 && st.Time.RunMinutes == fd.FiltrationMinutes && fd.TMPkPa == 100) {
		t.Errorf("filtration %g min, run %g min, TMP %g kPa", fd.FiltrationMinutes, st.Time.RunMinutes, fd.TMPkPa)
	}
	if fd.TrappedFraction["cell"] <= 0 {
		t.Errorf("cells trapped %g, want > 0 (half the deposit is not recovered)", fd.TrappedFraction["cell"])
	}
	res = run(t, lib, p, protocol.Options{Sieve: protocol.SharpCutoff})
	st = res.Steps[0]
	if f := st.Species["microvesicle"]; !(f.Kept > 0.1*f.In && f.Kept < 0.9*f.In) || st.Filter.Model != "caller's filter model" || st.Time.RunMinutes != 0 {
		t.Errorf("caller's sieve: microvesicles %g of %g, model %q, %g min", f.Kept, f.In, st.Filter.Model, st.Time.RunMinutes)
	}
	none := func(string, float64, float64) float64 { return 0 }
	res = run(t, lib, p, protocol.Options{Sieve: none})
	if f := res.Steps[0].Species["exosome"]; f.Kept != 0 {
		t.Errorf("caller's sieve not used: %g kept", f.Kept)
	}
}

// The product's size distribution is integrated over the species' nodes:
// its bins sum to the species' count, and the exosome median after a
// 10,000 × g spin is smaller than in the input (large ones pelleted).
func TestSizeDistribution(t *testing.T) {
	lib := library(t)
	res := run(t, lib, preset(t, lib, "thery2006"), protocol.Options{})
	for _, st := range res.Steps {
		for id, hist := range st.Product.Size.Counts {
			var sum float64
			for _, c := range hist {
				sum += c
			}
			if want := st.Product.Species[id].Particles; math.Abs(sum-want) > 1e-9*want {
				t.Errorf("step %d %s: histogram sums to %g, species count %g", st.Index, id, sum, want)
			}
		}
	}
	in := res.Steps[0].Product.Species["exosome"].MedianDiameterNM
	var after float64
	for _, st := range res.Steps {
		if st.Spin != nil && st.Spin.RCFAvg > 9000 && st.Spin.RCFAvg < 11000 {
			after = st.Product.Species["exosome"].MedianDiameterNM
		}
	}
	if !(after < in && after > 30) {
		t.Errorf("exosome median %g nm after 10,000 × g, %g nm before", after, in)
	}
	if e := res.Final.Size.EdgesNM; len(e) != 26 || e[0] != 1 || math.Abs(e[25]-1e5) > 1e-6 {
		t.Errorf("histogram edges %v", e)
	}
}

// Inputs: the default volume (an estimate, shown as such), the protocol's
// volume, or the caller's, in that order of precedence; concentrations
// from inputs.json.
func TestInputVolume(t *testing.T) {
	lib := library(t)
	p := protocol.Protocol{Name: "pool", Input: "msc-cm", Steps: []protocol.Step{{Kind: "pool"}}}
	res := run(t, lib, p, protocol.Options{})
	in, _ := lib.Input("msc-cm")
	if res.Input.VolumeFrom != "input default" || res.Input.VolumeConfidence != "estimate" || math.Abs(res.Input.VolumeML-in.DefaultVolumeM3*1e6) > 1e-9 {
		t.Errorf("default volume: %+v", res.Input)
	}
	if want := in.PerM3["exosome"] * in.DefaultVolumeM3; math.Abs(res.Input.Species["exosome"]/want-1) > 1e-12 {
		t.Errorf("exosomes %g, want %g", res.Input.Species["exosome"], want)
	}
	p.VolumeML = 50
	if r := run(t, lib, p, protocol.Options{}); r.Input.VolumeFrom != "protocol" || r.Input.VolumeML != 50 || r.Input.VolumeConfidence != "" {
		t.Errorf("protocol volume: %+v", r.Input)
	}
	if r := run(t, lib, p, protocol.Options{VolumeML: 7}); r.Input.VolumeFrom != "caller" || r.Input.VolumeML != 7 {
		t.Errorf("caller volume: %+v", r.Input)
	}
	// Soluble protein as albumin molecules: 0.05 mg/mL × 120 mL = 6000 µg.
	if math.Abs(res.Final.Species["albumin"].ProteinUG-6000) > 1e-6 {
		t.Errorf("albumin %g µg, want 6000", res.Final.Species["albumin"].ProteinUG)
	}
}

// A bad protocol file gives one message per problem, each naming the step
// and field and the allowed range.
func TestValidationMessages(t *testing.T) {
	lib := library(t)
	file := `{
	 "name": "bad", "input": "urine", "volume_ml": -3, "colour": "red",
	 "steps": [
	  {"kind": "spin", "name": "low", "rotor": "SW 41 Ti", "rcf": 300, "minutes": 10, "keep": "supernatant"},
	  {"kind": "spin", "name": "too fast", "rotor": "SW 41 Ti", "rcf": 300000, "minutes": 0, "keep": "both", "temperature_c": 50},
	  {"kind": "spin", "name": "10,000 × g", "rotor": "SW 99", "rpm": 10000, "rcf": 10000, "keep": "pellet", "minutes": 30},
	  {"kind": "filter", "pore_um": 0.001, "minutes": 3},
	  {"kind": "resuspend", "volume_ml": "one"},
  {"kind": "resuspend", "volume_ml": 2, "factor": 0.5},
	  {"kind": "centrifuge"},
	  {"kind": "spin", "rotor": "SW 41 Ti", "rpm": 50000, "minutes": 70, "keep": "pellet", "rcf_at": "mid", "speed": 3}
	 ]}`
	p, probs := lib.ParseFile([]byte(file))
	msgs := make([]string, len(probs))
	for i, pr := range probs {
		msgs[i] = pr.String()
	}
	all := strings.Join(msgs, "\n")
	sw41, _ := lib.Catalog.Rotors.Find("SW 41 Ti")
	maxRCF := math.Floor(rotor.RCF(sw41.MaxRPM, sw41.RMaxM))
	for _, want := range []string{
		`field colour: unknown field`,
		`field input: "urine" is not a known input (allowed: msc-cm, plasma)`,
		`field volume_ml: -3 mL is outside the allowed range: above 0 up to 100000 mL`,
		`step 2 (spin "too fast"): field rcf: 300000 × g is above the SW 41 Ti maximum ` + fmtFloat(maxRCF) + ` × g at r_max (allowed: above 0 up to ` + fmtFloat(maxRCF) + ` × g at r_max, i.e. 41000 rpm)`,
		`step 2 (spin "too fast"): field minutes: 0 min is outside the allowed range: above 0 up to 2880 min`,
		`step 2 (spin "too fast"): field keep: "both" is not allowed (allowed: pellet, supernatant)`,
		`step 2 (spin "too fast"): field temperature_c: 50 °C is outside the allowed range 0–40 °C`,
		`step 3 (spin "10,000 × g"): field rotor: "SW 99" is not a catalogue rotor (allowed: SW 28, SW 28.1 Ti,`,
		`step 3 (spin "10,000 × g"): field rpm: give exactly one of rpm and rcf`,
		`step 4 (filter): field minutes: not used by a filter step (allowed: kind, name, note, source, pore_um, membrane, module, tmp_kpa)`,
		`step 4 (filter): field pore_um: 0.001 µm is outside the allowed range 0.02–10 µm`,
		`step 5 (resuspend): field volume_ml: expected a number, found a JSON string`,
		`step 6 (resuspend): field volume_ml: give exactly one of volume_ml (final volume per vessel) and factor (dilution)`,
		`step 7 (centrifuge): field kind: "centrifuge" is not a step kind (allowed: spin, filter, ultrafilter, resuspend, pool, gradient)`,
		`step 8 (spin): field rpm: 50000 rpm is outside the allowed range: above 0 up to the SW 41 Ti maximum 41000 rpm`,
		`step 8 (spin): field rcf_at: "mid" is not a radius convention (allowed: min, avg, max)`,
		`step 8 (spin): field speed: unknown field (allowed for a spin step: kind, name, note, source, rotor, rpm, rcf`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "step 5 (resuspend): field volume_ml: 0 mL") {
		t.Errorf("a field with a type error was checked again for its value:\n%s", all)
	}
	// One message per problem: no message repeats, and step 1 (valid) has none.
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m] {
			t.Errorf("repeated: %s", m)
		}
		seen[m] = true
		if strings.HasPrefix(m, "step 1 ") {
			t.Errorf("valid step 1 reported: %s", m)
		}
	}
	if _, err := lib.Run(p, protocol.Options{}); err == nil {
		t.Error("Run accepted the bad protocol")
	}
	if _, probs := protocol.Parse([]byte(`[1, 2]`)); len(probs) != 1 || !strings.Contains(probs[0].String(), "not a JSON object") {
		t.Errorf("non-object: %v", probs)
	}
}

func fmtFloat(v float64) string { b, _ := json.Marshal(v); return string(b) }

// A resuspension to less than a vessel already holds adds nothing and says
// so; a dilution factor multiplies the volume.
func TestResuspend(t *testing.T) {
	lib := library(t)
	p := protocol.Protocol{Name: "shrink", Input: "msc-cm", VolumeML: 10, Steps: []protocol.Step{
		{Kind: "resuspend", Name: "too little", VolumeML: 5},
		{Kind: "resuspend", Name: "dilute", Factor: 3},
	}}
	res := run(t, lib, p, protocol.Options{})
	s := res.Steps[0]
	if s.VolumeOutML != 10 || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "already holds 10 mL, more than volume_ml 5 mL: no PBS added") {
		t.Errorf("volume %g mL, warnings %q", s.VolumeOutML, s.Warnings)
	}
	if v := res.Steps[1].VolumeOutML; v != 30 {
		t.Errorf("factor 3: %g mL, want 30", v)
	}
	if _, err := lib.Run(p, protocol.Options{VolumeML: -1}); err == nil || !strings.Contains(err.Error(), "field volume_ml: -1 mL") {
		t.Errorf("bad override: err = %v", err)
	}
}

// The result is plain JSON with the keys the CLI documents, and a
// protocol survives a JSON round trip (the UI's format).
func TestJSON(t *testing.T) {
	lib := library(t)
	p := preset(t, lib, "nikfarjam2020")
	b, err := p.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	back, probs := protocol.Parse(b)
	if len(probs) > 0 || !reflect.DeepEqual(back, p) {
		t.Fatalf("round trip: %v\n%+v\n%+v", probs, back, p)
	}
	res := run(t, lib, p, protocol.Options{})
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Steps []struct {
			Name, Kind string
			Species    map[string]map[string]float64
			Minutes    *float64
		}
		Final map[string]any
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Steps) != len(p.Steps) || m.Steps[0].Name == "" || m.Steps[0].Kind != "spin" || m.Steps[0].Minutes == nil {
		t.Fatalf("steps: %+v", m.Steps[0])
	}
	for _, k := range []string{"in", "kept", "discarded"} {
		if _, ok := m.Steps[0].Species["exosome"][k]; !ok {
			t.Errorf("steps[0].species.exosome lacks %q", k)
		}
	}
	for _, k := range []string{"exosome_yield_fraction", "particles", "protein_ug", "particles_per_ug_protein", "total_minutes"} {
		if _, ok := m.Final[k].(float64); !ok {
			t.Errorf("final lacks number %q", k)
		}
	}
}

// Broken data files are reported together, each problem naming the file
// and field: inputs.json (unit, species, source, range) and a preset.
func TestLoadReportsEveryProblem(t *testing.T) {
	lib := library(t)
	m := fstest.MapFS{}
	err := fs.WalkDir(assets.Data, "data", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.Data.ReadFile(p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	in := string(m["data/inputs.json"].Data)
	in = strings.Replace(in, `"unit": "particles/mL"`, `"unit": "per mL"`, 1)
	in = strings.Replace(in, `"exosome": {`, `"exosomes": {`, 1)
	in = strings.Replace(in, `"source": "rosenson1996"`, `"source": "hearsay"`, 1)
	in = strings.Replace(in, `"value": 0.005,`, `"value": 0.9,`, 1)
	m["data/inputs.json"] = &fstest.MapFile{Data: []byte(in)}
	pr := strings.Replace(string(m["data/presets/thery2006.json"].Data), `"rcf": 2000,`, `"rcf": 2e6,`, 1)
	m["data/presets/thery2006.json"] = &fstest.MapFile{Data: []byte(pr)}
	_, err = protocol.Load(m, lib.Catalog)
	if err == nil {
		t.Fatal("broken data accepted")
	}
	for _, want := range []string{
		`inputs.json: inputs[0] "msc-cm".particles.cell: unit "per mL" is unknown`,
		`inputs.json: inputs[0] "msc-cm".particles.exosomes: unknown species (allowed: cell, apoptotic-body`,
		`inputs.json: inputs[1] "plasma".liquid.viscosity_ratio: source "hearsay" is not in sources.json`,
		`inputs.json: spin.residual_fraction: 0.9 is outside the allowed range 1e-05–0.2`,
		`presets/thery2006.json: step 2 (spin "2,000 × g, 10 min"): field rcf: 2000000 × g is above the Sorvall SS-34 maximum`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// A sample far smaller than the tube: a warning that the model assumes
// full tubes, and a pellet that keeps no more liquid than there was.
func TestPartlyFilledTube(t *testing.T) {
	lib := library(t)
	p := protocol.Protocol{Name: "tiny", Input: "msc-cm", VolumeML: 0.03, Steps: []protocol.Step{
		{Kind: "spin", Rotor: "SW 41 Ti", RCF: 100000, Minutes: 70, Keep: "pellet"},
	}}
	s := run(t, lib, p, protocol.Options{}).Steps[0]
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "the SW 41 Ti tube is only 0 % full; the model assumes full tubes") {
		t.Errorf("warnings %q", s.Warnings)
	}
	if s.VolumeOutML > s.VolumeInML {
		t.Errorf("pellet volume %g mL from a %g mL sample", s.VolumeOutML, s.VolumeInML)
	}
	p.Steps[0].Keep = "supernatant"
	if _, err := lib.Run(p, protocol.Options{}); err == nil || !strings.Contains(err.Error(), `step 1 (spin): field keep: the 0.03 mL sample is no more than the liquid left with the pellets (1 × 66 µL)`) {
		t.Errorf("supernatant of a tiny sample: err = %v", err)
	}
}

// Options.Trace hands every step its input nodes: per species, the node
// counts add up to what the step's result says entered it, and tracing
// does not change the result.
func TestTraceGivesEachStepsInput(t *testing.T) {
	lib := library(t)
	p := preset(t, lib, "nikfarjam2020")
	var traced [][]protocol.SpeciesNodes
	res := run(t, lib, p, protocol.Options{Trace: func(step int, in []protocol.SpeciesNodes) {
		if step != len(traced)+1 {
			t.Errorf("Trace called for step %d after %d calls", step, len(traced))
		}
		traced = append(traced, in)
	}})
	if len(traced) != len(p.Steps) {
		t.Fatalf("Trace called %d times for %d steps", len(traced), len(p.Steps))
	}
	for i, in := range traced {
		for _, sp := range in {
			var sum float64
			for _, n := range sp.Nodes {
				sum += n.Weight
			}
			want := res.Steps[i].Species[sp.ID].In
			if math.Abs(sum-want) > 1e-9*math.Max(want, 1) {
				t.Errorf("step %d, %s: nodes hold %g, the step's input is %g", i+1, sp.ID, sum, want)
			}
		}
	}
	plain := run(t, lib, p, protocol.Options{})
	if !reflect.DeepEqual(plain, res) {
		t.Error("a traced run differs from a plain one")
	}
}
