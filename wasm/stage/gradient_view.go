package stage

import (
	"fmt"
	"math"
	"strconv"
)

// gradientView lays a GradientScene out and fills its vertex buffers.
//
// Geometry, one scale k (pixels per metre) for everything: the tube
// upright, its top (r_min, or the meniscus) at the top and its bottom
// below, y = yMen + (r − r_meniscus)·k, the tube's inner diameter 2R·k
// with R = √(A/π) from the run's cross-section A. Right of the tube, the
// collection column: N boxes the size of the N equal-volume fractions at
// the same heights, into which each fraction moves when it is drawn.
// Right of that, the density scale: a bar of the colour ramp from the
// lowest to the highest medium density of the run, in g/mL.
//
// Decor holds, in order, one quad per medium cell (its colour updated in
// place every frame from the snapshot's density; cells above the level
// drawn so far are empty), one quad per collection box (filled with the
// fraction's colour once drawn), then static quads. Render allocates
// nothing after a layout; a layout happens on a new size or phase.
type gradientView struct {
	g                 *GradientScene
	widthPx, heightPx int
	ui                float64
	phase             string
	caption           string // the scene's caption at the last layout
	version           int

	decor  []Vertex
	labels []Label
	verts  []Vertex
	bar    [4]Vertex

	k, xc, yMen, yBot, radPx, inset, size, dx float64
	pelletPx                                  float64
	cellY                                     []float64 // cell edges, px (len cells+1)
	nCells, nBoxes                            int
	first                                     int // quad index of the first medium cell (after a background quad)
	rhoLo, rhoHi                              float64
	fracRho                                   []float64 // end density per fraction, kg/m³
	barX0, barX1, barY0, barY1                float32
	pal                                       Palette // the run's colour profile (Animation.ColorProfile)
}

func newGradientView(g *GradientScene) *gradientView {
	v := &gradientView{g: g, pal: PaletteFor(g.gr.Animation.ColorProfile)}
	fr := g.gr.Result.Fractions
	v.fracRho = make([]float64, len(fr))
	for j, f := range fr {
		v.fracRho[j] = f.DensityGPerML * 1e3
	}
	// The ramp's range: the medium's extremes at the start and the end.
	v.rhoLo, v.rhoHi = math.Inf(1), math.Inf(-1)
	for _, t := range []float64{0, g.run.DurationS} {
		for _, d := range g.run.At(t).DensityKg {
			v.rhoLo, v.rhoHi = math.Min(v.rhoLo, d), math.Max(v.rhoHi, d)
		}
	}
	if !(v.rhoHi > v.rhoLo) {
		v.rhoHi = v.rhoLo + 1
	}
	return v
}

// Density ramp stops: light blue (least dense) through teal to amber.
var densityRamp = [3]RGBA{{0.137, 0.298, 0.451, 1}, {0.165, 0.431, 0.435, 1}, {0.533, 0.439, 0.188, 1}}

// rampColor is the colour of density rho (kg/m³) on the run's ramp.
func (v *gradientView) rampColor(rho float64) RGBA {
	x := clamp((rho-v.rhoLo)/(v.rhoHi-v.rhoLo), 0, 1) * 2
	i := min(int(x), 1)
	f := float32(x - float64(i))
	a, b := densityRamp[i], densityRamp[i+1]
	return RGBA{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1]), a[2] + f*(b[2]-a[2]), 1}
}

// setColor recolours quad q of buf.
func setColor(buf []Vertex, q int, c RGBA) {
	for k := 4 * q; k < 4*q+4; k++ {
		buf[k].ColorR, buf[k].ColorG, buf[k].ColorB, buf[k].ColorA = c[0], c[1], c[2], c[3]
	}
}

func (v *gradientView) rect(x0, y0, x1, y1 float64, col RGBA) {
	v.decor = append(v.decor, make([]Vertex, 4)...)
	putCorners(v.decor[len(v.decor)-4:], [4]Point{
		{float32(x0), float32(y0)}, {float32(x1), float32(y0)},
		{float32(x0), float32(y1)}, {float32(x1), float32(y1)}}, col)
}

func (v *gradientView) label(x, y float64, a Align, text string, dim bool) {
	v.labels = append(v.labels, Label{X: float32(x), Y: float32(y), Align: a, Text: text, Dim: dim})
}

// phaseCaption says what the phase shows.
func (v *gradientView) phaseCaption() string {
	g := v.g
	switch g.phase {
	case PhaseFractionate:
		return fmt.Sprintf("Fractionation: %d fractions drawn from the top, one by one", g.run.Params.Fractions)
	case PhaseDone:
		if g.run.ExosomePeak > 0 {
			return fmt.Sprintf("Done: exosome peak in fraction %d (* marks the exosome-rich fractions)", g.run.ExosomePeak)
		}
		return "Done: every fraction drawn"
	}
	if g.run.Params.Mode == "rate-zonal" {
		return "Spin: particles separate by how fast they sediment (size and shape)"
	}
	return "Spin: particles move towards the depth where the medium is as dense as they are"
}

// layout computes the geometry for the canvas; it allocates.
func (v *gradientView) layout(widthPx, heightPx int, uiScale float64) {
	g := v.g
	v.widthPx, v.heightPx, v.ui, v.phase, v.caption = widthPx, heightPx, uiScale, g.phase, g.caption
	v.version++
	ui := math.Max(uiScale, 0.5)
	W, H := math.Max(float64(widthPx), 1), math.Max(float64(heightPx), 1)
	run := g.run
	pal := v.pal
	v.decor, v.labels = v.decor[:0], v.labels[:0]
	if pal.Background != Background { // the renderer clears to Background
		v.rect(0, 0, W, H, pal.Background)
	}
	v.first = len(v.decor) / 4

	v.barX0, v.barX1 = float32(12*ui), float32(math.Max(W-12*ui, 13*ui))
	v.barY0, v.barY1 = float32(6*ui), float32(9*ui)
	// In a protocol, the step's caption first and the run's lines below.
	y0 := 22 * ui
	if g.caption != "" {
		v.label(12*ui, y0, AlignLeft, g.caption, false)
		y0 += 16 * ui
	}
	v.label(12*ui, y0, AlignLeft, run.Rotor+"  swinging bucket, tube upright (radius grows downward), to scale", false)
	v.label(12*ui, y0+16*ui, AlignLeft, fmt.Sprintf("%s  %s  %s rpm  %s × g (r_avg)  %s min  %g °C  %s particles",
		run.Params.Mode, g.gr.Result.MediumName, thousands(run.RPM), thousands(run.RCFAvg), strconv.FormatFloat(run.Params.Minutes, 'g', 6, 64),
		roundTo(run.TemperatureC, 1), thousands(float64(g.Len()))), true)
	v.label(12*ui, y0+32*ui, AlignLeft, v.phaseCaption(), false)
	header, bottom := y0+64*ui, 14*ui

	top, bot := g.tubeM[0], g.tubeM[1]
	R := math.Sqrt(run.AreaM2 / math.Pi)
	left, right := 96*ui, 200*ui
	k := math.Min((H-header-bottom)/(bot-top), (W-left-right)/(4*R+30*ui/1e3))
	k = math.Max(k, 1e-3)
	v.k = k
	v.radPx = R * k
	v.xc = left + v.radPx
	v.yMen = header + (run.MeniscusM-top)*k
	v.yBot = header + (bot-top)*k
	yTop := header
	v.dx = 2*v.radPx + 30*ui // tube centre → collection column centre
	nf := run.Params.Fractions
	wall := math.Max(1.5*ui, 0.0006*k)

	// Dynamic quads first: medium cells, then collection boxes.
	n := len(run.CentersM)
	v.nCells, v.nBoxes = n, nf
	if cap(v.cellY) < n+1 {
		v.cellY = make([]float64, n+1)
	}
	v.cellY = v.cellY[:n+1]
	v.cellY[0], v.cellY[n] = v.yMen, v.yBot
	for i := 1; i < n; i++ {
		v.cellY[i] = v.yMen + ((run.CentersM[i-1]+run.CentersM[i])/2-run.MeniscusM)*k
	}
	for i := range n {
		v.rect(v.xc-v.radPx, v.cellY[i], v.xc+v.radPx, v.cellY[i+1], pal.Medium)
	}
	fy := func(j int) float64 { return v.yMen + float64(j)/float64(nf)*(v.yBot-v.yMen) }
	cx := v.xc + v.dx
	for j := range nf {
		v.rect(cx-v.radPx, fy(j), cx+v.radPx, fy(j+1), pal.Background)
	}
	// Static: the bar track, walls, meniscus, fraction boundaries.
	v.rect(float64(v.barX0), float64(v.barY0), float64(v.barX1), float64(v.barY1), pal.Track)
	v.rect(v.xc-v.radPx-wall, yTop-6*ui, v.xc-v.radPx, v.yBot+wall, pal.Wall)
	v.rect(v.xc+v.radPx, yTop-6*ui, v.xc+v.radPx+wall, v.yBot+wall, pal.Wall)
	v.rect(v.xc-v.radPx-wall, v.yBot, v.xc+v.radPx+wall, v.yBot+wall, pal.Wall)
	v.rect(v.xc-v.radPx, v.yMen, v.xc+v.radPx, v.yMen+math.Max(ui, 1), pal.Meniscus)
	for j := 0; j <= nf; j++ {
		y := fy(j)
		v.rect(v.xc+v.radPx+wall, y-0.5*ui, v.xc+v.radPx+wall+5*ui, y+0.5*ui, pal.Scale) // tick on the tube
		v.rect(cx-v.radPx, y-0.5*ui, cx+v.radPx, y+0.5*ui, pal.Dim)                      // box boundary
	}
	v.rect(cx-v.radPx-ui, v.yMen, cx-v.radPx, v.yBot, pal.Dim)
	v.rect(cx+v.radPx, v.yMen, cx+v.radPx+ui, v.yBot, pal.Dim)
	rich := map[int]bool{}
	for _, j := range run.ExosomeRich {
		rich[j] = true
		v.rect(cx+v.radPx+2*ui, fy(j-1)+ui, cx+v.radPx+5*ui, fy(j)-ui, pal.Bar)
	}
	// Fraction labels, as many as fit (at least 12 CSS px apart).
	step := max(1, int(math.Ceil(12*ui/((v.yBot-v.yMen)/float64(nf)))))
	for j := 1; j <= nf; j++ {
		if (j-1)%step != 0 && !rich[j] {
			continue
		}
		t := strconv.Itoa(j)
		if rich[j] {
			t += " *"
		}
		v.label(cx+v.radPx+8*ui, (fy(j-1)+fy(j))/2, AlignLeft, t, !rich[j])
	}
	v.label(cx, v.yMen-10*ui, AlignCenter, "fractions", true)
	v.label(v.xc, yTop-14*ui, AlignCenter, "tube", true)
	// Radius marks left of the tube.
	xs := v.xc - v.radPx - wall - 10*ui
	for _, e := range [2]struct {
		r    float64
		name string
	}{{run.MeniscusM, "meniscus"}, {run.BottomM, "bottom"}} {
		y := v.yMen + (e.r-run.MeniscusM)*k
		v.rect(xs, y-0.75*ui, xs+8*ui, y+0.75*ui, pal.Wall)
		v.label(xs-4*ui, y-8*ui, AlignRight, e.name, true)
		v.label(xs-4*ui, y+8*ui, AlignRight, fmt.Sprintf("r %g mm", roundTo(e.r*1e3, 1)), false)
	}
	// Density scale bar.
	xb := cx + v.radPx + 46*ui
	segs := 32
	for s := range segs {
		y0 := v.yMen + float64(s)/float64(segs)*(v.yBot-v.yMen)
		y1 := v.yMen + float64(s+1)/float64(segs)*(v.yBot-v.yMen)
		v.rect(xb, y0, xb+12*ui, y1, v.rampColor(v.rhoLo+(float64(s)+0.5)/float64(segs)*(v.rhoHi-v.rhoLo)))
	}
	v.label(xb, v.yMen-10*ui, AlignLeft, "density, g/mL", true)
	for _, q := range [3]float64{0, 0.5, 1} {
		y := v.yMen + q*(v.yBot-v.yMen)
		v.rect(xb+12*ui, y-0.5*ui, xb+16*ui, y+0.5*ui, pal.Scale)
		v.label(xb+19*ui, y, AlignLeft, strconv.FormatFloat((v.rhoLo+q*(v.rhoHi-v.rhoLo))/1e3, 'f', 3, 64), false)
	}

	// Particles.
	np := g.Len()
	area := (v.yBot - v.yMen) * 2 * v.radPx
	size := clamp(0.8*math.Sqrt(area/float64(np))*pal.ParticleScale, 1.5*ui*pal.ParticleScale, 5*ui*pal.ParticleScale)
	v.size = math.Min(size, v.radPx)
	v.inset = v.size / 2
	v.pelletPx = math.Max(3*v.size, 0.015*(v.yBot-v.yMen))
	if cap(v.verts) < 4*np {
		v.verts = make([]Vertex, 4*np)
	}
	v.verts = v.verts[:4*np]
	for i := range np {
		initQuad(v.verts[4*i:4*i+4], pal.Tint(g.colors[g.sp[i]]))
	}
}

// render returns the picture for the scene's current time; after the
// first layout at a size it does not allocate.
func (v *gradientView) render(widthPx, heightPx int, uiScale float64) Picture {
	g := v.g
	if v.version == 0 || v.widthPx != widthPx || v.heightPx != heightPx || v.ui != uiScale || v.phase != g.phase || v.caption != g.caption {
		v.layout(widthPx, heightPx, uiScale)
	}
	nf := g.run.Params.Fractions
	drawn, prog := g.Drawn()
	// The level drawn down to so far, px.
	level := v.yMen + (float64(drawn)+prog)/float64(nf)*(v.yBot-v.yMen)
	for i := range v.nCells {
		c := v.rampColor(g.snap.DensityKg[i])
		if v.cellY[i+1] <= level+1e-9 && (drawn > 0 || prog > 0) {
			c = v.pal.Background
		}
		setColor(v.decor, v.first+i, c)
	}
	for j := range v.nBoxes {
		c := v.pal.Background
		if j < drawn || (j == drawn && prog > 0) {
			c = v.rampColor(v.fracRho[j])
		}
		setColor(v.decor, v.first+v.nCells+j, c)
	}
	h := float32(v.size / 2)
	cHi := v.radPx - v.inset
	aLo, aHi := v.yMen+v.inset, v.yBot-v.inset
	for i := range g.sp {
		if !g.shown[g.sp[i]] { // a species not shown: an empty quad
			putQuad(v.verts[4*i:4*i+4], float32(v.xc), float32(v.yMen), 0)
			continue
		}
		x := v.xc + float64(g.across[i])*cHi
		var y float64
		switch g.st[i] {
		case gPelleted:
			y = aHi - float64(g.layer[i])*v.pelletPx
		case gFloated:
			y = aLo + float64(g.layer[i])*v.pelletPx
		default:
			y = clamp(v.yMen+(g.r[i]-g.run.MeniscusM)*v.k, aLo, aHi)
		}
		if j := int(g.endFrac[i]); j >= 0 && g.phase != PhaseSpin {
			if j < drawn {
				x += v.dx
			} else if j == drawn {
				x += v.dx * prog
			}
		}
		putQuad(v.verts[4*i:4*i+4], float32(x), float32(y), h)
	}
	p := 1.0
	if g.phase == PhaseSpin {
		p = g.tS / g.run.DurationS
	}
	x1 := v.barX0 + float32(clamp(p, 0, 1))*(v.barX1-v.barX0)
	putCorners(v.bar[:], [4]Point{{v.barX0, v.barY0}, {x1, v.barY0}, {v.barX0, v.barY1}, {x1, v.barY1}}, v.pal.Bar)
	return Picture{Decor: v.decor, Bar: v.bar[:], Particles: v.verts, Labels: v.labels, LabelsVersion: v.version,
		WidthPx: widthPx, HeightPx: heightPx, UIScale: uiScale, ProcessS: g.tS}
}
