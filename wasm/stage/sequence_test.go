package stage

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"exosep/engine/ensemble"
	"exosep/engine/protocol"
	"exosep/wasm/bridge"
)

func protocolRun(t testing.TB, id string, a bridge.Animation) *bridge.ProtocolRun {
	t.Helper()
	lib, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := lib.Preset(id)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(p)
	run, probs := bridge.RunProtocol(bridge.ProtocolRequest{Protocol: raw, Animation: a}, lib)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return run
}

// Each spin step's animation agrees with the engine's split of that step.
//
// The stage's pelleted share P_s of a species is a binomial draw whose
// mean is the node-weighted pelleted fraction P of the step's input nodes
// (the ensemble samples exactly those nodes and moves each particle with
// the engine's velocity). The engine's share sent to the pellet,
// k = kept/in for a kept pellet and discarded/in for a kept supernatant,
// adds the residual liquid left with the pellet: k = P + (plateau liquid
// in the bottom layer), and that layer is a share f of the tube, so
// P ≤ k ≤ P + f. Hence the test: k − f − tol ≤ P_s ≤ k + tol, with
// tol = 4 binomial standard errors + 1e-3 (the ensemble-versus-formula
// agreement of package ensemble's own test). Species for which the engine
// used the Lamm equation (soluble protein; back-diffusion from the pile-up,
// which the ensemble does not model) are not compared.
func TestSpinStagesAgreeWithEngineSplit(t *testing.T) {
	c := cat(t)
	for _, id := range []string{"nikfarjam2020", "nikfarjam2020-plasma", "thery2006"} {
		run := protocolRun(t, id, bridge.Animation{Particles: bridge.MaxParticles, ReducedMotion: true, Seed: 1})
		for _, st := range run.Spins {
			s, err := SpinStage(st, run.Animation, c)
			if err != nil {
				t.Fatal(err)
			}
			if !s.Done() {
				t.Fatalf("%s step %d: reduced motion should start at the end state", id, st.Step)
			}
			sr := run.Result.Steps[st.Step-1]
			f := st.Detail.ResidualULPerTube * 1e-9 / st.Spin.Rotor.TubeVolumeM3
			compared := 0
			for i, cnt := range s.Counts() {
				sid := s.Ensemble().SpeciesIDs[i]
				n := float64(cnt[0] + cnt[1] + cnt[2])
				flow := sr.Species[sid]
				if n == 0 {
					if flow.In > 0 {
						t.Errorf("%s step %d: %s enters the step but has no particles on the stage", id, st.Step, sid)
					}
					continue
				}
				if slices.Contains(st.Detail.LammSpecies, sid) {
					continue
				}
				k := flow.Discarded / flow.In
				if st.Keep == protocol.KeepPellet {
					k = flow.Kept / flow.In
				}
				got := float64(cnt[ensemble.Pelleted]) / n
				tol := 4*math.Sqrt(math.Max(k*(1-k), 1/n)/n) + 1e-3
				if got < k-f-tol || got > k+tol {
					t.Errorf("%s step %d (%s), %s: stage pellets %.4f, engine sends %.4f to the pellet (residual share f = %.4f, tol %.4f)",
						id, st.Step, st.Name, sid, got, k, f, tol)
				}
				if sid == protocol.ExosomeID {
					compared++
				}
			}
			if compared != 1 {
				t.Errorf("%s step %d: exosomes not compared", id, st.Step)
			}
		}
	}
}

// seqStates plays q to its end (at most maxTicks ticks), collecting every
// state posted, with the caption shown at that moment.
type seqState struct {
	bridge.State
	caption string
	kind    string // what the sequence shows: spin, gradient, membrane
}

func playToEnd(t *testing.T, q *Sequence, maxTicks int) []seqState {
	t.Helper()
	var out []seqState
	post := func() {
		if q.StateDue() {
			kind := "spin"
			if q.Gradient() != nil {
				kind = "gradient"
			} else if q.Membrane() != nil {
				kind = "membrane"
			}
			out = append(out, seqState{q.State(), q.Caption(), kind})
		}
	}
	post()
	for tick := 0; q.Phase() != PhaseDone; tick++ {
		if tick > maxTicks {
			t.Fatalf("the sequence has not ended after %d ticks (step %d, phase %s)", maxTicks, q.Current()+1, q.Phase())
		}
		q.Update(TickS)
		post()
	}
	return out
}

// The sequence plays every step in order with its own kind of scene: a
// spin's tube, a gradient's tube, a membrane; each ends in its end state
// reported as that step's, then a pour-off (spin) or hand-off (gradient,
// membrane); resuspend and pool steps are notes. States name the step and
// captions the step shown; after the end, Play starts again.
func TestSequencePlaysEveryStep(t *testing.T) {
	for _, c := range []struct {
		preset string
		scenes map[int]string // animated steps: the scene each is shown with
		notes  []int
	}{
		{"onodi2018-iodixanol", map[int]string{1: "gradient", 3: "spin"}, []int{2, 4}},
		{"nikfarjam2020", map[int]string{1: "spin", 2: "spin", 3: "membrane", 4: "spin", 5: "spin", 9: "spin"}, []int{6, 7, 8, 10}},
		{"uf-100kda", map[int]string{1: "membrane", 2: "membrane"}, nil},
		{"thery2006", map[int]string{1: "spin", 2: "spin", 3: "spin", 4: "spin", 8: "spin"}, []int{5, 6, 7, 9}},
	} {
		t.Run(c.preset, func(t *testing.T) {
			run := protocolRun(t, c.preset, bridge.Animation{Particles: 600, TimeScale: 3600})
			q, err := NewSequence(run, cat(t))
			if err != nil {
				t.Fatal(err)
			}
			states := playToEnd(t, q, 100000)
			last := 0
			ended := map[int]bool{}      // animated steps whose end state was reported during play
			transition := map[int]bool{} // steps whose pour-off or hand-off was shown
			noted := map[int]bool{}
			for _, st := range states {
				if st.Phase == PhaseDone {
					continue
				}
				if st.Step < last {
					t.Fatalf("step %d reported after step %d", st.Step, last)
				}
				last = st.Step
				if want := fmt.Sprintf("Step %d", st.Step); !strings.HasPrefix(st.caption, want) {
					t.Errorf("step %d, phase %s: caption %q does not name it", st.Step, st.Phase, st.caption)
				}
				scene, animated := c.scenes[st.Step]
				switch st.Phase {
				case PhaseNote:
					noted[st.Step] = true
					if animated {
						t.Errorf("step %d (%s) shown as a note", st.Step, scene)
					}
					if !strings.Contains(st.caption, "nothing to animate") {
						t.Errorf("step %d note %q does not say there is nothing to animate", st.Step, st.caption)
					}
					continue
				case PhasePourOff, PhaseHandOff:
					transition[st.Step] = true
					if want := map[bool]string{true: PhasePourOff, false: PhaseHandOff}[scene == "spin"]; st.Phase != want {
						t.Errorf("step %d (%s): transition %s, want %s", st.Step, scene, st.Phase, want)
					}
					if !ended[st.Step] {
						t.Errorf("step %d: %s before the step's end state", st.Step, st.Phase)
					}
					continue
				}
				if !animated {
					t.Errorf("step %d plays (phase %s) but has no scene", st.Step, st.Phase)
					continue
				}
				if st.kind != scene {
					t.Errorf("step %d shown as %s, want %s", st.Step, st.kind, scene)
				}
				switch scene {
				case "gradient":
					if st.Phase != PhaseSpin && st.Phase != PhaseFractionate || st.Fractions == 0 {
						t.Errorf("gradient step %d: phase %q, %d fractions", st.Step, st.Phase, st.Fractions)
					}
				case "membrane":
					if st.Filtration == nil || st.Filtration.Step != st.Step || st.Filtration.Phase != st.Phase || st.Phase == PhaseDone {
						t.Errorf("membrane step %d: phase %q, filtration %+v", st.Step, st.Phase, st.Filtration)
					}
				default:
					if st.Phase != PhaseSpin {
						t.Errorf("spin step %d: phase %q", st.Step, st.Phase)
					}
				}
				if st.Done {
					ended[st.Step] = true
				}
			}
			for k, scene := range c.scenes {
				if !ended[k] || !transition[k] {
					t.Errorf("%s step %d: end state reported %v, transition shown %v", scene, k, ended[k], transition[k])
				}
			}
			for _, k := range c.notes {
				if !noted[k] {
					t.Errorf("step %d: no note shown", k)
				}
			}
			if end := states[len(states)-1]; end.Phase != PhaseDone || end.Step != len(run.Steps) || end.Playing {
				t.Errorf("last state: step %d, phase %s, playing %v; want the last step, done, stopped", end.Step, end.Phase, end.Playing)
			}
			q.Play()
			if q.Current() != 0 || q.Phase() == PhaseDone {
				t.Errorf("Play after the end: step %d, phase %s", q.Current()+1, q.Phase())
			}
		})
	}
}

// A gradient step is animated from the very run the protocol engine
// computed for it: the scene's run is the step's, its sample is what the
// engine carried into the step (per tube: the step's input over its
// tubes, to 1e-9), and its particles follow that run's snapshots (the
// statistical checks of TestGradientParticlesFollowSnapshot, at a tenth
// and the half of the run).
func TestSequenceGradientFollowsStepRun(t *testing.T) {
	run := protocolRun(t, "onodi2018-iodixanol", bridge.Animation{Particles: 40000, Seed: 2})
	q, err := NewSequence(run, cat(t))
	if err != nil {
		t.Fatal(err)
	}
	g := q.Gradient()
	if g == nil || g.Run() != run.Steps[0].Gradient {
		t.Fatal("step 1 is not shown with its own gradient run")
	}
	sr := run.Result.Steps[0]
	tubes := float64(sr.Gradient.Tubes)
	for _, ss := range g.Run().At(0).Species {
		var n float64
		for _, nd := range ss.Nodes {
			n += nd.Count
		}
		if in := sr.Species[ss.ID].In; math.Abs(n*tubes-in) > 1e-9*in {
			t.Errorf("%s: %g per tube × %g tubes, the step's input %g", ss.ID, n, tubes, in)
		}
	}
	if m := checkGradientFollowsRun(t, "onodi step 1", g, []float64{0.1, 0.5}); m < 8 {
		t.Errorf("only %d species × times had particles in the liquid to compare", m)
	}
}

// A membrane step is animated from its own membrane trace: the scene's
// one step is the protocol step's filtration, and the fates drawn per
// species follow the engine's fractions (TestMembraneSharesAgreeWithEngine's
// binomial bound).
func TestSequenceMembraneFollowsStepTrace(t *testing.T) {
	run := protocolRun(t, "nikfarjam2020", bridge.Animation{Particles: 2000, Seed: 4, ReducedMotion: true})
	q, err := NewSequence(run, cat(t))
	if err != nil {
		t.Fatal(err)
	}
	for q.Current() < 2 && q.Phase() != PhaseDone {
		q.Update(TickS)
	}
	m := q.Membrane()
	if q.Current() != 2 || m == nil || m.Steps() != 1 {
		t.Fatalf("step %d shown (membrane %v), want step 3 on a membrane", q.Current()+1, m)
	}
	if m.steps[0].st.Res != run.Steps[2].Membrane.Res || m.steps[0].st.Step != 3 {
		t.Error("the membrane scene does not show step 3's own trace")
	}
	checkMembraneShares(t, "nikfarjam2020 step 3", m)
}

// With reduced motion each step shows its end state as soon as it is
// entered, and transitions and notes last one tick: the protocol takes at
// most two ticks per animated step and one per note.
func TestSequenceReducedMotion(t *testing.T) {
	for _, id := range []string{"nikfarjam2020", "onodi2018-iodixanol", "uf-1000-then-100kda", "nikfarjam2020-plasma"} {
		t.Run(id, func(t *testing.T) {
			run := protocolRun(t, id, bridge.Animation{ReducedMotion: true, Particles: 500})
			q, err := NewSequence(run, cat(t))
			if err != nil {
				t.Fatal(err)
			}
			budget := 0
			for _, s := range run.Steps {
				budget++
				if s.Animated() {
					budget++
				}
			}
			ticks := 0
			for ; q.Phase() != PhaseDone && ticks <= budget; ticks++ {
				if q.phase == phasePlay && !q.sceneDone() {
					t.Fatalf("step %d (%s) not at its end state when shown", q.Current()+1, run.Steps[q.Current()].Kind)
				}
				q.Update(TickS)
			}
			if q.Phase() != PhaseDone {
				t.Errorf("not done after %d ticks (%d steps)", ticks, len(run.Steps))
			}
		})
	}
}

func TestSequenceNeedsAnAnimatedStep(t *testing.T) {
	if _, err := NewSequence(&bridge.ProtocolRun{}, cat(t)); err == nil {
		t.Error("a protocol without steps accepted")
	}
	run := protocolRun(t, "thery2006", bridge.Animation{})
	notes := &bridge.ProtocolRun{Result: run.Result, Animation: run.Animation}
	for _, s := range run.Steps {
		if !s.Animated() {
			notes.Steps = append(notes.Steps, s)
		}
	}
	if _, err := NewSequence(notes, cat(t)); err == nil || !strings.Contains(err.Error(), "no step to animate") {
		t.Errorf("a protocol of resuspensions and pools: %v", err)
	}
}

// Play, pause and reset work whatever the step shown: paused, neither the
// scene's clock nor a transition's or note's moves; play resumes; reset
// returns to the first step at its start, paused.
func TestSequenceTransportAcrossKinds(t *testing.T) {
	run := protocolRun(t, "onodi2018-iodixanol", bridge.Animation{Particles: 600, TimeScale: 3600})
	q, err := NewSequence(run, cat(t))
	if err != nil {
		t.Fatal(err)
	}
	clock := func() float64 { // the scene's process time, or the transition's ticks
		switch {
		case q.phase != phasePlay:
			return float64(q.ticks)
		case q.grad != nil:
			return q.grad.TimeS() + q.grad.fracS // the spin, then the fractionation
		case q.mem != nil:
			return q.mem.TimeS()
		}
		return q.stage.TimeS()
	}
	seen := map[string]bool{}
	for tick := 0; q.Phase() != PhaseDone && tick < 100000; tick++ {
		where := run.Steps[q.Current()].Kind + "/" + q.Phase()
		if !seen[where] && clock() > 0 {
			seen[where] = true
			q.Pause()
			if st := q.State(); st.Playing || !q.StateDue() {
				t.Errorf("%s: paused state %+v", where, st)
			}
			step, before := q.Current(), clock()
			for range 30 {
				q.Update(TickS)
			}
			if q.Current() != step || clock() != before {
				t.Errorf("%s: paused, the clock moved (%g → %g) or the step changed", where, before, clock())
			}
			q.Play()
			if !q.State().Playing {
				t.Errorf("%s: Play did not resume", where)
			}
			q.Update(TickS)
			q.Update(TickS)
			if q.Current() == step && run.Steps[step].Kind+"/"+q.Phase() == where && clock() == before {
				t.Errorf("%s: after Play the clock stands still", where)
			}
		}
		q.Update(TickS)
	}
	for _, w := range []string{"gradient/spin", "gradient/fractionate", "gradient/hand-off", "resuspend/note", "spin/spin", "spin/pour-off"} {
		if !seen[w] {
			t.Errorf("never paused in %s (saw %v)", w, seen)
		}
	}
	q.Reset()
	if q.Current() != 0 || q.Gradient() == nil || q.Gradient().TimeS() != 0 || q.State().Playing {
		t.Errorf("after Reset: step %d, playing %v", q.Current()+1, q.State().Playing)
	}
	q.Update(TickS)
	if q.Gradient().TimeS() != 0 {
		t.Error("reset sequence advanced without Play")
	}
	q.Play()
	q.Update(TickS)
	if !(q.Gradient().TimeS() > 0) {
		t.Error("Play after Reset did not start the gradient")
	}
}

// The picture is the scene's of the step shown, with the caption among
// its labels: a new caption (a new step, the hand-off) re-lays out the
// labels.
func TestSequenceRendersEachKind(t *testing.T) {
	run := protocolRun(t, "nikfarjam2020", bridge.Animation{Particles: 600, ReducedMotion: true})
	q, err := NewSequence(run, cat(t))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	version, caption := -1, ""
	for tick := 0; q.Phase() != PhaseDone && tick < 100; tick++ {
		pic := q.Render(640, 800, 1)
		if len(pic.Particles) != 4*q.Len() || q.Len() == 0 {
			t.Fatalf("step %d: %d particle vertices for %d particles", q.Current()+1, len(pic.Particles), q.Len())
		}
		if !slices.ContainsFunc(pic.Labels, func(l Label) bool { return l.Text == q.Caption() }) {
			t.Errorf("step %d (%s): caption %q not among the labels", q.Current()+1, q.Phase(), q.Caption())
		}
		if q.Caption() != caption && pic.LabelsVersion == version {
			t.Errorf("step %d: caption changed to %q without a new layout", q.Current()+1, q.Caption())
		}
		version, caption = pic.LabelsVersion, q.Caption()
		kinds[run.Steps[q.Current()].Kind] = true
		q.Update(TickS)
	}
	if !kinds["spin"] || !kinds["filter"] {
		t.Errorf("rendered kinds %v", kinds)
	}
}

// Showing a pour-off caption re-lays out the view; hidden particles are
// drawn as empty quads, and Fill still allocates nothing.
func TestViewHidesPouredOff(t *testing.T) {
	run := protocolRun(t, "thery2006", bridge.Animation{Particles: 2000, ReducedMotion: true})
	q, err := NewSequence(run, cat(t))
	if err != nil {
		t.Fatal(err)
	}
	v := NewView()
	v.Layout(q.Stage(), 600, 800, 1)
	v.Fill(q.Stage())
	if !slices.ContainsFunc(v.Labels, func(l Label) bool { return l.Text == q.Stage().Caption() }) {
		t.Errorf("caption %q not among the labels", q.Stage().Caption())
	}
	q.Update(TickS) // → pour-off: the pellet of a kept supernatant leaves
	if !v.Layout(q.Stage(), 600, 800, 1) {
		t.Error("a new caption did not re-lay out the view")
	}
	verts := v.Fill(q.Stage())
	for _, i := range q.Stage().PelletOrder() {
		if verts[4*i].DstX != verts[4*i+3].DstX {
			t.Fatalf("pelleted particle %d still drawn after the pour-off", i)
		}
	}
	if a := testing.AllocsPerRun(20, func() { v.Fill(q.Stage()) }); a != 0 {
		t.Errorf("Fill allocates %g times per call", a)
	}
}
