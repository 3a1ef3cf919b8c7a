package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"exosep/engine/protocol"
)

// protoRun runs `exosep protocol` with args.
func protoRun(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = runProtocol(args, &o, &e)
	return code, o.String(), e.String()
}

// protoOut mirrors the documented JSON of `exosep protocol --json`;
// pointers catch missing keys.
type protoOut struct {
	Steps []struct {
		Name    *string `json:"name"`
		Kind    *string `json:"kind"`
		Species map[string]struct {
			In        *float64 `json:"in"`
			Kept      *float64 `json:"kept"`
			Discarded *float64 `json:"discarded"`
		} `json:"species"`
		Minutes *float64 `json:"minutes"`
	} `json:"steps"`
	Final struct {
		Yield    *float64 `json:"exosome_yield_fraction"`
		Parts    *float64 `json:"particles"`
		Protein  *float64 `json:"protein_ug"`
		PerUG    *float64 `json:"particles_per_ug_protein"`
		TotalMin *float64 `json:"total_minutes"`
	} `json:"final"`
}

// --json prints one object with the documented keys, and its figures are
// the engine's for the same preset (exactly: the same computation).
func TestProtocolJSON(t *testing.T) {
	code, out, errOut := protoRun("--preset", "thery2006", "--json")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Error("--json output is not one line")
	}
	var got protoOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	lib, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := lib.Preset("thery2006")
	want, err := lib.Run(p, protocol.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Steps) != len(want.Steps) {
		t.Fatalf("%d steps, want %d", len(got.Steps), len(want.Steps))
	}
	for i, s := range got.Steps {
		if s.Name == nil || s.Kind == nil || s.Minutes == nil || *s.Kind != want.Steps[i].Kind {
			t.Fatalf("step %d: missing name, kind or minutes: %+v", i+1, s)
		}
		for id, f := range s.Species {
			if f.In == nil || f.Kept == nil || f.Discarded == nil {
				t.Fatalf("step %d species %s lacks in/kept/discarded", i+1, id)
			}
			if w := want.Steps[i].Species[id]; *f.Kept != w.Kept {
				t.Errorf("step %d %s kept %g, engine %g", i+1, id, *f.Kept, w.Kept)
			}
		}
	}
	f := got.Final
	if f.Yield == nil || f.Parts == nil || f.Protein == nil || f.PerUG == nil || f.TotalMin == nil {
		t.Fatalf("final lacks a documented key: %s", out[strings.Index(out, `"final"`):])
	}
	if *f.Yield != want.Final.ExosomeYieldFraction || *f.TotalMin != want.Final.TotalMinutes {
		t.Errorf("final yield %g, minutes %g; engine %g, %g", *f.Yield, *f.TotalMin, want.Final.ExosomeYieldFraction, want.Final.TotalMinutes)
	}
}

// --volume-ml scales the sample: 4 × the volume, 4 × the exosomes in. The
// yield fraction changes only slightly (within 0.01): more tubes leave
// more pellets, whose residual medium changes the wash liquid's viscosity.
func TestProtocolVolume(t *testing.T) {
	var a, b struct {
		Input protocol.InputUsed `json:"input"`
		Final struct {
			Yield float64 `json:"exosome_yield_fraction"`
		} `json:"final"`
	}
	for _, tt := range []struct {
		vol string
		out any
	}{{"30", &a}, {"120", &b}} {
		code, out, errOut := protoRun("--preset", "thery2006", "--volume-ml", tt.vol, "--json")
		if code != 0 {
			t.Fatalf("--volume-ml %s: exit %d: %s", tt.vol, code, errOut)
		}
		if err := json.Unmarshal([]byte(out), tt.out); err != nil {
			t.Fatal(err)
		}
	}
	if a.Input.VolumeML != 30 || a.Input.VolumeFrom != "caller" || math.Abs(b.Input.Species["exosome"]/a.Input.Species["exosome"]-4) > 1e-12 {
		t.Errorf("volumes: %+v / %+v", a.Input, b.Input)
	}
	if math.Abs(a.Final.Yield-b.Final.Yield) > 0.01 {
		t.Errorf("yield depends on volume: %g vs %g", a.Final.Yield, b.Final.Yield)
	}
}

// --csv: one value per row, with a header, every step and species, and the
// final figures; values parse as numbers and equal the JSON's.
func TestProtocolCSV(t *testing.T) {
	code, out, errOut := protoRun("--preset", "nikfarjam2020", "--csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "step,name,kind,quantity,species,value,unit" {
		t.Fatalf("header %v", recs[0])
	}
	found := map[string]string{}
	for _, r := range recs[1:] {
		if len(r) != 7 {
			t.Fatalf("row %v has %d fields", r, len(r))
		}
		found[r[0]+"/"+r[3]+"/"+r[4]] = r[5]
	}
	_, js, _ := protoRun("--preset", "nikfarjam2020", "--json")
	var got protoOut
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]float64{
		"final/exosome_yield_fraction/": *got.Final.Yield,
		"final/total_minutes/":          *got.Final.TotalMin,
		"final/protein_ug/":             *got.Final.Protein,
		"5/kept/exosome":                *got.Steps[4].Species["exosome"].Kept,
		"5/discarded/albumin":           *got.Steps[4].Species["albumin"].Discarded,
	} {
		v, err := strconv.ParseFloat(found[key], 64)
		if err != nil || v != want {
			t.Errorf("%s = %q, want %g", key, found[key], want)
		}
	}
	// Step names with commas ("10,000 × g") survive quoting.
	if _, ok := found["4/kept/exosome"]; !ok || recs[1][0] != "input" {
		t.Errorf("rows missing: %v", recs[1])
	}
}

// The table names the product's yield, purity class (an estimate), the
// co-isolated species and the time.
func TestProtocolText(t *testing.T) {
	code, out, errOut := protoRun("--preset", "nikfarjam2020-plasma")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Input: Blood plasma (lipoprotein-rich), 2 mL (input default, estimate)", "exosome yield", "impure (Webber & Clayton bands; estimate)",
		"co-isolated", "hdl", "ldl", "centrifuge runs", "hands-on", "Models and assumptions:"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// A bad file: one stderr line per problem, each naming the file, step and
// field, and exit status 2.
func TestProtocolBadFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"name": "x", "input": "msc-cm", "steps": [
	  {"kind": "spin", "name": "10,000 × g", "rotor": "SW 41 Ti", "rcf": 300000, "minutes": 30, "keep": "supernatant"},
	  {"kind": "filter", "pore_um": 50},
	  {"kind": "spin", "rotor": "SW 41 Ti", "rpm": 20000, "minutes": 10}
	]}`), 0o644)
	code, out, errOut := protoRun("--file", bad)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if code != 2 || out != "" || len(lines) != 3 {
		t.Fatalf("exit %d, %d stderr lines:\n%s", code, len(lines), errOut)
	}
	for i, want := range []string{
		`exosep protocol: bad.json: step 1 (spin "10,000 × g"): field rcf: 300000 × g is above the SW 41 Ti maximum 287792 × g at r_max (allowed: above 0 up to 287792 × g at r_max, i.e. 41000 rpm)`,
		`exosep protocol: bad.json: step 2 (filter): field pore_um: 50 µm is outside the allowed range 0.02–10 µm`,
		`exosep protocol: bad.json: step 3 (spin): field keep: required (allowed: pellet, supernatant)`,
	} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i], want)
		}
	}
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"input": "msc-cm", "volume_ml": 50, "steps": [{"kind": "spin", "rotor": "SW 41 Ti", "rcf": 100000, "rcf_at": "avg", "minutes": 70, "keep": "pellet"}]}`), 0o644)
	if code, out, errOut := protoRun("--file", good, "--json"); code != 0 || !strings.Contains(out, `"protocol":"good.json"`) {
		t.Errorf("good file: exit %d, stderr %q, out %.200s", code, errOut, out)
	}
	notJSON := filepath.Join(dir, "not.json")
	os.WriteFile(notJSON, []byte(`steps: 1`), 0o644)
	if code, _, errOut := protoRun("--file", notJSON); code != 2 || !strings.Contains(errOut, "not.json: not a JSON object") {
		t.Errorf("not JSON: exit %d, %q", code, errOut)
	}
}

func TestProtocolBadFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "give exactly one of --preset NAME and --file P.json (presets: heinemann2014-sf, nikfarjam2020, nikfarjam2020-plasma, onodi2018-iodixanol, thery2006, uf-1000-then-100kda, uf-100kda)"},
		{[]string{"--preset", "thery2006", "--file", "x.json"}, "give exactly one of --preset NAME and --file P.json"},
		{[]string{"--preset", "nope"}, `--preset: unknown preset "nope" (allowed: heinemann2014-sf, nikfarjam2020, nikfarjam2020-plasma, onodi2018-iodixanol, thery2006, uf-1000-then-100kda, uf-100kda)`},
		{[]string{"--preset", "thery2006", "--json", "--csv"}, "--json and --csv exclude each other"},
		{[]string{"--preset", "thery2006", "--volume-ml", "0"}, "--volume-ml 0 is outside the allowed range: above 0 up to 100000 mL"},
		{[]string{"--preset", "thery2006", "--volume-ml", "lots"}, `--volume-ml "lots" is not a number`},
		{[]string{"--file", "/nonexistent/p.json"}, "--file /nonexistent/p.json: cannot read it"},
		{[]string{"--preset", "thery2006", "--colour", "red"}, "unknown flag --colour"},
	} {
		code, out, errOut := protoRun(tt.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q, want one line containing %q", tt.args, code, errOut, tt.want)
		}
	}
	if code, out, _ := protoRun("--help"); code != 0 || !strings.Contains(out, "exosep protocol (--preset NAME | --file P.json)") {
		t.Errorf("--help: exit %d", code)
	}
}

func TestPresetsCommand(t *testing.T) {
	var o, e bytes.Buffer
	if code := runPresets(nil, &o, &e); code != 0 || e.Len() != 0 {
		t.Fatalf("exit %d: %s", code, e.String())
	}
	for _, want := range []string{"thery2006", "nikfarjam2020-plasma", "Théry C, Amigorena S, Raposo G, Clayton A"} {
		if !strings.Contains(o.String(), want) {
			t.Errorf("presets table lacks %q:\n%s", want, o.String())
		}
	}
	o.Reset()
	if code := runPresets([]string{"--json"}, &o, &e); code != 0 {
		t.Fatalf("--json: exit %d", code)
	}
	var ps []protocol.Protocol
	if err := json.Unmarshal(o.Bytes(), &ps); err != nil || len(ps) != 7 || ps[4].ID != "thery2006" || len(ps[4].Steps) == 0 {
		t.Errorf("presets JSON: %v, %d presets", err, len(ps))
	}
	o.Reset()
	e.Reset()
	if code := runPresets([]string{"--csv"}, &o, &e); code != 2 || !strings.Contains(e.String(), "exosep presets: unknown flag --csv") {
		t.Errorf("--csv: exit %d, %q", code, e.String())
	}
}
