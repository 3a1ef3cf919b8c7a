package quantity

import (
	"math"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	src := Sources{"a": {Citation: "A"}}
	tests := []struct {
		name    string
		q       Q
		want    []string
		si      float64
		wantErr string
	}{
		{"mm to m", Q{12.5, "mm", "a", Read, ""}, []string{"mm"}, 0.0125, ""},
		{"g/mL to kg/m3", Q{1.15, "g/mL", "a", Estimate, ""}, nil, 1150, ""},
		{"mPa.s to Pa.s", Q{1.002, "mPa.s", "a", Derived, ""}, nil, 1.002e-3, ""},
		{"deg to rad", Q{180, "deg", "a", Read, ""}, nil, math.Pi, ""},
		{"svedberg", Q{4.3, "S", "a", Read, ""}, nil, 4.3e-13, ""},
		{"missing unit", Q{1, "", "a", Read, ""}, nil, 0, "unit is missing"},
		{"unknown unit", Q{1, "furlong", "a", Read, ""}, nil, 0, `unit "furlong" is unknown`},
		{"wrong dimension", Q{1, "mL", "a", Read, ""}, []string{"mm", "m"}, 0, "not allowed here (allowed: mm, m)"},
		{"missing source", Q{1, "mm", "", Read, ""}, nil, 0, "source is missing"},
		{"unknown source", Q{1, "mm", "b", Read, ""}, nil, 0, `source "b" is not in sources.json`},
		{"bad confidence", Q{1, "mm", "a", "guess", ""}, nil, 0, `confidence "guess"`},
		{"not finite", Q{math.Inf(1), "mm", "a", Read, ""}, nil, 0, "not a finite number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.q.Check("x.field", src, tt.want...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "x.field:") {
					t.Fatalf("err = %v, want one naming x.field and containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(v-tt.si) > 1e-12*math.Abs(tt.si) {
				t.Errorf("SI value = %g, want %g", v, tt.si)
			}
		})
	}
}

func TestProblemsListsAll(t *testing.T) {
	p := Problems{File: "f.json"}
	if p.Err() != nil {
		t.Fatal("no problems must give nil")
	}
	p.Add(nil)
	p.Addf("one")
	p.Addf("two")
	err := p.Err()
	if err == nil || err.Error() != "f.json: one\nf.json: two" {
		t.Fatalf("err = %q", err)
	}
}
