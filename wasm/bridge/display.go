package bridge

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"exosep/engine/catalog"
)

// Display settings of the stage: how it draws, not what the engine
// computes. They never change a Result or a State's counts: a hidden
// species is still simulated, counted and reported; only its particles are
// not drawn (State.Shown says which are).

// Colour profiles of the stage (Params.ColorProfile), as the pages'
// colorProfile URL parameter.
const (
	ProfileDefault      = "default"
	ProfileProjector    = "projector"
	ProfileHighContrast = "high-contrast"
)

// ColorProfiles lists the accepted colour profiles.
func ColorProfiles() []string {
	return []string{ProfileDefault, ProfileProjector, ProfileHighContrast}
}

// checkColorProfile accepts a colour profile ("" is the default).
func checkColorProfile(v string) error {
	if v == "" || slices.Contains(ColorProfiles(), v) {
		return nil
	}
	return FieldError{"colorProfile", fmt.Sprintf("%q is not one of %s", v, strings.Join(ColorProfiles(), ", "))}
}

// checkSpecies accepts a list of catalogue species ids without repeats
// (empty: every species is shown).
func checkSpecies(field string, ids []string, cat *catalog.Catalog) error {
	seen := map[string]bool{}
	for _, id := range ids {
		if _, ok := cat.SpeciesByID(id); !ok {
			return FieldError{field, fmt.Sprintf("%q is not a species id; allowed: %s", id, strings.Join(speciesIDs(cat), ", "))}
		}
		if seen[id] {
			return FieldError{field, fmt.Sprintf("%q is listed twice", id)}
		}
		seen[id] = true
	}
	return nil
}

func speciesIDs(cat *catalog.Catalog) []string {
	out := make([]string, len(cat.Species))
	for i, s := range cat.Species {
		out[i] = s.ID
	}
	return out
}

// SplitSpecies reads a comma-separated species list (URL form): items are
// trimmed, empty items dropped.
func SplitSpecies(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// KnownSpecies splits ids into those of the catalogue (deduplicated, in the
// order given, matched ignoring case) and the rest.
func KnownSpecies(ids []string, cat *catalog.Catalog) (known, unknown []string) {
	for _, id := range ids {
		match := ""
		for _, s := range cat.Species {
			if normID(s.ID) == normID(id) {
				match = s.ID
				break
			}
		}
		switch {
		case match == "":
			unknown = append(unknown, id)
		case !slices.Contains(known, match):
			known = append(known, match)
		}
	}
	return known, unknown
}

// normID folds case and drops spaces, hyphens and underscores, as the
// pages' validator (static/params.js) matches list items.
func normID(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '_':
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// Shows reports whether species id is drawn under the list shown (empty:
// every species).
func Shows(shown []string, id string) bool {
	return len(shown) == 0 || slices.Contains(shown, id)
}

// SameSpin reports whether a and b describe the same spin and particles:
// they differ at most in how the stage shows them (time scale, reduced
// motion, colour profile, species shown).
func SameSpin(a, b Params) bool {
	a.TimeScale, a.ReducedMotion, a.ColorProfile, a.Species = b.TimeScale, b.ReducedMotion, b.ColorProfile, nil
	b.Species = nil
	return reflect.DeepEqual(a, b)
}
