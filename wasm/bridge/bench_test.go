package bridge

import (
	"testing"

	"exosep/engine/protocol"
)

// BenchmarkSequentialFiltration1L recomputes the sequential-filtration
// preset on 1 L as the stage does for a filtration message (the protocol
// engine with its three membrane steps traced, and the page's result).
// The target: ≤ 20 ms in wasm (make bench reports it).
func BenchmarkSequentialFiltration1L(b *testing.B) {
	l, err := protocol.Default()
	if err != nil {
		b.Fatal(err)
	}
	req := FiltrationRequest{Preset: "heinemann2014-sf", VolumeML: 1000}
	for b.Loop() {
		run, probs := RunFiltration(req, l)
		if len(probs) > 0 || len(run.Stages) != 3 {
			b.Fatal(probs)
		}
	}
}
