// Package assets holds ExoSep's data files and static web files, embedded so
// that the engine, the CLI and the site generator read the same bytes.
//
// data/     physics data (species, media, rotors) and their sources; every
//
//	number carries a unit, a source key and a confidence mark.
//
// evidence/ the review's evidence tables, reconstructed (see its SCHEMA.md).
// static/   CSS and JavaScript copied verbatim into the built site.
//
// This package only embeds; typed loading and validation live with the code
// that uses each file (engine/... for physics, site/evidence for evidence).
package assets

import "embed"

// Data is the physics data: data/*.json.
//
//go:embed data
var Data embed.FS

// Evidence is the evidence data: evidence/*.
//
//go:embed evidence
var Evidence embed.FS

// Static is the site's static files: static/*.
//
//go:embed static
var Static embed.FS
