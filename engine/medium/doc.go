// Package medium gives the density and viscosity of suspending media (water,
// PBS) as functions of temperature, from published correlations whose
// coefficients are read from assets/data/media.json with their sources.
//
// Valid range: 0–40 °C (Tanaka 2001 is fitted over 0–40 °C; Kestin 1978 over
// −8–150 °C). Outside it, functions return an error naming the range.
package medium
