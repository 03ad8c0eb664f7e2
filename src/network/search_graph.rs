//! The street graph of one mode and period laid out for many one-to-all
//! searches, and the search that runs on it: what the street matrix uses
//! when it has several destinations.
//!
//! The network's own arrays ([`Csr`]) keep states in the order the build
//! made them and spread an arc over three arrays (head, time per period,
//! length), so each relaxation of a search touches several cache lines far
//! apart. Here, made once per network and period:
//!
//! - states are renumbered along a Hilbert curve over the point each starts
//!   at, so states close on the map are close in memory and a search's
//!   wavefront works on a few pages at a time;
//! - each arc is one 12-byte record (head, time in ms, length in metres),
//!   the arcs of a state contiguous and sorted by head;
//! - a search keeps one 64-bit label per state, the time in the high half
//!   and the bits of the `f32` length in the low (a non-negative float's
//!   bits order as its value), so one comparison of two labels orders by
//!   time and then by length, and one write updates both;
//! - a state that only one arc leads into is settled together with the
//!   state that arc leaves, without going through the heap (on OSM streets
//!   3 states in 10: ways joined end to end, dead ends);
//! - a search may stop as soon as every state it is asked about is settled.
//!
//! Among paths of the same time the shortest is kept, the rule the plain
//! search in [`super::dijkstra`] follows too. Both add the same `f32`
//! lengths in the same order along a path and `f32` addition is monotone,
//! so both find the same least (time, length) label at every state they
//! settle: times and lengths are equal to the bit.

use crate::network::dijkstra::{RadixHeap, UNREACHED};
use crate::network::graph::{Csr, PERIODS};
use crate::network::{Network, Period};

/// Label of a state not reached.
pub(crate) const NOT_REACHED: u64 = u64::MAX;

/// One arc: the state it leads to, its time and its length.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[repr(C)]
struct Arc {
    head: u32,
    ms: u32,
    m: f32,
}

/// A label from a time (ms) and a length (m, not negative: a negative or
/// NaN length counts as 0 so that the bits order as the values).
pub(crate) fn label(ms: u32, m: f32) -> u64 {
    let m = if m > 0.0 { m } else { 0.0 };
    (u64::from(ms) << 32) | u64::from(m.to_bits())
}

/// The time (ms) and length (m) of a label.
pub(crate) fn unpack(l: u64) -> (u32, f32) {
    ((l >> 32) as u32, f32::from_bits(l as u32))
}

/// The graph of one network, direction and period, renumbered and packed.
#[derive(Debug, Clone)]
pub struct SearchGraph {
    /// The graph's number for each of the network's states.
    new_id: Vec<u32>,
    /// Arcs of state `s` are `arcs[first[s]..first[s + 1]]`.
    first: Vec<u32>,
    arcs: Vec<Arc>,
    /// One bit per state: set when exactly one arc leads into it (see
    /// [`GraphSearch::run`], which settles such a state with the state
    /// before it, without the heap).
    sole_in: Vec<u64>,
}

/// A seed or an end of a search in the graph's numbering: (state, time ms,
/// length m).
pub type GraphSeed = (u32, u32, f32);

impl SearchGraph {
    /// The reverse graph (searches towards a place) of `net` for `period`,
    /// states in Hilbert order: what the street matrix searches.
    pub fn reverse(net: &Network, period: Period) -> SearchGraph {
        SearchGraph::turned_round(&net.forward, period.index(), hilbert_order(net))
    }

    /// The forward graph (searches from a place) of `net` for `period`.
    pub fn forward(net: &Network, period: Period) -> SearchGraph {
        SearchGraph::new(&net.forward, period.index(), hilbert_order(net))
    }

    /// Packs `csr` for `period` with state `s` renumbered `new_id[s]` (a
    /// permutation of the states).
    pub fn new(csr: &Csr, period: usize, new_id: Vec<u32>) -> SearchGraph {
        let n = csr.node_count();
        debug_assert_eq!(new_id.len(), n);
        let mut old_id = vec![0u32; n];
        for (s, &k) in new_id.iter().enumerate() {
            old_id[k as usize] = s as u32;
        }
        let mut first = Vec::with_capacity(n + 1);
        let mut arcs = Vec::with_capacity(csr.edge_count());
        first.push(0);
        for &s in &old_id {
            let start = arcs.len();
            for e in csr.first[s as usize] as usize..csr.first[s as usize + 1] as usize {
                arcs.push(Arc { head: new_id[csr.head[e] as usize], ms: csr.time_ms[e * PERIODS + period], m: csr.length_m[e] });
            }
            arcs[start..].sort_unstable_by_key(|a| a.head);
            first.push(arcs.len() as u32);
        }
        SearchGraph::finish(new_id, first, arcs)
    }

    /// Packs `csr` with every arc turned round (the graph [`SearchGraph::new`]
    /// makes of `csr.transpose()`, without the transposed copy), for `period`,
    /// state `s` renumbered `new_id[s]`.
    pub fn turned_round(csr: &Csr, period: usize, new_id: Vec<u32>) -> SearchGraph {
        let n = csr.node_count();
        debug_assert_eq!(new_id.len(), n);
        let mut first = vec![0u32; n + 1];
        for &h in &csr.head {
            first[new_id[h as usize] as usize + 1] += 1;
        }
        for k in 0..n {
            first[k + 1] += first[k];
        }
        let mut next = first.clone();
        let mut arcs = vec![Arc::default(); csr.edge_count()];
        for (s, &tail) in new_id.iter().enumerate() {
            for e in csr.first[s] as usize..csr.first[s + 1] as usize {
                let h = new_id[csr.head[e] as usize] as usize;
                arcs[next[h] as usize] = Arc { head: tail, ms: csr.time_ms[e * PERIODS + period], m: csr.length_m[e] };
                next[h] += 1;
            }
        }
        drop(next);
        for k in 0..n {
            arcs[first[k] as usize..first[k + 1] as usize].sort_unstable_by_key(|a| a.head);
        }
        SearchGraph::finish(new_id, first, arcs)
    }

    /// The graph from its arrays, with the states that have one arc in
    /// marked.
    fn finish(new_id: Vec<u32>, first: Vec<u32>, arcs: Vec<Arc>) -> SearchGraph {
        let n = new_id.len();
        let mut arcs_in = vec![0u8; n];
        for a in &arcs {
            let c = &mut arcs_in[a.head as usize];
            *c = c.saturating_add(1);
        }
        let mut sole_in = vec![0u64; n.div_ceil(64)];
        for (s, _) in arcs_in.iter().enumerate().filter(|(_, c)| **c == 1) {
            sole_in[s / 64] |= 1u64 << (s % 64);
        }
        SearchGraph { new_id, first, arcs, sole_in }
    }

    /// Whether exactly one arc leads into state `s`.
    fn has_sole_in(&self, s: u32) -> bool {
        self.sole_in[(s / 64) as usize] & (1u64 << (s % 64)) != 0
    }

    /// Number of states.
    pub fn state_count(&self) -> usize {
        self.new_id.len()
    }

    /// The graph's number of the network's state `s`.
    pub fn id(&self, s: u32) -> u32 {
        self.new_id[s as usize]
    }

    /// Network seeds `(state, ms, m)` in the graph's numbering.
    pub fn seeds(&self, seeds: &[(u32, u32, f32)]) -> Vec<GraphSeed> {
        seeds.iter().filter(|s| (s.0 as usize) < self.new_id.len()).map(|&(s, ms, m)| (self.id(s), ms, m)).collect()
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.new_id.len() * 4 + self.first.len() * 4 + self.arcs.len() * std::mem::size_of::<Arc>() + self.sole_in.len() * 8
    }
}

/// Which states a search must settle before it may stop, in a graph's
/// numbering.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    /// One bit per state (a bit set rather than a `bool` per state, so that
    /// it stays in the cache beside the labels).
    bits: Vec<u64>,
    count: usize,
}

impl Targets {
    /// The states of `ends` (graph numbering) among `n` states.
    pub fn new(n: usize, ends: impl Iterator<Item = u32>) -> Targets {
        let mut bits = vec![0u64; n.div_ceil(64)];
        let mut count = 0;
        for s in ends.filter(|&s| (s as usize) < n) {
            let (w, b) = ((s / 64) as usize, 1u64 << (s % 64));
            if bits[w] & b == 0 {
                bits[w] |= b;
                count += 1;
            }
        }
        Targets { bits, count }
    }

    /// Whether state `s` is a target.
    fn contains(&self, s: u32) -> bool {
        self.bits.get((s / 64) as usize).is_some_and(|w| w & (1u64 << (s % 64)) != 0)
    }
}

/// Buffers for searches on one [`SearchGraph`], reused from one search to
/// the next.
#[derive(Debug, Clone, Default)]
pub struct GraphSearch {
    label: Vec<u64>,
    heap: RadixHeap,
    touched: Vec<u32>,
    /// States settled and still to be scanned.
    chain: Vec<u32>,
}

impl GraphSearch {
    /// Buffers for a graph of `n` states.
    pub fn new(n: usize) -> Self {
        GraphSearch { label: vec![NOT_REACHED; n], heap: RadixHeap::default(), touched: Vec::new(), chain: Vec::new() }
    }

    fn reset(&mut self, n: usize) {
        if self.label.len() != n {
            *self = GraphSearch::new(n);
            return;
        }
        if self.touched.len() > n / 8 {
            // Most of the graph was reached: one sequential pass is cheaper
            // than as many scattered writes.
            self.label.fill(NOT_REACHED);
        } else {
            for &v in &self.touched {
                self.label[v as usize] = NOT_REACHED;
            }
        }
        self.touched.clear();
        self.chain.clear();
        self.heap.clear();
    }

    /// Searches `g` from `seeds`, settling states in order of time until
    /// every state of `targets` is settled (or, without targets, every state
    /// reachable). Labels of states not settled when it stops are upper
    /// bounds only; those of the targets are exact.
    pub fn run(&mut self, g: &SearchGraph, seeds: &[GraphSeed], targets: Option<&Targets>) {
        let n = g.state_count();
        self.reset(n);
        for &(v, ms, m) in seeds {
            let l = label(ms, m);
            let slot = &mut self.label[v as usize];
            if l < *slot {
                if *slot == NOT_REACHED {
                    self.touched.push(v);
                }
                if ((*slot >> 32) as u32) != ms {
                    self.heap.push(ms, v);
                }
                *slot = l;
            }
        }
        let mut left = targets.map_or(usize::MAX, |t| t.count);
        if left == 0 {
            return;
        }
        'search: while let Some((t, v)) = self.heap.pop() {
            if (self.label[v as usize] >> 32) as u32 != t {
                continue; // stale: a faster path was found after this entry
            }
            if targets.is_some_and(|ts| ts.contains(v)) {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
            // Settle `v`, and with it every state not yet reached that only
            // an arc from a settled state leads into: its label can only come
            // through that arc, so it is final at once and never enters the
            // heap (about 3 states in 10 on OSM streets: ways joined end to
            // end, dead ends).
            self.chain.push(v);
            while let Some(u) = self.chain.pop() {
                let (tu, lm) = unpack(self.label[u as usize]);
                let (lo, hi) = (g.first[u as usize] as usize, g.first[u as usize + 1] as usize);
                for a in &g.arcs[lo..hi] {
                    let nt = tu.saturating_add(a.ms);
                    if nt == UNREACHED {
                        continue; // beyond 49 days: unreachable, as in the plain search
                    }
                    let nl = label(nt, lm + a.m);
                    let slot = &mut self.label[a.head as usize];
                    if *slot == NOT_REACHED && g.has_sole_in(a.head) {
                        *slot = nl;
                        self.touched.push(a.head);
                        if targets.is_some_and(|ts| ts.contains(a.head)) {
                            left -= 1;
                            if left == 0 {
                                break 'search;
                            }
                        }
                        self.chain.push(a.head);
                    } else if nl < *slot {
                        let old = *slot;
                        if old == NOT_REACHED {
                            self.touched.push(a.head);
                        }
                        *slot = nl;
                        // A tie on time with a shorter length keeps its entry:
                        // every arc takes at least 1 ms, so the state is not
                        // settled yet and its entry reads the new label.
                        if (old >> 32) as u32 != nt {
                            self.heap.push(nt, a.head);
                        }
                    }
                }
            }
        }
    }

    /// Time (ms) and length (m) to state `v` (graph numbering) from the
    /// last search, if reached.
    pub fn at(&self, v: u32) -> Option<(u32, f32)> {
        let (t, m) = unpack(*self.label.get(v as usize)?);
        (t != UNREACHED).then_some((t, m))
    }

    /// Completes a journey from the last search as
    /// [`super::dijkstra::Search::best_via`] does: the best of `direct` and,
    /// over each `(state, ms, m)` of `ends` (graph numbering), the time to
    /// the state plus the stretch beyond it; the first end wins a tie.
    pub fn best_via(&self, ends: &[(u32, u32, f32)], direct: Option<(u32, f32)>) -> Option<(u32, f32)> {
        let mut best = direct;
        for &(v, t, l) in ends {
            let Some((tv, lv)) = self.at(v) else { continue };
            let total = tv.saturating_add(t);
            if best.is_none_or(|(bt, _)| total < bt) {
                best = Some((total, lv + l));
            }
        }
        best
    }
}

/// A new number for each state of `net`: the order of the points the states
/// start at along a Hilbert curve over the network's extent (ties in the
/// network's order).
pub fn hilbert_order(net: &Network) -> Vec<u32> {
    let n = net.state_count();
    let Some(ext) = net.extent() else { return (0..n as u32).collect() };
    let (w, h) = ((ext.max.lon - ext.min.lon).max(1e-9), (ext.max.lat - ext.min.lat).max(1e-9));
    const SIDE: u32 = 1 << 16;
    let cell = |v: f64, lo: f64, span: f64| (((v - lo) / span) * f64::from(SIDE - 1)).round().clamp(0.0, f64::from(SIDE - 1)) as u32;
    let node_key: Vec<u64> = net.node_point.iter().map(|p| hilbert_index(SIDE, cell(p.lon, ext.min.lon, w), cell(p.lat, ext.min.lat, h))).collect();
    let mut order: Vec<(u64, u32)> = (0..n as u32).map(|s| (node_key.get(net.state_node(s) as usize).copied().unwrap_or(u64::MAX), s)).collect();
    order.sort_unstable();
    let mut new_id = vec![0u32; n];
    for (k, &(_, s)) in order.iter().enumerate() {
        new_id[s as usize] = k as u32;
    }
    new_id
}

/// Position of cell `(x, y)` along the Hilbert curve filling a `side` x
/// `side` grid (`side` a power of two).
fn hilbert_index(side: u32, mut x: u32, mut y: u32) -> u64 {
    let mut d = 0u64;
    let mut s = side / 2;
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        d += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = side - 1 - x;
                y = side - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hilbert_curve_visits_every_cell_once_moving_one_step_at_a_time() {
        let side = 8;
        let mut at = vec![(0u32, 0u32); 64];
        for x in 0..side {
            for y in 0..side {
                at[hilbert_index(side, x, y) as usize] = (x, y);
            }
        }
        let mut seen = std::collections::HashSet::new();
        for w in at.windows(2) {
            let d = w[0].0.abs_diff(w[1].0) + w[0].1.abs_diff(w[1].1);
            assert_eq!(d, 1, "{:?} to {:?}", w[0], w[1]);
            seen.insert(w[0]);
        }
        seen.insert(at[63]);
        assert_eq!(seen.len(), 64);
    }

    #[test]
    fn a_packed_graph_search_equals_the_plain_search_on_a_small_graph() {
        // A 4-node graph with a tie on time: 0->1->3 (2+2 ms, 10+10 m) and
        // 0->2->3 (1+3 ms, 5+5 m). The shorter of the tied paths is kept.
        let edges = vec![(0, 1, [2, 2], 10.0), (1, 3, [2, 2], 10.0), (0, 2, [1, 1], 5.0), (2, 3, [3, 3], 5.0), (3, 0, [7, 7], 1.0)];
        let csr = Csr::build(4, edges);
        let g = SearchGraph::new(&csr, 0, vec![3, 1, 0, 2]);
        let mut fast = GraphSearch::new(4);
        fast.run(&g, &[(g.id(0), 0, 0.0)], None);
        let mut plain = crate::network::dijkstra::Search::new(4);
        plain.run(&csr, 0, &[(0, 0, 0.0)], UNREACHED - 1);
        for v in 0..4u32 {
            let (t, l) = fast.at(g.id(v)).unwrap();
            assert_eq!(t, plain.time_ms[v as usize], "time to {v}");
            assert_eq!(l.to_bits(), plain.length_m[v as usize].to_bits(), "length to {v}");
        }
        assert_eq!(fast.at(g.id(3)), Some((4, 10.0)));
        // Stopping once node 1 is settled leaves its label exact.
        fast.run(&g, &[(g.id(0), 0, 0.0)], Some(&Targets::new(4, [g.id(1)].into_iter())));
        assert_eq!(fast.at(g.id(1)), Some((2, 10.0)));
    }

    /// States with one arc in are settled with the state before them, out of
    /// the heap's order: labels stay those of the plain search, a seed with
    /// one arc in keeps its own (better) label, and a search that stops at a
    /// target so settled has that target's label exact.
    #[test]
    fn states_with_one_arc_in_are_settled_with_the_state_before_them() {
        // 0 -> 1 -> 2 -> 3 is a chain (1, 2, 3 have one arc in); 0 -> 4 (5
        // ms) and 3 -> 4 (1 ms) meet at 4; 4 -> 5 has one arc in; 5 -> 0.
        let edges = vec![
            (0, 1, [1, 1], 1.0),
            (1, 2, [1, 1], 1.5),
            (2, 3, [1, 1], 2.25),
            (0, 4, [5, 5], 9.0),
            (3, 4, [1, 1], 0.5),
            (4, 5, [2, 2], 3.0),
            (5, 0, [1, 1], 1.0),
        ];
        let csr = Csr::build(6, edges);
        let g = SearchGraph::new(&csr, 0, vec![5, 4, 3, 2, 1, 0]);
        let sole: Vec<u32> = (0..6u32).filter(|&v| g.has_sole_in(g.id(v))).collect();
        assert_eq!(sole, vec![0, 1, 2, 3, 5]);
        for seeds in [vec![(0u32, 0u32, 0.0f32)], vec![(0, 0, 0.0), (2, 1, 0.0)], vec![(5, 0, 0.0)]] {
            let mut fast = GraphSearch::new(6);
            fast.run(&g, &g.seeds(&seeds), None);
            let mut plain = crate::network::dijkstra::Search::new(6);
            plain.run(&csr, 0, &seeds, UNREACHED - 1);
            for v in 0..6u32 {
                let (t, l) = fast.at(g.id(v)).unwrap();
                assert_eq!((t, l.to_bits()), (plain.time_ms[v as usize], plain.length_m[v as usize].to_bits()), "{seeds:?} to {v}");
            }
        }
        // From 0: 4 is reached at 4 ms through the chain, not at 5 ms.
        let mut fast = GraphSearch::new(6);
        fast.run(&g, &g.seeds(&[(0, 0, 0.0)]), None);
        assert_eq!(fast.at(g.id(4)), Some((4, 5.25)));
        // Seed 2 at 1 ms beats the chain's 2 ms; 3 follows from it.
        fast.run(&g, &g.seeds(&[(0, 0, 0.0), (2, 1, 0.0)]), None);
        assert_eq!(fast.at(g.id(2)), Some((1, 0.0)));
        assert_eq!(fast.at(g.id(3)), Some((2, 2.25)));
        // Stopping at 3, settled inside the chain, leaves its label exact.
        fast.run(&g, &g.seeds(&[(0, 0, 0.0)]), Some(&Targets::new(6, [g.id(3)].into_iter())));
        assert_eq!(fast.at(g.id(3)), Some((3, 4.75)));
    }

    /// Each state's arcs as a sorted list, so that two graphs that differ
    /// only in the order of arcs with the same head compare equal.
    fn arc_lists(g: &SearchGraph) -> Vec<Vec<(u32, u32, u32)>> {
        (0..g.state_count())
            .map(|k| {
                let mut l: Vec<_> = g.arcs[g.first[k] as usize..g.first[k + 1] as usize].iter().map(|a| (a.head, a.ms, a.m.to_bits())).collect();
                l.sort_unstable();
                l
            })
            .collect()
    }

    /// The reverse graph packed straight from the forward arcs is the one
    /// packed from their transpose, on Newport's car (turn states) and walk
    /// (nodes) networks, both periods.
    #[test]
    fn the_reverse_graph_packed_from_the_forward_arcs_is_the_transposes() {
        let Some(inputs) = crate::testdata::newport_inputs() else { return };
        let region = crate::region::Region::load(&inputs).expect("Newport loads");
        for mode in [crate::network::StreetMode::Car, crate::network::StreetMode::Walk] {
            let net = region.network(mode).unwrap();
            for p in [Period::Offpeak, Period::Peak] {
                let packed = SearchGraph::reverse(net, p);
                let transposed = SearchGraph::new(&net.forward.transpose(), p.index(), hilbert_order(net));
                assert_eq!(packed.new_id, transposed.new_id);
                assert_eq!(packed.first, transposed.first, "{mode:?} {p:?}");
                assert_eq!(arc_lists(&packed), arc_lists(&transposed), "{mode:?} {p:?}");
                assert_eq!(packed.arcs.len(), net.arc_count());
            }
        }
    }
}
