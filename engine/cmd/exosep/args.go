package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// inputError is bad input: exit status 2, its message on one stderr line.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

func badf(format string, a ...any) error { return &inputError{fmt.Sprintf(format, a...)} }

// errHelp asks for the usage text on stdout (exit status 0).
var errHelp = errors.New("help requested")

// flagDef describes one command-line flag.
type flagDef struct {
	name    string // without dashes
	isBool  bool
	allowed string // what the flag accepts, for messages about it in general
}

// args holds the raw values of the flags given, by name.
type args struct {
	vals map[string]string
}

func (a args) has(name string) bool { _, ok := a.vals[name]; return ok }

// parseArgs reads flags in the forms -name, --name, -name=value and
// --name value (the flag package's forms). Every flag may be given once; a
// bare "--" ends the flags; any other argument that is not a flag or a
// flag's value is an error (the commands take no positional arguments).
func parseArgs(defs []flagDef, list []string) (args, error) {
	a := args{vals: map[string]string{}}
	byName := map[string]flagDef{}
	names := make([]string, len(defs))
	for i, d := range defs {
		byName[d.name] = d
		names[i] = "--" + d.name
	}
	valueOf := "" // the flag whose value the previous argument was
	for i := 0; i < len(list); i++ {
		tok := list[i]
		if tok == "--" {
			if i+1 < len(list) {
				return a, badf("unexpected argument %q after \"--\" (allowed: flags only: %s)", list[i+1], strings.Join(names, ", "))
			}
			break
		}
		if len(tok) < 2 || tok[0] != '-' {
			if valueOf != "" {
				return a, badf("unexpected argument %q after --%s %s (allowed: one value per flag; quote a value with spaces, e.g. --rotor \"SW 41 Ti\")", tok, valueOf, shown(a.vals[valueOf]))
			}
			return a, badf("unexpected argument %q (allowed: flags only: %s)", tok, strings.Join(names, ", "))
		}
		name := strings.TrimPrefix(strings.TrimPrefix(tok, "-"), "-")
		value, hasValue := "", false
		if k := strings.IndexByte(name, '='); k >= 0 {
			name, value, hasValue = name[:k], name[k+1:], true
		}
		if name == "h" || name == "help" {
			return a, errHelp
		}
		d, ok := byName[name]
		if !ok || name == "" || strings.HasPrefix(name, "-") {
			return a, badf("unknown flag %s (allowed: %s)", shown(tok), strings.Join(names, ", "))
		}
		if _, dup := a.vals[name]; dup {
			return a, badf("--%s given twice (allowed: once; %s)", name, d.allowed)
		}
		if d.isBool {
			if !hasValue {
				value = "true"
			}
			if _, err := strconv.ParseBool(value); err != nil {
				return a, badf("--%s=%q is not a truth value (allowed: true or false)", name, value)
			}
		} else if !hasValue {
			if i+1 >= len(list) {
				return a, badf("--%s needs a value (allowed: %s)", name, d.allowed)
			}
			i++
			value = list[i]
		}
		a.vals[name] = value
		valueOf = ""
		if !d.isBool {
			valueOf = name
		}
	}
	return a, nil
}

// boolean returns a boolean flag's value (false when absent).
func (a args) boolean(name string) bool {
	v, ok := a.vals[name]
	if !ok {
		return false
	}
	b, _ := strconv.ParseBool(v) // checked by parseArgs
	return b
}

// number parses a numeric flag. ok reports whether the flag was given.
func (a args) number(name, allowed string) (v float64, ok bool, err error) {
	raw, ok := a.vals[name]
	if !ok {
		return 0, false, nil
	}
	v, err = parseNumber(raw)
	if err != nil {
		return 0, true, badf("--%s %q is not a number (allowed: %s)", name, raw, allowed)
	}
	return v, true, nil
}

// parseNumber accepts finite decimal numbers, with surrounding spaces.
func parseNumber(raw string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errors.New("not a finite number")
	}
	return v, nil
}

// shown returns s as typed, or quoted when it holds characters that would
// not print plainly on one line.
func shown(s string) string {
	if q := strconv.Quote(s); q[1:len(q)-1] != s {
		return q
	}
	return s
}

// num formats a number given by the user or derived for a message without
// an exponent and without trailing zeros.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// sig formats v with n significant digits, without an exponent.
func sig(v float64, n int) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	d := n - 1 - int(math.Floor(math.Log10(math.Abs(v))))
	if d < 0 {
		d = 0
	}
	return strconv.FormatFloat(v, 'f', d, 64)
}

// ceilSig rounds v > 0 up to n significant digits, so that a printed lower
// bound is itself allowed.
func ceilSig(v float64, n int) string {
	p := math.Pow(10, float64(n-1)-math.Floor(math.Log10(v)))
	return sig(math.Ceil(v*p)/p, n)
}
