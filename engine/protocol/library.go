package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"sort"
	"strings"
	"sync"

	"exosep/assets"
	"exosep/engine/catalog"
	"exosep/engine/damage"
	"exosep/engine/quantity"
	"exosep/engine/species"
)

// Dalton is one dalton (unified atomic mass unit) in kg (CODATA 2018).
const Dalton = 1.66053906660e-27

// Input is a sample a protocol starts from (data/inputs.json), SI units.
type Input struct {
	ID, Name, Note string
	// DefaultVolumeM3 is the volume used when neither the protocol nor the
	// caller gives one.
	DefaultVolumeM3 float64
	// LiquidDensity20KgM3 is the liquid's density at 20 °C; the engine
	// keeps its excess over water at every temperature.
	LiquidDensity20KgM3 float64
	// ViscosityRatio is the liquid's viscosity relative to water at the
	// same temperature.
	ViscosityRatio float64
	// SolubleProteinKgM3 is soluble protein (kg/m³ = mg/mL), carried as
	// albumin molecules.
	SolubleProteinKgM3 float64
	// PerM3 is the number concentration of each species, particles/m³.
	PerM3 map[string]float64
	// Figures are the data file's numbers as read, for display: "volume",
	// "density_at_20c", "viscosity_ratio", "soluble_protein" and
	// "particles.<species>".
	Figures map[string]quantity.Q
}

// ProteinSpec gives a species' protein per particle: either a fixed mass
// (PerParticleKg > 0) or a share of the particle's mass ρ·πd³/6.
type ProteinSpec struct {
	PerParticleKg float64
	MassFraction  float64
	Figure        quantity.Q
}

// Of returns the protein mass (kg) of one particle of diameter diameterM
// and density densityKgM3.
func (p ProteinSpec) Of(diameterM, densityKgM3 float64) float64 {
	if p.PerParticleKg > 0 {
		return p.PerParticleKg
	}
	return p.MassFraction * densityKgM3 * math.Pi / 6 * diameterM * diameterM * diameterM
}

// PurityClass is a band of particles per µg protein (Webber & Clayton
// 2013); a zero bound is open.
type PurityClass struct {
	Name                   string
	MinPerUG, MaxPerUG     float64
	MinFigure, MaxFigure   *quantity.Q
	Confidence, SourceName string
}

// Model holds the protocol-level figures of data/inputs.json, SI units.
type Model struct {
	DefaultTemperatureC float64
	ResidualFraction    float64 // residual liquid per tube / tube volume
	ResidualMinM3       float64
	RampSPer100kRPM     float64 // ramp time at 100,000 rpm, s
	RampMinS            float64
	RunSetupS           float64
	PerTubeS            float64
	FilterSetupS        float64
	ResuspendPerVesselS float64
	PoolS               float64
	Damage              damage.Model
	DamageReferenceRCF  float64
	DamageAppliesTo     map[string]bool
	CountMinM           float64
	CountMaxM           float64
	Protein             map[string]ProteinSpec
	Purity              []PurityClass
	// Figures are the data file's numbers as read ("spin.residual_fraction",
	// "damage.shape", …), for display with their confidence.
	Figures map[string]quantity.Q
}

// Library is everything the protocol engine reads from the data files: the
// physics catalog, the inputs, the model figures and the presets.
type Library struct {
	Catalog *catalog.Catalog
	Inputs  []Input
	Model   Model
	Presets []Protocol

	nodesMu sync.Mutex
	nodeSet map[nodeKey][]species.Node
}

type nodeKey struct {
	id     string
	nd, nr int
}

// nodes returns the species' quadrature nodes, computed once per library.
func (l *Library) nodes(sp species.Species, nd, nr int) []species.Node {
	l.nodesMu.Lock()
	defer l.nodesMu.Unlock()
	k := nodeKey{sp.ID, nd, nr}
	if n, ok := l.nodeSet[k]; ok {
		return n
	}
	if l.nodeSet == nil {
		l.nodeSet = map[nodeKey][]species.Node{}
	}
	n := sp.Nodes(nd, nr)
	l.nodeSet[k] = n
	return n
}

// Input returns the input with the given id.
func (l *Library) Input(id string) (Input, bool) {
	for _, in := range l.Inputs {
		if in.ID == id {
			return in, true
		}
	}
	return Input{}, false
}

// InputIDs lists the input ids.
func (l *Library) InputIDs() []string {
	ids := make([]string, len(l.Inputs))
	for i, in := range l.Inputs {
		ids[i] = in.ID
	}
	return ids
}

// Preset returns the preset with the given id (case-insensitive).
func (l *Library) Preset(id string) (Protocol, error) {
	for _, p := range l.Presets {
		if strings.EqualFold(p.ID, strings.TrimSpace(id)) {
			return p, nil
		}
	}
	return Protocol{}, fmt.Errorf("unknown preset %q (allowed: %s)", id, strings.Join(l.PresetIDs(), ", "))
}

// PresetIDs lists the preset ids, sorted.
func (l *Library) PresetIDs() []string {
	ids := make([]string, len(l.Presets))
	for i, p := range l.Presets {
		ids[i] = p.ID
	}
	return ids
}

type inputsFile struct {
	Note   string `json:"note"`
	Inputs []struct {
		ID     string     `json:"id"`
		Name   string     `json:"name"`
		Note   string     `json:"note"`
		Volume quantity.Q `json:"volume"`
		Liquid struct {
			Density   quantity.Q `json:"density_at_20c"`
			Viscosity quantity.Q `json:"viscosity_ratio"`
		} `json:"liquid"`
		SolubleProtein quantity.Q            `json:"soluble_protein"`
		Particles      map[string]quantity.Q `json:"particles"`
	} `json:"inputs"`
	Protein map[string]struct {
		MassFraction *quantity.Q `json:"mass_fraction"`
		PerParticle  *quantity.Q `json:"per_particle"`
	} `json:"protein"`
	Spin struct {
		Temperature      quantity.Q `json:"temperature"`
		ResidualFraction quantity.Q `json:"residual_fraction"`
		ResidualMin      quantity.Q `json:"residual_min"`
		RampPer100k      quantity.Q `json:"ramp_per_100000_rpm"`
		RampMin          quantity.Q `json:"ramp_min"`
	} `json:"spin"`
	Handling struct {
		RunSetup           quantity.Q `json:"run_setup"`
		PerTube            quantity.Q `json:"per_tube"`
		FilterSetup        quantity.Q `json:"filter_setup"`
		ResuspendPerVessel quantity.Q `json:"resuspend_per_vessel"`
		Pool               quantity.Q `json:"pool"`
	} `json:"handling"`
	Damage struct {
		ReferenceRCF   quantity.Q `json:"reference_rcf"`
		HalfDamageTime quantity.Q `json:"half_damage_time"`
		Shape          quantity.Q `json:"shape"`
		AppliesTo      []string   `json:"applies_to"`
	} `json:"damage"`
	Counting struct {
		Min quantity.Q `json:"min_diameter"`
		Max quantity.Q `json:"max_diameter"`
	} `json:"counting"`
	PurityClasses []struct {
		Name string      `json:"name"`
		Min  *quantity.Q `json:"min_particles_per_ug"`
		Max  *quantity.Q `json:"max_particles_per_ug"`
	} `json:"purity_classes"`
}

func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Load reads data/inputs.json and data/presets/*.json from fsys, checks
// every number's unit, source and range against cat, validates every
// preset, and reports all problems at once, each naming file and field.
func Load(fsys fs.FS, cat *catalog.Catalog) (*Library, error) {
	lib := &Library{Catalog: cat}
	var errs []error
	errs = append(errs, lib.loadInputs(fsys))
	errs = append(errs, lib.loadPresets(fsys))
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return lib, nil
}

func (lib *Library) loadInputs(fsys fs.FS) error {
	raw, err := fs.ReadFile(fsys, "data/inputs.json")
	if err != nil {
		return err
	}
	var f inputsFile
	if err := decodeStrict(raw, &f); err != nil {
		return fmt.Errorf("inputs.json: %v", err)
	}
	cat := lib.Catalog
	p := quantity.Problems{File: "inputs.json"}
	m := &lib.Model
	m.Figures = map[string]quantity.Q{}
	get := func(field string, q quantity.Q, lo, hi float64, units ...string) float64 {
		v, err := q.Check(field, cat.Sources, units...)
		p.Add(err)
		if err == nil && !(v >= lo && v <= hi) {
			u := " " + q.Unit
			if q.Unit == "1" {
				u = ""
			}
			p.Addf(fmt.Sprintf("%s: %g%s is outside the allowed range %g–%g%s", field, q.Value, u, lo/siOf(q.Unit), hi/siOf(q.Unit), u))
		}
		m.Figures[field] = q
		return v
	}
	knownSpecies := map[string]bool{}
	for _, s := range cat.Species {
		knownSpecies[s.ID] = true
	}
	speciesList := func() string {
		ids := make([]string, 0, len(cat.Species))
		for _, s := range cat.Species {
			ids = append(ids, s.ID)
		}
		return strings.Join(ids, ", ")
	}
	seen := map[string]bool{}
	for i, fi := range f.Inputs {
		field := fmt.Sprintf("inputs[%d] %q", i, fi.ID)
		if fi.ID == "" || fi.Name == "" {
			p.Addf(field + ": id and name are required")
		}
		if seen[fi.ID] {
			p.Addf(field + ".id: duplicate")
		}
		seen[fi.ID] = true
		in := Input{ID: fi.ID, Name: fi.Name, Note: fi.Note, PerM3: map[string]float64{}, Figures: map[string]quantity.Q{}}
		fig := func(name string, q quantity.Q, lo, hi float64, units ...string) float64 {
			v := get(field+"."+name, q, lo, hi, units...)
			delete(m.Figures, field+"."+name)
			in.Figures[name] = q
			return v
		}
		in.DefaultVolumeM3 = fig("volume", fi.Volume, 1e-9, 1e-1, "mL")
		in.LiquidDensity20KgM3 = fig("liquid.density_at_20c", fi.Liquid.Density, 900, 1300, "g/mL", "kg/m3")
		in.ViscosityRatio = fig("liquid.viscosity_ratio", fi.Liquid.Viscosity, 0.5, 20, "1")
		in.SolubleProteinKgM3 = fig("soluble_protein", fi.SolubleProtein, 0, 200, "kg/m3")
		ids := make([]string, 0, len(fi.Particles))
		for id := range fi.Particles {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			if !knownSpecies[id] {
				p.Addf(fmt.Sprintf("%s.particles.%s: unknown species (allowed: %s)", field, id, speciesList()))
				continue
			}
			if id == AlbuminID {
				p.Addf(fmt.Sprintf("%s.particles.%s: give soluble protein as soluble_protein (mg/mL), not as particles", field, id))
				continue
			}
			in.PerM3[id] = fig("particles."+id, fi.Particles[id], 0, 1e24, "particles/mL")
		}
		lib.Inputs = append(lib.Inputs, in)
	}
	if len(lib.Inputs) == 0 {
		p.Addf("inputs: the list is empty")
	}

	m.Protein = map[string]ProteinSpec{}
	for _, s := range cat.Species {
		ps, ok := f.Protein[s.ID]
		field := "protein." + s.ID
		switch {
		case !ok:
			p.Addf(field + ": missing (every species needs its protein per particle)")
		case (ps.MassFraction == nil) == (ps.PerParticle == nil):
			p.Addf(field + ": give exactly one of mass_fraction and per_particle")
		case ps.MassFraction != nil:
			m.Protein[s.ID] = ProteinSpec{MassFraction: get(field+".mass_fraction", *ps.MassFraction, 0, 1, "1"), Figure: *ps.MassFraction}
		default:
			kda := get(field+".per_particle", *ps.PerParticle, 1e-3, 1e9, "kDa")
			m.Protein[s.ID] = ProteinSpec{PerParticleKg: kda * 1e3 * Dalton, Figure: *ps.PerParticle}
		}
	}
	for id := range f.Protein {
		if !knownSpecies[id] {
			p.Addf(fmt.Sprintf("protein.%s: unknown species (allowed: %s)", id, speciesList()))
		}
	}
	if _, ok := m.Protein[AlbuminID]; ok && m.Protein[AlbuminID].PerParticleKg == 0 {
		p.Addf("protein.albumin: give per_particle (the molar mass), which converts soluble protein to molecules")
	}

	m.DefaultTemperatureC = get("spin.temperature", f.Spin.Temperature, 0, 40, "degC")
	m.ResidualFraction = get("spin.residual_fraction", f.Spin.ResidualFraction, 1e-5, 0.2, "1")
	m.ResidualMinM3 = get("spin.residual_min", f.Spin.ResidualMin, 0, 1e-5, "mL")
	m.RampSPer100kRPM = get("spin.ramp_per_100000_rpm", f.Spin.RampPer100k, 0, 3600, "min", "s")
	m.RampMinS = get("spin.ramp_min", f.Spin.RampMin, 0, 3600, "min", "s")
	m.RunSetupS = get("handling.run_setup", f.Handling.RunSetup, 0, 36000, "min")
	m.PerTubeS = get("handling.per_tube", f.Handling.PerTube, 0, 3600, "min")
	m.FilterSetupS = get("handling.filter_setup", f.Handling.FilterSetup, 0, 36000, "min")
	m.ResuspendPerVesselS = get("handling.resuspend_per_vessel", f.Handling.ResuspendPerVessel, 0, 3600, "min")
	m.PoolS = get("handling.pool", f.Handling.Pool, 0, 36000, "min")
	m.DamageReferenceRCF = get("damage.reference_rcf", f.Damage.ReferenceRCF, 1, 1e7, "1")
	half := get("damage.half_damage_time", f.Damage.HalfDamageTime, 60, 1e7, "h", "min", "s")
	m.Damage = damage.Model{HalfDoseGS: m.DamageReferenceRCF * half, Shape: get("damage.shape", f.Damage.Shape, 1, 20, "1")}
	p.Add(m.Damage.Validate())
	m.DamageAppliesTo = map[string]bool{}
	for _, id := range f.Damage.AppliesTo {
		if !knownSpecies[id] {
			p.Addf(fmt.Sprintf("damage.applies_to: unknown species %q (allowed: %s)", id, speciesList()))
		}
		m.DamageAppliesTo[id] = true
	}
	if !m.DamageAppliesTo[ExosomeID] {
		p.Addf("damage.applies_to: must include " + ExosomeID)
	}
	m.CountMinM = get("counting.min_diameter", f.Counting.Min, 1e-9, 1e-3, "nm", "um")
	m.CountMaxM = get("counting.max_diameter", f.Counting.Max, 1e-9, 1e-3, "nm", "um")
	if m.CountMaxM <= m.CountMinM {
		p.Addf(fmt.Sprintf("counting: max_diameter %g nm must exceed min_diameter %g nm", m.CountMaxM*1e9, m.CountMinM*1e9))
	}
	for i, pc := range f.PurityClasses {
		field := fmt.Sprintf("purity_classes[%d] %q", i, pc.Name)
		c := PurityClass{Name: pc.Name, MinFigure: pc.Min, MaxFigure: pc.Max, Confidence: string(quantity.Estimate)}
		if pc.Name == "" {
			p.Addf(field + ".name: required")
		}
		if pc.Min == nil && pc.Max == nil {
			p.Addf(field + ": give min_particles_per_ug, max_particles_per_ug or both")
		}
		for _, q := range []*quantity.Q{pc.Min, pc.Max} {
			if q != nil {
				c.SourceName = q.Source
				if q.Confidence != quantity.Read {
					c.Confidence = string(q.Confidence)
				}
			}
		}
		if pc.Min != nil {
			c.MinPerUG = get(field+".min_particles_per_ug", *pc.Min, 0, 1e20, "1")
		}
		if pc.Max != nil {
			c.MaxPerUG = get(field+".max_particles_per_ug", *pc.Max, 0, 1e20, "1")
		}
		if pc.Min != nil && pc.Max != nil && c.MaxPerUG <= c.MinPerUG {
			p.Addf(field + ": max must exceed min")
		}
		m.Purity = append(m.Purity, c)
	}
	return p.Err()
}

// siOf is the factor from a unit to SI, as quantity.Q.Check applies it.
func siOf(unit string) float64 {
	v, _ := quantity.Q{Value: 1, Unit: unit, Source: "x", Confidence: quantity.Read}.Check("", quantity.Sources{"x": {}})
	if v == 0 {
		return 1
	}
	return v
}

// presetFile is a preset: a protocol with an id and a required source.
type presetFile struct {
	ID string `json:"id"`
}

func (lib *Library) loadPresets(fsys fs.FS) error {
	entries, err := fs.ReadDir(fsys, "data/presets")
	if err != nil {
		return fmt.Errorf("presets: %v", err)
	}
	var errs []error
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		name := "presets/" + e.Name()
		raw, err := fs.ReadFile(fsys, "data/"+name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, problems := Parse(raw)
		parsedOK := len(problems) == 0
		stem := strings.TrimSuffix(e.Name(), ".json")
		if p.ID != stem {
			problems = append(problems, Problem{Field: "id", Message: fmt.Sprintf("%q must equal the file name %q", p.ID, stem)})
		}
		if p.Source == "" {
			problems = append(problems, Problem{Field: "source", Message: "required for a preset (a key of sources.json)"})
		}
		if parsedOK && len(lib.Inputs) > 0 {
			problems = append(problems, lib.Validate(p)...)
		}
		for _, pr := range problems {
			errs = append(errs, fmt.Errorf("%s: %s", name, pr))
		}
		lib.Presets = append(lib.Presets, p)
	}
	if len(lib.Presets) == 0 {
		errs = append(errs, errors.New("presets: no preset found in data/presets"))
	}
	sort.Slice(lib.Presets, func(i, j int) bool { return lib.Presets[i].ID < lib.Presets[j].ID })
	return errors.Join(errs...)
}

var (
	defOnce sync.Once
	defLib  *Library
	defErr  error
)

// Default returns the library built from the embedded assets and
// catalog.Default().
func Default() (*Library, error) {
	defOnce.Do(func() {
		cat, err := catalog.Default()
		if err != nil {
			defErr = err
			return
		}
		defLib, defErr = Load(assets.Data, cat)
	})
	return defLib, defErr
}
