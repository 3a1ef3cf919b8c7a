package params

import (
	"fmt"
	"strings"

	"exosep/engine/filter"
	"exosep/engine/protocol"
	"exosep/wasm/bridge"
)

// DefaultUFMembrane is ultrafiltration.html's membrane when none is given
// (the 100 kDa cut-off most exosome protocols use).
const DefaultUFMembrane = "pes-100kda"

// filtrationEntries are the parameters of ultrafiltration.html and
// sequential-filtration.html (and their embed pages). Their ranges are the
// engine's own limits (engine/filter, engine/protocol, wasm/bridge), so
// the page never accepts what the engine would refuse. Values whose
// default differs between the two pages (volume, concentration factor,
// diafiltration) or comes from the membrane data (pressures, shear rate)
// are "not set" by default: the page then uses its own default, shown in
// the Allowed text.
func filtrationEntries(mc *filter.Catalogue) ([]Entry, error) {
	if mc == nil {
		return nil, fmt.Errorf("params.New: the catalogue has no membranes")
	}
	var ufIDs []string
	for _, m := range mc.Membranes {
		if m.Kind == filter.Ultrafilter {
			ufIDs = append(ufIDs, m.ID)
		}
	}
	if len(ufIDs) == 0 {
		return nil, fmt.Errorf("params.New: the membrane catalogue has no ultrafilter")
	}
	def := DefaultUFMembrane
	if !containsString(ufIDs, def) {
		def = ufIDs[0]
	}
	uf := []string{PageUF, PageUFEmbed}
	sf := []string{PageSF, PageSFEmbed}
	both := []string{PageUF, PageUFEmbed, PageSF, PageSFEmbed}
	tmpLo, tmpHi := filter.MinTMPPa/1e3, filter.MaxTMPPa/1e3
	pr := mc.Process
	tmpAllowed := fmt.Sprintf("%g–%g kPa", tmpLo, tmpHi)
	pressure := func(name, step string) Entry {
		return Entry{Name: name, Type: Number, Unit: "kPa", Min: ptr(tmpLo), Max: ptr(tmpHi), Visibility: Public, Settable: true, Pages: sf,
			Description: "Transmembrane pressure of " + step + "; not set: the sequential-filtration preset's (heinemann2014-sf).",
			Allowed:     tmpAllowed}
	}
	return []Entry{
		{Name: "membrane", Type: Enum, Values: ufIDs, Default: def, Visibility: Public, Settable: true, Pages: uf,
			Description: "The ultrafiltration membrane, by its molecular-weight cut-off (catalogue id, data/membranes.json).",
			Allowed:     strings.Join(ufIDs, ", ")},
		{Name: "flow", Type: Enum, Values: []string{string(filter.DeadEnd), string(filter.Tangential)}, Default: string(filter.DeadEnd), Visibility: Public, Settable: true, Pages: uf,
			Description: "Ultrafiltration mode: dead-end (stirred cell) or tangential flow (hollow fibres). (duc.html's mode parameter is another one.)",
			Allowed:     string(filter.DeadEnd) + " or " + string(filter.Tangential)},
		{Name: "tmpKPa", Type: Number, Unit: "kPa", Min: ptr(tmpLo), Max: ptr(tmpHi), Visibility: Public, Settable: true, Pages: uf,
			Description: "Transmembrane pressure of the ultrafiltration; not set: the data's default for the mode.",
			Allowed:     fmt.Sprintf("%s; not set: %g kPa dead-end, %g kPa tangential flow", tmpAllowed, pr.DefaultTMPDeadEndPa/1e3, pr.DefaultTMPTFFPa/1e3)},
		{Name: "volumeMl", Type: Number, Unit: "mL", Min: ptr(0), MinExclusive: true, Max: ptr(protocol.MaxVolumeML), Visibility: Public, Settable: true, Pages: both,
			Description: "Volume of the sample filtered; not set: 120 mL on ultrafiltration.html, 1000 mL on sequential-filtration.html.",
			Allowed:     fmt.Sprintf("above 0 up to %d mL", protocol.MaxVolumeML)},
		{Name: "concentrationFactor", Type: Number, Min: ptr(1), MinExclusive: true, Max: ptr(protocol.MaxConcentrationFactor), Visibility: Public, Settable: true, Pages: both,
			Description: "Feed ÷ final retentate volume of the (last) ultrafiltration, or of the SF's tangential-flow step; not set: 20 (UF) or the SF preset's.",
			Allowed:     fmt.Sprintf("above 1 up to %d", protocol.MaxConcentrationFactor)},
		{Name: "diafiltrationVolumes", Type: Number, Min: ptr(0), Max: ptr(filter.MaxDiafiltrationVolumes), Visibility: Public, Settable: true, Pages: both,
			Description: "Buffer volumes exchanged at the final volume; not set: 0 (UF) or the SF preset's.",
			Allowed:     fmt.Sprintf("0–%d", filter.MaxDiafiltrationVolumes)},
		{Name: "shearPerS", Type: Number, Unit: "s⁻¹", Min: ptr(filter.MinShearRatePerS), Max: ptr(filter.MaxShearRatePerS), Visibility: Public, Settable: true, Pages: both,
			Description: "Cross-flow wall shear rate of tangential flow (ignored in dead-end mode); not set: the data's default.",
			Allowed:     fmt.Sprintf("%d–%d s⁻¹; not set: %g s⁻¹", filter.MinShearRatePerS, filter.MaxShearRatePerS, pr.DefaultShearRatePerS)},
		{Name: "clarify", Type: Bool, Default: true, Visibility: Public, Settable: true, Pages: uf,
			Description: "Clarify the sample through a 0.22 µm filter before ultrafiltration.",
			Allowed:     "true or false (also 1/0, yes/no, on/off; a bare key means true)"},
		{Name: "cascade", Type: Bool, Default: false, Visibility: Public, Settable: true, Pages: uf,
			Description: "Large cut-off first: 1000 kDa (4×), then the chosen membrane; the overall concentration factor is kept.",
			Allowed:     "true or false (also 1/0, yes/no, on/off; a bare key means true)"},
		pressure("tmp1KPa", "step 1 (100 nm dead-end filter)"),
		pressure("tmp2KPa", "step 2 (500 kDa tangential flow)"),
		pressure("tmp3KPa", "step 3 (100 nm track-etch filter at very low pressure)"),
		{Name: "filtrationParticles", Type: Int, Min: ptr(bridge.MinParticles), Max: ptr(bridge.MaxFiltrationParticles), Default: float64(bridge.DefaultFiltrationParticles),
			Visibility: Public, Settable: true, Pages: both,
			Description: "Particles drawn on the stage per membrane step (the numbers come from the model, not from these).",
			Allowed:     fmt.Sprintf("%d–%d", bridge.MinParticles, bridge.MaxFiltrationParticles)},
		{Name: "filtrationTimeScale", Type: Number, Unit: "s/s", Min: ptr(bridge.MinTimeScale), Max: ptr(bridge.MaxFiltrationTimeScale),
			Visibility: Public, Settable: true, Pages: both,
			Description: fmt.Sprintf("Process seconds per wall-clock second of the animation; not set: automatic, each membrane step plays in about %d s.", bridge.FiltrationStepWallS),
			Allowed:     fmt.Sprintf("%d–%g; not set: automatic", bridge.MinTimeScale, float64(bridge.MaxFiltrationTimeScale))},
	}, nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
