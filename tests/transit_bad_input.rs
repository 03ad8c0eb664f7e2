//! Bad GTFS input: each case gives its documented message (file, line,
//! field), the trip concerned is left out and counted, and the rest of the
//! feed loads. Feeds are the tiny hand-built one (`transit_common.rs`) with
//! one file changed.

#[path = "transit_common.rs"]
mod common;

use accessplan::Location;
use accessplan::transit::*;
use common::{STOP_TIMES, tiny_feed, tiny_zip};

/// The stop times with line `line` (1-based, header is 1) replaced.
fn stop_times_with(line: usize, row: &str) -> String {
    STOP_TIMES.lines().enumerate().map(|(i, l)| if i + 1 == line { row.to_string() } else { l.to_string() }).collect::<Vec<_>>().join("\n") + "\n"
}

/// Loads a feed that must load, returning the report.
fn load(name: &str, changes: &[(&str, &str)]) -> (Feed, GtfsReport) {
    let dir = tiny_feed(name, changes);
    load_gtfs(&dir).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The one listed problem: (file name, line, field, message).
fn only_problem(r: &GtfsReport) -> (String, u64, String, String) {
    assert_eq!(r.problems.len(), 1, "{r}");
    let p = &r.problems[0];
    let line = match p.location {
        Location::Line(l) => l,
        ref other => panic!("expected a line, got {other:?}"),
    };
    (p.file.file_name().unwrap().to_string_lossy().into_owned(), line, p.field.clone().unwrap_or_default(), p.message.clone())
}

fn has_trip(feed: &Feed, id: &str) -> bool {
    feed.trips.iter().any(|t| t.id == id)
}

#[test]
fn a_stop_time_naming_an_unknown_stop_leaves_its_trip_out() {
    let st = stop_times_with(5, "T2,08:05:00,08:05:00,ZZ,1");
    let (feed, r) = load("unknown-stop", &[("stop_times.txt", &st)]);
    assert_eq!(only_problem(&r), ("stop_times.txt".into(), 5, "stop_id".into(), "unknown stop 'ZZ'; trip 'T2' left out".into()));
    assert_eq!(r.count(ProblemKind::UnknownReference), 1);
    assert_eq!(r.trips_left_out, 1);
    assert!(!has_trip(&feed, "T2") && has_trip(&feed, "T3"));
    assert_eq!(r.counts.trips, 7);
}

#[test]
fn a_stop_time_naming_an_unknown_trip_is_ignored() {
    let st = format!("{STOP_TIMES}T99,09:00:00,09:00:00,A,1\n");
    let (_, r) = load("unknown-trip", &[("stop_times.txt", &st)]);
    assert_eq!(only_problem(&r), ("stop_times.txt".into(), 15, "trip_id".into(), "unknown trip 'T99'; stop time ignored".into()));
    assert_eq!(r.trips_left_out, 0);
    assert_eq!(r.counts.trips, 8);
}

#[test]
fn a_trip_with_an_unknown_service_or_route_is_left_out() {
    let trips = format!("{}R1,NOPE,T7,Delta\nR9,WK,T8,Delta\n", common::TRIPS);
    let st = format!("{STOP_TIMES}T7,09:00:00,09:00:00,A,1\nT7,09:30:00,09:30:00,B,2\nT8,09:00:00,09:00:00,A,1\nT8,09:30:00,09:30:00,B,2\n");
    let (feed, r) = load("unknown-service", &[("trips.txt", &trips), ("stop_times.txt", &st)]);
    assert_eq!(r.problems.len(), 2, "{r}");
    let p = &r.problems[0];
    assert_eq!((p.location.clone(), p.field.as_deref()), (Location::Line(8), Some("service_id")));
    assert_eq!(p.message, "unknown service 'NOPE' (not in calendar.txt or calendar_dates.txt); trip 'T7' left out");
    let p = &r.problems[1];
    assert_eq!((p.location.clone(), p.field.as_deref()), (Location::Line(9), Some("route_id")));
    assert_eq!(p.message, "unknown route 'R9'; trip 'T8' left out");
    assert_eq!(r.trips_left_out, 2);
    assert!(!has_trip(&feed, "T7") && !has_trip(&feed, "T8") && has_trip(&feed, "T1"));
}

#[test]
fn a_malformed_time_is_reported_with_its_line_and_field() {
    let st = stop_times_with(5, "T2,8:5:00,08:05:00,A,1");
    let (feed, r) = load("malformed-time", &[("stop_times.txt", &st)]);
    let (file, line, field, msg) = only_problem(&r);
    assert_eq!((file.as_str(), line, field.as_str()), ("stop_times.txt", 5, "arrival_time"));
    assert_eq!(msg, "'8:5:00' is not a valid time; HH:MM:SS format is expected; trip 'T2' left out");
    assert_eq!(r.count(ProblemKind::MalformedValue), 1);
    assert_eq!(r.trips_left_out, 1);
    assert!(!has_trip(&feed, "T2"));
    // The full report names the file, line and field.
    let text = r.to_string();
    assert!(text.contains("1 problems (1 malformed values); 1 trips left out; all:"), "{text}");
    assert!(text.contains("stop_times.txt: line 5, field 'arrival_time': '8:5:00' is not a valid time"), "{text}");
}

#[test]
fn a_negative_time_is_reported() {
    let st = stop_times_with(6, "T2,-00:05:00,-00:05:00,C,2");
    let (feed, r) = load("negative-time", &[("stop_times.txt", &st)]);
    let (file, line, field, msg) = only_problem(&r);
    assert_eq!((file.as_str(), line, field.as_str()), ("stop_times.txt", 6, "arrival_time"));
    assert_eq!(msg, "negative time '-00:05:00': times count from the service day's midnight and cannot be negative; trip 'T2' left out");
    assert!(!has_trip(&feed, "T2"));
}

#[test]
fn decreasing_times_leave_the_trip_out() {
    // T3 reaches Delta at 08:25, before it leaves Echo at 08:30.
    let st = stop_times_with(8, "T3,08:25:00,08:25:00,D,2");
    let (feed, r) = load("decreasing", &[("stop_times.txt", &st)]);
    assert_eq!(
        only_problem(&r),
        (
            "stop_times.txt".into(),
            8,
            "arrival_time".into(),
            "trip 'T3' arrives at 08:25:00 before it leaves the previous stop at 08:30:00 (line 7); trip left out".into()
        )
    );
    assert_eq!(r.count(ProblemKind::DecreasingTimes), 1);
    assert!(!has_trip(&feed, "T3"));
    // Leaving a stop before reaching it.
    let st = stop_times_with(6, "T2,08:20:00,08:19:00,C,2");
    let (_, r) = load("dwell-backwards", &[("stop_times.txt", &st)]);
    assert_eq!(
        only_problem(&r),
        ("stop_times.txt".into(), 6, "departure_time".into(), "trip 'T2' leaves at 08:19:00 before it arrives at 08:20:00; trip left out".into())
    );
}

#[test]
fn an_unknown_route_type_leaves_the_route_and_its_trips_out() {
    let routes = common::ROUTES.replace("R5,AG,5,Bravo - Charlie shuttle,3", "R5,AG,5,Bravo - Charlie shuttle,99");
    let (feed, r) = load("route-type", &[("routes.txt", &routes)]);
    assert_eq!(
        only_problem(&r),
        (
            "routes.txt".into(),
            6,
            "route_type".into(),
            "route type 99 of route 'R5' is not a GTFS route type (0-7, 11, 12 or an extended type 100-1702); the route and its trips are left out".into()
        )
    );
    assert_eq!(r.count(ProblemKind::UnknownRouteType), 1);
    assert_eq!(r.trips_left_out, 1);
    assert_eq!((r.counts.routes, r.counts.trips, r.counts.frequency_trips), (4, 5, 0));
    assert!(!feed.trips.iter().any(|t| t.id.starts_with("T6")));
}

#[test]
fn duplicate_ids_are_reported() {
    let stops = format!("{}A,Alpha again,51.6,0.0\n", common::STOPS);
    let (feed, r) = load("dup-stop", &[("stops.txt", &stops)]);
    assert_eq!(only_problem(&r), ("stops.txt".into(), 7, "stop_id".into(), "stop 'A' is already defined on line 2; this row is ignored".into()));
    assert_eq!(feed.stops[feed.stop_index("A").unwrap() as usize].name, "Alpha");
    assert_eq!(r.trips_left_out, 0);

    let trips = format!("{}R3,WK,T3,Delta again\n", common::TRIPS);
    let (feed, r) = load("dup-trip", &[("trips.txt", &trips)]);
    assert_eq!(
        only_problem(&r),
        ("trips.txt".into(), 8, "trip_id".into(), "trip 'T3' is already defined on line 4; both are left out (their stop times cannot be told apart)".into())
    );
    assert_eq!(r.count(ProblemKind::DuplicateId), 1);
    assert_eq!(r.trips_left_out, 1);
    assert!(!has_trip(&feed, "T3"));

    let routes = format!("{}R1,AG,1X,Other,3\n", common::ROUTES);
    let (_, r) = load("dup-route", &[("routes.txt", &routes)]);
    assert_eq!(only_problem(&r), ("routes.txt".into(), 7, "route_id".into(), "route 'R1' is already defined on line 2; this row is ignored".into()));

    let st = stop_times_with(6, "T2,08:20:00,08:20:00,C,1");
    let (_, r) = load("dup-seq", &[("stop_times.txt", &st)]);
    assert_eq!(only_problem(&r), ("stop_times.txt".into(), 6, "stop_sequence".into(), "stop_sequence 1 of trip 'T2' is also on line 5; trip left out".into()));
}

#[test]
fn many_problems_are_counted_and_the_first_twenty_listed() {
    let mut st = STOP_TIMES.to_string();
    for i in 0..30 {
        st.push_str(&format!("X{i},09:00:00,09:00:00,A,1\n"));
    }
    let (_, r) = load("many", &[("stop_times.txt", &st)]);
    assert_eq!(r.problem_count(), 30);
    assert_eq!(r.problems.len(), report::MAX_LISTED);
    assert!(r.to_string().contains("30 problems (30 unknown references); 0 trips left out; first 20:"), "{r}");
}

#[test]
fn missing_files_and_empty_feeds_are_errors() {
    let e = load_gtfs(&tiny_feed("no-stops", &[("stops.txt", "")])).unwrap_err().to_string();
    assert!(e.ends_with("stops.txt: whole file: missing; a GTFS feed needs stops.txt, routes.txt, trips.txt and stop_times.txt"), "{e}");
    let e = load_gtfs(&tiny_feed("no-calendar", &[("calendar.txt", ""), ("calendar_dates.txt", "")])).unwrap_err().to_string();
    assert!(e.ends_with("has neither calendar.txt nor calendar_dates.txt: no trip can be given a day to run"), "{e}");
    // Every trip broken: nothing to route on.
    let trips = common::TRIPS.replace(",WK,", ",NOPE,").replace(",EXTRA,", ",NOPE,");
    let e = load_gtfs(&tiny_feed("no-trips", &[("trips.txt", &trips)])).unwrap_err().to_string();
    assert!(e.contains("has no usable trips"), "{e}");
    assert!(e.contains("6 problems (6 unknown references); 6 trips left out"), "{e}");
    let e = load_gtfs(std::path::Path::new("/nonexistent/feed.zip")).unwrap_err().to_string();
    assert!(e.ends_with("not found: a GTFS feed is a .zip file or a folder of .txt files"), "{e}");
    // Optional files may be missing.
    let (_, r) = load("minimal", &[("agency.txt", ""), ("frequencies.txt", "")]);
    assert_eq!(r.problem_count(), 0);
    assert!(r.notes.iter().any(|n| n.contains("agency.txt is missing")), "{r}");
}

#[test]
fn a_stop_without_coordinates_leaves_its_trips_out() {
    let stops = common::STOPS.replace("E,Echo,51.5009,0.10", "E,Echo,,");
    let (feed, r) = load("no-coords", &[("stops.txt", &stops)]);
    assert_eq!(only_problem(&r), ("stops.txt".into(), 5, "stop_lat".into(), "stop 'E' has no coordinates; trips calling at it are left out".into()));
    assert!(!has_trip(&feed, "T3"));
    assert_eq!(r.trips_left_out, 1);
}

#[test]
fn a_zipped_feed_loads_like_the_folder_and_names_a_bad_record() {
    let (feed, r) = load_gtfs(&tiny_zip("zip-good", &[])).unwrap();
    assert_eq!(r.problem_count(), 0, "{r}");
    assert_eq!((r.counts.stops, r.counts.trips, feed.stop_times.len()), (5, 8, 17));
    // Record-level checks work the same, with lines counted from the header.
    let st = stop_times_with(5, "T2,08:05:00,08:05:00,ZZ,1");
    let (_, r) = load_gtfs(&tiny_zip("zip-ref", &[("stop_times.txt", &st)])).unwrap();
    let (file, line, field, msg) = only_problem(&r);
    assert!(r.problems[0].file.ends_with("feed.zip/stop_times.txt"), "{:?}", r.problems[0].file);
    assert_eq!((file.as_str(), line, field.as_str(), msg.as_str()), ("stop_times.txt", 5, "stop_id", "unknown stop 'ZZ'; trip 'T2' left out"));
    // Both are read record by record: a record that cannot be read is
    // reported and skipped, in a zip as in a folder, with the same message.
    for (name, file, row) in [
        ("bad-time", "stop_times.txt", stop_times_with(5, "T2,8:5:00,08:05:00,A,1")),
        ("bad-lat", "stops.txt", common::STOPS.replace("E,Echo,51.5009,0.10", "E,Echo,north,0.10")),
    ] {
        let (zfeed, zr) = load_gtfs(&tiny_zip(&format!("zip-{name}"), &[(file, &row)])).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (ffeed, fr) = load(&format!("folder-{name}"), &[(file, &row)]);
        let (zp, fp) = (only_problem(&zr), only_problem(&fr));
        assert_eq!(zp, fp, "{name}");
        assert_eq!((zp.0.as_str(), zp.1), (file, 5), "{name}");
        assert!(zr.problems[0].file.ends_with(format!("feed.zip/{file}")), "{:?}", zr.problems[0].file);
        assert_eq!((zr.trips_left_out, zr.counts.trips, zfeed.stop_times.len()), (fr.trips_left_out, fr.counts.trips, ffeed.stop_times.len()), "{name}");
        assert_eq!(zr.trips_left_out, 1, "{name}");
    }
    let (_, r) = load("folder-bad-lat-field", &[("stops.txt", &common::STOPS.replace("E,Echo,51.5009,0.10", "E,Echo,north,0.10"))]);
    let (_, _, field, msg) = only_problem(&r);
    assert_eq!(field, "stop_lat", "{msg}");
    assert!(msg.starts_with("'north' cannot be read") && msg.ends_with("stop 'E' left out, and every trip that calls at it"), "{msg}");
}

#[test]
fn unusable_frequencies_are_reported() {
    let freq = "trip_id,start_time,end_time,headway_secs\nT6,06:00:00,07:00:00,0\nT6,07:00:00,06:00:00,600\nT6,00:00:00,48:00:00,1\nT9,06:00:00,07:00:00,600\n";
    let (feed, r) = load("bad-freq", &[("frequencies.txt", freq)]);
    let msgs: Vec<String> = r
        .problems
        .iter()
        .map(|p| {
            format!(
                "line {}, {}: {}",
                match p.location {
                    Location::Line(l) => l,
                    _ => 0,
                },
                p.field.as_deref().unwrap_or(""),
                p.message
            )
        })
        .collect();
    assert_eq!(
        msgs,
        vec![
            "line 2, headway_secs: headway of 0 s for trip 'T6'; this row is ignored",
            "line 3, end_time: end time 06:00:00 is not after start time 07:00:00 for trip 'T6'; this row is ignored",
            "line 4, headway_secs: 00:00:00 to 48:00:00 every 1 s would make over 10000 trips of 'T6'; this row is ignored",
            "line 5, trip_id: unknown trip 'T9'; frequency ignored",
        ]
    );
    assert_eq!((r.count(ProblemKind::BadFrequency), r.count(ProblemKind::UnknownReference)), (3, 1));
    // T6 has frequency rows but none usable: it is left out rather than run at its template time.
    assert!(!feed.trips.iter().any(|t| t.id.starts_with("T6")));
    assert_eq!(r.trips_left_out, 1);
}

#[test]
fn a_time_out_of_range_is_reported_not_read_as_another_time() {
    for (value, says) in [
        ("20:61:00", "minutes and seconds run from 00 to 59"),
        ("25:61:00", "minutes and seconds run from 00 to 59"),
        ("08:05:60", "minutes and seconds run from 00 to 59"),
        ("4294967295:00:00", "none may pass 47:59:59"),
        ("48:00:00", "none may pass 47:59:59"),
    ] {
        let st = stop_times_with(5, &format!("T2,{value},{value},A,1"));
        let (feed, r) = load(&format!("range-{}", value.replace(':', "")), &[("stop_times.txt", &st)]);
        let (file, line, field, msg) = only_problem(&r);
        assert_eq!((file.as_str(), line, field.as_str()), ("stop_times.txt", 5, "arrival_time"), "{value}");
        assert!(msg.starts_with(&format!("'{value}' is not a time")) && msg.contains(says) && msg.ends_with("trip 'T2' left out"), "{msg}");
        assert!(!has_trip(&feed, "T2") && has_trip(&feed, "T3"));
    }
    // A late trip within the next day still loads.
    let st = stop_times_with(5, "T2,25:10:00,25:10:00,A,1");
    let (_, r) = load("range-ok", &[("stop_times.txt", &st)]);
    assert!(!r.problems.iter().any(|p| p.message.contains("is not a time")), "{r}");
}

#[test]
fn a_date_that_does_not_exist_is_reported_against_its_own_field() {
    let cal = common::CALENDAR.replacen("20230601", "20231305", 1);
    assert_ne!(cal, common::CALENDAR, "the fixture has a start_date of 20230601");
    let dir = common::tiny_feed("bad-start-date", &[("calendar.txt", &cal)]);
    let r = match load_gtfs(&dir) {
        Ok((_, r)) => r.to_string(),
        Err(e) => e.to_string(),
    };
    assert!(r.contains("calendar.txt") && r.contains("line 2") && r.contains("field 'start_date'") && !r.contains("'monday'"), "{r}");
    // Its trips are left out and counted, as the warning says, not kept on the calendar_dates exceptions alone.
    assert!(!r.contains("; 0 trips left out"), "{r}");
}
