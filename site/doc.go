// Package site generates ExoSep's static web site with templ.
//
// Pages (each a templ component rendered by [Build]):
//
//	index.html  what ExoSep is, for whom, where to start
//	duc.html    differential ultracentrifugation: the protocol builder
//	            (presets; add, remove, reorder and edit steps; results per
//	            step, where each species went, the product's size
//	            distribution; link, CSV and JSON; static/protocol.js) and the
//	            one-spin explorer (static/duc.js), sharing one stage iframe
//	model.html  how the model works, for teachers: units, equations,
//	            assumptions, limits, and the data tables from the catalogue
//	stage.html  the iframe page that only loads the WebAssembly stage
//
// Static files come from assets.Static (static/site.css, static/format.js,
// static/duc.js, static/stage-loader.js); the build adds wasm_exec.js (from
// the Go toolchain that built the wasm) and stage.wasm.js, which holds the
// stage's wasm gzip-compressed and base64-encoded, because fetch() of a
// .wasm file fails under file://.
//
// The simulator page pre-renders the readout for bridge.Defaults() with
// bridge.Compute, so it shows real numbers without JavaScript; duc.js then
// keeps it current from the stage's "result" messages (see package
// exosep/wasm/bridge for the message contract). Numbers are formatted by
// the same rules in Go (format.go) and JavaScript (static/format.js); a test
// runs both and compares.
//
// The builder's default preset (DefaultPresetID) is run by the engine at
// build time and its results pre-rendered (protocol_view.go) in the same
// formats protocol.js uses for the stage's protocolResult messages.
//
// Every link and loaded resource is relative, and nothing is loaded from
// another host: the site works from file:// and from any sub-folder.
package site
