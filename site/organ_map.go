package site

import (
	"fmt"
	"strconv"
	"strings"

	"exosep/site/evidence"
)

// The organ map of preclinical.html stands in for the review's Fig. 2: a
// front view of a body, drawn with simple paths in a 390 × 460 viewBox,
// with the number of Table 2 studies per organ. Organs with studies are
// buttons that filter the table; organs without a place on the body
// (vasculature, the immune system, brain and cord together...) are listed
// beside the map as buttons too.

// organMapViewBox is the SVG's coordinate system.
const organMapViewBox = "0 0 390 460"

// organPlace is where an organ sits on the drawing and where its label goes.
type organPlace struct {
	Organ  string
	Paths  []string // SVG path data
	LabelX float64
	LabelY float64
	Anchor string     // "start" (right of the body) or "end" (left)
	Line   [4]float64 // leader line from the label to the organ
}

// ellipse is an SVG path for an ellipse.
func ellipse(cx, cy, rx, ry float64) string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	return "M" + f(cx-rx) + "," + f(cy) +
		" A" + f(rx) + "," + f(ry) + " 0 1 0 " + f(cx+rx) + "," + f(cy) +
		" A" + f(rx) + "," + f(ry) + " 0 1 0 " + f(cx-rx) + "," + f(cy) + " Z"
}

// bodyOutline is the silhouette (the skin), left half mirrored on the right.
const bodyOutline = "M170,74 L170,92 C152,95 132,97 121,106 C111,115 107,135 105,165 L99,245 " +
	"C97,262 99,278 107,283 C115,286 118,275 118,262 L121,195 L127,140 L130,200 L132,255 " +
	"L136,300 L140,425 C140,438 150,443 160,441 L172,440 L175,310 Q180,292 185,310 L188,440 " +
	"L200,441 C210,443 220,438 220,425 L224,300 L228,255 L230,200 L233,140 L239,195 L242,262 " +
	"C242,275 245,286 253,283 C261,278 263,262 261,245 L255,165 C253,135 249,115 239,106 " +
	"C228,97 208,95 190,92 L190,74 Z"

// organPlaces are drawn in this order (later ones on top), which is also
// the keyboard order, top to bottom. Labels on the left end at x = 92,
// those on the right start at x = 268.
var organPlaces = []organPlace{
	{Organ: "skin", Paths: []string{bodyOutline, ellipse(180, 46, 28, 28)},
		LabelX: 268, LabelY: 96, Anchor: "start", Line: [4]float64{264, 92, 240, 106}},
	{Organ: "brain", Paths: []string{ellipse(180, 38, 20, 13)},
		LabelX: 92, LabelY: 42, Anchor: "end", Line: [4]float64{96, 38, 160, 38}},
	{Organ: "eye", Paths: []string{ellipse(170, 57, 4, 3), ellipse(190, 57, 4, 3)},
		LabelX: 268, LabelY: 50, Anchor: "start", Line: [4]float64{264, 46, 194, 56}},
	{Organ: "spinal cord", Paths: []string{"M177,80 L177,262 Q180,268 183,262 L183,80 Q180,74 177,80 Z"},
		LabelX: 268, LabelY: 276, Anchor: "start", Line: [4]float64{264, 272, 184, 262}},
	{Organ: "lung", Paths: []string{
		"M172,110 C160,104 146,108 140,122 C134,140 134,164 138,180 C148,183 162,179 172,172 Z",
		"M188,110 C200,104 214,108 220,122 C226,140 226,164 222,180 C212,183 198,179 188,172 Z"},
		LabelX: 92, LabelY: 134, Anchor: "end", Line: [4]float64{96, 130, 140, 132}},
	{Organ: "heart", Paths: []string{"M190,138 C186,130 173,132 175,145 C177,155 186,161 191,168 C197,160 207,153 207,144 C208,132 195,130 190,138 Z"},
		LabelX: 268, LabelY: 150, Anchor: "start", Line: [4]float64{264, 146, 206, 146}},
	{Organ: "liver", Paths: []string{"M138,186 C152,180 178,182 196,188 C191,198 177,206 160,210 C148,210 140,202 138,186 Z"},
		LabelX: 92, LabelY: 198, Anchor: "end", Line: [4]float64{96, 194, 142, 194}},
	{Organ: "pancreas", Paths: []string{"M172,210 C182,205 198,205 208,209 C200,215 184,216 172,213 Z"},
		LabelX: 268, LabelY: 208, Anchor: "start", Line: [4]float64{264, 204, 206, 209}},
	{Organ: "kidney", Paths: []string{ellipse(158, 232, 9, 14), ellipse(202, 232, 9, 14)},
		LabelX: 92, LabelY: 236, Anchor: "end", Line: [4]float64{96, 232, 149, 232}},
	{Organ: "bone", Paths: []string{"M200,292 L206,292 L205,350 L199,350 Z"},
		LabelX: 268, LabelY: 300, Anchor: "start", Line: [4]float64{264, 296, 206, 300}},
	{Organ: "skeletal muscle", Paths: []string{ellipse(210, 326, 9, 24)},
		LabelX: 268, LabelY: 334, Anchor: "start", Line: [4]float64{264, 330, 219, 330}},
	{Organ: "cartilage", Paths: []string{ellipse(202, 360, 7, 5)},
		LabelX: 268, LabelY: 366, Anchor: "start", Line: [4]float64{264, 362, 209, 360}},
	{Organ: "limb", Paths: []string{ellipse(156, 386, 10, 28)},
		LabelX: 92, LabelY: 390, Anchor: "end", Line: [4]float64{96, 386, 146, 386}},
}

// organSpot is one organ on the map, with its count.
type organSpot struct {
	organPlace
	N int
}

// organMap is the map's content: organs drawn on the body (with or without
// studies) and organs with studies but no place on the body.
type organMap struct {
	Drawn     []organSpot
	Elsewhere []evidence.Count
	Total     int
}

func newOrganMap(counts []evidence.Count) organMap {
	n := map[string]int{}
	var m organMap
	for _, c := range counts {
		n[c.Key] = c.N
		m.Total += c.N
	}
	placed := map[string]bool{}
	for _, p := range organPlaces {
		placed[p.Organ] = true
		m.Drawn = append(m.Drawn, organSpot{p, n[p.Organ]})
	}
	for _, c := range counts { // most studies first, as CountsByOrgan sorts
		if !placed[c.Key] && c.N > 0 {
			m.Elsewhere = append(m.Elsewhere, evidence.Count{Key: c.Key, Label: organLabel(c.Key), N: c.N})
		}
	}
	return m
}

// studies is "1 study" or "11 studies".
func studies(n int) string { return strconv.Itoa(n) + " " + plural(n, "study", "studies") }

// organAria is the accessible name of an organ button: "Heart: 10 studies".
func organAria(organ string, n int) string { return organLabel(organ) + ": " + studies(n) }

// num formats an SVG coordinate.
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// organClass is the CSS class of an organ's shapes: "organ-spinal-cord".
func organClass(organ string) string {
	return "organ-" + strings.ReplaceAll(organ, " ", "-")
}

// checkOrganPlaces guards the drawing table: every organ it places must be
// one the data may use, and only once.
func checkOrganPlaces() error {
	seen := map[string]bool{}
	for _, p := range organPlaces {
		if seen[p.Organ] {
			return fmt.Errorf("organ map: %q is placed twice", p.Organ)
		}
		seen[p.Organ] = true
		ok := false
		for _, o := range evidence.Organs {
			ok = ok || o == p.Organ
		}
		if !ok {
			return fmt.Errorf("organ map: %q is not an organ of Table 2", p.Organ)
		}
	}
	return nil
}
