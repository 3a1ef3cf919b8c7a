package site

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"exosep/engine/catalog"
	"exosep/engine/protocol"
)

// DefaultPresetID is the preset the protocol builder opens with.
const DefaultPresetID = "nikfarjam2020"

// Histogram range shown on the page: bins of protocol.SizeHistogram from
// 10 nm to 10 µm (the edges are 5 per decade from 1 nm).
const histFirstBin, histLastBin = 5, 20

// builderView is everything the protocol builder shows.
type builderView struct {
	Presets  []option // id, name
	PresetID string
	Protocol protocol.Protocol
	Inputs   []inputOption
	Rotors   []rotorGroup
	Steps    []stepView
	Result   resultView
	Data     builderData // for static/protocol.js, as JSON
	Limits   builderLimits
}

type inputOption struct {
	ID, Name  string
	DefaultML float64
}

type builderLimits struct {
	MaxVolumeML    float64 `json:"maxVolumeMl"`
	MaxMinutes     float64 `json:"maxMinutes"`
	MaxResuspendML float64 `json:"maxResuspendMl"`
	MaxFactor      float64 `json:"maxFactor"`
	MaxSteps       int     `json:"maxSteps"`
	TempMinC       float64 `json:"tempMinC"`
	TempMaxC       float64 `json:"tempMaxC"`
	DefaultTempC   float64 `json:"defaultTempC"`
}

// builderData is handed to static/protocol.js (script#protocol-data).
type builderData struct {
	Presets  []protocol.Protocol `json:"presets"`
	Default  string              `json:"default"`
	Inputs   []inputData         `json:"inputs"`
	Rotors   []rotorData         `json:"rotors"`
	Species  []speciesData       `json:"species"`
	Limits   builderLimits       `json:"limits"`
	HistFrom int                 `json:"histFrom"`
	HistTo   int                 `json:"histTo"`
}

type inputData struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	DefaultML float64 `json:"defaultMl"`
}

type rotorData struct {
	Name   string  `json:"name"`
	Kind   string  `json:"kind"`
	MaxRPM float64 `json:"maxRpm"`
	RMinM  float64 `json:"rMinM"`
	RMaxM  float64 `json:"rMaxM"`
}

type speciesData struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Short string `json:"short"`
	Color string `json:"color"`
}

// stepView is one step of the builder, numbered from 1.
type stepView struct {
	N     int
	Step  protocol.Step
	Count int // steps in all (for the Move down button)
}

// speedMode is "rpm" when the step gives rpm, else "rcf".
func (s stepView) speedMode() string {
	if s.Step.RPM != 0 {
		return "rpm"
	}
	return "rcf"
}

func (s stepView) speed() string {
	if s.Step.RPM != 0 {
		return formatNumber(s.Step.RPM)
	}
	if s.Step.RCF != 0 {
		return formatNumber(s.Step.RCF)
	}
	return ""
}

func (s stepView) rcfAt() string {
	if s.Step.RCFAt == "" {
		return string(protocol.DefaultConvention)
	}
	return s.Step.RCFAt
}

func (s stepView) temperature() string {
	if s.Step.TemperatureC == nil {
		return ""
	}
	return formatNumber(*s.Step.TemperatureC)
}

func (s stepView) resuspendMode() string {
	if s.Step.Factor != 0 {
		return "factor"
	}
	return "volume"
}

func (s stepView) resuspendValue() string {
	if s.Step.Factor != 0 {
		return formatNumber(s.Step.Factor)
	}
	if s.Step.VolumeML != 0 {
		return formatNumber(s.Step.VolumeML)
	}
	return ""
}

// id is a unique element id for a field of this step.
func (s stepView) id(field string) string { return fmt.Sprintf("step-%d-%s", s.N, field) }

// resultView is a protocol result formatted for the page (the same
// formats as static/format.js; static/protocol.js renders the same
// structure from the stage's protocolResult).
type resultView struct {
	Protocol string
	Yield    string // "62.3 %"
	Exosomes string
	Intact   string
	PerUG    string
	Purity   string
	Protein  string
	VolumeML string
	Total    string // minutes
	Run      string
	Ramps    string
	HandsOn  string
	Runs     string
	Steps    []stepRow
	Flows    []flowRow // per species: where it went at each step
	Hist     histView
}

type stepRow struct {
	N                                    int
	Name, Kind                           string
	Runs, Minutes, ExoKept, Protein, Vol string
	Damage                               string
	Warnings                             []string
}

type flowRow struct {
	ID, Name, Short, Color string
	Cells                  []flowCell
}

// flowCell is one species at one step: shares of what entered it that
// were kept (intact), newly damaged (kept, damaged in this step's pellet)
// and discarded. Empty when none of the species entered the step.
type flowCell struct {
	Step                        int
	Empty                       bool
	Kept, Damaged, Discarded    float64
	KeptText, DamText, DiscText string
}

type histView struct {
	Bars    []histBar
	MaxTxt  string
	Summary string
	Rows    []histRow
	Empty   bool
}

// histBar is one stacked segment of the histogram, in SVG user units.
type histBar struct {
	X, Y, W, H float64
	Color      string
	Title      string
}

type histRow struct {
	Range string
	Cells []string // per species in flow order
	Total string
}

// newBuilderView builds the builder for the default preset and
// pre-renders its result with the engine.
func newBuilderView(cat *catalog.Catalog) (builderView, error) {
	lib, err := protocol.Default()
	if err != nil {
		return builderView{}, err
	}
	p, err := lib.Preset(DefaultPresetID)
	if err != nil {
		return builderView{}, err
	}
	res, err := lib.Run(p, protocol.Options{})
	if err != nil {
		return builderView{}, fmt.Errorf("pre-rendering the default protocol: %w", err)
	}
	pbs := cat.Media["pbs"]
	lo, hi := pbs.RangeC()
	v := builderView{PresetID: p.ID, Protocol: p, Rotors: rotorGroups(cat),
		Limits: builderLimits{MaxVolumeML: protocol.MaxVolumeML, MaxMinutes: protocol.MaxMinutes, MaxResuspendML: protocol.MaxResuspendML,
			MaxFactor: protocol.MaxFactor, MaxSteps: protocol.MaxSteps, TempMinC: lo, TempMaxC: hi, DefaultTempC: lib.Model.DefaultTemperatureC}}
	presets := builderPresets(lib)
	for _, pr := range presets {
		v.Presets = append(v.Presets, option{pr.ID, pr.Name})
	}
	for _, in := range lib.Inputs {
		v.Inputs = append(v.Inputs, inputOption{in.ID, in.Name, millilitres(in.DefaultVolumeM3)})
		v.Data.Inputs = append(v.Data.Inputs, inputData{in.ID, in.Name, millilitres(in.DefaultVolumeM3)})
	}
	for i, s := range p.Steps {
		v.Steps = append(v.Steps, stepView{N: i + 1, Step: s, Count: len(p.Steps)})
	}
	v.Result = newResultView(res, cat)
	v.Data.Presets, v.Data.Default, v.Data.Limits = presets, p.ID, v.Limits
	v.Data.HistFrom, v.Data.HistTo = histFirstBin, histLastBin
	for _, r := range cat.Rotors.Rotors {
		v.Data.Rotors = append(v.Data.Rotors, rotorData{r.Name, string(r.Kind), r.MaxRPM, r.RMinM, r.RMaxM})
	}
	for _, s := range cat.Species {
		v.Data.Species = append(v.Data.Species, speciesData{s.ID, s.Name, s.Short, s.Color})
	}
	return v, nil
}

// builderPresets are the presets the DUC builder lists: steps of kind
// spin, resuspend, pool, or filter given by its pore size, which its form
// edits, and density-gradient steps, shown read-only with a link to the
// gradient page (static/protocol.js). The
// membrane-filtration presets (ultrafilter steps, membranes named by id)
// are left to the filtration pages; a protocol holding such steps (from a
// link) is still shown, those steps read-only (static/protocol.js).
func builderPresets(lib *protocol.Library) []protocol.Protocol {
	var out []protocol.Protocol
	for _, p := range lib.Presets {
		ok := true
		for _, s := range p.Steps {
			switch s.Kind {
			case protocol.KindSpin, protocol.KindResuspend, protocol.KindPool, protocol.KindGradient:
			case protocol.KindFilter:
				ok = ok && s.Membrane == "" && s.Module == "" && s.TMPkPa == 0
			default:
				ok = false
			}
		}
		if ok {
			out = append(out, p)
		}
	}
	return out
}

func percentText(f float64) string { return formatPercent(f) + " %" }

func newResultView(res *protocol.Result, cat *catalog.Catalog) resultView {
	f := res.Final
	v := resultView{Protocol: res.Protocol,
		Yield: percentText(f.ExosomeYieldFraction), Exosomes: formatSci(f.ExosomeParticles), Intact: percentText(f.ExosomeIntactFraction),
		PerUG: formatSci(f.ParticlesPerUGProtein), Purity: f.Purity.Class, Protein: formatSci(f.ProteinUG), VolumeML: formatSci(f.VolumeML),
		Total: formatMinutes(f.TotalMinutes), Run: formatMinutes(f.RunMinutes - f.AccelDecelMinutes), Ramps: formatMinutes(f.AccelDecelMinutes),
		HandsOn: formatMinutes(f.HandsOnMinutes), Runs: formatInt(float64(f.Runs))}
	for _, s := range res.Steps {
		row := stepRow{N: s.Index, Name: s.Name, Kind: s.Kind, Runs: "–", Minutes: fixed(s.Minutes, 1), ExoKept: "–",
			Protein: formatSci(s.ProteinUG.Kept), Vol: formatSci(s.VolumeOutML), Damage: "–", Warnings: s.Warnings}
		if s.Time.Runs > 0 {
			row.Runs = formatInt(float64(s.Time.Runs))
		}
		if ex := s.Species[protocol.ExosomeID]; ex.In > 0 {
			row.ExoKept = percentText(ex.Kept / ex.In)
		}
		if s.Spin != nil && s.Spin.Keep == protocol.KeepPellet {
			row.Damage = percentText(s.Spin.Damage.ExosomesDamagedFraction)
		}
		v.Steps = append(v.Steps, row)
	}
	intactBefore := 1.0
	exoFlow := make([]float64, len(res.Steps)) // newly damaged share of the input, exosomes
	for i, s := range res.Steps {
		ex := s.Species[protocol.ExosomeID]
		after := s.Product.ExosomeIntactFraction
		if ex.In > 0 {
			exoFlow[i] = math.Max(0, ex.Kept/ex.In*(intactBefore-after))
		}
		intactBefore = after
	}
	for _, sp := range cat.Species {
		if res.Input.Species[sp.ID] <= 0 {
			continue
		}
		row := flowRow{ID: sp.ID, Name: sp.Name, Short: sp.Short, Color: sp.Color}
		for i, s := range res.Steps {
			fl := s.Species[sp.ID]
			c := flowCell{Step: s.Index}
			if !(fl.In > 0) {
				c.Empty = true
			} else {
				c.Kept, c.Discarded = fl.Kept/fl.In, fl.Discarded/fl.In
				if sp.ID == protocol.ExosomeID {
					c.Damaged = math.Min(exoFlow[i], c.Kept)
					c.Kept -= c.Damaged
				}
				c.KeptText, c.DamText, c.DiscText = formatPercent(c.Kept), formatPercent(c.Damaged), formatPercent(c.Discarded)
			}
			row.Cells = append(row.Cells, c)
		}
		v.Flows = append(v.Flows, row)
	}
	v.Hist = newHistView(res.Final.Size, v.Flows)
	return v
}

// SVG geometry of the size histogram (user units).
const (
	histW, histH             = 640.0, 240.0
	histLeft, histRight      = 56.0, 12.0
	histTop, histBottom      = 12.0, 40.0
	histPlotW, histPlotH     = histW - histLeft - histRight, histH - histTop - histBottom
	histMinNM, histMaxNM     = 10.0, 10000.0
	histTicks            int = 4
)

// newHistView draws the product's size distribution: particles per size
// bin (all species but albumin, which is soluble protein counted in
// molecules), stacked by species, as shares of the particles shown.
func newHistView(h protocol.SizeHistogram, flows []flowRow) histView {
	var v histView
	n := histLastBin - histFirstBin
	totals := make([]float64, n)
	var all float64
	for _, f := range flows {
		if f.ID == protocol.AlbuminID {
			continue
		}
		c := h.Counts[f.ID]
		for b := range n {
			if histFirstBin+b < len(c) {
				totals[b] += c[histFirstBin+b]
				all += c[histFirstBin+b]
			}
		}
	}
	if !(all > 0) {
		v.Empty, v.Summary = true, "The product holds no particles between 10 nm and 10 µm."
		return v
	}
	maxShare := slices.Max(totals) / all
	bw := histPlotW / float64(n)
	peak := 0
	for b := range n {
		if totals[b] > totals[peak] {
			peak = b
		}
		y := histTop + histPlotH
		row := histRow{Range: fmt.Sprintf("%s–%s nm", formatSci(h.EdgesNM[histFirstBin+b]), formatSci(h.EdgesNM[histFirstBin+b+1])), Total: percentText(totals[b] / all)}
		for _, f := range flows {
			if f.ID == protocol.AlbuminID {
				continue
			}
			var cnt float64
			if c := h.Counts[f.ID]; histFirstBin+b < len(c) {
				cnt = c[histFirstBin+b]
			}
			row.Cells = append(row.Cells, percentText(cnt/all))
			if cnt <= 0 {
				continue
			}
			hh := cnt / all / maxShare * histPlotH
			y -= hh
			v.Bars = append(v.Bars, histBar{X: histLeft + float64(b)*bw + 1, Y: y, W: bw - 2, H: hh, Color: f.Color,
				Title: fmt.Sprintf("%s, %s: %s of the particles", f.Name, row.Range, percentText(cnt/all))})
		}
		v.Rows = append(v.Rows, row)
	}
	v.MaxTxt = percentText(maxShare)
	v.Summary = fmt.Sprintf("Size distribution of the product's particles (albumin excluded): most particles, %s, are %s in diameter.",
		percentText(totals[peak]/all), v.Rows[peak].Range)
	return v
}

// histFlows are the species drawn in the histogram (not albumin).
func histFlows(flows []flowRow) []flowRow {
	return slices.DeleteFunc(slices.Clone(flows), func(f flowRow) bool { return f.ID == protocol.AlbuminID })
}

// histXTicks are the decade ticks of the histogram's log axis.
type histTick struct {
	X             float64
	Label, Anchor string
}

func histXTicks() []histTick {
	var t []histTick
	for i := 0; i < histTicks; i++ {
		nm := histMinNM * math.Pow(10, float64(i))
		x := histLeft + math.Log10(nm/histMinNM)/math.Log10(histMaxNM/histMinNM)*histPlotW
		label := formatInt(nm) + " nm"
		if nm >= 1000 {
			label = formatInt(nm/1000) + " µm"
		}
		anchor := "middle"
		if i == histTicks-1 {
			anchor = "end"
		}
		t = append(t, histTick{x, label, anchor})
	}
	return t
}

func svgNum(x float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", x), "0"), ".")
}

// barWidth is a CSS width for a share 0..1.
func barWidth(f float64) string { return fmt.Sprintf("width: %.2f%%", 100*math.Max(0, math.Min(1, f))) }

// stepTitle is a step's heading in the builder.
func stepTitle(s stepView) string {
	return fmt.Sprintf("Step %d: %s", s.N, kindLabel(s.Step.Kind))
}

// gradientStepText is a gradient step's run in one sentence.
func gradientStepText(s protocol.Step) string {
	g := s.Gradient
	if g == nil {
		return "A density-gradient step."
	}
	speed := fmt.Sprintf("%s rpm", formatNumber(g.RPM))
	if g.RCF != 0 {
		speed = fmt.Sprintf("%s × g", formatInt(g.RCF))
	}
	return fmt.Sprintf("A %s %s gradient in %s at %s for %s h, %d fractions.", g.Mode, g.Medium, g.Rotor, speed, formatNumber(g.Minutes/60), g.Fractions)
}

func kindLabel(kind string) string {
	switch kind {
	case protocol.KindGradient:
		return "density gradient"
	case protocol.KindSpin:
		return "spin"
	case protocol.KindFilter:
		return "filter"
	case protocol.KindResuspend:
		return "resuspend or dilute"
	case protocol.KindPool:
		return "pool"
	}
	return kind
}

var stepKinds = []option{{protocol.KindSpin, "Spin"}, {protocol.KindFilter, "Filter"}, {protocol.KindResuspend, "Resuspend or dilute"}, {protocol.KindPool, "Pool"}}

var rcfAtOptions = []option{{"min", "r_min"}, {"avg", "r_avg"}, {"max", "r_max"}}

var poreOptions = []option{{"0.22", "0.22 µm"}, {"0.45", "0.45 µm"}}

// protocolFacts are the protocol model's figures as the model page states
// them, read from the library (data/inputs.json) so text and engine agree.
type protocolFacts struct {
	ResidualPct, ResidualMinUL string
	RampPer100k, RampMin       string
	HalfDose, Shape            string
	Purity                     []option // class name, band in words
	PresetYields               []option // preset name, exosome yield
	LammTol                    string
}

func newProtocolFacts() (protocolFacts, error) {
	lib, err := protocol.Default()
	if err != nil {
		return protocolFacts{}, err
	}
	m := lib.Model
	f := protocolFacts{
		ResidualPct:   formatSci(m.ResidualFraction * 100),
		ResidualMinUL: formatSci(m.ResidualMinM3 * 1e9),
		RampPer100k:   formatSci(m.RampSPer100kRPM / 60),
		RampMin:       formatSci(m.RampMinS / 60),
		HalfDose:      fmt.Sprintf("%s × g for %s h", formatInt(m.DamageReferenceRCF), formatSci(m.Damage.HalfDoseGS/m.DamageReferenceRCF/3600)),
		Shape:         formatSci(m.Damage.Shape),
		LammTol:       "1 %",
	}
	for _, c := range m.Purity {
		var band string
		switch {
		case c.MinPerUG > 0 && c.MaxPerUG > 0:
			band = formatSci(c.MinPerUG) + " to " + formatSci(c.MaxPerUG)
		case c.MinPerUG > 0:
			band = "at least " + formatSci(c.MinPerUG)
		default:
			band = "below " + formatSci(c.MaxPerUG)
		}
		f.Purity = append(f.Purity, option{c.Name, band + " particles per µg protein"})
	}
	for _, p := range lib.Presets {
		res, err := lib.Run(p, protocol.Options{})
		if err != nil {
			return f, err
		}
		f.PresetYields = append(f.PresetYields, option{p.Name, percentText(res.Final.ExosomeYieldFraction)})
	}
	return f, nil
}

// defaultVolume is the sample's default volume (mL), the volume field's
// placeholder.
func (v builderView) defaultVolume() string {
	for _, in := range v.Inputs {
		if in.ID == v.Protocol.Input {
			return formatNumber(in.DefaultML)
		}
	}
	return ""
}

// millilitres converts m³ to mL, rounded to 12 significant digits so that
// 1.2e-4 m³ shows as 120, not 119.99999999999999.
func millilitres(m3 float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(m3*1e6, 'g', 12, 64), 64)
	return v
}
