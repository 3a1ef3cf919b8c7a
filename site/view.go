package site

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"exosep/assets"
	"exosep/engine/catalog"
	"exosep/engine/quantity"
	"exosep/engine/rotor"
	"exosep/engine/sediment"
	"exosep/engine/spin"
	"exosep/site/params"
	"exosep/wasm/bridge"
)

// page describes one HTML page for the layout.
type page struct {
	File        string // output file name, e.g. "duc.html"
	Title       string
	Description string // <meta name="description">
	Scripts     []string
}

// navItem is one entry of the site navigation.
type navItem struct{ File, Label string }

var nav = []navItem{
	{"index.html", "Home"},
	{"duc.html", "Differential ultracentrifugation"},
	{"ultrafiltration.html", "Ultrafiltration"},
	{"sequential-filtration.html", "Sequential filtration"},
	{"gradient.html", "Density gradients"},
	{"model.html", "How the model works"},
}

// Review is the source the site is built on.
const (
	reviewCitation = "Nikfarjam S, Rezaie J, Zolbanin NM, Jafari R. Mesenchymal stem cell derived-exosomes: a modern approach in translational medicine. J Transl Med. 2020;18:449."
	reviewDOI      = "https://doi.org/10.1186/s12967-020-02622-3"
	ccByURL        = "https://creativecommons.org/licenses/by/4.0/"
)

// rotorGroup is one <optgroup> of the rotor menu.
type rotorGroup struct {
	Label  string
	Rotors []rotor.Rotor
}

// rotorGroups splits the catalogue by kind, swinging buckets first,
// keeping catalogue order within each group.
func rotorGroups(cat *catalog.Catalog) []rotorGroup {
	groups := []rotorGroup{{Label: "Swinging-bucket rotors"}, {Label: "Fixed-angle rotors"}}
	for _, r := range cat.Rotors.Rotors {
		if r.Kind == rotor.FixedAngle {
			groups[1].Rotors = append(groups[1].Rotors, r)
		} else {
			groups[0].Rotors = append(groups[0].Rotors, r)
		}
	}
	return slices.DeleteFunc(groups, func(g rotorGroup) bool { return len(g.Rotors) == 0 })
}

// option is one <option>.
type option struct{ Value, Label string }

// mediumOptions lists the media, water first, then by name.
func mediumOptions(cat *catalog.Catalog) []option {
	var out []option
	for id, m := range cat.Media {
		out = append(out, option{id, m.Name})
	}
	slices.SortFunc(out, func(a, b option) int {
		if (a.Value == "water") != (b.Value == "water") {
			if a.Value == "water" {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Label, b.Label)
	})
	return out
}

// timeScaleOptions are the choices of "1 s on screen = …"; the value is
// bridge.Params.TimeScale (process seconds per wall-clock second).
var timeScaleOptions = []option{
	{"6", "6 s"}, {"15", "15 s"}, {"30", "30 s"}, {"60", "1 min"}, {"120", "2 min"},
	{"300", "5 min"}, {"600", "10 min"}, {"1200", "20 min"}, {"3600", "60 min"},
}

// preset is a link to the simulator with one step of the review's bridge.
type preset struct {
	Label  string
	Detail string
	Params bridge.Params
}

// presets are the steps of differential ultracentrifugation as the review
// describes them (Nikfarjam 2020, "Differential ultracentrifugation": low
// speed ~500 × g, 10,000 × g, then 100,000–120,000 × g for 60–120 min).
// Low-speed durations are not given there: 10 and 30 min are common
// choices, marked as such on the page.
func presets() []preset {
	step := func(rcf, minutes float64) bridge.Params {
		p := bridge.Defaults()
		p.RCF, p.Minutes = rcf, minutes
		return p
	}
	return []preset{
		{"500 × g, 10 min", "low speed: cells (duration a common choice)", step(500, 10)},
		{"10,000 × g, 30 min", "apoptotic bodies and large vesicles (duration a common choice)", step(10000, 30)},
		{"100,000 × g, 70 min", "the exosome pellet (review: 100,000–120,000 × g, 60–120 min)", step(100000, 70)},
		{"120,000 × g, 120 min", "the review's upper end", step(120000, 120)},
		{"100,000 × g, 4 h", "longer spins: the review reports damage and more protein", step(100000, 240)},
	}
}

// paramsQuery renders the simulator's settings as a URL query, with the
// bridge.Params JSON names (the page and the stage read the same names).
func paramsQuery(p bridge.Params) string {
	v := url.Values{}
	v.Set("rotor", p.Rotor)
	if p.RPM != 0 {
		v.Set("rpm", formatNumber(p.RPM))
	} else {
		v.Set("rcf", formatNumber(p.RCF))
		v.Set("rcfAt", cmp.Or(p.RCFAt, "max"))
	}
	v.Set("minutes", formatNumber(p.Minutes))
	v.Set("temperatureC", formatNumber(p.TemperatureC))
	v.Set("medium", p.Medium)
	return "?" + v.Encode()
}

// ducView is everything the simulator page shows.
type ducView struct {
	Params     bridge.Params
	Result     bridge.Result
	Rotor      rotor.Rotor // the default rotor
	Groups     []rotorGroup
	Media      []option
	TempMinC   float64
	TempMaxC   float64
	MaxMinutes float64
	SpeedMode  string // "rcf" or "rpm"
	Speed      float64
	SpeedMax   float64 // allowed maximum, floored to a whole number
	Presets    []preset
	Species    []speciesLegend
}

// speciesLegend is one legend entry.
type speciesLegend struct{ ID, Name, Short, Color string }

// speedLimit returns the allowed maximum of the speed field: the rotor's
// maximum rpm, or the RCF it gives at the chosen radius, floored so that the
// shown maximum is itself accepted.
func speedLimit(r rotor.Rotor, mode string, at rotor.Convention) float64 {
	if mode == "rpm" {
		return r.MaxRPM
	}
	return math.Floor(rotor.RCF(r.MaxRPM, r.RadiusM(at)))
}

// speedUnit is the unit shown after the speed field.
func speedUnit(mode string) string {
	if mode == "rpm" {
		return "rpm"
	}
	return "× g"
}

func newDucView(cat *catalog.Catalog) (ducView, error) {
	p := bridge.Defaults()
	res, _, err := bridge.Compute(p, cat)
	if err != nil {
		return ducView{}, fmt.Errorf("pre-rendering the readout for the default settings: %w", err)
	}
	r, err := cat.Rotors.Find(p.Rotor)
	if err != nil {
		return ducView{}, err
	}
	water, ok := cat.Media["water"]
	if !ok {
		return ducView{}, fmt.Errorf("the catalogue has no medium \"water\"")
	}
	lo, hi := water.RangeC()
	v := ducView{
		Params: p, Result: res, Rotor: r,
		Groups: rotorGroups(cat), Media: mediumOptions(cat),
		TempMinC: lo, TempMaxC: hi, MaxMinutes: spin.MaxDurationS / 60,
		SpeedMode: "rcf", Speed: p.RCF, Presets: presets(),
	}
	if p.RPM != 0 {
		v.SpeedMode, v.Speed = "rpm", p.RPM
	}
	at, err := rotor.ParseConvention(cmp.Or(p.RCFAt, "max"))
	if err != nil {
		return ducView{}, err
	}
	v.SpeedMax = speedLimit(r, v.SpeedMode, at)
	for _, s := range cat.Species {
		v.Species = append(v.Species, speciesLegend{s.ID, s.Name, s.Short, s.Color})
	}
	return v, nil
}

// speedRange is the allowed range shown next to the speed field.
func (v ducView) speedRange() string {
	return "1–" + formatInt(v.SpeedMax) + " " + speedUnit(v.SpeedMode)
}

// fmtM formats a length given in metres in mm with one decimal.
func fmtMM(m float64) string { return fixed(m*1e3, 1) }

// --- model page ---

// modelView is everything the model page shows.
type modelView struct {
	Species      []speciesRow
	Rotors       []rotorRow
	Media        []mediumRow
	Tanaka       []coefficient
	Kestin       []coefficient
	Sources      []sourceRow
	Schema       params.Schema // the URL parameters, as the teacher page lists them
	RefDensity   string        // g/mL
	TempRange    string
	MaxMinutes   string
	ConditionsAt string // the conditions of the s column
	Protocol     protocolFacts
}

type speciesRow struct {
	ID, Name, Color, Note       string
	Median, Range, GSD, Density string
	DiameterConf, DensityConf   string
	Svedberg                    string
}

type rotorRow struct {
	Name, Kind, MaxRPM, RMin, RMax, Tubes string
	TubeDiameter, TubeDiameterConf        string
	KFactor, KPublished, MaxRCF           string
}

type mediumRow struct {
	Celsius                                  string
	WaterDensity, WaterViscosity, PBSDensity string
	PBSViscosity                             string
}

type coefficient struct{ Name, Value, Unit, Confidence string }

type sourceRow struct{ Key, Citation, Link string }

// formatLength chooses nm or µm for a length in metres.
func formatLength(m float64) string {
	if m < 1e-6 {
		return formatSci(m*1e9) + " nm"
	}
	return formatSci(m*1e6) + " µm"
}

// mediaFileCoefficients reads the water correlations' coefficients from
// the embedded data file, for display (the medium package keeps them
// private and already validated them when the catalogue was loaded).
func mediaFileCoefficients() (tanaka, kestin []coefficient, err error) {
	raw, err := fs.ReadFile(assets.Data, "data/media.json")
	if err != nil {
		return nil, nil, err
	}
	var f struct {
		Water struct {
			Density   map[string]quantity.Q `json:"density_tanaka2001"`
			Viscosity map[string]quantity.Q `json:"viscosity_kestin1978"`
		} `json:"water"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, nil, fmt.Errorf("media.json: %v", err)
	}
	units := map[string]string{"degC": "°C", "kg/m3": "kg/m³", "mPa.s": "mPa·s", "1": ""}
	list := func(m map[string]quantity.Q, names ...string) ([]coefficient, error) {
		var out []coefficient
		for _, n := range names {
			q, ok := m[n]
			if !ok {
				return nil, fmt.Errorf("media.json: coefficient %q is missing", n)
			}
			u, ok := units[q.Unit]
			if !ok {
				u = q.Unit
			}
			out = append(out, coefficient{n, strings.Replace(formatNumber(q.Value), "-", "−", 1), u, string(q.Confidence)})
		}
		return out, nil
	}
	if tanaka, err = list(f.Water.Density, "a1", "a2", "a3", "a4", "a5"); err != nil {
		return nil, nil, err
	}
	kestin, err = list(f.Water.Viscosity, "eta20", "c1", "c2", "c3", "c4", "t0")
	return tanaka, kestin, err
}

// modelConditionsC is the temperature of the model page's s column.
const modelConditionsC = 4

func newModelView(cat *catalog.Catalog, schema params.Schema) (modelView, error) {
	water, ok := cat.Media["water"]
	if !ok {
		return modelView{}, fmt.Errorf("the catalogue has no medium \"water\"")
	}
	lo, hi := water.RangeC()
	facts, err := newProtocolFacts()
	if err != nil {
		return modelView{}, err
	}
	rhoM, err := water.DensityKgM3(modelConditionsC)
	if err != nil {
		return modelView{}, err
	}
	eta, err := water.ViscosityPas(modelConditionsC)
	if err != nil {
		return modelView{}, err
	}
	v := modelView{Protocol: facts,
		RefDensity:   fixed(bridge.ReferenceDensityKgM3/1e3, 2),
		TempRange:    formatNumber(lo) + "–" + formatNumber(hi) + " °C",
		MaxMinutes:   formatInt(spin.MaxDurationS / 60),
		ConditionsAt: fmt.Sprintf("water at %d °C", modelConditionsC),
	}
	for _, s := range cat.Species {
		mid := (s.MinDensityKgM3 + s.MaxDensityKgM3) / 2
		sv := sediment.Coefficient(s.MedianDiameterM, mid, rhoM, eta) / sediment.Svedberg
		gsd := "one size"
		if s.GSD > 1 {
			gsd = fixed(s.GSD, 2)
		}
		v.Species = append(v.Species, speciesRow{
			ID: s.ID, Name: s.Name, Color: s.Color, Note: s.Note,
			Median:       formatLength(s.MedianDiameterM),
			Range:        span(formatLength(s.MinDiameterM), formatLength(s.MaxDiameterM)),
			GSD:          gsd,
			Density:      span(fixed(s.MinDensityKgM3/1e3, 3), fixed(s.MaxDensityKgM3/1e3, 3)),
			DiameterConf: s.DiameterConfidence,
			DensityConf:  s.DensityConfidence,
			Svedberg:     formatSci(sv),
		})
	}
	for _, r := range cat.Rotors.Rotors {
		row := rotorRow{
			Name: r.Name, Kind: string(r.Kind),
			MaxRPM:           formatInt(r.MaxRPM),
			RMin:             fmtMM(r.RMinM),
			RMax:             fmtMM(r.RMaxM),
			Tubes:            fmt.Sprintf("%d × %s mL", r.TubeCount, formatNumber(math.Round(r.TubeVolumeM3*1e9)/1e3)),
			TubeDiameter:     fmtMM(r.TubeDiameterM),
			TubeDiameterConf: r.TubeDiameterConfidence,
			KFactor:          fixed(r.KFactor(r.MaxRPM), 1),
			KPublished:       "–",
			MaxRCF:           formatInt(rotor.RCF(r.MaxRPM, r.RMaxM)),
		}
		if a := rotorAngleDeg(r); a != "" {
			row.Kind += ", " + a + "°"
		}
		if r.KFactorPublished > 0 {
			row.KPublished = formatNumber(r.KFactorPublished)
		}
		v.Rotors = append(v.Rotors, row)
	}
	pbs, hasPBS := cat.Media["pbs"]
	for _, t := range []float64{0, 4, 10, 20, 25, 37} {
		if t < lo || t > hi {
			continue
		}
		row := mediumRow{Celsius: formatNumber(t)}
		d, err1 := water.DensityKgM3(t)
		e, err2 := water.ViscosityPas(t)
		if err := cmp.Or(err1, err2); err != nil {
			return modelView{}, err
		}
		row.WaterDensity, row.WaterViscosity = fixed(d/1e3, 5), fixed(e*1e3, 4)
		row.PBSDensity, row.PBSViscosity = "–", "–"
		if hasPBS {
			d, err1 := pbs.DensityKgM3(t)
			e, err2 := pbs.ViscosityPas(t)
			if err := cmp.Or(err1, err2); err != nil {
				return modelView{}, err
			}
			row.PBSDensity, row.PBSViscosity = fixed(d/1e3, 5), fixed(e*1e3, 4)
		}
		v.Media = append(v.Media, row)
	}
	if v.Tanaka, v.Kestin, err = mediaFileCoefficients(); err != nil {
		return modelView{}, err
	}
	keys := make([]string, 0, len(cat.Sources))
	for k := range cat.Sources {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s := cat.Sources[k]
		link := ""
		if strings.HasPrefix(s.Link, "https://doi.org/") {
			link = s.Link
		}
		v.Sources = append(v.Sources, sourceRow{k, s.Citation, link})
	}
	v.Schema = schema
	return v, nil
}

// confidenceTitle explains a confidence mark.
func confidenceTitle(mark string) string {
	switch mark {
	case string(quantity.Read):
		return "read: seen in the cited source"
	case string(quantity.Derived):
		return "derived: computed from read values"
	case string(quantity.Estimate):
		return "estimate: no readable source; a plausible value"
	}
	return mark
}

// speedLabel is the visible label of the speed field.
func speedLabel(mode string) string {
	if mode == "rpm" {
		return "Speed (rpm)"
	}
	return "RCF (× g)"
}

// speedEquivalent shows the speed in the other unit.
func speedEquivalent(v ducView) string {
	if v.SpeedMode == "rpm" {
		return "≈ " + formatInt(v.Result.RCFMax) + " × g at r_max"
	}
	return "≈ " + formatInt(v.Result.RPM) + " rpm"
}

// rotorInfo summarises a rotor under the menu.
func rotorInfo(r rotor.Rotor) string {
	s := rotorKindLabel(r.Kind)
	if a := rotorAngleDeg(r); a != "" {
		s += " " + a + "°"
	}
	return s + ", up to " + formatInt(r.MaxRPM) + " rpm, radius " + fmtMM(r.RMinM) + "–" + fmtMM(r.RMaxM) + " mm"
}

// readoutSummary names the spin a readout belongs to.
func readoutSummary(r bridge.Result) string {
	return r.Rotor + " (" + r.RotorKind + ") at " + formatInt(r.RPM) + " rpm for " + formatMinutes(r.Minutes) + " min"
}

// swatchStyle colours a legend swatch. Colours are checked by the
// catalogue loader (#rrggbb), so the value is safe CSS.
func swatchStyle(color string) templ.SafeCSS {
	return templ.SafeCSS("background-color: " + color)
}

// barStyle sizes a percentage bar.
func barStyle(fraction float64) templ.SafeCSS {
	return templ.SafeCSS("width: " + strconv.FormatFloat(math.Max(0, math.Min(1, fraction))*100, 'f', 1, 64) + "%")
}

// rotorAngleDeg is a fixed-angle rotor's tube angle in degrees (one
// decimal), or "" for a swinging bucket.
func rotorAngleDeg(r rotor.Rotor) string {
	if r.Kind != rotor.FixedAngle {
		return ""
	}
	return formatNumber(math.Round(r.AngleRad*180/math.Pi*10) / 10)
}

// span shows a range, or one value when both ends are equal.
func span(lo, hi string) string {
	if lo == hi {
		return lo
	}
	return lo + " – " + hi
}
