// Package fastexp computes eˣ and eˣ − 1 to within a few units in the
// last place without the calls Go's math package makes on its way
// (math.Exp goes through expmulti and Ldexp): in the js/wasm build each
// call is dear, and the gradient engine evaluates tens of thousands of
// exponentials per run (math.Exp ≈ 74 ns, Expm1 ≈ 52 ns in node;
// BenchmarkExp here gives this package's figures).
//
// Method (the textbook one): x = k·ln 2 + r with k = round(x/ln 2) and
// |r| ≤ ln2/2, ln 2 split in two parts so that r is exact to rounding;
// eʳ by its Taylor series to r¹³/13! (the first omitted term, r¹⁴/14!,
// is below 4e-18 relative for |r| ≤ 0.347); 2ᵏ put in the exponent bits
// (two steps for subnormal results). eˣ − 1 is its own Taylor series to
// x¹⁶/16! for |x| < 0.5 (no cancellation; omitted term below 3e-20) and
// eˣ − 1 beyond, where eˣ ≥ 1.65 or ≤ 0.61 and the subtraction loses at
// most one bit.
//
// Tested against math.Exp and math.Expm1 over |x| ≤ 745 (4 ulp) and at
// the special values (±Inf, NaN, overflow, underflow, 0).
package fastexp
