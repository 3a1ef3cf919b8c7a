package ensemble

import (
	"math"
	"math/rand/v2"

	"exosep/engine/rotor"
	"exosep/engine/species"
	"exosep/engine/spin"
)

// State of a particle.
type State uint8

const (
	Free     State = iota // in suspension
	Pelleted              // reached the outer end or wall
	Floated               // reached the meniscus or inner wall
)

// Ensemble is a set of sampled particles in one tube, stored as parallel
// slices so that stepping is a tight loop.
type Ensemble struct {
	Rotor       rotor.Rotor
	TubeLengthM float64
	TubeRadiusM float64
	SpeciesIDs  []string // index → species id

	Species []uint16  // species index of each particle
	DiamM   []float64 // sampled diameter
	SSec    []float64 // sedimentation coefficient, seconds
	Axial   []float64 // position along the axis, m
	Across  []float64 // position across, m
	State   []State

	depth   []float64
	axial0  []float64
	across0 []float64
	rate    []float64 // SB: s ω² (1/s); FA: radial speed v (m/s)
	factor  []float64 // SB: e^(rate·dt); FA: rate·dt
	cosT    float64
	sinT    float64
	rMin    float64
	factDt  float64
	timeS   float64
	counts  [][3]int
}

// New samples perSpecies particles of each species with seeded rng, for the
// spin p, at time 0. Particles start uniformly distributed in the tube.
func New(p spin.Params, all []species.Species, perSpecies int, rng *rand.Rand) (*Ensemble, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c, err := p.Conditions()
	if err != nil {
		return nil, err
	}
	n := perSpecies * len(all)
	e := &Ensemble{
		Rotor:       p.Rotor,
		TubeLengthM: p.Rotor.TubeLengthM(),
		TubeRadiusM: p.Rotor.TubeDiameterM / 2,
		Species:     make([]uint16, 0, n),
		DiamM:       make([]float64, 0, n),
		SSec:        make([]float64, 0, n),
		Axial:       make([]float64, 0, n),
		Across:      make([]float64, 0, n),
		State:       make([]State, 0, n),
		depth:       make([]float64, 0, n),
		rate:        make([]float64, 0, n),
		factor:      make([]float64, n),
		counts:      make([][3]int, len(all)),
		rMin:        p.Rotor.RMinM,
		factDt:      math.NaN(),
	}
	e.sinT, e.cosT = math.Sincos(p.Rotor.AngleRad)
	rAvg := p.Rotor.RadiusM(rotor.AtAvg)
	w2 := c.Omega * c.Omega
	R := e.TubeRadiusM
	for si, sp := range all {
		e.SpeciesIDs = append(e.SpeciesIDs, sp.ID)
		for k := 0; k < perSpecies; k++ {
			d, rho := sp.Sample(rng)
			s := c.SedimentationCoefficient(d, rho)
			// A point uniform in the tube: uniform along the axis, uniform
			// over the circular cross-section (side view shows one coordinate).
			var a, b float64
			for {
				a, b = (2*rng.Float64()-1)*R, (2*rng.Float64()-1)*R
				if a*a+b*b < R*R {
					break
				}
			}
			e.Species = append(e.Species, uint16(si))
			e.DiamM = append(e.DiamM, d)
			e.SSec = append(e.SSec, s)
			e.Axial = append(e.Axial, rng.Float64()*e.TubeLengthM)
			e.Across = append(e.Across, a)
			e.depth = append(e.depth, b)
			e.State = append(e.State, Free)
			if p.Rotor.Kind == rotor.FixedAngle {
				e.rate = append(e.rate, s*w2*rAvg)
			} else {
				e.rate = append(e.rate, s*w2)
			}
		}
		e.counts[si][Free] = perSpecies
	}
	e.axial0 = append([]float64(nil), e.Axial...)
	e.across0 = append([]float64(nil), e.Across...)
	return e, nil
}

// Len is the number of particles.
func (e *Ensemble) Len() int { return len(e.Species) }

// TimeS is the process time reached, seconds.
func (e *Ensemble) TimeS() float64 { return e.timeS }

// Counts returns, per species index, how many particles are Free, Pelleted
// and Floated.
func (e *Ensemble) Counts() [][3]int { return e.counts }

// Step advances every free particle by dtS seconds of process time.
func (e *Ensemble) Step(dtS float64) {
	if dtS <= 0 {
		return
	}
	if dtS != e.factDt {
		e.factDt = dtS
		fa := e.Rotor.Kind == rotor.FixedAngle
		for i, r := range e.rate {
			if fa {
				e.factor[i] = r * dtS
			} else {
				e.factor[i] = math.Exp(r * dtS)
			}
		}
	}
	if e.Rotor.Kind == rotor.FixedAngle {
		e.stepFixed()
	} else {
		e.stepSwinging()
	}
	e.timeS += dtS
}

func (e *Ensemble) stepSwinging() {
	L := e.TubeLengthM
	for i, st := range e.State {
		if st != Free {
			continue
		}
		r := (e.rMin + e.Axial[i]) * e.factor[i]
		switch {
		case r >= e.rMin+L:
			e.settle(i, Pelleted)
			e.Axial[i] = L
		case r <= e.rMin:
			e.settle(i, Floated)
			e.Axial[i] = 0
		default:
			e.Axial[i] = r - e.rMin
		}
	}
}

func (e *Ensemble) stepFixed() {
	R2 := e.TubeRadiusM * e.TubeRadiusM
	L := e.TubeLengthM
	for i, st := range e.State {
		if st != Free {
			continue
		}
		x := e.factor[i]
		a := e.Across[i] + x*e.cosT
		e.Axial[i] = math.Min(math.Max(e.Axial[i]+x*e.sinT, 0), L)
		if a*a+e.depth[i]*e.depth[i] >= R2 {
			a = e.wall(i, x)
			if x > 0 {
				e.settle(i, Pelleted)
			} else {
				e.settle(i, Floated)
			}
		}
		e.Across[i] = a
	}
}

// wall is the Across coordinate where particle i meets the tube wall when
// moving in the sign of x.
func (e *Ensemble) wall(i int, x float64) float64 {
	R2 := e.TubeRadiusM * e.TubeRadiusM
	return math.Copysign(math.Sqrt(math.Max(R2-e.depth[i]*e.depth[i], 0)), x)
}

func (e *Ensemble) settle(i int, s State) {
	e.State[i] = s
	sp := e.Species[i]
	e.counts[sp][Free]--
	e.counts[sp][s]++
}

// Seek sets every particle to its closed-form position at time tS ≥ 0.
func (e *Ensemble) Seek(tS float64) {
	tS = math.Max(tS, 0)
	for i := range e.counts {
		e.counts[i] = [3]int{}
	}
	R2 := e.TubeRadiusM * e.TubeRadiusM
	L := e.TubeLengthM
	fa := e.Rotor.Kind == rotor.FixedAngle
	for i, rate := range e.rate {
		st := Free
		if fa {
			x := rate * tS
			a := e.across0[i] + x*e.cosT
			e.Axial[i] = math.Min(math.Max(e.axial0[i]+x*e.sinT, 0), L)
			if a*a+e.depth[i]*e.depth[i] >= R2 {
				// Stop at the wall crossing, as Step does (within one step).
				a = e.wall(i, x)
				st = Pelleted
				if x < 0 {
					st = Floated
				}
			}
			e.Across[i] = a
		} else {
			r := (e.rMin + e.axial0[i]) * math.Exp(rate*tS)
			switch {
			case r >= e.rMin+L:
				e.Axial[i], st = L, Pelleted
			case r <= e.rMin:
				e.Axial[i], st = 0, Floated
			default:
				e.Axial[i] = r - e.rMin
			}
			e.Across[i] = e.across0[i]
		}
		e.State[i] = st
		e.counts[e.Species[i]][st]++
	}
	e.timeS = tS
}

// Fractions returns, per species index, the pelleted and floated shares.
func (e *Ensemble) Fractions() (pelleted, floated []float64) {
	pelleted = make([]float64, len(e.counts))
	floated = make([]float64, len(e.counts))
	for i, c := range e.counts {
		n := float64(c[0] + c[1] + c[2])
		if n > 0 {
			pelleted[i] = float64(c[Pelleted]) / n
			floated[i] = float64(c[Floated]) / n
		}
	}
	return
}
