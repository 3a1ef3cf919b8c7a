package site

import (
	"fmt"
	"slices"

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

// MethodFigures returns the engine's figures (yield, purity, time, maximum
// volume per run) for the preset protocol of one Table 1 method ("DUC",
// "RZUC", "IPUC", "UF" or "SF"). It is the single place where the
// isolation engine is wired into the site: the methods page, its CSV and
// its JSON all read it.
//
// No isolation engine model exists yet, so every figure comes back with
// Built false and Status evidence.EngineNotBuilt, and the page says so
// instead of inventing a number.
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
	return out, nil
}
