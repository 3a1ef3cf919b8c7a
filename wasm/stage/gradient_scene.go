package stage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"exosep/engine/catalog"
	"exosep/engine/gradient"
	"exosep/wasm/bridge"
)

// Phases of a gradient animation (bridge.State.Phase): the spin, then the
// fractions drawn from the top one by one, then done.
const PhaseFractionate = "fractionate"

// FractionDrawS is how long drawing one fraction is shown, wall-clock
// seconds, for up to FractionateWallS / FractionDrawS fractions; more
// fractions share FractionateWallS.
const (
	FractionDrawS    = 0.5
	FractionateWallS = 6.0
)

// Particle states in a gradient scene.
const (
	gFree uint8 = iota
	gPelleted
	gFloated
)

// GradientScene animates one density-gradient run (package gradient):
// the swinging-bucket tube upright and to scale, shaded by the medium's
// density at each moment, particles of every species moving as the
// engine's Gaussian packets do, then the fractions drawn from the top.
//
// Particles are sampled once: per species present in the sample the same
// number (Animation.Particles shared out, so rare species stay visible;
// the picture shows where each goes, not their count ratio); each picks a
// quadrature node with probability proportional to its count and keeps a
// uniform draw u and a standard-normal draw z for the whole run. At time
// t, with the node's floated share f, pelleted share p and liquid packets
// (shares w_k, means m_k, σ_k, in the engine's order) from Run.At(t):
//
//	u < f            floated (at the meniscus; collected in fraction 1)
//	u ≥ 1 − p        pelleted (at the bottom)
//	otherwise        in packet k with f + Σ_{j<k} w_j ≤ u < f + Σ_{j≤k} w_j,
//	                 at r = m_k + σ_k·z
//
// so, over many particles, the shares pelleted and floated and each
// packet's mean and variance are the engine's, and one particle moves
// smoothly as its packet does (a particle changes packet only where a
// packet's share shrinks, i.e. where its mass reaches a wall).
type GradientScene struct {
	gr    *bridge.GradientRun
	run   *gradient.Run
	tubeM [2]float64 // tube top (r_min or the meniscus) and bottom radii, m

	ids    []string // species in the snapshot's order
	names  []string
	colors []RGBA
	shown  []bool // drawn (Animation.Species; all when empty); hidden ones are still counted

	// Per particle, fixed.
	sp, node []int32
	u, z     []float64
	across   []float32 // −1..1 across the tube
	layer    []float32 // 0..1 depth in the pellet or floated layer
	// Per particle, at the shown time.
	st      []uint8
	r       []float64 // radius when free, m
	endFrac []int16   // fraction (0-based) at the end of the spin; −1: pellet

	snap    gradient.Snapshot
	tS      float64 // process time, s
	phase   string
	fracS   float64 // wall-clock seconds into the fractionation
	playing bool
	due     bool
	part    int // tenths of the spin reported
	view    *gradientView
	scratch []float64 // band: density per medium cell
	// caption, in a protocol animation (see Sequence), is the line naming
	// the protocol step shown (or what it hands on); empty on its own.
	caption string
}

// NewGradientScene builds the animation of a computed run, playing (with
// reduced motion: its end state, fractions drawn).
func NewGradientScene(gr *bridge.GradientRun, cat *catalog.Catalog) (*GradientScene, error) {
	if gr == nil || gr.Run == nil {
		return nil, fmt.Errorf("no gradient run to animate")
	}
	run := gr.Run
	g := &GradientScene{gr: gr, run: run, phase: PhaseSpin, playing: true, due: true}
	g.tubeM = [2]float64{run.MeniscusM, run.BottomM}
	if r, err := cat.Rotors.Find(run.Rotor); err == nil && r.RMinM < run.MeniscusM {
		g.tubeM[0] = r.RMinM
	}
	g.snap = run.At(0)
	present := 0
	for _, ss := range g.snap.Species {
		c, ok := cat.SpeciesByID(ss.ID)
		col, okc := ParseColor(c.Color)
		if !ok || !okc {
			col = Unknown
		}
		name := ss.ID
		if ok {
			name = c.Short
		}
		g.ids, g.names, g.colors = append(g.ids, ss.ID), append(g.names, name), append(g.colors, col)
		g.shown = append(g.shown, len(gr.Animation.Species) == 0 || slices.Contains(gr.Animation.Species, ss.ID))
		if speciesCount(ss) > 0 {
			present++
		}
	}
	if present == 0 {
		return nil, fmt.Errorf("the sample holds no particles")
	}
	per := max(gr.Animation.Particles/present, 1)
	rng := rand.New(rand.NewPCG(gr.Animation.Seed, seedStream))
	for si, ss := range g.snap.Species {
		tot := speciesCount(ss)
		if !(tot > 0) {
			continue
		}
		for range per {
			x := rng.Float64() * tot
			ni := len(ss.Nodes) - 1
			for k, nd := range ss.Nodes {
				if x < nd.Count {
					ni = k
					break
				}
				x -= nd.Count
			}
			g.sp = append(g.sp, int32(si))
			g.node = append(g.node, int32(ni))
			g.u = append(g.u, rng.Float64())
			g.z = append(g.z, rng.NormFloat64())
			g.across = append(g.across, float32(2*rng.Float64()-1))
			g.layer = append(g.layer, float32(rng.Float64()))
		}
	}
	n := len(g.sp)
	g.st, g.r, g.endFrac = make([]uint8, n), make([]float64, n), make([]int16, n)
	g.place()
	end := run.At(run.DurationS)
	g.assignFractions(end)
	g.view = newGradientView(g)
	if gr.Animation.ReducedMotion {
		g.finish()
	}
	return g, nil
}

func speciesCount(ss gradient.SpeciesSnapshot) float64 {
	var t float64
	for _, nd := range ss.Nodes {
		t += nd.Count
	}
	return t
}

// Len is the number of particles drawn.
func (g *GradientScene) Len() int { return len(g.sp) }

// Run is the animated run (read it, do not change it).
func (g *GradientScene) Run() *gradient.Run { return g.run }

// Caption is the protocol step's line above the run's own ("" when the
// scene is shown on its own).
func (g *GradientScene) Caption() string { return g.caption }

// Phase is PhaseSpin, PhaseFractionate or PhaseDone.
func (g *GradientScene) Phase() string { return g.phase }

// TimeS is the process time shown, seconds.
func (g *GradientScene) TimeS() float64 { return g.tS }

// Drawn is how many fractions have been drawn, and the share of the one
// being drawn now (0..1).
func (g *GradientScene) Drawn() (int, float64) {
	switch g.phase {
	case PhaseSpin:
		return 0, 0
	case PhaseDone:
		return g.run.Params.Fractions, 0
	}
	x := g.fracS / g.drawS()
	k := int(x)
	if k >= g.run.Params.Fractions {
		return g.run.Params.Fractions, 0
	}
	return k, x - float64(k)
}

func (g *GradientScene) drawS() float64 {
	return math.Min(FractionDrawS, FractionateWallS/float64(g.run.Params.Fractions))
}

// Position returns particle i's state (free, pelleted, floated as
// "free", "pellet", "floated") and, when free, its radius in metres.
func (g *GradientScene) Position(i int) (string, float64) {
	switch g.st[i] {
	case gPelleted:
		return "pellet", 0
	case gFloated:
		return "floated", 0
	}
	return "free", g.r[i]
}

// Node returns particle i's species index (in the run's snapshot order)
// and node index.
func (g *GradientScene) Node(i int) (species, node int) { return int(g.sp[i]), int(g.node[i]) }

// place puts every particle where the snapshot's packets have it.
func (g *GradientScene) place() {
	for i := range g.sp {
		nd := &g.snap.Species[g.sp[i]].Nodes[g.node[i]]
		g.st[i], g.r[i] = locate(nd, g.u[i], g.z[i])
	}
}

// locate maps (u, z) to a state and radius for one node (see GradientScene).
func locate(nd *gradient.NodeSnapshot, u, z float64) (uint8, float64) {
	f, p := nd.FloatedShare, nd.PelletedShare
	if u < f {
		return gFloated, 0
	}
	if u >= 1-p || len(nd.Parts) == 0 {
		return gPelleted, 0
	}
	acc := f
	for k := range nd.Parts {
		pk := &nd.Parts[k]
		acc += pk.Share
		if u < acc || k == len(nd.Parts)-1 {
			return gFree, pk.MeanRadiusM + pk.SigmaM*z
		}
	}
	return gPelleted, 0 // not reached
}

// assignFractions records, from the end state, the fraction each particle
// is collected in (floated: fraction 1; pelleted: none).
func (g *GradientScene) assignFractions(end gradient.Snapshot) {
	nf := g.run.Params.Fractions
	L := g.run.BottomM - g.run.MeniscusM
	for i := range g.sp {
		st, r := locate(&end.Species[g.sp[i]].Nodes[g.node[i]], g.u[i], g.z[i])
		switch st {
		case gPelleted:
			g.endFrac[i] = -1
		case gFloated:
			g.endFrac[i] = 0
		default:
			j := int((r - g.run.MeniscusM) / L * float64(nf))
			g.endFrac[i] = int16(min(max(j, 0), nf-1))
		}
	}
}

// seek shows process time t (allocates: the engine's snapshot).
func (g *GradientScene) seek(t float64) {
	g.tS = t
	g.run.AtInto(t, &g.snap)
	g.place()
}

// Update advances one fixed tick: the spin (timeScale process seconds
// per second), then, on the next tick, the fractionation, then done.
func (g *GradientScene) Update(tickS float64) {
	if !g.playing || g.phase == PhaseDone || !(tickS > 0) {
		return
	}
	if g.gr.Animation.ReducedMotion {
		g.finish()
		return
	}
	d := g.run.DurationS
	switch g.phase {
	case PhaseSpin:
		if g.tS >= d {
			g.phase, g.fracS, g.due = PhaseFractionate, 0, true
			return
		}
		g.seek(math.Min(d, g.tS+tickS*g.gr.Animation.TimeScale))
		part := int(Milestones * g.tS / d)
		if g.tS >= d {
			part = Milestones
		}
		if part > g.part {
			g.part, g.due = part, true
		}
	case PhaseFractionate:
		g.fracS += tickS
		if g.fracS >= g.drawS()*float64(g.run.Params.Fractions) {
			g.phase, g.playing, g.due = PhaseDone, false, true
		}
	}
}

// finish shows the end: the spin's end state, every fraction drawn.
func (g *GradientScene) finish() {
	if g.tS != g.run.DurationS || g.snap.TimeS != g.run.DurationS {
		g.seek(g.run.DurationS)
	}
	g.phase, g.playing, g.part, g.due = PhaseDone, false, Milestones, true
}

// Play implements Scene: resumes; after the end it starts again.
func (g *GradientScene) Play() {
	if g.phase == PhaseDone {
		g.Reset()
	}
	g.playing, g.due = true, true
	if g.gr.Animation.ReducedMotion {
		g.finish()
	}
}

// Pause implements Scene.
func (g *GradientScene) Pause() { g.playing, g.due = false, true }

// Reset implements Scene: t = 0, no fraction drawn, paused.
func (g *GradientScene) Reset() {
	g.seek(0)
	g.phase, g.fracS, g.part, g.playing, g.due = PhaseSpin, 0, 0, false, true
}

// StateDue implements Scene: the start, each tenth of the spin, the
// fractionation's start, the end, play, pause and reset.
func (g *GradientScene) StateDue() bool {
	d := g.due
	g.due = false
	return d
}

// State implements Scene (allocates): the phase, the time, fractions
// drawn, and per species its particles on the stage and, from the engine
// at this time, where its band is and its shares pelleted and floated.
func (g *GradientScene) State() bridge.State {
	drawn, _ := g.Drawn()
	st := bridge.State{Phase: g.phase, Minutes: g.tS / 60, Playing: g.playing, Done: g.phase == PhaseDone,
		Drawn: drawn, Fractions: g.run.Params.Fractions, Species: make([]bridge.SpeciesState, len(g.ids)),
		ColorProfile: g.gr.Animation.ColorProfile, Shown: g.gr.Animation.Species}
	for si := range g.ids {
		st.Species[si].ID = g.ids[si]
	}
	for i := range g.sp {
		s := &st.Species[g.sp[i]]
		switch g.st[i] {
		case gFree:
			s.Free++
		case gPelleted:
			s.Pelleted++
		default:
			s.Floated++
		}
	}
	for si := range g.ids {
		s := &st.Species[si]
		s.PeakFraction, s.PeakDensityGPerML, s.PelletedShare, s.FloatedShare = g.band(si)
	}
	return st
}

// band finds, in the snapshot, where species si is most concentrated in
// the liquid (the medium cell where the sum of its packets' Gaussians is
// largest, each packet summed over the cells within 5σ of its mean, σ at
// least half a cell): that cell's fraction (1-based) and medium density,
// g/mL; and the species' shares pelleted and floated (by count).
func (g *GradientScene) band(si int) (frac int, densityGPerML, pelleted, floated float64) {
	ss := &g.snap.Species[si]
	centres := g.snap.CentersM
	men, bot := g.snap.MeniscusM, g.snap.BottomM
	nc := len(centres)
	h := (bot - men) / float64(nc)
	if cap(g.scratch) < nc {
		g.scratch = make([]float64, nc)
	}
	dens := g.scratch[:nc]
	clear(dens)
	var tot float64
	for ni := range ss.Nodes {
		nd := &ss.Nodes[ni]
		tot += nd.Count
		pelleted += nd.Count * nd.PelletedShare
		floated += nd.Count * nd.FloatedShare
		for _, pk := range nd.Parts {
			sig := math.Max(pk.SigmaM, h/2)
			w := nd.Count * pk.Share / sig
			lo := max(int((pk.MeanRadiusM-5*sig-men)/h), 0)
			hi := min(int((pk.MeanRadiusM+5*sig-men)/h)+1, nc)
			for ci := lo; ci < hi; ci++ {
				x := (centres[ci] - pk.MeanRadiusM) / sig
				dens[ci] += w * math.Exp(-x*x/2)
			}
		}
	}
	if tot > 0 {
		pelleted, floated = pelleted/tot, floated/tot
	}
	best, bi := 0.0, -1
	for ci, d := range dens {
		if d > best {
			best, bi = d, ci
		}
	}
	if bi < 0 {
		return 0, 0, pelleted, floated
	}
	nf := g.run.Params.Fractions
	frac = min(int((centres[bi]-men)/(bot-men)*float64(nf)), nf-1) + 1
	return frac, g.snap.DensityKg[bi] / 1e3, pelleted, floated
}

// Render implements Scene.
func (g *GradientScene) Render(widthPx, heightPx int, uiScale float64) Picture {
	return g.view.render(widthPx, heightPx, uiScale)
}

var _ Scene = (*GradientScene)(nil)
