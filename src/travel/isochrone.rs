//! Isochrones: the areas reachable from one point within 5, 10, 15...
//! minutes, as clean filled bands a planner can publish. A forward search
//! from the point gives times at graph nodes; times are spread along every
//! reached street (a street reached part-way up to the point reached) and
//! then off the street at walking speed, up to [`OFF_STREET_M`], onto a
//! metric grid ([`TimeGrid`]; motorways are driven, never walked off). Each
//! cut-off's reached cells are closed morphologically ([`CLOSE_M`]), holes
//! smaller than [`MIN_HOLE_M2`] filled and specks smaller than
//! [`MIN_PIECE_M2`] dropped, so a band is a few solid shapes with holes only
//! where a large area is out of reach (a lake, a railway yard, land beside a
//! motorway with no junction). The nested areas are contoured with the
//! `contour` crate into non-overlapping bands (each band is its ring minus
//! the nearer ones) and lightly simplified.

use geo::{Coord, LineString, MultiPolygon, Polygon};

use crate::geom::LonLat;
use crate::network::dijkstra::{Search, UNREACHED};
use crate::network::snap::{Snap, SnapFailure};
use crate::network::{Network, Period};
use crate::progress::{Cancelled, Progress};

/// Largest distance walked off a street to reach a grid cell, metres.
pub const OFF_STREET_M: f64 = 250.0;

/// Radius of the morphological closing of each reached area, metres: gaps
/// between reached streets narrower than about twice this are filled.
pub const CLOSE_M: f64 = 150.0;

/// Holes in a reached area smaller than this are filled, square metres.
pub const MIN_HOLE_M2: f64 = 400_000.0;

/// Separate pieces of a reached area smaller than this are dropped (the
/// piece holding the start never is), square metres.
pub const MIN_PIECE_M2: f64 = 250_000.0;

/// Simplification tolerance of the band outlines, in cells.
const SIMPLIFY_CELLS: f64 = 0.2;

/// Why an isochrone was not drawn.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum NoIsochrone {
    /// The start point is too far from a usable street.
    #[error("the start point is off the street network: {0}; choose a point on or near a street")]
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

/// Band colours, nearest first (ColorBrewer RdYlGn, reversed): the app's
/// overlay and exported maps use the same.
pub const BAND_COLOURS: [[u8; 3]; 6] = [[0x1a, 0x98, 0x50], [0x91, 0xcf, 0x60], [0xd9, 0xef, 0x8b], [0xfe, 0xe0, 0x8b], [0xfc, 0x8d, 0x59], [0xd7, 0x30, 0x27]];

/// The colour of band `i` (nearest first); bands past the sixth share the last.
pub fn band_colour(i: usize) -> [u8; 3] {
    BAND_COLOURS[i.min(BAND_COLOURS.len() - 1)]
}

/// One band: the area reached in `from_min` to `to_min` minutes, not
/// overlapping the other bands (the nearer bands are its holes).
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Lower bound, minutes.
    pub from_min: f64,
    /// Upper bound, minutes.
    pub to_min: f64,
    /// Separate polygons.
    pub polygons: usize,
    /// Holes, nearer bands included.
    pub holes: usize,
    /// The band's own area (holes left out), km².
    pub area_km2: f64,
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
    let snap = net.snap(at, max_snap_m)?;
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
/// start): times spread along the reached streets and off them on foot onto
/// a grid ([`TimeGrid`]), then each cut-off's reached area closed, its small
/// holes filled and its specks dropped, and the nested areas contoured into
/// non-overlapping bands. `origin` adds the stretch of the start's own street.
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
    let grid = time_grid(net, period, search, origin, origin_xy, minutes, cell_m, progress)?;
    clean_bands(net, &grid, origin_xy, minutes, progress)
}

/// Travel times on a metric grid: each cell holds the quickest time to it,
/// seconds, over the reached points of the streets nearby (every half cell
/// along each street) plus the straight walk from there, up to
/// [`OFF_STREET_M`]; `f32::INFINITY` where nothing is within reach.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeGrid {
    /// Centre of cell (0, 0), metres in the network's projection.
    pub x0_m: f64,
    /// Centre of cell (0, 0), metres in the network's projection.
    pub y0_m: f64,
    /// Cell size, metres.
    pub cell_m: f64,
    /// Cells across.
    pub nx: usize,
    /// Cells up.
    pub ny: usize,
    /// Seconds per cell, row by row from the south-west.
    pub time_s: Vec<f32>,
}

impl TimeGrid {
    /// The time at the cell nearest `xy` (metres), seconds, if reached.
    pub fn time_at(&self, xy: [f64; 2]) -> Option<f64> {
        let cx = ((xy[0] - self.x0_m) / self.cell_m).round();
        let cy = ((xy[1] - self.y0_m) / self.cell_m).round();
        if cx < 0.0 || cy < 0.0 || cx >= self.nx as f64 || cy >= self.ny as f64 {
            return None;
        }
        let t = self.time_s[cy as usize * self.nx + cx as usize];
        t.is_finite().then_some(t as f64)
    }

    /// The centre of cell (`x`, `y`), metres.
    pub fn centre_m(&self, x: usize, y: usize) -> [f64; 2] {
        [self.x0_m + x as f64 * self.cell_m, self.y0_m + y as f64 * self.cell_m]
    }
}

/// Streets a driver cannot stop on: no one walks off them to a door.
fn no_stopping(class: &str) -> bool {
    matches!(class, "motorway" | "motorway_link")
}

/// Time at each point every half cell along the reached streets (seconds),
/// cut at the last cut-off: a street reached part-way contributes the part
/// reached.
#[allow(clippy::too_many_arguments)]
fn street_samples(
    net: &Network,
    period: Period,
    search: &Search,
    origin: Option<(Snap, u32)>,
    origin_xy: [f64; 2],
    max_s: f64,
    step_m: f64,
    progress: &Progress,
) -> Result<Vec<([f64; 2], f64)>, Cancelled> {
    let times = net.node_times(search);
    let node_t = |v: u32| -> Option<f64> {
        let t = times[v as usize];
        (t != UNREACHED).then_some(t as f64 / 1000.0)
    };
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
        if !on_origin && net.classes.get(s.class as usize).is_some_and(|c| no_stopping(c)) {
            continue;
        }
        let xy: Vec<[f64; 2]> = net.shapes.of(si).iter().map(|q| net.projection.to_xy(*q)).collect();
        let total: f64 = xy.windows(2).map(|w| dist(w[0], w[1])).sum();
        if total <= 0.0 {
            continue;
        }
        let mut along = 0.0;
        for w in xy.windows(2) {
            let seg = dist(w[0], w[1]);
            let n = (seg / step_m).ceil().max(1.0) as usize;
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
                if t <= max_s {
                    samples.push(([w[0][0] + f_seg * (w[1][0] - w[0][0]), w[0][1] + f_seg * (w[1][1] - w[0][1])], t));
                }
            }
            along += seg;
        }
    }
    samples.push((origin_xy, 0.0));
    Ok(samples)
}

/// The grid of times from a finished search (see [`TimeGrid`]).
#[allow(clippy::too_many_arguments)]
pub fn time_grid(
    net: &Network,
    period: Period,
    search: &Search,
    origin: Option<(Snap, u32)>,
    origin_xy: [f64; 2],
    minutes: &[f64],
    cell_m: f64,
    progress: &Progress,
) -> Result<TimeGrid, Cancelled> {
    let max_s = minutes.iter().copied().fold(0.0, f64::max) * 60.0;
    let samples = street_samples(net, period, search, origin, origin_xy, max_s, cell_m / 2.0, progress)?;
    // Room around the reach for the walk off the street, the closing and the blur.
    let pad = OFF_STREET_M + CLOSE_M + 4.0 * cell_m;
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
    let mut time_s = vec![f32::INFINITY; nx * ny];
    let r_cells = (OFF_STREET_M / cell_m).ceil() as i64;
    let walk_spm = 1.0 / net.walk_mps;
    for (i, (q, t)) in samples.iter().enumerate() {
        if i % CHECK_EVERY == 0 {
            progress.check()?;
        }
        let cx = ((q[0] - gx0) / cell_m).round() as i64;
        let cy = ((q[1] - gy0) / cell_m).round() as i64;
        for y in (cy - r_cells).max(0)..=(cy + r_cells).min(ny as i64 - 1) {
            let dy = gy0 + y as f64 * cell_m - q[1];
            let row = y as usize * nx;
            for x in (cx - r_cells).max(0)..=(cx + r_cells).min(nx as i64 - 1) {
                let dx = gx0 + x as f64 * cell_m - q[0];
                let d2 = dx * dx + dy * dy;
                if d2 > OFF_STREET_M * OFF_STREET_M {
                    continue;
                }
                let v = (t + d2.sqrt() * walk_spm) as f32;
                let cell = &mut time_s[row + x as usize];
                if v < *cell {
                    *cell = v;
                }
            }
        }
    }
    Ok(TimeGrid { x0_m: gx0, y0_m: gy0, cell_m, nx, ny, time_s })
}

/// A grey-scale min (`max == false`) or max filter over a disc of `r` cells;
/// cells beyond the grid count as unreached (infinite).
fn disc_filter(v: &[f32], nx: usize, ny: usize, r: usize, max: bool) -> Vec<f32> {
    let pick = |a: f32, b: f32| if max { a.max(b) } else { a.min(b) };
    let init = if max { f32::NEG_INFINITY } else { f32::INFINITY };
    // Rows filtered over every half-width the disc has.
    let widths: Vec<usize> = (0..=r).map(|dy| (((r * r - dy * dy) as f64).sqrt()).floor() as usize).collect();
    let mut distinct = widths.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let rows: Vec<(usize, Vec<f32>)> = distinct
        .iter()
        .map(|&w| {
            let mut out = vec![init; nx * ny];
            for y in 0..ny {
                let row = &v[y * nx..(y + 1) * nx];
                for x in 0..nx {
                    let mut m = if x < w || x + w >= nx { f32::INFINITY } else { init };
                    for &q in &row[x.saturating_sub(w)..(x + w + 1).min(nx)] {
                        m = pick(m, q);
                    }
                    out[y * nx + x] = m;
                }
            }
            (w, out)
        })
        .collect();
    let row_of = |w: usize| rows.iter().find(|(k, _)| *k == w).map(|(_, r)| r);
    let mut out = vec![init; nx * ny];
    for (dy, &w) in widths.iter().enumerate() {
        let Some(h) = row_of(w) else { continue };
        for y in 0..ny {
            for ys in [y as i64 - dy as i64, y as i64 + dy as i64] {
                let o = &mut out[y * nx..(y + 1) * nx];
                if ys < 0 || ys >= ny as i64 {
                    o.iter_mut().for_each(|c| *c = pick(*c, f32::INFINITY));
                } else {
                    let src = &h[ys as usize * nx..(ys as usize + 1) * nx];
                    o.iter_mut().zip(src).for_each(|(c, s)| *c = pick(*c, *s));
                }
                if dy == 0 {
                    break;
                }
            }
        }
    }
    out
}

/// Labels the 4-connected groups of cells where `on` is `want`; returns each
/// cell's group (u32::MAX for the others) and each group's cell count and
/// whether it touches the grid's edge.
fn groups(on: &[bool], nx: usize, ny: usize, want: bool) -> (Vec<u32>, Vec<(usize, bool)>) {
    let mut label = vec![u32::MAX; on.len()];
    let mut info = Vec::new();
    let mut stack = Vec::new();
    for start in 0..on.len() {
        if on[start] != want || label[start] != u32::MAX {
            continue;
        }
        let id = info.len() as u32;
        let (mut count, mut edge) = (0usize, false);
        label[start] = id;
        stack.push(start);
        while let Some(i) = stack.pop() {
            count += 1;
            let (x, y) = (i % nx, i / nx);
            edge |= x == 0 || y == 0 || x + 1 == nx || y + 1 == ny;
            let mut visit = |j: usize| {
                if on[j] == want && label[j] == u32::MAX {
                    label[j] = id;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < nx {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - nx);
            }
            if y + 1 < ny {
                visit(i + nx);
            }
        }
        info.push((count, edge));
    }
    (label, info)
}

/// Nested reached areas, one per cut-off, as cell masks: closed by
/// [`CLOSE_M`], holes under [`MIN_HOLE_M2`] filled, pieces under
/// [`MIN_PIECE_M2`] dropped (but never the piece holding the start). Every
/// step keeps nesting: a cell reached within 10 minutes stays reached within 15.
fn reached_masks(grid: &TimeGrid, origin_xy: [f64; 2], minutes: &[f64], progress: &Progress) -> Result<Vec<Vec<bool>>, Cancelled> {
    let (nx, ny) = (grid.nx, grid.ny);
    let r = (CLOSE_M / grid.cell_m).round() as usize;
    let closed = if r == 0 { grid.time_s.clone() } else { disc_filter(&disc_filter(&grid.time_s, nx, ny, r, false), nx, ny, r, true) };
    progress.check()?;
    let cell_m2 = grid.cell_m * grid.cell_m;
    let ox = ((origin_xy[0] - grid.x0_m) / grid.cell_m).round().clamp(0.0, (nx - 1) as f64) as usize;
    let oy = ((origin_xy[1] - grid.y0_m) / grid.cell_m).round().clamp(0.0, (ny - 1) as f64) as usize;
    let o = oy * nx + ox;
    let mut masks = Vec::with_capacity(minutes.len());
    for &m in minutes {
        progress.check()?;
        let limit = (m * 60.0) as f32;
        // The start is reached at once, whatever the closing did next to it.
        let mut on: Vec<bool> = closed.iter().map(|t| *t <= limit).collect();
        on[o] = true;
        let (label, info) = groups(&on, nx, ny, false);
        for (c, l) in on.iter_mut().zip(&label) {
            if *l != u32::MAX && info[*l as usize].0 as f64 * cell_m2 < MIN_HOLE_M2 && !info[*l as usize].1 {
                *c = true;
            }
        }
        let (label, info) = groups(&on, nx, ny, true);
        let keep = label[o];
        for (c, l) in on.iter_mut().zip(&label) {
            if *l != u32::MAX && *l != keep && (info[*l as usize].0 as f64 * cell_m2) < MIN_PIECE_M2 {
                *c = false;
            }
        }
        masks.push(on);
    }
    Ok(masks)
}

/// Contours nested masks into bands (nearest first): the count of masks
/// holding each cell, lightly blurred, banded at the half steps.
fn clean_bands(net: &Network, grid: &TimeGrid, origin_xy: [f64; 2], minutes: &[f64], progress: &Progress) -> Result<Vec<Band>, Cancelled> {
    use geo::{Area, Simplify};
    let (nx, ny) = (grid.nx, grid.ny);
    let masks = reached_masks(grid, origin_xy, minutes, progress)?;
    let k = masks.len();
    let mut level = vec![0.0f64; nx * ny];
    for m in &masks {
        level.iter_mut().zip(m).for_each(|(l, on)| *l += f64::from(u8::from(*on)));
    }
    // A [1 4 6 4 1] / 16 blur each way: rounds the cells' corners.
    let blur = |v: &[f64], step: usize, len: usize| -> Vec<f64> {
        let mut out = v.to_vec();
        for (i, o) in out.iter_mut().enumerate() {
            let pos = (i / step) % len;
            let at = |d: i64| -> f64 {
                let p = pos as i64 + d;
                if p < 0 || p >= len as i64 { 0.0 } else { v[(i as i64 + d * step as i64) as usize] }
            };
            *o = (at(-2) + 4.0 * at(-1) + 6.0 * at(0) + 4.0 * at(1) + at(2)) / 16.0;
        }
        out
    };
    let level = blur(&blur(&level, 1, nx), nx, ny);
    progress.check()?;
    let thresholds: Vec<f64> = (0..k).map(|j| j as f64 + 0.5).chain(std::iter::once(k as f64 + 1.0)).collect();
    let builder = contour::ContourBuilder::new(nx, ny, true).x_origin(grid.x0_m).y_origin(grid.y0_m).x_step(grid.cell_m).y_step(grid.cell_m);
    let raw = builder.isobands(&level, &thresholds).unwrap_or_default();
    let min_ring_m2 = 2.0 * grid.cell_m * grid.cell_m;
    let to_ll = |c: &Coord<f64>| {
        let ll = net.projection.to_lonlat([c.x, c.y]);
        Coord { x: ll.lon, y: ll.lat }
    };
    let ring = |ls: &LineString<f64>| LineString::new(ls.coords().map(to_ll).collect());
    let mut bands: Vec<Band> = raw
        .into_iter()
        .enumerate()
        .map(|(j, b)| {
            let (mp, _, _) = b.into_inner();
            let polys: Vec<Polygon<f64>> =
                mp.0.into_iter()
                    .filter(|p| ring_area_m2(p.exterior()) >= min_ring_m2)
                    .map(|p| {
                        let holes = p.interiors().iter().filter(|h| ring_area_m2(h) >= min_ring_m2).cloned().collect();
                        Polygon::new(p.exterior().clone(), holes).simplify(grid.cell_m * SIMPLIFY_CELLS)
                    })
                    .collect();
            let metric = MultiPolygon::new(polys);
            let area_km2 = metric.unsigned_area() / 1e6;
            let holes = metric.0.iter().map(|p| p.interiors().len()).sum();
            let area = MultiPolygon::new(metric.0.iter().map(|p| Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect())).collect());
            // Band j of the contour is the cells held by j + 1 masks: the (k - 1 - j)th cut-off's band.
            let i = k - 1 - j;
            let from_min = if i == 0 { 0.0 } else { minutes[i - 1] };
            Band { from_min, to_min: minutes[i], polygons: metric.0.len(), holes, area_km2, area }
        })
        .collect();
    bands.reverse();
    Ok(bands)
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

/// The area a closed ring encloses, square metres (shoelace).
fn ring_area_m2(r: &LineString<f64>) -> f64 {
    r.0.windows(2).map(|w| w[0].x * w[1].y - w[1].x * w[0].y).sum::<f64>().abs() / 2.0
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::osm::OsmData;
    use crate::network::{Profile, StreetMode};

    /// The demo's car network, a search from its centre for 20 minutes, and
    /// the grid from it (50 m cells).
    #[test]
    fn grid_times_match_a_slow_single_source_search_on_the_demo() {
        let osm = OsmData::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("maps/demo/region.osm")).unwrap();
        let profile = Profile::default();
        let net = Network::build(&osm, StreetMode::Car, &profile);
        let (period, at) = (Period::Offpeak, LonLat::new(0.55, 51.3792));
        let snap = net.snap(at, 1000.0).unwrap();
        let start_ms = net.walk_ms(snap.offset_m);
        let seeds: Vec<_> = net.leaving(&snap, period).into_iter().map(|(v, t, l)| (v, t + start_ms, l)).collect();
        let mut search = Search::new(net.state_count());
        search.run(&net.forward, period.index(), &seeds, 20 * 60_000);
        let origin_xy = net.projection.to_xy(at);
        let origin = Some((snap, start_ms));
        let grid = time_grid(&net, period, &search, origin, origin_xy, &[20.0], 50.0, &Progress::new()).unwrap();
        // The slow twin of the spreading: every reached street sampled every
        // metre, and each cell's time the best over all of them.
        let fine = street_samples(&net, period, &search, origin, origin_xy, 1200.0, 1.0, &Progress::new()).unwrap();
        let brute = |xy: [f64; 2]| -> Option<f64> {
            fine.iter().filter(|(q, _)| dist(*q, xy) <= OFF_STREET_M).map(|(q, t)| t + dist(*q, xy) / net.walk_mps).min_by(f64::total_cmp)
        };
        let reached: Vec<(usize, usize)> =
            (0..grid.ny).flat_map(|y| (0..grid.nx).map(move |x| (x, y))).filter(|&(x, y)| grid.time_s[y * grid.nx + x].is_finite()).collect();
        let (mut checked, mut on_street, mut close) = (0, 0, 0);
        for &(x, y) in reached.iter().step_by(reached.len() / 60) {
            let xy = grid.centre_m(x, y);
            let fast = grid.time_s[y * grid.nx + x] as f64;
            // Spreading: the half-cell sampling costs at most a quarter cell of walking.
            let slow = brute(xy).unwrap();
            assert!(fast >= slow - 0.01 && fast <= slow + 12.5 / net.walk_mps + 0.01, "cell {x},{y}: grid {fast:.1} s, slow twin {slow:.1} s");
            checked += 1;
            // Searching: a cell on a street is no later than the plain turn-aware
            // Dijkstra of the reference to the street there, plus the walk.
            let cell_ll = net.projection.to_lonlat(xy);
            let Ok(to) = net.snap(cell_ll, 1000.0) else { continue };
            if to.offset_m > 20.0 || to.crosses_obstacle() {
                continue;
            }
            let Some(street_ms) = crate::network::reference::slow_time_ms(&net, &profile, period, &snap, &to) else { continue };
            let twin = (start_ms + street_ms + net.walk_ms(to.offset_m)) as f64 / 1000.0;
            if twin > 20.0 * 60.0 {
                continue;
            }
            on_street += 1;
            assert!(fast <= twin + 12.5 / net.walk_mps + 1.0, "cell {x},{y}: grid {fast:.1} s, reference search {twin:.1} s");
            if fast >= twin - 15.0 {
                close += 1;
            }
        }
        eprintln!("checked {checked} cells, {on_street} on a street, {close} within 15 s of the reference");
        assert_eq!(checked, 61);
        assert_eq!((on_street, close), (15, 15));
    }
}
