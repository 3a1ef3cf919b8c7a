// Command build generates ExoSep's static site.
//
//	go run ./site/cmd/build -out dist -wasm dist/stage.wasm
//
// It reads the stage's WebAssembly (built with
// GOOS=js GOARCH=wasm go build -o dist/stage.wasm ./wasm) and the
// wasm_exec.js of the Go toolchain in use ($(go env GOROOT)/lib/wasm), which
// must be the one that built the wasm, renders every page and writes the
// site to -out. Missing inputs exit with status 2 and say what to do.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"exosep/engine/catalog"
	"exosep/site"
)

func main() {
	out := flag.String("out", "dist", "output directory")
	wasmPath := flag.String("wasm", "dist/stage.wasm", "the stage's WebAssembly (GOOS=js GOARCH=wasm go build -o dist/stage.wasm ./wasm)")
	execPath := flag.String("wasm-exec", "", "wasm_exec.js to ship (default: $(go env GOROOT)/lib/wasm/wasm_exec.js)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: build [-out dist] [-wasm dist/stage.wasm] [-wasm-exec path]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}

	wasm, err := os.ReadFile(*wasmPath)
	if err != nil {
		inputError("cannot read the stage wasm: %v\nBuild it first:\n  GOOS=js GOARCH=wasm go build -trimpath -ldflags=\"-s -w\" -o %s ./wasm", err, *wasmPath)
	}
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		inputError("%s is not a WebAssembly module (it does not start with \\0asm)", *wasmPath)
	}
	if *execPath == "" {
		*execPath = filepath.Join(goroot(), "lib", "wasm", "wasm_exec.js")
	}
	execJS, err := os.ReadFile(*execPath)
	if err != nil {
		inputError("cannot read wasm_exec.js: %v\nIt ships with Go in $(go env GOROOT)/lib/wasm/; pass -wasm-exec to point at it", err)
	}

	cat, err := catalog.Default()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: the physics data are invalid:\n%v\n", err)
		os.Exit(1)
	}
	files, err := site.Build(context.Background(), cat, wasm, execJS)
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n", err)
		os.Exit(1)
	}
	if err := site.Write(*out, files); err != nil {
		fmt.Fprintf(os.Stderr, "build: writing %s: %v\n", *out, err)
		os.Exit(1)
	}
	var total int
	for _, b := range files {
		total += len(b)
	}
	abs, _ := filepath.Abs(*out)
	fmt.Printf("wrote %d files (%.1f MB) to %s\nopen file://%s\n", len(files), float64(total)/1e6, *out,
		filepath.ToSlash(filepath.Join(abs, "index.html")))
}

// goroot finds the Go installation: `go env GOROOT` (the toolchain on
// PATH, which is the one that builds the wasm), else runtime.GOROOT.
func goroot() string {
	if b, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		if s := strings.TrimSpace(string(b)); s != "" {
			return s
		}
	}
	// Fallback when the go command is not on PATH (deprecated since Go 1.24,
	// but still the GOROOT this program was built with).
	return runtime.GOROOT()
}

// inputError reports a missing or bad input and exits with status 2.
func inputError(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "build: "+format+"\n", args...)
	os.Exit(2)
}
