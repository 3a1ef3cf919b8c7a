// Package params is ExoSep's one typed schema of URL parameters: every
// parameter of every page, with its type (number, int, bool, enum, string,
// list), unit, range or allowed values, default, visibility (public or
// internal), description and the pages that read it.
//
// # One source
//
// The stage's parameters (the fields of bridge.Params: rotor, rpm, rcf,
// rcfAt, minutes, temperatureC, medium, particles, timeScale, seed,
// reducedMotion) take their name, unit, default and description from
// bridge.ParamSpecs; this package adds their types and ranges (from the
// catalogue and bridge's constants) and New fails if the two tables ever
// list different names. The schema lives here, not in bridge, because
// bridge is compiled into the stage's WebAssembly and knows nothing of
// pages: hide, lock, colour profiles, comparison lanes and presets are
// page matters, and bridge.ParseQuery stays the stage's own parser.
//
// The build writes the schema into static/params.js (File) as JSON with a
// small validator, window.ExoSepParams (see validator.js); every page that
// reads URL parameters validates with it, and a test checks that the JSON
// in the file equals this package's table and that the validator agrees
// with bridge.ParseQuery on the stage's parameters. The teacher page
// renders its parameter table from the same Schema.
//
// # Rules
//
// A bad value never breaks a page: it is reported (visibly and politely
// for public parameters, in the console for internal ones) and the default
// is used. Unknown keys are ignored (listed in the console). Speed is rpm
// or rcf, not both (rpm clears the default rcf), and must be within the
// rotor's limit; the temperature must be within the medium's range. A
// list keeps its good items and reports the rest.
//
// On the comparison pages (compare.html, compare-embed.html) every
// parameter marked Lane is also accepted per lane as a.<name>, b.<name>,
// c.<name>; the plain name applies to every lane and the prefixed one
// overrides it for that lane. A lane runs one spin (rotor, speed, minutes)
// or, with protocol=ID, a protocol of the library; either way through the
// protocol engine. The other parameters (input, temperature, particles,
// seed, time scale, colour profile, species) are shared: the same sample
// runs through every lane. An enum that is not set by default (preset,
// protocol) is unset again by an empty value (a.protocol= : one spin).
//
// # Embed pages
//
// The simulator pages (SimPages: the embed pages and compare.html) take
// title, autoplay, hide and lock. hide= and lock= name controls: each is
// every element marked data-control="<name>" on the page, and a page
// accepts only the controls it has (Control.Pages, Entry.PageValues), so
// another page's control is reported with the page's own list, never
// silently ignored.
//
// # Host API of the embed pages
//
// duc-embed.html, compare-embed.html, gradient-embed.html and the
// filtration embeds can be driven by the page that embeds them, on any
// origin and from file://, with window.postMessage.
// Every message is a JSON object (or its JSON text) of the shape
//
//	{"exosep": 1, "type": "<kind>", ...}
//
// Host → embed (accepted only from window.parent):
//
//	set    {"params": {name: value, ...}}  change Settable parameters; values
//	                                       are checked by the schema and the
//	                                       message is applied only if all are
//	                                       valid (else an error is posted back)
//	play, pause, reset                     control the animation
//	get                                    ask for a params message
//
// Embed → host (posted to window.parent with target "*"; nothing secret):
//
//	ready   {"params": {...}}                         the embed listens and its stage runs
//	params  {"params": {...}, "query": "?…"}          current values, on get and after set
//	result  {"params": {...}, "result": Result}       the engine's numbers for the params
//	                                                  (bridge.Result); on compare-embed,
//	                                                  "lane": "a" | "b" | "c", "protocol"
//	                                                  (what the lane ran) and the protocol
//	                                                  engine's result (protocol.Result, as
//	                                                  exosep protocol --json)
//	state   {"state": State, "description": "…"}      at milestones (start, tenths, play,
//	                                                  pause, reset, done), bridge.State
//	done    {"params", "result", "state"}             once per completed run
//	error   {"field": f, "message": m}                a set message was rejected
//
// A message of another version, an unknown type, unknown fields or
// malformed values is ignored and reported with console.warn; a set is
// never applied in part.
package params
