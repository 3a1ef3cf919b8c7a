//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// The stage runs only in a browser; natively the package holds nothing
// but this note (its logic lives in wasm/stage and wasm/bridge).
func main() {
	fmt.Fprintln(os.Stderr, "the ExoSep stage runs in a browser: GOOS=js GOARCH=wasm go build -o stage.wasm ./wasm")
	os.Exit(2)
}
