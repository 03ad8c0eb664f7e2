//! Context layers of a map, read from the OSM extract itself while it loads
//! (offline, no tile server): water (lakes, riverbanks and water areas of
//! multipolygon relations as areas; rivers, canals, streams and the coast as
//! lines), railways with their stations, built-up areas (residential,
//! retail, industrial and commercial land), parks (parks, grass, recreation
//! grounds, woods) and place names (city to neighbourhood). Lines and rings
//! are simplified (Douglas-Peucker, [`SIMPLIFY_M`]) and held as `f32`
//! lon/lat, so the layers stay small beside the street networks. Maps draw
//! them quietly under the data (`crate::export::map_svg`, the app's map).

use std::collections::{HashMap, HashSet};

use super::{NodeCoords, OsmWay};
use crate::geom::{Extent, LonLat};

/// Tolerance of the line simplification, metres: below what a map shows.
pub const SIMPLIFY_M: f64 = 4.0;

/// A lon/lat position held compactly (`f32`: centimetres in longitude,
/// decimetres in latitude at British latitudes).
pub type Pos = [f32; 2];

/// What a context area is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AreaKind {
    /// Built-up land: `landuse=residential/retail/industrial/commercial`.
    BuiltUp,
    /// Green space: `leisure=park`, `landuse=grass/recreation_ground`, `natural=wood`.
    Park,
    /// Standing or wide water: `natural=water`, `water=*`, `waterway=riverbank`.
    Water,
}

/// What a context line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LineKind {
    /// `waterway=river` or `canal`.
    River,
    /// `waterway=stream`.
    Stream,
    /// `natural=coastline`.
    Coastline,
    /// A railway in use: `railway=rail/light_rail/narrow_gauge`, main lines only (no sidings or yards).
    Railway,
}

/// How important a place is: the order labels are placed in (cities first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlaceRank {
    /// `place=city`.
    City,
    /// `place=town`.
    Town,
    /// `place=suburb`.
    Suburb,
    /// `place=village`.
    Village,
    /// `place=neighbourhood`.
    Neighbourhood,
}

impl PlaceRank {
    fn from_tag(v: &str) -> Option<PlaceRank> {
        Some(match v {
            "city" => PlaceRank::City,
            "town" => PlaceRank::Town,
            "suburb" => PlaceRank::Suburb,
            "village" => PlaceRank::Village,
            "neighbourhood" => PlaceRank::Neighbourhood,
            _ => return None,
        })
    }
}

/// An area: rings (outer and inner alike: drawn with the even-odd rule).
#[derive(Debug, Clone, PartialEq)]
pub struct ContextArea {
    /// Water, built-up or park.
    pub kind: AreaKind,
    /// Its `name` tag, empty if none.
    pub name: String,
    /// Closed rings, lon/lat.
    pub rings: Vec<Vec<Pos>>,
}

/// A line: a river, stream, coast or railway.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextLine {
    /// What it is.
    pub kind: LineKind,
    /// Its `name` tag, empty if none.
    pub name: String,
    /// Its points, lon/lat.
    pub points: Vec<Pos>,
}

/// A named point: a railway station or a place.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextPoint {
    /// Its name.
    pub name: String,
    /// Where it is, lon/lat.
    pub point: Pos,
    /// A place's rank; `None` for a station.
    pub rank: Option<PlaceRank>,
}

/// One of the layers, for counting and for drawing in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContextLayer {
    /// Water areas and waterway and coast lines.
    Water,
    /// Railway lines.
    Railways,
    /// Railway stations.
    Stations,
    /// Built-up areas.
    BuiltUp,
    /// Parks and green spaces.
    Parks,
    /// Place names.
    Places,
}

impl ContextLayer {
    /// Every layer, in drawing order (bottom first).
    pub const ALL: [ContextLayer; 6] =
        [ContextLayer::BuiltUp, ContextLayer::Parks, ContextLayer::Water, ContextLayer::Railways, ContextLayer::Stations, ContextLayer::Places];

    /// Its name in maps' class names and messages.
    pub fn name(self) -> &'static str {
        match self {
            ContextLayer::Water => "water",
            ContextLayer::Railways => "railways",
            ContextLayer::Stations => "stations",
            ContextLayer::BuiltUp => "built-up",
            ContextLayer::Parks => "parks",
            ContextLayer::Places => "places",
        }
    }
}

/// The context layers of one extract.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContextLayers {
    /// Water, built-up and park areas.
    pub areas: Vec<ContextArea>,
    /// Rivers, streams, the coast and railways.
    pub lines: Vec<ContextLine>,
    /// Railway stations and named places.
    pub points: Vec<ContextPoint>,
}

impl ContextLayers {
    /// Whether nothing was read.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty() && self.lines.is_empty() && self.points.is_empty()
    }

    /// Number of features in a layer.
    pub fn count(&self, layer: ContextLayer) -> usize {
        match layer {
            ContextLayer::Water => {
                self.areas.iter().filter(|a| a.kind == AreaKind::Water).count() + self.lines.iter().filter(|l| l.kind != LineKind::Railway).count()
            }
            ContextLayer::Railways => self.lines.iter().filter(|l| l.kind == LineKind::Railway).count(),
            ContextLayer::Stations => self.points.iter().filter(|p| p.rank.is_none()).count(),
            ContextLayer::BuiltUp => self.areas.iter().filter(|a| a.kind == AreaKind::BuiltUp).count(),
            ContextLayer::Parks => self.areas.iter().filter(|a| a.kind == AreaKind::Park).count(),
            ContextLayer::Places => self.points.iter().filter(|p| p.rank.is_some()).count(),
        }
    }

    /// Keeps the features that reach into `area` (whole: the map clips them).
    pub fn clip(&mut self, area: &Extent) {
        let touches = |pts: &mut dyn Iterator<Item = &Pos>| -> bool {
            let Some(e) = Extent::of(pts.map(|p| pos_lonlat(*p))) else { return false };
            e.min.lon <= area.max.lon && e.max.lon >= area.min.lon && e.min.lat <= area.max.lat && e.max.lat >= area.min.lat
        };
        self.areas.retain(|a| touches(&mut a.rings.iter().flatten()));
        self.lines.retain(|l| touches(&mut l.points.iter()));
        self.points.retain(|p| area.contains(pos_lonlat(p.point)));
    }
}

/// A compact position as a `LonLat`.
pub fn pos_lonlat(p: Pos) -> LonLat {
    LonLat::new(f64::from(p[0]), f64::from(p[1]))
}

/// What a tagged way or relation is on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Area(AreaKind),
    Line(LineKind),
}

/// The context class of a set of tags (water first, then lines, parks,
/// built-up land), with its name.
pub(super) fn classify<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<(Class, &'a str)> {
    let (mut best, mut name, mut service) = (None::<(u8, Class)>, "", false);
    for (k, v) in tags {
        let found = match (k, v) {
            ("name", _) => {
                name = v;
                None
            }
            ("service", _) => {
                service = true;
                None
            }
            ("natural", "water") | ("waterway", "riverbank") | ("water", _) | ("landuse", "reservoir" | "basin") => Some((0, Class::Area(AreaKind::Water))),
            ("waterway", "river" | "canal") => Some((1, Class::Line(LineKind::River))),
            ("waterway", "stream") => Some((1, Class::Line(LineKind::Stream))),
            ("natural", "coastline") => Some((1, Class::Line(LineKind::Coastline))),
            ("railway", "rail" | "light_rail" | "narrow_gauge") => Some((2, Class::Line(LineKind::Railway))),
            ("leisure", "park") | ("landuse", "grass" | "recreation_ground" | "forest") | ("natural", "wood") => Some((3, Class::Area(AreaKind::Park))),
            ("landuse", "residential" | "retail" | "industrial" | "commercial") => Some((4, Class::Area(AreaKind::BuiltUp))),
            _ => None,
        };
        if let Some(f) = found
            && best.is_none_or(|b| f.0 < b.0)
        {
            best = Some(f);
        }
    }
    match best? {
        // Sidings, yards and spurs (`service=*`) are left off: main lines only.
        (_, Class::Line(LineKind::Railway)) if service => None,
        (_, c) => Some((c, name)),
    }
}

/// A named point's rank (`place=*`) or station (`railway=station`), with its name.
pub(super) fn classify_point<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<(Option<PlaceRank>, &'a str)> {
    let (mut name, mut rank, mut station) = (None, None, false);
    for (k, v) in tags {
        match k {
            "name" => name = Some(v),
            "place" => rank = PlaceRank::from_tag(v),
            "railway" => station |= v == "station",
            _ => {}
        }
    }
    let name = name.filter(|n| !n.trim().is_empty())?;
    if rank.is_some() {
        Some((rank, name))
    } else if station {
        Some((None, name))
    } else {
        None
    }
}

/// A multipolygon relation that is a context area.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RawRelation {
    kind: AreaKind,
    name: String,
    /// Member way ids (outer and inner alike).
    ways: Vec<i64>,
}

/// What the reader gathers for the context layers before node positions are
/// known: ways that are only context, untagged ways (the parts of
/// multipolygons), multipolygon relations, and named points.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct RawContext {
    ways: Vec<(Class, String, Vec<i64>)>,
    untagged: Vec<(i64, Vec<i64>)>,
    relations: Vec<RawRelation>,
    points: Vec<ContextPoint>,
}

impl RawContext {
    /// Takes a way the street reader did not keep, if it is context (or may
    /// be part of a multipolygon: it has no tags).
    pub(super) fn way<'a>(&mut self, id: i64, refs: impl Iterator<Item = i64>, tags: impl Iterator<Item = (&'a str, &'a str)> + Clone) {
        if tags.clone().next().is_none() {
            self.untagged.push((id, refs.collect()));
        } else if let Some((class, name)) = classify(tags) {
            self.ways.push((class, name.to_string(), refs.collect()));
        }
    }

    /// Takes a relation if it is a multipolygon context area.
    pub(super) fn relation<'a>(&mut self, members: impl Iterator<Item = i64>, tags: impl Iterator<Item = (&'a str, &'a str)> + Clone) {
        if !tags.clone().any(|(k, v)| k == "type" && v == "multipolygon") {
            return;
        }
        if let Some((Class::Area(kind), name)) = classify(tags) {
            self.relations.push(RawRelation { kind, name: name.to_string(), ways: members.collect() });
        }
    }

    /// Takes a node if it is a named place or a station.
    pub(super) fn node<'a>(&mut self, pt: LonLat, tags: impl Iterator<Item = (&'a str, &'a str)>) {
        if let Some((rank, name)) = classify_point(tags) {
            self.points.push(ContextPoint { name: name.to_string(), point: [pt.lon as f32, pt.lat as f32], rank });
        }
    }

    /// Appends another blob's gatherings.
    pub(super) fn append(&mut self, other: &mut RawContext) {
        self.ways.append(&mut other.ways);
        self.untagged.append(&mut other.untagged);
        self.relations.append(&mut other.relations);
        self.points.append(&mut other.points);
    }

    /// The layers, once every node position is known: the context ways and
    /// the kept ways that are context (waterways, railways, water areas),
    /// multipolygons assembled into rings from their member ways.
    pub(super) fn resolve(self, nodes: &NodeCoords, kept: &[OsmWay]) -> ContextLayers {
        let mut out = ContextLayers::default();
        let push = |out: &mut ContextLayers, class: Class, name: &str, refs: &[i64]| match class {
            Class::Line(kind) => {
                let points = simplified(nodes, refs, false);
                if points.len() >= 2 {
                    out.lines.push(ContextLine { kind, name: name.to_string(), points });
                }
            }
            Class::Area(kind) => {
                // An area mapped as one way must be closed; an open one is a line of no use here.
                if refs.len() >= 4 && refs.first() == refs.last() {
                    let ring = simplified(nodes, refs, true);
                    if ring.len() >= 4 {
                        out.areas.push(ContextArea { kind, name: name.to_string(), rings: vec![ring] });
                    }
                }
            }
        };
        for w in kept {
            if let Some((class, name)) = classify(w.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
                push(&mut out, class, name, &w.nodes);
            }
        }
        for (class, name, refs) in &self.ways {
            push(&mut out, *class, name, refs);
        }
        if !self.relations.is_empty() {
            let wanted: HashSet<i64> = self.relations.iter().flat_map(|r| r.ways.iter().copied()).collect();
            let mut by_id: HashMap<i64, &[i64]> = HashMap::new();
            for w in kept.iter().filter(|w| wanted.contains(&w.id)) {
                by_id.insert(w.id, &w.nodes);
            }
            for (id, refs) in self.untagged.iter().filter(|(id, _)| wanted.contains(id)) {
                by_id.insert(*id, refs);
            }
            for r in &self.relations {
                let parts: Vec<&[i64]> = r.ways.iter().filter_map(|id| by_id.get(id).copied()).collect();
                let rings: Vec<Vec<Pos>> = assemble_rings(&parts).iter().map(|ring| simplified(nodes, ring, true)).filter(|r| r.len() >= 4).collect();
                if !rings.is_empty() {
                    out.areas.push(ContextArea { kind: r.kind, name: r.name.clone(), rings });
                }
            }
        }
        out.points = self.points;
        // A station mapped both as a node and as a stop position is labelled once.
        let mut seen = HashSet::new();
        out.points.retain(|p| seen.insert((p.rank, p.name.clone())));
        out
    }
}

/// Joins member ways into closed rings by their end nodes; a chain that
/// cannot be closed (the extract cut it off) is closed by a straight edge.
fn assemble_rings(parts: &[&[i64]]) -> Vec<Vec<i64>> {
    let mut rings = Vec::new();
    let mut open: Vec<Vec<i64>> = Vec::new();
    for p in parts.iter().filter(|p| p.len() >= 2) {
        if p.first() == p.last() {
            rings.push(p.to_vec());
        } else {
            open.push(p.to_vec());
        }
    }
    while let Some(mut chain) = open.pop() {
        // Grown at its tail; when nothing more fits there, turned round once
        // to grow at the other end.
        let mut turned = false;
        while let (Some(&head), Some(&tail)) = (chain.first(), chain.last()) {
            if head == tail {
                break;
            }
            let Some(i) = open.iter().position(|o| o.first() == Some(&tail) || o.last() == Some(&tail)) else {
                if turned {
                    chain.push(head);
                    break;
                }
                chain.reverse();
                turned = true;
                continue;
            };
            let mut next = open.swap_remove(i);
            if next.first() != Some(&tail) {
                next.reverse();
            }
            chain.extend_from_slice(&next[1..]);
        }
        rings.push(chain);
    }
    rings
}

/// The positions of `refs` (those in the file), simplified by
/// Douglas-Peucker to [`SIMPLIFY_M`] in local metres; a closed ring stays closed.
fn simplified(nodes: &NodeCoords, refs: &[i64], closed: bool) -> Vec<Pos> {
    use geo::SimplifyIdx;
    let pts: Vec<LonLat> = refs.iter().filter_map(|n| nodes.get(n).copied()).collect();
    let Some(first) = pts.first() else { return Vec::new() };
    let kx = first.lat.to_radians().cos() * 111_320.0;
    let ky = 110_574.0;
    let line: geo::LineString<f64> = pts.iter().map(|p| geo::coord! { x: p.lon * kx, y: p.lat * ky }).collect();
    let mut out: Vec<Pos> = line.simplify_idx(SIMPLIFY_M).into_iter().map(|i| [pts[i].lon as f32, pts[i].lat as f32]).collect();
    if closed && out.len() >= 2 && out.first() != out.last() {
        out.push(out[0]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_are_joined_end_to_end_and_cut_chains_closed() {
        let a: &[i64] = &[1, 2, 3];
        let b: &[i64] = &[5, 4, 3];
        let c: &[i64] = &[5, 6, 1];
        let d: &[i64] = &[10, 11, 12, 10];
        let rings = assemble_rings(&[a, b, c, d]);
        assert_eq!(rings.len(), 2);
        assert!(rings.contains(&vec![10, 11, 12, 10]));
        let r = rings.iter().find(|r| r[0] != 10).unwrap();
        assert_eq!(r.len(), 7, "{r:?}");
        assert_eq!(r.first(), r.last());
        // A chain the extract cut off is closed by a straight edge.
        // Either end of a chain grows: the last part popped first.
        let rings = assemble_rings(&[&[1, 2, 3], &[3, 4]]);
        assert_eq!(rings, vec![vec![4, 3, 2, 1, 4]]);
    }

    #[test]
    fn tags_classify_by_priority() {
        let t = |pairs: &[(&'static str, &'static str)]| classify(pairs.iter().copied()).map(|(c, n)| (c, n.to_string()));
        assert_eq!(t(&[("name", "River Usk"), ("waterway", "river")]), Some((Class::Line(LineKind::River), "River Usk".into())));
        assert_eq!(t(&[("railway", "rail")]), Some((Class::Line(LineKind::Railway), String::new())));
        assert_eq!(t(&[("railway", "rail"), ("service", "siding")]), None);
        assert_eq!(t(&[("railway", "abandoned")]), None);
        assert_eq!(t(&[("landuse", "residential"), ("natural", "water")]), Some((Class::Area(AreaKind::Water), String::new())));
        assert_eq!(t(&[("leisure", "park")]), Some((Class::Area(AreaKind::Park), String::new())));
        let p = |pairs: &[(&'static str, &'static str)]| classify_point(pairs.iter().copied());
        assert_eq!(p(&[("name", "Caerleon"), ("place", "town")]), Some((Some(PlaceRank::Town), "Caerleon")));
        assert_eq!(p(&[("name", "Newport"), ("railway", "station")]), Some((None, "Newport")));
        assert_eq!(p(&[("place", "town")]), None, "a place without a name has no label");
    }
}
