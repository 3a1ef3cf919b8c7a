package protocol

import (
	"fmt"
	"math"

	"exosep/engine/filter"
)

// FilterDetail describes a filter or ultrafilter step: the membrane and how
// it was run, and what the membrane model (package filter) says about it.
type FilterDetail struct {
	// PoreUM is the nominal pore of a microfilter (0 for an ultrafilter).
	PoreUM float64 `json:"pore_um,omitempty"`
	// MWCOkDa is an ultrafilter's cut-off.
	MWCOkDa  float64 `json:"mwco_kda,omitempty"`
	Membrane string  `json:"membrane,omitempty"`
	// MembraneName, Mode ("deadend" | "tff"), Module, Collect ("permeate"
	// | "retentate").
	MembraneName string  `json:"membrane_name,omitempty"`
	Mode         string  `json:"mode,omitempty"`
	Module       string  `json:"module,omitempty"`
	Collect      string  `json:"collect,omitempty"`
	TMPkPa       float64 `json:"tmp_kpa,omitempty"`
	AreaCM2      float64 `json:"area_cm2,omitempty"`
	// Model says which filter model was used.
	Model string `json:"model"`
	// FiltrationMinutes is the time the liquid took to pass (at constant
	// TMP, with fouling); hands-on time is in StepTime.
	FiltrationMinutes float64 `json:"filtration_minutes"`
	FluxLMHInitial    float64 `json:"flux_lmh_initial,omitempty"`
	FluxLMHFinal      float64 `json:"flux_lmh_final,omitempty"`
	PermeateML        float64 `json:"permeate_ml,omitempty"`
	RetentateML       float64 `json:"retentate_ml,omitempty"`
	// ConcentrationFactor = feed / retentate; DiafiltrationVolumes of
	// buffer exchanged at the final volume (ultrafilter steps).
	ConcentrationFactor  float64 `json:"concentration_factor,omitempty"`
	DiafiltrationVolumes float64 `json:"diafiltration_volumes,omitempty"`
	// PoresBlockedFraction is the share of pores plugged at the end;
	// CakeThicknessNM the deposit's thickness.
	PoresBlockedFraction float64 `json:"pores_blocked_fraction"`
	CakeThicknessNM      float64 `json:"cake_thickness_nm"`
	// TrappedFraction per species: lost on the membrane (lodged in pores
	// or in the unrecovered deposit), a share of what entered the step.
	TrappedFraction SpeciesFrac `json:"trapped_fraction"`
	// DamagedFraction per species: ruptured squeezing through pores
	// smaller than themselves, a share of what entered the step.
	DamagedFraction SpeciesFrac `json:"damaged_fraction"`
	// ExosomeSievingCoefficient is the exosomes' count-weighted observed
	// sieving coefficient on the clean membrane.
	ExosomeSievingCoefficient float64 `json:"exosome_sieving_coefficient"`
	Clogged                   bool    `json:"clogged"`
}

// filterGroup maps the nodes of one species with one diameter to one
// particle class of the filter model (nodes differ in density only, which
// filtration ignores).
type filterGroup struct {
	species, first, last int // node range [first, last)
}

// filtration runs a filter or ultrafilter step through package filter:
// each species' nodes (grouped by diameter) are the particle classes,
// vesicles (the damage model's species) deformable; the kept fraction per
// node is the passed fraction (filter: the filtrate is kept) or the
// retained one (ultrafilter); new damage is the ruptured share of what
// passed. The liquid's viscosity is the mixed liquid's at the data's
// default temperature.
func (r *runner) filtration(n int, s Step, sr *StepResult) error {
	mc := r.lib.Catalog.Membranes
	m := &r.lib.Model
	fail := func(field, format string, a ...any) error {
		return Problems{{Step: n, StepName: s.Name, Kind: s.Kind, Field: field, Message: fmt.Sprintf(format, a...)}}
	}
	var mem filter.Membrane
	mode, collect := filter.DeadEnd, filter.CollectPermeate
	switch {
	case s.Kind == KindFilter && s.Membrane != "":
		mem, _ = mc.Membrane(s.Membrane)
	case s.Kind == KindFilter:
		var err error
		if mem, err = mc.Microfilter(s.PoreUM * 1e-6); err != nil {
			return fail("pore_um", "%v", err)
		}
	case s.Membrane != "":
		mem, _ = mc.Membrane(s.Membrane)
	default:
		mem, _ = mc.Ultrafilter(s.MWCOkDa)
	}
	if s.Kind == KindUltrafilter {
		collect = filter.CollectRetentate
		if s.Mode != filter.DeadEnd {
			mode = filter.Tangential
		}
	}
	moduleID := s.Module
	if moduleID == "" {
		moduleID = defaultModule(s.Kind, mode)
	}
	md, ok := mc.Module(moduleID)
	if !ok {
		return fail("module", "the default module %q is not in the catalogue", moduleID)
	}
	tmp := s.TMPkPa * 1e3
	if tmp == 0 {
		tmp = mc.Process.DefaultTMPDeadEndPa
		if mode == filter.Tangential {
			tmp = mc.Process.DefaultTMPTFFPa
		}
	}
	celsius := m.DefaultTemperatureC
	eta, _, err := r.liquid(celsius)
	if err != nil {
		return fail("kind", "%v", err)
	}
	p := filter.Params{Membrane: mem, Module: md, Process: mc.Process, TMPPa: tmp, FeedVolumeM3: r.volumeM3, Collect: collect,
		ViscosityPas: eta, TemperatureC: celsius, ShearRatePerS: s.ShearRatePerS}
	if collect == filter.CollectRetentate {
		p.FinalVolumeM3 = s.FinalVolumeML * 1e-6
		if s.ConcentrationFactor > 0 {
			p.FinalVolumeM3 = r.volumeM3 / s.ConcentrationFactor
		}
		if !(p.FinalVolumeM3 < r.volumeM3) {
			return fail("final_volume_ml", "%s mL is not below the %s mL reaching this step", num(tidy(p.FinalVolumeM3*1e6)), num(tidy(r.volumeM3*1e6)))
		}
		p.DiafiltrationVolumes = s.DiafiltrationVolumes
	}
	// Particle classes: one per species and diameter.
	var groups []filterGroup
	for i, sp := range r.species {
		for j := 0; j < len(sp.nodes); {
			k := j + 1
			for k < len(sp.nodes) && sp.nodes[k].d == sp.nodes[j].d {
				k++
			}
			var count float64
			for _, nd := range sp.nodes[j:k] {
				count += nd.count
			}
			groups = append(groups, filterGroup{i, j, k})
			p.Particles = append(p.Particles, filter.Particle{Species: sp.id, DiameterM: sp.nodes[j].d, Count: count, Deformable: sp.fragile})
			j = k
		}
	}
	res, err := filter.Run(p)
	if err != nil {
		if ps, ok := err.(filter.Problems); ok {
			var out Problems
			for _, pr := range ps {
				out = append(out, Problem{Step: n, StepName: s.Name, Kind: s.Kind, Field: pr.Field, Message: pr.Message})
			}
			return out
		}
		return err
	}
	if r.opt.FilterTrace != nil {
		r.opt.FilterTrace(n, p, res)
	}
	fd := &FilterDetail{MWCOkDa: mem.MWCOkDa, Membrane: mem.ID, MembraneName: mem.Name, Mode: mode, Module: md.ID, Collect: collect,
		TMPkPa: tmp / 1e3, AreaCM2: res.AreaCM2, FiltrationMinutes: res.Minutes, FluxLMHInitial: res.FluxLMHInitial, FluxLMHFinal: res.FluxLMHFinal,
		PermeateML: res.PermeateML, RetentateML: res.RetentateML, ConcentrationFactor: res.ConcentrationFactor,
		DiafiltrationVolumes: res.DiafiltrationVolumes, Clogged: res.Clogged, TrappedFraction: SpeciesFrac{}, DamagedFraction: SpeciesFrac{},
		Model: "membrane model: hindered transport through lognormal pores, deformable vesicles, pore plugging and cake (engine/filter)"}
	if mem.Kind == filter.Microfilter {
		fd.PoreUM = mem.NominalPoreM * 1e6
	}
	last := res.Series[len(res.Series)-1]
	fd.PoresBlockedFraction, fd.CakeThicknessNM = last.PoresBlockedFraction, last.CakeThicknessNM
	trapped, damaged, total := map[string]float64{}, map[string]float64{}, map[string]float64{}
	var exoS, exoN float64
	for g, grp := range groups {
		pr := res.Particles[g]
		kept := pr.PassedFraction
		if collect == filter.CollectRetentate {
			kept = pr.RetainedFraction
		}
		kept = math.Min(1, math.Max(0, kept))
		dmg := 0.0
		if collect == filter.CollectPermeate && pr.PassedFraction > 0 {
			dmg = math.Min(1, pr.DamagedFraction/pr.PassedFraction)
		}
		for j := grp.first; j < grp.last; j++ {
			r.kept[grp.species][j] = kept
			r.newDamage[grp.species][j] = dmg
		}
		id := r.species[grp.species].id
		trapped[id] += pr.TrappedFraction * pr.Count
		damaged[id] += pr.DamagedFraction * pr.Count
		total[id] += pr.Count
		if id == ExosomeID {
			exoS += pr.SievingCoefficient * pr.Count
			exoN += pr.Count
		}
	}
	for id, t := range total {
		if t > 0 {
			fd.TrappedFraction[id] = trapped[id] / t
			fd.DamagedFraction[id] = damaged[id] / t
		}
	}
	if exoN > 0 {
		fd.ExosomeSievingCoefficient = exoS / exoN
	}
	sr.Filter = fd
	sr.Warnings = append(sr.Warnings, res.Warnings...)
	r.apply(sr)
	// Volumes after the step: the filtrate, or the retentate.
	if collect == filter.CollectPermeate {
		// A clogged filter passes on only what went through.
		r.volumeM3 = res.PermeateML * 1e-6
	} else {
		r.volumeM3 = res.RetentateML * 1e-6
		// Diafiltration washes the sample's liquid out (its small solutes
		// pass freely): its share falls by e^(−N).
		r.inputFraction *= math.Exp(-res.DiafiltrationVolumes)
	}
	if r.volumeM3 <= 0 {
		return fail("kind", "nothing passed the filter: the membrane clogged at once (try a larger module, another membrane or a lower tmp_kpa)")
	}
	r.vessels = 1
	sr.Time.RunMinutes = res.Minutes
	return nil
}

// defaultModule is the module used when a step names none: a syringe
// filter for a clarifying filter, a stirred cell for dead-end
// ultrafiltration, a lab hollow-fibre cartridge for tangential flow.
func defaultModule(kind, mode string) string {
	switch {
	case kind == KindFilter:
		return "syringe-25mm"
	case mode == filter.DeadEnd:
		return "stirred-cell-76mm"
	}
	return "hollow-fibre-lab"
}
