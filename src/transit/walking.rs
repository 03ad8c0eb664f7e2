//! Walking between doors and stops over the walk network: from an origin
//! to the stops within reach (access) by a bounded forward Dijkstra search
//! from the snapped origin, and from the stops within reach to a
//! destination (egress) by a bounded search on the reverse graph. A walk is
//! the straight line from the door to the street, the street, and the
//! straight line from the street to the stop.

use crate::geom::LonLat;
use crate::network::dijkstra::Search;
use crate::network::snap::{Snap, SnapFailure};
use crate::network::{Network, Period};
use crate::transit::footpaths::{StopIndex, ms_to_s, walk_from, walk_to};
use crate::transit::raptor::StopWalk;
use crate::transit::timetable::Timetable;

/// The served stops of a timetable placed on a walk network.
#[derive(Clone)]
pub struct StopWalker<'a> {
    /// The walk network.
    pub net: &'a Network,
    points: Vec<LonLat>,
    snaps: Vec<Option<Snap>>,
    index: std::sync::Arc<StopIndex>,
}

impl std::fmt::Debug for StopWalker<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StopWalker({} stops on the walk network)", self.snaps.iter().filter(|s| s.is_some()).count())
    }
}

impl<'a> StopWalker<'a> {
    /// Snaps the served stops of `tt` to `net` (within `max_snap_m`).
    pub fn new(net: &'a Network, tt: &Timetable, max_snap_m: f64) -> Self {
        use rayon::prelude::*;
        let snaps: Vec<Option<Snap>> =
            (0..tt.stop_count()).into_par_iter().map(|s| if tt.is_served(s) { net.snap_nearest(tt.stops[s].point, max_snap_m).ok() } else { None }).collect();
        let keep: Vec<bool> = snaps.iter().map(Option::is_some).collect();
        let index = std::sync::Arc::new(StopIndex::new(&tt.stops, &keep, net.projection));
        StopWalker { net, points: tt.stops.iter().map(|s| s.point).collect(), snaps, index }
    }

    /// Snaps a door to the walk network.
    pub fn snap(&self, p: LonLat, max_snap_m: f64) -> Result<Snap, SnapFailure> {
        self.net.snap(p, max_snap_m)
    }

    /// Number of served stops on the walk network.
    pub fn stops_on_network(&self) -> usize {
        self.snaps.iter().filter(|s| s.is_some()).count()
    }

    fn limit_ms(&self, max_m: f64) -> u32 {
        (max_m / self.net.walk_mps * 1000.0).ceil() as u32
    }

    /// Stops within `max_m` metres' walk of the door at `p` (snapped at `snap`), nearest first.
    pub fn to_stops(&self, search: &mut Search, p: LonLat, snap: &Snap, max_m: f64) -> Vec<StopWalk> {
        let net = self.net;
        search.run(&net.forward, 0, &net.leaving(snap, Period::Offpeak), self.limit_ms(max_m));
        self.collect(p, snap, max_m, |to| walk_to(net, search, snap, to))
    }

    /// Stops from which the door at `p` (snapped at `snap`) lies within `max_m` metres' walk, nearest first.
    pub fn from_stops(&self, search: &mut Search, p: LonLat, snap: &Snap, max_m: f64) -> Vec<StopWalk> {
        let net = self.net;
        search.run(net.reverse(), 0, &net.arriving(snap, Period::Offpeak), self.limit_ms(max_m));
        self.collect(p, snap, max_m, |from| walk_from(net, search, from, snap))
    }

    fn collect(&self, p: LonLat, snap: &Snap, max_m: f64, street: impl Fn(&Snap) -> Option<(u32, f32)>) -> Vec<StopWalk> {
        let mut out: Vec<StopWalk> = self
            .index
            .within(self.index.projection.to_xy(p), max_m)
            .filter_map(|s| {
                let ss = self.snaps[s as usize].as_ref()?;
                let (t, l) = street(ss)?;
                let length = l as f64 + snap.offset_m + ss.offset_m;
                let ms = t as u64 + self.net.walk_ms(snap.offset_m) as u64 + self.net.walk_ms(ss.offset_m) as u64;
                (length <= max_m).then(|| StopWalk { stop: s, walk_s: ms_to_s(ms), length_m: length as f32 })
            })
            .collect();
        out.sort_by_key(|w| (w.walk_s, w.stop));
        out
    }

    /// Where stop `s` meets the walk network, if it does.
    pub fn stop_snap(&self, s: usize) -> Option<&Snap> {
        self.snaps.get(s).and_then(Option::as_ref)
    }

    /// Where stop `s` lies.
    pub fn stop_point(&self, s: usize) -> LonLat {
        self.points[s]
    }
}
