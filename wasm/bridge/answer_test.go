package bridge

import (
	"encoding/json"
	"errors"
	"testing"

	"exosep/engine/gradient"
	"exosep/engine/protocol"
)

// The gradient and filtration answers share one encoder: an error names
// the first problem's field and message on top (a filtration problem of a
// step says the step), a request refused without a problem is still an
// error of the kind's own field, and an error that is not a FieldError
// (a message that did not decode) is charged to that field too.
func TestRunAnswers(t *testing.T) {
	for _, c := range []struct {
		name, text, typ, field, message string
		problems                        int
	}{
		{"gradient problems", EncodeGradient(3, nil, gradient.Problems{{Field: "minutes", Message: "above 0"}, {Field: "rotor", Message: "unknown"}}),
			TypeGradientError, "minutes", "above 0", 2},
		{"gradient no problem", EncodeGradient(3, nil, nil), TypeGradientError, "gradient", "the run failed without a reason (a bug)", 0},
		{"gradient undecoded", GradientErrorText(4, errors.New("malformed")), TypeGradientError, "gradient", "malformed", 1},
		{"gradient field error", GradientErrorText(4, FieldError{"seq", "must be an integer"}), TypeGradientError, "seq", "must be an integer", 1},
		{"filtration step", EncodeFiltration(5, nil, protocol.Problems{{Step: 2, Field: "steps[2].tmp_kpa", Message: "0.1–1000 kPa"}}),
			TypeFiltrationError, "steps[2].tmp_kpa", "step 2: 0.1–1000 kPa", 1},
		{"filtration whole", EncodeFiltration(5, nil, protocol.Problems{{Field: "input", Message: "unknown"}}), TypeFiltrationError, "input", "unknown", 1},
		{"filtration no problem", EncodeFiltration(5, nil, nil), TypeFiltrationError, "filtration", "the run failed without a reason (a bug)", 0},
		{"filtration undecoded", FiltrationErrorText(0, errors.New("malformed")), TypeFiltrationError, "filtration", "malformed", 1},
	} {
		var e struct {
			Exosep   int               `json:"exosep"`
			Type     string            `json:"type"`
			Field    string            `json:"field"`
			Message  string            `json:"message"`
			Result   json.RawMessage   `json:"result"`
			Problems []json.RawMessage `json:"problems"`
		}
		if err := json.Unmarshal([]byte(c.text), &e); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if e.Exosep != Version || e.Type != c.typ || e.Field != c.field || e.Message != c.message || len(e.Problems) != c.problems || e.Result != nil {
			t.Errorf("%s: %s; want type %s, field %q, message %q, %d problems, no result", c.name, c.text, c.typ, c.field, c.message, c.problems)
		}
	}
}
