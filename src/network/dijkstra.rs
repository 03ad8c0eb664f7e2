//! Dijkstra's search on the flat arrays: one source (or a set of seeded
//! start nodes) to every node, on the forward graph (from a place) or the
//! reverse graph (towards a place). Written by hand because it is the hot
//! path: reusable buffers, integer millisecond weights, no allocation per
//! search.

use crate::network::graph::{Csr, PERIODS};

/// A radix heap of (time ms, state): Dijkstra pops times in non-decreasing
/// order and never pushes below the last pop, so items can be kept in 33
/// buckets by the highest bit in which they differ from the last popped
/// time. Pushing is O(1) and each item moves down a bucket at most 32
/// times; on the turn graphs' many small relaxations this is about a third
/// faster than `std::collections::BinaryHeap`.
#[derive(Debug, Clone)]
pub(crate) struct RadixHeap {
    last: u32,
    len: usize,
    buckets: [Vec<(u32, u32)>; 33],
}

impl Default for RadixHeap {
    fn default() -> Self {
        RadixHeap { last: 0, len: 0, buckets: std::array::from_fn(|_| Vec::new()) }
    }
}

impl RadixHeap {
    fn bucket(&self, key: u32) -> usize {
        (32 - (key ^ self.last).leading_zeros()) as usize
    }
    pub(crate) fn clear(&mut self) {
        for b in &mut self.buckets {
            b.clear();
        }
        self.last = 0;
        self.len = 0;
    }
    pub(crate) fn push(&mut self, key: u32, value: u32) {
        debug_assert!(key >= self.last);
        let b = self.bucket(key);
        self.buckets[b].push((key, value));
        self.len += 1;
    }
    pub(crate) fn pop(&mut self) -> Option<(u32, u32)> {
        if self.len == 0 {
            return None;
        }
        if self.buckets[0].is_empty() {
            let i = self.buckets.iter().position(|b| !b.is_empty())?;
            let items = std::mem::take(&mut self.buckets[i]);
            self.last = items.iter().map(|x| x.0).min()?;
            for &(k, v) in &items {
                let b = self.bucket(k);
                self.buckets[b].push((k, v));
            }
            // Hand the emptied vector back so its allocation is reused.
            let mut items = items;
            items.clear();
            if self.buckets[i].is_empty() {
                self.buckets[i] = items;
            }
        }
        self.len -= 1;
        self.buckets[0].pop()
    }
}

/// Time value of a node not reached.
pub const UNREACHED: u32 = u32::MAX;

/// Buffers for one search, reused across searches of the same network.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Best time to each node, ms (`UNREACHED` if not reached).
    pub time_ms: Vec<u32>,
    /// Length of the fastest path to each node, metres (the shortest of
    /// them when several paths tie on time).
    pub length_m: Vec<f32>,
    heap: RadixHeap,
    touched: Vec<u32>,
}

impl Search {
    /// Buffers for a network of `n` nodes.
    pub fn new(n: usize) -> Self {
        Search { time_ms: vec![UNREACHED; n], length_m: vec![0.0; n], heap: RadixHeap::default(), touched: Vec::new() }
    }

    fn reset(&mut self, n: usize) {
        if self.time_ms.len() != n {
            *self = Search::new(n);
            return;
        }
        for &v in &self.touched {
            self.time_ms[v as usize] = UNREACHED;
            self.length_m[v as usize] = 0.0;
        }
        self.touched.clear();
        self.heap.clear();
    }

    /// Runs a search over `csr` for `period` from seeds `(node, start time ms,
    /// start length m)`, settling nodes up to `limit_ms`.
    pub fn run(&mut self, csr: &Csr, period: usize, seeds: &[(u32, u32, f32)], limit_ms: u32) {
        let n = csr.node_count();
        self.reset(n);
        for &(v, t, l) in seeds {
            if (v as usize) < n && t < self.time_ms[v as usize] {
                if self.time_ms[v as usize] == UNREACHED {
                    self.touched.push(v);
                }
                self.time_ms[v as usize] = t;
                self.length_m[v as usize] = l;
                self.heap.push(t, v);
            } else if (v as usize) < n && t == self.time_ms[v as usize] && l < self.length_m[v as usize] {
                self.length_m[v as usize] = l;
            }
        }
        while let Some((t, v)) = self.heap.pop() {
            if t > self.time_ms[v as usize] {
                continue;
            }
            if t > limit_ms {
                break;
            }
            let (lo, hi) = (csr.first[v as usize] as usize, csr.first[v as usize + 1] as usize);
            let base_len = self.length_m[v as usize];
            for e in lo..hi {
                let w = csr.head[e] as usize;
                let nt = t.saturating_add(csr.time_ms[e * PERIODS + period]);
                if nt < self.time_ms[w] {
                    if self.time_ms[w] == UNREACHED {
                        self.touched.push(w as u32);
                    }
                    self.time_ms[w] = nt;
                    self.length_m[w] = base_len + csr.length_m[e];
                    self.heap.push(nt, w as u32);
                } else if nt == self.time_ms[w] && nt != UNREACHED && base_len + csr.length_m[e] < self.length_m[w] {
                    // A tie on time: keep the shorter path, so the length
                    // does not depend on the order arcs are tried in. Every
                    // arc takes at least 1 ms, so `w` is not settled yet and
                    // its entry in the heap (same time) reads the new length.
                    self.length_m[w] = base_len + csr.length_m[e];
                }
            }
        }
    }

    /// Completes a journey from the last search: the best of `direct` (a
    /// path along one street, if any) and, over each `(node, ms, m)` in
    /// `ends`, the search's time to the node plus the stretch beyond it.
    /// Returns (time ms, length m).
    pub fn best_via(&self, ends: &[(u32, u32, f32)], direct: Option<(u32, f32)>) -> Option<(u32, f32)> {
        let mut best = direct;
        for &(v, t, l) in ends {
            let tv = self.time_ms[v as usize];
            if tv == UNREACHED {
                continue;
            }
            let total = tv.saturating_add(t);
            if best.is_none_or(|(bt, _)| total < bt) {
                best = Some((total, self.length_m[v as usize] + l));
            }
        }
        best
    }

    /// Nodes reached by the last search.
    pub fn reached(&self) -> &[u32] {
        &self.touched
    }
}

/// The plain reference: petgraph's own Dijkstra over the same edges, for
/// tests only.
#[cfg(test)]
pub fn reference_times(csr: &Csr, period: usize, source: u32) -> Vec<u32> {
    use petgraph::graph::{DiGraph, NodeIndex};
    let n = csr.node_count();
    let mut g: DiGraph<(), u32> = DiGraph::with_capacity(n, csr.edge_count());
    for _ in 0..n {
        g.add_node(());
    }
    for v in 0..n {
        for e in csr.first[v] as usize..csr.first[v + 1] as usize {
            g.add_edge(NodeIndex::new(v), NodeIndex::new(csr.head[e] as usize), csr.time_ms[e * PERIODS + period]);
        }
    }
    let res = petgraph::algo::dijkstra(&g, NodeIndex::new(source as usize), None, |e| *e.weight());
    let mut out = vec![UNREACHED; n];
    for (k, t) in res {
        out[k.index()] = t;
    }
    out
}
