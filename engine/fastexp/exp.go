package fastexp

import "math"

const (
	ln2Hi  = 6.93147180369123816490e-01 // ln 2, high part (fdlibm)
	ln2Lo  = 1.90821492927058770002e-10 // ln 2 − ln2Hi
	log2e  = 1.44269504088896338700e+00
	maxArg = 7.09782712893383973096e+02  // ln(MaxFloat64)
	minArg = -7.45133219101941108420e+02 // ln(smallest subnormal / 2)
)

// Exp returns eˣ (math.Exp's special cases: +Inf → +Inf, −Inf → 0,
// NaN → NaN, overflow → +Inf, underflow → 0).
func Exp(x float64) float64 {
	switch {
	case x != x || x > maxArg:
		return x + math.Inf(1) // NaN stays NaN
	case x < minArg:
		return 0
	}
	kf := math.Floor(x*log2e + 0.5)
	r := (x - kf*ln2Hi) - kf*ln2Lo
	p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720+r*(1.0/5040+r*(1.0/40320+r*(1.0/362880+r*(1.0/3628800+r*(1.0/39916800+r*(1.0/479001600+r*(1.0/6227020800)))))))))))))
	k := int64(kf)
	if k >= -1022 {
		if k == 1024 { // eˣ just below MaxFloat64: p < 1 there
			return p * 2 * math.Float64frombits(uint64(1023+1023)<<52)
		}
		return p * math.Float64frombits(uint64(k+1023)<<52)
	}
	// Subnormal result: scale in two steps, 2^(k+600) then 2^−600.
	return p * math.Float64frombits(uint64(k+600+1023)<<52) * 0x1p-600
}

// Expm1 returns eˣ − 1, accurate also for small |x|.
func Expm1(x float64) float64 {
	if x > -0.5 && x < 0.5 {
		return x * (1 + x*(1.0/2+x*(1.0/6+x*(1.0/24+x*(1.0/120+x*(1.0/720+x*(1.0/5040+x*(1.0/40320+x*(1.0/362880+x*(1.0/3628800+x*(1.0/39916800+x*(1.0/479001600+x*(1.0/6227020800+x*(1.0/87178291200+x*(1.0/1307674368000+x*(1.0/20922789888000+x*(1.0/355687428096000)))))))))))))))))
	}
	return Exp(x) - 1
}
