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
mod problem;
#[cfg(test)]
mod reference;
mod sector;
#[cfg(test)]
mod tests;
mod validate;

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::progress::Progress;

pub use capacity::{Allocation, assign_with_capacity};
pub use problem::{Method, Objective, Options, Problem, Sector, Solution, Value};
use sector::Sub;
pub use validate::{OptimiseError, validate};

/// Time a unit of weight that reaches no open site counts for, and the most
/// any journey counts for in a score (one value for every figure that must
/// weigh a missing journey).
pub use crate::travel::UNREACHED_PENALTY_S;

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
