package stage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"exosep/engine/catalog"
	"exosep/engine/ensemble"
	"exosep/engine/protocol"
	"exosep/wasm/bridge"
)

// PourOffS is how long the pour-off after a spin, or the hand-off after
// a gradient or membrane step, is shown, wall-clock seconds; NoteS how
// long a step without motion (resuspend, pool) holds its caption. Both
// are skipped with reduced motion.
const (
	PourOffS = 1.5
	NoteS    = 2.5
)

// Phases of a protocol animation (bridge.State.Phase). While a step plays,
// the phase is its scene's own: PhaseSpin for a spin; PhaseSpin then
// PhaseFractionate for a gradient; the membrane engine's "filtration",
// "concentration" or "diafiltration" for a filter or ultrafilter. Then
// PhasePourOff (after a spin) or PhaseHandOff (after a gradient or a
// membrane): what the step keeps goes on; PhaseNote for a step with
// nothing to animate; PhaseDone after the last step.
const (
	PhaseSpin    = "spin"
	PhasePourOff = "pour-off"
	PhaseHandOff = "hand-off"
	PhaseNote    = "note"
	PhaseDone    = "done"
	phasePlay    = "" // Sequence.phase while a step's scene plays
)

// Sequence animates the steps of a protocol in turn (bridge.ProtocolRun's
// Steps), each with the engine's own computation of that step:
//
//	spin        a Stage whose ensemble is sampled from the step's input —
//	            per species, from the quadrature nodes the protocol engine
//	            carried into the step, weighted by their counts
//	            (ensemble.NewFromNodes) — spun in the step's liquid for its
//	            effective time (hold + ramps/3, the engine's t_eff), at the
//	            protocol animation's time scale; then the pour-off: the
//	            discarded part (the pellet, or everything but the pellet)
//	            leaves the view.
//	gradient    a GradientScene of the gradient engine's run of one of the
//	            step's tubes, sampled from the protocol's own nodes and
//	            counts (bridge.ShownStep.GradientRun: the spin in
//	            bridge.GradientSpinWallS wall-clock seconds), fractions
//	            drawn; then the hand-off names the fractions kept.
//	filter,     a MembraneScene of the step's membrane trace (the membrane
//	ultrafilter model's parameters and result, bridge.ShownStep.FiltrationRun:
//	            the step in bridge.FiltrationStepWallS seconds); then the
//	            hand-off says whether the filtrate or the retentate goes on.
//	resuspend,  no scene (a volume change or a merge moves nothing): the
//	pool        last scene stays with the step's caption for NoteS (at the
//	            start of a protocol, the next step's scene at its start).
//
// Transitions last PourOffS. Every species present in a step's input gets
// the same number of particles (Animation.Particles shared out; a
// membrane step at most bridge.DefaultFiltrationParticles), so rare
// species stay visible: the picture shows where each species goes, not
// their count ratio. Captions name the step shown and what it does; the
// State names the step (1-based) and the phase, so the page's step
// readout follows along. With reduced motion every step shows its end
// state at once and the transitions and notes last one tick.
//
// What a spin stage's pelleted share does not include (the engine's kept
// fraction does): the residual liquid left with each pellet (a share f of
// the tube, 0.5 % or more; it carries plateau liquid into the pellet
// fraction) and, for soluble species where the engine used the Lamm
// equation, back-diffusion from the pellet.
type Sequence struct {
	run *bridge.ProtocolRun
	cat *catalog.Catalog
	i   int // index into run.Steps: the step shown
	// scene is what is drawn: the current step's scene, or during a note
	// the last step's (at the start, the next one's, built ahead: built).
	scene Scene
	stage *Stage // the scene's Stage when it is a spin
	grad  *GradientScene
	mem   *MembraneScene
	built int   // index into run.Steps of the scene built ahead; −1: none
	view  *View // draws every spin stage
	phase string
	ticks int // ticks spent in a transition or note
	// playing is the sequence's clock; a step's scene keeps its own.
	playing bool
	due     bool
}

// NewSequence starts the animation of run at its first step, playing.
// It fails when the protocol has no step to animate (spin, gradient,
// filter or ultrafilter) or the first cannot be built.
func NewSequence(run *bridge.ProtocolRun, cat *catalog.Catalog) (*Sequence, error) {
	if run == nil || !slices.ContainsFunc(run.Steps, bridge.ShownStep.Animated) {
		return nil, fmt.Errorf("the protocol has no step to animate (spin, gradient, filter or ultrafilter)")
	}
	q := &Sequence{run: run, cat: cat, playing: true, built: -1, view: NewView()}
	if err := q.enter(0); err != nil {
		return nil, err
	}
	return q, nil
}

// SpinStage builds the Stage of one spin step of a protocol (see Sequence).
func SpinStage(st bridge.SpinStep, a bridge.Animation, cat *catalog.Catalog) (*Stage, error) {
	present := 0
	for _, sp := range st.Species {
		if total(sp) > 0 {
			present++
		}
	}
	if present == 0 {
		return nil, fmt.Errorf("step %d: nothing enters the spin", st.Step)
	}
	per := max(a.Particles/present, 1)
	pops := make([]ensemble.Population, len(st.Species))
	for i, sp := range st.Species {
		pops[i] = ensemble.Population{ID: sp.ID, Nodes: sp.Nodes}
		if total(sp) > 0 {
			pops[i].N = per
		}
	}
	// A seed per step: the same protocol draws the same particles.
	ens, err := ensemble.NewFromNodes(st.Spin, pops, rand.New(rand.NewPCG(a.Seed+uint64(st.Step), seedStream)))
	if err != nil {
		return nil, fmt.Errorf("step %d: %v", st.Step, err)
	}
	d := st.Detail
	res := bridge.Result{Rotor: d.Rotor, RotorKind: string(st.Spin.Rotor.Kind), RPM: st.Spin.RPM,
		RCFMin: d.RCFMin, RCFAvg: d.RCFAvg, RCFMax: d.RCFMax, KFactor: d.KFactor, CutoffDiameterNm: -1,
		Minutes: math.Round(st.Spin.DurationS/6) / 10, ViscosityMPas: d.ViscosityMPas, MediumDensity: d.DensityGPerML}
	for _, sp := range st.Species {
		r := bridge.SpeciesResult{ID: sp.ID, Name: sp.ID, Short: sp.ID, PelletedFraction: d.Pelleted[sp.ID]}
		if c, ok := cat.SpeciesByID(sp.ID); ok {
			r.Name, r.Short, r.Color = c.Name, c.Short, c.Color
		}
		res.Species = append(res.Species, r)
	}
	p := bridge.Params{Rotor: d.Rotor, RPM: st.Spin.RPM, Minutes: res.Minutes, TemperatureC: d.TemperatureC,
		Medium: "protocol", Particles: ens.Len(), TimeScale: a.TimeScale, Seed: a.Seed, ReducedMotion: a.ReducedMotion,
		ColorProfile: a.ColorProfile, Species: a.Species}
	s := &Stage{cat: cat, step: st.Step, phase: PhaseSpin, caption: st.Caption()}
	s.install(p, res, st.Spin, ens)
	s.playing = true
	if a.ReducedMotion {
		s.finish()
	}
	s.due = true
	return s, nil
}

func total(sp protocol.SpeciesNodes) float64 {
	var t float64
	for _, n := range sp.Nodes {
		t += n.Weight
	}
	return t
}

// build makes the scene of step k (an animated step) the one shown; on
// an error the scene shown stays.
func (q *Sequence) build(k int) error {
	sh := q.run.Steps[k]
	a := q.run.Animation
	var (
		sc  Scene
		s   *Stage
		g   *GradientScene
		m   *MembraneScene
		err error
	)
	switch {
	case sh.Spin != nil:
		if s, err = SpinStage(*sh.Spin, a, q.cat); err == nil {
			sc = &TubeScene{stage: s, view: q.view}
		}
	case sh.Gradient != nil:
		if g, err = NewGradientScene(sh.GradientRun(a, q.run.Result.Input.ID), q.cat); err == nil {
			sc = g
		} else {
			err = fmt.Errorf("step %d: %v", sh.Step, err)
		}
	case sh.Membrane != nil:
		if m, err = NewMembraneScene(sh.FiltrationRun(a), q.cat); err == nil {
			sc = m
		} else {
			err = fmt.Errorf("step %d: %v", sh.Step, err)
		}
	default:
		err = fmt.Errorf("step %d (%s) has no scene", sh.Step, sh.Kind)
	}
	if err != nil {
		return err
	}
	q.scene, q.stage, q.grad, q.mem, q.built = sc, s, g, m, k
	return nil
}

// enter shows step k from its start: an animated step's scene (built, or
// the one built ahead for it), playing as the sequence does; a step
// without motion as a note over the scene shown.
func (q *Sequence) enter(k int) error {
	sh := q.run.Steps[k]
	q.i, q.ticks, q.due = k, 0, true
	if !sh.Animated() {
		q.phase = PhaseNote
		if q.scene == nil { // the protocol starts without motion: show what comes next
			next := slices.IndexFunc(q.run.Steps[k:], bridge.ShownStep.Animated) + k
			if err := q.build(next); err != nil {
				return err
			}
			q.scene.Reset()
		}
		q.setCaption(sh.NoteCaption())
		return nil
	}
	if q.built != k || q.scene == nil {
		if err := q.build(k); err != nil {
			return err
		}
	} else if q.playing { // built ahead and shown paused at its start
		q.scene.Play()
	}
	q.built = -1
	q.phase = phasePlay
	q.setCaption(sh.Caption())
	if !q.playing {
		q.scene.Pause()
	}
	return nil
}

// setCaption puts c on the scene shown.
func (q *Sequence) setCaption(c string) {
	switch {
	case q.stage != nil:
		q.stage.caption = c
	case q.grad != nil:
		q.grad.caption = c
	case q.mem != nil:
		q.mem.caption = c
	}
}

// sceneDone reports whether the step's scene has shown its end.
func (q *Sequence) sceneDone() bool {
	switch {
	case q.stage != nil:
		return q.stage.Done()
	case q.grad != nil:
		return q.grad.Phase() == PhaseDone
	case q.mem != nil:
		return q.mem.Done()
	}
	return true
}

// Stage is the spin shown now, nil when another kind of step is (read
// it, do not change it).
func (q *Sequence) Stage() *Stage { return q.stage }

// Gradient is the gradient scene shown now, or nil.
func (q *Sequence) Gradient() *GradientScene { return q.grad }

// Membrane is the membrane scene shown now, or nil.
func (q *Sequence) Membrane() *MembraneScene { return q.mem }

// Len is the number of particles of the scene shown.
func (q *Sequence) Len() int {
	switch {
	case q.stage != nil:
		return q.stage.Len()
	case q.grad != nil:
		return q.grad.Len()
	case q.mem != nil:
		return q.mem.Len()
	}
	return 0
}

// Caption is the caption on the scene shown.
func (q *Sequence) Caption() string {
	switch {
	case q.stage != nil:
		return q.stage.Caption()
	case q.grad != nil:
		return q.grad.caption
	case q.mem != nil:
		return q.mem.caption
	}
	return ""
}

// Run is the protocol run animated.
func (q *Sequence) Run() *bridge.ProtocolRun { return q.run }

// Phase is the phase State reports (see the Phase constants).
func (q *Sequence) Phase() string {
	if q.phase != phasePlay {
		return q.phase
	}
	switch {
	case q.grad != nil:
		if q.grad.Phase() == PhaseDone {
			return PhaseFractionate // the step's end, before its hand-off
		}
		return q.grad.Phase()
	case q.mem != nil:
		return q.mem.EnginePhase()
	}
	return PhaseSpin
}

// Current is the index into Run().Steps of the step shown.
func (q *Sequence) Current() int { return q.i }

// Update advances one fixed tick: the step's scene; once it is done (on
// the next tick, so that its end state is reported as the step's), the
// pour-off or hand-off; then the next step, a note held for NoteS, ... It
// allocates only when a new step's scene is built and as the scene shown
// does (a gradient's snapshot), not for the sequence.
func (q *Sequence) Update(tickS float64) {
	if !q.playing || q.phase == PhaseDone {
		return
	}
	switch q.phase {
	case phasePlay:
		if q.sceneDone() {
			q.handOff()
			return
		}
		q.scene.Update(tickS)
	default: // pour-off, hand-off, note
		q.ticks++
		hold := PourOffS
		if q.phase == PhaseNote {
			hold = NoteS
		}
		if q.run.Animation.ReducedMotion || float64(q.ticks)*tickS >= hold {
			q.advance()
		}
	}
}

// advance goes on to the next step, or ends.
func (q *Sequence) advance() {
	if q.i+1 >= len(q.run.Steps) {
		q.phase, q.due = PhaseDone, true
		if q.stage != nil {
			q.stage.phase = PhaseDone
		}
		return
	}
	if err := q.enter(q.i + 1); err != nil {
		q.phase, q.due = PhaseDone, true
	}
}

// handOff shows what the step hands on: after a spin the pour-off (the
// discarded part leaves the view), after a gradient or a membrane the
// hand-off caption.
func (q *Sequence) handOff() {
	sh := q.run.Steps[q.i]
	q.ticks, q.due = 0, true
	q.setCaption(sh.HandOffCaption())
	if s := q.stage; s != nil {
		q.phase, s.phase = PhasePourOff, PhasePourOff
		if sh.Spin.Keep == protocol.KeepPellet {
			s.hideNonPell = true
		} else {
			s.hidePellet = true
		}
		s.reorders++ // the view redraws settled particles
		return
	}
	q.phase = PhaseHandOff
}

// Play implements Scene: resumes; after the end it starts again from the
// first step.
func (q *Sequence) Play() {
	q.playing, q.due = true, true
	if q.phase == PhaseDone {
		q.restart()
		return
	}
	if q.phase == phasePlay {
		q.scene.Play()
	}
}

// restart shows the first step from its start (built once already:
// cannot fail).
func (q *Sequence) restart() {
	q.scene, q.stage, q.grad, q.mem, q.built = nil, nil, nil, nil, -1
	_ = q.enter(0)
}

// Pause implements Scene: stops the clock (a step, a transition or a
// note).
func (q *Sequence) Pause() {
	q.playing, q.due = false, true
	q.scene.Pause()
}

// Reset implements Scene: the start of the first step, paused.
func (q *Sequence) Reset() {
	q.playing = false
	q.restart()
	q.scene.Reset()
}

// StateDue implements Scene.
func (q *Sequence) StateDue() bool {
	d := q.scene.StateDue()
	d = d || q.due
	q.due = false
	return d
}

// State implements Scene (allocates): the scene's state with the
// protocol step shown and the phase.
func (q *Sequence) State() bridge.State {
	st := q.scene.State()
	st.Step, st.Phase = q.run.Steps[q.i].Step, q.Phase()
	if st.Filtration != nil && q.phase == phasePlay {
		st.Filtration.Phase = st.Phase
	}
	st.Playing = q.playing && q.phase != PhaseDone
	return st
}

// Render implements Scene: the scene shown.
func (q *Sequence) Render(widthPx, heightPx int, uiScale float64) Picture {
	return q.scene.Render(widthPx, heightPx, uiScale)
}

var _ Scene = (*Sequence)(nil)
