//go:build !js

// Command bench measures what users feel and writes bench/report.json:
// wasm size (raw, gzip), time from navigation to the stage's first painted
// frame (file://), frames per second at 2k–20k particles in headless
// Chromium, and the engine step per particle natively and in wasm (parsed
// from `go test -bench` output). It times things; tests never do.
//
//	go run ./site/cmd/bench -dist dist -wasm tmp/stage.wasm -native bench/native.txt -js bench/wasm.txt -out bench/report.json
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"exosep/site/browser"
)

// The stage is measured at the size it has on the simulator page. In
// headless Chromium the canvas is drawn by software WebGL (SwiftShader), whose
// cost grows with the canvas's pixels rather than with the particle count: a
// fill-only Ebiten app reaches about 24 fps at 800×600 and 60 fps at 400×300
// on a quiet 2-core CI machine, so fps here is a floor, not what a GPU gives.
const viewportW, viewportH = 800, 600

type report struct {
	Viewport        string             `json:"viewport"`
	Date            string             `json:"date"`
	WasmBytes       int                `json:"wasm_bytes"`
	WasmGzipBytes   int                `json:"wasm_gzip_bytes"`
	FirstFrameMs    float64            `json:"first_frame_ms_file"` // median of runs
	FirstFrameRuns  []float64          `json:"first_frame_ms_runs"`
	FPS             map[string]float64 `json:"fps"` // by particle count
	NsPerParticle   map[string]float64 `json:"ns_per_particle_native"`
	NsPerParticleJS map[string]float64 `json:"ns_per_particle_wasm"`
	StepMs20kWasm   map[string]float64 `json:"step_ms_20k_wasm"`
	// ProtocolMsWasm is one recomputation of the reference
	// protocol (6 steps, 10 species, Lamm solver included) in wasm, ms;
	// ProtocolMsWasmPresets the same for each preset.
	ProtocolMsWasm        float64            `json:"protocol_ms_wasm"`
	ProtocolMsWasmPresets map[string]float64 `json:"protocol_ms_wasm_presets"`
	// SFMsWasm is one recomputation of the sequential-filtration preset on
	// 1 L (three membrane steps) as the stage does it, in wasm, ms;
	// MembraneFrameMsWasm one tick and frame of the membrane scene (5000
	// particles, SF), ms.
	SFMsWasm            float64 `json:"sf_1l_ms_wasm"`
	MembraneFrameMsWasm float64 `json:"membrane_frame_ms_wasm"`
	// GradientMsWasm is one recomputation of a gradient run (10 species)
	// in wasm, ms, as the stage does it (wasm/bridge
	// BenchmarkGradientRecompute: sample, engine run, page result), per
	// case.
	GradientMsWasm map[string]float64 `json:"gradient_ms_wasm"`
	Targets        map[string]string  `json:"targets"`
}

func main() {
	dist := flag.String("dist", "dist", "built site")
	wasm := flag.String("wasm", "tmp/stage.wasm", "built stage wasm")
	native := flag.String("native", "", "go test -bench output, native")
	jsOut := flag.String("js", "", "go test -bench output, GOOS=js")
	protoOut := flag.String("protocol", "", "go test -bench PresetRun output of engine/protocol, GOOS=js")
	filtOut := flag.String("filtration", "", "go test -bench 'SequentialFiltration1L|MembraneFrame' output of wasm/bridge and wasm/stage, GOOS=js")
	gradOut := flag.String("gradient", "", "go test -bench GradientRecompute output of wasm/bridge, GOOS=js (optional)")
	out := flag.String("out", "bench/report.json", "report file")
	flag.Parse()
	if err := run(*dist, *wasm, *native, *jsOut, *protoOut, *filtOut, *gradOut, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(dist, wasmPath, native, jsOut, protoOut, filtOut, gradOut, out string) error {
	r := report{Viewport: fmt.Sprintf("%dx%d", viewportW, viewportH), Date: time.Now().UTC().Format(time.RFC3339), FPS: map[string]float64{},
		Targets: map[string]string{"first_frame_ms_file": "< 600", "fps_20000": "60", "step_ms_20k_wasm": "< 1"}}
	raw, err := os.ReadFile(wasmPath)
	if err != nil {
		return err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	r.WasmBytes, r.WasmGzipBytes = len(raw), gz.Len()
	if r.NsPerParticle, err = nsPerParticle(native); err != nil {
		return err
	}
	if r.NsPerParticleJS, err = nsPerParticle(jsOut); err != nil {
		return err
	}
	if r.ProtocolMsWasmPresets, err = nsPerOp(protoOut, "BenchmarkPresetRun/"); err != nil {
		return err
	}
	for k, v := range r.ProtocolMsWasmPresets {
		r.ProtocolMsWasmPresets[k] = v / 1e6
	}
	r.ProtocolMsWasm = r.ProtocolMsWasmPresets["six-step-plasma"]
	r.Targets["protocol_ms_wasm"] = "<= 5"
	if filtOut != "" {
		f, err := nsPerOp(filtOut, "Benchmark")
		if err != nil {
			return err
		}
		r.SFMsWasm, r.MembraneFrameMsWasm = f["SequentialFiltration1L"]/1e6, f["MembraneFrame"]/1e6
		r.Targets["sf_1l_ms_wasm"] = "<= 20"
	}
	if gradOut != "" {
		if r.GradientMsWasm, err = nsPerOp(gradOut, "BenchmarkGradientRecompute/"); err != nil {
			return err
		}
		for k, v := range r.GradientMsWasm {
			r.GradientMsWasm[k] = v / 1e6
		}
		r.Targets["gradient_ms_wasm"] = "<= 20 (10 species)"
	}
	r.StepMs20kWasm = map[string]float64{}
	for k, v := range r.NsPerParticleJS {
		r.StepMs20kWasm[k] = v * 20000 / 1e6
	}

	abs, err := filepath.Abs(dist)
	if err != nil {
		return err
	}
	ctx, cancel, err := browser.Start(context.Background())
	if err != nil {
		return err
	}
	defer cancel()
	for i := 0; i < 5; i++ {
		ms, err := firstFrame(ctx, browser.FileURL(abs, "stage.html")+"?particles=5000")
		if err != nil {
			return err
		}
		r.FirstFrameRuns = append(r.FirstFrameRuns, ms)
	}
	sorted := append([]float64(nil), r.FirstFrameRuns...)
	sort.Float64s(sorted)
	r.FirstFrameMs = sorted[len(sorted)/2]
	for _, n := range []int{2000, 5000, 10000, 20000} {
		fps, err := framesPerSecond(ctx, browser.FileURL(abs, "stage.html")+fmt.Sprintf("?particles=%d&minutes=2880&rcf=2000", n))
		if err != nil {
			return err
		}
		r.FPS[strconv.Itoa(n)] = fps
	}
	b, _ := json.MarshalIndent(r, "", "  ")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("stage viewport %s (software WebGL in headless Chromium)\n", r.Viewport)
	if r.ProtocolMsWasm > 0 {
		fmt.Printf("protocol recompute in wasm (6 steps, 10 species, Lamm): %.2f ms (target <= 5); presets %v\n", r.ProtocolMsWasm, r.ProtocolMsWasmPresets)
	}
	if r.SFMsWasm > 0 {
		fmt.Printf("sequential filtration of 1 L recomputed in wasm: %.2f ms (target <= 20); membrane scene tick + frame (5000 particles): %.3f ms\n", r.SFMsWasm, r.MembraneFrameMsWasm)
	}
	fmt.Printf("wasm: %.1f MB raw, %.2f MB gzip\n", float64(r.WasmBytes)/1e6, float64(r.WasmGzipBytes)/1e6)
	fmt.Printf("first frame (file://, median of %d): %.0f ms  (runs %v)\n", len(r.FirstFrameRuns), r.FirstFrameMs, r.FirstFrameRuns)
	for _, n := range []string{"2000", "5000", "10000", "20000"} {
		fmt.Printf("fps at %6s particles: %.1f\n", n, r.FPS[n])
	}
	for _, k := range sortedKeys(r.NsPerParticle) {
		fmt.Printf("%-40s native %6.2f ns/particle, wasm %6.2f ns/particle (%.3f ms per 20k tick)\n", k, r.NsPerParticle[k], r.NsPerParticleJS[k], r.StepMs20kWasm[k])
	}
	fmt.Println("wrote", out)
	return nil
}

// firstFrame opens the stage in a fresh tab and returns performance.now()
// at its first painted frame (ms since navigation start).
func firstFrame(parent context.Context, url string) (float64, error) {
	ctx, cancel := chromedp.NewContext(parent)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewportW, viewportH), chromedp.Navigate(url)); err != nil {
		return 0, err
	}
	return chromedp.Run(ctx, chromedp.Poll[float64](`window.exosepStats && window.exosepStats.firstFrameMs`, chromedp.WithPollingInterval(20*time.Millisecond)))
}

// framesPerSecond counts the stage's drawn frames over 4 s after a 1 s warm-up.
func framesPerSecond(parent context.Context, url string) (float64, error) {
	ctx, cancel := chromedp.NewContext(parent)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewportW, viewportH), chromedp.Navigate(url)); err != nil {
		return 0, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[float64](`window.exosepStats && window.exosepStats.firstFrameMs`)); err != nil {
		return 0, err
	}
	time.Sleep(time.Second)
	count := func() (float64, error) {
		return chromedp.Run(ctx, chromedp.Evaluate[float64](`window.exosepStats.frames`))
	}
	f0, err := count()
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	time.Sleep(4 * time.Second)
	f1, err := count()
	if err != nil {
		return 0, err
	}
	return (f1 - f0) / time.Since(t0).Seconds(), nil
}

var opLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op`)

// nsPerOp reads the ns/op of the benchmarks named prefix+NAME in a
// `go test -bench` output, by NAME; an empty path gives an empty map.
func nsPerOp(path, prefix string) (map[string]float64, error) {
	m := map[string]float64{}
	if path == "" {
		return m, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if g := opLine.FindStringSubmatch(strings.TrimSpace(line)); g != nil && strings.HasPrefix(g[1], prefix) {
			v, _ := strconv.ParseFloat(g[2], 64)
			m[strings.TrimPrefix(g[1], prefix)] = v
		}
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%s: no %s benchmark lines", path, prefix)
	}
	return m, nil
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+.*?([\d.]+) ns/particle`)

// nsPerParticle reads the ns/particle metric of each benchmark in a
// `go test -bench` output file.
func nsPerParticle(path string) (map[string]float64, error) {
	m := map[string]float64{}
	if path == "" {
		return m, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if g := benchLine.FindStringSubmatch(strings.TrimSpace(sc.Text())); g != nil {
			v, _ := strconv.ParseFloat(g[2], 64)
			m[g[1]] = v
		}
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%s: no ns/particle benchmark lines", path)
	}
	return m, sc.Err()
}

func sortedKeys(m map[string]float64) []string {
	k := make([]string, 0, len(m))
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}
