package site

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"exosep/site/params"
)

// gradient.html is in the navigation of every content page; its controls
// carry the schema's URL parameter names; every swinging-bucket rotor and
// (marked as not modelled) every fixed-angle one is offered; the link
// parameter table lists exactly the schema's entries for the page; the
// explanation covers the HDL/exosome overlap and the kinetics caveat.
func TestGradientPage(t *testing.T) {
	files := built(t)
	for _, name := range []string{"index.html", "duc.html", "model.html", "gradient.html"} {
		if parse(t, files, name).Find(`nav a[href="gradient.html"]`).Length() != 1 {
			t.Errorf("%s: no navigation link to gradient.html", name)
		}
	}
	doc := parse(t, files, "gradient.html")
	s := builtSchema(t)
	var names []string
	for _, e := range s.Entries {
		for _, p := range e.Pages {
			if p == params.PageGradient {
				names = append(names, e.Name)
			}
		}
	}
	if len(names) < 12 {
		t.Fatalf("the schema has %d entries for gradient.html", len(names))
	}
	for _, n := range names {
		if n == "species" { // a display setting the link carries; no control
			continue
		}
		if doc.Find(`#gradient-form [name="`+n+`"]`).Length() == 0 {
			t.Errorf("no control named %s (a URL parameter of the page)", n)
		}
	}
	rows := doc.Find(`[data-testid=gradient-params] tbody tr`)
	if rows.Length() != len(names) {
		t.Errorf("the parameter table has %d rows, the schema %d entries", rows.Length(), len(names))
	}
	rows.Each(func(i int, tr *goquery.Selection) {
		if got := strings.TrimSpace(tr.Find("code").Text()); i < len(names) && got != names[i] {
			t.Errorf("parameter row %d is %q, schema %q", i+1, got, names[i])
		}
	})
	cat := testCatalog(t)
	for _, r := range cat.Rotors.Rotors {
		if doc.Find(`#gRotor option[value="`+r.Name+`"]`).Length() != 1 {
			t.Errorf("rotor %s is not offered", r.Name)
		}
	}
	if doc.Find(`#gRotor optgroup[label*="not modelled"] option`).Length() == 0 {
		t.Error("fixed-angle rotors are not marked as not modelled")
	}
	text := doc.Find("#separates-title").Parent().Text()
	for _, want := range []string{"HDL", "1.063–1.21", "Rate-zonal separation resolves the overlap", "24 h in an SW 41 Ti"} {
		if !strings.Contains(text, want) {
			t.Errorf("the explanation lacks %q", want)
		}
	}
	model := doc.Find("[data-testid=gradient-model]").Text()
	for _, want := range []string{"Lamm", "Stokes", "Stokes–Einstein", "Swinging-bucket rotors only", "g/mL"} {
		if !strings.Contains(model, want) {
			t.Errorf("the model section lacks %q", want)
		}
	}
	embed := parse(t, files, "gradient-embed.html")
	if embed.Find("#gradient-form").Length() != 1 || embed.Find("iframe#stage").Length() != 1 || embed.Find("header").Length() != 0 {
		t.Error("gradient-embed.html should hold the form and the stage, without the site header")
	}
}
