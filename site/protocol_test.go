package site

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"exosep/engine/protocol"
)

func defaultRun(t *testing.T) (protocol.Protocol, *protocol.Result) {
	t.Helper()
	lib, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := lib.Preset(DefaultPresetID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := lib.Run(p, protocol.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p, res
}

// Without JavaScript the builder shows every step of the default preset,
// each with its own fields filled in and its move/remove buttons named.
func TestBuilderRendersDefaultPreset(t *testing.T) {
	p, _ := defaultRun(t)
	doc := parse(t, built(t), "duc.html")
	items := doc.Find(`[data-testid="steps"] > li[data-testid="step"]`)
	if items.Length() != len(p.Steps) {
		t.Fatalf("%d steps rendered, the preset has %d", items.Length(), len(p.Steps))
	}
	items.Each(func(i int, li *goquery.Selection) {
		s := p.Steps[i]
		n := i + 1
		if k := li.AttrOr("data-kind", ""); k != s.Kind {
			t.Errorf("step %d: kind %q, want %q", n, k, s.Kind)
		}
		if lg := strings.TrimSpace(li.Find("legend").Text()); !strings.HasPrefix(lg, "Step "+itoa(n)+":") {
			t.Errorf("step %d: legend %q", n, lg)
		}
		if v := li.Find(`[data-field="name"]`).AttrOr("value", ""); v != s.Name {
			t.Errorf("step %d: name %q, want %q", n, v, s.Name)
		}
		for _, b := range []struct{ action, label string }{{"up", "Move step " + itoa(n) + " up"}, {"down", "Move step " + itoa(n) + " down"}, {"remove", "Remove step " + itoa(n)}} {
			if got := li.Find(`button[data-action="`+b.action+`"]`).AttrOr("aria-label", ""); got != b.label {
				t.Errorf("step %d: %s button labelled %q, want %q", n, b.action, got, b.label)
			}
		}
		switch s.Kind {
		case protocol.KindSpin:
			if v := li.Find(`[data-field="rotor"] option[selected]`).AttrOr("value", ""); v != s.Rotor {
				t.Errorf("step %d: rotor %q, want %q", n, v, s.Rotor)
			}
			if v := li.Find(`[data-field="speed"]`).AttrOr("value", ""); v != formatNumber(s.RCF) {
				t.Errorf("step %d: speed %q, want %g", n, v, s.RCF)
			}
			if v := li.Find(`[data-field="minutes"]`).AttrOr("value", ""); v != formatNumber(s.Minutes) {
				t.Errorf("step %d: minutes %q, want %g", n, v, s.Minutes)
			}
			if v := li.Find(`[data-field="keep"] option[selected]`).AttrOr("value", ""); v != s.Keep {
				t.Errorf("step %d: keep %q, want %q", n, v, s.Keep)
			}
		case protocol.KindFilter:
			if v := li.Find(`[data-field="pore_um"] option[selected]`).AttrOr("value", ""); v != formatNumber(s.PoreUM) {
				t.Errorf("step %d: pore %q, want %g", n, v, s.PoreUM)
			}
		case protocol.KindResuspend:
			want := formatNumber(s.VolumeML + s.Factor)
			if v := li.Find(`[data-field="resuspendValue"]`).AttrOr("value", ""); v != want {
				t.Errorf("step %d: resuspend value %q, want %s", n, v, want)
			}
		}
	})
	if doc.Find(`#preset option[selected]`).AttrOr("value", "") != DefaultPresetID {
		t.Error("the preset menu does not select the default preset")
	}
	// The data for protocol.js is valid JSON with every preset.
	var data builderData
	if err := json.Unmarshal([]byte(doc.Find("script#protocol-data").Text()), &data); err != nil {
		t.Fatalf("script#protocol-data: %v", err)
	}
	if len(data.Presets) < 3 || data.Default != DefaultPresetID || len(data.Species) == 0 || len(data.Rotors) == 0 {
		t.Errorf("protocol data: %d presets, default %q, %d species, %d rotors", len(data.Presets), data.Default, len(data.Species), len(data.Rotors))
	}
}

// The pre-rendered results are protocol.Run's numbers, formatted.
func TestBuilderResultsArePrerendered(t *testing.T) {
	_, res := defaultRun(t)
	doc := parse(t, built(t), "duc.html")
	f := res.Final
	for id, want := range map[string]string{
		"final-yield":     formatPercent(f.ExosomeYieldFraction) + " %",
		"final-exosomes":  formatSci(f.ExosomeParticles),
		"final-intact":    formatPercent(f.ExosomeIntactFraction) + " %",
		"final-per-ug":    formatSci(f.ParticlesPerUGProtein),
		"final-purity":    f.Purity.Class,
		"final-protein":   formatSci(f.ProteinUG),
		"final-total-min": formatMinutes(f.TotalMinutes),
	} {
		if got := strings.TrimSpace(doc.Find(`[data-testid="` + id + `"]`).Text()); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if f.ExosomeYieldFraction <= 0 || f.ExosomeYieldFraction >= 1 {
		t.Errorf("default yield %g: a real partial yield expected", f.ExosomeYieldFraction)
	}
	rows := doc.Find(`[data-testid="step-row"]`)
	if rows.Length() != len(res.Steps) {
		t.Fatalf("%d step rows, want %d", rows.Length(), len(res.Steps))
	}
	rows.Each(func(i int, tr *goquery.Selection) {
		s := res.Steps[i]
		cell := func(c string) string { return strings.TrimSpace(tr.Find(`[data-c="` + c + `"]`).Text()) }
		if got, want := cell("minutes"), fixed(s.Minutes, 1); got != want {
			t.Errorf("step %d minutes %q, want %q", i+1, got, want)
		}
		if got, want := cell("protein"), formatSci(s.ProteinUG.Kept); got != want {
			t.Errorf("step %d protein %q, want %q", i+1, got, want)
		}
		ex := s.Species[protocol.ExosomeID]
		if got, want := cell("exoKept"), formatPercent(ex.Kept/ex.In)+" %"; got != want {
			t.Errorf("step %d exosomes kept %q, want %q", i+1, got, want)
		}
		if s.Spin != nil && s.Spin.Keep == protocol.KeepPellet {
			if got, want := cell("damage"), formatPercent(s.Spin.Damage.ExosomesDamagedFraction)+" %"; got != want {
				t.Errorf("step %d damage %q, want %q", i+1, got, want)
			}
		}
	})
	// Where each species went: one row per species in the sample, one
	// cell per step.
	flows := doc.Find(`[data-testid="flow-table"] tbody tr`)
	if flows.Length() < 5 {
		t.Errorf("flow table has %d species rows", flows.Length())
	}
	flows.Each(func(_ int, tr *goquery.Selection) {
		if n := tr.Find("td").Length(); n != len(res.Steps) {
			t.Errorf("flow row %s has %d cells, want %d", tr.AttrOr("data-species", ""), n, len(res.Steps))
		}
	})
	exo := doc.Find(`[data-testid="flow-table"] tr[data-species="exosome"] td`).First()
	if got, want := strings.TrimSpace(exo.Find(".flow-text").Text()), formatPercent(res.Steps[0].Species["exosome"].Kept/res.Steps[0].Species["exosome"].In)+" %"; got != want {
		t.Errorf("exosomes kept at step 1: %q, want %q", got, want)
	}
	// The histogram has bars, a text summary and a table.
	h := doc.Find(`[data-testid="histogram"]`)
	if h.Find("rect").Length() == 0 || strings.TrimSpace(h.Find(`[data-testid="hist-summary"]`).Text()) == "" || h.Find(`[data-testid="hist-table"] tbody tr`).Length() != histLastBin-histFirstBin {
		t.Error("the size histogram lacks bars, its summary or its table")
	}
	if !strings.Contains(h.Find("svg").AttrOr("aria-labelledby", ""), "hist-summary") {
		t.Error("the histogram's svg is not labelled by its summary")
	}
}

func itoa(n int) string { return formatInt(float64(n)) }

// A gradient step pre-renders as a read-only sentence with a link to the
// gradient page (the builder must not break on the Onódi preset).
func TestBuilderRendersGradientStep(t *testing.T) {
	lib, err := protocol.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := lib.Preset("onodi2018-iodixanol")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := stepItem(stepView{N: 1, Step: p.Steps[0], Count: len(p.Steps)}, builderView{}).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	text := doc.Find(`[data-testid="gradient-step"]`).Text()
	for _, want := range []string{"isopycnic iodixanol gradient in SW 41 Ti at 120,000 × g for 24 h, 10 fractions", "animation plays it"} {
		if !strings.Contains(text, want) {
			t.Errorf("gradient step reads %q, lacking %q", text, want)
		}
	}
	if doc.Find(`a[href="gradient.html"]`).Length() != 1 || !strings.Contains(doc.Find("legend").Text(), "density gradient") {
		t.Errorf("rendered %s", b.String())
	}
}
