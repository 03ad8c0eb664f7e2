//! Walking transfers between stops (footpaths): from each served stop to
//! every other served stop within 400 m on foot, over the street network
//! when one is given (each stop snapped to it, then a bounded Dijkstra
//! search from the stop), otherwise along the straight line x 1.3.
//! `transfers.txt` rules between two stops then replace, add or remove
//! footpaths.

use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::geom::{LocalProjection, haversine_m};
use crate::network::dijkstra::Search;
use crate::network::snap::{DEFAULT_MAX_SNAP_M, Snap};
use crate::network::{Network, Period};
use crate::transit::feed::{Stop, TransferKind, TransferRule};

/// How footpaths between stops are found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FootpathOptions {
    /// Longest walk between two stops, metres (400 m by default).
    pub max_transfer_m: f64,
    /// Walking distance over straight-line distance when no walk network is given.
    pub straight_line_factor: f64,
    /// Walking speed when no walk network is given, m/s (the network's own otherwise).
    pub walk_mps: f64,
    /// Farthest a stop may lie from the walk network, metres.
    pub max_snap_m: f64,
}

impl Default for FootpathOptions {
    fn default() -> Self {
        FootpathOptions { max_transfer_m: 400.0, straight_line_factor: 1.3, walk_mps: 4.8 / 3.6, max_snap_m: DEFAULT_MAX_SNAP_M }
    }
}

/// What the footpaths were measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FootpathSource {
    /// Over the walk network (stops off it: straight line x factor).
    #[default]
    WalkNetwork,
    /// Straight line x factor (no walk network given).
    StraightLine,
}

impl std::fmt::Display for FootpathSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FootpathSource::WalkNetwork => "walked over the street network",
            FootpathSource::StraightLine => "straight line x factor, no walk network given",
        })
    }
}

/// Footpaths in compressed-sparse-row form: those leaving stop `s` are
/// `first[s]..first[s + 1]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Footpaths {
    /// Offsets, one per stop plus one.
    pub first: Vec<u32>,
    /// The stop each footpath leads to.
    pub to: Vec<u32>,
    /// Walking time, seconds (rounded up).
    pub walk_s: Vec<u32>,
    /// Walking length, metres.
    pub length_m: Vec<f32>,
    /// What they were measured on.
    pub source: FootpathSource,
}

impl Footpaths {
    /// Number of footpaths.
    pub fn len(&self) -> usize {
        self.to.len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.to.is_empty()
    }
    /// Index range of the footpaths leaving stop `s`.
    #[inline]
    pub fn from(&self, s: usize) -> std::ops::Range<usize> {
        self.first[s] as usize..self.first[s + 1] as usize
    }
    /// The footpath from `a` to `b`, if any: (seconds, metres).
    pub fn between(&self, a: usize, b: usize) -> Option<(u32, f32)> {
        self.from(a).find(|&i| self.to[i] as usize == b).map(|i| (self.walk_s[i], self.length_m[i]))
    }
}

/// Stops as points in a local projection, for "stops within r metres".
pub(crate) struct StopIndex {
    tree: RTree<GeomWithData<[f64; 2], u32>>,
    /// The projection used.
    pub projection: LocalProjection,
}

impl StopIndex {
    /// Indexes the stops for which `keep` holds.
    pub(crate) fn new(stops: &[Stop], keep: &[bool], projection: LocalProjection) -> Self {
        let pts = stops.iter().enumerate().filter(|(i, _)| keep[*i]).map(|(i, s)| GeomWithData::new(projection.to_xy(s.point), i as u32)).collect();
        StopIndex { tree: RTree::bulk_load(pts), projection }
    }
    /// Stops within `r_m` metres of `xy`.
    pub(crate) fn within(&self, xy: [f64; 2], r_m: f64) -> impl Iterator<Item = u32> + '_ {
        self.tree.locate_within_distance(xy, r_m * r_m).map(|g| g.data)
    }
}

/// A stop's place on the walk network: its plain nearest street, whatever
/// lies between (a station stands on its railway).
fn stop_snap(net: &Network, stop: &Stop, max_snap_m: f64) -> Option<Snap> {
    net.snap_nearest(stop.point, max_snap_m).ok()
}

/// Time (ms) and length (m) of the walk from the search's origin to `snap`,
/// street part only: over a graph node, or along the origin's own street.
pub(crate) fn walk_to(net: &Network, search: &Search, from: &Snap, to: &Snap) -> Option<(u32, f32)> {
    search.best_via(&net.arriving(to, Period::Offpeak), net.same_street(from, to, Period::Offpeak))
}

/// Time (ms) and length (m) of the walk from `from` to the reverse search's
/// target, street part only.
pub(crate) fn walk_from(net: &Network, reverse: &Search, from: &Snap, to: &Snap) -> Option<(u32, f32)> {
    reverse.best_via(&net.leaving(from, Period::Offpeak), net.same_street(from, to, Period::Offpeak))
}

/// Whole seconds for a walk in milliseconds, rounded up.
pub(crate) fn ms_to_s(ms: u64) -> u32 {
    ms.div_ceil(1000).min(u32::MAX as u64) as u32
}

/// Builds the footpaths between the stops marked `used`, and notes on how.
pub(crate) fn build_footpaths(
    stops: &[Stop],
    used: &[bool],
    walk: Option<&Network>,
    rules: &[TransferRule],
    opts: &FootpathOptions,
) -> (Footpaths, Vec<String>) {
    let n = stops.len();
    let mut notes = Vec::new();
    let straight = |a: usize, b: usize, mps: f64| -> Option<(u32, f32)> {
        let d = haversine_m(stops[a].point, stops[b].point) * opts.straight_line_factor;
        (d <= opts.max_transfer_m).then(|| (ms_to_s((d / mps * 1000.0).round() as u64), d as f32))
    };
    let projection = walk.map_or_else(
        || LocalProjection::new(crate::geom::Extent::of(stops.iter().map(|s| s.point)).map_or(crate::geom::LonLat::new(0.0, 0.0), |e| e.centre())),
        |w| w.projection,
    );
    let index = StopIndex::new(stops, used, projection);
    // Straight-line reach is enough to find every candidate: walking is never shorter.
    let candidates = |a: usize| index.within(projection.to_xy(stops[a].point), opts.max_transfer_m).filter(move |&b| b as usize != a);
    let mut edges: Vec<Vec<(u32, u32, f32)>> = match walk {
        None => {
            notes.push(format!("footpaths between stops: straight line x {} (no walk network given)", opts.straight_line_factor));
            (0..n)
                .into_par_iter()
                .map(
                    |a| {
                        if used[a] {
                            candidates(a).filter_map(|b| straight(a, b as usize, opts.walk_mps).map(|(t, l)| (b, t, l))).collect()
                        } else {
                            Vec::new()
                        }
                    },
                )
                .collect()
        }
        Some(net) => {
            let snaps: Vec<Option<Snap>> = (0..n).into_par_iter().map(|s| if used[s] { stop_snap(net, &stops[s], opts.max_snap_m) } else { None }).collect();
            let off = used.iter().zip(&snaps).filter(|(u, s)| **u && s.is_none()).count();
            if off > 0 {
                notes.push(format!(
                    "{off} served stops lie more than {:.0} m from the walk network: their footpaths use the straight line x {}",
                    opts.max_snap_m, opts.straight_line_factor
                ));
            }
            let limit_ms = (opts.max_transfer_m / net.walk_mps * 1000.0).ceil() as u32;
            (0..n)
                .into_par_iter()
                .map_init(
                    || Search::new(net.state_count()),
                    |search, a| {
                        if !used[a] {
                            return Vec::new();
                        }
                        let Some(sa) = &snaps[a] else {
                            return candidates(a).filter_map(|b| straight(a, b as usize, net.walk_mps).map(|(t, l)| (b, t, l))).collect();
                        };
                        search.run(&net.forward, 0, &net.leaving(sa, Period::Offpeak), limit_ms);
                        candidates(a)
                            .filter_map(|b| {
                                let Some(sb) = &snaps[b as usize] else { return straight(a, b as usize, net.walk_mps).map(|(t, l)| (b, t, l)) };
                                let (t, l) = walk_to(net, search, sa, sb)?;
                                let length = l as f64 + sa.offset_m + sb.offset_m;
                                let ms = t as u64 + net.walk_ms(sa.offset_m) as u64 + net.walk_ms(sb.offset_m) as u64;
                                (length <= opts.max_transfer_m).then(|| (b, ms_to_s(ms), length as f32))
                            })
                            .collect()
                    },
                )
                .collect()
        }
    };
    // transfers.txt rules between two stops.
    let (mut same_stop, mut applied) = (0, 0);
    let mps = walk.map_or(opts.walk_mps, |w| w.walk_mps);
    for r in rules {
        let (a, b) = (r.from as usize, r.to as usize);
        if a == b {
            same_stop += 1;
            continue;
        }
        if !used[a] || !used[b] {
            continue;
        }
        applied += 1;
        let list = &mut edges[a];
        let existing = list.iter().position(|e| e.0 as usize == b);
        match (r.kind, existing) {
            (TransferKind::Impossible, Some(i)) => {
                list.remove(i);
            }
            (TransferKind::Impossible, None) => {}
            (TransferKind::MinTime(t), Some(i)) => list[i].1 = t,
            (TransferKind::MinTime(t), None) => {
                let d = haversine_m(stops[a].point, stops[b].point) * opts.straight_line_factor;
                list.push((b as u32, t, d as f32));
            }
            (TransferKind::Recommended, Some(_)) => {}
            (TransferKind::Recommended, None) => {
                let d = haversine_m(stops[a].point, stops[b].point) * opts.straight_line_factor;
                list.push((b as u32, ms_to_s((d / mps * 1000.0).round() as u64), d as f32));
            }
        }
    }
    if applied > 0 {
        notes.push(format!("{applied} transfers.txt rules between stops applied to the footpaths"));
    }
    if same_stop > 0 {
        notes.push(format!("{same_stop} transfers.txt rules within one stop are not used (the boarding slack applies)"));
    }
    let mut fp = Footpaths {
        first: Vec::with_capacity(n + 1),
        source: if walk.is_some() { FootpathSource::WalkNetwork } else { FootpathSource::StraightLine },
        ..Default::default()
    };
    fp.first.push(0);
    for mut list in edges {
        list.sort_by_key(|e| (e.1, e.0));
        for (b, t, l) in list {
            fp.to.push(b);
            fp.walk_s.push(t);
            fp.length_m.push(l);
        }
        fp.first.push(fp.to.len() as u32);
    }
    (fp, notes)
}
