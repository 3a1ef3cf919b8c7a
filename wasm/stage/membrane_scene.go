package stage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"exosep/engine/catalog"
	"exosep/engine/filter"
	"exosep/wasm/bridge"
)

// Fates of a particle drawn on the membrane stage.
const (
	FatePassed   uint8 = iota // through a pore into the permeate
	FateDamaged               // passed, ruptured squeezing through
	FateRetained              // turned back: stays in the retentate
	FateLodged                // trapped: wedged in a pore mouth
	FateCake                  // trapped: in the unrecovered deposit
)

// Timing of the membrane animation, as shares of a step's process time:
// a particle starts towards the membrane approachShare before its event,
// crosses the membrane in transitShare and settles in the permeate (or
// returns to the bulk) in approachShare. stepHoldS is the wall-clock pause
// between membrane steps.
const (
	approachShare = 0.06
	transitShare  = 0.03
	stepHoldS     = 0.8
	// tffCycles is how often a bulk particle crosses the window with the
	// cross-flow during one step (the retentate recirculates).
	tffCycles = 3
)

// membraneStep is one membrane step's fixed picture: pores (centre and
// radius, nm) and the range of its particles in the scene's arrays.
type membraneStep struct {
	st         bridge.FiltrationStage
	durationS  float64
	timeScale  float64
	windowNM   float64 // width of the window shown, nm
	poreX      []float64
	poreR      []float64
	first, end int   // particles [first, end)
	species    []int // scene species indices present, in order
	engine     []bridge.SpeciesFiltered
	membranePa float64
}

// MembraneScene animates the membrane steps of a filtration run (package
// filter through the protocol engine) in turn: a zoomed cross-section of
// the membrane with pores drawn to scale (radii from the run's
// equal-probability sample of the lognormal pore distribution), particles
// approaching with the flow and, at their event time, passing through a
// pore (squeezed, drawn elongated, when a vesicle larger than the pore is
// pushed through), turned back into the retentate, wedged in a pore mouth
// or laid down in the deposit (cake), whose thickness is the engine's at
// the time shown, on the same scale. In tangential flow the bulk drifts
// parallel to the membrane and wraps round (recirculation).
//
// Particles are sampled once per step: the same number per species
// present (Animation.Particles shared out, so rare species stay visible);
// each picks one of its species' particle classes with probability
// proportional to the class's count, and a uniform u decides its fate
// from that class's fractions in the engine's result:
//
//	u < damaged                      passed, damaged
//	u < passed                       passed
//	u < passed + lodged              lodged (trapped)
//	u < passed + trapped             deposit (trapped)
//	otherwise                        retained
//
// so the drawn shares per species are the engine's count-weighted
// fractions up to sampling noise (binomial, tested). Its event time is
// when the permeate reaches a uniform share of its final volume (from the
// run's Series), so events follow the flux: fast at first, slow as the
// membrane fouls. The pore a passing particle takes is drawn from the
// pores PoreFate lets it through, weighted by flow (r⁴) and sieving; a
// lodged particle takes a pore it wedges in (1 ≤ λ < wedge ratio) when
// one is drawn.
type MembraneScene struct {
	run    *bridge.FiltrationRun
	steps  []membraneStep
	ids    []string
	colors []RGBA
	shown  []bool // drawn (Animation.Species; all when empty); hidden ones are still sampled and counted

	// Per particle, fixed.
	sp       []int16 // scene species index
	fate     []uint8
	pore     []int16
	te       []float64 // event time, process s
	x0, y0   []float32 // bulk position: nm across, 0..1 down the bulk
	yPerm    []float32 // 0..1 down the permeate
	phase    []float32 // wobble phase
	sizeNM   []float32 // diameter
	squeezed []bool

	cur     int     // step shown
	tS      float64 // process time within the step
	holdS   float64 // wall seconds waited after a step's end
	done    bool
	playing bool
	due     bool
	part    int // tenths of the step reported
	view    *membraneView
	// caption, when set (a protocol animation, see Sequence), replaces
	// the step's title line.
	caption string
}

// NewMembraneScene builds the animation of a computed filtration run,
// playing (with reduced motion: the end of its last membrane step).
func NewMembraneScene(run *bridge.FiltrationRun, cat *catalog.Catalog) (*MembraneScene, error) {
	if run == nil || len(run.Stages) == 0 {
		return nil, fmt.Errorf("no membrane step to animate")
	}
	m := &MembraneScene{run: run, playing: true, due: true}
	rng := rand.New(rand.NewPCG(run.Animation.Seed, seedStream))
	spIndex := map[string]int{}
	for si, st := range run.Stages {
		res := st.Res
		if res == nil || len(res.Series) == 0 || len(res.Particles) != len(st.Params.Particles) {
			return nil, fmt.Errorf("membrane step %d has no complete result", si+1)
		}
		ms := membraneStep{st: st, durationS: res.Series[len(res.Series)-1].TimeS, engine: bridge.SpeciesOf(res, st.Params),
			membranePa: res.Series[0].MembranePressureKPa * 1e3}
		if !(ms.durationS > 0) {
			ms.durationS = 1
		}
		ms.timeScale = run.Animation.TimeScale
		if ms.timeScale == 0 {
			ms.timeScale = ms.durationS / bridge.FiltrationStepWallS
		}
		m.layPores(&ms, rng)
		// Species present, and their classes.
		present := 0
		for _, e := range ms.engine {
			if e.Count > 0 {
				present++
			}
		}
		if present == 0 {
			return nil, fmt.Errorf("membrane step %d: the sample holds no particles", si+1)
		}
		per := max(run.Animation.Particles/present, 1)
		ms.first = len(m.sp)
		for _, e := range ms.engine {
			if !(e.Count > 0) {
				continue
			}
			k, ok := spIndex[e.ID]
			if !ok {
				k = len(m.ids)
				spIndex[e.ID] = k
				col := Unknown
				if c, ok := cat.SpeciesByID(e.ID); ok {
					if cc, ok := ParseColor(c.Color); ok {
						col = cc
					}
				}
				m.ids, m.colors = append(m.ids, e.ID), append(m.colors, col)
				m.shown = append(m.shown, bridge.Shows(run.Animation.Species, e.ID))
			}
			ms.species = append(ms.species, k)
			var classes []int
			for ci, pr := range res.Particles {
				if pr.Species == e.ID && pr.Count > 0 {
					classes = append(classes, ci)
				}
			}
			for range per {
				m.sample(&ms, k, classes, e.Count, rng)
			}
		}
		ms.end = len(m.sp)
		m.steps = append(m.steps, ms)
	}
	m.view = newMembraneView(m)
	if run.Animation.ReducedMotion {
		m.finish()
	}
	return m, nil
}

// layPores chooses the pores drawn in a step's window: the window is 60
// median pore diameters wide (0.8–20 µm), holding porosity × width / mean
// diameter pores (6–48), radii drawn from the run's pore-radius sample.
func (m *MembraneScene) layPores(ms *membraneStep, rng *rand.Rand) {
	res, mem := ms.st.Res, ms.st.Params.Membrane
	rMed := mem.PoreRadiusM * 1e9
	ms.windowNM = clamp(120*rMed, 800, 20000)
	radii := res.PoreRadiiNM
	if len(radii) == 0 {
		radii = []float64{rMed}
	}
	var mean float64
	for _, r := range radii {
		mean += r
	}
	mean /= float64(len(radii))
	n := int(clamp(math.Round(mem.Porosity*ms.windowNM/(2*mean)), 6, 48))
	pitch := ms.windowNM / float64(n)
	for j := range n {
		r := radii[rng.IntN(len(radii))]
		r = math.Min(r, 0.45*pitch) // a pore never overlaps its neighbours
		free := pitch/2 - r
		ms.poreX = append(ms.poreX, (float64(j)+0.5)*pitch+(2*rng.Float64()-1)*0.6*free)
		ms.poreR = append(ms.poreR, r)
	}
}

// sample adds one particle of scene species k to the step: its class
// (by count), fate (by the class's fractions), event time, pore and
// positions.
func (m *MembraneScene) sample(ms *membraneStep, k int, classes []int, total float64, rng *rand.Rand) {
	res, p := ms.st.Res, ms.st.Params
	x := rng.Float64() * total
	ci := classes[len(classes)-1]
	for _, c := range classes {
		if x < res.Particles[c].Count {
			ci = c
			break
		}
		x -= res.Particles[c].Count
	}
	pr := res.Particles[ci]
	u := rng.Float64()
	var f uint8
	switch {
	case u < pr.DamagedFraction:
		f = FateDamaged
	case u < pr.PassedFraction:
		f = FatePassed
	case u < pr.PassedFraction+pr.LodgedFraction:
		f = FateLodged
	case u < pr.PassedFraction+pr.TrappedFraction:
		f = FateCake
	default:
		f = FateRetained
	}
	d := pr.DiameterNM
	pore, squeezed := m.choosePore(ms, f, d, p.Particles[ci].Deformable, p, rng)
	m.sp = append(m.sp, int16(k))
	m.fate = append(m.fate, f)
	m.pore = append(m.pore, int16(pore))
	m.te = append(m.te, eventTime(res.Series, rng.Float64()))
	m.x0 = append(m.x0, float32(rng.Float64()*ms.windowNM))
	m.y0 = append(m.y0, float32(0.08+0.84*rng.Float64()))
	m.yPerm = append(m.yPerm, float32(0.25+0.7*rng.Float64()))
	m.phase = append(m.phase, float32(2*math.Pi*rng.Float64()))
	m.sizeNM = append(m.sizeNM, float32(d))
	m.squeezed = append(m.squeezed, squeezed)
}

// choosePore picks the drawn pore a particle goes to, and whether it is
// squeezed through it (see MembraneScene).
func (m *MembraneScene) choosePore(ms *membraneStep, f uint8, dNM float64, deformable bool, p filter.Params, rng *rand.Rand) (int, bool) {
	n := len(ms.poreR)
	switch f {
	case FatePassed, FateDamaged:
		var w [48]float64
		var tot float64
		for j, r := range ms.poreR {
			fate := filter.PoreFate(dNM*1e-9, r*1e-9, deformable, ms.membranePa, p.ViscosityPas, p.TemperatureC, p.Process)
			w[j] = fate.Pass * r * r * r * r
			tot += w[j]
		}
		if tot > 0 {
			x := rng.Float64() * tot
			for j := range n {
				if x < w[j] || j == n-1 {
					return j, dNM > 2*ms.poreR[j]
				}
				x -= w[j]
			}
		}
		// No drawn pore lets it through: it took a larger pore of the
		// distribution's tail; drawn through the largest one shown.
		big := 0
		for j, r := range ms.poreR {
			if r > ms.poreR[big] {
				big = j
			}
		}
		return big, dNM > 2*ms.poreR[big]
	case FateLodged:
		best, bestL := -1, math.Inf(1)
		for j, r := range ms.poreR {
			l := dNM / 2 / r
			if l >= 1 && l < p.Process.WedgeRatio && l < bestL {
				best, bestL = j, l
			}
		}
		if best >= 0 {
			return best, false
		}
	}
	return rng.IntN(n), false
}

// eventTime is the time at which the permeate reaches share a of its
// final volume (linear between the series' samples).
func eventTime(series []filter.Sample, a float64) float64 {
	last := series[len(series)-1]
	v := a * last.PermeateML
	if !(last.PermeateML > 0) {
		return a * last.TimeS
	}
	k := sort.Search(len(series), func(i int) bool { return series[i].PermeateML >= v })
	if k == 0 {
		return series[0].TimeS
	}
	if k >= len(series) {
		return last.TimeS
	}
	s0, s1 := series[k-1], series[k]
	if s1.PermeateML <= s0.PermeateML {
		return s1.TimeS
	}
	return s0.TimeS + (v-s0.PermeateML)/(s1.PermeateML-s0.PermeateML)*(s1.TimeS-s0.TimeS)
}

// Len is the number of particles drawn in all steps.
func (m *MembraneScene) Len() int { return len(m.sp) }

// Steps is the number of membrane steps; Current the one shown (0-based).
func (m *MembraneScene) Steps() int   { return len(m.steps) }
func (m *MembraneScene) Current() int { return m.cur }

// EnginePhase is the engine's phase of the current step at the time
// shown: "filtration", "concentration" or "diafiltration".
func (m *MembraneScene) EnginePhase() string { return m.steps[m.cur].st.Res.At(m.tS).Phase }

// TimeS is the process time within the current step, seconds.
func (m *MembraneScene) TimeS() float64 { return m.tS }

// Done reports whether the last step has ended.
func (m *MembraneScene) Done() bool { return m.done }

// Pores returns the current step's drawn pores (centres and radii, nm)
// and the window width, nm.
func (m *MembraneScene) Pores() (xNM, rNM []float64, windowNM float64) {
	s := &m.steps[m.cur]
	return s.poreX, s.poreR, s.windowNM
}

// Particles returns the range [first, end) of step k's particles.
func (m *MembraneScene) Particles(k int) (first, end int) { return m.steps[k].first, m.steps[k].end }

// Particle returns particle i's species id, fate, pore, diameter (nm),
// whether it is squeezed through its pore, and its event time (s).
func (m *MembraneScene) Particle(i int) (id string, fate uint8, pore int, dNM float64, squeezed bool, teS float64) {
	return m.ids[m.sp[i]], m.fate[i], int(m.pore[i]), float64(m.sizeNM[i]), m.squeezed[i], m.te[i]
}

// Update advances one fixed tick: the current step's process time at its
// time scale; at its end, after stepHoldS, the next step; after the last,
// done.
func (m *MembraneScene) Update(tickS float64) {
	if !m.playing || m.done || !(tickS > 0) {
		return
	}
	if m.run.Animation.ReducedMotion {
		m.finish()
		return
	}
	s := &m.steps[m.cur]
	if m.tS >= s.durationS {
		m.holdS += tickS
		if m.holdS < stepHoldS {
			return
		}
		if m.cur+1 >= len(m.steps) {
			m.done, m.playing, m.due = true, false, true
			return
		}
		m.cur++
		m.tS, m.holdS, m.part, m.due = 0, 0, 0, true
		return
	}
	m.tS = math.Min(s.durationS, m.tS+tickS*s.timeScale)
	part := int(Milestones * m.tS / s.durationS)
	if m.tS >= s.durationS {
		part = Milestones
	}
	if part > m.part {
		m.part, m.due = part, true
	}
}

// finish shows the end of the last step.
func (m *MembraneScene) finish() {
	m.cur = len(m.steps) - 1
	m.tS = m.steps[m.cur].durationS
	m.done, m.playing, m.part, m.due = true, false, Milestones, true
}

// Play implements Scene: resumes; after the end it starts again.
func (m *MembraneScene) Play() {
	if m.done {
		m.Reset()
	}
	m.playing, m.due = true, true
	if m.run.Animation.ReducedMotion {
		m.finish()
	}
}

// Pause implements Scene.
func (m *MembraneScene) Pause() { m.playing, m.due = false, true }

// Reset implements Scene: the first step at t = 0, paused.
func (m *MembraneScene) Reset() {
	m.cur, m.tS, m.holdS, m.part, m.done, m.playing, m.due = 0, 0, 0, 0, false, false, true
}

// StateDue implements Scene: the start, each tenth of a step, a new step,
// the end, play, pause and reset.
func (m *MembraneScene) StateDue() bool {
	d := m.due
	m.due = false
	return d
}

// State implements Scene (allocates): the step, the engine's phase, flux,
// volumes, deposit and plugged pores at the time shown, and per species
// what its drawn particles have done so far beside the engine's
// fractions. Hidden species (Animation.Species) are counted all the same;
// ColorProfile and Shown echo the display settings.
func (m *MembraneScene) State() bridge.State {
	s := &m.steps[m.cur]
	smp := s.st.Res.At(m.tS)
	phase := smp.Phase
	if m.done {
		phase = PhaseDone
	}
	fs := &bridge.FiltrationState{Step: s.st.Step, Of: s.st.Of, Name: s.st.Name, Stage: m.cur + 1, Stages: len(m.steps), Phase: phase,
		Minutes: m.tS / 60, FluxLMH: smp.FluxLMH, PermeateML: smp.PermeateML, RetentateML: smp.RetentateML,
		CakeThicknessNM: smp.CakeThicknessNM, PoresBlockedFraction: smp.PoresBlockedFraction}
	at := map[int]int{}
	for _, k := range s.species {
		at[k] = len(fs.Species)
		sst := bridge.FiltrationSpeciesState{ID: m.ids[k]}
		for _, e := range s.engine {
			if e.ID == m.ids[k] {
				sst.EnginePassed, sst.EngineRetained, sst.EngineTrapped = e.Passed, e.Retained, e.Trapped
			}
		}
		fs.Species = append(fs.Species, sst)
	}
	for i := s.first; i < s.end; i++ {
		c := &fs.Species[at[int(m.sp[i])]]
		c.Drawn++
		if m.te[i] > m.tS {
			c.Waiting++
			continue
		}
		switch m.fate[i] {
		case FateDamaged:
			c.Passed++
			c.Damaged++
		case FatePassed:
			c.Passed++
		case FateRetained:
			c.Retained++
		default:
			c.Trapped++
		}
	}
	return bridge.State{Step: s.st.Step, Phase: phase, Minutes: m.tS / 60, Playing: m.playing, Done: m.done,
		Species: []bridge.SpeciesState{}, Filtration: fs,
		ColorProfile: m.run.Animation.ColorProfile, Shown: m.run.Animation.Species}
}

// Render implements Scene.
func (m *MembraneScene) Render(widthPx, heightPx int, uiScale float64) Picture {
	return m.view.render(widthPx, heightPx, uiScale)
}

var _ Scene = (*MembraneScene)(nil)
