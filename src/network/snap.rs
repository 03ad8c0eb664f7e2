//! Snapping points to the street network: a packed R-tree over the streets'
//! bounding boxes in a local metric projection. A point goes to the nearest
//! point of the streets the mode may use whose straight link from the point
//! does not cross water, a railway or a motorway ([`obstacles`]); the
//! straight line from the point to the street is walked. When every street
//! within reach lies across such a barrier, the nearest is taken and the
//! snap says so ([`Snap::crosses_obstacle`]). Public transport stops keep
//! the plain nearest street ([`Snapper::snap_nearest`]): a stop stands on
//! the street, or the railway, it serves.
//!
//! The boxes are held in a static packed R-tree (crate `static_aabb2d_index`:
//! boxes sorted along a Hilbert curve, built in one pass; a county's two
//! million streets in a third of a second, against two seconds or more for
//! an R*-tree's bulk load). The index keeps no copy of the shapes: the
//! segments of the streets whose boxes a search meets are projected from
//! the network's [`Shapes`] then. Segments are visited by true distance, and
//! those at the same distance in their order in the street list, so a point
//! at a junction goes to the same street whatever the tree's shape.

pub mod obstacles;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use static_aabb2d_index::{Control, StaticAABB2DIndex, StaticAABB2DIndexBuilder};

use crate::geom::{LocalProjection, LonLat};
use crate::network::graph::Shapes;
use obstacles::{ObstacleKind, Obstacles};

/// Default largest distance from a point to the street it snaps to, metres.
pub const DEFAULT_MAX_SNAP_M: f64 = 1_000.0;

/// Most distinct streets tried, nearest first, before giving up on finding
/// one that is not across a barrier. On Newport's 475 output areas, 8
/// leaves 7 car links across a barrier that 32 brings down to 2 (the rest
/// have nothing else within a kilometre); more changes nothing.
pub const MAX_CANDIDATE_STREETS: usize = 32;

/// A link from a point to its street longer than this is listed in the notes
/// on travel times, metres.
pub const LONG_LINK_M: f64 = 300.0;

/// A street segment's ends in the local projection, metres.
type Segment = [[f64; 2]; 2];

/// Spatial index over the streets' shapes. It holds one box per street and
/// no copy of the shapes: the segments met during a search are projected
/// from the network's [`Shapes`] as they are needed (the same arithmetic as
/// a stored copy, so the same answers to the bit), which on the 1M-junction
/// county leaves out 96 MB of segment ends and running lengths.
#[derive(Debug, Clone)]
pub struct Snapper {
    /// The streets' bounding boxes (local projection); item `i` is street `i`.
    index: StaticAABB2DIndex<f64>,
    /// Street `s`'s segments are numbered from `seg_first[s]` on, so that a
    /// segment number orders segments in street-list order.
    seg_first: Vec<u32>,
    /// What a link to the street must not cross.
    obstacles: Obstacles,
}

/// The streets' shapes a [`Snapper`] indexes, with their projection.
#[derive(Clone, Copy)]
struct Lines<'a> {
    shapes: &'a Shapes,
    proj: &'a LocalProjection,
}

impl Lines<'_> {
    /// Segment `k` of street `street`.
    fn segment(&self, street: u32, k: u32) -> Segment {
        let pts = self.shapes.of(street as usize);
        [self.proj.to_xy(pts[k as usize]), self.proj.to_xy(pts[k as usize + 1])]
    }
    /// Distance along street `street` to the start of its segment `k`, and
    /// the street's whole length, metres (local projection).
    fn along(&self, street: u32, k: u32) -> (f64, f64) {
        let pts = self.shapes.of(street as usize);
        let (mut start, mut acc) = (0.0, 0.0);
        for (i, w) in pts.windows(2).enumerate() {
            if i == k as usize {
                start = acc;
            }
            let (a, b) = (self.proj.to_xy(w[0]), self.proj.to_xy(w[1]));
            acc += ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt();
        }
        (start, acc)
    }
}

/// Where a point meets the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The street it lies on.
    pub street: u32,
    /// Share of the street's length from its first point (0..=1).
    pub fraction: f64,
    /// Straight-line distance from the point to the street, metres.
    pub offset_m: f64,
    /// The snapped position on the street.
    pub on_street: LonLat,
    /// The barrier the straight link crosses, when every street within reach
    /// lies across one (the nearest street was taken all the same).
    pub crosses: Option<ObstacleKind>,
}

impl Snap {
    /// Whether the straight link from the point to the street crosses water,
    /// a railway or a motorway.
    pub fn crosses_obstacle(&self) -> bool {
        self.crosses.is_some()
    }

    /// Whether the link deserves a note: longer than [`LONG_LINK_M`] or
    /// across a barrier.
    pub fn is_long_link(&self) -> bool {
        self.offset_m > LONG_LINK_M || self.crosses.is_some()
    }
}

/// Why a point could not be placed on the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SnapFailure {
    /// The nearest usable street is farther than the limit.
    TooFar {
        /// Distance to the nearest usable street, metres.
        nearest_m: f64,
        /// The limit in force, metres.
        limit_m: f64,
    },
    /// The network has no streets at all.
    EmptyNetwork,
}

impl std::fmt::Display for SnapFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapFailure::TooFar { nearest_m, limit_m } => {
                write!(f, "nearest usable street is {:.0} m away (limit {:.0} m)", nearest_m, limit_m)
            }
            SnapFailure::EmptyNetwork => write!(f, "the street network is empty"),
        }
    }
}

impl Snapper {
    /// Indexes the streets of `shapes`, with no obstacles: every point goes
    /// to its nearest street (see [`Snapper::with_obstacles`]).
    pub fn new(shapes: &Shapes, proj: &LocalProjection) -> Self {
        let mut seg_first = Vec::with_capacity(shapes.len() + 1);
        let mut boxes = StaticAABB2DIndexBuilder::<f64>::new(shapes.len());
        let mut n_segs = 0u32;
        for shape in shapes.iter() {
            seg_first.push(n_segs);
            n_segs += shape.len().saturating_sub(1) as u32;
            let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
            for p in shape {
                let [x, y] = proj.to_xy(*p);
                b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
            }
            if shape.is_empty() {
                b = [0.0; 4]; // holds no segment: visited, never snapped to
            }
            boxes.add(b[0], b[1], b[2], b[3]);
        }
        seg_first.push(n_segs);
        // The builder fails only when fewer or more boxes are added than it
        // was sized for, or on a cast from f64 to f64.
        let index = boxes.build().unwrap_or_else(|e| unreachable!("one box added per street: {e}"));
        Snapper { index, seg_first, obstacles: Obstacles::none() }
    }

    /// The street segment number `seg` belongs to, and its place in it.
    fn street_of(&self, seg: u32) -> (u32, u32) {
        let s = self.seg_first.partition_point(|&f| f <= seg) - 1;
        (s as u32, seg - self.seg_first[s])
    }

    /// Segment number `seg`.
    fn segment(&self, lines: Lines, seg: u32) -> Segment {
        let (s, k) = self.street_of(seg);
        lines.segment(s, k)
    }

    /// Visits the segments nearest first (by distance, then by their order
    /// in the street list) with their squared distance from `q`, for as long
    /// as `visit` returns true.
    fn visit_nearest(&self, lines: Lines, q: [f64; 2], mut visit: impl FnMut(u32, f64) -> bool) {
        // The tree gives streets' boxes nearest first; a segment is never
        // nearer than its street's box, so those waiting in the heap nearer
        // than the latest box come before every segment not yet seen.
        // Squared distances are not negative, so their bits order as they do.
        let mut waiting: BinaryHeap<Reverse<(u64, u32)>> = BinaryHeap::new();
        let mut stopped = false;
        self.index.visit_neighbors(q[0], q[1], &mut |i: usize, box_d2: f64| {
            while let Some(&Reverse((d2, seg))) = waiting.peek() {
                if f64::from_bits(d2) >= box_d2 {
                    break;
                }
                waiting.pop();
                if !visit(seg, f64::from_bits(d2)) {
                    stopped = true;
                    return Control::Break(());
                }
            }
            for seg in self.seg_first[i]..self.seg_first[i + 1] {
                let k = seg - self.seg_first[i];
                waiting.push(Reverse((distance_2(&lines.segment(i as u32, k), q).to_bits(), seg)));
            }
            Control::Continue
        });
        while let Some(Reverse((d2, seg))) = waiting.pop().filter(|_| !stopped) {
            if !visit(seg, f64::from_bits(d2)) {
                return;
            }
        }
    }

    /// The same index with barriers that links must not cross (in the same projection).
    pub fn with_obstacles(self, obstacles: Obstacles) -> Self {
        Snapper { obstacles, ..self }
    }

    /// The barriers links are checked against.
    pub fn obstacles(&self) -> &Obstacles {
        &self.obstacles
    }

    /// Snaps a point onto the streets of `shapes` (those the index was made
    /// of, in projection `proj`), or says why it cannot be: the nearest
    /// position on the streets within `max_m` whose straight link does not
    /// cross a barrier, trying segments nearest first over at most
    /// [`MAX_CANDIDATE_STREETS`] streets; failing that, the nearest
    /// position, marked as crossing.
    pub fn snap(&self, shapes: &Shapes, p: LonLat, proj: &LocalProjection, max_m: f64) -> Result<Snap, SnapFailure> {
        self.snap_among(shapes, p, proj, max_m, MAX_CANDIDATE_STREETS)
    }

    /// The nearest position on any street within `max_m`, whatever lies
    /// between: for public transport stops, which stand on the street they
    /// serve (a station on its railway, whose footbridges the network may
    /// not hold). [`Snap::crosses`] still says when the link crosses a barrier.
    pub fn snap_nearest(&self, shapes: &Shapes, p: LonLat, proj: &LocalProjection, max_m: f64) -> Result<Snap, SnapFailure> {
        let lines = Lines { shapes, proj };
        let q = proj.to_xy(p);
        let mut nearest = None;
        self.visit_nearest(lines, q, |seg, d2| {
            nearest = Some((seg, d2));
            false
        });
        let (seg, d2) = nearest.ok_or(SnapFailure::EmptyNetwork)?;
        let d = d2.sqrt();
        if d > max_m {
            return Err(SnapFailure::TooFar { nearest_m: d, limit_m: max_m });
        }
        let (t, at) = foot(&self.segment(lines, seg), q);
        Ok(self.place(lines, seg, t, at, d, self.obstacles.crossed(q, at)))
    }

    /// [`Snapper::snap`] trying at most `max_streets` streets.
    pub fn snap_among(&self, shapes: &Shapes, p: LonLat, proj: &LocalProjection, max_m: f64, max_streets: usize) -> Result<Snap, SnapFailure> {
        let lines = Lines { shapes, proj };
        let q = proj.to_xy(p);
        let mut nearest: Option<(u32, f64, Option<ObstacleKind>)> = None;
        let mut clear: Option<(u32, f64)> = None;
        let mut too_far = None;
        let mut streets: Vec<u32> = Vec::new();
        self.visit_nearest(lines, q, |seg, d2| {
            let d = d2.sqrt();
            if d > max_m {
                if nearest.is_none() {
                    too_far = Some(d);
                }
                return false;
            }
            let (street, _) = self.street_of(seg);
            if !streets.contains(&street) {
                if streets.len() == max_streets {
                    return false;
                }
                streets.push(street);
            }
            let (_, at) = foot(&self.segment(lines, seg), q);
            let crossed = self.obstacles.crossed(q, at);
            if crossed.is_none() {
                clear = Some((seg, d));
                return false;
            }
            if nearest.is_none() {
                nearest = Some((seg, d, crossed));
            }
            true
        });
        if let Some(d) = too_far {
            return Err(SnapFailure::TooFar { nearest_m: d, limit_m: max_m });
        }
        let (seg, d, crossed) = match clear {
            Some((seg, d)) => (seg, d, None),
            None => nearest.ok_or(SnapFailure::EmptyNetwork)?,
        };
        let (t, at) = foot(&self.segment(lines, seg), q);
        Ok(self.place(lines, seg, t, at, d, crossed))
    }

    /// The snap on segment `seg` at share `t` of it (position `at`).
    fn place(&self, lines: Lines, seg: u32, t: f64, at: [f64; 2], d: f64, crosses: Option<ObstacleKind>) -> Snap {
        let (si, k) = self.street_of(seg);
        let [a, b] = lines.segment(si, k);
        let seg_len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt();
        let (start, total) = lines.along(si, k);
        let along = start + t * seg_len;
        let fraction = if total > 0.0 { (along / total).clamp(0.0, 1.0) } else { 0.0 };
        Snap { street: si, fraction, offset_m: d, on_street: lines.proj.to_lonlat(at), crosses }
    }

    /// The same answer by brute force: every segment within `max_m` sorted by
    /// distance, each link checked against every barrier segment. The slow
    /// twin for tests.
    #[cfg(test)]
    pub fn snap_slowly(&self, shapes: &Shapes, p: LonLat, proj: &LocalProjection, max_m: f64) -> Result<Snap, SnapFailure> {
        let lines = Lines { shapes, proj };
        let q = proj.to_xy(p);
        let n_segs = *self.seg_first.last().unwrap_or(&0);
        let mut all: Vec<(f64, u32)> = (0..n_segs).map(|i| (distance_2(&self.segment(lines, i), q).sqrt(), i)).collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let &(d0, first) = all.first().ok_or(SnapFailure::EmptyNetwork)?;
        if d0 > max_m {
            return Err(SnapFailure::TooFar { nearest_m: d0, limit_m: max_m });
        }
        let mut streets = Vec::new();
        for &(d, seg) in all.iter().take_while(|(d, _)| *d <= max_m) {
            let (street, _) = self.street_of(seg);
            if !streets.contains(&street) {
                if streets.len() == MAX_CANDIDATE_STREETS {
                    break;
                }
                streets.push(street);
            }
            let (t, at) = foot(&self.segment(lines, seg), q);
            if self.obstacles.crossed_slowly(q, at).is_none() {
                return Ok(self.place(lines, seg, t, at, d, None));
            }
        }
        let (t, at) = foot(&self.segment(lines, first), q);
        Ok(self.place(lines, first, t, at, d0, self.obstacles.crossed_slowly(q, at)))
    }

    /// Streets with a segment within `radius_m` of a point (local
    /// projection): (street, distance m to that segment), a street once per
    /// such segment.
    pub fn streets_near<'a>(&'a self, shapes: &'a Shapes, proj: &'a LocalProjection, p: [f64; 2], radius_m: f64) -> impl Iterator<Item = (u32, f64)> + 'a {
        let lines = Lines { shapes, proj };
        let r = radius_m;
        self.index.query(p[0] - r, p[1] - r, p[0] + r, p[1] + r).into_iter().flat_map(move |i| {
            (0..self.seg_first[i + 1] - self.seg_first[i])
                .map(move |k| (i as u32, distance_2(&lines.segment(i as u32, k), p).sqrt()))
                .filter(move |&(_, d)| d <= r)
        })
    }
}

/// The squared distance from `q` to the nearest point of `seg`.
fn distance_2(seg: &Segment, q: [f64; 2]) -> f64 {
    let (_, at) = foot(seg, q);
    (at[0] - q[0]).powi(2) + (at[1] - q[1]).powi(2)
}

/// The point of `seg` nearest to `q`: its share along the segment and its position.
fn foot(seg: &Segment, q: [f64; 2]) -> (f64, [f64; 2]) {
    let [a, b] = *seg;
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let l2 = dx * dx + dy * dy;
    let t = if l2 > 0.0 { (((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / l2).clamp(0.0, 1.0) } else { 0.0 };
    (t, [a[0] + t * dx, a[1] + t * dy])
}

#[cfg(test)]
mod tests;
