package filter

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"sort"
	"strings"

	"exosep/engine/quantity"
)

// Process holds the filtration model's figures of data/membranes.json
// ("process"), SI units. Most are estimates; each carries its mark in
// Figures.
type Process struct {
	// LysisTensionNPerM is the membrane tension τ at which a vesicle
	// ruptures; the least pressure that pushes a vesicle of radius a
	// through a pore of radius r < a is ΔP_min = 2τ(1/r − 1/a).
	LysisTensionNPerM float64
	// LysisAreaStrain is the relative area increase a vesicle bilayer bears
	// before it ruptures; a vesicle squeezed through a pore ruptures (is
	// damaged) when the volume-conserving sausage shape in the pore needs a
	// larger area strain.
	LysisAreaStrain float64
	// CakePorosity is the void share ε_c of the deposit on the membrane.
	CakePorosity float64
	// MaxPackingFraction is the particle volume fraction at which the
	// polarised layer becomes a deposit (φ_max, random close packing).
	MaxPackingFraction float64
	// WedgeRatio: a particle that cannot pass a pore lodges in its mouth
	// when its radius is below WedgeRatio × the pore radius; larger ones sit
	// on the surface (cake).
	WedgeRatio float64
	// CakeRecovered is the share of the deposit recovered with the
	// retentate at the end, per mode (the rest is lost on the membrane).
	CakeRecoveredDeadEnd, CakeRecoveredTFF float64
	// Default transmembrane pressures and the hollow-fibre wall shear rate.
	DefaultTMPDeadEndPa, DefaultTMPTFFPa float64
	DefaultShearRatePerS                 float64
	// MaxProcessS ends a filtration that has not finished (clogged).
	MaxProcessS float64
	Figures     map[string]quantity.Q
}

// Catalogue is the membranes, modules and process figures of
// data/membranes.json.
type Catalogue struct {
	Membranes []Membrane
	Modules   []Module
	Process   Process
}

// Membrane returns the membrane with the given id.
func (c *Catalogue) Membrane(id string) (Membrane, bool) {
	for _, m := range c.Membranes {
		if m.ID == id {
			return m, true
		}
	}
	return Membrane{}, false
}

// Module returns the module with the given id.
func (c *Catalogue) Module(id string) (Module, bool) {
	for _, m := range c.Modules {
		if m.ID == id {
			return m, true
		}
	}
	return Module{}, false
}

// IDs lists the membrane ids of a kind ("" for all), in file order.
func (c *Catalogue) IDs(kind string) []string {
	var ids []string
	for _, m := range c.Membranes {
		if kind == "" || m.Kind == kind {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// ModuleIDs lists the module ids of a mode ("" for all), in file order.
func (c *Catalogue) ModuleIDs(mode string) []string {
	var ids []string
	for _, m := range c.Modules {
		if mode == "" || m.Mode == mode {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// Microfilter returns the catalogue microfilter rated poreM (within 0.1 %),
// or, when there is none, a tortuous membrane of that nominal pore built
// from the catalogue's first tortuous microfilter (its thickness,
// tortuosity, porosity and pore spread), marked generic in its Note.
func (c *Catalogue) Microfilter(poreM float64) (Membrane, error) {
	var template *Membrane
	for i, m := range c.Membranes {
		if m.Kind != Microfilter {
			continue
		}
		if math.Abs(m.NominalPoreM-poreM) <= 1e-3*poreM {
			return m, nil
		}
		if template == nil && m.Structure == Tortuous {
			template = &c.Membranes[i]
		}
	}
	if template == nil {
		return Membrane{}, fmt.Errorf("no tortuous microfilter in the catalogue to build a %g µm filter from", poreM*1e6)
	}
	m := *template
	m.ID = fmt.Sprintf("generic-%gum", poreM*1e6)
	m.Name = fmt.Sprintf("%g µm filter (generic)", poreM*1e6)
	m.NominalPoreM, m.PoreRadiusM = poreM, poreM/2
	m.Note = "generic: the structure of " + template.Name + " with a " + fmt.Sprintf("%g", poreM*1e6) + " µm nominal pore"
	return m, m.Validate()
}

// Ultrafilter returns the catalogue ultrafilter of the given MWCO (within
// 0.1 %).
func (c *Catalogue) Ultrafilter(kDa float64) (Membrane, bool) {
	for _, m := range c.Membranes {
		if m.Kind == Ultrafilter && math.Abs(m.MWCOkDa-kDa) <= 1e-3*kDa {
			return m, true
		}
	}
	return Membrane{}, false
}

type membranesFile struct {
	Note      string `json:"note"`
	Membranes []struct {
		ID          string      `json:"id"`
		Name        string      `json:"name"`
		Kind        string      `json:"kind"`
		Structure   string      `json:"structure"`
		Note        string      `json:"note"`
		NominalPore *quantity.Q `json:"nominal_pore"`
		MWCO        *quantity.Q `json:"mwco"`
		PoreGSD     quantity.Q  `json:"pore_gsd"`
		Thickness   quantity.Q  `json:"thickness"`
		Tortuosity  quantity.Q  `json:"tortuosity"`
		Porosity    quantity.Q  `json:"porosity"`
	} `json:"membranes"`
	Modules []struct {
		ID                 string      `json:"id"`
		Name               string      `json:"name"`
		Mode               string      `json:"mode"`
		Note               string      `json:"note"`
		Area               *quantity.Q `json:"area"`
		HoldUp             *quantity.Q `json:"hold_up"`
		FibreInnerDiameter *quantity.Q `json:"fibre_inner_diameter"`
		FibreLength        *quantity.Q `json:"fibre_length"`
		Fibres             *quantity.Q `json:"fibres"`
	} `json:"modules"`
	Process struct {
		LysisTension    quantity.Q `json:"lysis_tension"`
		LysisAreaStrain quantity.Q `json:"lysis_area_strain"`
		CakePorosity    quantity.Q `json:"cake_porosity"`
		MaxPacking      quantity.Q `json:"max_packing_fraction"`
		WedgeRatio      quantity.Q `json:"wedge_ratio"`
		CakeRecDeadEnd  quantity.Q `json:"cake_recovered_deadend"`
		CakeRecTFF      quantity.Q `json:"cake_recovered_tff"`
		TMPDeadEnd      quantity.Q `json:"default_tmp_deadend"`
		TMPTFF          quantity.Q `json:"default_tmp_tff"`
		ShearRate       quantity.Q `json:"default_shear_rate"`
		MaxProcessTime  quantity.Q `json:"max_process_time"`
	} `json:"process"`
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)

// Load reads data/membranes.json, checks every number's unit, source and
// range, calibrates the ultrafilters' pore radii from their MWCO, and
// reports all problems at once, each naming the field.
func Load(fsys fs.FS, sources quantity.Sources) (*Catalogue, error) {
	raw, err := fs.ReadFile(fsys, "data/membranes.json")
	if err != nil {
		return nil, err
	}
	var f membranesFile
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("membranes.json: %v", err)
	}
	p := quantity.Problems{File: "membranes.json"}
	get := func(figs map[string]quantity.Q, field, name string, q quantity.Q, lo, hi float64, units ...string) float64 {
		v, err := q.Check(field+"."+name, sources, units...)
		p.Add(err)
		if err == nil && !(v >= lo && v <= hi) {
			p.Addf(fmt.Sprintf("%s.%s: %g %s is outside the allowed range (%g–%g in SI)", field, name, q.Value, q.Unit, lo, hi))
		}
		figs[name] = q
		return v
	}
	c := &Catalogue{}
	seen := map[string]bool{}
	for i, fm := range f.Membranes {
		field := fmt.Sprintf("membranes[%d] %q", i, fm.ID)
		if !idRE.MatchString(fm.ID) || fm.Name == "" {
			p.Addf(field + ": id (lower-case letters, digits, dots, hyphens) and name are required")
		}
		if seen[fm.ID] {
			p.Addf(field + ".id: duplicate")
		}
		seen[fm.ID] = true
		m := Membrane{ID: fm.ID, Name: fm.Name, Kind: fm.Kind, Structure: fm.Structure, Note: fm.Note, Figures: map[string]quantity.Q{}}
		m.PoreGSD = get(m.Figures, field, "pore_gsd", fm.PoreGSD, 1, MaxPoreGSD, "1")
		m.ThicknessM = get(m.Figures, field, "thickness", fm.Thickness, 1e-8, 1e-3, "um", "nm", "mm")
		m.Tortuosity = get(m.Figures, field, "tortuosity", fm.Tortuosity, 1, 10, "1")
		m.Porosity = get(m.Figures, field, "porosity", fm.Porosity, 1e-4, 0.99, "1")
		switch fm.Kind {
		case Microfilter:
			if fm.NominalPore == nil || fm.MWCO != nil {
				p.Addf(field + ": a microfilter needs nominal_pore and no mwco")
				break
			}
			m.NominalPoreM = get(m.Figures, field, "nominal_pore", *fm.NominalPore, 2*MinPoreRadiusM, 2*MaxPoreRadiusM, "um", "nm")
			m.PoreRadiusM = m.NominalPoreM / 2
		case Ultrafilter:
			if fm.MWCO == nil || fm.NominalPore != nil {
				p.Addf(field + ": an ultrafilter needs mwco and no nominal_pore")
				break
			}
			m.MWCOkDa = get(m.Figures, field, "mwco", *fm.MWCO, 1, 10000, "kDa")
			if m.MWCOkDa > 0 && m.PoreGSD >= 1 {
				m.CalibrateMWCO()
			}
		default:
			p.Addf(fmt.Sprintf("%s.kind: %q (allowed: %s, %s)", field, fm.Kind, Microfilter, Ultrafilter))
			continue
		}
		if m.PoreRadiusM > 0 {
			p.Add(m.Validate())
		}
		c.Membranes = append(c.Membranes, m)
	}
	seen = map[string]bool{}
	for i, fm := range f.Modules {
		field := fmt.Sprintf("modules[%d] %q", i, fm.ID)
		if !idRE.MatchString(fm.ID) || fm.Name == "" {
			p.Addf(field + ": id (lower-case letters, digits, dots, hyphens) and name are required")
		}
		if seen[fm.ID] {
			p.Addf(field + ".id: duplicate")
		}
		seen[fm.ID] = true
		md := Module{ID: fm.ID, Name: fm.Name, Mode: fm.Mode, Note: fm.Note, Figures: map[string]quantity.Q{}}
		switch fm.Mode {
		case DeadEnd:
			if fm.Area == nil || fm.HoldUp == nil || fm.FibreInnerDiameter != nil || fm.FibreLength != nil || fm.Fibres != nil {
				p.Addf(field + ": a dead-end module needs area and hold_up and no fibres")
				continue
			}
			md.AreaM2 = get(md.Figures, field, "area", *fm.Area, 1e-6, 100, "cm2", "m2")
			md.HoldUpM3 = get(md.Figures, field, "hold_up", *fm.HoldUp, 1e-9, 1e-4, "mL")
		case Tangential:
			if fm.Area != nil || fm.HoldUp != nil || fm.FibreInnerDiameter == nil || fm.FibreLength == nil || fm.Fibres == nil {
				p.Addf(field + ": a hollow-fibre module needs fibre_inner_diameter, fibre_length and fibres (its area is derived)")
				continue
			}
			md.FibreInnerDiameterM = get(md.Figures, field, "fibre_inner_diameter", *fm.FibreInnerDiameter, 1e-5, 1e-2, "mm", "um")
			md.FibreLengthM = get(md.Figures, field, "fibre_length", *fm.FibreLength, 1e-3, 5, "mm", "m")
			n := get(md.Figures, field, "fibres", *fm.Fibres, 1, 1e6, "1")
			if n != math.Trunc(n) {
				p.Addf(field + ".fibres: must be a whole number")
			}
			md.Fibres = int(n)
			md.AreaM2 = md.FibreAreaM2()
		default:
			p.Addf(fmt.Sprintf("%s.mode: %q (allowed: %s, %s)", field, fm.Mode, DeadEnd, Tangential))
			continue
		}
		p.Add(md.Validate())
		c.Modules = append(c.Modules, md)
	}
	if len(c.ModuleIDs(DeadEnd)) == 0 || len(c.ModuleIDs(Tangential)) == 0 {
		p.Addf("modules: need at least one deadend and one tff module")
	}
	pr := &c.Process
	pr.Figures = map[string]quantity.Q{}
	fp := f.Process
	pr.LysisTensionNPerM = get(pr.Figures, "process", "lysis_tension", fp.LysisTension, 1e-4, 0.1, "mN/m")
	pr.LysisAreaStrain = get(pr.Figures, "process", "lysis_area_strain", fp.LysisAreaStrain, 1e-3, 0.5, "1")
	pr.CakePorosity = get(pr.Figures, "process", "cake_porosity", fp.CakePorosity, 0.1, 0.9, "1")
	pr.MaxPackingFraction = get(pr.Figures, "process", "max_packing_fraction", fp.MaxPacking, 0.1, 0.75, "1")
	pr.WedgeRatio = get(pr.Figures, "process", "wedge_ratio", fp.WedgeRatio, 1, 10, "1")
	pr.CakeRecoveredDeadEnd = get(pr.Figures, "process", "cake_recovered_deadend", fp.CakeRecDeadEnd, 0, 1, "1")
	pr.CakeRecoveredTFF = get(pr.Figures, "process", "cake_recovered_tff", fp.CakeRecTFF, 0, 1, "1")
	pr.DefaultTMPDeadEndPa = get(pr.Figures, "process", "default_tmp_deadend", fp.TMPDeadEnd, MinTMPPa, MaxTMPPa, "kPa")
	pr.DefaultTMPTFFPa = get(pr.Figures, "process", "default_tmp_tff", fp.TMPTFF, MinTMPPa, MaxTMPPa, "kPa")
	pr.DefaultShearRatePerS = get(pr.Figures, "process", "default_shear_rate", fp.ShearRate, MinShearRatePerS, MaxShearRatePerS, "1/s")
	pr.MaxProcessS = get(pr.Figures, "process", "max_process_time", fp.MaxProcessTime, 60, 30*86400, "h", "min")
	if err := p.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// sortedKeys lists a figure map's keys in order (for display).
func sortedKeys(m map[string]quantity.Q) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}
