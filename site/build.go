package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/a-h/templ"

	"exosep/assets"
	"exosep/engine/catalog"
	"exosep/engine/protocol"
	"exosep/site/evidence"
	"exosep/site/params"
)

// Names of the generated runtime files.
const (
	WasmExecFile  = "wasm_exec.js"
	StageWasmFile = "stage.wasm.js"
	// ManifestFile lists, one per line, the files the last Write put in
	// its directory; the next Write removes those it no longer produces.
	ManifestFile = ".exosep-site-files"
)

// Build renders every page of the site into memory and adds the static
// files (from assets.Static, under static/), wasm_exec.js (the Go runtime
// glue; pass the copy from the toolchain that built the wasm) and
// stage.wasm.js, which defines window.EXOSEP_STAGE_WASM as the base64 of
// the gzip (level 9) of stageWasm, and the evidence tables as CSV and JSON
// under data/ (loaded from assets.Evidence; invalid evidence data fail the
// build with the loader's list of problems). Keys are slash-separated
// paths relative to the site's root.
func Build(ctx context.Context, cat *catalog.Catalog, stageWasm, wasmExecJS []byte) (map[string][]byte, error) {
	if cat == nil {
		return nil, errors.New("site.Build: catalogue is nil")
	}
	if len(stageWasm) == 0 {
		return nil, errors.New("site.Build: the stage wasm is empty")
	}
	if len(wasmExecJS) == 0 {
		return nil, errors.New("site.Build: wasm_exec.js is empty")
	}
	duc, err := newDucView(cat)
	if err != nil {
		return nil, err
	}
	builder, err := newBuilderView(cat)
	if err != nil {
		return nil, err
	}
	ev, err := evidence.Load(evidenceFS)
	if err != nil {
		return nil, err // the loader's message lists every problem
	}
	downloads, err := evidenceDownloads(ev)
	if err != nil {
		return nil, err
	}
	evv, err := newEvidenceView(ev, downloads)
	if err != nil {
		return nil, err
	}
	schema, err := newSchema(cat)
	if err != nil {
		return nil, err
	}
	paramsJS, err := schema.JS()
	if err != nil {
		return nil, err
	}
	model, err := newModelView(cat, schema)
	if err != nil {
		return nil, err
	}
	cmp, err := newCompareView(cat, duc, schema)
	if err != nil {
		return nil, err
	}
	plib, err := protocol.Default()
	if err != nil {
		return nil, err
	}
	filt, err := newFiltrationView(cat, plib)
	if err != nil {
		return nil, err
	}
	grad := newGradientView(cat, schema)
	evidencePage := func(file, title, description string) page {
		return page{File: file, Title: title + " · ExoSep", Description: description, Scripts: []string{"static/evidence.js"}}
	}
	pages := []struct {
		file string
		c    templ.Component
	}{
		{"index.html", indexPage(page{
			File: "index.html", Title: "ExoSep: how exosomes are isolated from MSC culture media",
			Description: "An offline, in-browser explorer of how exosomes are isolated from mesenchymal stem cell culture media, for students, teachers and researchers.",
		}, duc)},
		{"duc.html", ducPage(page{
			File: "duc.html", Title: "Differential ultracentrifugation · ExoSep",
			Description: "Build an exosome isolation protocol (spins, filtration, resuspension) or explore one centrifuge spin, and see where every particle goes.",
			Scripts:     ducScripts,
		}, duc, builder)},
		{"gradient.html", gradientPage(page{
			File: "gradient.html", Title: "Density-gradient ultracentrifugation · ExoSep",
			Description: "Build a sucrose, iodixanol or CsCl gradient, spin it rate-zonal or isopycnic, watch the bands form and read every fraction.",
			Scripts:     gradientScripts,
		}, grad)},
		{"gradient-embed.html", gradientEmbedPage(page{
			File: "gradient-embed.html", Title: "Density-gradient ultracentrifugation · ExoSep",
			Description: "Embeddable density-gradient simulator.", Scripts: gradientEmbedScripts,
		}, grad)},
		{"ultrafiltration.html", ultrafiltrationPage(page{
			File: "ultrafiltration.html", Title: "Ultrafiltration · ExoSep",
			Description: "Ultrafiltration of conditioned medium: membranes by cut-off, dead-end or tangential flow, pressure and cross-flow; particles crossing pores, fouling and flux, beside centrifugation.",
			Scripts:     filtrationScripts,
		}, filt)},
		{"sequential-filtration.html", sequentialFiltrationPage(page{
			File: "sequential-filtration.html", Title: "Sequential filtration · ExoSep",
			Description: "Sequential filtration of up to a litre: 100 nm dead-end, 500 kDa tangential flow, 100 nm track-etch at low pressure, step by step, beside centrifugation.",
			Scripts:     filtrationScripts,
		}, filt)},
		{params.PageUFEmbed, filtrationEmbedPage(page{
			File: params.PageUFEmbed, Title: "Ultrafiltration · ExoSep",
			Description: "Embeddable ultrafiltration simulator.", Scripts: filtrationScripts,
		}, filt, "uf", params.PageUFEmbed, "Ultrafiltration", params.PageUF)},
		{params.PageSFEmbed, filtrationEmbedPage(page{
			File: params.PageSFEmbed, Title: "Sequential filtration · ExoSep",
			Description: "Embeddable sequential-filtration simulator.", Scripts: filtrationScripts,
		}, filt, "sf", params.PageSFEmbed, "Sequential filtration", params.PageSF)},
		{"model.html", modelPage(page{
			File: "model.html", Title: "How the model works · ExoSep",
			Description: "The equations, assumptions, known limits and data behind ExoSep's ultracentrifugation simulator.",
		}, model)},
		// Course pages (site/course.go).
		{"teacher.html", teacherPage(page{
			File: "teacher.html", Title: "Teacher guide · ExoSep",
			Description: "Learning goals, ready activities, the model's limits, a printable worksheet, URL parameters and the embedding API.",
			Scripts:     []string{"static/teacher.js"},
		}, newTeacherView(schema))},
		{"compare.html", comparePage(page{
			File: "compare.html", Title: "Compare set-ups · ExoSep",
			Description: "The same sample spun in two or three centrifuge set-ups side by side, with one results table.",
			Scripts:     compareScripts,
		}, cmp)},
		{"compare-embed.html", compareEmbedPage(page{
			File: "compare-embed.html", Title: "Compare centrifuge set-ups · ExoSep",
			Description: "Embeddable comparison of centrifuge set-ups.", Scripts: compareScripts,
		}, cmp)},
		{"duc-embed.html", ducEmbedPage(page{
			File: "duc-embed.html", Title: "Differential ultracentrifugation · ExoSep",
			Description: "Embeddable centrifuge simulator.", Scripts: embedScripts,
		}, duc)},
		{"embed-example.html", embedExamplePage(page{
			File: "embed-example.html", Title: "Embed example · ExoSep",
			Description: "A course page that embeds the simulator and drives it with the host API.",
			Scripts:     []string{"static/embed-example.js"},
		})},
		{"stage.html", stagePage(page{File: "stage.html", Title: "ExoSep stage: animated centrifuge tube"})},
		{"preclinical.html", preclinicalPage(evidencePage("preclinical.html", "Preclinical evidence",
			"What MSC exosomes did in animal and cell models, study by study: filter by disease area, organ, MSC source, cargo and species."), evv)},
		{"trials.html", trialsPage(evidencePage("trials.html", "Clinical trials",
			"Clinical trials and reports of MSC exosomes: the review's table, other registered trials, and clinical reports, kept apart."), evv)},
		{"methods.html", methodsPage(evidencePage("methods.html", "Method comparison",
			"What the review says about five ways to isolate exosomes (DUC, RZUC, IPUC, UF, SF), beside the simulator's figures."), evv)},
		{"references.html", referencesPage(evidencePage("references.html", "References",
			"The review's 121 references, each with an anchor, and where this site cites it."), evv)},
		{"glossary.html", glossaryPage(evidencePage("glossary.html", "Glossary",
			"The abbreviations used in the review and on this site, with short plain definitions."), evv)},
		{"about.html", aboutPage(evidencePage("about.html", "About the review",
			"The review the evidence comes from, its licence, and what was reconstructed here and how."), evv)},
	}
	files := map[string][]byte{}
	for _, p := range pages {
		var buf bytes.Buffer
		if err := p.c.Render(ctx, &buf); err != nil {
			return nil, fmt.Errorf("rendering %s: %w", p.file, err)
		}
		files[p.file] = buf.Bytes()
	}
	err = fs.WalkDir(assets.Static, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets.Static, name)
		files[name] = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading static files: %w", err)
	}
	for name, b := range downloads {
		files[name] = b
	}
	files[params.File] = paramsJS
	files[WasmExecFile] = slices.Clone(wasmExecJS)
	js, err := StageWasmJS(stageWasm)
	if err != nil {
		return nil, err
	}
	files[StageWasmFile] = js
	return files, nil
}

// StageWasmJS wraps the stage's wasm for loading from file://: a script
// that sets window.EXOSEP_STAGE_WASM to the base64 of its gzip (level 9).
// static/stage-loader.js decodes it with DecompressionStream("gzip").
func StageWasmJS(wasm []byte) ([]byte, error) {
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(wasm); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteString("// Generated by ExoSep's site build: the stage's WebAssembly, gzip -9, base64.\n")
	out.WriteString("window.EXOSEP_STAGE_WASM = \"")
	out.WriteString(base64.StdEncoding.EncodeToString(gz.Bytes()))
	out.WriteString("\";\n")
	return out.Bytes(), nil
}

// checkName rejects paths that would leave the output directory.
func checkName(name string) error {
	if name == "" || !fs.ValidPath(name) || name == "." || name == ManifestFile {
		return fmt.Errorf("site.Write: invalid file name %q", name)
	}
	return nil
}

// Write writes files under dir (created if needed). It first removes the
// files it wrote last time (listed in dir/.exosep-site-files) that are not
// in files, and never touches anything else in dir, such as the stage.wasm
// the build read its input from. Each file is written to a temporary name
// and renamed into place.
func Write(dir string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for name := range files {
		if err := checkName(name); err != nil {
			return err
		}
		names = append(names, name)
	}
	slices.Sort(names)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()

	// Remove stale files from the previous Write.
	if old, err := root.ReadFile(ManifestFile); err == nil {
		for _, name := range strings.Split(string(old), "\n") {
			name = strings.TrimSpace(name)
			if name == "" || checkName(name) != nil {
				continue
			}
			if _, keep := files[name]; keep {
				continue
			}
			if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("removing stale %s: %w", name, err)
			}
			// Remove directories the stale file leaves empty.
			for d := path.Dir(name); d != "."; d = path.Dir(d) {
				if root.Remove(d) != nil {
					break
				}
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}

	for _, name := range names {
		if d := path.Dir(name); d != "." {
			if err := root.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
		tmp := name + ".tmp"
		if err := root.WriteFile(tmp, files[name], 0o644); err != nil {
			return err
		}
		if err := root.Rename(tmp, name); err != nil {
			return err
		}
	}
	manifest := strings.Join(names, "\n") + "\n"
	if err := root.WriteFile(ManifestFile, []byte(manifest), 0o644); err != nil {
		return err
	}
	return nil
}
