package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"exosep/engine/catalog"
	"exosep/engine/rotor"
)

var rotorsFlags = []flagDef{
	{name: "json", isBool: true, allowed: "--json or --json=true|false"},
}

// rotorJSON is one rotor in `exosep rotors --json`, in display units named
// in the keys.
type rotorJSON struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
	Type    string   `json:"type"`
	// AngleDeg is the tube angle from the axis; null for swinging buckets.
	AngleDeg *float64 `json:"angle_deg"`
	MaxRPM   float64  `json:"max_rpm"`
	RMinMM   float64  `json:"r_min_mm"`
	RMaxMM   float64  `json:"r_max_mm"`
	// RCFMax is the RCF at r_max at the maximum speed, × g.
	RCFMax float64 `json:"rcf_max"`
	// KFactor is computed from the radii at the maximum speed, h·S.
	KFactor float64 `json:"k_factor"`
	// KFactorPublished is the maker's figure; null where unknown.
	KFactorPublished *float64 `json:"k_factor_published"`
	TubeCount        int      `json:"tube_count"`
	TubeVolumeML     float64  `json:"tube_volume_ml"`
	// TubeDiameterMM is read from the maker's data or, for swinging
	// buckets without one, derived from volume and length (see
	// tube_diameter_confidence).
	TubeDiameterMM         float64 `json:"tube_diameter_mm"`
	TubeDiameterConfidence string  `json:"tube_diameter_confidence"`
}

// tidy rounds a unit conversion of a catalogue figure (67.4e-3 m × 1e3) to
// remove binary noise; 9 decimals is far below any figure's precision.
func tidy(v float64) float64 { return math.Round(v*1e9) / 1e9 }

func runRotors(list []string, stdout io.Writer) error {
	a, err := parseArgs(rotorsFlags, list)
	if err != nil {
		return err
	}
	cat, err := catalog.Default()
	if err != nil {
		return fmt.Errorf("loading the embedded data: %v", err)
	}
	rs := cat.Rotors.Rotors
	if a.boolean("json") {
		out := make([]rotorJSON, 0, len(rs))
		for _, r := range rs {
			j := rotorJSON{
				Name:                   r.Name,
				Aliases:                append([]string{}, r.Aliases...),
				Type:                   string(r.Kind),
				MaxRPM:                 r.MaxRPM,
				RMinMM:                 tidy(r.RMinM * 1e3),
				RMaxMM:                 tidy(r.RMaxM * 1e3),
				RCFMax:                 rotor.RCF(r.MaxRPM, r.RMaxM),
				KFactor:                r.KFactor(r.MaxRPM),
				TubeCount:              r.TubeCount,
				TubeVolumeML:           tidy(r.TubeVolumeM3 * 1e6),
				TubeDiameterMM:         tidy(r.TubeDiameterM * 1e3),
				TubeDiameterConfidence: r.TubeDiameterConfidence,
			}
			if r.Kind == rotor.FixedAngle {
				deg := tidy(r.AngleRad * 180 / math.Pi)
				j.AngleDeg = &deg
			}
			if r.KFactorPublished > 0 {
				k := r.KFactorPublished
				j.KFactorPublished = &k
			}
			out = append(out, j)
		}
		return writeJSON(stdout, out)
	}
	rows := [][]string{{"name", "type", "angle", "max rpm", "max × g", "r_min mm", "r_max mm", "k at max", "k published", "tubes"}}
	for _, r := range rs {
		angle, kpub := "–", "–"
		if r.Kind == rotor.FixedAngle {
			angle = num(tidy(r.AngleRad*180/math.Pi)) + "°"
		}
		if r.KFactorPublished > 0 {
			kpub = num(r.KFactorPublished)
		}
		rows = append(rows, []string{
			r.Name,
			string(r.Kind),
			angle,
			num(r.MaxRPM),
			strconv.FormatFloat(rotor.RCF(r.MaxRPM, r.RMaxM), 'f', 0, 64),
			num(tidy(r.RMinM * 1e3)),
			num(tidy(r.RMaxM * 1e3)),
			strconv.FormatFloat(r.KFactor(r.MaxRPM), 'f', 1, 64),
			kpub,
			fmt.Sprintf("%d × %s mL", r.TubeCount, num(tidy(r.TubeVolumeM3*1e6))),
		})
	}
	if err := writeTable(stdout, rows, []bool{false, false, true, true, true, true, true, true, true, false}); err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, "\nk in hours·svedberg at the maximum speed: pelleting time in a swinging bucket is k/s hours.")
	return err
}

// writeJSON prints v as one line of JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
