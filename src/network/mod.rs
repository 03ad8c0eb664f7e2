//! Street networks and routing: the speed profile, the OSM access rules,
//! the compact graph per mode, snapping, Dijkstra's search, and the
//! many-to-many street matrix and one-journey search built on it ([`matrix`]).
//!
//! A journey on the street network is door to door: walk in a straight line
//! from the door to the nearest usable street, travel along it to a graph
//! node, search the graph, and the same in reverse at the far end.

pub mod access;
pub mod dijkstra;
pub mod graph;
pub mod matrix;
pub mod profile;
pub mod snap;

pub use graph::Network;
pub use matrix::{NoTime, StreetMatrix, one_journey, street_matrix};
pub use profile::{Period, Profile, StreetMode};
pub use snap::{Snap, SnapFailure};

use graph::PERIODS;

/// A start or end of a search: a graph node with the time (ms) and length
/// (m) between it and a snapped point, along the street, without the walk to
/// the street.
pub type Seed = (u32, u32, f32);

impl Network {
    /// Graph nodes a traveller starting at `snap` can reach along its street,
    /// with the time and length to each.
    pub fn leaving(&self, snap: &Snap, period: Period) -> Vec<Seed> {
        let s = &self.streets[snap.street as usize];
        let p = period.index();
        let mut out = Vec::with_capacity(2);
        if let Some(t) = s.forward_ms {
            out.push((s.b, (t[p] as f64 * (1.0 - snap.fraction)).round() as u32, (s.length_m * (1.0 - snap.fraction)) as f32));
        }
        if let Some(t) = s.backward_ms {
            out.push((s.a, (t[p] as f64 * snap.fraction).round() as u32, (s.length_m * snap.fraction) as f32));
        }
        out
    }

    /// Graph nodes from which a traveller can reach `snap` along its street,
    /// with the time and length from each.
    pub fn arriving(&self, snap: &Snap, period: Period) -> Vec<Seed> {
        let s = &self.streets[snap.street as usize];
        let p = period.index();
        let mut out = Vec::with_capacity(2);
        if let Some(t) = s.forward_ms {
            out.push((s.a, (t[p] as f64 * snap.fraction).round() as u32, (s.length_m * snap.fraction) as f32));
        }
        if let Some(t) = s.backward_ms {
            out.push((s.b, (t[p] as f64 * (1.0 - snap.fraction)).round() as u32, (s.length_m * (1.0 - snap.fraction)) as f32));
        }
        out
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
