package site

import (
	"exosep/engine/catalog"
	"exosep/engine/filter"
	"exosep/engine/protocol"
)

// filtrationScripts are the filtration pages' scripts (deferred, in
// order), on the full and the embed pages: the schema's validator,
// formats, the stage client, the form helpers, keys, the share panel and
// the host API (each idle where the page lacks its part).
var filtrationScripts = []string{"static/params.js", "static/format.js", "static/stage-client.js", "static/form.js", "static/keys.js", "static/share.js", "static/host-api.js", "static/filtration.js"}

// filtrationComparePresets are the centrifugation presets run on the same
// input and volume beside a filtration, for the comparison table.
var filtrationComparePresets = []string{"nikfarjam2020", "thery2006"}

// mwcoOption is one ultrafilter of the catalogue for the membrane menu.
type mwcoOption struct {
	ID      string
	Name    string
	MWCOkDa float64
}

// filtrationView is what ultrafiltration.html and
// sequential-filtration.html render: the catalogue's ultrafilters, the
// data's default pressures and shear rate, the species for the legend,
// the limits the engine checks, and the comparison presets.
type filtrationView struct {
	Ultrafilters      []mwcoOption
	DefaultTMPDeadKPa float64
	DefaultTMPTFFKPa  float64
	DefaultShear      float64
	MinTMPKPa         float64
	MaxTMPKPa         float64
	MinShear          float64
	MaxShear          float64
	MaxVolumeML       int
	MaxCF             int
	MaxDiafiltration  int
	Species           []filtrationSpecies
	Compare           []string
	// SF are the sequential-filtration preset's steps (the SF page's
	// defaults).
	SF []protocol.Step
}

// filtrationSpecies is one species for the legend and the tables.
type filtrationSpecies struct{ ID, Name, Short, Color string }

func newFiltrationView(cat *catalog.Catalog, lib *protocol.Library) (filtrationView, error) {
	mc := cat.Membranes
	pr := mc.Process
	v := filtrationView{DefaultTMPDeadKPa: pr.DefaultTMPDeadEndPa / 1e3, DefaultTMPTFFKPa: pr.DefaultTMPTFFPa / 1e3,
		DefaultShear: pr.DefaultShearRatePerS, MinTMPKPa: filter.MinTMPPa / 1e3, MaxTMPKPa: filter.MaxTMPPa / 1e3,
		MinShear: filter.MinShearRatePerS, MaxShear: filter.MaxShearRatePerS, MaxVolumeML: protocol.MaxVolumeML,
		MaxCF: protocol.MaxConcentrationFactor, MaxDiafiltration: filter.MaxDiafiltrationVolumes, Compare: filtrationComparePresets}
	for _, m := range mc.Membranes {
		if m.Kind == filter.Ultrafilter {
			v.Ultrafilters = append(v.Ultrafilters, mwcoOption{m.ID, m.Name, m.MWCOkDa})
		}
	}
	for _, sp := range cat.Species {
		v.Species = append(v.Species, filtrationSpecies{sp.ID, sp.Name, sp.Short, sp.Color})
	}
	sf, err := lib.Preset("heinemann2014-sf")
	if err != nil {
		return v, err
	}
	v.SF = sf.Steps
	return v, nil
}

// sfTMP is the SF preset's step k pressure, kPa, or the mode's default.
func (v filtrationView) sfTMP(k int) float64 {
	s := v.SF[k]
	switch {
	case s.TMPkPa > 0:
		return s.TMPkPa
	case s.Kind == protocol.KindUltrafilter && s.Mode != filter.DeadEnd:
		return v.DefaultTMPTFFKPa
	}
	return v.DefaultTMPDeadKPa
}
