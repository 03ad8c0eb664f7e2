//! Real-data tests of the street networks on Newport, and the fast search
//! checked against petgraph's Dijkstra.

use super::*;
use crate::input::osm::{OsmData, TagFilter, sites_from_osm};
use crate::network::dijkstra::{Search, UNREACHED, reference_times};
use crate::network::one_journey;
use crate::testdata::shared_file;
use std::sync::OnceLock;

fn newport() -> Option<&'static (OsmData, Network, Network)> {
    static CELL: OnceLock<Option<(OsmData, Network, Network)>> = OnceLock::new();
    CELL.get_or_init(|| {
        let path = shared_file("newport/newport-2023-06-13.osm.pbf")?;
        let osm = OsmData::load(&path).expect("Newport PBF loads");
        let p = Profile::default();
        let car = Network::build(&osm, StreetMode::Car, &p);
        let walk = Network::build(&osm, StreetMode::Walk, &p);
        Some((osm, car, walk))
    })
    .as_ref()
}

/// A small deterministic generator for test picks (splitmix64).
fn picks(seed: u64, n: usize, below: usize) -> Vec<usize> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % below as u64) as usize
        })
        .collect()
}

#[test]
fn newport_network_sizes() {
    let Some((osm, car, walk)) = newport() else { return };
    eprintln!("osm nodes {} ways {} highways {}", osm.nodes.len(), osm.ways.len(), osm.highway_count());
    eprintln!("car: {} nodes {} edges; {}", car.node_count(), car.edge_count(), car.stats);
    eprintln!("walk: {} nodes {} edges; {}", walk.node_count(), walk.edge_count(), walk.stats);
    assert_eq!(osm.highway_count(), 8965);
    eprintln!("car search: {} states, {} arcs", car.state_count(), car.arc_count());
    // Private, destination and delivery streets are in (for journeys that
    // start or end on them), and each barrier closing a street splits its node.
    assert_eq!((car.node_count(), car.edge_count()), (9521, 20080));
    assert_eq!((car.stats.nodes_dropped, car.stats.edges_dropped), (364, 519));
    assert_eq!((car.stats.barriers_closing, car.stats.gates, car.stats.signals_and_signs), (85, 258, 203));
    assert_eq!((car.state_count(), car.arc_count()), (21613, 37532));
    assert_eq!((walk.node_count(), walk.edge_count()), (13511, 34208));
    assert_eq!((walk.stats.nodes_dropped, walk.stats.edges_dropped), (311, 478));
}

#[test]
fn fast_search_equals_petgraph_dijkstra_on_newport() {
    let Some((_, car, walk)) = newport() else { return };
    for (net, periods) in [(car, 2), (walk, 1)] {
        let mut search = Search::new(net.state_count());
        let mut pairs = 0;
        for (i, s) in picks(7, 12, net.node_count()).into_iter().enumerate() {
            for p in 0..periods {
                let reference = reference_times(&net.forward, p, s as u32);
                search.run(&net.forward, p, &[(s as u32, 0, 0.0)], UNREACHED - 1);
                for t in picks(100 + i as u64, 20, net.state_count()) {
                    assert_eq!(search.time_ms[t], reference[t], "{:?} from {s} to {t}", net.mode);
                    pairs += 1;
                }
                assert_eq!(search.time_ms, reference, "{:?}: whole tree from {s}", net.mode);
                // Walking is strongly connected; driving from an open street
                // cannot reach the "leaving" states of private streets.
                let unreached = reference.iter().filter(|&&t| t == UNREACHED).count();
                if net.turns.is_none() {
                    assert_eq!(unreached, 0, "strongly connected");
                } else {
                    assert!(unreached <= car.turn_stats.local_only_edges + 400, "{unreached} states unreached");
                }
            }
        }
        assert!(pairs >= 100);
    }
}

#[test]
fn reverse_search_gives_the_same_times_as_forward() {
    let Some((_, car, _)) = newport() else { return };
    let mut fwd = Search::new(car.state_count());
    let mut rev = Search::new(car.state_count());
    let nodes = picks(3, 10, car.node_count());
    for &s in &nodes {
        fwd.run(&car.forward, 0, &[(s as u32, 0, 0.0)], UNREACHED - 1);
        for &t in &nodes {
            rev.run(car.reverse(), 0, &[(t as u32, 0, 0.0)], UNREACHED - 1);
            assert_eq!(fwd.time_ms[t], rev.time_ms[s]);
        }
    }
}

#[test]
fn royal_gwent_to_st_woolos_by_car_and_on_foot() {
    let Some((osm, car, walk)) = newport() else { return };
    let (sites, _) = sites_from_osm(osm, &"amenity=hospital".parse::<TagFilter>().unwrap());
    for s in &sites {
        eprintln!("{} {} {:?}", s.id, s.name, s.point);
    }
    let find = |name: &str| sites.iter().find(|s| s.name.contains(name)).map(|s| s.point).unwrap();
    let gwent = find("Royal Gwent");
    let woolos = find("Woolos");
    let straight = crate::geom::haversine_m(gwent, woolos);
    let (car_s, car_m) = one_journey(car, Period::Offpeak, gwent, woolos, 1000.0).unwrap();
    let (peak_s, _) = one_journey(car, Period::Peak, gwent, woolos, 1000.0).unwrap();
    let (walk_s, walk_m) = one_journey(walk, Period::Offpeak, gwent, woolos, 1000.0).unwrap();
    eprintln!("straight {straight:.0} m; car {car_s:.0}s {car_m:.0}m; peak {peak_s:.0}s; walk {walk_s:.0}s {walk_m:.0}m");
    // The two hospitals' centroids are 365 m apart across Stow Hill. A street
    // route is longer than the straight line but, in a town grid, under three
    // times it: 0.4-1.1 km door to door.
    assert!((360.0..370.0).contains(&straight), "{straight}");
    for m in [car_m, walk_m] {
        assert!((straight as f32..1100.0).contains(&m), "{m}");
    }
    // Walking 0.4-1.1 km at 4.8 km/h (80 m/min): 5 to 14 minutes.
    assert!((300.0..840.0).contains(&walk_s), "{walk_s}");
    assert!((walk_s - walk_m / (4.8 / 3.6)).abs() < 2.0, "walking time is length over walking speed");
    // By car: the door-to-street walks (tens of metres) plus well under a
    // kilometre at 25-35 km/h: 1 to 4 minutes; the peak no faster.
    assert!((60.0..240.0).contains(&car_s), "{car_s}");
    assert!(peak_s >= car_s && peak_s < car_s * 1.7, "{peak_s} vs {car_s}");
}

#[test]
fn every_newport_restriction_is_honoured_or_reported() {
    let Some((osm, car, _)) = newport() else { return };
    let ts = &car.turn_stats;
    eprintln!(
        "relations {}; honoured {} ({} rules), not for cars {:?}, not understood {:?}; forbidden turns {}, via copies {}, local-only {}; states {} arcs {}",
        osm.restrictions.len(),
        ts.relations_honoured,
        ts.rules_honoured,
        ts.not_for_mode,
        ts.not_understood,
        ts.turns_forbidden,
        ts.via_copies,
        ts.local_only_edges,
        car.state_count(),
        car.arc_count()
    );
    eprintln!("car: {}", car.stats);
    assert_eq!(osm.restrictions.len(), 94);
    assert_eq!(ts.relations_honoured + ts.not_for_mode.len() + ts.not_understood.len(), 94);
}

/// Street time (ms) by the fast search over the prebuilt graph.
fn fast_time_ms(net: &Network, search: &mut Search, period: Period, os: &Snap, ds: &Snap) -> Option<u32> {
    search.run(&net.forward, period.index(), &net.leaving(os, period), UNREACHED - 1);
    search.best_via(&net.arriving(ds, period), net.same_street(os, ds, period)).map(|(t, _)| t)
}

#[test]
fn fast_search_equals_the_turn_aware_slow_twin_on_newport() {
    let Some((osm, car, _)) = newport() else { return };
    let profile = Profile::default();
    let cycle = Network::build(osm, StreetMode::Cycle, &profile);
    for net in [car, &cycle] {
        let mut search = Search::new(net.state_count());
        let nodes = picks(11, 200, net.node_count());
        let mut pairs = 0;
        let mut differ = 0;
        for (i, &a) in nodes.iter().enumerate() {
            let b = nodes[(i * 7 + 3) % nodes.len()];
            let snap = |v: usize| net.snap(net.node_point[v], 50.0).unwrap();
            let (os, ds) = (snap(a), snap(b));
            for period in if net.mode == StreetMode::Car { &Period::ALL[..] } else { &Period::ALL[..1] } {
                let fast = fast_time_ms(net, &mut search, *period, &os, &ds);
                let slow = crate::network::reference::slow_time_ms(net, &profile, *period, &os, &ds);
                pairs += 1;
                if fast != slow {
                    differ += 1;
                    eprintln!("{:?} {:?} {a} -> {b}: fast {fast:?} slow {slow:?}", net.mode, period);
                }
            }
        }
        // And reversed: the reverse search reads the same.
        eprintln!("{:?}: {pairs} pairs, {differ} differ", net.mode);
        assert_eq!(differ, 0);
        assert!(pairs >= 200);
    }
}

/// The flat shape store: pushing, taking back the last, and keeping some
/// streets in order; on Newport, one shape per street from its node `a` to
/// its node `b`.
#[test]
fn shapes_push_pop_and_retain_keep_each_streets_points() {
    use crate::geom::LonLat;
    use graph::Shapes;
    let p = |x: f64| LonLat::new(x, 51.0);
    let mut s = Shapes::default();
    assert!(s.is_empty());
    assert_eq!(s.push([p(0.0), p(1.0)]), [p(0.0), p(1.0)]);
    s.push([p(2.0), p(3.0), p(4.0)]);
    s.push([p(5.0)]);
    s.pop();
    s.push([p(6.0), p(7.0)]);
    assert_eq!(s.len(), 3);
    assert_eq!(s.of(1), [p(2.0), p(3.0), p(4.0)]);
    assert_eq!(s.of(2), [p(6.0), p(7.0)]);
    s.retain(&[false, true, true]);
    assert_eq!(s.iter().collect::<Vec<_>>(), [&[p(2.0), p(3.0), p(4.0)][..], &[p(6.0), p(7.0)][..]]);
    s.retain(&[false, false]);
    assert!(s.is_empty() && s.iter().next().is_none());

    let Some((_, car, walk)) = newport() else { return };
    for net in [car, walk] {
        assert_eq!(net.shapes.len(), net.streets.len());
        for (st, shape) in net.streets.iter().zip(net.shapes.iter()) {
            assert!(shape.len() >= 2);
            assert_eq!((shape[0], shape[shape.len() - 1]), (net.node_point[st.a as usize], net.node_point[st.b as usize]));
        }
    }
    assert_eq!((car.streets.len(), car.shapes.iter().map(|s| s.len()).sum::<usize>()), (10_862, 43_360));
}
