package filter_test

import (
	"testing"

	"exosep/engine/protocol"
)

// BenchmarkSequentialFiltration1L runs the sequential-filtration preset on
// 1 L of MSC medium end to end through the protocol engine: 100 nm
// dead-end filter, 500 kDa tangential flow with diafiltration, 100 nm
// track-etch filter, every species as quadrature nodes. The target:
// ≤ 20 ms in wasm (aim ≤ 5 ms natively). Under wasm:
//
//	PATH="$PATH:$(go env GOROOT)/lib/wasm" GOOS=js GOARCH=wasm go test -run '^$' -bench SequentialFiltration ./engine/filter/
func BenchmarkSequentialFiltration1L(b *testing.B) {
	lib, err := protocol.Default()
	if err != nil {
		b.Fatal(err)
	}
	p, err := lib.Preset("heinemann2014-sf")
	if err != nil {
		b.Fatal(err)
	}
	opt := protocol.Options{VolumeML: 1000}
	for range 20 { // warm up (wasm tiers up hot code)
		if _, err := lib.Run(p, opt); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, err := lib.Run(p, opt); err != nil {
			b.Fatal(err)
		}
	}
}
