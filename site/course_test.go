package site

import (
	"encoding/json"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"exosep/site/params"
	"exosep/wasm/bridge"
)

func builtSchema(t *testing.T) params.Schema {
	t.Helper()
	s, err := newSchema(testCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCoursePagesAreBuilt(t *testing.T) {
	files := built(t)
	for _, name := range []string{"teacher.html", "compare.html", "compare-embed.html", "duc-embed.html", "embed-example.html",
		params.File, "static/share.js", "static/stage-client.js", "static/form.js", "static/keys.js", "static/profile.js", "static/host-api.js",
		"static/embed.js", "static/compare.js", "static/embed-example.js", "static/teacher.js"} {
		if len(files[name]) == 0 {
			t.Errorf("the build lacks %s", name)
		}
	}
}

// The teacher page's parameter table lists every schema entry, in order,
// with its type, default and visibility.
func TestTeacherTableListsEverySchemaEntry(t *testing.T) {
	doc := parse(t, built(t), "teacher.html")
	s := builtSchema(t)
	var rows []string
	doc.Find(`[data-testid="param-table"] tbody tr`).Each(func(_ int, r *goquery.Selection) {
		rows = append(rows, r.AttrOr("data-param", ""))
	})
	var want []string
	for _, e := range s.Entries {
		want = append(want, e.Name)
		row := doc.Find(`tr[data-param="` + e.Name + `"]`)
		cells := row.Find("td")
		if cells.Length() != 7 {
			t.Errorf("%s: %d cells", e.Name, cells.Length())
			continue
		}
		if got := strings.TrimSpace(cells.Eq(0).Text()); got != string(e.Type) {
			t.Errorf("%s: type %q, want %q", e.Name, got, e.Type)
		}
		if got := strings.TrimSpace(cells.Eq(3).Text()); got != e.DefaultText() {
			t.Errorf("%s: default %q, want %q", e.Name, got, e.DefaultText())
		}
		if !strings.Contains(cells.Eq(4).Text(), string(e.Visibility)) {
			t.Errorf("%s: visibility not shown", e.Name)
		}
		if !strings.Contains(text(cells.Eq(6)), strings.Join(strings.Fields(e.Description), " ")) {
			t.Errorf("%s: description not shown", e.Name)
		}
	}
	if !slices.Equal(rows, want) {
		t.Errorf("table rows %v\nschema     %v", rows, want)
	}
	for _, spec := range bridge.ParamSpecs() {
		if !slices.Contains(rows, spec.Name) {
			t.Errorf("the stage parameter %s is not in the teacher's table", spec.Name)
		}
	}
}

func TestTeacherPageSections(t *testing.T) {
	doc := parse(t, built(t), "teacher.html")
	for _, id := range []string{"goals", "activities", "limits", "worksheet", "embedding", "parameters", "developers"} {
		if doc.Find("#"+id).Length() != 1 {
			t.Errorf("teacher.html lacks #%s", id)
		}
	}
	acts := doc.Find(`[data-testid="activity"]`)
	if acts.Length() < 3 {
		t.Errorf("%d activities, want at least 3", acts.Length())
	}
	cat := testCatalog(t)
	s := builtSchema(t)
	acts.Find(`a[data-testid="activity-link"]`).Each(func(_ int, a *goquery.Selection) {
		u, err := url.Parse(a.AttrOr("href", ""))
		if err != nil || u.IsAbs() || (u.Path != "duc.html" && u.Path != "compare.html" && u.Path != "gradient.html") {
			t.Errorf("activity link %q: want a relative link to duc.html, compare.html or gradient.html", a.AttrOr("href", ""))
			return
		}
		if u.Path == "gradient.html" {
			// Every key a parameter of the gradient page (the values are
			// checked in the browser: site/e2e, TestGradientActivityLinks).
			for k := range u.Query() {
				if e, ok := s.Lookup(k); !ok || !slices.Contains(e.Pages, "gradient.html") {
					t.Errorf("activity link %s: %s is not a gradient.html parameter", u, k)
				}
			}
		}
		if u.Path == "duc.html" {
			// Every value must be one duc.html (and the stage) accept.
			if q := bridge.ParseQuery(u.RawQuery, cat); len(q.Errors) > 0 || len(q.Ignored) > 0 {
				t.Errorf("activity link %s: errors %v, ignored %v", u, q.Errors, q.Ignored)
			}
		}
	})
	// Honest about what is not built: no link to a page that does not exist.
	if nt := text(doc.Find(`[data-testid="not-yet"]`)); !strings.Contains(nt, "gradient") || !strings.Contains(nt, "filtration") {
		t.Errorf("the not-yet note does not name the missing methods: %q", nt)
	}
	if doc.Find(`[data-testid="host-api"] tbody tr`).Length() < 8 {
		t.Error("the host API table is incomplete")
	}
	if doc.Find(`[data-testid="limits"] li`).Length() < 5 {
		t.Error("the model's limits are not listed")
	}
}

func TestParamsJSCarriesTheSchema(t *testing.T) {
	files := built(t)
	raw, err := params.TableFromJS(files[params.File])
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	b, _ := builtSchema(t).JSON()
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("static/params.js does not carry the site's schema")
	}
	// profile.js's tiny list equals the schema's colour profiles.
	m := regexp.MustCompile(`PROFILES = \[([^\]]*)\]`).FindSubmatch(files["static/profile.js"])
	if m == nil {
		t.Fatal("profile.js: no PROFILES list")
	}
	var profiles []string
	if err := json.Unmarshal([]byte("["+string(m[1])+"]"), &profiles); err != nil {
		t.Fatal(err)
	}
	e, _ := builtSchema(t).Lookup("colorProfile")
	if !slices.Equal(profiles, e.Values) {
		t.Errorf("profile.js %v, schema %v", profiles, e.Values)
	}
}

func TestEmbedPages(t *testing.T) {
	files := built(t)
	s := builtSchema(t)
	// Every page that takes hide= and lock= has each control the schema
	// lists for it, and no other (so a name it accepts always acts, and
	// one it refuses is one it lacks).
	for _, name := range params.SimPages {
		doc := parse(t, files, name)
		want := map[string]bool{}
		for _, c := range s.ControlsOn(name) {
			want[c.Name] = true
			if doc.Find(`[data-control="`+c.Name+`"]`).Length() == 0 {
				t.Errorf("%s: nothing for hide=/lock= %s", name, c.Name)
			}
		}
		doc.Find("[data-control]").Each(func(_ int, b *goquery.Selection) {
			if n := b.AttrOr("data-control", ""); !want[n] {
				t.Errorf("%s: data-control=%q is not one of the page's controls in the schema", name, n)
			}
		})
	}
	for _, name := range []string{"duc-embed.html", "compare-embed.html", "gradient-embed.html", "ultrafiltration-embed.html", "sequential-filtration-embed.html"} {
		doc := parse(t, files, name)
		if doc.Find("body[data-embed]").AttrOr("data-page", "") != name {
			t.Errorf("%s: body lacks data-embed and data-page", name)
		}
		if doc.Find("header, nav.main-nav").Length() != 0 {
			t.Errorf("%s: an embed page has the site header", name)
		}
		if doc.Find(`[data-testid="param-warnings"][role="status"]`).Length() != 1 {
			t.Errorf("%s: no polite warnings box", name)
		}
		if doc.Find(`button[data-testid="fullscreen"][hidden]`).Length() != 1 {
			t.Errorf("%s: the fullscreen button should start hidden (shown when supported)", name)
		}
		var srcs []string
		doc.Find("head script[src]").Each(func(_ int, sc *goquery.Selection) { srcs = append(srcs, sc.AttrOr("src", "")) })
		if len(srcs) < 2 || srcs[0] != "static/profile.js" || srcs[1] != params.File {
			t.Errorf("%s: scripts %v: profile.js first (not deferred), then params.js", name, srcs)
		}
	}
	doc := parse(t, files, "duc-embed.html")
	if doc.Find(`iframe#stage[src="stage.html"]`).Length() != 1 || doc.Find(`[data-testid="description"][aria-live="polite"]`).Length() != 1 {
		t.Error("duc-embed.html: no stage or no polite description")
	}
	cmp := parse(t, files, "compare.html")
	if n := cmp.Find(`iframe[src="stage.html"]`).Length(); n != 2 {
		t.Errorf("compare.html loads %d stages by default, want 2", n)
	}
	if cmp.Find(`iframe[data-testid="stage-c"][data-src="stage.html"]`).Length() != 1 {
		t.Error("compare.html: lane c's stage should load only when lanes=3")
	}
	for _, row := range []string{"yield", "minutes", "kfactor", "cutoff", "capacity", "purity", "damage"} {
		if cmp.Find(`#results tr[data-row="`+row+`"]`).Length() != 1 {
			t.Errorf("compare.html: the results table lacks %s", row)
		}
	}
	snippet := cmp.Find(`[data-testid="share-snippet"]`).Text()
	for _, want := range []string{`src="compare-embed.html"`, "allowfullscreen", "aspect-ratio:4/3"} {
		if !strings.Contains(snippet, want) {
			t.Errorf("compare.html: the iframe snippet lacks %s: %s", want, snippet)
		}
	}
}

// Every content page links the teaching pages, and includes profile.js
// before anything else so a colour profile applies before the first paint.
func TestTeachingNavAndProfileEverywhere(t *testing.T) {
	files := built(t)
	for _, name := range htmlPages(files) {
		doc := parse(t, files, name)
		if name == "stage.html" {
			continue
		}
		if doc.Find("head script").First().AttrOr("src", "") != "static/profile.js" {
			t.Errorf("%s: the first script is not static/profile.js", name)
		}
		if doc.Find("body[data-embed]").Length() == 1 {
			continue
		}
		for _, n := range teacherNav {
			if doc.Find(`header nav a[href="`+n.File+`"]`).Length() != 1 {
				t.Errorf("%s: the navigation lacks %s", name, n.File)
			}
		}
	}
}
