//go:build js && wasm

package main

import (
	"image"
	"image/color"
	"math"
	"syscall/js"
	"unicode/utf8"
	"unsafe"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"

	"exosep/wasm/bridge"
	"exosep/wasm/stage"
)

// stage.Vertex has ebiten.Vertex's fields in name, type and order; this
// conversion compiles only while that holds, which makes the zero-copy
// view in asEbiten safe.
var _ = ebiten.Vertex(stage.Vertex{})

// asEbiten reinterprets a stage vertex buffer as Ebiten vertices (no copy).
func asEbiten(v []stage.Vertex) []ebiten.Vertex {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Slice((*ebiten.Vertex)(unsafe.Pointer(&v[0])), len(v))
}

// Debug font cell, CSS pixels (ebitenutil.DebugPrint).
const glyphW, glyphH = 6, 16

// game is the Ebiten game: Update applies queued commands and advances the
// current scene one fixed tick; Draw only draws what the scene renders;
// Layout sizes the canvas in device pixels.
type game struct {
	spin      *stage.Stage     // the one-spin stage (params commands)
	spinScene *stage.TubeScene // shows spin
	scene     stage.Scene      // shown now: spinScene, or a protocol's
	messenger *messenger

	sprite       *ebiten.Image // one 4×4 white image for every quad
	labels       *ebiten.Image // text, drawn once per layout, CSS pixels
	labelsDim    *ebiten.Image
	labelVersion int
	labelScene   stage.Scene // whose labels are drawn
	opts         ebiten.DrawTrianglesOptions
	labelOpts    ebiten.DrawImageOptions
	dimOpts      ebiten.DrawImageOptions
	bg           color.RGBA
	scale        float64 // device pixels per CSS pixel

	frameEvery  int // post a frame message every n-th frame; 0 = never
	frames      int
	painted     bool
	stats       js.Value // window.exosepStats
	performance js.Value
}

func newGame(s *stage.Stage, b *messenger, frameEvery int) *game {
	sc := stage.NewSpinScene(s)
	g := &game{spin: s, spinScene: sc, scene: sc, messenger: b, frameEvery: frameEvery, scale: 1,
		performance: js.Global().Get("performance")}
	g.sprite = ebiten.NewImageWithOptions(image.Rect(0, 0, stage.SpriteSize, stage.SpriteSize),
		&ebiten.NewImageOptions{Unmanaged: true}) // its own texture: no atlas neighbours bleed in
	g.sprite.Fill(color.White)
	c := stage.Background
	g.bg = color.RGBA{uint8(c[0]*255 + 0.5), uint8(c[1]*255 + 0.5), uint8(c[2]*255 + 0.5), 255}
	g.stats = js.Global().Get("Object").New()
	g.stats.Set("frames", 0)
	g.stats.Set("firstFrameMs", js.Null())
	g.stats.Set("particles", s.Len())
	js.Global().Set("exosepStats", g.stats)
	return g
}

// Update applies the commands that arrived since the last tick, advances
// the scene by stage.TickS and posts a state message at milestones.
func (g *game) Update() error {
	for drained := false; !drained; {
		select {
		case cmd := <-g.messenger.inbox:
			g.apply(cmd)
		default:
			drained = true
		}
	}
	g.postState() // the start, or what the commands changed, before time moves
	g.scene.Update(stage.TickS)
	g.postState() // a tenth of the run passed, a step, or the end
	return nil
}

// postState posts a state message when the scene says one is due.
func (g *game) postState() {
	if !g.scene.StateDue() {
		return
	}
	st := g.scene.State()
	g.messenger.post(bridge.Envelope{Type: bridge.TypeState, State: &st})
}

// show makes sc the scene shown, playing from its start.
func (g *game) show(sc stage.Scene, particles int) {
	g.scene = sc
	g.stats.Set("particles", particles)
}

func (g *game) apply(cmd bridge.Command) {
	switch cmd.Type {
	case bridge.TypePlay:
		g.scene.Play()
	case bridge.TypePause:
		g.scene.Pause()
	case bridge.TypeReset:
		g.scene.Reset()
	case bridge.TypeFrames:
		g.frameEvery = cmd.Every
	case bridge.TypeProtocol:
		q, err := stage.NewSequence(cmd.Run, g.messenger.cat)
		if err != nil {
			warn("protocol not animated: " + err.Error())
			return
		}
		g.show(q, q.Len())
	case bridge.TypeFiltration:
		sc, err := stage.NewMembraneScene(cmd.FiltrationRun, g.messenger.cat)
		if err != nil {
			warn("filtration not animated: " + err.Error())
			return
		}
		g.show(sc, sc.Len())
	case bridge.TypeGradient:
		sc, err := stage.NewGradientScene(cmd.GradientRun, g.messenger.cat)
		if err != nil {
			warn("gradient not animated: " + err.Error())
			return
		}
		g.show(sc, sc.Len())
	case bridge.TypeParams:
		// Already validated and answered by the bridge; back to one spin.
		if g.scene != stage.Scene(g.spinScene) {
			g.spin.Play()
		}
		if _, err := g.spin.SetParams(cmd.Params); err != nil {
			warn("params not applied: " + err.Error())
		}
		g.show(g.spinScene, g.spin.Len())
	}
}

// Draw draws the background and the scene's picture: decoration, the
// elapsed-time bar, every particle (one sprite, batches of at most
// stage.MaxBatchQuads quads) and the labels.
func (g *game) Draw(screen *ebiten.Image) {
	screen.Fill(g.bg)
	b := screen.Bounds()
	pic := g.scene.Render(b.Dx(), b.Dy(), g.scale)
	g.drawQuads(screen, pic.Decor)
	g.drawQuads(screen, pic.Bar)
	g.drawQuads(screen, pic.Particles)

	if g.labelScene != g.scene || g.labelVersion != pic.LabelsVersion {
		g.drawLabels(pic)
	}
	screen.DrawImage(g.labelsDim, &g.dimOpts)
	screen.DrawImage(g.labels, &g.labelOpts)

	g.frames++
	g.stats.Set("frames", g.frames)
	if !g.painted && len(pic.Particles) > 0 {
		g.painted = true
		g.stats.Set("firstFrameMs", g.performance.Call("now"))
	}
	if g.frameEvery > 0 && g.frames%g.frameEvery == 0 {
		g.messenger.post(bridge.Envelope{Type: bridge.TypeFrame, Frame: &bridge.Frame{
			Frames: g.frames, Particles: len(pic.Particles) / 4, Minutes: pic.ProcessS / 60,
			NowMs: g.performance.Call("now").Float()}})
	}
}

// drawQuads draws quads with the one sprite, in batches of at most
// stage.MaxBatchQuads.
func (g *game) drawQuads(screen *ebiten.Image, quads []stage.Vertex) {
	verts := asEbiten(quads)
	ix := stage.QuadIndices()
	for off := 0; off < len(verts); off += 4 * stage.MaxBatchQuads {
		n := min(len(verts)-off, 4*stage.MaxBatchQuads)
		screen.DrawTriangles(verts[off:off+n], ix[:n/4*6], g.sprite, &g.opts)
	}
}

// drawLabels renders the view's labels once per layout into two
// transparent layers (normal and dim) in CSS pixels, drawn scaled up.
func (g *game) drawLabels(pic stage.Picture) {
	g.labelScene, g.labelVersion = g.scene, pic.LabelsVersion
	if g.labels != nil {
		g.labels.Deallocate()
		g.labelsDim.Deallocate()
	}
	s := pic.UIScale
	if !(s > 0) {
		s = 1
	}
	w := max(1, int(math.Ceil(float64(pic.WidthPx)/s)))
	h := max(1, int(math.Ceil(float64(pic.HeightPx)/s)))
	g.labels, g.labelsDim = ebiten.NewImage(w, h), ebiten.NewImage(w, h)
	for _, l := range pic.Labels {
		tw := utf8.RuneCountInString(l.Text) * glyphW
		x := int(math.Round(float64(l.X) / s))
		switch l.Align {
		case stage.AlignCenter:
			x -= tw / 2
		case stage.AlignRight:
			x -= tw
		}
		y := int(math.Round(float64(l.Y)/s)) - glyphH/2
		dst := g.labels
		if l.Dim {
			dst = g.labelsDim
		}
		ebitenutil.DebugPrintAt(dst, l.Text, x, y)
	}
	filter := ebiten.FilterNearest
	if s != math.Trunc(s) {
		filter = ebiten.FilterLinear
	}
	for _, o := range []*ebiten.DrawImageOptions{&g.labelOpts, &g.dimOpts} {
		o.GeoM.Reset()
		o.GeoM.Scale(s, s)
		o.Filter = filter
	}
	g.dimOpts.ColorScale.Reset()
	g.dimOpts.ColorScale.ScaleWithColor(color.RGBA{0xa8, 0xb8, 0xc8, 0xff})
	g.labelOpts.ColorScale.Reset()
}

// Layout returns the canvas size in device pixels (the outside size times
// the device scale factor), so particles and text are drawn crisply.
func (g *game) Layout(outsideWidth, outsideHeight int) (int, int) {
	s := ebiten.Monitor().DeviceScaleFactor()
	if !(s > 0) {
		s = 1
	}
	g.scale = s
	return int(math.Ceil(float64(outsideWidth) * s)), int(math.Ceil(float64(outsideHeight) * s))
}
