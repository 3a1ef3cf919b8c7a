// Package evidence loads and validates the structured evidence data of the
// review Nikfarjam et al., "Mesenchymal stem cell derived-exosomes: a modern
// approach in translational medicine", J Transl Med 18:449 (2020),
// doi:10.1186/s12967-020-02622-3, CC BY 4.0.
//
// The data live in assets/evidence/*.json (documented in
// assets/evidence/SCHEMA.md) and are embedded as assets.Evidence:
//
//	review.json       the review's citation and licence
//	references.json   all 121 references of the review
//	preclinical.json  Table 2, rebuilt from the text (one row per study)
//	trials.json       Table 3: recovered rows, other registered trials, and
//	                  clinical reports
//	glossary.json     abbreviations the review defines
//	methods.json      Table 1, rebuilt from the text (isolation methods)
//
// Load reads all files from an fs.FS in which they sit under "evidence/",
// decodes them strictly (unknown fields are errors), sorts every slice, and
// validates the whole set. Validation collects every problem rather than
// stopping at the first; each Problem names the file, the row id and the
// field, and says what is allowed. On failure Load returns the partly loaded
// Evidence together with a *ValidationError.
//
// The helpers on *Evidence (Ref, CountsByArea, Organs, TrialRoutes, ...)
// return sorted slices so that templates can range over them directly.
package evidence
