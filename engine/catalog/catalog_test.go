package catalog_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"exosep/assets"
	"exosep/engine/catalog"
)

func TestEmbeddedDataValidates(t *testing.T) {
	c, err := catalog.Default()
	if err != nil {
		t.Fatalf("embedded data invalid:\n%v", err)
	}
	if len(c.Rotors.Rotors) < 16 || len(c.Species) < 10 || len(c.Media) < 2 {
		t.Errorf("catalog too small: %d rotors, %d species, %d media", len(c.Rotors.Rotors), len(c.Species), len(c.Media))
	}
}

// Broken files are reported together: every file, every field.
func TestLoadReportsProblemsAcrossFiles(t *testing.T) {
	m := fstest.MapFS{}
	err := fs.WalkDir(assets.Data, "data", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.Data.ReadFile(p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rot := strings.Replace(string(m["data/rotors.json"].Data), `"value": 153.1`, `"value": 50.0`, 1)
	m["data/rotors.json"] = &fstest.MapFile{Data: []byte(rot)}
	sp := strings.Replace(string(m["data/species.json"].Data), `"source": "lipoprotein-classes"`, `"source": ""`, 1)
	m["data/species.json"] = &fstest.MapFile{Data: []byte(sp)}
	src := strings.Replace(string(m["data/sources.json"].Data), `"citation": "CRC Handbook of Chemistry and Physics: viscosity`, `"citation": "", "x": "`, 1)
	m["data/sources.json"] = &fstest.MapFile{Data: []byte(src)}
	_, err = catalog.Load(m)
	if err == nil {
		t.Fatal("broken data accepted")
	}
	if strings.Contains(err.Error(), "median diameter") {
		t.Errorf("a missing source cascaded into a range error:\n%v", err)
	}
	for _, want := range []string{
		`rotors.json: rotor "SW 41 Ti": r_max 50 mm must be greater than r_min 67.4 mm`,
		`species.json: species[4] "hdl".diameter.median: source is missing`,
		`sources.json: "crc-water": citation is required`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
