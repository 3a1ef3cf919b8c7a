package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"exosep/engine/catalog"
	"exosep/engine/protocol"
	"exosep/wasm/bridge"
)

// The comparison (compare.html, compare-embed.html) runs every set-up
// through the protocol engine: a protocol of the library as it is, or one
// spin as a one-step protocol (spin, keep the pellet) — so a single spin
// gets the same yield, purity, time, damage and volume capacity as a whole
// protocol, computed, not guessed. Every set-up processes the same input
// sample: the input parameter replaces each protocol's own sample and
// volume. static/compare.js builds the same protocols (spinProtocol) and
// renders the stage's protocolResult into the same rows (compareCells).

// compareRowDef is one row of the results table.
type compareRowDef struct{ ID, Label string }

// compareRows are the rows of the results table, in order; the species
// rows (species-<id>) follow.
var compareRows = []compareRowDef{
	{"method", "Method"},
	{"rotor", "Rotor (kind)"},
	{"speed", "Speed"},
	{"rcf", "RCF at r_max / r_avg"},
	{"kfactor", "k-factor (lower clears faster)"},
	{"minutes", "Time at speed"},
	{"yield", "Yield: exosomes of the sample in the product"},
	{"purity", "Purity: particles per µg protein (class)"},
	{"time", "Total time (runs, ramps, hands-on)"},
	{"damage", "Damage: exosomes of the product damaged"},
	{"capacity", "Volume capacity: the sample, runs, one run holds"},
	{"cutoff", "Smallest exosome pelleted completely"},
}

// compareCell is one cell: its text and, for numeric rows, the engine's
// number (data-value), which tests compare with the engine's own run.
type compareCell struct{ Text, Value string }

// compareData is handed to static/compare.js (script#compare-data).
type compareData struct {
	Presets []protocol.Protocol `json:"presets"`
	Inputs  []inputData         `json:"inputs"`
}

// spinProtocol is one spin as a protocol on input: spin at the speed of p
// for p.Minutes at p.TemperatureC, keep the pellet. static/compare.js
// builds the same (spinProtocol there).
func spinProtocol(p bridge.Params, input string) protocol.Protocol {
	t := p.TemperatureC
	st := protocol.Step{Kind: protocol.KindSpin, Rotor: p.Rotor, RPM: p.RPM, RCF: p.RCF, Minutes: p.Minutes,
		TemperatureC: &t, Keep: protocol.KeepPellet}
	speed := formatInt(p.RPM) + " rpm"
	if p.RPM == 0 {
		st.RCFAt = cmp.Or(p.RCFAt, "max")
		speed = formatInt(p.RCF) + " × g (r_" + st.RCFAt + ")"
	}
	st.Name = "One spin: " + speed + ", " + formatNumber(p.Minutes) + " min"
	return protocol.Protocol{Name: "One spin in " + p.Rotor, Input: input, Steps: []protocol.Step{st}}
}

// compareCells renders a protocol result into the table's cells, keyed by
// row id (and species-<id>).
func compareCells(res *protocol.Result, cat *catalog.Catalog) map[string]compareCell {
	c := map[string]compareCell{}
	f := res.Final
	var spins []*protocol.SpinDetail
	var hold float64
	for _, s := range res.Steps {
		if s.Spin != nil {
			spins = append(spins, s.Spin)
			hold += s.Time.HoldMinutes
		}
	}
	dash := compareCell{Text: "–"}
	c["method"] = compareCell{Text: res.Protocol}
	var rotors []string
	for _, d := range spins {
		name := d.Rotor
		if r, err := cat.Rotors.Find(d.Rotor); err == nil {
			name += " (" + string(r.Kind) + ")"
		}
		if !slices.Contains(rotors, name) {
			rotors = append(rotors, name)
		}
	}
	c["rotor"] = compareCell{Text: cmp.Or(strings.Join(rotors, ", "), "–")}
	c["speed"], c["rcf"], c["kfactor"], c["cutoff"] = dash, dash, dash, dash
	if len(spins) == 1 {
		d := spins[0]
		c["speed"] = compareCell{Text: formatInt(d.RPM) + " rpm", Value: formatNumber(d.RPM)}
		c["rcf"] = compareCell{Text: formatInt(d.RCFMax) + " / " + formatInt(d.RCFAvg) + " × g"}
		c["kfactor"] = compareCell{Text: formatSci(d.KFactor) + " h·S", Value: formatNumber(d.KFactor)}
		c["cutoff"] = compareCell{Text: cutoffText(d.ExosomeCutoffNM)}
	}
	spinWord := "spins"
	if len(spins) == 1 {
		spinWord = "spin"
	}
	c["minutes"] = compareCell{Text: fmt.Sprintf("%s min (%d %s)", formatMinutes(hold), len(spins), spinWord), Value: formatNumber(hold)}
	c["yield"] = compareCell{Text: formatPercent(f.ExosomeYieldFraction) + " %", Value: formatNumber(f.ExosomeYieldFraction)}
	c["purity"] = compareCell{Text: formatSci(f.ParticlesPerUGProtein) + " (" + f.Purity.Class + ")", Value: formatNumber(f.ParticlesPerUGProtein)}
	c["time"] = compareCell{Text: formatMinutes(f.TotalMinutes) + " min", Value: formatNumber(f.TotalMinutes)}
	c["damage"] = compareCell{Text: formatPercent(1-f.ExosomeIntactFraction) + " %", Value: formatNumber(1 - f.ExosomeIntactFraction)}
	capacity := formatNumber(res.Input.VolumeML) + " mL in " + fmt.Sprint(f.Runs) + " run"
	if f.Runs != 1 {
		capacity += "s"
	}
	if len(spins) > 0 {
		if r, err := cat.Rotors.Find(spins[0].Rotor); err == nil {
			ml := float64(int(r.TubeVolumeM3*1e9+0.5)) / 1e3
			capacity += fmt.Sprintf("; a run of %s holds %d × %s mL", r.Name, spins[0].TubesPerRun, formatNumber(ml))
		}
	}
	c["capacity"] = compareCell{Text: capacity, Value: formatNumber(res.Input.VolumeML)}
	for _, sp := range cat.Species {
		in := res.Input.Species[sp.ID]
		share := 0.0
		if in > 0 {
			share = f.Species[sp.ID].Particles / in
		}
		c["species-"+sp.ID] = compareCell{Text: formatPercent(share) + " %", Value: formatNumber(share)}
	}
	return c
}

// cutoffText is the smallest exosome pelleted completely.
func cutoffText(nm float64) string {
	if !(nm > 0) {
		return "none pellets completely"
	}
	return formatInt(nm) + " nm"
}
