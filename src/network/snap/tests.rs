//! Snapping around barriers: a hand-made riverside fixture, and Newport's
//! 475 output areas by car and on foot, checked against the brute-force twin.

use super::obstacles::{ObstacleKind, crosses};
use super::*;
use crate::geom::LocalProjection;
use crate::input::osm::{OsmData, tag};
use crate::network::{Network, Profile, StreetMode};
use crate::region::Region;
use std::sync::OnceLock;

/// Metres east and north of (3°W, 51.58°N) as a position.
fn at(x: f64, y: f64) -> LonLat {
    LocalProjection::new(LonLat::new(-3.0, 51.58)).to_lonlat([x, y])
}

/// A river along y = 0 from x = -1000 to 1000; Riverside Road 40 m north of
/// it and Meadow Road 100 m south, both from x = -500 to 500, joined at
/// x = 500 by Usk Bridge. `river_tags` are the river's extra tags.
fn riverside(river_tags: &str) -> OsmData {
    let nodes = [(1, -500.0, 40.0), (2, 500.0, 40.0), (3, -500.0, -100.0), (4, 500.0, -100.0), (5, -1000.0, 0.0), (6, 1000.0, 0.0)];
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<osm version=\"0.6\" generator=\"test\">\n");
    for (id, x, y) in nodes {
        let p = at(x, y);
        xml.push_str(&format!("<node id=\"{id}\" lat=\"{}\" lon=\"{}\"/>\n", p.lat, p.lon));
    }
    let way = |id: i64, nodes: &[i64], tags: &str| {
        let nds: String = nodes.iter().map(|n| format!("<nd ref=\"{n}\"/>")).collect();
        format!("<way id=\"{id}\">{nds}{tags}</way>\n")
    };
    xml.push_str(&way(10, &[1, 2], "<tag k=\"highway\" v=\"residential\"/><tag k=\"name\" v=\"Riverside Road\"/>"));
    xml.push_str(&way(11, &[3, 4], "<tag k=\"highway\" v=\"residential\"/><tag k=\"name\" v=\"Meadow Road\"/>"));
    xml.push_str(&way(12, &[2, 4], "<tag k=\"highway\" v=\"residential\"/><tag k=\"bridge\" v=\"yes\"/><tag k=\"name\" v=\"Usk Bridge\"/>"));
    xml.push_str(&way(20, &[5, 6], &format!("<tag k=\"waterway\" v=\"river\"/>{river_tags}")));
    xml.push_str("</osm>\n");
    let name = format!("riverside-{}.osm", river_tags.len());
    OsmData::load(&crate::testdata::temp_file("snap", &name, &xml)).expect("the fixture parses")
}

fn way_of(net: &Network, s: &Snap) -> i64 {
    net.streets[s.street as usize].way_id
}

#[test]
fn the_nearest_street_across_the_river_is_passed_over_for_one_on_this_side() {
    let osm = riverside("");
    for mode in [StreetMode::Car, StreetMode::Walk] {
        let net = Network::build(&osm, mode, &Profile::default());
        assert_eq!(net.snapper.obstacles().counts(), (1, 0, 0), "the river's one segment");
        let snap = |x, y, max_m| net.snap(at(x, y), max_m).unwrap();
        // 20 m south of the river: Riverside Road is 60 m away across it,
        // Meadow Road 80 m away on this side.
        let near = Snapper::new(&net.shapes, &net.projection).snap(&net.shapes, at(0.0, -20.0), &net.projection, 1000.0).unwrap();
        assert_eq!((way_of(&net, &near), near.offset_m.round()), (10, 60.0), "without obstacles: across the river");
        let s = snap(0.0, -20.0, 1000.0);
        assert_eq!((way_of(&net, &s), s.offset_m.round(), s.crosses), (11, 80.0, None), "{mode:?}");
        assert!((s.fraction - 0.5).abs() < 1e-3, "straight down onto the middle of Meadow Road: {}", s.fraction);
        // On the north bank, Riverside Road as before.
        let s = snap(0.0, 20.0, 1000.0);
        assert_eq!((way_of(&net, &s), s.offset_m.round(), s.crosses), (10, 20.0, None));
        // Beside the bridge: the bridge itself, whose link runs along the bank.
        let s = snap(520.0, -10.0, 1000.0);
        assert_eq!((way_of(&net, &s), s.offset_m.round(), s.crosses), (12, 20.0, None));
        // With a 70 m limit only Riverside Road is within reach: taken, and
        // marked as crossing water.
        let s = snap(0.0, -20.0, 70.0);
        assert_eq!((way_of(&net, &s), s.offset_m.round(), s.crosses), (10, 60.0, Some(ObstacleKind::Water)));
        assert!(s.is_long_link(), "a link across water is noted whatever its length");
        assert_eq!(net.snap(at(0.0, -20.0), 50.0), Err(SnapFailure::TooFar { nearest_m: s.offset_m, limit_m: 50.0 }));
    }
}

#[test]
fn a_culverted_stream_is_no_obstacle() {
    let osm = riverside("<tag k=\"tunnel\" v=\"culvert\"/>");
    let net = Network::build(&osm, StreetMode::Walk, &Profile::default());
    assert!(net.snapper.obstacles().is_empty());
    let s = net.snap(at(0.0, -20.0), 1000.0).unwrap();
    assert_eq!((way_of(&net, &s), s.offset_m.round(), s.crosses), (10, 60.0, None));
}

/// Newport's output areas and OSM health sites by car and on foot, with the
/// extract read again for the rivers' own segments.
fn newport() -> Option<&'static (Region, OsmData)> {
    static CELL: OnceLock<Option<(Region, OsmData)>> = OnceLock::new();
    CELL.get_or_init(|| {
        let inputs = crate::testdata::newport_inputs()?;
        let osm = OsmData::load(inputs.osm.as_deref()?).expect("Newport PBF loads");
        Some((Region::load(&inputs).expect("Newport loads"), osm))
    })
    .as_ref()
}

/// The segments of the ways named `name` that are not streets (a river's
/// centre line and banks), projected.
fn river(osm: &OsmData, proj: &LocalProjection, name: &str) -> Vec<([f64; 2], [f64; 2])> {
    let mut segs = Vec::new();
    for w in osm.ways.iter().filter(|w| tag(&w.tags, "name") == Some(name) && tag(&w.tags, "highway").is_none()) {
        let xy: Vec<[f64; 2]> = osm.way_points(w).iter().map(|p| proj.to_xy(*p)).collect();
        segs.extend(xy.windows(2).map(|s| (s[0], s[1])));
    }
    segs
}

#[test]
fn no_newport_zone_is_linked_across_the_usk_or_the_ebbw() {
    let Some((region, osm)) = newport() else { return };
    assert_eq!(region.zones.len(), 475);
    // Before, by car the docks output area (between the two rivers' mouths)
    // was linked 944 m across the Usk and one north of the centre 317 m,
    // three more across the Ebbw; on foot the docks went 814 m across the
    // Ebbw, and two more as well.
    // (Since private streets are in the car network for journeys that start
    // or end on them, the docks' nearest car street is West Way Road on its
    // own bank, so it is no longer in the car list.)
    let car_before = ["W00008713 317 m Usk", "W00009859 367 m Ebbw", "W00009880 741 m Ebbw", "W00009881 168 m Ebbw"];
    let expected = [(StreetMode::Car, car_before.to_vec()), (StreetMode::Walk, vec!["W00008608 814 m Ebbw", "W00009859 240 m Ebbw", "W00009880 228 m Ebbw"])];
    for (mode, expected_before) in expected {
        let net = region.network(mode).unwrap();
        let rivers = [("Usk", river(osm, &net.projection, "River Usk")), ("Ebbw", river(osm, &net.projection, "Ebbw River"))];
        assert!(rivers.iter().all(|(_, r)| r.len() > 50), "both rivers are mapped");
        let old = Snapper::new(&net.shapes, &net.projection);
        let over = |s: Snap, p: LonLat| {
            let (a, b) = (net.projection.to_xy(p), net.projection.to_xy(s.on_street));
            rivers.iter().find(|(_, r)| r.iter().any(|(c, d)| crosses(a, b, *c, *d))).map(|(n, _)| format!("{:.0} m {n}", s.offset_m))
        };
        let (mut before, mut after) = (Vec::new(), Vec::new());
        for z in &region.zones {
            if let Some(x) = old.snap(&net.shapes, z.point, &net.projection, DEFAULT_MAX_SNAP_M).ok().and_then(|s| over(s, z.point)) {
                before.push(format!("{} {x}", z.id));
            }
            if let Some(x) = net.snap(z.point, DEFAULT_MAX_SNAP_M).ok().and_then(|s| over(s, z.point)) {
                after.push(format!("{} {x}", z.id));
            }
        }
        eprintln!("{mode:?}: links over the Usk or the Ebbw before {before:?}, after {after:?}");
        assert_eq!(before, expected_before, "{mode:?}");
        assert!(after.is_empty(), "{mode:?}: {after:?}");
    }
}

#[test]
fn newport_docks_zone_is_linked_on_its_own_bank() {
    let Some((region, _)) = newport() else { return };
    let z = region.zones.iter().find(|z| z.id == "W00008608").unwrap();
    for mode in [StreetMode::Car, StreetMode::Walk] {
        let net = region.network(mode).unwrap();
        let old = Snapper::new(&net.shapes, &net.projection).snap(&net.shapes, z.point, &net.projection, DEFAULT_MAX_SNAP_M).unwrap();
        let s = net.snap(z.point, DEFAULT_MAX_SNAP_M).unwrap();
        let way = |s: &Snap| net.streets[s.street as usize].way_id;
        eprintln!("{mode:?}: W00008608 before way {} {:.0} m; after way {} {:.0} m {:?}", way(&old), old.offset_m, way(&s), s.offset_m, s.crosses);
        let (from, to) = (net.projection.to_xy(z.point), net.projection.to_xy(old.on_street));
        // On foot the nearest street is across the Ebbw; by car, now that the
        // private part of West Way Road is usable to start or end a journey,
        // the nearest car street is on the docks' own bank.
        let expected_old = if mode == StreetMode::Walk { Some(ObstacleKind::Water) } else { None };
        assert_eq!(net.snapper.obstacles().crossed(from, to), expected_old, "{mode:?}: the old link");
        assert_eq!(s.crosses, None, "{mode:?}");
        if mode == StreetMode::Walk {
            assert!(s.is_long_link(), "{mode:?}: still far from any street it may use: {:.0} m", s.offset_m);
        } else {
            // A private docks road passes by the zone's point: it starts there.
            assert!(s.offset_m < 50.0 && net.streets[s.street as usize].local_only, "{mode:?}: {:.0} m", s.offset_m);
        }
    }
}

/// The tree's answer is the brute force's, street and all: at a junction,
/// where the segments meeting there are all at distance 0, both take the
/// first in the street list.
#[test]
fn fast_snap_equals_brute_force_on_newport() {
    let Some((region, _)) = newport() else { return };
    for mode in [StreetMode::Car, StreetMode::Walk] {
        let net = region.network(mode).unwrap();
        let junctions = net.node_point.iter().step_by(23).copied();
        let points: Vec<LonLat> = region.zones.iter().map(|z| z.point).chain(junctions).collect();
        let (mut checked, mut at_junction) = (0, 0);
        for p in &points {
            let fast = net.snap(*p, DEFAULT_MAX_SNAP_M);
            let slow = net.snapper.snap_slowly(&net.shapes, *p, &net.projection, DEFAULT_MAX_SNAP_M);
            assert_eq!(fast, slow, "{mode:?} {p:?}");
            checked += usize::from(fast.is_ok());
            at_junction += usize::from(fast.is_ok_and(|s| s.offset_m == 0.0));
        }
        // (The zones out of reach are those farther than 1 km from the extract.)
        eprintln!("{mode:?}: {checked} of {} points snapped, {at_junction} at distance 0", points.len());
        let expected = if mode == StreetMode::Car { (778, 414) } else { (961, 588) };
        assert_eq!((checked, at_junction), expected, "{mode:?}");
    }
}

#[test]
fn newport_barriers_are_read_from_the_extract() {
    let Some((region, _)) = newport() else { return };
    let net = region.network(StreetMode::Car).unwrap();
    let (w, r, m) = net.snapper.obstacles().counts();
    eprintln!("Newport barrier segments: water {w}, railway {r}, motorway {m}");
    assert_eq!((w, r, m), (4125, 2575, 214));
    let walk = region.network(StreetMode::Walk).unwrap();
    assert_eq!(walk.snapper.obstacles().len(), w + r + m, "the same barriers for every mode");
}

#[test]
fn newport_zones_with_links_over_300_m_or_across_a_barrier() {
    let Some((region, _)) = newport() else { return };
    // ((over 300 m, across a barrier) before, the same after, zones noted after).
    for (mode, expected) in [(StreetMode::Car, ((51, 10), (54, 2), 55)), (StreetMode::Walk, ((51, 10), (53, 1), 54))] {
        let net = region.network(mode).unwrap();
        let old = Snapper::new(&net.shapes, &net.projection).with_obstacles(net.snapper.obstacles().clone());
        let count = |snap: &dyn Fn(LonLat) -> Result<Snap, SnapFailure>| {
            let snaps: Vec<Snap> = region.zones.iter().filter_map(|z| snap(z.point).ok()).collect();
            let long = snaps.iter().filter(|s| s.offset_m > LONG_LINK_M).count();
            let crossing = snaps.iter().filter(|s| s.crosses.is_some()).count();
            let noted = snaps.iter().filter(|s| s.is_long_link()).count();
            ((long, crossing), noted)
        };
        // Before: the nearest street, whatever lies between (one street tried).
        let (before, _) = count(&|p| old.snap_among(&net.shapes, p, &net.projection, DEFAULT_MAX_SNAP_M, 1));
        let (after, noted) = count(&|p| net.snap(p, DEFAULT_MAX_SNAP_M));
        eprintln!("{mode:?}: links over {LONG_LINK_M} m and across a barrier: before {before:?}, after {after:?}; {noted} zones noted");
        assert_eq!((before, after, noted), expected, "{mode:?}");
    }
}

/// Street shapes by hand through metre positions (see [`at`]).
fn shapes(streets: &[&[(f64, f64)]]) -> Shapes {
    let mut out = Shapes::default();
    for points in streets {
        out.push(points.iter().map(|&(x, y)| at(x, y)));
    }
    out
}

/// No streets: every snap says the network is empty. A street of one point
/// holds no segment and is never snapped to; at a junction, where two
/// segments are at the same distance, the first street in the list is
/// taken, by the tree as by brute force.
#[test]
fn the_index_copes_with_no_streets_and_streets_without_segments_and_breaks_ties_by_street() {
    let proj = LocalProjection::new(LonLat::new(-3.0, 51.58));
    let none = Shapes::default();
    let empty = Snapper::new(&none, &proj);
    assert_eq!(empty.snap(&none, at(0.0, 0.0), &proj, 1000.0), Err(SnapFailure::EmptyNetwork));
    assert_eq!(empty.snap_nearest(&none, at(0.0, 0.0), &proj, 1000.0), Err(SnapFailure::EmptyNetwork));
    assert_eq!(empty.streets_near(&none, &proj, [0.0, 0.0], 100.0).count(), 0);

    let streets = shapes(&[
        &[(500.0, 500.0)],
        &[(0.0, 0.0), (100.0, 0.0)],
        &[(100.0, 0.0), (100.0, 100.0)],
        &[(400.0, 400.0)],
        &[(0.0, 200.0), (100.0, 200.0), (100.0, 300.0)],
    ]);
    let s = Snapper::new(&streets, &proj);
    // South-east of the corner: 70.7 m from both streets' shared end.
    for p in [at(150.0, -50.0), at(100.0, 0.0)] {
        let fast = s.snap(&streets, p, &proj, 1000.0).unwrap();
        assert_eq!((fast.street, fast.fraction), (1, 1.0));
        assert_eq!(Ok(fast), s.snap_slowly(&streets, p, &proj, 1000.0));
        assert_eq!(s.snap_nearest(&streets, p, &proj, 1000.0).map(|n| n.street), Ok(1));
    }
    assert!((s.snap(&streets, at(150.0, -50.0), &proj, 1000.0).unwrap().offset_m - 50.0 * 2f64.sqrt()).abs() < 1e-6);
    // Alongside each street.
    let mid = s.snap(&streets, at(50.0, 10.0), &proj, 1000.0).unwrap();
    assert_eq!(mid.street, 1);
    assert!((mid.fraction - 0.5).abs() < 1e-9 && (mid.offset_m - 10.0).abs() < 1e-6, "{mid:?}");
    assert_eq!(s.snap(&streets, at(120.0, 60.0), &proj, 1000.0).unwrap().street, 2);
    // On the second segment of a bent street: 100 m along its first, half
    // of its second.
    let bent = s.snap(&streets, at(110.0, 250.0), &proj, 1000.0).unwrap();
    assert_eq!(bent.street, 4);
    assert!((bent.fraction - 0.75).abs() < 1e-9 && (bent.offset_m - 10.0).abs() < 1e-6, "{bent:?}");
    assert_eq!(Ok(bent), s.snap_slowly(&streets, at(110.0, 250.0), &proj, 1000.0));
    // Too far, with the distance to the nearest.
    match s.snap(&streets, at(100.0, 500.0), &proj, 100.0) {
        Err(SnapFailure::TooFar { nearest_m, limit_m }) => assert!((nearest_m - 200.0).abs() < 1e-6 && limit_m == 100.0),
        other => panic!("{other:?}"),
    }
    let mut near: Vec<(u32, f64)> = s.streets_near(&streets, &proj, [100.0, 0.0], 1.0).collect();
    near.sort_by_key(|n| n.0);
    assert_eq!(near.iter().map(|n| n.0).collect::<Vec<_>>(), [1, 2]);
}
