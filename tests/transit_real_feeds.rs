//! Real feeds: Chester's loads with the right counts for a weekday;
//! Newport's bus matrix (every output area to every OSM health site,
//! 07:00-09:00) is consistent with one search per minute and with the
//! itineraries, and never slower than walking.

use std::path::PathBuf;
use std::sync::OnceLock;

use accessplan::LonLat;
use accessplan::input::crs::CrsChoice;
use accessplan::input::osm::{OsmData, TagFilter, sites_from_osm};
use accessplan::input::zones::{ZoneOptions, load_zones};
use accessplan::model::Site;
use accessplan::network::{Network, Profile, StreetMode};
use accessplan::testdata::shared_file;
use accessplan::transit::*;

#[test]
fn chester_loads_with_its_weekday_counts() {
    let Some(p) = shared_file("chester/chester-20230816-small_gtfs.zip") else { return };
    let (feed, report) = load_gtfs(&p).unwrap();
    println!("{report}");
    assert_eq!(report.problem_count(), 0);
    assert_eq!((report.counts.agencies, report.counts.stops, report.counts.routes, report.counts.trips, report.counts.stop_times), (7, 1320, 25, 804, 34_249));
    let (a, b) = feed.date_range().unwrap();
    assert_eq!((a.to_string(), b.to_string()), ("2023-07-31".into(), "2024-04-26".into()));
    // Wednesday 16 August 2023 (the feed's date): all 22 services run, so
    // all 804 trips of all 25 routes, calling at 1293 stops; two of
    // Tuesday's trips run on after midnight.
    let date: ServiceDate = "2023-08-16".parse().unwrap();
    assert_eq!(feed.active_services(date).unwrap().len(), 22);
    let tt = Timetable::build(&feed, date, None, &FootpathOptions::default()).unwrap();
    println!("{tt}");
    assert_eq!(tt.trips.iter().filter(|t| !t.previous_day).count(), 804);
    assert_eq!(tt.trips.iter().filter(|t| t.previous_day).count(), 2);
    let routes: std::collections::BTreeSet<u32> = tt.patterns.iter().map(|p| p.route).collect();
    assert_eq!(routes.len(), 25);
    assert_eq!((0..tt.stop_count()).filter(|&s| tt.is_served(s)).count(), 1293);
    // Monday runs 20 services: 795 trips on 24 routes.
    let monday = Timetable::build(&feed, "2023-08-14".parse().unwrap(), None, &FootpathOptions::default()).unwrap();
    assert_eq!(monday.trip_count(), 795);
    assert!(tt.notes.iter().any(|n| n.contains("straight line")), "{:?}", tt.notes);
    // Outside the feed: the dates it covers are named.
    let e = feed.active_services("2024-06-01".parse().unwrap()).unwrap_err().to_string();
    assert!(e.contains("the feed covers 2023-07-31 to 2024-04-26"), "{e}");
}

struct Newport {
    tt: Timetable,
    walk: Network,
    zones: Vec<LonLat>,
    sites: Vec<Site>,
}

fn newport() -> Option<&'static Newport> {
    static CELL: OnceLock<Option<Newport>> = OnceLock::new();
    CELL.get_or_init(|| {
        let gtfs = shared_file("newport/newport-20230613_gtfs.zip")?;
        let pbf = shared_file("newport/newport-2023-06-13.osm.pbf")?;
        let oa: PathBuf = shared_file("newport/boundaries/oa.geojson")?;
        let (feed, _) = load_gtfs(&gtfs).unwrap();
        let osm = OsmData::load(&pbf).unwrap();
        let walk = Network::build(&osm, StreetMode::Walk, &Profile::default());
        let tt = Timetable::build(&feed, "2023-06-13".parse().unwrap(), Some(&walk), &FootpathOptions::default()).unwrap();
        let zones = load_zones(&oa, &ZoneOptions { id_field: "OA11CD".into(), population_field: None, crs: CrsChoice::Auto, locality_field: None }).unwrap().0;
        let (sites, _) = sites_from_osm(&osm, &"amenity=hospital,clinic,doctors".parse::<TagFilter>().unwrap());
        Some(Newport { tt, walk, zones: zones.iter().map(|z| z.point).collect(), sites })
    })
    .as_ref()
}

#[test]
fn newport_bus_matrix_agrees_with_one_search_per_minute() {
    let Some(n) = newport() else { return };
    let points: Vec<LonLat> = n.sites.iter().map(|s| s.point).collect();
    let window = DepartureWindow::MORNING_PEAK;
    let m = bus_matrix(&n.tt, &n.walk, &n.zones, &points, &window, &BusOptions::default(), &accessplan::progress::Progress::new()).unwrap();
    assert_eq!((m.origins, m.destinations), (475, n.sites.len()));
    let with = m.median_s.iter().filter(|t| t.is_finite()).count();
    println!("{with} of {} pairs have a median", m.median_s.len());
    for o in 0..m.origins {
        for d in 0..m.destinations {
            let i = o * m.destinations + d;
            let (a, b, c) = (m.p10_s[i], m.median_s[i], m.p90_s[i]);
            assert!(a <= b && b <= c || (b.is_infinite() && c.is_infinite()), "{o},{d}: {a} {b} {c}");
            // Never slower than walking all the way.
            assert!(c <= m.walk_only_s[i] || c.is_infinite() && m.walk_only_s[i].is_infinite(), "{o},{d}");
            if b.is_finite() {
                assert!(m.no_journey_share[i] < 0.5 + 1e-6);
            } else {
                assert!(m.why_none(o, d).is_some());
            }
        }
    }
    // Output areas in the rural east lie off the walk network, and say so.
    let off = (0..m.origins).filter(|&o| m.origin_snaps[o].is_err()).count();
    assert!(off > 0 && off < 150, "{off}");
    println!("{off} output areas off the walk network");
    // Twenty pairs: the range search's percentiles are those of one fresh search per minute.
    let router = BusRouter::new(&n.tt, &n.walk, BusOptions::default());
    let deps = window.departures();
    for k in 0..20 {
        let (o, d) = ((k * 97 + 13) % m.origins, (k * 7 + 3) % m.destinations);
        let mut single = router.times_by_single_runs(n.zones[o], points[d], &deps);
        single.sort_by(|a, b| a.total_cmp(b));
        let p = |q| accessplan::transit::matrix::percentile(&single, q);
        assert_eq!(
            (m.p10_s[o * m.destinations + d], m.median_s[o * m.destinations + d], m.p90_s[o * m.destinations + d]),
            (p(10), p(50), p(90)),
            "pair {o},{d}"
        );
    }
}

#[test]
fn newport_itineraries_match_the_times_and_the_timetable() {
    let Some(n) = newport() else { return };
    let router = BusRouter::new(&n.tt, &n.walk, BusOptions::default());
    let points: Vec<LonLat> = n.sites.iter().map(|s| s.point).collect();
    // The feed is a small extract (176 trips): most short trips are walks.
    // Take pairs where the bus beats walking at some minute of the window.
    let m = router.matrix(&n.zones, &points, &DepartureWindow::MORNING_PEAK, &accessplan::progress::Progress::new()).unwrap();
    let bus_pairs: Vec<(usize, usize)> = (0..m.origins)
        .flat_map(|o| (0..m.destinations).map(move |d| (o, d)))
        .filter(|&(o, d)| m.p10_s[o * m.destinations + d] < m.walk_only_s[o * m.destinations + d])
        .collect();
    println!("{} of {} pairs go faster by bus at least some of the time", bus_pairs.len(), m.origins * m.destinations);
    assert!(bus_pairs.len() > 100, "{}", bus_pairs.len());
    let (mut rides, mut checked) = (0, 0);
    for k in 0..40 {
        let (o, d) = bus_pairs[(k * 7919) % bus_pairs.len()];
        let dep = 7 * 3600 + (k as u32 * 37 % 120) * 60;
        let single = router.times_by_single_runs(n.zones[o], points[d], &[dep])[0];
        match router.itinerary(n.zones[o], points[d], dep) {
            Ok(it) => {
                assert_eq!(it.duration_s() as f32, single, "pair {o},{d} at {}\n{it}", fmt_hm(dep));
                // Legs follow one another in time.
                let mut t = it.depart_s;
                for leg in &it.legs {
                    assert!(leg.depart_s() >= t && leg.arrive_s() >= leg.depart_s(), "{it}");
                    t = leg.arrive_s();
                }
                assert_eq!(t, it.arrive_s);
                if it.rides() > 0 && rides == 0 {
                    println!("{it}");
                }
                rides += it.rides();
                checked += 1;
            }
            Err(e) => assert!(single.is_infinite(), "pair {o},{d}: {e} but {single} s"),
        }
    }
    println!("{checked} itineraries, {rides} rides");
    assert!(rides >= 10, "{rides}");
}

#[test]
fn two_newport_hospitals_365_m_apart_are_a_walk_not_a_bus_ride() {
    let Some(n) = newport() else { return };
    let find = |name: &str| n.sites.iter().find(|s| s.name.contains(name)).map(|s| s.point).unwrap();
    let (gwent, woolos) = (find("Royal Gwent"), find("Woolos"));
    let m =
        bus_matrix(&n.tt, &n.walk, &[gwent], &[woolos], &DepartureWindow::OFF_PEAK, &BusOptions::default(), &accessplan::progress::Progress::new()).unwrap();
    let t = m.median(0, 0).unwrap();
    // 0.4-1.1 km on foot at 4.8 km/h: 5 to 14 minutes, the same every minute.
    assert!((300.0..840.0).contains(&t), "{t}");
    assert_eq!((m.p10(0, 0), m.p90(0, 0), m.no_journey(0, 0)), (Some(t), Some(t), 0.0));
    assert_eq!(m.walk_only_s[0], t);
    let router = BusRouter::new(&n.tt, &n.walk, BusOptions::default());
    assert_eq!(router.itinerary(gwent, woolos, 10 * 3600).unwrap().rides(), 0);
}
