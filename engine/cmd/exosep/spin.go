package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"exosep/engine/catalog"
	"exosep/engine/medium"
	"exosep/engine/rotor"
	"exosep/engine/sediment"
	"exosep/engine/spin"
)

// Limits the engine does not set itself.
const (
	// customMaxRPM is a custom rotor's maximum speed: no rotor of its own
	// limits it, so a generous bound above every catalogue rotor (the
	// fastest, TLA-120.2, is rated 120000 rpm) still rejects absurd speeds.
	customMaxRPM = 150000
	// Custom rotor radii, mm: generous bounds around real rotors
	// (r_min ≈ 25 mm to r_max ≈ 250 mm) that keep the arithmetic finite.
	minRadiusMM = 1
	maxRadiusMM = 1000
	// maxDiameterNM bounds particle diameters (100 µm, beyond any cell and
	// beyond Stokes flow).
	maxDiameterNM = 100000
	// Defaults.
	defaultTemperatureC = 4
	defaultParticleGPML = 1.15
)

// Ranges of the engine's own limits in the flags' units.
var (
	maxMinutes   = float64(spin.MaxDurationS) / 60
	minViscMPas  = spin.MinViscosity * 1e3
	maxViscMPas  = spin.MaxViscosity * 1e3
	minDensityGP = spin.MinDensity / 1e3
	maxDensityGP = spin.MaxDensity / 1e3
)

func spinFlagDefs(tLo, tHi float64) []flagDef {
	density := fmt.Sprintf("%s–%s g/mL", num(minDensityGP), num(maxDensityGP))
	radius := fmt.Sprintf("%s ≤ --rmin-mm < --rmax-mm ≤ %s, mm", num(minRadiusMM), num(maxRadiusMM))
	return []flagDef{
		{name: "rotor", allowed: "a catalogue rotor name, see exosep rotors"},
		{name: "rmin-mm", allowed: radius},
		{name: "rmax-mm", allowed: radius},
		{name: "angle-deg", allowed: "above 0 and below 90 degrees, with --tube-diameter-mm"},
		{name: "tube-diameter-mm", allowed: "above 0 mm, with --angle-deg"},
		{name: "rcf", allowed: "× g above 0 up to the rotor's maximum speed"},
		{name: "rcf-at", allowed: "min, avg, max"},
		{name: "rpm", allowed: "1 up to the rotor's maximum"},
		{name: "minutes", allowed: "above 0 up to " + num(maxMinutes)},
		{name: "temperature-c", allowed: fmt.Sprintf("%s–%s °C", num(tLo), num(tHi))},
		{name: "viscosity-mpas", allowed: fmt.Sprintf("%s–%s mPa·s", num(minViscMPas), num(maxViscMPas))},
		{name: "medium-density", allowed: density},
		{name: "particle-density", allowed: density},
		{name: "diameter-nm", allowed: diametersAllowed},
		{name: "json", isBool: true, allowed: "--json or --json=true|false"},
	}
}

var diametersAllowed = fmt.Sprintf("diameters above 0 up to %s nm, comma-separated", num(maxDiameterNM))

// spinInput is the checked command line of a spin.
type spinInput struct {
	rotor        rotor.Rotor
	rpm          float64
	minutes      float64
	temperatureC float64
	viscMPas     float64 // 0: water model
	mediumGPML   float64 // 0: water model
	particleGPML float64
	diametersNM  []float64
	json         bool
}

func runSpin(list []string, stdout io.Writer) error {
	cat, err := catalog.Default()
	if err != nil {
		return fmt.Errorf("loading the embedded data: %v", err)
	}
	water, ok := cat.Media["water"]
	if !ok {
		return fmt.Errorf("the embedded data have no medium \"water\"")
	}
	in, err := readSpin(list, cat, water)
	if err != nil {
		return err
	}
	p := spin.Params{
		Rotor:             in.rotor,
		RPM:               in.rpm,
		DurationS:         in.minutes * 60,
		TemperatureC:      in.temperatureC,
		Medium:            water,
		ViscosityPas:      in.viscMPas * 1e-3,
		MediumDensityKgM3: in.mediumGPML * 1e3,
	}
	// The flags were checked against the same limits; this is the engine's
	// own check, kept so that no unchecked spin is ever computed.
	if err := p.Validate(); err != nil {
		return badf("%v", err)
	}
	res, err := spin.Run(p, nil)
	if err != nil {
		return badf("%v", err)
	}
	return printSpin(stdout, in, p, res)
}

// readSpin parses and checks the flags of spin. The first problem found is
// returned, naming its flag and the allowed range.
func readSpin(list []string, cat *catalog.Catalog, water medium.Medium) (spinInput, error) {
	tLo, tHi := water.RangeC()
	a, err := parseArgs(spinFlagDefs(tLo, tHi), list)
	if err != nil {
		return spinInput{}, err
	}
	in := spinInput{json: a.boolean("json")}
	if in.rotor, err = readRotor(a, cat); err != nil {
		return in, err
	}
	if in.rpm, err = readSpeed(a, in.rotor); err != nil {
		return in, err
	}

	minutesAllowed := "above 0 up to " + num(maxMinutes)
	m, given, err := a.number("minutes", minutesAllowed)
	switch {
	case err != nil:
		return in, err
	case !given:
		return in, badf("missing --minutes, the time at speed (allowed: %s)", minutesAllowed)
	case !(m > 0 && m <= maxMinutes):
		return in, badf("--minutes %s is outside the allowed range (allowed: %s)", a.vals["minutes"], minutesAllowed)
	}
	in.minutes = m

	if a.has("temperature-c") && a.has("viscosity-mpas") {
		return in, badf("--temperature-c and --viscosity-mpas exclude each other (allowed: one of them: water's viscosity at --temperature-c, or --viscosity-mpas)")
	}
	tAllowed := fmt.Sprintf("%s–%s °C, the water model's range", num(tLo), num(tHi))
	in.temperatureC = defaultTemperatureC
	t, given, err := a.number("temperature-c", tAllowed)
	switch {
	case err != nil:
		return in, err
	case given && !(t >= tLo && t <= tHi):
		return in, badf("--temperature-c %s is outside the water model's range (allowed: %s)", a.vals["temperature-c"], tAllowed)
	case given:
		in.temperatureC = t
	}
	vAllowed := fmt.Sprintf("%s–%s mPa·s", num(minViscMPas), num(maxViscMPas))
	v, given, err := a.number("viscosity-mpas", vAllowed)
	switch {
	case err != nil:
		return in, err
	case given && !(v >= minViscMPas && v <= maxViscMPas):
		return in, badf("--viscosity-mpas %s is outside the allowed range (allowed: %s)", a.vals["viscosity-mpas"], vAllowed)
	}
	in.viscMPas = v
	dAllowed := fmt.Sprintf("%s–%s g/mL", num(minDensityGP), num(maxDensityGP))
	md, given, err := a.number("medium-density", dAllowed)
	switch {
	case err != nil:
		return in, err
	case given && !(md >= minDensityGP && md <= maxDensityGP):
		return in, badf("--medium-density %s is outside the allowed range (allowed: %s)", a.vals["medium-density"], dAllowed)
	}
	in.mediumGPML = md
	pd, given, err := a.number("particle-density", dAllowed)
	switch {
	case err != nil:
		return in, err
	case given && !(pd >= minDensityGP && pd <= maxDensityGP):
		return in, badf("--particle-density %s is outside the allowed range (allowed: %s)", a.vals["particle-density"], dAllowed)
	case !given:
		pd = defaultParticleGPML
	}
	in.particleGPML = pd

	if in.diametersNM, err = readDiameters(a); err != nil {
		return in, err
	}
	return in, nil
}

// readRotor resolves --rotor, or builds a custom rotor from its radii.
func readRotor(a args, cat *catalog.Catalog) (rotor.Rotor, error) {
	custom := []string{"rmin-mm", "rmax-mm", "angle-deg", "tube-diameter-mm"}
	if a.has("rotor") {
		for _, f := range custom {
			if a.has(f) {
				return rotor.Rotor{}, badf("--rotor and --%s exclude each other (allowed: --rotor NAME, or a custom rotor from --rmin-mm and --rmax-mm)", f)
			}
		}
		r, err := cat.Rotors.Find(a.vals["rotor"])
		if err != nil {
			return r, badf("--rotor %q is not in the catalogue (allowed: %s; or a custom rotor from --rmin-mm and --rmax-mm)",
				a.vals["rotor"], strings.Join(cat.Rotors.Names(), ", "))
		}
		return r, nil
	}
	hasMin, hasMax := a.has("rmin-mm"), a.has("rmax-mm")
	switch {
	case !hasMin && !hasMax:
		for _, f := range custom[2:] {
			if a.has(f) {
				return rotor.Rotor{}, badf("--%s describes a custom rotor and needs --rmin-mm and --rmax-mm (allowed: with both radii, or --rotor NAME alone)", f)
			}
		}
		return rotor.Rotor{}, badf("missing --rotor (allowed: a catalogue rotor, see exosep rotors; or a custom rotor from --rmin-mm and --rmax-mm)")
	case !hasMax:
		return rotor.Rotor{}, badf("--rmin-mm given without --rmax-mm (allowed: both, %s ≤ --rmin-mm < --rmax-mm ≤ %s mm)", num(minRadiusMM), num(maxRadiusMM))
	case !hasMin:
		return rotor.Rotor{}, badf("--rmax-mm given without --rmin-mm (allowed: both, %s ≤ --rmin-mm < --rmax-mm ≤ %s mm)", num(minRadiusMM), num(maxRadiusMM))
	}
	rAllowed := fmt.Sprintf("%s ≤ --rmin-mm < --rmax-mm ≤ %s mm", num(minRadiusMM), num(maxRadiusMM))
	rmin, _, err := a.number("rmin-mm", rAllowed)
	if err != nil {
		return rotor.Rotor{}, err
	}
	rmax, _, err := a.number("rmax-mm", rAllowed)
	if err != nil {
		return rotor.Rotor{}, err
	}
	switch {
	case !(rmin >= minRadiusMM && rmin <= maxRadiusMM):
		return rotor.Rotor{}, badf("--rmin-mm %s is outside the allowed range (allowed: %s)", a.vals["rmin-mm"], rAllowed)
	case !(rmax >= minRadiusMM && rmax <= maxRadiusMM):
		return rotor.Rotor{}, badf("--rmax-mm %s is outside the allowed range (allowed: %s)", a.vals["rmax-mm"], rAllowed)
	case !(rmin < rmax):
		return rotor.Rotor{}, badf("--rmin-mm %s is not below --rmax-mm %s (allowed: %s)", a.vals["rmin-mm"], a.vals["rmax-mm"], rAllowed)
	}
	r := rotor.Rotor{
		Name:      "custom rotor",
		Kind:      rotor.SwingingBucket,
		MaxRPM:    customMaxRPM,
		RMinM:     rmin * 1e-3,
		RMaxM:     rmax * 1e-3,
		TubeCount: 1,
		Custom:    true,
	}
	hasA, hasD := a.has("angle-deg"), a.has("tube-diameter-mm")
	if hasA != hasD {
		return r, badf("--angle-deg and --tube-diameter-mm go together (allowed: both for a fixed-angle rotor, neither for a swinging bucket)")
	}
	if hasA {
		aAllowed := "above 0 and below 90 degrees"
		deg, _, err := a.number("angle-deg", aAllowed)
		if err != nil {
			return r, err
		}
		if !(deg > 0 && deg < 90) {
			return r, badf("--angle-deg %s is outside the allowed range (allowed: %s)", a.vals["angle-deg"], aAllowed)
		}
		theta := deg * math.Pi / 180
		// The tube's radial extent L·sinθ + D·cosθ must fit in r_max − r_min.
		dMax := (rmax - rmin) / math.Cos(theta)
		dAllowed := fmt.Sprintf("above 0 and below (--rmax-mm − --rmin-mm)/cos(--angle-deg) = %s mm", sig(dMax, 4))
		d, _, err := a.number("tube-diameter-mm", dAllowed)
		if err != nil {
			return r, err
		}
		if !(d > 0 && d < dMax) {
			return r, badf("--tube-diameter-mm %s does not fit the rotor (allowed: %s)", a.vals["tube-diameter-mm"], dAllowed)
		}
		r.Kind, r.AngleRad, r.TubeDiameterM = rotor.FixedAngle, theta, d*1e-3
	}
	if err := r.Validate(); err != nil {
		return r, badf("%v", err)
	}
	return r, nil
}

// readSpeed returns the rpm from --rpm, or from --rcf at the --rcf-at radius.
func readSpeed(a args, r rotor.Rotor) (float64, error) {
	hasRCF, hasRPM := a.has("rcf"), a.has("rpm")
	maxRPM := num(r.MaxRPM)
	switch {
	case hasRCF && hasRPM:
		return 0, badf("--rcf and --rpm exclude each other (allowed: one of them)")
	case !hasRCF && !hasRPM:
		return 0, badf("missing --rcf or --rpm (allowed: one of them; --rpm 1–%s for %s)", maxRPM, r.Name)
	case hasRPM && a.has("rcf-at"):
		return 0, badf("--rcf-at applies only to --rcf, not to --rpm (allowed: min, avg, max, with --rcf)")
	}
	if hasRPM {
		allowed := fmt.Sprintf("1–%s", maxRPM)
		rpm, _, err := a.number("rpm", allowed)
		switch {
		case err != nil:
			return 0, err
		case rpm > r.MaxRPM:
			return 0, badf("--rpm %s is above the maximum %s rpm of %s (allowed: %s)", a.vals["rpm"], maxRPM, r.Name, allowed)
		case !(rpm >= 1):
			return 0, badf("--rpm %s is below 1 rpm (allowed: %s)", a.vals["rpm"], allowed)
		}
		return rpm, nil
	}
	conv := rotor.AtMax
	if a.has("rcf-at") {
		c, err := rotor.ParseConvention(a.vals["rcf-at"])
		if err != nil {
			return 0, badf("--rcf-at %q is not a radius (allowed: min, avg, max)", a.vals["rcf-at"])
		}
		conv = c
	}
	radius := r.RadiusM(conv)
	lo, hi := rotor.RCF(1, radius), rotor.RCF(r.MaxRPM, radius)
	allowed := fmt.Sprintf("%s–%s × g at r_%s of %s, i.e. 1–%s rpm", ceilSig(lo, 3), strconv.FormatFloat(math.Floor(hi), 'f', 0, 64), conv, r.Name, maxRPM)
	rcf, _, err := a.number("rcf", allowed)
	if err != nil {
		return 0, err
	}
	if !(rcf > 0) {
		return 0, badf("--rcf %s must be above 0 (allowed: %s)", a.vals["rcf"], allowed)
	}
	rpm := rotor.RPMForRCF(rcf, radius)
	switch {
	case rpm > r.MaxRPM:
		return 0, badf("--rcf %s at r_%s needs %s rpm, above the maximum %s rpm of %s (allowed: %s)", a.vals["rcf"], conv, strconv.FormatFloat(rpm, 'f', 0, 64), maxRPM, r.Name, allowed)
	case !(rpm >= 1):
		return 0, badf("--rcf %s at r_%s is below 1 rpm (allowed: %s)", a.vals["rcf"], conv, allowed)
	}
	return rpm, nil
}

// readDiameters parses --diameter-nm D[,D...].
func readDiameters(a args) ([]float64, error) {
	raw, ok := a.vals["diameter-nm"]
	if !ok {
		return nil, badf("missing --diameter-nm (allowed: %s)", diametersAllowed)
	}
	if strings.TrimSpace(raw) == "" {
		return nil, badf("--diameter-nm is empty (allowed: %s)", diametersAllowed)
	}
	var out []float64
	for _, part := range strings.Split(raw, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, badf("--diameter-nm %q has an empty entry (allowed: %s)", raw, diametersAllowed)
		}
		d, err := parseNumber(part)
		switch {
		case err != nil:
			return nil, badf("--diameter-nm entry %q is not a number (allowed: %s)", part, diametersAllowed)
		case !(d > 0 && d <= maxDiameterNM):
			return nil, badf("--diameter-nm %s is outside the allowed range (allowed: %s)", part, diametersAllowed)
		}
		out = append(out, d)
	}
	return out, nil
}

// spinJSON is the output of `exosep spin --json`. The first fields are the
// documented interface; the rest repeat the conditions used.
type spinJSON struct {
	RPM    float64 `json:"rpm"`
	RCFMin float64 `json:"rcf_min"`
	RCFAvg float64 `json:"rcf_avg"`
	RCFMax float64 `json:"rcf_max"`
	// KFactor is ln(r_max/r_min)/ω² in hours·svedberg at this speed.
	KFactor float64 `json:"k_factor"`
	// CutoffNM is null when the particles do not sink.
	CutoffNM  *float64       `json:"cutoff_diameter_nm"`
	Particles []particleJSON `json:"particles"`

	Rotor     string  `json:"rotor"`
	RotorType string  `json:"rotor_type"`
	Minutes   float64 `json:"minutes"`
	// TemperatureC is null when neither viscosity nor density came from it.
	TemperatureC    *float64 `json:"temperature_c"`
	ViscosityMPas   float64  `json:"viscosity_mpas"`
	MediumGPML      float64  `json:"medium_density_g_per_ml"`
	ParticleGPML    float64  `json:"particle_density_g_per_ml"`
	ViscositySource string   `json:"viscosity_source"`
	DensitySource   string   `json:"medium_density_source"`
}

type particleJSON struct {
	DiameterNM float64 `json:"diameter_nm"`
	Svedberg   float64 `json:"sedimentation_coefficient_svedberg"`
	Pelleted   float64 `json:"pelleted_fraction"`
	Floated    float64 `json:"floated_fraction"`
}

func printSpin(w io.Writer, in spinInput, p spin.Params, res spin.Result) error {
	c := res.Conditions
	rhoP := in.particleGPML * 1e3
	out := spinJSON{
		RPM:           res.RPM,
		RCFMin:        res.RCFMin,
		RCFAvg:        res.RCFAvg,
		RCFMax:        res.RCFMax,
		KFactor:       res.KFactor,
		Particles:     []particleJSON{},
		Rotor:         p.Rotor.Name,
		RotorType:     string(p.Rotor.Kind),
		Minutes:       in.minutes,
		ViscosityMPas: c.ViscosityPas * 1e3,
		MediumGPML:    c.MediumDensityKgM3 / 1e3,
		ParticleGPML:  in.particleGPML,
	}
	waterAt := fmt.Sprintf("water at %s °C", num(in.temperatureC))
	out.ViscositySource, out.DensitySource = waterAt, waterAt
	// Given values are echoed as typed, without the round trip through SI.
	if in.viscMPas > 0 {
		out.ViscosityMPas, out.ViscositySource = in.viscMPas, "--viscosity-mpas"
	}
	if in.mediumGPML > 0 {
		out.MediumGPML, out.DensitySource = in.mediumGPML, "--medium-density"
	}
	if in.viscMPas == 0 || in.mediumGPML == 0 {
		t := in.temperatureC
		out.TemperatureC = &t
	}
	if d := p.CutoffDiameterM(c, rhoP); !math.IsInf(d, 0) && !math.IsNaN(d) {
		nm := d * 1e9
		out.CutoffNM = &nm
	}
	anyFloat := false
	for _, dNM := range in.diametersNM {
		s := c.SedimentationCoefficient(dNM*1e-9, rhoP)
		pel, flo := sediment.Fractions(p.Rotor, s, c.Omega, p.DurationS)
		anyFloat = anyFloat || flo > 0
		out.Particles = append(out.Particles, particleJSON{
			DiameterNM: dNM,
			Svedberg:   s / sediment.Svedberg,
			Pelleted:   pel,
			Floated:    flo,
		})
	}
	if in.json {
		return writeJSON(w, out)
	}

	r := p.Rotor
	name, kind := r.Name, string(r.Kind)
	if r.Custom {
		name = fmt.Sprintf("custom (r_min %s mm, r_max %s mm; maximum taken as %s rpm)", num(tidy(r.RMinM*1e3)), num(tidy(r.RMaxM*1e3)), num(customMaxRPM))
	}
	if r.Kind == rotor.FixedAngle {
		kind += fmt.Sprintf(", %s° from the axis, tube Ø %s mm", num(tidy(r.AngleRad*180/math.Pi)), num(tidy(r.TubeDiameterM*1e3)))
	}
	rcfRow := func(label string, v, radiusM float64) []string {
		return []string{label, fmt.Sprintf("%s × g  (r = %s mm)", fmt4(v), num(tidy(radiusM*1e3)))}
	}
	rows := [][]string{
		{"rotor", name},
		{"type", kind},
		{"time", num(in.minutes) + " min at constant speed"},
		{"rpm", fmt4(res.RPM)},
		rcfRow("RCF at r_min", res.RCFMin, r.RMinM),
		rcfRow("RCF at r_avg", res.RCFAvg, r.RadiusM(rotor.AtAvg)),
		rcfRow("RCF at r_max", res.RCFMax, r.RMaxM),
		{"k-factor", fmt4(res.KFactor) + " h·S at this speed"},
	}
	if out.TemperatureC != nil {
		rows = append(rows, []string{"temperature", num(in.temperatureC) + " °C"})
	}
	rows = append(rows,
		[]string{"viscosity", fmt.Sprintf("%s mPa·s (%s)", sig(out.ViscosityMPas, 4), out.ViscositySource)},
		[]string{"medium density", fmt.Sprintf("%s g/mL (%s)", sig(out.MediumGPML, 5), out.DensitySource)},
		[]string{"particle density", num(in.particleGPML) + " g/mL"},
	)
	if out.CutoffNM != nil {
		rows = append(rows, []string{"cut-off diameter", fmt4(*out.CutoffNM) + " nm (smallest that pellets completely)"})
	} else {
		rows = append(rows, []string{"cut-off diameter", "none: the particles do not sink (particle density ≤ medium density)"})
	}
	if err := writeTable(w, rows, nil); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	head := []string{"d (nm)", "s (S)", "pelleted %"}
	if anyFloat {
		head = append(head, "floated %")
	}
	prows := [][]string{head}
	for _, pj := range out.Particles {
		row := []string{num(pj.DiameterNM), fmt4(pj.Svedberg), strconv.FormatFloat(100*pj.Pelleted, 'f', 2, 64)}
		if anyFloat {
			row = append(row, strconv.FormatFloat(100*pj.Floated, 'f', 2, 64))
		}
		prows = append(prows, row)
	}
	return writeTable(w, prows, []bool{true, true, true, true})
}

// fmt4 prints a result with 4 significant digits, or as a whole number from
// 1000 up.
func fmt4(v float64) string {
	if math.Abs(v) >= 1000 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return sig(v, 4)
}
