//! Exact search for one sector: depth-first enumeration of every choice of
//! `open - fixed` sites among the non-fixed candidates, in parallel over the
//! first site chosen. Each depth keeps the zones' best times so far (one
//! array per depth), so a leaf costs O(zones). A subtree is pruned when even
//! opening every candidate it could still add (the suffix minima) would not
//! beat the incumbent: scores only fall when sites open, so that is a valid
//! bound, and with capacities too (an allocation can only do worse than
//! sending everyone to their nearest open site). The incumbent starts as the
//! heuristic's placement, so the search mostly proves it optimal.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::Deadline;
use super::sector::{Key, Sub};

/// Leaves between looks at the clock.
const CLOCK_EVERY: u64 = 256;

/// The most floats of suffix minima kept for pruning (32 MB).
const SUFFIX_LIMIT: usize = 8_000_000;

/// The exact search's result for one sector.
#[derive(Debug, Clone)]
pub(crate) struct ExactOutcome {
    /// Open local columns of the best placement found.
    pub open: Vec<usize>,
    /// Its key.
    pub key: Key,
    /// Whether every placement was enumerated or pruned (not stopped by the deadline).
    pub complete: bool,
    /// Leaves evaluated.
    pub leaves: u64,
}

/// Shared, read-only state of one sector's search.
struct Search<'a> {
    sub: &'a Sub,
    /// Non-fixed local columns, in enumeration order.
    free: Vec<usize>,
    /// Sites to choose among `free`.
    k: usize,
    /// `suffix[i * nz + z]`: min over free[j], j >= i, of the time of zone z.
    suffix: Option<Vec<f32>>,
    deadline: Deadline<'a>,
    stop: AtomicBool,
}

/// One branch's working state.
struct Branch {
    /// `levels[d]`: best times with the fixed sites and the first d chosen.
    levels: Vec<Vec<f32>>,
    /// Chosen positions in `free`.
    chosen: Vec<usize>,
    best: Key,
    best_choice: Option<Vec<usize>>,
    leaves: u64,
}

impl Search<'_> {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Lower bound on every leaf below a node whose best times are `level`
    /// and whose remaining choices are free[i..].
    fn bound(&self, level: &[f32], i: usize) -> Option<Key> {
        let nz = self.sub.nz();
        let s = self.suffix.as_ref()?;
        Some(self.sub.key_with(level, &s[i * nz..(i + 1) * nz]))
    }

    /// Evaluates the leaf that adds free[i] to the node at `depth`.
    fn leaf(&self, br: &mut Branch, depth: usize, i: usize) {
        let c = self.free[i];
        let key = if self.sub.cap.is_some() {
            let mut open = self.sub.fixed.clone();
            open.extend(br.chosen.iter().map(|&j| self.free[j]));
            open.push(c);
            self.sub.key_of(&open)
        } else {
            self.sub.key_with(&br.levels[depth], self.sub.col(c))
        };
        br.leaves += 1;
        if self.sub.rule.better(key, br.best) {
            br.best = key;
            let mut choice = br.chosen.clone();
            choice.push(i);
            br.best_choice = Some(choice);
        }
        if br.leaves.is_multiple_of(CLOCK_EVERY) && self.deadline.passed() {
            self.stop.store(true, Ordering::Relaxed);
        }
    }

    /// Enumerates below a node with `depth` sites chosen (depth >= 1), the
    /// next chosen from free[start..].
    fn descend(&self, br: &mut Branch, depth: usize, start: usize) {
        let m = self.free.len();
        let remaining = self.k - depth;
        if remaining == 1 {
            for i in start..m {
                if self.stopped() {
                    return;
                }
                self.leaf(br, depth, i);
            }
            return;
        }
        for i in start..=(m - remaining) {
            if self.stopped() {
                return;
            }
            self.step(br, depth, i);
            if let Some(lb) = self.bound(&br.levels[depth + 1], i + 1)
                && !self.sub.rule.better(lb, br.best)
            {
                continue;
            }
            br.chosen.push(i);
            self.descend(br, depth + 1, i + 1);
            br.chosen.pop();
        }
    }

    /// `levels[depth + 1] = min(levels[depth], column of free[i])`.
    fn step(&self, br: &mut Branch, depth: usize, i: usize) {
        let (lo, hi) = br.levels.split_at_mut(depth + 1);
        for ((n, &b), &t) in hi[0].iter_mut().zip(&lo[depth]).zip(self.sub.col(self.free[i])) {
            *n = b.min(t);
        }
    }

    /// The subtree whose first choice is free[i0].
    fn branch(&self, i0: usize, base: &[f32], incumbent: Key) -> Branch {
        let nz = self.sub.nz();
        let mut levels = vec![vec![f32::INFINITY; nz]; self.k];
        levels[0].copy_from_slice(base);
        let mut br = Branch { levels, chosen: Vec::with_capacity(self.k), best: incumbent, best_choice: None, leaves: 0 };
        if self.stopped() {
            return br;
        }
        if self.k == 1 {
            self.leaf(&mut br, 0, i0);
            return br;
        }
        self.step(&mut br, 0, i0);
        if let Some(lb) = self.bound(&br.levels[1], i0 + 1)
            && !self.sub.rule.better(lb, br.best)
        {
            return br;
        }
        br.chosen.push(i0);
        self.descend(&mut br, 1, i0 + 1);
        br
    }
}

/// Enumerates every placement of the sector, starting from an incumbent
/// (its open columns and key); returns the best (the incumbent unless
/// something is strictly better).
pub(crate) fn solve(sub: &Sub, incumbent_open: &[usize], incumbent: Key, deadline: Deadline<'_>) -> ExactOutcome {
    let is_fixed: Vec<bool> = (0..sub.nc()).map(|c| sub.fixed.contains(&c)).collect();
    let free: Vec<usize> = (0..sub.nc()).filter(|&c| !is_fixed[c]).collect();
    let k = sub.open.saturating_sub(sub.fixed.len());
    let m = free.len();
    if k == 0 || k > m {
        let key = sub.key_of(&sub.fixed);
        let better = sub.rule.better(key, incumbent);
        return ExactOutcome {
            open: if better { sub.fixed.clone() } else { incumbent_open.to_vec() },
            key: if better { key } else { incumbent },
            complete: k == 0,
            leaves: 1,
        };
    }
    let nz = sub.nz();
    // Root: nothing beats the incumbent when it already scores what opening
    // every column would (no zones, or every zone at its best time).
    let all: Vec<usize> = (0..sub.nc()).collect();
    if !sub.rule.better(sub.key_of_best(&sub.best_of(&all)), incumbent) {
        return ExactOutcome { open: incumbent_open.to_vec(), key: incumbent, complete: true, leaves: 0 };
    }
    let suffix = (k >= 2 && (m + 1).saturating_mul(nz) <= SUFFIX_LIMIT).then(|| {
        let mut s = vec![f32::INFINITY; (m + 1) * nz];
        for i in (0..m).rev() {
            let (head, tail) = s.split_at_mut((i + 1) * nz);
            for ((v, &next), &t) in head[i * nz..].iter_mut().zip(&tail[..nz]).zip(sub.col(free[i])) {
                *v = next.min(t);
            }
        }
        s
    });
    let search = Search { sub, free, k, suffix, deadline, stop: AtomicBool::new(false) };
    let base = sub.best_of(&sub.fixed);
    let branches: Vec<Branch> = (0..=(m - k)).into_par_iter().map(|i0| search.branch(i0, &base, incumbent)).collect();
    let mut out = ExactOutcome { open: incumbent_open.to_vec(), key: incumbent, complete: !search.stopped(), leaves: 0 };
    for br in branches {
        out.leaves += br.leaves;
        if let Some(choice) = br.best_choice
            && sub.rule.better(br.best, out.key)
        {
            out.key = br.best;
            out.open = sub.fixed.iter().copied().chain(choice.iter().map(|&j| search.free[j])).collect();
        }
    }
    out
}
