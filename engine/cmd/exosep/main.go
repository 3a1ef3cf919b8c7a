// Command exosep is ExoSep's command-line calculator, the offline successor
// of the retired Livshits web calculator: for one ultracentrifuge spin it
// gives the speed, RCF, k-factor, cut-off diameter and the pelleted fraction
// of particles of given diameters. All physics comes from the engine
// packages; this command only reads flags, checks them and prints.
//
//	exosep rotors [--json]
//	exosep spin (--rotor NAME | --rmin-mm X --rmax-mm Y [...]) (--rcf G | --rpm N) --minutes T --diameter-nm D[,D...] [...]
//	exosep protocol (--preset NAME | --file P.json) [--volume-ml V] [--json | --csv]
//	exosep presets [--json]
//	exosep filter (--mwco-kda K | --pore-nm P) [--deadend | --tff] [...] --diameter-nm D[,D...] [--deformable] [--json]
//	exosep gradient --mode M --medium X (--from-density A --to-density B | …) --rotor NAME (--rcf G | --rpm N) (--hours H | --minutes M) --fractions N [--json]
//	exosep help
//
// Exit status: 0 success, 1 internal error, 2 bad input (one line on stderr
// naming the flag and what it allows).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `exosep — the offline successor of the retired Livshits web calculator:
how much of a population of particles pellets in one centrifuge spin.

Usage:
  exosep rotors [--json]
  exosep spin (--rotor NAME | --rmin-mm X --rmax-mm Y [--angle-deg A --tube-diameter-mm D])
              (--rcf G [--rcf-at min|avg|max] | --rpm N) --minutes T
              [--temperature-c C | --viscosity-mpas V] [--medium-density G_PER_ML]
              [--particle-density G_PER_ML] --diameter-nm D[,D...] [--json]
  exosep protocol (--preset NAME | --file P.json) [--volume-ml V] [--json | --csv]
  exosep presets [--json]
  exosep filter (--mwco-kda K | --pore-nm P) [--deadend | --tff] [--tmp-kpa T]
                [--volume-ml V] [--concentration-factor F] --diameter-nm D[,D...]
                [--deformable] [--json]
  exosep gradient --mode rate-zonal|isopycnic --medium sucrose|iodixanol|cscl
                  --from-density A --to-density B [--cushion-density C --cushion-ml V]
                  --rotor NAME (--rcf G | --rpm N) (--hours H | --minutes M)
                  --fractions N [--json]   (exosep help gradient: all flags)
  exosep help | --help | -h

Commands:
  rotors  list the rotor catalogue: type, tube angle, maximum speed, radii,
          k-factor at maximum speed (computed from the radii, and the maker's
          where known), tubes
  spin    one spin at constant speed: rpm, RCF at r_min/r_avg/r_max, k-factor,
          cut-off diameter, and per diameter the sedimentation coefficient and
          the fraction pelleted
  protocol  a whole isolation protocol (spins, filters, resuspensions, pools):
          where each species goes at every step, exosome yield, protein,
          particles per µg protein (purity), damage, runs and time
  presets   list the protocol presets (the review's, Théry et al. 2006, …)
  filter    one membrane filtration: per diameter the sieving coefficient and
          the shares passed, retained, trapped and damaged; flux and time
          (see exosep filter --help)
  gradient  one density-gradient tube (rate-zonal or isopycnic): fractions
          from the top with density, particles of every species, protein,
          purity, the exosome-rich fractions and the pellet
  help    this text

Flags of spin (each at most once; flags go after the command):
  --rotor NAME             a catalogue rotor (see exosep rotors); case, spaces
                           and hyphens are ignored: "SW 41 Ti" = sw41ti = Sw-41-ti
  --rmin-mm X --rmax-mm Y  instead of --rotor, a custom rotor whose sample
                           column spans X to Y mm from the axis
                           (1 ≤ X < Y ≤ 1000).
                           It is a swinging bucket, or fixed-angle when both
                           of the next two flags are given. A custom rotor's
                           maximum speed is taken as 150000 rpm.
  --angle-deg A            custom fixed-angle rotor: tube angle from the
                           rotation axis, degrees (0 < A < 90)
  --tube-diameter-mm D     custom fixed-angle rotor: tube inner diameter, mm
                           (0 < D, D·cos A < Y − X)
  --rcf G                  relative centrifugal force, × g (up to the rotor's
                           maximum speed at that radius)
  --rcf-at min|avg|max     the radius --rcf refers to: r_min, r_avg =
                           (r_min + r_max)/2, or r_max (default max)
  --rpm N                  speed instead of --rcf, rpm (1 to the rotor's maximum)
  --minutes T              time at speed, minutes (0 < T ≤ 2880)
  --temperature-c C        temperature of the water medium, °C (0–40; default 4)
  --viscosity-mpas V       medium viscosity, mPa·s (0.1–1000), instead of water's
                           at the temperature; not with --temperature-c (the
                           medium density is then water's at 4 °C unless
                           --medium-density is given)
  --medium-density G       medium density, g/mL (0.5–2.5; default water's at
                           the temperature)
  --particle-density G     particle density, g/mL (0.5–2.5; default 1.15)
  --diameter-nm D[,D...]   particle diameters, nm, comma-separated (each above 0
                           up to 100000)
  --json                   print one JSON object instead of a table

Flags of rotors:
  --json                   print a JSON array instead of a table

Model (Livshits et al. 2015, Sci Rep 5:17319): rigid spheres in Stokes flow,
s = d²(ρp − ρm)/(18η); particles start uniform along a full tube; constant
speed (no acceleration or braking), no diffusion. Swinging bucket: pelleted
fraction (r_max/L)(1 − e^(−sω²t)), L = r_max − r_min. Fixed angle: particles
cross the tube, ξ = sω²·r_avg·t·cos θ/D, fraction (2/π)(asin ξ + ξ√(1−ξ²)).
The cut-off diameter is the smallest particle that pellets completely.
k-factor = ln(r_max/r_min)/ω² in hours·svedberg; the JSON output uses the
keys rpm, rcf_min, rcf_avg, rcf_max, k_factor, cutoff_diameter_nm (null when
the particles do not sink) and particles[].{diameter_nm,
sedimentation_coefficient_svedberg, pelleted_fraction, floated_fraction}.

Exit status: 0 success; 2 bad input (one line on stderr naming the flag and
its allowed range); 1 internal error.
`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run executes the command line args (without the program name) and
// returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	const commands = "allowed: rotors, spin, protocol, presets, filter, gradient, help"
	if len(args) == 0 {
		fmt.Fprintf(stderr, "exosep: missing command (%s; see exosep help)\n", commands)
		return 2
	}
	var err error
	cmd := args[0]
	switch cmd {
	case "help", "-h", "-help", "--help":
		if cmd == "help" && len(args) > 1 {
			switch args[1] {
			case "filter":
				if len(args) == 2 {
					io.WriteString(stdout, filterUsage)
					return 0
				}
			case "gradient":
				io.WriteString(stdout, gradientUsage)
				return 0
			case "rotors", "spin", "protocol", "presets", "help", "-h", "-help", "--help":
			default:
				fmt.Fprintf(stderr, "exosep help: unknown topic %s (%s)\n", shown(args[1]), commands)
				return 2
			}
			if len(args) > 2 {
				fmt.Fprintf(stderr, "exosep help: unexpected argument %s (allowed: one topic: rotors, spin, protocol, presets, filter, gradient, help)\n", shown(args[2]))
				return 2
			}
		}
		io.WriteString(stdout, usage)
		return 0
	case "rotors":
		err = runRotors(args[1:], stdout)
	case "spin":
		err = runSpin(args[1:], stdout)
	case "protocol":
		return runProtocol(args[1:], stdout, stderr)
	case "presets":
		return runPresets(args[1:], stdout, stderr)
	case "filter":
		err = runFilter(args[1:], stdout)
	case "gradient":
		err = runGradient(args[1:], stdout)
	default:
		if strings.HasPrefix(cmd, "-") {
			fmt.Fprintf(stderr, "exosep: flag %s before the command; flags go after it (%s)\n", shown(cmd), commands)
		} else {
			fmt.Fprintf(stderr, "exosep: unknown command %s (%s)\n", shown(cmd), commands)
		}
		return 2
	}
	var bad *inputError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp) && cmd == "filter":
		io.WriteString(stdout, filterUsage)
		return 0
	case errors.Is(err, errHelp):
		if cmd == "gradient" {
			io.WriteString(stdout, gradientUsage)
		} else {
			io.WriteString(stdout, usage)
		}
		return 0
	case errors.As(err, &bad):
		fmt.Fprintf(stderr, "exosep %s: %s\n", cmd, oneLine(bad.msg))
		return 2
	default:
		fmt.Fprintf(stderr, "exosep %s: %s\n", cmd, oneLine(err.Error()))
		return 1
	}
}

// oneLine joins a multi-line message so that an error is one stderr line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}
