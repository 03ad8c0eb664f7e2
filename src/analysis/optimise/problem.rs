//! What a location problem is made of: the objective and method, the
//! sectors (one per locality pair for tier 2, one for tier 3), the problem
//! itself, the solver's options, and the figures and solution it returns.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::OptimiseError;

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
