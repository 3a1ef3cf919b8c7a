package rotor

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"strings"

	"exosep/engine/quantity"
)

// Catalogue is the list of known rotors, in data-file order.
type Catalogue struct {
	Rotors []Rotor
	byKey  map[string]int
}

// Find looks a rotor up by name or alias, ignoring case, spaces and hyphens.
func (c *Catalogue) Find(name string) (Rotor, error) {
	if i, ok := c.byKey[NormalizeName(name)]; ok {
		return c.Rotors[i], nil
	}
	return Rotor{}, fmt.Errorf("unknown rotor %q: allowed %s", name, strings.Join(c.Names(), ", "))
}

// Names lists the catalogue names.
func (c *Catalogue) Names() []string {
	n := make([]string, len(c.Rotors))
	for i, r := range c.Rotors {
		n[i] = r.Name
	}
	return n
}

type rotorFile struct {
	Note   string `json:"note"`
	Rotors []struct {
		Name         string      `json:"name"`
		Aliases      []string    `json:"aliases"`
		Type         string      `json:"type"`
		Angle        *quantity.Q `json:"angle"`
		MaxRPM       quantity.Q  `json:"max_rpm"`
		RMin         quantity.Q  `json:"r_min"`
		RMax         quantity.Q  `json:"r_max"`
		TubeCount    quantity.Q  `json:"tube_count"`
		TubeVolume   quantity.Q  `json:"tube_volume"`
		TubeDiameter *quantity.Q `json:"tube_diameter"`
		KPublished   *quantity.Q `json:"k_factor_published"`
	} `json:"rotors"`
}

// Load reads data/rotors.json, checks every number's unit and source and
// every rotor's geometry, and reports all problems at once.
func Load(fsys fs.FS, sources quantity.Sources) (*Catalogue, error) {
	raw, err := fs.ReadFile(fsys, "data/rotors.json")
	if err != nil {
		return nil, err
	}
	var f rotorFile
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("rotors.json: %v", err)
	}
	p := quantity.Problems{File: "rotors.json"}
	c := &Catalogue{byKey: map[string]int{}}
	for i, fr := range f.Rotors {
		field := fmt.Sprintf("rotors[%d] %q", i, fr.Name)
		get := func(name string, q quantity.Q, units ...string) float64 {
			v, err := q.Check(field+"."+name, sources, units...)
			p.Add(err)
			return v
		}
		r := Rotor{
			Name:         fr.Name,
			Aliases:      fr.Aliases,
			Kind:         Kind(fr.Type),
			MaxRPM:       get("max_rpm", fr.MaxRPM, "rpm"),
			RMinM:        get("r_min", fr.RMin, "mm", "m"),
			RMaxM:        get("r_max", fr.RMax, "mm", "m"),
			TubeVolumeM3: get("tube_volume", fr.TubeVolume, "mL"),
		}
		n := get("tube_count", fr.TubeCount, "1")
		if n < 1 || n != math.Trunc(n) {
			p.Addf(fmt.Sprintf("%s.tube_count: %g must be a whole number ≥ 1", field, n))
		}
		r.TubeCount = int(n)
		if fr.Name == "" {
			p.Addf(field + ".name: required")
		}
		if fr.Angle != nil {
			r.AngleRad = get("angle", *fr.Angle, "deg")
		}
		if fr.KPublished != nil {
			r.KFactorPublished = get("k_factor_published", *fr.KPublished, "1")
		}
		switch {
		case fr.TubeDiameter != nil:
			r.TubeDiameterM = get("tube_diameter", *fr.TubeDiameter, "mm")
			r.TubeDiameterConfidence = string(fr.TubeDiameter.Confidence)
		case r.Kind == SwingingBucket && r.RMaxM > r.RMinM:
			// A cylinder of the tube's volume spanning r_min..r_max.
			r.TubeDiameterM = math.Sqrt(4 * r.TubeVolumeM3 / (math.Pi * (r.RMaxM - r.RMinM)))
			r.TubeDiameterConfidence = string(quantity.Derived)
		}
		if r.Kind == FixedAngle && fr.Angle == nil {
			p.Addf(field + ".angle: required for a fixed-angle rotor")
		}
		if r.Kind == SwingingBucket && fr.Angle != nil {
			p.Addf(field + ".angle: a swinging-bucket rotor has no tube angle; remove it")
		}
		p.Add(r.Validate())
		for _, key := range append([]string{r.Name}, r.Aliases...) {
			k := NormalizeName(key)
			if j, dup := c.byKey[k]; dup {
				p.Addf(fmt.Sprintf("%s: name %q collides with rotor %q", field, key, c.Rotors[j].Name))
				continue
			}
			c.byKey[k] = len(c.Rotors)
		}
		c.Rotors = append(c.Rotors, r)
	}
	if len(c.Rotors) == 0 {
		p.Addf("rotors: the list is empty")
	}
	return c, p.Err()
}

// SortedByName returns the rotors sorted by name (for menus).
func (c *Catalogue) SortedByName() []Rotor {
	out := append([]Rotor(nil), c.Rotors...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
