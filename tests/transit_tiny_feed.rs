//! Bus routing on a hand-built tiny feed (see `transit_common.rs` for the
//! timetable) where every answer is worked out by hand: a transfer that
//! beats the direct bus, a trip past midnight, calendar_dates exceptions,
//! frequencies, transfers.txt rules; then door-to-door journeys, the matrix
//! percentiles and the itinerary over a one-street map.

#[path = "transit_common.rs"]
mod common;

use accessplan::LonLat;
use accessplan::input::osm::OsmData;
use accessplan::network::{Network, Profile, StreetMode};
use accessplan::transit::raptor::UNREACHED;
use accessplan::transit::*;
use common::tiny_feed;

fn hms(h: u32, m: u32, s: u32) -> u32 {
    h * 3600 + m * 60 + s
}

fn date(s: &str) -> ServiceDate {
    s.parse().unwrap()
}

fn stop(feed: &Feed, id: &str) -> usize {
    feed.stop_index(id).unwrap() as usize
}

/// Earliest arrival at `to` from stop `from` leaving at `dep` on `day`.
fn arrival(feed: &Feed, day: &str, from: &str, to: &str, dep: u32, opts: RaptorOptions) -> u32 {
    let tt = Timetable::build(feed, date(day), None, &FootpathOptions::default()).unwrap();
    let mut r = Raptor::new(&tt, opts);
    r.run(&[StopWalk { stop: stop(feed, from) as u32, walk_s: 0, length_m: 0.0 }], dep);
    r.arrival(stop(feed, to))
}

#[test]
fn the_tiny_feed_loads_whole() {
    let (feed, report) = load_gtfs(&tiny_feed("loads", &[])).unwrap();
    eprintln!("{report}");
    assert_eq!(report.problem_count(), 0);
    assert_eq!((report.counts.stops, report.counts.routes, report.counts.services), (5, 5, 2));
    // T1-T5, and T6 as three departures 06:00, 06:20, 06:40.
    assert_eq!(report.counts.frequency_trips, 3);
    assert_eq!(report.counts.trips, 8);
    assert!(feed.trips.iter().any(|t| t.id == "T6 @06:20:00"));
    // T1's untimed call at Bravo is placed by distance: a third of the way
    // from Alpha (08:00) to Delta (09:00), 08:20.
    let t1 = feed.trips.iter().find(|t| t.id == "T1").unwrap();
    assert_eq!(feed.stop_times.arrival_s[t1.first as usize + 1], hms(8, 20, 0));
    assert_eq!(feed.date_range().map(|(a, b)| (a.to_string(), b.to_string())), Some(("2023-06-01".into(), "2023-06-30".into())));
}

#[test]
fn a_transfer_beats_the_direct_bus() {
    let (feed, _) = load_gtfs(&tiny_feed("transfer", &[])).unwrap();
    let all = RaptorOptions::default();
    let direct_only = RaptorOptions { max_transfers: 0, ..all };
    // Leaving Alpha at 07:59 (60 s boarding slack): route 2 at 08:05 reaches
    // Charlie at 08:20; Echo is 100 m away, walked as 100 m x 1.3 at
    // 4.8 km/h = 98 s, so reached 08:21:38; route 3 at 08:30 reaches Delta at
    // 08:45, a quarter of an hour before the direct route 1 (09:00).
    assert_eq!(arrival(&feed, "2023-06-13", "A", "D", hms(7, 59, 0), all), hms(8, 45, 0));
    assert_eq!(arrival(&feed, "2023-06-13", "A", "E", hms(7, 59, 0), all), hms(8, 21, 38));
    assert_eq!(arrival(&feed, "2023-06-13", "A", "D", hms(7, 59, 0), direct_only), hms(9, 0, 0));
    // One second later the direct bus at 08:00 is missed (slack), the transfer still works.
    assert_eq!(arrival(&feed, "2023-06-13", "A", "D", hms(7, 59, 1), direct_only), UNREACHED);
    assert_eq!(arrival(&feed, "2023-06-13", "A", "D", hms(7, 59, 1), all), hms(8, 45, 0));
    // Route 1 calls at Bravo at 08:20 (interpolated): caught from Bravo at 08:18.
    assert_eq!(arrival(&feed, "2023-06-13", "B", "D", hms(8, 18, 0), all), hms(9, 0, 0));
}

#[test]
fn a_trip_past_midnight_runs_late_that_day_and_early_the_next() {
    let (feed, _) = load_gtfs(&tiny_feed("midnight", &[])).unwrap();
    let o = RaptorOptions::default();
    // Tuesday's N4 leaves Alpha at 25:10:00 (01:10 on Wednesday) and reaches Bravo at 25:30:00.
    assert_eq!(arrival(&feed, "2023-06-13", "A", "B", hms(25, 0, 0), o), hms(25, 30, 0));
    // Monday's N4 is the one at 01:10 early on Tuesday.
    assert_eq!(arrival(&feed, "2023-06-13", "A", "B", hms(1, 0, 0), o), hms(1, 30, 0));
    // Early on Monday there is none (WK does not run on Sunday): the first
    // bus to Bravo is route 1 at 08:00, there at 08:20.
    assert_eq!(arrival(&feed, "2023-06-12", "A", "B", hms(1, 0, 0), o), hms(8, 20, 0));
    let tt = Timetable::build(&feed, date("2023-06-13"), None, &FootpathOptions::default()).unwrap();
    let late: Vec<_> = tt.trips.iter().filter(|t| t.previous_day).map(|t| tt.trip_id(*t)).collect();
    assert_eq!(late, vec!["T4 (previous day)".to_string()]);
}

#[test]
fn calendar_dates_remove_and_add_service() {
    let (feed, _) = load_gtfs(&tiny_feed("exceptions", &[])).unwrap();
    let ids = |d: &str| feed.active_services(date(d)).unwrap().iter().map(|&i| feed.services[i as usize].id.clone()).collect::<Vec<_>>();
    assert_eq!(ids("2023-06-13"), vec!["WK"]);
    // Wednesday 14 June: WK removed, EXTRA added.
    assert_eq!(ids("2023-06-14"), vec!["EXTRA"]);
    assert_eq!(ids("2023-06-15"), vec!["WK"]);
    let o = RaptorOptions::default();
    // On the 14th only T5 (Alpha 08:10, Delta 08:50) runs.
    assert_eq!(arrival(&feed, "2023-06-14", "A", "D", hms(7, 59, 0), o), hms(8, 50, 0));
    assert_eq!(arrival(&feed, "2023-06-14", "A", "C", hms(7, 59, 0), o), UNREACHED);
    assert_eq!(arrival(&feed, "2023-06-15", "A", "D", hms(7, 59, 0), o), hms(8, 45, 0));
}

#[test]
fn a_day_without_service_names_the_dates_the_feed_covers() {
    let (feed, _) = load_gtfs(&tiny_feed("noservice", &[])).unwrap();
    let e = Timetable::build(&feed, date("2023-06-18"), None, &FootpathOptions::default()).unwrap_err().to_string();
    assert!(e.starts_with("no bus service runs on Sunday 2023-06-18 in "), "{e}");
    assert!(e.ends_with("; the feed covers 2023-06-01 to 2023-06-30; the nearest days with service are Friday 2023-06-16 and Monday 2023-06-19"), "{e}");
    let e = feed.active_services(date("2023-07-04")).unwrap_err().to_string();
    assert!(
        e.contains("Tuesday 2023-07-04") && e.ends_with("the feed covers 2023-06-01 to 2023-06-30; the nearest days with service are Friday 2023-06-30"),
        "{e}"
    );
}

#[test]
fn frequency_trips_run_every_twenty_minutes() {
    let (feed, _) = load_gtfs(&tiny_feed("freq", &[])).unwrap();
    let o = RaptorOptions::default();
    // Departures from Bravo at 06:00, 06:20, 06:40, each 10 min to Charlie.
    assert_eq!(arrival(&feed, "2023-06-13", "B", "C", hms(6, 18, 0), o), hms(6, 30, 0));
    assert_eq!(arrival(&feed, "2023-06-13", "B", "C", hms(6, 21, 0), o), hms(6, 50, 0));
    assert_eq!(arrival(&feed, "2023-06-13", "B", "C", hms(6, 40, 0), o), UNREACHED);
}

#[test]
fn transfers_txt_rules_change_the_walk_between_stops() {
    let o = RaptorOptions::default();
    // No transfer from Charlie to Echo: only the direct bus is left.
    let (feed, _) = load_gtfs(&tiny_feed("rule3", &[("transfers.txt", "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nC,E,3,\n")])).unwrap();
    assert_eq!(arrival(&feed, "2023-06-13", "A", "D", hms(7, 59, 0), o), hms(9, 0, 0));
    // Ten minutes needed from Charlie to Echo: at Echo 08:30, the 08:30 bus
    // needs 60 s slack, so it is missed.
    let (feed, report) = load_gtfs(&tiny_feed("rule2", &[("transfers.txt", "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nC,E,2,600\n")])).unwrap();
    assert_eq!(report.counts.transfer_rules, 1);
    assert_eq!(arrival(&feed, "2023-06-13", "A", "E", hms(7, 59, 0), o), hms(8, 30, 0));
    assert_eq!(arrival(&feed, "2023-06-13", "A", "D", hms(7, 59, 0), o), hms(9, 0, 0));
    // Five minutes is enough.
    let (feed, _) = load_gtfs(&tiny_feed("rule2b", &[("transfers.txt", "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nC,E,2,300\n")])).unwrap();
    assert_eq!(arrival(&feed, "2023-06-13", "A", "D", hms(7, 59, 0), o), hms(8, 45, 0));
}

fn tiny_network() -> Network {
    let osm = OsmData::load(&common::tiny_osm("osm")).unwrap();
    Network::build(&osm, StreetMode::Walk, &Profile::default())
}

/// Origin 55.6 m south of the street below Alpha; destinations the same
/// below Delta and 0.01 degrees (694 m) east of the origin.
const ORIGIN: LonLat = LonLat::new(0.0, 51.4990);
const BY_DELTA: LonLat = LonLat::new(0.15, 51.4990);
const NEAR: LonLat = LonLat::new(0.01, 51.4990);

#[test]
fn door_to_door_journey_and_its_legs() {
    let (feed, _) = load_gtfs(&tiny_feed("itinerary", &[])).unwrap();
    let walk = tiny_network();
    let tt = Timetable::build(&feed, date("2023-06-13"), Some(&walk), &FootpathOptions::default()).unwrap();
    let router = BusRouter::new(&tt, &walk, BusOptions::default());
    // Door to Alpha: 55.6 m to the street and 55.6 m from it, at 4.8 km/h:
    // 83.4 s, 84 s rounded up. The same from Delta to the door.
    let it = router.itinerary(ORIGIN, BY_DELTA, hms(7, 55, 0)).unwrap();
    println!("{it}");
    assert_eq!(it.arrive_s, hms(8, 45, 0) + 84);
    assert_eq!(it.rides(), 2);
    let kinds: Vec<String> = it
        .legs
        .iter()
        .map(|l| match l {
            Leg::Walk { from, to, .. } => format!("walk {from} -> {to}"),
            Leg::Ride { route, from, to, depart_s, arrive_s, .. } => format!("{route} {from} {} -> {to} {}", fmt_hm(*depart_s), fmt_hm(*arrive_s)),
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            "walk the start -> Alpha (A)",
            "2 Alpha (A) 08:05 -> Charlie (C) 08:20",
            "walk Charlie (C) -> Echo (E)",
            "3 Echo (E) 08:30 -> Delta (D) 08:45",
            "walk Delta (D) -> the destination",
        ]
    );
    // Charlie to Echo over the street: 55.6 m + 155.7 m (Echo is 100 m farther north).
    let Leg::Walk { length_m, depart_s, arrive_s, .. } = &it.legs[2] else { panic!() };
    assert!((211.0..212.0).contains(length_m), "{length_m}");
    assert_eq!((*depart_s, arrive_s - depart_s), (hms(8, 20, 0), 159));
    let text = it.to_string();
    assert!(text.starts_with("leave 07:55, arrive 08:46: 51 min door to door, 1 change"), "{text}");
    assert!(text.contains("08:05-08:20  bus 2 towards Charlie from Alpha (A) to Charlie (C) (1 stop, after 9 min wait)"), "{text}");
    // Close by, walking all the way wins: 55.6 + 694 + 55.6 m.
    let it = router.itinerary(ORIGIN, NEAR, hms(7, 55, 0)).unwrap();
    assert_eq!(it.rides(), 0);
    assert!((600..610).contains(&it.duration_s()), "{}", it.duration_s());
}

#[test]
fn matrix_percentiles_over_the_morning_peak() {
    let (feed, _) = load_gtfs(&tiny_feed("matrix", &[])).unwrap();
    let walk = tiny_network();
    let tt = Timetable::build(&feed, date("2023-06-13"), Some(&walk), &FootpathOptions::default()).unwrap();
    let far_away = LonLat::new(1.0, 52.0);
    let m = bus_matrix(
        &tt,
        &walk,
        &[ORIGIN, far_away],
        &[BY_DELTA, NEAR],
        &DepartureWindow::MORNING_PEAK,
        &BusOptions::default(),
        &accessplan::progress::Progress::new(),
    )
    .unwrap();
    // From the origin to Delta the only journey arrives 08:46:24 (route 2,
    // walk, route 3, walk 84 s); it must leave by 08:02:36 to catch the
    // 08:05 with 84 s walk and 60 s slack: 63 of the 120 minutes (07:00 to
    // 08:02). Walking all the way (10.4 km) is over 2 hours.
    // Times ascending: 08:02 -> 44 min 24 s, then +1 min per earlier start.
    assert_eq!(m.p10(0, 0), Some((44 * 60 + 24 + 11 * 60) as f32)); // 12th of 120
    assert_eq!(m.median(0, 0), Some((44 * 60 + 24 + 59 * 60) as f32)); // 60th
    assert_eq!(m.p90(0, 0), None); // 108th: no journey
    assert_eq!(m.no_journey(0, 0), 57.0 / 120.0);
    // To the near destination every minute walks, 804.8 m in 604 s.
    let w = m.median(0, 1).unwrap();
    assert!((600.0..610.0).contains(&w), "{w}");
    assert_eq!((m.p10(0, 1), m.p90(0, 1), m.no_journey(0, 1)), (Some(w), Some(w), 0.0));
    assert_eq!(m.origin_stops[0], 1);
    assert!(matches!(m.why_none(1, 0), Some(NoBusTime::OriginOffNetwork(_))));
    assert_eq!(m.why_none(0, 0), None);
    // The range search agrees with one search per minute.
    let router = BusRouter::new(&tt, &walk, BusOptions::default());
    let single = router.times_by_single_runs(ORIGIN, BY_DELTA, &DepartureWindow::MORNING_PEAK.departures());
    assert_eq!(single.iter().filter(|t| t.is_finite()).count(), 63);
    assert_eq!(single[0], (106 * 60 + 24) as f32); // 07:00 -> 08:46:24
    // With a one-hour limit, a door 2 km from any stop has no stop in reach.
    let opts = BusOptions { max_travel_s: 3600, ..BusOptions::default() };
    let m = bus_matrix(&tt, &walk, &[LonLat::new(0.03, 51.4990)], &[BY_DELTA], &DepartureWindow::MORNING_PEAK, &opts, &accessplan::progress::Progress::new())
        .unwrap();
    assert_eq!(m.why_none(0, 0), Some(NoBusTime::NoStopNearOrigin { max_access_m: 800.0 }));
}

/// The same day without service, as a value: the days the feed covers and
/// the nearest days with service, for a caller to offer instead.
#[test]
fn a_day_without_service_is_an_error_with_the_days_that_have_service() {
    let (feed, _) = load_gtfs(&tiny_feed("noservice-kind", &[])).unwrap();
    let e = feed.active_services(date("2023-06-18")).unwrap_err();
    assert_eq!((e.date, e.range), (date("2023-06-18"), Some((date("2023-06-01"), date("2023-06-30")))));
    assert_eq!(e.nearest, vec![date("2023-06-16"), date("2023-06-19")]);
    let built = Timetable::build(&feed, date("2023-06-18"), None, &FootpathOptions::default()).unwrap_err();
    assert!(matches!(built, accessplan::Error::NoBusService(n) if n == e));
}
