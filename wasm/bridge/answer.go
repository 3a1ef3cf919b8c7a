package bridge

import "encoding/json"

// RunEnvelope is the stage's answer to a run request of the gradient or
// filtration kind: <kind>Result {seq, result}, or <kind>Error {seq, field,
// message, problems} with the first problem's field and message on top
// (so a page that reads only those still names the field). R is the
// kind's result, P the engine's problem type.
type RunEnvelope[R, P any] struct {
	Exosep   int    `json:"exosep"`
	Type     string `json:"type"`
	Seq      int    `json:"seq"`
	Result   *R     `json:"result,omitempty"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message,omitempty"`
	Problems []P    `json:"problems,omitempty"`
}

// runKind names one run kind's answers: its result and error message
// types, and the field an error without a problem is charged to.
type runKind struct{ result, error, field string }

// encodeRun renders the answer to request seq: the result when res is not
// nil, else an error with the problems (first says the field and message
// of a problem). Results hold no NaN or infinity, so a marshalling failure
// is a bug, reported as an error of the kind's own field.
func encodeRun[R, P any](k runKind, seq int, res *R, probs []P, first func(P) (field, message string)) string {
	e := RunEnvelope[R, P]{Exosep: Version, Seq: seq}
	switch {
	case res != nil:
		e.Type, e.Result = k.result, res
	case len(probs) > 0:
		f, m := first(probs[0])
		e.Type, e.Field, e.Message, e.Problems = k.error, f, m, probs
	default:
		e.Type, e.Field, e.Message = k.error, k.field, "the run failed without a reason (a bug)"
	}
	b, err := json.Marshal(e)
	if err != nil {
		b, _ = json.Marshal(RunEnvelope[R, P]{Exosep: Version, Type: k.error, Seq: seq, Field: k.field, Message: err.Error()})
	}
	return string(b)
}

// asFieldError is err as a FieldError: its own field when it has one,
// else the whole of field (a message that did not decode).
func asFieldError(err error, field string) FieldError {
	if fe, ok := err.(FieldError); ok {
		return fe
	}
	return FieldError{field, err.Error()}
}
