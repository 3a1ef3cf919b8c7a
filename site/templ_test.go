package site

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTemplGeneratedIsCurrent regenerates the *_templ.go files from copies
// of the *.templ files and compares them with the committed ones, so a
// template edit without `go tool templ generate` fails here.
func TestTemplGeneratedIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the templ generator")
	}
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Skipf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	templs, err := filepath.Glob("*.templ")
	if err != nil || len(templs) == 0 {
		t.Fatalf("no *.templ files found (err %v)", err)
	}
	tmp := t.TempDir()
	for _, f := range templs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "tool", "templ", "generate", "-path", tmp)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go tool templ generate: %v\n%s", err, out)
	}
	for _, f := range templs {
		gen := strings.TrimSuffix(f, ".templ") + "_templ.go"
		want, err := os.ReadFile(filepath.Join(tmp, gen))
		if err != nil {
			t.Fatalf("templ did not generate %s: %v", gen, err)
		}
		got, err := os.ReadFile(gen)
		if err != nil {
			t.Errorf("%s is missing: run `go tool templ generate`", gen)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date with %s: run `go tool templ generate`", gen, f)
		}
	}
}
