package stage

import (
	"fmt"
	"math"
	"math/rand/v2"

	"exosep/engine/catalog"
	"exosep/engine/ensemble"
	"exosep/engine/protocol"
	"exosep/wasm/bridge"
)

// PourOffS is how long the pour-off between two spins is shown, wall-clock
// seconds (skipped with reduced motion).
const PourOffS = 1.5

// Phases of a protocol animation (bridge.State.Phase).
const (
	PhaseSpin    = "spin"
	PhasePourOff = "pour-off"
	PhaseDone    = "done"
)

// Sequence animates the spins of a protocol in turn. For each spin step it
// builds a Stage whose ensemble is sampled from that step's input — per
// species, from the quadrature nodes the protocol engine carried into the
// step, weighted by their counts (ensemble.NewFromNodes) — spun in the
// step's liquid for its effective time (hold + ramps/3, the engine's
// t_eff). Every species present in the step's input gets the same number
// of particles (Animation.Particles shared out), so rare species stay
// visible: the picture shows where each species goes, not their count
// ratio. When a spin is done, the pour-off is shown for PourOffS: the
// discarded part (the pellet, or everything but the pellet) leaves the
// view, then the next spin starts. With reduced motion every spin shows
// its end state at once and the pour-off is skipped.
//
// What the stage's pelleted share does not include (the engine's kept
// fraction does): the residual liquid left with each pellet (a share f of
// the tube, 0.5 % or more; it carries plateau liquid into the pellet
// fraction) and, for soluble species where the engine used the Lamm
// equation, back-diffusion from the pellet.
type Sequence struct {
	run     *bridge.ProtocolRun
	cat     *catalog.Catalog
	i       int // index into run.Spins
	stage   *Stage
	phase   string
	ticks   int // ticks spent in the pour-off
	playing bool
	due     bool
}

// NewSequence starts the animation of run at its first spin, playing.
// It fails when the protocol has no spin.
func NewSequence(run *bridge.ProtocolRun, cat *catalog.Catalog) (*Sequence, error) {
	if run == nil || len(run.Spins) == 0 {
		return nil, fmt.Errorf("the protocol has no spin step to animate")
	}
	q := &Sequence{run: run, cat: cat, playing: true}
	if err := q.startSpin(0); err != nil {
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

func (q *Sequence) startSpin(i int) error {
	s, err := SpinStage(q.run.Spins[i], q.run.Animation, q.cat)
	if err != nil {
		return err
	}
	if !q.playing {
		s.playing = false
	}
	q.i, q.stage, q.phase, q.ticks, q.due = i, s, PhaseSpin, 0, true
	return nil
}

// Stage is the spin shown now (read it, do not change it).
func (q *Sequence) Stage() *Stage { return q.stage }

// Run is the protocol run animated.
func (q *Sequence) Run() *bridge.ProtocolRun { return q.run }

// Phase is PhaseSpin, PhasePourOff or PhaseDone.
func (q *Sequence) Phase() string { return q.phase }

// Current is the index into Run().Spins of the spin shown.
func (q *Sequence) Current() int { return q.i }

// Update advances one fixed tick: the spin, then (once it is done, on the
// next tick, so that its end state is reported as a spin) the pour-off,
// then the next spin. It allocates only when a new spin's ensemble is
// built, not per frame.
func (q *Sequence) Update(tickS float64) {
	if !q.playing || q.phase == PhaseDone {
		return
	}
	switch q.phase {
	case PhaseSpin:
		if q.stage.Done() {
			q.pourOff()
			return
		}
		q.stage.Update(tickS)
	case PhasePourOff:
		q.ticks++
		if q.run.Animation.ReducedMotion || float64(q.ticks)*tickS >= PourOffS {
			if q.i+1 < len(q.run.Spins) {
				if err := q.startSpin(q.i + 1); err != nil {
					q.phase, q.due = PhaseDone, true
				}
				return
			}
			q.phase, q.due = PhaseDone, true
			q.stage.phase = PhaseDone
		}
	}
}

// pourOff removes the discarded part of the tube from view.
func (q *Sequence) pourOff() {
	st := q.run.Spins[q.i]
	s := q.stage
	s.phase, q.phase, q.ticks, q.due = PhasePourOff, PhasePourOff, 0, true
	if st.Keep == protocol.KeepPellet {
		s.hideNonPell = true
		s.caption = fmt.Sprintf("Step %d pour-off: supernatant discarded, pellet kept", st.Step)
	} else {
		s.hidePellet = true
		s.caption = fmt.Sprintf("Step %d pour-off: supernatant kept, pellet discarded", st.Step)
	}
	s.reorders++ // the view redraws settled particles
}

// Play resumes; after the end it starts again from the first spin.
func (q *Sequence) Play() {
	if q.phase == PhaseDone {
		q.playing = true
		_ = q.startSpin(0) // built once already: cannot fail
		return
	}
	q.playing, q.due = true, true
	if q.phase == PhaseSpin {
		q.stage.Play()
	}
}

// Pause stops the clock (spin or pour-off).
func (q *Sequence) Pause() {
	q.playing, q.due = false, true
	q.stage.Pause()
}

// Reset returns to the start of the first spin, paused.
func (q *Sequence) Reset() {
	q.playing = false
	_ = q.startSpin(0)
	q.stage.Reset()
}

// StateDue reports whether a State message is due and clears the flag.
func (q *Sequence) StateDue() bool {
	d := q.stage.StateDue() || q.due
	q.due = false
	return d
}

// State is the stage's state with the step and phase (allocates).
func (q *Sequence) State() bridge.State {
	st := q.stage.State()
	st.Step, st.Phase = q.run.Spins[q.i].Step, q.phase
	st.Playing = q.playing && q.phase != PhaseDone
	return st
}
