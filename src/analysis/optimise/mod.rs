//! Location optimisation: which candidate sites to open so that residents'
//! journeys are shortest on average (p-median), the most weight lies within a
//! threshold (maximal covering), the longest journey is shortest (p-center),
//! or coverage first and then journeys. This module owns the solver core only:
//! plain arrays in (a [`Problem`]), a placement with its figures out (a
//! [`Solution`]). It knows nothing of regions, scenarios, files or the UI.
//!
//! Files: `sector` turns one sector into local arrays and scores placements
//! on them; `capacity` sends weight to sites with room; `heuristic` is greedy
//! addition then vertex substitution; `exact` enumerates every placement;
//! `bound` gives lower bounds (Lagrangian relaxations) on the score.
//!
//! Sectors are solved one at a time and the results combined, and this is
//! exact: sectors share no zone and no candidate, a zone only uses its own
//! sector's sites and each sector opens its own number of sites, so the
//! objective is a sum (median, cover) or a maximum (center) of per-sector
//! terms that depend on disjoint decisions. Minimising each term minimises
//! their sum and their maximum. For cover-then-median, total coverage is
//! greatest exactly when each sector's is, and among such placements the
//! total time is least exactly when each sector's is.
//!
//! Times beyond [`UNREACHED_PENALTY_S`] count as the penalty in scores, so
//! opening one more site never makes a score worse (bounds rely on this);
//! `mean_time_s` and `worst_time_s` report the real times.

mod bound;
mod capacity;
mod exact;
mod heuristic;
#[cfg(test)]
mod reference;
mod sector;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::progress::Progress;

pub use capacity::{Allocation, assign_with_capacity};
use sector::Sub;

/// Time a unit of weight that reaches no open site counts for, and the most
/// any journey counts for in a score (one value for every figure that must
/// weigh a missing journey).
pub use crate::travel::UNREACHED_PENALTY_S;

/// What the optimiser minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Objective {
    /// p-median: the weighted mean time (unreached weight counts the penalty).
    Median,
    /// Maximal covering: the weighted share not within the threshold.
    Cover,
    /// p-center: the longest time of any zone with weight.
    Center,
    /// The most weight within the threshold first, then the least mean time.
    CoverThenMedian,
}

impl Objective {
    /// Every objective, in menu order.
    pub const ALL: [Objective; 4] = [Objective::Median, Objective::Cover, Objective::Center, Objective::CoverThenMedian];

    /// Whether the objective needs `Problem::threshold_s`.
    pub fn needs_threshold(self) -> bool {
        matches!(self, Objective::Cover | Objective::CoverThenMedian)
    }

    /// The canonical name, as accepted by `FromStr`.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Median => "median",
            Objective::Cover => "cover",
            Objective::Center => "center",
            Objective::CoverThenMedian => "cover-then-median",
        }
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Objective {
    type Err = OptimiseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "median" | "p-median" => Ok(Objective::Median),
            "cover" | "coverage" | "max-cover" => Ok(Objective::Cover),
            "center" | "p-center" | "centre" => Ok(Objective::Center),
            "cover-then-median" | "combined" => Ok(Objective::CoverThenMedian),
            _ => Err(OptimiseError::UnknownObjective { given: s.to_string() }),
        }
    }
}

/// Which solver runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Exact when the placements to enumerate (over all sectors) number at
    /// most `Options::exact_limit`, else heuristic. Exact here computes the
    /// bounds first and skips the enumeration when they already prove the
    /// heuristic's placement optimal.
    Auto,
    /// Enumerate every placement (seeded with the heuristic's, pruned by
    /// bounds; stopped by the time limit).
    Exact,
    /// Greedy addition then vertex substitution.
    Heuristic,
}

impl Method {
    /// The canonical name, as accepted by `FromStr`.
    pub fn name(self) -> &'static str {
        match self {
            Method::Auto => "auto",
            Method::Exact => "exact",
            Method::Heuristic => "heuristic",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = OptimiseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Method::Auto),
            "exact" | "exhaustive" => Ok(Method::Exact),
            "heuristic" | "interchange" => Ok(Method::Heuristic),
            _ => Err(OptimiseError::UnknownMethod { given: s.to_string() }),
        }
    }
}

/// A part of the problem solved on its own: its zones may only use its
/// candidates, and exactly `open` of its candidates are opened (fixed ones
/// count toward `open`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sector {
    /// Name used in messages, e.g. "Rainham + Gillingham".
    pub label: String,
    /// Zone indices (rows of `time_s`).
    pub zones: Vec<usize>,
    /// Candidate indices (columns of `time_s`).
    pub candidates: Vec<usize>,
    /// How many of `candidates` to open, fixed ones included.
    pub open: usize,
}

/// A location problem: times, demand, objective, sectors and constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Number of zones (demand points).
    pub zones: usize,
    /// Number of candidate sites.
    pub candidates: usize,
    /// Zone-major times, `time_s[z * candidates + c]`; `INFINITY` = unreachable.
    pub time_s: Vec<f32>,
    /// Demand per zone (population, contacts per year or any weight), >= 0.
    pub weight: Vec<f64>,
    /// For cover objectives: a zone is covered when its time <= threshold.
    pub threshold_s: Option<f32>,
    /// What to minimise.
    pub objective: Objective,
    /// Parts solved on their own; zones and candidates in none play no part.
    pub sectors: Vec<Sector>,
    /// Candidates that must be open.
    pub fixed: Vec<usize>,
    /// Candidates that must not be used.
    pub excluded: Vec<usize>,
    /// Per candidate capacity, in the units of `weight`; `None` = unlimited.
    pub capacity: Option<Vec<Option<f64>>>,
    /// Candidate names for messages.
    pub candidate_names: Vec<String>,
}

impl Problem {
    /// The name of candidate `c` for messages ("#c" when it has none).
    pub fn site_name(&self, c: usize) -> String {
        match self.candidate_names.get(c) {
            Some(n) if !n.is_empty() => n.clone(),
            _ => format!("#{c}"),
        }
    }
}

/// How to solve.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Which solver.
    pub method: Method,
    /// Wall-clock limit for the whole solve; the best placement so far is returned.
    pub time_limit: std::time::Duration,
    /// `Method::Auto` enumerates when there are at most this many placements.
    pub exact_limit: u64,
    /// Seeds the order in which the interchange scans candidates.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options { method: Method::Auto, time_limit: Duration::from_secs(10), exact_limit: 2_000_000, seed: 1 }
    }
}

/// The figures of one placement.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// What the objective minimises (lower is better): median, mean time with
    /// the penalty; cover, uncovered share; center, worst time with the
    /// penalty; cover-then-median, uncovered share + mean time / (penalty x 1000).
    pub score: f64,
    /// Weighted mean time over the weight that reaches an open site, seconds.
    pub mean_time_s: f64,
    /// Weighted share within the threshold (`None` without a threshold).
    pub covered_share: Option<f64>,
    /// Longest time of any weight that reaches an open site, seconds.
    pub worst_time_s: f64,
    /// Weight that reaches no open site (or, with capacity, finds no room).
    pub unreached_weight: f64,
    /// Total weight of the sectors' zones.
    pub total_weight: f64,
}

/// The result of a solve.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Open candidates, sorted.
    pub open: Vec<usize>,
    /// Figures of the placement.
    pub value: Value,
    /// Best known lower bound on `value.score`.
    pub bound: Option<f64>,
    /// Relative gap (score - bound) / max(|score|, tiny); 0 when proven optimal.
    pub gap: Option<f64>,
    /// Whether no placement scores better.
    pub proven_optimal: bool,
    /// Which solver ran: `Exact` or `Heuristic`.
    pub method: Method,
    /// Stopped by the time limit (the best placement so far is returned).
    pub timed_out: bool,
    /// Wall-clock time of the solve.
    pub elapsed: std::time::Duration,
    /// Placements or swaps evaluated.
    pub evaluations: u64,
}

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

/// The figures of any placement (for instance the planner's current one).
/// A zone only uses open candidates of its own sector; with capacities the
/// weight is sent as [`assign_with_capacity`] does. Never panics: call
/// [`validate`] first, as missing times count as unreachable and bad weights
/// as zero here.
pub fn evaluate(problem: &Problem, open: &[usize]) -> Value {
    let mut tally = sector::Tally::default();
    for s in &problem.sectors {
        let sub = Sub::new(problem, s, sector::open_in(s, open));
        let all: Vec<usize> = (0..sub.nc()).collect();
        tally.add(&sub, &capacity::allocate(&sub, &all));
    }
    tally.value(problem.objective, problem.threshold_s.is_some())
}

/// What one sector's solve found.
struct SectorResult {
    /// Open local columns.
    open: Vec<usize>,
    /// Per-sector lower bounds (valid for the optimum).
    parts: bound::Parts,
    /// Proven optimal (enumeration completed, or the bounds meet the value).
    complete: bool,
    timed_out: bool,
    evaluations: u64,
}

/// When a search must stop: at the time limit, or at once on Cancel.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline<'a> {
    at: Instant,
    progress: &'a Progress,
}

impl<'a> Deadline<'a> {
    /// `limit` from now, or Cancel on `progress`.
    pub(crate) fn after(limit: Duration, progress: &'a Progress) -> Deadline<'a> {
        let now = Instant::now();
        Deadline { at: now.checked_add(limit).unwrap_or_else(|| now + Duration::from_secs(86_400 * 365)), progress }
    }

    /// Whether the search must stop now.
    pub(crate) fn passed(&self) -> bool {
        self.progress.is_cancelled() || Instant::now() >= self.at
    }

    /// The same deadline, or `slice` from now if that is sooner.
    pub(crate) fn within(self, slice: Duration) -> Deadline<'a> {
        Deadline { at: self.at.min(Instant::now() + slice), ..self }
    }
}

/// Finds the best placement: validated, solved sector by sector (in
/// parallel), with a lower bound on the score.
pub fn solve(problem: &Problem, options: &Options) -> Result<Solution, OptimiseError> {
    solve_with(problem, options, &Progress::new())
}

/// [`solve`], with `progress` ticking once per sector solved; Cancel stops
/// every search at its next look at the clock and returns
/// [`OptimiseError::Cancelled`].
pub fn solve_with(problem: &Problem, options: &Options, progress: &Progress) -> Result<Solution, OptimiseError> {
    let start = Instant::now();
    validate(problem)?;
    let deadline = Deadline::after(options.time_limit, progress);
    let mut is_excluded = vec![false; problem.candidates];
    problem.excluded.iter().for_each(|&c| is_excluded[c] = true);
    let subs: Vec<Sub> =
        problem.sectors.par_iter().map(|s| Sub::new(problem, s, s.candidates.iter().copied().filter(|&c| !is_excluded[c]).collect())).collect();
    let combos = subs.iter().map(|s| binomial(s.nc() - s.fixed.len(), s.open - s.fixed.len())).fold(0u64, u64::saturating_add);
    let plan = match options.method {
        Method::Exact => Plan::Enumerate,
        Method::Heuristic => Plan::Heuristic,
        Method::Auto if combos <= options.exact_limit => Plan::BoundThenEnumerate,
        Method::Auto => Plan::Heuristic,
    };
    // Bounds get their own slice once the search is done, within the limit.
    let bound_slice = options.time_limit / 4;
    let results: Vec<SectorResult> = subs
        .par_iter()
        .map(|sub| {
            let r = solve_sector(sub, plan, deadline, bound_slice, options.seed);
            progress.tick();
            r
        })
        .collect();
    if progress.is_cancelled() {
        return Err(OptimiseError::Cancelled);
    }

    let mut open: Vec<usize> = subs.iter().zip(&results).flat_map(|(sub, r)| r.open.iter().map(|&c| sub.cands[c])).collect();
    open.sort_unstable();
    open.dedup();
    let value = evaluate(problem, &open);
    let complete = results.iter().all(|r| r.complete);
    let w = value.total_weight;
    let per_w = |x: f64| if w > 0.0 { x / w } else { 0.0 };
    let cost: f64 = results.iter().map(|r| r.parts.cost).sum();
    let uncovered: f64 = results.iter().map(|r| r.parts.uncovered).sum();
    let bound = match problem.objective {
        Objective::Median => per_w(cost),
        Objective::Cover => per_w(uncovered),
        Objective::Center => results.iter().map(|r| r.parts.worst).fold(0.0, f64::max),
        Objective::CoverThenMedian => per_w(uncovered) + per_w(cost) / (UNREACHED_PENALTY_S * 1000.0),
    }
    .min(value.score);
    let mut gap = ((value.score - bound) / value.score.abs().max(1e-12)).max(0.0);
    let proven_optimal = complete || gap <= 1e-9;
    if proven_optimal {
        gap = 0.0;
    }
    Ok(Solution {
        open,
        bound: Some(if complete { value.score } else { bound }),
        gap: Some(gap),
        proven_optimal,
        method: if plan == Plan::Heuristic { Method::Heuristic } else { Method::Exact },
        timed_out: results.iter().any(|r| r.timed_out),
        elapsed: start.elapsed(),
        evaluations: results.iter().map(|r| r.evaluations).sum(),
        value,
    })
}

/// How a sector is solved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Heuristic, then bounds.
    Heuristic,
    /// Heuristic, bounds, then enumeration unless the bounds already prove
    /// the heuristic's placement optimal (`Method::Auto` on a small problem).
    BoundThenEnumerate,
    /// Heuristic, then enumeration seeded with its placement; bounds only if
    /// that is stopped (`Method::Exact`).
    Enumerate,
}

/// Zone-leaf products (leaves x zones) below which `BoundThenEnumerate`
/// enumerates straight away: enumerating is then quicker than the bounds.
const ENUMERATE_AT_ONCE: u64 = 20_000_000;

/// Solves one sector by `plan`.
fn solve_sector(sub: &Sub, plan: Plan, deadline: Deadline<'_>, bound_slice: Duration, seed: u64) -> SectorResult {
    let leaves = binomial(sub.nc() - sub.fixed.len(), sub.open - sub.fixed.len());
    let plan = if plan == Plan::BoundThenEnumerate && leaves.saturating_mul(sub.nz() as u64) < ENUMERATE_AT_ONCE { Plan::Enumerate } else { plan };
    let h = heuristic::solve(sub, deadline, seed);
    let (mut open, mut key, mut evaluations, mut timed_out) = (h.open, h.key, h.evaluations, h.timed_out);
    let bound_within = |open: &[usize]| bound::bounds(sub, open, deadline.within(bound_slice));
    let mut parts = None;
    let mut complete = false;
    if plan != Plan::Enumerate {
        let p = bound_within(&open);
        complete = p.proves(bound::Parts::of_key(sub, key));
        parts = Some(p);
    }
    if plan != Plan::Heuristic && !timed_out && !complete {
        let e = exact::solve(sub, &open, key, deadline);
        evaluations += e.leaves;
        if sub.rule.better(e.key, key) {
            open = e.open;
            key = e.key;
        }
        complete = e.complete;
        timed_out = !e.complete;
    }
    let achieved = bound::Parts::of_key(sub, key);
    let parts = if complete { achieved } else { parts.unwrap_or_else(|| bound_within(&open)) };
    open.sort_unstable();
    SectorResult { open, parts: parts.at_most(achieved), complete, timed_out, evaluations }
}

/// n choose k, saturating at `u64::MAX`.
pub fn binomial(n: usize, k: usize) -> u64 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k);
    let mut r: u128 = 1;
    for i in 0..k {
        r = r * (n - i) as u128 / (i + 1) as u128;
        if r > u64::MAX as u128 {
            return u64::MAX;
        }
    }
    r as u64
}
