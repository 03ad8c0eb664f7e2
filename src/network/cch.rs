//! A customisable contraction hierarchy (CCH) of one mode's search graph,
//! and the many-to-many matrix it answers: the engine for many origins and
//! destinations on a county's streets.
//!
//! Three steps, after Dibbelt, Strasser and Wagner, "Customizable
//! Contraction Hierarchies" (2016):
//!
//! 1. **Order** (depends only on the graph's shape): the states are ranked
//!    by nested dissection. A set of states is cut in two by a straight
//!    line (the best of a few positions across each axis: the one that
//!    crosses the fewest arcs); the states on one side of the crossing arcs
//!    form the separator, ranked above both halves, which are ordered the
//!    same way in turn. Streets are crossed by a line in few places (rivers,
//!    railways, the gaps between towns), so separators are small.
//! 2. **Chordal graph**: eliminating the states in rank order joins the
//!    higher neighbours of each state into a clique. Each state's higher
//!    neighbours are its ancestors in the elimination tree, so an upward
//!    search visits only the ancestors of where it starts, in rank order,
//!    without a heap.
//! 3. **Customisation** (per period): every arc of the chordal graph gets
//!    the best (time, length) label of a path through lower states, going
//!    up the ranks and taking each lower triangle once.
//!
//! A matrix then runs one upward search from each destination on the
//! weights turned round, leaving its labels in buckets at the states it
//! visits, and one upward search from each origin reading those buckets
//! (the bucket many-to-many method of Knopp et al., 2007). Times equal the
//! plain search's to the millisecond; lengths are the same paths' lengths,
//! summed in another order (the float sums may differ in the last digits),
//! and among paths of the same time both keep the shortest.

use rayon::prelude::*;

use crate::network::graph::{Csr, PERIODS};
use crate::network::search_graph::{NOT_REACHED, label, unpack};
use crate::progress::{Cancelled, Progress};

/// No state (the root of the elimination tree has no parent).
const NONE: u32 = u32::MAX;

/// Sets of at most this many states are not cut further.
const LEAF: usize = 32;

/// Where a set may be cut, as shares of its states along an axis.
const CUTS: [f64; 9] = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];

/// The most arcs a state the chordal graph may have on average before the
/// hierarchy is given up: OSM streets give 11 to 12 (Newport, the tiled
/// county), a full lattice of streets with turn states over 100, where
/// customisation would take longer than the searches it saves.
pub const MAX_ARCS_PER_STATE: usize = 32;

/// Graphs of more states than this are first tried on a piece of the map.
const SAMPLE_FROM: usize = 200_000;

/// The metric-independent part: the order and the chordal graph.
#[derive(Debug, Clone)]
pub struct Cch {
    /// Rank of each state.
    rank: Vec<u32>,
    /// Parent of each rank in the elimination tree (`NONE` at a root).
    parent: Vec<u32>,
    /// The higher neighbours of rank `r` are `head[first[r]..first[r + 1]]`,
    /// in increasing rank; an arc's index is its position in `head`.
    first: Vec<u32>,
    head: Vec<u32>,
}

/// The weights of a [`Cch`] for one period: for each arc of the chordal
/// graph between a lower rank `x` and a higher `y`, the best (time, length)
/// label from `x` to `y` (`up`) and from `y` to `x` (`down`).
#[derive(Debug, Clone)]
pub struct CchMetric {
    up: Vec<u64>,
    down: Vec<u64>,
}

/// The label of a path made of two paths, or `NOT_REACHED` if either is
/// missing or the time overflows.
fn join(a: u64, b: u64) -> u64 {
    if a == NOT_REACHED || b == NOT_REACHED {
        return NOT_REACHED;
    }
    let ((ta, la), (tb, lb)) = (unpack(a), unpack(b));
    match ta.checked_add(tb) {
        Some(t) if t != u32::MAX => label(t, la + lb),
        _ => NOT_REACHED,
    }
}

/// The graph's arcs made undirected, without loops or repeats.
struct Undirected {
    first: Vec<u32>,
    next: Vec<u32>,
}

impl Undirected {
    fn of(csr: &Csr) -> Undirected {
        let n = csr.node_count();
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(csr.edge_count() * 2);
        for v in 0..n {
            for &w in &csr.head[csr.first[v] as usize..csr.first[v + 1] as usize] {
                if w as usize != v {
                    pairs.push((v as u32, w));
                    pairs.push((w, v as u32));
                }
            }
        }
        pairs.par_sort_unstable();
        pairs.dedup();
        let mut first = vec![0u32; n + 1];
        for &(a, _) in &pairs {
            first[a as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        Undirected { first, next: pairs.into_iter().map(|p| p.1).collect() }
    }

    fn of_state(&self, s: u32) -> &[u32] {
        &self.next[self.first[s as usize] as usize..self.first[s as usize + 1] as usize]
    }

    /// The states in the middle quarter of `xy` on both axes, with the
    /// edges among them, renumbered, and their points.
    fn window(&self, xy: &[[f64; 2]]) -> (Undirected, Vec<[f64; 2]>) {
        let quarter = |axis: usize| {
            let mut v: Vec<f64> = xy.iter().map(|p| p[axis]).collect();
            v.sort_unstable_by(f64::total_cmp);
            let at = |share: f64| v.get(((v.len() as f64) * share) as usize).copied().unwrap_or(0.0);
            (at(0.375), at(0.625))
        };
        let (x, y) = (quarter(0), quarter(1));
        let inside = |p: &[f64; 2]| (x.0..=x.1).contains(&p[0]) && (y.0..=y.1).contains(&p[1]);
        let mut id = vec![NONE; xy.len()];
        let mut kept = Vec::new();
        for (s, p) in xy.iter().enumerate().filter(|(_, p)| inside(p)) {
            id[s] = kept.len() as u32;
            kept.push(*p);
        }
        let (mut first, mut next) = (vec![0u32], Vec::new());
        for s in (0..xy.len()).filter(|&s| id[s] != NONE) {
            next.extend(self.of_state(s as u32).iter().map(|&t| id[t as usize]).filter(|&t| t != NONE));
            first.push(next.len() as u32);
        }
        (Undirected { first, next }, kept)
    }
}

/// What nested dissection reads: the undirected graph, each state's point
/// (metres east and north) and which states are already in a separator.
struct Dissection<'a> {
    graph: &'a Undirected,
    xy: &'a [[f64; 2]],
    in_separator: Vec<std::sync::atomic::AtomicBool>,
    /// The arcs of the separators made into cliques so far: a lower bound
    /// of the chordal graph's arcs, known from the top cuts down.
    clique_arcs: std::sync::atomic::AtomicUsize,
    /// Past this many, the order is given up.
    max_arcs: usize,
}

impl Dissection<'_> {
    fn placed(&self, s: u32) -> bool {
        self.in_separator[s as usize].load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether state `s` has a neighbour still to be ordered on the other
    /// side of `cut` along `axis`. Every such neighbour is in the same set
    /// as `s`: the sets being ordered are kept apart by separators already
    /// placed.
    fn crosses(&self, s: u32, axis: usize, cut: f64) -> bool {
        let below = self.xy[s as usize][axis] < cut;
        self.graph.of_state(s).iter().any(|&t| !self.placed(t) && (self.xy[t as usize][axis] < cut) != below)
    }

    fn given_up(&self) -> bool {
        self.clique_arcs.load(std::sync::atomic::Ordering::Relaxed) > self.max_arcs
    }

    /// The states of `set` in order, lowest rank first (in any order once
    /// the separators have more arcs than allowed).
    fn order(&self, set: Vec<u32>) -> Vec<u32> {
        if set.len() <= LEAF || self.given_up() {
            return set;
        }
        // The cut crossed by the fewest arcs, all candidates of an axis
        // counted in one pass over the arcs.
        let mut best: Option<(usize, usize, f64)> = None;
        for axis in 0..2 {
            let key = |s: u32| self.xy[s as usize][axis];
            let mut keys: Vec<f64> = set.iter().map(|&s| key(s)).collect();
            keys.sort_unstable_by(f64::total_cmp);
            // Not a cut: one with nothing below it (many states at one point).
            let cuts: Vec<f64> = CUTS.iter().map(|share| keys[((keys.len() as f64) * share) as usize]).filter(|&c| c > keys[0]).collect();
            let mut crossing = vec![0usize; cuts.len()];
            for &s in &set {
                let ks = key(s);
                for &t in self.graph.of_state(s) {
                    let kt = key(t);
                    // Each arc once, from its end below; it crosses the cuts
                    // above that end and at or below the other.
                    if ks < kt && !self.placed(t) {
                        for (n, &c) in crossing.iter_mut().zip(&cuts) {
                            *n += usize::from(ks < c && c <= kt);
                        }
                    }
                }
            }
            for (&n, &c) in crossing.iter().zip(&cuts) {
                if best.is_none_or(|b| n < b.0) {
                    best = Some((n, axis, c));
                }
            }
        }
        let Some((_, axis, cut)) = best else { return set };
        // The separator: the states beside a crossing arc on the side that
        // has fewer of them.
        let crossing: Vec<bool> = set.iter().map(|&s| self.crosses(s, axis, cut)).collect();
        let below = |s: u32| self.xy[s as usize][axis] < cut;
        let crossing_below = set.iter().zip(&crossing).filter(|&(&s, &c)| c && below(s)).count();
        let low_side = 2 * crossing_below <= crossing.iter().filter(|&&c| c).count();
        let (mut low, mut high, mut separator) = (Vec::new(), Vec::new(), Vec::new());
        for (&s, &c) in set.iter().zip(&crossing) {
            if c && below(s) == low_side {
                separator.push(s);
            } else if below(s) {
                low.push(s);
            } else {
                high.push(s);
            }
        }
        if low.is_empty() || high.is_empty() {
            // One side is all separator: no cut to make.
            return set;
        }
        drop(set);
        let k = separator.len();
        self.clique_arcs.fetch_add(k * k.saturating_sub(1) / 2, std::sync::atomic::Ordering::Relaxed);
        for &s in &separator {
            self.in_separator[s as usize].store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let (mut a, b) =
            if low.len() + high.len() > 20_000 { rayon::join(|| self.order(low), || self.order(high)) } else { (self.order(low), self.order(high)) };
        a.extend(b);
        a.extend(separator);
        a
    }
}

impl Cch {
    /// The order and chordal graph of `csr`'s states, whose points are
    /// `point(s)` as (longitude, latitude); `None` when the chordal graph
    /// would have more than [`MAX_ARCS_PER_STATE`] arcs a state (found out
    /// from the separators, top down, before most of the work).
    pub fn new(csr: &Csr, point: impl Fn(u32) -> crate::geom::LonLat) -> Option<Cch> {
        let n = csr.node_count();
        let graph = Undirected::of(csr);
        let lat0 = if n > 0 { point(0).lat } else { 0.0 };
        let east = lat0.to_radians().cos() * 111_320.0;
        let xy: Vec<[f64; 2]> = (0..n as u32).map(&point).map(|p| [p.lon * east, p.lat * 111_320.0]).collect();
        if n > SAMPLE_FROM {
            // A piece of the map first (the middle quarter across and up,
            // about a sixteenth of the states): a graph too dense for a
            // hierarchy is found out there at a sixteenth of the cost.
            let (piece, piece_xy) = graph.window(&xy);
            Cch::chordal(&piece, &piece_xy)?;
        }
        Cch::chordal(&graph, &xy)
    }

    /// The order and chordal graph of `graph` whose states are at `xy`.
    fn chordal(graph: &Undirected, xy: &[[f64; 2]]) -> Option<Cch> {
        let n = xy.len();
        let max_arcs = n.saturating_mul(MAX_ARCS_PER_STATE);
        let dissection = Dissection {
            graph,
            xy,
            in_separator: (0..n).map(|_| std::sync::atomic::AtomicBool::new(false)).collect(),
            clique_arcs: std::sync::atomic::AtomicUsize::new(0),
            max_arcs,
        };
        let order = dissection.order((0..n as u32).collect());
        if dissection.given_up() {
            return None;
        }
        drop(dissection);
        let mut rank = vec![0u32; n];
        for (r, &s) in order.iter().enumerate() {
            rank[s as usize] = r as u32;
        }
        // Eliminate in rank order: a state's higher neighbours, less its
        // parent (the lowest of them), join its parent's.
        let mut up: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (r, &s) in order.iter().enumerate() {
            let l = &mut up[r];
            l.extend(graph.of_state(s).iter().map(|&t| rank[t as usize]).filter(|&q| q as usize > r));
            l.sort_unstable();
            l.dedup();
        }
        let mut parent = vec![NONE; n];
        let mut arcs = 0usize;
        for r in 0..n {
            arcs += up[r].len();
            if arcs > max_arcs {
                return None;
            }
            let Some(&p) = up[r].first() else { continue };
            parent[r] = p;
            let (lower, upper) = up.split_at_mut(p as usize);
            let (mine, theirs) = (&lower[r], &mut upper[0]);
            let merged = merge_sorted(theirs, &mine[1..]);
            *theirs = merged;
        }
        let mut first = Vec::with_capacity(n + 1);
        first.push(0u32);
        let mut head = Vec::with_capacity(up.iter().map(Vec::len).sum());
        for l in up {
            head.extend(l);
            first.push(head.len() as u32);
        }
        Some(Cch { rank, parent, first, head })
    }

    /// Number of states.
    pub fn state_count(&self) -> usize {
        self.rank.len()
    }

    /// Number of arcs of the chordal graph (each in both directions).
    pub fn arc_count(&self) -> usize {
        self.head.len()
    }

    /// Height of the elimination tree: the most states an upward search
    /// visits.
    pub fn height(&self) -> usize {
        let n = self.rank.len();
        let mut depth = vec![0u32; n];
        for r in (0..n).rev() {
            if self.parent[r] != NONE {
                depth[r] = depth[self.parent[r] as usize] + 1;
            }
        }
        depth.iter().max().map_or(0, |&d| d as usize + 1)
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        (self.rank.len() + self.parent.len() + self.first.len() + self.head.len()) * 4
    }

    /// Index of the arc between ranks `lo < hi`.
    fn arc(&self, lo: u32, hi: u32) -> Option<usize> {
        let (a, b) = (self.first[lo as usize] as usize, self.first[lo as usize + 1] as usize);
        self.head[a..b].binary_search(&hi).ok().map(|k| a + k)
    }

    /// The weights of `csr` (the graph this hierarchy was made of) for
    /// `period`.
    pub fn customise(&self, csr: &Csr, period: usize) -> CchMetric {
        let m = self.head.len();
        let (mut up, mut down) = (vec![NOT_REACHED; m], vec![NOT_REACHED; m]);
        for v in 0..csr.node_count() {
            for e in csr.first[v] as usize..csr.first[v + 1] as usize {
                let w = csr.head[e] as usize;
                if w == v {
                    continue;
                }
                let l = label(csr.time_ms[e * PERIODS + period], csr.length_m[e]);
                let (rv, rw) = (self.rank[v], self.rank[w]);
                let (k, side) = if rv < rw { (self.arc(rv, rw), &mut up) } else { (self.arc(rw, rv), &mut down) };
                if let Some(k) = k {
                    side[k] = side[k].min(l);
                }
            }
        }
        // Bottom up: when `x` is reached, its arcs are final, and each pair
        // of its higher neighbours `u < v` gets the path through `x`.
        for x in 0..self.rank.len() {
            let (lo, hi) = (self.first[x] as usize, self.first[x + 1] as usize);
            for i in lo..hi {
                let u = self.head[i] as usize;
                let (x_to_u, u_to_x) = (up[i], down[i]);
                if x_to_u == NOT_REACHED && u_to_x == NOT_REACHED {
                    continue;
                }
                let mut p = self.first[u] as usize;
                for j in i + 1..hi {
                    let v = self.head[j];
                    while self.head[p] != v {
                        p += 1;
                    }
                    let via = join(u_to_x, up[j]);
                    if via < up[p] {
                        up[p] = via;
                    }
                    let via = join(down[j], x_to_u);
                    if via < down[p] {
                        down[p] = via;
                    }
                }
            }
        }
        CchMetric { up, down }
    }
}

/// The union of two sorted lists without repeats.
fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let x = if j >= b.len() || (i < a.len() && a[i] <= b[j]) {
            i += 1;
            a[i - 1]
        } else {
            j += 1;
            b[j - 1]
        };
        if out.last() != Some(&x) {
            out.push(x);
        }
    }
    out
}

/// Buffers of one upward search, reused.
#[derive(Debug, Clone, Default)]
pub struct UpwardSearch {
    label: Vec<u64>,
    visited: Vec<u32>,
    seen: Vec<bool>,
}

impl UpwardSearch {
    /// Buffers for a hierarchy of `n` states.
    pub fn new(n: usize) -> Self {
        UpwardSearch { label: vec![NOT_REACHED; n], visited: Vec::new(), seen: vec![false; n] }
    }

    /// Searches up from `seeds` (state, ms, m) over `weights` (the metric's
    /// `up` from an origin, `down` towards a destination). Afterwards
    /// [`UpwardSearch::reached`] lists each visited rank with its label.
    fn run(&mut self, cch: &Cch, weights: &[u64], seeds: &[(u32, u32, f32)]) {
        for &r in &self.visited {
            self.label[r as usize] = NOT_REACHED;
            self.seen[r as usize] = false;
        }
        self.visited.clear();
        for &(s, ms, m) in seeds {
            let Some(&r) = cch.rank.get(s as usize) else { continue };
            let l = label(ms, m);
            if l < self.label[r as usize] {
                self.label[r as usize] = l;
            }
            let mut x = r;
            while x != NONE && !self.seen[x as usize] {
                self.seen[x as usize] = true;
                self.visited.push(x);
                x = cch.parent[x as usize];
            }
        }
        self.visited.sort_unstable();
        for &x in &self.visited {
            let lx = self.label[x as usize];
            if lx == NOT_REACHED {
                continue;
            }
            let (lo, hi) = (cch.first[x as usize] as usize, cch.first[x as usize + 1] as usize);
            for (&y, &w) in cch.head[lo..hi].iter().zip(&weights[lo..hi]) {
                let via = join(lx, w);
                let y = y as usize;
                if via < self.label[y] {
                    self.label[y] = via;
                }
            }
        }
    }

    /// Ranks visited by the last search with their labels.
    fn reached(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.visited.iter().map(|&r| (r, self.label[r as usize])).filter(|x| x.1 != NOT_REACHED)
    }
}

/// Best (time ms, length m) from each origin to each destination, where
/// origin `o`'s search starts from `origins[o]` (states with the time and
/// length to reach them) and destination `d` is reached from the states of
/// `destinations[d]` (with the time and length beyond them): origin-major,
/// `None` where no path joins them. `progress` ticks once per destination's
/// search; once it is cancelled no further search starts.
pub fn many_to_many(
    cch: &Cch,
    metric: &CchMetric,
    origins: &[Vec<(u32, u32, f32)>],
    destinations: &[Vec<(u32, u32, f32)>],
    progress: &Progress,
) -> Result<Vec<Option<(u32, f32)>>, Cancelled> {
    let n = cch.state_count();
    // Each destination's search towards it, left in buckets by rank.
    let mut entries: Vec<(u32, u32, u64)> = destinations
        .par_iter()
        .enumerate()
        .map_init(
            || UpwardSearch::new(n),
            |search, (d, seeds)| {
                progress.check()?;
                search.run(cch, &metric.down, seeds);
                progress.tick();
                Ok(search.reached().map(|(r, l)| (r, d as u32, l)).collect::<Vec<_>>())
            },
        )
        .collect::<Result<Vec<_>, Cancelled>>()?
        .into_iter()
        .flatten()
        .collect();
    entries.par_sort_unstable();
    let mut bucket_first = vec![0u32; n + 1];
    for e in &entries {
        bucket_first[e.0 as usize + 1] += 1;
    }
    for i in 0..n {
        bucket_first[i + 1] += bucket_first[i];
    }
    let nd = destinations.len();
    origins
        .par_iter()
        .map_init(
            || UpwardSearch::new(n),
            |search, seeds| {
                progress.check()?;
                let mut best = vec![NOT_REACHED; nd];
                search.run(cch, &metric.up, seeds);
                for (r, l) in search.reached() {
                    for &(_, d, ld) in &entries[bucket_first[r as usize] as usize..bucket_first[r as usize + 1] as usize] {
                        let via = join(l, ld);
                        if via < best[d as usize] {
                            best[d as usize] = via;
                        }
                    }
                }
                Ok(best.into_iter().map(|l| (l != NOT_REACHED).then(|| unpack(l))).collect::<Vec<_>>())
            },
        )
        .collect::<Result<Vec<_>, Cancelled>>()
        .map(|rows| rows.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::dijkstra::{Search, UNREACHED};

    /// The piece of the map tried first: the middle quarter on both axes of
    /// a 16 x 16 lattice is its 5 x 5 middle (the quantiles fall on whole
    /// rows and columns, both kept) with the 40 edges among them,
    /// renumbered.
    #[test]
    fn the_piece_tried_first_is_the_middle_of_the_map() {
        let side = 16u32;
        let mut pairs = Vec::new();
        for y in 0..side {
            for x in 0..side {
                let s = y * side + x;
                if x + 1 < side {
                    pairs.push((s, s + 1, [1, 1], 1.0));
                    pairs.push((s + 1, s, [1, 1], 1.0));
                }
                if y + 1 < side {
                    pairs.push((s, s + side, [1, 1], 1.0));
                    pairs.push((s + side, s, [1, 1], 1.0));
                }
            }
        }
        let csr = Csr::build((side * side) as usize, pairs);
        let xy: Vec<[f64; 2]> = (0..side * side).map(|s| [f64::from(s % side), f64::from(s / side)]).collect();
        let (piece, piece_xy) = Undirected::of(&csr).window(&xy);
        assert_eq!(piece_xy.len(), 25, "x and y from 6 to 10");
        assert!(piece_xy.iter().all(|p| (6.0..=10.0).contains(&p[0]) && (6.0..=10.0).contains(&p[1])));
        // 5 x 5 states: 2 x 5 x 4 edges, each listed from both ends.
        assert_eq!(piece.next.len(), 2 * 40);
        assert!(piece.next.iter().all(|&t| (t as usize) < 25));
    }

    /// A small graph's every pair against the plain search: a ring of 6
    /// states with chords, one-way arcs and a tie on time.
    #[test]
    fn every_pair_of_a_small_graph_equals_the_plain_search() {
        let edges = vec![
            (0, 1, [4, 4], 4.0),
            (1, 2, [3, 3], 3.0),
            (2, 3, [5, 5], 5.0),
            (3, 4, [2, 2], 2.0),
            (4, 5, [6, 6], 6.0),
            (5, 0, [1, 1], 1.0),
            (1, 0, [4, 4], 4.0),
            (0, 3, [9, 9], 7.0),
            (3, 0, [9, 9], 9.0),
            (4, 1, [5, 5], 5.0),
            (2, 5, [8, 8], 8.0),
        ];
        let csr = Csr::build(6, edges);
        let points: Vec<crate::geom::LonLat> = (0..6).map(|i| crate::geom::LonLat::new(f64::from(i % 3) * 0.01, f64::from(i / 3) * 0.01)).collect();
        let cch = Cch::new(&csr, |s| points[s as usize]).expect("a small graph has a hierarchy");
        let metric = cch.customise(&csr, 0);
        let seeds: Vec<Vec<(u32, u32, f32)>> = (0..6).map(|s| vec![(s, 0, 0.0)]).collect();
        let m = many_to_many(&cch, &metric, &seeds, &seeds, &Progress::new()).unwrap();
        let mut plain = Search::new(6);
        for o in 0..6u32 {
            plain.run(&csr, 0, &[(o, 0, 0.0)], UNREACHED - 1);
            for d in 0..6u32 {
                let want = (plain.time_ms[d as usize] != UNREACHED).then(|| (plain.time_ms[d as usize], plain.length_m[d as usize]));
                assert_eq!(m[(o * 6 + d) as usize], want, "{o} to {d}");
            }
        }
        // 0 -> 3: 4 + 3 + 5 = 12 ms round the ring, 9 ms by the chord.
        assert_eq!(m[3], Some((9, 7.0)));
    }
}
