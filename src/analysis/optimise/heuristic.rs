//! The heuristic for one sector: greedy addition (fixed sites first, then
//! the site that improves the key most, one at a time) followed by vertex
//! substitution (Teitz–Bart interchange: swap an open site for a closed one
//! while that improves the key).
//!
//! Without capacities, for median, cover and cover-then-median, a swap is
//! priced in the Whitaker / Resende–Werneck way: each zone keeps its nearest
//! and second-nearest open site, and one pass over the zones prices adding a
//! closed site c together with removing every open site at once:
//!
//!   delta(c, o) = loss(o) + extra(c, o) - gain(c)
//!
//! where gain(c) is what adding c alone saves, loss(o) what removing o alone
//! costs (its zones fall back to their second site) and extra(c, o) corrects
//! the zones whose nearest is o and for which c beats their second site. So
//! a full pass over the candidates is O(candidates x zones). Center prices
//! every swap exactly in the same O(zones + open) per candidate by grouping
//! zones by their nearest site (maxima and sums with and without it). With
//! capacities every swap is a full evaluation.
//!
//! Candidates are scanned in chunks of [`CHUNK`], priced in parallel; the
//! best improving swap of a chunk is made at once (first improvement by
//! chunk), until a whole pass makes none.

use rayon::prelude::*;

use super::Deadline;
use super::Objective;
use super::sector::{Key, NONE, PENALTY_S, Sub};

/// Candidates priced together before the best improving swap among them is made.
pub(crate) const CHUNK: usize = 32;

/// The heuristic's result for one sector.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    /// Open local columns.
    pub open: Vec<usize>,
    /// Their key.
    pub key: Key,
    /// Placements or swaps priced.
    pub evaluations: u64,
    /// Stopped by the deadline.
    pub timed_out: bool,
}

/// Work (zones x candidates x restarts) the restarts may take in all.
const RESTART_WORK: usize = 20_000_000;

/// Greedy addition then interchange, within the deadline; then restarts.
///
/// Interchange stops at a local optimum: on the demo region, p = 2, greedy's
/// first (most central) site is in neither optimal pair and no single swap
/// leaves it. So the search restarts with each candidate in turn forced
/// open first (the usual diversification of greedy starts), as many as
/// `RESTART_WORK` allows for the problem's size (every candidate on the
/// demo and Newport, 4 on 10,000 zones x 500 sites; with capacities, only
/// up to 20,000 zone-site pairs) and the deadline, and keeps the best. The count depends on the size only, so answers are
/// repeatable.
pub(crate) fn solve(sub: &Sub, deadline: Deadline<'_>, seed: u64) -> Outcome {
    let (open, evaluations, timed_out) = greedy(sub, deadline, None);
    if timed_out {
        return Outcome { key: sub.key_of(&open), open, evaluations, timed_out };
    }
    let mut best = interchange(sub, open, deadline, seed, evaluations);
    let nc = sub.nc();
    if sub.open <= sub.fixed.len() || sub.open >= nc {
        return best;
    }
    // With capacities every move is a full allocation: restart small problems only.
    let restarts = match sub.cap {
        Some(_) if sub.nz() * nc > 20_000 => 0,
        _ => (RESTART_WORK / (sub.nz().max(1) * nc)).min(nc),
    };
    // Restart from the candidates that are best on their own first.
    let none = sub.best_of(&sub.fixed);
    let mut order: Vec<(Key, usize)> = (0..nc).filter(|c| !sub.fixed.contains(c)).map(|c| (sub.key_with(&none, sub.col(c)), c)).collect();
    order.sort_by(|a, b| {
        if sub.rule.better(a.0, b.0) {
            std::cmp::Ordering::Less
        } else if sub.rule.better(b.0, a.0) {
            std::cmp::Ordering::Greater
        } else {
            a.1.cmp(&b.1)
        }
    });
    for &(_, first) in order.iter().take(restarts) {
        if deadline.passed() {
            best.timed_out = true;
            break;
        }
        let (open, evals, timed_out) = greedy(sub, deadline, Some(first));
        best.evaluations += evals;
        if timed_out {
            best.timed_out = true;
            break;
        }
        let o = interchange(sub, open, deadline, seed, 0);
        best.evaluations += o.evaluations;
        best.timed_out |= o.timed_out;
        if sub.rule.better(o.key, best.key) {
            best = Outcome { evaluations: best.evaluations, timed_out: best.timed_out, ..o };
        }
    }
    best
}

/// Opens the fixed columns, then adds the best column one at a time. Past
/// the deadline the remaining columns are still chosen greedily, but by the
/// uncapacitated key (one O(zones) pass per candidate), so a placement is
/// always complete and sensible.
pub(crate) fn greedy(sub: &Sub, deadline: Deadline<'_>, first: Option<usize>) -> (Vec<usize>, u64, bool) {
    let nc = sub.nc();
    let mut open = sub.fixed.clone();
    if let Some(c) = first.filter(|c| !open.contains(c) && open.len() < sub.open) {
        open.push(c);
    }
    let mut is_open = vec![false; nc];
    open.iter().for_each(|&c| is_open[c] = true);
    let mut best = sub.best_of(&open);
    let mut evaluations = 0u64;
    let mut timed_out = false;
    while open.len() < sub.open {
        let closed: Vec<usize> = (0..nc).filter(|&c| !is_open[c]).collect();
        timed_out = timed_out || deadline.passed();
        let keys: Vec<Key> = closed
            .par_iter()
            .map(|&c| {
                if sub.cap.is_some() && !timed_out {
                    let mut trial = open.clone();
                    trial.push(c);
                    sub.key_of(&trial)
                } else {
                    sub.key_with(&best, sub.col(c))
                }
            })
            .collect();
        evaluations += closed.len() as u64;
        let mut pick = 0;
        for i in 1..keys.len() {
            if sub.rule.better(keys[i], keys[pick]) {
                pick = i;
            }
        }
        let c = closed[pick];
        open.push(c);
        is_open[c] = true;
        for (b, &t) in best.iter_mut().zip(sub.col(c)) {
            *b = b.min(t);
        }
    }
    (open, evaluations, timed_out)
}

/// Each zone's nearest and second-nearest open site, and what that costs.
#[derive(Debug, Clone)]
pub(crate) struct Nearest {
    /// Time to the nearest open site (`INFINITY` when none reachable).
    pub d1_s: Vec<f32>,
    /// Time to the second-nearest (equal to `d1_s` on ties).
    pub d2_s: Vec<f32>,
    /// Position in `open` of the nearest, or `NONE`.
    pub c1: Vec<u32>,
    /// Term of each zone at `d1_s`.
    pub f1: Vec<Key>,
    /// Term of each zone at `d2_s`.
    pub f2: Vec<Key>,
    /// Per open position: what removing it alone costs (sum objectives).
    pub loss: Vec<Key>,
}

impl Nearest {
    /// Builds the arrays for a placement, one contiguous pass per open site.
    pub fn build(sub: &Sub, open: &[usize]) -> Nearest {
        let nz = sub.nz();
        let mut d1_s = vec![f32::INFINITY; nz];
        let mut d2_s = vec![f32::INFINITY; nz];
        let mut c1 = vec![NONE; nz];
        for (pos, &c) in open.iter().enumerate() {
            for (z, &t) in sub.col(c).iter().enumerate() {
                if t < d1_s[z] {
                    d2_s[z] = d1_s[z];
                    d1_s[z] = t;
                    c1[z] = pos as u32;
                } else if t < d2_s[z] {
                    d2_s[z] = t;
                }
            }
        }
        let f1: Vec<Key> = (0..nz).map(|z| sub.rule.term(sub.w[z], d1_s[z])).collect();
        let f2: Vec<Key> = (0..nz).map(|z| sub.rule.term(sub.w[z], d2_s[z])).collect();
        let mut loss = vec![Key::ZERO; open.len()];
        for z in 0..nz {
            if c1[z] != NONE {
                loss[c1[z] as usize] += f2[z] - f1[z];
            }
        }
        Nearest { d1_s, d2_s, c1, f1, f2, loss }
    }
}

/// The best swap bringing in column `c`: (position in `open` to remove, new
/// key), over positions whose site is not fixed. Sum objectives, no capacity.
pub(crate) fn best_swap_sum(sub: &Sub, near: &Nearest, open_fixed: &[bool], key: Key, c: usize) -> Option<(usize, Key)> {
    let rule = &sub.rule;
    let mut gain = Key::ZERO;
    let mut extra = vec![Key::ZERO; open_fixed.len()];
    for (z, &t) in sub.col(c).iter().enumerate() {
        if t < near.d2_s[z] {
            let c1 = near.c1[z];
            if t < near.d1_s[z] {
                gain += near.f1[z] - rule.term(sub.w[z], t);
                if c1 != NONE {
                    extra[c1 as usize] += near.f1[z] - near.f2[z];
                }
            } else if c1 != NONE {
                extra[c1 as usize] += rule.term(sub.w[z], t) - near.f2[z];
            }
        }
    }
    let mut best: Option<(usize, Key)> = None;
    for pos in (0..open_fixed.len()).filter(|&p| !open_fixed[p]) {
        let new = key + near.loss[pos] + extra[pos] - gain;
        if best.is_none_or(|(_, b)| rule.better(new, b)) {
            best = Some((pos, new));
        }
    }
    best
}

/// The best swap bringing in column `c` for center (no capacity): each
/// swap's (worst, weighted time) exactly, by grouping zones by nearest site.
pub(crate) fn best_swap_center(sub: &Sub, near: &Nearest, open_fixed: &[bool], c: usize) -> Option<(usize, Key)> {
    let p = open_fixed.len();
    // Group p holds the zones that reach no open site.
    let mut max_keep = vec![0.0f64; p + 1];
    let mut sum_keep = vec![0.0f64; p + 1];
    let mut max_drop = vec![0.0f64; p + 1];
    let mut sum_drop = vec![0.0f64; p + 1];
    for (z, &t) in sub.col(c).iter().enumerate() {
        let g = if near.c1[z] == NONE { p } else { near.c1[z] as usize };
        let keep = near.d1_s[z].min(t).min(PENALTY_S) as f64;
        let drop = near.d2_s[z].min(t).min(PENALTY_S) as f64;
        let w = sub.w[z];
        max_keep[g] = max_keep[g].max(keep);
        sum_keep[g] += w * keep;
        max_drop[g] = max_drop[g].max(drop);
        sum_drop[g] += w * drop;
    }
    let total_keep: f64 = sum_keep.iter().sum();
    // The two largest group maxima of the kept times, to take the maximum over the others.
    let (mut top1, mut top1_g, mut top2) = (0.0f64, usize::MAX, 0.0f64);
    for (g, &m) in max_keep.iter().enumerate() {
        if m > top1 {
            top2 = top1;
            top1 = m;
            top1_g = g;
        } else if m > top2 {
            top2 = m;
        }
    }
    let mut best: Option<(usize, Key)> = None;
    for pos in (0..p).filter(|&q| !open_fixed[q]) {
        let others = if top1_g == pos { top2 } else { top1 };
        let new = Key { a: others.max(max_drop[pos]), b: total_keep - sum_keep[pos] + sum_drop[pos] };
        if best.is_none_or(|(_, b)| sub.rule.better(new, b)) {
            best = Some((pos, new));
        }
    }
    best
}

/// The best swap bringing in column `c`, each priced by a full evaluation.
fn best_swap_full(sub: &Sub, open: &[usize], open_fixed: &[bool], c: usize) -> Option<(usize, Key)> {
    let mut best: Option<(usize, Key)> = None;
    let mut trial = open.to_vec();
    for pos in (0..open.len()).filter(|&q| !open_fixed[q]) {
        trial[pos] = c;
        let new = sub.key_of(&trial);
        trial[pos] = open[pos];
        if best.is_none_or(|(_, b)| sub.rule.better(new, b)) {
            best = Some((pos, new));
        }
    }
    best
}

/// Vertex substitution from a starting placement until no swap improves.
pub(crate) fn interchange(sub: &Sub, mut open: Vec<usize>, deadline: Deadline<'_>, seed: u64, mut evaluations: u64) -> Outcome {
    let nc = sub.nc();
    let mut key = sub.key_of(&open);
    let open_fixed: Vec<bool> = open.iter().map(|c| sub.fixed.contains(c)).collect();
    let movable = open_fixed.iter().filter(|f| !**f).count() as u64;
    if movable == 0 || open.len() >= nc {
        return Outcome { open, key, evaluations, timed_out: false };
    }
    let fast = sub.cap.is_none();
    let center = sub.rule.kind == Objective::Center;
    let mut is_open = vec![false; nc];
    open.iter().for_each(|&c| is_open[c] = true);
    let rotate = (seed % nc as u64) as usize;
    let order: Vec<usize> = (0..nc).map(|i| (i + rotate) % nc).collect();
    let mut near = fast.then(|| Nearest::build(sub, &open));
    // A guard on the number of swaps; each must improve the key, so it is never reached in practice.
    let mut swaps_left = 1000 * nc + 1000;
    let mut timed_out = false;
    'passes: loop {
        let mut improved = false;
        for chunk in order.chunks(CHUNK) {
            if deadline.passed() {
                timed_out = true;
                break 'passes;
            }
            let closed: Vec<usize> = chunk.iter().copied().filter(|&c| !is_open[c]).collect();
            let priced: Vec<Option<(usize, Key)>> = closed
                .par_iter()
                .map(|&c| match &near {
                    Some(n) if center => best_swap_center(sub, n, &open_fixed, c),
                    Some(n) => best_swap_sum(sub, n, &open_fixed, key, c),
                    None => best_swap_full(sub, &open, &open_fixed, c),
                })
                .collect();
            evaluations += closed.len() as u64 * movable;
            let mut pick: Option<(usize, usize, Key)> = None;
            for (i, m) in priced.iter().enumerate() {
                if let Some((pos, new)) = *m
                    && pick.is_none_or(|(_, _, b)| sub.rule.better(new, b))
                {
                    pick = Some((closed[i], pos, new));
                }
            }
            let Some((c, pos, new)) = pick else { continue };
            if !sub.rule.better(new, key) {
                continue;
            }
            is_open[open[pos]] = false;
            is_open[c] = true;
            open[pos] = c;
            if fast {
                let n = Nearest::build(sub, &open);
                key = sub.key_of_best(&n.d1_s);
                near = Some(n);
            } else {
                key = new;
            }
            improved = true;
            swaps_left -= 1;
            if swaps_left == 0 {
                break 'passes;
            }
        }
        if !improved {
            break;
        }
    }
    Outcome { open, key, evaluations, timed_out }
}
