//! Street networks and routing: the speed profile, the OSM access and
//! barrier rules ([`access`]), turn restrictions ([`restrictions`]), the
//! compact graph per mode ([`graph`]; for car and cycle the edge-based
//! graph of [`turns`]), snapping, Dijkstra's search, and the many-to-many
//! street matrix and one-journey search built on it ([`matrix`]); for
//! several destinations the matrix searches a copy of the graph laid out
//! for the cache ([`search_graph`]), for many a contraction hierarchy of it
//! ([`cch`]).
//!
//! A journey on the street network is door to door: walk in a straight line
//! from the door to the nearest usable street whose link crosses no water,
//! railway or motorway, travel along it to a search state (a node when
//! walking; the next street turned into when driving or cycling), search
//! the graph, and the same in reverse at the far end.

pub mod access;
pub mod calibration;
pub mod cch;
pub mod dijkstra;
pub mod graph;
pub mod matrix;
pub mod profile;
#[cfg(test)]
pub mod reference;
pub mod restrictions;
pub mod search_graph;
pub mod snap;
pub mod turns;

pub use graph::Network;
pub use matrix::{MatrixEngine, NoTime, StreetMatrix, one_journey, street_matrix, street_matrix_by};
pub use profile::{Period, Profile, StreetMode};
pub use snap::{Snap, SnapFailure, Snapper};

use crate::geom::LonLat;
use graph::PERIODS;

/// A start or end of a search: a graph node with the time (ms) and length
/// (m) between it and a snapped point, along the street, without the walk to
/// the street.
pub type Seed = (u32, u32, f32);

impl Network {
    /// Search states a traveller starting at `snap` can reach along its
    /// street, with the time and length to each: the street's end nodes
    /// (walking), or the streets turned into at its ends (car, cycle).
    pub fn leaving(&self, snap: &Snap, period: Period) -> Vec<Seed> {
        let s = &self.streets[snap.street as usize];
        let p = period.index();
        let mut out = Vec::with_capacity(2);
        for (d, t, share) in [(0u32, s.forward_ms, 1.0 - snap.fraction), (1, s.backward_ms, snap.fraction)] {
            let Some(t) = t else { continue };
            let rest_ms = (t[p] as f64 * share).round() as u32;
            let rest_m = (s.length_m * share) as f32;
            match &self.turns {
                None => out.push((if d == 0 { s.b } else { s.a }, rest_ms, rest_m)),
                Some(layout) => {
                    // The arcs out of the start state cost the whole street
                    // and the turn; the traveller drives only the rest of it.
                    let st = layout.start_state[(snap.street * 2 + d) as usize];
                    if st == turns::NONE {
                        continue;
                    }
                    let done_ms = t[p] - rest_ms;
                    for k in self.forward.first[st as usize] as usize..self.forward.first[st as usize + 1] as usize {
                        out.push((self.forward.head[k], self.forward.time_ms[k * PERIODS + p].saturating_sub(done_ms), rest_m));
                    }
                }
            }
        }
        out
    }

    /// Search states from which a traveller can reach `snap` along its
    /// street, with the time and length from each: the street's end nodes
    /// (walking), or the states of the street itself (car, cycle).
    pub fn arriving(&self, snap: &Snap, period: Period) -> Vec<Seed> {
        let s = &self.streets[snap.street as usize];
        let p = period.index();
        let mut out = Vec::with_capacity(2);
        for (d, t, share) in [(0u32, s.forward_ms, snap.fraction), (1, s.backward_ms, 1.0 - snap.fraction)] {
            let Some(t) = t else { continue };
            let ms = (t[p] as f64 * share).round() as u32;
            let m = (s.length_m * share) as f32;
            match &self.turns {
                None => out.push((if d == 0 { s.a } else { s.b }, ms, m)),
                Some(layout) => out.extend(layout.states_of(snap.street * 2 + d).iter().map(|&st| (st, ms, m))),
            }
        }
        out
    }

    /// The graph node each search state starts at.
    pub fn state_node(&self, state: u32) -> u32 {
        match &self.turns {
            None => state,
            Some(layout) => turns::tail(&self.streets, layout.state_edge[state as usize]),
        }
    }

    /// Earliest time (ms) at each graph node from a finished search over
    /// this network's states (`UNREACHED` where none).
    pub fn node_times(&self, search: &dijkstra::Search) -> Vec<u32> {
        match &self.turns {
            None => search.time_ms.clone(),
            Some(_) => {
                let mut out = vec![dijkstra::UNREACHED; self.node_count()];
                for &st in search.reached() {
                    let v = self.state_node(st) as usize;
                    out[v] = out[v].min(search.time_ms[st as usize]);
                }
                out
            }
        }
    }

    /// Time (ms) and length (m) to go from `from` to `to` along one street
    /// without passing a graph node, when both lie on the same street and its
    /// direction allows.
    pub fn same_street(&self, from: &Snap, to: &Snap, period: Period) -> Option<(u32, f32)> {
        if from.street != to.street {
            return None;
        }
        let s = &self.streets[from.street as usize];
        let d = to.fraction - from.fraction;
        let t = if d >= 0.0 { s.forward_ms } else { s.backward_ms }?;
        Some(((t[period.index()] as f64 * d.abs()).round() as u32, (s.length_m * d.abs()) as f32))
    }

    /// Where a point meets this network ([`Snapper::snap`]): the nearest
    /// place within `max_m` metres whose straight link crosses no barrier.
    pub fn snap(&self, p: LonLat, max_m: f64) -> Result<Snap, SnapFailure> {
        self.snapper.snap(&self.shapes, p, &self.projection, max_m)
    }

    /// The nearest place on this network within `max_m` metres, whatever
    /// lies between ([`Snapper::snap_nearest`]): for stops.
    pub fn snap_nearest(&self, p: LonLat, max_m: f64) -> Result<Snap, SnapFailure> {
        self.snapper.snap_nearest(&self.shapes, p, &self.projection, max_m)
    }

    /// Walking time in ms for a straight line of `m` metres (door to street).
    pub fn walk_ms(&self, m: f64) -> u32 {
        ((m / self.walk_mps) * 1000.0).round() as u32
    }

    /// Number of periods that differ for this mode (2 for car, 1 otherwise).
    pub fn period_count(&self) -> usize {
        if self.mode == StreetMode::Car { PERIODS } else { 1 }
    }
}

#[cfg(test)]
mod tests;
