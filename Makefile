# ExoSep — build, serve, test, benchmark. See README.md.
# Everything is set up by these targets on a fresh Debian machine with Go.

SHELL     := /bin/bash
GO        ?= go
PORT      ?= 8080
DIST      := dist
TMP       := tmp
WASM      := $(TMP)/stage.wasm
GOROOT    := $(shell $(GO) env GOROOT)
WASM_PATH := PATH="$$PATH:$(GOROOT)/lib/wasm"
JS        := GOOS=js GOARCH=wasm
# Packages that run under WebAssembly in node: everything free of Ebiten.
WASM_TEST_PKGS := ./engine/... ./wasm/stage/... ./wasm/bridge/...

.PHONY: all build run test bench generate wasm site check-format check-templ vet test-native test-wasm test-e2e browser clean

all: build

## generate: regenerate templ components (committed; tests check they are current)
generate:
	$(GO) tool templ generate -path site

## wasm: build the Ebiten stage for the browser
wasm:
	@mkdir -p $(TMP)
	$(JS) $(GO) build -trimpath -ldflags="-s -w" -o $(WASM) ./wasm

## build: regenerate, build wasm and the static site into dist/
build: generate wasm
	$(GO) run ./site/cmd/build -out $(DIST) -wasm $(WASM)

## run: build, then serve dist/ on http://127.0.0.1:$(PORT) (prints the URL and the file:// path)
run: build
	$(GO) run ./site/cmd/serve -dir $(DIST) -port $(PORT)

## test: formatting, vet, templ currency, engine + site tests natively and in node, browser end-to-end
test: check-format vet check-templ build test-native test-wasm test-e2e

check-format:
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$bad" ]; then echo "gofmt would change:"; echo "$$bad"; exit 1; fi; echo "gofmt: ok"

vet:
	$(GO) vet ./...
	$(JS) $(GO) vet ./wasm/... ./engine/...

## check-templ: the committed *_templ.go match what templ generates from the *.templ files
check-templ:
	$(GO) test -count=1 -run 'TestTemplGeneratedIsCurrent' ./site/

test-native:
	$(GO) test -count=1 $$($(GO) list ./... | grep -v '/site/e2e')

test-wasm:
	$(WASM_PATH) $(JS) $(GO) test -count=1 $(WASM_TEST_PKGS)

browser:
	@bash .ci/ensure-chromium

test-e2e: browser
	EXOSEP_DIST=$(abspath $(DIST)) $(GO) test -count=1 -timeout 25m ./site/e2e/

## bench: sizes, first frame, fps at 2k–20k particles, engine ns/particle (native and wasm), protocol, gradient and 1 L SF recompute ms and membrane frame ms (wasm) → bench/report.json
bench: build browser
	@mkdir -p bench
	$(GO) test -run '^$$' -bench 'Step20k|StageUpdate20k' -benchtime 2000x ./engine/ensemble/ ./wasm/stage/ > bench/native.txt
	$(WASM_PATH) $(JS) $(GO) test -run '^$$' -bench 'Step20k|StageUpdate20k' -benchtime 2000x ./engine/ensemble/ ./wasm/stage/ > bench/wasm.txt
	$(WASM_PATH) $(JS) $(GO) test -run '^$$' -bench 'PresetRun' -benchtime 200x ./engine/protocol/ > bench/protocol_wasm.txt
	$(WASM_PATH) $(JS) $(GO) test -run '^$$' -bench 'SequentialFiltration1L|MembraneFrame' -benchtime 50x ./wasm/bridge/ ./wasm/stage/ > bench/filtration_wasm.txt
	$(WASM_PATH) $(JS) $(GO) test -run '^$$' -bench 'GradientRecompute' -benchtime 20x ./wasm/bridge/ > bench/gradient_wasm.txt
	$(GO) run ./site/cmd/bench -dist $(DIST) -wasm $(WASM) -native bench/native.txt -js bench/wasm.txt -protocol bench/protocol_wasm.txt -filtration bench/filtration_wasm.txt -gradient bench/gradient_wasm.txt -out bench/report.json

clean:
	rm -rf $(DIST) $(TMP) bench
