package rotor_test

import (
	"math"
	"strings"
	"testing"

	"exosep/engine/catalog"
	"exosep/engine/rotor"
)

func cat(t testing.TB) *rotor.Catalogue {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c.Rotors
}

// RCF = 1.118e-5 · r(cm) · rpm² is the textbook rounding of ω²r/g
// (physics-data.md §1); the exact constant is 1.11824e-5.
func TestRCFAgainstTextbookFormula(t *testing.T) {
	for _, tt := range []struct{ rpm, rCm float64 }{{1000, 10}, {24000, 15.31}, {41000, 15.31}, {120000, 3.89}} {
		got := rotor.RCF(tt.rpm, tt.rCm/100)
		want := 1.118e-5 * tt.rCm * tt.rpm * tt.rpm
		if math.Abs(got/want-1) > 3e-4 {
			t.Errorf("RCF(%g rpm, %g cm) = %g, want %g within 0.03 %%", tt.rpm, tt.rCm, got, want)
		}
		if back := rotor.RPMForRCF(got, tt.rCm/100); math.Abs(back/tt.rpm-1) > 1e-12 {
			t.Errorf("RPMForRCF round trip: %g, want %g", back, tt.rpm)
		}
	}
}

// The catalogue's geometry reproduces Beckman's published k-factors to the
// rounding they are printed with (whole numbers; tolerance 0.5 + 1e-3·k for
// the radii's own 0.1 mm rounding), and the physics-data.md computed values
// (245.5, 204.2, 137.3, 123.6, 48.5, 132.8, 43.7, 36.5, 14.3, 8.1, 29.3) to 0.05.
func TestKFactorsAgainstPublished(t *testing.T) {
	computed := map[string]float64{"SW 28": 245.5, "SW 32 Ti": 204.2, "SW 40 Ti": 137.3, "SW 41 Ti": 123.6, "SW 55 Ti": 48.5,
		"Type 45 Ti": 132.8, "Type 70 Ti": 43.7, "Type 70.1 Ti": 36.5, "TLA-100.3": 14.3, "TLA-120.2": 8.1, "MLA-80": 29.3}
	n := 0
	for _, r := range cat(t).Rotors {
		if r.KFactorPublished == 0 {
			continue
		}
		n++
		k := r.KFactor(r.MaxRPM)
		if math.Abs(k-r.KFactorPublished) > 0.5+1e-3*k {
			t.Errorf("%s: k = %.2f, published %g", r.Name, k, r.KFactorPublished)
		}
		if want, ok := computed[r.Name]; !ok || math.Abs(k-want) > 0.05 {
			t.Errorf("%s: k = %.3f, physics-data.md gives %g", r.Name, k, want)
		}
		// The closed form with the rounded constant 2.533e11.
		if want := 2.533e11 * math.Log(r.RMaxM/r.RMinM) / (r.MaxRPM * r.MaxRPM); math.Abs(k/want-1) > 2e-4 {
			t.Errorf("%s: k = %g, 2.533e11·ln(rmax/rmin)/rpm² = %g", r.Name, k, want)
		}
	}
	if n != 11 {
		t.Errorf("%d rotors carry a published k-factor, want the 11 of physics-data.md", n)
	}
}

// k at any speed scales as (rpm_max/rpm)² (physics-data.md §1).
func TestKFactorScalesWithSpeed(t *testing.T) {
	r, err := cat(t).Find("SW 41 Ti")
	if err != nil {
		t.Fatal(err)
	}
	kMax := r.KFactor(r.MaxRPM)
	for _, rpm := range []float64{10000, 24000, 35000} {
		want := kMax * (r.MaxRPM / rpm) * (r.MaxRPM / rpm)
		if got := r.KFactor(rpm); math.Abs(got/want-1) > 1e-12 {
			t.Errorf("k(%g rpm) = %g, want %g", rpm, got, want)
		}
	}
}

func TestCatalogueMatchesPhysicsData(t *testing.T) {
	c := cat(t)
	if len(c.Rotors) != 16 {
		t.Fatalf("%d rotors, want the 16 of physics-data.md", len(c.Rotors))
	}
	// Spot checks against the table (mm, rpm, degrees).
	for _, tt := range []struct {
		name             string
		kind             rotor.Kind
		angle, rpm, rmin float64
		rmax             float64
		tubes            int
	}{
		{"SW 41 Ti", rotor.SwingingBucket, 0, 41000, 67.4, 153.1, 6},
		{"Type 70 Ti", rotor.FixedAngle, 23, 70000, 39.5, 91.9, 8},
		{"Sorvall SLA-3000", rotor.FixedAngle, 23, 12000, 39.4, 151.1, 6},
		{"MLS-50", rotor.SwingingBucket, 0, 50000, 47.5, 95.8, 4},
	} {
		r, err := c.Find(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if r.Kind != tt.kind || math.Abs(r.AngleRad*180/math.Pi-tt.angle) > 1e-9 || r.MaxRPM != tt.rpm ||
			math.Abs(r.RMinM*1e3-tt.rmin) > 1e-9 || math.Abs(r.RMaxM*1e3-tt.rmax) > 1e-9 || r.TubeCount != tt.tubes {
			t.Errorf("%s = %+v", tt.name, r)
		}
	}
}

func TestFindIgnoresCaseSpacesHyphens(t *testing.T) {
	c := cat(t)
	for _, name := range []string{"SW 41 Ti", "sw41ti", "Sw-41-ti", " SW41TI ", "ss-34", "Sorvall SS-34", "mls50"} {
		if _, err := c.Find(name); err != nil {
			t.Errorf("Find(%q): %v", name, err)
		}
	}
	_, err := c.Find("SW 99")
	if err == nil || !strings.Contains(err.Error(), `unknown rotor "SW 99"`) || !strings.Contains(err.Error(), "SW 41 Ti") {
		t.Errorf("Find(SW 99) err = %v, want it to name the rotor and list the allowed ones", err)
	}
}

// Swinging-bucket tube diameters are derived from volume and length; the
// SW 41 Ti's 13.2 mL over 85.7 mm gives its known 14 mm tube (within 0.2 mm).
func TestTubeGeometry(t *testing.T) {
	c := cat(t)
	sw41, _ := c.Find("SW 41 Ti")
	if math.Abs(sw41.TubeDiameterM*1e3-14.0) > 0.2 {
		t.Errorf("SW 41 Ti tube diameter %.2f mm, want 14.0 ± 0.2", sw41.TubeDiameterM*1e3)
	}
	for _, r := range c.Rotors {
		L := r.TubeLengthM()
		if !(L > 0) {
			t.Errorf("%s: tube length %g", r.Name, L)
		}
		if r.Kind == rotor.FixedAngle {
			// The tilted tube spans exactly r_min..r_max radially.
			s, co := math.Sincos(r.AngleRad)
			if span := L*s + r.TubeDiameterM*co; math.Abs(span-(r.RMaxM-r.RMinM)) > 1e-12 {
				t.Errorf("%s: radial span %g, want %g", r.Name, span, r.RMaxM-r.RMinM)
			}
		}
	}
}

func TestValidateNamesTheField(t *testing.T) {
	base := rotor.Rotor{Name: "custom", Kind: rotor.FixedAngle, AngleRad: 0.4, MaxRPM: 1e5, RMinM: 0.04, RMaxM: 0.09, TubeDiameterM: 0.02}
	if err := base.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		mod  func(*rotor.Rotor)
		want string
	}{
		{"rmin ≥ rmax", func(r *rotor.Rotor) { r.RMaxM = 0.03 }, "r_max 30 mm must be greater than r_min 40 mm"},
		{"zero rmin", func(r *rotor.Rotor) { r.RMinM = 0 }, "r_min 0 mm must be > 0"},
		{"angle", func(r *rotor.Rotor) { r.AngleRad = 2 }, "must be between 0 and 90°"},
		{"diameter", func(r *rotor.Rotor) { r.TubeDiameterM = 0 }, "tube diameter 0 mm must be > 0"},
		{"too wide", func(r *rotor.Rotor) { r.TubeDiameterM = 0.2 }, "too wide"},
		{"kind", func(r *rotor.Rotor) { r.Kind = "vertical" }, `type "vertical"`},
	} {
		r := base
		tt.mod(&r)
		if err := r.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, err := rotor.ParseConvention("mid"); err == nil || !strings.Contains(err.Error(), "min, avg, max") {
		t.Errorf("ParseConvention(mid) err = %v", err)
	}
}
