//go:build !js

package browser

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
)

// A RequestLog records the URLs that a tab asks for after Start: every
// network request of the page, its iframes and its dedicated workers
// (including requests that fail or never get an answer), every WebSocket it
// opens, and the URL of every document a frame shows that no request loaded,
// such as the chrome-error:// page of a failed load or an about:blank main
// frame. An iframe without a src (about:blank) or with srcdoc (about:srcdoc)
// is benign and not recorded. Service workers and shared workers are not
// seen. Start it before the navigation. The zero value is ready to use.
type RequestLog struct {
	mu   sync.Mutex
	urls []string
	seen map[string]bool
}

// Start records the requests of the tab of ctx until ctx ends.
func (l *RequestLog) Start(ctx context.Context) error {
	return watch(ctx, l.event)
}

func (l *RequestLog) event(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		l.add(ev.Request.URL)
	case *network.EventWebSocketCreated:
		l.add(ev.URL)
	case *page.EventFrameNavigated:
		u := ev.Frame.URL
		if ev.Frame.ParentID != "" && (u == "about:blank" || u == "about:srcdoc") {
			return
		}
		if !strings.HasPrefix(u, "http:") && !strings.HasPrefix(u, "https:") && !strings.HasPrefix(u, "file:") {
			l.add(u) // a document that no request loaded
		}
	}
}

func (l *RequestLog) add(u string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen[u] {
		return
	}
	if l.seen == nil {
		l.seen = make(map[string]bool)
	}
	l.seen[u] = true
	l.urls = append(l.urls, u)
}

// URLs returns each URL recorded so far once, in the order of its first
// request.
func (l *RequestLog) URLs() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.urls)
}

// Outside returns the recorded URLs that start with none of the allowed
// prefixes, ignoring data: and blob: URLs. End each prefix with a slash, so
// that "http://127.0.0.1:8080/" does not allow port 80801.
func (l *RequestLog) Outside(allowedPrefixes ...string) []string {
	var out []string
	for _, u := range l.URLs() {
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") {
			continue
		}
		if !slices.ContainsFunc(allowedPrefixes, func(p string) bool { return strings.HasPrefix(u, p) }) {
			out = append(out, u)
		}
	}
	return out
}
