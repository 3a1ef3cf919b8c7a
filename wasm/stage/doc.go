// Package stage is everything the ExoSep stage does except drawing calls
// and the DOM: free of Ebiten and syscall/js (a test asserts it), so it is
// tested natively and under node.
//
// Stage is the model: built from protocol.Params, it holds the analytic
// protocol.Result (protocol.Compute), a particle ensemble sampled with a
// PCG source seeded by Params.Seed (engine/ensemble; Particles/len(species)
// particles per catalogue species) and the animation clock. Update(TickS)
// advances process time by TickS·TimeScale in sub-steps of at most
// MaxSubStepS and stops exactly at the duration (Seek); Play, Pause, Reset
// and SetParams control it; StateDue says when a protocol.State message is
// due (start, every tenth of the run, play/pause/reset, params, done).
// Stage also records the order in which particles settle, so the pellet
// is drawn stacked in arrival order and stays put between frames.
//
// View is the view: it lays the tube out to scale on a canvas (one uniform
// scale from metres to pixels, tilted by the rotor angle for fixed-angle
// rotors), builds the static decoration (medium, walls, scale bar, rotation
// axis) as quads and labels, and fills a preallocated vertex buffer with
// one quad per particle. Vertex has ebiten.Vertex's fields, so the
// renderer uses the buffer as is. Nothing is allocated per frame.
//
// Sequence plays a protocol (bridge.ProtocolRun) step by step, each step
// with the engine's own computation of it and its kind's scene: a spin as
// a Stage in a tube (TubeScene), then the pour-off; a density-gradient
// step as a GradientScene of the gradient run the protocol engine
// computed for it (protocol.Options.GradientTrace), then a hand-off naming
// the kept fractions; a filter or ultrafilter step as a MembraneScene of
// its membrane trace (protocol.Options.FilterTrace), then a hand-off;
// resuspend and pool steps, which move nothing, as a caption only. The
// Sequence is itself a Scene: the game drives it like any other.
//
// Palette (palette.go) is how a colour profile draws the scene
// (bridge.Params.ColorProfile: default, projector, high-contrast; WCAG
// contrast ratios are tested), and Params.Species lists the species drawn:
// the others stay in the simulation, the Result and the State's counts,
// but get empty quads and no place in the pellet. The header wraps to the
// canvas width.
//
// See the wasm package's documentation for the coordinate and time
// transforms and the message flow.
package stage
