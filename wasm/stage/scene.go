package stage

import "exosep/wasm/bridge"

// Scene is one animation the stage can show: a single spin, the spins of a
// protocol in turn, and other isolation methods (a gradient run, a
// membrane) as they are added. The game knows only this interface: it
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

// TubeScene shows a centrifuge tube: one spin (a Stage) or a protocol's
// spins in turn (a Sequence), laid out by a View.
type TubeScene struct {
	stage *Stage    // one spin, when seq is nil
	seq   *Sequence // a protocol
	view  *View
}

// NewSpinScene shows one spin.
func NewSpinScene(s *Stage) *TubeScene { return &TubeScene{stage: s, view: NewView()} }

// NewSequenceScene shows a protocol's spins in turn.
func NewSequenceScene(q *Sequence) *TubeScene { return &TubeScene{seq: q, view: NewView()} }

// Current is the Stage shown now: the one spin, or the protocol's current
// spin.
func (t *TubeScene) Current() *Stage {
	if t.seq != nil {
		return t.seq.Stage()
	}
	return t.stage
}

// Update implements Scene.
func (t *TubeScene) Update(tickS float64) {
	if t.seq != nil {
		t.seq.Update(tickS)
		return
	}
	t.stage.Update(tickS)
}

// Play implements Scene.
func (t *TubeScene) Play() {
	if t.seq != nil {
		t.seq.Play()
		return
	}
	t.stage.Play()
}

// Pause implements Scene.
func (t *TubeScene) Pause() {
	if t.seq != nil {
		t.seq.Pause()
		return
	}
	t.stage.Pause()
}

// Reset implements Scene.
func (t *TubeScene) Reset() {
	if t.seq != nil {
		t.seq.Reset()
		return
	}
	t.stage.Reset()
}

// StateDue implements Scene.
func (t *TubeScene) StateDue() bool {
	if t.seq != nil {
		return t.seq.StateDue()
	}
	return t.stage.StateDue()
}

// State implements Scene.
func (t *TubeScene) State() bridge.State {
	if t.seq != nil {
		return t.seq.State()
	}
	return t.stage.State()
}

// Render implements Scene.
func (t *TubeScene) Render(widthPx, heightPx int, uiScale float64) Picture {
	cur := t.Current()
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
