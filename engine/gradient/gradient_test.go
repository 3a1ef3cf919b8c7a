package gradient

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

func ptr(v float64) *float64 { return &v }

// The tables are reproduced at their rows, and the temperature law at the
// rows whose second temperature was read (exact by construction of β:
// tolerance 1e-9 relative).
func TestMediaReproduceTables(t *testing.T) {
	l := testLib(t)
	cases := []struct {
		medium       string
		pct, celsius float64
		rhoGPerML    float64 // 0: not checked
		etaMPas      float64
	}{
		{"sucrose", 40, 20, 1.1765, 6.162},
		{"sucrose", 20, 5, 0, 3.154},
		{"sucrose", 40, 5, 0, 11.56},
		{"sucrose", 60, 5, 0, 156},
		{"cscl", 30, 20, 1.2885, 0.922},
		{"cscl", 60, 20, 1.7868, 1.120},
		{"iodixanol", 55, 20, 0, 11.3},
		{"iodixanol", 55, 37, 0, 5.8},
		{"iodixanol", 65.2, 37, 0, 11.4},
		{"iodixanol", 60, 20, 1.320, 0},
	}
	for _, tc := range cases {
		m := l.Media[tc.medium]
		c := m.ConcentrationForPercent(tc.pct)
		if tc.rhoGPerML > 0 {
			if got := m.DensityKgM3(c, tc.celsius) / 1e3; math.Abs(got-tc.rhoGPerML) > 1e-9*tc.rhoGPerML {
				t.Errorf("%s %g %%, %g °C: density %.6f g/mL, want %.6f", tc.medium, tc.pct, tc.celsius, got, tc.rhoGPerML)
			}
		}
		if tc.etaMPas > 0 {
			if got := m.ViscosityPas(c, tc.celsius) * 1e3; math.Abs(got-tc.etaMPas) > 1e-9*tc.etaMPas {
				t.Errorf("%s %g %%, %g °C: viscosity %.6f mPa·s, want %.6f", tc.medium, tc.pct, tc.celsius, got, tc.etaMPas)
			}
		}
		if back := m.PercentForConcentration(c); math.Abs(back-tc.pct) > 1e-9*tc.pct {
			t.Errorf("%s: percent round trip %g → %g", tc.medium, tc.pct, back)
		}
	}
	// CsCl: the equilibrium coefficient at the reference density is the
	// data's β° (1.19e9 cgs = 119 SI), to 1e-9.
	m := l.Media["cscl"]
	c, _ := m.ConcentrationForDensity(1700, 25)
	if b := m.Beta(c, 25); math.Abs(b-119) > 119e-9 {
		t.Errorf("CsCl β(1.7 g/mL) = %g, want 119 m⁵/(kg·s²)", b)
	}
}

// The finite-volume solver against the slowest mode of the Lamm equation
// with constant v and D in a closed column: the distance from equilibrium
// decays as e^(−λ₁t), λ₁ = Dπ²/L² + v²/(4D) (tolerance 1 %).
func TestFVDecayRate(t *testing.T) {
	const n, L, D = 400, 0.01, 1e-9
	for _, v := range []float64{0, 2e-7, 5e-7} {
		h := L / n
		c := make([]float64, n)
		ceq := make([]float64, n)
		var sum float64
		for i := range ceq {
			x := (float64(i) + 0.5) * h
			ceq[i] = math.Exp(v * x / D)
			sum += ceq[i]
		}
		for i := range ceq {
			ceq[i] *= float64(n) / sum
			if i < n/2 {
				c[i] = 2 // all solute in the top half at the start
			}
		}
		fv := newFV(n, h)
		vs, ds := make([]float64, n-1), make([]float64, n-1)
		for i := range vs {
			vs[i], ds[i] = v, D
		}
		lam := D*math.Pi*math.Pi/(L*L) + v*v/(4*D)
		dist := func() float64 {
			var s float64
			for i := range c {
				s += math.Abs(c[i] - ceq[i])
			}
			return s
		}
		dt := 0.002 / lam
		var d1 float64
		for k := 0; k < 2000; k++ {
			fv.step(c, vs, ds, dt)
			if k == 999 {
				d1 = dist()
			}
		}
		got := math.Log(d1/dist()) / (1000 * dt)
		// Backward Euler decays as (1 + λdt)^(−1) per step.
		want := math.Log(1+lam*dt) / dt
		if math.Abs(got-want) > 0.01*want {
			t.Errorf("v = %g: decay rate %g /s, want %g (λ₁ = %g)", v, got, want, lam)
		}
		var mass float64
		for _, x := range c {
			mass += x
		}
		if math.Abs(mass-n) > 1e-9*n {
			t.Errorf("v = %g: mass %g, want %d", v, mass, n)
		}
	}
}

// BDF2 (after one backward-Euler step, as solveMedium starts) converges
// at second order in dt: from a smooth start, the L1 error at t = 0.5/λ₁
// against a 64×-finer BDF2 run falls by 4 ± 0.6 when dt halves (backward
// Euler's by 2), and mass is conserved (1e-9).
func TestFVBDF2SecondOrder(t *testing.T) {
	const n, L, D, v = 200, 0.01, 1e-9, 2e-7
	h := L / n
	lam := D*math.Pi*math.Pi/(L*L) + v*v/(4*D)
	T := 0.5 / lam
	run := func(steps int) []float64 {
		c := make([]float64, n)
		for i := range c {
			x := (float64(i) + 0.5) * h
			c[i] = math.Exp(v*x/D) * (1 + 0.5*math.Cos(math.Pi*x/L))
		}
		fv := newFV(n, h)
		vs, ds := make([]float64, n-1), make([]float64, n-1)
		for i := range vs {
			vs[i], ds[i] = v, D
		}
		prev, saved, rhs := make([]float64, n), make([]float64, n), make([]float64, n)
		dt := T / float64(steps)
		for k := 0; k < steps; k++ {
			copy(saved, c)
			if k == 0 {
				fv.step(c, vs, ds, dt)
			} else {
				fv.bdf2(c, prev, rhs, vs, ds, dt, dt)
			}
			copy(prev, saved)
		}
		return c
	}
	mass := func(c []float64) float64 {
		var s float64
		for _, x := range c {
			s += x
		}
		return s
	}
	ref := run(64 * 32)
	err := func(steps int) float64 {
		c := run(steps)
		if m, want := mass(c), mass(ref); math.Abs(m-want) > 1e-9*want {
			t.Errorf("%d steps: mass %g, want %g", steps, m, want)
		}
		var s float64
		for i := range c {
			s += math.Abs(c[i] - ref[i])
		}
		return s
	}
	for _, steps := range []int{8, 16} {
		if r := err(steps) / err(2*steps); math.Abs(r-4) > 0.6 {
			t.Errorf("%d → %d steps: error ratio %.2f, want 4 (second order)", steps, 2*steps, r)
		}
	}
}

// synthetic returns a library with a medium "linear": density linear in
// c from water up by 300 kg/m³, viscosity water's, solute frozen (no
// sedimentation, negligible diffusion), for tests against closed forms.
func synthetic(t *testing.T) *Library {
	l := testLib(t)
	cp := *l
	cp.Media = map[string]*Medium{}
	for k, v := range l.Media {
		cp.Media[k] = v
	}
	w := l.Catalog.Media["water"]
	w20, _ := w.DensityKgM3(20)
	m := &Medium{ID: "linear", Name: "linear test medium", Basis: "w/v", water: w,
		pct: []float64{0, 100}, c: []float64{0, 1000}, rho20: []float64{w20, w20 + 300},
		lnEta: []float64{0, 0}, beta: []float64{0, 0}, MolarMassKgMol: 0, Ions: 1, Diffusion25M2S: 1e-30}
	cp.Media["linear"] = m
	return &cp
}

// A particle in a linear density gradient with constant viscosity moves by
// dr/dt = A·r·(r_eq − r), A = d²gω²/(18η): the logistic
// r(t) = r_eq / (1 + (r_eq/r0 − 1)·e^(−A·r_eq·t)). The packet mean must
// follow it within 0.2 % of the starting distance; at long times it rests
// where ρm = ρp (0.05 kg/m³), with the variance of the sedimentation–
// diffusion equilibrium σ² = k_B T/(Vp·g·ω²r_eq), Vp = πd³/6 (1 %).
func TestApproachAndEquilibriumWidth(t *testing.T) {
	l := synthetic(t)
	const d, rhoP = 100e-9, 1150.0
	p := Params{Mode: Isopycnic, Medium: "linear", Load: LoadBottom, Shape: ShapeLinear, FromPercent: 1, ToPercent: 60,
		SampleML: 0.05, Rotor: "SW 41 Ti", RPM: 30000, Minutes: 600, Fractions: 10, AccelMinutes: ptr(0), DecelMinutes: ptr(0)}
	sample := Sample{Species: []SpeciesSample{{ID: "x", Nodes: []NodeSample{{DiameterM: d, DensityKgM3: rhoP, Count: 1}}}}}
	run, err := l.Compute(p, sample)
	if err != nil {
		t.Fatal(err)
	}
	rho := run.rho[0]
	g := (rho[len(rho)-1] - rho[0]) / (run.CentersM[len(rho)-1] - run.CentersM[0])
	r0c, rho0 := run.CentersM[0], rho[0]
	req := r0c + (rhoP-rho0)/g
	eta := run.eta[0][0]
	w2 := run.omega * run.omega
	A := d * d * g * w2 / (18 * eta)
	pr := run.spec[0].nodes[0].parts[0]
	r0 := pr.mean[0]
	last := len(run.TimesS) - 1
	for _, k := range []int{last / 12, last / 6, last / 3, last} {
		tt := run.TimesS[k]
		want := req / (1 + (req/r0-1)*math.Exp(-A*req*tt))
		if got := pr.mean[k]; math.Abs(got-want) > 2e-3*math.Abs(r0-req) {
			t.Errorf("t = %.0f s: mean %.6f mm, logistic %.6f mm (start %.3f, r_eq %.3f)", tt, got*1e3, want*1e3, r0*1e3, req*1e3)
		}
	}
	if A*req*run.TimesS[last] < 20 {
		t.Fatalf("test set-up: only %.1f relaxation times", A*req*run.TimesS[last])
	}
	if got := pr.mean[last]; math.Abs((got-req)*g) > 0.05 {
		t.Errorf("rest position %.6f mm, ρm there differs from ρp by %.3g kg/m³", got*1e3, (got-req)*g)
	}
	kT := Boltzmann * (run.TemperatureC + Kelvin)
	want := kT / (math.Pi / 6 * d * d * d * g * w2 * req)
	if got := pr.vari[last]; math.Abs(got-want) > 0.01*want {
		t.Errorf("equilibrium variance %.4g m², analytic %.4g m²", got, want)
	}
}

// Every node's particles end in a fraction or the pellet (1e-9), the
// medium's solute is conserved (1e-9 relative).
func TestMassConservation(t *testing.T) {
	l := testLib(t)
	run, err := l.Compute(onodi(Isopycnic), sampleOf(t, l, plasmaCounts, 8, 3))
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]float64{}
	for _, sp := range run.spec {
		for _, nd := range sp.nodes {
			in[sp.id] += nd.s.Count
		}
	}
	out := run.Pellet()
	for _, f := range run.Fractions() {
		for id, x := range f.Species {
			out[id] += x
		}
	}
	for id, x := range in {
		if math.Abs(out[id]-x) > 1e-9*x {
			t.Errorf("%s: %g in, %g in fractions and pellet", id, x, out[id])
		}
	}
	var m0, m1 float64
	for i := range run.conc[0] {
		m0 += run.conc[0][i]
		m1 += run.conc[len(run.conc)-1][i]
	}
	if math.Abs(m1-m0) > 1e-9*m0 {
		t.Errorf("medium solute %g → %g", m0, m1)
	}
}

// peakOf returns the 1-based fraction holding most of a species.
func peakOf(fr []Fraction, id string) int {
	best, k := -1.0, 0
	for _, f := range fr {
		if f.Species[id] > best {
			best, k = f.Species[id], f.Index
		}
	}
	return k
}

// shareIn is the share of a species found in the given fractions.
func shareIn(fr []Fraction, id string, idx []int) float64 {
	var tot, in float64
	for _, f := range fr {
		tot += f.Species[id]
	}
	for _, j := range idx {
		in += fr[j-1].Species[id]
	}
	return in / tot
}

// Isopycnic in iodixanol, long enough for the small lipoproteins to reach
// their buoyant density (SW 55 Ti, 72 h): HDL (1.063–1.21 g/mL) co-bands
// with exosomes (1.13–1.19): at least 30 % of the HDL in the exosome-rich
// fractions; LDL and VLDL peak above them (smaller index) with under 1 %
// in them. From species.json densities; no rule.
func TestIsopycnicHDLCoBandsLDLVLDLFloatAbove(t *testing.T) {
	l := testLib(t)
	p := Params{Mode: Isopycnic, Medium: "iodixanol", FromPercent: 10, ToPercent: 50, SampleML: 0.25, Rotor: "SW 55 Ti", RPM: 55000, Minutes: 72 * 60, Fractions: 10}
	run, err := l.Compute(p, sampleOf(t, l, plasmaCounts, 8, 3))
	if err != nil {
		t.Fatal(err)
	}
	fr := run.Fractions()
	rich := run.ExosomeRich
	if len(rich) == 0 {
		t.Fatal("no exosome-rich fractions")
	}
	if s := shareIn(fr, "hdl", rich); s < 0.3 {
		t.Errorf("HDL in the exosome-rich fractions %v: %.3f, want ≥ 0.3", rich, s)
	}
	for _, id := range []string{"ldl", "vldl"} {
		if s := shareIn(fr, id, rich); s > 0.01 {
			t.Errorf("%s in the exosome-rich fractions %v: %.3g, want < 0.01", id, rich, s)
		}
		if pk := peakOf(fr, id); pk >= rich[0] {
			t.Errorf("%s peaks in fraction %d, not above the exosome-rich %v", id, pk, rich)
		}
	}
	if e := run.Equilibrated[ExosomeID]; e < 0.99 {
		t.Errorf("exosomes equilibrated share %.3f after 72 h, want ≥ 0.99", e)
	}
}

// Rate-zonal in a shallow sucrose gradient: particles of one density move
// down in order of size (mean radius increasing with diameter, and the
// order of peak fractions); HDL stays above the exosomes (under 1 % of it
// in the exosome-rich fractions); over-spinning pellets exosomes unless a
// cushion denser than them stops them (pellet share ≥ 0.2 without, ≤ 1e-3
// with).
func TestRateZonal(t *testing.T) {
	l := testLib(t)
	base := Params{Mode: RateZonal, Medium: "sucrose", FromPercent: 5, ToPercent: 20, SampleML: 0.5, Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 30, Fractions: 12}
	var nodes []NodeSample
	for _, dnm := range []float64{40, 70, 100, 130} {
		nodes = append(nodes, NodeSample{DiameterM: dnm * 1e-9, DensityKgM3: 1150, Count: 1})
	}
	run, err := l.Compute(base, Sample{Species: []SpeciesSample{{ID: "sized", Nodes: nodes}}})
	if err != nil {
		t.Fatal(err)
	}
	snap := run.At(run.DurationS)
	prev := 0.0
	for i, nd := range snap.Species[0].Nodes {
		if nd.PelletedShare > 0.5 {
			t.Fatalf("node %d pelleted; the test needs bands", i)
		}
		if nd.MeanRadiusM <= prev+1e-3 {
			t.Errorf("d = %.0f nm at %.2f mm, not at least 1 mm below the smaller particle (%.2f mm)", nd.DiameterM*1e9, nd.MeanRadiusM*1e3, prev*1e3)
		}
		prev = nd.MeanRadiusM
	}

	run, err = l.Compute(base, sampleOf(t, l, plasmaCounts, 8, 3))
	if err != nil {
		t.Fatal(err)
	}
	if s := shareIn(run.Fractions(), "hdl", run.ExosomeRich); s > 0.01 {
		t.Errorf("rate-zonal: HDL share in the exosome-rich fractions %v = %.3g, want < 0.01", run.ExosomeRich, s)
	}

	long := base
	long.Minutes = 180
	counts := map[string]float64{"exosome": 1e9}
	run, err = l.Compute(long, sampleOf(t, l, counts, 8, 3))
	if err != nil {
		t.Fatal(err)
	}
	if pel := run.Pellet()[ExosomeID] / 1e9; pel < 0.2 {
		t.Errorf("over-spun without cushion: exosome pellet share %.3f, want ≥ 0.2", pel)
	}
	cush := long
	cush.ToPercent = 15
	cush.CushionPercent, cush.CushionML = 60, 1.5
	run, err = l.Compute(cush, sampleOf(t, l, counts, 8, 3))
	if err != nil {
		t.Fatal(err)
	}
	if pel := run.Pellet()[ExosomeID] / 1e9; pel > 1e-3 {
		t.Errorf("with a 60 %% sucrose cushion: exosome pellet share %.3g, want ≤ 1e-3", pel)
	}
	fr := run.Fractions()
	if pk := peakOf(fr, ExosomeID); pk < len(fr)-1 {
		t.Errorf("with a cushion the exosomes should collect on it (bottom fractions), peak %d of %d", pk, len(fr))
	}
}

func TestValidate(t *testing.T) {
	l := testLib(t)
	ok := Params{Mode: Isopycnic, Medium: "iodixanol", FromDensityGPerML: 1.05, ToDensityGPerML: 1.25, Rotor: "SW 41 Ti", RCF: 100000, Minutes: 600, Fractions: 10}
	if probs := l.Validate(ok); len(probs) > 0 {
		t.Fatalf("valid params rejected: %v", probs)
	}
	cases := []struct {
		name   string
		edit   func(*Params)
		field  string
		substr string
	}{
		{"fixed angle", func(p *Params) { p.Rotor = "Type 70 Ti" }, "rotor", "SW 41 Ti"},
		{"unknown rotor", func(p *Params) { p.Rotor = "XX" }, "rotor", "allowed swinging-bucket rotors"},
		{"mode", func(p *Params) { p.Mode = "fast" }, "mode", "rate-zonal, isopycnic"},
		{"medium", func(p *Params) { p.Medium = "ficoll" }, "medium", "cscl, iodixanol, sucrose"},
		{"density range", func(p *Params) { p.ToDensityGPerML = 1.5 }, "to_density_g_per_ml", "outside the medium's range"},
		{"both density and percent", func(p *Params) { p.FromPercent = 10 }, "from_percent", "not both"},
		{"no speed", func(p *Params) { p.RCF = 0 }, "rpm", "exactly one"},
		{"too fast", func(p *Params) { p.RCF = 1e6 }, "rcf", "maximum"},
		{"minutes", func(p *Params) { p.Minutes = 0 }, "minutes", "above 0 up to"},
		{"fractions", func(p *Params) { p.Fractions = 0 }, "fractions", "1–100"},
		{"cushion half", func(p *Params) { p.CushionML = 1 }, "cushion_ml", "both"},
		{"layers with linear", func(p *Params) { p.Layers = []Layer{{Percent: 10, VolumeML: 1}} }, "from_density_g_per_ml", "step gradient"},
		{"too full", func(p *Params) { p.GradientML = 20 }, "layers", "more than"},
		{"uniform with to", func(p *Params) { p.Shape = ShapeUniform }, "to_density_g_per_ml", "uniform"},
		{"temperature", func(p *Params) { p.TemperatureC = ptr(80) }, "temperature_c", "0–40"},
		{"ramp", func(p *Params) { p.AccelMinutes = ptr(-1) }, "accel_minutes", "0–60"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := ok
			tc.edit(&p)
			probs := l.Validate(p)
			for _, pr := range probs {
				if pr.Field == tc.field && strings.Contains(pr.Message, tc.substr) {
					return
				}
			}
			t.Errorf("want a problem in %s containing %q, got %v", tc.field, tc.substr, probs)
		})
	}
}

// Snapshots: at t = 0 every packet starts in the sample zone; at the end
// they match the fractions' counts; everything encodes as JSON.
func TestSnapshot(t *testing.T) {
	l := testLib(t)
	run, err := l.Compute(onodi(Isopycnic), sampleOf(t, l, plasmaCounts, 4, 2))
	if err != nil {
		t.Fatal(err)
	}
	z := run.Zones[0]
	s0 := run.At(0)
	for _, sp := range s0.Species {
		for _, nd := range sp.Nodes {
			if nd.MeanRadiusM < z.TopRadiusM || nd.MeanRadiusM > z.BottomRadiusM {
				t.Fatalf("%s starts at %.2f mm, outside the sample %.2f–%.2f mm", sp.ID, nd.MeanRadiusM*1e3, z.TopRadiusM*1e3, z.BottomRadiusM*1e3)
			}
		}
	}
	if s0.Phase != "accel" || run.At(run.AccelS+1).Phase != "hold" || run.At(run.DurationS).Phase != "done" {
		t.Errorf("phases wrong")
	}
	if len(s0.DensityKg) != len(run.CentersM) {
		t.Errorf("density profile has %d points for %d cells", len(s0.DensityKg), len(run.CentersM))
	}
	for _, v := range []any{run, run.At(3600), run.Fractions()} {
		if _, err := json.Marshal(v); err != nil {
			t.Errorf("JSON: %v", err)
		}
	}
}

// The cached evaluator of the inner loops equals the public functions
// (1e-12 relative).
func TestFixedTemperatureCache(t *testing.T) {
	l := testLib(t)
	for _, id := range []string{"sucrose", "iodixanol", "cscl"} {
		m := l.Media[id]
		for _, T := range []float64{4, 20, 37} {
			f := m.at(T)
			for _, pct := range []float64{0, 7, 33, 50} {
				c := m.ConcentrationForPercent(pct)
				s, d := f.sedDiff(c)
				for _, pair := range [][2]float64{{f.density(c), m.DensityKgM3(c, T)}, {f.viscosity(c), m.ViscosityPas(c, T)},
					{s, m.SedimentationS(c, T)}, {d, m.SoluteDiffusionM2S(c, T)}} {
					if math.Abs(pair[0]-pair[1]) > 1e-12*math.Abs(pair[1]) {
						t.Errorf("%s %g %% %g °C: cached %g, direct %g", id, pct, T, pair[0], pair[1])
					}
				}
			}
		}
	}
}

// AtInto, reusing one Snapshot across times (as the stage does each
// frame), gives exactly what At gives afresh (every number, bit for bit).
func TestAtIntoMatchesAt(t *testing.T) {
	l := testLib(t)
	run, err := l.Compute(onodi(Isopycnic), sampleOf(t, l, plasmaCounts, 4, 2))
	if err != nil {
		t.Fatal(err)
	}
	var s Snapshot
	for _, f := range []float64{0.9, 0, 0.3, 1, 0.05} {
		tS := f * run.DurationS
		run.AtInto(tS, &s)
		// A node with nothing in the liquid has no packets: nil from At,
		// an emptied slice from AtInto.
		norm := func(x Snapshot) Snapshot {
			for i := range x.Species {
				for j := range x.Species[i].Nodes {
					if len(x.Species[i].Nodes[j].Parts) == 0 {
						x.Species[i].Nodes[j].Parts = nil
					}
				}
			}
			return x
		}
		if want := run.At(tS); !reflect.DeepEqual(norm(s), norm(want)) {
			t.Fatalf("t = %.0f s: AtInto after reuse differs from At", tS)
		}
	}
}
