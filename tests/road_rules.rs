//! The rules of the road on hand-built networks: turn restrictions (no-left,
//! only-straight, via a way, `except=`), a destination-only street that is
//! never a through route, a bollard that closes a street to cars but not to
//! walkers, and a gate that costs its delay.
//!
//! The grid: 3 x 3 nodes 0.001 degrees apart on the equator (about 111 m),
//! node (row r, column c) has id 100 + 3r + c at lon c/1000, lat r/1000
//! (row 2 is north). Horizontal way (r, c)-(r, c+1) has id 1000 + 10r + c,
//! vertical way (r, c)-(r+1, c) has id 2000 + 10r + c. The centre is node
//! 104; its arms are ways 1010 (west), 1011 (east), 2011 (north), 2001 (south).

use accessplan::geom::LonLat;
use accessplan::input::osm::OsmData;
use accessplan::network::{Network, Period, Profile, StreetMode, one_journey};

fn grid_osm(extra: &str) -> String {
    let mut s = String::from("<osm version=\"0.6\">\n");
    for r in 0..3 {
        for c in 0..3 {
            s += &format!("<node id=\"{}\" lat=\"{}\" lon=\"{}\"/>\n", 100 + 3 * r + c, r as f64 / 1000.0, c as f64 / 1000.0);
        }
    }
    // Horizontal ways (r, c)-(r, c+1), then vertical ways (r, c)-(r+1, c).
    let across = (0..3).flat_map(|r| (0..2).map(move |c| (1000 + 10 * r + c, 100 + 3 * r + c, 101 + 3 * r + c)));
    let ups = (0..2).flat_map(|r| (0..3).map(move |c| (2000 + 10 * r + c, 100 + 3 * r + c, 103 + 3 * r + c)));
    for (id, a, b) in across.chain(ups) {
        s += &format!("<way id=\"{id}\"><nd ref=\"{a}\"/><nd ref=\"{b}\"/><tag k=\"highway\" v=\"residential\"/></way>\n");
    }
    s + extra + "</osm>\n"
}

fn restriction(id: i64, kind: &str, from: i64, via: &str, to: i64, more: &str) -> String {
    format!(
        "<relation id=\"{id}\"><member type=\"way\" ref=\"{from}\" role=\"from\"/>{via}<member type=\"way\" ref=\"{to}\" role=\"to\"/><tag k=\"type\" v=\"restriction\"/><tag k=\"restriction\" v=\"{kind}\"/>{more}</relation>\n"
    )
}

fn via_node(n: i64) -> String {
    format!("<member type=\"node\" ref=\"{n}\" role=\"via\"/>")
}

fn load(name: &str, xml: &str) -> OsmData {
    let dir = std::env::temp_dir().join(format!("accessplan-road-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.osm"));
    std::fs::write(&path, xml).unwrap();
    OsmData::load(&path).unwrap()
}

fn car(name: &str, extra: &str) -> Network {
    Network::build(&load(name, &grid_osm(extra)), StreetMode::Car, &Profile::default())
}

/// A point a few metres off the middle of the street from (r1, c1) to (r2, c2).
fn mid(r1: f64, c1: f64, r2: f64, c2: f64) -> LonLat {
    LonLat::new((c1 + c2) / 2000.0 + 0.00002, (r1 + r2) / 2000.0 + 0.00002)
}

fn secs(net: &Network, from: LonLat, to: LonLat) -> f32 {
    one_journey(net, Period::Offpeak, from, to, 50.0).unwrap().0
}

#[test]
fn no_left_turn_sends_the_driver_round_the_block() {
    let open = car("open", "");
    let no_left = car("no-left", &restriction(1, "no_left_turn", 1010, &via_node(104), 2011, ""));
    let (west, north) = (mid(1.0, 0.0, 1.0, 1.0), mid(1.0, 1.0, 2.0, 1.0));
    let (t_open, t_rule) = (secs(&open, west, north), secs(&no_left, west, north));
    println!("west arm to north arm: {t_open:.1} s open, {t_rule:.1} s with no left turn");
    // Open: about 111 m at residential speed with a left turn. Restricted:
    // round the north-west block (333 m) or further.
    assert!(t_rule > t_open + 20.0, "{t_open} vs {t_rule}");
    assert_eq!(no_left.turn_stats.relations_honoured, 1);
    assert_eq!(no_left.turn_stats.turns_forbidden, 1);
    // The other turns at the centre are untouched.
    let south = mid(0.0, 1.0, 1.0, 1.0);
    assert_eq!(secs(&open, west, south), secs(&no_left, west, south));
}

#[test]
fn only_straight_on_forbids_both_turns() {
    let open = car("open2", "");
    let only = car("only", &restriction(2, "only_straight_on", 2001, &via_node(104), 2011, ""));
    let (south, east, north) = (mid(0.0, 1.0, 1.0, 1.0), mid(1.0, 1.0, 1.0, 2.0), mid(1.0, 1.0, 2.0, 1.0));
    assert!(secs(&only, south, east) > secs(&open, south, east) + 20.0);
    assert_eq!(secs(&only, south, north), secs(&open, south, north), "straight on is still allowed");
    assert_eq!(only.turn_stats.turns_forbidden, 2, "left and right");
}

#[test]
fn a_restriction_via_a_way_binds_only_drivers_coming_from_its_from_way() {
    // No right turn at node 105 into way 2002 (southwards) for drivers who
    // came from the west arm along the east arm.
    let via = "<member type=\"way\" ref=\"1011\" role=\"via\"/>";
    let open = car("open3", "");
    let rule = car("via-way", &restriction(3, "no_right_turn", 1010, via, 2002, ""));
    assert_eq!(rule.turn_stats.relations_honoured, 1);
    assert!(rule.turn_stats.via_copies >= 1);
    let (west, east, target) = (mid(1.0, 0.0, 1.0, 1.0), mid(1.0, 1.0, 1.0, 2.0), mid(0.0, 2.0, 1.0, 2.0));
    let (t_open, t_rule) = (secs(&open, west, target), secs(&rule, west, target));
    println!("west arm to way 2002: {t_open:.1} s open, {t_rule:.1} s with the via-way rule");
    assert!(t_rule > t_open + 10.0, "{t_open} vs {t_rule}");
    // Starting on the via way itself, the turn is allowed.
    assert_eq!(secs(&rule, east, target), secs(&open, east, target));
}

#[test]
fn except_bus_still_binds_cars_and_except_motorcar_does_not() {
    let west_north = |net: &Network| secs(net, mid(1.0, 0.0, 1.0, 1.0), mid(1.0, 1.0, 2.0, 1.0));
    let plain = car("plain", &restriction(4, "no_left_turn", 1010, &via_node(104), 2011, ""));
    let bus = car("bus", &restriction(4, "no_left_turn", 1010, &via_node(104), 2011, "<tag k=\"except\" v=\"bus\"/>"));
    let cars = car("cars", &restriction(4, "no_left_turn", 1010, &via_node(104), 2011, "<tag k=\"except\" v=\"psv;motorcar\"/>"));
    let open = car("open4", "");
    assert_eq!(west_north(&bus), west_north(&plain));
    assert_eq!(west_north(&cars), west_north(&open));
    assert_eq!(cars.turn_stats.not_for_mode, vec![(4, "except=psv;motorcar".to_string())]);
}

/// A straight street n1 - n2 - n3 - n4 along the equator (0.001 degrees
/// apart) with a bypass n2 - n5 - n3 to the north; `middle` tags the
/// stretch n2 - n3, `n5_tags` the bypass's middle node.
fn bypass_osm(middle: &str, n5_tags: &str) -> String {
    format!(
        r#"<osm version="0.6">
<node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.001"/><node id="3" lat="0" lon="0.002"/><node id="4" lat="0" lon="0.003"/>
<node id="5" lat="0.001" lon="0.0015">{n5_tags}</node>
<way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>
<way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/>{middle}</way>
<way id="12"><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/></way>
<way id="13"><nd ref="2"/><nd ref="5"/><nd ref="3"/><tag k="highway" v="residential"/></way>
</osm>"#
    )
}

#[test]
fn a_destination_only_street_is_never_a_through_route() {
    let p = Profile::default();
    let open = Network::build(&load("dest-open", &bypass_osm("", "")), StreetMode::Car, &p);
    let dest = Network::build(&load("dest", &bypass_osm("<tag k=\"motor_vehicle\" v=\"destination\"/>", "")), StreetMode::Car, &p);
    let (west, east) = (LonLat::new(0.0005, 0.00002), LonLat::new(0.0025, 0.00002));
    let on_it = LonLat::new(0.0015, 0.00002);
    let (t_open, t_dest) = (secs(&open, west, east), secs(&dest, west, east));
    println!("through: {t_open:.1} s open, {t_dest:.1} s with the middle destination-only");
    // Open: 222 m straight. Destination-only: the bypass, 2 x 180 m + the rest.
    assert!(t_dest > t_open + 15.0, "{t_open} vs {t_dest}");
    // Journeys that start or end on it use it.
    assert_eq!(secs(&dest, on_it, east), secs(&open, on_it, east));
    assert_eq!(secs(&dest, west, on_it), secs(&open, west, on_it));
    assert_eq!(dest.turn_stats.local_only_edges, 2);
}

#[test]
fn a_bollard_closes_the_street_to_cars_and_a_gate_costs_its_delay() {
    let p = Profile::default();
    let open = Network::build(&load("b-open", &bypass_osm("", "")), StreetMode::Car, &p);
    let bollard_tags = "<tag k=\"barrier\" v=\"bollard\"/>";
    let bollard = Network::build(&load("bollard", &bypass_osm("", bollard_tags)), StreetMode::Car, &p);
    assert_eq!(bollard.stats.barriers_closing, 1);
    // The bypass is cut at n5: its two halves are dead ends (node 5 is two nodes).
    assert_eq!(bollard.node_count(), open.node_count() + 2);
    let top = LonLat::new(0.00146, 0.00094); // on the bypass just west of n5
    let east = LonLat::new(0.0025, 0.00002);
    let (t_open, t_bollard) = (secs(&open, top, east), secs(&bollard, top, east));
    assert!(t_bollard > t_open, "must turn back at the bollard: {t_open} vs {t_bollard}");
    // Walkers pass the bollard.
    let walk_open = Network::build(&load("bw-open", &bypass_osm("", "")), StreetMode::Walk, &p);
    let walk = Network::build(&load("bw", &bypass_osm("", bollard_tags)), StreetMode::Walk, &p);
    assert_eq!(walk.node_count(), walk_open.node_count());
    // A gate on the bypass: the bypass costs the profile's gate delay more.
    let gate = Network::build(&load("gate", &bypass_osm("", "<tag k=\"barrier\" v=\"gate\"/>")), StreetMode::Car, &p);
    assert_eq!(gate.stats.gates, 1);
    let bypass = |n: &Network| n.streets.iter().find(|s| s.way_id == 13).and_then(|s| s.forward_ms).unwrap();
    assert_eq!(bypass(&gate)[0] - bypass(&open)[0], (p.junctions.gate_s * 1000.0) as u32);
    assert_eq!(bypass(&gate)[1] - bypass(&open)[1], (p.junctions.gate_s * p.junctions.peak_factor * 1000.0) as u32);
}
