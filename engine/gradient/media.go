package gradient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"strings"

	"exosep/engine/fastexp"
	"exosep/engine/medium"
	"exosep/engine/quantity"
)

// GasConstant R in J/(mol·K) (SI 2019, exact: N_A·k_B).
const GasConstant = 8.314462618

// Kelvin converts °C to K.
const Kelvin = 273.15

// Medium is one gradient medium (sucrose, iodixanol, CsCl): density and
// viscosity as functions of the solute's mass concentration c (kg of
// solute per m³ of solution) and temperature, and the solute's own
// sedimentation and diffusion. Tables are at 20 °C (gradient-media.json).
type Medium struct {
	ID, Name string
	// Basis is the concentration unit of the tables and of Percent
	// fields: "w/w" (g per 100 g solution) or "w/v" (g per 100 mL).
	Basis string

	pct   []float64 // concentration, % (Basis)
	c     []float64 // mass concentration at 20 °C, kg/m³
	rho20 []float64 // density at 20 °C, kg/m³
	lnEta []float64 // ln(η/η_water) at 20 °C
	beta  []float64 // temperature coefficient of lnEta, 1/°C (see ViscosityPas)
	kappa float64   // temperature coefficient of the density excess, 1/°C

	// MolarMassKgMol is the solute's molar mass; Ions the particles one
	// formula unit gives in solution (CsCl 2).
	MolarMassKgMol float64
	Ions           float64
	// BetaExcessSI is the non-ideal part of the equilibrium coefficient
	// β(c) = ν·RT/(c·g²·M) + β_ex (m⁵ kg⁻¹ s⁻²; see SedimentationS), fixed
	// so that β matches the data's β° at its reference density.
	BetaExcessSI float64
	// Diffusion25M2S is the solute's dilute diffusion coefficient at 25 °C.
	Diffusion25M2S float64

	water medium.Medium
}

// MaxPercent is the highest tabulated concentration.
func (m *Medium) MaxPercent() float64 { return m.pct[len(m.pct)-1] }

// DensityRangeKgM3 is the density span of the table at celsius.
func (m *Medium) DensityRangeKgM3(celsius float64) (lo, hi float64) {
	return m.DensityKgM3(0, celsius), m.DensityKgM3(m.c[len(m.c)-1], celsius)
}

// segment returns i and t with x = xs[i] + t·(xs[i+1] − xs[i]); t may lie
// outside [0, 1] beyond the table's ends (linear extrapolation).
func segment(xs []float64, x float64) (int, float64) {
	n := len(xs)
	i := sort.SearchFloat64s(xs, x) - 1
	i = min(max(i, 0), n-2)
	return i, (x - xs[i]) / (xs[i+1] - xs[i])
}

func lerp(ys []float64, i int, t float64) float64 { return ys[i] + t*(ys[i+1]-ys[i]) }

// DensityKgM3 is the solution's density at mass concentration cKgM3 and
// celsius: the 20 °C table interpolated linearly in c, shifted by water's
// own thermal expansion, the excess over water scaled by
// 1 + κ·(20 − T) (κ from the data; 0 where no temperature data were read):
//
//	ρ(c, T) = ρ20(c) + [ρw(T) − ρw(20)] + κ·[ρ20(c) − ρw(20)]·(20 − T)
func (m *Medium) DensityKgM3(cKgM3, celsius float64) float64 {
	i, t := segment(m.c, cKgM3)
	r20 := lerp(m.rho20, i, t)
	w, _ := m.water.DensityKgM3(celsius)
	w20, _ := m.water.DensityKgM3(20)
	return r20 + (w - w20) + m.kappa*(r20-m.rho20[0])*(20-celsius)
}

// dDensity is ∂ρ/∂c (dimensionless) at cKgM3: the table's slope.
func (m *Medium) dDensity(cKgM3, celsius float64) float64 {
	i, _ := segment(m.c, cKgM3)
	return (m.rho20[i+1] - m.rho20[i]) / (m.c[i+1] - m.c[i]) * (1 + m.kappa*(20-celsius))
}

// ViscosityPas is the solution's viscosity: water's at celsius (package
// medium) times the tabulated ratio, whose logarithm is interpolated
// linearly in c and scaled with temperature,
//
//	η(c, T) = ηw(T) · exp[L(c)·(1 + β(c)·(T − 20))],  L(c) = ln(η20(c)/ηw(20)),
//
// β fitted per row to a second read temperature (sucrose 5 °C, iodixanol
// 37 °C) and interpolated in c; 0 for CsCl (no data: its ratio to water is
// taken as independent of temperature).
func (m *Medium) ViscosityPas(cKgM3, celsius float64) float64 {
	i, t := segment(m.c, cKgM3)
	L := lerp(m.lnEta, i, t)
	b := lerp(m.beta, i, math.Min(math.Max(t, 0), 1))
	w, _ := m.water.ViscosityPas(celsius)
	return w * math.Exp(L*(1+b*(celsius-20)))
}

// ConcentrationForDensity returns c (kg/m³) with DensityKgM3(c, celsius) =
// rhoKgM3, by bisection (density increases with c); ok is false outside
// the table's range.
func (m *Medium) ConcentrationForDensity(rhoKgM3, celsius float64) (c float64, ok bool) {
	lo, hi := 0.0, m.c[len(m.c)-1]
	rLo, rHi := m.DensityKgM3(lo, celsius), m.DensityKgM3(hi, celsius)
	if !(rhoKgM3 >= rLo-1e-9 && rhoKgM3 <= rHi+1e-9) {
		return 0, false
	}
	for k := 0; k < 60; k++ {
		mid := (lo + hi) / 2
		if m.DensityKgM3(mid, celsius) < rhoKgM3 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2, true
}

// ConcentrationForPercent converts a table concentration (% of Basis) to
// kg/m³ (at 20 °C; interpolated in the table).
func (m *Medium) ConcentrationForPercent(pct float64) float64 {
	i, t := segment(m.pct, pct)
	return lerp(m.c, i, t)
}

// PercentForConcentration converts kg/m³ back to % of Basis.
func (m *Medium) PercentForConcentration(cKgM3 float64) float64 {
	i, t := segment(m.c, cKgM3)
	return lerp(m.pct, i, t)
}

// fixedT caches what a Medium needs from the water model at one
// temperature, and per table segment the solute's s and the coefficient
// of c in D(c)/D0, for the inner loops of a run.
type fixedT struct {
	m                                     *Medium
	celsius, wRhoShift, wEta, d0, kT, gFa float64
	sedSeg, difSeg                        []float64
}

func (m *Medium) at(celsius float64) fixedT {
	w, _ := m.water.DensityKgM3(celsius)
	w20, _ := m.water.DensityKgM3(20)
	e, _ := m.water.ViscosityPas(celsius)
	f := fixedT{m: m, celsius: celsius, wRhoShift: w - w20, wEta: e, d0: m.DiffusionM2S(celsius),
		kT: m.Ions * GasConstant * (celsius + Kelvin), gFa: 1 + m.kappa*(20-celsius)}
	n := len(m.c) - 1
	f.sedSeg, f.difSeg = make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		g := (m.rho20[i+1] - m.rho20[i]) / (m.c[i+1] - m.c[i]) * f.gFa
		f.sedSeg[i] = m.MolarMassKgMol * g * f.d0 / f.kT
		f.difSeg[i] = m.BetaExcessSI * g * g * m.MolarMassKgMol / f.kT
	}
	return f
}

// segmentFrom is segment(xs, x)'s index, found by walking from a hint
// (the previous index for a slowly varying x): the largest i with
// xs[i] < x, within [0, len(xs) − 2].
func segmentFrom(xs []float64, x float64, hint int) int {
	i := min(max(hint, 0), len(xs)-2)
	for i > 0 && xs[i] >= x {
		i--
	}
	for i < len(xs)-2 && xs[i+1] < x {
		i++
	}
	return i
}

func (f *fixedT) density(c float64) float64 {
	i, _ := segment(f.m.c, c)
	return f.densityIn(c, i)
}

// densityIn is density with c in table segment i.
func (f *fixedT) densityIn(c float64, i int) float64 {
	m := f.m
	r20 := lerp(m.rho20, i, (c-m.c[i])/(m.c[i+1]-m.c[i]))
	return r20 + f.wRhoShift + m.kappa*(r20-m.rho20[0])*(20-f.celsius)
}

func (f *fixedT) viscosity(c float64) float64 {
	i, _ := segment(f.m.c, c)
	return f.viscosityIn(c, i)
}

// viscosityIn is viscosity with c in table segment i.
func (f *fixedT) viscosityIn(c float64, i int) float64 {
	m := f.m
	t := (c - m.c[i]) / (m.c[i+1] - m.c[i])
	L := lerp(m.lnEta, i, t)
	tb := t // clamped by hand: float min/max are calls in the wasm build
	if tb < 0 {
		tb = 0
	} else if tb > 1 {
		tb = 1
	}
	b := lerp(m.beta, i, tb)
	return f.wEta * fastexp.Exp(L*(1+b*(f.celsius-20)))
}

// sedDiff returns the solute's s and D(c) (see SedimentationS).
func (f *fixedT) sedDiff(c float64) (s, d float64) {
	i, _ := segment(f.m.c, c)
	return f.sedDiffIn(c, i)
}

// sedDiffIn is sedDiff with c in table segment i.
func (f *fixedT) sedDiffIn(c float64, i int) (s, d float64) {
	if c < 0 { // not max(c, 0): a call in the wasm build
		c = 0
	}
	return f.sedSeg[i], f.d0 * (1 + c*f.difSeg[i])
}

// equilibriumSlopeIn is Medium.EquilibriumSlope at ω²r = w2r with c in
// table segment i.
func (f *fixedT) equilibriumSlopeIn(c, w2r float64, i int) float64 {
	if c <= 0 {
		return 0
	}
	m := f.m
	g := (m.rho20[i+1] - m.rho20[i]) / (m.c[i+1] - m.c[i]) * f.gFa
	return m.MolarMassKgMol * g * w2r / (f.kT/c + m.BetaExcessSI*g*g*m.MolarMassKgMol)
}

// DiffusionM2S is the solute's diffusion coefficient at celsius, scaled
// from 25 °C by Stokes–Einstein with water's viscosity: D ∝ T/ηw(T)
// (concentration dependence neglected: an assumption).
func (m *Medium) DiffusionM2S(celsius float64) float64 {
	w25, _ := m.water.ViscosityPas(25)
	w, _ := m.water.ViscosityPas(celsius)
	return m.Diffusion25M2S * (celsius + Kelvin) / (25 + Kelvin) * w25 / w
}

// The solute's flux (kg m⁻² s⁻¹) is driven by the field against the
// gradient of its chemical potential μ (per mole):
//
//	J = (D0·c/(νRT))·[M·g·ω²r − (∂μ/∂c)·∂c/∂r],  g = ∂ρ/∂c = 1 − v̄ρ,
//	∂μ/∂c = νRT/c + β_ex·g²·M   (ideal term + a constant non-ideal term),
//
// i.e. the Lamm equation J = s·ω²r·c − D(c)·∂c/∂r with
//
//	s = D0·M·g/(νRT)                    (Svedberg relation),
//	D(c) = D0·(1 + c·β_ex·g²·M/(νRT)).
//
// At equilibrium (J = 0) dρ/dr = ω²r/β(c) with β(c) = νRT/(c·g²·M) + β_ex,
// the form of Ifft, Voet & Vinograd (1961): β° at the reference density
// fixes β_ex. Without the non-ideal term an ideal solute would pile up
// at the tube bottom far beyond any real solution's concentration.

// SedimentationS is the solute's s at c and celsius (see above).
func (m *Medium) SedimentationS(cKgM3, celsius float64) float64 {
	return m.MolarMassKgMol * m.dDensity(cKgM3, celsius) * m.DiffusionM2S(celsius) / (m.Ions * GasConstant * (celsius + Kelvin))
}

// SoluteDiffusionM2S is the solute's D(c) at c and celsius (see above).
func (m *Medium) SoluteDiffusionM2S(cKgM3, celsius float64) float64 {
	g := m.dDensity(cKgM3, celsius)
	return m.DiffusionM2S(celsius) * (1 + math.Max(cKgM3, 0)*m.BetaExcessSI*g*g*m.MolarMassKgMol/(m.Ions*GasConstant*(celsius+Kelvin)))
}

// EquilibriumSlope is dc/dr at equilibrium at c, radius r and ω²:
// M·g·ω²r / (νRT/c + β_ex·g²·M).
func (m *Medium) EquilibriumSlope(cKgM3, radiusM, omegaSq, celsius float64) float64 {
	if cKgM3 <= 0 {
		return 0
	}
	g := m.dDensity(cKgM3, celsius)
	return m.MolarMassKgMol * g * omegaSq * radiusM / (m.Ions*GasConstant*(celsius+Kelvin)/cKgM3 + m.BetaExcessSI*g*g*m.MolarMassKgMol)
}

// Beta is β(c) = νRT/(c·g²·M) + β_ex in m⁵ kg⁻¹ s⁻² (equilibrium
// dρ/dr = ω²r/β).
func (m *Medium) Beta(cKgM3, celsius float64) float64 {
	g := m.dDensity(cKgM3, celsius)
	return m.Ions*GasConstant*(celsius+Kelvin)/(cKgM3*g*g*m.MolarMassKgMol) + m.BetaExcessSI
}

type mediaFile struct {
	Note  string `json:"note"`
	Media []struct {
		ID        string      `json:"id"`
		Name      string      `json:"name"`
		Basis     string      `json:"concentration_basis"`
		MolarMass quantity.Q  `json:"molar_mass"`
		D25       quantity.Q  `json:"diffusion_at_25c"`
		Kappa     quantity.Q  `json:"density_temperature_coefficient"`
		Ions      quantity.Q  `json:"ions"`
		Beta      betaIfft    `json:"equilibrium_beta"`
		Points    []pointFile `json:"points"`
	} `json:"media"`
	Handling struct {
		Fraction    quantity.Q `json:"fraction_collection"`
		Pouring     quantity.Q `json:"gradient_pouring"`
		SampleShare quantity.Q `json:"default_sample_share"`
	} `json:"handling"`
}

// betaIfft is β° (equilibrium dρ/dr = ω²r/β°) at a reference density.
type betaIfft struct {
	Density quantity.Q `json:"density"`
	Beta    quantity.Q `json:"beta"`
}

type pointFile struct {
	Concentration quantity.Q `json:"concentration"`
	Density       quantity.Q `json:"density_at_20c"`
	Viscosity     quantity.Q `json:"viscosity_at_20c"`
	Other         *struct {
		Temperature quantity.Q `json:"temperature"`
		Viscosity   quantity.Q `json:"viscosity"`
	} `json:"viscosity_other"`
}

// Handling holds the hands-on figures of a gradient run (estimates).
type Handling struct {
	FractionS     float64 // per fraction and tube
	PouringS      float64 // per tube
	SampleShare   float64 // default sample volume / tube volume
	SampleFigure  quantity.Q
	FractionFig   quantity.Q
	PouringFigure quantity.Q
}

// loadMedia reads data/gradient-media.json and reports every problem at
// once, each naming the field and the allowed range.
func loadMedia(fsys fs.FS, sources quantity.Sources, water medium.Medium) (map[string]*Medium, Handling, error) {
	var h Handling
	raw, err := fs.ReadFile(fsys, "data/gradient-media.json")
	if err != nil {
		return nil, h, err
	}
	var f mediaFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, h, fmt.Errorf("gradient-media.json: %v", err)
	}
	p := quantity.Problems{File: "gradient-media.json"}
	get := func(field string, q quantity.Q, lo, hi float64, units ...string) float64 {
		v, err := q.Check(field, sources, units...)
		p.Add(err)
		if err == nil && !(v >= lo && v <= hi) {
			p.Addf(fmt.Sprintf("%s: %g %s is outside the allowed range (%g–%g in SI)", field, q.Value, q.Unit, lo, hi))
		}
		return v
	}
	w20, _ := water.DensityKgM3(20)
	eta20, _ := water.ViscosityPas(20)
	out := map[string]*Medium{}
	for i, fm := range f.Media {
		field := fmt.Sprintf("media[%d] %q", i, fm.ID)
		if fm.ID == "" || fm.Name == "" {
			p.Addf(field + ": id and name are required")
			continue
		}
		if _, dup := out[fm.ID]; dup {
			p.Addf(field + ".id: duplicate")
		}
		m := &Medium{ID: fm.ID, Name: fm.Name, Basis: fm.Basis, water: water}
		unit := ""
		switch fm.Basis {
		case "w/w":
			unit = "percent-w/w"
		case "w/v":
			unit = "percent-w/v"
		default:
			p.Addf(fmt.Sprintf("%s.concentration_basis: %q is not allowed (allowed: w/w, w/v)", field, fm.Basis))
		}
		m.MolarMassKgMol = get(field+".molar_mass", fm.MolarMass, 1e-3, 100, "g/mol")
		m.Diffusion25M2S = get(field+".diffusion_at_25c", fm.D25, 1e-12, 1e-7, "m2/s")
		m.kappa = get(field+".density_temperature_coefficient", fm.Kappa, -0.1, 0.1, "1/degC")
		if len(fm.Points) < 2 {
			p.Addf(field + ".points: at least two rows are needed")
			continue
		}
		type cold struct{ t, eta float64 }
		colds := map[int]cold{}
		for j, pt := range fm.Points {
			pf := fmt.Sprintf("%s.points[%d]", field, j)
			pc := get(pf+".concentration", pt.Concentration, 0, 100, unit)
			rho := get(pf+".density_at_20c", pt.Density, 900, 2500, "g/mL", "kg/m3")
			eta := get(pf+".viscosity_at_20c", pt.Viscosity, 1e-4, 10, "mPa.s", "Pa.s")
			if j == 0 && pc != 0 {
				p.Addf(pf + ".concentration: the first row must be pure water (0 %)")
			}
			if j > 0 && !(pc > m.pct[j-1]) {
				p.Addf(fmt.Sprintf("%s.concentration: %g must exceed the previous row's %g (rows in increasing concentration)", pf, pt.Concentration.Value, m.pct[j-1]))
			}
			if j > 0 && !(rho > m.rho20[j-1]) {
				p.Addf(fmt.Sprintf("%s.density_at_20c: %g g/mL must exceed the previous row's (density must increase with concentration)", pf, rho/1e3))
			}
			c := 10 * pc // % w/v: g/100 mL = 10 kg/m³
			if fm.Basis == "w/w" {
				c = pc / 100 * rho
			}
			m.pct = append(m.pct, pc)
			m.c = append(m.c, c)
			m.rho20 = append(m.rho20, rho)
			m.lnEta = append(m.lnEta, math.Log(eta/eta20))
			if pt.Other != nil {
				t := get(pf+".viscosity_other.temperature", pt.Other.Temperature, 0, 40, "degC")
				e := get(pf+".viscosity_other.viscosity", pt.Other.Viscosity, 1e-4, 10, "mPa.s", "Pa.s")
				if t == 20 {
					p.Addf(pf + ".viscosity_other.temperature: must differ from 20 °C")
				} else {
					colds[j] = cold{t, e}
				}
			}
		}
		if len(m.rho20) > 0 && math.Abs(m.rho20[0]-w20) > 0.5 {
			p.Addf(fmt.Sprintf("%s.points[0].density_at_20c: %g g/mL differs from the water model's %g g/mL by more than 0.0005", field, m.rho20[0]/1e3, w20/1e3))
		}
		// β per row from the second temperature; interpolated between
		// rows that have one, constant beyond.
		m.beta = make([]float64, len(m.c))
		var known []int
		for j := range m.c {
			if cd, ok := colds[j]; ok && m.lnEta[j] != 0 {
				ew, _ := water.ViscosityPas(cd.t)
				m.beta[j] = (math.Log(cd.eta/ew)/m.lnEta[j] - 1) / (cd.t - 20)
				known = append(known, j)
			}
		}
		for j := range m.c {
			if _, ok := colds[j]; ok || len(known) == 0 {
				continue
			}
			k := sort.SearchInts(known, j)
			switch {
			case k == 0:
				m.beta[j] = m.beta[known[0]]
			case k == len(known):
				m.beta[j] = m.beta[known[len(known)-1]]
			default:
				a, b := known[k-1], known[k]
				m.beta[j] = m.beta[a] + (m.c[j]-m.c[a])/(m.c[b]-m.c[a])*(m.beta[b]-m.beta[a])
			}
		}
		m.Ions = get(field+".ions", fm.Ions, 1, 4, "1")
		rhoRef := get(field+".equilibrium_beta.density", fm.Beta.Density, 1000, 2500, "g/mL", "kg/m3")
		beta := get(field+".equilibrium_beta.beta", fm.Beta.Beta, 1, 1e4, "cm5/g/s2")
		if cRef, ok := m.ConcentrationForDensity(rhoRef, 25); ok && cRef > 0 && m.Ions > 0 {
			// β_ex = β° − the ideal part at the reference density (25 °C).
			m.BetaExcessSI = 0
			m.BetaExcessSI = math.Max(0, beta-m.Beta(cRef, 25))
		} else {
			p.Addf(fmt.Sprintf("%s.equilibrium_beta.density: %g g/mL is outside the table's density range", field, rhoRef/1e3))
		}
		out[m.ID] = m
	}
	for _, id := range []string{"sucrose", "iodixanol", "cscl"} {
		if _, ok := out[id]; !ok {
			p.Addf(fmt.Sprintf("media: %q is required", id))
		}
	}
	h.FractionS = get("handling.fraction_collection", f.Handling.Fraction, 0, 3600, "min", "s")
	h.PouringS = get("handling.gradient_pouring", f.Handling.Pouring, 0, 36000, "min", "s")
	h.SampleShare = get("handling.default_sample_share", f.Handling.SampleShare, 1e-3, 0.5, "1")
	h.FractionFig, h.PouringFigure, h.SampleFigure = f.Handling.Fraction, f.Handling.Pouring, f.Handling.SampleShare
	return out, h, p.Err()
}

// MediumIDs lists the media ids, sorted.
func (l *Library) MediumIDs() []string {
	ids := make([]string, 0, len(l.Media))
	for id := range l.Media {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func joinIDs(ids []string) string { return strings.Join(ids, ", ") }
