//! Level of detail for the map's raster at county scale: which streets a
//! view draws and how finely zone outlines are drawn.
//!
//! Streets: main roads first (motorway, trunk and primary, then secondary
//! and tertiary), residential streets only when zoomed in far enough
//! ([`MIN_SCALE`]), and a class is left out, with every class after it,
//! once the segments in view would pass [`SEGMENT_BUDGET`]. The count
//! comes from a per-class grid of segment counts (an upper bound, read in
//! constant time from prefix sums); the lines come from a per-class R-tree,
//! so a zoomed-in view only touches the streets in view.
//!
//! Zones: each ring simplified (Douglas-Peucker, `geo::Simplify`) to about a
//! pixel for the zoom, cached per zoom band (a factor of two in scale); a
//! ring too small to keep three points keeps four of its own instead, so no
//! zone disappears.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::map::{Ring, StreetLine, ZoneShape};

/// Whether the map draws with level of detail: yes unless the environment
/// says `ACCESSPLAN_MAP_LOD=off` (the benchmark's baseline).
pub fn enabled() -> bool {
    std::env::var("ACCESSPLAN_MAP_LOD").map_or(true, |v| v != "off")
}

/// Level-of-detail classes (`StreetLine::lod`): 0 motorway, trunk and
/// primary; 1 secondary and tertiary; 2 residential and minor; 3 paths.
pub const RANKS: usize = 4;

/// At most this many street segments are rasterised for one view.
pub const SEGMENT_BUDGET: usize = 150_000;

/// The smallest scale (screen points per metre) at which each class is
/// drawn at all: secondary and tertiary roads from 500 m a point,
/// residential streets from 33 m a point (a town filling the map), paths
/// from 10 m a point.
pub const MIN_SCALE: [f64; RANKS] = [0.0, 0.002, 0.03, 0.1];

/// Cells per side of the count grids.
const GRID: usize = 128;

type Entry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// The streets of one class: an R-tree of their boxes and a grid of segment counts.
struct ClassIndex {
    tree: RTree<Entry>,
    /// Prefix sums of segments per cell, `(GRID + 1)²`, row-major by y.
    sums: Vec<u64>,
}

/// The street layer, indexed by class and place.
pub struct StreetIndex {
    /// Extent of the streets, metres: min x, min y, max x, max y.
    extent: [f64; 4],
    classes: Vec<ClassIndex>,
}

impl std::fmt::Debug for StreetIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreetIndex").field("extent", &self.extent).field("lines", &self.classes.iter().map(|c| c.tree.size()).collect::<Vec<_>>()).finish()
    }
}

/// The streets one view draws.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreetSelection {
    /// Line indices (into the geometry's streets) per level-of-detail class; empty for classes left out.
    pub lines: Vec<Vec<u32>>,
    /// Segments of the lines selected.
    pub segments: usize,
    /// Classes drawn (a prefix of 0..RANKS).
    pub ranks_drawn: usize,
}

fn segments_of(s: &StreetLine) -> u64 {
    s.pts.len().saturating_sub(1) as u64
}

impl StreetIndex {
    /// Indexes `streets`.
    pub fn new(streets: &[StreetLine]) -> StreetIndex {
        let mut extent = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for s in streets {
            extent = [extent[0].min(s.bbox[0]), extent[1].min(s.bbox[1]), extent[2].max(s.bbox[2]), extent[3].max(s.bbox[3])];
        }
        if streets.is_empty() {
            extent = [0.0, 0.0, 1.0, 1.0];
        }
        let mut entries: Vec<Vec<Entry>> = (0..RANKS).map(|_| Vec::new()).collect();
        let mut counts = vec![vec![0u64; GRID * GRID]; RANKS];
        let probe = StreetIndex { extent, classes: Vec::new() };
        for (i, s) in streets.iter().enumerate() {
            let r = (s.lod as usize).min(RANKS - 1);
            entries[r].push(GeomWithData::new(Rectangle::from_corners([s.bbox[0], s.bbox[1]], [s.bbox[2], s.bbox[3]]), i as u32));
            let (c0, c1) = probe.cells(&s.bbox);
            for cy in c0[1]..=c1[1] {
                for cx in c0[0]..=c1[0] {
                    counts[r][cy * GRID + cx] += segments_of(s);
                }
            }
        }
        let classes = entries
            .into_iter()
            .zip(counts)
            .map(|(e, c)| {
                let mut sums = vec![0u64; (GRID + 1) * (GRID + 1)];
                for y in 0..GRID {
                    for x in 0..GRID {
                        sums[(y + 1) * (GRID + 1) + x + 1] =
                            c[y * GRID + x] + sums[y * (GRID + 1) + x + 1] + sums[(y + 1) * (GRID + 1) + x] - sums[y * (GRID + 1) + x];
                    }
                }
                ClassIndex { tree: RTree::bulk_load(e), sums }
            })
            .collect();
        StreetIndex { extent, classes }
    }

    /// The grid cells (inclusive corners) a box overlaps, clamped to the grid.
    fn cells(&self, b: &[f64; 4]) -> ([usize; 2], [usize; 2]) {
        let (w, h) = ((self.extent[2] - self.extent[0]).max(1e-9), (self.extent[3] - self.extent[1]).max(1e-9));
        let cx = |x: f64| (((x - self.extent[0]) / w * GRID as f64).floor().max(0.0) as usize).min(GRID - 1);
        let cy = |y: f64| (((y - self.extent[1]) / h * GRID as f64).floor().max(0.0) as usize).min(GRID - 1);
        ([cx(b[0]), cy(b[1])], [cx(b[2]), cy(b[3])])
    }

    /// At least the number of segments of level-of-detail class `rank` whose boxes overlap `view`.
    pub fn segments_at_most(&self, rank: usize, view: &[f64; 4]) -> u64 {
        if view[2] < self.extent[0] || view[0] > self.extent[2] || view[3] < self.extent[1] || view[1] > self.extent[3] {
            return 0;
        }
        let (c0, c1) = self.cells(view);
        let s = &self.classes[rank].sums;
        let at = |x: usize, y: usize| s[y * (GRID + 1) + x];
        at(c1[0] + 1, c1[1] + 1) + at(c0[0], c0[1]) - at(c0[0], c1[1] + 1) - at(c1[0] + 1, c0[1])
    }

    /// The streets to draw in `view` (metres) at `scale` (points per metre):
    /// whole classes in rank order while each is allowed at this scale and
    /// the segments in view stay within `budget`.
    pub fn select(&self, streets: &[StreetLine], view: &[f64; 4], scale: f64, budget: usize) -> StreetSelection {
        let mut sel = StreetSelection { lines: vec![Vec::new(); RANKS], ..Default::default() };
        let mut bound = 0u64;
        for (rank, &min_scale) in MIN_SCALE.iter().enumerate() {
            if scale < min_scale {
                break;
            }
            bound += self.segments_at_most(rank, view);
            if bound > budget as u64 {
                break;
            }
            let env = AABB::from_corners([view[0], view[1]], [view[2], view[3]]);
            let lines: Vec<u32> = self.classes[rank].tree.locate_in_envelope_intersecting(env).map(|e| e.data).collect();
            sel.segments += lines.iter().map(|&i| segments_of(&streets[i as usize]) as usize).sum::<usize>();
            sel.lines[rank] = lines;
            sel.ranks_drawn = rank + 1;
        }
        sel
    }
}

/// A zoom band: `floor(log2(pixels per metre))`.
pub fn band_of(px_per_m: f64) -> i32 {
    px_per_m.max(1e-9).log2().floor() as i32
}

/// The simplification tolerance of a band, metres: half a pixel at the
/// band's largest scale, so at most a pixel anywhere in the band.
pub fn tolerance_m(band: i32) -> f64 {
    0.5 / 2f64.powi(band)
}

/// One ring simplified to `tol_m`; a ring that would keep fewer than three
/// points keeps four of its own, evenly spaced.
pub fn simplify_ring(pts: &[[f64; 2]], tol_m: f64) -> Vec<[f64; 2]> {
    use geo::Simplify;
    if pts.len() <= 4 {
        return pts.to_vec();
    }
    let closed: geo::LineString<f64> = pts.iter().chain(pts.first()).map(|p| geo::coord! { x: p[0], y: p[1] }).collect();
    let mut out: Vec<[f64; 2]> = closed.simplify(tol_m).0.into_iter().map(|c| [c.x, c.y]).collect();
    out.pop();
    if out.len() < 3 {
        let n = pts.len();
        out = (0..4).map(|k| pts[k * n / 4]).collect();
    }
    out
}

/// The zones simplified for each zoom band drawn so far.
#[derive(Default)]
pub struct ZoneLod {
    bands: Mutex<HashMap<i32, Arc<[ZoneShape]>>>,
}

impl std::fmt::Debug for ZoneLod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZoneLod").finish_non_exhaustive()
    }
}

impl ZoneLod {
    /// `zones` simplified for the band of `px_per_m`, computed once per band.
    pub fn zones(&self, zones: &Arc<[ZoneShape]>, px_per_m: f64) -> Arc<[ZoneShape]> {
        let band = band_of(px_per_m);
        if let Some(z) = self.bands.lock().unwrap_or_else(|e| e.into_inner()).get(&band) {
            return z.clone();
        }
        let simplified = simplify_zones(zones, tolerance_m(band));
        self.bands.lock().unwrap_or_else(|e| e.into_inner()).insert(band, simplified.clone());
        simplified
    }
}

/// Every zone with each ring simplified to `tol_m` (same zones, same order).
pub fn simplify_zones(zones: &[ZoneShape], tol_m: f64) -> Arc<[ZoneShape]> {
    zones
        .iter()
        .map(|z| ZoneShape { rings: z.rings.iter().map(|r| Ring { pts: simplify_ring(&r.pts, tol_m), bbox: r.bbox }).collect(), bbox: z.bbox })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lattice of streets 60 m apart, `n` x `n`, one segment each: every
    /// 16th line tertiary (class 1), every 64th primary (class 0), the rest residential (class 2).
    fn lattice(n: usize) -> Vec<StreetLine> {
        let mut v = Vec::new();
        for k in 0..n {
            let lod = if k % 64 == 0 {
                0
            } else if k % 16 == 0 {
                1
            } else {
                2
            };
            for m in 0..n - 1 {
                let (a, b) = (k as f64 * 60.0, m as f64 * 60.0);
                for pts in [vec![[a, b], [a, b + 60.0]], vec![[b, a], [b + 60.0, a]]] {
                    let bbox = [pts[0][0], pts[0][1], pts[1][0], pts[1][1]];
                    v.push(StreetLine { pts, rank: lod + 1, lod, bbox });
                }
            }
        }
        v
    }

    #[test]
    fn the_grid_bound_is_never_below_the_true_count_and_the_tree_finds_what_a_scan_finds() {
        let streets = lattice(200);
        let ix = StreetIndex::new(&streets);
        for view in [[0.0, 0.0, 12_000.0, 12_000.0], [3000.0, 2000.0, 4000.0, 2600.0], [-50.0, 5000.0, 700.0, 5200.0], [20_000.0, 0.0, 30_000.0, 10.0]] {
            let sel = ix.select(&streets, &view, 1.0, usize::MAX);
            assert_eq!(sel.ranks_drawn, RANKS);
            for rank in 0..RANKS {
                // The slow twin: every street of the class whose box overlaps the view.
                let scan: Vec<u32> = (0..streets.len() as u32)
                    .filter(|&i| {
                        let b = streets[i as usize].bbox;
                        streets[i as usize].lod as usize == rank && b[0] <= view[2] && b[2] >= view[0] && b[1] <= view[3] && b[3] >= view[1]
                    })
                    .collect();
                let mut got = sel.lines[rank].clone();
                got.sort_unstable();
                assert_eq!(got, scan, "rank {rank}, view {view:?}");
                assert!(ix.segments_at_most(rank, &view) >= scan.len() as u64, "rank {rank}, view {view:?}");
            }
        }
    }

    #[test]
    fn a_ring_keeps_its_corners_and_a_tiny_one_keeps_four_points() {
        // A 100 m square with a point every metre along its edges.
        let mut sq = Vec::new();
        for (a, b) in [([0.0, 0.0], [1.0, 0.0]), ([100.0, 0.0], [0.0, 1.0]), ([100.0, 100.0], [-1.0, 0.0]), ([0.0, 100.0], [0.0, -1.0])] {
            for k in 0..100 {
                sq.push([a[0] + b[0] * k as f64, a[1] + b[1] * k as f64]);
            }
        }
        let s = simplify_ring(&sq, 1.0);
        assert_eq!(s, vec![[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [0.0, 100.0]]);
        // A tolerance larger than the square would leave a line: four of its points instead.
        let t = simplify_ring(&sq, 500.0);
        assert_eq!(t.len(), 4);
        assert!(t.iter().all(|p| sq.contains(p)));
        assert_eq!(band_of(1.0), 0);
        assert_eq!(band_of(0.3), -2);
        assert!(tolerance_m(band_of(0.3)) <= 1.0 / 0.3 && tolerance_m(band_of(0.3)) >= 0.5 / 0.3);
    }
}
