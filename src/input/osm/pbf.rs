//! The `.osm.pbf` reader: the file's blobs are read in order and decoded in
//! parallel (osmpbf's `BlobReader` under rayon), each blob into one
//! [`Partial`] without an allocation per element, and the partials are
//! merged. Node positions are all kept at this stage (24 bytes a node);
//! [`super::OsmData::load`] then keeps only those of the ways kept.

use std::path::Path;

use osmpbf::{BlobDecode, BlobReader, Element, RelMemberType};
use rayon::prelude::*;

use super::context::RawContext;
use super::{
    MemberKind, NODE_KEYS, NodeCoords, OsmData, OsmMember, OsmPoi, OsmRestriction, OsmWay, ROUTING_NODE_KEYS, WAY_KEYS, is_restriction, is_routing_node,
    keep_way, kept_tags, relation_tags,
};
use crate::error::InputError;
use crate::geom::LonLat;

/// One blob's worth of elements (or several, merged).
#[derive(Default)]
pub(super) struct Partial {
    nodes: Vec<(i64, LonLat)>,
    ways: Vec<OsmWay>,
    pois: Vec<OsmPoi>,
    node_tags: Vec<(i64, Vec<(String, String)>)>,
    restrictions: Vec<OsmRestriction>,
    /// What the context layers need (gathered only when asked for).
    ctx: RawContext,
}

impl Partial {
    /// Takes what accessplan keeps of one element (and, when `context`,
    /// what the map's context layers need).
    fn take(&mut self, el: Element, context: bool) {
        match el {
            Element::DenseNode(n) => self.node(n.id(), LonLat::new(n.lon(), n.lat()), n.tags(), context),
            Element::Node(n) => self.node(n.id(), LonLat::new(n.lon(), n.lat()), n.tags(), context),
            Element::Way(w) => {
                let tags = kept_tags(w.tags(), WAY_KEYS);
                if keep_way(&tags) {
                    self.ways.push(OsmWay { id: w.id(), nodes: w.refs().collect(), tags });
                } else if context {
                    self.ctx.way(w.id(), w.refs(), w.tags());
                }
            }
            Element::Relation(r) => {
                if is_restriction(r.tags()) {
                    let members = r
                        .members()
                        .map(|m| OsmMember {
                            kind: match m.member_type {
                                RelMemberType::Node => MemberKind::Node,
                                RelMemberType::Way => MemberKind::Way,
                                RelMemberType::Relation => MemberKind::Relation,
                            },
                            id: m.member_id,
                            role: m.role().unwrap_or("").to_string(),
                        })
                        .collect();
                    self.restrictions.push(OsmRestriction { id: r.id(), members, tags: relation_tags(r.tags()) });
                } else if context {
                    let ways = r.members().filter(|m| m.member_type == RelMemberType::Way).map(|m| m.member_id);
                    self.ctx.relation(ways, r.tags());
                }
            }
        }
    }

    fn node<'a>(&mut self, id: i64, pt: LonLat, tags: impl Iterator<Item = (&'a str, &'a str)> + Clone, context: bool) {
        self.nodes.push((id, pt));
        if context {
            self.ctx.node(pt, tags.clone());
        }
        if tags.clone().any(|(k, _)| k == "amenity" || k == "healthcare") {
            self.pois.push(OsmPoi { id, point: pt, tags: kept_tags(tags.clone(), NODE_KEYS) });
        }
        if is_routing_node(tags.clone()) {
            self.node_tags.push((id, kept_tags(tags, ROUTING_NODE_KEYS)));
        }
    }

    /// The kind and id of the first element held (nodes, then ways, then
    /// relations, as a sorted file has them), to put blobs back in order.
    fn first_id(&self) -> (u8, i64) {
        if let Some(n) = self.nodes.first() {
            (0, n.0)
        } else if let Some(w) = self.ways.first() {
            (1, w.id)
        } else {
            (2, self.restrictions.first().map_or(i64::MAX, |r| r.id))
        }
    }

    /// Appends `b` to `a` (the larger one receives, to copy less).
    #[cfg(any(test, feature = "testdata"))]
    fn merge(mut a: Partial, mut b: Partial) -> Partial {
        if a.nodes.len() < b.nodes.len() {
            std::mem::swap(&mut a, &mut b);
        }
        a.nodes.append(&mut b.nodes);
        a.ways.append(&mut b.ways);
        a.pois.append(&mut b.pois);
        a.node_tags.append(&mut b.node_tags);
        a.restrictions.append(&mut b.restrictions);
        a.ctx.append(&mut b.ctx);
        a
    }

    fn into_data(self, context: bool) -> OsmData {
        OsmData {
            nodes_read: self.nodes.len(),
            nodes: NodeCoords::from_pairs(self.nodes),
            ways: self.ways,
            pois: self.pois,
            generator: None,
            ways_with_missing_nodes: 0,
            node_tags: self.node_tags.into_iter().collect(),
            restrictions: self.restrictions,
            context: Default::default(),
            raw_context: context.then_some(self.ctx),
        }
    }
}

fn corrupt(path: &Path, e: impl std::fmt::Display) -> InputError {
    InputError::file(path, format!("not a readable OSM PBF file (truncated or corrupt?): {e}"))
}

fn check_not_empty(path: &Path) -> Result<(), InputError> {
    let meta = std::fs::metadata(path).map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
    if meta.len() == 0 {
        return Err(InputError::file(path, "the file is empty"));
    }
    Ok(())
}

/// Reads a PBF file, its blobs decoded in parallel; with `context`, what
/// the map's context layers need too.
pub(super) fn read_pbf(path: &Path, context: bool) -> Result<OsmData, InputError> {
    check_not_empty(path)?;
    let reader = BlobReader::from_path(path).map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
    let mut parts = reader
        .par_bridge()
        .map(|blob| -> Result<Partial, osmpbf::Error> {
            let mut p = Partial::default();
            if let BlobDecode::OsmData(block) = blob?.decode()? {
                block.for_each_element(|el| p.take(el, context));
            }
            Ok(p)
        })
        .collect::<Result<Vec<Partial>, _>>()
        .map_err(|e| corrupt(path, e))?;
    // Back in file order (a file sorted by id then needs no sort of its
    // nodes), then appended.
    parts.sort_by_key(|p| p.first_id());
    let mut all = Partial::default();
    all.nodes.reserve_exact(parts.iter().map(|p| p.nodes.len()).sum());
    for mut p in parts {
        all.nodes.append(&mut p.nodes);
        all.ways.append(&mut p.ways);
        all.pois.append(&mut p.pois);
        all.node_tags.append(&mut p.node_tags);
        all.restrictions.append(&mut p.restrictions);
        all.ctx.append(&mut p.ctx);
    }
    Ok(all.into_data(context))
}

/// The reader as it was before blobs were decoded whole: osmpbf's
/// `par_map_reduce` with one partial per element, every node kept. The
/// baseline the benchmarks measure the reader against, and the twin the
/// tests compare its output with.
#[cfg(any(test, feature = "testdata"))]
pub(super) fn read_pbf_per_element(path: &Path) -> Result<OsmData, InputError> {
    check_not_empty(path)?;
    let reader = osmpbf::ElementReader::from_path(path).map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
    let merged = reader
        .par_map_reduce(
            |el| {
                let mut p = Partial::default();
                p.take(el, false);
                p
            },
            Partial::default,
            Partial::merge,
        )
        .map_err(|e| corrupt(path, e))?;
    Ok(merged.into_data(false))
}
