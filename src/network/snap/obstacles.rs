//! What the straight walk from a door to the street must not cross: water
//! (rivers, canals, docks, lakes), railways and motorways, taken from the OSM
//! extract as line segments in the network's local projection and indexed
//! in an R*-tree. Areas count by their outlines. Ways in a tunnel (or a
//! culvert) are no obstacle, nor are railways and motorways on a bridge
//! (one can pass under them). Water mapped only as a multipolygon relation
//! is not read (the OSM reader keeps ways only); rivers also have their
//! `waterway=river` centre line, which is enough to stop a link across them.

use rstar::primitives::{CachedEnvelope, GeomWithData, Line};
use rstar::{AABB, RTree};

use crate::geom::LocalProjection;
use crate::input::osm::{OsmData, OsmWay, tag};

/// What kind of barrier a segment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObstacleKind {
    /// A river, canal, dock or other water: its line or its outline.
    Water,
    /// A railway line above ground.
    Railway,
    /// A motorway carriageway above ground.
    Motorway,
}

impl ObstacleKind {
    /// The kind in plain words.
    pub fn name(self) -> &'static str {
        match self {
            ObstacleKind::Water => "water",
            ObstacleKind::Railway => "a railway",
            ObstacleKind::Motorway => "a motorway",
        }
    }
}

/// The kind of barrier an OSM way is, if it is one.
pub fn obstacle_kind(way: &OsmWay) -> Option<ObstacleKind> {
    let t = |k: &str| tag(&way.tags, k);
    let yes = |k: &str| t(k).is_some_and(|v| v != "no");
    if yes("tunnel") {
        return None;
    }
    if matches!(t("waterway"), Some("river" | "canal" | "riverbank" | "dock")) || t("natural") == Some("water") || t("water").is_some() {
        return Some(ObstacleKind::Water);
    }
    if yes("bridge") {
        return None;
    }
    if matches!(t("railway"), Some("rail" | "light_rail" | "narrow_gauge" | "subway")) {
        return Some(ObstacleKind::Railway);
    }
    if t("highway") == Some("motorway") {
        return Some(ObstacleKind::Motorway);
    }
    None
}

type Piece = GeomWithData<CachedEnvelope<Line<[f64; 2]>>, ObstacleKind>;

/// Barrier segments of one region, in a local projection.
#[derive(Debug, Clone, Default)]
pub struct Obstacles {
    tree: RTree<Piece>,
}

/// A link shorter than this past the obstacle still counts as touching, not
/// crossing, at its street end: a link ending on a motorway it snaps to, or
/// on a bridge street over a river, does not cross it.
const END_TOLERANCE_M: f64 = 0.5;

impl Obstacles {
    /// No obstacles at all: every link is accepted.
    pub fn none() -> Obstacles {
        Obstacles::default()
    }

    /// The barriers of `osm`, projected with `proj`.
    pub fn from_osm(osm: &OsmData, proj: &LocalProjection) -> Obstacles {
        let mut pieces = Vec::new();
        for w in &osm.ways {
            let Some(kind) = obstacle_kind(w) else { continue };
            let xy: Vec<[f64; 2]> = w.nodes.iter().filter_map(|n| osm.nodes.get(n)).map(|p| proj.to_xy(*p)).collect();
            pieces.extend(xy.windows(2).filter(|s| s[0] != s[1]).map(|s| GeomWithData::new(CachedEnvelope::new(Line::new(s[0], s[1])), kind)));
        }
        Obstacles { tree: RTree::bulk_load(pieces) }
    }

    /// Obstacles from segments already in the local projection (tests and fixtures).
    pub fn from_segments(segments: impl IntoIterator<Item = ([f64; 2], [f64; 2], ObstacleKind)>) -> Obstacles {
        Obstacles { tree: RTree::bulk_load(segments.into_iter().map(|(a, b, k)| GeomWithData::new(CachedEnvelope::new(Line::new(a, b)), k)).collect()) }
    }

    /// Number of segments.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Segments of each kind: (water, railway, motorway).
    pub fn counts(&self) -> (usize, usize, usize) {
        self.tree.iter().fold((0, 0, 0), |(w, r, m), p| match p.data {
            ObstacleKind::Water => (w + 1, r, m),
            ObstacleKind::Railway => (w, r + 1, m),
            ObstacleKind::Motorway => (w, r, m + 1),
        })
    }

    /// The first barrier the straight line from `from` to `to` crosses, if
    /// any. Touching within half a metre of `to` does not count.
    pub fn crossed(&self, from: [f64; 2], to: [f64; 2]) -> Option<ObstacleKind> {
        if self.tree.size() == 0 {
            return None;
        }
        let bbox = AABB::from_corners(from, to);
        self.tree.locate_in_envelope_intersecting(bbox).find(|p| crosses(from, to, p.geom().from, p.geom().to)).map(|p| p.data)
    }

    /// The same answer by testing every segment: the slow twin for tests.
    #[cfg(test)]
    pub fn crossed_slowly(&self, from: [f64; 2], to: [f64; 2]) -> Option<ObstacleKind> {
        self.tree.iter().find(|p| crosses(from, to, p.geom().from, p.geom().to)).map(|p| p.data)
    }
}

/// Whether the link `p`→`q` crosses the segment `a`–`b`: they meet at a
/// point of `a`–`b` lying on the link before its last half metre.
/// Parallel segments never cross.
pub fn crosses(p: [f64; 2], q: [f64; 2], a: [f64; 2], b: [f64; 2]) -> bool {
    let r = [q[0] - p[0], q[1] - p[1]];
    let s = [b[0] - a[0], b[1] - a[1]];
    let denom = r[0] * s[1] - r[1] * s[0];
    if denom.abs() < 1e-12 {
        return false;
    }
    let ap = [a[0] - p[0], a[1] - p[1]];
    let t = (ap[0] * s[1] - ap[1] * s[0]) / denom; // along the link
    let u = (ap[0] * r[1] - ap[1] * r[0]) / denom; // along the obstacle
    let len = (r[0] * r[0] + r[1] * r[1]).sqrt();
    (0.0..=1.0).contains(&u) && t >= 0.0 && t * len < len - END_TOLERANCE_M
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_crosses_a_line_it_passes_through_but_not_one_it_ends_on() {
        let river = ([-100.0, 0.0], [100.0, 0.0]);
        assert!(crosses([0.0, -20.0], [5.0, 40.0], river.0, river.1));
        assert!(!crosses([0.0, -20.0], [5.0, -1.0], river.0, river.1), "stops short");
        assert!(!crosses([0.0, -20.0], [0.0, 0.0], river.0, river.1), "ends on it: a street on a bridge, a motorway it snaps to");
        assert!(!crosses([0.0, -20.0], [0.0, 0.3], river.0, river.1), "within half a metre of the end");
        assert!(!crosses([150.0, -20.0], [150.0, 40.0], river.0, river.1), "passes beyond its end");
        assert!(!crosses([-50.0, 5.0], [50.0, 5.0], river.0, river.1), "parallel");
    }

    #[test]
    fn tunnels_culverts_and_bridges_are_no_obstacle() {
        let way = |tags: &[(&str, &str)]| {
            let mut tags: Vec<(String, String)> = tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            tags.sort();
            OsmWay { id: 1, nodes: vec![1, 2], tags }
        };
        assert_eq!(obstacle_kind(&way(&[("waterway", "river")])), Some(ObstacleKind::Water));
        assert_eq!(obstacle_kind(&way(&[("waterway", "river"), ("tunnel", "culvert")])), None);
        assert_eq!(obstacle_kind(&way(&[("waterway", "stream")])), None, "streams are stepped over");
        assert_eq!(obstacle_kind(&way(&[("natural", "water"), ("water", "pond")])), Some(ObstacleKind::Water));
        assert_eq!(obstacle_kind(&way(&[("railway", "rail")])), Some(ObstacleKind::Railway));
        assert_eq!(obstacle_kind(&way(&[("railway", "rail"), ("tunnel", "yes")])), None);
        assert_eq!(obstacle_kind(&way(&[("railway", "rail"), ("bridge", "viaduct")])), None);
        assert_eq!(obstacle_kind(&way(&[("railway", "rail"), ("bridge", "no")])), Some(ObstacleKind::Railway));
        assert_eq!(obstacle_kind(&way(&[("railway", "disused")])), None);
        assert_eq!(obstacle_kind(&way(&[("highway", "motorway")])), Some(ObstacleKind::Motorway));
        assert_eq!(obstacle_kind(&way(&[("highway", "motorway"), ("tunnel", "yes")])), None);
        assert_eq!(obstacle_kind(&way(&[("highway", "trunk")])), None);
    }
}
