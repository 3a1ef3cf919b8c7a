package filter

import (
	"fmt"
	"math"

	"exosep/engine/quantity"
)

// Membrane kinds.
const (
	Microfilter = "microfilter" // rated by pore size (0.45 µm, 0.22 µm, 100 nm)
	Ultrafilter = "ultrafilter" // rated by molecular weight cut-off (MWCO)
)

// Membrane structures.
const (
	TrackEtch = "track-etch" // straight cylindrical pores through a thin film
	Tortuous  = "tortuous"   // sponge-like (cast polymer) pores
)

// Membrane is one membrane of data/membranes.json. SI units.
//
// The pores are cylinders of length ThicknessM·Tortuosity whose radii are
// lognormal in number, median PoreRadiusM and geometric standard deviation
// PoreGSD; Porosity is the open share of the (selective) surface. From
// these, by Hagen–Poiseuille flow in each pore,
//
//	n    = ε / (π⟨r²⟩)                     pores per m²
//	L_p  = ε⟨r⁴⟩ / (8 μ L τ ⟨r²⟩)           clean-water permeability
//	R_m  = 1/(μ L_p) = 8 L τ ⟨r²⟩/(ε⟨r⁴⟩)    membrane resistance, 1/m
//
// with ⟨r²⟩ = r_m² e^(2σ²), ⟨r⁴⟩ = r_m⁴ e^(8σ²), σ = ln GSD. A pore's share
// of the flow goes as its r⁴.
type Membrane struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Structure string `json:"structure"`
	Note      string `json:"note,omitempty"`
	// NominalPoreM is a microfilter's rated pore diameter; MWCOkDa an
	// ultrafilter's cut-off (0 when not rated that way).
	NominalPoreM float64 `json:"nominal_pore_m,omitempty"`
	MWCOkDa      float64 `json:"mwco_kda,omitempty"`
	// PoreRadiusM is the median pore radius: half the nominal pore of a
	// microfilter; for an ultrafilter the radius at which the flow-weighted
	// convective sieving of a globular protein of the MWCO is 0.1 (derived;
	// see CalibrateMWCO).
	PoreRadiusM float64 `json:"pore_radius_m"`
	PoreGSD     float64 `json:"pore_gsd"`
	ThicknessM  float64 `json:"thickness_m"`
	Tortuosity  float64 `json:"tortuosity"`
	Porosity    float64 `json:"porosity"`
	// Figures are the data file's numbers as read, for display.
	Figures map[string]quantity.Q `json:"-"`
}

// PoreLengthM is the pores' length L·τ.
func (m Membrane) PoreLengthM() float64 { return m.ThicknessM * m.Tortuosity }

// Limits of membrane figures (checked by Validate).
const (
	MinPoreRadiusM = 0.5e-9
	MaxPoreRadiusM = 10e-6
	MaxPoreGSD     = 3
)

// Validate checks the membrane's figures.
func (m Membrane) Validate() error {
	switch {
	case m.Kind != Microfilter && m.Kind != Ultrafilter:
		return fmt.Errorf("membrane %q: kind %q (allowed: %s, %s)", m.ID, m.Kind, Microfilter, Ultrafilter)
	case m.Structure != TrackEtch && m.Structure != Tortuous:
		return fmt.Errorf("membrane %q: structure %q (allowed: %s, %s)", m.ID, m.Structure, TrackEtch, Tortuous)
	case !(m.PoreRadiusM >= MinPoreRadiusM && m.PoreRadiusM <= MaxPoreRadiusM):
		return fmt.Errorf("membrane %q: pore radius %g nm is outside %g–%g nm", m.ID, m.PoreRadiusM*1e9, MinPoreRadiusM*1e9, MaxPoreRadiusM*1e9)
	case !(m.PoreGSD >= 1 && m.PoreGSD <= MaxPoreGSD):
		return fmt.Errorf("membrane %q: pore geometric standard deviation %g is outside 1–%g", m.ID, m.PoreGSD, float64(MaxPoreGSD))
	case !(m.ThicknessM >= 1e-8 && m.ThicknessM <= 1e-3):
		return fmt.Errorf("membrane %q: thickness %g µm is outside 0.01–1000 µm", m.ID, m.ThicknessM*1e6)
	case !(m.Tortuosity >= 1 && m.Tortuosity <= 10):
		return fmt.Errorf("membrane %q: tortuosity %g is outside 1–10", m.ID, m.Tortuosity)
	case !(m.Porosity > 0 && m.Porosity < 1):
		return fmt.Errorf("membrane %q: porosity %g is outside (0, 1)", m.ID, m.Porosity)
	}
	return nil
}

// PoreClass is one class of pores of the discretised radius distribution.
type PoreClass struct {
	RadiusM float64 `json:"radius_m"`
	// NumberShare is the class's share of the pores; FlowShare its share of
	// the clean membrane's flow (∝ NumberShare·r⁴).
	NumberShare float64 `json:"number_share"`
	FlowShare   float64 `json:"flow_share"`
}

// poreClassCount and poreSpanZ discretise the lognormal: classes at
// equally spaced z = (ln r − ln r_m)/σ over ±poreSpanZ, weighted by the
// normal density (the flow-weighted distribution is the number
// distribution shifted by 4σ in ln r, so the span covers both). Tested
// against the closed-form moments (1e-3).
const (
	poreClassCount = 25
	poreSpanZ      = 5.0
)

// PoreClasses returns the membrane's pore classes, smallest first.
func (m Membrane) PoreClasses() []PoreClass {
	sigma := math.Log(m.PoreGSD)
	if sigma < 1e-6 {
		return []PoreClass{{RadiusM: m.PoreRadiusM, NumberShare: 1, FlowShare: 1}}
	}
	out := make([]PoreClass, poreClassCount)
	var sn, sq float64
	for i := range out {
		z := -poreSpanZ + 2*poreSpanZ*float64(i)/float64(poreClassCount-1)
		r := m.PoreRadiusM * math.Exp(sigma*z)
		w := math.Exp(-z * z / 2)
		out[i] = PoreClass{RadiusM: r, NumberShare: w, FlowShare: w * r * r * r * r}
		sn += w
		sq += w * r * r * r * r
	}
	for i := range out {
		out[i].NumberShare /= sn
		out[i].FlowShare /= sq
	}
	return out
}

// moments returns ⟨r²⟩ and ⟨r⁴⟩ (number averages) in closed form.
func (m Membrane) moments() (r2, r4 float64) {
	s2 := math.Pow(math.Log(m.PoreGSD), 2)
	r := m.PoreRadiusM
	return r * r * math.Exp(2*s2), r * r * r * r * math.Exp(8*s2)
}

// PoreDensityPerM2 is n = ε/(π⟨r²⟩), pores per m² of membrane.
func (m Membrane) PoreDensityPerM2() float64 {
	r2, _ := m.moments()
	return m.Porosity / (math.Pi * r2)
}

// ResistancePerM is the clean membrane's hydraulic resistance R_m =
// 8Lτ⟨r²⟩/(ε⟨r⁴⟩), 1/m (Hagen–Poiseuille in every pore).
func (m Membrane) ResistancePerM() float64 {
	r2, r4 := m.moments()
	return 8 * m.PoreLengthM() * r2 / (m.Porosity * r4)
}

// PermeabilityLMHPerBar is the clean-water permeability L_p = 1/(μR_m) in
// L m⁻² h⁻¹ bar⁻¹ for water of viscosity etaPas.
func (m Membrane) PermeabilityLMHPerBar(etaPas float64) float64 {
	return 1 / (etaPas * m.ResistancePerM()) * 3.6e6 * 1e5
}

// PoreRadiiSample returns n pore radii (m) at the equal-probability
// quantiles (i + ½)/n of the number distribution, smallest first: the
// pores of a drawn cross-section, to scale.
func (m Membrane) PoreRadiiSample(n int) []float64 {
	out := make([]float64, n)
	sigma := math.Log(m.PoreGSD)
	for i := range out {
		z := math.Sqrt2 * math.Erfinv(2*(float64(i)+0.5)/float64(n)-1)
		out[i] = m.PoreRadiusM * math.Exp(sigma*z)
	}
	return out
}

// MWCOSieving is the retention criterion of a molecular weight cut-off:
// the membrane passes a tenth of a protein of that weight (90 % retained;
// physics-data.md §4).
const MWCOSieving = 0.1

// FlowWeightedSieving is the clean membrane's convective (high-Péclet)
// sieving coefficient of rigid spheres of radius radiusM: Σ q_j W(a/r_j)
// over the pore classes (flow shares q_j).
func FlowWeightedSieving(classes []PoreClass, radiusM float64) float64 {
	var s float64
	for _, c := range classes {
		s += c.FlowShare * Convective(radiusM/c.RadiusM)
	}
	return s
}

// CalibrateMWCO sets m.PoreRadiusM so that the flow-weighted convective
// sieving coefficient of a globular protein of m.MWCOkDa (radius
// ProteinRadiusM) is MWCOSieving, by bisection in ln r_m (the sieving
// coefficient rises monotonically with pore size). For one pore size this
// gives r = R_h/0.72 (W = 0.1 at λ ≈ 0.72).
func (m *Membrane) CalibrateMWCO() {
	a := ProteinRadiusM(m.MWCOkDa)
	lo, hi := math.Log(a/20), math.Log(a*100)
	for range 60 {
		mid := (lo + hi) / 2
		m.PoreRadiusM = math.Exp(mid)
		if FlowWeightedSieving(m.PoreClasses(), a) > MWCOSieving {
			hi = mid
		} else {
			lo = mid
		}
	}
	m.PoreRadiusM = math.Exp((lo + hi) / 2)
}

// Module modes.
const (
	DeadEnd    = "deadend" // normal-flow: all feed is pushed through
	Tangential = "tff"     // tangential-flow: feed sweeps along the membrane
)

// Module is a filter holder or a hollow-fibre cartridge of
// data/membranes.json: its filtration area, and for a hollow-fibre module
// the fibres (inner diameter, length, count), which set the cross-flow.
type Module struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Mode   string  `json:"mode"`
	Note   string  `json:"note,omitempty"`
	AreaM2 float64 `json:"area_m2"`
	// HoldUpM3 is the liquid left in a dead-end holder when the feed has
	// been pushed through (it stays with the retentate).
	HoldUpM3 float64 `json:"hold_up_m3,omitempty"`
	// Hollow fibres (tff only).
	FibreInnerDiameterM float64 `json:"fibre_inner_diameter_m,omitempty"`
	FibreLengthM        float64 `json:"fibre_length_m,omitempty"`
	Fibres              int     `json:"fibres,omitempty"`
	// Figures are the data file's numbers as read, for display.
	Figures map[string]quantity.Q `json:"-"`
}

// Validate checks the module's figures.
func (md Module) Validate() error {
	switch {
	case md.Mode != DeadEnd && md.Mode != Tangential:
		return fmt.Errorf("module %q: mode %q (allowed: %s, %s)", md.ID, md.Mode, DeadEnd, Tangential)
	case !(md.AreaM2 >= 1e-6 && md.AreaM2 <= 100):
		return fmt.Errorf("module %q: area %g cm² is outside 0.01 cm²–100 m²", md.ID, md.AreaM2*1e4)
	case md.Mode == DeadEnd && !(md.HoldUpM3 > 0 && md.HoldUpM3 <= 1e-4):
		return fmt.Errorf("module %q: a dead-end module needs a hold-up above 0 up to 100 mL", md.ID)
	case md.Mode == Tangential && !(md.FibreInnerDiameterM >= 1e-5 && md.FibreInnerDiameterM <= 1e-2 && md.FibreLengthM >= 1e-3 && md.FibreLengthM <= 5 && md.Fibres >= 1):
		return fmt.Errorf("module %q: a tangential-flow module needs fibre_inner_diameter (0.01–10 mm), fibre_length (1 mm–5 m) and fibres (≥ 1)", md.ID)
	}
	return nil
}

// FibreAreaM2 is the fibres' inner surface N·π·d·L.
func (md Module) FibreAreaM2() float64 {
	return float64(md.Fibres) * math.Pi * md.FibreInnerDiameterM * md.FibreLengthM
}
