//! A region reads its feeds cut to the study area (and a feed loaded alone
//! for the study's bus date) while reading: on Newport with the 85-route
//! feed and a 2 km clip margin it holds the same feed (stops, trips, stop
//! times: counts and a checksum), says the same numbers in its notes and
//! gives the same bus matrix as the twin that loads every feed whole and
//! cuts it afterwards, and the same journeys as the whole feed for zones
//! inside the area. The filtered reader counts what it left out exactly as
//! a whole load followed by a cut counts it (a hand-made feed with a
//! frequency-based trip and a broken trip outside the area), and a feed
//! read for its default date keeps that date's timetable (Chester).

use accessplan::geom::{Extent, LonLat};
use accessplan::network::StreetMode;
use accessplan::progress::Progress;
use accessplan::region::{Region, RegionInputs};
use accessplan::testdata::{newport_inputs, shared_file};
use accessplan::transit::*;
use accessplan::travel::{Mode, TravelRequest, TravelTimes};

#[path = "transit_common.rs"]
mod common;

/// FNV-1a.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A checksum of everything a feed holds but its source path.
fn feed_digest(f: &Feed) -> u64 {
    let parts: Vec<_> = f.parts.iter().map(|p| (p.agencies.clone(), p.stops.clone(), p.routes.clone(), p.services.clone(), p.trips.clone())).collect();
    let text = format!("{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}", f.agencies, f.stops, f.routes, f.services, f.trips, f.stop_times, f.transfer_rules, parts);
    fnv(0xcbf2_9ce4_8422_2325, text.as_bytes())
}

const FEED_85: &str = "newport/gtfs-more/newport-20230613_gtfs_85routes.zip";

/// Newport's 475 output areas and 21 OSM health sites, the walk network
/// and the 85-route feed, cut to the zones' extent + `margin_km`.
fn inputs(margin_km: Option<f64>) -> Option<RegionInputs> {
    let mut i = newport_inputs()?;
    i.modes = vec![StreetMode::Walk];
    i.gtfs = vec![shared_file(FEED_85)?];
    i.clip_margin_km = margin_km;
    Some(i)
}

fn bus(region: &Region, date: &str) -> accessplan::transit::BusMatrix {
    let request = TravelRequest { modes: vec![Mode::Bus], ..TravelRequest::for_region(region) };
    let tt = TravelTimes::compute(region, &request, &Progress::new()).unwrap();
    assert!(tt.bus_problem.is_none(), "{:?}", tt.bus_problem);
    assert_eq!(tt.bus_date().map(|d| d.to_string()).as_deref(), Some(date));
    tt.bus.unwrap()
}

/// Every figure of two bus matrices is the same (unreachable counts as equal).
fn same_matrix(a: &BusMatrix, b: &BusMatrix) -> bool {
    let same = |x: &[f32], y: &[f32]| x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p == q || (p.is_infinite() && q.is_infinite()));
    same(&a.median_s, &b.median_s) && same(&a.p10_s, &b.p10_s) && same(&a.p90_s, &b.p90_s) && same(&a.no_journey_share, &b.no_journey_share)
}

#[test]
fn newport_read_cut_while_reading_equals_the_feed_loaded_whole_then_cut() {
    // Every trip of the 85-route feed runs on Tuesday 2023-06-13 (the
    // README's date): read for it, the feed holds every trip that calls
    // within 2 km of the zones, as the twin does.
    let Some(mut cut_inputs) = inputs(Some(2.0)) else { return };
    cut_inputs.bus_date = Some("2023-06-13".parse().unwrap());
    let read = Region::load(&cut_inputs).unwrap();
    let twin = Region::load_reading_feeds_whole(&cut_inputs).unwrap();
    let (feed, reports) = read.gtfs.as_ref().unwrap();
    let (twin_feed, twin_reports) = twin.gtfs.as_ref().unwrap();
    // The same feed: counts and a checksum of every record.
    let counts = |f: &Feed| (f.stops.len(), f.routes.len(), f.trips.len(), f.stop_times.len());
    println!("kept {:?}, digest {}", counts(feed), feed_digest(feed));
    assert_eq!(counts(feed), counts(twin_feed));
    assert_eq!(counts(feed), (1571, 85, 1343, 43199));
    assert_eq!(feed_digest(feed), feed_digest(twin_feed));
    // The same clip counts, and the notes that say them.
    let clip = read.clip.as_ref().unwrap();
    assert_eq!(clip.feeds, twin.clip.as_ref().unwrap().feeds);
    let c = clip.feeds[0].1;
    assert_eq!((c.stops, c.routes, c.trips, c.stop_times), ((3601, 1571), (85, 85), (1343, 1343), (43199, 43199)));
    let line = "GTFS newport-20230613_gtfs_85routes.zip clipped: stops 3601 -> 1571, routes 85 -> 85, trips 1343 -> 1343 (stop times 43199 -> 43199)";
    assert!(read.notes.iter().any(|n| n == line), "{:#?}", read.notes);
    // The report describes the file whole, as the twin's does: counts, problems.
    assert_eq!(reports[0].counts, twin_reports[0].counts);
    assert_eq!((reports[0].counts.stops, reports[0].counts.trips, reports[0].counts.stop_times), (3601, 1343, 43199));
    assert_eq!((reports[0].problem_counts.clone(), reports[0].trips_left_out), (twin_reports[0].problem_counts.clone(), twin_reports[0].trips_left_out));
    // The notes differ only by the note on the date read.
    let date_note = "\nnote: read for 2023-06-13 only: 0 trips running on other days not loaded";
    assert!(read.notes.iter().any(|n| n.contains(date_note)), "{:#?}", read.notes);
    let notes: Vec<String> = read.notes.iter().map(|n| n.replace(date_note, "")).collect();
    assert_eq!(notes, twin.notes);
    let warnings = |r: &Region| r.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    assert_eq!(warnings(&read), warnings(&twin));
    // The same bus matrix, figure by figure, as the twin and as the whole
    // feed (no cut): every zone lies inside the area kept.
    let m = bus(&read, "2023-06-13");
    assert!(same_matrix(&m, &bus(&twin, "2023-06-13")));
    let mut whole_inputs = inputs(None).unwrap();
    whole_inputs.bus_date = cut_inputs.bus_date;
    let whole = Region::load_reading_feeds_whole(&whole_inputs).unwrap();
    assert_eq!(counts(&whole.gtfs.as_ref().unwrap().0), (3601, 85, 1343, 43199));
    assert!(same_matrix(&m, &bus(&whole, "2023-06-13")), "a feed cut to the study area gives the same journeys as the whole feed");
    let with_time = m.median_s.iter().filter(|t| t.is_finite()).count();
    println!("{with_time} of {} pairs with a bus time", m.median_s.len());
    assert_eq!((m.median_s.len(), with_time), (475 * 21, 7705));
}

#[test]
fn newport_read_for_the_feeds_default_date_keeps_the_bus_matrix() {
    // No date asked for: the study's date is the feed's first Tuesday with
    // service, 2023-06-06; 50 trips (services starting on 8 June) run
    // neither that day nor the Monday before and are not loaded. The clip
    // note counts them as cut; the bus matrix is the twin's.
    let Some(cut_inputs) = inputs(Some(2.0)) else { return };
    let read = Region::load(&cut_inputs).unwrap();
    let twin = Region::load_reading_feeds_whole(&cut_inputs).unwrap();
    let line = "GTFS newport-20230613_gtfs_85routes.zip clipped: stops 3601 -> 1564, routes 85 -> 82, trips 1343 -> 1293 (stop times 43199 -> 42926)";
    assert!(read.notes.iter().any(|n| n == line), "{:#?}", read.notes);
    let date_note = "note: read for 2023-06-06 (the feed's default date: its first Tuesday with service) only: 50 trips running on other days not loaded";
    assert!(read.notes.iter().any(|n| n.contains(date_note)), "{:#?}", read.notes);
    assert_eq!(read.gtfs.as_ref().unwrap().1[0].counts, twin.gtfs.as_ref().unwrap().1[0].counts);
    let m = bus(&read, "2023-06-06");
    assert!(same_matrix(&m, &bus(&twin, "2023-06-06")));
}

/// The tiny feed with T7, a trip from Charlie back to Bravo that arrives
/// before it leaves (left out, and reported), outside an area around Delta.
fn tiny_with_a_broken_trip(name: &str) -> std::path::PathBuf {
    let trips = format!("{}R2,WK,T7,Bravo\n", common::TRIPS);
    let times = format!("{}T7,10:00:00,10:00:00,C,1\nT7,09:50:00,09:50:00,B,2\n", common::STOP_TIMES);
    let (trips, times): (&'static str, &'static str) = (Box::leak(trips.into_boxed_str()), Box::leak(times.into_boxed_str()));
    common::tiny_feed(name, &[("trips.txt", trips), ("stop_times.txt", times)])
}

#[test]
fn the_filtered_reader_counts_what_it_left_out_as_a_whole_load_then_a_cut() {
    let dir = tiny_with_a_broken_trip("filtered-counts");
    let (whole, whole_report) = load_gtfs(&dir).unwrap();
    assert_eq!((whole_report.counts.trips, whole_report.counts.stop_times, whole_report.counts.frequency_trips), (8, 17, 3));
    assert_eq!((whole_report.trips_left_out, whole_report.count(ProblemKind::DecreasingTimes)), (1, 1));
    // Around Delta: T1, T3 and T5 call there; T2, T4 and T6 (three
    // frequency departures) do not, and T7 is broken.
    let area = Extent { min: LonLat::new(0.14, 51.49), max: LonLat::new(0.16, 51.51) };
    let (_, clip) = whole.clone().clip(&area);
    assert_eq!((clip.stops, clip.routes, clip.trips, clip.stop_times), ((5, 4), (5, 2), (8, 3), (17, 7)));
    let (feed, r) = load_gtfs_filtered(&dir, &GtfsFilter { area: Some(area), ..GtfsFilter::default() }).unwrap();
    let f = r.filtered.clone().unwrap();
    assert_eq!(f.kept, clip);
    assert_eq!(f.in_file, whole_report.counts);
    assert_eq!((f.outside, f.other_days, f.other_days_in_area), (3, 0, 0));
    assert_eq!((r.counts.trips, r.counts.stop_times, r.counts.frequency_trips), (3, 7, 0));
    assert_eq!(feed.trips.len(), 3);
    // The same problems as the whole load, T7's included, in the same words.
    let problems = |r: &GtfsReport| r.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    assert_eq!((problems(&r), r.trips_left_out), (problems(&whole_report), 1));
    assert!(r.notes.iter().any(|n| n == "cut to the study area while reading: 3 trips calling only outside it not loaded; stops 5 -> 4, routes 5 -> 2, trips 8 -> 3 (stop times 17 -> 7)"), "{r}");
    // In the whole file's terms, the report says what the whole load says.
    let as_file = r.in_file_terms();
    assert_eq!((as_file.counts, as_file.notes), (whole_report.counts.clone(), whole_report.notes.clone()));
    // Read for Monday 12 June too: T5 (service EXTRA, Wednesday 14 only)
    // is not loaded but counted as listed: still 8 trips and 17 stop times in the file.
    let monday = GtfsFilter { dates: vec!["2023-06-12".parse().unwrap()], area: Some(area), ..GtfsFilter::default() };
    let (feed, r) = load_gtfs_filtered(&dir, &monday).unwrap();
    let f = r.filtered.unwrap();
    assert_eq!(f.in_file, whole_report.counts);
    assert_eq!((f.kept.trips, f.kept.stop_times), ((8, 2), (17, 5)));
    assert_eq!((f.outside, f.other_days, f.other_days_in_area), (3, 1, 1));
    let ids: Vec<&str> = feed.trips.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["T1", "T3"]);
}

#[test]
fn a_feed_read_for_its_default_date_keeps_that_dates_timetable() {
    let Some(chester) = shared_file("chester/chester-20230816-small_gtfs.zip") else { return };
    let (whole, whole_report) = load_gtfs(&chester).unwrap();
    let date = whole.default_service_date().unwrap();
    assert_eq!(date.to_string(), "2023-08-01");
    let (feed, r) = load_gtfs_filtered(&chester, &GtfsFilter { default_date: true, ..GtfsFilter::default() }).unwrap();
    let f = r.filtered.clone().unwrap();
    assert_eq!(f.dates, [date]);
    // The file's counts are those of the whole load; the trips kept are
    // those whose service runs that Tuesday or the Monday before.
    assert_eq!(f.in_file, whole_report.counts);
    assert_eq!((f.in_file.trips, f.in_file.stop_times, f.in_file.stops), (804, 34249, 1320));
    let runs = |t: &Trip| {
        let s = &whole.services[t.service as usize];
        s.runs_on(date) || s.runs_on(date.plus_days(-1))
    };
    let expected = whole.trips.iter().filter(|t| runs(t)).count();
    assert_eq!((feed.trips.len(), f.other_days), (expected, 804 - expected));
    println!("{expected} of 804 trips kept");
    assert_eq!(expected, 798);
    assert!(r.notes.iter().any(|n| n.starts_with("read for 2023-08-01 (the feed's default date: its first Tuesday with service) only: 6 trips")), "{r}");
    let opts = FootpathOptions::default();
    let (a, b) = (Timetable::build(&whole, date, None, &opts).unwrap(), Timetable::build(&feed, date, None, &opts).unwrap());
    assert_eq!((a.trip_count(), a.patterns.len()), (b.trip_count(), b.patterns.len()));
    assert_eq!((&a.pattern_stops, &a.arrival_s, &a.departure_s), (&b.pattern_stops, &b.arrival_s, &b.departure_s));
}

#[test]
fn stop_times_not_listed_trip_by_trip_are_read_again_for_the_trips_concerned() {
    // T1 (Alpha, Bravo, then Delta inside the area) and T2 (Alpha, Charlie,
    // outside) are interleaved: T1 looks outside when T2 begins and is let
    // go, then its Delta stop time comes back; a second pass reads it whole.
    let interleaved = "trip_id,arrival_time,departure_time,stop_id,stop_sequence
T1,08:00:00,08:00:00,A,1
T1,,,B,2
T2,08:05:00,08:05:00,A,1
T3,08:30:00,08:30:00,E,1
T2,08:20:00,08:20:00,C,2
T3,08:45:00,08:45:00,D,2
T4,25:10:00,25:10:00,A,1
T4,25:30:00,25:30:00,B,2
T5,08:10:00,08:10:00,A,1
T5,08:50:00,08:50:00,D,2
T6,06:00:00,06:00:00,B,1
T6,06:10:00,06:10:00,C,2
T1,09:00:00,09:00:00,D,3
";
    let area = Extent { min: LonLat::new(0.14, 51.49), max: LonLat::new(0.16, 51.51) };
    let filter = GtfsFilter { area: Some(area), ..GtfsFilter::default() };
    let (grouped, gr) = load_gtfs_filtered(&common::tiny_feed("filtered-grouped", &[]), &filter).unwrap();
    let (mixed, mr) = load_gtfs_filtered(&common::tiny_feed("filtered-interleaved", &[("stop_times.txt", interleaved)]), &filter).unwrap();
    let ids: Vec<&str> = mixed.trips.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["T1", "T3", "T5"]);
    assert_eq!(mixed.trips[0].len, 3, "T1 keeps its three stop times");
    assert_eq!(feed_digest(&mixed), feed_digest(&grouped));
    assert_eq!(mr.filtered, gr.filtered);
    let f = mr.filtered.clone().unwrap();
    assert_eq!((f.kept.trips, f.kept.stop_times, f.outside), ((8, 3), (17, 7), 3));
    assert_eq!((mr.problem_count(), mr.trips_left_out), (0, 0));
}
