//! Snapping points to the street network: a packed R-tree over the streets'
//! segments in a local metric projection. A point goes to the nearest point
//! of the streets the mode may use whose straight link from the point does
//! not cross water, a railway or a motorway ([`obstacles`]); the straight
//! line from the point to the street is walked. When every street within
//! reach lies across such a barrier, the nearest is taken and the snap says
//! so ([`Snap::crosses_obstacle`]). Public transport stops keep the plain
//! nearest street ([`Snapper::snap_nearest`]): a stop stands on the street,
//! or the railway, it serves.
//!
//! The segments are held in a static packed R-tree (crate
//! `static_aabb2d_index`: boxes sorted along a Hilbert curve, built in one
//! pass; a county's two million segments in a third of a second, against two
//! seconds or more for an R*-tree's bulk load). Segments at the same
//! distance are taken in their order in the street list, so a point at a
//! junction goes to the same street whatever the tree's shape.

pub mod obstacles;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use static_aabb2d_index::{Control, StaticAABB2DIndex, StaticAABB2DIndexBuilder};

use crate::geom::{LocalProjection, LonLat};
use crate::network::graph::Street;
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

/// Spatial index over street segments.
#[derive(Debug, Clone)]
pub struct Snapper {
    /// The segments' bounding boxes; item `i` is segment `i`.
    index: StaticAABB2DIndex<f64>,
    /// Every street's segments, street by street: street `s`'s from
    /// `seg_first[s]` on.
    segs: Vec<Segment>,
    /// Distance from each street's first point to the start of each of its
    /// segments, metres (local projection): street `s`'s segments from
    /// `seg_first[s]` on, one flat array.
    seg_start_m: Vec<f64>,
    /// Where each street's segments start in `seg_start_m`.
    seg_first: Vec<u32>,
    /// Each street's length in the local projection, metres.
    street_len_m: Vec<f64>,
    /// What a link to the street must not cross.
    obstacles: Obstacles,
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
    /// Indexes the segments of `streets`, with no obstacles: every point goes
    /// to its nearest street (see [`Snapper::with_obstacles`]).
    pub fn new(streets: &[Street], proj: &LocalProjection) -> Self {
        let n_segs: usize = streets.iter().map(|s| s.points.len().saturating_sub(1)).sum();
        let mut segs: Vec<Segment> = Vec::with_capacity(n_segs);
        let mut seg_start_m = Vec::with_capacity(n_segs);
        let mut seg_first = Vec::with_capacity(streets.len() + 1);
        let mut street_len_m = Vec::with_capacity(streets.len());
        let mut xy: Vec<[f64; 2]> = Vec::new();
        for s in streets {
            xy.clear();
            xy.extend(s.points.iter().map(|p| proj.to_xy(*p)));
            seg_first.push(seg_start_m.len() as u32);
            let mut acc = 0.0;
            for w in xy.windows(2) {
                seg_start_m.push(acc);
                acc += ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt();
                segs.push([w[0], w[1]]);
            }
            street_len_m.push(acc);
        }
        seg_first.push(seg_start_m.len() as u32);
        let mut boxes = StaticAABB2DIndexBuilder::<f64>::new(segs.len());
        for [a, b] in &segs {
            boxes.add(a[0].min(b[0]), a[1].min(b[1]), a[0].max(b[0]), a[1].max(b[1]));
        }
        // The builder fails only when fewer or more boxes are added than it
        // was sized for, or on a cast from f64 to f64.
        let index = boxes.build().unwrap_or_else(|e| unreachable!("one box added per segment: {e}"));
        Snapper { index, segs, seg_start_m, seg_first, street_len_m, obstacles: Obstacles::none() }
    }

    /// The street segment `seg` belongs to.
    fn street_of(&self, seg: u32) -> u32 {
        (self.seg_first.partition_point(|&f| f <= seg) - 1) as u32
    }

    /// Visits the segments nearest first (by distance, then by their order
    /// in the street list) with their squared distance from `q`, for as long
    /// as `visit` returns true.
    fn visit_nearest(&self, q: [f64; 2], mut visit: impl FnMut(u32, f64) -> bool) {
        // The tree gives boxes nearest first; a segment is never nearer than
        // its box, so those waiting in the heap nearer than the latest box
        // come before every segment not yet seen. Squared distances are not
        // negative, so their bits order as they do.
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
            waiting.push(Reverse((distance_2(&self.segs[i], q).to_bits(), i as u32)));
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

    /// Snaps a point, or says why it cannot be: the nearest position on the
    /// streets within `max_m` whose straight link does not cross a barrier,
    /// trying segments nearest first over at most [`MAX_CANDIDATE_STREETS`]
    /// streets; failing that, the nearest position, marked as crossing.
    pub fn snap(&self, p: LonLat, proj: &LocalProjection, max_m: f64) -> Result<Snap, SnapFailure> {
        self.snap_among(p, proj, max_m, MAX_CANDIDATE_STREETS)
    }

    /// The nearest position on any street within `max_m`, whatever lies
    /// between: for public transport stops, which stand on the street they
    /// serve (a station on its railway, whose footbridges the network may
    /// not hold). [`Snap::crosses`] still says when the link crosses a barrier.
    pub fn snap_nearest(&self, p: LonLat, proj: &LocalProjection, max_m: f64) -> Result<Snap, SnapFailure> {
        let q = proj.to_xy(p);
        let mut nearest = None;
        self.visit_nearest(q, |seg, d2| {
            nearest = Some((seg, d2));
            false
        });
        let (seg, d2) = nearest.ok_or(SnapFailure::EmptyNetwork)?;
        let d = d2.sqrt();
        if d > max_m {
            return Err(SnapFailure::TooFar { nearest_m: d, limit_m: max_m });
        }
        let (t, at) = foot(&self.segs[seg as usize], q);
        Ok(self.place(seg, t, at, d, self.obstacles.crossed(q, at), proj))
    }

    /// [`Snapper::snap`] trying at most `max_streets` streets.
    pub fn snap_among(&self, p: LonLat, proj: &LocalProjection, max_m: f64, max_streets: usize) -> Result<Snap, SnapFailure> {
        let q = proj.to_xy(p);
        let mut nearest: Option<(u32, f64, Option<ObstacleKind>)> = None;
        let mut clear: Option<(u32, f64)> = None;
        let mut too_far = None;
        let mut streets: Vec<u32> = Vec::new();
        self.visit_nearest(q, |seg, d2| {
            let d = d2.sqrt();
            if d > max_m {
                if nearest.is_none() {
                    too_far = Some(d);
                }
                return false;
            }
            let street = self.street_of(seg);
            if !streets.contains(&street) {
                if streets.len() == max_streets {
                    return false;
                }
                streets.push(street);
            }
            let (_, at) = foot(&self.segs[seg as usize], q);
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
        let (t, at) = foot(&self.segs[seg as usize], q);
        Ok(self.place(seg, t, at, d, crossed, proj))
    }

    /// The snap on segment `seg` at share `t` of it (position `at`).
    fn place(&self, seg: u32, t: f64, at: [f64; 2], d: f64, crosses: Option<ObstacleKind>, proj: &LocalProjection) -> Snap {
        let si = self.street_of(seg);
        let [a, b] = self.segs[seg as usize];
        let seg_len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt();
        let along = self.seg_start_m[seg as usize] + t * seg_len;
        let total = self.street_len_m[si as usize];
        let fraction = if total > 0.0 { (along / total).clamp(0.0, 1.0) } else { 0.0 };
        Snap { street: si, fraction, offset_m: d, on_street: proj.to_lonlat(at), crosses }
    }

    /// The same answer by brute force: every segment within `max_m` sorted by
    /// distance, each link checked against every barrier segment. The slow
    /// twin for tests.
    #[cfg(test)]
    pub fn snap_slowly(&self, p: LonLat, proj: &LocalProjection, max_m: f64) -> Result<Snap, SnapFailure> {
        let q = proj.to_xy(p);
        let mut all: Vec<(f64, u32)> = self.segs.iter().enumerate().map(|(i, s)| (distance_2(s, q).sqrt(), i as u32)).collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let &(d0, first) = all.first().ok_or(SnapFailure::EmptyNetwork)?;
        if d0 > max_m {
            return Err(SnapFailure::TooFar { nearest_m: d0, limit_m: max_m });
        }
        let mut streets = Vec::new();
        for &(d, seg) in all.iter().take_while(|(d, _)| *d <= max_m) {
            let street = self.street_of(seg);
            if !streets.contains(&street) {
                if streets.len() == MAX_CANDIDATE_STREETS {
                    break;
                }
                streets.push(street);
            }
            let (t, at) = foot(&self.segs[seg as usize], q);
            if self.obstacles.crossed_slowly(q, at).is_none() {
                return Ok(self.place(seg, t, at, d, None, proj));
            }
        }
        let (t, at) = foot(&self.segs[first as usize], q);
        Ok(self.place(first, t, at, d0, self.obstacles.crossed_slowly(q, at), proj))
    }

    /// Segments within `radius_m` of a point: (street, distance m).
    pub fn streets_near(&self, p: [f64; 2], radius_m: f64) -> impl Iterator<Item = (u32, f64)> + '_ {
        let r = radius_m;
        self.index
            .query(p[0] - r, p[1] - r, p[0] + r, p[1] + r)
            .into_iter()
            .map(move |i| (self.street_of(i as u32), distance_2(&self.segs[i], p).sqrt()))
            .filter(move |&(_, d)| d <= r)
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
