package stage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"exosep/engine/catalog"
	"exosep/engine/ensemble"
	"exosep/engine/spin"
	"exosep/wasm/bridge"
)

// TickS is the wall-clock length of one Ebiten tick, seconds (60 ticks/s).
const TickS = 1.0 / 60

// MaxSubStepS is the longest step of process time handed to the ensemble
// at once, seconds. The ensemble's motion is exact for any step, so the
// cap bounds only the time resolution of pelleting order (which particle
// joins the pellet first): at the highest time scale, 3600 s/s, a tick is
// 60 s of process time and is taken in 6 sub-steps.
const MaxSubStepS = 10.0

// Milestones is how many equal parts of the run end with a State message.
const Milestones = 10

// seedStream is the second PCG word; with Params.Seed it fixes the particles.
const seedStream = 0x45584f534550 // "EXOSEP"

// Stage is the model behind the stage: the spin's parameters, its analytic
// Result, a sampled particle ensemble and the animation clock. It knows
// nothing of drawing; View reads it.
//
// Time: wall-clock seconds map to process seconds by Params.TimeScale. The
// caller calls Update once per fixed tick; process time advances by
// tickS·TimeScale in equal sub-steps of at most MaxSubStepS and stops
// exactly at the run's duration, where the ensemble is Seek'ed to the
// closed-form end state.
type Stage struct {
	cat     *catalog.Catalog
	params  bridge.Params
	result  bridge.Result
	spin    spin.Params
	ens     *ensemble.Ensemble
	playing bool
	done    bool
	part    int  // milestones passed (0..Milestones)
	due     bool // a State message is due
	gen     int  // bumps when the ensemble or geometry is rebuilt

	// Settled particles in the order they are drawn: pellet from the bottom
	// up (or along the outer wall), floated from the meniscus down.
	mark     []ensemble.State // state as last recorded by the stage
	pellet   []int32
	floated  []int32
	bySpeed  []int32 // particle indices by sedimentation coefficient, fastest sinker first
	counts   [][3]int
	speciesN int
	reorders int // bumps when the settled lists are rebuilt, not appended to

	// In a protocol animation (see Sequence): the step shown, a caption,
	// and which particles the pour-off removed from view.
	step                    int
	phase                   string
	caption                 string
	hidePellet, hideNonPell bool
}

// New builds a stage for p: it validates p (errors are bridge.FieldErrors
// naming the field), computes the analytic Result and samples
// Particles/len(species) particles of each catalogue species with the PCG
// source seeded by p.Seed. The stage starts at t = 0, playing; with
// ReducedMotion it starts at the end state.
func New(p bridge.Params, cat *catalog.Catalog) (*Stage, error) {
	if cat == nil {
		return nil, bridge.FieldError{Field: "params", Message: "no catalogue"}
	}
	s := &Stage{cat: cat}
	if err := s.build(p); err != nil {
		return nil, err
	}
	s.playing = true
	if p.ReducedMotion {
		s.finish()
	}
	s.due = true
	return s, nil
}

// build replaces params, result and ensemble; time is 0, all particles free.
func (s *Stage) build(p bridge.Params) error {
	res, sp, err := bridge.Compute(p, s.cat)
	if err != nil {
		return err
	}
	per := p.Particles / len(s.cat.Species)
	ens, err := ensemble.New(sp, s.cat.Species, per, rand.New(rand.NewPCG(p.Seed, seedStream)))
	if err != nil {
		return bridge.FieldError{Field: "params", Message: err.Error()}
	}
	s.install(p, res, sp, ens)
	return nil
}

// install makes p, res, sp and ens the stage's; time is 0, all particles
// free.
func (s *Stage) install(p bridge.Params, res bridge.Result, sp spin.Params, ens *ensemble.Ensemble) {
	s.params, s.result, s.spin, s.ens = p, res, sp, ens
	n := ens.Len()
	s.mark = make([]ensemble.State, n)
	s.pellet = make([]int32, 0, n)
	s.floated = make([]int32, 0, n)
	s.bySpeed = make([]int32, n)
	for i := range s.bySpeed {
		s.bySpeed[i] = int32(i)
	}
	sort.SliceStable(s.bySpeed, func(a, b int) bool {
		return ens.SSec[s.bySpeed[a]] > ens.SSec[s.bySpeed[b]]
	})
	s.speciesN = len(ens.SpeciesIDs)
	s.counts = make([][3]int, s.speciesN)
	s.done, s.part = false, 0
	s.gen++
	s.reassign()
}

// SetParams applies new parameters. Invalid p leaves the stage unchanged
// and returns the bridge.FieldError. If only display settings changed
// (TimeScale, ReducedMotion, ColorProfile, Species) the particles are kept; otherwise the ensemble is rebuilt (same
// seed: the same particles with the new physics) and moved to
// min(current time, new duration), so the picture shows the new physics
// at the same elapsed time. A State message becomes due.
func (s *Stage) SetParams(p bridge.Params) (bridge.Result, error) {
	if bridge.SameSpin(s.params, p) { // only how it is shown changed
		if _, err := bridge.Resolve(p, s.cat); err != nil {
			return bridge.Result{}, err
		}
		s.params = p
	} else {
		t := s.ens.TimeS()
		old := *s
		if err := s.build(p); err != nil {
			*s = old
			return bridge.Result{}, err
		}
		s.playing = old.playing
		if d := s.DurationS(); t >= d {
			s.finish()
		} else if t > 0 {
			s.ens.Seek(t)
			s.reassign()
			s.part = int(Milestones * t / d)
		}
	}
	if s.params.ReducedMotion && s.playing && !s.done {
		s.finish()
	}
	s.due = true
	return s.result, nil
}

// Update advances the animation by one fixed tick of tickS wall-clock
// seconds (normally TickS). It does nothing when paused or done. It does
// not allocate.
func (s *Stage) Update(tickS float64) {
	if !s.playing || s.done || !(tickS > 0) {
		return
	}
	if s.params.ReducedMotion {
		s.finish()
		return
	}
	adv := tickS * s.params.TimeScale
	d := s.DurationS()
	if s.ens.TimeS()+adv >= d*(1-1e-12) {
		s.finish()
		return
	}
	n := math.Ceil(adv / MaxSubStepS)
	dt := adv / n
	for k := 0; k < int(n); k++ {
		s.ens.Step(dt)
	}
	s.sync()
	if part := int(Milestones * s.ens.TimeS() / d); part > s.part {
		s.part = part
		s.due = true
	}
}

// finish jumps to the closed-form end state and stops.
func (s *Stage) finish() {
	s.ens.Seek(s.DurationS())
	s.sync()
	s.done, s.playing, s.part, s.due = true, false, Milestones, true
}

// sync records particles that settled since the last call, appending them
// to the pellet or the meniscus in the order they are found. If a settled
// particle is free again (only possible after a jump), everything is
// re-recorded.
func (s *Stage) sync() {
	for i, st := range s.ens.State {
		m := s.mark[i]
		if st == m {
			continue
		}
		if m != ensemble.Free {
			s.reassign()
			return
		}
		s.mark[i] = st
		s.counts[s.ens.Species[i]][ensemble.Free]--
		s.counts[s.ens.Species[i]][st]++
		if st == ensemble.Pelleted {
			s.pellet = append(s.pellet, int32(i))
		} else {
			s.floated = append(s.floated, int32(i))
		}
	}
}

// reassign re-records every particle after a jump in time: the pellet is
// stacked fastest sinker first (the order a real pellet forms in, roughly),
// the floated layer fastest floater first.
func (s *Stage) reassign() {
	s.reorders++
	s.pellet, s.floated = s.pellet[:0], s.floated[:0]
	for i := range s.counts {
		s.counts[i] = [3]int{}
	}
	copy(s.mark, s.ens.State)
	for i, st := range s.mark {
		s.counts[s.ens.Species[i]][st]++
	}
	for _, i := range s.bySpeed {
		if s.mark[i] == ensemble.Pelleted {
			s.pellet = append(s.pellet, i)
		}
	}
	for k := len(s.bySpeed) - 1; k >= 0; k-- {
		if i := s.bySpeed[k]; s.mark[i] == ensemble.Floated {
			s.floated = append(s.floated, i)
		}
	}
}

// Play starts or resumes the animation; at the end it restarts from 0.
// With ReducedMotion it jumps to the end state.
func (s *Stage) Play() {
	if s.done {
		s.Reset()
	}
	s.playing, s.due = true, true
	if s.params.ReducedMotion {
		s.finish()
	}
}

// Pause stops process time.
func (s *Stage) Pause() { s.playing, s.due = false, true }

// Reset returns to t = 0, every particle free, paused.
func (s *Stage) Reset() {
	s.ens.Seek(0)
	s.reassign()
	s.playing, s.done, s.part, s.due = false, false, 0, true
}

// StateDue reports whether a State message is due and clears the flag.
// It is due at the start, at each tenth of the run, on Play, Pause, Reset,
// on a params change and when the run is done — not every frame.
func (s *Stage) StateDue() bool {
	d := s.due
	s.due = false
	return d
}

// State is the animation's state for a State message (allocates).
func (s *Stage) State() bridge.State {
	st := bridge.State{Step: s.step, Phase: s.phase, Minutes: s.ens.TimeS() / 60, Playing: s.playing, Done: s.done,
		Species: make([]bridge.SpeciesState, s.speciesN), ColorProfile: s.params.ColorProfile, Shown: s.params.Species}
	for i, c := range s.counts {
		st.Species[i] = bridge.SpeciesState{ID: s.ens.SpeciesIDs[i],
			Free: c[ensemble.Free], Pelleted: c[ensemble.Pelleted], Floated: c[ensemble.Floated]}
	}
	return st
}

// Caption is a line saying what the stage shows in a protocol animation
// ("" for one spin).
func (s *Stage) Caption() string { return s.caption }

// Hidden reports whether a particle in state m is out of view: after a
// pour-off, the part of the tube that was discarded.
func (s *Stage) Hidden(m ensemble.State) bool {
	if m == ensemble.Pelleted {
		return s.hidePellet
	}
	return s.hideNonPell
}

// Params are the stage's current parameters.
func (s *Stage) Params() bridge.Params { return s.params }

// Result is the analytic answer for Params.
func (s *Stage) Result() bridge.Result { return s.result }

// Spin is the resolved engine input.
func (s *Stage) Spin() spin.Params { return s.spin }

// Ensemble is the particle ensemble (read it, do not step it).
func (s *Stage) Ensemble() *ensemble.Ensemble { return s.ens }

// Generation changes whenever the ensemble is rebuilt.
func (s *Stage) Generation() int { return s.gen }

// TimeS is the process time reached, seconds.
func (s *Stage) TimeS() float64 { return s.ens.TimeS() }

// DurationS is the run's length in process time, seconds.
func (s *Stage) DurationS() float64 { return s.spin.DurationS }

// Progress is TimeS/DurationS in 0..1.
func (s *Stage) Progress() float64 { return math.Min(s.ens.TimeS()/s.DurationS(), 1) }

// Playing reports whether process time is advancing.
func (s *Stage) Playing() bool { return s.playing }

// Done reports whether the run reached its duration.
func (s *Stage) Done() bool { return s.done }

// Len is the number of particles.
func (s *Stage) Len() int { return len(s.mark) }

// Counts returns, per species index, the free, pelleted and floated counts
// as the stage draws them (index by ensemble.Free, Pelleted, Floated).
// The slice is the stage's own: read it, do not keep it.
func (s *Stage) Counts() [][3]int { return s.counts }

// Marks is each particle's state as drawn (read only).
func (s *Stage) Marks() []ensemble.State { return s.mark }

// Reorders changes whenever PelletOrder and FloatOrder were rebuilt rather
// than appended to (after a jump in time or a rebuild).
func (s *Stage) Reorders() int { return s.reorders }

// PelletOrder lists pelleted particles in packing order, first at the bottom.
func (s *Stage) PelletOrder() []int32 { return s.pellet }

// FloatOrder lists floated particles in packing order, first at the meniscus.
func (s *Stage) FloatOrder() []int32 { return s.floated }

// String summarises the stage for logs.
func (s *Stage) String() string {
	return fmt.Sprintf("stage %s %.0f rpm %.1f/%.1f min, %d particles, playing=%v done=%v",
		s.spin.Rotor.Name, s.spin.RPM, s.TimeS()/60, s.DurationS()/60, s.Len(), s.playing, s.done)
}
