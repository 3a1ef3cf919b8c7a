// Package species describes the particle populations of a sample (cells,
// apoptotic bodies, microvesicles, exosomes, lipoproteins, protein…) as
// distributions of diameter and density, read from assets/data/species.json.
//
// Model (an assumption, stated per species in the data): diameter d is
// lognormal with median m and geometric standard deviation σg, truncated to
// [d_min, d_max]:
//
//	ln d ~ N(ln m, (ln σg)²) restricted to [ln d_min, ln d_max]
//
// and buoyant density ρ is uniform on [ρ_min, ρ_max], independent of d.
// Sample draws one particle; Nodes gives equal-probability quadrature nodes
// so that a per-particle quantity can be averaged over the population.
package species
