package bridge

import (
	"testing"

	"exosep/engine/gradient"
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

// BenchmarkGradientRecompute recomputes a gradient run as the stage does
// for a gradient message (the input as gradient.SampleQuadrature nodes,
// the engine run, and the page's result with its fractions): the gradient
// page's default (isopycnic, iodixanol 1.05–1.25 g/mL, SW 41 Ti at
// 100,000 × g for 16 h, plasma), the Onódi et al. 2018 step gradient
// (24 h) and a rate-zonal sucrose run (5–20 %, 1 h), all 10 species. The
// issue's target: ≤ 20 ms in wasm (make bench reports it).
func BenchmarkGradientRecompute(b *testing.B) {
	pl, err := protocol.Default()
	if err != nil {
		b.Fatal(err)
	}
	gl, err := gradient.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		p    gradient.Params
	}{
		{"page-default", gradient.Params{Mode: gradient.Isopycnic, Medium: "iodixanol", FromDensityGPerML: 1.05, ToDensityGPerML: 1.25,
			Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 16 * 60, Fractions: 12}},
		{"onodi2018", gradient.Params{Mode: gradient.Isopycnic, Medium: "iodixanol", Shape: gradient.ShapeStep,
			Layers:   []gradient.Layer{{Percent: 10, VolumeML: 4}, {Percent: 30, VolumeML: 4}, {Percent: 50, VolumeML: 4}},
			SampleML: 1, Rotor: "SW 41 Ti", RCF: 120000, RCFAt: "avg", Minutes: 24 * 60, Fractions: 10}},
		{"rate-zonal", gradient.Params{Mode: gradient.RateZonal, Medium: "sucrose", FromPercent: 5, ToPercent: 20,
			Rotor: "SW 41 Ti", RCF: 100000, RCFAt: "avg", Minutes: 60, Fractions: 12}},
	} {
		req := GradientRequest{Params: c.p, Input: "plasma"}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				run, probs := RunGradient(req, gl, pl)
				if len(probs) > 0 || len(run.Result.Fractions) != c.p.Fractions {
					b.Fatal(probs)
				}
			}
		})
	}
}
