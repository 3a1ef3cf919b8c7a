package medium_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"exosep/assets"
	"exosep/engine/catalog"
	"exosep/engine/medium"
)

func media(t *testing.T) map[string]medium.Medium {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c.Media
}

// Reference values of water (physics-data.md §3): CRC viscosity table
// (0–20 °C) and IAPWS values at 4, 20, 25 and 37 °C.
func TestWaterAgainstPublishedValues(t *testing.T) {
	w := media(t)["water"]
	tests := []struct {
		celsius     float64
		etaMPas     float64 // 0 = not tabulated
		rhoGPerML   float64 // 0 = not tabulated
		etaTolerRel float64
	}{
		{0, 1.792, 0, 0.003},
		{4, 1.5673, 0.999975, 0.003},
		{5, 1.519, 0, 0.003},
		{10, 1.308, 0, 0.003},
		{15, 1.140, 0, 0.003},
		{20, 1.0016, 0.998206, 0.003},
		{25, 0.8900, 0.997048, 0.003},
		{37, 0.6913, 0.993336, 0.003},
	}
	for _, tt := range tests {
		eta, err := w.ViscosityPas(tt.celsius)
		if err != nil {
			t.Fatal(err)
		}
		if got := eta * 1e3; math.Abs(got/tt.etaMPas-1) > tt.etaTolerRel {
			t.Errorf("η(%g °C) = %.4f mPa·s, want %.4f within %.1f %%", tt.celsius, got, tt.etaMPas, tt.etaTolerRel*100)
		}
		if tt.rhoGPerML == 0 {
			continue
		}
		rho, _ := w.DensityKgM3(tt.celsius)
		// Tanaka 2001 and IAPWS-95 agree within 10 ppm over 0–40 °C.
		if got := rho / 1e3; math.Abs(got-tt.rhoGPerML) > 1e-5 {
			t.Errorf("ρ(%g °C) = %.6f g/mL, want %.6f ± 0.00001", tt.celsius, got, tt.rhoGPerML)
		}
	}
}

// Water is densest near 3.98 °C (the a1 coefficient of Tanaka 2001).
func TestWaterDensityMaximum(t *testing.T) {
	w := media(t)["water"]
	best, bestC := 0.0, 0.0
	for c := 0.0; c <= 10; c += 0.01 {
		r, _ := w.DensityKgM3(c)
		if r > best {
			best, bestC = r, c
		}
	}
	if math.Abs(bestC-3.98) > 0.02 {
		t.Errorf("density maximum at %.2f °C, want 3.98 ± 0.02", bestC)
	}
}

// PBS is defined by its 20 °C values (1% NaCl, CRC); other temperatures
// follow water's curves.
func TestPBS(t *testing.T) {
	m := media(t)
	pbs, w := m["pbs"], m["water"]
	rho, _ := pbs.DensityKgM3(20)
	eta, _ := pbs.ViscosityPas(20)
	if math.Abs(rho-1005.3) > 1e-9 || math.Abs(eta-1.020e-3) > 1e-15 {
		t.Errorf("PBS at 20 °C = %g kg/m³, %g Pa·s; want 1005.3, 1.020e-3", rho, eta)
	}
	for _, c := range []float64{0, 4, 37} {
		rp, _ := pbs.DensityKgM3(c)
		rw, _ := w.DensityKgM3(c)
		ep, _ := pbs.ViscosityPas(c)
		ew, _ := w.ViscosityPas(c)
		if math.Abs((rp-rw)-(1005.3-998.2067)) > 0.01 {
			t.Errorf("PBS density excess at %g °C = %g kg/m³", c, rp-rw)
		}
		if math.Abs(ep/ew-1.020/1.00164) > 2e-3 {
			t.Errorf("PBS viscosity ratio at %g °C = %g", c, ep/ew)
		}
	}
}

func TestTemperatureRange(t *testing.T) {
	w := media(t)["water"]
	for _, c := range []float64{-0.1, 40.1, math.NaN()} {
		_, err := w.ViscosityPas(c)
		var re medium.RangeError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), "0–40 °C") {
			t.Errorf("ViscosityPas(%g) err = %v, want a RangeError naming 0–40 °C", c, err)
		}
		if _, err := w.DensityKgM3(c); err == nil {
			t.Errorf("DensityKgM3(%g) accepted", c)
		}
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	good, err := assets.Data.ReadFile("data/media.json")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(good), `"unit": "mPa.s", "source": "kestin1978"`, `"unit": "cP", "source": "kestin1978"`, 1)
	bad = strings.Replace(bad, `"source": "crc-nacl"`, `"source": "nowhere"`, 1)
	fsys := fstest.MapFS{"data/media.json": {Data: []byte(bad)}}
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, err = medium.Load(fsys, c.Sources)
	if err == nil {
		t.Fatal("broken media.json accepted")
	}
	for _, want := range []string{"media.json: water.viscosity_kestin1978.eta20", `unit "cP" is unknown`, `media[1].density_at_20c: source "nowhere"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}
