//! One sector as local arrays, and the scoring of placements on them. A
//! [`Sub`] holds the sector's zones with weight, a chosen set of columns
//! (candidates) and a candidate-major copy of their times, so a solver
//! scans one candidate's column contiguously. A [`Key`] is what solvers
//! compare, lexicographically, under a [`Rule`]; a [`Tally`] turns
//! allocations into the public [`Value`].

use std::ops::{Add, AddAssign, Sub as Minus};

use super::capacity::LocalAlloc;
use super::{Objective, Problem, Sector, UNREACHED_PENALTY_S, Value};

/// The penalty as an `f32` time (exact: 10,800 is representable).
pub(crate) const PENALTY_S: f32 = UNREACHED_PENALTY_S as f32;

/// No open site (in per-zone "which site" arrays).
pub(crate) const NONE: u32 = u32::MAX;

/// Relative tolerance when comparing sums (they are added in different orders).
const REL_TOL: f64 = 1e-11;

/// What solvers compare: `a` first, then `b`, lower is better. Median:
/// (weighted time, 0); cover: (uncovered weight, 0); center: (worst time,
/// weighted time); cover-then-median: (uncovered weight, weighted time).
/// Times are capped at the penalty; unreached weight counts the penalty.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Key {
    pub a: f64,
    pub b: f64,
}

impl Key {
    pub const ZERO: Key = Key { a: 0.0, b: 0.0 };
}

impl Add for Key {
    type Output = Key;
    fn add(self, o: Key) -> Key {
        Key { a: self.a + o.a, b: self.b + o.b }
    }
}

impl Minus for Key {
    type Output = Key;
    fn sub(self, o: Key) -> Key {
        Key { a: self.a - o.a, b: self.b - o.b }
    }
}

impl AddAssign for Key {
    fn add_assign(&mut self, o: Key) {
        self.a += o.a;
        self.b += o.b;
    }
}

/// How a sector's zones are scored and keys compared.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub kind: Objective,
    /// Cover threshold (`INFINITY` when none).
    pub threshold_s: f32,
    tol_a: f64,
    tol_b: f64,
}

impl Rule {
    /// The rule for an objective over a sector of total weight `total_w`.
    pub fn new(kind: Objective, threshold_s: Option<f32>, total_w: f64) -> Rule {
        let time_tol = REL_TOL * total_w * UNREACHED_PENALTY_S;
        let weight_tol = REL_TOL * total_w;
        let (tol_a, tol_b) = match kind {
            Objective::Median => (time_tol, 0.0),
            Objective::Cover => (weight_tol, 0.0),
            Objective::Center => (0.0, time_tol),
            Objective::CoverThenMedian => (weight_tol, time_tol),
        };
        Rule { kind, threshold_s: threshold_s.unwrap_or(f32::INFINITY), tol_a, tol_b }
    }

    /// Whether `a` is summed (median, cover) rather than a maximum (center).
    pub fn summed(&self) -> bool {
        self.kind != Objective::Center
    }

    /// A zone's (or flow's) term: weight `w` at time `t` (`INFINITY`: unreached).
    #[inline]
    pub fn term(&self, w: f64, t: f32) -> Key {
        let cost = t.min(PENALTY_S) as f64;
        let unc = if t > self.threshold_s { w } else { 0.0 };
        match self.kind {
            Objective::Median => Key { a: w * cost, b: 0.0 },
            Objective::Cover => Key { a: unc, b: 0.0 },
            Objective::Center => Key { a: if w > 0.0 { cost } else { 0.0 }, b: w * cost },
            Objective::CoverThenMedian => Key { a: unc, b: w * cost },
        }
    }

    /// Adds a term to a running key (`a` summed, or the maximum for center).
    #[inline]
    pub fn add(&self, acc: Key, t: Key) -> Key {
        if self.summed() { acc + t } else { Key { a: acc.a.max(t.a), b: acc.b + t.b } }
    }

    /// Whether `x` is strictly better than `y` (beyond rounding).
    #[inline]
    pub fn better(&self, x: Key, y: Key) -> bool {
        x.a < y.a - self.tol_a || (x.a <= y.a + self.tol_a && x.b < y.b - self.tol_b)
    }
}

/// One sector in local arrays over chosen columns.
#[derive(Debug, Clone)]
pub(crate) struct Sub {
    /// Global index of each local zone (only zones with weight > 0).
    pub zones: Vec<usize>,
    /// Weight of each local zone.
    pub w: Vec<f64>,
    /// Global index of each local column.
    pub cands: Vec<usize>,
    /// Local columns that must be open.
    pub fixed: Vec<usize>,
    /// Sites to open, fixed included.
    pub open: usize,
    /// Candidate-major times: `times_s[c * nz + z]`; `INFINITY` = unreachable.
    pub times_s: Vec<f32>,
    /// Capacity per column (`INFINITY` = unlimited); `None` when the problem has none.
    pub cap: Option<Vec<f64>>,
    /// Scoring rule.
    pub rule: Rule,
    /// Total weight of the local zones.
    pub total_w: f64,
}

/// The members of `open` that are candidates of sector `s` (sorted, unique).
pub(crate) fn open_in(s: &Sector, open: &[usize]) -> Vec<usize> {
    let mut v: Vec<usize> = open.iter().copied().filter(|c| s.candidates.contains(c)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

impl Sub {
    /// Sector `s` of `problem` over the given global columns. Tolerates an
    /// unvalidated problem: bad weights count as zero, missing or
    /// not-a-number times as unreachable, out-of-range indices are skipped.
    pub fn new(problem: &Problem, s: &Sector, columns: Vec<usize>) -> Sub {
        let nc_all = problem.candidates;
        let cands: Vec<usize> = columns.into_iter().filter(|&c| c < nc_all).collect();
        let mut zones = Vec::new();
        let mut w = Vec::new();
        for &z in &s.zones {
            let wz = problem.weight.get(z).copied().unwrap_or(0.0);
            if z < problem.zones && wz.is_finite() && wz > 0.0 {
                zones.push(z);
                w.push(wz);
            }
        }
        let nz = zones.len();
        let mut times_s = vec![f32::INFINITY; cands.len() * nz];
        for (ci, &c) in cands.iter().enumerate() {
            let col = &mut times_s[ci * nz..(ci + 1) * nz];
            for (zi, &z) in zones.iter().enumerate() {
                let t = problem.time_s.get(z * nc_all + c).copied().unwrap_or(f32::INFINITY);
                col[zi] = if t.is_nan() { f32::INFINITY } else { t.max(0.0) };
            }
        }
        let fixed: Vec<usize> = (0..cands.len()).filter(|&i| problem.fixed.contains(&cands[i])).collect();
        let cap = problem
            .capacity
            .as_ref()
            .map(|caps| cands.iter().map(|&c| caps.get(c).copied().flatten().filter(|k| k.is_finite() && *k >= 0.0).unwrap_or(f64::INFINITY)).collect());
        let total_w = w.iter().sum();
        Sub { zones, w, cands, fixed, open: s.open, times_s, cap, rule: Rule::new(problem.objective, problem.threshold_s, total_w), total_w }
    }

    /// Number of local zones.
    pub fn nz(&self) -> usize {
        self.zones.len()
    }

    /// Number of local columns.
    pub fn nc(&self) -> usize {
        self.cands.len()
    }

    /// Times of every local zone to column `c`.
    #[inline]
    pub fn col(&self, c: usize) -> &[f32] {
        let nz = self.nz();
        &self.times_s[c * nz..(c + 1) * nz]
    }

    /// Each zone's best time to the open columns (`INFINITY` when none).
    pub fn best_of(&self, open: &[usize]) -> Vec<f32> {
        let mut best = vec![f32::INFINITY; self.nz()];
        for &c in open {
            for (b, &t) in best.iter_mut().zip(self.col(c)) {
                *b = b.min(t);
            }
        }
        best
    }

    /// Key when zone `z` has time `t(z)`, with the loop specialised per objective.
    #[inline]
    fn fold(&self, t: impl Fn(usize) -> f32) -> Key {
        let threshold_s = self.rule.threshold_s;
        let (mut a, mut b) = (0.0f64, 0.0f64);
        match self.rule.kind {
            Objective::Median => {
                for (z, &w) in self.w.iter().enumerate() {
                    a += w * t(z).min(PENALTY_S) as f64;
                }
            }
            Objective::Cover => {
                for (z, &w) in self.w.iter().enumerate() {
                    if t(z) > threshold_s {
                        a += w;
                    }
                }
            }
            Objective::Center => {
                for (z, &w) in self.w.iter().enumerate() {
                    let c = t(z).min(PENALTY_S) as f64;
                    a = a.max(c);
                    b += w * c;
                }
            }
            Objective::CoverThenMedian => {
                for (z, &w) in self.w.iter().enumerate() {
                    let tz = t(z);
                    if tz > threshold_s {
                        a += w;
                    }
                    b += w * tz.min(PENALTY_S) as f64;
                }
            }
        }
        Key { a, b }
    }

    /// Uncapacitated key of per-zone best times.
    pub fn key_of_best(&self, best: &[f32]) -> Key {
        self.fold(|z| best[z])
    }

    /// Uncapacitated key of per-zone best times with one more column open.
    pub fn key_with(&self, best: &[f32], col: &[f32]) -> Key {
        self.fold(|z| best[z].min(col[z]))
    }

    /// Key of a placement (local columns), with capacities when the problem has them.
    pub fn key_of(&self, open: &[usize]) -> Key {
        if self.cap.is_some() { self.key_of_alloc(&super::capacity::allocate(self, open)) } else { self.key_of_best(&self.best_of(open)) }
    }

    /// Key of an allocation: each flow counts at its time, unserved weight as unreached.
    pub fn key_of_alloc(&self, alloc: &LocalAlloc) -> Key {
        let mut k = Key::ZERO;
        for f in &alloc.flows {
            k = self.rule.add(k, self.rule.term(f.amount, f.time_s));
        }
        for &u in &alloc.unserved {
            if u > 0.0 {
                k = self.rule.add(k, self.rule.term(u, f32::INFINITY));
            }
        }
        k
    }
}

/// Running totals over sectors for a [`Value`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    total_w: f64,
    served_w: f64,
    time_sum: f64,
    cost_sum: f64,
    covered_w: f64,
    worst_time_s: f64,
    worst_cost: f64,
    unserved_w: f64,
}

impl Tally {
    /// Adds one sector's allocation.
    pub fn add(&mut self, sub: &Sub, alloc: &LocalAlloc) {
        self.total_w += sub.total_w;
        for f in &alloc.flows {
            let t = f.time_s as f64;
            self.served_w += f.amount;
            self.time_sum += f.amount * t;
            self.cost_sum += f.amount * t.min(UNREACHED_PENALTY_S);
            if f.time_s <= sub.rule.threshold_s {
                self.covered_w += f.amount;
            }
            if f.amount > 0.0 {
                self.worst_time_s = self.worst_time_s.max(t);
                self.worst_cost = self.worst_cost.max(t.min(UNREACHED_PENALTY_S));
            }
        }
        for &u in &alloc.unserved {
            if u > 0.0 {
                self.unserved_w += u;
                self.cost_sum += u * UNREACHED_PENALTY_S;
                self.worst_cost = UNREACHED_PENALTY_S;
            }
        }
    }

    /// The figures, scored for `objective`.
    pub fn value(&self, objective: Objective, has_threshold: bool) -> Value {
        let per_w = |x: f64| {
            if self.total_w > 0.0 { x / self.total_w } else { 0.0 }
        };
        let uncovered_share = per_w(self.total_w - self.covered_w).max(0.0);
        let mean_cost_s = per_w(self.cost_sum);
        let score = match objective {
            Objective::Median => mean_cost_s,
            Objective::Cover => uncovered_share,
            Objective::Center => self.worst_cost,
            Objective::CoverThenMedian => uncovered_share + mean_cost_s / (UNREACHED_PENALTY_S * 1000.0),
        };
        Value {
            score,
            mean_time_s: if self.served_w > 0.0 { self.time_sum / self.served_w } else { 0.0 },
            covered_share: has_threshold.then(|| per_w(self.covered_w)),
            worst_time_s: self.worst_time_s,
            unreached_weight: self.unserved_w,
            total_weight: self.total_w,
        }
    }
}
