package stage

import (
	"errors"
	"math"
	"reflect"
	"testing"

	"exosep/engine/catalog"
	"exosep/engine/ensemble"
	"exosep/wasm/bridge"
)

func cat(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newStage(t testing.TB, p bridge.Params) *Stage {
	t.Helper()
	s, err := New(p, cat(t))
	if err != nil {
		t.Fatalf("New(%+v): %v", p, err)
	}
	return s
}

func params(mod func(*bridge.Params)) bridge.Params {
	p := bridge.Defaults()
	if mod != nil {
		mod(&p)
	}
	return p
}

// runToEnd updates tick by tick until done and returns the number of ticks.
func runToEnd(t testing.TB, s *Stage) int {
	t.Helper()
	limit := int(s.DurationS()/(TickS*s.Params().TimeScale)) + 2
	n := 0
	for !s.Done() {
		if n > limit {
			t.Fatalf("not done after %d ticks (t = %g s of %g s)", n, s.TimeS(), s.DurationS())
		}
		s.Update(TickS)
		n++
	}
	return n
}

func TestSameSeedSameStage(t *testing.T) {
	run := func(seed uint64) (*Stage, []Vertex) {
		s := newStage(t, params(func(p *bridge.Params) { p.Seed = seed; p.Particles = 2000; p.TimeScale = 600 }))
		for range 150 {
			s.Update(TickS)
		}
		v := NewView()
		v.Layout(s, 800, 600, 1)
		return s, append([]Vertex(nil), v.Fill(s)...)
	}
	a, va := run(7)
	b, vb := run(7)
	c, _ := run(8)
	ea, eb, ec := a.Ensemble(), b.Ensemble(), c.Ensemble()
	if a.TimeS() != b.TimeS() || a.TimeS() == 0 {
		t.Fatalf("times differ or zero: %g, %g", a.TimeS(), b.TimeS())
	}
	for i := range ea.Axial {
		if ea.Axial[i] != eb.Axial[i] || ea.Across[i] != eb.Across[i] || ea.State[i] != eb.State[i] {
			t.Fatalf("particle %d differs with the same seed", i)
		}
	}
	for i := range va {
		if va[i] != vb[i] {
			t.Fatalf("vertex %d differs with the same seed: %+v vs %+v", i, va[i], vb[i])
		}
	}
	same := 0 // Across is kept by swinging-bucket motion: it is the sampled start
	for i := range ea.Across {
		if ea.Across[i] == ec.Across[i] {
			same++
		}
	}
	if same > ea.Len()/100 {
		t.Errorf("seeds 7 and 8 give %d of %d identical positions", same, ea.Len())
	}
}

// Swinging bucket and fixed angle, full and partial pelleting.
var runCases = []struct {
	name string
	mod  func(*bridge.Params)
}{
	{"SW41Ti-100kg-70min", nil},
	{"SW41Ti-10kg-20min", func(p *bridge.Params) { p.RCF, p.Minutes = 10000, 20 }},
	{"Type70Ti-100kg-70min", func(p *bridge.Params) { p.Rotor = "Type 70 Ti" }},
	{"Type70Ti-20kg-30min-avg", func(p *bridge.Params) { p.Rotor, p.RCF, p.RCFAt, p.Minutes = "Type 70 Ti", 20000, "avg", 30 }},
	{"Type70Ti-rpm-pbs-20C", func(p *bridge.Params) {
		p.Rotor, p.RCF, p.RPM, p.Minutes, p.Medium, p.TemperatureC = "Type 70 Ti", 0, 45000, 45, "pbs", 20
	}},
}

func TestEndCountsMatchEnsembleAndResult(t *testing.T) {
	for _, tc := range runCases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStage(t, params(func(p *bridge.Params) {
				if tc.mod != nil {
					tc.mod(p)
				}
				p.Particles, p.TimeScale = 20000, 3600
			}))
			runToEnd(t, s)
			if s.TimeS() != s.DurationS() {
				t.Fatalf("ended at %g s, want exactly %g s", s.TimeS(), s.DurationS())
			}
			ens := s.Ensemble()
			want := ens.Counts()
			got := s.Counts()
			res := s.Result()
			pelleted := 0
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("species %s: stage counts %v, ensemble %v", ens.SpeciesIDs[i], got[i], want[i])
				}
				pelleted += got[i][ensemble.Pelleted]
				n := float64(got[i][0] + got[i][1] + got[i][2])
				frac := float64(got[i][ensemble.Pelleted]) / n
				exp := res.Species[i].PelletedFraction
				// 4 binomial standard errors, plus 0.002 for quadrature and
				// the ensemble's discrete wall crossing.
				tol := 4*math.Sqrt(exp*(1-exp)/n) + 0.002
				if math.Abs(frac-exp) > tol {
					t.Errorf("species %s: pelleted fraction %.4f, analytic %.4f (tolerance %.4f)", ens.SpeciesIDs[i], frac, exp, tol)
				}
				fl := float64(got[i][ensemble.Floated]) / n
				expF := res.Species[i].FloatedFraction
				if tolF := 4*math.Sqrt(expF*(1-expF)/n) + 0.002; math.Abs(fl-expF) > tolF {
					t.Errorf("species %s: floated fraction %.4f, analytic %.4f (tolerance %.4f)", ens.SpeciesIDs[i], fl, expF, tolF)
				}
			}
			if len(s.PelletOrder()) != pelleted {
				t.Errorf("pellet order has %d particles, counts say %d", len(s.PelletOrder()), pelleted)
			}
			if pelleted == 0 || pelleted == s.Len() {
				t.Errorf("degenerate case: %d of %d pelleted", pelleted, s.Len())
			}
		})
	}
}

func TestPauseStopsTime(t *testing.T) {
	s := newStage(t, params(nil))
	for range 30 {
		s.Update(TickS)
	}
	t0 := s.TimeS()
	if want := 30 * TickS * 60; math.Abs(t0-want) > 1e-9 {
		t.Fatalf("after 30 ticks at 60×: t = %g s, want %g s", t0, want)
	}
	s.Pause()
	for range 100 {
		s.Update(TickS)
	}
	if s.TimeS() != t0 || s.Playing() {
		t.Fatalf("paused stage moved: %g → %g s (playing %v)", t0, s.TimeS(), s.Playing())
	}
	s.Play()
	s.Update(TickS)
	if !(s.TimeS() > t0) {
		t.Fatalf("play did not resume: %g s", s.TimeS())
	}
}

func TestResetReturnsToStart(t *testing.T) {
	for _, tc := range runCases[:3] {
		t.Run(tc.name, func(t *testing.T) {
			s := newStage(t, params(func(p *bridge.Params) {
				if tc.mod != nil {
					tc.mod(p)
				}
				p.TimeScale = 1200
			}))
			for range 100 {
				s.Update(TickS)
			}
			if len(s.PelletOrder()) == 0 {
				t.Fatal("nothing pelleted before reset: the test checks nothing")
			}
			s.Reset()
			if s.TimeS() != 0 || s.Playing() || s.Done() {
				t.Fatalf("after reset: t = %g, playing %v, done %v", s.TimeS(), s.Playing(), s.Done())
			}
			for i, st := range s.Ensemble().State {
				if st != ensemble.Free || s.Marks()[i] != ensemble.Free {
					t.Fatalf("particle %d not free after reset", i)
				}
			}
			for i, c := range s.Counts() {
				if c[ensemble.Pelleted] != 0 || c[ensemble.Floated] != 0 || c[ensemble.Free] == 0 {
					t.Errorf("species %d counts after reset: %v", i, c)
				}
			}
			if len(s.PelletOrder())+len(s.FloatOrder()) != 0 {
				t.Error("settled lists not empty after reset")
			}
		})
	}
}

func TestReducedMotionJumpsToEnd(t *testing.T) {
	rm := newStage(t, params(func(p *bridge.Params) { p.ReducedMotion = true; p.Particles = 3000 }))
	if !rm.Done() || rm.TimeS() != rm.DurationS() {
		t.Fatalf("reduced motion: done %v at %g s, want done at %g s", rm.Done(), rm.TimeS(), rm.DurationS())
	}
	anim := newStage(t, params(func(p *bridge.Params) { p.Particles = 3000; p.TimeScale = 3600 }))
	runToEnd(t, anim)
	for i := range rm.Counts() {
		if rm.Counts()[i] != anim.Counts()[i] {
			t.Errorf("species %d: reduced motion %v, animated %v", i, rm.Counts()[i], anim.Counts()[i])
		}
	}
	// Play restarts and jumps straight back to the end: no animated frames.
	rm.Play()
	if !rm.Done() || rm.TimeS() != rm.DurationS() {
		t.Errorf("play with reduced motion: done %v at %g s", rm.Done(), rm.TimeS())
	}
	// Switching reduced motion on mid-run jumps to the end.
	anim.Reset()
	anim.Play()
	anim.Update(TickS)
	p := anim.Params()
	p.ReducedMotion = true
	if _, err := anim.SetParams(p); err != nil {
		t.Fatal(err)
	}
	if !anim.Done() {
		t.Error("reduced motion switched on mid-run did not jump to the end")
	}
}

func TestMilestones(t *testing.T) {
	for _, ts := range []float64{60, 600, 3600} {
		s := newStage(t, params(func(p *bridge.Params) { p.TimeScale = ts; p.Particles = 500 }))
		due := 0
		if s.StateDue() {
			due++
		}
		ticks := 0
		for !s.Done() {
			s.Update(TickS)
			ticks++
			if s.StateDue() {
				due++
			}
		}
		// start + 9 intermediate tenths + done
		if due != 11 {
			t.Errorf("time scale %g: %d State messages over %d ticks, want 11", ts, due, ticks)
		}
		for range 10 {
			s.Update(TickS)
			if s.StateDue() {
				t.Errorf("time scale %g: State due after done", ts)
			}
		}
	}
	s := newStage(t, params(nil))
	s.StateDue()
	for _, f := range []func(){s.Pause, s.Play, s.Reset} {
		f()
		if !s.StateDue() {
			t.Error("no State due after play/pause/reset")
		}
		if s.StateDue() {
			t.Error("StateDue did not clear")
		}
	}
	p := s.Params()
	p.Minutes = 30
	if _, err := s.SetParams(p); err != nil || !s.StateDue() {
		t.Errorf("params change: err %v, State not due", err)
	}
}

func TestSetParamsKeepsElapsedTime(t *testing.T) {
	s := newStage(t, params(func(p *bridge.Params) { p.Particles = 2000; p.TimeScale = 600 }))
	for range 120 { // 20 min of process time
		s.Update(TickS)
	}
	t0 := s.TimeS()
	p := s.Params()
	p.RCF = 30000
	if _, err := s.SetParams(p); err != nil {
		t.Fatal(err)
	}
	if s.TimeS() != t0 || s.Done() || !s.Playing() {
		t.Fatalf("after params change: t = %g (want %g), done %v, playing %v", s.TimeS(), t0, s.Done(), s.Playing())
	}
	fresh := newStage(t, p)
	fresh.ens.Seek(t0)
	fresh.reassign()
	for i := range s.Counts() {
		if s.Counts()[i] != fresh.Counts()[i] {
			t.Errorf("species %d: after change %v, fresh stage at the same time %v", i, s.Counts()[i], fresh.Counts()[i])
		}
	}
	// A shorter run than the elapsed time ends it.
	p.Minutes = 10
	if _, err := s.SetParams(p); err != nil {
		t.Fatal(err)
	}
	if !s.Done() || s.TimeS() != 600 {
		t.Errorf("shorter run: done %v at %g s, want done at 600 s", s.Done(), s.TimeS())
	}
	// Time scale alone keeps the particles.
	gen := s.Generation()
	p.TimeScale = 120
	if _, err := s.SetParams(p); err != nil || s.Generation() != gen || s.Params().TimeScale != 120 {
		t.Errorf("time scale change: err %v, rebuilt %v, scale %g", err, s.Generation() != gen, s.Params().TimeScale)
	}
}

func TestBadParamsNameTheField(t *testing.T) {
	cases := []struct {
		field string
		mod   func(*bridge.Params)
	}{
		{"rotor", func(p *bridge.Params) { p.Rotor = "SW 99" }},
		{"particles", func(p *bridge.Params) { p.Particles = 10 }},
		{"particles", func(p *bridge.Params) { p.Particles = bridge.MaxParticles + 1 }},
		{"timeScale", func(p *bridge.Params) { p.TimeScale = 0 }},
		{"rcf", func(p *bridge.Params) { p.RCF = 1e7 }},
		{"rpm", func(p *bridge.Params) { p.RCF, p.RPM = 0, 99999 }},
		{"rpm", func(p *bridge.Params) { p.RPM = 1000 }}, // both rpm and rcf
		{"minutes", func(p *bridge.Params) { p.Minutes = -1 }},
		{"temperatureC", func(p *bridge.Params) { p.TemperatureC = 90 }},
		{"medium", func(p *bridge.Params) { p.Medium = "oil" }},
		{"rcfAt", func(p *bridge.Params) { p.RCFAt = "middle" }},
		{"colorProfile", func(p *bridge.Params) { p.ColorProfile = "neon" }},
		{"species", func(p *bridge.Params) { p.Species = []string{"exosome", "unicorn"} }},
	}
	good := newStage(t, params(func(p *bridge.Params) { p.Particles = 500 }))
	before := good.Params()
	for _, tc := range cases {
		p := params(tc.mod)
		_, err := New(p, cat(t))
		var fe bridge.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || fe.Message == "" {
			t.Errorf("%+v: New gave %v, want a FieldError for %q", p, err, tc.field)
		}
		_, err = good.SetParams(p)
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("SetParams gave %v, want a FieldError for %q", err, tc.field)
		}
		if !reflect.DeepEqual(good.Params(), before) {
			t.Errorf("a rejected SetParams changed the stage's params")
		}
	}
}

func TestParseColor(t *testing.T) {
	cases := []struct {
		in   string
		want RGBA
		ok   bool
	}{
		{"#ff0080", RGBA{1, 0, 128.0 / 255, 1}, true},
		{"#3DDC97", RGBA{0x3d / 255.0, 0xdc / 255.0, 0x97 / 255.0, 1}, true},
		{"ff0080", RGBA{}, false},
		{"#ff008", RGBA{}, false},
		{"#gg0000", RGBA{}, false},
	}
	for _, tc := range cases {
		got, ok := ParseColor(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseColor(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
