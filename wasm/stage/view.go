package stage

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"exosep/engine/ensemble"
	"exosep/engine/rotor"
	"exosep/wasm/bridge"
)

// Point is a position on the canvas, device pixels, y down.
type Point struct{ X, Y float32 }

// Align says where a Label's anchor is on its text line.
type Align uint8

const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// Label is one line of Latin-1 text placed by the view (Ebiten's debug font
// covers U+0000–U+00FF, so "×" and "°" are fine). Renderers draw it in
// their own font scaled by View.UIScale; Y is the line's vertical centre.
type Label struct {
	X, Y  float32
	Align Align
	Text  string
	Dim   bool // secondary text
}

// Colours of the stage (straight alpha).
var (
	Background  = RGBA{0.043, 0.075, 0.125, 1} // #0b1320
	MediumColor = RGBA{0.122, 0.267, 0.400, 1} // #1f4466, the liquid
	Meniscus    = RGBA{0.435, 0.627, 0.784, 1} // #6fa0c8
	WallColor   = RGBA{0.788, 0.839, 0.886, 1} // #c9d6e2
	ScaleColor  = RGBA{0.624, 0.702, 0.776, 1} // #9fb3c6
	DimColor    = RGBA{0.337, 0.412, 0.486, 1} // #56697c
	TrackColor  = RGBA{0.110, 0.165, 0.227, 1} // #1c2a3a
	BarColor    = RGBA{0.498, 0.702, 1.000, 1} // #7fb3ff
	Unknown     = RGBA{0.6, 0.6, 0.6, 1}
)

// View lays the stage out on a canvas and fills vertex buffers for it.
// It reads a Stage and never changes it.
//
// Coordinate transform: a particle's tube coordinates (Axial a, Across c,
// metres; see package ensemble) map to canvas pixels by one uniform scale
// k = PxPerM and a rotation:
//
//	(x, y) = O + k·a·û + k·c·n̂
//
// Swinging bucket: û = (0, 1) (the tube upright, r_min at the top, r_max
// at the bottom of the canvas), n̂ = (1, 0). Fixed angle, tube angle θ from
// the rotation axis, in a side view with the axis vertical at the left:
// û = (sin θ, cos θ) (the tube's bottom outward and down), n̂ = (cos θ,
// −sin θ) (+c, the outer wall). A point's radius is then r = x/k from the
// drawn rotation axis, so the radius scale bar is exact.
type View struct {
	WidthPx, HeightPx int
	UIScale           float64 // device pixels per CSS pixel (sizes of lines and text)
	PxPerM            float64 // the one scale, pixels per metre
	// Tube is the inside outline of the sample column, clockwise: top
	// inner (a=0, c=−R), top outer, bottom outer (a=L, c=+R), bottom inner.
	Tube       [4]Point
	Decor      []Vertex // static quads: medium, walls, scale bar, axis; 4 per quad
	Labels     []Label
	ParticlePx float32 // particle sprite edge, pixels
	PitchPx    float32 // spacing of particles packed in the pellet

	stage   *Stage
	gen     int
	version int
	fixed   bool
	ox, oy  float64 // O: tube axis at a = 0
	ux, uy  float64
	nx, ny  float64
	lenPx   float64
	radPx   float64
	inset   float64 // keeps whole sprites inside the tube
	cols    int     // swinging bucket: pellet columns across the tube
	colStep float64
	layers  int // fixed angle: pellet thickness in particles
	colors  []RGBA
	verts   []Vertex
	// Settled particles keep their place: Fill writes only those that
	// settled since it last ran (until a layout or a re-sort).
	pelletDrawn int
	floatDrawn  int
	reorders    int
	bar         [4]Vertex
	// Display settings (bridge.Params.ColorProfile, Species) the layout
	// was made for; show says per species index whether it is drawn.
	pal         Palette
	shownFor    []string
	show        []bool
	pelletSlots int // packing slots used by drawn pelleted particles
	floatSlots  int
	barX0       float32
	barX1       float32
	barY0       float32
	barY1       float32
	caption     string
}

// NewView returns a view; call Layout before Fill.
func NewView() *View { return &View{} }

// Version changes whenever Layout recomputed the geometry (Decor, Labels).
func (v *View) Version() int { return v.version }

// Layout computes the geometry for a widthPx × heightPx canvas (device
// pixels; uiScale device pixels per CSS pixel). It does the work, and
// allocates, only when the size or the stage's ensemble changed; it
// reports whether it did.
func (v *View) Layout(s *Stage, widthPx, heightPx int, uiScale float64) bool {
	p := s.Params()
	if v.stage == s && v.gen == s.Generation() && v.WidthPx == widthPx && v.HeightPx == heightPx && v.UIScale == uiScale &&
		v.caption == s.Caption() && v.pal.Profile == PaletteFor(p.ColorProfile).Profile && slices.Equal(v.shownFor, p.Species) {
		return false
	}
	v.stage, v.gen, v.WidthPx, v.HeightPx, v.UIScale, v.caption = s, s.Generation(), widthPx, heightPx, uiScale, s.Caption()
	v.pal, v.shownFor = PaletteFor(p.ColorProfile), slices.Clone(p.Species)
	pal := v.pal
	v.version++
	ui := math.Max(uiScale, 0.5)
	W, H := math.Max(float64(widthPx), 1), math.Max(float64(heightPx), 1)
	ens := s.Ensemble()
	ro := s.Spin().Rotor
	L, R := ens.TubeLengthM, ens.TubeRadiusM
	v.Decor, v.Labels = v.Decor[:0], v.Labels[:0]
	v.fixed = ro.Kind == rotor.FixedAngle

	if pal.Background != Background { // the renderer clears to Background
		v.rect(0, 0, W, H, pal.Background)
	}
	// Progress bar track and title.
	v.barX0, v.barX1 = float32(12*ui), float32(math.Max(W-12*ui, 13*ui))
	v.barY0, v.barY1 = float32(6*ui), float32(9*ui)
	v.rect(float64(v.barX0), float64(v.barY0), float64(v.barX1), float64(v.barY1), pal.Track)
	res := s.Result()
	// The header: lines wrapped to the canvas width (a narrow phone shows
	// about 55 characters), with a shorter description when needed.
	chars := int((W/ui - 24) / GlyphWidthCSS)
	kind := "swinging bucket (tube drawn upright: radius grows downward)"
	short := "swinging bucket, upright"
	if v.fixed {
		angle := roundTo(ro.AngleRad*180/math.Pi, 1)
		kind = fmt.Sprintf("fixed angle %g° (side view, rotation axis at left)", angle)
		short = fmt.Sprintf("fixed angle %g°, side view", angle)
	}
	title := ro.Name + "  " + kind + ", to scale"
	if len([]rune(title)) > chars {
		title = ro.Name + "  " + short + ", to scale"
	}
	y := 22 * ui
	for i, text := range []string{title,
		fmt.Sprintf("%s rpm   RCF %s × g at r_max   %g min   %g °C   %s particles",
			thousands(res.RPM), thousands(res.RCFMax), res.Minutes, p.TemperatureC, thousands(float64(s.Len()))),
		v.caption, // a protocol step: what it is, or the pour-off
	} {
		for _, line := range wrapLine(text, chars) {
			v.label(12*ui, y, AlignLeft, line, i == 1)
			y += 16 * ui
		}
	}
	header := y + 2*ui

	sinT, cosT := 0.0, 1.0
	if v.fixed {
		sinT, cosT = math.Sincos(ro.AngleRad)
	}
	var k float64
	if !v.fixed {
		side, bottom := 120*ui, 14*ui
		k = math.Min((H-header-bottom)/L, (W-2*side)/(2*R))
		k = math.Max(k, 1e-3)
		v.lenPx, v.radPx = L*k, R*k
		v.ox, v.oy = W/2, H-bottom-v.lenPx
		v.ux, v.uy, v.nx, v.ny = 0, 1, 1, 0
	} else {
		left, right, below := 30*ui, 100*ui, 64*ui
		hw := L*cosT + 2*R*sinT
		k = math.Min((W-left-right)/ro.RMaxM, (H-header-below)/hw)
		k = math.Max(k, 1e-3)
		v.lenPx, v.radPx = L*k, R*k
		xAxis := left + (W-left-right-ro.RMaxM*k)/2
		yTop := header + math.Max((H-header-below-hw*k)/2, 0)
		r0, z0 := ro.RMinM+R*cosT, R*sinT
		v.ox, v.oy = xAxis+r0*k, yTop+z0*k
		v.ux, v.uy, v.nx, v.ny = sinT, cosT, cosT, -sinT
	}
	v.PxPerM = k
	wall := math.Max(1.5*ui, 0.0006*k)

	// Medium, meniscus, walls.
	v.local(0, v.lenPx, -v.radPx, v.radPx, pal.Medium)
	for i, ac := range [4][2]float64{{0, -v.radPx}, {0, v.radPx}, {v.lenPx, v.radPx}, {v.lenPx, -v.radPx}} {
		x, y := v.screen(ac[0], ac[1])
		v.Tube[i] = Point{float32(x), float32(y)}
	}
	if v.fixed { // a sealed tube: walls all round
		v.local(-wall, 0, -v.radPx-wall, v.radPx+wall, pal.Wall)
	} else { // open at the top: a meniscus, and the tube's rim above it
		v.local(0, math.Max(ui, 1), -v.radPx, v.radPx, pal.Meniscus)
	}
	top := -wall
	if !v.fixed {
		top = -8 * ui
	}
	v.local(top, v.lenPx+wall, -v.radPx-wall, -v.radPx, pal.Wall)
	v.local(top, v.lenPx+wall, v.radPx, v.radPx+wall, pal.Wall)
	v.local(v.lenPx, v.lenPx+wall, -v.radPx-wall, v.radPx+wall, pal.Wall)

	if v.fixed {
		v.fixedScale(ro, k, ui, wall)
	} else {
		v.bucketScale(ro, k, ui, wall)
	}

	// Particles: sprite size from the area per particle; the pellet's
	// packing pitch so that even every particle pelleted covers at most a
	// quarter of the tube: in a swinging bucket at most 25% of its length
	// from the bottom; in a fixed-angle tube a band about 25% of the
	// diameter thick along the outer wall, growing from the bottom up (the
	// pelleted share of the particles covers that share of the wall).
	n := s.Len()
	area := v.lenPx * 2 * v.radPx
	ps := pal.ParticleScale
	size := clamp(0.8*ps*math.Sqrt(area/float64(n)), 1.5*ui*ps, 6*ui*ps)
	size = math.Min(size, v.radPx)
	pitch := math.Max(math.Min(size, math.Sqrt(0.25*area/float64(n))), 0.05)
	v.ParticlePx, v.PitchPx = float32(size), float32(pitch)
	v.inset = size / 2 * (sinT + cosT)
	wc := 2 * (v.radPx - v.inset)
	v.cols = max(1, int(wc/pitch))
	v.colStep = wc / float64(v.cols)
	along := max(1, int((v.lenPx-2*v.inset)/pitch)+1)
	v.layers = max(1, (n+along-1)/along)

	v.colors, v.show = v.colors[:0], v.show[:0]
	for _, sp := range res.Species {
		c, ok := ParseColor(sp.Color)
		if !ok {
			c = Unknown
		}
		v.colors = append(v.colors, pal.Tint(c))
		v.show = append(v.show, bridge.Shows(p.Species, sp.ID))
	}
	if cap(v.verts) < 4*n {
		v.verts = make([]Vertex, 4*n)
	}
	v.verts = v.verts[:4*n]
	species := s.Ensemble().Species
	for i := range n {
		initQuad(v.verts[4*i:4*i+4], v.colors[species[i]])
	}
	v.pelletDrawn, v.floatDrawn, v.pelletSlots, v.floatSlots = 0, 0, 0, 0
	return true
}

// GlyphWidthCSS is the width of one character of the renderer's font, CSS
// pixels (Ebiten's debug font), used to wrap the header to the canvas.
const GlyphWidthCSS = 6

// wrapLine breaks text at spaces into lines of at most width characters
// (a longer word stays whole); "" gives no line.
func wrapLine(text string, width int) []string {
	width = max(width, 10)
	var lines []string
	var cur []rune
	for _, word := range strings.Split(text, " ") {
		w := []rune(word)
		switch {
		case len(cur) == 0:
			cur = w
		case len(cur)+1+len(w) <= width:
			cur = append(append(cur, ' '), w...)
		default:
			lines = append(lines, strings.TrimRight(string(cur), " "))
			cur = w
		}
	}
	if s := strings.TrimSpace(string(cur)); s != "" {
		lines = append(lines, strings.TrimRight(string(cur), " "))
	}
	return lines
}

// bucketScale draws the radius axis left of an upright tube.
func (v *View) bucketScale(ro rotor.Rotor, k, ui, wall float64) {
	xb := v.ox - v.radPx - wall - 18*ui
	yAt := func(r float64) float64 { return v.oy + (r-ro.RMinM)*k }
	v.rect(xb-0.75*ui, v.oy, xb+0.75*ui, v.oy+v.lenPx, v.pal.Scale)
	for mm := math.Ceil(ro.RMinM * 1e3 / 10 * (1 - 1e-9)); mm*10 <= ro.RMaxM*1e3*(1+1e-9); mm++ {
		r := mm * 10 / 1e3
		y := yAt(r)
		l := 5 * ui
		if int(mm)%5 == 0 {
			l = 9 * ui
		}
		v.rect(xb-l, y-0.5*ui, xb, y+0.5*ui, v.pal.Scale)
		if int(mm)%2 == 0 && y-v.oy > 16*ui && v.oy+v.lenPx-y > 16*ui {
			v.label(xb-12*ui, y, AlignRight, strconv.Itoa(int(mm)*10), true)
		}
	}
	for _, e := range [2]struct {
		r    float64
		name string
	}{{ro.RMinM, "r_min"}, {ro.RMaxM, "r_max"}} {
		y := yAt(e.r)
		v.rect(xb-12*ui, y-0.75*ui, xb+0.75*ui, y+0.75*ui, v.pal.Wall)
		v.label(xb-16*ui, y, AlignRight, fmt.Sprintf("%s %g mm", e.name, roundTo(e.r*1e3, 1)), false)
	}
	x := v.ox + v.radPx + wall + 8*ui
	v.label(x, v.oy+8*ui, AlignLeft, "meniscus", true)
	v.label(x, v.oy+v.lenPx-8*ui, AlignLeft, "pellet", true)
}

// fixedScale draws the rotation axis and a horizontal radius axis under a
// tilted tube, with guides from the tube's extreme points.
func (v *View) fixedScale(ro rotor.Rotor, k, ui, wall float64) {
	xAxis := v.Tube[0].X - float32(ro.RMinM*k)
	xr := func(r float64) float64 { return float64(xAxis) + r*k }
	bottomY := math.Max(float64(v.Tube[2].Y), float64(v.Tube[3].Y))
	topY := math.Min(float64(v.Tube[0].Y), float64(v.Tube[1].Y))
	yBar := bottomY + wall + 16*ui
	// Rotation axis, dashed, and its label.
	v.dashV(xr(0), topY-6*ui, yBar, 1.5*ui, 6*ui, 4*ui, v.pal.Dim)
	v.label(xr(0)+6*ui, topY, AlignLeft, "rotation axis", true)
	// Guides from the innermost and outermost tube points down to the bar.
	v.dashV(xr(ro.RMinM), float64(v.Tube[0].Y)+wall, yBar, ui, 3*ui, 4*ui, v.pal.Dim)
	outer := v.Tube[2]
	v.dashV(xr(ro.RMaxM), float64(outer.Y)+wall, yBar, ui, 3*ui, 4*ui, v.pal.Dim)
	// The radius axis from r = 0; the rotor's range r_min..r_max in bold.
	v.rect(xr(0), yBar-0.5*ui, xr(ro.RMaxM), yBar+0.5*ui, v.pal.Dim)
	v.rect(xr(ro.RMinM), yBar-1.5*ui, xr(ro.RMaxM), yBar+1.5*ui, v.pal.Scale)
	for mm := 0.0; mm*10 <= ro.RMaxM*1e3*(1+1e-9); mm++ {
		x := xr(mm * 10 / 1e3)
		l := 5 * ui
		if int(mm)%5 == 0 {
			l = 9 * ui
		}
		v.rect(x-0.5*ui, yBar, x+0.5*ui, yBar+l, v.pal.Scale)
		if int(mm)%2 == 0 {
			v.label(x, yBar+17*ui, AlignCenter, strconv.Itoa(int(mm)*10), true)
		}
	}
	for _, e := range [2]struct {
		r     float64
		name  string
		align Align
	}{{ro.RMinM, "r_min %g mm", AlignRight}, {ro.RMaxM, "r_max %g mm", AlignLeft}} {
		x := xr(e.r)
		v.rect(x-0.75*ui, yBar-6*ui, x+0.75*ui, yBar+12*ui, v.pal.Wall)
		v.label(x, yBar+33*ui, e.align, fmt.Sprintf(e.name, roundTo(e.r*1e3, 1)), false)
	}
	v.label(float64(outer.X)+wall+8*ui, float64(outer.Y), AlignLeft, "pellet:", true)
	v.label(float64(outer.X)+wall+8*ui, float64(outer.Y)+16*ui, AlignLeft, "outer wall", true)
	v.label(float64(v.Tube[0].X)-wall-8*ui, float64(v.Tube[0].Y), AlignRight, "inner wall", true)
}

// screen maps tube pixels (a along the axis, c across) to the canvas.
func (v *View) screen(a, c float64) (x, y float64) {
	return v.ox + a*v.ux + c*v.nx, v.oy + a*v.uy + c*v.ny
}

// local adds a quad given in tube pixels a0..a1 × c0..c1.
func (v *View) local(a0, a1, c0, c1 float64, col RGBA) {
	var p [4]Point
	for i, ac := range [4][2]float64{{a0, c0}, {a0, c1}, {a1, c0}, {a1, c1}} {
		x, y := v.screen(ac[0], ac[1])
		p[i] = Point{float32(x), float32(y)}
	}
	v.Decor = append(v.Decor, make([]Vertex, 4)...)
	putCorners(v.Decor[len(v.Decor)-4:], p, col)
}

// rect adds an axis-aligned quad in canvas pixels.
func (v *View) rect(x0, y0, x1, y1 float64, col RGBA) {
	v.Decor = append(v.Decor, make([]Vertex, 4)...)
	putCorners(v.Decor[len(v.Decor)-4:], [4]Point{
		{float32(x0), float32(y0)}, {float32(x1), float32(y0)},
		{float32(x0), float32(y1)}, {float32(x1), float32(y1)}}, col)
}

// dashV adds a dashed vertical line at x from y0 to y1.
func (v *View) dashV(x, y0, y1, width, on, off float64, col RGBA) {
	for y := y0; y < y1; y += on + off {
		v.rect(x-width/2, y, x+width/2, math.Min(y+on, y1), col)
	}
}

func (v *View) label(x, y float64, a Align, text string, dim bool) {
	v.Labels = append(v.Labels, Label{X: float32(x), Y: float32(y), Align: a, Text: text, Dim: dim})
}

// Fill writes one quad (4 vertices) per particle, in particle order, and
// returns the buffer (owned by the view, valid until the next Fill or
// Layout): free particles where the ensemble has them, pelleted ones packed
// in the pellet — at the bottom of a swinging-bucket tube, against the
// outer wall from the bottom up in a fixed-angle tube — and floated ones at
// the meniscus (swinging bucket) or the inner wall from the top (fixed
// angle). Call Layout first. It does not allocate.
func (v *View) Fill(s *Stage) []Vertex {
	if v.stage != s || v.gen != s.Generation() || len(v.verts) != 4*s.Len() {
		return nil
	}
	if r := s.Reorders(); r != v.reorders {
		v.reorders, v.pelletDrawn, v.floatDrawn, v.pelletSlots, v.floatSlots = r, 0, 0, 0, 0
	}
	ens := s.Ensemble()
	k := v.PxPerM
	h := v.ParticlePx / 2
	aLo, aHi, cHi := v.inset, v.lenPx-v.inset, v.radPx-v.inset
	axial, across, species := ens.Axial, ens.Across, ens.Species
	for i, m := range s.Marks() {
		if m != ensemble.Free {
			continue
		}
		if s.Hidden(m) || !v.show[species[i]] { // poured off, or a species not shown: an empty quad
			putQuad(v.verts[4*i:4*i+4], float32(v.ox), float32(v.oy), 0)
			continue
		}
		a := clamp(axial[i]*k, aLo, aHi)
		c := clamp(across[i]*k, -cHi, cHi)
		putQuad(v.verts[4*i:4*i+4], float32(v.ox+a*v.ux+c*v.nx), float32(v.oy+a*v.uy+c*v.ny), h)
	}
	p := v.PitchPx
	pellet := s.PelletOrder()
	for k := v.pelletDrawn; k < len(pellet); k++ {
		i := pellet[k]
		if !v.show[species[i]] { // not shown: no quad, and no place in the pellet
			putQuad(v.verts[4*i:4*i+4], float32(v.ox), float32(v.oy), 0)
			continue
		}
		slot := v.pelletSlots
		v.pelletSlots++
		var a, c float64
		if v.fixed { // along the outer wall, from the bottom, `layers` deep
			j, layer := slot/v.layers, slot%v.layers
			a = clamp(aHi-float64(j)*float64(p), aLo, aHi)
			c = clamp(cHi-float64(layer)*float64(p), -cHi, cHi)
		} else { // rows across the tube, from the bottom up
			row, col := slot/v.cols, slot%v.cols
			a = clamp(aHi-float64(row)*float64(p), aLo, aHi)
			c = -cHi + (float64(col)+0.5)*v.colStep
		}
		x, y := v.screen(a, c)
		if s.Hidden(ensemble.Pelleted) {
			putQuad(v.verts[4*i:4*i+4], float32(x), float32(y), 0)
			continue
		}
		putQuad(v.verts[4*i:4*i+4], float32(x), float32(y), h)
	}
	v.pelletDrawn = len(pellet)
	floated := s.FloatOrder()
	for k := v.floatDrawn; k < len(floated); k++ {
		i := floated[k]
		if !v.show[species[i]] {
			putQuad(v.verts[4*i:4*i+4], float32(v.ox), float32(v.oy), 0)
			continue
		}
		slot := v.floatSlots
		v.floatSlots++
		var a, c float64
		if v.fixed { // along the inner wall, from the top
			j, layer := slot/v.layers, slot%v.layers
			a = clamp(aLo+float64(j)*float64(p), aLo, aHi)
			c = clamp(-cHi+float64(layer)*float64(p), -cHi, cHi)
		} else { // rows from the meniscus down
			row, col := slot/v.cols, slot%v.cols
			a = clamp(aLo+float64(row)*float64(p), aLo, aHi)
			c = -cHi + (float64(col)+0.5)*v.colStep
		}
		x, y := v.screen(a, c)
		if s.Hidden(ensemble.Floated) {
			putQuad(v.verts[4*i:4*i+4], float32(x), float32(y), 0)
			continue
		}
		putQuad(v.verts[4*i:4*i+4], float32(x), float32(y), h)
	}
	v.floatDrawn = len(floated)
	return v.verts
}

// ProgressBar returns the 4 vertices of the elapsed-time bar (process time
// over the run's duration), owned by the view. It does not allocate.
func (v *View) ProgressBar(s *Stage) []Vertex {
	x1 := v.barX0 + float32(s.Progress())*(v.barX1-v.barX0)
	putCorners(v.bar[:], [4]Point{{v.barX0, v.barY0}, {x1, v.barY0}, {v.barX0, v.barY1}, {x1, v.barY1}}, v.pal.Bar)
	return v.bar[:]
}

// clamp limits x to lo..hi (lo ≤ hi; plain comparisons, faster than
// math.Min/Max, which handle NaN and signed zeros).
func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

func roundTo(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// thousands formats a non-negative number rounded to an integer with
// comma separators: 100000 → "100,000".
func thousands(x float64) string {
	s := strconv.FormatInt(int64(math.Round(x)), 10)
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
