package protocol_test

import (
	"testing"

	"exosep/engine/protocol"
)

// BenchmarkPresetRun runs each preset end to end (validation, every step,
// Lamm solves, membrane model, summaries). The target: a 6-step
// protocol over 10 species, Lamm solver included, in ≤ 5 ms in wasm. Run
// it under wasm with
//
//	PATH="$PATH:$(go env GOROOT)/lib/wasm" GOOS=js GOARCH=wasm go test -run '^$' -bench PresetRun -benchtime 200x ./engine/protocol/
//
// Each sub-benchmark warms up on its own preset first (in wasm the engine's
// code is compiled by a baseline compiler first and optimised once hot;
// the site recomputes on every edit, so the steady state is what counts),
// so one preset's CPU time per run is the difference of the process's CPU
// time (/usr/bin/time: user + sys) between -bench 'PresetRun/^id$' at
// -benchtime 200x and at 1x, divided by 199: on a machine with other work
// this is steadier than the wall-clock ns/op.
func BenchmarkPresetRun(b *testing.B) {
	lib, err := protocol.Default()
	if err != nil {
		b.Fatal(err)
	}
	// The reference case: six steps (three spins, filter,
	// resuspend, spin), every species present (plasma), Lamm included.
	six := protocol.Protocol{ID: "six-step-plasma", Name: "six steps", Input: "plasma", Steps: []protocol.Step{
		{Kind: "spin", Rotor: "TLA-100.3", RCF: 2000, Minutes: 10, Keep: "supernatant"},
		{Kind: "filter", PoreUM: 0.22},
		{Kind: "spin", Rotor: "TLA-100.3", RCF: 10000, Minutes: 30, Keep: "supernatant"},
		{Kind: "spin", Rotor: "TLA-100.3", RCF: 100000, Minutes: 70, Keep: "pellet"},
		{Kind: "resuspend", VolumeML: 3},
		{Kind: "spin", Rotor: "TLA-100.3", RCF: 100000, Minutes: 70, Keep: "pellet"},
	}}
	for _, p := range append(append([]protocol.Protocol{}, lib.Presets...), six) {
		b.Run(p.ID, func(b *testing.B) {
			for range 40 {
				if _, err := lib.Run(p, protocol.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				if _, err := lib.Run(p, protocol.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
