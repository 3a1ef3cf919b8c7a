package stage

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"exosep/engine/gradient"
	"exosep/engine/protocol"
	"exosep/wasm/bridge"
)

// Runs the scene is tested on: an isopycnic iodixanol run on plasma (a
// short one, so bands are still moving) and a rate-zonal sucrose run.
const (
	ipucJSON = `{"mode":"isopycnic","medium":"iodixanol","from_density_g_per_ml":1.05,"to_density_g_per_ml":1.25,"rotor":"SW 41 Ti","rcf":100000,"minutes":240,"fractions":12}`
	rzucJSON = `{"mode":"rate-zonal","medium":"sucrose","from_percent":5,"to_percent":20,"rotor":"SW 41 Ti","rcf":100000,"rcf_at":"avg","minutes":60,"fractions":12}`
)

func gradientRun(t testing.TB, params, input string, a bridge.GradientAnimation) *bridge.GradientRun {
	t.Helper()
	var p gradient.Params
	if err := json.Unmarshal([]byte(params), &p); err != nil {
		t.Fatal(err)
	}
	gl, err := gradient.Default()
	if err != nil {
		t.Fatal(err)
	}
	pl, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	run, probs := bridge.RunGradient(bridge.GradientRequest{Params: p, Input: input, Animation: a}, gl, pl)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return run
}

func gradientScene(t testing.TB, gr *bridge.GradientRun) *GradientScene {
	t.Helper()
	g, err := NewGradientScene(gr, cat(t))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// The particles reproduce the engine's snapshot: per species, the share
// pelleted and floated, and the mean and variance of the radius of those
// in the liquid, against the count-weighted mixture of the node packets
// (Σ Count·Share·m_k and Σ Count·Share·(σ_k² + m_k²)). Tolerances are
// statistical, 4.5 standard errors: shares ±4.5·√(p(1−p)/n); the mean
// ±4.5·sd/√n_free; the variance ±4.5·√((μ4 − var²)/n_free), μ4 the
// mixture's fourth central moment (packets widened by their cells'
// spreads make the mixture heavy-tailed); plus 1e-12 so an exact 0 or 1
// passes.
func TestGradientParticlesFollowSnapshot(t *testing.T) {
	for _, c := range []struct{ name, params string }{{"isopycnic", ipucJSON}, {"rate-zonal", rzucJSON}} {
		gr := gradientRun(t, c.params, "plasma", bridge.GradientAnimation{Particles: 40000, Seed: 5})
		g := gradientScene(t, gr)
		moments := checkGradientFollowsRun(t, c.name, g, []float64{0.05, 0.4, 1})
		if moments < 15 {
			t.Errorf("%s: only %d species × times had particles in the liquid to compare", c.name, moments)
		}
	}
}

// checkGradientFollowsRun seeks g to each share fracs of its run and
// compares its particles with the engine's snapshot (see
// TestGradientParticlesFollowSnapshot); it returns how many species ×
// times had particles in the liquid to compare moments.
func checkGradientFollowsRun(t *testing.T, name string, g *GradientScene, fracs []float64) int {
	t.Helper()
	moments := 0 // species × times whose liquid mean and variance were compared
	for _, frac := range fracs {
		g.seek(frac * g.run.DurationS)
		snap := g.run.At(g.tS)
		for si, ss := range snap.Species {
			var n, nPel, nFlo int
			var sum, sum2 float64
			for i := range g.sp {
				if int(g.sp[i]) != si {
					continue
				}
				n++
				switch st, r := g.Position(i); st {
				case "pellet":
					nPel++
				case "floated":
					nFlo++
				default:
					sum += r
					sum2 += r * r
				}
			}
			if n == 0 {
				continue
			}
			var tot, pel, flo, w, m1, m2 float64
			for _, nd := range ss.Nodes {
				tot += nd.Count
				pel += nd.Count * nd.PelletedShare
				flo += nd.Count * nd.FloatedShare
				for _, pk := range nd.Parts {
					w += nd.Count * pk.Share
					m1 += nd.Count * pk.Share * pk.MeanRadiusM
					m2 += nd.Count * pk.Share * (pk.SigmaM*pk.SigmaM + pk.MeanRadiusM*pk.MeanRadiusM)
				}
			}
			for _, s := range []struct {
				what      string
				got, want float64
			}{{"pelleted", float64(nPel) / float64(n), pel / tot}, {"floated", float64(nFlo) / float64(n), flo / tot}} {
				tol := 4.5*math.Sqrt(s.want*(1-s.want)/float64(n)) + 1e-12
				if math.Abs(s.got-s.want) > tol {
					t.Errorf("%s t=%.0f s %s: %s share %.4f, engine %.4f (±%.4f)", name, g.tS, ss.ID, s.what, s.got, s.want, tol)
				}
			}
			free := n - nPel - nFlo
			if free < 50 || !(w > 0) {
				continue
			}
			moments++
			mean, vari := m1/w, m2/w-(m1/w)*(m1/w)
			// The mixture's fourth central moment sets the spread of
			// the sample variance: Var(s²) ≈ (μ4 − σ⁴)/n (a mixture of
			// packets of unequal widths has heavier tails than one
			// Gaussian, for which μ4 = 3σ⁴).
			var mu4 float64
			for _, nd := range ss.Nodes {
				for _, pk := range nd.Parts {
					d, v := pk.MeanRadiusM-mean, pk.SigmaM*pk.SigmaM
					mu4 += nd.Count * pk.Share / w * (d*d*d*d + 6*d*d*v + 3*v*v)
				}
			}
			gotMean := sum / float64(free)
			gotVar := sum2/float64(free) - gotMean*gotMean
			if tol := 4.5*math.Sqrt(vari/float64(free)) + 1e-12; math.Abs(gotMean-mean) > tol {
				t.Errorf("%s t=%.0f s %s: mean radius %.6f m, engine %.6f m (±%.2g)", name, g.tS, ss.ID, gotMean, mean, tol)
			}
			if tol := 4.5*math.Sqrt(math.Max(mu4-vari*vari, 0)/float64(free)) + 1e-12; math.Abs(gotVar-vari) > tol {
				t.Errorf("%s t=%.0f s %s: radius variance %.3g m², engine %.3g m² (±%.2g)", name, g.tS, ss.ID, gotVar, vari, tol)
			}
		}
	}
	return moments
}

// The same seed draws the same particles: the same picture after the same
// ticks; another seed draws others.
func TestGradientSameSeedSamePicture(t *testing.T) {
	gr := gradientRun(t, ipucJSON, "plasma", bridge.GradientAnimation{Particles: 3000, Seed: 7})
	pic := func(gr *bridge.GradientRun) []Vertex {
		g := gradientScene(t, gr)
		for range 200 {
			g.Update(TickS)
		}
		return slices.Clone(g.Render(800, 600, 1).Particles)
	}
	a, b := pic(gr), pic(gr)
	if len(a) == 0 || !slices.Equal(a, b) {
		t.Fatal("the same seed drew different pictures")
	}
	other := *gr
	other.Animation.Seed = 8
	if slices.Equal(a, pic(&other)) {
		t.Error("another seed drew the same picture")
	}
}

// States progress spin → fractionate → done with time and fractions
// drawn growing; the final state places each species' band and shares as
// the engine's end snapshot does; play after the end starts again.
func TestGradientPhasesProgress(t *testing.T) {
	gr := gradientRun(t, rzucJSON, "plasma", bridge.GradientAnimation{Particles: 2000})
	g := gradientScene(t, gr)
	var phases []string
	var last bridge.State
	for tick := 0; tick < 60*(bridge.GradientSpinWallS+int(FractionateWallS)+5) && !last.Done; tick++ {
		if g.StateDue() {
			st := g.State()
			if st.Minutes < last.Minutes || st.Drawn < last.Drawn {
				t.Fatalf("state went back: %+v after %+v", st, last)
			}
			if len(phases) == 0 || phases[len(phases)-1] != st.Phase {
				phases = append(phases, st.Phase)
			}
			last = st
		}
		g.Update(TickS)
	}
	if g.StateDue() {
		last = g.State()
		if phases[len(phases)-1] != last.Phase {
			phases = append(phases, last.Phase)
		}
	}
	if want := []string{PhaseSpin, PhaseFractionate, PhaseDone}; !slices.Equal(phases, want) {
		t.Fatalf("phases %v, want %v", phases, want)
	}
	if !last.Done || last.Drawn != 12 || last.Fractions != 12 || last.Minutes != gr.Run.DurationS/60 {
		t.Errorf("final state %+v", last)
	}
	// Where the engine has exosomes and HDL at the end: rate-zonal puts
	// them in different fractions.
	byID := map[string]bridge.SpeciesState{}
	for _, s := range last.Species {
		byID[s.ID] = s
	}
	exo, hdl := byID["exosome"], byID["hdl"]
	if exo.PeakFraction == 0 || hdl.PeakFraction == 0 || exo.PeakFraction == hdl.PeakFraction {
		t.Errorf("band fractions: exosome %d, HDL %d; want two different fractions", exo.PeakFraction, hdl.PeakFraction)
	}
	if d := exo.PeakDensityGPerML; !(d > 1.0 && d < 1.1) {
		t.Errorf("exosome band at %g g/mL, outside a 5–20 %% sucrose gradient", d)
	}
	g.Play()
	if g.Phase() != PhaseSpin || g.TimeS() != 0 || !g.State().Playing {
		t.Errorf("play after the end: phase %s, t %g", g.Phase(), g.TimeS())
	}
	g.Pause()
	g.Reset()
	if st := g.State(); st.Playing || st.Minutes != 0 || st.Phase != PhaseSpin {
		t.Errorf("after reset: %+v", st)
	}
}

// Reduced motion shows the end at once: spin over, every fraction drawn.
func TestGradientReducedMotion(t *testing.T) {
	gr := gradientRun(t, ipucJSON, "plasma", bridge.GradientAnimation{Particles: 500, ReducedMotion: true})
	g := gradientScene(t, gr)
	if !g.StateDue() {
		t.Fatal("no state at the start")
	}
	st := g.State()
	if !st.Done || st.Phase != PhaseDone || st.Drawn != 12 || g.TimeS() != gr.Run.DurationS {
		t.Errorf("reduced motion starts at %+v", st)
	}
	g.Play()
	if !g.State().Done {
		t.Error("play with reduced motion animated")
	}
}

// Render allocates nothing per frame once laid out, in every phase.
func TestGradientRenderDoesNotAllocate(t *testing.T) {
	gr := gradientRun(t, ipucJSON, "plasma", bridge.GradientAnimation{Particles: 5000})
	g := gradientScene(t, gr)
	for _, ticks := range []int{1, 300, 720 + 60} { // spin, late spin, fractionating
		for range ticks {
			g.Update(TickS)
		}
		pic := g.Render(900, 640, 2)
		if len(pic.Particles) != 4*g.Len() || len(pic.Decor) == 0 || len(pic.Labels) == 0 {
			t.Fatalf("picture: %d particle vertices for %d particles, %d decor, %d labels", len(pic.Particles), g.Len(), len(pic.Decor), len(pic.Labels))
		}
		if a := testing.AllocsPerRun(50, func() { g.Render(900, 640, 2) }); a != 0 {
			t.Errorf("phase %s: Render allocates %g times per frame", g.Phase(), a)
		}
	}
	if g.Phase() != PhaseFractionate {
		t.Errorf("phase %s, want the allocation check to have covered fractionation", g.Phase())
	}
}

// The display settings change the picture only: with species=[exosome]
// every other species' quads are empty (zero size) while the State still
// counts them the same as with every species shown; a colour profile
// brings its palette's background and tinted, larger particles, and the
// State echoes both settings.
func TestGradientDisplaySettings(t *testing.T) {
	all := gradientScene(t, gradientRun(t, ipucJSON, "plasma", bridge.GradientAnimation{Particles: 1000}))
	only := gradientScene(t, gradientRun(t, ipucJSON, "plasma", bridge.GradientAnimation{Particles: 1000, ColorProfile: bridge.ProfileProjector, Species: []string{"exosome"}}))
	for range 200 {
		all.Update(TickS)
		only.Update(TickS)
	}
	sa, so := all.State(), only.State()
	if !slices.Equal(so.Shown, []string{"exosome"}) || so.ColorProfile != bridge.ProfileProjector {
		t.Errorf("state echoes colorProfile %q, shown %v", so.ColorProfile, so.Shown)
	}
	for i := range sa.Species {
		a, o := sa.Species[i], so.Species[i]
		if a.Free != o.Free || a.Pelleted != o.Pelleted || a.Floated != o.Floated || a.PeakFraction != o.PeakFraction {
			t.Errorf("%s: counts %+v with every species shown, %+v with exosomes only", a.ID, a, o)
		}
	}
	pa, po := all.Render(900, 640, 1), only.Render(900, 640, 1)
	pal := PaletteFor(bridge.ProfileProjector)
	exo := slices.Index(only.ids, "exosome")
	var drawnExo, drawnOther int
	for i := range only.Len() {
		q := po.Particles[4*i : 4*i+4]
		w := q[1].DstX - q[0].DstX
		if int(only.sp[i]) == exo {
			drawnExo++
			if w <= 0 {
				t.Fatalf("exosome particle %d not drawn", i)
			}
			if want := pal.Tint(only.colors[exo]); q[0].ColorR != want[0] || q[0].ColorG != want[1] || q[0].ColorB != want[2] {
				t.Fatalf("exosome colour %v, want the projector tint %v", q[0], want)
			}
			if wa := pa.Particles[4*i+1].DstX - pa.Particles[4*i].DstX; !(w > wa) {
				t.Errorf("projector particle %g px wide, not larger than the default %g px", w, wa)
			}
		} else if w != 0 {
			drawnOther++
		}
	}
	if drawnExo == 0 || drawnOther != 0 {
		t.Errorf("%d exosome quads drawn, %d quads of hidden species drawn", drawnExo, drawnOther)
	}
	bg := po.Decor[0]
	if bg.ColorR != pal.Background[0] || bg.ColorG != pal.Background[1] || bg.ColorB != pal.Background[2] {
		t.Errorf("first decor quad %v, want the projector background %v", bg, pal.Background)
	}
}
