// Command wasm is ExoSep's stage: the WebAssembly (Ebiten) app that
// animates one centrifuge spin, particle by particle, in an iframe of the
// simulator page. Build it with
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o stage.wasm ./wasm
//
// and load it with the wasm_exec.js of the same Go version. Natively the
// package builds to a stub that says so; the files that import Ebiten or
// syscall/js carry the constraint js && wasm.
//
// # Pieces
//
// Model and view are apart, and neither knows Ebiten or the DOM, so both
// are tested natively and under node:
//
//	bridge    the messages (JSON field names are a contract with the page's
//	          JavaScript), Params and their URL query form, Resolve/Compute
//	stage     Scene: what the game drives (Update on a fixed tick, Play,
//	          Pause, Reset, State, Render → Picture of quads and labels);
//	          TubeScene shows one spin (Stage) or a protocol (Sequence);
//	          MembraneScene the membrane steps of a filtration run.
//	          Stage: Params → analytic Result + a seeded particle ensemble
//	          (engine/ensemble) + the animation clock and milestones;
//	          View: layout to scale and vertex buffers, no allocation per frame
//	wasm      (this package) the Ebiten game and the postMessage bridge; it
//	          knows only stage.Scene, so a new method adds a Scene and a
//	          command, not drawing code
//
// # Time
//
// One mapping from wall clock to process time: Params.timeScale process
// seconds per wall-clock second (60: a 70-min spin plays in 70 s). Ebiten
// calls Update at a fixed 60 ticks per second; each tick advances process
// time by timeScale/60 s, in equal sub-steps of at most
// stage.MaxSubStepS = 10 s (the ensemble's motion is exact for any step;
// the cap bounds the time resolution of which particle reaches the pellet
// first). The last tick does not step past the run's duration: the
// ensemble is Seek'ed to exactly the duration, its closed-form end state,
// so the final counts are the engine's. With reducedMotion the stage shows
// that end state at once and never animates. Changing params mid-run
// rebuilds the ensemble (same seed: the same particles) and seeks it to
// min(elapsed, new duration): the picture shows the new physics at the
// same elapsed time. Draw only draws; it never advances time.
//
// # Coordinates
//
// The engine works in metres in the tube's frame (ensemble: Axial a along
// the tube from the top of the sample, Across c, +c the outer wall for
// fixed-angle rotors). The view maps them to canvas device pixels with ONE
// uniform scale k (pixels per metre) and a rotation, (x, y) = O + k·a·û +
// k·c·n̂, so tube length, tube diameter and radii are all to scale:
//
//   - swinging bucket: the tube upright (û pointing down the canvas): r_min,
//     the meniscus, at the top; r_max, the tube's bottom, near the bottom
//     edge of the canvas. A vertical scale bar beside it gives the radius
//     in mm (ticks every 10 mm, r_min and r_max marked).
//   - fixed angle: a side view with the rotation axis drawn as a dashed
//     vertical line at the left (r = 0); the tube leans out by the rotor's
//     angle θ from that axis, û = (sin θ, cos θ), its bottom outward, and a
//     horizontal radius axis under it runs from 0 to r_max with the
//     rotor's range r_min..r_max in bold and guides from the tube's
//     innermost and outermost points. A point's radius is its x distance
//     from the axis line over k.
//
// Free particles are drawn where the ensemble has them (kept one sprite
// radius inside the walls). Settled particles are drawn packed, in the
// order they settled (after a jump in time: fastest first): pelleted ones
// in rows from the bottom of a swinging-bucket tube, or in a band along a
// fixed-angle tube's outer wall growing from its bottom; floated ones in
// rows under the meniscus, or along the inner wall from the top. The
// pellet's packing pitch is chosen so that even all particles pelleted
// cover at most a quarter of the tube: the drawn pellet shows counts, it is
// not to scale (a real EV pellet is microscopic).
//
// # What is drawn, in order
//
// The background; the medium (a filled quad, clearly lighter than the
// background), the meniscus line and the tube walls; the scale bar, tick
// marks, rotation axis and guides (thin rectangles); the elapsed-time bar
// at the top; every particle, coloured by its species' colour (#rrggbb in
// species.json); the labels (Ebiten's debug font, rendered once per layout
// and scaled by the device pixel ratio). Every quad, decoration or
// particle, is drawn with one shared 4×4 white sprite tinted by vertex
// colour, with DrawTriangles in batches of at most 16,384 quads (uint16
// indices); stage.Vertex has ebiten.Vertex's layout (checked at compile
// time), so the view's buffer is handed over without copying. Buffers are
// allocated on layout, never per frame. Layout returns the outside size
// times the device scale factor, so drawing is at device resolution.
//
// # Messages
//
// Page and stage talk only by window.postMessage (pages from file:// are
// opaque origins, so the stage posts with target "*"; nothing secret is
// sent). Every message is JSON text of the shape {"exosep": 1, "type": …};
// see package bridge for the fields.
//
//	parent → stage   params {params}, protocol {protocol, volumeMl, seq,
//	                 animation}, gradient {gradient, input, seq, animation},
//	                 play, pause, reset, frames {every}
//	stage → parent   ready, result {result}, error {field, message},
//	                 protocolResult {seq, result}, protocolError {seq,
//	                 problems}, gradientResult {seq, result}, gradientError
//	                 {seq, field, message, problems}, state {state},
//	                 frame {frame}
//
// A protocol message is validated and run by the engine in the event
// handler (answered at once, like params) and then animated by a
// stage.Sequence: every step in turn, each with the engine's own
// computation of that step — a spin's particles sampled from what the
// engine carried into it, then a short pour-off; a gradient step's run
// (stage.GradientScene), then a hand-off naming the kept fractions; a
// membrane step's trace (stage.MembraneScene), then a hand-off; a
// resuspend or pool step as a caption only; state messages carry the
// protocol step and phase. A gradient message is run the same
// way and shown by a stage.GradientScene: the tube shaded by the medium's
// density, the particles following the engine's packets, then the
// fractions drawn from the top. A params message returns to one spin.
//
// The stage listens to the window's "message" events and accepts only those
// whose event.source is window.parent (when the stage is not in a frame,
// window.parent is the window itself). event.data may be a JSON string or
// an object (it is JSON.stringify'd). A message that does not decode —
// another protocol version, an unknown type or field, malformed JSON — is
// ignored with a console.warn naming the problem. A params message is
// validated and answered at once from the event handler with result, or
// error naming the field and its allowed range; the command then waits in a
// queue for the next Update, the only place the Stage is changed. The stage
// posts state at milestones only: at the start, every tenth of the run, on
// play, pause, reset and params, and when done. A new stage plays at once;
// reset rewinds to t = 0 and pauses; play after the end starts again.
//
// On start the stage reads its own URL query string (the same names as
// Params' JSON, e.g. stage.html?particles=20000&timeScale=600; frames=n opts
// in to frame messages), posts ready once it listens, then one error per
// rejected URL value (each replaced by its default) and the result for the
// parameters in force.
//
// # For benchmarks
//
// window.exosepStats = {frames, firstFrameMs, particles} is updated by Draw:
// frames drawn so far, performance.now() at the first frame that drew
// particles (null before), and the particle count. Per-frame messages are
// off unless asked for with {"exosep":1,"type":"frames","every":n} (or the
// URL parameter frames=n): then every n-th frame posts
// {"type":"frame","frame":{frames, particles, minutes, nowMs}}.
package main
