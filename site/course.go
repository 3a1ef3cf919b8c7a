package site

import (
	"fmt"
	"strings"

	"exosep/assets"
	"exosep/engine/catalog"
	"exosep/engine/protocol"
	"exosep/engine/rotor"
	"exosep/site/params"
	"exosep/wasm/bridge"
)

// Course pages: teacher.html (the teacher guide), compare.html (set-ups side
// by side), duc-embed.html and compare-embed.html (minimal chrome, for
// iframes) and embed-example.html (a host page using the host API). Their
// URL parameters are the schema of package params, shipped as
// static/params.js.
//
// duc.html uses the same pieces: the schema's validator, the stage client,
// the keys and the share panel (its link carries the mode: the protocol,
// or mode=spin and the one-spin settings).

// teacherNav is the navigation group of the course pages.
var teacherNav = []navItem{
	{"teacher.html", "Teacher guide"},
	{"compare.html", "Compare set-ups"},
	{"embed-example.html", "Embed example"},
}

// Scripts of the pages with a stage, in order (all deferred, so order
// holds): the schema's validator, formats, the stage client and keys first.
var (
	ducScripts     = []string{"static/params.js", "static/format.js", "static/stage-client.js", "static/keys.js", "static/share.js", "static/protocol.js", "static/duc.js"}
	embedScripts   = []string{"static/params.js", "static/format.js", "static/stage-client.js", "static/form.js", "static/keys.js", "static/host-api.js", "static/embed.js"}
	compareScripts = []string{"static/params.js", "static/format.js", "static/stage-client.js", "static/form.js", "static/keys.js", "static/host-api.js", "static/share.js", "static/compare.js"}
)

// coursePresets are the DUC page's presets as schema presets: rcf at r_max
// and minutes, named like "100000g-70min".
func coursePresets() []params.Preset {
	var out []params.Preset
	for _, p := range presets() {
		out = append(out, params.Preset{
			ID:     presetID(p.Params),
			Label:  p.Label + " (" + p.Detail + ")",
			Values: map[string]any{"rcf": p.Params.RCF, "rcfAt": "max", "minutes": p.Params.Minutes},
		})
	}
	return out
}

func presetID(p bridge.Params) string {
	return fmt.Sprintf("%gg-%gmin", p.RCF, p.Minutes)
}

// newSchema is the site's URL-parameter schema, for cat and the protocol
// library on it (inputs and presets from the embedded data).
func newSchema(cat *catalog.Catalog) (params.Schema, error) {
	lib, err := protocol.Load(assets.Data, cat)
	if err != nil {
		return params.Schema{}, err
	}
	return params.New(lib, coursePresets())
}

// shareConfig configures one "Share / embed" panel.
type shareConfig struct {
	Page  string // the page a link opens, e.g. "duc.html"
	Embed string // its embed page, e.g. "duc-embed.html"
	Title string // the iframe's title in the snippet
}

// laneView is one set-up of the comparison: one spin (the lane's Params)
// or a protocol of the library (ProtocolID), run by the protocol engine on
// the shared input sample, so every column reports yield, purity, time,
// damage and volume capacity the same way (site/compare.go).
type laneView struct {
	ID, Label  string
	Params     bridge.Params // the one-spin settings
	ProtocolID string        // "" for one spin
	SpeedMax   float64
	Hidden     bool // not shown by default (lanes=2)
	Cells      map[string]compareCell
}

// compareView is everything the comparison pages show.
type compareView struct {
	Duc       ducView
	Lanes     []laneView
	Shared    bridge.Params
	Input     string
	Inputs    []option
	Protocols []option
	Rows      []compareRowDef
	Species   []speciesLegend
	Data      compareData // for static/compare.js, as JSON
}

func newCompareView(cat *catalog.Catalog, duc ducView, s params.Schema) (compareView, error) {
	lib, err := protocol.Load(assets.Data, cat)
	if err != nil {
		return compareView{}, err
	}
	v := compareView{Duc: duc, Shared: bridge.Defaults(), Rows: compareRows, Species: duc.Species,
		Data: compareData{Presets: lib.Presets}}
	if e, ok := s.Lookup("input"); ok {
		v.Input, _ = e.Default.(string)
	}
	for _, in := range lib.Inputs {
		v.Inputs = append(v.Inputs, option{in.ID, in.Name})
		v.Data.Inputs = append(v.Data.Inputs, inputData{ID: in.ID, Name: in.Name, DefaultML: in.DefaultVolumeM3 * 1e6})
	}
	for _, p := range lib.Presets {
		v.Protocols = append(v.Protocols, option{p.ID, p.Name})
	}
	for i, id := range s.Lanes {
		p := bridge.Defaults()
		if name, ok := s.LaneDefaults[id]["rotor"].(string); ok {
			p.Rotor = name
		}
		r, err := cat.Rotors.Find(p.Rotor)
		if err != nil {
			return compareView{}, err
		}
		res, err := lib.Run(spinProtocol(p, v.Input), protocol.Options{})
		if err != nil {
			return compareView{}, fmt.Errorf("comparison lane %s: %w", id, err)
		}
		v.Lanes = append(v.Lanes, laneView{
			ID: id, Label: "Set-up " + strings.ToUpper(id), Params: p,
			SpeedMax: speedLimit(r, "rcf", rotor.AtMax), Hidden: i >= 2, Cells: compareCells(res, cat),
		})
	}
	return v, nil
}

// activity is one ready lesson of the teacher guide.
type activity struct {
	ID, Title, Question string
	Links               []activityLink
	Hint                string
}

type activityLink struct{ Label, Href string }

// teacherView is everything the teacher guide shows.
type teacherView struct {
	Activities   []activity
	Schema       params.Schema
	ControlPages []controlPage
}

// controlPage is a page that takes hide= and lock=, and its controls.
type controlPage struct {
	Page     string
	Controls []params.Control
}

func q(pairs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(pairs[i])
		b.WriteByte('=')
		b.WriteString(strings.ReplaceAll(pairs[i+1], " ", "+"))
	}
	return b.String()
}

func controlPages(s params.Schema) []controlPage {
	var out []controlPage
	for _, p := range params.SimPages {
		out = append(out, controlPage{p, s.ControlsOn(p)})
	}
	return out
}

func newTeacherView(s params.Schema) teacherView {
	return teacherView{
		Schema: s, ControlPages: controlPages(s),
		Activities: []activity{
			{
				ID: "half-pellet", Title: "Half of the exosomes in 30 minutes",
				Question: "Find the RCF at which about half of the exosome population (median 90 nm) pellets in a 30 min spin in a fixed-angle rotor (Type 70 Ti). Then do the same in a swinging bucket (SW 41 Ti). Which needs the higher RCF, and why?",
				Links: []activityLink{
					{"Start: Type 70 Ti, 20,000 × g, 30 min", "duc.html" + q("rotor", "Type 70 Ti", "rcf", "20000", "rcfAt", "max", "minutes", "30")},
					{"Then: SW 41 Ti, 20,000 × g, 30 min", "duc.html" + q("rotor", "SW 41 Ti", "rcf", "20000", "rcfAt", "max", "minutes", "30")},
					{"Check side by side", "compare.html" + q("rcf", "20000", "minutes", "30")},
				},
				Hint: "Change only the RCF. Watch the exosome row of the results and the k-factor: a spin clears particles in about k/s hours.",
			},
			{
				ID: "bucket-vs-angle", Title: "Swinging bucket or fixed angle?",
				Question: "Both rotors spin at 100,000 × g (at r_max) for 70 min. Which pellets more exosomes, and which keeps more HDL and protein out of the pellet? Relate the difference to the path length and the k-factor.",
				Links: []activityLink{
					{"Open the comparison", "compare.html"},
					{"The same with a 4 h spin", "compare.html" + q("minutes", "240")},
				},
				Hint: "The results table puts the two set-ups in one table; the purity row counts particles per µg protein, and the volume row shows how many runs the 120 mL sample takes in each rotor.",
			},
			{
				ID: "protocol-steps", Title: "The review's protocol, step by step",
				Question: "Differential ultracentrifugation removes cells at about 500 × g, large vesicles at 10,000 × g, and pellets exosomes at 100,000 × g. Which populations does each step pellet? What would be lost if the 10,000 × g step were skipped?",
				Links: []activityLink{
					{"Three steps side by side (SW 41 Ti)", "compare.html" + q("lanes", "3", "rotor", "SW 41 Ti", "a.rcf", "500", "a.minutes", "10", "b.rcf", "10000", "b.minutes", "30", "c.rcf", "100000", "c.minutes", "70")},
					{"The last step alone", "duc.html" + q("rotor", "SW 41 Ti", "rcf", "100000", "rcfAt", "max", "minutes", "70")},
				},
				Hint: "Each set-up here spins the fresh sample; the protocol builder (and the comparison's Method menu) carries the supernatant from one step to the next.",
			},
			{
				ID: "protocols", Title: "Two published protocols side by side",
				Question: "Run Théry et al.'s protocol and the review's protocol on the same culture medium. Which gives the higher yield, which the purer product, and what does each cost in time and in runs? Then compare the review's protocol with its last spin alone: what do the earlier steps buy?",
				Links: []activityLink{
					{"Théry 2006 vs the review", "compare.html" + q("a.protocol", "thery2006", "b.protocol", "nikfarjam2020")},
					{"The review's protocol vs one 110,000 × g spin", "compare.html" + q("a.protocol", "nikfarjam2020", "b.rotor", "Type 70 Ti", "b.rcf", "110000", "b.rcfAt", "avg", "b.minutes", "90")},
				},
				Hint: "Read the yield, purity, total time and volume rows of the table. The single spin keeps everything that pellets, cells and debris included.",
			},
			{
				ID: "hdl-gradient", Title: "Why does HDL end up with the exosomes in an iodixanol gradient?",
				Question: "Spin plasma on an iodixanol gradient (1.05–1.25 g/mL) for 72 h, long enough for HDL to approach its buoyant density. Which fractions hold the exosomes, and what else is there? Compare the buoyant densities of exosomes and HDL. Then run the rate-zonal version: a shallow sucrose gradient for 1 h. Where do HDL and the exosomes go now, and why?",
				Links: []activityLink{
					{"Isopycnic: iodixanol, plasma, SW 55 Ti, 117,000 × g, 72 h", "gradient.html" + q("gMode", "isopycnic", "gMedium", "iodixanol", "gShape", "linear", "gFrom", "1.05", "gTo", "1.25", "gInput", "plasma", "gRotor", "SW 55 Ti", "gSpeed", "117000", "gHours", "72")},
					{"Rate-zonal: sucrose 1.02–1.08 g/mL, plasma, SW 41 Ti, 100,000 × g, 1 h", "gradient.html" + q("gMode", "rate-zonal", "gMedium", "sucrose", "gShape", "linear", "gFrom", "1.02", "gTo", "1.08", "gInput", "plasma", "gRotor", "SW 41 Ti", "gSpeed", "100000", "gHours", "1")},
				},
				Hint: "Read the HDL and exosome columns of the fraction table. By density alone the two overlap (HDL 1.063–1.21 g/mL, exosomes about 1.13–1.19 in the model), so at equilibrium they share fractions; HDL is 5–12 nm across and exosomes 30–150 nm, and s grows with d², so a short rate-zonal run leaves HDL near the top. Even after 72 h the results warn that HDL is only part-way to its buoyant density: small particles are slow.",
			},
			{
				ID: "duc-vs-sf", Title: "DUC vs sequential filtration",
				Question: "Process the same 120 mL of conditioned medium by the review's ultracentrifugation protocol and by sequential filtration (100 nm dead-end, 500 kDa tangential flow, 100 nm track-etch). Which keeps more exosomes, which gives the purer product, which is faster, and how many runs does each need for a litre?",
				Links: []activityLink{
					{"DUC vs sequential filtration, side by side", DUCvsSFActivity},
					{"Then: sequential filtration vs one ultrafiltration (100 kDa)", "compare.html" + q("a.protocol", "heinemann2014-sf", "b.protocol", "uf-100kda")},
				},
				Hint: "Read the yield, purity, time and volume-capacity rows. Filtration loses exosomes to pores and the deposit; ultracentrifugation loses them to the pellet it cannot reach and to damage.",
			},
			{
				ID: "temperature", Title: "Why spin at 4 °C?",
				Question: "Run the same 100,000 × g spin at 4 °C and at 20 °C. How much does the pelleted share of exosomes change, and which property of the medium causes it?",
				Links: []activityLink{
					{"4 °C", "duc.html" + q("rcf", "100000", "rcfAt", "max", "minutes", "30", "temperatureC", "4")},
					{"20 °C", "duc.html" + q("rcf", "100000", "rcfAt", "max", "minutes", "30", "temperatureC", "20")},
				},
				Hint: "Compare the viscosity shown under the results. Biology (keeping vesicles intact) is the main reason for cold spins; the model only shows the physics.",
			},
		},
	}
}

// DUCvsSFActivity is the prepared comparison of the "DUC vs sequential
// filtration" activity: the review's DUC protocol against the sequential
// filtration preset, on the comparison's default sample.
var DUCvsSFActivity = "compare.html" + q("a.protocol", "nikfarjam2020", "b.protocol", "heinemann2014-sf")

// visibilityLabel is the table's word for a visibility.
func visibilityLabel(v params.Visibility) string {
	if v == params.Internal {
		return "internal"
	}
	return "public"
}

// laneNote says how a parameter behaves on the comparison pages.
func laneNote(e params.Entry) string {
	switch {
	case e.Lane:
		return "per set-up: a." + e.Name + ", b." + e.Name + ", c." + e.Name
	case e.Stage:
		return "shared by every set-up"
	}
	return ""
}
