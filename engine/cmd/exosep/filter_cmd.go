package main

import (
	"fmt"
	"io"
	"strconv"

	"exosep/engine/catalog"
	"exosep/engine/filter"
)

// filterUsage documents `exosep filter`.
const filterUsage = `Usage:
  exosep filter (--mwco-kda K | --pore-nm P) [--deadend | --tff] [--tmp-kpa T]
                [--volume-ml V] [--concentration-factor F] --diameter-nm D[,D...]
                [--deformable] [--json]

filter passes particles of the given diameters through one membrane and
reports, per diameter, the sieving coefficient on the clean membrane and the
shares that pass, stay in the retentate, are trapped on the membrane
(wedged in pores, or in the unrecovered deposit) and are damaged
(vesicles ruptured squeezing through smaller pores); and the flux and time.

Flags of filter (each at most once):
  --pore-nm P              a microfilter of nominal pore P nm (20–10000; the
                           catalogue's 100, 220, 450 nm filters, else a
                           generic cast membrane)
  --mwco-kda K             an ultrafilter of cut-off K kDa (1–10000; the
                           catalogue's 10, 30, 100, 300, 500, 1000 kDa, else a
                           membrane of the same structure calibrated to K)
  --deadend | --tff        normal-flow or tangential-flow (hollow fibres);
                           default: --deadend with --pore-nm, --tff with
                           --mwco-kda
  --tmp-kpa T              transmembrane pressure, kPa (0.1–1000; default
                           100 dead-end, 50 tangential flow: estimates)
  --volume-ml V            feed volume, mL (above 0 up to 100000; default 100)
  --concentration-factor F feed / final retentate volume (above 1 up to 1000;
                           default 10): an ultrafilter or tangential flow
                           concentrates; a dead-end microfilter filters all
                           the feed (its holder keeps its hold-up)
  --diameter-nm D[,D...]   particle diameters, nm (above 0 up to 100000)
  --deformable             the particles are vesicles: they squeeze through
                           pores smaller than themselves above 2τ(1/r − 1/a)
                           and rupture beyond the bilayer's lysis strain
  --json                   one JSON object: {"particles": [{"diameter_nm",
                           "sieving_coefficient", "passed_fraction",
                           "retained_fraction", "trapped_fraction",
                           "damaged_fraction"}], "flux_lmh_initial",
                           "flux_lmh_final", "minutes", …}

The particles are dilute tracers in water at 20 °C: they do not foul the
membrane, so the flux is the clean membrane's (TMP/(μR_m)) and the time the
volume over flux × area. Modules: a 25 mm syringe filter (dead-end
microfilter), a 76 mm stirred cell (dead-end ultrafilter), a lab hollow-fibre
cartridge (tangential flow). Model and sources: engine/filter (doc.go).
`

var filterFlags = []flagDef{
	{name: "mwco-kda", allowed: "1–10000 kDa"},
	{name: "pore-nm", allowed: "20–10000 nm"},
	{name: "deadend", isBool: true, allowed: "--deadend, not with --tff"},
	{name: "tff", isBool: true, allowed: "--tff, not with --deadend"},
	{name: "tmp-kpa", allowed: "0.1–1000 kPa"},
	{name: "volume-ml", allowed: "above 0 up to 100000 mL"},
	{name: "concentration-factor", allowed: "above 1 up to 1000"},
	{name: "diameter-nm", allowed: diametersAllowed},
	{name: "deformable", isBool: true, allowed: "--deformable or --deformable=true|false"},
	{name: "json", isBool: true, allowed: "--json or --json=true|false"},
}

// filterJSON is the output of `exosep filter --json`: the documented keys
// first, then the conditions used.
type filterJSON struct {
	Particles      []filterParticleJSON `json:"particles"`
	FluxLMHInitial float64              `json:"flux_lmh_initial"`
	FluxLMHFinal   float64              `json:"flux_lmh_final"`
	Minutes        float64              `json:"minutes"`

	Membrane            string  `json:"membrane"`
	Mode                string  `json:"mode"`
	Module              string  `json:"module"`
	AreaCM2             float64 `json:"area_cm2"`
	TMPKPa              float64 `json:"tmp_kpa"`
	VolumeML            float64 `json:"volume_ml"`
	PermeateML          float64 `json:"permeate_ml"`
	RetentateML         float64 `json:"retentate_ml"`
	PoreRadiusNM        float64 `json:"pore_radius_nm"`
	PoreGSD             float64 `json:"pore_gsd"`
	CleanWaterLMHPerBar float64 `json:"clean_water_lmh_per_bar"`
}

type filterParticleJSON struct {
	DiameterNM float64 `json:"diameter_nm"`
	Sieving    float64 `json:"sieving_coefficient"`
	Passed     float64 `json:"passed_fraction"`
	Retained   float64 `json:"retained_fraction"`
	Trapped    float64 `json:"trapped_fraction"`
	Damaged    float64 `json:"damaged_fraction"`
}

func runFilter(list []string, stdout io.Writer) error {
	a, err := parseArgs(filterFlags, list)
	if err != nil {
		return err
	}
	cat, err := catalog.Default()
	if err != nil {
		return fmt.Errorf("loading the embedded data: %v", err)
	}
	mc := cat.Membranes
	hasM, hasP := a.has("mwco-kda"), a.has("pore-nm")
	switch {
	case hasM && hasP:
		return badf("--mwco-kda and --pore-nm exclude each other (allowed: one of them)")
	case !hasM && !hasP:
		return badf("missing --mwco-kda or --pore-nm (allowed: one of them: --mwco-kda 1–10000 kDa, --pore-nm 20–10000 nm)")
	case a.boolean("deadend") && a.boolean("tff"):
		return badf("--deadend and --tff exclude each other (allowed: one of them)")
	}
	var mem filter.Membrane
	if hasP {
		v, _, err := a.number("pore-nm", "20–10000 nm")
		if err != nil {
			return err
		}
		if !(v >= 20 && v <= 10000) {
			return badf("--pore-nm %s is outside the allowed range (allowed: 20–10000 nm)", a.vals["pore-nm"])
		}
		if mem, err = mc.Microfilter(v * 1e-9); err != nil {
			return err
		}
	} else {
		v, _, err := a.number("mwco-kda", "1–10000 kDa")
		if err != nil {
			return err
		}
		if !(v >= 1 && v <= 10000) {
			return badf("--mwco-kda %s is outside the allowed range (allowed: 1–10000 kDa)", a.vals["mwco-kda"])
		}
		var ok bool
		if mem, ok = mc.Ultrafilter(v); !ok {
			tmpl, _ := mc.Membrane(mc.IDs(filter.Ultrafilter)[0])
			mem = tmpl
			mem.ID, mem.Name, mem.MWCOkDa = fmt.Sprintf("generic-%gkda", v), fmt.Sprintf("%g kDa ultrafilter (generic)", v), v
			mem.CalibrateMWCO()
		}
	}
	mode := filter.DeadEnd
	if a.boolean("tff") || (hasM && !a.boolean("deadend")) {
		mode = filter.Tangential
	}
	moduleID := "hollow-fibre-lab"
	switch {
	case mode == filter.DeadEnd && hasP:
		moduleID = "syringe-25mm"
	case mode == filter.DeadEnd:
		moduleID = "stirred-cell-76mm"
	}
	md, ok := mc.Module(moduleID)
	if !ok {
		return fmt.Errorf("the embedded data have no module %q", moduleID)
	}
	tmp := mc.Process.DefaultTMPDeadEndPa
	if mode == filter.Tangential {
		tmp = mc.Process.DefaultTMPTFFPa
	}
	if a.has("tmp-kpa") {
		v, _, err := a.number("tmp-kpa", "0.1–1000 kPa")
		if err != nil {
			return err
		}
		if !(v >= filter.MinTMPPa/1e3 && v <= filter.MaxTMPPa/1e3) {
			return badf("--tmp-kpa %s is outside the allowed range (allowed: 0.1–1000 kPa)", a.vals["tmp-kpa"])
		}
		tmp = v * 1e3
	}
	volML := 100.0
	if a.has("volume-ml") {
		v, _, err := a.number("volume-ml", "above 0 up to 100000 mL")
		if err != nil {
			return err
		}
		if !(v > 0 && v <= filter.MaxFeedM3*1e6) {
			return badf("--volume-ml %s is outside the allowed range (allowed: above 0 up to 100000 mL)", a.vals["volume-ml"])
		}
		volML = v
	}
	collect := filter.CollectRetentate
	if mode == filter.DeadEnd && hasP {
		collect = filter.CollectPermeate
	}
	cf := 10.0
	if a.has("concentration-factor") {
		if collect == filter.CollectPermeate {
			return badf("--concentration-factor applies to an ultrafilter or tangential flow (allowed: with --mwco-kda, or with --tff)")
		}
		v, _, err := a.number("concentration-factor", "above 1 up to 1000")
		if err != nil {
			return err
		}
		if !(v > 1 && v <= 1000) {
			return badf("--concentration-factor %s is outside the allowed range (allowed: above 1 up to 1000)", a.vals["concentration-factor"])
		}
		cf = v
	}
	ds, err := readDiameters(a)
	if err != nil {
		return err
	}
	water := cat.Media["water"]
	eta, err := water.ViscosityPas(20)
	if err != nil {
		return err
	}
	p := filter.Params{Membrane: mem, Module: md, Process: mc.Process, TMPPa: tmp, FeedVolumeM3: volML * 1e-6, Collect: collect,
		ViscosityPas: eta, TemperatureC: 20}
	if collect == filter.CollectRetentate {
		p.FinalVolumeM3 = p.FeedVolumeM3 / cf
	}
	for _, d := range ds {
		// Dilute tracers: one particle per litre.
		p.Particles = append(p.Particles, filter.Particle{DiameterM: d * 1e-9, Count: volML * 1e-3, Deformable: a.boolean("deformable")})
	}
	// The flags were checked against the same limits; the engine's own
	// check stays so that no unchecked filtration is computed.
	if ps := p.Validate(); len(ps) > 0 {
		return badf("%v", ps)
	}
	res, err := filter.Run(p)
	if err != nil {
		return badf("%v", err)
	}
	out := filterJSON{Particles: []filterParticleJSON{}, FluxLMHInitial: res.FluxLMHInitial, FluxLMHFinal: res.FluxLMHFinal, Minutes: res.Minutes,
		Membrane: mem.Name, Mode: mode, Module: md.Name, AreaCM2: res.AreaCM2, TMPKPa: tmp / 1e3, VolumeML: volML,
		PermeateML: res.PermeateML, RetentateML: res.RetentateML, PoreRadiusNM: mem.PoreRadiusM * 1e9, PoreGSD: mem.PoreGSD,
		CleanWaterLMHPerBar: res.CleanWaterLMHPerBar}
	for i, pr := range res.Particles {
		out.Particles = append(out.Particles, filterParticleJSON{DiameterNM: ds[i], Sieving: pr.SievingCoefficient, Passed: pr.PassedFraction,
			Retained: pr.RetainedFraction, Trapped: pr.TrappedFraction, Damaged: pr.DamagedFraction})
	}
	if a.boolean("json") {
		return writeJSON(stdout, out)
	}
	modeText := "dead-end (normal flow)"
	if mode == filter.Tangential {
		modeText = fmt.Sprintf("tangential flow, wall shear rate %s s⁻¹", fmt4(res.ShearRatePerS))
	}
	rows := [][]string{
		{"membrane", fmt.Sprintf("%s (median pore radius %s nm, spread ×%s)", mem.Name, fmt4(mem.PoreRadiusM*1e9), sig(mem.PoreGSD, 3))},
		{"mode", modeText},
		{"module", fmt.Sprintf("%s, %s cm²", md.Name, fmt4(res.AreaCM2))},
		{"TMP", num(tmp/1e3) + " kPa"},
		{"feed", num(volML) + " mL of water at 20 °C"},
		{"permeate / retentate", fmt.Sprintf("%s mL / %s mL", fmt4(res.PermeateML), fmt4(res.RetentateML))},
		{"clean-water permeability", fmt4(res.CleanWaterLMHPerBar) + " L m⁻² h⁻¹ bar⁻¹"},
		{"flux", fmt4(res.FluxLMHInitial) + " L m⁻² h⁻¹"},
		{"time", fmt4(res.Minutes) + " min"},
	}
	if err := writeTable(stdout, rows, nil); err != nil {
		return err
	}
	if _, err := io.WriteString(stdout, "\n"); err != nil {
		return err
	}
	pct := func(f float64) string { return strconv.FormatFloat(100*f, 'f', 2, 64) }
	prows := [][]string{{"d (nm)", "sieving", "passed %", "retained %", "trapped %", "damaged %"}}
	for _, pj := range out.Particles {
		prows = append(prows, []string{num(pj.DiameterNM), sig(pj.Sieving, 3), pct(pj.Passed), pct(pj.Retained), pct(pj.Trapped), pct(pj.Damaged)})
	}
	return writeTable(stdout, prows, []bool{true, true, true, true, true, true})
}
