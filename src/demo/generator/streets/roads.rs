//! Main roads and street names: primary, secondary and tertiary roads are
//! cheapest paths over the lattice (with a penalty per turn, so they run
//! straight) between towns, bridges, villages and the motorway junctions;
//! every other street is a town street or a country lane, named from a pool
//! per place, with a speed limit.

use super::motorway::JUNCTIONS;
use super::{BRIDGES, Highway, LineKey, StreetNet, polyline_len_m};
use crate::demo::generator::grid::T_UNITS;
use crate::demo::generator::layout::{self, Side, TOWNS};
use crate::demo::generator::rng::SplitMix64;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// Where a main road starts, passes or ends.
#[derive(Debug, Clone, Copy)]
enum Anchor {
    Town(usize),
    Village(usize),
    BridgeNorth(usize),
    BridgeSouth(usize),
    JunctionTop(usize),
    Edge(Side, [f64; 2]),
}

/// The main roads, in order of precedence.
const MAIN_ROADS: &[(Highway, &str, &[Anchor])] = &[
    (Highway::Primary, "Westholm Road", &[Anchor::Town(0), Anchor::Town(1)]),
    (Highway::Primary, "Eastbrook Road", &[Anchor::Town(1), Anchor::Town(2)]),
    (Highway::Primary, "Bridge Road", &[Anchor::Town(1), Anchor::BridgeNorth(1)]),
    (Highway::Primary, "Northgate Road", &[Anchor::BridgeSouth(1), Anchor::Town(4)]),
    (Highway::Primary, "London Road", &[Anchor::Town(3), Anchor::Town(4)]),
    (Highway::Primary, "Ashby Road", &[Anchor::Town(4), Anchor::Town(5)]),
    (Highway::Primary, "Junction Road", &[Anchor::Town(3), Anchor::JunctionTop(0)]),
    (Highway::Primary, "Vale Road", &[Anchor::Town(5), Anchor::JunctionTop(1)]),
    (Highway::Secondary, "Ford Road", &[Anchor::Town(0), Anchor::BridgeNorth(0)]),
    (Highway::Secondary, "Mill Road", &[Anchor::BridgeSouth(0), Anchor::Town(3)]),
    (Highway::Secondary, "Brook Road", &[Anchor::Town(2), Anchor::BridgeNorth(2)]),
    (Highway::Secondary, "Brookside Road", &[Anchor::BridgeSouth(2), Anchor::Town(5)]),
    (Highway::Tertiary, "Hollowfield Road", &[Anchor::Village(0), Anchor::Town(0)]),
    (Highway::Tertiary, "Stonecross Road", &[Anchor::Village(1), Anchor::Town(1)]),
    (Highway::Tertiary, "Fenwick Road", &[Anchor::Village(2), Anchor::Town(2)]),
    (Highway::Tertiary, "Marden Road", &[Anchor::Village(3), Anchor::Town(3)]),
    (Highway::Tertiary, "Oakhurst Road", &[Anchor::Village(4), Anchor::Town(4)]),
    (Highway::Tertiary, "Thornby Road", &[Anchor::Village(5), Anchor::Town(5)]),
    (Highway::Tertiary, "Little Ashby Road", &[Anchor::Village(6), Anchor::Town(5)]),
    (Highway::Tertiary, "Downs Road", &[Anchor::Town(1), Anchor::Edge(Side::North, [500.0, 7500.0])]),
    (Highway::Tertiary, "Coast Road", &[Anchor::Town(2), Anchor::Edge(Side::North, [10000.0, 3800.0])]),
    (Highway::Tertiary, "Chart Road", &[Anchor::Town(0), Anchor::Edge(Side::North, [-10000.0, 2200.0])]),
    (Highway::Tertiary, "Pilgrims Way", &[Anchor::Town(3), Anchor::Edge(Side::South, [-10000.0, -4000.0])]),
];

const URBAN_PREFIXES: [&str; 64] = [
    "Church", "Mill", "Station", "Victoria", "Albert", "Park", "Queen's", "King's", "Orchard", "Meadow", "Oak", "Elm", "Ash", "Beech", "Willow", "Chestnut",
    "Cedar", "Holly", "Hawthorn", "Rowan", "Maple", "Birch", "Linden", "Poplar", "Laurel", "Cherry", "Hazel", "Rose", "Ivy", "Heather", "Primrose", "Bluebell",
    "Clover", "Fern", "Foxglove", "Lavender", "Sycamore", "Juniper", "Alder", "Yew", "Beacon", "Castle", "Chapel", "Copse", "Cross", "Dene", "Forge", "Glebe",
    "Grove", "Hill", "Kiln", "Lodge", "Manor", "Market", "Mead", "Nursery", "Priory", "Rectory", "School", "Spring", "Tower", "Vicarage", "Well", "Windmill",
];

const URBAN_SUFFIXES: [&str; 12] = ["Road", "Street", "Lane", "Avenue", "Close", "Way", "Drive", "Gardens", "Crescent", "Grove", "Place", "Rise"];
const RURAL_PREFIXES: [&str; 40] = [
    "Hollow",
    "Pound",
    "Sandy",
    "Stony",
    "Green",
    "Long",
    "Gore",
    "Parsonage",
    "Court",
    "Pett",
    "Ware",
    "Holt",
    "Ridge",
    "Bottom",
    "Hook",
    "Brook",
    "Pond",
    "Marsh",
    "Chalk",
    "Flint",
    "Warren",
    "Coppice",
    "Bramble",
    "Furze",
    "Gorse",
    "Heath",
    "Lynch",
    "Oast",
    "Hop",
    "Barn",
    "Shaw",
    "Wood",
    "Tye",
    "Ley",
    "Stile",
    "Gate",
    "Fold",
    "Dairy",
    "Wheelwright",
    "Tithe",
];

impl StreetNet {
    fn anchor_node(&self, a: Anchor) -> Option<usize> {
        match a {
            Anchor::Town(i) => self.town_nodes.get(i).copied(),
            Anchor::Village(i) => self.village_nodes.get(i).copied(),
            Anchor::BridgeNorth(b) => self.bank.get(&(Side::North, BRIDGES[b].0)).copied(),
            Anchor::BridgeSouth(b) => self.bank.get(&(Side::South, BRIDGES[b].0)).copied(),
            Anchor::JunctionTop(j) => self.vertex.get(&(Side::South, JUNCTIONS[j].0, T_UNITS)).copied(),
            Anchor::Edge(side, p) => self.nearest_lattice_node(side, p),
        }
    }

    /// Streets of the cheapest path from `from` to `to` over the lattice,
    /// with a penalty per turn and a discount on main roads.
    fn main_road_path(&self, from: usize, to: usize) -> Option<Vec<usize>> {
        const TURN_MM: u64 = 400_000;
        let adj = self.lattice_adjacency();
        let n = self.nodes.len();
        let mut best = vec![u64::MAX; n * 3];
        let mut pred: Vec<Option<(usize, usize)>> = vec![None; n * 3];
        let mut heap = BinaryHeap::new();
        best[from * 3 + 2] = 0;
        heap.push(Reverse((0u64, from * 3 + 2)));
        while let Some(Reverse((d, state))) = heap.pop() {
            if d > best[state] {
                continue;
            }
            let (node, orient) = (state / 3, (state % 3) as u8);
            if node == to {
                let mut path = Vec::new();
                let mut st = state;
                while let Some((prev, street)) = pred[st] {
                    path.push(street);
                    st = prev;
                }
                path.reverse();
                return Some(path);
            }
            for &(street, other, o) in &adj[node] {
                let s = &self.streets[street];
                let len = polyline_len_m(&self.points(s));
                let factor = if s.main { 0.7 } else { 1.0 };
                let turn = if orient != 2 && orient != o { TURN_MM } else { 0 };
                let nd = d + (len * 1000.0 * factor) as u64 + turn;
                let ns = other * 3 + o as usize;
                if nd < best[ns] {
                    best[ns] = nd;
                    pred[ns] = Some((state, street));
                    heap.push(Reverse((nd, ns)));
                }
            }
        }
        None
    }

    pub(super) fn add_main_roads(&mut self) -> crate::Result<()> {
        for (highway, name, anchors) in MAIN_ROADS {
            for pair in anchors.windows(2) {
                let (Some(a), Some(b)) = (self.anchor_node(pair[0]), self.anchor_node(pair[1])) else {
                    return Err(crate::Error::DemoGenerator(format!("no anchor for {name}")));
                };
                let path = self.main_road_path(a, b).ok_or_else(|| crate::Error::DemoGenerator(format!("no path for {name}")))?;
                for i in path {
                    let s = &mut self.streets[i];
                    if !s.main {
                        s.main = true;
                        s.protected = true;
                        s.highway = *highway;
                        s.name = Some(name.to_string());
                    }
                }
            }
        }
        Ok(())
    }

    /// Street classes, names and speed limits for the lattice streets.
    pub(super) fn classify_and_name(&mut self) {
        let mut rng = SplitMix64::stream("street names");
        let mut pools: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        let mut names: BTreeMap<(LineKey, usize), Option<String>> = BTreeMap::new();
        let mut limits: BTreeMap<(LineKey, usize), Option<&'static str>> = BTreeMap::new();
        for i in 0..self.streets.len() {
            let s = &self.streets[i];
            if matches!(s.line, LineKey::Own(_)) {
                continue;
            }
            let mid = self.midpoint(s);
            let place = layout::place_at(mid);
            let nearest_town =
                (0..TOWNS.len()).min_by(|&a, &b| layout::town_distance_sigmas(mid, a).total_cmp(&layout::town_distance_sigmas(mid, b))).unwrap_or(0);
            let sigmas = layout::town_distance_sigmas(mid, nearest_town);
            // Rural streets are named per nearest town (buckets 100+), built-up ones per place.
            let bucket = place.unwrap_or(100 + nearest_town);
            let key = (s.line, bucket);
            let highway = if s.main {
                s.highway
            } else if place.is_some() {
                Highway::Residential
            } else {
                Highway::Unclassified
            };
            let rural = place.is_none();
            let name = names
                .entry(key)
                .or_insert_with(|| {
                    let pool = pools.entry(bucket).or_insert_with(|| {
                        let mut pool: Vec<String> = if bucket >= 100 {
                            RURAL_PREFIXES.iter().flat_map(|p| ["Lane", "Road", "Hill"].iter().map(move |s| format!("{p} {s}"))).collect()
                        } else {
                            URBAN_PREFIXES.iter().flat_map(|p| URBAN_SUFFIXES.iter().map(move |s| format!("{p} {s}"))).collect()
                        };
                        rng.shuffle(&mut pool);
                        pool
                    });
                    if rural && rng.chance(0.3) { None } else { pool.pop() }
                })
                .clone();
            let limit = *limits.entry(key).or_insert_with(|| match highway {
                Highway::Residential if sigmas < 0.6 && place.is_some_and(|p| p < TOWNS.len()) => Some("20 mph"),
                Highway::Residential => {
                    if rng.chance(0.5) {
                        Some("30 mph")
                    } else {
                        None
                    }
                }
                Highway::Unclassified => {
                    if rng.chance(0.4) {
                        Some("GB:nsl_single")
                    } else {
                        None
                    }
                }
                _ => None,
            });
            let s = &mut self.streets[i];
            if s.main {
                s.maxspeed = Some(match (place, s.highway) {
                    (Some(_), _) => "30 mph",
                    (None, Highway::Primary) if sigmas < 2.6 => "40 mph",
                    (None, Highway::Tertiary) if sigmas < 3.0 => "40 mph",
                    _ => "GB:nsl_single",
                });
            } else {
                s.highway = highway;
                s.name = name;
                s.maxspeed = limit;
            }
        }
    }
}
