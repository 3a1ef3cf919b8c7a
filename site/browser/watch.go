//go:build !js

package browser

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/chromedp/cdproto"
	jsonv2 "github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// A tabWatch passes the events of one tab to the recorders started on it:
// the events of the page and its in-process iframes, and those of the
// targets the page spawns (dedicated workers, out-of-process iframes), which
// Chromium reports on sessions of their own.
//
// The watch has its own session on the tab, next to chromedp's, so that it
// can auto-attach the child targets in the non-flat mode: their messages
// then arrive wrapped in Target.receivedMessageFromTarget events of our
// session, which chromedp routes to us, and we talk to them with
// Target.sendMessageToTarget. (chromedp drops the messages of flat sessions
// it did not open, and only the session that auto-attached a paused iframe
// can let it run.) The auto-attach waits for the debugger, so Chromium pauses
// each child until we have turned on its domains and resumed it: none of its
// requests is missed.
//
// One watch serves all the recorders of a tab, so that a child is resumed
// only once. It lives as long as the tab; each recorder's func is dropped
// when the context of its Start ends.
type tabWatch struct {
	ready chan struct{} // closed when the setup is done
	err   error         // the error of the setup

	sess *chromedp.Target // our session on the page
	ctx  context.Context  // the context of sess
	ids  atomic.Int64     // ids of the commands we send to children

	mu  sync.Mutex
	fns []*func(ev any)
}

var (
	watchesMu sync.Mutex
	watches   = map[*chromedp.Target]*tabWatch{}
)

// watch calls fn, from the loop of a session, with each event of the tab of
// ctx and of the targets it spawns, until ctx ends. fn must return fast.
func watch(ctx context.Context, fn func(ev any)) error {
	if err := chromedp.Do(ctx); err != nil { // opens the tab if needed
		return err
	}
	tab := chromedp.FromContext(ctx).Target
	watchesMu.Lock()
	w, ok := watches[tab]
	if !ok {
		w = &tabWatch{ready: make(chan struct{})}
		watches[tab] = w
		go w.setup(ctx, tab)
	}
	watchesMu.Unlock()
	select {
	case <-w.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	if w.err != nil {
		return fmt.Errorf("watch the tab: %w", w.err)
	}
	w.add(ctx, fn)
	return nil
}

// setup opens our session on tab and makes it auto-attach the children. The
// session lives as long as the tab, not as long as ctx.
func (w *tabWatch) setup(ctx context.Context, tab *chromedp.Target) {
	defer close(w.ready)
	sctx, cancel := chromedp.NewContext(context.WithoutCancel(ctx),
		chromedp.WithTargetID(tab.TargetID), chromedp.WithDetachOnCancel())
	w.ctx = sctx
	w.err = func() error {
		if err := chromedp.Do(sctx); err != nil { // attaches, turns on the domains
			return err
		}
		w.sess = chromedp.FromContext(sctx).Target
		if err := chromedp.Listen(sctx, w.handle); err != nil {
			return err
		}
		return w.sess.Call(sctx, target.SetAutoAttach.Method, autoAttachParams, nil)
	}()
	var gone <-chan struct{}
	if w.err == nil {
		gone, w.err = chromedp.Detached(sctx)
	}
	if w.err != nil {
		w.forget(tab)
		cancel()
		return
	}
	go func() {
		select {
		case <-gone:
		case <-chromedp.FromContext(sctx).Browser.LostConnection:
		}
		w.forget(tab)
		cancel()
	}()
}

// forget removes the watch of tab, so that the next recorder makes a new one.
func (w *tabWatch) forget(tab *chromedp.Target) {
	watchesMu.Lock()
	if watches[tab] == w {
		delete(watches, tab)
	}
	watchesMu.Unlock()
}

var autoAttachParams = target.SetAutoAttachParams{
	AutoAttach:             true,
	WaitForDebuggerOnStart: true,
	Flatten:                new(false),
}

// add registers fn until ctx ends. The slice is replaced, never changed, so
// that dispatch can range over it without the lock.
func (w *tabWatch) add(ctx context.Context, fn func(ev any)) {
	p := &fn
	w.mu.Lock()
	w.fns = append(slices.Clip(w.fns), p)
	w.mu.Unlock()
	context.AfterFunc(ctx, func() {
		w.mu.Lock()
		w.fns = slices.DeleteFunc(slices.Clone(w.fns), func(q *func(any)) bool { return q == p })
		w.mu.Unlock()
	})
}

// handle takes the events of our session on the page.
func (w *tabWatch) handle(ev any) {
	w.handleChild(nil, ev)
}

// handleChild takes an event of the target that path leads to: the page for
// an empty path, else the child whose session is the last of path, reached
// through the sessions before it.
func (w *tabWatch) handleChild(path []target.SessionID, ev any) {
	switch ev := ev.(type) {
	case *target.EventAttachedToTarget:
		child := append(slices.Clip(path), ev.SessionID)
		go w.start(child, ev.TargetInfo.Type, ev.WaitingForDebugger)
		return
	case *target.EventReceivedMessageFromTarget:
		var msg cdproto.Message
		if jsonv2.Unmarshal([]byte(ev.Message), &msg, chromedp.DefaultUnmarshalOptions) != nil || msg.Method == "" {
			return // a reply to one of our commands: we need none
		}
		inner, err := cdproto.UnmarshalMessage(&msg, chromedp.DefaultUnmarshalOptions)
		if err != nil {
			return
		}
		w.handleChild(append(slices.Clip(path), ev.SessionID), inner)
		return
	}
	w.mu.Lock()
	fns := w.fns
	w.mu.Unlock()
	for _, fn := range fns {
		(*fn)(ev)
	}
}

// start turns on the events of a child that was just attached, lets it
// auto-attach its own children, and resumes it. A child handles the commands
// in order, so it runs only after the others took effect. Commands that a
// kind of target lacks, such as Page.enable on a worker, just fail.
func (w *tabWatch) start(path []target.SessionID, kind string, paused bool) {
	type step struct {
		method string
		params any
	}
	steps := []step{
		{"Runtime.enable", nil},
		{"Network.enable", nil},
		{"Log.enable", nil},
		{"Target.setAutoAttach", autoAttachParams},
	}
	if kind == "iframe" || kind == "page" {
		steps = append(steps, step{"Page.enable", nil})
	}
	if paused {
		steps = append(steps, step{"Runtime.runIfWaitingForDebugger", nil})
	}
	for _, s := range steps {
		if err := w.send(path, s.method, s.params); err != nil {
			return // the child or the page went away
		}
	}
}

// send sends a command, without waiting for its reply, to the child that path
// leads to.
func (w *tabWatch) send(path []target.SessionID, method string, params any) error {
	msg, err := w.command(method, params)
	if err != nil {
		return err
	}
	// Wrap the command for each session on the way, from the inside out.
	for i := len(path) - 1; i > 0; i-- {
		if msg, err = w.command("Target.sendMessageToTarget", sendParams{path[i], string(msg)}); err != nil {
			return err
		}
	}
	return w.sess.Call(w.ctx, "Target.sendMessageToTarget", sendParams{path[0], string(msg)}, nil)
}

func (w *tabWatch) command(method string, params any) ([]byte, error) {
	cmd := struct {
		ID     int64  `json:"id"`
		Method string `json:"method"`
		Params any    `json:"params,omitempty"`
	}{w.ids.Add(1), method, params}
	return jsonv2.Marshal(cmd, chromedp.DefaultMarshalOptions)
}

// sendParams are the parameters of Target.sendMessageToTarget, a command of
// the non-flat mode that cdproto no longer has.
type sendParams struct {
	SessionID target.SessionID `json:"sessionId"`
	Message   string           `json:"message"`
}
