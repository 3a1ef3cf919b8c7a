// Package browser is the headless-Chromium harness of ExoSep's end-to-end
// tests and benchmarks.
//
// [Start] launches Chromium with a fixed set of flags (WebGL2 works with
// them, on SwiftShader), [Serve] and [FileURL] give the URLs of a built site
// over http and over file://, [RequestLog] records every URL a page, its
// iframes and its workers ask for, [ConsoleLog] records the errors they log,
// and [NonBackgroundShare] with [ElementRect] tells from a screenshot
// whether something was drawn.
//
// Everything that drives Chromium builds only outside js/wasm; under js
// the package holds just this comment and [NonBackgroundShare].
package browser
