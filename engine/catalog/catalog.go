// Package catalog loads and validates all of ExoSep's physics data at once
// (sources, media, rotors, species, membranes) from assets/data, so every consumer —
// CLI, stage, site generator, tests — sees the same checked figures.
package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"exosep/assets"
	"exosep/engine/filter"
	"exosep/engine/medium"
	"exosep/engine/quantity"
	"exosep/engine/rotor"
	"exosep/engine/species"
)

// Catalog is the loaded physics data.
type Catalog struct {
	Sources quantity.Sources
	Media   map[string]medium.Medium
	Rotors  *rotor.Catalogue
	Species []species.Species
	// Membranes are the filter membranes, modules and filtration figures.
	Membranes *filter.Catalogue
}

// Load reads every data file under data/ in fsys and returns all problems
// found, one per line, each naming the file and field.
func Load(fsys fs.FS) (*Catalog, error) {
	raw, err := fs.ReadFile(fsys, "data/sources.json")
	if err != nil {
		return nil, err
	}
	c := &Catalog{}
	if err := json.Unmarshal(raw, &c.Sources); err != nil {
		return nil, fmt.Errorf("sources.json: %v", err)
	}
	var errs []error
	for key, s := range c.Sources {
		if s.Citation == "" {
			errs = append(errs, fmt.Errorf("sources.json: %q: citation is required", key))
		}
	}
	var e error
	c.Media, e = medium.Load(fsys, c.Sources)
	errs = append(errs, e)
	c.Rotors, e = rotor.Load(fsys, c.Sources)
	errs = append(errs, e)
	c.Species, e = species.Load(fsys, c.Sources)
	errs = append(errs, e)
	c.Membranes, e = filter.Load(fsys, c.Sources)
	errs = append(errs, e)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

var (
	once   sync.Once
	def    *Catalog
	defErr error
)

// Default returns the catalog built from the embedded assets. The data are
// validated by tests and at build time, so an error here means a broken
// build; callers still handle it.
func Default() (*Catalog, error) {
	once.Do(func() { def, defErr = Load(assets.Data) })
	return def, defErr
}

// SpeciesByID returns the species with the given id.
func (c *Catalog) SpeciesByID(id string) (species.Species, bool) {
	for _, s := range c.Species {
		if s.ID == id {
			return s, true
		}
	}
	return species.Species{}, false
}
