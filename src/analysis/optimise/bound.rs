//! Lower bounds on a sector's optimum, without capacities (capacities can
//! only make a placement score worse, so these stay valid with them):
//!
//! - weighted time (median): Lagrangian relaxation of "each zone is served
//!   once", optimised by subgradient steps sized from the heuristic's value;
//!   it starts from the all-sites-open value, which it never falls below;
//! - uncovered weight (cover): Lagrangian relaxation of "a zone is covered
//!   only if an open site covers it", an upper bound on covered weight that
//!   starts from the least of the coverable weight and the sum of the
//!   largest single-site covers;
//! - worst time (center): the all-open value, raised by packing: if more
//!   zones than sites still to open need a site within r and no two of them
//!   share a candidate within r, no placement reaches all within r.

use rayon::prelude::*;

use super::Deadline;
use super::Objective;
use super::sector::{Key, PENALTY_S, Sub};

/// Subgradient iterations at most (cover, center's search has its own).
const MAX_ITERATIONS: usize = 300;

/// Subgradient iterations at most for the median bound (they are cheap: sparse).
const MEDIAN_ITERATIONS: usize = 1000;

/// Iterations without progress before the step halves.
const PATIENCE: usize = 30;

/// The subgradient step factor: starts at 2 and halves after `PATIENCE`
/// iterations in a row that did not improve the bound.
struct StepSize {
    theta: f64,
    stale: usize,
}

impl StepSize {
    fn new() -> StepSize {
        StepSize { theta: 2.0, stale: 0 }
    }
    /// Records whether this iteration improved the bound.
    fn record(&mut self, improved: bool) {
        if improved {
            self.stale = 0;
        } else {
            self.stale += 1;
            if self.stale >= PATIENCE {
                self.theta /= 2.0;
                self.stale = 0;
            }
        }
    }
}

/// Lower bounds on the parts of a sector's key that the score uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Parts {
    /// Weighted time (capped at the penalty, unreached at the penalty).
    pub cost: f64,
    /// Uncovered weight.
    pub uncovered: f64,
    /// Worst time (capped).
    pub worst: f64,
}

impl Parts {
    /// The parts of an achieved key (exact when the key is optimal).
    pub fn of_key(sub: &Sub, key: Key) -> Parts {
        let mut p = Parts { cost: 0.0, uncovered: 0.0, worst: 0.0 };
        match sub.rule.kind {
            Objective::Median => p.cost = key.a,
            Objective::Cover => p.uncovered = key.a,
            Objective::Center => p.worst = key.a,
            Objective::CoverThenMedian => {
                p.uncovered = key.a;
                p.cost = key.b;
            }
        }
        p
    }

    /// Whether these bounds meet an achieved placement's parts (to 1e-9
    /// relative): the placement is then optimal.
    pub fn proves(&self, achieved: Parts) -> bool {
        let meets = |lb: f64, v: f64| lb >= v - 1e-9 * v.abs();
        meets(self.cost, achieved.cost) && meets(self.uncovered, achieved.uncovered) && meets(self.worst, achieved.worst)
    }

    /// Each part no larger than the achieved one (the optimum is no worse than any placement).
    pub fn at_most(self, achieved: Parts) -> Parts {
        Parts { cost: self.cost.min(achieved.cost), uncovered: self.uncovered.min(achieved.uncovered), worst: self.worst.min(achieved.worst) }
    }
}

/// Bounds for the sector's objective; `open` is the heuristic's placement.
pub(crate) fn bounds(sub: &Sub, open: &[usize], deadline: Deadline<'_>) -> Parts {
    let mut p = Parts { cost: 0.0, uncovered: 0.0, worst: 0.0 };
    if sub.nz() == 0 {
        return p;
    }
    if sub.open == 0 {
        // Nothing opens: the one placement's value.
        return Parts { cost: sub.total_w * PENALTY_S as f64, uncovered: sub.total_w, worst: PENALTY_S as f64 };
    }
    let best = sub.best_of(open);
    match sub.rule.kind {
        Objective::Median => p.cost = median(sub, &best, deadline),
        Objective::Cover => p.uncovered = sub.total_w - cover(sub, &best, deadline),
        Objective::Center => p.worst = center(sub, &best, deadline),
        Objective::CoverThenMedian => {
            p.cost = median(sub, &best, deadline);
            p.uncovered = sub.total_w - cover(sub, &best, deadline);
        }
    }
    p.uncovered = p.uncovered.max(0.0);
    p
}

/// The fixed columns and the non-fixed ones, and how many of those open.
fn split(sub: &Sub) -> (Vec<usize>, usize) {
    let free: Vec<usize> = (0..sub.nc()).filter(|c| !sub.fixed.contains(c)).collect();
    (free, sub.open - sub.fixed.len())
}

/// Sum of the fixed values plus the `k` smallest free values.
fn choose_smallest(values: &[f64], fixed: &[usize], free: &[usize], k: usize) -> (f64, Vec<usize>) {
    let mut order: Vec<usize> = free.to_vec();
    order.sort_by(|&x, &y| values[x].total_cmp(&values[y]));
    order.truncate(k);
    order.extend_from_slice(fixed);
    (order.iter().map(|&c| values[c]).sum(), order)
}

/// Each zone's nearest columns, sorted by time, kept for the median bound.
const NEAREST_KEPT: usize = 128;

/// Zones per parallel chunk in the median bound (fixed, so sums do not
/// depend on the number of threads).
const ZONE_CHUNK: usize = 1024;

/// Lower bound on the weighted time (median). `best`: the heuristic's
/// per-zone times, whose cost is the upper bound that sizes the steps.
///
/// L(lambda) = sum_z lambda_z + min over placements Y of sum_{c in Y} rho_c,
/// rho_c = sum_z min(0, w_z d_zc - lambda_z), is a lower bound for every
/// lambda. Only columns with w_z d_zc < lambda_z add to rho, so each zone
/// walks its nearest columns in time order and stops at the first that
/// costs lambda_z or more (or scans every column when its kept ones run out).
fn median(sub: &Sub, best: &[f32], deadline: Deadline<'_>) -> f64 {
    let (nz, nc) = (sub.nz(), sub.nc());
    let (free, k) = split(sub);
    let cost = |z: usize, t: f32| sub.w[z] * t.min(PENALTY_S) as f64;
    let upper: f64 = (0..nz).map(|z| cost(z, best[z])).sum();
    let kept = NEAREST_KEPT.min(nc);
    let nearest: Vec<(f32, u32)> = (0..nz)
        .into_par_iter()
        .flat_map_iter(|z| {
            let mut row: Vec<(f32, u32)> = (0..nc).map(|c| (sub.times_s[c * nz + z], c as u32)).collect();
            if kept < nc {
                row.select_nth_unstable_by(kept - 1, |a, b| a.0.total_cmp(&b.0));
                row.truncate(kept);
            }
            row.sort_by(|a, b| a.0.total_cmp(&b.0));
            row
        })
        .collect();
    // Zone z's columns cheaper than `lz`, each once: from its kept list when
    // that reaches a column costing `lz` or more, else from a full scan.
    let under = |z: usize, lz: f64, f: &mut dyn FnMut(usize, f64)| {
        let row = &nearest[z * kept..(z + 1) * kept];
        if kept == nc || row.last().is_some_and(|&(t, _)| cost(z, t) >= lz) {
            for &(t, c) in row {
                let d = cost(z, t);
                if d >= lz {
                    break;
                }
                f(c as usize, d);
            }
        } else {
            for c in 0..nc {
                let d = cost(z, sub.times_s[c * nz + z]);
                if d < lz {
                    f(c, d);
                }
            }
        }
    };
    // Start: lambda_z = w_z x best time to any site, whose L is the all-open value.
    let mut lambda: Vec<f64> = (0..nz).map(|z| nearest.get(z * kept).map_or(cost(z, f32::INFINITY), |&(t, _)| cost(z, t))).collect();
    let mut lower: f64 = lambda.iter().sum();
    let mut step_size = StepSize::new();
    let mut chosen_mask = vec![false; nc];
    for _ in 0..MEDIAN_ITERATIONS {
        if deadline.passed() || upper - lower <= 1e-9 * upper || step_size.theta < 1e-6 {
            break;
        }
        let partial: Vec<Vec<f64>> = (0..nz)
            .into_par_iter()
            .chunks(ZONE_CHUNK)
            .map(|zs| {
                let mut rho = vec![0.0; nc];
                for z in zs {
                    under(z, lambda[z], &mut |c, d| rho[c] += d - lambda[z]);
                }
                rho
            })
            .collect();
        let mut rho = vec![0.0; nc];
        for part in &partial {
            rho.iter_mut().zip(part).for_each(|(r, p)| *r += p);
        }
        let (chosen_sum, chosen) = choose_smallest(&rho, &sub.fixed, &free, k);
        let l = lambda.iter().sum::<f64>() + chosen_sum;
        step_size.record(l > lower);
        lower = lower.max(l);
        // Subgradient: 1 - how many chosen sites serve the zone.
        chosen_mask.iter_mut().for_each(|m| *m = false);
        chosen.iter().for_each(|&c| chosen_mask[c] = true);
        let g: Vec<f64> = (0..nz)
            .into_par_iter()
            .map(|z| {
                let mut n = 0.0;
                under(z, lambda[z], &mut |c, _| n += chosen_mask[c] as u8 as f64);
                1.0 - n
            })
            .collect();
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm == 0.0 {
            break; // the relaxed solution is a placement: L is its value
        }
        let step = step_size.theta * (upper - l).max(1e-9 * upper.max(1.0)) / norm;
        for (lz, gz) in lambda.iter_mut().zip(&g) {
            *lz += step * gz;
        }
    }
    lower
}

/// Upper bound on the covered weight (cover). `best`: the heuristic's
/// per-zone times, whose covered weight sizes the steps.
///
/// U(mu) = sum_z max(0, w_z - mu_z) + max over placements Y of sum_{c in Y}
/// sigma_c, sigma_c = sum of mu_z over the zones c covers, for every mu >= 0.
fn cover(sub: &Sub, best: &[f32], deadline: Deadline<'_>) -> f64 {
    let nz = sub.nz();
    let threshold_s = sub.rule.threshold_s;
    let (free, k) = split(sub);
    let covers: Vec<Vec<u32>> = (0..sub.nc()).map(|c| (0..nz).filter(|&z| sub.col(c)[z] <= threshold_s).map(|z| z as u32).collect()).collect();
    let covered_now: f64 = (0..nz).filter(|&z| best[z] <= threshold_s).map(|z| sub.w[z]).sum();
    let mut coverable = vec![false; nz];
    covers.iter().flatten().for_each(|&z| coverable[z as usize] = true);
    let mut upper: f64 = (0..nz).filter(|&z| coverable[z]).map(|z| sub.w[z]).sum();
    let mut mu: Vec<f64> = sub.w.clone();
    let mut step_size = StepSize::new();
    for it in 0..MAX_ITERATIONS {
        if it > 0 && (deadline.passed() || upper - covered_now <= 1e-9 * sub.total_w || step_size.theta < 1e-6) {
            break;
        }
        let sigma: Vec<f64> = covers.iter().map(|zs| zs.iter().map(|&z| mu[z as usize]).sum()).collect();
        // Largest sigma: choose the smallest of their negatives.
        let neg: Vec<f64> = sigma.iter().map(|s| -s).collect();
        let (neg_sum, chosen) = choose_smallest(&neg, &sub.fixed, &free, k);
        let u = (0..nz).map(|z| (sub.w[z] - mu[z]).max(0.0)).sum::<f64>() - neg_sum;
        step_size.record(u < upper);
        upper = upper.min(u);
        // Subgradient of U: (times covered by the chosen sites) - [w_z > mu_z].
        let mut g: Vec<f64> = (0..nz).map(|z| if sub.w[z] > mu[z] { -1.0 } else { 0.0 }).collect();
        for &c in &chosen {
            covers[c].iter().for_each(|&z| g[z as usize] += 1.0);
        }
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm == 0.0 {
            break;
        }
        let step = step_size.theta * (u - covered_now).max(1e-9 * sub.total_w) / norm;
        for (m, gz) in mu.iter_mut().zip(&g) {
            *m = (*m - step * gz).max(0.0);
        }
    }
    // Rounding aside, the heuristic's coverage is achieved, so never below it.
    upper.max(covered_now)
}

/// Lower bound on the worst time (center). `best`: the heuristic's per-zone
/// times, whose worst is an upper bound on the optimum.
fn center(sub: &Sub, best: &[f32], deadline: Deadline<'_>) -> f64 {
    let nz = sub.nz();
    let (free, k) = split(sub);
    let cap = |t: f32| t.min(PENALTY_S);
    let all_open = sub.best_of(&(0..sub.nc()).collect::<Vec<_>>());
    let lo = all_open.iter().fold(0.0f32, |m, &t| m.max(cap(t)));
    let hi = best.iter().fold(0.0f32, |m, &t| m.max(cap(t)));
    let base = sub.best_of(&sub.fixed);
    // No placement reaches every zone within r when more than k zones not
    // within r of a fixed site have pairwise disjoint sets of free sites within r.
    let infeasible = |r: f32| -> bool {
        let needy: Vec<usize> = (0..nz).filter(|&z| base[z] > r).collect();
        let balls: Vec<Vec<u32>> = needy.iter().map(|&z| free.iter().filter(|&&c| sub.col(c)[z] <= r).map(|&c| c as u32).collect()).collect();
        if balls.iter().any(|b| b.is_empty()) {
            return true;
        }
        let mut order: Vec<usize> = (0..balls.len()).collect();
        order.sort_by_key(|&i| (balls[i].len(), i));
        let mut used = vec![false; sub.nc()];
        let mut packed = 0;
        for i in order {
            if balls[i].iter().all(|&c| !used[c as usize]) {
                balls[i].iter().for_each(|&c| used[c as usize] = true);
                packed += 1;
                if packed > k {
                    return true;
                }
            }
        }
        false
    };
    let (mut a, mut b) = (lo, hi);
    let mut proven: Option<f32> = None;
    for _ in 0..30 {
        if b - a <= 1e-3 * b.max(1.0) || deadline.passed() {
            break;
        }
        let r = a + (b - a) / 2.0;
        if infeasible(r) {
            proven = Some(r);
            a = r;
        } else {
            b = r;
        }
    }
    let Some(r) = proven else { return lo as f64 };
    // The optimum is some capped time, so it is at least the least one above r.
    let next = (0..sub.nc()).flat_map(|c| sub.col(c).iter().map(|&t| cap(t))).filter(|&t| t > r).fold(PENALTY_S, f32::min);
    lo.max(next) as f64
}
