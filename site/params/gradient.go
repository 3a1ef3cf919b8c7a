package params

import (
	"fmt"
	"strings"

	"exosep/engine/catalog"
	"exosep/engine/gradient"
	"exosep/engine/rotor"
)

// PageGradient is the density-gradient page.
const PageGradient = "gradient.html"

// PageGradientEmbed is its embeddable version.
const PageGradientEmbed = "gradient-embed.html"

// gradientEntries are the gradient page's parameters, named g… so they
// never collide with the spin pages' (whose rotor list, speed and time
// limits differ). Each maps to one field of engine/gradient.Params (or
// the sample); the engine checks the values against each other (densities
// within the medium's table, speed within the rotor's limit, volumes
// within the tube) and names the field when they do not fit. A host page
// may set every one of them (gradient-embed.html's "set" message).
func gradientEntries(cat *catalog.Catalog) []Entry {
	pages := []string{PageGradient, PageGradientEmbed}
	var swinging []string
	for _, r := range cat.Rotors.Rotors {
		if r.Kind == rotor.SwingingBucket {
			swinging = append(swinging, r.Name)
		}
	}
	def := "SW 41 Ti"
	if len(swinging) > 0 && !strings.Contains(strings.Join(swinging, "|"), def) {
		def = swinging[0]
	}
	num := func(name, unit string, lo, hi float64, exclusive bool, d any, desc, allowed string) Entry {
		return Entry{Name: name, Type: Number, Unit: unit, Min: ptr(lo), Max: ptr(hi), MinExclusive: exclusive, Default: d,
			Visibility: Public, Pages: pages, Settable: true, Description: desc, Allowed: allowed}
	}
	enum := func(name string, values []string, d any, desc string) Entry {
		return Entry{Name: name, Type: Enum, Values: values, Default: d, Visibility: Public, Pages: pages, Settable: true,
			Description: desc, Allowed: strings.Join(values, ", ")}
	}
	return []Entry{
		enum("gMode", []string{gradient.RateZonal, gradient.Isopycnic}, gradient.Isopycnic, "Density gradient: rate-zonal (separation by sedimentation rate) or isopycnic (to the buoyant density)."),
		enum("gMedium", []string{"sucrose", "iodixanol", "cscl"}, "iodixanol", "Density gradient: the gradient medium."),
		enum("gShape", []string{"linear", "step", "cushion", "uniform"}, "linear", "Density gradient: linear (from → to), step layers (gLayers), a linear gradient over a dense cushion, or uniform (self-forming: one solution, gFrom only)."),
		enum("gLoad", []string{gradient.LoadTop, gradient.LoadBottom}, gradient.LoadTop, "Density gradient: sample layered on top, or mixed into the densest layer (float-up)."),
		num("gFrom", "g/mL", 0.9, 2.2, false, 1.05, "Density gradient: density at the top of a linear gradient (or of a uniform one).", "0.9–2.2 g/mL; the engine checks it against the medium's table"),
		num("gTo", "g/mL", 0.9, 2.2, false, 1.25, "Density gradient: density at the bottom of a linear gradient.", "0.9–2.2 g/mL; the engine checks it against the medium's table"),
		{Name: "gLayers", Type: String, MaxLength: 200, Default: "1.08:3.5,1.16:3.5,1.27:3.5", Visibility: Public, Pages: pages, Settable: true,
			Description: "Density gradient: the layers of a step gradient, top first, as density:volume pairs (g/mL:mL), comma-separated.",
			Allowed:     fmt.Sprintf("1–%d pairs such as 1.08:3.5, or 10%%:3.5 for a percentage (the engine checks densities and volumes)", gradient.MaxLayers)},
		num("gCushion", "g/mL", 0.9, 2.2, false, 1.3, "Density gradient: density of the cushion (shape cushion).", "0.9–2.2 g/mL; the engine checks it against the medium's table"),
		num("gCushionMl", "mL", 0, 100, true, 1.0, "Density gradient: volume of the cushion (shape cushion).", "above 0 up to the tube's volume"),
		num("gSampleMl", "mL", 0, 100, true, nil, "Density gradient: sample volume per tube; not set: 5 % of the tube.", "above 0 up to half the tube"),
		enum("gRotor", cat.Rotors.Names(), def, "Density gradient: the rotor. Only swinging-bucket rotors are modelled; a fixed-angle rotor is refused with the engine's reason."),
		enum("gSpeedMode", []string{"rcf", "rpm"}, "rcf", "Density gradient: set the speed as RCF (× g at r_avg) or rpm."),
		num("gSpeed", "× g or rpm", 0, 1e6, true, 100000.0, "Density gradient: RCF at r_avg (× g) or rpm, as gSpeedMode says.", "above 0 up to the rotor's maximum"),
		num("gHours", "h", 0, gradient.MaxMinutes/60, true, 16.0, "Density gradient: time at speed.", fmt.Sprintf("above 0 up to %d h (7 days)", gradient.MaxMinutes/60)),
		{Name: "gFractions", Type: Int, Min: ptr(1), Max: ptr(gradient.MaxFractions), Default: 12.0, Visibility: Public, Pages: pages, Settable: true,
			Description: "Density gradient: equal-volume fractions drawn from the top.", Allowed: fmt.Sprintf("1–%d", gradient.MaxFractions)},
		enum("gInput", []string{"msc-cm", "plasma"}, "plasma", "Density gradient: the sample: MSC-conditioned medium or plasma (lipoprotein-rich)."),
	}
}
