package evidence

// Sentinel values used where a source is silent.
const (
	// NotStated marks a value the review (or, for Table 3 rows, the
	// recovered table) does not give.
	NotStated = "not stated in review"
	// NotRecorded marks a value that evidence-notes.md does not give for a
	// trial outside the paper's table (group "also-registered").
	NotRecorded = "not recorded"
	// NotApplicable is the phase of a clinical report that is not a
	// registered trial.
	NotApplicable = "not applicable"
	// EngineNotBuilt is the status of engine figures before the isolation
	// engine model exists; all figures must then be null.
	EngineNotBuilt = "engine model not built yet"
	// ReconstructedStatus is the status of Tables 1 and 2.
	ReconstructedStatus = "reconstructed from the review's text"
)

// File names, relative to the "evidence" directory.
const (
	FileReview      = "review.json"
	FileReferences  = "references.json"
	FilePreclinical = "preclinical.json"
	FileTrials      = "trials.json"
	FileGlossary    = "glossary.json"
	FileMethods     = "methods.json"
)

// Dir is the directory, inside the fs.FS given to Load, that holds the files.
const Dir = "evidence"

// ReferenceCount is the number of references in the review's list.
const ReferenceCount = 121

// Table 2 covers references FirstPreclinicalRef..LastPreclinicalRef.
const (
	FirstPreclinicalRef = 50
	LastPreclinicalRef  = 105
)

// Areas of Table 2, in the review's section order.
var Areas = []string{"cardiovascular", "kidney", "liver", "neurological", "wound-healing", "other"}

// AreaLabels are display labels for Areas.
var AreaLabels = map[string]string{
	"cardiovascular": "Cardiovascular",
	"kidney":         "Kidney",
	"liver":          "Liver",
	"neurological":   "Neurological",
	"wound-healing":  "Wound healing",
	"other":          "Other diseases",
}

// AreaIDPrefix is the row-id prefix each area uses (e.g. "cv-01").
var AreaIDPrefix = map[string]string{
	"cardiovascular": "cv",
	"kidney":         "kd",
	"liver":          "lv",
	"neurological":   "nr",
	"wound-healing":  "wh",
	"other":          "ot",
}

// Organs allowed in preclinical rows.
var Organs = []string{
	"heart", "lung", "kidney", "liver", "brain", "spinal cord",
	"central nervous system", "skin", "skeletal muscle", "limb",
	"vasculature", "bone", "cartilage", "eye", "pancreas", "immune system",
	NotStated,
}

// Species allowed in preclinical rows. "murine" is kept where the review
// says murine without telling mouse from rat.
var Species = []string{"mouse", "rat", "murine", "pig", "rabbit", "sheep", "in vitro", NotStated}

// MSCSources is the controlled vocabulary of MSC tissue sources, shared by
// preclinical rows and trials. NotRecorded is allowed only in trials of the
// "also-registered" group.
var MSCSources = []string{
	"bone marrow", "bone", "adipose", "umbilical cord", "umbilical cord blood",
	"Wharton's jelly", "ESC-derived", "iPSC-derived", "dental pulp",
	"endometrium", "chorionic plate", "kidney", "placenta", "amniotic fluid",
	NotStated, NotRecorded,
}

// CargoTypes allowed for cargo items.
var CargoTypes = []string{"miRNA", "mRNA", "protein", "lncRNA", "other"}

// FromTitleFields are the preclinical fields that may be marked as taken
// from the cited paper's title.
var FromTitleFields = []string{"condition", "model", "species", "msc_source", "modification", "cargo", "mechanism", "outcome"}

// TrialGroups, in display order.
var TrialGroups = []string{"review-table", "also-registered", "clinical-report"}

// TrialGroupLabels are display labels for TrialGroups.
var TrialGroupLabels = map[string]string{
	"review-table":    "Rows of the paper's Table 3",
	"also-registered": "Also registered (not known to be in the paper's table)",
	"clinical-report": "Clinical reports without a registry ID",
}

// TrialOrgans allowed in trials.
var TrialOrgans = []string{"lung", "skin", "brain", "eye", "kidney", "pancreas", "periodontium", "immune system", "multiple organs"}

// TrialPhases allowed in trials, in order of phase.
var TrialPhases = []string{"Early I", "I", "I/II", "II", "II/III", "III", NotApplicable, NotRecorded}

// TrialStatuses allowed for status_2020.
var TrialStatuses = []string{"Not yet recruiting", "Recruiting", "Enrolling by invitation", "Active, not recruiting", "Completed", "Terminated", "published report", NotRecorded}

// TrialRoutes allowed in trials.
var TrialRoutes = []string{"inhalation", "intravenous", "topical", "intravitreal", "intranasal", "stereotactic", "eye drops", "intramuscular", "subcutaneous", NotStated, NotRecorded}

// ReferenceKinds allowed in references.json.
var ReferenceKinds = []string{"journal-article", "book-chapter"}

// CitedInValues are the places of the review a reference can be cited in.
var CitedInValues = []string{
	"Background", "Exosomes", "Isolation methods", "Cardiovascular", "Kidney",
	"Liver", "Neurological", "Wound healing", "Other diseases",
	"Clinical trials", "Concluding remarks", "Table 1",
}

// GlossarySources say where a glossary term is defined.
var GlossarySources = []string{"abbreviations list", "text", "abbreviations list and text", "used in text, not defined"}

// MethodIDs of Table 1, in display order.
var MethodIDs = []string{"DUC", "RZUC", "IPUC", "UF", "SF"}

// MethodFamilies allowed for methods.
var MethodFamilies = []string{"ultracentrifugation", "filtration"}

// Aspects of Table 1 claims, in display order. "use" records where and how
// widely a method is used.
var Aspects = []string{"principle", "purity", "yield", "time", "scalability", "equipment", "expertise", "cost", "damage", "use"}

// AspectLabels are display labels for Aspects.
var AspectLabels = map[string]string{
	"principle":   "Principle",
	"purity":      "Purity",
	"yield":       "Yield",
	"time":        "Time",
	"scalability": "Scalability",
	"equipment":   "Equipment",
	"expertise":   "Expertise",
	"cost":        "Cost",
	"damage":      "Damage to vesicles",
	"use":         "Use",
}

// TableOnlyRefs are the references cited only by Table 1
// (evidence-notes.md).
var TableOnlyRefs = []int{113, 114, 115, 116, 117, 118, 119, 120, 121}
