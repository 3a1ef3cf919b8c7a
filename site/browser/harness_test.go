//go:build !js

package browser

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestChromiumPath(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "chromium-exe")
	plain := filepath.Join(dir, "not-exe")
	onPath := t.TempDir()
	for p, mode := range map[string]os.FileMode{exe: 0o755, plain: 0o644, filepath.Join(onPath, "chromium"): 0o755} {
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), mode); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name       string
		env        string   // $CHROMIUM
		candidates []string // replaces the fixed places
		path       string   // $PATH
		want       string
		wantErr    []string // substrings of the error
	}{
		{name: "env", env: exe, want: exe},
		{name: "env command", env: "chromium", path: onPath, want: filepath.Join(onPath, "chromium")},
		{name: "env not executable", env: plain, candidates: []string{exe}, wantErr: []string{"CHROMIUM=" + plain}},
		{name: "fixed place", candidates: []string{plain, exe}, want: exe},
		{name: "on PATH", candidates: []string{plain}, path: dir + ":" + onPath, want: filepath.Join(onPath, "chromium")},
		{name: "missing", candidates: []string{plain}, path: dir,
			wantErr: []string{"apt-get install -y chromium", "make test"}},
	}
	saved := chromiumCandidates
	t.Cleanup(func() { chromiumCandidates = saved })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CHROMIUM", tt.env)
			t.Setenv("PATH", tt.path)
			chromiumCandidates = tt.candidates
			got, err := ChromiumPath()
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("ChromiumPath() = %q, want an error", got)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not say %q", err, s)
					}
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ChromiumPath() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestStart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium; skipped with -short")
	}
	ctx, cancel, err := Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	proc := chromedp.FromContext(ctx).Browser.Process()
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(proc.Pid) + "/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimRight(string(raw), "\x00"), "\x00")[1:]
	var got, want []string
	dataDir := ""
	for _, a := range args {
		if d, ok := strings.CutPrefix(a, "--user-data-dir="); ok {
			dataDir = d
			a = "--user-data-dir=DIR"
		}
		got = append(got, a)
	}
	for _, f := range flags {
		want = append(want, "--"+f)
	}
	// chromedp adds the pipe it talks over and the first page.
	want = append(want, "--user-data-dir=DIR", "--window-size=1280,900", "--remote-debugging-pipe", "about:blank")
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Chromium runs with\n%q\nwant\n%q", got, want)
	}
	if fi, err := os.Stat(dataDir); err != nil || !fi.IsDir() {
		t.Fatalf("user data dir %q: %v", dataDir, err)
	}

	type info struct {
		Width  int  `json:"width"`
		WebGL2 bool `json:"webgl2"`
	}
	got2, err := chromedp.Run(ctx, chromedp.Evaluate[info](
		`({width: innerWidth, webgl2: !!document.createElement("canvas").getContext("webgl2")})`))
	if err != nil {
		t.Fatal(err)
	}
	if got2.Width != 1280 || !got2.WebGL2 {
		t.Errorf("page sees %+v, want width 1280 and WebGL2", got2)
	}

	cancel()
	if _, err := os.Stat(dataDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("user data dir %q still there after cancel: %v", dataDir, err)
	}
	if _, err := os.Stat("/proc/" + strconv.Itoa(proc.Pid) + "/cmdline"); err == nil {
		t.Errorf("Chromium (pid %d) still runs after cancel", proc.Pid)
	}
}

func TestServe(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"index.html":     "<p>root",
		"sub/index.html": "<p>sub",
		"app.wasm":       "\x00asm",
	})
	base, stop := Serve(dir)
	defer stop()
	if !strings.HasPrefix(base, "http://127.0.0.1:") || strings.HasSuffix(base, "/") {
		t.Errorf("base URL %q, want http://127.0.0.1:PORT", base)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path, status, body, contentType string
	}{
		{"/index.html", "200 OK", "<p>root", "text/html"},
		{"/", "200 OK", "<p>root", "text/html"},
		{"/sub/index.html", "200 OK", "<p>sub", "text/html"},
		{"/app.wasm", "200 OK", "\x00asm", "application/wasm"},
		{"/missing.js", "404 Not Found", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := noRedirect.Get(base + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.Status != tt.status {
				t.Fatalf("status %q, want %q", resp.Status, tt.status)
			}
			if tt.body != "" && string(body) != tt.body {
				t.Errorf("body %q, want %q", body, tt.body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %q", ct, tt.contentType)
			}
			if cc := resp.Header.Get("Cache-Control"); resp.StatusCode == http.StatusOK && cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
		})
	}
	stop()
	if _, err := http.Get(base + "/"); err == nil {
		t.Error("server still answers after stop")
	}
}

func TestFileURL(t *testing.T) {
	tests := []struct {
		dir, page, want string
	}{
		{"/srv/site", "index.html", "file:///srv/site/index.html"},
		{"/srv/site/", "sub/stage.html", "file:///srv/site/sub/stage.html"},
		{"/srv/site", "", "file:///srv/site/"},
		{"/srv/my site#1", "a?b%c.html", "file:///srv/my%20site%231/a%3Fb%25c.html"},
		{"/srv/sïte", "ü.html", "file:///srv/s%C3%AFte/%C3%BC.html"},
	}
	for _, tt := range tests {
		if got := FileURL(tt.dir, tt.page); got != tt.want {
			t.Errorf("FileURL(%q, %q) = %q, want %q", tt.dir, tt.page, got, tt.want)
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := FileURL("rel", "x.html"), "file://"+filepath.ToSlash(wd)+"/rel/x.html"; got != want {
		t.Errorf("FileURL of a relative dir = %q, want %q", got, want)
	}

	// Chromium opens the escaped URL of an awkward path.
	ctx := newTab(t)
	dir := filepath.Join(t.TempDir(), "my site #1 100%")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pâge?.html"), []byte("<title>found</title>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(FileURL(dir, "pâge?.html"))); err != nil {
		t.Fatal(err)
	}
	if title, err := chromedp.Run(ctx, chromedp.Title()); err != nil || title != "found" {
		t.Errorf("title %q, %v; want the page's title", title, err)
	}
}

func TestNonBackgroundShare(t *testing.T) {
	bg := color.NRGBA{10, 20, 50, 255}
	tests := []struct {
		name  string
		paint func(img *image.NRGBA) // over a 100x100 background
		rect  image.Rectangle
		want  float64
	}{
		{"blank", func(*image.NRGBA) {}, image.Rect(0, 0, 100, 100), 0},
		{"quarter drawn", func(img *image.NRGBA) { fill(img, image.Rect(0, 0, 50, 50), color.NRGBA{255, 128, 0, 255}) },
			image.Rect(0, 0, 100, 100), 0.25},
		{"noise within tolerance", func(img *image.NRGBA) { fill(img, image.Rect(0, 0, 50, 100), color.NRGBA{26, 4, 66, 255}) },
			image.Rect(0, 0, 100, 100), 0},
		{"just beyond tolerance", func(img *image.NRGBA) { fill(img, image.Rect(0, 0, 10, 100), color.NRGBA{27, 20, 50, 255}) },
			image.Rect(0, 0, 100, 100), 0.1},
		{"only rect counts", func(img *image.NRGBA) { fill(img, image.Rect(0, 0, 50, 100), color.NRGBA{255, 255, 255, 255}) },
			image.Rect(50, 0, 100, 100), 0},
		{"rect clipped to image", func(img *image.NRGBA) { fill(img, image.Rect(90, 0, 100, 100), color.NRGBA{255, 255, 255, 255}) },
			image.Rect(80, 0, 200, 100), 0.5},
		{"background is the most frequent colour", func(img *image.NRGBA) { fill(img, image.Rect(0, 0, 100, 70), color.NRGBA{255, 255, 255, 255}) },
			image.Rect(0, 0, 100, 100), 0.3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := image.NewNRGBA(image.Rect(0, 0, 100, 100))
			fill(img, img.Bounds(), bg)
			tt.paint(img)
			var buf bytes.Buffer
			if err := png.Encode(&buf, img); err != nil {
				t.Fatal(err)
			}
			got, err := NonBackgroundShare(buf.Bytes(), tt.rect)
			if err != nil {
				t.Fatal(err)
			}
			if got < tt.want-1e-9 || got > tt.want+1e-9 {
				t.Errorf("NonBackgroundShare = %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := NonBackgroundShare([]byte("not a png"), image.Rect(0, 0, 1, 1)); err == nil {
		t.Error("no error for data that is not a PNG")
	}
	var buf bytes.Buffer
	png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 10, 10)))
	if _, err := NonBackgroundShare(buf.Bytes(), image.Rect(20, 20, 30, 30)); err == nil {
		t.Error("no error for a rect outside the image")
	}
}

func fill(img *image.NRGBA, r image.Rectangle, c color.NRGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetNRGBA(x, y, c)
		}
	}
}

func TestConsoleLog(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"clean.html":   `<!doctype html><link rel="icon" href="data:,"><script>console.log("hello"); console.warn("careful"); console.info("fyi")</script>`,
		"error.html":   `<!doctype html><script>console.error("boom", 42)</script>`,
		"assert.html":  `<!doctype html><script>console.assert(1 === 2, "maths")</script>`,
		"throw.html":   `<!doctype html><script>throw new Error("bad thing")</script>`,
		"reject.html":  `<!doctype html><script>Promise.reject(new Error("no promise"))</script>`,
		"missing.html": `<!doctype html><img src="missing.png">`,
		"iframe.html":  `<!doctype html><iframe src="inner.html"></iframe>`,
		"inner.html":   `<!doctype html><script>console.error("from the frame")</script>`,
		"worker.html":  `<!doctype html><script>new Worker("worker.js")</script>`,
		"worker.js":    `console.error("from the worker"); throw new Error("worker broke")`,
		"favicon.html": `<!doctype html><p>no icon link, so Chromium asks for /favicon.ico`,
		"stopped.html": `<!doctype html><script>console.error("too late")</script>`,
	})
	base, stop := Serve(dir)
	defer stop()
	tests := []struct {
		page string
		want []string // each must be in one error; none means no errors
	}{
		{"clean.html", nil},
		{"favicon.html", nil},
		{"error.html", []string{"console.error: boom 42 (" + base + "/error.html:1)"}},
		{"assert.html", []string{"console.assert: ", "maths"}},
		{"throw.html", []string{"Uncaught Error: bad thing", base + "/throw.html:1"}},
		{"reject.html", []string{"Uncaught (in promise) Error: no promise"}},
		{"missing.html", []string{"network: Failed to load resource", "404", base + "/missing.png"}},
		{"iframe.html", []string{"console.error: from the frame"}},
		// The page reports the worker's uncaught error too, but only the
		// worker's own session sees its console.
		{"worker.html", []string{"Uncaught Error: worker broke", "console.error: from the worker (" + base + "/worker.js:1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			ctx := newTab(t)
			var log ConsoleLog
			if err := log.Start(ctx); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"+tt.page)); err != nil {
				t.Fatal(err)
			}
			matched := func() bool {
				errs := log.Errors()
				for _, w := range tt.want {
					if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, w) }) {
						return false
					}
				}
				return true
			}
			// Workers and the favicon come after the load event.
			deadline := time.Now().Add(5 * time.Second)
			if tt.want == nil {
				deadline = time.Now().Add(300 * time.Millisecond)
			}
			for time.Now().Before(deadline) && (tt.want == nil || !matched()) {
				time.Sleep(20 * time.Millisecond)
			}
			errs := log.Errors()
			if tt.want == nil && len(errs) > 0 {
				t.Errorf("errors %q, want none", errs)
			}
			if !matched() {
				t.Errorf("errors %q, want ones with %q", errs, tt.want)
			}
		})
	}

	t.Run("stops when its context ends", func(t *testing.T) {
		ctx := newTab(t)
		var before, after ConsoleLog
		lctx, cancel := context.WithCancel(ctx)
		if err := before.Start(lctx); err != nil {
			t.Fatal(err)
		}
		if err := after.Start(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/stopped.html")); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(5 * time.Second); len(after.Errors()) == 0 && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		if len(after.Errors()) != 1 {
			t.Errorf("the running log has %q, want the one error", after.Errors())
		}
		if errs := before.Errors(); len(errs) > 0 {
			t.Errorf("the stopped log has %q, want none", errs)
		}
	})
}
