//! OpenStreetMap reader: `.osm.pbf` (its blobs decoded in parallel, [`pbf`])
//! and `.osm` XML (streamed with quick-xml). It keeps what accessplan uses:
//! the ways that are streets (or water, railways and tagged areas) with the
//! tags routing needs, the coordinates of their nodes only ([`nodes`]),
//! tagged nodes that may be sites (hospitals, clinics, surgeries), the tags
//! of nodes that matter to routing, and turn restrictions.

pub mod context;
pub mod nodes;
mod pbf;

use std::collections::HashMap;
use std::path::Path;

pub use nodes::NodeCoords;

use crate::error::{InputError, Location};
use crate::geom::LonLat;
use pbf::read_pbf;
use rayon::prelude::*;

/// Tags kept on ways; everything else is dropped at read time to save memory.
const WAY_KEYS: &[&str] = &[
    "highway",
    "oneway",
    "junction",
    "access",
    "motor_vehicle",
    "motorcar",
    "vehicle",
    "foot",
    "bicycle",
    "maxspeed",
    "name",
    "ref",
    "amenity",
    "healthcare",
    "area",
    "oneway:bicycle",
    "oneway:foot",
    "cycleway",
    "waterway",
    "bridge",
    "service",
    "building",
    "natural",
    "railway",
    "tunnel",
    "water",
];

/// Tags the context layers read besides those kept on ways, nodes and
/// relations (`crate::input::osm::context`).
const CONTEXT_KEYS: &[&str] = &["landuse", "leisure", "place", "name", "railway", "natural", "water", "waterway", "service"];

/// Tags kept on nodes that may be sites.
const NODE_KEYS: &[&str] = &["amenity", "healthcare", "name", "building"];

/// Tags kept on nodes that matter to routing: barriers (with the access tags
/// that open or close them), traffic signals, stop and give-way signs.
const ROUTING_NODE_KEYS: &[&str] =
    &["barrier", "highway", "direction", "traffic_signals:direction", "access", "vehicle", "motor_vehicle", "motorcar", "foot", "bicycle"];

/// Whether a node's tags make it matter to routing.
fn is_routing_node<'a>(mut tags: impl Iterator<Item = (&'a str, &'a str)>) -> bool {
    tags.any(|(k, v)| k == "barrier" || (k == "highway" && matches!(v, "traffic_signals" | "stop" | "give_way")))
}

/// Whether a relation tag is kept: `type`, `except` and every `restriction*` key.
fn is_relation_key(k: &str) -> bool {
    k == "type" || k == "except" || k.starts_with("restriction")
}

fn relation_tags<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    tags.filter(|(k, _)| is_relation_key(k)).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// What an OSM relation member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    /// A node.
    Node,
    /// A way.
    Way,
    /// Another relation.
    Relation,
}

/// One member of a relation.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmMember {
    /// Node, way or relation.
    pub kind: MemberKind,
    /// Its OSM id.
    pub id: i64,
    /// Its role (`from`, `via`, `to`, ...).
    pub role: String,
}

/// A turn restriction relation (`type=restriction` or `type=restriction:*`).
#[derive(Debug, Clone, PartialEq)]
pub struct OsmRestriction {
    /// OSM relation id.
    pub id: i64,
    /// Members in file order.
    pub members: Vec<OsmMember>,
    /// Kept tags, sorted by key.
    pub tags: Vec<(String, String)>,
}

fn is_restriction<'a>(mut tags: impl Iterator<Item = (&'a str, &'a str)>) -> bool {
    tags.any(|(k, v)| k == "type" && v.starts_with("restriction"))
}

/// One OSM way with the tags accessplan reads.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmWay {
    /// OSM id.
    pub id: i64,
    /// Node ids, in order.
    pub nodes: Vec<i64>,
    /// Kept tags, sorted by key.
    pub tags: Vec<(String, String)>,
}

/// A tagged node that may be a site.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmPoi {
    /// OSM id.
    pub id: i64,
    /// Position.
    pub point: LonLat,
    /// Kept tags, sorted by key.
    pub tags: Vec<(String, String)>,
}

/// Looks up a tag in a sorted tag list.
pub fn tag<'a>(tags: &'a [(String, String)], key: &str) -> Option<&'a str> {
    tags.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok().map(|i| tags[i].1.as_str())
}

/// What was read from one OSM file.
#[derive(Debug, Default, Clone)]
pub struct OsmData {
    /// Node coordinates by id: the nodes of the ways kept (a node no kept
    /// way names is dropped on load).
    pub nodes: NodeCoords,
    /// Nodes the file holds (before keeping only those of the kept ways).
    pub nodes_read: usize,
    /// Ways kept: streets, waterways and tagged areas (amenity, healthcare).
    pub ways: Vec<OsmWay>,
    /// Tagged nodes that may be sites (amenity or healthcare).
    pub pois: Vec<OsmPoi>,
    /// The `generator` the file names (XML only), e.g. `accessplan demo generator`.
    pub generator: Option<String>,
    /// Ways that name nodes missing from the file (the extract cut them off):
    /// the way is kept with the nodes that are present; counted here.
    pub ways_with_missing_nodes: usize,
    /// Tags of the nodes that matter to routing (barriers, signals, stop and
    /// give-way signs), sorted by key, by node id.
    pub node_tags: HashMap<i64, Vec<(String, String)>>,
    /// Turn restriction relations, by id.
    pub restrictions: Vec<OsmRestriction>,
    /// The map's context layers (water, railways, stations, built-up land,
    /// parks, place names), when read with [`OsmData::load_with_context`].
    pub context: context::ContextLayers,
    /// What the reader gathered for the context layers, resolved on finishing.
    raw_context: Option<context::RawContext>,
}

impl OsmData {
    /// Reads a `.osm.pbf` or `.osm` (XML) file, told apart by its content.
    pub fn load(path: &Path) -> Result<Self, InputError> {
        Self::load_with(path, false)
    }

    /// As [`OsmData::load`], with the map's context layers read too ([`OsmData::context`]).
    pub fn load_with_context(path: &Path) -> Result<Self, InputError> {
        Self::load_with(path, true)
    }

    fn load_with(path: &Path, context: bool) -> Result<Self, InputError> {
        // By content, whatever the name says: OSM XML saved as `.pbf` (or a
        // PBF named `.osm`) is read as what it is.
        let head = read_head(path)?;
        let mut data = if head.trim_start_matches('\u{feff}').trim_start().starts_with('<') { read_xml(path, context)? } else { read_pbf(path, context)? };
        data.finish(false);
        if data.nodes_read == 0 {
            return Err(InputError::file(path, "the file holds no OSM nodes"));
        }
        Ok(data)
    }

    /// Reads a `.osm.pbf` file with the reader as it was before blobs were
    /// decoded whole, keeping every node's position: the baseline of the
    /// benchmarks and the twin the tests compare [`OsmData::load`] with.
    #[cfg(any(test, feature = "testdata"))]
    pub fn load_every_node(path: &Path) -> Result<Self, InputError> {
        let mut data = pbf::read_pbf_per_element(path)?;
        data.finish(true);
        Ok(data)
    }

    /// Sorts what was read, trims each way to the nodes present, and (unless
    /// `keep_all_nodes`) keeps only the positions of the kept ways' nodes.
    fn finish(&mut self, keep_all_nodes: bool) {
        // Each way on its own (a binary search per node reference: a
        // county's two million of them), so in parallel.
        let nodes = &self.nodes;
        self.ways_with_missing_nodes += self
            .ways
            .par_iter_mut()
            .map(|w| {
                w.tags.sort();
                let before = w.nodes.len();
                w.nodes.retain(|n| nodes.contains_key(n));
                usize::from(w.nodes.len() != before)
            })
            .sum::<usize>();
        self.ways.retain(|w| w.nodes.len() >= 2 || tag(&w.tags, "highway").is_none());
        for p in &mut self.pois {
            p.tags.sort();
        }
        for t in self.node_tags.values_mut() {
            t.sort();
        }
        for r in &mut self.restrictions {
            r.tags.sort();
        }
        self.restrictions.sort_by_key(|r| r.id);
        self.ways.sort_by_key(|w| w.id);
        self.pois.sort_by_key(|p| p.id);
        if let Some(raw) = self.raw_context.take() {
            self.context = raw.resolve(&self.nodes, &self.ways);
        }
        if !keep_all_nodes {
            let mut wanted: Vec<i64> = self.ways.iter().flat_map(|w| w.nodes.iter().copied()).collect();
            wanted.par_sort_unstable();
            wanted.dedup();
            self.nodes.keep_only(&wanted);
        }
    }

    /// The points of a way, in order.
    pub fn way_points(&self, way: &OsmWay) -> Vec<LonLat> {
        way.nodes.iter().filter_map(|n| self.nodes.get(n).copied()).collect()
    }

    /// Whether the data is accessplan's own synthetic demo (not OpenStreetMap's).
    pub fn is_synthetic(&self) -> bool {
        self.generator.as_deref().is_some_and(|g| g.starts_with("accessplan demo"))
    }

    /// Number of ways with a `highway` tag.
    pub fn highway_count(&self) -> usize {
        self.ways.iter().filter(|w| tag(&w.tags, "highway").is_some()).count()
    }
}

/// What clipping an extract to a study area kept, in counts before and after.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OsmClip {
    /// Node coordinates held (those of the kept ways).
    pub nodes: (usize, usize),
    /// Ways held (streets, waterways, tagged areas).
    pub ways: (usize, usize),
    /// Of those, streets (ways with a `highway` tag).
    pub streets: (usize, usize),
    /// Tagged points that may be sites.
    pub points: (usize, usize),
}

impl std::fmt::Display for OsmClip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |(a, b): (usize, usize)| format!("{a} -> {b}");
        write!(f, "ways {} (streets {}), nodes {}, tagged points {}", n(self.ways), n(self.streets), n(self.nodes), n(self.points))
    }
}

impl OsmData {
    /// Cuts the data to `area`: a way with a node in it is kept whole (its
    /// nodes outside too, so no street is cut short and no fake link is
    /// made), and so is every street meeting such a street; other ways are
    /// dropped; node coordinates are kept for the
    /// kept ways only; tagged points are kept inside the area.
    pub fn clip(&mut self, area: &crate::geom::Extent) -> OsmClip {
        let before = (self.nodes.len(), self.ways.len(), self.highway_count(), self.pois.len());
        let nodes = &self.nodes;
        let inside: Vec<bool> = self.ways.iter().map(|w| w.nodes.iter().any(|n| nodes.get(n).is_some_and(|p| area.contains(*p)))).collect();
        // Sorted id lists rather than hash sets: a county extract has
        // millions of node ids, and sorting them is several times cheaper
        // than hashing each into a set.
        let sorted = |mut ids: Vec<i64>| {
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        // When every way touches the area, every way and node stays.
        if !inside.iter().all(|k| *k) {
            // Streets meeting a kept street are kept too, so every junction
            // of a kept street keeps all its arms (turn costs and
            // restrictions there are the same as in the whole extract).
            let on_kept = sorted(
                self.ways.iter().zip(&inside).filter(|(w, k)| **k && tag(&w.tags, "highway").is_some()).flat_map(|(w, _)| w.nodes.iter().copied()).collect(),
            );
            let mut keep = inside.into_iter();
            self.ways
                .retain(|w| keep.next().unwrap_or(false) || (tag(&w.tags, "highway").is_some() && w.nodes.iter().any(|n| on_kept.binary_search(n).is_ok())));
            drop(on_kept);
            // The nodes of the ways kept (when every way is kept, every node
            // is already one of theirs: the reader keeps no others).
            let needed = sorted(self.ways.iter().flat_map(|w| w.nodes.iter().copied()).collect());
            self.nodes.keep_only(&needed);
        }
        let nodes = &self.nodes;
        self.node_tags.retain(|id, _| nodes.contains_key(id));
        let kept_ways = sorted(self.ways.iter().map(|w| w.id).collect());
        self.restrictions.retain(|r| r.members.iter().any(|m| m.kind == MemberKind::Way && kept_ways.binary_search(&m.id).is_ok()));
        self.pois.retain(|p| area.contains(p.point));
        self.context.clip(area);
        OsmClip {
            nodes: (before.0, self.nodes.len()),
            ways: (before.1, self.ways.len()),
            streets: (before.2, self.highway_count()),
            points: (before.3, self.pois.len()),
        }
    }
}

fn read_head(path: &Path) -> Result<String, InputError> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
    let mut buf = [0u8; 64];
    let n = f.read(&mut buf).map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
}

/// Streets, waterways, tagged areas that may be sites, and what snapping
/// must not cross: railways (`crate::network::snap::obstacles`) and water areas.
fn keep_way(tags: &[(String, String)]) -> bool {
    tags.iter().any(|(k, v)| match k.as_str() {
        "highway" | "waterway" | "amenity" | "healthcare" | "water" => true,
        "railway" => matches!(v.as_str(), "rail" | "light_rail" | "narrow_gauge" | "subway"),
        "natural" => v == "water",
        _ => false,
    })
}

fn kept_tags<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>, keys: &[&str]) -> Vec<(String, String)> {
    tags.filter(|(k, _)| keys.contains(k)).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn read_xml(path: &Path, context: bool) -> Result<OsmData, InputError> {
    use quick_xml::events::Event;
    let bytes = std::fs::read(path).map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::file(path, "the file is empty"));
    }
    let line_at = |pos: u64| -> u64 { 1 + bytes[..(pos as usize).min(bytes.len())].iter().filter(|&&b| b == b'\n').count() as u64 };
    let mut reader = quick_xml::Reader::from_reader(bytes.as_slice());
    let mut buf = Vec::new();
    let mut data = OsmData::default();
    let mut raw = context::RawContext::default();
    let ctx_key = |k: &str| context && CONTEXT_KEYS.contains(&k);
    let mut nodes: Vec<(i64, LonLat)> = Vec::new();
    // The element being read: a node with tags or a way.
    enum Open {
        None,
        Node { id: i64, point: LonLat, tags: Vec<(String, String)> },
        Way { id: i64, nodes: Vec<i64>, tags: Vec<(String, String)> },
        Relation { id: i64, members: Vec<OsmMember>, tags: Vec<(String, String)> },
    }
    let mut open = Open::None;
    let mut saw_osm_root = false;
    let mut closed_osm_root = false;
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| InputError::at(path, Location::Line(line_at(reader.error_position())), None, format!("XML does not parse: {e}")))?;
        let line = || Location::Line(line_at(pos));
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(ev, Event::Empty(_));
                // Every attribute must read, not just the one looked for: an
                // element left unclosed (`<nd ref="2"` and a newline) swallows
                // the next one's `<tag` as an attribute name.
                for a in e.attributes() {
                    let a = a.map_err(|err| InputError::at(path, line(), None, format!("bad XML attribute: {err}")))?;
                    if a.key.0.contains(['<', '>']) {
                        let tag = e.name().0.to_string();
                        return Err(InputError::at(
                            path,
                            line(),
                            None,
                            format!("the <{tag}> element is not closed before the next element begins (a '>' or '/>' is missing)"),
                        ));
                    }
                }
                let attr = |name: &str| -> Result<Option<String>, InputError> {
                    for a in e.attributes() {
                        let a = a.map_err(|err| InputError::at(path, line(), None, format!("bad XML attribute: {err}")))?;
                        if a.key.0 == name {
                            let v = a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map_err(|err| InputError::at(path, line(), Some(name), format!("bad value: {err}")))?;
                            return Ok(Some(v.into_owned()));
                        }
                    }
                    Ok(None)
                };
                let num = |v: Option<String>, field: &str| -> Result<f64, InputError> {
                    let v = v.ok_or_else(|| InputError::at(path, line(), Some(field), "missing attribute"))?;
                    v.trim().parse::<f64>().map_err(|_| InputError::at(path, line(), Some(field), format!("'{v}' is not a number")))
                };
                match e.name().0 {
                    "osm" => {
                        saw_osm_root = true;
                        data.generator = attr("generator")?;
                    }
                    "node" => {
                        let id = num(attr("id")?, "id")? as i64;
                        let lat = num(attr("lat")?, "lat")?;
                        let lon = num(attr("lon")?, "lon")?;
                        let point = LonLat::new(lon, lat);
                        if !point.is_valid() {
                            return Err(InputError::at(path, line(), Some("lon/lat"), format!("node {id}: ({lon}, {lat}) is not a WGS84 position")));
                        }
                        nodes.push((id, point));
                        open = if is_empty { Open::None } else { Open::Node { id, point, tags: Vec::new() } };
                    }
                    "way" => {
                        let id = num(attr("id")?, "id")? as i64;
                        open = if is_empty { Open::None } else { Open::Way { id, nodes: Vec::new(), tags: Vec::new() } };
                    }
                    "nd" => {
                        if let Open::Way { nodes, .. } = &mut open {
                            nodes.push(num(attr("ref")?, "ref")? as i64);
                        }
                    }
                    "relation" => {
                        let id = num(attr("id")?, "id")? as i64;
                        open = if is_empty { Open::None } else { Open::Relation { id, members: Vec::new(), tags: Vec::new() } };
                    }
                    "member" => {
                        if let Open::Relation { members, .. } = &mut open {
                            let kind = match attr("type")?.as_deref() {
                                Some("node") => MemberKind::Node,
                                Some("way") => MemberKind::Way,
                                Some("relation") => MemberKind::Relation,
                                other => {
                                    return Err(InputError::at(
                                        path,
                                        line(),
                                        Some("type"),
                                        format!("member type '{}' is not node, way or relation", other.unwrap_or("")),
                                    ));
                                }
                            };
                            let id = num(attr("ref")?, "ref")? as i64;
                            members.push(OsmMember { kind, id, role: attr("role")?.unwrap_or_default() });
                        }
                    }
                    "tag" => {
                        let k = attr("k")?.ok_or_else(|| InputError::at(path, line(), Some("k"), "tag without a key"))?;
                        let v = attr("v")?.unwrap_or_default();
                        match &mut open {
                            Open::Node { tags, .. } if NODE_KEYS.contains(&k.as_str()) || ROUTING_NODE_KEYS.contains(&k.as_str()) || ctx_key(&k) => {
                                tags.push((k, v))
                            }
                            Open::Way { tags, .. } if WAY_KEYS.contains(&k.as_str()) || ctx_key(&k) => tags.push((k, v)),
                            Open::Relation { tags, .. } if is_relation_key(&k) || ctx_key(&k) => tags.push((k, v)),
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match (e.name().0, std::mem::replace(&mut open, Open::None)) {
                ("node", Open::Node { id, point, tags }) => {
                    let pairs = || tags.iter().map(|(k, v)| (k.as_str(), v.as_str()));
                    if is_routing_node(pairs()) {
                        data.node_tags.insert(id, kept_tags(pairs(), ROUTING_NODE_KEYS));
                    }
                    if tags.iter().any(|(k, _)| k == "amenity" || k == "healthcare") {
                        let tags = kept_tags(pairs(), NODE_KEYS);
                        data.pois.push(OsmPoi { id, point, tags });
                    }
                    if context {
                        raw.node(point, pairs());
                    }
                }
                ("relation", Open::Relation { id, members, tags }) => {
                    let pairs = || tags.iter().map(|(k, v)| (k.as_str(), v.as_str()));
                    if is_restriction(pairs()) {
                        let tags = relation_tags(pairs());
                        data.restrictions.push(OsmRestriction { id, members, tags });
                    } else if context {
                        raw.relation(members.iter().filter(|m| m.kind == MemberKind::Way).map(|m| m.id), pairs());
                    }
                }
                ("way", Open::Way { id, nodes, tags }) => {
                    if keep_way(&tags) {
                        let tags = kept_tags(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())), WAY_KEYS);
                        data.ways.push(OsmWay { id, nodes, tags });
                    } else if context {
                        raw.way(id, nodes.into_iter(), tags.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                    }
                }
                ("osm", other) => {
                    closed_osm_root = true;
                    open = other;
                }
                (_, other) => open = other,
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !saw_osm_root {
        return Err(InputError::file(path, "not an OSM XML file: no <osm> element"));
    }
    if !closed_osm_root {
        return Err(InputError::at(
            path,
            Location::Line(line_at(bytes.len() as u64)),
            None,
            "the file ends before </osm>: it was cut short (an interrupted download?); download or export it again",
        ));
    }
    data.nodes_read = nodes.len();
    data.nodes = NodeCoords::from_pairs(nodes);
    data.raw_context = context.then_some(raw);
    Ok(data)
}

/// A site filter from `key=value1,value2` (e.g. `amenity=hospital,clinic,doctors`);
/// several filters may be joined with `;`.
#[derive(Debug, Clone, PartialEq)]
pub struct TagFilter {
    /// (key, accepted values) pairs; a node or way matching any pair is taken.
    pub rules: Vec<(String, Vec<String>)>,
}

impl std::str::FromStr for TagFilter {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let mut rules = Vec::new();
        for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, vs) = part.split_once('=').ok_or_else(|| format!("'{part}' is not of the form key=value1,value2"))?;
            let values: Vec<String> = vs.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
            if k.trim().is_empty() || values.is_empty() {
                return Err(format!("'{part}' is not of the form key=value1,value2"));
            }
            rules.push((k.trim().to_string(), values));
        }
        if rules.is_empty() {
            return Err("empty tag filter".into());
        }
        Ok(TagFilter { rules })
    }
}

impl TagFilter {
    /// The first (key, value) of `tags` this filter accepts.
    pub fn matches<'a>(&self, tags: &'a [(String, String)]) -> Option<&'a str> {
        self.rules.iter().find_map(|(k, vs)| tag(tags, k).filter(|v| vs.iter().any(|x| x == v)))
    }
}

/// Sites taken from OSM tags: matching nodes, and matching ways (areas) by the
/// centroid of their outline. Ids are `osm-node-N` / `osm-way-N`; names from
/// `name` (unnamed ones get their kind and id, and are reported).
pub fn sites_from_osm(data: &OsmData, filter: &TagFilter) -> (Vec<crate::model::Site>, Vec<String>) {
    use crate::model::Site;
    let mut sites = Vec::new();
    let mut notes = Vec::new();
    let mut missing = Vec::new();
    let mut push = |id: String, point: LonLat, tags: &[(String, String)], kind: &str| {
        let name = match tag(tags, "name") {
            Some(n) => n.to_string(),
            None => {
                notes.push(format!("{id} ({kind}) has no name tag; named after its kind"));
                format!("{kind} ({id})")
            }
        };
        sites.push(Site::from_input(id, name, point, kind.to_string()));
    };
    for p in &data.pois {
        if let Some(kind) = filter.matches(&p.tags) {
            push(format!("osm-node-{}", p.id), p.point, &p.tags, kind);
        }
    }
    for w in &data.ways {
        if let Some(kind) = filter.matches(&w.tags) {
            let pts = data.way_points(w);
            if pts.is_empty() {
                missing.push(format!("osm-way-{} ({kind}) has none of its nodes in the file; left out", w.id));
                continue;
            }
            let n = pts.len().saturating_sub(usize::from(pts.len() > 1 && pts.first() == pts.last())).max(1);
            let c = LonLat::new(pts[..n].iter().map(|p| p.lon).sum::<f64>() / n as f64, pts[..n].iter().map(|p| p.lat).sum::<f64>() / n as f64);
            push(format!("osm-way-{}", w.id), c, &w.tags, kind);
        }
    }
    notes.extend(missing);
    (sites, notes)
}
