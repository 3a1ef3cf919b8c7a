//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"exosep/assets"
	"exosep/site/evidence"
)

// The evidence pages in Chromium, over http and file://: filters, search,
// sorting, the organ map, the address as filter state, and bad addresses.

const evTimeout = 60 * time.Second

func evLoad(t *testing.T) *evidence.Evidence {
	t.Helper()
	ev, err := evidence.Load(assets.Evidence)
	if err != nil {
		t.Fatalf("evidence.Load: %v", err)
	}
	return ev
}

// evOpen opens page in a fresh tab and waits for evidence.js.
func evOpen(t *testing.T, o origin, page string) *tab {
	t.Helper()
	tb := newTab(t, evTimeout)
	tb.do(t, "open "+page, chromedp.Navigate(o.url(page)))
	waitFor[bool](t, tb, "evidence.js to start", `document.querySelector("[data-explorer][data-ready=true]") !== null`)
	return tb
}

// evVisibleIDs are the ids of the data rows that are rendered (not hidden
// by the script or by CSS), in document order.
func evVisibleIDs(t *testing.T, tb *tab) []string {
	t.Helper()
	return eval[[]string](t, tb, `Array.from(document.querySelectorAll("[data-row]")).filter(function (r) { return r.getClientRects().length > 0; }).map(function (r) { return r.id; })`)
}

// evWaitCount waits until the result line reads "n of total …".
func evWaitCount(t *testing.T, tb *tab, n, total int) {
	t.Helper()
	want := fmt.Sprintf("%d of %d ", n, total)
	js, _ := json.Marshal(want)
	waitFor[bool](t, tb, "the result line to say "+want, `document.querySelector("[data-count]").textContent.trim().indexOf(`+string(js)+`) === 0`)
}

// evChoose sets a filter <select> the way a user does and fires "change".
func evChoose(t *testing.T, tb *tab, name, value string) {
	t.Helper()
	sel, _ := json.Marshal(`select[data-filter][name="` + name + `"]`)
	val, _ := json.Marshal(value)
	ok := eval[bool](t, tb, `(function () { var s = document.querySelector(`+string(sel)+`); if (!s) return false;
		s.focus(); s.value = `+string(val)+`; s.dispatchEvent(new Event("change", { bubbles: true })); return s.value === `+string(val)+`; })()`)
	if !ok {
		t.Fatalf("cannot choose %q in the %s filter", value, name)
	}
}

func evRowIDs(rows []evidence.PreclinicalRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

// evRowText is everything a Table 2 row says, for the expected results of a
// search for a distinctive word.
func evRowText(r evidence.PreclinicalRow) string {
	parts := []string{r.ID, r.Area, r.Organ, r.Condition, r.Model, r.Species, r.MSCSource,
		r.Modification, r.Mechanism, r.Outcome, r.Notes}
	for _, c := range r.Cargo {
		parts = append(parts, c.Type, c.Name)
	}
	return strings.ToLower(strings.Join(parts, " "))
}

func TestEvidencePreclinicalFiltersAndSearch(t *testing.T) {
	ev := evLoad(t)
	all := evRowIDs(ev.Preclinical.Rows)
	total := len(all)
	for _, o := range origins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := evOpen(t, o, "preclinical.html")
			if got := evVisibleIDs(t, tb); !slices.Equal(got, all) {
				t.Fatalf("before filtering %d rows are visible, want all %d", len(got), total)
			}
			if eval[bool](t, tb, `document.querySelector("[data-filters]").hidden`) {
				t.Error("the script did not show the filter form")
			}

			// Each disease area shows exactly its rows.
			for _, c := range ev.CountsByArea() {
				evChoose(t, tb, "area", c.Key)
				evWaitCount(t, tb, c.N, total)
				if got, want := evVisibleIDs(t, tb), evRowIDs(ev.RowsByArea(c.Key)); !slices.Equal(got, want) {
					t.Errorf("area %s: visible %v, want %v", c.Key, got, want)
				}
			}
			if h := eval[string](t, tb, "location.hash"); !strings.Contains(h, "area=other") {
				t.Errorf("the address does not record the area filter: hash %q", h)
			}
			tb.do(t, "clear the filters", chromedp.Click(chromedp.CSS("[data-clear]")))
			evWaitCount(t, tb, total, total)
			if h := eval[string](t, tb, "location.hash"); h != "" {
				t.Errorf("after clearing, the hash is %q, want none", h)
			}

			// Search: a distinctive word, typed in another case and with
			// an accent, finds the rows that contain it.
			var want []string
			for _, r := range ev.Preclinical.Rows {
				if strings.Contains(evRowText(r), "wharton") {
					want = append(want, r.ID)
				}
			}
			if len(want) == 0 || len(want) == total {
				t.Fatalf("the search word is not distinctive (%d rows)", len(want))
			}
			tb.do(t, "type a search", chromedp.SendKeys(chromedp.CSS("[data-search]"), "WHÁRTON"))
			evWaitCount(t, tb, len(want), total)
			if got := evVisibleIDs(t, tb); !slices.Equal(got, want) {
				t.Errorf("search WHÁRTON: visible %v, want %v", got, want)
			}
			// Search and filters combine.
			var both []string
			for _, r := range ev.Preclinical.Rows {
				if strings.Contains(evRowText(r), "wharton") && r.Area == "neurological" {
					both = append(both, r.ID)
				}
			}
			evChoose(t, tb, "area", "neurological")
			evWaitCount(t, tb, len(both), total)
			if got := evVisibleIDs(t, tb); !slices.Equal(got, both) {
				t.Errorf("search + area: visible %v, want %v", got, both)
			}
			// An empty result says so.
			evChoose(t, tb, "area", "liver")
			n := 0
			for _, r := range ev.RowsByArea("liver") {
				if strings.Contains(evRowText(r), "wharton") {
					n++
				}
			}
			evWaitCount(t, tb, n, total)
			if shown := eval[bool](t, tb, `document.querySelector("[data-empty]").getClientRects().length > 0`); shown != (n == 0) {
				t.Errorf("%d rows match; the 'no study matches' row shown = %v", n, shown)
			}
			tb.assertClean(t, o)
		})
	}
}

func TestEvidenceSortToggles(t *testing.T) {
	ev := evLoad(t)
	byRef := slices.Clone(ev.Preclinical.Rows)
	slices.SortStableFunc(byRef, func(a, b evidence.PreclinicalRow) int { return slices.Min(a.Refs) - slices.Min(b.Refs) })
	for _, o := range origins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := evOpen(t, o, "preclinical.html")
			before := evVisibleIDs(t, tb)
			// ordered checks the visible rows' condition column against a
			// direction (1 ascending, -1 descending).
			ordered := func(dir int) bool {
				return eval[bool](t, tb, fmt.Sprintf(`(function () {
					var th = document.querySelector('th[data-sort-key="condition"]');
					var col = Array.prototype.indexOf.call(th.parentNode.children, th);
					var vals = Array.from(document.querySelectorAll("tr[data-row]")).map(function (r) {
						var c = r.children[col]; return c.getAttribute("data-sort-value") || c.textContent.trim(); });
					var coll = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
					for (var i = 1; i < vals.length; i++) { if (%d * coll.compare(vals[i-1], vals[i]) > 0) return false; }
					return true; })()`, dir))
			}
			button := chromedp.CSS(`th[data-sort-key="condition"] button`)
			tb.do(t, "sort by condition", chromedp.Click(button))
			waitFor[bool](t, tb, "aria-sort ascending", `document.querySelector('th[data-sort-key="condition"]').getAttribute("aria-sort") === "ascending"`)
			if !ordered(1) {
				t.Error("after one click the rows are not in ascending order of condition")
			}
			asc := evVisibleIDs(t, tb)
			if slices.Equal(asc, before) {
				t.Error("sorting by condition did not change the order")
			}
			tb.do(t, "sort again", chromedp.Click(button))
			waitFor[bool](t, tb, "aria-sort descending", `document.querySelector('th[data-sort-key="condition"]').getAttribute("aria-sort") === "descending"`)
			if !ordered(-1) {
				t.Error("after two clicks the rows are not in descending order of condition")
			}
			if slices.Equal(evVisibleIDs(t, tb), asc) {
				t.Error("the second click did not reverse the order")
			}
			if n := eval[int](t, tb, `document.querySelectorAll("th[aria-sort]").length`); n != 1 {
				t.Errorf("%d headers carry aria-sort, want 1", n)
			}
			if h := eval[string](t, tb, "location.hash"); !strings.Contains(h, "sort=condition") || !strings.Contains(h, "dir=desc") {
				t.Errorf("the address does not record the order: %q", h)
			}
			// Another column takes over.
			tb.do(t, "sort by reference", chromedp.Click(chromedp.CSS(`th[data-sort-key="ref"] button`)))
			waitFor[bool](t, tb, "aria-sort on Ref.", `document.querySelector('th[data-sort-key="ref"]').getAttribute("aria-sort") === "ascending" && !document.querySelector('th[data-sort-key="condition"]').hasAttribute("aria-sort")`)
			if got, want := evVisibleIDs(t, tb), evRowIDs(byRef); !slices.Equal(got, want) {
				t.Errorf("sorted by first reference: %v, want %v", got, want)
			}
			tb.assertClean(t, o)
		})
	}
}

func TestEvidenceOrganMap(t *testing.T) {
	ev := evLoad(t)
	total := len(ev.Preclinical.Rows)
	for _, o := range origins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := evOpen(t, o, "preclinical.html")
			pressed := func(organ string) string {
				return eval[string](t, tb, `document.querySelector('[data-facet="organ"][data-value="`+organ+`"]').getAttribute("aria-pressed")`)
			}
			// Click on the kidneys.
			tb.do(t, "click the kidneys", chromedp.Click(chromedp.CSS(`.organ-kidney path`)))
			evWaitCount(t, tb, len(ev.RowsByOrgan("kidney")), total)
			if got, want := evVisibleIDs(t, tb), evRowIDs(ev.RowsByOrgan("kidney")); !slices.Equal(got, want) {
				t.Errorf("kidney: visible %v, want %v", got, want)
			}
			if pressed("kidney") != "true" || eval[string](t, tb, `document.getElementById("filter-organ").value`) != "kidney" {
				t.Error("the kidney button is not pressed or the organ filter not set")
			}
			// An organ listed beside the map.
			tb.do(t, "click the CNS button", chromedp.Click(chromedp.CSS(`.organ-elsewhere [data-value="central nervous system"]`)))
			evWaitCount(t, tb, len(ev.RowsByOrgan("central nervous system")), total)
			if pressed("kidney") != "false" {
				t.Error("the kidney button stays pressed after choosing another organ")
			}
			// Keyboard: Enter on the heart, then Space to release it.
			tb.do(t, "focus the heart", chromedp.Focus(chromedp.CSS(`.organ-heart`)))
			tb.do(t, "press Enter", chromedp.KeyEvent("\r"))
			evWaitCount(t, tb, len(ev.RowsByOrgan("heart")), total)
			if got, want := evVisibleIDs(t, tb), evRowIDs(ev.RowsByOrgan("heart")); !slices.Equal(got, want) {
				t.Errorf("heart: visible %v, want %v", got, want)
			}
			tb.do(t, "press Space", chromedp.KeyEvent(" "))
			evWaitCount(t, tb, total, total)
			if pressed("heart") != "false" {
				t.Error("Space did not release the heart")
			}
			// The area chips filter too, together with the organ.
			tb.do(t, "click the brain", chromedp.Click(chromedp.CSS(`.organ-brain path`)))
			tb.do(t, "click the Neurological chip", chromedp.Click(chromedp.CSS(`[data-facet="area"][data-value="neurological"]`)))
			n := 0
			for _, r := range ev.Preclinical.Rows {
				if r.Organ == "brain" && r.Area == "neurological" {
					n++
				}
			}
			evWaitCount(t, tb, n, total)
			tb.assertClean(t, o)
		})
	}
}

// evTrialsExpected counts, per group, the trials that pass the filters.
func evTrialsExpected(ev *evidence.Evidence, keep func(evidence.Trial) bool) (map[string]int, int) {
	per := map[string]int{}
	n := 0
	for _, tr := range ev.Trials.Rows {
		if keep(tr) {
			per[tr.Group]++
			n++
		}
	}
	return per, n
}

func TestEvidenceTrialFilters(t *testing.T) {
	ev := evLoad(t)
	total := len(ev.Trials.Rows)
	steps := []struct {
		name, value string
		keep        func(evidence.Trial) bool
	}{
		{"phase", "I", func(tr evidence.Trial) bool { return tr.Phase == "I" }},
		{"route", "inhalation", func(tr evidence.Trial) bool { return tr.Phase == "I" && tr.Route == "inhalation" }},
		{"phase", "", func(tr evidence.Trial) bool { return tr.Route == "inhalation" }},
		{"organ", "lung", func(tr evidence.Trial) bool { return tr.Route == "inhalation" && tr.Organ == "lung" }},
		{"status", "Recruiting", func(tr evidence.Trial) bool {
			return tr.Route == "inhalation" && tr.Organ == "lung" && tr.Status2020 == "Recruiting"
		}},
	}
	for _, o := range origins(t) {
		t.Run(o.name, func(t *testing.T) {
			tb := evOpen(t, o, "trials.html")
			if got := len(evVisibleIDs(t, tb)); got != total {
				t.Fatalf("%d trials visible before filtering, want %d", got, total)
			}
			for _, s := range steps {
				evChoose(t, tb, s.name, s.value)
				per, n := evTrialsExpected(ev, s.keep)
				evWaitCount(t, tb, n, total)
				for _, g := range evidence.TrialGroups {
					all := len(ev.TrialsInGroup(g))
					got := eval[string](t, tb, `document.querySelector('[data-group-count="`+g+`"]').textContent.trim()`)
					if want := fmt.Sprintf("%d of %d shown", per[g], all); got != want {
						t.Errorf("%s=%q: group %s says %q, want %q", s.name, s.value, g, got, want)
					}
					empty := eval[bool](t, tb, `document.querySelector('table[data-group="`+g+`"] [data-empty]').getClientRects().length > 0`)
					if empty != (per[g] == 0) {
						t.Errorf("%s=%q: group %s 'no entry' row shown=%v with %d rows", s.name, s.value, g, empty, per[g])
					}
				}
			}
			// A registry number typed in the search finds its trial.
			tb.do(t, "clear", chromedp.Click(chromedp.CSS("[data-clear]")))
			evWaitCount(t, tb, total, total)
			tb.do(t, "search a trial ID", chromedp.SendKeys(chromedp.CSS("[data-search]"), "nct04276987"))
			evWaitCount(t, tb, 1, total)
			if got := evVisibleIDs(t, tb); len(got) != 1 || got[0] != "t3-02" {
				t.Errorf("search for NCT04276987 shows %v, want [t3-02]", got)
			}
			tb.assertClean(t, o)
		})
	}
}

func TestEvidenceAddressState(t *testing.T) {
	ev := evLoad(t)
	total := len(ev.Preclinical.Rows)
	var kidneyRat []string
	for _, r := range ev.Preclinical.Rows {
		if r.Area == "kidney" && r.Species == "rat" {
			kidneyRat = append(kidneyRat, r.ID)
		}
	}
	for _, o := range origins(t) {
		t.Run(o.name, func(t *testing.T) {
			// A filtered view made with the controls...
			tb := evOpen(t, o, "preclinical.html")
			evChoose(t, tb, "area", "kidney")
			evChoose(t, tb, "species", "rat")
			tb.do(t, "sort by outcome", chromedp.Click(chromedp.CSS(`th[data-sort-key="outcome"] button`)))
			evWaitCount(t, tb, len(kidneyRat), total)
			view := evVisibleIDs(t, tb)
			href := eval[string](t, tb, "location.href")
			if !strings.Contains(href, "#") {
				t.Fatalf("the address %q holds no filter state", href)
			}
			tb.assertClean(t, o)

			// ...opens the same view from its address, in another tab.
			tb2 := newTab(t, evTimeout)
			tb2.do(t, "open the filtered address", chromedp.Navigate(href))
			waitFor[bool](t, tb2, "evidence.js", `document.querySelector("[data-explorer][data-ready=true]") !== null`)
			evWaitCount(t, tb2, len(kidneyRat), total)
			if got := evVisibleIDs(t, tb2); !slices.Equal(got, view) {
				t.Errorf("the linked view shows %v, want %v (same rows, same order)", got, view)
			}
			if v := eval[string](t, tb2, `document.getElementById("filter-species").value`); v != "rat" {
				t.Errorf("the species filter reads %q after opening the link, want rat", v)
			}
			if eval[string](t, tb2, `document.querySelector('th[data-sort-key="outcome"]').getAttribute("aria-sort") || ""`) != "ascending" {
				t.Error("the linked view lost its sort order")
			}
			tb2.assertClean(t, o)

			// A query string works too, and the first change moves the
			// state into the hash.
			tb3 := newTab(t, evTimeout)
			tb3.do(t, "open with a query", chromedp.Navigate(o.url("preclinical.html?organ=brain")))
			waitFor[bool](t, tb3, "evidence.js", `document.querySelector("[data-explorer][data-ready=true]") !== null`)
			evWaitCount(t, tb3, len(ev.RowsByOrgan("brain")), total)
			evChoose(t, tb3, "organ", "")
			evWaitCount(t, tb3, total, total)
			if s := eval[string](t, tb3, "location.search"); s != "" {
				t.Errorf("after a change the address still has the query %q", s)
			}
			tb3.assertClean(t, o)
		})
	}
}

func TestEvidenceBadAddress(t *testing.T) {
	ev := evLoad(t)
	total := len(ev.Preclinical.Rows)
	cases := []struct {
		name, hash string
		rows       int
		noted      []string // text the note must quote
	}{
		{"unknown values and keys", "area=bogus&zzz=1&sort=nope&dir=sideways", total, []string{"area=bogus", "zzz=1", "sort=nope"}},
		{"bad escape beside a good filter", "%E0%A4%A=1&area=liver", len(ev.RowsByArea("liver")), []string{"%E0%A4%A=1"}},
		{"no key", "nonsense", total, []string{"nonsense"}},
		{"script in the address", url.PathEscape(`q=<img src=x onerror=alert(1)>&area=<b>`), 0, []string{"area=<b>"}},
	}
	for _, o := range origins(t) {
		t.Run(o.name, func(t *testing.T) {
			for _, c := range cases {
				tb := newTab(t, evTimeout)
				tb.do(t, "open "+c.name, chromedp.Navigate(o.url("preclinical.html#"+c.hash)))
				waitFor[bool](t, tb, "evidence.js", `document.querySelector("[data-explorer][data-ready=true]") !== null`)
				evWaitCount(t, tb, c.rows, total)
				note := eval[string](t, tb, `(function () { var n = document.querySelector("[data-note]"); return n.hidden ? "" : n.textContent; })()`)
				if note == "" {
					t.Errorf("%s: no note about the address", c.name)
				}
				for _, q := range c.noted {
					if !strings.Contains(note, q) {
						t.Errorf("%s: the note %q does not quote %q", c.name, note, q)
					}
				}
				if eval[string](t, tb, `document.querySelector("[data-note]").getAttribute("aria-live")`) != "polite" {
					t.Errorf("%s: the note is not polite", c.name)
				}
				if eval[int](t, tb, `document.querySelectorAll("img").length`) != 0 {
					t.Errorf("%s: markup from the address was inserted into the page", c.name)
				}
				tb.assertClean(t, o)
			}
			// A plain anchor to a row is a link, not a filter: no note.
			tb := newTab(t, evTimeout)
			tb.do(t, "open an anchor", chromedp.Navigate(o.url("preclinical.html#kd-03")))
			waitFor[bool](t, tb, "evidence.js", `document.querySelector("[data-explorer][data-ready=true]") !== null`)
			evWaitCount(t, tb, total, total)
			if !eval[bool](t, tb, `document.querySelector("[data-note]").hidden`) {
				t.Error("an anchor to a row produced a note")
			}
			tb.assertClean(t, o)
		})
	}
}

func TestEvidenceSearchReferencesAndGlossary(t *testing.T) {
	ev := evLoad(t)
	var thery []string
	for _, r := range ev.References {
		if strings.Contains(strings.ToLower(r.Authors+" "+r.Title), "théry") {
			thery = append(thery, fmt.Sprintf("ref-%d", r.Number))
		}
	}
	if len(thery) == 0 {
		t.Fatal("no reference by Théry to search for")
	}
	for _, o := range origins(t) {
		t.Run(o.name, func(t *testing.T) {
			// Accents do not matter: "thery" finds Théry.
			tb := evOpen(t, o, "references.html")
			tb.do(t, "search thery", chromedp.SendKeys(chromedp.CSS("[data-search]"), "thery"))
			evWaitCount(t, tb, len(thery), len(ev.References))
			if got := evVisibleIDs(t, tb); !slices.Equal(got, thery) {
				t.Errorf("search thery: visible %v, want %v", got, thery)
			}
			tb.assertClean(t, o)

			tb = evOpen(t, o, "glossary.html")
			tb.do(t, "search the glossary", chromedp.SendKeys(chromedp.CSS("[data-search]"), "Wharton"))
			n := 0
			for _, term := range ev.Glossary.Terms {
				if strings.Contains(strings.ToLower(term.Term+" "+term.Expansion+" "+term.Definition+" "+term.Source+" "+term.Note), "wharton") {
					n++
				}
			}
			evWaitCount(t, tb, n, len(ev.Glossary.Terms))
			tb.assertClean(t, o)
		})
	}
}
