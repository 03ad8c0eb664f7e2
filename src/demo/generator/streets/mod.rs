//! The street network: town grids, country lanes, main roads between the
//! towns, three bridges over the river, a motorway with two junctions, and
//! the odd one-way street, footway and private road.
//!
//! Streets run along the sides of a lattice cell grid a little finer than the
//! zones' (every zone's centre is near one), so no street crosses another
//! without a junction and none crosses the river except on the bridges. Main
//! roads are shortest paths over that grid between towns, bridges and
//! motorway junctions (with a penalty per turn, so they run straight). Then
//! country lanes are thinned at random, never cutting the network in two.

mod check;
mod countryside;
mod extras;
mod motorway;
mod roads;

pub use check::{check, directed_graph, strong_component};

use super::grid::{self, Lattice, T_UNITS, X_UNITS};
use super::layout::{self, BANK_OFFSET_M, Side, TOWNS, VILLAGES};
use super::zones::ZoneSet;
use std::collections::{BTreeMap, BTreeSet};

/// OSM `highway` classes the demo uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Highway {
    /// `motorway`.
    Motorway,
    /// `motorway_link` (slip roads).
    MotorwayLink,
    /// `primary`: between towns, to the bridges and the motorway.
    Primary,
    /// `secondary`.
    Secondary,
    /// `tertiary`: to villages and out of the region.
    Tertiary,
    /// `unclassified`: country lanes.
    Unclassified,
    /// `residential`: town and village streets.
    Residential,
    /// `service`.
    Service,
    /// `footway`.
    Footway,
}

impl Highway {
    /// The OSM tag value.
    pub fn tag(self) -> &'static str {
        match self {
            Highway::Motorway => "motorway",
            Highway::MotorwayLink => "motorway_link",
            Highway::Primary => "primary",
            Highway::Secondary => "secondary",
            Highway::Tertiary => "tertiary",
            Highway::Unclassified => "unclassified",
            Highway::Residential => "residential",
            Highway::Service => "service",
            Highway::Footway => "footway",
        }
    }
    /// Whether buses run on it (not motorways, service roads or footways).
    pub fn carries_buses(self) -> bool {
        matches!(self, Highway::Primary | Highway::Secondary | Highway::Tertiary | Highway::Unclassified | Highway::Residential)
    }
}

/// Direction of travel on a street, relative to its node order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Oneway {
    /// Both ways.
    No,
    /// Only in node order.
    Forward,
    /// Only against node order.
    Backward,
}

/// The line a street lies on: lattice lines are merged into long ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LineKey {
    /// A lattice line of constant t.
    T(Side, i32),
    /// A lattice line of constant x.
    X(Side, i32),
    /// A street of its own (bridge, motorway, spur...), numbered in order of creation.
    Own(usize),
}

/// One street: a polyline of nodes with its OSM tags.
#[derive(Debug, Clone)]
pub struct Street {
    /// Node indices; lattice streets run west to east or from the river outwards.
    pub nodes: Vec<usize>,
    /// The line it lies on.
    pub line: LineKey,
    /// Position along the line (lattice units) for ordering.
    pub pos: i32,
    /// OSM `highway`.
    pub highway: Highway,
    /// OSM `name`.
    pub name: Option<String>,
    /// OSM `maxspeed`.
    pub maxspeed: Option<&'static str>,
    /// Direction of travel.
    pub oneway: Oneway,
    /// Write as `oneway=-1`, nodes against the direction of travel.
    pub minus_one: bool,
    /// Further tags, in the order written.
    pub tags: Vec<(&'static str, String)>,
    /// Part of a main road.
    pub main: bool,
    /// Kept when lanes are thinned (nearest street of a zone).
    pub protected: bool,
    /// Still in the network.
    pub alive: bool,
}

impl Street {
    fn new(nodes: Vec<usize>, line: LineKey, highway: Highway) -> Self {
        Street {
            nodes,
            line,
            pos: 0,
            highway,
            name: None,
            maxspeed: None,
            oneway: Oneway::No,
            minus_one: false,
            tags: Vec::new(),
            main: false,
            protected: false,
            alive: true,
        }
    }
    /// Whether cars may use it (not a footway, not private).
    pub fn carries_cars(&self) -> bool {
        self.alive && self.highway != Highway::Footway && !self.tags.iter().any(|(k, v)| *k == "access" && v == "private")
    }
    /// Value of a further tag.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
    }
}

/// A tagged node that is not part of a street (an amenity).
#[derive(Debug, Clone)]
pub struct Poi {
    /// Node index.
    pub node: usize,
    /// Tags in the order written.
    pub tags: Vec<(&'static str, String)>,
}

/// The demo's whole map: nodes, streets, amenity nodes and the river.
#[derive(Debug, Clone)]
pub struct StreetNet {
    /// Node positions, metres.
    pub nodes: Vec<[f64; 2]>,
    /// Streets (dead ones are kept but not written).
    pub streets: Vec<Street>,
    /// Amenity nodes.
    pub pois: Vec<Poi>,
    /// The river's nodes, west to east.
    pub river: Vec<usize>,
    /// The node at each town's centre.
    pub town_nodes: Vec<usize>,
    /// The node at each village's centre.
    pub village_nodes: Vec<usize>,
    lattice: Lattice,
    vertex: BTreeMap<(Side, i32, i32), usize>,
    bank: BTreeMap<(Side, i32), usize>,
    by_span: BTreeMap<(LineKey, i32, i32), usize>,
    used_cells: BTreeSet<usize>,
    own_lines: usize,
}

/// A bridge: lattice x, class, name.
const BRIDGES: [(i32, Highway, &str); 3] =
    [(240, Highway::Secondary, "Mill Bridge"), (600, Highway::Primary, "King's Bridge"), (1020, Highway::Secondary, "Brook Bridge")];

/// Length of a polyline, metres.
pub fn polyline_len_m(pts: &[[f64; 2]]) -> f64 {
    pts.windows(2).map(|w| dist(w[0], w[1])).sum()
}

/// Distance between two points, metres.
pub fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// Distance from p to the segment ab, metres.
pub fn seg_dist(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let l2 = dx * dx + dy * dy;
    let s = if l2 > 0.0 { (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2).clamp(0.0, 1.0) } else { 0.0 };
    dist(p, [a[0] + s * dx, a[1] + s * dy])
}

impl StreetNet {
    /// Positions of a street's nodes.
    pub fn points(&self, s: &Street) -> Vec<[f64; 2]> {
        s.nodes.iter().map(|&n| self.nodes[n]).collect()
    }

    fn add_node(&mut self, p: [f64; 2]) -> usize {
        self.nodes.push(p);
        self.nodes.len() - 1
    }

    fn add_own(&mut self, nodes: Vec<usize>, highway: Highway) -> usize {
        let line = LineKey::Own(self.own_lines);
        self.own_lines += 1;
        self.streets.push(Street::new(nodes, line, highway));
        self.streets.len() - 1
    }

    /// The bank node where the lattice line x meets the river on `side`.
    fn bank_node(&mut self, side: Side, xu: i32) -> usize {
        if let Some(&n) = self.bank.get(&(side, xu)) {
            return n;
        }
        let x = grid::x_m(xu);
        let n = self.add_node([x, layout::river_y(x) + side.sign() * BANK_OFFSET_M]);
        self.bank.insert((side, xu), n);
        n
    }

    /// Streets along every lattice line inside the region (not along the river or the outer edge).
    fn add_lattice_streets(&mut self) {
        for (&(side, tu), xs) in &self.lattice.t_lines {
            for &xu in xs {
                let n = self.nodes.len();
                self.nodes.push(grid::vertex_m(side, xu, tu));
                self.vertex.insert((side, xu, tu), n);
            }
        }
        let mut spans = BTreeSet::new();
        for c in &self.lattice.cells {
            let ring = self.lattice.ring(c);
            for i in 0..ring.len() {
                let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
                if a.1 == b.1 && a.1 != 0 && a.1 != T_UNITS {
                    spans.insert((LineKey::T(c.side, a.1), a.0.min(b.0), a.0.max(b.0)));
                } else if a.0 == b.0 && a.0 != 0 && a.0 != X_UNITS {
                    spans.insert((LineKey::X(c.side, a.0), a.1.min(b.1), a.1.max(b.1)));
                }
            }
        }
        for (line, lo, hi) in spans {
            let nodes = match line {
                LineKey::T(side, tu) => {
                    let mut nodes = vec![self.vertex[&(side, lo, tu)]];
                    for x in layout::river_breaks_between(grid::x_m(lo), grid::x_m(hi)) {
                        let p = layout::point(side, x, grid::t_of(tu));
                        nodes.push(self.add_node(p));
                    }
                    nodes.push(self.vertex[&(side, hi, tu)]);
                    nodes
                }
                LineKey::X(side, xu) => {
                    let first = if lo == 0 { self.bank_node(side, xu) } else { self.vertex[&(side, xu, lo)] };
                    vec![first, self.vertex[&(side, xu, hi)]]
                }
                LineKey::Own(_) => continue,
            };
            let mut s = Street::new(nodes, line, Highway::Residential);
            s.pos = lo;
            self.by_span.insert((line, lo, hi), self.streets.len());
            self.streets.push(s);
        }
    }

    fn add_bridges(&mut self) {
        for (xu, highway, name) in BRIDGES {
            let (s, n) = (self.bank_node(Side::South, xu), self.bank_node(Side::North, xu));
            let i = self.add_own(vec![s, n], highway);
            let st = &mut self.streets[i];
            st.name = Some(name.to_string());
            st.maxspeed = Some("30 mph");
            st.tags = vec![("bridge", "yes".into()), ("layer", "1".into())];
            st.main = true;
            st.protected = true;
        }
    }

    /// Endpoint adjacency over alive lattice streets: (street, other end, orientation 0 = t-line, 1 = x-line).
    fn lattice_adjacency(&self) -> Vec<Vec<(usize, usize, u8)>> {
        let mut adj = vec![Vec::new(); self.nodes.len()];
        for (i, s) in self.streets.iter().enumerate() {
            let orient = match s.line {
                LineKey::T(..) => 0,
                LineKey::X(..) => 1,
                LineKey::Own(_) => continue,
            };
            if !s.alive {
                continue;
            }
            let (a, b) = (s.nodes[0], s.nodes[s.nodes.len() - 1]);
            adj[a].push((i, b, orient));
            adj[b].push((i, a, orient));
        }
        adj
    }

    /// The node of an alive lattice street end on `side` nearest `p`.
    fn nearest_lattice_node(&self, side: Side, p: [f64; 2]) -> Option<usize> {
        let adj = self.lattice_adjacency();
        self.vertex
            .iter()
            .filter(|((s, _, _), n)| *s == side && !adj[**n].is_empty())
            .map(|(_, &n)| n)
            .min_by(|&a, &b| dist(self.nodes[a], p).total_cmp(&dist(self.nodes[b], p)).then(a.cmp(&b)))
    }

    fn midpoint(&self, s: &Street) -> [f64; 2] {
        let (a, b) = (self.nodes[s.nodes[0]], self.nodes[s.nodes[s.nodes.len() - 1]]);
        [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]
    }

    fn add_river(&mut self) {
        let course = layout::river_course();
        self.river = course.into_iter().map(|p| self.add_node(p)).collect();
    }
}

/// The point `target` metres along a polyline and the unit direction there.
pub fn point_along(pts: &[[f64; 2]], target: f64) -> ([f64; 2], [f64; 2]) {
    let mut acc = 0.0;
    let mut last = ([0.0, 0.0], [1.0, 0.0]);
    for w in pts.windows(2) {
        let l = dist(w[0], w[1]);
        if l <= 0.0 {
            continue;
        }
        let dir = [(w[1][0] - w[0][0]) / l, (w[1][1] - w[0][1]) / l];
        if acc + l >= target {
            let f = ((target - acc) / l).clamp(0.0, 1.0);
            return ([w[0][0] + f * (w[1][0] - w[0][0]), w[0][1] + f * (w[1][1] - w[0][1])], dir);
        }
        acc += l;
        last = (w[1], dir);
    }
    last
}

/// How many ways a base cell is split for streets: finer where more people
/// live (blocks of about 170 m in the busiest town centres, 500 m in the
/// countryside), and never coarser than the zones.
fn street_split(zones: &ZoneSet, key: (Side, usize, usize)) -> i32 {
    let residents = zones.base_population.get(&key).copied().unwrap_or(0) as f64;
    let by_density = ((residents / 160.0).sqrt().round() as i32).clamp(2, 6);
    by_density.max(zones.splits.get(&key).copied().unwrap_or(1))
}

/// Builds the street network for the zones.
pub fn build(zones: &ZoneSet) -> crate::Result<StreetNet> {
    let lattice = Lattice::new(|s, c, r| street_split(zones, (s, c, r)));
    let mut net = StreetNet {
        nodes: Vec::new(),
        streets: Vec::new(),
        pois: Vec::new(),
        river: Vec::new(),
        town_nodes: Vec::new(),
        village_nodes: Vec::new(),
        lattice,
        vertex: BTreeMap::new(),
        bank: BTreeMap::new(),
        by_span: BTreeMap::new(),
        used_cells: BTreeSet::new(),
        own_lines: 0,
    };
    net.add_lattice_streets();
    net.add_bridges();
    let missing = || crate::Error::DemoGenerator("a town or village has no street".into());
    for t in &TOWNS {
        let n = net.nearest_lattice_node(t.side(), t.centre()).ok_or_else(missing)?;
        net.town_nodes.push(n);
    }
    for v in &VILLAGES {
        let c = v.centre();
        let n = net.nearest_lattice_node(layout::side_of(c), c).ok_or_else(missing)?;
        net.village_nodes.push(n);
    }
    net.add_main_roads()?;
    net.classify_and_name();
    net.protect_zone_streets(zones);
    net.thin_countryside();
    net.add_one_ways();
    net.add_footways();
    net.add_private_service();
    net.add_motorway();
    net.wiggle_country_lanes();
    net.add_river();
    Ok(net)
}
