//go:build !js

package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// flags are the switches Start passes to Chromium, besides --user-data-dir
// and --window-size. WebGL2 works with them; --disable-software-rasterizer
// and --use-gl=disabled would turn it off, so they are never passed.
var flags = []string{
	"headless",
	"no-sandbox",
	"disable-gpu",
	"disable-quic",
	"no-first-run",
	"disable-background-networking",
	"disable-component-update",
	"disable-sync",
}

// The window size of the browser that Start launches. In new headless mode
// the page's viewport is smaller than the window: 1280x757 on Chromium 156.
const (
	windowWidth  = 1280
	windowHeight = 900
)

// chromiumCandidates are the places ChromiumPath looks at, in order, after
// $CHROMIUM. The real binary comes before Debian's /usr/bin/chromium, a shell
// wrapper that adds flags of its own from /etc/chromium.d (extensions, GPU
// rasterization).
var chromiumCandidates = []string{"/usr/lib/chromium/chromium", "/usr/bin/chromium"}

// ChromiumPath returns the Chromium binary to run: $CHROMIUM when set (a
// path, or a command on PATH), else /usr/lib/chromium/chromium,
// /usr/bin/chromium or chromium on PATH. Its error says how to install
// Chromium.
func ChromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if !strings.Contains(p, "/") {
			if lp, err := exec.LookPath(p); err == nil {
				return lp, nil
			}
		}
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("CHROMIUM=%s is not an executable file; unset it or point it at Chromium", p)
	}
	for _, p := range chromiumCandidates {
		if isExecutable(p) {
			return p, nil
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", errors.New("chromium not found (looked at $CHROMIUM, /usr/lib/chromium/chromium, " +
		"/usr/bin/chromium and PATH); install it with `apt-get update && apt-get install -y chromium` " +
		"as root, or run `make test`, which installs it when run as root")
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// Start launches headless Chromium with the flags --headless --no-sandbox
// --disable-gpu --disable-quic --no-first-run --disable-background-networking
// --disable-component-update --disable-sync, a fresh temporary
// --user-data-dir and a 1280x900 window, and returns the context of its
// first tab; chromedp.NewContext on it opens more tabs. Cancel stops the
// browser and removes the directory. On error nothing is left running and
// the cancel func is nil.
func Start(ctx context.Context) (context.Context, context.CancelFunc, error) {
	path, err := ChromiumPath()
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "exosep-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path)}
	for _, f := range flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	opts = append(opts, chromedp.UserDataDir(dir), chromedp.WindowSize(windowWidth, windowHeight))

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	cancel := func() {
		cancelTab()
		cancelAlloc() // waits for the browser process to exit
		// Helper processes can still write in the directory for a moment.
		for i := 0; i < 10 && os.RemoveAll(dir) != nil; i++ {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if err := chromedp.Do(tabCtx); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("start %s: %w", path, err)
	}
	return tabCtx, cancel, nil
}

// ElementRect returns the content box (inside border and padding) of the
// first element matching the CSS selector, in the device pixels of a
// screenshot of the viewport at scale 1, for cropping it out with
// [NonBackgroundShare]. The element must be in the top document.
func ElementRect(ctx context.Context, selector string) (image.Rectangle, error) {
	sel, err := json.Marshal(selector)
	if err != nil {
		return image.Rectangle{}, err
	}
	js := `(() => {
		const e = document.querySelector(` + string(sel) + `);
		if (!e) return null;
		const r = e.getBoundingClientRect(), s = getComputedStyle(e), px = v => parseFloat(v) || 0;
		const left = r.left + px(s.borderLeftWidth) + px(s.paddingLeft);
		const top = r.top + px(s.borderTopWidth) + px(s.paddingTop);
		const right = r.right - px(s.borderRightWidth) - px(s.paddingRight);
		const bottom = r.bottom - px(s.borderBottomWidth) - px(s.paddingBottom);
		return [left, top, right, bottom].map(v => v * devicePixelRatio);
	})()`
	box, err := chromedp.Run(ctx, chromedp.Evaluate[*[4]float64](js))
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("element rect of %q: %w", selector, err)
	}
	if box == nil {
		return image.Rectangle{}, fmt.Errorf("element rect: no element matches %q", selector)
	}
	// Round inwards, so that no pixel of the border is included.
	return image.Rect(int(math.Ceil(box[0])), int(math.Ceil(box[1])),
		int(math.Floor(box[2])), int(math.Floor(box[3]))), nil
}
