package lamm

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Geometry selects the cell shape and the field (see the package comment).
type Geometry string

const (
	Sector   Geometry = "sector"   // A ∝ r, v = s ω² r
	Cylinder Geometry = "cylinder" // A = 1, v = s ω² r
	Slab     Geometry = "slab"     // A = 1, v = s ω² r_field
)

// Boltzmann is the Boltzmann constant in J/K (SI 2019, exact).
const Boltzmann = 1.380649e-23

// coeffSlots is the number of coefficient sets a Solver keeps.
const coeffSlots = 8

// Limits on the discretisation accepted by Validate.
const (
	MaxCells = 100000
	MaxSteps = 1000000
)

// StokesEinstein is the diffusion coefficient in m²/s of a sphere of
// diameter diameterM in a liquid of viscosity viscosityPas at celsius:
// D = k_B T / (3π η d) (Einstein 1905 with Stokes drag; dilute, no wall
// effects).
func StokesEinstein(diameterM, viscosityPas, celsius float64) float64 {
	return Boltzmann * (celsius + 273.15) / (3 * math.Pi * viscosityPas * diameterM)
}

// Problem is one Lamm-equation run. Lengths in metres, times in seconds.
type Problem struct {
	Geometry Geometry
	// TopM and BottomM bound the liquid: the meniscus and the bottom radius
	// (Sector, Cylinder; both > 0), or the ends of the path (Slab).
	TopM, BottomM float64
	// SedimentationS is s in seconds (negative: the solute floats).
	SedimentationS float64
	// DiffusionM2S is D in m²/s (0 allowed: pure sedimentation, upwinded).
	DiffusionM2S float64
	// OmegaRadS is the angular speed at full speed, rad/s.
	OmegaRadS float64
	// FieldRadiusM is the radius at which the Slab's uniform field ω²r is
	// evaluated (r_avg for a fixed-angle tube); unused otherwise.
	FieldRadiusM float64
	// AccelS, HoldS and DecelS are the phases of the run: a linear speed
	// ramp from rest, constant speed, and a linear ramp back to rest.
	AccelS, HoldS, DecelS float64
	// BoundaryM, when > 0, starts a synthetic boundary: c = 0 above it
	// (r < BoundaryM) and 1 below. 0 gives the uniform start c = 1.
	BoundaryM float64
	// Faces is the mesh, increasing from TopM to BottomM; nil gives Cells
	// equal cells.
	Faces []float64
	Cells int
	// Steps is the number of time steps over the whole run.
	Steps int
	// RampSteps, when > 0, is the number of steps given to each ramp (the
	// rest of Steps goes to the hold; at least 1). Otherwise steps are
	// shared in proportion to duration, at least 2 per ramp. Deceleration
	// needs resolving when diffusion matters: as the field fades, the
	// pile-up at the bottom relaxes by diffusion.
	RampSteps int
	// Scheme is the time integrator: BDF2 (default; second order) or Euler
	// (backward Euler; first order, but its matrix is an M-matrix, so
	// concentrations never go negative).
	Scheme Scheme
}

// Scheme names a time integrator.
type Scheme string

const (
	BDF2  Scheme = ""      // variable-step BDF2 (the default)
	Euler Scheme = "euler" // backward Euler
)

// DurationS is the run's total time.
func (p Problem) DurationS() float64 { return p.AccelS + p.HoldS + p.DecelS }

// Validate checks every field and names each bad one with its allowed range.
func (p Problem) Validate() error {
	var bad []string
	add := func(f string, a ...any) { bad = append(bad, fmt.Sprintf(f, a...)) }
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch p.Geometry {
	case Sector, Cylinder:
		if !(p.TopM > 0) {
			add("top %g m must be > 0 (a radius)", p.TopM)
		}
	case Slab:
		if p.SedimentationS != 0 && !(p.FieldRadiusM > 0 && finite(p.FieldRadiusM)) {
			add("field radius %g m must be > 0 for a slab", p.FieldRadiusM)
		}
	default:
		add("geometry %q must be sector, cylinder or slab", p.Geometry)
	}
	if !(finite(p.TopM) && finite(p.BottomM) && p.BottomM > p.TopM) {
		add("bottom %g m must be greater than top %g m", p.BottomM, p.TopM)
	}
	if !finite(p.SedimentationS) {
		add("sedimentation coefficient %g s must be finite", p.SedimentationS)
	}
	if !(p.DiffusionM2S >= 0 && finite(p.DiffusionM2S)) {
		add("diffusion coefficient %g m²/s must be ≥ 0", p.DiffusionM2S)
	}
	if !(p.OmegaRadS >= 0 && finite(p.OmegaRadS)) {
		add("angular speed %g rad/s must be ≥ 0", p.OmegaRadS)
	}
	for _, ph := range []struct {
		name string
		v    float64
	}{{"acceleration", p.AccelS}, {"hold", p.HoldS}, {"deceleration", p.DecelS}} {
		if !(ph.v >= 0 && finite(ph.v)) {
			add("%s time %g s must be ≥ 0", ph.name, ph.v)
		}
	}
	if !(p.DurationS() > 0) {
		add("total time %g s must be > 0", p.DurationS())
	}
	if p.BoundaryM != 0 && !(p.BoundaryM > p.TopM && p.BoundaryM < p.BottomM) {
		add("synthetic boundary %g m must lie between top %g m and bottom %g m", p.BoundaryM, p.TopM, p.BottomM)
	}
	if p.Faces != nil {
		n := len(p.Faces)
		switch {
		case n < 2 || n-1 > MaxCells:
			add("mesh has %d cells; allowed 1–%d", n-1, MaxCells)
		case p.Faces[0] != p.TopM || p.Faces[n-1] != p.BottomM:
			add("mesh must run from top %g m to bottom %g m, not %g–%g m", p.TopM, p.BottomM, p.Faces[0], p.Faces[n-1])
		default:
			for i := 1; i < n; i++ {
				if !(p.Faces[i] > p.Faces[i-1]) {
					add("mesh faces must increase: face %d (%g m) ≤ face %d (%g m)", i, p.Faces[i], i-1, p.Faces[i-1])
					break
				}
			}
		}
	} else if p.Cells < 1 || p.Cells > MaxCells {
		add("cells %d outside the allowed range 1–%d", p.Cells, MaxCells)
	}
	if p.Scheme != BDF2 && p.Scheme != Euler {
		add("scheme %q must be \"\" (BDF2) or \"euler\"", p.Scheme)
	}
	if p.RampSteps < 0 || p.RampSteps > MaxSteps {
		add("ramp steps %d outside the allowed range 0–%d", p.RampSteps, MaxSteps)
	}
	if p.Steps < 1 || p.Steps > MaxSteps {
		add("steps %d outside the allowed range 1–%d", p.Steps, MaxSteps)
	}
	if len(bad) > 0 {
		return errors.New("lamm: " + strings.Join(bad, "; "))
	}
	return nil
}

// Solution is the concentration at the end of a run.
type Solution struct {
	Geometry Geometry
	Faces    []float64 // n+1 faces, TopM…BottomM
	C        []float64 // n cell averages, relative to the initial c0 = 1
	Volume   []float64 // n cell volumes per unit area (per radian for Sector)
	TimeS    float64
}

// Centers returns the cell midpoints.
func (s Solution) Centers() []float64 {
	c := make([]float64, len(s.C))
	for i := range c {
		c[i] = (s.Faces[i] + s.Faces[i+1]) / 2
	}
	return c
}

// Total is the amount of solute, Σ V c (per unit area, or per radian for a
// sector); the initial uniform amount is the whole cell's volume.
func (s Solution) Total() float64 {
	var m float64
	for i, c := range s.C {
		m += s.Volume[i] * c
	}
	return m
}

// volumeBetween is the volume measure of [a, b] in the geometry.
func volumeBetween(g Geometry, a, b float64) float64 {
	if g == Sector {
		return (b*b - a*a) / 2
	}
	return b - a
}

// AmountBetween is the amount of solute between a and b (a < b), taking the
// concentration uniform within each cell (exact when a and b are faces).
func (s Solution) AmountBetween(a, b float64) float64 {
	var m float64
	for i, c := range s.C {
		lo, hi := math.Max(a, s.Faces[i]), math.Min(b, s.Faces[i+1])
		if hi <= lo {
			continue
		}
		m += c * volumeBetween(s.Geometry, lo, hi)
	}
	return m
}

// ConcentrationAt returns the average of the cell containing r.
func (s Solution) ConcentrationAt(r float64) float64 {
	n := len(s.C)
	for i := 0; i < n; i++ {
		if r <= s.Faces[i+1] {
			return s.C[i]
		}
	}
	return s.C[n-1]
}

// EquivalentBoundary is the position of the sharp boundary that would hold
// the solute found between the meniscus and plateauM at the plateau
// concentration there (c at the meniscus taken as 0):
//
//	sector:         r̄² = r_p² − 2M/c_p   (the second-moment boundary, Goldberg 1953)
//	cylinder, slab: r̄  = r_p − M/c_p
//
// With no flux at the meniscus and a flat plateau at r_p it moves exactly
// as r_m e^(s∫ω²dt) (sector, cylinder), with or without diffusion.
func (s Solution) EquivalentBoundary(plateauM float64) float64 {
	m := s.AmountBetween(s.Faces[0], plateauM)
	cp := s.ConcentrationAt(plateauM)
	if s.Geometry == Sector {
		return math.Sqrt(plateauM*plateauM - 2*m/cp)
	}
	return plateauM - m/cp
}

// Solver holds the work arrays of Solve and SolveMany so that repeated runs
// do not allocate. A Solver is not safe for concurrent use.
type Solver struct {
	faces, centers, vol, area []float64
	// Per cell i (or face) and system b, at index i*nb + b: the systems of
	// SolveMany are advanced together, interleaved.
	c, prev, aa, ab, lo, di, up, w []float64
	sed, diff                      []float64
	out                            []float64
	nb                             int
	// Cached coefficient sets, one per value of ω² (the last accelerating
	// step shares ω² with the hold, and a deceleration with as many steps
	// as the acceleration meets the same values again); aa, ab point at
	// the current one.
	slotAA, slotAB    [coeffSlots][]float64
	slotW2            [coeffSlots]float64
	slotOK            [coeffSlots]bool
	slot, next        int
	lastDt, lastAlpha float64
	haveFactor        bool
}

// Solve runs p with a fresh Solver; the Solution owns its slices.
func Solve(p Problem) (Solution, error) {
	var s Solver
	sol, err := s.Solve(p)
	if err != nil {
		return sol, err
	}
	sol.Faces = append([]float64(nil), sol.Faces...)
	sol.C = append([]float64(nil), sol.C...)
	sol.Volume = append([]float64(nil), sol.Volume...)
	return sol, nil
}

func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// bernoulli is B(x) = x/(eˣ − 1), B(0) = 1, for x ≥ 0 (the callers pass
// |Pe|). Near 0 its Taylor series 1 − x/2 + x²/12 − x⁴/720 (error below
// 1e-16 for x < 1e-3); beyond, math.Exp, whose rounding in eˣ − 1 costs at
// most 1e-13 relative there (math.Expm1 is several times slower).
func bernoulli(x float64) float64 {
	if x < 1e-3 {
		x2 := x * x
		return 1 - x/2 + x2/12 - x2*x2/720
	}
	return x / (math.Exp(x) - 1)
}

// Solve runs p. The returned Solution's slices belong to the Solver and are
// valid until its next Solve or SolveMany.
func (s *Solver) Solve(p Problem) (Solution, error) {
	var sol Solution
	err := s.SolveMany(p, []float64{p.SedimentationS}, []float64{p.DiffusionM2S}, func(_ int, x Solution) { sol = x })
	return sol, err
}

// SolveMany runs p once for each pair (sedimentation[j], diffusion[j]) in
// place of p's SedimentationS and DiffusionM2S — same cell, mesh, speed
// profile and initial condition — and calls fn(j, solution) for each; the
// solution's slices are valid only during the call. The systems advance
// together, interleaved, which is several times faster than solving them
// one by one: the tridiagonal sweeps are bound by the latency of their
// dependency chain, which independent systems overlap. Each system's
// result is the same as Solve's.
func (s *Solver) SolveMany(p Problem, sedimentation, diffusion []float64, fn func(j int, sol Solution)) error {
	if len(sedimentation) != len(diffusion) || len(sedimentation) == 0 {
		return fmt.Errorf("lamm: %d sedimentation and %d diffusion coefficients; give one of each per system, at least one", len(sedimentation), len(diffusion))
	}
	for j := range sedimentation {
		q := p
		q.SedimentationS, q.DiffusionM2S = sedimentation[j], diffusion[j]
		if err := q.Validate(); err != nil {
			return err
		}
	}
	nb := len(sedimentation)
	s.nb = nb
	s.sed = append(s.sed[:0], sedimentation...)
	s.diff = append(s.diff[:0], diffusion...)
	// Mesh.
	if p.Faces != nil {
		s.faces = append(s.faces[:0], p.Faces...)
	} else {
		s.faces = grow(s.faces, p.Cells+1)
		for i := range s.faces {
			s.faces[i] = p.TopM + (p.BottomM-p.TopM)*float64(i)/float64(p.Cells)
		}
		s.faces[p.Cells] = p.BottomM
	}
	n := len(s.faces) - 1
	s.centers = grow(s.centers, n)
	s.vol = grow(s.vol, n)
	s.area = grow(s.area, n+1)
	for i := 0; i < n; i++ {
		s.centers[i] = (s.faces[i] + s.faces[i+1]) / 2
		s.vol[i] = volumeBetween(p.Geometry, s.faces[i], s.faces[i+1])
	}
	for j := 0; j <= n; j++ {
		s.area[j] = 1
		if p.Geometry == Sector {
			s.area[j] = s.faces[j]
		}
	}
	for _, b := range []*[]float64{&s.c, &s.prev, &s.lo, &s.di, &s.up, &s.w} {
		*b = grow(*b, n*nb)
	}
	for k := 0; k < coeffSlots; k++ {
		s.slotAA[k] = grow(s.slotAA[k], (n+1)*nb)
		s.slotAB[k] = grow(s.slotAB[k], (n+1)*nb)
		for b := 0; b < nb; b++ {
			s.slotAA[k][b], s.slotAB[k][b], s.slotAA[k][n*nb+b], s.slotAB[k][n*nb+b] = 0, 0, 0, 0
		}
		s.slotOK[k] = false
	}
	s.slot, s.next = 0, 0
	s.aa, s.ab = s.slotAA[0], s.slotAB[0]
	// Initial condition, as cell averages.
	for i := 0; i < n; i++ {
		var c0 float64
		switch {
		case p.BoundaryM == 0 || s.faces[i] >= p.BoundaryM:
			c0 = 1
		case s.faces[i+1] <= p.BoundaryM:
			c0 = 0
		default:
			c0 = volumeBetween(p.Geometry, p.BoundaryM, s.faces[i+1]) / s.vol[i]
		}
		for b := 0; b < nb; b++ {
			s.c[i*nb+b] = c0
		}
	}
	s.haveFactor = false

	// Time steps per phase, proportional to duration; ramps get at least 2.
	T := p.DurationS()
	phases := [3]float64{p.AccelS, p.HoldS, p.DecelS}
	var counts [3]int
	left := p.Steps
	for k := 0; k < 3; k += 2 {
		if phases[k] > 0 {
			counts[k] = max(2, int(math.Round(float64(p.Steps)*phases[k]/T)))
			if p.RampSteps > 0 {
				counts[k] = p.RampSteps
			}
			left -= counts[k]
		}
	}
	if phases[1] > 0 {
		counts[1] = max(1, left)
	}
	prevDt, first := 0.0, true
	for k := 0; k < 3; k++ {
		if counts[k] == 0 {
			continue
		}
		dt := phases[k] / float64(counts[k])
		for i := 0; i < counts[k]; i++ {
			// ω² at the end of the step (BDF2 and backward Euler evaluate
			// the operator there), from the phase itself, not from the
			// accumulated time, whose rounding could leave the phase.
			frac := float64(i+1) / float64(counts[k])
			w2 := p.OmegaRadS * p.OmegaRadS
			switch k {
			case 0:
				w2 *= frac * frac
			case 2:
				w2 *= (1 - frac) * (1 - frac)
			}
			// Variable-step BDF2 (first step, or a step more than twice
			// its predecessor: backward Euler, to stay zero-stable).
			ratio := 0.0
			if !first {
				ratio = dt / prevDt
			}
			if first || ratio > 2 || p.Scheme == Euler {
				s.step(p, w2, dt, 1, false, -1, 0)
			} else {
				a0 := (1 + 2*ratio) / (1 + ratio)
				a1 := -(1 + ratio)
				a2 := ratio * ratio / (1 + ratio)
				s.step(p, w2, dt, a0, true, a1, a2)
			}
			first = false
			prevDt = dt
		}
	}
	s.out = grow(s.out, n)
	for b := 0; b < nb; b++ {
		for i := 0; i < n; i++ {
			s.out[i] = s.c[i*nb+b]
		}
		fn(b, Solution{Geometry: p.Geometry, Faces: s.faces, C: s.out, Volume: s.vol, TimeS: T})
	}
	return nil
}

// coefficients fills aa, ab (face flux coefficients times face area) for
// ω² = w2: F_j = aa_j c_{j−1} − ab_j c_j, for every system.
func (s *Solver) coefficients(p Problem, w2 float64) {
	nb := s.nb
	n := len(s.faces) - 1
	for j := 1; j < n; j++ {
		field := s.faces[j]
		if p.Geometry == Slab {
			field = p.FieldRadiusM
		}
		h := s.centers[j] - s.centers[j-1]
		A := s.area[j]
		for b := 0; b < nb; b++ {
			v := s.sed[b] * w2 * field
			D := s.diff[b]
			var a, c float64
			if D > 0 {
				// B(−x) = B(x) + x: one exponential per face, evaluated on
				// the side where it does not cancel.
				pe := v * h / D
				if pe >= 0 {
					c = bernoulli(pe)
					a = c + pe
				} else {
					a = bernoulli(-pe)
					c = a - pe
				}
				a *= D / h
				c *= D / h
			} else {
				a, c = math.Max(v, 0), math.Max(-v, 0)
			}
			s.aa[j*nb+b] = A * a
			s.ab[j*nb+b] = A * c
		}
	}
}

// step advances every system by one implicit step at ω² = w2:
//
//	(a0 I − dt L) c_new = −a1 c − a2 prev    (BDF2; a0 = 1, a1 = −1, a2 = 0: backward Euler)
//
// and leaves the old c in prev.
func (s *Solver) step(p Problem, w2, dt, a0 float64, usePrev bool, a1, a2 float64) {
	nb := s.nb
	n := len(s.faces) - 1
	if !(s.slotOK[s.slot] && s.slotW2[s.slot] == w2) {
		s.haveFactor = false
		found := false
		for k := 0; k < coeffSlots; k++ {
			if s.slotOK[k] && s.slotW2[k] == w2 {
				s.slot, found = k, true
				break
			}
		}
		if !found {
			// Fill the slots in turn, never overwriting the current one.
			if s.next == s.slot && s.slotOK[s.slot] {
				s.next = (s.next + 1) % coeffSlots
			}
			s.slot = s.next
			s.next = (s.next + 1) % coeffSlots
			s.aa, s.ab = s.slotAA[s.slot], s.slotAB[s.slot]
			s.coefficients(p, w2)
			s.slotW2[s.slot], s.slotOK[s.slot] = w2, true
		}
		s.aa, s.ab = s.slotAA[s.slot], s.slotAB[s.slot]
	}
	lo, di, up, w := s.lo, s.di, s.up, s.w
	if !s.haveFactor || dt != s.lastDt || a0 != s.lastAlpha {
		// Assemble and factorise (Thomas algorithm: the matrix is an
		// M-matrix, diagonally dominant by columns, so no pivoting);
		// the factors are reused while dt, a0 and ω² stay the same.
		for i := 0; i < n; i++ {
			k := dt / s.vol[i]
			for b := 0; b < nb; b++ {
				ib := i*nb + b
				lo[ib] = -k * s.aa[ib]
				up[ib] = -k * s.ab[ib+nb]
				di[ib] = a0 + k*(s.ab[ib]+s.aa[ib+nb])
			}
		}
		// di becomes 1/pivot, w the multipliers of the back substitution.
		for b := 0; b < nb; b++ {
			di[b] = 1 / di[b]
		}
		for i := 1; i < n; i++ {
			for b := 0; b < nb; b++ {
				ib := i*nb + b
				w[ib] = up[ib-nb] * di[ib-nb]
				di[ib] = 1 / (di[ib] - lo[ib]*w[ib])
			}
		}
		s.lastDt, s.lastAlpha, s.haveFactor = dt, a0, true
	}
	// The old solution becomes prev; solve into c.
	c, pv := s.c, s.prev
	if !usePrev {
		a2 = 0
	}
	for b := 0; b < nb; b++ {
		r := -a1*c[b] - a2*pv[b]
		pv[b] = c[b]
		c[b] = r * di[b]
	}
	for ib := nb; ib < n*nb; ib++ {
		r := -a1*c[ib] - a2*pv[ib]
		pv[ib] = c[ib]
		c[ib] = (r - lo[ib]*c[ib-nb]) * di[ib]
	}
	for ib := (n-1)*nb - 1; ib >= 0; ib-- {
		c[ib] -= w[ib+nb] * c[ib+nb]
	}
}

// GradedFaces returns n+1 faces from top to bottom whose cells grow
// geometrically away from the bottom, the finest (finestM) at the bottom;
// if n equal cells would already be finer, they are equal.
func GradedFaces(top, bottom, finestM float64, n int) []float64 {
	f := make([]float64, n+1)
	L := bottom - top
	q := growthRatio(L, finestM, n)
	h := finestM
	if q == 1 {
		h = L / float64(n)
	}
	f[n] = bottom
	for i := n - 1; i > 0; i-- {
		f[i] = f[i+1] - h
		h *= q
	}
	f[0] = top
	return f
}

// SplitFaces returns a mesh from top to bottom with a face exactly at split:
// nBelow cells in [split, bottom] graded from finestM at the bottom, and
// nAbove cells in [top, split] growing from the size of the cell just below
// split. Use it to integrate exactly over a bottom layer (a pellet's residual
// liquid).
func SplitFaces(top, split, bottom, finestM float64, nBelow, nAbove int) []float64 {
	lower := GradedFaces(split, bottom, finestM, nBelow)
	hTop := lower[1] - lower[0]
	// Upper part: first cell (next to split) hTop, growing upward.
	L := split - top
	q := growthRatio(L, hTop, nAbove)
	h := hTop
	if q == 1 {
		h = L / float64(nAbove)
	}
	f := make([]float64, 0, nAbove+nBelow+1)
	upper := make([]float64, nAbove+1)
	upper[nAbove] = split
	for i := nAbove - 1; i > 0; i-- {
		upper[i] = upper[i+1] - h
		h *= q
	}
	upper[0] = top
	f = append(f, upper...)
	return append(f, lower[1:]...)
}

// growthRatio solves h0 (qⁿ − 1)/(q − 1) = L for q ≥ 1 by bisection on
// ln q; q = 1 when h0 ≥ L/n (the cells need not grow).
func growthRatio(L, h0 float64, n int) float64 {
	if n <= 1 || h0*float64(n) >= L {
		return 1
	}
	sum := func(q float64) float64 { return h0 * (math.Pow(q, float64(n)) - 1) / (q - 1) }
	lo, hi := 1.0, 2.0
	for sum(hi) < L {
		hi *= 2
	}
	for i := 0; i < 60 && hi-lo > 1e-12*hi; i++ {
		mid := (lo + hi) / 2
		if sum(mid) < L {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
