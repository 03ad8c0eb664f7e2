//! Snapping points to the street network: an R*-tree over the streets'
//! segments in a local metric projection. A point goes to the nearest point
//! of the streets the mode may use whose straight link from the point does
//! not cross water, a railway or a motorway ([`obstacles`]); the straight
//! line from the point to the street is walked. When every street within
//! reach lies across such a barrier, the nearest is taken and the snap says
//! so ([`Snap::crosses_obstacle`]). Public transport stops keep the plain
//! nearest street ([`Snapper::snap_nearest`]): a stop stands on the street,
//! or the railway, it serves.

pub mod obstacles;

use rstar::primitives::{CachedEnvelope, GeomWithData, Line};
use rstar::{PointDistance, RTree};

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

/// A street segment with its bounding box worked out once (building and
/// searching the tree ask for it again and again), tagged (street, segment).
type Segment = GeomWithData<CachedEnvelope<Line<[f64; 2]>>, (u32, u32)>;

/// Spatial index over street segments.
#[derive(Debug, Clone)]
pub struct Snapper {
    tree: RTree<Segment>,
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
        let mut segs = Vec::with_capacity(n_segs);
        let mut seg_start_m = Vec::with_capacity(n_segs);
        let mut seg_first = Vec::with_capacity(streets.len() + 1);
        let mut street_len_m = Vec::with_capacity(streets.len());
        let mut xy: Vec<[f64; 2]> = Vec::new();
        for (si, s) in streets.iter().enumerate() {
            xy.clear();
            xy.extend(s.points.iter().map(|p| proj.to_xy(*p)));
            seg_first.push(seg_start_m.len() as u32);
            let mut acc = 0.0;
            for (k, w) in xy.windows(2).enumerate() {
                seg_start_m.push(acc);
                acc += ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt();
                segs.push(GeomWithData::new(CachedEnvelope::new(Line::new(w[0], w[1])), (si as u32, k as u32)));
            }
            street_len_m.push(acc);
        }
        seg_first.push(seg_start_m.len() as u32);
        Snapper { tree: RTree::bulk_load(segs), seg_start_m, seg_first, street_len_m, obstacles: Obstacles::none() }
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
        let (seg, d2) = self.tree.nearest_neighbor_with_distance_2(q).ok_or(SnapFailure::EmptyNetwork)?;
        let d = d2.sqrt();
        if d > max_m {
            return Err(SnapFailure::TooFar { nearest_m: d, limit_m: max_m });
        }
        let (t, at) = foot(seg, q);
        Ok(self.place(seg, t, at, d, self.obstacles.crossed(q, at), proj))
    }

    /// [`Snapper::snap`] trying at most `max_streets` streets.
    pub fn snap_among(&self, p: LonLat, proj: &LocalProjection, max_m: f64, max_streets: usize) -> Result<Snap, SnapFailure> {
        let q = proj.to_xy(p);
        let mut nearest: Option<(&Segment, f64, Option<ObstacleKind>)> = None;
        let mut streets: Vec<u32> = Vec::new();
        for (seg, d2) in self.tree.nearest_neighbor_iter_with_distance_2(q) {
            let d = d2.sqrt();
            if d > max_m {
                if nearest.is_none() {
                    return Err(SnapFailure::TooFar { nearest_m: d, limit_m: max_m });
                }
                break;
            }
            if !streets.contains(&seg.data.0) {
                if streets.len() == max_streets {
                    break;
                }
                streets.push(seg.data.0);
            }
            let (t, at) = foot(seg, q);
            let crossed = self.obstacles.crossed(q, at);
            if crossed.is_none() {
                return Ok(self.place(seg, t, at, d, None, proj));
            }
            if nearest.is_none() {
                nearest = Some((seg, d, crossed));
            }
        }
        let (seg, d, crossed) = nearest.ok_or(SnapFailure::EmptyNetwork)?;
        let (t, at) = foot(seg, q);
        Ok(self.place(seg, t, at, d, crossed, proj))
    }

    /// The snap on segment `seg` at share `t` of it (position `at`).
    fn place(&self, seg: &Segment, t: f64, at: [f64; 2], d: f64, crosses: Option<ObstacleKind>, proj: &LocalProjection) -> Snap {
        let (si, k) = seg.data;
        let (a, b) = (seg.geom().from, seg.geom().to);
        let seg_len = ((b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2)).sqrt();
        let along = self.seg_start_m[(self.seg_first[si as usize] + k) as usize] + t * seg_len;
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
        let mut all: Vec<(f64, &Segment)> = self.tree.iter().map(|s| (s.geom().distance_2(&q).sqrt(), s)).collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        let &(d0, first) = all.first().ok_or(SnapFailure::EmptyNetwork)?;
        if d0 > max_m {
            return Err(SnapFailure::TooFar { nearest_m: d0, limit_m: max_m });
        }
        let mut streets = Vec::new();
        for &(d, seg) in all.iter().take_while(|(d, _)| *d <= max_m) {
            if !streets.contains(&seg.data.0) {
                if streets.len() == MAX_CANDIDATE_STREETS {
                    break;
                }
                streets.push(seg.data.0);
            }
            let (t, at) = foot(seg, q);
            if self.obstacles.crossed_slowly(q, at).is_none() {
                return Ok(self.place(seg, t, at, d, None, proj));
            }
        }
        let (t, at) = foot(first, q);
        Ok(self.place(first, t, at, d0, self.obstacles.crossed_slowly(q, at), proj))
    }

    /// Segments within `radius_m` of a point: (street, distance m).
    pub fn streets_near(&self, p: [f64; 2], radius_m: f64) -> impl Iterator<Item = (u32, f64)> + '_ {
        self.tree.locate_within_distance(p, radius_m * radius_m).map(move |s| (s.data.0, s.geom().distance_2(&p).sqrt()))
    }
}

/// The point of `seg` nearest to `q`: its share along the segment and its position.
fn foot(seg: &Segment, q: [f64; 2]) -> (f64, [f64; 2]) {
    let (a, b) = (seg.geom().from, seg.geom().to);
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let l2 = dx * dx + dy * dy;
    let t = if l2 > 0.0 { (((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / l2).clamp(0.0, 1.0) } else { 0.0 };
    (t, [a[0] + t * dx, a[1] + t * dy])
}

#[cfg(test)]
mod tests;
