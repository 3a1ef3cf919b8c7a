package params

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"exosep/engine/catalog"
	"exosep/engine/protocol"
	"exosep/wasm/bridge"
)

// testPresets are two presets shaped like the site's (site/course.go).
var testPresets = []Preset{
	{ID: "500g-10min", Label: "500 × g, 10 min", Values: map[string]any{"rcf": 500.0, "rcfAt": "max", "minutes": 10.0}},
	{ID: "100000g-70min", Label: "100,000 × g, 70 min", Values: map[string]any{"rcf": 100000.0, "rcfAt": "max", "minutes": 70.0}},
}

func schema(t *testing.T) (Schema, *catalog.Catalog) {
	t.Helper()
	lib, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(lib, testPresets)
	if err != nil {
		t.Fatal(err)
	}
	return s, lib.Catalog
}

func TestSchemaIsCompleteAndUnifiedWithBridge(t *testing.T) {
	s, _ := schema(t)
	for _, e := range s.Entries {
		if e.Name == "" || e.Type == "" || e.Description == "" || e.Allowed == "" || len(e.Pages) == 0 || e.Visibility == "" {
			t.Errorf("entry %+v is incomplete", e)
		}
	}
	specs := bridge.ParamSpecs()
	for _, spec := range specs {
		e, ok := s.Lookup(spec.Name)
		if !ok || !e.Stage {
			t.Errorf("bridge parameter %s is not a stage entry of the schema", spec.Name)
			continue
		}
		wantDefault := cmpOr(spec.Default, "not set")
		if e.Type == List && spec.Default == "" { // "none given" is every value (species: all)
			wantDefault = strings.Join(e.Values, ",")
		}
		if e.Unit != spec.Unit || e.Description != spec.Doc || e.DefaultText() != wantDefault {
			t.Errorf("%s: unit %q/%q, doc %q/%q, default %q/%q differ from bridge", e.Name, e.Unit, spec.Unit, e.Description, spec.Doc, e.DefaultText(), spec.Default)
		}
		if !slices.Contains(e.Pages, PageStage) && !slices.Contains(e.Pages, AllPages) {
			t.Errorf("%s: the stage reads it but the schema does not say so", e.Name)
		}
	}
	var stage int
	for _, e := range s.Entries {
		if e.Stage {
			stage++
		}
	}
	if stage != len(specs) {
		t.Errorf("%d stage entries, bridge has %d", stage, len(specs))
	}
	// The page-level parameters the issue names are all there.
	for _, name := range []string{"method", "preset", "protocol", "input", "mode", "p", "colorProfile", "autoplay", "hide", "lock", "species", "lanes", "frames"} {
		if _, ok := s.Lookup(name); !ok {
			t.Errorf("the schema lacks %s", name)
		}
	}
	if e, _ := s.Lookup("frames"); e.Visibility != Internal {
		t.Error("frames should be internal")
	}
}

func cmpOr(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

// Every protocol of the library is a value of protocol, with no code per
// protocol; every input a value of input.
func TestProtocolsFromTheLibrary(t *testing.T) {
	s, _ := schema(t)
	lib, _ := protocol.Default()
	e, _ := s.Lookup("protocol")
	if !slices.Equal(e.Values, lib.PresetIDs()) || len(s.Protocols) != len(lib.Presets) {
		t.Errorf("protocol values %v, library presets %v", e.Values, lib.PresetIDs())
	}
	for _, id := range lib.PresetIDs() {
		if !strings.Contains(e.Allowed, id) {
			t.Errorf("the documentation of protocol lacks %s", id)
		}
	}
	in, _ := s.Lookup("input")
	if !slices.Equal(in.Values, lib.InputIDs()) {
		t.Errorf("input values %v, library %v", in.Values, lib.InputIDs())
	}
}

func TestCheckRejectsBadEntries(t *testing.T) {
	s, _ := schema(t)
	mods := map[string]func(*Entry){
		"no description":          func(e *Entry) { e.Description = "" },
		"bad visibility":          func(e *Entry) { e.Visibility = "secret" },
		"default outside":         func(e *Entry) { e.Default = 1e9 },
		"unknown type":            func(e *Entry) { e.Type = "colour" },
		"no pages":                func(e *Entry) { e.Pages = nil },
		"bounds on non-nums":      func(e *Entry) { e.Type, e.Default, e.Values = Enum, "x", []string{"x"} },
		"page values on a number": func(e *Entry) { e.PageValues = map[string][]string{PageDUCEmbed: {"x"}} },
	}
	for name, mod := range mods {
		bad := s
		bad.Entries = slices.Clone(s.Entries)
		i := slices.IndexFunc(bad.Entries, func(e Entry) bool { return e.Name == "particles" })
		mod(&bad.Entries[i])
		if err := bad.Check(); err == nil {
			t.Errorf("%s: Check accepted it", name)
		}
	}
}

// Page values narrow a list's values on pages that read it, never widen
// them; every control is on some page.
func TestCheckRejectsBadPageValues(t *testing.T) {
	s, _ := schema(t)
	mods := map[string]func(*Schema, *Entry){
		"value not allowed": func(_ *Schema, e *Entry) { e.PageValues = map[string][]string{PageDUCEmbed: {"wings"}} },
		"page not read":     func(_ *Schema, e *Entry) { e.PageValues = map[string][]string{PageDUC: {"rotor"}} },
		"control nowhere": func(s *Schema, _ *Entry) {
			s.Controls = slices.Clone(s.Controls)
			s.Controls[0].Pages = nil
		},
	}
	for name, mod := range mods {
		bad := s
		bad.Entries = slices.Clone(s.Entries)
		i := slices.IndexFunc(bad.Entries, func(e Entry) bool { return e.Name == "hide" })
		mod(&bad, &bad.Entries[i])
		if err := bad.Check(); err == nil {
			t.Errorf("%s: Check accepted it", name)
		}
	}
	if err := s.Check(); err != nil {
		t.Fatalf("the real schema: %v", err)
	}
	e, _ := s.Lookup("hide")
	for _, p := range SimPages {
		var want []string
		for _, c := range s.ControlsOn(p) {
			want = append(want, c.Name)
		}
		if len(want) < 4 || !slices.Equal(e.PageValues[p], want) {
			t.Errorf("hide on %s accepts %v, the page has %v", p, e.PageValues[p], want)
		}
	}
}

func TestJSTableEqualsGoTable(t *testing.T) {
	s, _ := schema(t)
	js, err := s.JS()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := TableFromJS(js)
	if err != nil {
		t.Fatal(err)
	}
	var fromJS, fromGo any
	if err := json.Unmarshal(raw, &fromJS); err != nil {
		t.Fatalf("the table in params.js is not JSON: %v", err)
	}
	goJSON, _ := s.JSON()
	if err := json.Unmarshal(goJSON, &fromGo); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromJS, fromGo) {
		t.Error("the table in params.js differs from the Go schema")
	}
	// Every entry made it, by name.
	var tbl struct{ Entries []Entry }
	if err := json.Unmarshal(raw, &tbl); err != nil {
		t.Fatal(err)
	}
	if len(tbl.Entries) != len(s.Entries) {
		t.Errorf("params.js has %d entries, Go %d", len(tbl.Entries), len(s.Entries))
	}
}

// runNode runs the generated params.js in node with a driver that reads
// JSON cases on stdin and writes JSON results.
func runNode(t *testing.T, s Schema, driver string, cases any) []byte {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; cannot run static/params.js")
	}
	js, err := s.JS()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "params.js"), js, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "driver.js"), []byte(driver), 0o644); err != nil {
		t.Fatal(err)
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command(node, "driver.js")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(string(in))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	return out
}

const parseDriver = `const P = require("./params.js");
console.warn = () => {};
let input = "";
process.stdin.on("data", d => input += d);
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(c => P.parse(c.query, c.page));
  process.stdout.write(JSON.stringify(out));
});`

type parsed struct {
	Values   map[string]any            `json:"values"`
	Lanes    map[string]map[string]any `json:"lanes"`
	Warnings []struct {
		Name, Value, Message, Visibility string
	} `json:"warnings"`
	Ignored []string `json:"ignored"`
}

func (p parsed) warned() []string {
	var out []string
	for _, w := range p.Warnings {
		out = append(out, w.Name)
	}
	slices.Sort(out)
	return out
}

// The validator and the stage's own parser (bridge.ParseQuery) agree on
// the stage's parameters: the same values are rejected and the same
// values result.
func TestValidatorAgreesWithStageParser(t *testing.T) {
	s, cat := schema(t)
	queries := []string{
		"", "particles=20000&timeScale=600",
		"rotor=Type+70+Ti&rpm=50000&minutes=30&medium=pbs&temperatureC=20&seed=42",
		"rotor=type70ti&rcf=20000&rcfAt=avg", "rcf=20000&rcfAt=AVG", "reducedMotion", "reducedMotion=off",
		"particles=lots&timeScale=fast&seed=-1&reducedMotion=maybe&minutes=NaN",
		"particles=10&timeScale=9999", "rpm=99999", "rpm=45000", "rotor=SW+99&minutes=20",
		"temperatureC=99&particles=300", "rpm=20000&rcf=5000", "particles=200&particles=400",
		"minutes=0", "minutes=2880", "minutes=2880.5", "minutes=-3", "minutes=1e2", "minutes=Infinity",
		"rcf=300000", "rcf=-1", "rcfAt=middle", "rcf=500&rcfAt=middle", "rpm=20000&rcfAt=middle",
		"medium=oil", "medium=pbs&temperatureC=37", "temperatureC=-5", "temperatureC=4.5",
		"particles=1e3", "particles=%2B500", "particles=100.0", "timeScale=1", "timeScale=0.5",
		"rotor=%3Cscript%3Ealert(1)%3C/script%3E", "rotor=SW%E2%80%8B41", "rotor=", "rotor=MLS-50&rpm=60000",
		"rotor=MLS-50&rcf=100000", "seed=12345678901234", "seed=abc", "unknown=1&rotor=SW+28",
		"%zz=1", "rcf=%F0%9F%A7%AA", "minutes= 12 ", "rpm=",
		"colorProfile=projector", "colorProfile=neon&particles=300", "colorProfile=Projector",
		"species=exosome,hdl", "species=HDL,%20exosome,,hdl", "species=exosome,unicorn", "species=unicorn", "species=",
		"species=" + strings.Repeat("exosome,", 3) + "cell&colorProfile=high-contrast",
	}
	var cases []map[string]string
	for _, q := range queries {
		cases = append(cases, map[string]string{"page": PageDUCEmbed, "query": q})
	}
	var got []parsed
	if err := json.Unmarshal(runNode(t, s, parseDriver, cases), &got); err != nil {
		t.Fatal(err)
	}
	stageNames := map[string]bool{}
	for _, spec := range bridge.ParamSpecs() {
		stageNames[spec.Name] = true
	}
	for i, q := range queries {
		want := bridge.ParseQuery(q, cat)
		var fields []string
		for _, e := range want.Errors {
			if e.Field != "query" {
				fields = append(fields, e.Field)
			}
		}
		slices.Sort(fields)
		fields = slices.Compact(fields)
		if w := got[i].warned(); !slices.Equal(w, fields) {
			t.Errorf("%q: JS warns %v, the stage's parser %v", q, w, fields)
		}
		v := got[i].Values
		p := want.Params
		num := func(k string) float64 {
			f, _ := v[k].(float64)
			return f
		}
		str := func(k string) string {
			s, _ := v[k].(string)
			return s
		}
		gotP := bridge.Params{Rotor: str("rotor"), RPM: num("rpm"), RCF: num("rcf"), RCFAt: str("rcfAt"),
			Minutes: num("minutes"), TemperatureC: num("temperatureC"), Medium: str("medium"),
			Particles: int(num("particles")), TimeScale: num("timeScale"), Seed: uint64(num("seed")), ReducedMotion: v["reducedMotion"] == true,
			ColorProfile: str("colorProfile")}
		// Species: the pages list every species where the stage says
		// "none given" (empty: all).
		if list, _ := v["species"].([]any); len(list) < len(cat.Species) {
			for _, x := range list {
				gotP.Species = append(gotP.Species, x.(string))
			}
		}
		// The stage keeps the rotor name as given; the pages use the
		// catalogue's spelling of the same rotor.
		if r, err := cat.Rotors.Find(p.Rotor); err == nil {
			p.Rotor = r.Name
		}
		if strings.EqualFold(p.RCFAt, gotP.RCFAt) {
			p.RCFAt = gotP.RCFAt
		}
		if !reflect.DeepEqual(gotP, p) {
			t.Errorf("%q: JS values %+v\nstage's parser  %+v", q, gotP, p)
		}
	}
}

func TestValidatorPageRules(t *testing.T) {
	s, _ := schema(t)
	cases := []struct {
		page, query string
		warn        []string
		check       func(t *testing.T, p parsed)
	}{
		// The gradient pages read the display settings through the schema
		// too (their stage draws them), and no spin settings.
		{PageGradient, "reducedMotion=true&colorProfile=projector&species=exosome,hdl&gHours=72&rcf=5", nil, func(t *testing.T, p parsed) {
			if p.Values["reducedMotion"] != true || p.Values["colorProfile"] != "projector" || !reflect.DeepEqual(p.Values["species"], []any{"exosome", "hdl"}) ||
				p.Values["gHours"] != 72.0 || !slices.Contains(p.Ignored, "rcf") {
				t.Errorf("values %v, ignored %v", p.Values, p.Ignored)
			}
		}},
		{PageGradientEmbed, "reducedMotion=maybe&species=exosome,unicorn&gMode=sideways", []string{"gMode", "reducedMotion", "species"}, func(t *testing.T, p parsed) {
			if p.Values["reducedMotion"] != false || !reflect.DeepEqual(p.Values["species"], []any{"exosome"}) || p.Values["gMode"] != "isopycnic" {
				t.Errorf("values %v", p.Values)
			}
		}},
		// gradient-embed.html takes the embed parameters; hide and lock
		// accept the controls it has, and name them when given another
		// page's (membrane) or none at all.
		{PageGradientEmbed, "title=Lesson+4&hide=rotor,fractions&lock=speed,mode&autoplay=false", nil, func(t *testing.T, p parsed) {
			if p.Values["title"] != "Lesson 4" || p.Values["autoplay"] != false ||
				!reflect.DeepEqual(p.Values["hide"], []any{"rotor", "fractions"}) || !reflect.DeepEqual(p.Values["lock"], []any{"speed", "mode"}) {
				t.Errorf("values %v", p.Values)
			}
		}},
		{PageGradientEmbed, "hide=rotor,membrane&lock=temperatureC&autoplay=perhaps&title=" + strings.Repeat("x", 81), []string{"autoplay", "hide", "lock", "title"}, func(t *testing.T, p parsed) {
			if p.Values["autoplay"] != true || p.Values["title"] != "" || !reflect.DeepEqual(p.Values["hide"], []any{"rotor"}) || !reflect.DeepEqual(p.Values["lock"], []any{}) {
				t.Errorf("values %v", p.Values)
			}
			for _, w := range p.Warnings {
				if (w.Name == "hide" || w.Name == "lock") && (!strings.Contains(w.Message, "allowed: rotor, speed, minutes, medium, input, volume, mode, gradient, load, fractions, transport, readout, fullscreen") || strings.Contains(w.Message, "membrane,")) {
					t.Errorf("%s: message %q should list gradient-embed.html's controls only", w.Name, w.Message)
				}
				if w.Name == "autoplay" && !strings.Contains(w.Message, "true or false") {
					t.Errorf("autoplay: message %q", w.Message)
				}
			}
		}},
		{PageDUCEmbed, "hide=membrane,rotor", []string{"hide"}, func(t *testing.T, p parsed) {
			if !reflect.DeepEqual(p.Values["hide"], []any{"rotor"}) {
				t.Errorf("duc-embed.html has no membrane control: hide %v", p.Values["hide"])
			}
		}},
		{PageDUCEmbed, "colorProfile=projector&autoplay=false&hide=rotor,transport&lock=speed", nil, func(t *testing.T, p parsed) {
			if p.Values["colorProfile"] != "projector" || p.Values["autoplay"] != false ||
				!reflect.DeepEqual(p.Values["hide"], []any{"rotor", "transport"}) || !reflect.DeepEqual(p.Values["lock"], []any{"speed"}) {
				t.Errorf("values %v", p.Values)
			}
		}},
		{PageDUCEmbed, "colorProfile=neon&autoplay=perhaps&hide=rotor,wings&lock=%3Cb%3E&species=exosome,unicorn", []string{"autoplay", "colorProfile", "hide", "lock", "species"}, func(t *testing.T, p parsed) {
			if p.Values["colorProfile"] != "default" || p.Values["autoplay"] != true || !reflect.DeepEqual(p.Values["hide"], []any{"rotor"}) ||
				!reflect.DeepEqual(p.Values["lock"], []any{}) || !reflect.DeepEqual(p.Values["species"], []any{"exosome"}) {
				t.Errorf("values %v", p.Values)
			}
		}},
		{PageDUCEmbed, "preset=500g-10min", nil, func(t *testing.T, p parsed) {
			if p.Values["rcf"] != 500.0 || p.Values["minutes"] != 10.0 || p.Values["preset"] != "500g-10min" {
				t.Errorf("preset values %v", p.Values)
			}
		}},
		{PageDUCEmbed, "preset=500g-10min&rpm=3000&minutes=5", nil, func(t *testing.T, p parsed) {
			if p.Values["rpm"] != 3000.0 || p.Values["rcf"] != nil || p.Values["minutes"] != 5.0 {
				t.Errorf("explicit values should win over the preset: %v", p.Values)
			}
		}},
		{PageDUCEmbed, "preset=nope&method=dguc&title=" + strings.Repeat("x", 81), []string{"method", "preset", "title"}, func(t *testing.T, p parsed) {
			if p.Values["method"] != "duc" || p.Values["title"] != "" {
				t.Errorf("values %v", p.Values)
			}
		}},
		{PageDUCEmbed, "title=%3Cscript%3Ex%3C/script%3E%0A", nil, func(t *testing.T, p parsed) {
			if p.Values["title"] != "<script>x</script>" {
				t.Errorf("title %q (it is shown as text, never as HTML)", p.Values["title"])
			}
		}},
		{PageStage, "frames=x&lanes=3&a.rotor=SW+28", []string{"frames"}, func(t *testing.T, p parsed) {
			if p.Warnings[0].Visibility != "internal" {
				t.Error("frames is internal")
			}
			if !slices.Contains(p.Ignored, "lanes") || !slices.Contains(p.Ignored, "a.rotor") {
				t.Errorf("ignored %v: lanes and a.rotor are not parameters of stage.html", p.Ignored)
			}
		}},
		{PageCompare, "", nil, func(t *testing.T, p parsed) {
			if len(p.Lanes) != 2 || p.Lanes["a"]["rotor"] != "SW 41 Ti" || p.Lanes["b"]["rotor"] != "Type 70 Ti" ||
				p.Lanes["a"]["rcf"] != 100000.0 || p.Lanes["b"]["rcf"] != 100000.0 || p.Lanes["b"]["minutes"] != 70.0 {
				t.Errorf("default lanes %v", p.Lanes)
			}
		}},
		{PageCompare, "lanes=3&minutes=30&rcf=50000&b.rpm=40000&c.rotor=MLS-50&c.rcf=999999&temperatureC=20&a.medium=pbs", []string{"c.rcf"}, func(t *testing.T, p parsed) {
			a, b, c := p.Lanes["a"], p.Lanes["b"], p.Lanes["c"]
			if a["minutes"] != 30.0 || b["minutes"] != 30.0 || c["minutes"] != 30.0 || a["rcf"] != 50000.0 ||
				b["rpm"] != 40000.0 || b["rcf"] != nil || c["rotor"] != "MLS-50" || c["rcf"] != 50000.0 || c["temperatureC"] != 20.0 {
				t.Errorf("lanes %v", p.Lanes)
			}
			if !slices.Contains(p.Ignored, "a.medium") {
				t.Errorf("a.medium is shared, not per lane: ignored %v", p.Ignored)
			}
		}},
		{PageCompare, "lanes=9&rotor=SW+28&b.rotor=nope", []string{"b.rotor", "lanes"}, func(t *testing.T, p parsed) {
			if len(p.Lanes) != 2 || p.Lanes["a"]["rotor"] != "SW 28" || p.Lanes["b"]["rotor"] != "SW 28" {
				t.Errorf("a bad lane value falls back to the plain one: %v", p.Lanes)
			}
		}},
		{PageCompareEmbed, "constructor=1&__proto__=x&toString=2&hasOwnProperty=3&a.constructor=4&rcfAt=-1e308", []string{"rcfAt"}, func(t *testing.T, p parsed) {
			if len(p.Ignored) != 5 || len(p.Lanes) != 2 {
				t.Errorf("prototype names should be unknown keys: ignored %v, lanes %v", p.Ignored, p.Lanes)
			}
		}},
		{PageDUC, "mode=spin&colorProfile=projector&species=exosome,hdl", nil, func(t *testing.T, p parsed) {
			if p.Values["mode"] != "spin" || p.Values["colorProfile"] != "projector" || !reflect.DeepEqual(p.Values["species"], []any{"exosome", "hdl"}) {
				t.Errorf("duc.html values %v", p.Values)
			}
		}},
		{PageDUC, "mode=builder&protocol=thery2007&p=" + strings.Repeat("A", MaxProtocolLink+1) + "&lanes=3", []string{"mode", "p", "protocol"}, func(t *testing.T, p parsed) {
			if p.Values["mode"] != "protocol" || p.Values["protocol"] != nil || p.Values["p"] != "" || !slices.Contains(p.Ignored, "lanes") {
				t.Errorf("duc.html fallbacks %v, ignored %v", p.Values, p.Ignored)
			}
		}},
		{PageDUC, "protocol=thery2006", nil, func(t *testing.T, p parsed) {
			if p.Values["protocol"] != "thery2006" {
				t.Errorf("protocol %v", p.Values["protocol"])
			}
		}},
		{PageCompare, "a.protocol=thery2006&b.protocol=nope&input=plasma&species=exosome", []string{"b.protocol"}, func(t *testing.T, p parsed) {
			if p.Lanes["a"]["protocol"] != "thery2006" || p.Lanes["b"]["protocol"] != nil || p.Lanes["b"]["rotor"] != "Type 70 Ti" ||
				p.Values["input"] != "plasma" || !reflect.DeepEqual(p.Lanes["a"]["species"], []any{"exosome"}) {
				t.Errorf("protocol lanes %v, values %v", p.Lanes, p.Values)
			}
		}},
		{PageCompare, "protocol=nikfarjam2020&lanes=3&c.protocol=thery2006&medium=pbs", nil, func(t *testing.T, p parsed) {
			if p.Lanes["a"]["protocol"] != "nikfarjam2020" || p.Lanes["b"]["protocol"] != "nikfarjam2020" || p.Lanes["c"]["protocol"] != "thery2006" {
				t.Errorf("plain protocol applies to every lane, a.protocol overrides: %v", p.Lanes)
			}
			if !slices.Contains(p.Ignored, "medium") {
				t.Errorf("medium is not a parameter of the comparison (it spins its input sample): ignored %v", p.Ignored)
			}
		}},
		// The filtration pages read the display settings for their membrane
		// stage, the embed page as the full page.
		{PageSFEmbed, "colorProfile=projector&species=exosome,albumin,unicorn", []string{"species"}, func(t *testing.T, p parsed) {
			if p.Values["colorProfile"] != "projector" || !reflect.DeepEqual(p.Values["species"], []any{"exosome", "albumin"}) || slices.Contains(p.Ignored, "species") {
				t.Errorf("filtration embed: %v, ignored %v", p.Values, p.Ignored)
			}
		}},
		{PageUF, "species=hdl", nil, func(t *testing.T, p parsed) {
			if !reflect.DeepEqual(p.Values["species"], []any{"hdl"}) || slices.Contains(p.Ignored, "species") {
				t.Errorf("ultrafiltration: %v, ignored %v", p.Values, p.Ignored)
			}
		}},
		{"teacher.html", "colorProfile=high-contrast&rotor=SW+28", nil, func(t *testing.T, p parsed) {
			if p.Values["colorProfile"] != "high-contrast" || !slices.Contains(p.Ignored, "rotor") {
				t.Errorf("teacher page: %v, ignored %v", p.Values, p.Ignored)
			}
		}},
	}
	var in []map[string]string
	for _, c := range cases {
		in = append(in, map[string]string{"page": c.page, "query": c.query})
	}
	var got []parsed
	if err := json.Unmarshal(runNode(t, s, parseDriver, in), &got); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		t.Run(c.page+"?"+c.query, func(t *testing.T) {
			if w := got[i].warned(); !slices.Equal(w, c.warn) {
				t.Errorf("warnings %v, want %v (%v)", w, c.warn, got[i].Warnings)
			}
			if c.check != nil {
				c.check(t, got[i])
			}
		})
	}
}

// merge (a host's "set" message) is all or nothing, and query round-trips
// through parse.
func TestValidatorMergeAndQuery(t *testing.T) {
	s, _ := schema(t)
	driver := `const P = require("./params.js");
console.warn = () => {};
let input = "";
process.stdin.on("data", d => input += d);
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(c => {
    const start = P.parse(c.query, c.page);
    const m = P.merge(start.values, c.set, c.page, start.lanes);
    const next = m.ok ? m : start;
    const q = P.query(next.values, c.page, next.lanes);
    const back = P.parse(q, c.page);
    return {ok: m.ok, errors: (m.errors || []).map(e => e.name), query: q,
      same: JSON.stringify(back.values) === JSON.stringify(next.values) && JSON.stringify(back.lanes) === JSON.stringify(next.lanes),
      values: next.values, lanes: next.lanes};
  });
  process.stdout.write(JSON.stringify(out));
});`
	cases := []struct {
		Page  string         `json:"page"`
		Query string         `json:"query"`
		Set   map[string]any `json:"set"`
		ok    bool
		errs  []string
		query string
	}{
		{PageDUCEmbed, "", map[string]any{"rotor": "Type 70 Ti", "rpm": 50000, "minutes": 30}, true, nil, "?rotor=Type+70+Ti&rpm=50000&minutes=30"},
		{PageDUCEmbed, "", map[string]any{"rpm": 99999}, false, []string{"rpm"}, ""},
		{PageDUCEmbed, "", map[string]any{"minutes": "NaN", "rotor": "SW 28"}, false, []string{"minutes"}, ""},
		{PageDUCEmbed, "", map[string]any{"hide": "rotor"}, false, []string{"hide"}, ""},
		{PageDUCEmbed, "", map[string]any{"evil": true}, false, []string{"evil"}, ""},
		{PageDUCEmbed, "", map[string]any{"rpm": 20000, "rcf": 5000}, false, []string{"rpm"}, ""},
		{PageDUCEmbed, "", map[string]any{"reducedMotion": true, "seed": 7, "timeScale": 600}, true, nil, "?timeScale=600&seed=7&reducedMotion=true"},
		{PageDUCEmbed, "colorProfile=projector&hide=rotor", map[string]any{"preset": "500g-10min"}, true, nil, "?rcf=500&minutes=10&colorProfile=projector&hide=rotor"},
		{PageCompare, "", map[string]any{"b.rpm": 60000, "minutes": 45}, true, nil, "?a.minutes=45&b.rpm=60000&b.minutes=45"},
		{PageCompare, "", map[string]any{"c.rotor": "SW 28"}, false, []string{"c.rotor"}, ""},
		{PageCompare, "lanes=3&c.rotor=SW+28", map[string]any{"temperatureC": 20}, true, nil, "?c.rotor=SW+28&temperatureC=20&lanes=3"},
		{PageCompare, "", map[string]any{"a.protocol": "thery2006", "input": "plasma", "species": "exosome,hdl"}, true, nil, "?a.protocol=thery2006&species=exosome%2Chdl&input=plasma"},
		{PageCompare, "a.protocol=thery2006", map[string]any{"b.protocol": "dguc"}, false, []string{"b.protocol"}, ""},
		{PageDUCEmbed, "", map[string]any{"colorProfile": "projector"}, false, []string{"colorProfile"}, ""},
	}
	var got []struct {
		OK     bool     `json:"ok"`
		Errors []string `json:"errors"`
		Query  string   `json:"query"`
		Same   bool     `json:"same"`
	}
	if err := json.Unmarshal(runNode(t, s, driver, cases), &got); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		g := got[i]
		if g.OK != c.ok || !slices.Equal(g.Errors, c.errs) {
			t.Errorf("%s set %v: ok %v errors %v; want %v %v", c.Page, c.Set, g.OK, g.Errors, c.ok, c.errs)
		}
		if c.ok && g.Query != c.query {
			t.Errorf("%s set %v: query %q, want %q", c.Page, c.Set, g.Query, c.query)
		}
		if !g.Same {
			t.Errorf("%s set %v: query %q does not parse back to the same values", c.Page, c.Set, g.Query)
		}
	}
}
