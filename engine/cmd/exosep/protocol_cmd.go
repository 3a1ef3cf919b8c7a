package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"exosep/engine/protocol"
)

// protocolUsage documents `exosep protocol` and `exosep presets`.
const protocolUsage = `Usage:
  exosep protocol (--preset NAME | --file P.json) [--volume-ml V] [--json | --csv]
  exosep presets [--json]

protocol runs a whole isolation protocol (differential ultracentrifugation,
ultrafiltration or sequential filtration as a sequence of steps) on an input
sample and reports, per step and for the
product: particles of every species in / kept / discarded, protein (µg), the
exosome yield, particles per µg protein with its purity class (Webber &
Clayton 2013; an estimate), the co-isolated species, the size distribution,
the compaction damage of long spins (an estimate), and the time: runs (sample
volume vs. tube volume × tubes per run), time at speed, acceleration and
deceleration (a stated default unless the step gives them), hands-on time.

Flags of protocol (each at most once):
  --preset NAME     a preset (see exosep presets)
  --file P.json     a protocol file: {"name", "input", "volume_ml"?, "steps":
                    [{"kind": "spin", "rotor", "rcf" (+ "rcf_at": min|avg|max,
                    default max) or "rpm", "minutes", "keep": "pellet" |
                    "supernatant", "temperature_c"?, "accel_minutes"?,
                    "decel_minutes"?, "residual_ul"?}, {"kind": "filter",
                    "pore_um" or "membrane", "module"?, "tmp_kpa"?},
                    {"kind": "ultrafilter", "membrane" or "mwco_kda",
                    "mode"?: tff | deadend, "module"?, "tmp_kpa"?,
                    "concentration_factor" or "final_volume_ml",
                    "diafiltration_volumes"?, "shear_rate_per_s"?},
                    {"kind": "resuspend", "volume_ml" (per vessel) or
                    "factor" (dilution)}, {"kind": "pool"}]}; every step may
                    have "name", "note" and "source"; membranes and modules
                    are the ids of data/membranes.json
  --volume-ml V     sample volume, mL (above 0 up to 100000; default: the
                    protocol's, else the input's)
  --json            one JSON object: {"steps": [{"name", "kind", "species":
                    {"<species>": {"in", "kept", "discarded"}}, "minutes",
                    …}], "final": {"exosome_yield_fraction", "particles",
                    "protein_ug", "particles_per_ug_protein", "total_minutes",
                    …}, …}; counts are particles (albumin: molecules)
  --csv             the same figures as CSV, one value per row:
                    step,name,kind,quantity,species,value,unit

Flags of presets:
  --json            a JSON array of the preset protocols

A bad protocol file gives one line per problem on stderr, each naming the
step and field and the allowed range, and exit status 2.
`

var protocolFlags = []flagDef{
	{name: "preset", allowed: "a preset name, see exosep presets"},
	{name: "file", allowed: "a protocol JSON file"},
	{name: "volume-ml", allowed: fmt.Sprintf("above 0 up to %d mL", protocol.MaxVolumeML)},
	{name: "json", isBool: true, allowed: "--json or --json=true|false"},
	{name: "csv", isBool: true, allowed: "--csv or --csv=true|false"},
}

var presetsFlags = []flagDef{
	{name: "json", isBool: true, allowed: "--json or --json=true|false"},
}

// runProtocol is `exosep protocol`: it returns the exit status (0 success,
// 1 internal error, 2 bad input: one stderr line per problem).
func runProtocol(args []string, stdout, stderr io.Writer) int {
	const cmd = "exosep protocol"
	fail := func(err error) int {
		var bad *inputError
		var probs protocol.Problems
		switch {
		case errors.Is(err, errHelp):
			io.WriteString(stdout, protocolUsage)
			return 0
		case errors.As(err, &probs):
			for _, p := range probs {
				fmt.Fprintf(stderr, "%s: %s\n", cmd, oneLine(p.String()))
			}
			return 2
		case errors.As(err, &bad):
			fmt.Fprintf(stderr, "%s: %s\n", cmd, oneLine(bad.msg))
			return 2
		default:
			fmt.Fprintf(stderr, "%s: %s\n", cmd, oneLine(err.Error()))
			return 1
		}
	}
	a, err := parseArgs(protocolFlags, args)
	if err != nil {
		return fail(err)
	}
	lib, err := protocol.Default()
	if err != nil {
		return fail(fmt.Errorf("loading the embedded data: %v", err))
	}
	if a.has("preset") == a.has("file") {
		return fail(badf("give exactly one of --preset NAME and --file P.json (presets: %s)", strings.Join(lib.PresetIDs(), ", ")))
	}
	if a.boolean("json") && a.boolean("csv") {
		return fail(badf("--json and --csv exclude each other (allowed: one of them, or neither for a table)"))
	}
	var opt protocol.Options
	if v, ok, err := a.number("volume-ml", protocolFlags[2].allowed); err != nil {
		return fail(err)
	} else if ok {
		if !(v > 0 && v <= protocol.MaxVolumeML) {
			return fail(badf("--volume-ml %s is outside the allowed range: above 0 up to %d mL", shown(a.vals["volume-ml"]), protocol.MaxVolumeML))
		}
		opt.VolumeML = v
	}
	var p protocol.Protocol
	if a.has("preset") {
		if p, err = lib.Preset(a.vals["preset"]); err != nil {
			return fail(badf("--preset: %v", err))
		}
	} else {
		name := a.vals["file"]
		data, err := os.ReadFile(name)
		if err != nil {
			return fail(badf("--file %s: cannot read it: %v", shown(name), errors.Unwrap(err)))
		}
		var probs protocol.Problems
		if p, probs = lib.ParseFile(data); len(probs) > 0 {
			for i := range probs {
				probs[i].Message = strings.ReplaceAll(probs[i].Message, "\n", " ")
			}
			base := filepath.Base(name)
			for _, pr := range probs {
				fmt.Fprintf(stderr, "%s: %s: %s\n", cmd, base, oneLine(pr.String()))
			}
			return 2
		}
		if p.Name == "" {
			p.Name = filepath.Base(name)
		}
	}
	res, err := lib.Run(p, opt)
	if err != nil {
		return fail(err)
	}
	switch {
	case a.boolean("json"):
		err = writeJSON(stdout, res)
	case a.boolean("csv"):
		err = protoWriteCSV(stdout, res)
	default:
		err = protoWriteText(stdout, lib, res)
	}
	if err != nil {
		return fail(err)
	}
	return 0
}

// runPresets is `exosep presets`: the preset protocols, as a table or JSON.
func runPresets(args []string, stdout, stderr io.Writer) int {
	const cmd = "exosep presets"
	a, err := parseArgs(presetsFlags, args)
	var bad *inputError
	switch {
	case errors.Is(err, errHelp):
		io.WriteString(stdout, protocolUsage)
		return 0
	case errors.As(err, &bad):
		fmt.Fprintf(stderr, "%s: %s\n", cmd, oneLine(bad.msg))
		return 2
	}
	lib, err := protocol.Default()
	if err != nil {
		fmt.Fprintf(stderr, "%s: loading the embedded data: %s\n", cmd, oneLine(err.Error()))
		return 1
	}
	if a.boolean("json") {
		if err := writeJSON(stdout, lib.Presets); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
			return 1
		}
		return 0
	}
	rows := [][]string{{"name", "input", "steps", "spins", "protocol", "source"}}
	for _, p := range lib.Presets {
		spins := 0
		for _, s := range p.Steps {
			if s.Kind == protocol.KindSpin {
				spins++
			}
		}
		src := lib.Catalog.Sources[p.Source].Citation
		if i := strings.Index(src, ". "); i > 0 {
			src = src[:i]
		}
		rows = append(rows, []string{p.ID, p.Input, strconv.Itoa(len(p.Steps)), strconv.Itoa(spins), p.Name, src})
	}
	if err := writeTable(stdout, rows, []bool{false, false, true, true, false, false}); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return 1
	}
	fmt.Fprintln(stdout, "\nRun one with: exosep protocol --preset NAME [--volume-ml V] [--json | --csv]")
	return 0
}

// protoG formats v for tables: exponent form beyond 1e5 or below 1e-3,
// whole numbers from 100, else 3 significant digits.
func protoG(v float64) string {
	a := math.Abs(v)
	switch {
	case v == 0:
		return "0"
	case a >= 1e5 || a < 1e-3:
		return strconv.FormatFloat(v, 'e', 2, 64)
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// protoF formats v with d decimals.
func protoF(v float64, d int) string { return strconv.FormatFloat(v, 'f', d, 64) }

func protoPercent(v float64) string { return protoF(100*v, 1) + " %" }

func protoWriteText(w io.Writer, lib *protocol.Library, res *protocol.Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", res.Protocol)
	if c := lib.Catalog.Sources[res.Source].Citation; c != "" {
		fmt.Fprintf(&b, "Source: %s\n", c)
	}
	in := res.Input
	vol := fmt.Sprintf("%s mL (%s", protoG(in.VolumeML), in.VolumeFrom)
	if in.VolumeConfidence != "" {
		vol += ", " + in.VolumeConfidence
	}
	fmt.Fprintf(&b, "Input: %s, %s)\n\n", in.Name, vol+"")
	rows := [][]string{{"#", "step", "runs", "min", "exosomes kept", "protein µg", "particles/µg", "volume mL"}}
	for _, s := range res.Steps {
		ex := s.Species[protocol.ExosomeID]
		kept := "–"
		if ex.In > 0 {
			kept = protoPercent(ex.Kept / ex.In)
		}
		runs := "–"
		if s.Time.Runs > 0 {
			runs = strconv.Itoa(s.Time.Runs)
		}
		rows = append(rows, []string{strconv.Itoa(s.Index), s.Name, runs, protoF(s.Minutes, 1), kept,
			protoG(s.ProteinUG.Kept), protoG(s.Product.ParticlesPerUGProtein), protoG(s.VolumeOutML)})
	}
	if err := writeTable(&b, rows, []bool{true, false, true, true, true, true, true, true}); err != nil {
		return err
	}
	f := res.Final
	fmt.Fprintf(&b, "\nProduct (%s mL):\n", protoG(f.VolumeML))
	fmt.Fprintf(&b, "  exosome yield        %s of the input's exosomes (%s particles; %s intact — damage model, estimate)\n",
		protoPercent(f.ExosomeYieldFraction), protoG(f.ExosomeParticles), protoPercent(f.ExosomeIntactFraction))
	fmt.Fprintf(&b, "  particles            %s (all species within the counting range, 50–1000 nm)\n", protoG(f.Particles))
	fmt.Fprintf(&b, "  protein              %s µg\n", protoG(f.ProteinUG))
	fmt.Fprintf(&b, "  particles per µg     %s: %s (Webber & Clayton bands; %s)\n", protoG(f.ParticlesPerUGProtein), f.Purity.Class, f.Purity.Confidence)
	if len(f.Contaminants) > 0 {
		fmt.Fprintf(&b, "  co-isolated          ")
		parts := make([]string, 0, len(f.Contaminants))
		for _, c := range f.Contaminants {
			parts = append(parts, fmt.Sprintf("%s %s (%s µg protein)", c.Species, protoG(c.Particles), protoG(c.ProteinUG)))
		}
		fmt.Fprintf(&b, "%s\n", strings.Join(parts, "; "))
	}
	var filtering float64
	for _, s := range res.Steps {
		if s.Filter != nil {
			filtering += s.Filter.FiltrationMinutes
		}
	}
	fmt.Fprintf(&b, "  time                 %s min in all: %s min of %d centrifuge runs (%s min of them ramping: default estimate unless a step gives its ramps), ",
		protoF(f.TotalMinutes, 0), protoF(f.RunMinutes-filtering, 0), f.Runs, protoF(f.AccelDecelMinutes, 0))
	if filtering > 0 {
		fmt.Fprintf(&b, "%s min filtering (flux model), ", protoF(filtering, 0))
	}
	fmt.Fprintf(&b, "%s min hands-on\n", protoF(f.HandsOnMinutes, 0))
	for _, s := range res.Steps {
		for _, wmsg := range s.Warnings {
			fmt.Fprintf(&b, "Warning, step %d (%s): %s\n", s.Index, s.Name, wmsg)
		}
		if s.Filter != nil && (s.Filter.DamagedFraction["exosome"] >= 0.005 || s.Filter.TrappedFraction["exosome"] >= 0.005) {
			fmt.Fprintf(&b, "Membrane, step %d (%s): %s of the exosomes trapped on the membrane, %s ruptured squeezing through pores (estimates)\n",
				s.Index, s.Name, protoPercent(s.Filter.TrappedFraction["exosome"]), protoPercent(s.Filter.DamagedFraction["exosome"]))
		}
		if s.Spin != nil && s.Spin.Damage.ExosomesDamagedFraction >= 0.005 {
			fmt.Fprintf(&b, "Damage, step %d (%s): %s of the exosomes reaching the pellet damaged or aggregated (dose %s × g·h; estimate)\n",
				s.Index, s.Name, protoPercent(s.Spin.Damage.ExosomesDamagedFraction), protoG(s.Spin.Damage.DoseGHours))
		}
	}
	fmt.Fprintf(&b, "\nModels and assumptions:\n")
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "  - %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// protoWriteCSV writes the result in long form: one value per row.
func protoWriteCSV(w io.Writer, res *protocol.Result) error {
	cw := csv.NewWriter(w)
	write := func(rec ...string) { _ = cw.Write(rec) }
	val := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	write("step", "name", "kind", "quantity", "species", "value", "unit")
	countUnit := func(id string) string {
		if id == protocol.AlbuminID {
			return "molecules"
		}
		return "particles"
	}
	ids := make([]string, 0, len(res.Input.Species))
	for id := range res.Input.Species {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		write("input", res.Input.Name, "input", "count", id, val(res.Input.Species[id]), countUnit(id))
	}
	write("input", res.Input.Name, "input", "protein", "", val(res.Input.ProteinUG), "ug")
	write("input", res.Input.Name, "input", "volume", "", val(res.Input.VolumeML), "mL")
	for _, s := range res.Steps {
		step := strconv.Itoa(s.Index)
		for _, id := range ids {
			f := s.Species[id]
			write(step, s.Name, s.Kind, "in", id, val(f.In), countUnit(id))
			write(step, s.Name, s.Kind, "kept", id, val(f.Kept), countUnit(id))
			write(step, s.Name, s.Kind, "discarded", id, val(f.Discarded), countUnit(id))
		}
		write(step, s.Name, s.Kind, "protein_in", "", val(s.ProteinUG.In), "ug")
		write(step, s.Name, s.Kind, "protein_kept", "", val(s.ProteinUG.Kept), "ug")
		write(step, s.Name, s.Kind, "protein_discarded", "", val(s.ProteinUG.Discarded), "ug")
		write(step, s.Name, s.Kind, "volume_out", "", val(s.VolumeOutML), "mL")
		write(step, s.Name, s.Kind, "runs", "", strconv.Itoa(s.Time.Runs), "1")
		write(step, s.Name, s.Kind, "minutes", "", val(s.Minutes), "min")
		write(step, s.Name, s.Kind, "hands_on_minutes", "", val(s.Time.HandsOnMinutes), "min")
		write(step, s.Name, s.Kind, "exosome_yield_fraction", "", val(s.Product.ExosomeYieldFraction), "1")
		write(step, s.Name, s.Kind, "particles_per_ug_protein", "", val(s.Product.ParticlesPerUGProtein), "1/ug")
		if s.Spin != nil {
			write(step, s.Name, s.Kind, "exosomes_damaged_fraction", "", val(s.Spin.Damage.ExosomesDamagedFraction), "1")
		}
	}
	f := res.Final
	for _, q := range []struct {
		name string
		v    float64
		unit string
	}{
		{"exosome_yield_fraction", f.ExosomeYieldFraction, "1"},
		{"exosome_intact_fraction", f.ExosomeIntactFraction, "1"},
		{"particles", f.Particles, "particles"},
		{"protein_ug", f.ProteinUG, "ug"},
		{"particles_per_ug_protein", f.ParticlesPerUGProtein, "1/ug"},
		{"total_minutes", f.TotalMinutes, "min"},
		{"run_minutes", f.RunMinutes, "min"},
		{"hands_on_minutes", f.HandsOnMinutes, "min"},
		{"runs", float64(f.Runs), "1"},
		{"volume", f.VolumeML, "mL"},
	} {
		write("final", res.Protocol, "final", q.name, "", val(q.v), q.unit)
	}
	for _, id := range ids {
		write("final", res.Protocol, "final", "count", id, val(f.Species[id].Particles), countUnit(id))
	}
	write("final", res.Protocol, "final", "purity_class", f.Purity.Class, "", f.Purity.Confidence)
	cw.Flush()
	return cw.Error()
}
