//! Real-data tests of the transit engine: RAPTOR (single and range runs)
//! against the time-expanded Dijkstra reference on the Newport feed
//! (Tuesday 2023-06-13, footpaths over the Newport walk network) and on the
//! demo region's feed; the timetable against the feed it comes from; the
//! footpaths against a plain search.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::reference::Reference;
use super::*;
use crate::input::osm::OsmData;
use crate::network::dijkstra::Search;
use crate::network::{Network, Profile, StreetMode};
use crate::testdata::shared_file;

struct Case {
    feed: Feed,
    tt: Timetable,
    walk: Option<Network>,
}

fn newport() -> Option<&'static Case> {
    static CELL: OnceLock<Option<Case>> = OnceLock::new();
    CELL.get_or_init(|| {
        let gtfs = shared_file("newport/newport-20230613_gtfs.zip")?;
        let pbf = shared_file("newport/newport-2023-06-13.osm.pbf")?;
        let (feed, report) = load_gtfs(&gtfs).expect("Newport feed loads");
        assert_eq!(report.problem_count(), 0, "{report}");
        let osm = OsmData::load(&pbf).expect("Newport PBF loads");
        let walk = Network::build(&osm, StreetMode::Walk, &Profile::default());
        let tt = Timetable::build(&feed, "2023-06-13".parse().unwrap(), Some(&walk), &FootpathOptions::default()).expect("Tuesday timetable");
        Some(Case { feed, tt, walk: Some(walk) })
    })
    .as_ref()
}

/// The demo region's feed, on its first Tuesday with service (footpaths
/// along the straight line: the demo street map is not loaded here).
fn demo() -> Option<&'static Case> {
    static CELL: OnceLock<Option<Case>> = OnceLock::new();
    CELL.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/demo/gtfs");
        if !dir.join("stop_times.txt").is_file() {
            eprintln!("skipping: the demo feed {} is not generated yet", dir.display());
            return None;
        }
        let (feed, report) = load_gtfs(&dir).expect("demo feed loads");
        assert_eq!(report.problem_count(), 0, "{report}");
        let (first, last) = feed.date_range().expect("demo feed has dates");
        let date = (0..=first.days_until(last))
            .map(|k| first.plus_days(k))
            .find(|d| d.weekday() == 1 && !feed.services_on(*d).is_empty())
            .expect("a Tuesday with service");
        let tt = Timetable::build(&feed, date, None, &FootpathOptions::default()).expect("demo timetable");
        Some(Case { feed, tt, walk: None })
    })
    .as_ref()
}

/// A small deterministic generator for test picks (splitmix64).
struct Picks(u64);

impl Picks {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % below as u64) as usize
    }
}

fn served(tt: &Timetable) -> Vec<u32> {
    (0..tt.stop_count() as u32).filter(|&s| tt.is_served(s as usize)).collect()
}

/// RAPTOR equals the reference for `n` random (origin stop, destination
/// stop, departure) triples, and on every stop of each search. Returns how
/// many destinations were reached.
fn check_against_reference(case: &Case, n: usize, seed: u64, opts: RaptorOptions) -> usize {
    let reference = Reference::new(&case.feed, case.tt.date);
    let stops = served(&case.tt);
    let mut raptor = Raptor::new(&case.tt, opts);
    let mut picks = Picks(seed);
    let mut reached = 0;
    for i in 0..n {
        let (o, d) = (stops[picks.next(stops.len())], stops[picks.next(stops.len())]);
        let dep = 5 * 3600 + picks.next(17 * 3600) as u32;
        raptor.run(&[StopWalk { stop: o, walk_s: 0, length_m: 0.0 }], dep);
        let (any, by_ride) = reference.earliest(&case.tt.footpaths, &[(o, 0)], dep, opts);
        assert_eq!(raptor.arrival(d as usize), any[d as usize], "triple {i}: stop {o} -> {d} leaving {}", fmt_hms(dep));
        reached += usize::from(any[d as usize] != raptor::UNREACHED && d != o);
        for s in 0..case.tt.stop_count() {
            assert_eq!(raptor.arrival(s), any[s], "triple {i}: from {o} at {} to stop {s}", fmt_hms(dep));
            assert_eq!(raptor.ride_arrival(s), by_ride[s], "triple {i}: from {o} at {} to stop {s} by vehicle", fmt_hms(dep));
        }
    }
    reached
}

#[test]
fn raptor_equals_time_expanded_dijkstra_on_newport() {
    let Some(case) = newport() else { return };
    eprintln!("{}", case.tt);
    let reached = check_against_reference(case, 250, 11, RaptorOptions::default());
    eprintln!("{reached} of 250 destinations reached");
    // Newport's feed reaches Bristol, Cardiff and London by coach: a
    // random stop pair is often unconnected, but a good share is.
    assert!(reached >= 50, "{reached}");
    // Fewer transfers and no boarding slack give other answers, equally exact.
    check_against_reference(case, 60, 12, RaptorOptions { max_transfers: 0, board_slack_s: 0 });
    check_against_reference(case, 60, 13, RaptorOptions { max_transfers: 1, board_slack_s: 120 });
}

#[test]
fn raptor_equals_time_expanded_dijkstra_on_the_demo_feed() {
    let Some(case) = demo() else { return };
    eprintln!("{}", case.tt);
    let reached = check_against_reference(case, 250, 21, RaptorOptions::default());
    eprintln!("{reached} of 250 destinations reached");
    assert!(reached >= 125, "{reached}");
    check_against_reference(case, 60, 22, RaptorOptions { max_transfers: 0, board_slack_s: 0 });
}

/// Range RAPTOR over 07:00-09:00 gives, at every minute and stop, what a
/// fresh single search and the reference give.
fn check_range(case: &Case, origins: usize, seed: u64) {
    let reference = Reference::new(&case.feed, case.tt.date);
    let stops = served(&case.tt);
    let opts = RaptorOptions::default();
    let mut range = Raptor::new(&case.tt, opts);
    let mut single = Raptor::new(&case.tt, opts);
    let mut picks = Picks(seed);
    let window = DepartureWindow::MORNING_PEAK.departures();
    for _ in 0..origins {
        // Two access stops with different walks, as from a door.
        let access = [
            StopWalk { stop: stops[picks.next(stops.len())], walk_s: 120, length_m: 160.0 },
            StopWalk { stop: stops[picks.next(stops.len())], walk_s: 400, length_m: 530.0 },
        ];
        let pairs: Vec<(u32, u32)> = access.iter().map(|a| (a.stop, a.walk_s)).collect();
        let mut minutes = 0;
        range.run_range(&access, &window, |dep, r| {
            single.run(&access, dep);
            for s in 0..case.tt.stop_count() {
                assert_eq!(r.arrival(s), single.arrival(s), "stop {s} at {}", fmt_hms(dep));
                assert_eq!(r.ride_arrival(s), single.ride_arrival(s), "stop {s} by vehicle at {}", fmt_hms(dep));
            }
            if dep % 600 == 0 {
                let (any, by_ride) = reference.earliest(&case.tt.footpaths, &pairs, dep, opts);
                for s in 0..case.tt.stop_count() {
                    assert_eq!((r.arrival(s), r.ride_arrival(s)), (any[s], by_ride[s]), "stop {s} at {} (reference)", fmt_hms(dep));
                }
            }
            minutes += 1;
        });
        assert_eq!(minutes, 120);
    }
}

#[test]
fn range_raptor_equals_single_runs_and_the_reference_on_newport() {
    let Some(case) = newport() else { return };
    check_range(case, 12, 31);
}

#[test]
fn range_raptor_equals_single_runs_on_the_demo_feed() {
    let Some(case) = demo() else { return };
    check_range(case, 12, 41);
}

#[test]
fn newport_timetable_holds_every_trip_of_the_day_as_in_the_feed() {
    let Some(case) = newport() else { return };
    let (feed, tt) = (&case.feed, &case.tt);
    let today = feed.services_on(tt.date);
    let active: Vec<usize> = (0..feed.trips.len()).filter(|&t| today.contains(&feed.trips[t].service)).collect();
    eprintln!("{} of {} trips run on {}; {} services", active.len(), feed.trips.len(), tt.date, today.len());
    // The feed's trips on Tuesday 2023-06-13, none from Monday past midnight.
    assert_eq!(tt.trips.iter().filter(|t| !t.previous_day).count(), active.len());
    assert_eq!(active.len(), 176);
    let mut seen = vec![false; feed.trips.len()];
    for (pi, p) in tt.patterns.iter().enumerate() {
        let stops = &tt.pattern_stops[p.stop_range()];
        for k in 0..p.n_trips as usize {
            let r = tt.trips[p.trips_at as usize + k];
            if r.previous_day {
                continue;
            }
            seen[r.feed_trip as usize] = true;
            let ft = &feed.trips[r.feed_trip as usize];
            assert_eq!(ft.route, p.route);
            for (pos, j) in ft.times().enumerate() {
                assert_eq!(stops[pos], feed.stop_times.stop[j]);
                assert_eq!(tt.arrival_s[p.time_index(k, pos)], feed.stop_times.arrival_s[j]);
                assert_eq!(tt.departure_s[p.time_index(k, pos)], feed.stop_times.departure_s[j]);
            }
            // No trip overtakes the one before it in its pattern.
            if k > 0 {
                for pos in 0..p.n_stops as usize {
                    assert!(tt.departure_s[p.time_index(k, pos)] >= tt.departure_s[p.time_index(k - 1, pos)], "pattern {pi}");
                    assert!(tt.arrival_s[p.time_index(k, pos)] >= tt.arrival_s[p.time_index(k - 1, pos)], "pattern {pi}");
                }
            }
        }
    }
    assert!(active.iter().all(|&t| seen[t]));
}

#[test]
fn newport_footpaths_are_walks_of_at_most_400_m_over_the_street_network() {
    let Some(case) = newport() else { return };
    let (tt, walk) = (&case.tt, case.walk.as_ref().unwrap());
    let fp = &tt.footpaths;
    assert_eq!(fp.source, FootpathSource::WalkNetwork);
    eprintln!("{} footpaths; notes: {:?}", fp.len(), tt.notes);
    assert!(fp.len() > 1000, "{}", fp.len());
    let speed = walk.walk_mps;
    for s in 0..tt.stop_count() {
        for f in fp.from(s) {
            assert!(fp.length_m[f] <= 400.0 + 1e-3);
            // Walking time is length over the walking speed, rounded up (1 s slack for rounding per part).
            let t = fp.length_m[f] as f64 / speed;
            assert!((fp.walk_s[f] as f64 - t).abs() <= 3.0, "{} s for {} m", fp.walk_s[f], fp.length_m[f]);
            // Walking is never shorter than the straight line.
            let d = crate::geom::haversine_m(tt.stops[s].point, tt.stops[fp.to[f] as usize].point);
            assert!(fp.length_m[f] as f64 >= d - 1.0, "{} m walk for {d:.0} m apart", fp.length_m[f]);
        }
    }
    // A stop and its neighbour across the street: walking there is the
    // same as a plain search from the stop's snap to the other's snap.
    let mut search = Search::new(walk.state_count());
    let mut checked = 0;
    for s in served(tt).into_iter().take(200) {
        let Ok(sa) = walk.snap_nearest(tt.stops[s as usize].point, 1000.0) else { continue };
        search.run(&walk.forward, 0, &walk.leaving(&sa, crate::network::Period::Offpeak), crate::network::dijkstra::UNREACHED - 1);
        for f in fp.from(s as usize) {
            let b = fp.to[f] as usize;
            let Ok(sb) = walk.snap_nearest(tt.stops[b].point, 1000.0) else { continue };
            let (t, _) = footpaths::walk_to(walk, &search, &sa, &sb).unwrap();
            let ms = t as u64 + walk.walk_ms(sa.offset_m) as u64 + walk.walk_ms(sb.offset_m) as u64;
            assert_eq!(fp.walk_s[f], footpaths::ms_to_s(ms));
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn previous_day_trips_after_midnight_are_in_the_timetable() {
    let Some(case) = newport() else { return };
    // Monday's late trips that run past midnight are boardable early on Tuesday.
    let late: Vec<_> = case.tt.trips.iter().filter(|t| t.previous_day).collect();
    let monday = case.feed.services_on(case.tt.date.plus_days(-1));
    let expected = case
        .feed
        .trips
        .iter()
        .filter(|t| monday.contains(&t.service) && t.times().filter(|&k| case.feed.stop_times.arrival_s[k] >= timetable::DAY_S).count() >= 2)
        .count();
    eprintln!("{} previous-day trips", late.len());
    assert_eq!(late.len(), expected);
}
