//go:build !js

package engine_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The engine must stay free of view code (DEVELOPERS.md: model apart from
// view). go list -deps walks every transitive import of engine/...
func TestEngineImportsNoViewCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "exosep/engine/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps returned only %d packages; the check would be vacuous", len(deps))
	}
	for _, d := range deps {
		for _, banned := range []string{"github.com/hajimehoshi/ebiten", "github.com/a-h/templ", "syscall/js"} {
			if strings.HasPrefix(d, banned) {
				t.Errorf("engine depends on %s", d)
			}
		}
	}
}
