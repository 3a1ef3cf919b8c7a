//go:build js && wasm

package main

import (
	"fmt"
	"strings"
	"syscall/js"

	"exosep/engine/catalog"
	"exosep/engine/gradient"
	"exosep/engine/protocol"
	"exosep/wasm/bridge"
)

// messenger is the stage's side of the postMessage protocol (package
// protocol). The message listener runs on the JavaScript event loop: it
// validates, answers params at once with result or error (so the parent's
// readout does not wait for a frame, and works while the stage is hidden),
// and queues the command for the game's Update, which alone touches the
// Stage.
type messenger struct {
	window, parent js.Value
	framed         bool // in an iframe: window.parent is another window
	cat            *catalog.Catalog
	inbox          chan bridge.Command
	listener       js.Func
}

func newMessenger(cat *catalog.Catalog) *messenger {
	w := js.Global().Get("window")
	p := w.Get("parent")
	return &messenger{window: w, parent: p, framed: !p.Equal(w), cat: cat,
		inbox: make(chan bridge.Command, 64)}
}

// listen registers the window "message" listener.
func (b *messenger) listen() {
	b.listener = js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) > 0 {
			b.receive(args[0])
		}
		return nil
	})
	b.window.Call("addEventListener", "message", b.listener)
}

// receive handles one MessageEvent.
func (b *messenger) receive(ev js.Value) {
	// Only the parent page may command the stage (or the page itself when
	// it is not framed); other frames and windows are ignored silently.
	if !ev.Get("source").Equal(b.parent) {
		return
	}
	text, err := messageText(ev.Get("data"))
	if err != nil {
		warn("ignored a message: " + err.Error())
		return
	}
	if !b.framed && isOwnMessage(text) {
		return // our own stage → parent messages, posted to ourselves
	}
	cmd, err := bridge.DecodeCommand(text)
	if err != nil {
		if cmd.Type == bridge.TypeFiltration { // answered, so the page can show it
			b.parent.Call("postMessage", bridge.FiltrationErrorText(cmd.Filtration.Seq, err), "*")
		}
		if cmd.Type == bridge.TypeGradient { // answered, so the page can show it
			b.parent.Call("postMessage", bridge.GradientErrorText(cmd.Gradient.Seq, err), "*")
		}
		warn("ignored a message: " + err.Error())
		return
	}
	if cmd.Type == bridge.TypeParams {
		res, _, err := bridge.Compute(cmd.Params, b.cat)
		if err != nil {
			b.postError(err)
			warn("rejected params: " + err.Error())
			return
		}
		b.post(bridge.Envelope{Type: bridge.TypeResult, Result: &res})
	}
	if cmd.Type == bridge.TypeProtocol {
		// Validated and run here, answered at once; the game animates the
		// run it is handed (no second computation).
		// The protocol library is loaded on first use (protocol.Default
		// caches it), so a stage that only ever shows one spin starts as
		// fast as before.
		lib, err := protocol.Default()
		if err != nil {
			b.postError(bridge.FieldError{Field: "protocol", Message: err.Error()})
			return
		}
		run, probs := bridge.RunProtocol(cmd.Protocol, lib)
		b.parent.Call("postMessage", bridge.EncodeProtocol(cmd.Protocol.Seq, run, probs), "*")
		if run == nil {
			return
		}
		cmd.Run = run
	}
	if cmd.Type == bridge.TypeFiltration {
		// Validated and run here (the protocol engine with each membrane
		// step traced), answered at once; the game animates the run.
		lib, err := protocol.Default()
		if err != nil {
			b.parent.Call("postMessage", bridge.FiltrationErrorText(cmd.Filtration.Seq, err), "*")
			return
		}
		run, probs := bridge.RunFiltration(cmd.Filtration, lib)
		b.parent.Call("postMessage", bridge.EncodeFiltration(cmd.Filtration.Seq, run, probs), "*")
		if run == nil {
			return
		}
		cmd.FiltrationRun = run
	}
	if cmd.Type == bridge.TypeGradient {
		// Validated and run here, answered at once; the game animates it.
		run, probs := b.runGradient(cmd.Gradient)
		b.parent.Call("postMessage", bridge.EncodeGradient(cmd.Gradient.Seq, run, probs), "*")
		if run == nil {
			return
		}
		cmd.GradientRun = run
	}
	select {
	case b.inbox <- cmd:
	default:
		warn("ignored a " + cmd.Type + " message: more than 64 are waiting for the next frame")
	}
}

// runGradient runs a gradient request with the engine's libraries (loaded
// on first use and cached by their packages).
func (b *messenger) runGradient(req bridge.GradientRequest) (*bridge.GradientRun, gradient.Problems) {
	gl, err := gradient.Default()
	if err != nil {
		return nil, gradient.Problems{{Field: "gradient", Message: err.Error()}}
	}
	pl, err := protocol.Default()
	if err != nil {
		return nil, gradient.Problems{{Field: "gradient", Message: err.Error()}}
	}
	return bridge.RunGradient(req, gl, pl)
}

// messageText returns event.data as JSON text: a string as it is, an
// object through JSON.stringify.
func messageText(data js.Value) (text string, err error) {
	switch data.Type() {
	case js.TypeString:
		return data.String(), nil
	case js.TypeObject:
		defer func() { // JSON.stringify throws on cycles and BigInts
			if r := recover(); r != nil {
				err = fmt.Errorf("message object cannot be turned into JSON: %v", r)
			}
		}()
		s := js.Global().Get("JSON").Call("stringify", data)
		if s.Type() != js.TypeString {
			return "", fmt.Errorf("message object cannot be turned into JSON")
		}
		return s.String(), nil
	}
	return "", fmt.Errorf("message data is a %s: want a JSON string or object", data.Type())
}

// isOwnMessage reports whether text is a stage → parent message (seen when
// the stage is opened on its own and posts to itself).
func isOwnMessage(text string) bool {
	for _, t := range []string{bridge.TypeReady, bridge.TypeResult, bridge.TypeState, bridge.TypeError, bridge.TypeFrame,
		bridge.TypeProtocolResult, bridge.TypeProtocolError, bridge.TypeFiltrationResult, bridge.TypeFiltrationError,
		bridge.TypeGradientResult, bridge.TypeGradientError} {
		if strings.Contains(text, `"type":"`+t+`"`) {
			return true
		}
	}
	return false
}

// post sends a message to the parent as JSON text. The target origin is
// "*": pages opened from file:// have opaque origins, and the messages
// carry no secrets.
func (b *messenger) post(e bridge.Envelope) {
	b.parent.Call("postMessage", bridge.Encode(e), "*")
}

func (b *messenger) postError(err error) {
	fe, ok := err.(bridge.FieldError)
	if !ok {
		fe = bridge.FieldError{Field: "params", Message: err.Error()}
	}
	b.post(bridge.Envelope{Type: bridge.TypeError, Field: fe.Field, Message: fe.Message})
}

func warn(msg string) {
	js.Global().Get("console").Call("warn", "exosep stage: "+msg)
}
