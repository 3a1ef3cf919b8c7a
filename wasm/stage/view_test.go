package stage

import (
	"fmt"
	"math"
	"testing"

	"exosep/engine/ensemble"
	"exosep/wasm/bridge"
)

// inside reports whether p lies in the convex quadrilateral q (clockwise on
// screen, y down) allowing eps pixels of rounding.
func inside(q [4]Point, x, y, eps float64) bool {
	for i := range q {
		a, b := q[i], q[(i+1)%4]
		ex, ey := float64(b.X-a.X), float64(b.Y-a.Y)
		cross := ex*(y-float64(a.Y)) - ey*(x-float64(a.X))
		if cross < -eps*math.Hypot(ex, ey) {
			return false
		}
	}
	return true
}

func TestInsideHelper(t *testing.T) {
	q := [4]Point{{0, 0}, {10, 0}, {10, 20}, {0, 20}}
	for _, c := range []struct {
		x, y float64
		in   bool
	}{{5, 5, true}, {0, 0, true}, {-1, 5, false}, {5, 21, false}, {11, 1, false}} {
		if inside(q, c.x, c.y, 1e-3) != c.in {
			t.Errorf("inside(%g, %g) != %v", c.x, c.y, c.in)
		}
	}
}

func TestParticlesDrawnInsideTube(t *testing.T) {
	sizes := []struct {
		w, h int
		ui   float64
	}{{800, 600, 1}, {300, 150, 1}, {1600, 1200, 2}, {390, 700, 3}, {1920, 400, 1.25}}
	rotors := []func(*bridge.Params){
		nil,
		func(p *bridge.Params) { p.Rotor = "Type 70 Ti" },
		func(p *bridge.Params) { p.Rotor, p.RCF = "TLA-120.2", 200000 },
		func(p *bridge.Params) { p.Rotor, p.RCF = "MLS-50", 100000 },
	}
	for ri, mod := range rotors {
		for _, n := range []int{100, 5000, 50000} {
			s := newStage(t, params(func(p *bridge.Params) {
				if mod != nil {
					mod(p)
				}
				p.Particles, p.TimeScale = n, 1800
			}))
			for _, at := range []int{0, 20, -1} { // ticks: start, mid-run, end
				if at < 0 {
					runToEnd(t, s)
				}
				for range at {
					s.Update(TickS)
				}
				for _, sz := range sizes {
					name := fmt.Sprintf("rotor%d/%d/ticks%d/%dx%d@%g", ri, n, at, sz.w, sz.h, sz.ui)
					v := NewView()
					v.Layout(s, sz.w, sz.h, sz.ui)
					vs := v.Fill(s)
					if len(vs) != 4*s.Len() {
						t.Fatalf("%s: %d vertices for %d particles", name, len(vs), s.Len())
					}
					bad := 0
					for i, vx := range vs {
						if !inside(v.Tube, float64(vx.DstX), float64(vx.DstY), 1e-3) {
							if bad == 0 {
								t.Errorf("%s: particle %d (state %d) corner (%g, %g) outside the tube %v",
									name, i/4, s.Marks()[i/4], vx.DstX, vx.DstY, v.Tube)
							}
							bad++
						}
					}
					if bad > 0 {
						t.Errorf("%s: %d corners outside", name, bad)
					}
					// The tube fits the canvas.
					for _, c := range v.Tube {
						if c.X < 0 || c.Y < 0 || c.X > float32(sz.w) || c.Y > float32(sz.h) {
							t.Errorf("%s: tube corner %v off the %dx%d canvas", name, c, sz.w, sz.h)
						}
					}
				}
			}
		}
	}
}

// Settled particles are drawn packed: the pellet at the bottom of an
// upright tube (swinging bucket), against the outer wall (fixed angle).
func TestPelletPlacement(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mod   func(*bridge.Params)
		fixed bool
	}{{"SW 41 Ti", nil, false}, {"Type 70 Ti", func(p *bridge.Params) { p.Rotor = "Type 70 Ti" }, true}} {
		s := newStage(t, params(func(p *bridge.Params) {
			if tc.mod != nil {
				tc.mod(p)
			}
			p.ReducedMotion = true
		}))
		v := NewView()
		v.Layout(s, 800, 600, 1)
		vs := v.Fill(s)
		// Tube-local coordinates of a vertex: project on the axis and across.
		o, top1, bot := v.Tube[0], v.Tube[1], v.Tube[3]
		ax, ay := float64(bot.X-o.X), float64(bot.Y-o.Y)   // along the axis
		cx, cy := float64(top1.X-o.X), float64(top1.Y-o.Y) // across, inner → outer
		lenA, lenC := math.Hypot(ax, ay), math.Hypot(cx, cy)
		local := func(i int) (a, c float64) { // particle centre, 0..1 each
			x := float64(vs[4*i].DstX+vs[4*i+3].DstX)/2 - float64(o.X)
			y := float64(vs[4*i].DstY+vs[4*i+3].DstY)/2 - float64(o.Y)
			return (x*ax + y*ay) / (lenA * lenA), (x*cx + y*cy) / (lenC * lenC)
		}
		for _, i := range s.PelletOrder() {
			a, c := local(int(i))
			// Swinging bucket: the pellet is at most 25% of the length;
			// fixed angle: the pelleted share covers that share of the
			// outer wall from the bottom.
			lim := 0.74
			if tc.fixed {
				lim = 1 - float64(len(s.PelletOrder()))/float64(s.Len()) - 0.05
			}
			if a < lim {
				t.Errorf("%s: pelleted particle %d drawn at %.2f of the tube length, want ≥ %.2f (near the bottom)", tc.name, i, a, lim)
				break
			}
			if tc.fixed && c < 0.5 {
				t.Errorf("%s: pelleted particle %d drawn at %.2f across, want against the outer wall", tc.name, i, c)
				break
			}
		}
		for _, i := range s.FloatOrder() {
			a, c := local(int(i))
			if a > 0.26 || (tc.fixed && c > 0.5) {
				t.Errorf("%s: floated particle %d drawn at (%.2f, %.2f), want at the meniscus / inner wall", tc.name, i, a, c)
				break
			}
		}
		if len(s.PelletOrder()) == 0 || len(s.FloatOrder()) == 0 {
			t.Errorf("%s: nothing settled, the test checks nothing", tc.name)
		}
		// Marks drive drawing: no settled particle is drawn as free.
		for i, m := range s.Marks() {
			if m != s.Ensemble().State[i] {
				t.Fatalf("%s: particle %d drawn as %d, ensemble says %d", tc.name, i, m, s.Ensemble().State[i])
			}
		}
		_ = ensemble.Free
	}
}

func TestLayoutToScale(t *testing.T) {
	for _, rot := range []string{"SW 41 Ti", "Type 70 Ti"} {
		s := newStage(t, params(func(p *bridge.Params) { p.Rotor = rot }))
		v := NewView()
		v.Layout(s, 800, 600, 1)
		e := s.Ensemble()
		k := v.PxPerM
		length := math.Hypot(float64(v.Tube[3].X-v.Tube[0].X), float64(v.Tube[3].Y-v.Tube[0].Y))
		width := math.Hypot(float64(v.Tube[1].X-v.Tube[0].X), float64(v.Tube[1].Y-v.Tube[0].Y))
		if math.Abs(length-e.TubeLengthM*k) > 0.01 || math.Abs(width-2*e.TubeRadiusM*k) > 0.01 {
			t.Errorf("%s: drawn %g × %g px, want %g × %g px at one scale", rot, length, width, e.TubeLengthM*k, 2*e.TubeRadiusM*k)
		}
		if rot == "SW 41 Ti" {
			if v.Tube[0].X != v.Tube[3].X || v.Tube[3].Y <= v.Tube[0].Y || float64(v.Tube[3].Y) < 600-40 {
				t.Errorf("swinging bucket tube not upright with its bottom at the canvas bottom: %v", v.Tube)
			}
		} else {
			// The radial extent r_max − r_min, drawn horizontally.
			ro := s.Spin().Rotor
			minX := math.Min(float64(v.Tube[0].X), float64(v.Tube[3].X))
			maxX := math.Max(float64(v.Tube[1].X), float64(v.Tube[2].X))
			if math.Abs((maxX-minX)-(ro.RMaxM-ro.RMinM)*k) > 0.01 {
				t.Errorf("fixed angle: radial extent %g px, want %g px", maxX-minX, (ro.RMaxM-ro.RMinM)*k)
			}
			angle := math.Atan2(float64(v.Tube[3].X-v.Tube[0].X), float64(v.Tube[3].Y-v.Tube[0].Y))
			if math.Abs(angle-ro.AngleRad) > 1e-4 {
				t.Errorf("fixed angle: tube axis at %g rad from vertical, want %g", angle, ro.AngleRad)
			}
		}
		if len(v.Decor) < 4*10 || len(v.Labels) < 4 {
			t.Errorf("%s: only %d decor vertices, %d labels (no scale bar?)", rot, len(v.Decor), len(v.Labels))
		}
		for _, l := range v.Labels {
			for _, r := range l.Text {
				if r > 0xff {
					t.Errorf("%s: label %q is not Latin-1 (the debug font's range)", rot, l.Text)
					break
				}
			}
		}
	}
}

func TestNoAllocationPerFrame(t *testing.T) {
	for _, rot := range []string{"SW 41 Ti", "Type 70 Ti"} {
		s := newStage(t, params(func(p *bridge.Params) { p.Rotor = rot; p.Particles = 20000; p.TimeScale = 3600 }))
		v := NewView()
		v.Layout(s, 800, 600, 1)
		frame := func() {
			s.Update(TickS)
			s.StateDue()
			v.Layout(s, 800, 600, 1)
			v.Fill(s)
			v.ProgressBar(s)
		}
		if a := testing.AllocsPerRun(50, frame); a != 0 {
			t.Errorf("%s: %g allocations per Update+Fill mid-run, want 0", rot, a)
		}
		if a := testing.AllocsPerRun(100, frame); a != 0 || !s.Done() {
			t.Errorf("%s: %g allocations per Update+Fill through the end (done %v), want 0", rot, a, s.Done())
		}
	}
}

func TestThousands(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1234567.4: "1,234,567", -4200: "-4,200"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%g) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkStageUpdate20k is one frame's work on 20,000 particles: Update
// by one tick and Fill. "early" repeats the first 5% of a 70-min run at
// 60× (nearly every particle free and moving: the worst case); "whole"
// averages over whole runs at 600× (particles settle as the run goes on).
func BenchmarkStageUpdate20k(b *testing.B) {
	for _, rot := range []string{"SW 41 Ti", "Type 70 Ti"} {
		for _, phase := range []struct {
			name  string
			scale float64
			ticks int // restart after this many ticks (0: at the end)
		}{{"early", 60, 210}, {"whole", 600, 0}} {
			b.Run(rot+"/"+phase.name, func(b *testing.B) {
				s := newStage(b, params(func(p *bridge.Params) { p.Rotor = rot; p.Particles = 20000; p.TimeScale = phase.scale }))
				v := NewView()
				v.Layout(s, 800, 600, 1)
				b.ReportAllocs()
				n := 0
				for b.Loop() {
					if s.Done() || (phase.ticks > 0 && n == phase.ticks) {
						s.Reset()
						s.Play()
						n = 0
					}
					s.Update(TickS)
					v.Fill(s)
					n++
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(s.Len()), "ns/particle")
			})
		}
	}
}
