//! Many-to-many travel times on a street network: every origin (zone) to
//! every destination (site), door to door, with the length of the fastest
//! path. One reverse search per destination, in parallel with rayon; each
//! origin then reads its time off the search tree. With several
//! destinations the searches run on a [`SearchGraph`] made once for the
//! matrix; with many, a contraction hierarchy of the network
//! ([`super::cch`]) answers every pair instead (see [`MatrixEngine`]). The
//! plain search on the network's own arrays is their twin and gives the
//! same times.

use rayon::prelude::*;

use crate::geom::LonLat;
use crate::network::cch::many_to_many;
use crate::network::dijkstra::{Search, UNREACHED};
use crate::network::search_graph::{GraphSearch, SearchGraph, Targets};
use crate::network::snap::{Snap, SnapFailure};
use crate::network::{Network, Period, Seed};
use crate::progress::{Cancelled, Progress};

/// Why a pair has no time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoTime {
    /// The origin could not be placed on the network.
    OriginOffNetwork(SnapFailure),
    /// The destination could not be placed on the network.
    DestinationOffNetwork(SnapFailure),
    /// Both are on the network but no path joins them (cannot happen on a
    /// strongly connected network; kept for safety).
    NoPath,
}

impl std::fmt::Display for NoTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoTime::OriginOffNetwork(s) => write!(f, "origin off the network: {s}"),
            NoTime::DestinationOffNetwork(s) => write!(f, "destination off the network: {s}"),
            NoTime::NoPath => write!(f, "no path on the network"),
        }
    }
}

/// Origins x destinations times and lengths, origin-major.
#[derive(Debug, Clone, PartialEq)]
pub struct StreetMatrix {
    /// Number of origins (rows).
    pub origins: usize,
    /// Number of destinations (columns).
    pub destinations: usize,
    /// Door-to-door time, seconds; `f32::INFINITY` where there is none.
    pub time_s: Vec<f32>,
    /// Length of the fastest path door to door (both walks included), metres.
    pub length_m: Vec<f32>,
    /// Each origin's snap, or why it failed.
    pub origin_snaps: Vec<Result<Snap, SnapFailure>>,
    /// Each destination's snap, or why it failed.
    pub destination_snaps: Vec<Result<Snap, SnapFailure>>,
}

impl StreetMatrix {
    /// Time in seconds from origin `o` to destination `d`, if any.
    pub fn time(&self, o: usize, d: usize) -> Option<f32> {
        let t = self.time_s[o * self.destinations + d];
        t.is_finite().then_some(t)
    }
    /// Length in metres of the fastest path, if any.
    pub fn length(&self, o: usize, d: usize) -> Option<f32> {
        self.time(o, d).map(|_| self.length_m[o * self.destinations + d])
    }
    /// Why `o` to `d` has no time (`None` when it has one).
    pub fn why_none(&self, o: usize, d: usize) -> Option<NoTime> {
        if self.time(o, d).is_some() {
            return None;
        }
        Some(match (&self.origin_snaps[o], &self.destination_snaps[d]) {
            (Err(e), _) => NoTime::OriginOffNetwork(*e),
            (_, Err(e)) => NoTime::DestinationOffNetwork(*e),
            _ => NoTime::NoPath,
        })
    }
}

/// From this many destinations on, a matrix is made by the contraction
/// hierarchy (when the network has one).
pub const HIERARCHY_FROM: usize = 64;

/// How the street matrix searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixEngine {
    /// One reverse search per destination on the network's own arrays (the
    /// plain search of [`super::dijkstra`]): no preparation, so the choice
    /// for one or two destinations.
    Plain,
    /// One reverse search per destination on a [`SearchGraph`] made first
    /// (renumbered along a Hilbert curve, packed arcs, stopping once every
    /// origin is settled): the choice for many destinations.
    SearchGraph,
    /// A customisable contraction hierarchy ([`super::cch`]) made for the
    /// matrix, then one short upward search from each origin and each
    /// destination: times equal the plain search's, lengths are summed in
    /// another order.
    Hierarchy,
}

impl MatrixEngine {
    /// The engine [`street_matrix`] uses for `destinations` destinations:
    /// the search graph pays for its making from about three searches on,
    /// the hierarchy (made once per network, customised once per matrix,
    /// about as long as 60 searches) from [`HIERARCHY_FROM`] on.
    pub fn for_destinations(destinations: usize) -> MatrixEngine {
        if destinations >= HIERARCHY_FROM {
            MatrixEngine::Hierarchy
        } else if destinations >= 3 {
            MatrixEngine::SearchGraph
        } else {
            MatrixEngine::Plain
        }
    }
}

/// Computes the matrix from `origins` to `destinations` on `net` for `period`.
/// Points farther than `max_snap_m` from a usable street get no times (and
/// their snap failure says why). `progress` ticks once per destination's
/// search; once it is cancelled no further search starts. The engine is
/// chosen by [`MatrixEngine::for_destinations`]; every engine gives the same
/// times.
pub fn street_matrix(
    net: &Network,
    period: Period,
    origins: &[LonLat],
    destinations: &[LonLat],
    max_snap_m: f64,
    progress: &Progress,
) -> Result<StreetMatrix, Cancelled> {
    street_matrix_by(MatrixEngine::for_destinations(destinations.len()), net, period, origins, destinations, max_snap_m, progress)
}

/// [`street_matrix`] with the engine chosen by the caller (tests and
/// benchmarks compare them).
pub fn street_matrix_by(
    engine: MatrixEngine,
    net: &Network,
    period: Period,
    origins: &[LonLat],
    destinations: &[LonLat],
    max_snap_m: f64,
    progress: &Progress,
) -> Result<StreetMatrix, Cancelled> {
    let origin_snaps = snaps(net, origins, max_snap_m);
    let destination_snaps = snaps(net, destinations, max_snap_m);
    street_matrix_snapped(engine, net, period, origin_snaps, destination_snaps, progress)
}

/// Each point's snap to `net` within `max_snap_m`, or why it failed.
pub fn snaps(net: &Network, points: &[LonLat], max_snap_m: f64) -> Vec<Result<Snap, SnapFailure>> {
    points.par_iter().map(|p| net.snap(*p, max_snap_m)).collect()
}

/// [`street_matrix_by`] from points already snapped (by [`snaps`]): what a
/// cache of columns calls for the destinations it does not hold.
pub fn street_matrix_snapped(
    engine: MatrixEngine,
    net: &Network,
    period: Period,
    origin_snaps: Vec<Result<Snap, SnapFailure>>,
    destination_snaps: Vec<Result<Snap, SnapFailure>>,
    progress: &Progress,
) -> Result<StreetMatrix, Cancelled> {
    let columns = match engine {
        MatrixEngine::Plain => plain_columns(net, period, &origin_snaps, &destination_snaps, progress)?,
        MatrixEngine::SearchGraph => graph_columns(net, period, &origin_snaps, &destination_snaps, progress)?,
        MatrixEngine::Hierarchy => hierarchy_columns(net, period, &origin_snaps, &destination_snaps, progress)?,
    };
    let (n_o, n_d) = (origin_snaps.len(), destination_snaps.len());
    let mut time_s = vec![f32::INFINITY; n_o * n_d];
    let mut length_m = vec![0.0; n_o * n_d];
    for (d, (ts, ls)) in columns.iter().enumerate() {
        for o in 0..n_o {
            time_s[o * n_d + d] = ts[o];
            length_m[o * n_d + d] = ls[o];
        }
    }
    Ok(StreetMatrix { origins: n_o, destinations: n_d, time_s, length_m, origin_snaps, destination_snaps })
}

/// One column per destination: times (s) and lengths (m) from every origin.
type Columns = Vec<(Vec<f32>, Vec<f32>)>;

/// Door to door from a street time and length: the walks at both ends added.
fn door_to_door(net: &Network, os: &Snap, ds: &Snap, street: (u32, f32)) -> (f32, f32) {
    let walk = net.walk_ms(os.offset_m) as u64 + net.walk_ms(ds.offset_m) as u64;
    (((street.0 as u64 + walk) as f64 / 1000.0) as f32, street.1 + (os.offset_m + ds.offset_m) as f32)
}

/// The columns by the plain search on the network's own arrays.
fn plain_columns(
    net: &Network,
    period: Period,
    origin_snaps: &[Result<Snap, SnapFailure>],
    destination_snaps: &[Result<Snap, SnapFailure>],
    progress: &Progress,
) -> Result<Columns, Cancelled> {
    let p = period.index();
    destination_snaps
        .par_iter()
        .map_init(
            || Search::new(net.state_count()),
            |search, dsnap| {
                progress.check()?;
                if let Ok(ds) = dsnap {
                    search.run(net.reverse(), p, &net.arriving(ds, period), UNREACHED - 1);
                }
                let col = column(net, origin_snaps, dsnap, |_, os, ds| search.best_via(&net.leaving(os, period), net.same_street(os, ds, period)));
                progress.tick();
                Ok(col)
            },
        )
        .collect()
}

/// The columns by searches on a [`SearchGraph`] made for this network and
/// period, each stopping once every origin's states are settled.
fn graph_columns(
    net: &Network,
    period: Period,
    origin_snaps: &[Result<Snap, SnapFailure>],
    destination_snaps: &[Result<Snap, SnapFailure>],
    progress: &Progress,
) -> Result<Columns, Cancelled> {
    progress.check()?;
    let graph = SearchGraph::reverse(net, period);
    // Each origin's states, in the graph's numbering, worked out once.
    let ends: Vec<Option<Vec<(u32, u32, f32)>>> =
        origin_snaps.iter().map(|s| s.as_ref().ok().map(|os| net.leaving(os, period).into_iter().map(|(v, ms, m)| (graph.id(v), ms, m)).collect())).collect();
    let targets = Targets::new(graph.state_count(), ends.iter().flatten().flatten().map(|e| e.0));
    destination_snaps
        .par_iter()
        .map_init(
            || GraphSearch::new(graph.state_count()),
            |search, dsnap| {
                progress.check()?;
                if let Ok(ds) = dsnap {
                    search.run(&graph, &graph.seeds(&net.arriving(ds, period)), Some(&targets));
                }
                let col = column(net, origin_snaps, dsnap, |o, os, ds| search.best_via(ends[o].as_deref()?, net.same_street(os, ds, period)));
                progress.tick();
                Ok(col)
            },
        )
        .collect()
}

/// The columns by a contraction hierarchy made for this network and period.
fn hierarchy_columns(
    net: &Network,
    period: Period,
    origin_snaps: &[Result<Snap, SnapFailure>],
    destination_snaps: &[Result<Snap, SnapFailure>],
    progress: &Progress,
) -> Result<Columns, Cancelled> {
    progress.check()?;
    let Some(cch) = net.hierarchy() else {
        // Too dense a graph for a hierarchy to pay: searches instead.
        return graph_columns(net, period, origin_snaps, destination_snaps, progress);
    };
    progress.check()?;
    let metric = cch.customise(&net.forward, period.index());
    progress.check()?;
    let seeds = |snaps: &[Result<Snap, SnapFailure>], f: &dyn Fn(&Snap) -> Vec<Seed>| -> Vec<Vec<Seed>> {
        snaps.iter().map(|s| s.as_ref().map_or_else(|_| Vec::new(), f)).collect()
    };
    let from = seeds(origin_snaps, &|s| net.leaving(s, period));
    let to = seeds(destination_snaps, &|s| net.arriving(s, period));
    let best = many_to_many(cch, &metric, &from, &to, progress)?;
    let n_d = destination_snaps.len();
    Ok(destination_snaps
        .iter()
        .enumerate()
        .map(|(d, dsnap)| {
            column(net, origin_snaps, dsnap, |o, os, ds| {
                // As `best_via`: the street's own stretch wins a tie.
                match (net.same_street(os, ds, period), best[o * n_d + d]) {
                    (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
                    (a, b) => a.or(b),
                }
            })
        })
        .collect())
}

/// One destination's column: for each origin on the network, the door-to-door
/// time and length of `street(o, origin, destination)` (time ms and length
/// m on the streets), infinite where there is none.
fn column(
    net: &Network,
    origin_snaps: &[Result<Snap, SnapFailure>],
    dsnap: &Result<Snap, SnapFailure>,
    street: impl Fn(usize, &Snap, &Snap) -> Option<(u32, f32)>,
) -> (Vec<f32>, Vec<f32>) {
    let mut times = vec![f32::INFINITY; origin_snaps.len()];
    let mut lengths = vec![0.0f32; origin_snaps.len()];
    if let Ok(ds) = dsnap {
        for (o, osnap) in origin_snaps.iter().enumerate() {
            let Ok(os) = osnap else { continue };
            if let Some(street) = street(o, os, ds) {
                (times[o], lengths[o]) = door_to_door(net, os, ds, street);
            }
        }
    }
    (times, lengths)
}

/// Door-to-door time (s) and length (m) of one journey, by a forward search
/// from the origin: the plain one-pair answer the matrix must agree with.
pub fn one_journey(net: &Network, period: Period, from: LonLat, to: LonLat, max_snap_m: f64) -> Result<(f32, f32), NoTime> {
    let os = net.snap(from, max_snap_m).map_err(NoTime::OriginOffNetwork)?;
    let ds = net.snap(to, max_snap_m).map_err(NoTime::DestinationOffNetwork)?;
    let mut search = Search::new(net.state_count());
    search.run(&net.forward, period.index(), &net.leaving(&os, period), UNREACHED - 1);
    let street = search.best_via(&net.arriving(&ds, period), net.same_street(&os, &ds, period)).ok_or(NoTime::NoPath)?;
    Ok(door_to_door(net, &os, &ds, street))
}
