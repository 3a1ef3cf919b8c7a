package bridge

import (
	"fmt"
	"strconv"
	"strings"

	"exosep/engine/filter"
	"exosep/engine/gradient"
	"exosep/engine/protocol"
)

// ShownStep is one step of a protocol as the stage shows it. Every kind
// with physics to show is animated with the engine's own computation of
// that step:
//
//	spin                 Spin: the step's input nodes and conditions (a tube)
//	gradient             Gradient: the gradient engine's run of one of the
//	                     step's tubes, with the protocol's nodes and counts
//	filter, ultrafilter  Membrane: the membrane model's parameters and result
//	resuspend, pool      none: a volume change or a merge moves no particle;
//	                     the stage only says what the step did (NoteCaption)
type ShownStep struct {
	Step, Of   int // 1-based; steps in the protocol
	Name, Kind string
	// Result is the engine's result of this step.
	Result   *protocol.StepResult
	Spin     *SpinStep
	Gradient *gradient.Run
	Membrane *FiltrationStage
}

// Animated reports whether the step has a scene of its own.
func (s ShownStep) Animated() bool {
	return s.Spin != nil || s.Gradient != nil || s.Membrane != nil
}

// GradientRun is the gradient step's run as a gradient animation: the
// protocol's particle count, seed (one stream per step), reduced motion
// and display settings, and the automatic time scale of the gradient page
// (the spin in GradientSpinWallS wall-clock seconds: a gradient runs for
// hours, a spin's time scale would take minutes to show it). Its result
// (fractions per tube) is built here, when the step is shown, not when
// the protocol is recomputed. Nil for other kinds.
func (s ShownStep) GradientRun(a Animation, input string) *GradientRun {
	if s.Gradient == nil {
		return nil
	}
	r := s.Gradient
	ga := GradientAnimation{Particles: a.Particles, TimeScale: r.DurationS / GradientSpinWallS, Seed: a.Seed + uint64(s.Step),
		ReducedMotion: a.ReducedMotion, ColorProfile: a.ColorProfile, Species: a.Species}
	if !(ga.TimeScale > 0) {
		ga.TimeScale = MinTimeScale
	}
	return &GradientRun{Input: input, Run: r, Animation: ga, Result: NewGradientResult(r, input)}
}

// FiltrationRun is the membrane step as a filtration animation of one
// stage: at most DefaultFiltrationParticles particles (the membrane is
// drawn at pore scale, where the filtration pages' default already fills
// the window), the automatic time scale (the step in FiltrationStepWallS
// wall-clock seconds), a seed per step, reduced motion and display
// settings from the protocol's animation. Nil for other kinds.
func (s ShownStep) FiltrationRun(a Animation) *FiltrationRun {
	if s.Membrane == nil {
		return nil
	}
	fa := FiltrationAnimation{Particles: min(a.Particles, DefaultFiltrationParticles), Seed: a.Seed + uint64(s.Step),
		ReducedMotion: a.ReducedMotion, ColorProfile: a.ColorProfile, Species: a.Species}
	return &FiltrationRun{Stages: []FiltrationStage{*s.Membrane}, Animation: fa}
}

// Caption is the stage's one-line description of the step while it plays
// (Latin-1, for the debug font).
func (s ShownStep) Caption() string {
	head := fmt.Sprintf("Step %d of %d: ", s.Step, s.Of)
	switch {
	case s.Spin != nil:
		return s.Spin.Caption()
	case s.Gradient != nil:
		g := s.Gradient
		c := head + fmt.Sprintf("density gradient, %s in %s, %s × g (r_avg), %s", g.Params.Mode, strings.ToLower(firstWord(g.Medium.Name)),
			thousandsInt(g.RCFAvg), hoursOrMinutes(g.Params.Minutes))
		if d := s.Result; d != nil && d.Gradient != nil && d.Gradient.Tubes > 1 {
			c += fmt.Sprintf("; one of %d tubes shown", d.Gradient.Tubes)
		}
		return c
	case s.Membrane != nil:
		m := s.Membrane
		what := "filter"
		if s.Kind == protocol.KindUltrafilter {
			what = "ultrafilter"
		}
		mode := "dead-end"
		if m.Res.Mode == filter.Tangential {
			mode = "tangential flow"
		}
		return head + fmt.Sprintf("%s, %s, %s mL in %s min", what, mode, trimFloat(m.Res.FeedML), trimFloat(m.Res.Minutes))
	}
	return s.NoteCaption()
}

// HandOffCaption says what the step hands on, shown between this step and
// the next as the pour-off is after a spin.
func (s ShownStep) HandOffCaption() string {
	d := s.Result
	out := ""
	if d != nil {
		out = trimFloat(d.VolumeOutML) + " mL"
	}
	switch {
	case s.Spin != nil && s.Spin.Keep == protocol.KeepPellet:
		return fmt.Sprintf("Step %d pour-off: supernatant discarded, pellet kept", s.Step)
	case s.Spin != nil:
		return fmt.Sprintf("Step %d pour-off: supernatant kept, pellet discarded", s.Step)
	case s.Gradient != nil && d != nil && d.Gradient != nil:
		return fmt.Sprintf("Step %d: %s kept and pooled (%s), the rest discarded", s.Step, fractionList(d.Gradient.Kept), out)
	case s.Membrane != nil && s.Membrane.Params.Collect == filter.CollectRetentate:
		return fmt.Sprintf("Step %d: the retentate (%s) goes on, the permeate is discarded", s.Step, out)
	case s.Membrane != nil:
		return fmt.Sprintf("Step %d: the filtrate (%s) goes on; what the membrane held back is discarded", s.Step, out)
	}
	return s.NoteCaption()
}

// NoteCaption describes a step without a scene (resuspend, pool): what it
// did, and that there is no motion to show.
func (s ShownStep) NoteCaption() string {
	head := fmt.Sprintf("Step %d of %d: ", s.Step, s.Of)
	d := s.Result
	switch {
	case d == nil:
	case s.Kind == protocol.KindResuspend:
		return head + fmt.Sprintf("resuspended or diluted in PBS to %s mL; a volume change, nothing to animate", trimFloat(d.VolumeOutML))
	case s.Kind == protocol.KindPool:
		return head + fmt.Sprintf("pooled into one vessel (%s mL); nothing moves, nothing to animate", trimFloat(d.VolumeOutML))
	}
	return head + s.Kind + "; nothing to animate"
}

// fractionList is "fraction 6" or "fractions 5, 6, 7".
func fractionList(k []int) string {
	if len(k) == 1 {
		return "fraction " + strconv.Itoa(k[0])
	}
	parts := make([]string, len(k))
	for i, j := range k {
		parts[i] = strconv.Itoa(j)
	}
	return "fractions " + strings.Join(parts, ", ")
}

// hoursOrMinutes is "24 h" from 1440 minutes, "45 min" below two hours.
func hoursOrMinutes(minutes float64) string {
	if minutes >= 120 {
		return trimFloat(minutes/60) + " h"
	}
	return trimFloat(minutes) + " min"
}

// firstWord is "Iodixanol" of "Iodixanol (OptiPrep)".
func firstWord(s string) string {
	if i := strings.Index(s, " ("); i > 0 {
		return s[:i]
	}
	return s
}
