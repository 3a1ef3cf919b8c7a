package stage

import "exosep/wasm/bridge"

// Scene is one animation the stage can show: a single spin (TubeScene), a
// gradient run (GradientScene), membrane steps (MembraneScene), and the
// steps of a protocol in turn, each with its kind's scene (Sequence). The game knows only this interface: it
// calls Update once per fixed tick, Play/Pause/Reset on commands, posts
// State when StateDue, and draws what Render returns. A Scene never draws
// and knows nothing of Ebiten or the DOM.
type Scene interface {
	// Update advances the animation by tickS wall-clock seconds.
	Update(tickS float64)
	Play()
	Pause()
	Reset()
	// StateDue reports whether a State message is due (the start, a
	// milestone, a step, the end, or a command that changed the state).
	StateDue() bool
	// State is the animation's state for the parent page (and, through it,
	// the page's live text description).
	State() bridge.State
	// Render lays the scene out on a widthPx × heightPx canvas (device
	// pixels; uiScale device pixels per CSS pixel) and returns what to
	// draw this frame. The slices belong to the scene and stay valid until
	// the next Render.
	Render(widthPx, heightPx int, uiScale float64) Picture
}

// Picture is what a Scene draws in one frame, in drawing order: Decor,
// Bar, Particles, then Labels. Every slice holds quads (4 vertices each,
// indexed by QuadIndices) drawn with the one white sprite.
type Picture struct {
	Decor     []Vertex // static shapes: vessel, medium, scale bars
	Bar       []Vertex // the elapsed-time bar
	Particles []Vertex // one quad per particle
	// Labels are redrawn only when LabelsVersion changes.
	Labels            []Label
	LabelsVersion     int
	WidthPx, HeightPx int
	UIScale           float64
	// ProcessS is the process time shown, seconds (for frame messages).
	ProcessS float64
}

// TubeScene shows a centrifuge tube: one spin (a Stage), laid out by a
// View. A protocol's spins are TubeScenes within a Sequence, sharing one
// View.
type TubeScene struct {
	stage *Stage
	view  *View
}

// NewSpinScene shows one spin.
func NewSpinScene(s *Stage) *TubeScene { return &TubeScene{stage: s, view: NewView()} }

// Current is the Stage shown.
func (t *TubeScene) Current() *Stage { return t.stage }

// Update implements Scene.
func (t *TubeScene) Update(tickS float64) { t.stage.Update(tickS) }

// Play implements Scene.
func (t *TubeScene) Play() { t.stage.Play() }

// Pause implements Scene.
func (t *TubeScene) Pause() { t.stage.Pause() }

// Reset implements Scene.
func (t *TubeScene) Reset() { t.stage.Reset() }

// StateDue implements Scene.
func (t *TubeScene) StateDue() bool { return t.stage.StateDue() }

// State implements Scene.
func (t *TubeScene) State() bridge.State { return t.stage.State() }

// Render implements Scene.
func (t *TubeScene) Render(widthPx, heightPx int, uiScale float64) Picture {
	cur := t.stage
	v := t.view
	v.Layout(cur, widthPx, heightPx, uiScale)
	return Picture{
		Decor:         v.Decor,
		Bar:           v.ProgressBar(cur),
		Particles:     v.Fill(cur),
		Labels:        v.Labels,
		LabelsVersion: v.Version(),
		WidthPx:       v.WidthPx,
		HeightPx:      v.HeightPx,
		UIScale:       v.UIScale,
		ProcessS:      cur.TimeS(),
	}
}

var _ Scene = (*TubeScene)(nil)
