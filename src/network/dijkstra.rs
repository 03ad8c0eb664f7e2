//! Dijkstra's search on the flat arrays: one source (or a set of seeded
//! start nodes) to every node, on the forward graph (from a place) or the
//! reverse graph (towards a place). Written by hand because it is the hot
//! path: reusable buffers, integer millisecond weights, no allocation per
//! search.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::network::graph::{Csr, PERIODS};

/// Time value of a node not reached.
pub const UNREACHED: u32 = u32::MAX;

/// Buffers for one search, reused across searches of the same network.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Best time to each node, ms (`UNREACHED` if not reached).
    pub time_ms: Vec<u32>,
    /// Length of the fastest path to each node, metres.
    pub length_m: Vec<f32>,
    heap: BinaryHeap<Reverse<(u32, u32)>>,
    touched: Vec<u32>,
}

impl Search {
    /// Buffers for a network of `n` nodes.
    pub fn new(n: usize) -> Self {
        Search { time_ms: vec![UNREACHED; n], length_m: vec![0.0; n], heap: BinaryHeap::new(), touched: Vec::new() }
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
                self.heap.push(Reverse((t, v)));
            }
        }
        while let Some(Reverse((t, v))) = self.heap.pop() {
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
                    self.heap.push(Reverse((nt, w as u32)));
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
