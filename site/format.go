package site

import (
	"math"
	"strconv"
	"strings"
)

// The number formats of the readout. static/format.js implements the same
// rules for the live page; TestFormatMatchesJS checks that the two agree.
// Rounding is done as floor(x·10^d + ½)/10^d on both sides, so that Go and
// JavaScript round the same binary values the same way.

// roundTo rounds x ≥ 0 to d decimals, half up.
func roundTo(x float64, d int) float64 {
	p := math.Pow10(d)
	return math.Floor(x*p+0.5) / p
}

// groupDigits inserts a comma between groups of three digits of an
// unsigned integer string.
func groupDigits(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// fixed formats x with d decimals, rounded half up, with grouped thousands:
// fixed(24395.4, 0) = "24,395", fixed(1.56734, 3) = "1.567".
func fixed(x float64, d int) string {
	neg := x < 0
	s := strconv.FormatFloat(roundTo(math.Abs(x), d), 'f', d, 64)
	whole, frac, _ := strings.Cut(s, ".")
	out := groupDigits(whole)
	if frac != "" {
		out += "." + frac
	}
	if neg && strings.Trim(out, "0.,") != "" {
		out = "−" + out // U+2212 minus sign
	}
	return out
}

// formatInt formats a whole number with grouped thousands: "100,000".
func formatInt(x float64) string { return fixed(x, 0) }

// formatPercent formats a fraction 0..1 as a percentage with one decimal,
// never claiming "100" or "0" unless exact: "62.3", "<0.1", ">99.9".
func formatPercent(fraction float64) string {
	p := fraction * 100
	switch {
	case !(p > 0):
		return "0"
	case p >= 100:
		return "100"
	case p < 0.05:
		return "<0.1"
	case p >= 99.95:
		return ">99.9"
	}
	return fixed(p, 1)
}

var superscripts = map[rune]string{
	'0': "⁰", '1': "¹", '2': "²", '3': "³", '4': "⁴",
	'5': "⁵", '6': "⁶", '7': "⁷", '8': "⁸", '9': "⁹", '-': "⁻",
}

// decade returns the integer e with 10^e ≤ a < 10^(e+1), for a > 0.
func decade(a float64) int {
	e := int(math.Floor(math.Log10(a)))
	for math.Pow10(e+1) <= a {
		e++
	}
	for math.Pow10(e) > a {
		e--
	}
	return e
}

// formatSci formats x with three significant figures: plainly between
// 0.01 and 10,000 ("4.30", "349", "1,234"), otherwise as "1.23 × 10⁸".
func formatSci(x float64) string {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		if x == 0 {
			return "0"
		}
		return "–"
	}
	sign := ""
	if x < 0 {
		sign = "−"
	}
	a := math.Abs(x)
	e := decade(a)
	if e >= -2 && e <= 3 {
		d := max(2-e, 0)
		return sign + fixed(a, d)
	}
	m := roundTo(a/math.Pow10(e), 2)
	if m >= 10 {
		m /= 10
		e++
	}
	var exp strings.Builder
	for _, c := range strconv.Itoa(e) {
		exp.WriteString(superscripts[c])
	}
	return sign + strconv.FormatFloat(m, 'f', 2, 64) + " × 10" + exp.String()
}

// formatCutoff formats a cut-off diameter given in nm (negative: nothing
// of the reference density pellets completely).
func formatCutoff(nm float64) string {
	switch {
	case nm < 0:
		return "none: such particles do not sink"
	case nm < 1000:
		return formatSci(nm) + " nm"
	}
	return formatSci(nm/1000) + " µm"
}

// formatMinutes formats a process time in minutes: whole minutes from 10
// up, one decimal below, and a plain "0" at the start.
func formatMinutes(m float64) string {
	if m == 0 {
		return "0"
	}
	if m >= 10 {
		return fixed(m, 0)
	}
	return fixed(m, 1)
}

// formatNumber formats a value for an input's value attribute: plain,
// shortest round-trip form, no grouping ("100000", "4", "0.5").
func formatNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
