package species

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"exosep/engine/quantity"
)

type speciesFile struct {
	Note    string `json:"note"`
	Species []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Short    string `json:"short"`
		Color    string `json:"color"`
		Note     string `json:"note"`
		Diameter struct {
			Distribution string     `json:"distribution"`
			Median       quantity.Q `json:"median"`
			GSD          quantity.Q `json:"gsd"`
			Min          quantity.Q `json:"min"`
			Max          quantity.Q `json:"max"`
		} `json:"diameter"`
		Density struct {
			Distribution string     `json:"distribution"`
			Min          quantity.Q `json:"min"`
			Max          quantity.Q `json:"max"`
		} `json:"density"`
	} `json:"species"`
}

var (
	colorRE = regexp.MustCompile(`^#[0-9a-f]{6}$`)
	idRE    = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

// weakest returns the least certain of the confidence marks.
func weakest(qs ...quantity.Q) string {
	rank := map[quantity.Confidence]int{quantity.Read: 0, quantity.Derived: 1, quantity.Estimate: 2}
	w := quantity.Read
	for _, q := range qs {
		if rank[q.Confidence] > rank[w] {
			w = q.Confidence
		}
	}
	return string(w)
}

// Load reads data/species.json and reports every problem at once.
func Load(fsys fs.FS, sources quantity.Sources) ([]Species, error) {
	raw, err := fs.ReadFile(fsys, "data/species.json")
	if err != nil {
		return nil, err
	}
	var f speciesFile
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("species.json: %v", err)
	}
	p := quantity.Problems{File: "species.json"}
	seen := map[string]bool{}
	var out []Species
	for i, fs := range f.Species {
		field := fmt.Sprintf("species[%d] %q", i, fs.ID)
		get := func(name string, q quantity.Q, units ...string) float64 {
			v, err := q.Check(field+"."+name, sources, units...)
			p.Add(err)
			return v
		}
		if !idRE.MatchString(fs.ID) {
			p.Addf(field + ".id: must be lower-case letters, digits and hyphens")
		}
		if seen[fs.ID] {
			p.Addf(field + ".id: duplicate")
		}
		seen[fs.ID] = true
		if fs.Name == "" || fs.Short == "" {
			p.Addf(field + ": name and short are required")
		}
		if !colorRE.MatchString(fs.Color) {
			p.Addf(fmt.Sprintf("%s.color: %q must be #rrggbb in lower case", field, fs.Color))
		}
		if fs.Diameter.Distribution != "lognormal" {
			p.Addf(fmt.Sprintf("%s.diameter.distribution: %q is not supported (allowed: lognormal)", field, fs.Diameter.Distribution))
		}
		if fs.Density.Distribution != "uniform" {
			p.Addf(fmt.Sprintf("%s.density.distribution: %q is not supported (allowed: uniform)", field, fs.Density.Distribution))
		}
		length := []string{"nm", "um", "mm", "m"}
		dens := []string{"g/mL", "kg/m3"}
		s := Species{
			ID: fs.ID, Name: fs.Name, Short: fs.Short, Color: fs.Color, Note: fs.Note,
			MedianDiameterM:    get("diameter.median", fs.Diameter.Median, length...),
			GSD:                get("diameter.gsd", fs.Diameter.GSD, "1"),
			MinDiameterM:       get("diameter.min", fs.Diameter.Min, length...),
			MaxDiameterM:       get("diameter.max", fs.Diameter.Max, length...),
			MinDensityKgM3:     get("density.min", fs.Density.Min, dens...),
			MaxDensityKgM3:     get("density.max", fs.Density.Max, dens...),
			DiameterConfidence: weakest(fs.Diameter.Median, fs.Diameter.GSD, fs.Diameter.Min, fs.Diameter.Max),
			DensityConfidence:  weakest(fs.Density.Min, fs.Density.Max),
		}
		p.Add(s.Validate())
		out = append(out, s)
	}
	if len(out) == 0 {
		p.Addf("species: the list is empty")
	}
	return out, p.Err()
}
