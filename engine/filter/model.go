package filter

import (
	"math"
	"sync"
)

// model is the static part of one run: the pore classes, and for each
// particle class the pore classes where it is held back, squeezes through,
// ruptures, may wedge or fits (package doc, "Particles at a pore").
//
// The pore radii are sorted, smallest first, so λ = a/r falls with the
// class index j and each regime is a contiguous run of classes:
//
//	j < jFit           λ ≥ 1: a rigid particle is held back; a vesicle
//	                   squeezes through where ΔP > 2τ(1/r − 1/a), a
//	                   threshold falling with r, so at a given ΔP it
//	                   passes the classes from some jb up to jFit
//	j < jRupt          a squeezed vesicle ruptures (its area strain falls
//	                   with r)
//	jWedge ≤ j < jFit  a held-back particle may wedge (λ < wedge ratio)
//	j ≥ jFit           λ < 1: hindered transport (rigid) or free passage
//	                   (a vesicle deforms rather than being excluded)
//
// With prefix sums of the open flow over the classes, every sum the
// sieving coefficients need is a difference of two prefix sums, except
// the hindered transport of rigid particles through pores they fit, a dot
// product with the static convective coefficients W. (Per-particle data
// are arrays of structs: in wasm each slice access costs a bounds check
// and a reload of the slice header.)
type model struct {
	p                   Params
	classes             []PoreClass
	nc, np              int
	rm0, eta, tmp, area float64
	cakeK               float64 // R_c = cakeK·s²/v
	tff                 bool
	tension2            float64 // 2τ
	pc                  []poreClass
	pt                  []particle
	vesicles, rigidFit  []int // class indices by kind
	rigidHeld           []int
	fitW, fitPe         []float64 // rigid classes: W and Pe/ΔP at the pore classes they fit (fitPe filled when first needed)
	lodgeDPm            float64   // ΔP at which pc[].odds was computed
	wSum, gSum          []float64 // prefix sums of the open flow share and of it × lodging odds (nc+1)
	h0, h1, d0, d1      []float64 // work space (nc+1)
	mv                  []move    // work space (np)
	mem                 scratch
}

// poreClass is the static and per-evaluation data of one pore class.
type poreClass struct {
	flow, number float64 // shares of the clean flow and of the pores
	pores        float64 // pores of the class on the module
	invR         float64 // 1/r
	radius       float64
	odds         float64 // lodging odds at lodgeDPm
}

// particle is the static data of one particle class.
type particle struct {
	n0, vol, surf, kMass, inva float64
	peLow                      float64 // rigid: a lower bound of Pe/ΔP over the pore classes it fits
	jFit, jWedge, jRupt        int
	fitOff                     int // rigid: its W and Pe/ΔP from fitW[fitOff], fitPe[fitOff] (class jFit first)
	jbLast                     int // vesicles: jb of the last evaluation (where the next scan starts)
	deform, peDone             bool
}

// move is one class's share of a step (work space of advance).
type move struct{ removed, pass, coef0, coef1 float64 }

// pecletFastLambda bounds the shortcut of newModel: below it W/H ≥ 1
// (hindered convection is never slower than hindered diffusion; tested
// on a fine grid), so Pe ≥ ΔP·r²/(8μD). Between it and 1 the stated
// linear interpolation of H makes W/H dip below 1, and H ≤ 1 gives only
// Pe ≥ W·ΔP·r²/(8μD).
const pecletFastLambda = 0.999

// scratch is a model's memory, kept from run to run (models).
type scratch struct {
	f      []float64
	pc     []poreClass
	pt     []particle
	mv     []move
	kinds  []int
	states [3]*state
	rates  [3]*rates
}

// models keeps the memory of finished runs for the next (a page recomputes
// a protocol on every edit; allocating it anew is a large share of a short
// run in wasm).
var models sync.Pool

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// newModel precomputes the static figures of a run, reusing a finished
// run's memory when there is one (hand it back with release).
func newModel(p Params) *model {
	mb, md, pr := p.Membrane, p.Module, p.Process
	classes := mb.PoreClasses()
	nc, np := len(classes), len(p.Particles)
	m, _ := models.Get().(*model)
	if m == nil {
		m = &model{}
	}
	*m = model{p: p, classes: classes, nc: nc, np: np, rm0: mb.ResistancePerM(), eta: p.ViscosityPas, tmp: p.TMPPa,
		area: md.AreaM2, tff: md.Mode == Tangential, tension2: 2 * pr.LysisTensionNPerM,
		cakeK:    5 * (1 - pr.CakePorosity) / (pr.CakePorosity * pr.CakePorosity * pr.CakePorosity),
		lodgeDPm: math.NaN(), mem: m.mem}
	w := &m.mem
	w.pc, w.pt, w.mv = resize(w.pc, nc), resize(w.pt, np), resize(w.mv, np)
	m.pc, m.pt, m.mv = w.pc, w.pt, w.mv
	w.kinds = w.kinds[:0]
	poresTotal := mb.PoreDensityPerM2() * m.area
	for j, c := range classes {
		m.pc[j] = poreClass{flow: c.FlowShare, number: c.NumberShare, pores: poresTotal * c.NumberShare, invR: 1 / c.RadiusM, radius: c.RadiusM}
	}
	gamma := p.ShearRatePerS
	if gamma == 0 {
		gamma = pr.DefaultShearRatePerS
	}
	nFit := 0
	for i, in := range p.Particles {
		a := in.DiameterM / 2
		q := &m.pt[i]
		*q = particle{n0: in.Count, vol: math.Pi / 6 * in.DiameterM * in.DiameterM * in.DiameterM, surf: math.Pi * in.DiameterM * in.DiameterM,
			inva: 1 / a, deform: in.Deformable}
		if m.tff {
			q.kMass = Leveque(gamma, StokesEinsteinD(a, p.ViscosityPas, p.TemperatureC), md.FibreLengthM)
		}
		jFit, jWedge := nc, nc
		for j := nc - 1; j >= 0; j-- {
			l := a / classes[j].RadiusM
			if l < 1 {
				jFit = j
			}
			if l < pr.WedgeRatio {
				jWedge = j
			}
		}
		q.jFit, q.jWedge = jFit, min(jWedge, jFit)
		if in.Deformable {
			for j := 0; j < jFit; j++ {
				if SqueezeAreaStrain(a, classes[j].RadiusM) > pr.LysisAreaStrain {
					q.jRupt = j + 1
				}
			}
			q.jbLast = jFit
			continue
		}
		q.fitOff = nFit
		nFit += nc - jFit
	}
	// Class indices by kind: vesicles, rigid classes fitting some pores,
	// rigid classes held back everywhere.
	for i := range m.pt {
		if m.pt[i].deform {
			w.kinds = append(w.kinds, i)
		}
	}
	nv := len(w.kinds)
	for i := range m.pt {
		if !m.pt[i].deform && m.pt[i].jFit < nc {
			w.kinds = append(w.kinds, i)
		}
	}
	nf := len(w.kinds)
	for i := range m.pt {
		if !m.pt[i].deform && m.pt[i].jFit == nc {
			w.kinds = append(w.kinds, i)
		}
	}
	m.vesicles, m.rigidFit, m.rigidHeld = w.kinds[:nv], w.kinds[nv:nf], w.kinds[nf:]
	w.f = resize(w.f, 2*nFit+6*(nc+1))
	m.fitW, m.fitPe = w.f[:nFit], w.f[nFit:2*nFit]
	f := w.f[2*nFit:]
	m.wSum, m.gSum, m.h0, m.h1, m.d0, m.d1 = f[:nc+1], f[nc+1:2*nc+2], f[2*nc+2:3*nc+3], f[3*nc+3:4*nc+4], f[4*nc+4:5*nc+5], f[5*nc+5:6*nc+6]
	for i, in := range p.Particles {
		q := &m.pt[i]
		if in.Deformable {
			continue
		}
		a := in.DiameterM / 2
		D := StokesEinsteinD(a, p.ViscosityPas, p.TemperatureC)
		low := math.Inf(1)
		for j := q.jFit; j < nc; j++ {
			r := classes[j].RadiusM
			l := a / r
			wc := Convective(l)
			m.fitW[q.fitOff+j-q.jFit] = wc
			// Pe/ΔP = (W/H)·r²/(8μD) ≥ r²/(8μD) where W/H ≥ 1, else ≥ W·r²/(8μD) (H ≤ 1).
			b := r * r / (8 * p.ViscosityPas * D)
			if l > pecletFastLambda {
				b *= wc
			}
			if b < low {
				low = b
			}
		}
		q.peLow = low
	}
	return m
}

// release hands the model's memory to the next run.
func (m *model) release() {
	m.p, m.classes = Params{}, nil
	models.Put(m)
}

// pecletCoefficients fills fitPe for rigid class i: Pe = fitPe·ΔP at each
// pore class it fits (Deen 1987: Pe = (W/H)·v·L/D∞ with v = ΔP r²/(8μL)).
func (m *model) pecletCoefficients(i int) {
	q := &m.pt[i]
	a := m.p.Particles[i].DiameterM / 2
	D := StokesEinsteinD(a, m.eta, m.p.TemperatureC)
	for j := q.jFit; j < m.nc; j++ {
		r := m.classes[j].RadiusM
		k := q.fitOff + j - q.jFit
		if h := Diffusive(a / r); h > 0 {
			m.fitPe[k] = m.fitW[k] / h * r * r / (8 * m.eta * D)
		} else {
			m.fitPe[k] = math.Inf(1)
		}
	}
	q.peDone = true
}

// pstate is one particle class in a state: in the bulk, passed, lodged in
// pores, deposited, and damaged (within passed).
type pstate struct{ bulk, passed, lodged, cake, damaged float64 }

// state is the run's state after some permeate.
type state struct {
	v, t, vr, buffer                      float64 // permeate, time, retentate, buffer added
	pt                                    []pstate
	open                                  []float64 // open share of each pore class
	solidsM3PerM2, surfaceM2PerM2         float64   // the deposit's particle volume and surface per area
	qo, rm, rc, j, dPm                    float64   // hydraulics (setHydraulics)
	blockedNumber, blockedFlow, cakeThick float64   // for the series (setHydraulics)
}

// state returns the model's k-th state (0–2), zeroed.
func (m *model) state(k int) *state {
	s := m.mem.states[k]
	if s == nil {
		s = &state{}
		m.mem.states[k] = s
	}
	*s = state{pt: resize(s.pt, m.np), open: resize(s.open, m.nc)}
	return s
}

func (s *state) copyFrom(o *state) {
	pt, op := s.pt, s.open
	*s = *o
	s.pt, s.open = pt, op
	copy(s.pt, o.pt)
	copy(s.open, o.open)
}

// setHydraulics computes the flux and resistances of the state: resistances
// in series, J = TMP/(μ(R_m/q_o + R_c)), q_o = Σ q_j o_j the open share of
// the clean flow, R_c = 5(1 − ε_c)/ε_c³·s²/v (Carman–Kozeny); the pressure
// across the membrane itself is J·μ·R_m/q_o.
func (m *model) setHydraulics(s *state) {
	var qo, blockedN, blockedF float64
	open := s.open[:len(m.pc)]
	for j := range m.pc {
		c := &m.pc[j]
		qo += c.flow * open[j]
		blockedN += c.number * (1 - open[j])
		blockedF += c.flow * (1 - open[j])
	}
	s.qo, s.blockedNumber, s.blockedFlow = qo, blockedN, blockedF
	s.rm = math.Inf(1)
	if qo > 0 {
		s.rm = m.rm0 / qo
	}
	s.rc = 0
	if s.solidsM3PerM2 > 0 {
		s.rc = m.cakeK * s.surfaceM2PerM2 * s.surfaceM2PerM2 / s.solidsM3PerM2
	}
	s.j = m.tmp / (m.eta * (s.rm + s.rc))
	s.dPm = s.j * m.eta * s.rm
	if qo <= 0 {
		s.j, s.dPm = 0, m.tmp
	}
	s.cakeThick = s.solidsM3PerM2 / (1 - m.p.Process.CakePorosity)
}

// rates are what each particle class does per unit exposure x = ∫dV/V_R in
// one state (prate), and per pore class the open flow share w and
// g = w × lodging odds.
type rates struct {
	pt   []prate
	w, g []float64
	// dq, ds, dv: the open flow share's and the deposit's particle surface
	// and volume per area, per unit exposure (slopes for the time
	// quadrature; plugging not capped).
	dq, ds, dv float64
}

// prate is one particle class's rates: the observed sieving coefficient s
// (what passes), lodge l and deposit c (what leaves the bulk onto the
// membrane), damage d (the ruptured share of what passes, times s); where
// it lodges: pore classes [lo, hi) in proportion to g, lt per unit of g;
// and the membrane's sieving coefficient trans.
type prate struct {
	s, l, c, d, lt, trans float64
	lo, hi                int
}

// rateSet returns the model's k-th rate set (0–2).
func (m *model) rateSet(k int) *rates {
	r := m.mem.rates[k]
	if r == nil {
		r = &rates{}
		m.mem.rates[k] = r
	}
	r.pt, r.w, r.g = resize(r.pt, m.np), resize(r.w, m.nc), resize(r.g, m.nc)
	return r
}

// evaluate fills r for state s (setHydraulics done): the membrane's
// sieving coefficient of each class, flow-weighted over the open pore
// classes (package doc), polarisation (tff), and the split of what leaves
// the bulk.
func (m *model) evaluate(s *state, r *rates) {
	nc := m.nc
	dPm := s.dPm
	pc := m.pc[:nc]
	if dPm != m.lodgeDPm {
		for j := range pc {
			pc[j].odds = LodgeProbability(pc[j].radius, dPm, m.p.TemperatureC)
		}
		m.lodgeDPm = dPm
	}
	W, G := m.wSum[:nc+1], m.gSum[:nc+1]
	rw, rg, open := r.w[:nc], r.g[:nc], s.open[:nc]
	W[0], G[0] = 0, 0
	inv := 0.0
	if s.qo > 0 {
		inv = 1 / s.qo
	}
	var sw, sg float64
	for j := range pc {
		w := pc[j].flow * open[j] * inv
		g := w * pc[j].odds
		rw[j], rg[j] = w, g
		sw += w
		sg += g
		W[j+1], G[j+1] = sw, sg
	}
	wn := W[nc]
	pts := m.pt[:m.np]
	rps := r.pt[:m.np]
	tff, jv := m.tff, s.j
	// Of what is not passed (1 − s), the share held back against pores it
	// cannot enter is heldBlock/(heldFit + heldBlock) (the rest, turned
	// away by partitioning, stays in the liquid); of that the share
	// lodge/heldBlock lodges, the rest deposits: per unit exposure
	// l = k·lodge, c = k·(heldBlock − lodge), k = (1 − s)/(heldFit +
	// heldBlock). (One loop per kind of class: branches are dear in wasm.)
	tension2 := m.tension2
	for _, i := range m.vesicles {
		q, rp := &pts[i], &rps[i]
		// Squeezes through class j where ΔP > 2τ(1/r_j − 1/a), a
		// threshold falling with j: scan from the last evaluation's jb.
		jFit, ia, jb := q.jFit, q.inva, q.jbLast
		for jb < jFit && !(dPm > tension2*(pc[jb].invR-ia)) {
			jb++
		}
		for jb > 0 && dPm > tension2*(pc[jb-1].invR-ia) {
			jb--
		}
		q.jbLast = jb
		heldBlock := W[jb]
		t := wn - heldBlock
		var rup, lodge float64
		if jr := q.jRupt; jr > jb {
			rup = W[jr] - heldBlock
		}
		lo := q.jWedge
		if lo < jb {
			lodge = G[jb] - G[lo]
		}
		o, d := t, rup // dead-end: s = t, damage = s × ruptured share = rup
		if tff {
			o = Polarized(t, jv/q.kMass)
			if t > 0 {
				d = o * rup / t
			}
		}
		var k float64
		if heldBlock > 0 {
			k = (1 - o) / heldBlock
		}
		rp.s, rp.d, rp.trans, rp.lo, rp.hi = o, d, t, lo, jb
		rp.l, rp.c, rp.lt = k*lodge, k*(heldBlock-lodge), 0
		if lodge > 0 {
			rp.lt = k
		}
	}
	for _, i := range m.rigidFit {
		q, rp := &pts[i], &rps[i]
		jFit := q.jFit
		ws := rw[jFit:]
		fw := m.fitW[q.fitOff:]
		fw = fw[:len(ws)]
		var t float64
		if q.peLow*dPm > 40 {
			// Pe > 40 in every pore the class fits: S = W (to 1e-17).
			// Two sums: fewer loop trips (branches are dear in wasm).
			var t1 float64
			j := 0
			for ; j+1 < len(ws); j += 2 {
				t += ws[j] * fw[j]
				t1 += ws[j+1] * fw[j+1]
			}
			if j < len(ws) {
				t += ws[j] * fw[j]
			}
			t += t1
		} else {
			if !q.peDone {
				m.pecletCoefficients(i)
			}
			pe := m.fitPe[q.fitOff:]
			pe = pe[:len(ws)]
			for j, w := range ws {
				// PoreSieving(W, Pe) by hand (W > 0, Pe > 0 here): the hot loop.
				if p := pe[j] * dPm; p > 40 {
					t += w * fw[j]
				} else {
					e := math.Exp(p)
					t += w * fw[j] * e / (fw[j] + e - 1)
				}
			}
		}
		heldBlock := W[jFit]
		heldFit := wn - heldBlock - t
		if heldFit < 0 {
			heldFit = 0
		}
		var lodge float64
		lo := q.jWedge
		if lo < jFit {
			lodge = G[jFit] - G[lo]
		}
		o := t
		if tff {
			o = Polarized(t, jv/q.kMass)
		}
		var k float64
		if h := heldFit + heldBlock; h > 0 {
			k = (1 - o) / h
		}
		rp.s, rp.d, rp.trans, rp.lo, rp.hi = o, 0, t, lo, jFit
		rp.l, rp.c, rp.lt = k*lodge, k*(heldBlock-lodge), 0
		if lodge > 0 {
			rp.lt = k
		}
	}
	// Rigid classes larger than every pore: all held back.
	var kHeld float64
	if wn > 0 {
		kHeld = 1 / wn
	}
	for _, i := range m.rigidHeld {
		q, rp := &pts[i], &rps[i]
		var lodge float64
		lo := q.jWedge
		if lo < nc {
			lodge = G[nc] - G[lo]
		}
		rp.s, rp.d, rp.trans, rp.lo, rp.hi = 0, 0, 0, lo, nc
		rp.l, rp.c, rp.lt = kHeld*lodge, kHeld*(wn-lodge), 0
		if lodge > 0 {
			rp.lt = kHeld
		}
	}
	if m.tff {
		m.deposition(s, r)
	}
	m.slopes(s, r)
}

// deposition: in tangential flow held-back particles deposit only with
// the share of the flux above the critical flux J_crit = k·ln(φ_max/φ_b)
// (film model), φ_b the volume fraction of held-back particles in the
// bulk.
func (m *model) deposition(s *state, r *rates) {
	pr := &m.p.Process
	pts := m.pt[:m.np]
	rps := r.pt[:m.np]
	var phiB float64
	sp := s.pt[:len(pts)]
	for i := range pts {
		if b := sp[i].bulk; b > 0 {
			phiB += b * pts[i].vol * (1 - rps[i].s) / s.vr
		}
	}
	var logPhi float64
	if phiB > 0 && s.j > 0 && phiB < pr.MaxPackingFraction {
		logPhi = math.Log(pr.MaxPackingFraction / phiB)
	}
	for i := range pts {
		dep := 0.0
		switch {
		case phiB >= pr.MaxPackingFraction:
			dep = 1
		case phiB > 0 && s.j > 0:
			if dep = 1 - pts[i].kMass*logPhi/s.j; dep < 0 {
				dep = 0
			}
		}
		rps[i].c *= dep
	}
}

// slopes sets r's slopes at state s: each class lodges bulk·l per unit
// exposure, spread over its pore classes [lo, hi) in proportion to g
// (a difference array over the classes), closing that many pores; it
// deposits bulk·c.
func (m *model) slopes(s *state, r *rates) {
	nc := m.nc
	d := m.h0[:nc+1] // free between advances
	clear(d)
	var ds, dv float64
	sp, rps, pts := s.pt[:m.np], r.pt[:m.np], m.pt[:m.np]
	for i := range sp {
		b := sp[i].bulk
		if b == 0 {
			continue
		}
		q := &rps[i]
		if q.lt > 0 {
			d[q.lo] += b * q.lt
			d[q.hi] -= b * q.lt
		}
		c := b * q.c
		ds += c * pts[i].surf
		dv += c * pts[i].vol
	}
	var dq, c float64
	for j := range m.pc[:nc] {
		c += d[j]
		dq -= m.pc[j].flow * r.g[j] * c / m.pc[j].pores
	}
	r.dq, r.ds, r.dv = dq, ds/m.area, dv/m.area
}
