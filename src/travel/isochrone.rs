//! Isochrones: the areas reachable from one point within 5, 10, 15...
//! minutes. A forward search from the point gives times at graph nodes;
//! times are spread along every reached street and then off the street at
//! walking speed onto a grid (in a local metric projection), and the grid is
//! contoured into nested bands with the `contour` crate (marching squares).

use geo::{Coord, LineString, MultiPolygon, Polygon};

use crate::geom::LonLat;
use crate::network::dijkstra::{Search, UNREACHED};
use crate::network::snap::{Snap, SnapFailure};
use crate::network::{Network, Period};
use crate::progress::{Cancelled, Progress};

/// Largest distance walked off a street to reach a grid cell, metres.
pub const OFF_STREET_M: f64 = 250.0;

/// Why an isochrone was not drawn.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum NoIsochrone {
    /// The start point is too far from a usable street.
    #[error("the start point cannot be placed on the network: {0}")]
    OffNetwork(SnapFailure),
    /// Cancel was asked for before it was finished.
    #[error("cancelled")]
    Cancelled,
}

impl From<SnapFailure> for NoIsochrone {
    fn from(f: SnapFailure) -> Self {
        NoIsochrone::OffNetwork(f)
    }
}

impl From<Cancelled> for NoIsochrone {
    fn from(_: Cancelled) -> Self {
        NoIsochrone::Cancelled
    }
}

/// Streets or samples handled between two looks at the cancel flag.
const CHECK_EVERY: usize = 4096;

/// One band: the area reached in `from_min` to `to_min` minutes.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Lower bound, minutes.
    pub from_min: f64,
    /// Upper bound, minutes.
    pub to_min: f64,
    /// The area, in WGS84 lon/lat.
    pub area: MultiPolygon<f64>,
}

/// The isochrone of one point.
#[derive(Debug, Clone, PartialEq)]
pub struct Isochrone {
    /// Where it starts.
    pub origin: LonLat,
    /// How the origin met the network.
    pub snap: Snap,
    /// Bands, nearest first.
    pub bands: Vec<Band>,
    /// Grid cell size used, metres.
    pub cell_m: f64,
}

/// Computes bands at `minutes` (ascending, e.g. 5, 10, 15, 20) from `at`.
/// `progress` ticks after the search and after the bands; Cancel stops the work.
pub fn isochrone(
    net: &Network,
    period: Period,
    at: LonLat,
    minutes: &[f64],
    max_snap_m: f64,
    cell_m: f64,
    progress: &Progress,
) -> Result<Isochrone, NoIsochrone> {
    let snap = net.snapper.snap(at, &net.projection, max_snap_m)?;
    let max_min = minutes.iter().copied().fold(0.0, f64::max);
    let limit_ms = (max_min * 60_000.0) as u32;
    let start_ms = net.walk_ms(snap.offset_m);
    let seeds: Vec<_> = net.leaving(&snap, period).into_iter().map(|(v, t, l)| (v, t + start_ms, l)).collect();
    let mut search = Search::new(net.state_count());
    search.run(&net.forward, period.index(), &seeds, limit_ms);
    progress.tick();
    let bands = bands_from_search(net, period, &search, Some((snap, start_ms)), net.projection.to_xy(at), minutes, cell_m, progress)?;
    progress.tick();
    Ok(Isochrone { origin: at, snap, bands, cell_m })
}

/// Bands from a finished forward search on `net` (node times in ms from the
/// start): times spread along the reached streets and off them on foot, then
/// contoured. `origin` adds the stretch of the start's own street.
#[allow(clippy::too_many_arguments)]
pub fn bands_from_search(
    net: &Network,
    period: Period,
    search: &Search,
    origin: Option<(Snap, u32)>,
    origin_xy: [f64; 2],
    minutes: &[f64],
    cell_m: f64,
    progress: &Progress,
) -> Result<Vec<Band>, Cancelled> {
    let max_min = minutes.iter().copied().fold(0.0, f64::max);
    let times = net.node_times(search);
    let node_t = |v: u32| -> Option<f64> {
        let t = times[v as usize];
        (t != UNREACHED).then_some(t as f64 / 1000.0)
    };

    // Sample times along every street reached, every half cell.
    let step = cell_m / 2.0;
    let p = period.index();
    let mut samples: Vec<([f64; 2], f64)> = Vec::new();
    for (si, s) in net.streets.iter().enumerate() {
        if si % CHECK_EVERY == 0 {
            progress.check()?;
        }
        let (ta, tb) = (node_t(s.a), node_t(s.b));
        let on_origin = origin.is_some_and(|(o, _)| si as u32 == o.street);
        if ta.is_none() && tb.is_none() && !on_origin {
            continue;
        }
        let xy: Vec<[f64; 2]> = s.points.iter().map(|q| net.projection.to_xy(*q)).collect();
        let total: f64 = xy.windows(2).map(|w| dist(w[0], w[1])).sum();
        if total <= 0.0 {
            continue;
        }
        let mut along = 0.0;
        for w in xy.windows(2) {
            let seg = dist(w[0], w[1]);
            let n = (seg / step).ceil().max(1.0) as usize;
            for k in 0..=n {
                let f_seg = k as f64 / n as f64;
                let f = ((along + f_seg * seg) / total).clamp(0.0, 1.0);
                let mut t = f64::INFINITY;
                if let (Some(ta), Some(w_ab)) = (ta, s.forward_ms) {
                    t = t.min(ta + f * w_ab[p] as f64 / 1000.0);
                }
                if let (Some(tb), Some(w_ba)) = (tb, s.backward_ms) {
                    t = t.min(tb + (1.0 - f) * w_ba[p] as f64 / 1000.0);
                }
                if let (true, Some((snap, start_ms))) = (on_origin, origin) {
                    let d = f - snap.fraction;
                    if let Some(w) = if d >= 0.0 { s.forward_ms } else { s.backward_ms } {
                        t = t.min(start_ms as f64 / 1000.0 + d.abs() * w[p] as f64 / 1000.0);
                    }
                }
                if t <= max_min * 60.0 {
                    samples.push(([w[0][0] + f_seg * (w[1][0] - w[0][0]), w[0][1] + f_seg * (w[1][1] - w[0][1])], t));
                }
            }
            along += seg;
        }
    }
    samples.push((origin_xy, 0.0));

    // Spread onto a grid at walking speed, up to OFF_STREET_M from the street.
    let pad = OFF_STREET_M + 2.0 * cell_m;
    let (mut x0, mut y0, mut x1, mut y1) = (origin_xy[0], origin_xy[1], origin_xy[0], origin_xy[1]);
    for (q, _) in &samples {
        x0 = x0.min(q[0]);
        y0 = y0.min(q[1]);
        x1 = x1.max(q[0]);
        y1 = y1.max(q[1]);
    }
    let (gx0, gy0) = (x0 - pad, y0 - pad);
    let nx = ((x1 + pad - gx0) / cell_m).ceil() as usize + 1;
    let ny = ((y1 + pad - gy0) / cell_m).ceil() as usize + 1;
    let unreached = max_min * 60.0 * 10.0 + 1.0;
    let mut grid = vec![unreached; nx * ny];
    let r_cells = (OFF_STREET_M / cell_m).ceil() as i64;
    for (i, (q, t)) in samples.iter().enumerate() {
        if i % CHECK_EVERY == 0 {
            progress.check()?;
        }
        let cx = ((q[0] - gx0) / cell_m).round() as i64;
        let cy = ((q[1] - gy0) / cell_m).round() as i64;
        for dy in -r_cells..=r_cells {
            for dx in -r_cells..=r_cells {
                let (x, y) = (cx + dx, cy + dy);
                if x < 0 || y < 0 || x >= nx as i64 || y >= ny as i64 {
                    continue;
                }
                let c = [gx0 + x as f64 * cell_m, gy0 + y as f64 * cell_m];
                let d = dist(*q, c);
                if d > OFF_STREET_M {
                    continue;
                }
                let v = t + d / net.walk_mps;
                let cell = &mut grid[y as usize * nx + x as usize];
                if v < *cell {
                    *cell = v;
                }
            }
        }
    }
    let mut thresholds: Vec<f64> = std::iter::once(0.0).chain(minutes.iter().map(|m| m * 60.0)).collect();
    thresholds.dedup();
    let builder = contour::ContourBuilder::new(nx, ny, true).x_origin(gx0).y_origin(gy0).x_step(cell_m).y_step(cell_m);
    let raw = builder.isobands(&grid, &thresholds).unwrap_or_default();
    let to_ll = |c: &Coord<f64>| {
        let ll = net.projection.to_lonlat([c.x, c.y]);
        Coord { x: ll.lon, y: ll.lat }
    };
    let ring = |ls: &LineString<f64>| LineString::new(ls.coords().map(to_ll).collect());
    Ok(raw
        .into_iter()
        .map(|b| {
            let (mp, lo, hi) = b.into_inner();
            let area = MultiPolygon::new(mp.0.iter().map(|poly| Polygon::new(ring(poly.exterior()), poly.interiors().iter().map(ring).collect())).collect());
            Band { from_min: lo / 60.0, to_min: hi / 60.0, area }
        })
        .collect())
}

/// A bus isochrone: leaving `at` at `depart_s` (seconds after midnight of
/// the timetable's day), walking to stops, riding (RAPTOR), and walking on
/// from every stop reached, or walking all the way; bands as for the street
/// modes. Times include the wait for the first bus.
pub fn bus_isochrone(
    router: &crate::transit::BusRouter<'_>,
    at: LonLat,
    depart_s: u32,
    minutes: &[f64],
    cell_m: f64,
    progress: &Progress,
) -> Result<Isochrone, NoIsochrone> {
    use crate::transit::{Raptor, RaptorOptions};
    let (tt, walk, opts) = (router.timetable, router.network(), &router.options);
    progress.check()?;
    let snap = router.snap(at)?;
    let mut search = router.search();
    let access = router.access(&mut search, at, &snap);
    progress.tick();
    progress.check()?;
    let mut raptor = Raptor::new(tt, RaptorOptions { max_transfers: opts.max_transfers, board_slack_s: opts.board_slack_s });
    raptor.run(&access, depart_s);
    progress.tick();
    progress.check()?;
    let max_ms = (minutes.iter().copied().fold(0.0, f64::max) * 60_000.0) as u32;
    // Seeds: the walk from the door, and every stop reached by bus at its arrival time.
    let start_ms = walk.walk_ms(snap.offset_m);
    let mut seeds: Vec<_> = walk.leaving(&snap, Period::Offpeak).into_iter().map(|(v, t, l)| (v, t + start_ms, l)).collect();
    for s in 0..tt.stops.len() {
        let arr = raptor.ride_arrival(s);
        if arr == u32::MAX || arr < depart_s {
            continue;
        }
        let Some(ss) = router.walker.stop_snap(s) else { continue };
        let at_stop_ms = (arr - depart_s).saturating_mul(1000) + walk.walk_ms(ss.offset_m);
        if at_stop_ms < max_ms {
            seeds.extend(walk.leaving(ss, Period::Offpeak).into_iter().map(|(v, t, l)| (v, t + at_stop_ms, l)));
        }
    }
    search.run(&walk.forward, Period::Offpeak.index(), &seeds, max_ms);
    progress.tick();
    let bands = bands_from_search(walk, Period::Offpeak, &search, Some((snap, start_ms)), walk.projection.to_xy(at), minutes, cell_m, progress)?;
    progress.tick();
    Ok(Isochrone { origin: at, snap, bands, cell_m })
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}
