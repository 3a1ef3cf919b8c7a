package stage

import (
	"testing"

	"exosep/wasm/bridge"
)

// A spin scene draws one quad per particle of its stage, reports the
// stage's process time and state, and forwards play, pause and reset.
func TestSpinSceneForwardsToStage(t *testing.T) {
	s := newStage(t, params(func(p *bridge.Params) { p.Particles = 1000; p.TimeScale = 600 }))
	sc := NewSpinScene(s)
	for range 30 {
		sc.Update(TickS)
	}
	pic := sc.Render(800, 600, 1)
	if got, want := len(pic.Particles), 4*s.Len(); got != want {
		t.Errorf("particle vertices = %d, want 4 × %d particles", got, s.Len())
	}
	if pic.ProcessS != s.TimeS() || !(pic.ProcessS > 0) {
		t.Errorf("ProcessS = %g, want the stage's time %g > 0", pic.ProcessS, s.TimeS())
	}
	if len(pic.Decor) == 0 || len(pic.Bar) != 4 || len(pic.Labels) == 0 {
		t.Errorf("picture lacks decor (%d), bar (%d) or labels (%d)", len(pic.Decor), len(pic.Bar), len(pic.Labels))
	}
	if pic.WidthPx != 800 || pic.HeightPx != 600 || pic.UIScale != 1 {
		t.Errorf("picture size %d×%d @%g, want 800×600 @1", pic.WidthPx, pic.HeightPx, pic.UIScale)
	}
	v0 := pic.LabelsVersion
	if again := sc.Render(800, 600, 1); again.LabelsVersion != v0 {
		t.Errorf("labels version changed without a new layout: %d → %d", v0, again.LabelsVersion)
	}
	if resized := sc.Render(640, 480, 1); resized.LabelsVersion == v0 {
		t.Error("labels version unchanged after a resize")
	}
	sc.Pause()
	if s.Playing() || !sc.StateDue() || sc.State().Playing {
		t.Error("Pause did not reach the stage or its state")
	}
	sc.Reset()
	if s.TimeS() != 0 {
		t.Errorf("after Reset t = %g s, want 0", s.TimeS())
	}
	sc.Play()
	if !s.Playing() {
		t.Error("Play did not reach the stage")
	}
}

// A sequence draws the protocol's current spin and moves on with it.
func TestSequenceSceneFollowsSteps(t *testing.T) {
	run := protocolRun(t, "thery2006", bridge.Animation{Particles: 600, TimeScale: 3600, Seed: 1})
	q, err := NewSequence(run, cat(t))
	if err != nil {
		t.Fatal(err)
	}
	var sc Scene = q
	first := q.Stage()
	for i := 0; i < 200000 && q.Current() == 0; i++ {
		sc.Update(TickS)
	}
	if q.Current() == 0 || q.Stage() == first {
		t.Fatalf("the scene did not move on to the second spin (at step %d)", q.Current()+1)
	}
	if st := sc.State(); st.Step != run.Steps[q.Current()].Step {
		t.Errorf("state step %d, want the current step's %d", st.Step, run.Steps[q.Current()].Step)
	}
	if pic := sc.Render(400, 600, 2); len(pic.Particles) != 4*q.Stage().Len() {
		t.Errorf("particle vertices = %d, want 4 × %d", len(pic.Particles), q.Stage().Len())
	}
}
