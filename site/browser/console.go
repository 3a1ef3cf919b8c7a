//go:build !js

package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
)

// A ConsoleLog records the errors that a tab reports after Start, from the
// page, its iframes and its dedicated workers: uncaught exceptions and
// unhandled promise rejections, console.error and failed console.assert
// calls, and the errors the browser itself logs to the console, such as a
// failed resource load. The browser's failed load of /favicon.ico, which it
// asks for by itself, is ignored. The zero value is ready to use.
type ConsoleLog struct {
	mu     sync.Mutex
	errors []string
}

// Start records the errors of the tab of ctx until ctx ends.
func (l *ConsoleLog) Start(ctx context.Context) error {
	return watch(ctx, l.event)
}

func (l *ConsoleLog) event(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		msg += where(d.URL, d.LineNumber)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		msg = "console." + string(ev.Type) + ": " + argsText(ev.Args)
		if ev.StackTrace != nil && len(ev.StackTrace.CallFrames) > 0 {
			f := ev.StackTrace.CallFrames[0]
			msg += where(f.URL, f.LineNumber)
		}
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level != log.EntryLevelError || strings.HasSuffix(e.URL, "/favicon.ico") {
			return
		}
		msg = string(e.Source) + ": " + e.Text
		if e.URL != "" {
			msg += " (" + e.URL + ")"
		}
	default:
		return
	}
	l.mu.Lock()
	l.errors = append(l.errors, msg)
	l.mu.Unlock()
}

func where(url string, line int64) string {
	if url == "" {
		return ""
	}
	return fmt.Sprintf(" (%s:%d)", url, line+1)
}

// argsText renders console arguments roughly as the DevTools console does:
// strings as they are, other values by their JSON value or description.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case a.Type == runtime.RemoteObjectTypeString:
			var s string
			if json.Unmarshal(a.Value, &s) == nil {
				parts = append(parts, s)
				continue
			}
		case a.Description != "":
			parts = append(parts, a.Description)
			continue
		}
		if len(a.Value) > 0 {
			parts = append(parts, string(a.Value))
		} else {
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// Errors returns the errors recorded so far, in order, one line each
// starting with its kind and ending with where it happened when known.
func (l *ConsoleLog) Errors() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.errors)
}
