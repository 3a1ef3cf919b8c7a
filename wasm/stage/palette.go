package stage

import (
	"math"

	"exosep/wasm/bridge"
)

// Palette is how one colour profile (bridge.Params.ColorProfile) draws the
// stage: the colours of the scene and the particles' size. It changes only
// the picture, never the simulation.
//
// The profiles follow common advice for projected and low-vision viewing
// (WCAG 2.2, success criteria 1.4.3 and 1.4.11: text and the parts of a
// graphic needed to understand it at a contrast ratio of at least 4.5:1 and
// 3:1): projector keeps a black background (a projector cannot show black,
// so the darkest colour is the room's light; dark greys wash out first),
// lighter walls and scale, particles brightened to full intensity and drawn
// 1.6 times larger; high-contrast uses black, white and yellow only for the
// scene, and full-intensity particles 1.4 times larger. Text is drawn by the
// renderer in white on every profile.
type Palette struct {
	Profile                                        string
	Background, Medium, Meniscus, Wall, Scale, Dim RGBA
	Track, Bar                                     RGBA
	// Membrane, Permeate and Cake are the membrane stage's: the membrane
	// between pores, the filtrate below it (pores are gaps of its colour)
	// and the deposit on it.
	Membrane, Permeate, Cake RGBA
	ParticleScale            float64 // multiplies the sprite edge and its limits
	Vivid                    bool    // brighten species colours (see Tint)
}

// Palettes of the three profiles.
var (
	defaultPalette = Palette{Profile: bridge.ProfileDefault, Background: Background, Medium: MediumColor, Meniscus: Meniscus,
		Wall: WallColor, Scale: ScaleColor, Dim: DimColor, Track: TrackColor, Bar: BarColor,
		Membrane: MembraneColor, Permeate: PermeateColor, Cake: CakeColor, ParticleScale: 1}
	projectorPalette = Palette{Profile: bridge.ProfileProjector,
		Background: RGBA{0, 0, 0, 1}, Medium: RGBA{0.086, 0.227, 0.361, 1}, Meniscus: RGBA{0.624, 0.816, 1, 1},
		Wall: RGBA{1, 1, 1, 1}, Scale: RGBA{0.847, 0.894, 0.933, 1}, Dim: RGBA{0.541, 0.627, 0.706, 1},
		Track: RGBA{0.2, 0.25, 0.3, 1}, Bar: RGBA{1, 0.824, 0.247, 1},
		Membrane: RGBA{1, 1, 1, 1}, Permeate: RGBA{0.035, 0.110, 0.188, 1}, Cake: RGBA{0.878, 0.667, 0.384, 0.85}, ParticleScale: 1.6, Vivid: true}
	highContrastPalette = Palette{Profile: bridge.ProfileHighContrast,
		Background: RGBA{0, 0, 0, 1}, Medium: RGBA{0, 0, 0, 1}, Meniscus: RGBA{1, 1, 0, 1},
		Wall: RGBA{1, 1, 0, 1}, Scale: RGBA{1, 1, 1, 1}, Dim: RGBA{0.75, 0.75, 0.75, 1},
		Track: RGBA{0.3, 0.3, 0.3, 1}, Bar: RGBA{1, 1, 0, 1},
		Membrane: RGBA{1, 1, 0, 1}, Permeate: RGBA{0, 0, 0, 1}, Cake: RGBA{0.75, 0.75, 0.75, 0.85}, ParticleScale: 1.4, Vivid: true}
)

// PaletteFor returns the palette of a colour profile; "" and unknown
// profiles (Resolve rejects those) give the default.
func PaletteFor(profile string) Palette {
	switch profile {
	case bridge.ProfileProjector:
		return projectorPalette
	case bridge.ProfileHighContrast:
		return highContrastPalette
	}
	return defaultPalette
}

// Tint is the colour a species is drawn in: its own colour, or with Vivid
// the same hue scaled so its largest channel is 1 (a dark blue becomes a
// full blue; black stays black).
func (p Palette) Tint(c RGBA) RGBA {
	if !p.Vivid {
		return c
	}
	m := max(c[0], c[1], c[2])
	if m <= 0 {
		return c
	}
	return RGBA{c[0] / m, c[1] / m, c[2] / m, c[3]}
}

// Luminance is the relative luminance of c (WCAG 2.2 definition, sRGB).
func Luminance(c RGBA) float64 {
	lin := func(v float32) float64 {
		x := float64(v)
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}

// Contrast is the WCAG contrast ratio of two colours, 1 to 21.
func Contrast(a, b RGBA) float64 {
	la, lb := Luminance(a), Luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
