//go:build js && wasm

// The stage: an Ebiten game drawing the particle ensemble of one
// centrifuge spin, driven by postMessage from its parent page. See doc.go.
package main

import (
	"strings"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"exosep/engine/catalog"
	"exosep/wasm/bridge"
	"exosep/wasm/stage"
)

func main() {
	cat, err := catalog.Default()
	if err != nil {
		js.Global().Get("console").Call("error", "exosep stage: "+err.Error())
		return
	}
	b := newMessenger(cat)

	// Initial params from the page's own query string: the stage also runs
	// when opened directly (stage.html?particles=20000&timeScale=600).
	q := bridge.ParseQuery(js.Global().Get("location").Get("search").String(), cat)

	for _, k := range q.Ignored {
		warn("ignored URL parameter " + k + ": not a stage parameter")
	}
	// The reader's motion preference holds from the first frame, unless the
	// URL says otherwise (the parent page sends it too, but later).
	search := js.Global().Get("location").Get("search").String()
	if !strings.Contains(search, "reducedMotion") && prefersReducedMotion() {
		q.Params.ReducedMotion = true
	}
	s, err := stage.New(q.Params, cat)
	if err != nil { // ParseQuery returns resolvable params; this is a broken build
		warn("URL parameters: " + err.Error() + "; using the defaults")
		if s, err = stage.New(bridge.Defaults(), cat); err != nil {
			js.Global().Get("console").Call("error", "exosep stage: "+err.Error())
			return
		}
	}
	g := newGame(s, b, q.FrameEvery)

	b.listen()
	b.post(bridge.Envelope{Type: bridge.TypeReady})
	for _, fe := range q.Errors {
		warn("URL parameter " + fe.Error())
		b.postError(fe)
	}
	res := s.Result()
	b.post(bridge.Envelope{Type: bridge.TypeResult, Result: &res})

	ebiten.SetTPS(60) // stage.TickS
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetWindowTitle("ExoSep stage")
	if err := ebiten.RunGame(g); err != nil {
		js.Global().Get("console").Call("error", "exosep stage: "+err.Error())
	}
}

// prefersReducedMotion reports the CSS media feature prefers-reduced-motion.
func prefersReducedMotion() bool {
	mm := js.Global().Get("matchMedia")
	if mm.Type() != js.TypeFunction {
		return false
	}
	return js.Global().Call("matchMedia", "(prefers-reduced-motion: reduce)").Get("matches").Bool()
}
