package params

import (
	"bytes"
	_ "embed"
	"fmt"
)

// validatorJS is the validator; the build puts the schema's JSON in place
// of its placeholder.
//
//go:embed validator.js
var validatorJS []byte

// Placeholder is the text of validator.js that JS replaces with the
// schema's JSON.
const Placeholder = "/*EXOSEP_SCHEMA*/null"

// File is the site path of the generated script.
const File = "static/params.js"

// JS renders static/params.js: the validator with the schema as JSON.
func (s Schema) JS() ([]byte, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	table, err := s.JSON()
	if err != nil {
		return nil, err
	}
	if bytes.Count(validatorJS, []byte(Placeholder)) != 1 {
		return nil, fmt.Errorf("params: validator.js must hold %s exactly once", Placeholder)
	}
	return bytes.Replace(validatorJS, []byte(Placeholder), table, 1), nil
}

// TableFromJS extracts the schema's JSON from a generated params.js (for
// tests that compare the shipped table with the Go one).
func TableFromJS(js []byte) ([]byte, error) {
	before, _, ok := bytes.Cut(validatorJS, []byte(Placeholder))
	if !ok {
		return nil, fmt.Errorf("params: validator.js lacks the placeholder")
	}
	// The table starts where the placeholder stood and is one JSON value.
	prefix := before[bytes.LastIndex(before, []byte("\n"))+1:] // "  var TABLE = "
	i := bytes.Index(js, prefix)
	if i < 0 {
		return nil, fmt.Errorf("params: %q not found in params.js", prefix)
	}
	rest := js[i+len(prefix):]
	end := bytes.Index(rest, []byte(";\n"))
	if end < 0 {
		return nil, fmt.Errorf("params: the table's end not found")
	}
	return rest[:end], nil
}
