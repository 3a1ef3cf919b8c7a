// Package browser is the headless-Chromium harness of ExoSep's end-to-end
// tests and benchmarks.
//
// [Start] launches Chromium with a fixed set of flags (WebGL2 works with
// them, on SwiftShader), [Serve] and [FileURL] give the URLs of a built site
// over http and over file://, [RequestLog] records every URL a page, its
// iframes and its workers ask for, [ConsoleLog] records the errors they log,
// and [NonBackgroundShare] with [ElementRect] tells from a screenshot
// whether something was drawn. A test goes like this:
//
//	ctx, cancel, err := browser.Start(context.Background())
//	if err != nil {
//		t.Fatal(err) // says how to install Chromium
//	}
//	defer cancel()
//	base, stop := browser.Serve(dir)
//	defer stop()
//	var reqs browser.RequestLog
//	var console browser.ConsoleLog
//	if err := reqs.Start(ctx); err != nil { ... }
//	if err := console.Start(ctx); err != nil { ... }
//	err = chromedp.Do(ctx, chromedp.Navigate(base+"/index.html"))
//	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
//	rect, err := browser.ElementRect(ctx, "#stage")
//	share, err := browser.NonBackgroundShare(png, rect) // > 0.05: drawn
//	outside := reqs.Outside(base + "/")                 // want none
//	errs := console.Errors()                            // want none
//
// Everything that drives Chromium builds only outside js/wasm; under js
// the package holds just this comment and [NonBackgroundShare].
package browser
