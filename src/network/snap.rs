//! Snapping points to the street network: an R*-tree over the streets'
//! segments in a local metric projection. A point goes to the nearest point
//! on the nearest street the mode may use; the straight line from the point
//! to the street is walked.

use rstar::primitives::{GeomWithData, Line};
use rstar::{PointDistance, RTree};

use crate::geom::{LocalProjection, LonLat};
use crate::network::graph::Street;

/// Default largest distance from a point to the street it snaps to, metres.
pub const DEFAULT_MAX_SNAP_M: f64 = 1_000.0;

type Segment = GeomWithData<Line<[f64; 2]>, (u32, u32)>;

/// Spatial index over street segments.
#[derive(Debug, Clone)]
pub struct Snapper {
    tree: RTree<Segment>,
    /// Distance from each street's first point to the start of each of its
    /// segments, metres (local projection), indexed `[street][segment]`.
    seg_start_m: Vec<Vec<f64>>,
    /// Each street's length in the local projection, metres.
    street_len_m: Vec<f64>,
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
    /// Indexes the segments of `streets`.
    pub fn new(streets: &[Street], proj: &LocalProjection) -> Self {
        let mut segs = Vec::new();
        let mut seg_start_m = Vec::with_capacity(streets.len());
        let mut street_len_m = Vec::with_capacity(streets.len());
        for (si, s) in streets.iter().enumerate() {
            let xy: Vec<[f64; 2]> = s.points.iter().map(|p| proj.to_xy(*p)).collect();
            let mut starts = Vec::with_capacity(xy.len().saturating_sub(1));
            let mut acc = 0.0;
            for (k, w) in xy.windows(2).enumerate() {
                starts.push(acc);
                acc += ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt();
                segs.push(GeomWithData::new(Line::new(w[0], w[1]), (si as u32, k as u32)));
            }
            seg_start_m.push(starts);
            street_len_m.push(acc);
        }
        Snapper { tree: RTree::bulk_load(segs), seg_start_m, street_len_m }
    }

    /// Snaps a point, or says why it cannot be.
    pub fn snap(&self, p: LonLat, proj: &LocalProjection, max_m: f64) -> Result<Snap, SnapFailure> {
        let q = proj.to_xy(p);
        let seg = self.tree.nearest_neighbor(q).ok_or(SnapFailure::EmptyNetwork)?;
        let d = seg.geom().distance_2(&q).sqrt();
        if d > max_m {
            return Err(SnapFailure::TooFar { nearest_m: d, limit_m: max_m });
        }
        let (si, k) = seg.data;
        let (a, b) = (seg.geom().from, seg.geom().to);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let l2 = dx * dx + dy * dy;
        let t = if l2 > 0.0 { (((q[0] - a[0]) * dx + (q[1] - a[1]) * dy) / l2).clamp(0.0, 1.0) } else { 0.0 };
        let along = self.seg_start_m[si as usize][k as usize] + t * l2.sqrt();
        let total = self.street_len_m[si as usize];
        let fraction = if total > 0.0 { (along / total).clamp(0.0, 1.0) } else { 0.0 };
        let on_street = proj.to_lonlat([a[0] + t * dx, a[1] + t * dy]);
        Ok(Snap { street: si, fraction, offset_m: d, on_street })
    }

    /// Segments within `radius_m` of a point: (street, distance m).
    pub fn streets_near(&self, p: [f64; 2], radius_m: f64) -> impl Iterator<Item = (u32, f64)> + '_ {
        self.tree.locate_within_distance(p, radius_m * radius_m).map(move |s| (s.data.0, s.geom().distance_2(&p).sqrt()))
    }
}
