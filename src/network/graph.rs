//! The routable street network of one mode: built from OSM ways with petgraph
//! (for the strongly-connected-component pass), then frozen into flat
//! compressed-sparse-row arrays that the searches read.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use std::time::Instant;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::geom::{Extent, LocalProjection, LonLat, haversine_m};
use crate::input::osm::{OsmData, tag};
use crate::network::access::{Barrier, barrier, way_use};
use crate::network::profile::{Period, Profile, StreetMode};
use crate::network::restrictions::{Via, rules_for};
use crate::network::snap::Snapper;
use crate::network::turns::{self, Directed, TurnLayout, TurnStats, flag};

/// Number of periods each edge carries a time for.
pub const PERIODS: usize = 2;

/// One stretch of street between two graph nodes (its shape is in the
/// network's [`Shapes`], under the same index). Each stretch is stored once,
/// whatever directions it may be travelled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Street {
    /// Graph node at the first point.
    pub a: u32,
    /// Graph node at the last point.
    pub b: u32,
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
    /// Open only to reach or leave places on it (the local-access rule):
    /// never driven through.
    pub local_only: bool,
}

/// The shapes of a network's streets in one flat array: street `s`'s points,
/// from its node `a` to its node `b`, are `points[first[s]..first[s + 1]]`.
/// One array instead of a vector per street: a county's two million streets
/// would otherwise each cost a 24-byte header and an allocation (about
/// 80 MB and two million calls to the allocator on the 1M-junction county).
#[derive(Debug, Clone, PartialEq)]
pub struct Shapes {
    points: Vec<LonLat>,
    first: Vec<u32>,
}

impl Default for Shapes {
    fn default() -> Self {
        Shapes { points: Vec::new(), first: vec![0] }
    }
}

impl Shapes {
    /// Adds the next street's shape; returns it.
    pub fn push(&mut self, points: impl IntoIterator<Item = LonLat>) -> &[LonLat] {
        let from = self.points.len();
        self.points.extend(points);
        self.first.push(self.points.len() as u32);
        &self.points[from..]
    }
    /// Removes the last street's shape.
    pub fn pop(&mut self) {
        if self.first.len() > 1 {
            self.first.pop();
            self.points.truncate(*self.first.last().unwrap_or(&0) as usize);
        }
    }
    /// The shape of street `s`.
    pub fn of(&self, s: usize) -> &[LonLat] {
        &self.points[self.first[s] as usize..self.first[s + 1] as usize]
    }
    /// Number of streets.
    pub fn len(&self) -> usize {
        self.first.len() - 1
    }
    /// Whether there are no streets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Every street's shape, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[LonLat]> + '_ {
        self.first.windows(2).map(|w| &self.points[w[0] as usize..w[1] as usize])
    }
    /// Keeps the shapes of the streets `keep` says, in order.
    pub fn retain(&mut self, keep: &[bool]) {
        let (mut w_pt, mut w_st) = (0usize, 0usize);
        for (s, _) in keep.iter().enumerate().take(self.len()).filter(|(_, k)| **k) {
            let (lo, hi) = (self.first[s] as usize, self.first[s + 1] as usize);
            self.points.copy_within(lo..hi, w_pt);
            w_pt += hi - lo;
            w_st += 1;
            self.first[w_st] = w_pt as u32;
        }
        self.points.truncate(w_pt);
        self.points.shrink_to_fit();
        self.first.truncate(w_st + 1);
        self.first.shrink_to_fit();
    }
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
    /// The adjacency of `edges` (tail, head, time, length) over `n` nodes:
    /// each node's edges sorted by head, ties in the order given.
    pub(crate) fn build(n: usize, edges: Vec<(u32, u32, [u32; PERIODS], f32)>) -> Self {
        let mut first = vec![0u32; n + 1];
        for e in &edges {
            first[e.0 as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        // Counting sort by tail (stable), then each node's edges by head.
        let mut next = first.clone();
        let mut order = vec![0u32; edges.len()];
        for (i, e) in edges.iter().enumerate() {
            order[next[e.0 as usize] as usize] = i as u32;
            next[e.0 as usize] += 1;
        }
        drop(next);
        for v in 0..n {
            order[first[v] as usize..first[v + 1] as usize].sort_by_key(|&i| edges[i as usize].1);
        }
        let head = order.iter().map(|&i| edges[i as usize].1).collect();
        let time_ms = order.iter().flat_map(|&i| edges[i as usize].2).collect();
        let length_m = order.iter().map(|&i| edges[i as usize].3).collect();
        Csr { first, head, time_ms, length_m }
    }

    /// The same edges turned round: each node's incoming edges, sorted by
    /// the node they come from (ties in this adjacency's order). Equal to
    /// [`Csr::build`] on the reversed edge list.
    pub fn transpose(&self) -> Csr {
        let n = self.node_count();
        let mut first = vec![0u32; n + 1];
        for &h in &self.head {
            first[h as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let m = self.head.len();
        let mut next = first.clone();
        let mut head = vec![0u32; m];
        let mut time_ms = vec![0u32; m * PERIODS];
        let mut length_m = vec![0f32; m];
        for tail in 0..n {
            for k in self.first[tail] as usize..self.first[tail + 1] as usize {
                let h = self.head[k] as usize;
                let at = next[h] as usize;
                next[h] += 1;
                head[at] = tail as u32;
                time_ms[at * PERIODS..(at + 1) * PERIODS].copy_from_slice(&self.time_ms[k * PERIODS..(k + 1) * PERIODS]);
                length_m[at] = self.length_m[k];
            }
        }
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
    /// Barrier nodes on usable ways that close them to this mode.
    pub barriers_closing: usize,
    /// Gates on usable ways this mode passes after a stop.
    pub gates: usize,
    /// Traffic signals, stop and give-way signs on usable ways.
    pub signals_and_signs: usize,
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
        )?;
        if self.barriers_closing + self.gates + self.signals_and_signs > 0 {
            write!(f, "; {} barriers close streets, {} gates, {} signals and signs", self.barriers_closing, self.gates, self.signals_and_signs)?;
        }
        Ok(())
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
    /// Reverse adjacency (edges turned round), for searches towards a
    /// target: made from `forward` when first asked for ([`Network::reverse`]),
    /// since the street matrix packs its own reverse graph from `forward`
    /// and most studies never need this one.
    reverse: OnceLock<Csr>,
    /// The contraction hierarchy's order and chordal graph (the same for
    /// every period), made when a matrix first asks for it
    /// ([`Network::hierarchy`]); `None` inside when too dense to pay.
    hierarchy: OnceLock<Option<crate::network::cch::Cch>>,
    /// The streets.
    pub streets: Vec<Street>,
    /// Their shapes, for snapping and drawing (street `s`'s is `shapes.of(s)`).
    pub shapes: Shapes,
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
    /// For car and cycle, the searches run on directed streets with the
    /// turns between them ([`crate::network::turns`]); this maps their states
    /// to streets. `None` for walking, searched on nodes.
    pub turns: Option<TurnLayout>,
    /// Turn restrictions used and not used, junction rules (car and cycle).
    pub turn_stats: TurnStats,
    /// How long each step of the build took, seconds, in order (the search
    /// graph's and the snapping index's steps ran side by side).
    pub build_steps: Vec<(&'static str, f64)>,
}

/// Times the steps of a build.
struct StepClock {
    last: Instant,
    steps: Vec<(&'static str, f64)>,
}

impl StepClock {
    fn new() -> Self {
        StepClock { last: Instant::now(), steps: Vec::new() }
    }
    /// Ends step `name`.
    fn step(&mut self, name: &'static str) {
        let now = Instant::now();
        self.steps.push((name, (now - self.last).as_secs_f64()));
        self.last = now;
    }
}

/// Forward and reverse adjacency of `streets` on their `n` nodes.
fn node_csrs(streets: &[Street], n: usize) -> Csr {
    let mut fwd = Vec::with_capacity(streets.len() * 2);
    for s in streets {
        if let Some(t) = s.forward_ms {
            fwd.push((s.a, s.b, t, s.length_m as f32));
        }
        if let Some(t) = s.backward_ms {
            fwd.push((s.b, s.a, t, s.length_m as f32));
        }
    }
    Csr::build(n, fwd)
}

/// Open streets that can be reached only through local-only ones (a public
/// stretch inside a private estate) are local-only too: otherwise a journey
/// ending there could never arrive, since the local-access rule lets it
/// enter the estate but not leave it again onto open streets. Keeps the
/// largest strongly connected part of the open streets open.
fn mark_reached_only_through_local(streets: &mut [Street], n: usize) {
    if !streets.iter().any(|s| s.local_only) {
        // The streets are one strongly connected part already (the build
        // kept only its largest), all open: nothing to mark.
        return;
    }
    let (in_open, _) = largest_strong_part(n, streets.iter().filter(|s| !s.local_only));
    for s in streets.iter_mut() {
        s.local_only |= !(in_open[s.a as usize] && in_open[s.b as usize]);
    }
}

/// Which of `n` nodes lie in the largest strongly connected part of
/// `streets` (in the directions each may be travelled), and how many parts
/// there are.
fn largest_strong_part<'s>(n: usize, streets: impl Iterator<Item = &'s Street>) -> (Vec<bool>, usize) {
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(n, 2 * n);
    for _ in 0..n {
        g.add_node(());
    }
    for s in streets {
        if s.forward_ms.is_some() {
            g.add_edge(NodeIndex::new(s.a as usize), NodeIndex::new(s.b as usize), ());
        }
        if s.backward_ms.is_some() {
            g.add_edge(NodeIndex::new(s.b as usize), NodeIndex::new(s.a as usize), ());
        }
    }
    let sccs = petgraph::algo::kosaraju_scc(&g);
    let mut inside = vec![false; n];
    if let Some(largest) = sccs.iter().max_by_key(|c| c.len()) {
        for v in largest {
            inside[v.index()] = true;
        }
    }
    (inside, sccs.len())
}

/// Directed edges of `streets`: one per direction each may be travelled in.
fn directed_count(streets: &[Street]) -> usize {
    streets.iter().map(|s| usize::from(s.forward_ms.is_some()) + usize::from(s.backward_ms.is_some())).sum()
}

/// Milliseconds to cover `length_m` at `speed_kmh`, at least 1.
pub fn travel_ms(length_m: f64, speed_kmh: f64) -> u32 {
    ((length_m / (speed_kmh / 3.6)) * 1000.0).round().clamp(1.0, u32::MAX as f64 / 4.0) as u32
}

impl Network {
    /// Builds the network of `mode` from OSM data.
    pub fn build(osm: &OsmData, mode: StreetMode, profile: &Profile) -> Network {
        let mut clock = StepClock::new();
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
        let j = &profile.junctions;
        let vehicle = mode != StreetMode::Walk;

        // Each usable way's nodes as indices into the node table (every node
        // of a kept way is there once the file is loaded), one flat array.
        let mut refs: Vec<u32> = Vec::new();
        let mut refs_first: Vec<usize> = Vec::with_capacity(usable.len() + 1);
        refs_first.push(0);
        for (i, _) in &usable {
            refs.extend(osm.ways[*i].nodes.iter().filter_map(|n| osm.nodes.index_of(*n)));
            refs_first.push(refs.len());
        }
        let way_refs = |k: usize| &refs[refs_first[k]..refs_first[k + 1]];
        let n_osm = osm.nodes.len();

        // A graph node is where a way ends, where two usable ways meet, or
        // where a barrier closes the way (each street end gets its own node
        // there, so nothing passes).
        let mut uses = vec![0u8; n_osm];
        for k in 0..usable.len() {
            let nodes = way_refs(k);
            for (i, &n) in nodes.iter().enumerate() {
                let add = if i == 0 || i + 1 == nodes.len() { 2 } else { 1 };
                uses[n as usize] = uses[n as usize].saturating_add(add);
            }
        }
        // What stands at each node that matters: barriers, signals, signs.
        let mut node_flags = vec![0u8; n_osm];
        let mut blocked = vec![false; n_osm];
        for (id, t) in &osm.node_tags {
            let Some(ix) = osm.nodes.index_of(*id).map(|i| i as usize) else { continue };
            if uses[ix] == 0 {
                continue;
            }
            let mut fl = 0u8;
            match barrier(t, mode) {
                Barrier::Block => {
                    blocked[ix] = true;
                    stats.barriers_closing += 1;
                }
                Barrier::Gate => {
                    fl |= flag::GATE;
                    stats.gates += 1;
                }
                Barrier::Pass => {}
            }
            if vehicle {
                fl |= match tag(t, "highway") {
                    Some("traffic_signals") => flag::SIGNALS,
                    Some("stop") => flag::STOP,
                    Some("give_way") => flag::GIVE_WAY,
                    _ => 0,
                };
                stats.signals_and_signs += usize::from(fl & !flag::GATE != 0);
            }
            if fl != 0 && (vehicle || fl & flag::GATE == 0) {
                node_flags[ix] = fl;
            }
        }
        // Which way a sign or signal on a way faces: `Some(true)` traffic
        // going the way's direction, `Some(false)` against, `None` both.
        let facing = |id: i64| -> Option<bool> {
            let t = osm.node_tags.get(&id)?;
            match tag(t, "traffic_signals:direction").or_else(|| tag(t, "direction")) {
                Some("forward") => Some(true),
                Some("backward") => Some(false),
                _ => None,
            }
        };
        let delay_s = |fl: u8| -> f64 {
            let mut s = 0.0;
            if fl & flag::SIGNALS != 0 {
                s += j.traffic_signals_s;
            }
            if fl & flag::STOP != 0 {
                s += j.stop_s;
            }
            if fl & flag::GIVE_WAY != 0 {
                s += j.give_way_s;
            }
            if fl & flag::GATE != 0 && vehicle {
                s += j.gate_s;
            }
            s
        };
        clock.step("node uses and flags");

        // Graph node of each OSM node (by index), and each graph node's OSM node.
        let mut node_of = vec![turns::NONE; n_osm];
        let mut node_point = Vec::new();
        let mut node_ix: Vec<u32> = Vec::new();
        let mut classes: Vec<String> = Vec::new();
        let mut streets = Vec::new();
        let mut shapes = Shapes::default();
        for (k, (i, u)) in usable.iter().enumerate() {
            let way = &osm.ways[*i];
            let class_name = tag(&way.tags, "highway").unwrap_or("road");
            let class = match classes.iter().position(|c| c == class_name) {
                Some(c) => c,
                None => {
                    classes.push(class_name.to_string());
                    classes.len() - 1
                }
            } as u16;
            let nodes = way_refs(k);
            let mut start = 0;
            for k in 1..nodes.len() {
                let ix = nodes[k] as usize;
                let is_node = k + 1 == nodes.len() || uses[ix] >= 2 || blocked[ix];
                if !is_node {
                    continue;
                }
                let ids = &nodes[start..=k];
                start = k;
                if ids[0] == ids[ids.len() - 1] {
                    continue; // a loop back to the same node adds no route
                }
                let points = shapes.push(ids.iter().map(|&n| osm.nodes.point(n)));
                let length_m: f64 = points.windows(2).map(|p| haversine_m(p[0], p[1])).sum();
                let (first_point, last_point) = (points[0], points[points.len() - 1]);
                if length_m <= 0.0 {
                    shapes.pop();
                    continue; // nor does a zero-length stretch
                }
                // Signals, signs and gates part-way along the stretch.
                let (mut fwd_s, mut bwd_s) = (0.0, 0.0);
                for &mid in &ids[1..ids.len() - 1] {
                    let fl = node_flags[mid as usize];
                    if fl != 0 {
                        let d = delay_s(fl);
                        match (fl & flag::GATE == 0).then(|| facing(osm.nodes.id(mid))).flatten() {
                            Some(true) => fwd_s += d,
                            Some(false) => bwd_s += d,
                            None => {
                                fwd_s += d;
                                bwd_s += d;
                            }
                        }
                    }
                }
                let mut node = |ix: u32, p: LonLat| -> u32 {
                    let known = node_of[ix as usize];
                    if known != turns::NONE && !blocked[ix as usize] {
                        return known;
                    }
                    node_point.push(p);
                    node_ix.push(ix);
                    let v = (node_point.len() - 1) as u32;
                    if !blocked[ix as usize] {
                        node_of[ix as usize] = v;
                    }
                    v
                };
                let a = node(ids[0], first_point);
                let b = node(ids[ids.len() - 1], last_point);
                let ms = |sp: [f64; 2], extra_s: f64| {
                    let extra = |p: Period| {
                        let f = if p == Period::Peak { j.peak_factor } else { 1.0 };
                        (extra_s * f * 1000.0).round() as u32
                    };
                    [
                        travel_ms(length_m, sp[Period::Offpeak.index()]) + extra(Period::Offpeak),
                        travel_ms(length_m, sp[Period::Peak.index()]) + extra(Period::Peak),
                    ]
                };
                streets.push(Street {
                    a,
                    b,
                    length_m,
                    forward_ms: u.forward.then(|| ms(u.speed_kmh, fwd_s)),
                    backward_ms: u.backward.then(|| ms(u.speed_kmh, bwd_s)),
                    class,
                    way_id: way.id,
                    local_only: u.local_only,
                });
            }
        }
        drop((refs, refs_first, uses, node_of, blocked));
        clock.step("streets");

        // Keep the largest strongly connected component.
        stats.nodes_before = node_point.len();
        stats.edges_before = directed_count(&streets);
        let (in_largest, parts) = largest_strong_part(node_point.len(), streets.iter());
        stats.parts_dropped = parts.saturating_sub(1);
        let mut new_id = vec![u32::MAX; node_point.len()];
        let mut kept_points = Vec::new();
        let mut kept_ix = Vec::new();
        for ni in (0..node_point.len()).filter(|&v| in_largest[v]) {
            new_id[ni] = kept_points.len() as u32;
            kept_points.push(node_point[ni]);
            kept_ix.push(node_ix[ni]);
        }
        drop((node_point, node_ix, in_largest));
        let keep: Vec<bool> = streets.iter().map(|s| new_id[s.a as usize] != u32::MAX && new_id[s.b as usize] != u32::MAX).collect();
        shapes.retain(&keep);
        streets.retain_mut(|s| {
            let (a, b) = (new_id[s.a as usize], new_id[s.b as usize]);
            if a == u32::MAX || b == u32::MAX {
                return false;
            }
            s.a = a;
            s.b = b;
            true
        });
        drop((new_id, keep));
        streets.shrink_to_fit();
        let n = kept_points.len();
        if vehicle {
            mark_reached_only_through_local(&mut streets, n);
        }
        clock.step("largest connected part");
        stats.nodes_dropped = stats.nodes_before - n;
        stats.edges_dropped = stats.edges_before - directed_count(&streets);
        let centre = Extent::of(kept_points.iter().copied()).map_or(LonLat::new(0.0, 0.0), |e| e.centre());
        let projection = LocalProjection::new(centre);

        // The search graph and the snapping index need only the streets:
        // built side by side.
        let streets_ref = &streets;
        let shapes_ref = &shapes;
        let graph = || {
            let mut steps = StepClock::new();
            let out = if vehicle {
                let flags: Vec<u8> = kept_ix.iter().map(|&ix| node_flags[ix as usize]).collect();
                let mut ts = TurnStats::default();
                let (rules, unused) = rules_for(&osm.restrictions, mode);
                // Only the ways the rules name are looked up.
                let named: HashSet<i64> = rules
                    .iter()
                    .flat_map(|r| {
                        let via = match &r.via {
                            Via::Ways(ws) => ws.as_slice(),
                            Via::Node(_) => &[],
                        };
                        [r.from, r.to].into_iter().chain(via.iter().copied())
                    })
                    .collect();
                let way_ends: HashMap<i64, (i64, i64)> =
                    osm.ways.iter().filter(|w| named.contains(&w.id)).filter_map(|w| Some((w.id, (*w.nodes.first()?, *w.nodes.last()?)))).collect();
                let usable_ids: HashSet<i64> = usable.iter().map(|(i, _)| osm.ways[*i].id).filter(|id| named.contains(id)).collect();
                let kept_osm: Vec<i64> = kept_ix.iter().map(|&ix| osm.nodes.id(ix)).collect();
                let edge_rules = turns::resolve(streets_ref, &kept_osm, &way_ends, &usable_ids, &rules, &unused, &mut ts);
                drop(kept_osm);
                steps.step("turn restrictions placed");
                let dir = Directed::new(streets_ref, shapes_ref, n, &classes);
                steps.step("directed streets");
                let tg = turns::build(&dir, mode, j, &flags, &edge_rules, &mut ts);
                steps.step("turn graph");
                (tg.forward, Some(tg.layout), ts)
            } else {
                let f = node_csrs(streets_ref, n);
                steps.step("node graph");
                (f, None, TurnStats::default())
            };
            (out, steps)
        };
        let index = || {
            let mut steps = StepClock::new();
            let snapper = Snapper::new(shapes_ref, &projection);
            steps.step("snapping index");
            let obstacles = crate::network::snap::obstacles::Obstacles::from_osm(osm, &projection);
            steps.step("obstacle index");
            (snapper.with_obstacles(obstacles), steps)
        };
        let (((forward, turns, turn_stats), graph_steps), (snapper, index_steps)) = rayon::join(graph, index);
        clock.steps.extend(graph_steps.steps.into_iter().chain(index_steps.steps));
        clock.step("(wall time of the two side by side)");
        Network {
            mode,
            node_point: kept_points,
            forward,
            reverse: OnceLock::new(),
            hierarchy: OnceLock::new(),
            streets,
            shapes,
            classes,
            walk_mps: profile.walk_mps(),
            projection,
            stats,
            snapper,
            turns,
            turn_stats,
            build_steps: clock.steps,
        }
    }

    /// The same streets searched on nodes, with no turn rules, restrictions
    /// or local-access phases: the baseline the turn-aware graph is measured
    /// against (memory, search time), and what walking always uses.
    pub fn without_turns(&self) -> Network {
        let forward = node_csrs(&self.streets, self.node_count());
        Network { forward, reverse: OnceLock::new(), hierarchy: OnceLock::new(), turns: None, turn_stats: TurnStats::default(), ..self.clone() }
    }

    /// The reverse adjacency (every arc turned round), made from the forward
    /// one the first time it is asked for and kept.
    pub fn reverse(&self) -> &Csr {
        self.reverse.get_or_init(|| self.forward.transpose())
    }

    /// The contraction hierarchy of the search graph, made the first time
    /// it is asked for and kept; `None` when its chordal graph would be too
    /// dense to pay ([`crate::network::cch::MAX_ARCS_PER_STATE`]).
    pub fn hierarchy(&self) -> Option<&crate::network::cch::Cch> {
        // Made outside the cell, not in `get_or_init`: its making runs on
        // rayon, whose waiting threads take other work, and a matrix of
        // the same network taken up that way must not wait on the cell its
        // own thread is filling. Two threads asking at once may both make
        // it; the first kept is used.
        if self.hierarchy.get().is_none() {
            let _ = self.hierarchy.set(crate::network::cch::Cch::new(&self.forward, |s| self.node_point[self.state_node(s) as usize]));
        }
        self.hierarchy.get().and_then(Option::as_ref)
    }

    /// Bytes held by the search graph (forward, and reverse once made) and,
    /// for car and cycle, the map from states to streets.
    pub fn search_bytes(&self) -> usize {
        let csr = |c: &Csr| c.first.len() * 4 + c.head.len() * 4 + c.time_ms.len() * 4 + c.length_m.len() * 4;
        let layout =
            self.turns.as_ref().map_or(0, |l| (l.state_edge.len() + l.start_state.len() + l.states_first.len() + l.states.len()) * 4 + l.node_flags.len());
        csr(&self.forward) + self.reverse.get().map_or(0, csr) + layout
    }

    /// Number of search states: graph nodes for walking, directed streets
    /// (and their copies) for car and cycle.
    pub fn state_count(&self) -> usize {
        self.forward.node_count()
    }

    /// Number of graph nodes.
    pub fn node_count(&self) -> usize {
        self.node_point.len()
    }

    /// Number of directed edges.
    pub fn edge_count(&self) -> usize {
        directed_count(&self.streets)
    }

    /// Number of arcs the searches follow: directed edges for walking,
    /// allowed turns (a street driven and the turn at its end) for car and cycle.
    pub fn arc_count(&self) -> usize {
        self.forward.edge_count()
    }

    /// Extent of the network's nodes.
    pub fn extent(&self) -> Option<Extent> {
        Extent::of(self.node_point.iter().copied())
    }
}
