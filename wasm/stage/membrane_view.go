package stage

import (
	"fmt"
	"math"
	"strconv"

	"exosep/engine/filter"
)

// membraneView lays a MembraneScene out and fills its vertex buffers.
//
// Geometry: the step's window (windowNM wide) spans the canvas width, so
// one scale k (pixels per nm) sets pore widths, particle diameters, the
// deposit's thickness and the scale bar. From the top: captions, the
// feed (retentate) side, the membrane band, the permeate side, the scale
// bar and the progress bar. The band's height is not to scale (membranes
// are 6–150 µm thick); pores are gaps in it 2r·k wide. Particles smaller
// than 2 CSS pixels are drawn at 2 px; larger than a quarter of the feed
// side at that size (both stated on the stage).
//
// The run's colour profile (Animation.ColorProfile) gives the palette:
// background, liquids, membrane, deposit, scale and bars, the species'
// tints, and a minimum drawn size ParticleScale times larger. Particles
// between the limits stay to scale with the pores (a larger drawing would
// show a particle wider than a pore it passes), so the profile enlarges
// those that are too small to see at scale. Species not shown
// (Animation.Species) get empty quads.
//
// Decor holds static quads (liquids, membrane between pores, scale bar,
// progress track); Bar the progress fill and the deposit; Particles one
// quad per particle of the current step. Render allocates nothing after a
// layout; a layout happens on a new size or a new step.
type membraneView struct {
	m                 *MembraneScene
	widthPx, heightPx int
	ui                float64
	step              int
	caption           string // the scene's caption at the last layout
	version           int

	decor  []Vertex
	labels []Label
	verts  []Vertex
	bar    [8]Vertex

	k                          float64 // px per nm
	x0, yTop, memTop, memBot   float64
	yBot                       float64
	minPx, maxPx               float64
	barX0, barX1, barY0, barY1 float32
	pal                        Palette
	tint                       []RGBA // per scene species, pal.Tint of its colour
}

// Colours of the membrane stage in the default profile (Palette's
// Membrane, Permeate and Cake).
var (
	PermeateColor = RGBA{0.090, 0.208, 0.318, 1} // #17354f
	MembraneColor = RGBA{0.659, 0.690, 0.722, 1} // #a8b0b8
	CakeColor     = RGBA{0.580, 0.447, 0.298, 0.75}
)

func newMembraneView(m *MembraneScene) *membraneView {
	n := 0
	for _, s := range m.steps {
		n = max(n, s.end-s.first)
	}
	v := &membraneView{m: m, step: -1, verts: make([]Vertex, 4*n), pal: PaletteFor(m.run.Animation.ColorProfile)}
	v.tint = make([]RGBA, len(m.colors))
	for k, c := range m.colors {
		v.tint[k] = v.pal.Tint(c)
	}
	return v
}

// layout recomputes the geometry for a size and the current step.
func (v *membraneView) layout(w, h int, ui float64) {
	if !(ui > 0) {
		ui = 1
	}
	if w == v.widthPx && h == v.heightPx && ui == v.ui && v.step == v.m.cur && v.caption == v.m.caption {
		return
	}
	v.widthPx, v.heightPx, v.ui, v.step, v.caption = w, h, ui, v.m.cur, v.m.caption
	v.version++
	s := &v.m.steps[v.m.cur]
	pal := v.pal
	v.decor, v.labels = v.decor[:0], v.labels[:0]
	W, H := float64(w), float64(h)
	if pal.Background != Background { // the renderer clears to Background
		v.rect(0, 0, W, H, pal.Background)
	}
	margin := 12 * ui
	v.x0 = margin
	v.k = (W - 2*margin) / s.windowNM
	v.yTop = 52 * ui
	v.yBot = H - 58*ui
	field := math.Max(v.yBot-v.yTop, 60*ui)
	v.memTop = v.yTop + 0.55*field
	v.memBot = v.memTop + math.Max(0.08*field, 14*ui)
	v.minPx = 2 * ui * pal.ParticleScale
	v.maxPx = math.Max(0.25*(v.memTop-v.yTop), 2*v.minPx)

	x1 := W - margin
	v.rect(v.x0, v.yTop, x1, v.memTop, pal.Medium)
	v.rect(v.x0, v.memBot, x1, v.yBot, pal.Permeate)
	// The membrane between pores; pores are gaps of the permeate's colour.
	left := v.x0
	for j, xc := range s.poreX {
		pl, pr := v.x0+(xc-s.poreR[j])*v.k, v.x0+(xc+s.poreR[j])*v.k
		if pr-pl < ui { // keep a pore visible: at least one CSS pixel
			c := (pl + pr) / 2
			pl, pr = c-ui/2, c+ui/2
		}
		v.rect(left, v.memTop, pl, v.memBot, pal.Membrane)
		v.rect(pl, v.memTop, pr, v.memBot, pal.Permeate)
		left = pr
	}
	v.rect(left, v.memTop, x1, v.memBot, pal.Membrane)

	// Scale bar: a round length near a fifth of the window.
	barNM := niceLength(s.windowNM / 5)
	sy := v.yBot + 16*ui
	v.rect(v.x0, sy-1*ui, v.x0+barNM*v.k, sy+1*ui, pal.Scale)
	v.rect(v.x0, sy-5*ui, v.x0+1*ui, sy+5*ui, pal.Scale)
	v.rect(v.x0+barNM*v.k-1*ui, sy-5*ui, v.x0+barNM*v.k, sy+5*ui, pal.Scale)
	v.label(v.x0+barNM*v.k+8*ui, sy, AlignLeft, lengthText(barNM)+" (pores, particles and deposit to this scale)", true)

	// Progress track.
	v.barX0, v.barX1 = float32(v.x0), float32(x1)
	v.barY0, v.barY1 = float32(H-22*ui), float32(H-16*ui)
	v.rect(v.x0, H-22*ui, x1, H-16*ui, pal.Track)

	st, mem, res := s.st, s.st.Params.Membrane, s.st.Res
	mode := "dead-end"
	if res.Mode == filter.Tangential {
		mode = "tangential flow"
	}
	title := fmt.Sprintf("Step %d of %d: %s", st.Step, st.Of, latin1(st.Name))
	if v.m.caption != "" {
		title = v.m.caption
	}
	v.label(v.x0, 14*ui, AlignLeft, title, false)
	v.label(v.x0, 32*ui, AlignLeft, fmt.Sprintf("%s, median pore radius %s nm; %s at %s kPa", latin1(mem.Name), short(mem.PoreRadiusM*1e9), mode, short(res.TMPKPa)), true)
	v.label(v.x0+6*ui, v.yTop+10*ui, AlignLeft, "feed / retentate", true)
	v.label(v.x0+6*ui, v.memBot+10*ui, AlignLeft, "permeate", true)
	v.label(x1-6*ui, (v.memTop+v.memBot)/2, AlignRight, "membrane (thickness not to scale)", false)
	if res.Mode == filter.Tangential {
		v.label(x1-6*ui, v.yTop+10*ui, AlignRight, "cross-flow ->  (retentate recirculates)", true)
	}
	v.label(x1, sy, AlignRight, fmt.Sprintf("smallest drawn %s, largest %s", lengthText(v.minPx/v.k), lengthText(v.maxPx/v.k)), true)
}

// niceLength is 1, 2 or 5 × 10ⁿ nm at or below x.
func niceLength(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{5, 2, 1} {
		if m*p <= x {
			return m * p
		}
	}
	return p
}

// lengthText is "200 nm" or "2 µm".
func lengthText(nm float64) string {
	if nm >= 1000 {
		return short(nm/1000) + " \u00b5m"
	}
	return short(nm) + " nm"
}

func short(x float64) string { return strconv.FormatFloat(roundTo(x, 2), 'g', 3, 64) }

// latin1 replaces characters outside Latin-1 (the debug font) with '?'
// after mapping the common dashes to '-'.
func latin1(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\u2013' || r == '\u2014' || r == '\u2212':
			r = '-'
		case r > 0xff:
			r = '?'
		}
		out = append(out, r)
	}
	return string(out)
}

func (v *membraneView) rect(x0, y0, x1, y1 float64, col RGBA) {
	v.decor = append(v.decor, make([]Vertex, 4)...)
	putCorners(v.decor[len(v.decor)-4:], [4]Point{
		{float32(x0), float32(y0)}, {float32(x1), float32(y0)},
		{float32(x0), float32(y1)}, {float32(x1), float32(y1)}}, col)
}

func (v *membraneView) label(x, y float64, a Align, text string, dim bool) {
	v.labels = append(v.labels, Label{X: float32(x), Y: float32(y), Align: a, Text: text, Dim: dim})
}

// render lays out if needed and fills the frame's buffers.
func (v *membraneView) render(w, h int, ui float64) Picture {
	v.layout(w, h, ui)
	m := v.m
	s := &m.steps[m.cur]
	cake := v.cakePx(s, m.tS)
	// Progress fill and the deposit.
	x1 := v.barX0 + float32(math.Min(m.tS/s.durationS, 1))*(v.barX1-v.barX0)
	putCorners(v.bar[0:4], [4]Point{{v.barX0, v.barY0}, {x1, v.barY0}, {v.barX0, v.barY1}, {x1, v.barY1}}, v.pal.Bar)
	xr := float32(float64(v.widthPx) - v.x0)
	ct := float32(v.memTop - cake)
	putCorners(v.bar[4:8], [4]Point{{float32(v.x0), ct}, {xr, ct}, {float32(v.x0), float32(v.memTop)}, {xr, float32(v.memTop)}}, v.pal.Cake)
	n := s.end - s.first
	for i := s.first; i < s.end; i++ {
		q := v.verts[4*(i-s.first) : 4*(i-s.first)+4]
		if !m.shown[m.sp[i]] { // a species not shown: an empty quad
			putCorners(q, [4]Point{}, RGBA{})
			continue
		}
		x, y, hw, hh, col := v.place(s, i, m.tS)
		putCorners(q, [4]Point{{float32(x - hw), float32(y - hh)}, {float32(x + hw), float32(y - hh)},
			{float32(x - hw), float32(y + hh)}, {float32(x + hw), float32(y + hh)}}, col)
	}
	return Picture{Decor: v.decor, Bar: v.bar[:], Particles: v.verts[:4*n], Labels: v.labels, LabelsVersion: v.version,
		WidthPx: v.widthPx, HeightPx: v.heightPx, UIScale: v.ui, ProcessS: m.tS}
}

// cakePx is the deposit's thickness at time t on the view's scale, at most
// 70 % of the feed side.
func (v *membraneView) cakePx(s *membraneStep, t float64) float64 {
	return math.Min(s.st.Res.At(t).CakeThicknessNM*v.k, 0.7*(v.memTop-v.yTop))
}

// half is particle i's drawn half-size, px.
func (v *membraneView) half(i int) float64 {
	return clamp(float64(v.m.sizeNM[i])*v.k, v.minPx, v.maxPx) / 2
}

// bulk is where particle i is in the liquid above the membrane at time
// t: a slow wobble, and in tangential flow a drift along the membrane,
// faster away from it, wrapping round.
func (v *membraneView) bulk(s *membraneStep, i int, t float64) (x, y float64) {
	m := v.m
	f := t / s.durationS
	ph := float64(m.phase[i])
	yn := float64(m.y0[i]) + 0.03*math.Sin(2*math.Pi*7.3*f+ph)
	xn := float64(m.x0[i]) + 0.01*s.windowNM*math.Sin(2*math.Pi*6*f+ph)
	if s.st.Res.Mode == filter.Tangential {
		xn += tffCycles * s.windowNM * f * (0.3 + 0.7*(1-yn))
	}
	xn = math.Mod(xn, s.windowNM)
	if xn < 0 {
		xn += s.windowNM
	}
	hs := v.half(i)
	return v.x0 + xn*v.k, v.yTop + hs + yn*math.Max(v.memTop-v.yTop-2*hs, 0)
}

// place is particle i's centre, half-width, half-height (px) and colour
// at time t (see MembraneScene).
func (v *membraneView) place(s *membraneStep, i int, t float64) (x, y, hw, hh float64, col RGBA) {
	m := v.m
	col = v.tint[m.sp[i]]
	h := v.half(i)
	hw, hh = h, h
	A, C := approachShare*s.durationS, transitShare*s.durationS
	te := m.te[i]
	pi := int(m.pore[i])
	px := v.x0 + s.poreX[pi]*v.k
	// Where the particle is headed at its event.
	var tx, ty float64
	switch m.fate[i] {
	case FateCake:
		tx = v.x0 + float64(m.x0[i])*v.k
		ty = v.memTop - math.Max(v.cakePx(s, te)-h, 0) - h
	case FateLodged, FatePassed, FateDamaged:
		tx, ty = px, v.memTop-h*0.3
	default: // retained: turned back at a pore mouth, above the deposit
		tx, ty = px, v.memTop-v.cakePx(s, te)-h
	}
	if t < te {
		bx, by := v.bulk(s, i, math.Max(t, te-A))
		if t <= te-A {
			return bx, by, hw, hh, col
		}
		a := (t - (te - A)) / A
		return bx + a*(tx-bx), by + a*(ty-by), hw, hh, col
	}
	switch m.fate[i] {
	case FateLodged:
		return tx, ty, hw, hh, col
	case FateCake:
		return tx, ty, hw, hh, col
	case FateRetained:
		a := math.Min((t-te)/A, 1)
		bx, by := v.bulk(s, i, t)
		if a >= 1 {
			return bx, by, hw, hh, col
		}
		return tx + a*(bx-tx), ty + a*(by-ty), hw, hh, col
	}
	// Passed: through the pore, then into the permeate.
	if m.fate[i] == FateDamaged {
		col[3] = 0.45
	}
	if t < te+C {
		a := (t - te) / C
		if m.squeezed[i] {
			// Constant volume: a cylinder of the pore's radius with
			// hemispherical ends, ℓ = (4/3)(a³ − r³)/r².
			rp := s.poreR[pi]
			ra := float64(m.sizeNM[i]) / 2
			l := 4.0 / 3 * (ra*ra*ra - rp*rp*rp) / (rp * rp)
			hw = math.Max(rp*v.k, v.minPx/2)
			hh = math.Min((l+2*rp)*v.k/2, (v.memBot-v.memTop)/2)
		}
		return px, v.memTop + a*(v.memBot-v.memTop), hw, hh, col
	}
	a := math.Min((t-te-C)/A, 1)
	ex, ey := px, v.memBot+h
	fx := px + 0.02*s.windowNM*v.k*math.Sin(2*math.Pi*3*t/s.durationS+float64(m.phase[i]))
	fy := v.memBot + h + float64(m.yPerm[i])*math.Max(v.yBot-v.memBot-2*h, 0)
	return ex + a*(fx-ex), ey + a*(fy-ey), hw, hh, col
}
