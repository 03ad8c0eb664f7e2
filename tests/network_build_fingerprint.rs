//! The networks built from real and synthetic OSM files are the same, array
//! for array, as those the build made before it was reworked for county
//! scale (compact node table, flat adjacency, turn graph without a list per
//! state): each network is folded into one checksum, and the checksums below
//! were taken with the earlier build (commit 85b304f) on the same files.
//!
//! Since the snapping index became a packed R-tree, a point as near to two
//! segments as to each other (a point whose nearest place on the network is
//! a junction) goes to the first of them in the street list, where the
//! R*-tree took whichever its shape gave first: the checksums were taken
//! again then. Over 139,385 points (a 151 x 151 grid and every 37th junction
//! of each Newport and 20,000-junction county network) 1,600 snaps went to
//! another street at the same place and distance, and none changed otherwise.
//!
//! The streets' shapes now live in one flat array beside the streets; they
//! are folded in as the streets printed them when each held its own.

use accessplan::demo::county::{self, CountyOptions};
use accessplan::geom::LonLat;
use accessplan::input::osm::OsmData;
use accessplan::network::{Network, Profile, StreetMode};
use accessplan::testdata::shared_file;

/// FNV-1a over the text of what is folded in (Debug output prints every
/// float exactly).
struct Fold(u64);

impl Fold {
    fn new() -> Self {
        Fold(0xcbf2_9ce4_8422_2325)
    }
    fn add(&mut self, what: &impl std::fmt::Debug) {
        self.add_text(&format!("{what:?}"));
    }
    fn add_text(&mut self, text: &str) {
        for b in text.bytes() {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The streets as `{:?}` printed them when each held its shape (before the
/// shapes moved into one flat array), so that the checksums taken then
/// still hold.
fn streets_as_printed_before(net: &Network) -> String {
    let items: Vec<String> = net
        .streets
        .iter()
        .zip(net.shapes.iter())
        .map(|(s, points)| {
            format!(
                "Street {{ a: {:?}, b: {:?}, points: {:?}, length_m: {:?}, forward_ms: {:?}, backward_ms: {:?}, class: {:?}, way_id: {:?}, local_only: {:?} }}",
                s.a, s.b, points, s.length_m, s.forward_ms, s.backward_ms, s.class, s.way_id, s.local_only
            )
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// One checksum of everything a network holds that searches, snapping and
/// drawing read (the snapping index through where a grid of points snaps).
fn fingerprint(net: &Network) -> u64 {
    let mut f = Fold::new();
    f.add(&net.mode);
    f.add(&net.node_point);
    f.add(&net.forward);
    f.add(net.reverse());
    f.add_text(&streets_as_printed_before(net));
    f.add(&net.classes);
    f.add(&net.walk_mps);
    f.add(&net.projection);
    f.add(&net.stats);
    f.add(&net.turns);
    f.add(&net.turn_stats);
    f.add(&net.snapper.obstacles().counts());
    if let Some(e) = net.extent() {
        for i in 0..=20 {
            for k in 0..=20 {
                let p = LonLat::new(e.min.lon + (e.max.lon - e.min.lon) * i as f64 / 20.0, e.min.lat + (e.max.lat - e.min.lat) * k as f64 / 20.0);
                f.add(&net.snap(p, 1000.0));
            }
        }
    }
    f.0
}

fn summary(net: &Network) -> String {
    format!("{} {} nodes {} states {} arcs {:016x}", net.mode.name(), net.node_count(), net.state_count(), net.arc_count(), fingerprint(net))
}

#[test]
fn newport_networks_are_the_same_as_before() {
    let Some(pbf) = shared_file("newport/newport-2023-06-13.osm.pbf") else { return };
    let osm = OsmData::load(&pbf).expect("Newport PBF loads");
    let profile = Profile::default();
    let got: Vec<String> = StreetMode::ALL.iter().map(|m| summary(&Network::build(&osm, *m, &profile))).collect();
    eprintln!("{got:#?}");
    assert_eq!(got, NEWPORT);
}

#[test]
fn newport_clipped_region_networks_are_the_same_as_before() {
    let Some(inputs) = accessplan::testdata::newport_inputs() else { return };
    let region = accessplan::region::Region::load(&inputs).expect("Newport region loads");
    let got: Vec<String> = region.networks.iter().map(|n| summary(n)).collect();
    eprintln!("{got:#?}");
    assert_eq!(got, NEWPORT_CLIPPED);
}

#[test]
fn synthetic_county_networks_are_the_same_as_before() {
    let dir = std::env::temp_dir().join(format!("accessplan-fingerprint-county-{}", std::process::id()));
    county::generate(&dir, &CountyOptions::scaled(20_000)).expect("the county is written");
    let osm = OsmData::load(&dir.join(county::OSM_FILE)).expect("the county's OSM file loads");
    let profile = Profile::default();
    let got: Vec<String> = StreetMode::ALL.iter().map(|m| summary(&Network::build(&osm, *m, &profile))).collect();
    std::fs::remove_dir_all(&dir).ok();
    eprintln!("{got:#?}");
    assert_eq!(got, COUNTY);
}

const NEWPORT: [&str; 3] = [
    "car 9521 nodes 21613 states 37532 arcs 2ea790ca177a2fae",
    "walk 13511 nodes 13511 states 34208 arcs 60cc26869eb4e2a2",
    "cycle 10823 nodes 25365 states 45114 arcs e404c1d8eacad3ef",
];
/// Cut to the zones + 10 km, Newport keeps every street of its largest
/// connected parts: the same networks as the whole extract.
const NEWPORT_CLIPPED: [&str; 2] = ["car 9521 nodes 21613 states 37532 arcs 2ea790ca177a2fae", "walk 13511 nodes 13511 states 34208 arcs 60cc26869eb4e2a2"];
const COUNTY: [&str; 3] = [
    "car 20488 nodes 73885 states 209297 arcs dd7e5ad1096dff50",
    "walk 20480 nodes 20480 states 77190 arcs 9f68338a8cc69c5d",
    "cycle 20480 nodes 73863 states 209207 arcs f1834f74dca1346b",
];
