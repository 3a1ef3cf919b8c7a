package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"exosep/engine/gradient"
	"exosep/engine/protocol"
)

// gradientUsage documents `exosep gradient`.
const gradientUsage = `Usage:
  exosep gradient --mode rate-zonal|isopycnic --medium sucrose|iodixanol|cscl
                  (--from-density A --to-density B | --from-percent A --to-percent B)
                  [--shape linear|uniform] [--load top|bottom]
                  [--cushion-density C | --cushion-percent C] [--cushion-ml V]
                  [--gradient-ml V] [--sample-ml V] [--input msc-cm|plasma]
                  --rotor NAME (--rcf G [--rcf-at min|avg|max] | --rpm N)
                  (--hours H | --minutes M) [--temperature-c T]
                  --fractions N [--json]

gradient runs one density-gradient tube in a swinging-bucket rotor: the sample
(default: conditioned medium, inputs.json "msc-cm"; --input plasma for a
lipoprotein-rich sample) layered on top (or mixed into the densest layer with
--load bottom), a linear gradient from A at the top to B at the bottom
(densities in g/mL at the run temperature, or percentages: sucrose and CsCl
% w/w, iodixanol % w/v), optionally over a dense cushion; --shape uniform
starts from one solution (A only) that the field turns into a gradient
(self-forming). It prints N equal-volume fractions drawn from the top
(1 = top): density, particles of every species, protein and particles per µg
protein, marking the exosome-rich fractions, then the pellet.

Flags (each at most once):
  --mode                 rate-zonal or isopycnic (warns when an isopycnic run
                         leaves exosomes short of their buoyant density)
  --medium               sucrose, iodixanol or cscl
  --from-density, --to-density  g/mL (within the medium's table)
  --from-percent, --to-percent  instead of densities
  --shape                linear (default) or uniform (self-forming; no --to-*)
  --load                 top (default) or bottom
  --cushion-density, --cushion-percent, --cushion-ml  a dense bottom layer
  --gradient-ml          gradient volume (default: fill the tube)
  --sample-ml            sample volume (default: 5 % of the tube; estimate)
  --input                msc-cm (default) or plasma
  --rotor                a swinging-bucket rotor (see exosep rotors)
  --rcf, --rcf-at, --rpm as for spin
  --hours, --minutes     time at speed (above 0 up to 7 days)
  --temperature-c        0–40 °C (default 4)
  --fractions            1–100
  --json                 {"fractions": [{"index", "density", "species":
                         {"<species>": count}, "protein_ug", …}],
                         "exosome_peak_fraction", "exosome_rich_fractions",
                         "pellet", "warnings", …}; density in g/mL

Model (engine/gradient): Stokes sedimentation in the local density and
viscosity of the medium, s = d²(ρp − ρm(r))/(18η(r)), Stokes–Einstein
diffusion, every size × density node carried as Gaussian packets; the medium
itself sediments and diffuses (Lamm equation). Speed ramps as for protocol.
`

var gradientFlags = []flagDef{
	{name: "mode", allowed: "rate-zonal, isopycnic"},
	{name: "medium", allowed: "sucrose, iodixanol, cscl"},
	{name: "from-density", allowed: "g/mL within the medium's table"},
	{name: "to-density", allowed: "g/mL within the medium's table"},
	{name: "from-percent", allowed: "% within the medium's table"},
	{name: "to-percent", allowed: "% within the medium's table"},
	{name: "shape", allowed: "linear, uniform"},
	{name: "load", allowed: "top, bottom"},
	{name: "cushion-density", allowed: "g/mL within the medium's table"},
	{name: "cushion-percent", allowed: "% within the medium's table"},
	{name: "cushion-ml", allowed: "mL above 0"},
	{name: "gradient-ml", allowed: "mL above 0 (default: fill the tube)"},
	{name: "sample-ml", allowed: "mL above 0 up to half the tube"},
	{name: "input", allowed: "msc-cm, plasma"},
	{name: "rotor", allowed: "a swinging-bucket rotor, see exosep rotors"},
	{name: "rcf", allowed: "× g above 0 up to the rotor's maximum"},
	{name: "rcf-at", allowed: "min, avg, max"},
	{name: "rpm", allowed: "above 0 up to the rotor's maximum"},
	{name: "hours", allowed: "above 0 up to 168"},
	{name: "minutes", allowed: fmt.Sprintf("above 0 up to %d", gradient.MaxMinutes)},
	{name: "temperature-c", allowed: "0–40 °C"},
	{name: "fractions", allowed: fmt.Sprintf("1–%d", gradient.MaxFractions)},
	{name: "json", isBool: true, allowed: "--json or --json=true|false"},
}

// flagOfField maps gradient.Params JSON fields to the flags that set them.
var flagOfField = map[string]string{
	"mode": "--mode", "medium": "--medium", "load": "--load", "shape": "--shape",
	"from_density_g_per_ml": "--from-density", "to_density_g_per_ml": "--to-density",
	"from_percent": "--from-percent", "to_percent": "--to-percent", "gradient_ml": "--gradient-ml",
	"cushion_density_g_per_ml": "--cushion-density", "cushion_percent": "--cushion-percent", "cushion_ml": "--cushion-ml",
	"sample_ml": "--sample-ml", "rotor": "--rotor", "rpm": "--rpm", "rcf": "--rcf", "rcf_at": "--rcf-at",
	"minutes": "--minutes", "temperature_c": "--temperature-c", "fractions": "--fractions", "layers": "--gradient-ml",
}

type gradientFractionJSON struct {
	Index                 int                `json:"index"`
	Density               float64            `json:"density"`
	Species               map[string]float64 `json:"species"`
	ProteinUG             float64            `json:"protein_ug"`
	Particles             float64            `json:"particles"`
	ParticlesPerUGProtein float64            `json:"particles_per_ug_protein"`
	VolumeML              float64            `json:"volume_ml"`
	Percent               float64            `json:"percent"`
	ExosomeRich           bool               `json:"exosome_rich"`
}

type gradientJSON struct {
	Fractions    []gradientFractionJSON `json:"fractions"`
	ExosomePeak  int                    `json:"exosome_peak_fraction"`
	ExosomeRich  []int                  `json:"exosome_rich_fractions"`
	Pellet       map[string]float64     `json:"pellet"`
	Equilibrated map[string]float64     `json:"equilibrated_share"`
	Medium       string                 `json:"medium"`
	Mode         string                 `json:"mode"`
	Rotor        string                 `json:"rotor"`
	RPM          float64                `json:"rpm"`
	RCFAvg       float64                `json:"rcf_avg"`
	Minutes      float64                `json:"minutes"`
	TemperatureC float64                `json:"temperature_c"`
	Input        string                 `json:"input"`
	SampleML     float64                `json:"sample_ml"`
	MediumReport struct {
		ApproachAtEnd    float64 `json:"approach_at_end"`
		FormationTime90H float64 `json:"formation_time_90_h"`
		Extrapolated     bool    `json:"extrapolated"`
	} `json:"medium_equilibrium"`
	Warnings []string `json:"warnings"`
	Notes    []string `json:"notes"`
}

func runGradient(list []string, stdout io.Writer) error {
	a, err := parseArgs(gradientFlags, list)
	if err != nil {
		return err
	}
	gl, err := gradient.Default()
	if err != nil {
		return fmt.Errorf("loading the embedded data: %v", err)
	}
	lib, err := protocol.Default()
	if err != nil {
		return fmt.Errorf("loading the embedded data: %v", err)
	}
	p := gradient.Params{Mode: a.vals["mode"], Medium: a.vals["medium"], Shape: a.vals["shape"], Load: a.vals["load"],
		Rotor: a.vals["rotor"], RCFAt: a.vals["rcf-at"]}
	for _, req := range []string{"mode", "medium", "rotor", "fractions"} {
		if !a.has(req) {
			for _, d := range gradientFlags {
				if d.name == req {
					return badf("missing --%s (allowed: %s)", req, d.allowed)
				}
			}
		}
	}
	nums := []struct {
		name string
		dst  *float64
	}{{"from-density", &p.FromDensityGPerML}, {"to-density", &p.ToDensityGPerML}, {"from-percent", &p.FromPercent},
		{"to-percent", &p.ToPercent}, {"cushion-density", &p.CushionDensityGPerML}, {"cushion-percent", &p.CushionPercent},
		{"cushion-ml", &p.CushionML}, {"gradient-ml", &p.GradientML}, {"sample-ml", &p.SampleML}, {"rcf", &p.RCF}, {"rpm", &p.RPM}}
	for _, n := range nums {
		allowed := ""
		for _, d := range gradientFlags {
			if d.name == n.name {
				allowed = d.allowed
			}
		}
		v, ok, err := a.number(n.name, allowed)
		if err != nil {
			return err
		}
		if ok && !(v > 0) {
			return badf("--%s %s must be above 0 (allowed: %s)", n.name, a.vals[n.name], allowed)
		}
		*n.dst = v
	}
	hours, hasH, err := a.number("hours", "above 0 up to 168")
	if err != nil {
		return err
	}
	minutes, hasM, err := a.number("minutes", fmt.Sprintf("above 0 up to %d", gradient.MaxMinutes))
	if err != nil {
		return err
	}
	switch {
	case hasH && hasM:
		return badf("--hours and --minutes exclude each other (allowed: one of them)")
	case !hasH && !hasM:
		return badf("missing --hours or --minutes (allowed: one of them, above 0 up to 7 days)")
	case hasH:
		p.Minutes = hours * 60
	default:
		p.Minutes = minutes
	}
	if a.has("temperature-c") {
		t, _, err := a.number("temperature-c", "0–40 °C")
		if err != nil {
			return err
		}
		p.TemperatureC = &t
	}
	f, _, err := a.number("fractions", fmt.Sprintf("1–%d", gradient.MaxFractions))
	if err != nil {
		return err
	}
	if f != float64(int(f)) {
		return badf("--fractions %s is not a whole number (allowed: 1–%d)", a.vals["fractions"], gradient.MaxFractions)
	}
	p.Fractions = int(f)
	if probs := gl.Validate(p); len(probs) > 0 {
		msgs := make([]string, len(probs))
		for i, pr := range probs {
			name := flagOfField[pr.Field]
			if name == "" {
				name = pr.Field
			}
			msgs[i] = name + ": " + pr.Message
		}
		return badf("%s", strings.Join(msgs, "; "))
	}
	inputID := "msc-cm"
	if a.has("input") {
		inputID = a.vals["input"]
	}
	r, _ := gl.Catalog.Rotors.Find(p.Rotor)
	sampleML := p.SampleML
	if sampleML == 0 {
		sampleML = gl.Handling.SampleShare * r.TubeVolumeM3 * 1e6
	}
	celsius := float64(gradient.DefaultTemperatureC)
	if p.TemperatureC != nil {
		celsius = *p.TemperatureC
	}
	sample, err := lib.GradientSample(inputID, sampleML, celsius)
	if err != nil {
		if _, ok := lib.Input(inputID); !ok {
			return badf("--input %s is not a known input (allowed: %s)", shown(inputID), strings.Join(lib.InputIDs(), ", "))
		}
		return err
	}
	run, err := gl.Compute(p, sample)
	if err != nil {
		return badf("%v", err)
	}
	out := gradientJSON{ExosomePeak: run.ExosomePeak, ExosomeRich: run.ExosomeRich, Pellet: run.Pellet(), Equilibrated: run.Equilibrated,
		Medium: run.Medium.Name, Mode: p.Mode, Rotor: run.Rotor, RPM: run.RPM, RCFAvg: run.RCFAvg, Minutes: p.Minutes,
		TemperatureC: run.TemperatureC, Input: inputID, SampleML: run.SampleML, Warnings: run.Warnings, Notes: run.Notes}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	out.MediumReport.ApproachAtEnd = run.Medium.ApproachAtEnd
	out.MediumReport.FormationTime90H = run.Medium.FormationTime90S / 3600
	out.MediumReport.Extrapolated = run.Medium.Extrapolated
	for _, fr := range run.Fractions() {
		out.Fractions = append(out.Fractions, gradientFractionJSON{Index: fr.Index, Density: fr.DensityGPerML, Species: fr.Species,
			ProteinUG: fr.ProteinUG, Particles: fr.Particles, ParticlesPerUGProtein: fr.ParticlesPerUGProtein,
			VolumeML: fr.VolumeML, Percent: fr.Percent, ExosomeRich: fr.ExosomeRich})
	}
	if a.boolean("json") {
		return writeJSON(stdout, out)
	}
	return gradientText(stdout, out, sample)
}

func gradientText(w io.Writer, out gradientJSON, sample gradient.Sample) error {
	var ids []string
	for _, sp := range sample.Species {
		var n float64
		for _, nd := range sp.Nodes {
			n += nd.Count
		}
		if n > 0 {
			ids = append(ids, sp.ID)
		}
	}
	head := [][]string{
		{"medium", out.Medium},
		{"mode", out.Mode},
		{"rotor", fmt.Sprintf("%s at %s rpm (%s × g at r_avg)", out.Rotor, fmt4(out.RPM), fmt4(out.RCFAvg))},
		{"time", num(out.Minutes) + " min at speed, " + num(out.TemperatureC) + " °C"},
		{"sample", fmt.Sprintf("%s mL of %s", sig(out.SampleML, 3), out.Input)},
		{"medium equilibrium", fmt.Sprintf("%.0f %% of the way at the end of the hold", 100*out.MediumReport.ApproachAtEnd)},
	}
	if err := writeTable(w, head, nil); err != nil {
		return err
	}
	io.WriteString(w, "\nParticles per fraction (1 = top; * = exosome-rich):\n")
	rows := [][]string{append(append([]string{"#", "g/mL"}, ids...), "protein µg", "particles/µg")}
	right := []bool{true, true}
	for range ids {
		right = append(right, true)
	}
	right = append(right, true, true)
	for _, f := range out.Fractions {
		idx := strconv.Itoa(f.Index)
		if f.ExosomeRich {
			idx += "*"
		}
		row := []string{idx, strconv.FormatFloat(f.Density, 'f', 4, 64)}
		for _, id := range ids {
			row = append(row, count(f.Species[id]))
		}
		row = append(row, protoG(f.ProteinUG), protoG(f.ParticlesPerUGProtein))
		rows = append(rows, row)
	}
	prow := []string{"pellet", ""}
	for _, id := range ids {
		prow = append(prow, count(out.Pellet[id]))
	}
	rows = append(rows, append(prow, "", ""))
	if err := writeTable(w, rows, right); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nExosome peak: fraction %d; exosome-rich: %v\n", out.ExosomePeak, out.ExosomeRich)
	eq := make([]string, 0, len(out.Equilibrated))
	for _, id := range ids {
		eq = append(eq, fmt.Sprintf("%s %.0f %%", id, 100*out.Equilibrated[id]))
	}
	sort.Strings(eq)
	fmt.Fprintf(w, "At their buoyant density (or pelleted/floated): %s\n", strings.Join(eq, ", "))
	for _, s := range out.Warnings {
		fmt.Fprintf(w, "Warning: %s\n", s)
	}
	io.WriteString(w, "\nModel and assumptions:\n")
	for _, n := range out.Notes {
		fmt.Fprintf(w, "  - %s\n", n)
	}
	return nil
}

// count prints a particle count; below half a particle it is 0.
func count(v float64) string {
	if v < 0.5 {
		return "0"
	}
	return protoG(v)
}
