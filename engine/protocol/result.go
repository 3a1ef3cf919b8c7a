package protocol

import (
	"math"
	"sort"

	"exosep/engine/gradient"
)

// Result is a protocol run: per step and overall, in the units their JSON
// names say. It is a plain value (no methods needed to read it), and holds
// no NaN or infinity, so it always encodes as JSON.
type Result struct {
	Protocol string       `json:"protocol"`
	Source   string       `json:"source,omitempty"`
	Input    InputUsed    `json:"input"`
	Steps    []StepResult `json:"steps"`
	Final    Final        `json:"final"`
	// Notes state the models' assumptions and which figures are estimates.
	Notes []string `json:"notes"`
}

// InputUsed is the sample the run started from.
type InputUsed struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	VolumeML float64 `json:"volume_ml"`
	// VolumeFrom says where the volume came from: "input default",
	// "protocol" or "caller".
	VolumeFrom string `json:"volume_from"`
	// VolumeConfidence is the default volume's mark when it is used.
	VolumeConfidence string `json:"volume_confidence,omitempty"`
	// Species is the number of particles of each species in the sample.
	Species   map[string]float64 `json:"species"`
	ProteinUG float64            `json:"protein_ug"`
}

// Flow splits what entered a step into what was kept and what was
// discarded (in = kept + discarded).
type Flow struct {
	In        float64 `json:"in"`
	Kept      float64 `json:"kept"`
	Discarded float64 `json:"discarded"`
}

// StepResult is one step's outcome. Species counts are particles (for
// albumin: molecules).
type StepResult struct {
	Index       int             `json:"index"`
	Name        string          `json:"name"`
	Kind        string          `json:"kind"`
	Species     map[string]Flow `json:"species"`
	ProteinUG   Flow            `json:"protein_ug"`
	VolumeInML  float64         `json:"volume_in_ml"`
	VolumeOutML float64         `json:"volume_out_ml"`
	VesselsOut  int             `json:"vessels_out"`
	// Minutes is the step's wall-clock time: centrifuge runs plus hands-on.
	Minutes float64       `json:"minutes"`
	Time    StepTime      `json:"time"`
	Spin    *SpinDetail   `json:"spin,omitempty"`
	Filter  *FilterDetail `json:"filter,omitempty"`
	// Gradient describes a gradient step.
	Gradient *GradientDetail `json:"gradient,omitempty"`
	// Product is what the step hands on.
	Product  Summary  `json:"product"`
	Warnings []string `json:"warnings,omitempty"`
}

// StepTime breaks a step's time down.
type StepTime struct {
	Runs           int     `json:"runs"`
	HoldMinutes    float64 `json:"hold_minutes"`
	AccelMinutes   float64 `json:"accel_minutes"`
	DecelMinutes   float64 `json:"decel_minutes"`
	RunMinutes     float64 `json:"run_minutes"` // runs × (hold + accel + decel)
	HandsOnMinutes float64 `json:"hands_on_minutes"`
	// RampFrom is "step" when the step gave the ramps, else "default
	// (estimate)": the data's ramp per 100,000 rpm scaled with speed.
	RampFrom string `json:"ramp_from,omitempty"`
}

// SpinDetail describes a spin step.
type SpinDetail struct {
	Rotor        string  `json:"rotor"`
	RPM          float64 `json:"rpm"`
	RCFMin       float64 `json:"rcf_min"`
	RCFAvg       float64 `json:"rcf_avg"`
	RCFMax       float64 `json:"rcf_max"`
	RCFAt        string  `json:"rcf_at,omitempty"`
	KFactor      float64 `json:"k_factor"`
	Keep         string  `json:"keep"`
	Tubes        int     `json:"tubes"`
	TubesPerRun  int     `json:"tubes_per_run"`
	TemperatureC float64 `json:"temperature_c"`
	// ViscosityMPas and DensityGPerML are the suspending liquid's (input
	// liquid and PBS mixed as tracked through the protocol).
	ViscosityMPas float64 `json:"viscosity_mpas"`
	DensityGPerML float64 `json:"density_g_per_ml"`
	// ResidualULPerTube is the liquid left with each pellet.
	ResidualULPerTube float64 `json:"residual_ul_per_tube"`
	// EffectiveMinutes is the time at full speed equivalent to the run
	// including its ramps: hold + (accel + decel)/3.
	EffectiveMinutes float64 `json:"effective_minutes"`
	// ExosomeCutoffNM is the smallest exosome (mid-range density) that
	// pellets completely; 0 when none does.
	ExosomeCutoffNM float64 `json:"exosome_cutoff_nm"`
	// LammSpecies lists the species for which the Lamm solver replaced the
	// no-diffusion formula (back-diffusion from the pellet mattered).
	LammSpecies []string    `json:"lamm_species"`
	Damage      SpinDamage  `json:"damage"`
	Pelleted    SpeciesFrac `json:"pelleted_fraction"`
}

// SpeciesFrac is a fraction per species.
type SpeciesFrac map[string]float64

// SpinDamage is the compaction damage of this spin (package damage; its
// calibration is an estimate).
type SpinDamage struct {
	// ExosomesDamagedFraction is the share of the exosomes that reached
	// this spin's pellet that were damaged or aggregated there (computed
	// when the pellet is kept; 0 when it is discarded).
	ExosomesDamagedFraction float64 `json:"exosomes_damaged_fraction"`
	// DoseGHours is RCF at r_max × effective time, × g · h: the largest
	// compaction dose a vesicle can receive in this spin.
	DoseGHours float64 `json:"dose_g_hours"`
	Confidence string  `json:"confidence"`
}

// GradientDetail describes a gradient step. Fractions are per tube (the
// run is the same in every tube).
type GradientDetail struct {
	Medium          string              `json:"medium"`
	Mode            string              `json:"mode"`
	Rotor           string              `json:"rotor"`
	RPM             float64             `json:"rpm"`
	RCFAvg          float64             `json:"rcf_avg"`
	RCFMax          float64             `json:"rcf_max"`
	Tubes           int                 `json:"tubes"`
	SampleMLPerTube float64             `json:"sample_ml_per_tube"`
	Fractions       []gradient.Fraction `json:"fractions"`
	// Kept lists the kept fractions (1 = top); ExosomePeak the fraction
	// with most exosomes.
	Kept        []int `json:"kept_fractions"`
	ExosomePeak int   `json:"exosome_peak_fraction"`
	// The kept liquid: the medium at this density and concentration.
	KeptDensityGPerML     float64 `json:"kept_density_g_per_ml"`
	KeptConcentrationKgM3 float64 `json:"kept_concentration_kg_m3"`
	// MediumApproach is how far the medium went to its own equilibrium;
	// Equilibrated the share of each species at its buoyant density.
	MediumApproach float64            `json:"medium_approach"`
	Equilibrated   map[string]float64 `json:"equilibrated_share"`
}

// Summary describes a product (after a step, or at the end).
type Summary struct {
	// ExosomeYieldFraction is exosomes in the product / exosomes in the
	// input (0 when the input has none).
	ExosomeYieldFraction float64 `json:"exosome_yield_fraction"`
	ExosomeParticles     float64 `json:"exosome_particles"`
	// ExosomeIntactFraction is the share of the product's exosomes not
	// damaged by compaction (an estimate; package damage).
	ExosomeIntactFraction float64 `json:"exosome_intact_fraction"`
	// Particles is what a particle counter would report: particles of
	// every species within the counting range (data: 50–1000 nm, NTA).
	Particles float64 `json:"particles"`
	// ProteinUG is all protein: soluble, in vesicles and lipoproteins.
	ProteinUG float64 `json:"protein_ug"`
	// ParticlesPerUGProtein is Particles / ProteinUG (0 without protein),
	// the purity ratio of Webber & Clayton 2013.
	ParticlesPerUGProtein float64 `json:"particles_per_ug_protein"`
	Purity                Purity  `json:"purity"`
	// Contaminants are the co-isolated species other than exosomes, most
	// numerous (in the counting range) first.
	Contaminants []Contaminant   `json:"contaminants"`
	VolumeML     float64         `json:"volume_ml"`
	Size         SizeHistogram   `json:"size_distribution"`
	Species      map[string]Comp `json:"species"`
}

// Comp is one species in a product.
type Comp struct {
	Particles float64 `json:"particles"`
	ProteinUG float64 `json:"protein_ug"`
	// MedianDiameterNM is the count-weighted median diameter in the product.
	MedianDiameterNM float64 `json:"median_diameter_nm"`
}

// Purity is the Webber & Clayton class of a particles-per-µg ratio.
type Purity struct {
	Class      string `json:"class"`
	Confidence string `json:"confidence"`
	Source     string `json:"source"`
}

// Contaminant is a co-isolated species.
type Contaminant struct {
	Species   string  `json:"species"`
	Particles float64 `json:"particles"`
	// CountedParticles are those within the counting range.
	CountedParticles float64 `json:"counted_particles"`
	// ShareOfCounted is CountedParticles / Summary.Particles.
	ShareOfCounted float64 `json:"share_of_counted"`
	ProteinUG      float64 `json:"protein_ug"`
}

// SizeHistogram is the product's size distribution: particles per bin of
// diameter, per species with any particles. Bins are log-spaced, 5 per
// decade from 1 nm to 100 µm.
type SizeHistogram struct {
	EdgesNM []float64            `json:"edges_nm"`
	Counts  map[string][]float64 `json:"counts"`
}

// Final is the protocol's product and its total time.
type Final struct {
	Summary
	TotalMinutes      float64 `json:"total_minutes"`
	RunMinutes        float64 `json:"run_minutes"`
	AccelDecelMinutes float64 `json:"accel_decel_minutes"`
	HandsOnMinutes    float64 `json:"hands_on_minutes"`
	Runs              int     `json:"runs"`
}

// histogram bins: 5 per decade, 1 nm … 100 µm.
var histEdgesNM = func() []float64 {
	e := make([]float64, 26)
	for i := range e {
		e[i] = math.Pow(10, float64(i)/5)
	}
	return e
}()

func binOf(dNM float64) int {
	i := int(math.Floor(5 * math.Log10(dNM)))
	return min(max(i, 0), len(histEdgesNM)-2)
}

// summarize describes the current state.
func (r *runner) summarize() Summary {
	m := &r.lib.Model
	s := Summary{VolumeML: tidy(r.volumeM3 * 1e6), Species: map[string]Comp{},
		Size: SizeHistogram{EdgesNM: histEdgesNM, Counts: map[string][]float64{}}}
	type cont struct {
		id                      string
		all, counted, proteinKg float64
	}
	var conts []cont
	var proteinKg float64
	for i := range r.species {
		sp := &r.species[i]
		var all, counted, prot, damaged float64
		var hist []float64
		for _, n := range sp.nodes {
			if n.count == 0 {
				continue
			}
			all += n.count
			damaged += n.damaged
			prot += n.count * n.proteinKg
			if sp.id != AlbuminID && n.d >= m.CountMinM && n.d <= m.CountMaxM {
				counted += n.count
			}
			if hist == nil {
				hist = make([]float64, len(histEdgesNM)-1)
			}
			hist[n.bin] += n.count
		}
		proteinKg += prot
		s.Particles += counted
		if hist != nil {
			s.Size.Counts[sp.id] = hist
		}
		s.Species[sp.id] = Comp{Particles: all, ProteinUG: prot * 1e9, MedianDiameterNM: sp.medianNM()}
		if sp.id == ExosomeID {
			s.ExosomeParticles = all
			if r.inputExosomes > 0 {
				s.ExosomeYieldFraction = all / r.inputExosomes
			}
			s.ExosomeIntactFraction = 1
			if all > 0 {
				s.ExosomeIntactFraction = 1 - damaged/all
			}
		} else if all > 0 {
			conts = append(conts, cont{sp.id, all, counted, prot})
		}
	}
	s.ProteinUG = proteinKg * 1e9
	if s.ProteinUG > 0 {
		s.ParticlesPerUGProtein = s.Particles / s.ProteinUG
	}
	s.Purity = r.purity(s.ParticlesPerUGProtein, s.ProteinUG > 0)
	sort.SliceStable(conts, func(i, j int) bool {
		if conts[i].counted != conts[j].counted {
			return conts[i].counted > conts[j].counted
		}
		return conts[i].all > conts[j].all
	})
	s.Contaminants = []Contaminant{}
	for _, c := range conts {
		share := 0.0
		if s.Particles > 0 {
			share = c.counted / s.Particles
		}
		s.Contaminants = append(s.Contaminants, Contaminant{Species: c.id, Particles: c.all, CountedParticles: c.counted, ShareOfCounted: share, ProteinUG: c.proteinKg * 1e9})
	}
	return s
}

func (r *runner) purity(ratio float64, haveProtein bool) Purity {
	p := Purity{Class: "no protein", Confidence: "estimate"}
	if !haveProtein {
		return p
	}
	p.Class = "between classes"
	for _, c := range r.lib.Model.Purity {
		if (c.MinPerUG == 0 || ratio >= c.MinPerUG) && (c.MaxPerUG == 0 || ratio < c.MaxPerUG) {
			p.Class, p.Confidence, p.Source = c.Name, c.Confidence, c.SourceName
			return p
		}
		p.Source = c.SourceName
	}
	return p
}

// medianNM is the count-weighted median diameter of the species' nodes.
func (sp *speciesState) medianNM() float64 {
	var total float64
	for _, n := range sp.nodes {
		total += n.count
	}
	if total <= 0 {
		return 0
	}
	// Nodes are in increasing diameter (species.Nodes' order).
	var acc float64
	for _, n := range sp.nodes {
		acc += n.count
		if acc >= total/2 {
			return n.d * 1e9
		}
	}
	return sp.nodes[len(sp.nodes)-1].d * 1e9
}
