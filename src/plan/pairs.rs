//! Proposing locality pairs for tier 2 from shared boundaries: two
//! localities are neighbours when their outlines run together; the pairing
//! that pairs the most localities, and among those shares the most
//! boundary, is chosen (exact for up to 20 localities, greedy beyond).

use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

use crate::geom::{Extent, LocalProjection};
use crate::region::Region;

/// How close two outlines must run to count as a shared boundary, metres.
const TOUCH_M: f64 = 60.0;

/// Shared-boundary score between every two localities: the number of
/// boundary vertices of one within `TOUCH_M` of the other's outline.
pub fn shared_boundary(region: &Region) -> Vec<Vec<usize>> {
    let n = region.localities.len();
    let mut score = vec![vec![0usize; n]; n];
    let Some(ext) = Extent::of(region.localities.iter().flat_map(|l| l.polygons.iter().flatten().copied())) else { return score };
    let proj = LocalProjection::new(ext.centre());
    let mut segs = Vec::new();
    for (li, l) in region.localities.iter().enumerate() {
        for ring in &l.polygons {
            for w in ring.windows(2) {
                segs.push(GeomWithData::new(Line::new(proj.to_xy(w[0]), proj.to_xy(w[1])), li));
            }
        }
    }
    let tree = RTree::bulk_load(segs);
    for (li, l) in region.localities.iter().enumerate() {
        for p in l.polygons.iter().flatten() {
            let q = proj.to_xy(*p);
            let mut hit = vec![false; n];
            for s in tree.locate_within_distance(q, TOUCH_M * TOUCH_M) {
                if s.data != li && !hit[s.data] {
                    hit[s.data] = true;
                    score[li][s.data] += 1;
                }
            }
        }
    }
    // Symmetric: a shared boundary counts the same both ways (the diagonal is 0).
    (0..n).map(|a| (0..n).map(|b| score[a][b] + score[b][a]).collect()).collect()
}

/// Pairs of neighbouring localities (indices), each locality in at most one pair.
pub fn propose_pairs(region: &Region) -> Vec<(usize, usize)> {
    let score = shared_boundary(region);
    let n = score.len();
    if n < 2 {
        return Vec::new();
    }
    if n > 20 {
        return greedy(&score);
    }
    // best[mask] = (pairs, shared) over localities in `mask`, with the choice.
    let full = (1usize << n) - 1;
    let mut best: Vec<(usize, usize)> = vec![(0, 0); 1 << n];
    let mut choice: Vec<Option<(usize, usize)>> = vec![None; 1 << n];
    for mask in 1..=full {
        let a = mask.trailing_zeros() as usize;
        let rest = mask & !(1 << a);
        // Leave `a` unpaired ...
        let mut b_val = best[rest];
        let mut b_ch = None;
        // ... or pair it with a neighbour in the mask.
        for b in 0..n {
            if rest & (1 << b) != 0 && score[a][b] > 0 {
                let sub = best[rest & !(1 << b)];
                let v = (sub.0 + 1, sub.1 + score[a][b]);
                if v > b_val {
                    b_val = v;
                    b_ch = Some((a, b));
                }
            }
        }
        best[mask] = b_val;
        choice[mask] = b_ch;
    }
    let mut pairs = Vec::new();
    let mut mask = full;
    while mask != 0 {
        let a = mask.trailing_zeros() as usize;
        match choice[mask] {
            Some((x, y)) => {
                pairs.push((x, y));
                mask &= !(1 << x) & !(1 << y);
            }
            None => mask &= !(1 << a),
        }
    }
    pairs.sort();
    pairs
}

fn greedy(score: &[Vec<usize>]) -> Vec<(usize, usize)> {
    let n = score.len();
    let mut cand: Vec<(usize, usize, usize)> =
        (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).map(|(a, b)| (score[a][b], a, b)).filter(|c| c.0 > 0).collect();
    cand.sort_by(|x, y| y.cmp(x));
    let mut used = vec![false; n];
    let mut pairs = Vec::new();
    for (_, a, b) in cand {
        if !used[a] && !used[b] {
            used[a] = true;
            used[b] = true;
            pairs.push((a, b));
        }
    }
    pairs.sort();
    pairs
}
