package stage

import (
	"math"
	"reflect"
	"testing"

	"exosep/wasm/bridge"
)

// The classroom profiles make the picture bolder, never weaker: walls on
// the background at WCAG's 4.5:1 or more, every species against the liquid
// at 3:1 or more (WCAG 1.4.11, graphics) and at least as strong as in the
// default profile.
func TestPalettesContrast(t *testing.T) {
	c := cat(t)
	def := PaletteFor(bridge.ProfileDefault)
	for _, prof := range []string{bridge.ProfileProjector, bridge.ProfileHighContrast} {
		p := PaletteFor(prof)
		if p.Profile != prof {
			t.Fatalf("PaletteFor(%s) is %s", prof, p.Profile)
		}
		if r := Contrast(p.Wall, p.Background); r < 4.5 {
			t.Errorf("%s: wall on background %.2f:1", prof, r)
		}
		// The membrane stage: pores are gaps of the permeate's colour in
		// the membrane (4.5:1, as the walls); the deposit's thickness is
		// read against the feed liquid above it (3:1, a graphic).
		if r, base := Contrast(p.Membrane, p.Permeate), Contrast(def.Membrane, def.Permeate); r < 4.5 || r < base {
			t.Errorf("%s: membrane against its pores %.2f:1 (default profile %.2f:1)", prof, r, base)
		}
		if r, base := Contrast(p.Cake, p.Medium), Contrast(def.Cake, def.Medium); r < 3 || r < base {
			t.Errorf("%s: deposit on the feed liquid %.2f:1 (default profile %.2f:1)", prof, r, base)
		}
		for _, sp := range c.Species {
			col, ok := ParseColor(sp.Color)
			if !ok {
				t.Fatalf("%s: colour %q", sp.ID, sp.Color)
			}
			got, base := Contrast(p.Tint(col), p.Medium), Contrast(def.Tint(col), def.Medium)
			if got < 3 || got < base {
				t.Errorf("%s: %s on the liquid %.2f:1 (default profile %.2f:1)", prof, sp.ID, got, base)
			}
		}
	}
	if PaletteFor("").Profile != bridge.ProfileDefault || PaletteFor("neon").Profile != bridge.ProfileDefault {
		t.Error("unknown profiles should draw with the default palette")
	}
	// WCAG's own reference points: black on white is 21:1, a colour on itself 1:1.
	if r := Contrast(RGBA{0, 0, 0, 1}, RGBA{1, 1, 1, 1}); math.Abs(r-21) > 1e-9 {
		t.Errorf("black on white %.6f:1, want 21:1", r)
	}
}

// The projector profile reaches the vertices: the background, the
// species' brightened colours and larger particles; nothing else changes.
func TestProjectorProfileDrawn(t *testing.T) {
	base := newStage(t, params(func(p *bridge.Params) { p.Particles = 2000 }))
	proj := newStage(t, params(func(p *bridge.Params) { p.Particles = 2000; p.ColorProfile = bridge.ProfileProjector }))
	vb, vp := NewView(), NewView()
	vb.Layout(base, 800, 600, 1)
	vp.Layout(proj, 800, 600, 1)
	if r := vp.ParticlePx / vb.ParticlePx; math.Abs(float64(r)-1.6) > 1e-5 {
		t.Errorf("projector particles %.2f× the default size, want 1.6×", r)
	}
	bg := vp.Decor[0]
	if bg.ColorR != 0 || bg.ColorG != 0 || bg.ColorB != 0 || bg.DstX != 0 || vp.Decor[3].DstX != 800 || vp.Decor[3].DstY != 600 {
		t.Errorf("no full-canvas black background quad first: %+v … %+v", bg, vp.Decor[3])
	}
	fb, fp := vb.Fill(base), vp.Fill(proj)
	pal := PaletteFor(bridge.ProfileProjector)
	for i, sp := range proj.Ensemble().Species {
		want := pal.Tint(vb.colors[sp])
		got := RGBA{fp[4*i].ColorR, fp[4*i].ColorG, fp[4*i].ColorB, fp[4*i].ColorA}
		if got != want {
			t.Fatalf("particle %d drawn in %v, want %v", i, got, want)
		}
		if w := fp[4*i+3].DstX - fp[4*i].DstX; math.Abs(float64(w-vp.ParticlePx)) > 1e-3 {
			t.Fatalf("particle %d is %g px wide, want %g", i, w, vp.ParticlePx)
		}
		_ = fb
	}
	if !reflect.DeepEqual(base.Result(), proj.Result()) || !reflect.DeepEqual(base.State().Species, proj.State().Species) {
		t.Error("the colour profile changed the simulation")
	}
	if proj.State().ColorProfile != bridge.ProfileProjector {
		t.Errorf("state reports profile %q", proj.State().ColorProfile)
	}
}

// Species not listed are simulated and counted but not drawn: their quads
// are empty and they take no place in the pellet; the State names the
// species drawn. Changing the list keeps the particles and re-lays out.
func TestSpeciesShown(t *testing.T) {
	all := newStage(t, params(func(p *bridge.Params) { p.Particles = 3000; p.ReducedMotion = true }))
	s := newStage(t, params(func(p *bridge.Params) { p.Particles = 3000; p.ReducedMotion = true }))
	gen := s.Generation()
	v := NewView()
	v.Layout(s, 600, 800, 1)
	p := s.Params()
	p.Species = []string{"exosome", "hdl"}
	if _, err := s.SetParams(p); err != nil {
		t.Fatal(err)
	}
	if s.Generation() != gen {
		t.Error("changing the species shown rebuilt the particles")
	}
	if !v.Layout(s, 600, 800, 1) {
		t.Fatal("a new species list did not re-lay out the view")
	}
	verts := v.Fill(s)
	ens := s.Ensemble()
	drawn := map[string]int{}
	for i, sp := range ens.Species {
		id := ens.SpeciesIDs[sp]
		if verts[4*i].DstX != verts[4*i+3].DstX {
			drawn[id]++
		}
	}
	if len(drawn) != 2 || drawn["exosome"] == 0 || drawn["hdl"] == 0 {
		t.Errorf("drawn species %v, want exosome and hdl only", drawn)
	}
	// The pellet of the shown species starts at the bottom: the first
	// shown pelleted particle sits where the first of all would.
	va := NewView()
	va.Layout(all, 600, 800, 1)
	vAll := va.Fill(all)
	var first int32 = -1
	for _, i := range s.PelletOrder() {
		if ens.SpeciesIDs[ens.Species[i]] == "exosome" || ens.SpeciesIDs[ens.Species[i]] == "hdl" {
			first = i
			break
		}
	}
	j := all.PelletOrder()[0]
	if first < 0 || verts[4*first].DstY != vAll[4*j].DstY {
		t.Errorf("the first shown pelleted particle is at y %g, the pellet's bottom row at %g", verts[4*first].DstY, vAll[4*j].DstY)
	}
	st := s.State()
	if !reflect.DeepEqual(st.Shown, []string{"exosome", "hdl"}) || len(st.Species) != len(cat(t).Species) {
		t.Errorf("state shown %v with %d species", st.Shown, len(st.Species))
	}
	if !reflect.DeepEqual(st.Species, all.State().Species) {
		t.Error("hiding species changed the counts")
	}
	var free int
	for _, c := range st.Species {
		free += c.Free
	}
	if st.Species[0].Pelleted == 0 && free == s.Len() {
		t.Error("nothing settled: the test is vacuous")
	}
}

// At a phone's width the header wraps: no label runs past the canvas.
func TestHeaderFitsNarrowCanvas(t *testing.T) {
	for _, w := range []int{320, 360, 390, 800} {
		for _, rot := range []string{"SW 41 Ti", "Type 70 Ti", "TLA-120.2"} {
			s := newStage(t, params(func(p *bridge.Params) { p.Rotor, p.RCF = rot, 50000 }))
			v := NewView()
			v.Layout(s, w*2, 600*2, 2)
			var header int
			for _, l := range v.Labels {
				if l.Y > float32(120*2) {
					continue
				}
				header++
				if end := float64(l.X) + float64(len([]rune(l.Text))*GlyphWidthCSS)*2; l.Align == AlignLeft && end > float64(w*2) {
					t.Errorf("%s at %d px: %q ends at %.0f px", rot, w, l.Text, end/2)
				}
			}
			if header < 2 {
				t.Errorf("%s at %d px: %d header lines", rot, w, header)
			}
		}
	}
	if got := wrapLine("a bb ccc dddd", 10); !reflect.DeepEqual(got, []string{"a bb ccc", "dddd"}) {
		t.Errorf("wrapLine: %q", got)
	}
	if got := wrapLine("", 10); got != nil {
		t.Errorf("wrapLine of nothing: %q", got)
	}
}
