package evidence

// Evidence is the whole evidence data set. Load fills it; slices are sorted
// as documented on each field.
type Evidence struct {
	Review      Review
	References  []Reference // by Number
	Preclinical PreclinicalTable
	Trials      TrialTable
	Glossary    Glossary
	Methods     MethodTable

	refIndex  map[int]int
	termIndex map[string]int
}

// Review is review.json: the review's citation and licence.
type Review struct {
	File                string      `json:"file"`
	Title               string      `json:"title"`
	Authors             string      `json:"authors"`
	CorrespondingAuthor string      `json:"corresponding_author"`
	Journal             string      `json:"journal"`
	Year                int         `json:"year"`
	Volume              string      `json:"volume"`
	Article             string      `json:"article"`
	DOI                 string      `json:"doi"`
	DOISource           string      `json:"doi_source"`
	URL                 string      `json:"url"`
	Citation            string      `json:"citation"`
	Licence             string      `json:"licence"`
	LicenceURL          string      `json:"licence_url"`
	LicenceSource       string      `json:"licence_source"`
	Changes             string      `json:"changes"`
	Tables              []TableInfo `json:"tables"`
}

// TableInfo describes one of the review's three tables.
type TableInfo struct {
	Number  int    `json:"number"`
	File    string `json:"file"`
	Caption string `json:"caption"`
	Status  string `json:"status"`
}

// ReferenceList is references.json.
type ReferenceList struct {
	File             string      `json:"file"`
	Source           string      `json:"source"`
	IdentifierPolicy string      `json:"identifier_policy"`
	References       []Reference `json:"references"`
}

// Reference is one entry of the review's reference list.
type Reference struct {
	Number     int      `json:"number"`
	Kind       string   `json:"kind"`
	Authors    string   `json:"authors"`
	Title      string   `json:"title"`
	Journal    string   `json:"journal"`
	Book       string   `json:"book"`
	Editors    string   `json:"editors"`
	Publisher  string   `json:"publisher"`
	Place      string   `json:"place"`
	Year       int      `json:"year"`
	YearSuffix string   `json:"year_suffix"`
	Volume     string   `json:"volume"`
	Issue      string   `json:"issue"`
	Pages      string   `json:"pages"`
	DOI        string   `json:"doi"`
	DOISource  string   `json:"doi_source"`
	PMID       string   `json:"pmid"`
	PMIDSource string   `json:"pmid_source"`
	CitedIn    []string `json:"cited_in"`
	Note       string   `json:"note"`
}

// PreclinicalTable is preclinical.json (Table 2).
type PreclinicalTable struct {
	File    string           `json:"file"`
	Table   int              `json:"table"`
	Caption string           `json:"caption"`
	Status  string           `json:"status"`
	Source  string           `json:"source"`
	Method  string           `json:"method"`
	Rows    []PreclinicalRow `json:"rows"` // by area (Areas order), then first ref, then id
}

// PreclinicalRow is one study of Table 2.
type PreclinicalRow struct {
	ID           string   `json:"id"`
	Area         string   `json:"area"`
	Organ        string   `json:"organ"`
	Condition    string   `json:"condition"`
	Model        string   `json:"model"`
	Species      string   `json:"species"`
	MSCSource    string   `json:"msc_source"`
	Modification string   `json:"modification"` // empty: none mentioned
	Cargo        []Cargo  `json:"cargo"`        // empty: none named
	Mechanism    string   `json:"mechanism"`
	Outcome      string   `json:"outcome"`
	Refs         []int    `json:"refs"`
	FromTitle    []string `json:"from_title"` // fields whose value comes from the cited title
	Notes        string   `json:"notes"`
}

// Cargo is one named exosomal cargo molecule.
type Cargo struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// TrialTable is trials.json (Table 3).
type TrialTable struct {
	File    string            `json:"file"`
	Table   int               `json:"table"`
	Caption string            `json:"caption"`
	Status  string            `json:"status"`
	Source  string            `json:"source"`
	Columns []string          `json:"columns"`
	Groups  map[string]string `json:"groups"`
	Rows    []Trial           `json:"rows"` // by group (TrialGroups order), then id
}

// Trial is one row of Table 3 or one related trial or clinical report.
type Trial struct {
	ID                 string        `json:"id"`
	Group              string        `json:"group"`
	Organ              string        `json:"organ"`
	Condition          string        `json:"condition"`
	TrialID            string        `json:"trial_id"` // empty for clinical reports
	Phase              string        `json:"phase"`
	Status2020         string        `json:"status_2020"`
	Source             string        `json:"source"`     // label as given (e.g. "AD-MSC")
	MSCSource          string        `json:"msc_source"` // controlled (MSCSources)
	Modification       string        `json:"modification"`
	DoseFrequencyRoute string        `json:"dose_frequency_route"`
	Route              string        `json:"route"`
	Location           string        `json:"location"`
	Refs               []int         `json:"refs"`
	Outcome            string        `json:"outcome"`
	LaterStatus        []LaterStatus `json:"later_status"`
	Flags              []string      `json:"flags"`
	Provenance         string        `json:"provenance"`
	Notes              string        `json:"notes"`
}

// LaterStatus is a registry status reached after 2020.
type LaterStatus struct {
	Status     string `json:"status"`
	When       string `json:"when"`
	Provenance string `json:"provenance"`
}

// Glossary is glossary.json.
type Glossary struct {
	File   string `json:"file"`
	Source string `json:"source"`
	Method string `json:"method"`
	Terms  []Term `json:"terms"` // by term, case-insensitive
}

// Term is one abbreviation.
type Term struct {
	Term       string `json:"term"`
	Expansion  string `json:"expansion"`
	Definition string `json:"definition"`
	Source     string `json:"source"`
	Note       string `json:"note"`
}

// MethodTable is methods.json (Table 1).
type MethodTable struct {
	File          string        `json:"file"`
	Table         int           `json:"table"`
	Caption       string        `json:"caption"`
	Status        string        `json:"status"`
	Source        string        `json:"source"`
	Method        string        `json:"method"`
	Aspects       []string      `json:"aspects"`
	Groups        []MethodGroup `json:"groups"`
	Methods       []Method      `json:"methods"` // in MethodIDs order
	TableOnlyRefs TableOnly     `json:"table_only_refs"`
}

// MethodGroup holds claims the review makes about a family of methods
// (UC-based, DGUC); they apply to every member.
type MethodGroup struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Members []string `json:"members"`
	Claims  []Claim  `json:"claims"`
}

// Method is one isolation method of Table 1.
type Method struct {
	ID            string        `json:"id"`
	Name          string        `json:"name"`
	Family        string        `json:"family"`
	Parent        string        `json:"parent"`
	Groups        []string      `json:"groups"`
	Claims        []Claim       `json:"claims"`
	EngineFigures EngineFigures `json:"engine_figures"`
}

// Claim is one qualitative statement of the review, paraphrased.
type Claim struct {
	Aspect string `json:"aspect"`
	Claim  string `json:"claim"`
	Refs   []int  `json:"refs"`
	Note   string `json:"note"`
}

// EngineFigures hold the isolation engine's figures for a method, keyed by
// aspect. While Status is EngineNotBuilt every figure is nil.
type EngineFigures struct {
	Status  string                   `json:"status"`
	Figures map[string]*EngineFigure `json:"figures"`
}

// EngineFigure is one computed figure (filled by the engine later).
type EngineFigure struct {
	Value    float64 `json:"value"`
	Unit     string  `json:"unit"`
	Protocol string  `json:"protocol"`
	Note     string  `json:"note"`
}

// TableOnly records the references cited only by Table 1.
type TableOnly struct {
	Refs      []int             `json:"refs"`
	Source    string            `json:"source"`
	Summaries map[string]string `json:"summaries"`
}

// SourcedClaim is a claim together with where it was stated: the method's
// own ID or the ID of a group the method belongs to.
type SourcedClaim struct {
	Claim
	From string
}

// Count is one bucket of a tally.
type Count struct {
	Key   string
	Label string
	N     int
}
