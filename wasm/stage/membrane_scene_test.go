package stage

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"exosep/engine/catalog"
	"exosep/engine/protocol"
	"exosep/wasm/bridge"
)

func filtrationRun(t testing.TB, req bridge.FiltrationRequest) *bridge.FiltrationRun {
	t.Helper()
	lib, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	run, probs := bridge.RunFiltration(req, lib)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return run
}

func membraneScene(t testing.TB, req bridge.FiltrationRequest) *MembraneScene {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMembraneScene(filtrationRun(t, req), cat)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The shares of particles drawn passing, retained and trapped per
// species agree with the engine's count-weighted fractions within
// sampling noise: |share − f| ≤ 4·√(f(1−f)/n) + 1/n for n particles of
// the species (a 4σ binomial bound; the chance that one of the ~20
// comparisons fails by noise alone is below 1e-3).
func TestMembraneSharesAgreeWithEngine(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  bridge.FiltrationRequest
	}{
		{"SF, three membranes", bridge.FiltrationRequest{Preset: "heinemann2014-sf", Animation: bridge.FiltrationAnimation{Particles: 2000, ReducedMotion: true}}},
		{"100 kDa dead-end", bridge.FiltrationRequest{Step: json.RawMessage(`{"kind":"ultrafilter","mwco_kda":100,"mode":"deadend","concentration_factor":20}`),
			Animation: bridge.FiltrationAnimation{Particles: 2000, Seed: 3}}},
	} {
		m := membraneScene(t, tc.req)
		checkMembraneShares(t, tc.name, m)
		// The end state's counts are the fates (every event has happened).
		if tc.req.Animation.ReducedMotion {
			st := m.State()
			if !st.Done || st.Filtration == nil || st.Filtration.Phase != PhaseDone {
				t.Fatalf("%s: reduced motion state %+v", tc.name, st)
			}
			for _, sp := range st.Filtration.Species {
				if sp.Waiting != 0 || sp.Passed+sp.Retained+sp.Trapped != sp.Drawn {
					t.Errorf("%s: end state %+v", tc.name, sp)
				}
			}
		}
	}
}

// checkMembraneShares compares, in every step of m, the shares of
// particles drawn passing, retained and trapped per species with the
// engine's count-weighted fractions (see TestMembraneSharesAgreeWithEngine).
func checkMembraneShares(t *testing.T, name string, m *MembraneScene) {
	t.Helper()
	for k, s := range m.steps {
		n, passed, retained, trapped := map[string]float64{}, map[string]float64{}, map[string]float64{}, map[string]float64{}
		for i := s.first; i < s.end; i++ {
			id, fate, _, _, _, _ := m.Particle(i)
			n[id]++
			switch fate {
			case FatePassed, FateDamaged:
				passed[id]++
			case FateRetained:
				retained[id]++
			default:
				trapped[id]++
			}
		}
		for _, e := range s.engine {
			if e.Count == 0 {
				continue
			}
			cnt := n[e.ID]
			if cnt < 50 {
				t.Errorf("%s step %d %s: %g particles drawn, want ≥ 50", name, k+1, e.ID, cnt)
				continue
			}
			for _, c := range []struct {
				what string
				got  float64
				want float64
			}{{"passed", passed[e.ID], e.Passed}, {"retained", retained[e.ID], e.Retained}, {"trapped", trapped[e.ID], e.Trapped}} {
				share := c.got / cnt
				tol := 4*math.Sqrt(c.want*(1-c.want)/cnt) + 1/cnt
				if math.Abs(share-c.want) > tol {
					t.Errorf("%s step %d %s %s: drawn %.4f, engine %.4f (tolerance %.4f)", name, k+1, e.ID, c.what, share, c.want, tol)
				}
			}
		}
	}
}

// Pores are drawn to scale: each gap in the membrane is 2r·k wide for
// the radius drawn from the run's pore sample (within a device pixel),
// and every drawn radius is one of the sample's (or capped by the pitch).
func TestMembranePoresToScale(t *testing.T) {
	m := membraneScene(t, bridge.FiltrationRequest{Preset: "uf-100kda", Animation: bridge.FiltrationAnimation{Particles: 300}})
	for k := range m.steps {
		m.cur = k
		pic := m.Render(1000, 600, 1)
		xs, rs, w := m.Pores()
		kpx := m.view.k
		if math.Abs(kpx*w-(1000-24)) > 1e-6 {
			t.Errorf("step %d: window %g nm at %g px/nm is not the canvas width", k+1, w, kpx)
		}
		sample := m.steps[k].st.Res.PoreRadiiNM
		for j, r := range rs {
			if !slices.Contains(sample, r) && r > 0.45*w/float64(len(rs))+1e-9 {
				t.Errorf("step %d pore %d: radius %g nm is not from the sample", k+1, j, r)
			}
			// Find the gap quad: the permeate-coloured quad inside the band
			// whose centre is the pore's.
			want := math.Max(2*r*kpx, 1)
			found := false
			for q := 0; q+4 <= len(pic.Decor); q += 4 {
				v := pic.Decor[q : q+4]
				if v[0].ColorR != PermeateColor[0] || float64(v[0].DstY) != m.view.memTop {
					continue
				}
				cx := float64(v[0].DstX+v[1].DstX) / 2
				if math.Abs(cx-(m.view.x0+xs[j]*kpx)) < 0.01 {
					found = math.Abs(float64(v[1].DstX-v[0].DstX)-want) < 1e-3
				}
			}
			if !found {
				t.Errorf("step %d pore %d (r %g nm): no gap %g px wide at its place", k+1, j, r, want)
			}
		}
	}
}

// The same seed gives the same picture at the same time; another seed
// another one.
func TestMembraneSameSeedSamePicture(t *testing.T) {
	req := bridge.FiltrationRequest{Preset: "heinemann2014-sf", Animation: bridge.FiltrationAnimation{Particles: 400, Seed: 7}}
	a, b := membraneScene(t, req), membraneScene(t, req)
	req.Animation.Seed = 8
	c := membraneScene(t, req)
	for range 200 {
		a.Update(TickS)
		b.Update(TickS)
		c.Update(TickS)
	}
	pa := slices.Clone(a.Render(800, 500, 1).Particles)
	pb := b.Render(800, 500, 1).Particles
	pc := c.Render(800, 500, 1).Particles
	if !slices.Equal(pa, pb) {
		t.Error("same seed, different pictures")
	}
	if slices.Equal(pa, pc) {
		t.Error("another seed, the same picture")
	}
}

// Playing runs each membrane step from 0 to its end in the engine's
// phases, then the next; states report the step, rising process time and
// permeate, and particles reaching the membrane; the last state is done.
func TestMembranePhasesProgress(t *testing.T) {
	m := membraneScene(t, bridge.FiltrationRequest{Preset: "heinemann2014-sf", Animation: bridge.FiltrationAnimation{Particles: 300}})
	var states []bridge.State
	ticks := 0
	for !m.Done() && ticks < 100000 {
		if m.StateDue() {
			states = append(states, m.State())
		}
		m.Update(TickS)
		ticks++
	}
	if m.StateDue() {
		states = append(states, m.State())
	}
	if !m.Done() {
		t.Fatalf("not done after %d ticks", ticks)
	}
	// 3 steps of 10 s at 60 ticks/s, plus the holds.
	if want := 3 * (bridge.FiltrationStepWallS + stepHoldS) / TickS; math.Abs(float64(ticks)-want) > 0.02*want {
		t.Errorf("%d ticks, want about %g", ticks, want)
	}
	last := states[len(states)-1]
	if !last.Done || last.Filtration.Phase != PhaseDone || last.Filtration.Stage != 3 {
		t.Errorf("last state %+v", last.Filtration)
	}
	stage, prevMin, prevPerm := 0, -1.0, -1.0
	seenTFFPhases := map[string]bool{}
	for _, st := range states[:len(states)-1] {
		f := st.Filtration
		if f.Stage != stage {
			if f.Stage != stage+1 {
				t.Fatalf("stage %d after %d", f.Stage, stage)
			}
			stage, prevMin, prevPerm = f.Stage, -1, -1
		}
		if f.Minutes < prevMin || f.PermeateML < prevPerm-1e-9 {
			t.Errorf("stage %d: time %g after %g, permeate %g after %g", f.Stage, f.Minutes, prevMin, f.PermeateML, prevPerm)
		}
		prevMin, prevPerm = f.Minutes, f.PermeateML
		if f.Stage == 2 {
			seenTFFPhases[f.Phase] = true
		}
	}
	if stage != 3 {
		t.Errorf("reached stage %d of 3", stage)
	}
	if !seenTFFPhases["concentration"] || !seenTFFPhases["diafiltration"] {
		t.Errorf("TFF phases seen: %v, want concentration and diafiltration", seenTFFPhases)
	}
	// Each step reports its tenths: at least 10 states per step.
	if len(states) < 30 {
		t.Errorf("%d states, want ≥ 30", len(states))
	}
	// Reset goes back to the first step, paused; play runs again.
	m.Reset()
	if st := m.State(); st.Filtration.Stage != 1 || st.Minutes != 0 || st.Playing || st.Done {
		t.Errorf("after reset: %+v", st.Filtration)
	}
}

// Reduced motion shows the end at once and stays there; play keeps it.
func TestMembraneReducedMotion(t *testing.T) {
	m := membraneScene(t, bridge.FiltrationRequest{Preset: "uf-1000-then-100kda", Animation: bridge.FiltrationAnimation{Particles: 300, ReducedMotion: true}})
	if !m.Done() || m.Current() != m.Steps()-1 || m.TimeS() != m.steps[m.cur].durationS {
		t.Fatalf("reduced motion: done %v, step %d of %d, t %g", m.Done(), m.Current()+1, m.Steps(), m.TimeS())
	}
	before := slices.Clone(m.Render(640, 400, 1).Particles)
	m.Update(TickS)
	m.Play()
	m.Update(TickS)
	if !m.Done() || !slices.Equal(before, m.Render(640, 400, 1).Particles) {
		t.Error("reduced motion: the picture changed")
	}
}

// After the first layout, a tick and a frame allocate nothing.
// With a colour profile and hidden species as well.
func TestMembraneNoAllocPerFrame(t *testing.T) {
	for _, a := range []bridge.FiltrationAnimation{
		{Particles: 2000},
		{Particles: 2000, ColorProfile: bridge.ProfileHighContrast, Species: []string{"exosome"}},
	} {
		m := membraneScene(t, bridge.FiltrationRequest{Preset: "heinemann2014-sf", Animation: a})
		m.Render(800, 500, 1)
		allocs := testing.AllocsPerRun(200, func() {
			m.Update(TickS)
			m.Render(800, 500, 1)
		})
		if allocs != 0 {
			t.Errorf("%+v: %g allocations per frame, want 0", a, allocs)
		}
	}
}

// Squeezed vesicles are drawn elongated (taller than wide) while in their
// pore; passing particles end up below the membrane, lodged ones at a
// pore mouth.
func TestMembraneDrawsFates(t *testing.T) {
	m := membraneScene(t, bridge.FiltrationRequest{Preset: "heinemann2014-sf", Animation: bridge.FiltrationAnimation{Particles: 2000}})
	s := &m.steps[0] // 100 nm dead-end: exosomes larger than the pores squeeze through
	m.Render(800, 500, 1)
	v := m.view
	squeezed, lodged := 0, 0
	for i := s.first; i < s.end; i++ {
		_, fate, _, _, sq, te := m.Particle(i)
		mid := te + transitShare*s.durationS/2
		switch {
		case sq && (fate == FatePassed || fate == FateDamaged) && mid < s.durationS:
			_, y, hw, hh, _ := v.place(s, i, mid)
			if !(hh > hw) || y < v.memTop || y > v.memBot {
				t.Errorf("particle %d squeezed: half %g × %g at y %g (membrane %g–%g)", i, hw, hh, y, v.memTop, v.memBot)
			}
			squeezed++
			_, y, _, _, _ = v.place(s, i, s.durationS)
			if te+(approachShare+transitShare)*s.durationS < s.durationS && !(y > v.memBot) {
				t.Errorf("particle %d passed but is at y %g above the permeate side %g", i, y, v.memBot)
			}
		case fate == FateLodged:
			x, y, _, _, _ := v.place(s, i, s.durationS)
			xs, _, _ := m.Pores()
			_, _, pore, _, _, _ := m.Particle(i)
			if math.Abs(x-(v.x0+xs[pore]*v.k)) > 1e-6 || y > v.memTop {
				t.Errorf("lodged particle %d at (%g, %g), pore at x %g", i, x, y, v.x0+xs[pore]*v.k)
			}
			lodged++
		}
	}
	if squeezed == 0 || lodged == 0 {
		t.Errorf("%d squeezed, %d lodged particles in the 100 nm step; want some of each", squeezed, lodged)
	}
}

func BenchmarkMembraneFrame(b *testing.B) {
	m := membraneScene(b, bridge.FiltrationRequest{Preset: "heinemann2014-sf", Animation: bridge.FiltrationAnimation{Particles: 5000}})
	m.Render(1280, 720, 1)
	b.ResetTimer()
	for b.Loop() {
		m.Update(TickS)
		m.Render(1280, 720, 1)
		if m.Done() {
			m.Reset()
			m.Play()
		}
	}
}

// The display settings change the picture only: with species [exosome,
// albumin] every other species' quads are empty while the State counts
// every species as with all shown; the projector profile brings its
// background and tints, enlarges the particles drawn at the minimum size
// (albumin, 7 nm, below 2 px at the 100 nm step's scale) by its
// ParticleScale and leaves those drawn to scale (exosomes) as they are;
// the State echoes both settings.
func TestMembraneDisplaySettings(t *testing.T) {
	req := func(a bridge.FiltrationAnimation) bridge.FiltrationRequest {
		a.Particles, a.Seed = 2000, 5
		return bridge.FiltrationRequest{Preset: "heinemann2014-sf", Animation: a}
	}
	shown := []string{"exosome", "albumin"}
	all := membraneScene(t, req(bridge.FiltrationAnimation{}))
	only := membraneScene(t, req(bridge.FiltrationAnimation{ColorProfile: bridge.ProfileProjector, Species: shown}))
	pa, po := all.Render(800, 500, 1), only.Render(800, 500, 1) // t = 0: every particle in the bulk, none squeezed
	pal := PaletteFor(bridge.ProfileProjector)
	s := &only.steps[0]
	width := func(p Picture, i int) float32 {
		return p.Particles[4*(i-s.first)+1].DstX - p.Particles[4*(i-s.first)].DstX
	}
	enlarged, same, hidden := map[string]int{}, map[string]int{}, 0
	for i := s.first; i < s.end; i++ {
		id, _, _, _, _, _ := only.Particle(i)
		wo, wa := width(po, i), width(pa, i)
		if !slices.Contains(shown, id) {
			if wo != 0 {
				t.Fatalf("particle %d of hidden %s drawn %g px wide", i, id, wo)
			}
			hidden++
			continue
		}
		q := po.Particles[4*(i-s.first)]
		if want := pal.Tint(only.colors[only.sp[i]]); q.ColorR != want[0] || q.ColorG != want[1] || q.ColorB != want[2] {
			t.Fatalf("%s particle %d in %v, want the projector tint %v", id, i, q, want)
		}
		switch {
		case math.Abs(float64(wa)-2) < 1e-4 && math.Abs(float64(wo)-2*pal.ParticleScale) < 1e-4:
			enlarged[id]++
		case wa > float32(2*pal.ParticleScale) && math.Abs(float64(wo-wa)) < 1e-3:
			same[id]++
		default:
			t.Errorf("%s particle %d: %g px wide in the projector profile, %g px in the default", id, i, wo, wa)
		}
	}
	if enlarged["albumin"] == 0 || enlarged["exosome"] != 0 || same["exosome"] == 0 || hidden == 0 {
		t.Errorf("enlarged %v, to scale %v, %d hidden; want albumin enlarged, exosomes to scale, the rest hidden", enlarged, same, hidden)
	}
	bg := po.Decor[0]
	if bg.ColorR != pal.Background[0] || bg.ColorG != pal.Background[1] || bg.ColorB != pal.Background[2] || po.Decor[3].DstX != 800 || po.Decor[3].DstY != 500 {
		t.Errorf("first decor quad %v … %v, want the full-canvas projector background %v", bg, po.Decor[3], pal.Background)
	}
	if a := pa.Decor[0]; a.ColorR == bg.ColorR && a.ColorG == bg.ColorG && a.ColorB == bg.ColorB {
		t.Errorf("the default profile's first decor quad has the projector background too: %v", a)
	}
	for range 300 {
		all.Update(TickS)
		only.Update(TickS)
	}
	sa, so := all.State(), only.State()
	if so.ColorProfile != bridge.ProfileProjector || !slices.Equal(so.Shown, shown) || sa.ColorProfile != "" || sa.Shown != nil {
		t.Errorf("state echoes colorProfile %q, shown %v (default run: %q, %v)", so.ColorProfile, so.Shown, sa.ColorProfile, sa.Shown)
	}
	fa, fo := sa.Filtration, so.Filtration
	if len(fa.Species) != len(fo.Species) || len(fo.Species) != len(s.species) {
		t.Fatalf("species counted: %d with all shown, %d with two, want %d", len(fa.Species), len(fo.Species), len(s.species))
	}
	moved := 0
	for k := range fa.Species {
		if fa.Species[k] != fo.Species[k] {
			t.Errorf("counts %+v with every species shown, %+v with two", fa.Species[k], fo.Species[k])
		}
		moved += fa.Species[k].Drawn - fa.Species[k].Waiting
	}
	if moved == 0 {
		t.Error("no particle reached the membrane: the count comparison is vacuous")
	}
}
