// Package protocol is the contract between the simulator page (HTML
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
//	params  {"params": Params}   set the spin (stage answers with result or error)
//	play, pause, reset           control the animation
//
// Stage → parent:
//
//	ready   the wasm is running and listening
//	result  {"result": Result}   the engine's analytic answer for the params
//	state   {"state": State}     the animation's counts, at milestones
//	error   {"field": f, "message": m}  a params value was rejected
//
// The package is free of Ebiten and syscall/js: it decodes and validates
// messages and turns Params into engine inputs, so it is tested natively and
// the site generator uses it to pre-render the default readout.
package protocol
