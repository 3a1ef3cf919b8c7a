package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"exosep/site/evidence"
)

// The data downloads: each evidence table as CSV (RFC 4180: encoding/csv
// with CRLF line ends, one header row, then one row per data row; list
// fields joined with "; ") and as JSON (the table as loaded, inside an
// envelope that carries the attribution CC BY 4.0 asks for).

// downloadTables are the tables written as data/<name>.csv and .json.
var downloadTables = []string{"preclinical", "trials", "methods", "references", "glossary"}

// listSep joins list fields in CSV cells.
const listSep = "; "

// Attribution is the "about" part of every JSON download.
type Attribution struct {
	Title      string `json:"title"`
	Source     string `json:"source"` // the review's citation
	DOI        string `json:"doi"`
	Licence    string `json:"licence"`
	LicenceURL string `json:"licence_url"`
	Changes    string `json:"changes"`
	Status     string `json:"status,omitempty"` // e.g. "reconstructed from the review's text"
	Generator  string `json:"generator"`
}

// DownloadJSON is the shape of every data/*.json file: "data" holds the
// table in the shape of assets/evidence (see SCHEMA.md); methods.json also
// holds the engine's figures under "engine_figures", keyed by method ID.
type DownloadJSON[T any] struct {
	About         Attribution               `json:"about"`
	Data          T                         `json:"data"`
	EngineFigures map[string][]EngineFigure `json:"engine_figures,omitempty"`
}

// ReferencesData is the "data" of data/references.json.
type ReferencesData struct {
	References []evidence.Reference `json:"references"`
}

// evidenceDownloads renders the CSV and JSON files of every table, keyed
// by their path in the site ("data/preclinical.csv", ...).
func evidenceDownloads(ev *evidence.Evidence) (map[string][]byte, error) {
	about := func(title, status string) Attribution {
		return Attribution{
			Title:      title,
			Source:     ev.Review.Citation,
			DOI:        ev.Review.DOI,
			Licence:    ev.Review.Licence,
			LicenceURL: ev.Review.LicenceURL,
			Changes:    ev.Review.Changes,
			Status:     status,
			Generator:  "ExoSep site build (assets/evidence)",
		}
	}
	figures := map[string][]EngineFigure{}
	for _, id := range evidence.MethodIDs {
		f, err := MethodFigures(id)
		if err != nil {
			return nil, err
		}
		figures[id] = f
	}

	out := map[string][]byte{}
	add := func(name string, records [][]string, doc any) error {
		c, err := encodeCSV(records)
		if err != nil {
			return fmt.Errorf("data/%s.csv: %w", name, err)
		}
		var j bytes.Buffer
		enc := json.NewEncoder(&j)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return fmt.Errorf("data/%s.json: %w", name, err)
		}
		out["data/"+name+".csv"] = c
		out["data/"+name+".json"] = j.Bytes()
		return nil
	}
	steps := []struct {
		name    string
		records [][]string
		doc     any
	}{
		{"preclinical", preclinicalRecords(ev), DownloadJSON[evidence.PreclinicalTable]{
			About: about("Table 2: "+ev.Preclinical.Caption, ev.Preclinical.Status), Data: ev.Preclinical}},
		{"trials", trialRecords(ev), DownloadJSON[evidence.TrialTable]{
			About: about("Table 3: "+ev.Trials.Caption, ev.Trials.Status), Data: ev.Trials}},
		{"methods", methodRecords(ev, figures), DownloadJSON[evidence.MethodTable]{
			About: about("Table 1: "+ev.Methods.Caption, ev.Methods.Status), Data: ev.Methods, EngineFigures: figures}},
		{"references", referenceRecords(ev), DownloadJSON[ReferencesData]{
			About: about("References of the review", ""), Data: ReferencesData{ev.References}}},
		{"glossary", glossaryRecords(ev), DownloadJSON[evidence.Glossary]{
			About: about("Abbreviations of the review", ""), Data: ev.Glossary}},
	}
	for _, s := range steps {
		if err := add(s.name, s.records, s.doc); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// encodeCSV writes records as RFC 4180 CSV (CRLF line ends).
func encodeCSV(records [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	if err := w.WriteAll(records); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func ints(ns []int) string { return joinInts(ns, listSep) }

// PreclinicalCSVHeader is the header row of data/preclinical.csv.
var PreclinicalCSVHeader = []string{
	"id", "area", "organ", "condition", "model", "species", "msc_source", "modification",
	"cargo_types", "cargo", "mechanism", "outcome", "refs", "from_title", "notes",
}

func preclinicalRecords(ev *evidence.Evidence) [][]string {
	out := [][]string{PreclinicalCSVHeader}
	for _, r := range ev.Preclinical.Rows {
		var types, cargo []string
		for _, c := range r.Cargo {
			cargo = append(cargo, c.Type+": "+c.Name)
			if !slices.Contains(types, c.Type) {
				types = append(types, c.Type)
			}
		}
		out = append(out, []string{
			r.ID, r.Area, r.Organ, r.Condition, r.Model, r.Species, r.MSCSource, r.Modification,
			strings.Join(types, listSep), strings.Join(cargo, listSep), r.Mechanism, r.Outcome,
			ints(r.Refs), strings.Join(r.FromTitle, listSep), r.Notes,
		})
	}
	return out
}

// TrialsCSVHeader is the header row of data/trials.csv.
var TrialsCSVHeader = []string{
	"id", "group", "organ", "condition", "trial_id", "phase", "status_2020", "later_status",
	"later_status_source", "source", "msc_source", "modification", "dose_frequency_route", "route", "location",
	"refs", "outcome", "flags", "provenance", "notes",
}

func trialRecords(ev *evidence.Evidence) [][]string {
	out := [][]string{TrialsCSVHeader}
	for _, t := range ev.Trials.Rows {
		var later, from []string
		for _, l := range t.LaterStatus {
			later = append(later, l.Status+" ("+l.When+")")
			from = append(from, l.Provenance)
		}
		out = append(out, []string{
			t.ID, t.Group, t.Organ, t.Condition, t.TrialID, t.Phase, t.Status2020,
			strings.Join(later, listSep), strings.Join(from, listSep), t.Source, t.MSCSource, t.Modification,
			t.DoseFrequencyRoute, t.Route, t.Location, ints(t.Refs), t.Outcome,
			strings.Join(t.Flags, listSep), t.Provenance, t.Notes,
		})
	}
	return out
}

// MethodsCSVHeader is the header row of data/methods.csv: one row per
// claim of each method (a claim made on a group of methods appears under
// every member, claim_from naming the group), and one row saying "not
// stated in review" for an aspect the review leaves open. The engine's
// figure for the aspect, if it has one, is repeated on each of its rows.
var MethodsCSVHeader = []string{
	"method_id", "method", "family", "aspect", "claim", "refs", "claim_from", "note",
	"engine_figure", "engine_status", "engine_value", "engine_unit",
}

// methodCSVRows is the number of data rows of data/methods.csv.
func methodCSVRows(ev *evidence.Evidence) int {
	n := 0
	for _, m := range ev.Methods.Methods {
		for _, a := range evidence.Aspects {
			n += max(1, len(ev.ClaimsFor(m.ID, a)))
		}
	}
	return n
}

func methodRecords(ev *evidence.Evidence, figures map[string][]EngineFigure) [][]string {
	out := [][]string{MethodsCSVHeader}
	for _, m := range ev.Methods.Methods {
		for _, a := range evidence.Aspects {
			engine := []string{"", "", "", ""}
			for _, f := range figures[m.ID] {
				if f.Aspect != a {
					continue
				}
				engine = []string{f.Label, f.Status, "", ""}
				if f.Built {
					engine = []string{f.Label, "computed", strconv.FormatFloat(f.Value, 'g', -1, 64), f.Unit}
				}
			}
			claims := ev.ClaimsFor(m.ID, a)
			if len(claims) == 0 {
				out = append(out, append([]string{m.ID, m.Name, m.Family, a, evidence.NotStated, "", "", ""}, engine...))
			}
			for _, c := range claims {
				out = append(out, append([]string{m.ID, m.Name, m.Family, a, c.Claim.Claim, ints(c.Refs), c.From, c.Note}, engine...))
			}
		}
	}
	return out
}

// ReferencesCSVHeader is the header row of data/references.csv.
var ReferencesCSVHeader = []string{
	"number", "kind", "authors", "title", "journal", "book", "editors", "publisher", "place",
	"year", "volume", "issue", "pages", "doi", "pmid", "cited_in", "note", "citation",
}

func referenceRecords(ev *evidence.Evidence) [][]string {
	out := [][]string{ReferencesCSVHeader}
	for _, r := range ev.References {
		out = append(out, []string{
			strconv.Itoa(r.Number), r.Kind, r.Authors, r.Title, r.Journal, r.Book, r.Editors,
			r.Publisher, r.Place, strconv.Itoa(r.Year) + r.YearSuffix, r.Volume, r.Issue, r.Pages,
			r.DOI, r.PMID, strings.Join(r.CitedIn, listSep), r.Note, r.Citation(),
		})
	}
	return out
}

// GlossaryCSVHeader is the header row of data/glossary.csv.
var GlossaryCSVHeader = []string{"term", "expansion", "definition", "source", "note"}

func glossaryRecords(ev *evidence.Evidence) [][]string {
	out := [][]string{GlossaryCSVHeader}
	for _, t := range ev.Glossary.Terms {
		out = append(out, []string{t.Term, t.Expansion, t.Definition, t.Source, t.Note})
	}
	return out
}
