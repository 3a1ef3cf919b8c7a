package filter

import "math"

// advance moves state a by dv of permeate into b under rates r0, or, with
// r1 set, under the mean of r0 and r1 (package doc, "Process and time"):
// class i leaves the bulk at rate κ = s + l + c per unit exposure x, so
// n(1 − e^(−κx)) of its n particles leave, split in proportion to s, l and
// c; the lodging ones spread over their pore classes in proportion to g;
// a class cannot lose more pores than it has open (the excess joins the
// deposit). concentrating: the retentate shrinks by dv (to vrEnd); else
// buffer replaces the permeate. b's time and hydraulics are not set.
func (m *model) advance(a, b *state, r0, r1 *rates, dv float64, concentrating bool, vrEnd float64) {
	b.copyFrom(a)
	var x float64
	if concentrating {
		x = math.Log(a.vr / vrEnd)
		b.vr = vrEnd
	} else {
		x = dv / a.vr
		b.buffer += dv
	}
	b.v += dv
	nc, np := m.nc, m.np
	w0, w1 := 1.0, 0.0
	r1p := r0.pt[:np] // r1's particles (r0's when there is no r1, weight 0)
	g1 := r0.g[:nc]
	if r1 != nil {
		w0, w1 = 0.5, 0.5
		r1p, g1 = r1.pt[:np], r1.g[:nc]
	}
	r0p, g0 := r0.pt[:np], r0.g[:nc]
	d0, d1 := m.d0[:nc+1], m.d1[:nc+1]
	clear(d0)
	clear(d1)
	ap, mv := a.pt[:np], m.mv[:np]
	anyLodge := false
	// 1 − e^(−κx): for κ = 1 (everything held back or passed: dead-end)
	// once per step; else remembered from the last class (the nodes of a
	// species often share κ).
	one := -math.Expm1(-x)
	lastArg, lastVal := x, one
	// Pass 1: what leaves the bulk, and where the lodging particles go
	// (difference arrays over the class ranges).
	for i := range ap {
		mv[i] = move{}
		n := ap[i].bulk
		if n == 0 {
			continue
		}
		p0, p1 := &r0p[i], &r1p[i]
		s := w0*p0.s + w1*p1.s
		l := w0*p0.l + w1*p1.l
		c := w0*p0.c + w1*p1.c
		kappa := s + l + c
		if kappa <= 0 {
			continue
		}
		var e float64
		if kappa > 1-1e-15 && kappa < 1+1e-15 {
			e = one
		} else {
			if arg := kappa * x; arg != lastArg {
				lastArg, lastVal = arg, -math.Expm1(-arg)
			}
			e = lastVal
		}
		removed := n * e
		f := removed / kappa
		q := &mv[i]
		q.removed, q.pass = removed, f*s
		b.pt[i].damaged += f * (w0*p0.d + w1*p1.d)
		if l <= 0 {
			continue
		}
		if p0.lt > 0 {
			cf := f * w0 * p0.lt
			q.coef0 = cf
			d0[p0.lo] += cf
			d0[p0.hi] -= cf
			anyLodge = true
		}
		if w1 > 0 && p1.lt > 0 {
			cf := f * w1 * p1.lt
			q.coef1 = cf
			d1[p1.lo] += cf
			d1[p1.hi] -= cf
			anyLodge = true
		}
	}
	// Plugging: particles lodging in each class, capped by its open pores
	// (the excess rests on plugged mouths and joins the deposit).
	h0, h1 := m.h0[:nc+1], m.h1[:nc+1]
	if anyLodge {
		var c0, c1 float64
		h0[0], h1[0] = 0, 0
		aOpen, bOpen := a.open[:nc], b.open[:nc]
		for j := range aOpen {
			c0 += d0[j]
			c1 += d1[j]
			lodged := g0[j]*c0 + g1[j]*c1
			capJ := 1.0
			if lodged > 0 {
				pores := m.pc[j].pores
				open := pores * aOpen[j]
				if lodged > open {
					capJ = open / lodged
					lodged = open
				}
				if o := aOpen[j] - lodged/pores; o > 0 {
					bOpen[j] = o
				} else {
					bOpen[j] = 0
				}
			}
			h0[j+1] = h0[j] + g0[j]*capJ
			h1[j+1] = h1[j] + g1[j]*capJ
		}
	}
	// Pass 2: move the particles.
	var dSolids, dSurface float64
	bp, pts := b.pt[:np], m.pt[:np]
	for i := range mv {
		q := &mv[i]
		if q.removed == 0 {
			continue
		}
		var lod float64
		if q.coef0 > 0 {
			p0 := &r0p[i]
			lod += q.coef0 * (h0[p0.hi] - h0[p0.lo])
		}
		if q.coef1 > 0 {
			p1 := &r1p[i]
			lod += q.coef1 * (h1[p1.hi] - h1[p1.lo])
		}
		ck := q.removed - q.pass - lod
		if ck < 0 {
			ck = 0
		}
		o := &bp[i]
		if n := ap[i].bulk - q.removed; n > 0 {
			o.bulk = n
		} else {
			o.bulk = 0
		}
		o.passed += q.pass
		o.lodged += lod
		o.cake += ck
		dSolids += ck * pts[i].vol
		dSurface += ck * pts[i].surf
	}
	b.solidsM3PerM2 += dSolids / m.area
	b.surfaceM2PerM2 += dSurface / m.area
}

// span is one step of dv permeate: the open flow share q_o and the
// deposit's resistance R_c as functions of the share θ of the step, cubic
// Hermite from their values and slopes at both ends (the slopes from the
// rates, limited so that q_o stays monotone: Fritsch & Carlson 1980).
// Linear q_o or R_c (one pore size plugging at a constant rate, a cake
// growing linearly) stay linear.
type span struct {
	dv               float64
	qa, qb, dqa, dqb float64 // slopes per unit θ
	ra, rb, dra, drb float64
}

// slope returns dq_o/dV and dR_c/dV at state s with rates r (dx/dV = 1/V_R).
func (m *model) slope(s *state, r *rates) (dq, drc float64) {
	dq = r.dq / s.vr
	v, sf := s.solidsM3PerM2, s.surfaceM2PerM2
	switch {
	case v > 0:
		drc = m.cakeK * (2*sf*r.ds - sf*sf/v*r.dv) / v
	case r.dv > 0:
		drc = m.cakeK * r.ds * r.ds / r.dv // R_c = cakeK·s²/v grows linearly from nothing
	}
	return dq, drc / s.vr
}

// newSpan is the step from a (rates ra) to b, whose slopes are taken from
// rb (rates at b, or at the predictor's end).
func (m *model) newSpan(a *state, ra *rates, b *state, rb *rates, dv float64) span {
	dqa, dra := m.slope(a, ra)
	dqb, drb := m.slope(b, rb)
	sp := span{dv: dv, qa: a.qo, qb: b.qo, dqa: dqa * dv, dqb: dqb * dv, ra: a.rc, rb: b.rc, dra: dra * dv, drb: drb * dv}
	lim := func(d, x float64) float64 { // limit slope x against the chord d
		switch {
		case d == 0 || x/d < 0:
			return 0
		case x/d > 3:
			return 3 * d
		}
		return x
	}
	sp.dqa, sp.dqb = lim(sp.qb-sp.qa, sp.dqa), lim(sp.qb-sp.qa, sp.dqb)
	sp.dra, sp.drb = lim(sp.rb-sp.ra, sp.dra), lim(sp.rb-sp.ra, sp.drb)
	return sp
}

// hermite is the cubic through (0, a) and (1, b) with slopes da, db.
func hermite(a, b, da, db, t float64) float64 {
	t2 := t * t
	t3 := t2 * t
	return (2*t3-3*t2+1)*a + (t3-2*t2+t)*da + (-2*t3+3*t2)*b + (t3-t2)*db
}

func (sp span) q(t float64) float64  { return hermite(sp.qa, sp.qb, sp.dqa, sp.dqb, t) }
func (sp span) rc(t float64) float64 { return hermite(sp.ra, sp.rb, sp.dra, sp.drb, t) }

// Gauss–Legendre nodes and weights on [0, 1] (3 points).
var glX, glW = [3]float64{0.5 - 0.3872983346207417, 0.5, 0.5 + 0.3872983346207417}, [3]float64{5.0 / 18, 8.0 / 18, 5.0 / 18}

// dtS is the time to filter the first share th of the span:
// ∫ μ(R_m/q_o + R_c)/(TMP·A) dV. The q_o term is the chord's exact
// integral, dv·θ·ln(q_a/q(θ))/(q_a − q(θ)) for q_o linear (complete
// blocking), plus the Hermite curve's departure from it by Gauss–Legendre;
// the R_c term is the cubic's exact integral (exact for cake filtration).
func (m *model) dtS(sp span, th float64) float64 {
	qc := sp.qa + th*(sp.qb-sp.qa) // the chord at θ
	if qc <= 0 || sp.qa <= 0 {
		return math.Inf(1)
	}
	var invQ float64 // ∫₀^θ du / chord(u)
	if d := sp.qb - sp.qa; d == 0 {
		invQ = th / sp.qa
	} else {
		invQ = math.Log1p(d*th/sp.qa) / d
	}
	if sp.dqa != sp.qb-sp.qa || sp.dqb != sp.qb-sp.qa {
		var corr float64
		for k, x := range glX {
			u := th * x
			q := sp.q(u)
			if q <= 0 {
				return math.Inf(1)
			}
			corr += glW[k] * (1/q - 1/(sp.qa+u*(sp.qb-sp.qa)))
		}
		invQ += th * corr
	}
	t2, t3 := th*th, th*th*th
	t4 := t2 * t2
	rc := sp.ra*(t4/2-t3+th) + sp.dra*(t4/4-2*t3/3+t2/2) + sp.rb*(t3-t4/2) + sp.drb*(t4/4-t3/3)
	return m.eta * sp.dv / (m.tmp * m.area) * (m.rm0*invQ + rc)
}

// Error control. A step is taken twice from the same state: once with
// the rates at its start (first order; the predictor), once with the mean
// of those and the rates at the predictor's end (second order; the
// corrector, which is kept). Their difference estimates the predictor's
// error; the step is accepted when, for every quantity, it is within
//
//	time of the step:            tol × the step's time
//	ln q_o and ln(R_m/q_o + R_c): tol × (1 + the step's change of it)
//	each particle class:         tol × the step's change of what it has
//	                             passed, lodged and deposited
//	                             + floorShare·tol × the particles fed
//
// (for time and particles an error per unit step: the steps' errors add
// up to tol times the whole), and the next step is sized from the ratio.
// The kept corrector is far more accurate than the estimate: how close a
// run is to the converged result is tested against runs with 16384 and
// more steps, not taken from tol.
const (
	// DefaultTolerance is Params.Tolerance's default.
	DefaultTolerance = 0.1
	floorShare       = 1e-2 // absolute floor per step, as a share of tol × the particles fed
	safety           = 0.9
	maxGrow, minGrow = 4.0, 0.2
	clogFraction     = 1e-3 // the run stops when the flux falls to this share of its start
	clogWithin       = 1e-3 // the stop is placed at the clogging flux to this share of it
	maxRetries       = 40   // retries of one step placing a stop (clogging or the time limit)
	// maxQFall bounds a step by the open flow's fall at the last step's
	// rate: at most this share of what is open, so that the approach to
	// clogging is geometric (the flux would head for zero within a step
	// otherwise, where no estimate holds).
	maxQFall = 0.3
)

// errorRatio is the largest ratio of estimated error to allowance over the
// step from a to b (corrector) with predictor p; dtP and dtB are the
// step's times by each.
func (m *model) errorRatio(a, p, b *state, dtP, dtB, tol float64) float64 {
	e := math.Abs(dtP-dtB) / (tol * dtB)
	la, lp, lb := math.Log(a.qo), math.Log(p.qo), math.Log(b.qo)
	if r := math.Abs(lp-lb) / (tol * (1 + math.Abs(lb-la))); r > e {
		e = r
	}
	la, lp, lb = math.Log(a.rm+a.rc), math.Log(p.rm+p.rc), math.Log(b.rm+b.rc)
	if r := math.Abs(lp-lb) / (tol * (1 + math.Abs(lb-la))); r > e {
		e = r
	}
	floor := floorShare * tol
	// For passed, lodged and deposited: |pb − pp| / (tol·|pb − pa| + fl),
	// divided only where it can exceed e.
	ap, pp, bp, pts := a.pt[:m.np], p.pt[:m.np], b.pt[:m.np], m.pt[:m.np]
	for i := range ap {
		x, y, z := &ap[i], &pp[i], &bp[i]
		if x.bulk == 0 {
			continue
		}
		fl := floor * pts[i].n0
		d, c := math.Abs(y.passed-z.passed), math.Abs(z.passed-x.passed)
		if al := tol*c + fl; d > e*al {
			e = d / al
		}
		d, c = math.Abs(y.lodged-z.lodged), math.Abs(z.lodged-x.lodged)
		if al := tol*c + fl; d > e*al {
			e = d / al
		}
		d, c = math.Abs(y.cake-z.cake), math.Abs(z.cake-x.cake)
		if al := tol*c + fl; d > e*al {
			e = d / al
		}
	}
	if math.IsNaN(e) {
		return math.Inf(1)
	}
	return e
}

// phase is one phase of a run: the permeate from v0 to v1, concentrating
// (the retentate shrinks to vrEnd at v1) or diafiltering (constant
// volume), sampled at n equal volumes.
type phase struct {
	name          string
	v0, v1        float64
	concentrating bool
	vrEnd         float64
	samples       int
}

// integrate runs the phases from state a (hydraulics and time set),
// appending samples to res.Series. It returns the final state and rates,
// and whether the run stopped early (clogged or out of time).
func (m *model) integrate(a *state, ra *rates, phases []phase, vTotal float64, res *Result) (*state, *rates, bool) {
	tol := m.p.Tolerance
	if tol == 0 {
		tol = DefaultTolerance
	}
	maxDV := math.Inf(1)
	if m.p.MinSteps > 0 {
		maxDV = vTotal / float64(m.p.MinSteps)
	}
	maxS := m.p.Process.MaxProcessS
	jc := clogFraction * a.j
	p, b := m.state(1), m.state(2)
	rp, rb := m.rateSet(1), m.rateSet(2)
	h := vTotal / 8
	if h > maxDV {
		h = maxDV
	}
	stopped := false
	name := ""
	for _, ph := range phases {
		name = ph.name
		vPh := ph.v1 - ph.v0
		next := 1 // the next sample of the phase
		rejected := false
		retries := 0
		for !stopped && a.v < ph.v1 {
			dv := h
			if dv > maxDV {
				dv = maxDV
			}
			last := false
			if dv >= (ph.v1-a.v)*(1-1e-12) {
				dv, last = ph.v1-a.v, true
			}
			vrEnd := a.vr - dv
			if last {
				vrEnd = ph.vrEnd
			}
			m.advance(a, p, ra, nil, dv, ph.concentrating, vrEnd)
			m.setHydraulics(p)
			m.evaluate(p, rp)
			m.advance(a, b, ra, rp, dv, ph.concentrating, vrEnd)
			m.setHydraulics(b)
			spB := m.newSpan(a, ra, b, rp, dv)
			dtB := m.dtS(spB, 1)
			// Clogging within the step: place the stop where the flux
			// reaches the clogging flux.
			if b.j < jc*(1-clogWithin) && retries < maxRetries {
				h = dv * m.clogPoint(spB, jc)
				retries++
				continue
			}
			dtP := m.dtS(m.newSpan(a, ra, p, rp, dv), 1)
			err := m.errorRatio(a, p, b, dtP, dtB, tol)
			if err > 1 && dv > 1e-12*vTotal {
				f := safety / err
				if f < minGrow {
					f = minGrow
				}
				h, rejected = dv*f, true
				continue
			}
			// The time limit within the step: place the stop there.
			if a.t+dtB > maxS*(1+1e-9) && retries < maxRetries {
				h = dv * m.timePoint(spB, maxS-a.t)
				retries++
				continue
			}
			b.t = a.t + dtB
			m.samples(a, b, spB, ph, vPh, &next, res)
			m.evaluate(b, rb)
			a, b = b, a
			ra, rb = rb, ra
			res.VolumeSteps++
			retries = 0
			if a.j <= jc*(1+clogWithin) || a.t >= maxS*(1-1e-9) {
				stopped = true
				break
			}
			g := maxGrow
			if err > 0 {
				g = safety / math.Sqrt(err)
			}
			if g > maxGrow {
				g = maxGrow
			}
			if rejected && g > 1 {
				g = 1
			}
			rejected = false
			h = dv * g
			if fall := (b.qo - a.qo) / dv; fall > 0 && h > maxQFall*a.qo/fall {
				h = maxQFall * a.qo / fall // a is the new state, b the old
			}
		}
		if stopped {
			break
		}
	}
	if stopped {
		m.sample(a, res, name)
	}
	return a, ra, stopped
}

// clogPoint is the share θ of the span at which the flux falls to jc
// (bisection; the resistance R_m/q_o + R_c rises along the span).
func (m *model) clogPoint(sp span, jc float64) float64 {
	target := m.tmp / (m.eta * jc) // R_m/q_o + R_c at the clogging flux
	lo, hi := 0.0, 1.0
	for range 60 {
		th := (lo + hi) / 2
		if q := sp.q(th); q > 0 && m.rm0/q+sp.rc(th) < target {
			lo = th
		} else {
			hi = th
		}
	}
	return (lo + hi) / 2
}

// timePoint is the share θ of the span that takes dtS seconds.
func (m *model) timePoint(sp span, dtS float64) float64 {
	lo, hi := 0.0, 1.0
	for range 60 {
		th := (lo + hi) / 2
		if m.dtS(sp, th) < dtS {
			lo = th
		} else {
			hi = th
		}
	}
	return lo
}

// samples appends the samples of phase ph that fall in the step from a to
// b (span sp), interpolated within the step (dense output: q_o, R_c from
// the span, time by dtS, flux and membrane pressure from them; the
// deposit and the blocked shares linear in V). next is the phase's next
// sample (1..n).
func (m *model) samples(a, b *state, sp span, ph phase, vPh float64, next *int, res *Result) {
	for *next <= ph.samples {
		k := *next
		v := ph.v0 + vPh*float64(k)/float64(ph.samples)
		if k == ph.samples {
			v = ph.v1
		}
		if v > b.v*(1+1e-12) {
			return
		}
		*next = k + 1
		if v >= b.v {
			m.sample(b, res, ph.name)
			continue
		}
		th := (v - a.v) / (b.v - a.v)
		lerp := func(x, y float64) float64 { return x + th*(y-x) }
		s := state{v: v, qo: sp.q(th), rc: sp.rc(th), vr: a.vr, buffer: a.buffer,
			blockedNumber: lerp(a.blockedNumber, b.blockedNumber), blockedFlow: lerp(a.blockedFlow, b.blockedFlow), cakeThick: lerp(a.cakeThick, b.cakeThick)}
		if ph.concentrating {
			s.vr = a.vr - (v - a.v)
		} else {
			s.buffer = a.buffer + (v - a.v)
		}
		s.t = a.t + m.dtS(sp, th)
		s.rm = m.rm0 / s.qo
		s.j = m.tmp / (m.eta * (s.rm + s.rc))
		s.dPm = s.j * m.eta * s.rm
		m.sample(&s, res, ph.name)
	}
}

// sample appends state s to the series, unless the last sample is s.
func (m *model) sample(s *state, res *Result, phaseName string) {
	if n := len(res.Series); n > 0 && res.Series[n-1].PermeateML == s.v*1e6 && res.Series[n-1].TimeS == s.t {
		return
	}
	res.Series = append(res.Series, Sample{TimeS: s.t, FluxLMH: s.j * 3.6e6, PermeateML: s.v * 1e6, RetentateML: s.vr * 1e6, BufferML: s.buffer * 1e6,
		CakeThicknessNM: s.cakeThick * 1e9, CakeResistancePerM: s.rc, MembraneResistancePerM: math.Min(s.rm, math.MaxFloat64),
		PoresBlockedFraction: s.blockedNumber, FlowBlockedFraction: s.blockedFlow, MembranePressureKPa: s.dPm / 1e3, Phase: phaseName})
}
