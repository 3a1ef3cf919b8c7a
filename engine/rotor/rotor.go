package rotor

import (
	"fmt"
	"math"
	"strings"
)

// StandardGravity g in m/s² (CGPM 1901, exact).
const StandardGravity = 9.80665

// Kind is a rotor's type.
type Kind string

const (
	SwingingBucket Kind = "swinging-bucket"
	FixedAngle     Kind = "fixed-angle"
)

// Rotor is one rotor's geometry and limits, SI units.
type Rotor struct {
	Name     string
	Aliases  []string
	Kind     Kind
	AngleRad float64 // tube angle from the rotation axis; 0 for swinging buckets
	MaxRPM   float64
	RMinM    float64 // radius of the sample's top
	RMaxM    float64 // radius of the sample's bottom
	// TubeDiameterM is the tube's inner diameter. For swinging buckets
	// without a read value it is derived from tube volume and radial length.
	TubeDiameterM float64
	TubeCount     int
	TubeVolumeM3  float64
	// KFactorPublished is the maker's k-factor at MaxRPM (0 when unknown).
	KFactorPublished float64
	// Confidence of the tube diameter: "read", "derived" or "estimate".
	TubeDiameterConfidence string
	Custom                 bool // defined on the command line, not the catalogue
}

// Convention names the radius at which an RCF is quoted.
type Convention string

const (
	AtMin Convention = "min"
	AtAvg Convention = "avg"
	AtMax Convention = "max"
)

// ParseConvention accepts "min", "avg" or "max".
func ParseConvention(s string) (Convention, error) {
	switch c := Convention(strings.ToLower(strings.TrimSpace(s))); c {
	case AtMin, AtAvg, AtMax:
		return c, nil
	}
	return "", fmt.Errorf("radius convention %q: allowed min, avg, max", s)
}

// RadiusM returns the radius the convention refers to. r_avg is the
// arithmetic mean (r_min + r_max)/2, as in Beckman's rotor tables.
func (r Rotor) RadiusM(c Convention) float64 {
	switch c {
	case AtMin:
		return r.RMinM
	case AtAvg:
		return (r.RMinM + r.RMaxM) / 2
	default:
		return r.RMaxM
	}
}

// Omega converts rpm to angular speed in rad/s.
func Omega(rpm float64) float64 { return 2 * math.Pi * rpm / 60 }

// RCF is the relative centrifugal force (× g) at radiusM: ω² r / g.
func RCF(rpm, radiusM float64) float64 {
	w := Omega(rpm)
	return w * w * radiusM / StandardGravity
}

// RPMForRCF inverts RCF: rpm = (60/2π) sqrt(RCF·g / r).
func RPMForRCF(rcf, radiusM float64) float64 {
	return 60 / (2 * math.Pi) * math.Sqrt(rcf*StandardGravity/radiusM)
}

// KFactor is the clearing factor in hours·svedberg at rpm:
// k = ln(r_max/r_min)/ω² converted from seconds·(1e-13 s)⁻¹ to h·S, i.e.
// 2.533e11·ln(r_max/r_min)/rpm². The pelleting time of a particle of
// sedimentation coefficient s (svedberg) in a swinging bucket is k/s hours.
func (r Rotor) KFactor(rpm float64) float64 {
	w := Omega(rpm)
	return math.Log(r.RMaxM/r.RMinM) / (w * w) / 1e-13 / 3600
}

// TubeLengthM is the length of the sample column along the tube axis.
// Swinging bucket: r_max − r_min. Fixed angle: the tube's radial extent is
// L·sinθ + D·cosθ = r_max − r_min, so L = (r_max − r_min − D cosθ)/sinθ
// (derived; assumes a full, flat-bottomed cylinder).
func (r Rotor) TubeLengthM() float64 {
	if r.Kind == SwingingBucket {
		return r.RMaxM - r.RMinM
	}
	s, c := math.Sincos(r.AngleRad)
	return (r.RMaxM - r.RMinM - r.TubeDiameterM*c) / s
}

// Validate checks the geometry and names the offending field and range.
func (r Rotor) Validate() error {
	var bad []string
	if !(r.RMinM > 0) {
		bad = append(bad, fmt.Sprintf("r_min %g mm must be > 0", r.RMinM*1e3))
	}
	if !(r.RMaxM > r.RMinM) {
		bad = append(bad, fmt.Sprintf("r_max %g mm must be greater than r_min %g mm", r.RMaxM*1e3, r.RMinM*1e3))
	}
	if !(r.MaxRPM > 0) {
		bad = append(bad, fmt.Sprintf("max rpm %g must be > 0", r.MaxRPM))
	}
	switch r.Kind {
	case SwingingBucket:
	case FixedAngle:
		if !(r.AngleRad > 0 && r.AngleRad < math.Pi/2) {
			bad = append(bad, fmt.Sprintf("angle %g° must be between 0 and 90°", r.AngleRad*180/math.Pi))
		}
		if !(r.TubeDiameterM > 0) {
			bad = append(bad, fmt.Sprintf("tube diameter %g mm must be > 0", r.TubeDiameterM*1e3))
		} else if r.RMaxM > r.RMinM && r.AngleRad > 0 && !(r.TubeLengthM() > 0) {
			bad = append(bad, fmt.Sprintf("tube diameter %g mm is too wide for the rotor's radial span %g mm at %g° (needs D·cosθ < r_max − r_min)",
				r.TubeDiameterM*1e3, (r.RMaxM-r.RMinM)*1e3, r.AngleRad*180/math.Pi))
		}
	default:
		bad = append(bad, fmt.Sprintf("type %q must be swinging-bucket or fixed-angle", r.Kind))
	}
	if len(bad) > 0 {
		return fmt.Errorf("rotor %q: %s", r.Name, strings.Join(bad, "; "))
	}
	return nil
}

// NormalizeName folds a rotor name for lookup: case, spaces, hyphens and
// underscores are ignored ("SW 41 Ti" = "sw41ti" = "SW-41-Ti").
func NormalizeName(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch c {
		case ' ', '-', '_', '\t':
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
