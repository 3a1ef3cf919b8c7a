// Package quantity reads numbers from ExoSep's data files. Every number in a
// data file is an object with its value, unit, source and confidence, so a
// figure can never lose where it came from; this package checks those fields
// and converts the value to SI.
package quantity

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Confidence marks how a figure was obtained (physics-data.md's marks).
type Confidence string

const (
	Read     Confidence = "read"     // seen in the cited source
	Derived  Confidence = "derived"  // computed from read inputs
	Estimate Confidence = "estimate" // unverified; shown as an estimate
)

// Q is one number from a data file.
type Q struct {
	Value      float64    `json:"value"`
	Unit       string     `json:"unit"`
	Source     string     `json:"source"`
	Confidence Confidence `json:"confidence"`
	Note       string     `json:"note,omitempty"`
}

// toSI maps each allowed unit to the factor that converts it to SI.
// Temperatures stay in degrees Celsius (the media formulas are written in °C).
var toSI = map[string]float64{
	"1":            1,    // dimensionless
	"m":            1,    // metre
	"mm":           1e-3, // millimetre
	"um":           1e-6, // micrometre
	"nm":           1e-9, // nanometre
	"kg/m3":        1,    // kilogram per cubic metre
	"g/mL":         1000, // gram per millilitre → kg/m³
	"Pa.s":         1,    // pascal second
	"mPa.s":        1e-3, // millipascal second (= centipoise)
	"rpm":          1,    // revolutions per minute (kept as rpm)
	"deg":          math.Pi / 180,
	"mL":           1e-6, // millilitre → m³
	"s":            1,
	"min":          60,
	"h":            3600,
	"S":            1e-13, // svedberg → s
	"degC":         1,     // degree Celsius (kept as °C)
	"kg/m3/degC":   1,
	"1/degC":       1,
	"kDa":          1,    // kilodalton (kept as kDa; not an SI quantity here)
	"particles/mL": 1e6,  // → particles per m³
	"Pa":           1,    // pascal
	"kPa":          1e3,  // kilopascal → Pa
	"mN/m":         1e-3, // millinewton per metre (surface tension) → N/m
	"cm2":          1e-4, // square centimetre → m²
	"m2":           1,    // square metre
	"1/s":          1,    // per second (shear rate)
	"percent-w/w":  1,    // mass of solute per 100 g of solution (kept as %)
	"percent-w/v":  1,    // grams of solute per 100 mL of solution (kept as %)
	"g/mol":        1e-3, // → kg/mol
	"m2/s":         1,    // diffusion coefficient
	"cm5/g/s2":     1e-7, // Ifft–Vinograd β° (cgs) → m⁵ kg⁻¹ s⁻²
}

// Units lists the allowed unit spellings, for error messages.
func Units() []string {
	u := make([]string, 0, len(toSI))
	for k := range toSI {
		u = append(u, k)
	}
	sort.Strings(u)
	return u
}

// Sources is the set of known source keys (from data/sources.json).
type Sources map[string]Source

// Source is one entry of data/sources.json.
type Source struct {
	Citation string `json:"citation"`
	Link     string `json:"link,omitempty"`
}

// Check validates q as the field named field, against the known sources and
// the expected unit dimension (the unit must be one of want). It returns the
// value in SI (or °C / rpm / kDa for those units); 0 if the unit is unknown.
func (q Q) Check(field string, sources Sources, want ...string) (float64, error) {
	var problems []string
	if q.Unit == "" {
		problems = append(problems, "unit is missing")
	} else if _, ok := toSI[q.Unit]; !ok {
		problems = append(problems, fmt.Sprintf("unit %q is unknown (allowed: %s)", q.Unit, strings.Join(Units(), ", ")))
	} else if len(want) > 0 && !contains(want, q.Unit) {
		problems = append(problems, fmt.Sprintf("unit %q is not allowed here (allowed: %s)", q.Unit, strings.Join(want, ", ")))
	}
	if q.Source == "" {
		problems = append(problems, "source is missing")
	} else if _, ok := sources[q.Source]; !ok {
		problems = append(problems, fmt.Sprintf("source %q is not in sources.json", q.Source))
	}
	switch q.Confidence {
	case Read, Derived, Estimate:
	default:
		problems = append(problems, fmt.Sprintf("confidence %q is not one of read, derived, estimate", q.Confidence))
	}
	if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) {
		problems = append(problems, "value is not a finite number")
	}
	// The value is converted whenever the unit is known, so one bad field
	// (say, a missing source) does not cascade into range errors elsewhere.
	si := q.Value * toSI[q.Unit]
	if len(problems) > 0 {
		return si, fmt.Errorf("%s: %s", field, strings.Join(problems, "; "))
	}
	return si, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
