package site

import (
	"fmt"
	"math"
	"slices"

	"exosep/engine/catalog"
	"exosep/engine/protocol"
	"exosep/site/evidence"
)

// EngineFigure is one figure the isolation engine computes for the preset
// protocol of a Table 1 method, as the method comparison page shows it.
type EngineFigure struct {
	Key    string `json:"key"`    // "yield", "purity", "time" or "max_volume"
	Label  string `json:"label"`  // column label, e.g. "Maximum volume per run"
	Aspect string `json:"aspect"` // the Table 1 aspect whose row shows the figure
	// Built is false while the engine has no model for the method; the
	// page then prints Status instead of a number.
	Built    bool    `json:"built"`
	Status   string  `json:"status"` // evidence.EngineNotBuilt when !Built
	Value    float64 `json:"value"`  // meaningful only when Built
	Unit     string  `json:"unit"`   // e.g. "%", "min", "mL"
	Protocol string  `json:"protocol"`
	Note     string  `json:"note"`
}

// Text is the figure as the page and the CSV show it: the value and its
// unit, or the status when the model is not built.
func (f EngineFigure) Text() string {
	if !f.Built {
		return f.Status
	}
	if f.Unit == "" {
		return formatSci(f.Value)
	}
	return formatSci(f.Value) + " " + f.Unit
}

// engineFigureKinds are the figures the comparison shows for every method,
// in column order, with the Table 1 aspect each one belongs to.
var engineFigureKinds = []struct{ Key, Label, Aspect string }{
	{"yield", "Yield", "yield"},
	{"purity", "Purity", "purity"},
	{"time", "Time", "time"},
	{"max_volume", "Maximum volume per run", "scalability"},
}

// methodPresets names the engine preset that stands for each Table 1
// method. A method without one has no engine model yet.
var methodPresets = map[string]string{"DUC": "nikfarjam2020", "UF": "uf-100kda", "SF": "heinemann2014-sf"}

// MethodFigures returns the engine's figures (yield, purity, time, maximum
// volume per run) for the preset protocol of one Table 1 method ("DUC",
// "RZUC", "IPUC", "UF" or "SF"). It is the single place where the
// isolation engine is wired into the site: the methods page, its CSV and
// its JSON all read it.
//
// Methods whose engine model does not exist yet (density gradients, for
// now) come back with Built false and Status
// evidence.EngineNotBuilt, and the page says so instead of inventing a
// number.
func MethodFigures(methodID string) ([]EngineFigure, error) {
	if !slices.Contains(evidence.MethodIDs, methodID) {
		return nil, fmt.Errorf("MethodFigures: unknown method %q (want one of %v)", methodID, evidence.MethodIDs)
	}
	out := make([]EngineFigure, 0, len(engineFigureKinds))
	for _, k := range engineFigureKinds {
		out = append(out, EngineFigure{
			Key: k.Key, Label: k.Label, Aspect: k.Aspect,
			Built: false, Status: evidence.EngineNotBuilt,
		})
	}
	preset, ok := methodPresets[methodID]
	if !ok {
		return out, nil
	}
	return presetFigures(out, preset)
}

// presetFigures fills figs from a run of the named preset at its default
// sample volume.
func presetFigures(figs []EngineFigure, presetID string) ([]EngineFigure, error) {
	lib, err := protocol.Default()
	if err != nil {
		return nil, err
	}
	p, err := lib.Preset(presetID)
	if err != nil {
		return nil, err
	}
	res, err := lib.Run(p, protocol.Options{})
	if err != nil {
		return nil, fmt.Errorf("MethodFigures: preset %s: %v", presetID, err)
	}
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	// The volume one centrifuge run takes is set by the smallest rotor
	// capacity among the spins (tube volume × tubes per run). A protocol
	// of membranes only has no vessel capacity: the figure is the volume
	// the preset filters, in the time shown.
	maxML := math.Inf(1)
	for _, st := range res.Steps {
		if st.Spin == nil {
			continue
		}
		r, err := cat.Rotors.Find(st.Spin.Rotor)
		if err != nil {
			return nil, err
		}
		maxML = math.Min(maxML, r.TubeVolumeM3*1e6*float64(r.TubeCount))
	}
	f := res.Final
	sample := fmt.Sprintf("%s, %g mL of %s", p.Name, res.Input.VolumeML, res.Input.Name)
	for i := range figs {
		fig := &figs[i]
		fig.Built, fig.Status, fig.Protocol = true, "", sample
		switch fig.Key {
		case "yield":
			fig.Value, fig.Unit = f.ExosomeYieldFraction*100, "%"
			fig.Note = fmt.Sprintf("of the input's exosomes; %.0f %% of them intact (damage model: estimate). Handling losses beyond the model are not counted.", f.ExosomeIntactFraction*100)
		case "purity":
			fig.Value, fig.Unit = f.ParticlesPerUGProtein, "particles/µg protein"
			fig.Note = fmt.Sprintf("%s (Webber & Clayton bands: %s)", f.Purity.Class, f.Purity.Confidence)
		case "time":
			fig.Value, fig.Unit = f.TotalMinutes, "min"
			fig.Note = fmt.Sprintf("%.0f min of centrifuge runs (%.0f of them ramping) and %.0f min hands-on", f.RunMinutes, f.AccelDecelMinutes, f.HandsOnMinutes)
			if fm := filteringMinutes(res); fm > 0 {
				fig.Note = fmt.Sprintf("%.0f min of filtering (at constant pressure, with fouling), %.0f min of centrifuge runs and %.0f min hands-on", fm, f.RunMinutes-fm, f.HandsOnMinutes)
			}
		case "max_volume":
			fig.Value, fig.Unit = maxML, "mL"
			fig.Note = "the smallest rotor capacity among the protocol's spins (tube volume × tubes); larger samples need several runs"
			if math.IsInf(maxML, 1) {
				fig.Value = res.Input.VolumeML
				fig.Note = fmt.Sprintf("the volume this preset filters in %.0f min; membranes have no vessel capacity in the model, so time and clogging set the limit (the review: SF handles up to 1 L within a day)", f.TotalMinutes)
			}
		}
	}
	return figs, nil
}

// filteringMinutes is the time a protocol's membranes took.
func filteringMinutes(res *protocol.Result) float64 {
	var m float64
	for _, st := range res.Steps {
		if st.Filter != nil {
			m += st.Filter.FiltrationMinutes
		}
	}
	return m
}
