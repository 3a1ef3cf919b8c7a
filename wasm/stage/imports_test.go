package stage

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The stage's logic must build and run without Ebiten or the DOM.
func TestNoEbitenOrDOMImports(t *testing.T) {
	for _, dir := range []string{".", "../bridge"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), dir+"/"+e.Name(), nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, im := range f.Imports {
				p, _ := strconv.Unquote(im.Path.Value)
				if p == "syscall/js" || strings.HasPrefix(p, "github.com/hajimehoshi/ebiten") {
					t.Errorf("%s/%s imports %s", dir, e.Name(), p)
				}
			}
		}
	}
}
