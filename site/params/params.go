package params

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"exosep/engine/protocol"
	"exosep/engine/rotor"
	"exosep/engine/spin"
	"exosep/wasm/bridge"
)

// Version is the schema's version, carried in static/params.js.
const Version = 1

// Type is a parameter's value type.
type Type string

// Types of parameter values. A list is comma-separated items, each one of
// Values.
const (
	Number Type = "number"
	Int    Type = "int"
	Bool   Type = "bool"
	Enum   Type = "enum"
	String Type = "string"
	List   Type = "list"
)

// Visibility says whether teachers are meant to use a parameter. A bad
// public value shows a visible warning; a bad internal value is reported
// in the console only. Either falls back to its default.
type Visibility string

const (
	Public   Visibility = "public"
	Internal Visibility = "internal"
)

// Pages that read URL parameters. AllPages marks a parameter every page
// reads (the colour profile).
const (
	PageDUC          = "duc.html"
	PageDUCEmbed     = "duc-embed.html"
	PageCompare      = "compare.html"
	PageCompareEmbed = "compare-embed.html"
	PageStage        = "stage.html"
	PageUF           = "ultrafiltration.html"
	PageUFEmbed      = "ultrafiltration-embed.html"
	PageSF           = "sequential-filtration.html"
	PageSFEmbed      = "sequential-filtration-embed.html"
	AllPages         = "*"
)

// Entry is one URL parameter.
type Entry struct {
	Name string `json:"name"` // the URL key (and, for stage fields, the bridge.Params JSON name)
	Type Type   `json:"type"`
	Unit string `json:"unit,omitempty"` // "" when dimensionless
	// Min and Max bound number and int values (nil: unbounded on that
	// side); MinExclusive makes Min itself invalid ("above 0").
	Min          *float64 `json:"min,omitempty"`
	Max          *float64 `json:"max,omitempty"`
	MinExclusive bool     `json:"minExclusive,omitempty"`
	// Values are the allowed values of an enum or the items of a list.
	Values []string `json:"values,omitempty"`
	// PageValues narrows Values on some pages: there only these are
	// allowed (hide= and lock= accept the controls the page has).
	PageValues map[string][]string `json:"pageValues,omitempty"`
	// Normalize makes enum matching ignore case, spaces, hyphens and
	// underscores (rotor names, as the catalogue's Find).
	Normalize bool `json:"normalize,omitempty"`
	// MaxLength bounds a string's length in characters.
	MaxLength int `json:"maxLength,omitempty"`
	// Default is the value used when the key is absent or bad: a string,
	// float64, bool or []string by Type; nil means "not set".
	Default     any        `json:"default"`
	Visibility  Visibility `json:"visibility"`
	Description string     `json:"description"`
	Allowed     string     `json:"allowed"` // the allowed values in words, for the documentation
	Pages       []string   `json:"pages"`   // the pages that read it (AllPages: every page)
	// Stage marks a field of bridge.Params: the stage reads it too, and its
	// name, unit, default and description come from bridge.ParamSpecs.
	Stage bool `json:"stage,omitempty"`
	// Lane marks a per-lane parameter of the comparison pages: there it is
	// also accepted as a.<name>, b.<name>, c.<name>, overriding the plain
	// <name> for that lane only.
	Lane bool `json:"lane,omitempty"`
	// Settable marks parameters a host page may change with a "set"
	// message (see the host API in doc.go).
	Settable bool `json:"settable,omitempty"`
}

// Rotor is what the validator needs of a catalogue rotor: names to match
// and the speed limits, and the capacity shown on the comparison page.
type Rotor struct {
	Name         string   `json:"name"`
	Aliases      []string `json:"aliases,omitempty"`
	Kind         string   `json:"kind"`
	AngleDeg     float64  `json:"angleDeg,omitempty"`
	MaxRPM       float64  `json:"maxRPM"`
	RMinM        float64  `json:"rMinM"`
	RMaxM        float64  `json:"rMaxM"`
	TubeCount    int      `json:"tubeCount"`
	TubeVolumeML float64  `json:"tubeVolumeML"`
}

// Medium is a suspending medium and its tabulated temperature range.
type Medium struct {
	ID   string  `json:"id"`
	Name string  `json:"name"`
	MinC float64 `json:"minC"`
	MaxC float64 `json:"maxC"`
}

// Species is a particle population, for the species list parameter.
type Species struct {
	ID    string `json:"id"`
	Short string `json:"short"`
	Name  string `json:"name"`
	Color string `json:"color"`
}

// Preset is a named set of parameter values (the preset parameter).
type Preset struct {
	ID     string         `json:"id"`
	Label  string         `json:"label"`
	Values map[string]any `json:"values"`
}

// ProtocolPreset names a protocol of the library.
type ProtocolPreset struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Input string `json:"input"`
}

// Input names a sample of the library.
type Input struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Control is a control of the simulator pages that hide= and lock= name:
// every element marked data-control="<name>" on the page (a test checks
// that the pages and this table agree).
type Control struct {
	Name  string   `json:"name"`
	Label string   `json:"label"`
	Pages []string `json:"pages"` // the pages that have the control
}

// Schema is the one table of every URL parameter of every page, with the
// catalogue facts its validator needs. static/params.js carries it as JSON.
type Schema struct {
	Version int       `json:"version"`
	Entries []Entry   `json:"entries"`
	Lanes   []string  `json:"lanes"` // lane prefixes of the comparison pages
	Rotors  []Rotor   `json:"rotors"`
	Media   []Medium  `json:"media"`
	Species []Species `json:"species"`
	Presets []Preset  `json:"presets"`
	// Controls are the names hide= and lock= accept.
	Controls []Control `json:"controls"`
	// Protocols are the protocol library's presets (the protocol
	// parameter's values) and Inputs its samples (the input parameter's).
	Protocols []ProtocolPreset `json:"protocols"`
	Inputs    []Input          `json:"inputs"`
	// LaneDefaults are per-lane defaults that differ from Entry.Default
	// (lane b is a fixed-angle rotor, so the default comparison is
	// swinging bucket vs fixed angle at the same RCF and time).
	LaneDefaults map[string]map[string]any `json:"laneDefaults"`
}

// Lanes of the comparison pages; lanes= picks how many are shown.
var Lanes = []string{"a", "b", "c"}

// MaxSeed is the largest seed the pages accept: JavaScript numbers hold
// whole numbers exactly only up to 2^53 − 1 (the stage itself accepts any
// uint64).
const MaxSeed = 1<<53 - 1

// SimPages are the pages that take hide=, lock=, title= and autoplay=.
var SimPages = []string{PageDUCEmbed, PageCompare, PageCompareEmbed, PageUFEmbed, PageSFEmbed, PageGradientEmbed}

// controls are the names of the simulator controls for hide= and lock=,
// with the pages that have each.
var controls = func() []Control {
	spin := []string{PageDUCEmbed, PageCompare, PageCompareEmbed}
	spinAndGradient := append(slices.Clone(spin), PageGradientEmbed)
	uf := []string{PageUFEmbed}
	filtration := []string{PageUFEmbed, PageSFEmbed}
	gradient := []string{PageGradientEmbed}
	return []Control{
		{Name: "rotor", Label: "Rotor", Pages: spinAndGradient},
		{Name: "speed", Label: "Speed (RCF or rpm, and the radius RCF is quoted at)", Pages: spinAndGradient},
		{Name: "minutes", Label: "Duration (time at speed)", Pages: spinAndGradient},
		{Name: "temperatureC", Label: "Temperature", Pages: spin},
		{Name: "medium", Label: "Medium (the spin's liquid; on the gradient, the gradient medium)", Pages: []string{PageDUCEmbed, PageGradientEmbed}},
		{Name: "timeScale", Label: "Time scale", Pages: spin},
		{Name: "protocol", Label: "Method of a set-up on the comparison (one spin or a protocol)", Pages: []string{PageCompare, PageCompareEmbed}},
		{Name: "input", Label: "Sample", Pages: []string{PageCompare, PageCompareEmbed, PageUFEmbed, PageSFEmbed, PageGradientEmbed}},
		{Name: "volume", Label: "Sample volume", Pages: []string{PageUFEmbed, PageSFEmbed, PageGradientEmbed}},
		{Name: "membrane", Label: "Membrane (MWCO)", Pages: uf},
		{Name: "flow", Label: "Dead-end or tangential flow", Pages: uf},
		{Name: "clarify", Label: "Clarify through 0.22 µm first", Pages: uf},
		{Name: "cascade", Label: "Large cut-off first", Pages: uf},
		{Name: "pressure", Label: "Transmembrane pressure(s)", Pages: filtration},
		{Name: "concentration", Label: "Concentration factor and diafiltration", Pages: filtration},
		{Name: "shear", Label: "Cross-flow shear rate", Pages: filtration},
		{Name: "mode", Label: "Rate-zonal or isopycnic, with the two example runs", Pages: gradient},
		{Name: "gradient", Label: "Gradient shape, densities, layers and cushion", Pages: gradient},
		{Name: "load", Label: "Where the sample is loaded (top, or bottom to float up)", Pages: gradient},
		{Name: "fractions", Label: "Number of fractions", Pages: gradient},
		{Name: "transport", Label: "Play, pause and reset buttons", Pages: SimPages},
		{Name: "readout", Label: "Results", Pages: SimPages},
		{Name: "fullscreen", Label: "Fullscreen button", Pages: SimPages},
	}
}()

// ControlNames lists the names hide= and lock= accept on some page.
func ControlNames() []string {
	out := make([]string, len(controls))
	for i, c := range controls {
		out[i] = c.Name
	}
	return out
}

// ControlsOn lists the controls page has (the names its hide= and lock=
// accept), in the table's order.
func (s Schema) ControlsOn(page string) []Control {
	var out []Control
	for _, c := range s.Controls {
		if slices.Contains(c.Pages, page) {
			out = append(out, c)
		}
	}
	return out
}

// controlValues are hide='s and lock='s values per page, and the words
// for them.
func controlValues() (map[string][]string, string) {
	byPage := map[string][]string{}
	var words []string
	for _, p := range SimPages {
		for _, c := range controls {
			if slices.Contains(c.Pages, p) {
				byPage[p] = append(byPage[p], c.Name)
			}
		}
		words = append(words, p+": "+strings.Join(byPage[p], ", "))
	}
	return byPage, "the page's controls, comma-separated; " + strings.Join(words, "; ")
}

func ptr(f float64) *float64 { return &f }

// New builds the schema from the protocol library (its catalogue: rotor
// names, media and their temperature ranges, species; its inputs and
// protocol presets) and the site's one-spin presets. The stage's
// parameters take name, unit, default and description from
// bridge.ParamSpecs, so the two cannot disagree; this package adds their
// types and ranges. Every protocol preset of the library is a value of
// the protocol parameter, with no code per preset.
func New(lib *protocol.Library, presets []Preset) (Schema, error) {
	if lib == nil || lib.Catalog == nil {
		return Schema{}, fmt.Errorf("params.New: protocol library or catalogue is nil")
	}
	cat := lib.Catalog
	s := Schema{Version: Version, Lanes: slices.Clone(Lanes), Controls: slices.Clone(controls), Presets: presets}
	for _, p := range lib.Presets {
		s.Protocols = append(s.Protocols, ProtocolPreset{ID: p.ID, Name: p.Name, Input: p.Input})
	}
	for _, in := range lib.Inputs {
		s.Inputs = append(s.Inputs, Input{ID: in.ID, Name: in.Name})
	}
	for _, r := range cat.Rotors.Rotors {
		s.Rotors = append(s.Rotors, Rotor{
			Name: r.Name, Aliases: r.Aliases, Kind: string(r.Kind),
			AngleDeg: math.Round(r.AngleRad*180/math.Pi*10) / 10,
			MaxRPM:   r.MaxRPM, RMinM: r.RMinM, RMaxM: r.RMaxM,
			TubeCount: r.TubeCount, TubeVolumeML: math.Round(r.TubeVolumeM3*1e9) / 1e3,
		})
	}
	var mediaIDs []string
	for id, m := range cat.Media {
		lo, hi := m.RangeC()
		s.Media = append(s.Media, Medium{ID: id, Name: m.Name, MinC: lo, MaxC: hi})
		mediaIDs = append(mediaIDs, id)
	}
	slices.SortFunc(s.Media, func(a, b Medium) int { return strings.Compare(a.ID, b.ID) })
	slices.Sort(mediaIDs)
	var speciesIDs []string
	for _, sp := range cat.Species {
		s.Species = append(s.Species, Species{ID: sp.ID, Short: sp.Short, Name: sp.Name, Color: sp.Color})
		speciesIDs = append(speciesIDs, sp.ID)
	}
	var presetIDs []string
	for _, p := range presets {
		presetIDs = append(presetIDs, p.ID)
	}
	tLo, tHi := math.Inf(1), math.Inf(-1)
	for _, m := range s.Media {
		tLo, tHi = math.Min(tLo, m.MinC), math.Max(tHi, m.MaxC)
	}
	var maxRPM, maxRCF float64
	for _, r := range cat.Rotors.Rotors {
		maxRPM = math.Max(maxRPM, r.MaxRPM)
		maxRCF = math.Max(maxRCF, math.Floor(rotor.RCF(r.MaxRPM, r.RMaxM)))
	}
	stagePages := []string{PageDUC, PageDUCEmbed, PageCompare, PageCompareEmbed, PageStage}
	// The display settings also reach the gradient pages' stage (its
	// gradient message's animation settings).
	withGradient := append(slices.Clone(stagePages), PageGradient, PageGradientEmbed)
	filtrationPages := []string{PageUF, PageUFEmbed, PageSF, PageSFEmbed}
	protocolIDs, inputIDs := lib.PresetIDs(), lib.InputIDs()
	// Types and ranges of bridge.Params' fields, by JSON name.
	stage := map[string]Entry{
		"rotor": {Type: Enum, Values: cat.Rotors.Names(), Normalize: true, Lane: true, Settable: true,
			Allowed: "a catalogue rotor: " + strings.Join(cat.Rotors.Names(), ", ") + " (case, spaces and hyphens ignored)"},
		"rpm": {Type: Number, Min: ptr(0), MinExclusive: true, Max: ptr(maxRPM), Lane: true, Settable: true,
			Allowed: "above 0 up to the rotor's maximum speed; give rpm or rcf, not both (rpm clears the default rcf)"},
		"rcf": {Type: Number, Min: ptr(0), MinExclusive: true, Max: ptr(maxRCF), Lane: true, Settable: true,
			Allowed: "above 0 up to the rotor's maximum RCF at the rcfAt radius"},
		"rcfAt":        {Type: Enum, Values: []string{"min", "avg", "max"}, Normalize: true, Lane: true, Settable: true, Allowed: "min, avg or max"},
		"minutes":      {Type: Number, Min: ptr(0), MinExclusive: true, Max: ptr(spin.MaxDurationS / 60), Lane: true, Settable: true, Allowed: fmt.Sprintf("above 0 up to %g", float64(spin.MaxDurationS/60))},
		"temperatureC": {Type: Number, Min: ptr(tLo), Max: ptr(tHi), Settable: true, Allowed: fmt.Sprintf("%g–%g (the medium's tabulated range)", tLo, tHi)},
		"medium": {Type: Enum, Values: mediaIDs, Settable: true, Allowed: strings.Join(mediaIDs, " or "),
			Pages: []string{PageDUC, PageDUCEmbed, PageStage}}, // the comparison spins its input sample's own liquid
		"particles": {Type: Int, Min: ptr(bridge.MinParticles), Max: ptr(bridge.MaxParticles), Settable: true, Allowed: fmt.Sprintf("%d–%d", bridge.MinParticles, bridge.MaxParticles)},
		"timeScale": {Type: Number, Min: ptr(bridge.MinTimeScale), Max: ptr(bridge.MaxTimeScale), Settable: true, Allowed: fmt.Sprintf("%d–%d", bridge.MinTimeScale, bridge.MaxTimeScale)},
		"seed": {Type: Int, Min: ptr(0), Max: ptr(MaxSeed), Settable: true, Allowed: "a whole number 0–9007199254740991 (2^53 − 1)",
			Pages: append(slices.Clone(stagePages), filtrationPages...)},
		"reducedMotion": {Type: Bool, Settable: true, Pages: append(slices.Clone(withGradient), filtrationPages...),
			Allowed: "true or false (also 1/0, yes/no, on/off; a bare key means true)"},
		"colorProfile": {Type: Enum, Values: bridge.ColorProfiles(), Pages: []string{AllPages},
			Allowed: strings.Join(bridge.ColorProfiles(), ", ")},
		"species": {Type: List, Values: speciesIDs, Default: slices.Clone(speciesIDs), Settable: true, Pages: append(slices.Clone(withGradient), filtrationPages...),
			Allowed: "any of " + strings.Join(speciesIDs, ", ") + " (comma-separated; unknown ones are ignored)"},
	}
	for _, spec := range bridge.ParamSpecs() {
		e, ok := stage[spec.Name]
		if !ok {
			return Schema{}, fmt.Errorf("params.New: bridge.ParamSpecs has %q, which the schema does not type", spec.Name)
		}
		delete(stage, spec.Name)
		e.Name, e.Unit, e.Description = spec.Name, spec.Unit, spec.Doc
		e.Visibility, e.Stage = Public, true
		if e.Pages == nil {
			e.Pages = stagePages
		}
		def, err := typedDefault(e.Type, spec.Default)
		if err != nil {
			return Schema{}, fmt.Errorf("params.New: default of %s: %v", spec.Name, err)
		}
		if def != nil || e.Default == nil { // bridge's "not set" may be written out here (species: all)
			e.Default = def
		}
		s.Entries = append(s.Entries, e)
	}
	if len(stage) != 0 {
		return Schema{}, fmt.Errorf("params.New: typed parameters missing from bridge.ParamSpecs: %v", stage)
	}
	sims := slices.Clone(SimPages)
	ctlByPage, ctlAllowed := controlValues()
	s.Entries = append(s.Entries,
		Entry{Name: bridge.FrameEveryKey, Type: Int, Min: ptr(0), Max: ptr(bridge.MaxFrameEvery), Default: 0.0,
			Visibility: Internal, Pages: []string{PageStage},
			Description: "Post a frame message every n-th drawn frame (for benchmarks; 0 = off).",
			Allowed:     fmt.Sprintf("0–%d", bridge.MaxFrameEvery)},
		Entry{Name: "method", Type: Enum, Values: []string{"duc"}, Default: "duc", Visibility: Public,
			Pages:       []string{PageDUCEmbed, PageCompare, PageCompareEmbed},
			Description: "Isolation method. Only differential ultracentrifugation (duc) is simulated so far; density gradients and filtration are not built yet.",
			Allowed:     "duc"},
		Entry{Name: "preset", Type: Enum, Values: presetIDs, Default: nil, Visibility: Public, Lane: true, Settable: true,
			Pages:       []string{PageDUC, PageDUCEmbed, PageCompare, PageCompareEmbed},
			Description: "One spin of the review's protocol: sets rcf (at r_max) and minutes; rpm, rcf or minutes given as well win over it. On duc.html it opens the one-spin explorer.",
			Allowed:     strings.Join(presetIDs, ", ")},
		Entry{Name: "protocol", Type: Enum, Values: protocolIDs, Default: nil, Visibility: Public, Lane: true, Settable: true,
			Pages:       []string{PageDUC, PageCompare, PageCompareEmbed},
			Description: "A whole protocol from the library (every preset of data/presets): on duc.html it opens in the protocol builder; on the comparison a set-up runs it (a.protocol=…) instead of one spin, on the shared input sample.",
			Allowed:     strings.Join(protocolIDs, ", ")},
		Entry{Name: "mode", Type: Enum, Values: []string{"protocol", "spin"}, Default: "protocol", Visibility: Public,
			Pages:       []string{PageDUC},
			Description: "What duc.html opens: the protocol builder, or the one-spin explorer (spin; also implied by any one-spin setting such as rotor or rcf).",
			Allowed:     "protocol or spin"},
		Entry{Name: "p", Type: String, MaxLength: MaxProtocolLink, Default: "", Visibility: Public,
			Pages:       []string{PageDUC},
			Description: "A protocol edited in the builder: 1.<base64url of its JSON>, as the share link writes it. The engine checks every step; a bad one is reported and the default protocol shown.",
			Allowed:     fmt.Sprintf("1.<base64url text>, up to %d characters", MaxProtocolLink)},
		Entry{Name: "input", Type: Enum, Values: inputIDs, Default: firstOr(inputIDs, "msc-cm"), Visibility: Public, Settable: true,
			Pages:       append([]string{PageCompare, PageCompareEmbed}, filtrationPages...),
			Description: "The sample: on the comparison, the one every set-up processes at its default volume (a protocol's own sample and volume are replaced by it); on the filtration pages, the sample filtered (volume: volumeMl).",
			Allowed:     strings.Join(inputIDs, ", ")},
		Entry{Name: "autoplay", Type: Bool, Default: true, Visibility: Public, Pages: sims,
			Description: "Start the animation as soon as the run is computed; false waits at t = 0 for Play.",
			Allowed:     "true or false (also 1/0, yes/no, on/off; a bare key means true)"},
		Entry{Name: "hide", Type: List, Values: ControlNames(), PageValues: ctlByPage, Default: []string{}, Visibility: Public, Pages: sims,
			Description: "Controls to hide, comma-separated. Hidden controls keep their (URL or default) values.",
			Allowed:     ctlAllowed},
		Entry{Name: "lock", Type: List, Values: ControlNames(), PageValues: ctlByPage, Default: []string{}, Visibility: Public, Pages: sims,
			Description: "Controls to show but lock (disabled), comma-separated, so a class explores only the rest. On the gradient page any lock also locks the two example buttons (they would set every control).",
			Allowed:     ctlAllowed},
		Entry{Name: "lanes", Type: Int, Min: ptr(2), Max: ptr(float64(len(Lanes))), Default: 2.0, Visibility: Public,
			Pages:       []string{PageCompare, PageCompareEmbed},
			Description: "How many set-ups are compared side by side (lanes a, b, c).",
			Allowed:     fmt.Sprintf("2–%d", len(Lanes))},
		Entry{Name: "title", Type: String, MaxLength: 80, Default: "", Visibility: Public, Pages: sims,
			Description: "A short heading shown above an embedded simulation (plain text).",
			Allowed:     "up to 80 characters of plain text"},
	)
	s.Entries = append(s.Entries, gradientEntries(cat)...)
	fe, err := filtrationEntries(cat.Membranes)
	if err != nil {
		return Schema{}, err
	}
	s.Entries = append(s.Entries, fe...)
	s.LaneDefaults = map[string]map[string]any{"b": {"rotor": "Type 70 Ti"}}
	if _, err := cat.Rotors.Find("Type 70 Ti"); err != nil {
		s.LaneDefaults = map[string]map[string]any{}
	}
	return s, s.Check()
}

// MaxProtocolLink is the longest p= value (a protocol in a link) accepted.
const MaxProtocolLink = 8000

func firstOr(list []string, def string) string {
	if len(list) == 0 {
		return def
	}
	return list[0]
}

// typedDefault converts bridge's default text to the entry's type; "" is
// "not set" (rpm).
func typedDefault(t Type, text string) (any, error) {
	if text == "" {
		return nil, nil
	}
	switch t {
	case Number, Int:
		return strconv.ParseFloat(text, 64)
	case Bool:
		return strconv.ParseBool(text)
	case List:
		return SplitList(text), nil
	}
	return text, nil
}

// SplitList reads a comma-separated list, trimming items and dropping
// empty ones.
func SplitList(text string) []string {
	out := []string{}
	for _, s := range strings.Split(text, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Lookup returns the entry called name.
func (s Schema) Lookup(name string) (Entry, bool) {
	for _, e := range s.Entries {
		if e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// Check reports the first incomplete or inconsistent entry: every entry
// has a name, type, visibility, description, allowed values in words and
// pages; bounds match the type; a default (when set) is valid for its own
// entry.
func (s Schema) Check() error {
	seen := map[string]bool{}
	for _, e := range s.Entries {
		if e.Name == "" || seen[e.Name] {
			return fmt.Errorf("schema: empty or duplicate name %q", e.Name)
		}
		seen[e.Name] = true
		if e.Description == "" || e.Allowed == "" || len(e.Pages) == 0 {
			return fmt.Errorf("schema: %s lacks a description, allowed values or pages", e.Name)
		}
		if e.Visibility != Public && e.Visibility != Internal {
			return fmt.Errorf("schema: %s: visibility %q", e.Name, e.Visibility)
		}
		switch e.Type {
		case Number, Int:
			f, ok := e.Default.(float64)
			if e.Default != nil && (!ok || !e.inRange(f)) {
				return fmt.Errorf("schema: %s: default %v is not in its range", e.Name, e.Default)
			}
			if e.Type == Int && ok && f != math.Trunc(f) {
				return fmt.Errorf("schema: %s: default %v is not whole", e.Name, e.Default)
			}
		case Bool:
			if _, ok := e.Default.(bool); !ok {
				return fmt.Errorf("schema: %s: default %v is not a bool", e.Name, e.Default)
			}
		case Enum:
			if len(e.Values) == 0 {
				return fmt.Errorf("schema: %s: an enum without values", e.Name)
			}
			if d, ok := e.Default.(string); e.Default != nil && (!ok || !slices.Contains(e.Values, d)) {
				return fmt.Errorf("schema: %s: default %v is not one of %v", e.Name, e.Default, e.Values)
			}
		case List:
			d, ok := e.Default.([]string)
			if !ok || len(e.Values) == 0 {
				return fmt.Errorf("schema: %s: a list needs values and a []string default", e.Name)
			}
			for _, v := range d {
				if !slices.Contains(e.Values, v) {
					return fmt.Errorf("schema: %s: default item %q is not allowed", e.Name, v)
				}
			}
		case String:
			if d, ok := e.Default.(string); !ok || e.MaxLength <= 0 || len([]rune(d)) > e.MaxLength {
				return fmt.Errorf("schema: %s: a string needs MaxLength and a string default within it", e.Name)
			}
		default:
			return fmt.Errorf("schema: %s: unknown type %q", e.Name, e.Type)
		}
		if (e.Min != nil || e.Max != nil) && e.Type != Number && e.Type != Int {
			return fmt.Errorf("schema: %s: bounds on a %s", e.Name, e.Type)
		}
		for page, vs := range e.PageValues {
			if e.Type != List && e.Type != Enum {
				return fmt.Errorf("schema: %s: page values on a %s", e.Name, e.Type)
			}
			if !slices.Contains(e.Pages, page) {
				return fmt.Errorf("schema: %s: page values for %s, which does not read it", e.Name, page)
			}
			for _, v := range vs {
				if !slices.Contains(e.Values, v) {
					return fmt.Errorf("schema: %s: page value %q on %s is not one of its values", e.Name, v, page)
				}
			}
		}
	}
	for _, c := range s.Controls {
		if len(c.Pages) == 0 {
			return fmt.Errorf("schema: control %s is on no page", c.Name)
		}
	}
	for lane, m := range s.LaneDefaults {
		if !slices.Contains(s.Lanes, lane) {
			return fmt.Errorf("schema: lane defaults for unknown lane %q", lane)
		}
		for k := range m {
			if e, ok := s.Lookup(k); !ok || !e.Lane {
				return fmt.Errorf("schema: lane default %s.%s is not a lane parameter", lane, k)
			}
		}
	}
	for _, p := range s.Presets {
		for k := range p.Values {
			if _, ok := s.Lookup(k); !ok {
				return fmt.Errorf("schema: preset %s sets unknown parameter %q", p.ID, k)
			}
		}
	}
	return nil
}

func (e Entry) inRange(f float64) bool {
	if e.Min != nil && (f < *e.Min || (e.MinExclusive && f == *e.Min)) {
		return false
	}
	return e.Max == nil || f <= *e.Max
}

// JSON is the schema as JSON text, as static/params.js embeds it.
func (s Schema) JSON() ([]byte, error) { return json.Marshal(s) }

// DefaultText renders the default for the documentation table.
func (e Entry) DefaultText() string {
	switch d := e.Default.(type) {
	case nil:
		return "not set"
	case float64:
		return strconv.FormatFloat(d, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(d)
	case []string:
		if len(d) == 0 {
			return "none"
		}
		return strings.Join(d, ",")
	case string:
		if d == "" {
			return "empty"
		}
		return d
	}
	return fmt.Sprint(e.Default)
}

// RangeText renders min/max for the documentation table ("" if none).
func (e Entry) RangeText() string {
	if e.Min == nil && e.Max == nil {
		return ""
	}
	g := func(p *float64) string { return strconv.FormatFloat(*p, 'f', -1, 64) }
	switch {
	case e.Min != nil && e.Max != nil && e.MinExclusive:
		return "> " + g(e.Min) + " … " + g(e.Max)
	case e.Min != nil && e.Max != nil:
		return g(e.Min) + " … " + g(e.Max)
	case e.Min != nil:
		return "≥ " + g(e.Min)
	}
	return "≤ " + g(e.Max)
}

// PagesText renders the pages for the documentation table.
func (e Entry) PagesText() string {
	if slices.Contains(e.Pages, AllPages) {
		return "every page"
	}
	return strings.Join(e.Pages, ", ")
}
