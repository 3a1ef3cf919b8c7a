package bridge

// MaxFrameEvery is the largest accepted "every" of a frames message.
const MaxFrameEvery = 3600

// Frame is the opt-in per-frame report (message type "frame"), for
// benchmarks and tests; nothing is posted per frame unless the parent asks
// with {"exosep":1,"type":"frames","every":n} or the stage URL has frames=n.
type Frame struct {
	Frames    int     `json:"frames"`    // frames drawn so far
	Particles int     `json:"particles"` // particles drawn in this frame
	Minutes   float64 `json:"minutes"`   // process time shown
	NowMs     float64 `json:"nowMs"`     // performance.now() when drawn
}
