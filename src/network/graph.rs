//! The routable street network of one mode: built from OSM ways with petgraph
//! (for the strongly-connected-component pass), then frozen into flat
//! compressed-sparse-row arrays that the searches read.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::geom::{Extent, LocalProjection, LonLat, haversine_m};
use crate::input::osm::{OsmData, tag};
use crate::network::access::way_use;
use crate::network::profile::{Period, Profile, StreetMode};
use crate::network::snap::Snapper;

/// Number of periods each edge carries a time for.
pub const PERIODS: usize = 2;

/// One stretch of street between two graph nodes, with its shape. Each
/// stretch is stored once, whatever directions it may be travelled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Street {
    /// Graph node at the first point.
    pub a: u32,
    /// Graph node at the last point.
    pub b: u32,
    /// Shape, from `a` to `b`.
    pub points: Vec<LonLat>,
    /// Length, metres.
    pub length_m: f64,
    /// Travel time a to b per period, ms, when allowed.
    pub forward_ms: Option<[u32; PERIODS]>,
    /// Travel time b to a per period, ms, when allowed.
    pub backward_ms: Option<[u32; PERIODS]>,
    /// Index into [`Network::classes`]: the `highway` value.
    pub class: u16,
    /// OSM way id it comes from.
    pub way_id: i64,
}

/// Adjacency in compressed-sparse-row form: the edges leaving node `n` are
/// `first[n]..first[n + 1]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Csr {
    /// Offsets into the edge arrays, one per node plus one.
    pub first: Vec<u32>,
    /// The node each edge leads to.
    pub head: Vec<u32>,
    /// Edge time per period, ms, laid out `edge * PERIODS + period`.
    pub time_ms: Vec<u32>,
    /// Edge length, metres.
    pub length_m: Vec<f32>,
}

impl Csr {
    fn build(n: usize, mut edges: Vec<(u32, u32, [u32; PERIODS], f32)>) -> Self {
        edges.sort_by_key(|e| (e.0, e.1));
        let mut first = vec![0u32; n + 1];
        for e in &edges {
            first[e.0 as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let head = edges.iter().map(|e| e.1).collect();
        let time_ms = edges.iter().flat_map(|e| e.2).collect();
        let length_m = edges.iter().map(|e| e.3).collect();
        Csr { first, head, time_ms, length_m }
    }
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.first.len().saturating_sub(1)
    }
    /// Number of directed edges.
    pub fn edge_count(&self) -> usize {
        self.head.len()
    }
}

/// What building a network kept and dropped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildStats {
    /// Highway ways in the file.
    pub highway_ways: usize,
    /// Ways this mode may use.
    pub usable_ways: usize,
    /// Graph nodes before keeping the largest strongly connected component.
    pub nodes_before: usize,
    /// Directed edges before.
    pub edges_before: usize,
    /// Graph nodes dropped (outside the largest component).
    pub nodes_dropped: usize,
    /// Directed edges dropped.
    pub edges_dropped: usize,
    /// Smaller disconnected parts dropped.
    pub parts_dropped: usize,
    /// Ways whose `maxspeed` was not understood (the class default was used).
    pub maxspeed_not_understood: usize,
}

impl std::fmt::Display for BuildStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} street ways usable; largest connected part keeps {} nodes and {} directed edges (dropped {} nodes, {} edges in {} smaller parts){}",
            self.usable_ways,
            self.highway_ways,
            self.nodes_before - self.nodes_dropped,
            self.edges_before - self.edges_dropped,
            self.nodes_dropped,
            self.edges_dropped,
            self.parts_dropped,
            if self.maxspeed_not_understood > 0 {
                format!("; {} maxspeed tags not understood (class default used)", self.maxspeed_not_understood)
            } else {
                String::new()
            }
        )
    }
}

/// The routable network of one mode.
#[derive(Debug, Clone)]
pub struct Network {
    /// The mode it is for.
    pub mode: StreetMode,
    /// Position of each graph node.
    pub node_point: Vec<LonLat>,
    /// Forward adjacency.
    pub forward: Csr,
    /// Reverse adjacency (edges turned round), for searches towards a target.
    pub reverse: Csr,
    /// The streets, with shapes, for snapping and drawing.
    pub streets: Vec<Street>,
    /// Highway class names (`Street::class` indexes this).
    pub classes: Vec<String>,
    /// Walking speed for the door-to-street legs, m/s.
    pub walk_mps: f64,
    /// Metric projection used by snapping and isochrones.
    pub projection: LocalProjection,
    /// What the build kept and dropped.
    pub stats: BuildStats,
    /// Spatial index over the streets' segments.
    pub snapper: Snapper,
}

/// Milliseconds to cover `length_m` at `speed_kmh`, at least 1.
pub fn travel_ms(length_m: f64, speed_kmh: f64) -> u32 {
    ((length_m / (speed_kmh / 3.6)) * 1000.0).round().clamp(1.0, u32::MAX as f64 / 4.0) as u32
}

impl Network {
    /// Builds the network of `mode` from OSM data.
    pub fn build(osm: &OsmData, mode: StreetMode, profile: &Profile) -> Network {
        let mut stats = BuildStats::default();
        let mut usable = Vec::new();
        for (i, w) in osm.ways.iter().enumerate() {
            if tag(&w.tags, "highway").is_none() {
                continue;
            }
            stats.highway_ways += 1;
            if let Some(u) = way_use(&w.tags, mode, profile) {
                stats.maxspeed_not_understood += usize::from(u.maxspeed_not_understood);
                usable.push((i, u));
            }
        }
        stats.usable_ways = usable.len();

        // A graph node is where a way ends or where two usable ways meet.
        let mut uses: HashMap<i64, u32> = HashMap::new();
        for (i, _) in &usable {
            let nodes = &osm.ways[*i].nodes;
            for (k, n) in nodes.iter().enumerate() {
                let add = if k == 0 || k + 1 == nodes.len() { 2 } else { 1 };
                *uses.entry(*n).or_insert(0) += add;
            }
        }
        let mut node_of: HashMap<i64, u32> = HashMap::new();
        let mut node_point = Vec::new();
        let mut classes: Vec<String> = Vec::new();
        let mut streets = Vec::new();
        for (i, u) in &usable {
            let way = &osm.ways[*i];
            let class_name = tag(&way.tags, "highway").unwrap_or("road");
            let class = match classes.iter().position(|c| c == class_name) {
                Some(c) => c,
                None => {
                    classes.push(class_name.to_string());
                    classes.len() - 1
                }
            } as u16;
            let mut start = 0;
            for k in 1..way.nodes.len() {
                let is_node = k + 1 == way.nodes.len() || uses.get(&way.nodes[k]).copied().unwrap_or(0) >= 2;
                if !is_node {
                    continue;
                }
                let ids = &way.nodes[start..=k];
                start = k;
                let points: Vec<LonLat> = ids.iter().filter_map(|n| osm.nodes.get(n).copied()).collect();
                let length_m: f64 = points.windows(2).map(|p| haversine_m(p[0], p[1])).sum();
                if ids[0] == ids[ids.len() - 1] || length_m <= 0.0 {
                    continue; // a loop back to the same node or a zero-length stretch adds no route
                }
                let mut node = |id: i64, p: LonLat| -> u32 {
                    *node_of.entry(id).or_insert_with(|| {
                        node_point.push(p);
                        (node_point.len() - 1) as u32
                    })
                };
                let a = node(ids[0], points[0]);
                let b = node(ids[ids.len() - 1], points[points.len() - 1]);
                let ms = |sp: [f64; 2]| [travel_ms(length_m, sp[Period::Offpeak.index()]), travel_ms(length_m, sp[Period::Peak.index()])];
                streets.push(Street {
                    a,
                    b,
                    points,
                    length_m,
                    forward_ms: u.forward.then(|| ms(u.speed_kmh)),
                    backward_ms: u.backward.then(|| ms(u.speed_kmh)),
                    class,
                    way_id: way.id,
                });
            }
        }

        // Keep the largest strongly connected component.
        let mut g: DiGraph<(), ()> = DiGraph::with_capacity(node_point.len(), streets.len() * 2);
        for _ in 0..node_point.len() {
            g.add_node(());
        }
        for s in &streets {
            if s.forward_ms.is_some() {
                g.add_edge(NodeIndex::new(s.a as usize), NodeIndex::new(s.b as usize), ());
            }
            if s.backward_ms.is_some() {
                g.add_edge(NodeIndex::new(s.b as usize), NodeIndex::new(s.a as usize), ());
            }
        }
        stats.nodes_before = g.node_count();
        stats.edges_before = g.edge_count();
        let sccs = petgraph::algo::kosaraju_scc(&g);
        stats.parts_dropped = sccs.len().saturating_sub(1);
        let largest = sccs.iter().max_by_key(|c| c.len()).cloned().unwrap_or_default();
        let mut new_id = vec![u32::MAX; node_point.len()];
        let mut kept_points = Vec::with_capacity(largest.len());
        let mut sorted = largest;
        sorted.sort();
        for ni in sorted {
            new_id[ni.index()] = kept_points.len() as u32;
            kept_points.push(node_point[ni.index()]);
        }
        streets.retain_mut(|s| {
            let (a, b) = (new_id[s.a as usize], new_id[s.b as usize]);
            if a == u32::MAX || b == u32::MAX {
                return false;
            }
            s.a = a;
            s.b = b;
            true
        });
        let n = kept_points.len();
        let mut fwd = Vec::with_capacity(streets.len() * 2);
        for s in &streets {
            if let Some(t) = s.forward_ms {
                fwd.push((s.a, s.b, t, s.length_m as f32));
            }
            if let Some(t) = s.backward_ms {
                fwd.push((s.b, s.a, t, s.length_m as f32));
            }
        }
        let rev = fwd.iter().map(|&(a, b, t, l)| (b, a, t, l)).collect();
        let forward = Csr::build(n, fwd);
        let reverse = Csr::build(n, rev);
        stats.nodes_dropped = stats.nodes_before - n;
        stats.edges_dropped = stats.edges_before - forward.edge_count();
        let centre = Extent::of(kept_points.iter().copied()).map_or(LonLat::new(0.0, 0.0), |e| e.centre());
        let projection = LocalProjection::new(centre);
        let snapper = Snapper::new(&streets, &projection).with_obstacles(crate::network::snap::obstacles::Obstacles::from_osm(osm, &projection));
        Network { mode, node_point: kept_points, forward, reverse, streets, classes, walk_mps: profile.walk_mps(), projection, stats, snapper }
    }

    /// Number of graph nodes.
    pub fn node_count(&self) -> usize {
        self.node_point.len()
    }

    /// Number of directed edges.
    pub fn edge_count(&self) -> usize {
        self.forward.edge_count()
    }

    /// Extent of the network's nodes.
    pub fn extent(&self) -> Option<Extent> {
        Extent::of(self.node_point.iter().copied())
    }
}
