package stage

import (
	"encoding/json"
	"math"
	"slices"
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

// The sequence plays each spin, then its pour-off, then the next spin;
// state messages name the step; Play after the end starts again.
func TestSequencePlaysEveryStep(t *testing.T) {
	run := protocolRun(t, "thery2006", bridge.Animation{Particles: 1000, TimeScale: 3600})
	q, err := NewSequence(run, cat(t))
	if err != nil {
		t.Fatal(err)
	}
	var doneSteps []int
	var pourOffs int
	hidden := false
	for tick := 0; q.Phase() != PhaseDone; tick++ {
		if tick > 200000 {
			t.Fatal("the sequence never ends")
		}
		q.Update(TickS)
		if q.StateDue() {
			st := q.State()
			if st.Step != run.Spins[q.Current()].Step {
				t.Errorf("state names step %d while spin %d is shown", st.Step, run.Spins[q.Current()].Step)
			}
			if st.Done && st.Phase == PhaseSpin && (len(doneSteps) == 0 || doneSteps[len(doneSteps)-1] != st.Step) {
				doneSteps = append(doneSteps, st.Step)
			}
			if st.Phase == PhasePourOff {
				pourOffs++
				s := q.Stage()
				hidden = s.Hidden(ensemble.Pelleted) != s.Hidden(ensemble.Free)
			}
		}
	}
	var want []int
	for _, s := range run.Spins {
		want = append(want, s.Step)
	}
	if !slices.Equal(doneSteps, want) {
		t.Errorf("spins finished in order %v, want %v", doneSteps, want)
	}
	if pourOffs < len(run.Spins) || !hidden {
		t.Errorf("%d pour-off states, hidden %v: want one per spin, hiding the discarded part", pourOffs, hidden)
	}
	q.Play()
	if q.Phase() != PhaseSpin || q.Current() != 0 || q.Stage().TimeS() != 0 {
		t.Errorf("Play after the end: phase %s, spin %d at %g s", q.Phase(), q.Current(), q.Stage().TimeS())
	}
	q.Pause()
	q.Update(TickS)
	if q.Stage().TimeS() != 0 {
		t.Error("paused sequence advanced")
	}
}

// With reduced motion each spin shows its end state at once and the
// pour-offs are skipped: the whole protocol takes two ticks per spin.
func TestSequenceReducedMotion(t *testing.T) {
	run := protocolRun(t, "nikfarjam2020", bridge.Animation{ReducedMotion: true})
	q, err := NewSequence(run, cat(t))
	if err != nil {
		t.Fatal(err)
	}
	if !q.Stage().Done() {
		t.Error("first spin not at its end state")
	}
	for range 2 * len(run.Spins) {
		q.Update(TickS)
	}
	if q.Phase() != PhaseDone {
		t.Errorf("after %d ticks phase %s, want done", 2*len(run.Spins), q.Phase())
	}
}

func TestSequenceNeedsASpin(t *testing.T) {
	if _, err := NewSequence(&bridge.ProtocolRun{}, cat(t)); err == nil {
		t.Error("a protocol without spins accepted")
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
