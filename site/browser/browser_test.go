//go:build !js

package browser

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The tests share one browser, started by the first test that needs it.
var (
	shared struct {
		once   sync.Once
		ctx    context.Context
		cancel context.CancelFunc
		err    error
	}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cancel != nil {
		shared.cancel()
	}
	os.Exit(code)
}

// newTab opens a tab in the shared browser, closed at the end of the test.
// The returned context ends after a timeout. Without Chromium the test fails
// with the message of ChromiumPath; with -short it is skipped.
func newTab(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("starts Chromium; skipped with -short")
	}
	shared.once.Do(func() {
		shared.ctx, shared.cancel, shared.err = Start(context.Background())
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	tab, cancel := chromedp.NewContext(shared.ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil { // opens the tab; its life is not bound to the timeout below
		t.Fatal(err)
	}
	ctx, cancelTimeout := context.WithTimeout(tab, 20*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// writeSite writes files, named by slash-separated paths, into a new
// temporary directory and returns it.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// glJS defines draw(canvas, triangle): it clears the canvas with WebGL2 to
// dark blue and, when triangle is true, draws an orange triangle over about a
// quarter of it. It returns "" or the reason it failed.
const glJS = `
function draw(canvas, triangle) {
	const gl = canvas.getContext("webgl2");
	if (!gl) return "no WebGL2 context";
	gl.viewport(0, 0, canvas.width, canvas.height);
	gl.clearColor(0.1, 0.2, 0.5, 1);
	gl.clear(gl.COLOR_BUFFER_BIT);
	if (!triangle) return "";
	const shader = (type, src) => {
		const s = gl.createShader(type);
		gl.shaderSource(s, src);
		gl.compileShader(s);
		if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s));
		return s;
	};
	const prog = gl.createProgram();
	gl.attachShader(prog, shader(gl.VERTEX_SHADER, "#version 300 es\nin vec2 pos;\nvoid main() { gl_Position = vec4(pos, 0.0, 1.0); }"));
	gl.attachShader(prog, shader(gl.FRAGMENT_SHADER, "#version 300 es\nprecision mediump float;\nout vec4 color;\nvoid main() { color = vec4(1.0, 0.5, 0.0, 1.0); }"));
	gl.linkProgram(prog);
	if (!gl.getProgramParameter(prog, gl.LINK_STATUS)) return gl.getProgramInfoLog(prog);
	gl.useProgram(prog);
	gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
	gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-0.7, -0.7, 0.7, -0.7, 0.0, 0.7]), gl.STATIC_DRAW);
	const loc = gl.getAttribLocation(prog, "pos");
	gl.enableVertexAttribArray(loc);
	gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
	gl.drawArrays(gl.TRIANGLES, 0, 3);
	return gl.getError() === gl.NO_ERROR ? "" : "GL error " + gl.getError();
}
`

// glSite is a page with a WebGL2 canvas and a stage iframe holding another
// one. With triangle false both canvases are only cleared. The page sets
// window.result to "ok" once both are drawn, or to the error.
func glSite(triangle bool) map[string]string {
	return map[string]string{
		"gl.js": glJS,
		"index.html": fmt.Sprintf(`<!doctype html>
<meta charset="utf-8"><title>gl</title><link rel="icon" href="data:,">
<style>
body { margin: 0; background: #fff; }
canvas { display: block; width: 320px; height: 240px; }
iframe { display: block; width: 320px; height: 240px; border: 3px solid #888; margin-top: 10px; }
</style>
<canvas id="gl" width="320" height="240"></canvas>
<iframe id="stage" src="stage.html"></iframe>
<script src="gl.js"></script>
<script>
let own = draw(document.getElementById("gl"), %[1]t), stage = null;
addEventListener("message", e => {
	if (typeof e.data !== "object" || e.data === null || typeof e.data.stage !== "string") return;
	stage = e.data.stage;
	window.result = own || stage || "ok";
});
</script>`, triangle),
		"stage.html": fmt.Sprintf(`<!doctype html>
<meta charset="utf-8"><title>stage</title><link rel="icon" href="data:,">
<style>html, body { margin: 0; height: 100%%; overflow: hidden; background: #000; } canvas { display: block; width: 100%%; height: 100%%; }</style>
<canvas id="gl"></canvas>
<script src="gl.js"></script>
<script>
const c = document.getElementById("gl");
c.width = c.clientWidth;
c.height = c.clientHeight;
let err;
try { err = draw(c, %[1]t); } catch (e) { err = String(e); }
parent.postMessage({stage: err}, "*");
</script>`, triangle),
	}
}

func TestRender(t *testing.T) {
	sites := map[bool]string{true: writeSite(t, glSite(true)), false: writeSite(t, glSite(false))}
	bases := map[bool]string{}
	for triangle, dir := range sites {
		base, stop := Serve(dir)
		t.Cleanup(stop)
		bases[triangle] = base
	}
	tests := []struct {
		name     string
		triangle bool
		url      func() string
		prefix   func() string
	}{
		{"http/triangle", true, func() string { return bases[true] + "/index.html" }, func() string { return bases[true] + "/" }},
		{"file/triangle", true, func() string { return FileURL(sites[true], "index.html") }, func() string { return FileURL(sites[true], "") }},
		{"http/blank", false, func() string { return bases[false] + "/index.html" }, func() string { return bases[false] + "/" }},
		{"file/blank", false, func() string { return FileURL(sites[false], "index.html") }, func() string { return FileURL(sites[false], "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := newTab(t)
			var reqs RequestLog
			var console ConsoleLog
			if err := reqs.Start(ctx); err != nil {
				t.Fatal(err)
			}
			if err := console.Start(ctx); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(tt.url())); err != nil {
				t.Fatal(err)
			}
			result, err := chromedp.Run(ctx, chromedp.Poll[string](`window.result`, chromedp.WithPollingTimeout(10*time.Second)))
			if err != nil {
				t.Fatalf("waiting for the page to draw: %v (console: %q)", err, console.Errors())
			}
			if result != "ok" {
				t.Fatalf("page could not draw: %s", result)
			}
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			for _, sel := range []string{"#gl", "#stage"} {
				rect, err := ElementRect(ctx, sel)
				if err != nil {
					t.Fatal(err)
				}
				if rect.Dx() != 320 || rect.Dy() != 240 {
					t.Errorf("ElementRect(%q) = %v, want a 320x240 content box", sel, rect)
				}
				share, err := NonBackgroundShare(png, rect)
				if err != nil {
					t.Fatal(err)
				}
				if tt.triangle && share < 0.05 {
					t.Errorf("%s: non-background share %.4f, want > 0.05 for a drawn triangle", sel, share)
				}
				if !tt.triangle && share > 0.01 {
					t.Errorf("%s: non-background share %.4f, want < 0.01 for a blank canvas", sel, share)
				}
				t.Logf("%s %v share %.4f", sel, rect, share)
			}
			if errs := console.Errors(); len(errs) > 0 {
				t.Errorf("console errors: %q", errs)
			}
			if out := reqs.Outside(tt.prefix()); len(out) > 0 {
				t.Errorf("requests outside %s: %q", tt.prefix(), out)
			}
			for _, page := range []string{"index.html", "stage.html", "gl.js"} {
				if !slices.ContainsFunc(reqs.URLs(), func(u string) bool { return strings.HasSuffix(u, "/"+page) }) {
					t.Errorf("no request for %s in %q", page, reqs.URLs())
				}
			}
		})
	}
}

// freeClosedPort returns a URL on 127.0.0.1 at a port where nothing listens.
func freeClosedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

const pngPixel = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"

func TestRequestLog(t *testing.T) {
	// The "outside" origin: a second local server, so no request leaves
	// the machine. As localhost it is another site than 127.0.0.1, so its
	// iframe runs out of process, as a target of its own.
	var hitsMu sync.Mutex
	hits := map[string]int{}
	outside := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hitsMu.Lock()
		hits[r.URL.Path]++
		hitsMu.Unlock()
		switch r.URL.Path {
		case "/frame.html":
			fmt.Fprint(w, `<!doctype html><link rel="icon" href="data:,"><img src="inner.png">`)
		default:
			w.Header().Set("Content-Type", "image/png")
			fmt.Fprint(w, pngPixel)
		}
	}))
	defer outside.Close()
	outside127 := outside.URL
	outsideLocal := strings.Replace(outside.URL, "127.0.0.1", "localhost", 1)
	closed := freeClosedPort(t)

	dir := writeSite(t, map[string]string{
		"index.html": `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<img src="` + outside127 + `/x.png">
<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==">
<iframe src="stage.html"></iframe>
<iframe></iframe>
<iframe srcdoc="<p>inline</p>"></iframe>
<iframe src="` + outsideLocal + `/frame.html"></iframe>
<iframe src="` + closed + `/gone.html"></iframe>
<script>try { new Worker("worker.js"); } catch (e) {}</script>`,
		"stage.html":      `<!doctype html><link rel="icon" href="data:,"><img src="stage.png">`,
		"stage.png":       pngPixel,
		"worker.js":       `importScripts("imported.js"); fetch("from-worker.txt"); new Worker("nested.js");`,
		"nested.js":       `fetch("from-nested.txt");`,
		"from-nested.txt": "hi",
		"imported.js":     `// imported`,
		"from-worker.txt": "hi",
	})
	base, stop := Serve(dir)
	defer stop()

	outsideWant := []string{
		outside127 + "/x.png",
		outsideLocal + "/frame.html",
		outsideLocal + "/inner.png", // requested by the out-of-process iframe
		closed + "/gone.html",
		"chrome-error://chromewebdata/", // the failed iframe's error page
	}
	tests := []struct {
		name   string
		url    string
		prefix string
		own    []string // must be among the URLs
	}{
		{"http", base + "/index.html", base + "/", []string{
			base + "/index.html", base + "/stage.html", base + "/stage.png",
			base + "/worker.js", base + "/imported.js", base + "/from-worker.txt",
			base + "/nested.js", base + "/from-nested.txt", // from a worker's worker
		}},
		// Under file:// a page cannot start a worker.
		{"file", FileURL(dir, "index.html"), FileURL(dir, ""), []string{
			FileURL(dir, "index.html"), FileURL(dir, "stage.html"), FileURL(dir, "stage.png"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := newTab(t)
			var log RequestLog
			if err := log.Start(ctx); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(tt.url)); err != nil {
				t.Fatal(err)
			}
			want := append(slices.Clone(tt.own), outsideWant...)
			missing := func() []string {
				return slices.DeleteFunc(slices.Clone(want), func(u string) bool { return slices.Contains(log.URLs(), u) })
			}
			// Workers and iframes request after the load event.
			for deadline := time.Now().Add(10 * time.Second); len(missing()) > 0 && time.Now().Before(deadline); {
				time.Sleep(50 * time.Millisecond)
			}
			if m := missing(); len(m) > 0 {
				t.Errorf("not recorded: %q\nrecorded: %q", m, log.URLs())
			}
			got := log.Outside(tt.prefix)
			slices.Sort(got)
			wantOut := slices.Sorted(slices.Values(outsideWant))
			if !slices.Equal(got, wantOut) {
				t.Errorf("Outside(%q) = %q\nwant %q", tt.prefix, got, wantOut)
			}
			for _, u := range log.URLs() {
				if strings.HasPrefix(u, "about:") {
					t.Errorf("recorded %q; about:blank and about:srcdoc iframes are benign", u)
				}
			}
			hitsMu.Lock()
			if hits["/inner.png"] == 0 || hits["/x.png"] == 0 {
				t.Errorf("outside server hits %v; the page did not load its outside resources", hits)
			}
			hitsMu.Unlock()
			if out := log.Outside(tt.prefix, outside127+"/", outsideLocal+"/", closed+"/", "chrome-error:"); len(out) > 0 {
				t.Errorf("Outside with every prefix allowed = %q, want none", out)
			}
		})
	}

	// A main frame that shows no document from the site is reported.
	t.Run("about:blank main frame", func(t *testing.T) {
		ctx := newTab(t)
		var log RequestLog
		if err := log.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/stage.html"), chromedp.Navigate("about:blank")); err != nil {
			t.Fatal(err)
		}
		if got := log.Outside(base + "/"); !slices.Equal(got, []string{"about:blank"}) {
			t.Errorf("Outside = %q, want [about:blank]", got)
		}
	})
}
