//go:build !js

package e2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"exosep/site/browser"
)

// The shared browser and the site's two addresses, set up once in TestMain.
var (
	browserCtx context.Context
	distDir    string
	httpBase   string // http://127.0.0.1:PORT (no trailing slash)
	setupErr   error
)

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	code := func() int {
		var err error
		distDir, err = findDist()
		if err != nil {
			setupErr = err
			return m.Run()
		}
		base, stop := browser.Serve(distDir)
		defer stop()
		httpBase = base
		ctx, cancel, err := browser.Start(context.Background())
		if err != nil {
			setupErr = err
			return m.Run()
		}
		defer cancel()
		browserCtx = ctx
		return m.Run()
	}()
	os.Exit(code)
}

// findDist returns the built site: $EXOSEP_DIST, else dist/ at the module root.
func findDist() (string, error) {
	dir := os.Getenv("EXOSEP_DIST")
	if dir == "" {
		dir = filepath.Join("..", "..", "dist")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(abs, "index.html")); err != nil {
		return "", fmt.Errorf("no built site at %s: run `make build` (or `make test`), or set EXOSEP_DIST", abs)
	}
	return abs, nil
}

// origin is one way of opening the site.
type origin struct {
	name   string
	prefix string // every URL the site may load starts with this
}

// url returns the address of page (e.g. "duc.html?x=1") under this origin.
func (o origin) url(page string) string { return o.prefix + page }

// origins returns http and file:// for table-driven tests.
func origins(t *testing.T) []origin {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end tests skipped in -short mode")
	}
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return []origin{
		{name: "http", prefix: httpBase + "/"},
		{name: "file", prefix: browser.FileURL(distDir, "")},
	}
}

// fileOrigins is the file:// origin alone, for the slower tests: it is the
// harder case (opaque origins, no fetch), while the http origin is covered
// by the core page tests (DUC, stage, protocol builder, evidence, embed in
// a host page). Running every test at both origins took the browser suite
// past 15 minutes on a 2-core machine.
func fileOrigins(t *testing.T) []origin {
	t.Helper()
	return origins(t)[1:]
}

// fileOrigin is the file:// origin, for a test that runs there only.
func fileOrigin(t *testing.T) origin {
	t.Helper()
	return fileOrigins(t)[0]
}

// httpOrigin is the http origin, for a test that runs there only.
func httpOrigin(t *testing.T) origin {
	t.Helper()
	return origins(t)[0]
}

// tab is one browser tab with its request and console logs.
type tab struct {
	ctx      context.Context
	requests *browser.RequestLog
	console  *browser.ConsoleLog
}

// newTab opens a fresh tab (closed at the end of the test) with logs
// recording from before the first navigation, and a deadline.
func newTab(t *testing.T, timeout time.Duration) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancelT)
	// Run no action so the tab exists before the logs attach.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	tb := &tab{ctx: ctx, requests: &browser.RequestLog{}, console: &browser.ConsoleLog{}}
	if err := tb.requests.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tb.console.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return tb
}

// openWith opens u in a new tab with a deadline, after installing script
// (it runs in every document before the page's own scripts: the message
// recorders) and, if asked, emulating prefers-reduced-motion.
func openWith(t *testing.T, u, script string, reducedMotion bool, timeout time.Duration) *tab {
	t.Helper()
	tb := newTab(t, timeout)
	tb.do(t, "install the recorder", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
		return err
	}))
	if reducedMotion {
		tb.do(t, "emulate reduced motion", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
			return err
		}))
	}
	tb.do(t, "open "+u, chromedp.Navigate(u))
	return tb
}

// do runs chromedp actions in the tab, failing the test with what was
// being done.
func (tb *tab) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the top document.
func eval[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript expression until it is truthy and returns its
// value (JSON-decoded into T). It waits as long as the tab's own deadline
// allows (no 30 s poll limit of its own): a loaded machine slows the stage,
// and the deadline already bounds the test.
func waitFor[T any](t *testing.T, tb *tab, what, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Poll[T](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(0)))
	if err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
	return v
}

// assertClean fails if the tab requested anything outside the site, and
// if the page logged errors.
func (tb *tab) assertClean(t *testing.T, o origin) {
	t.Helper()
	if out := tb.requests.Outside(o.prefix); len(out) > 0 {
		t.Errorf("requests outside the site (%s):\n%s", o.prefix, strings.Join(out, "\n"))
	}
	if len(tb.requests.URLs()) == 0 {
		t.Error("the request log saw nothing: the offline check would be vacuous")
	}
	if errs := tb.console.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
