//! Checking a problem before solving it: every error names the failing
//! constraint in plain words.

use super::{Objective, Problem};

/// Why a problem cannot be solved, in plain words naming the constraint.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptimiseError {
    /// Cancel was asked for before the search finished.
    #[error("cancelled")]
    Cancelled,
    /// `time_s` is not zones x candidates long.
    #[error("time_s has {len} values; expected zones x candidates = {expected}")]
    MatrixSize {
        /// Values given.
        len: usize,
        /// `zones * candidates`.
        expected: usize,
    },
    /// A time is negative or not a number.
    #[error("time_s: zone {zone}, site '{site}' has a negative or not-a-number time")]
    BadTime {
        /// Zone index.
        zone: usize,
        /// Candidate index.
        candidate: usize,
        /// Candidate name.
        site: String,
    },
    /// `weight` is not one per zone.
    #[error("weights: {len} values; expected one per zone = {expected}")]
    WeightCount {
        /// Values given.
        len: usize,
        /// Number of zones.
        expected: usize,
    },
    /// A weight is negative, infinite or not a number.
    #[error("weights: zone {zone} has a negative or non-finite weight")]
    BadWeight {
        /// Zone index.
        zone: usize,
    },
    /// A cover objective without a threshold.
    #[error("the {objective} objective needs a threshold (minutes)")]
    MissingThreshold {
        /// The objective.
        objective: Objective,
    },
    /// The threshold is negative or not a number.
    #[error("the threshold ({threshold_s} s) must be a time of 0 or more")]
    BadThreshold {
        /// The threshold given.
        threshold_s: f32,
    },
    /// `capacity` is not one per candidate.
    #[error("capacity: {len} values; expected one per candidate site = {expected}")]
    CapacityCount {
        /// Values given.
        len: usize,
        /// Number of candidates.
        expected: usize,
    },
    /// A capacity is negative or not finite.
    #[error("capacity: site '{site}' has a negative or non-finite capacity")]
    BadCapacity {
        /// Candidate index.
        candidate: usize,
        /// Candidate name.
        site: String,
    },
    /// There is no sector.
    #[error("there is no sector to optimise: list at least one")]
    NoSectors,
    /// A zone index is not below `zones`.
    #[error("sector '{sector}': zone {zone} does not exist (there are {zones} zones)")]
    ZoneOutOfRange {
        /// Sector label.
        sector: String,
        /// The index.
        zone: usize,
        /// Number of zones.
        zones: usize,
    },
    /// A candidate index is not below `candidates`.
    #[error("{list}: candidate site {candidate} does not exist (there are {candidates} candidate sites)")]
    CandidateOutOfRange {
        /// Where it was listed: "sector 'X'", "fixed" or "excluded".
        list: String,
        /// The index.
        candidate: usize,
        /// Number of candidates.
        candidates: usize,
    },
    /// A zone is listed in two sectors (or twice in one).
    #[error("zone {zone} is in sector '{first}' and again in sector '{second}'")]
    ZoneInTwoSectors {
        /// Zone index.
        zone: usize,
        /// First sector's label.
        first: String,
        /// Second sector's label.
        second: String,
    },
    /// A candidate is listed in two sectors (or twice in one).
    #[error("site '{site}' is in sector '{first}' and again in sector '{second}'")]
    SiteInTwoSectors {
        /// Candidate index.
        candidate: usize,
        /// Candidate name.
        site: String,
        /// First sector's label.
        first: String,
        /// Second sector's label.
        second: String,
    },
    /// A candidate is both fixed and excluded.
    #[error("site '{site}' is both fixed and excluded")]
    FixedAndExcluded {
        /// Candidate index.
        candidate: usize,
        /// Candidate name.
        site: String,
    },
    /// A fixed candidate belongs to no sector, so it cannot be opened.
    #[error("site '{site}' is fixed but belongs to no sector")]
    FixedOutsideSectors {
        /// Candidate index.
        candidate: usize,
        /// Candidate name.
        site: String,
    },
    /// A sector must open sites but every candidate is excluded (or it has none).
    #[error("sector '{sector}' has no candidate site that is not excluded")]
    NoCandidate {
        /// Sector label.
        sector: String,
    },
    /// A sector opens more sites than it has usable candidates.
    #[error("p = {open} is more than the {available} candidate sites in sector '{sector}'{}", excluded_note(*.excluded))]
    TooManyToOpen {
        /// Sites to open.
        open: usize,
        /// Candidates not excluded.
        available: usize,
        /// Candidates excluded.
        excluded: usize,
        /// Sector label.
        sector: String,
    },
    /// A sector has more fixed sites than it opens.
    #[error("sector '{sector}' has {fixed} fixed sites but opens only {open}")]
    TooManyFixed {
        /// Sector label.
        sector: String,
        /// Fixed sites in it.
        fixed: usize,
        /// Sites it opens.
        open: usize,
    },
    /// An objective name that is not known.
    #[error("unknown objective '{given}': use median, cover, center or cover-then-median")]
    UnknownObjective {
        /// The name given.
        given: String,
    },
    /// A method name that is not known.
    #[error("unknown method '{given}': use auto, exact or heuristic")]
    UnknownMethod {
        /// The name given.
        given: String,
    },
}

fn excluded_note(excluded: usize) -> String {
    if excluded > 0 { format!(" that are not excluded ({excluded} excluded)") } else { String::new() }
}

/// Checks a problem; every error names the failing constraint.
pub fn validate(problem: &Problem) -> Result<(), OptimiseError> {
    let (nz, nc) = (problem.zones, problem.candidates);
    let expected = nz.saturating_mul(nc);
    if problem.time_s.len() != expected {
        return Err(OptimiseError::MatrixSize { len: problem.time_s.len(), expected });
    }
    if let Some(i) = problem.time_s.iter().position(|t| t.is_nan() || *t < 0.0) {
        let (zone, candidate) = (i / nc.max(1), i % nc.max(1));
        return Err(OptimiseError::BadTime { zone, candidate, site: problem.site_name(candidate) });
    }
    if problem.weight.len() != nz {
        return Err(OptimiseError::WeightCount { len: problem.weight.len(), expected: nz });
    }
    if let Some(zone) = problem.weight.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
        return Err(OptimiseError::BadWeight { zone });
    }
    match problem.threshold_s {
        None if problem.objective.needs_threshold() => {
            return Err(OptimiseError::MissingThreshold { objective: problem.objective });
        }
        Some(t) if t.is_nan() || t < 0.0 => {
            return Err(OptimiseError::BadThreshold { threshold_s: t });
        }
        _ => {}
    }
    if let Some(cap) = &problem.capacity {
        if cap.len() != nc {
            return Err(OptimiseError::CapacityCount { len: cap.len(), expected: nc });
        }
        if let Some(c) = cap.iter().position(|k| k.is_some_and(|k| !(k.is_finite() && k >= 0.0))) {
            return Err(OptimiseError::BadCapacity { candidate: c, site: problem.site_name(c) });
        }
    }
    if problem.sectors.is_empty() {
        return Err(OptimiseError::NoSectors);
    }
    // Sector membership, checking ranges and disjointness.
    let mut zone_sector: Vec<Option<usize>> = vec![None; nz];
    let mut site_sector: Vec<Option<usize>> = vec![None; nc];
    for (si, s) in problem.sectors.iter().enumerate() {
        for &z in &s.zones {
            if z >= nz {
                return Err(OptimiseError::ZoneOutOfRange { sector: s.label.clone(), zone: z, zones: nz });
            }
            if let Some(first) = zone_sector[z] {
                return Err(OptimiseError::ZoneInTwoSectors { zone: z, first: problem.sectors[first].label.clone(), second: s.label.clone() });
            }
            zone_sector[z] = Some(si);
        }
        for &c in &s.candidates {
            if c >= nc {
                return Err(OptimiseError::CandidateOutOfRange { list: format!("sector '{}'", s.label), candidate: c, candidates: nc });
            }
            if let Some(first) = site_sector[c] {
                return Err(OptimiseError::SiteInTwoSectors {
                    candidate: c,
                    site: problem.site_name(c),
                    first: problem.sectors[first].label.clone(),
                    second: s.label.clone(),
                });
            }
            site_sector[c] = Some(si);
        }
    }
    for (list, items) in [("fixed", &problem.fixed), ("excluded", &problem.excluded)] {
        if let Some(&c) = items.iter().find(|&&c| c >= nc) {
            return Err(OptimiseError::CandidateOutOfRange { list: list.to_string(), candidate: c, candidates: nc });
        }
    }
    let mut is_fixed = vec![false; nc];
    let mut is_excluded = vec![false; nc];
    problem.excluded.iter().for_each(|&c| is_excluded[c] = true);
    for &c in &problem.fixed {
        if is_excluded[c] {
            return Err(OptimiseError::FixedAndExcluded { candidate: c, site: problem.site_name(c) });
        }
        if site_sector[c].is_none() {
            return Err(OptimiseError::FixedOutsideSectors { candidate: c, site: problem.site_name(c) });
        }
        is_fixed[c] = true;
    }
    for s in &problem.sectors {
        let available = s.candidates.iter().filter(|&&c| !is_excluded[c]).count();
        let excluded = s.candidates.len() - available;
        let fixed = s.candidates.iter().filter(|&&c| is_fixed[c]).count();
        if s.open > 0 && available == 0 {
            return Err(OptimiseError::NoCandidate { sector: s.label.clone() });
        }
        if s.open > available {
            return Err(OptimiseError::TooManyToOpen { open: s.open, available, excluded, sector: s.label.clone() });
        }
        if fixed > s.open {
            return Err(OptimiseError::TooManyFixed { sector: s.label.clone(), fixed, open: s.open });
        }
    }
    Ok(())
}
