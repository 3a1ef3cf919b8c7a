package gradient

import (
	"fmt"
	"math"
	"sort"
)

// Fraction is one of N equal-volume fractions drawn from the top of the
// tube after the run (index 1 = top), per tube.
type Fraction struct {
	Index         int     `json:"index"`
	TopRadiusM    float64 `json:"top_radius_m"`
	BottomRadiusM float64 `json:"bottom_radius_m"`
	VolumeML      float64 `json:"volume_ml"`
	// DensityGPerML is the fraction's mean medium density at the end of
	// the run; ConcentrationKgM3 and Percent its mean solute content.
	DensityGPerML     float64 `json:"density_g_per_ml"`
	ConcentrationKgM3 float64 `json:"concentration_kg_m3"`
	Percent           float64 `json:"percent"`
	// Species are particle counts (albumin: molecules); material that
	// floated to the meniscus is in fraction 1.
	Species map[string]float64 `json:"species"`
	// ProteinUG is all protein in the fraction (particles and soluble);
	// Particles the counted particles (the sample's Counted nodes);
	// ParticlesPerUGProtein their ratio (Webber & Clayton 2013), 0
	// without protein.
	ProteinUG             float64 `json:"protein_ug"`
	Particles             float64 `json:"particles"`
	ParticlesPerUGProtein float64 `json:"particles_per_ug_protein"`
	ExosomeRich           bool    `json:"exosome_rich"`
}

// normalCDF is Φ(z), taken as 0 or 1 beyond 9 standard deviations
// (Φ(−9) ≈ 1.1e-19, below any share reported) so that a packet narrower
// than a fraction costs an erfc at the one or two edges near it, not at
// all of them.
func normalCDF(z float64) float64 {
	switch {
	case z < -wallZ:
		return 0
	case z > wallZ:
		return 1
	}
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// partShares fills out[j] with the share of a packet's in-liquid mass in
// fraction j (the Gaussian truncated to the column and renormalised).
func (run *Run) partShares(m, vari float64, edges, out []float64) {
	sig := math.Sqrt(math.Max(vari, 0))
	n := len(out)
	if sig == 0 || math.IsNaN(sig) {
		for j := range out {
			out[j] = 0
		}
		j := int((m - edges[0]) / (edges[n] - edges[0]) * float64(n))
		out[min(max(j, 0), n-1)] = 1
		return
	}
	lo, hi := normalCDF((edges[0]-m)/sig), normalCDF((edges[n]-m)/sig)
	z := hi - lo
	if !(z > 1e-300) {
		for j := range out {
			out[j] = 0
		}
		if m < edges[0] {
			out[0] = 1
		} else {
			out[n-1] = 1
		}
		return
	}
	prev := lo
	for j := 0; j < n; j++ {
		c := hi
		if j < n-1 {
			c = normalCDF((edges[j+1] - m) / sig)
		}
		out[j] = (c - prev) / z
		prev = c
	}
}

func (run *Run) edges() []float64 {
	n := run.Params.Fractions
	e := make([]float64, n+1)
	for j := range e {
		e[j] = run.MeniscusM + (run.BottomM-run.MeniscusM)*float64(j)/float64(n)
	}
	return e
}

// nodeShares returns, for one node, the share of its particles in each
// fraction (index j−1), floated material in the first; and the pelleted
// share.
func (run *Run) nodeShares(nr *nodeRun, out []float64) (pelleted float64) {
	last := len(run.TimesS) - 1
	edges := run.edges()
	for j := range out {
		out[j] = 0
	}
	tmp := make([]float64, len(out))
	for _, pr := range nr.parts {
		pel, flo := pr.pel[last], pr.flo[last]
		liq := 1 - pel - flo
		pelleted += pr.w * pel
		out[0] += pr.w * flo
		if liq <= 0 {
			continue
		}
		run.partShares(pr.mean[last], pr.vari[last]+nr.s.spreadVar(pr.sRho[last], pr.sDia[last]), edges, tmp)
		for j := range out {
			out[j] += pr.w * liq * tmp[j]
		}
	}
	return pelleted
}

func (run *Run) computeFractions() []Fraction {
	n := run.Params.Fractions
	edges := run.edges()
	last := len(run.TimesS) - 1
	fr := make([]Fraction, n)
	for j := range fr {
		f := &fr[j]
		f.Index = j + 1
		f.TopRadiusM, f.BottomRadiusM = edges[j], edges[j+1]
		f.VolumeML = (edges[j+1] - edges[j]) * run.AreaM2 * 1e6
		f.Species = map[string]float64{}
		// Mean density and concentration over the fraction: cells are
		// uniform within themselves.
		var rho, c float64
		for i := range run.CentersM {
			a := run.MeniscusM + float64(i)*run.h
			ov := math.Min(a+run.h, edges[j+1]) - math.Max(a, edges[j])
			if ov > 0 {
				rho += ov * run.rho[last][i]
				c += ov * run.conc[last][i]
			}
		}
		w := edges[j+1] - edges[j]
		f.DensityGPerML = rho / w / 1e3
		f.ConcentrationKgM3 = c / w
		f.Percent = run.med.PercentForConcentration(f.ConcentrationKgM3)
	}
	shares := make([]float64, n)
	for si := range run.spec {
		sp := &run.spec[si]
		for ni := range sp.nodes {
			nr := &sp.nodes[ni]
			if nr.s.Count == 0 {
				continue
			}
			run.nodeShares(nr, shares)
			for j := range fr {
				cnt := nr.s.Count * shares[j]
				fr[j].Species[sp.id] += cnt
				fr[j].ProteinUG += cnt * nr.s.ProteinKg * 1e9
				if nr.s.Counted {
					fr[j].Particles += cnt
				}
			}
		}
	}
	for j := range fr {
		if fr[j].ProteinUG > 0 {
			fr[j].ParticlesPerUGProtein = fr[j].Particles / fr[j].ProteinUG
		}
	}
	return fr
}

// Fractions returns the fractions at the end of the run (a copy).
func (run *Run) Fractions() []Fraction {
	out := make([]Fraction, len(run.fractions))
	for j, f := range run.fractions {
		f.Species = make(map[string]float64, len(f.Species))
		for k, v := range run.fractions[j].Species {
			f.Species[k] = v
		}
		out[j] = f
	}
	return out
}

// Pellet returns the particles of each species that reached the tube
// bottom.
func (run *Run) Pellet() map[string]float64 {
	out := map[string]float64{}
	tmp := make([]float64, run.Params.Fractions)
	for si := range run.spec {
		sp := &run.spec[si]
		for ni := range sp.nodes {
			nr := &sp.nodes[ni]
			out[sp.id] += nr.s.Count * run.nodeShares(nr, tmp)
		}
	}
	return out
}

// NodeShares returns, per species and node of the sample, the share of
// the node's particles found in the given fractions (1-based indices).
func (run *Run) NodeShares(fractions []int) [][]float64 {
	out := make([][]float64, len(run.spec))
	tmp := make([]float64, run.Params.Fractions)
	for si := range run.spec {
		sp := &run.spec[si]
		out[si] = make([]float64, len(sp.nodes))
		for ni := range sp.nodes {
			run.nodeShares(&sp.nodes[ni], tmp)
			var s float64
			for _, j := range fractions {
				s += tmp[j-1]
			}
			out[si][ni] = math.Min(1, math.Max(0, s))
		}
	}
	return out
}

// findExosomes sets ExosomePeak and ExosomeRich.
func (run *Run) findExosomes() {
	run.ExosomeRich = []int{}
	best, peak := 0.0, -1
	for j, f := range run.fractions {
		if x := f.Species[ExosomeID]; x > best {
			best, peak = x, j
		}
	}
	if peak < 0 {
		return
	}
	lo, hi := peak, peak
	for lo > 0 && run.fractions[lo-1].Species[ExosomeID] >= best/2 {
		lo--
	}
	for hi < len(run.fractions)-1 && run.fractions[hi+1].Species[ExosomeID] >= best/2 {
		hi++
	}
	run.ExosomePeak = peak + 1
	for j := lo; j <= hi; j++ {
		run.ExosomeRich = append(run.ExosomeRich, j+1)
		run.fractions[j].ExosomeRich = true
	}
}

// equilibrated fills Equilibrated and the isopycnic warning.
func (run *Run) equilibrated() {
	last := len(run.TimesS) - 1
	for _, sp := range run.spec {
		var tot, eq float64
		for _, nr := range sp.nodes {
			tot += nr.s.Count
			for _, pr := range nr.parts {
				gone := pr.pel[last] + pr.flo[last]
				share := gone
				if nr.relax >= 3 {
					share = 1
				}
				eq += nr.s.Count * pr.w * share
			}
		}
		if tot > 0 {
			run.Equilibrated[sp.id] = eq / tot
		}
	}
	if run.Params.Mode == Isopycnic {
		if e, ok := run.Equilibrated[ExosomeID]; ok && e < 0.9 {
			run.Warnings = append(run.Warnings, fmt.Sprintf("isopycnic run: only %.0f %% of the exosomes are at their buoyant density by the end; a longer run or a shorter column would band them", 100*e))
		}
	}
	sort.Strings(run.Warnings)
}

// Snapshot is the state of the tube at one time, for drawing: the medium's
// density profile and every node's packets.
type Snapshot struct {
	TimeS float64 `json:"time_s"`
	// Phase is "accel", "hold", "decel" or "done".
	Phase     string            `json:"phase"`
	RPM       float64           `json:"rpm"`
	MeniscusM float64           `json:"meniscus_m"`
	BottomM   float64           `json:"bottom_m"`
	CentersM  []float64         `json:"centers_m"`
	DensityKg []float64         `json:"density_kg_m3"`
	Species   []SpeciesSnapshot `json:"species"`
}

// SpeciesSnapshot is one species at a time.
type SpeciesSnapshot struct {
	ID    string         `json:"id"`
	Nodes []NodeSnapshot `json:"nodes"`
}

// NodeSnapshot is one quadrature node at a time: Count particles of one
// size and density, of which PelletedShare are in the pellet and
// FloatedShare at the meniscus; the rest is in the liquid as the Gaussian
// packets Parts (shares of Count), with overall mean MeanRadiusM and
// standard deviation SigmaM.
type NodeSnapshot struct {
	DiameterM     float64  `json:"diameter_m"`
	DensityKgM3   float64  `json:"density_kg_m3"`
	Count         float64  `json:"count"`
	MeanRadiusM   float64  `json:"mean_radius_m"`
	SigmaM        float64  `json:"sigma_m"`
	PelletedShare float64  `json:"pelleted_share"`
	FloatedShare  float64  `json:"floated_share"`
	Parts         []Packet `json:"parts"`
}

// Packet is one Gaussian of a node in the liquid.
type Packet struct {
	Share       float64 `json:"share"`
	MeanRadiusM float64 `json:"mean_radius_m"`
	SigmaM      float64 `json:"sigma_m"`
}

// At returns the state at tS seconds from the start (clamped to the run),
// interpolating linearly between the stored time levels.
func (run *Run) At(tS float64) Snapshot {
	var s Snapshot
	run.AtInto(tS, &s)
	return s
}

// AtInto is At writing into s, reusing its slices (the stage calls it
// every frame: a run of a protocol's quadrature has hundreds of nodes,
// and allocating their packets anew each frame dominated the frame).
func (run *Run) AtInto(tS float64, s *Snapshot) {
	ts := run.TimesS
	last := len(ts) - 1
	t := math.Min(math.Max(tS, 0), ts[last])
	k := sort.SearchFloat64s(ts, t) - 1
	k = min(max(k, 0), last-1)
	f := (t - ts[k]) / (ts[k+1] - ts[k])
	mix := func(a []float64) float64 { return a[k] + f*(a[k+1]-a[k]) }
	s.TimeS, s.MeniscusM, s.BottomM, s.CentersM = t, run.MeniscusM, run.BottomM, run.CentersM
	s.RPM = math.Sqrt(run.omegaSq(t)) * 60 / (2 * math.Pi)
	switch {
	case t >= ts[last]:
		s.Phase = "done"
	case t < run.AccelS:
		s.Phase = "accel"
	case t <= run.AccelS+run.HoldS:
		s.Phase = "hold"
	default:
		s.Phase = "decel"
	}
	if cap(s.DensityKg) < len(run.CentersM) {
		s.DensityKg = make([]float64, len(run.CentersM))
	}
	s.DensityKg = s.DensityKg[:len(run.CentersM)]
	for i := range s.DensityKg {
		s.DensityKg[i] = run.rho[k][i] + f*(run.rho[k+1][i]-run.rho[k][i])
	}
	if len(s.Species) != len(run.spec) {
		s.Species = make([]SpeciesSnapshot, len(run.spec))
	}
	for si := range run.spec {
		sp := &run.spec[si]
		ss := &s.Species[si]
		ss.ID = sp.id
		if len(ss.Nodes) != len(sp.nodes) {
			ss.Nodes = make([]NodeSnapshot, len(sp.nodes))
		}
		for ni := range sp.nodes {
			nr := &sp.nodes[ni]
			ns := &ss.Nodes[ni]
			*ns = NodeSnapshot{DiameterM: nr.s.DiameterM, DensityKgM3: nr.s.DensityKgM3, Count: nr.s.Count, Parts: ns.Parts[:0]}
			var wsum, m1, m2 float64
			for _, pr := range nr.parts {
				pel, flo := mix(pr.pel), mix(pr.flo)
				mean, vari := mix(pr.mean), math.Max(0, mix(pr.vari)+nr.s.spreadVar(mix(pr.sRho), mix(pr.sDia)))
				ns.PelletedShare += pr.w * pel
				ns.FloatedShare += pr.w * flo
				liq := pr.w * math.Max(0, 1-pel-flo)
				if liq <= 0 {
					continue
				}
				ns.Parts = append(ns.Parts, Packet{Share: liq, MeanRadiusM: mean, SigmaM: math.Sqrt(vari)})
				wsum += liq
				m1 += liq * mean
				m2 += liq * (vari + mean*mean)
			}
			if wsum > 0 {
				ns.MeanRadiusM = m1 / wsum
				ns.SigmaM = math.Sqrt(math.Max(0, m2/wsum-ns.MeanRadiusM*ns.MeanRadiusM))
			}
		}
	}
}

// runNotes state the model's assumptions in every Run.
var runNotes = []string{
	"Swinging-bucket tube of constant cross-section; the gradient lies along the radius; equal-volume fractions are equal radial slices, drawn from the top.",
	"Medium: density and viscosity from tables at 20 °C with temperature corrections (gradient-media.json); the solute itself sediments and diffuses (Lamm equation with an ideal term and a constant non-ideal term fixed by an equilibrium β°: CsCl's from Ifft et al. 1961, sucrose's and iodixanol's an estimate).",
	"Particles: Stokes s = d²(ρp − ρm(r))/(18η(r)) in the local medium, Stokes–Einstein diffusion; each quadrature node is carried as Gaussian packets (mean by dr/dt = sω²r, variance by the linearised moment equation), walls absorbing: past the bottom is pellet, past the meniscus floats into fraction 1.",
	"Buoyant densities are species.json's in every medium (no osmotic shrinkage or medium uptake); particles do not interact or change the medium.",
}
