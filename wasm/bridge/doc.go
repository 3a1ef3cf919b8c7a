// Package bridge is the contract between the simulator page (HTML
// controls, in the parent document) and the stage (the Ebiten WebAssembly
// app in an iframe). They talk only by window.postMessage, in both
// directions, with JSON objects of this shape:
//
//	{"exosep": 1, "type": "<kind>", ...}
//
// "exosep" is the protocol version; a message with another version, an
// unknown type or a malformed body is ignored and reported (never obeyed).
//
// Parent → stage:
//
//	params  {"params": Params}   set the spin (stage answers with result or error);
//	                             Params is complete: omitted fields are zero
//	play, pause, reset           control the animation
//	frames  {"every": n}         post a frame message every n-th frame (0 = off,
//	                             the default; for benchmarks)
//	protocol {"protocol": P, "volumeMl": v?, "seq": n?, "animation": A?}
//	                             a whole protocol (P: engine/protocol.Protocol
//	                             JSON, as data/presets/*.json); v overrides its
//	                             sample volume (mL); A = {particles, timeScale,
//	                             seed, reducedMotion, colorProfile, species}. The stage answers
//	                             protocolResult or protocolError with the same
//	                             seq and animates the protocol's steps in turn
//	filtration {"filtration": step | "preset": id | "protocol": P, "input"?,
//	                             "volumeMl"?, "compare": [preset ids]?, "seq"?,
//	                             "animation"?}  membrane filtration: one filter
//	                             or ultrafilter step, a preset or a protocol with
//	                             at least one; run by the protocol engine with
//	                             each membrane step traced (FiltrationRun); the
//	                             stage answers filtrationResult {seq, result:
//	                             FiltrationResult} or filtrationError {seq,
//	                             field, message, problems} and shows the
//	                             membranes in turn (stage.MembraneScene); its
//	                             state messages carry "filtration"
//	                             (FiltrationState)
//	gradient {"gradient": G, "input": id?, "seq": n?, "animation": A?}
//	                             one density-gradient run (G: engine/gradient.Params
//	                             JSON; id: an inputs.json sample, default msc-cm;
//	                             A = {particles, timeScale (0: the spin in 12 s),
//	                             seed, reducedMotion}). Unknown fields are refused.
//	                             The stage answers gradientResult or gradientError
//	                             with the same seq (also when the message does
//	                             not decode) and animates the run
//
// Stage → parent:
//
//	ready   the wasm is running and listening
//	result  {"result": Result}   the engine's analytic answer for the params
//	state   {"state": State}     the animation's counts, at milestones
//	error   {"field": f, "message": m}  a params value was rejected
//	frame   {"frame": Frame}     only when asked for with frames
//	protocolResult {"seq", "result": protocol.Result}  the engine's run, the
//	                             shape of `exosep protocol --json`
//	protocolError  {"seq", "problems": [{step, field, message, kind?,
//	                             step_name?}]}  every problem, naming the step
//	                             (1-based; 0: the protocol) and the field
//	gradientResult {"seq", "result": GradientResult}  fractions (1 = top),
//	                             exosome peak and rich fractions, pellet,
//	                             medium report, warnings, notes
//	gradientError  {"seq", "field", "message", "problems": [{field, message}]}
//
// In a gradient animation, state carries "phase" ("spin", "fractionate",
// "done"), "drawn" and "fractions", and per species "peakFraction",
// "peakDensityGPerMl", "pelletedShare" and "floatedShare" from the engine.
//
// In a protocol animation, state carries "step" (the protocol step shown)
// and "phase" ("spin", "pour-off", "done"). A params message switches the
// stage back to one spin; a protocol message switches it to the protocol.
//
// Messages are sent as JSON text (the receiver JSON.parses event.data).
// The stage also reads Params from its URL query string with the same
// names (ParseQuery, ParamSpecs): a bad value is reported as an error
// message and replaced by its default, never breaking the stage.
//
// The package is free of Ebiten and syscall/js: it decodes and validates
// messages and turns Params into engine inputs, so it is tested natively and
// the site generator uses it to pre-render the default readout.
package bridge
