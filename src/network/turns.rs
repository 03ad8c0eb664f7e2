//! The edge-based graph that car and cycle searches run on: a search state
//! is "at the start of a directed street, committed to it", and an arc from
//! one state to the next is driving the street and turning into the next
//! one. That is where the rules of the road live:
//!
//! - **turn restrictions**: a forbidden turn has no arc; an `only_*` turn
//!   leaves one; a restriction along one or more via ways is kept by copying
//!   the states along the via ways (a copy knows it came from the restricted
//!   way, and lacks the forbidden turn at the end);
//! - **the local-access rule**: a street open only to reach places on it
//!   (`private`, `destination`, `delivery`, `customers`) has two states, one
//!   for leaving (a journey that starts there may drive out to open streets)
//!   and one for arriving (a journey that enters may not leave again onto
//!   open streets), so it is never a through route;
//! - **junction delays**: signals, stop and give-way signs, gates, and turns
//!   by angle, right turns across the traffic dearer than left ones where
//!   traffic drives on the left, joining a busier road a give-way;
//! - **U-turns** only where nothing else is possible.
//!
//! Walking is searched on nodes (walkers turn as they like): see [`super::graph`].

use std::collections::HashMap;

use rayon::prelude::*;

use crate::geom::LonLat;
use crate::network::graph::{Csr, PERIODS, Shapes, Street};
use crate::network::profile::{DriveOn, Junctions, StreetMode};
use crate::network::restrictions::{TurnRule, Unused, Via};

/// A state or street direction that does not exist.
pub const NONE: u32 = u32::MAX;

/// Node flags: what stands at a graph node.
pub mod flag {
    /// `highway=traffic_signals`.
    pub const SIGNALS: u8 = 1;
    /// `highway=stop`.
    pub const STOP: u8 = 2;
    /// `highway=give_way`.
    pub const GIVE_WAY: u8 = 4;
    /// A gate the mode passes after opening it.
    pub const GATE: u8 = 8;
}

/// Which phase of the local-access rule a state is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// On an open street.
    Through,
    /// On a local-only street the journey started in.
    Leaving,
    /// On a local-only street the journey is ending in.
    Arriving,
}

/// How the states map to streets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TurnLayout {
    /// The directed street each state stands for: `street * 2` forward,
    /// `street * 2 + 1` backward.
    pub state_edge: Vec<u32>,
    /// Per directed street, the state a journey starting on it is in
    /// ([`NONE`] when the direction is not allowed).
    pub start_state: Vec<u32>,
    /// Per directed street, its states are `states[states_first[d]..states_first[d + 1]]`.
    pub states_first: Vec<u32>,
    /// States of each directed street (see `states_first`).
    pub states: Vec<u32>,
    /// What stands at each graph node ([`flag`] bits).
    pub node_flags: Vec<u8>,
    /// The restrictions the graph encodes.
    pub rules: Vec<EdgeRule>,
}

impl TurnLayout {
    /// Number of states.
    pub fn state_count(&self) -> usize {
        self.state_edge.len()
    }
    /// All states of directed street `d`.
    pub fn states_of(&self, d: u32) -> &[u32] {
        &self.states[self.states_first[d as usize] as usize..self.states_first[d as usize + 1] as usize]
    }
}

/// What the edge-based build used and could not use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TurnStats {
    /// Restriction rules honoured (a relation may give several).
    pub rules_honoured: usize,
    /// Relations honoured.
    pub relations_honoured: usize,
    /// Relations that do not bind this mode, with why.
    pub not_for_mode: Vec<(i64, String)>,
    /// Relations that could not be used, with why.
    pub not_understood: Vec<(i64, String)>,
    /// Turns forbidden by restrictions.
    pub turns_forbidden: usize,
    /// States added by copying for via-way restrictions.
    pub via_copies: usize,
    /// Directed streets open only for local access.
    pub local_only_edges: usize,
}

impl TurnStats {
    /// One line saying what the rules of the road did on a network of `mode`.
    pub fn summary(&self, mode: StreetMode) -> String {
        let total = self.relations_honoured + self.not_for_mode.len() + self.not_understood.len();
        let mut s = format!(
            "{} turn restrictions: {} of {} relations honoured ({} turns forbidden, {} states copied for restrictions along ways)",
            mode.name(),
            self.relations_honoured,
            total,
            self.turns_forbidden,
            self.via_copies
        );
        if !self.not_for_mode.is_empty() {
            let list: Vec<String> = self.not_for_mode.iter().map(|(id, why)| format!("{id} ({why})")).collect();
            s += &format!("; {} do not bind {}: {}", self.not_for_mode.len(), mode.name(), list.join(", "));
        }
        if !self.not_understood.is_empty() {
            s += &format!("; {} not understood (see warnings)", self.not_understood.len());
        }
        s += &format!(
            "; {} street directions open only to journeys that start or end on them (private, destination, delivery, customers)",
            self.local_only_edges
        );
        s
    }
}

/// A rule in terms of directed streets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeRule {
    /// Relation id.
    pub relation: i64,
    /// `only_*` rather than `no_*`.
    pub only: bool,
    /// Directed street coming in.
    pub from: u32,
    /// Directed streets of the via ways, in order (empty for a via node).
    pub via: Vec<u32>,
    /// Directed street going out.
    pub to: u32,
}

/// Everything the turn costs and rules need, per directed street.
pub struct Directed<'a> {
    streets: &'a [Street],
    /// Per graph node, the directed streets leaving it are
    /// `out[out_first[v]..out_first[v + 1]]`.
    out_first: Vec<u32>,
    /// Directed streets by the node they leave (see `out_first`).
    out: Vec<u32>,
    /// Per graph node, the number of streets meeting there.
    degree: Vec<u32>,
    /// Per graph node, the most important class rank meeting there.
    best_rank: Vec<u8>,
    /// Class rank per street.
    rank: Vec<u8>,
    /// Per directed street, its bearing as it leaves its tail, degrees.
    out_bearing: Vec<f64>,
}

/// Directed street helpers.
pub fn tail(streets: &[Street], d: u32) -> u32 {
    let s = &streets[(d / 2) as usize];
    if d.is_multiple_of(2) { s.a } else { s.b }
}
/// The node a directed street ends at.
pub fn head(streets: &[Street], d: u32) -> u32 {
    let s = &streets[(d / 2) as usize];
    if d.is_multiple_of(2) { s.b } else { s.a }
}
/// The time of a directed street per period, if it may be driven that way.
pub fn edge_ms(streets: &[Street], d: u32) -> Option<[u32; PERIODS]> {
    let s = &streets[(d / 2) as usize];
    if d.is_multiple_of(2) { s.forward_ms } else { s.backward_ms }
}

/// Importance of a highway class, 0 most important.
pub fn class_rank(class: &str) -> u8 {
    match class.trim_end_matches("_link") {
        "motorway" => 0,
        "trunk" => 1,
        "primary" => 2,
        "secondary" => 3,
        "tertiary" => 4,
        "unclassified" | "residential" | "road" => 5,
        _ => 6,
    }
}

/// Compass bearing (degrees clockwise from north) of the line a to b.
fn bearing(a: LonLat, b: LonLat) -> f64 {
    let dx = (b.lon - a.lon) * a.lat.to_radians().cos();
    let dy = b.lat - a.lat;
    dx.atan2(dy).to_degrees()
}

/// Bearing of a polyline leaving its first point, looking about 15 m ahead.
fn leaving_bearing<'p>(mut points: impl Iterator<Item = &'p LonLat>) -> f64 {
    let Some(&a) = points.next() else { return 0.0 };
    let (mut prev, mut acc) = (a, 0.0);
    for &p in points {
        acc += crate::geom::haversine_m(prev, p);
        prev = p;
        if acc >= 15.0 {
            break;
        }
    }
    bearing(a, prev)
}

impl<'a> Directed<'a> {
    /// Indexes the directed streets of `streets` over `n` nodes.
    pub fn new(streets: &'a [Street], shapes: &Shapes, n: usize, classes: &[String]) -> Self {
        let mut degree = vec![0u32; n];
        let mut best_rank = vec![u8::MAX; n];
        let class_ranks: Vec<u8> = classes.iter().map(|c| class_rank(c)).collect();
        let rank: Vec<u8> = streets.iter().map(|s| class_ranks[s.class as usize]).collect();
        // The directed streets leaving each node, in street order, counted
        // then placed (one array, not a list per node).
        let leaving = |si: usize, s: &Street| [(s.forward_ms.is_some(), s.a, si as u32 * 2), (s.backward_ms.is_some(), s.b, si as u32 * 2 + 1)];
        let mut out_first = vec![0u32; n + 1];
        for (si, s) in streets.iter().enumerate() {
            for (open, v, _) in leaving(si, s) {
                out_first[v as usize + 1] += u32::from(open);
            }
            for v in [s.a, s.b] {
                degree[v as usize] += 1;
                best_rank[v as usize] = best_rank[v as usize].min(rank[si]);
            }
        }
        for v in 0..n {
            out_first[v + 1] += out_first[v];
        }
        let mut next = out_first.clone();
        let mut out = vec![0u32; out_first[n] as usize];
        for (si, s) in streets.iter().enumerate() {
            for (open, v, d) in leaving(si, s) {
                if open {
                    out[next[v as usize] as usize] = d;
                    next[v as usize] += 1;
                }
            }
        }
        let out_bearing = shapes.iter().flat_map(|pts| [leaving_bearing(pts.iter()), leaving_bearing(pts.iter().rev())]).collect();
        Directed { streets, out_first, out, degree, best_rank, rank, out_bearing }
    }

    /// Directed streets leaving node `v`.
    pub fn out_of(&self, v: u32) -> &[u32] {
        &self.out[self.out_first[v as usize] as usize..self.out_first[v as usize + 1] as usize]
    }

    /// The bearing of directed street `d` as it leaves its tail.
    fn out_bearing(&self, d: u32) -> f64 {
        self.out_bearing[d as usize]
    }

    /// The bearing of directed street `d` as it arrives at its head.
    fn in_bearing(&self, d: u32) -> f64 {
        // Arriving along d is leaving its head along the reverse, turned round.
        let b = self.out_bearing(d ^ 1);
        if b > 0.0 { b - 180.0 } else { b + 180.0 }
    }

    /// Delay (ms per period) of turning from `e` into `f` at their shared
    /// node `v`, whose flags are `flags`.
    pub fn turn_ms(&self, j: &Junctions, mode: StreetMode, flags: u8, e: u32, f: u32) -> [u32; PERIODS] {
        let v = head(self.streets, e) as usize;
        let u_turn = f == e ^ 1;
        let minor_approach = self.rank[(e / 2) as usize] > self.best_rank[v] || self.degree[v] <= 2;
        let mut s = 0.0;
        if flags & flag::SIGNALS != 0 {
            s += j.traffic_signals_s;
        }
        if flags & flag::STOP != 0 && minor_approach {
            s += j.stop_s;
        }
        if flags & flag::GIVE_WAY != 0 && minor_approach {
            s += j.give_way_s;
        }
        if flags & flag::GATE != 0 {
            s += j.gate_s;
        }
        if mode == StreetMode::Car {
            if u_turn {
                s += j.u_turn_s;
            } else if self.degree[v] >= 3 {
                let mut angle = self.out_bearing(f) - self.in_bearing(e);
                while angle > 180.0 {
                    angle -= 360.0;
                }
                while angle <= -180.0 {
                    angle += 360.0;
                }
                let factor = ((angle.abs() - 20.0) / 70.0).clamp(0.0, 1.5);
                let across = match j.drive_on {
                    DriveOn::Left => angle > 0.0,
                    DriveOn::Right => angle < 0.0,
                };
                s += factor * if across { j.turn_across_traffic_s } else { j.turn_with_traffic_s };
                let controlled = flags & (flag::SIGNALS | flag::STOP | flag::GIVE_WAY) != 0;
                if !controlled && self.rank[(f / 2) as usize] < self.rank[(e / 2) as usize] {
                    // Joining a busier road: give way to its traffic.
                    s += j.give_way_s;
                }
            }
        }
        let ms = |sec: f64| (sec * 1000.0).round() as u32;
        let mut out = [0; PERIODS];
        out[0] = ms(s);
        out[1] = ms(s * j.peak_factor);
        out
    }
}

/// The turns allowed from directed street `e` at its head, after the via-node
/// rules (`rules_at`: only/no targets for `e`) and the U-turn rule.
pub fn allowed_turns(dir: &Directed, e: u32, rules: &[(bool, u32)]) -> Vec<u32> {
    let mut out = Vec::new();
    allowed_turns_into(dir, e, rules, &mut out);
    out
}

/// [`allowed_turns`] written into `out` (cleared first), to reuse one buffer.
fn allowed_turns_into(dir: &Directed, e: u32, rules: &[(bool, u32)], out: &mut Vec<u32>) {
    out.clear();
    let v = head(dir.streets, e);
    let any_only = rules.iter().any(|r| r.0);
    let permitted = |f: u32| if any_only { rules.iter().any(|&(o, t)| o && t == f) } else { !rules.iter().any(|&(o, t)| !o && t == f) };
    out.extend(dir.out_of(v).iter().copied().filter(|&f| f != e ^ 1 && permitted(f)));
    if out.is_empty() && dir.out_of(v).contains(&(e ^ 1)) && permitted(e ^ 1) {
        out.push(e ^ 1);
    }
}

/// The built graph: state adjacency (forward: the network turns it round
/// when a search needs it) and the layout.
pub struct TurnGraph {
    /// Forward arcs between states.
    pub forward: Csr,
    /// States and streets.
    pub layout: TurnLayout,
}

/// An arc out of a state: (to state, weight ms per period, length m).
type Arc = (u32, [u32; PERIODS], f32);

/// The arcs out of every state while the graph is built: the original
/// states' arcs in flat arrays (in state order, each state's sorted by the
/// state it leads to, as the search graph holds them), and, for the few
/// states the via-way rules edit or add, a list of their own.
struct Arcs {
    first: Vec<u32>,
    head: Vec<u32>,
    time_ms: Vec<u32>,
    length_m: Vec<f32>,
    edited: HashMap<u32, Vec<Arc>>,
    count: u32,
}

impl Arcs {
    fn with_capacity(states: usize, arcs: usize) -> Self {
        let mut first = Vec::with_capacity(states + 1);
        first.push(0);
        Arcs {
            first,
            head: Vec::with_capacity(arcs),
            time_ms: Vec::with_capacity(arcs * PERIODS),
            length_m: Vec::with_capacity(arcs),
            edited: HashMap::new(),
            count: 0,
        }
    }

    /// Appends the next original state's arcs (already sorted by target).
    fn push_state(&mut self, arcs: &[Arc]) {
        for &(t, w, l) in arcs {
            self.head.push(t);
            self.time_ms.extend_from_slice(&w);
            self.length_m.push(l);
        }
        self.first.push(self.head.len() as u32);
        self.count += 1;
    }

    /// Appends the original states of `other` (which has no edited ones)
    /// after this one's.
    fn append(&mut self, other: Arcs) {
        debug_assert!(other.edited.is_empty() && self.edited.is_empty());
        let offset = self.head.len() as u32;
        self.first.extend(other.first[1..].iter().map(|f| f + offset));
        self.head.extend_from_slice(&other.head);
        self.time_ms.extend_from_slice(&other.time_ms);
        self.length_m.extend_from_slice(&other.length_m);
        self.count += other.count;
    }

    fn base(&self, s: u32) -> Vec<Arc> {
        let k = self.first[s as usize] as usize..self.first[s as usize + 1] as usize;
        k.map(|k| (self.head[k], [self.time_ms[k * PERIODS], self.time_ms[k * PERIODS + 1]], self.length_m[k])).collect()
    }

    /// The arcs out of `s`.
    fn of(&self, s: u32) -> Vec<Arc> {
        self.edited.get(&s).cloned().unwrap_or_else(|| self.base(s))
    }

    /// The arcs out of `s`, to edit.
    fn of_mut(&mut self, s: u32) -> &mut Vec<Arc> {
        if !self.edited.contains_key(&s) {
            let list = self.base(s);
            self.edited.insert(s, list);
        }
        self.edited.entry(s).or_default()
    }

    /// Adds a state with these arcs; its number.
    fn add_state(&mut self, arcs: Vec<Arc>) -> u32 {
        let s = self.count;
        self.edited.insert(s, arcs);
        self.count += 1;
        s
    }

    /// The forward adjacency, each state's arcs sorted by target (ties in
    /// the order they were made).
    fn into_csr(self) -> Csr {
        if self.edited.is_empty() {
            return Csr { first: self.first, head: self.head, time_ms: self.time_ms, length_m: self.length_m };
        }
        let base_states = self.first.len() - 1;
        let mut out = Arcs::with_capacity(self.count as usize, self.head.len());
        for s in 0..self.count {
            let mut list = match self.edited.get(&s) {
                Some(l) => l.clone(),
                None if (s as usize) < base_states => self.base(s),
                None => Vec::new(),
            };
            list.sort_by_key(|a| a.0);
            out.push_state(&list);
        }
        Csr { first: out.first, head: out.head, time_ms: out.time_ms, length_m: out.length_m }
    }
}

/// Builds the state graph. `local_only` per street; `flags` per node;
/// `rules` already resolved to directed streets.
pub fn build(dir: &Directed, mode: StreetMode, j: &Junctions, flags: &[u8], rules: &[EdgeRule], stats: &mut TurnStats) -> TurnGraph {
    let streets = dir.streets;
    let n_dir = streets.len() * 2;
    // States per directed street: one, or two for a local-only street,
    // numbered in directed-street order, so a street's own states are
    // `own_first[d]..own_first[d + 1]`.
    let mut state_edge = Vec::new();
    let mut phase = Vec::new();
    let mut start_state = vec![NONE; n_dir];
    let mut own_first = vec![0u32; n_dir + 1];
    for d in 0..n_dir as u32 {
        own_first[d as usize] = state_edge.len() as u32;
        if edge_ms(streets, d).is_none() {
            continue;
        }
        let local = streets[(d / 2) as usize].local_only;
        let phases: &[Phase] = if local { &[Phase::Leaving, Phase::Arriving] } else { &[Phase::Through] };
        if local {
            stats.local_only_edges += 1;
        }
        start_state[d as usize] = state_edge.len() as u32;
        for &p in phases {
            state_edge.push(d);
            phase.push(p);
        }
    }
    own_first[n_dir] = state_edge.len() as u32;
    let own = |d: u32| own_first[d as usize]..own_first[d as usize + 1];
    // Via-node rules by the street they come from.
    let mut node_rules: HashMap<u32, Vec<(bool, u32)>> = HashMap::new();
    for r in rules.iter().filter(|r| r.via.is_empty()) {
        node_rules.entry(r.from).or_default().push((r.only, r.to));
    }
    // Arcs, state by state: a street's states come one after the other, so
    // each street's turns are worked out once and written for each state.
    // Runs of directed streets are worked on in parallel and joined in order:
    // the same arrays as one pass.
    let arcs_of_street = |e: u32, turns: &mut Vec<u32>, per_state: &mut [Vec<Arc>; 2], forbidden: &mut usize, arcs: &mut Arcs| {
        let Some(ce) = edge_ms(streets, e) else { return };
        let v = head(streets, e);
        let rules_here = node_rules.get(&e).map_or(&[][..], |r| r.as_slice());
        allowed_turns_into(dir, e, rules_here, turns);
        if !rules_here.is_empty() {
            let unrestricted = allowed_turns(dir, e, &[]);
            *forbidden += unrestricted.iter().filter(|f| !turns.contains(f)).count();
        }
        let len = streets[(e / 2) as usize].length_m as f32;
        let states = own(e);
        for list in per_state.iter_mut() {
            list.clear();
        }
        for &f in turns.iter() {
            let t = dir.turn_ms(j, mode, flags[v as usize], e, f);
            let w = [ce[0].saturating_add(t[0]), ce[1].saturating_add(t[1])];
            let f_local = streets[(f / 2) as usize].local_only;
            for (k, se) in states.clone().enumerate() {
                let target = match (phase[se as usize], f_local) {
                    (Phase::Through, false) | (Phase::Leaving, false) => Phase::Through,
                    (Phase::Through, true) | (Phase::Arriving, true) => Phase::Arriving,
                    (Phase::Leaving, true) => Phase::Leaving,
                    (Phase::Arriving, false) => continue,
                };
                if let Some(sf) = own(f).find(|&s| phase[s as usize] == target) {
                    per_state[k].push((sf, w, len));
                }
            }
        }
        for list in per_state.iter_mut().take(states.len()) {
            list.sort_by_key(|a| a.0);
            arcs.push_state(list);
        }
    };
    let run = |streets_run: std::ops::Range<u32>| {
        let states_run = own_first[streets_run.end as usize] - own_first[streets_run.start as usize];
        let mut arcs = Arcs::with_capacity(states_run as usize, states_run as usize * 3);
        let mut forbidden = 0;
        let mut turns = Vec::new();
        let mut per_state: [Vec<Arc>; 2] = [Vec::new(), Vec::new()];
        for e in streets_run {
            arcs_of_street(e, &mut turns, &mut per_state, &mut forbidden, &mut arcs);
        }
        (arcs, forbidden)
    };
    let runs = 8 * rayon::current_num_threads() as u32;
    let per_run = (n_dir as u32).div_ceil(runs).max(1);
    let parts: Vec<(Arcs, usize)> =
        (0..n_dir as u32).step_by(per_run as usize).map(|a| a..(a + per_run).min(n_dir as u32)).collect::<Vec<_>>().into_par_iter().map(run).collect();
    let mut arcs = Arcs::with_capacity(state_edge.len(), parts.iter().map(|(p, _)| p.head.len()).sum());
    for (part, forbidden) in parts {
        arcs.append(part);
        stats.turns_forbidden += forbidden;
    }
    // Via-way rules: copy the states along the via streets.
    for r in rules.iter().filter(|r| !r.via.is_empty()) {
        for sf in own(r.from) {
            extend_copy(&mut arcs, &mut state_edge, &mut phase, sf, r, 0, stats);
        }
    }
    // Every state of a directed street, originals first, then copies.
    let mut states_first = vec![0u32; n_dir + 1];
    for &d in &state_edge {
        states_first[d as usize + 1] += 1;
    }
    for d in 0..n_dir {
        states_first[d + 1] += states_first[d];
    }
    let mut next = states_first.clone();
    let mut states = vec![0u32; state_edge.len()];
    for (s, &d) in state_edge.iter().enumerate() {
        states[next[d as usize] as usize] = s as u32;
        next[d as usize] += 1;
    }
    drop(next);
    let forward = arcs.into_csr();
    TurnGraph { forward, layout: TurnLayout { state_edge, start_state, states_first, states, node_flags: flags.to_vec(), rules: rules.to_vec() } }
}

/// From state `cur`, having matched `r.via[..k]`, copies the next via state
/// (or, at the end, drops or keeps the turns into `r.to`).
fn extend_copy(arcs: &mut Arcs, state_edge: &mut Vec<u32>, phase: &mut Vec<Phase>, cur: u32, r: &EdgeRule, k: usize, stats: &mut TurnStats) {
    if k == r.via.len() {
        let to = r.to;
        let edges = &*state_edge;
        let list = arcs.of_mut(cur);
        let before = list.len();
        list.retain(|&(t, _, _)| (edges[t as usize] == to) == r.only);
        stats.turns_forbidden += before - list.len();
        return;
    }
    let next = r.via[k];
    let targets: Vec<u32> = arcs.of(cur).iter().map(|a| a.0).collect();
    for (i, target) in targets.into_iter().enumerate() {
        if state_edge[target as usize] != next {
            continue;
        }
        state_edge.push(next);
        phase.push(phase[target as usize]);
        let copy = arcs.add_state(arcs.of(target));
        arcs.of_mut(cur)[i].0 = copy;
        stats.via_copies += 1;
        extend_copy(arcs, state_edge, phase, copy, r, k + 1, stats);
    }
}

/// Resolves the rules read from relations (OSM ids) to directed streets.
/// `node_osm` gives each graph node's OSM id; `way_ends` each way's first and
/// last node ids; `usable` the ways the mode may use. Rules that cannot be
/// placed go to `stats.not_understood` (or `not_for_mode` when a way they
/// name is not on this network).
pub fn resolve(
    streets: &[Street],
    node_osm: &[i64],
    way_ends: &HashMap<i64, (i64, i64)>,
    usable: &std::collections::HashSet<i64>,
    rules: &[TurnRule],
    unused: &[Unused],
    stats: &mut TurnStats,
) -> Vec<EdgeRule> {
    for u in unused {
        if u.not_for_mode {
            stats.not_for_mode.push((u.relation, u.why.clone()));
        } else {
            stats.not_understood.push((u.relation, u.why.clone()));
        }
    }
    if rules.is_empty() {
        stats.not_for_mode.sort();
        stats.not_understood.sort();
        stats.rules_honoured = 0;
        stats.relations_honoured = 0;
        return Vec::new();
    }
    // The pieces of the ways the rules name, and the graph nodes of the
    // OSM nodes they may turn at (via nodes and those ways' ends): nothing
    // else is looked up.
    let mut named: std::collections::HashSet<i64> = std::collections::HashSet::new();
    let mut at_nodes: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for r in rules {
        named.extend([r.from, r.to]);
        match &r.via {
            Via::Ways(ws) => named.extend(ws.iter().copied()),
            Via::Node(v) => {
                at_nodes.insert(*v);
            }
        }
    }
    for w in &named {
        if let Some(&(a, b)) = way_ends.get(w) {
            at_nodes.extend([a, b]);
        }
    }
    let mut pieces: HashMap<i64, Vec<u32>> = HashMap::new();
    for (si, s) in streets.iter().enumerate() {
        if named.contains(&s.way_id) {
            pieces.entry(s.way_id).or_default().push(si as u32);
        }
    }
    let mut nodes_of: HashMap<i64, Vec<u32>> = HashMap::new();
    for (v, &id) in node_osm.iter().enumerate() {
        if at_nodes.contains(&id) {
            nodes_of.entry(id).or_default().push(v as u32);
        }
    }
    let allowed = |d: u32| edge_ms(streets, d).is_some();
    // Directed streets of `way` ending at (or, `leaving`, starting from) OSM node `at`.
    let touching = |way: i64, at: i64, leaving: bool| -> Vec<u32> {
        let targets = nodes_of.get(&at).map_or(&[][..], |v| v.as_slice());
        let mut out = Vec::new();
        for &si in pieces.get(&way).map_or(&[][..], |p| p.as_slice()) {
            for d in [si * 2, si * 2 + 1] {
                let n = if leaving { tail(streets, d) } else { head(streets, d) };
                if allowed(d) && targets.contains(&n) {
                    out.push(d);
                }
            }
        }
        out
    };
    let mut out = Vec::new();
    let mut failed: HashMap<i64, (String, bool)> = HashMap::new();
    let mut placed: HashMap<i64, usize> = HashMap::new();
    for r in rules {
        let res = place(r, streets, &pieces, way_ends, usable, &touching);
        match res {
            Ok(er) => {
                *placed.entry(r.relation).or_default() += 1;
                out.push(er);
            }
            Err(why) => {
                failed.entry(r.relation).or_insert(why);
            }
        }
    }
    let mut failed: Vec<(i64, (String, bool))> = failed.into_iter().filter(|(id, _)| !placed.contains_key(id)).collect();
    failed.sort_by_key(|(id, _)| *id);
    for (id, (why, moot)) in failed {
        if moot {
            stats.not_for_mode.push((id, why));
        } else {
            stats.not_understood.push((id, why));
        }
    }
    stats.not_for_mode.sort();
    stats.not_understood.sort();
    stats.rules_honoured = out.len();
    stats.relations_honoured = placed.len();
    out
}

/// Places one rule; `Err((why, moot))`, `moot` when a way it names is not on
/// this network (so the rule cannot bind it).
fn place(
    r: &TurnRule,
    streets: &[Street],
    pieces: &HashMap<i64, Vec<u32>>,
    way_ends: &HashMap<i64, (i64, i64)>,
    usable: &std::collections::HashSet<i64>,
    touching: &dyn Fn(i64, i64, bool) -> Vec<u32>,
) -> Result<EdgeRule, (String, bool)> {
    for w in std::iter::once(r.from).chain(std::iter::once(r.to)).chain(match &r.via {
        Via::Ways(ws) => ws.clone(),
        Via::Node(_) => Vec::new(),
    }) {
        if !pieces.contains_key(&w) {
            let why = if usable.contains(&w) {
                format!("way {w} is cut off from the network (outside its largest connected part)")
            } else if way_ends.contains_key(&w) {
                format!("way {w} is closed to this mode")
            } else {
                format!("way {w} is not in the extract")
            };
            return Err((why, true));
        }
    }
    let one = |found: Vec<u32>, what: &str, way: i64, at: i64| -> Result<u32, (String, bool)> {
        match found.as_slice() {
            [d] => Ok(*d),
            [] => Err((format!("{what} way {way} cannot be driven {} node {at}", if what == "from" { "into" } else { "out of" }), true)),
            _ => Err((format!("{what} way {way} passes through node {at} instead of ending there"), false)),
        }
    };
    match &r.via {
        Via::Node(v) => {
            let from = one(touching(r.from, *v, false), "from", r.from, *v)?;
            let to = if r.from == r.to {
                let back = touching(r.to, *v, true);
                if back.contains(&(from ^ 1)) { from ^ 1 } else { one(back, "to", r.to, *v)? }
            } else {
                one(touching(r.to, *v, true), "to", r.to, *v)?
            };
            Ok(EdgeRule { relation: r.relation, only: r.only, from, via: Vec::new(), to })
        }
        Via::Ways(ws) => {
            let ends = |w: i64| way_ends.get(&w).copied().ok_or((format!("way {w} is not in the extract"), true));
            let shared = |a: i64, b: i64| -> Result<i64, (String, bool)> {
                let (a0, a1) = ends(a)?;
                let (b0, b1) = ends(b)?;
                [a0, a1].into_iter().find(|n| *n == b0 || *n == b1).ok_or((format!("ways {a} and {b} do not meet at an end"), false))
            };
            let mut at = shared(r.from, ws[0])?;
            let from = one(touching(r.from, at, false), "from", r.from, at)?;
            let mut via = Vec::new();
            for (i, &w) in ws.iter().enumerate() {
                let (w0, w1) = ends(w)?;
                if w0 == w1 {
                    return Err((format!("via way {w} is a closed loop"), false));
                }
                let forward = at == w0;
                let other = if forward { w1 } else { w0 };
                let next = if i + 1 < ws.len() { ws[i + 1] } else { r.to };
                let meet = shared(w, next)?;
                if meet != other {
                    return Err((format!("via way {w} does not lead from {} to {}", if i == 0 { r.from } else { ws[i - 1] }, next), false));
                }
                let mut list: Vec<u32> = pieces[&w].iter().map(|&si| si * 2 + u32::from(!forward)).collect();
                if !forward {
                    list.reverse();
                }
                for &d in &list {
                    if edge_ms(streets, d).is_none() {
                        return Err((format!("via way {w} cannot be driven in the restricted direction"), true));
                    }
                }
                // The pieces must chain end to end.
                if list.windows(2).any(|p| head(streets, p[0]) != tail(streets, p[1])) {
                    return Err((format!("via way {w} is broken on this network"), false));
                }
                via.extend(list);
                at = other;
            }
            let to = one(touching(r.to, at, true), "to", r.to, at)?;
            if let (Some(&first), Some(&last)) = (via.first(), via.last())
                && (head(streets, from) != tail(streets, first) || head(streets, last) != tail(streets, to))
            {
                return Err(("the from, via and to ways do not join".into(), false));
            }
            Ok(EdgeRule { relation: r.relation, only: r.only, from, via, to })
        }
    }
}
