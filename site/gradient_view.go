package site

import (
	"exosep/engine/catalog"
	"exosep/engine/gradient"
	"exosep/site/params"
)

// gradientScripts are the gradient pages' scripts (deferred, in order):
// the schema's validator, the stage client, the form helpers, the keys
// and the share panel (gradient.html) or the host API
// (gradient-embed.html) before the page's own script.
var (
	gradientScripts      = []string{"static/params.js", "static/format.js", "static/stage-client.js", "static/form.js", "static/keys.js", "static/share.js", "static/gradient.js"}
	gradientEmbedScripts = []string{"static/params.js", "static/format.js", "static/stage-client.js", "static/form.js", "static/keys.js", "static/host-api.js", "static/gradient.js"}
)

// gradientView is what gradient.html and gradient-embed.html render: the
// rotor menu, the species (legend, table columns), the URL parameters of
// the page (from the schema, so the documentation is the validator's
// table) and the engine's limits.
type gradientView struct {
	Groups       []rotorGroup
	Species      []speciesItem
	Params       []params.Entry
	MaxFractions int
	MaxHours     float64
}

// speciesItem is one species for the legend and the table.
type speciesItem struct{ ID, Name, Short, Color string }

func newGradientView(cat *catalog.Catalog, s params.Schema) gradientView {
	v := gradientView{Groups: rotorGroups(cat), MaxFractions: gradient.MaxFractions, MaxHours: gradient.MaxMinutes / 60}
	// The two groups are relabelled: fixed-angle rotors are listed so a
	// choice of one shows the engine's reason for refusing it.
	for i := range v.Groups {
		if v.Groups[i].Label == "Fixed-angle rotors" {
			v.Groups[i].Label = "Fixed-angle rotors (not modelled for gradients)"
		}
	}
	for _, sp := range cat.Species {
		v.Species = append(v.Species, speciesItem{sp.ID, sp.Name, sp.Short, sp.Color})
	}
	for _, e := range s.Entries {
		for _, p := range e.Pages {
			if p == params.PageGradient {
				v.Params = append(v.Params, e)
				break
			}
		}
	}
	return v
}
