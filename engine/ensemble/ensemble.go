package ensemble

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

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
	rAvg    float64
	w2      float64
	factDt  float64
	timeS   float64
	counts  [][3]int
}

// New samples perSpecies particles of each species with seeded rng, for the
// spin p, at time 0. Particles start uniformly distributed in the tube.
func New(p spin.Params, all []species.Species, perSpecies int, rng *rand.Rand) (*Ensemble, error) {
	e, c, err := start(p, len(all), perSpecies*len(all))
	if err != nil {
		return nil, err
	}
	for si, sp := range all {
		e.SpeciesIDs = append(e.SpeciesIDs, sp.ID)
		for k := 0; k < perSpecies; k++ {
			d, rho := sp.Sample(rng)
			e.add(si, d, rho, c, rng)
		}
	}
	e.finish()
	return e, nil
}

// Population is one species as NewFromNodes samples it: weighted
// (diameter, density) nodes — for example the quadrature nodes a protocol
// step receives, weighted by their particle counts — and how many particles
// to draw.
type Population struct {
	ID    string
	Nodes []species.Node // Weight ≥ 0: relative abundance of the node
	N     int
}

// NewFromNodes samples each population's N particles from its nodes, a
// node chosen with probability proportional to its Weight, with seeded
// rng, for the spin p, at time 0, uniformly placed in the tube. The
// expected pelleted share of a population is then exactly the
// weight-averaged pelleted fraction of its nodes (what a quadrature over
// the same nodes computes). A population with N = 0, no nodes or zero
// total weight gets no particles but keeps its species index.
func NewFromNodes(p spin.Params, pops []Population, rng *rand.Rand) (*Ensemble, error) {
	n := 0
	for _, pop := range pops {
		if pop.N < 0 {
			return nil, fmt.Errorf("population %s: N = %d must be ≥ 0", pop.ID, pop.N)
		}
		n += pop.N
	}
	e, c, err := start(p, len(pops), n)
	if err != nil {
		return nil, err
	}
	var cum []float64
	for si, pop := range pops {
		e.SpeciesIDs = append(e.SpeciesIDs, pop.ID)
		cum = cum[:0]
		total := 0.0
		for _, nd := range pop.Nodes {
			if nd.Weight > 0 && !math.IsInf(nd.Weight, 0) {
				total += nd.Weight
			}
			cum = append(cum, total)
		}
		if !(total > 0) {
			continue
		}
		for k := 0; k < pop.N; k++ {
			u := rng.Float64() * total
			// The first node whose cumulative weight exceeds u (never a
			// zero-weight node).
			j := min(sort.Search(len(cum), func(i int) bool { return cum[i] > u }), len(cum)-1)
			e.add(si, pop.Nodes[j].DiameterM, pop.Nodes[j].DensityKgM3, c, rng)
		}
	}
	e.finish()
	return e, nil
}

// start validates p and allocates an ensemble for n particles of nSpecies
// species.
func start(p spin.Params, nSpecies, n int) (*Ensemble, spin.Conditions, error) {
	if err := p.Validate(); err != nil {
		return nil, spin.Conditions{}, err
	}
	c, err := p.Conditions()
	if err != nil {
		return nil, c, err
	}
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
		counts:      make([][3]int, nSpecies),
		rMin:        p.Rotor.RMinM,
		factDt:      math.NaN(),
	}
	e.sinT, e.cosT = math.Sincos(p.Rotor.AngleRad)
	e.rAvg = p.Rotor.RadiusM(rotor.AtAvg)
	e.w2 = c.Omega * c.Omega
	return e, c, nil
}

// add places one particle of species index si, diameter d and density rho
// uniformly in the tube.
func (e *Ensemble) add(si int, d, rho float64, c spin.Conditions, rng *rand.Rand) {
	s := c.SedimentationCoefficient(d, rho)
	R := e.TubeRadiusM
	// A point uniform in the tube: uniform along the axis, uniform over the
	// circular cross-section (side view shows one coordinate).
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
	if e.Rotor.Kind == rotor.FixedAngle {
		e.rate = append(e.rate, s*e.w2*e.rAvg)
	} else {
		e.rate = append(e.rate, s*e.w2)
	}
	e.counts[si][Free]++
}

// finish records the start positions (for Seek).
func (e *Ensemble) finish() {
	e.factor = e.factor[:len(e.rate)]
	e.axial0 = append([]float64(nil), e.Axial...)
	e.across0 = append([]float64(nil), e.Across...)
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
