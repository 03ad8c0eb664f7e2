//! The streaming GTFS reader: it loads exactly what the reader before it
//! (every record of every file in memory first) loaded on every real feed,
//! zip and folder alike; a feed cut while reading (one service date, a study
//! area) equals the whole feed cut afterwards; a stop_times.txt over the
//! limit is refused with a message naming the file and the limit.

use std::path::PathBuf;

use accessplan::testdata::shared_file;
use accessplan::transit::*;

/// FNV-1a.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A checksum of everything a feed holds (but its source path).
fn feed_digest(f: &Feed) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325;
    for part in [
        format!("{:?}", f.agencies),
        format!("{:?}", f.stops),
        format!("{:?}", f.routes),
        format!("{:?}", f.services),
        format!("{:?}", f.trips),
        format!("{:?}", f.stop_times),
        format!("{:?}", f.transfer_rules),
    ] {
        h = fnv(h, part.as_bytes());
    }
    h
}

/// A checksum of what a report says (counts, problems, notes), with the
/// feed's own path left out of the problems' files.
fn report_digest(r: &GtfsReport) -> u64 {
    let mut h = fnv(0xcbf2_9ce4_8422_2325, format!("{:?} {} {:?} {:?}", r.counts, r.trips_left_out, r.problem_counts, r.notes).as_bytes());
    for p in &r.problems {
        let file = p.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        h = fnv(h, format!("{file} {:?} {:?} {}", p.location, p.field, p.message).as_bytes());
    }
    h
}

/// Every real feed: path, then what the reader before streaming loaded
/// (stops, trips, stop times, problems, feed checksum, report checksum).
const REAL_FEEDS: [(&str, [u64; 6]); 5] = [
    ("newport/newport-20230613_gtfs.zip", [2686, 176, 7765, 0, 232772350945448241, 3078284638987460640]),
    ("newport/gtfs-more/newport-20230613_gtfs_85routes.zip", [3601, 1343, 43199, 0, 17768534093728692279, 16193847200912704338]),
    ("newport/gtfs-more/newport-20240305-bus_gtfs.zip", [5377, 5426, 204361, 0, 15529387265966038595, 14165150091250242689]),
    ("newport/gtfs-more/newport-20240305-rail_gtfs.zip", [253, 939, 12082, 0, 3043268736451470778, 2136813707203891180]),
    ("chester/chester-20230816-small_gtfs.zip", [1320, 804, 34249, 0, 15659404243166438568, 4856407501520973982]),
];

fn figures(feed: &Feed, r: &GtfsReport) -> [u64; 6] {
    [feed.stops.len() as u64, feed.trips.len() as u64, feed.stop_times.len() as u64, r.problem_count() as u64, feed_digest(feed), report_digest(r)]
}

#[test]
fn every_real_feed_loads_exactly_as_before() {
    let mut wrong = Vec::new();
    for (rel, expected) in REAL_FEEDS {
        let Some(path) = shared_file(rel) else { return };
        let (feed, r) = load_gtfs(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let got = figures(&feed, &r);
        println!("(\"{rel}\", {got:?}),");
        if got != expected {
            wrong.push(format!("{rel}: {got:?} instead of {expected:?}\n{r}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_demo_feed_folder_loads_exactly_as_before() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/demo/gtfs");
    let (feed, r) = load_gtfs(&dir).unwrap();
    let got = figures(&feed, &r);
    println!("demo {got:?}");
    assert_eq!(got, [361, 1218, 30843, 0, 6813819987782921985, 11445953956327436284], "{r}");
}

#[path = "transit_common.rs"]
mod common;

#[test]
fn a_stop_times_file_over_the_limit_is_refused_naming_the_file_and_the_limit() {
    // The tiny feed has 13 stop times: a limit of 10 refuses it, zip and folder alike.
    let filter = GtfsFilter { max_stop_times: 10, ..GtfsFilter::default() };
    for path in [common::tiny_feed("limit-folder", &[]), common::tiny_zip("limit-zip", &[])] {
        let e = load_gtfs_filtered(&path, &filter).unwrap_err().to_string();
        assert!(e.contains("stop_times.txt"), "{e}");
        assert!(e.contains("has more than 10 stop times, the most a feed may keep in memory"), "{e}");
        assert!(e.contains("cut the feed to the study area and the dates needed before loading it"), "{e}");
        // Under the limit it loads.
        let (feed, _) = load_gtfs_filtered(&path, &GtfsFilter { max_stop_times: 13, ..GtfsFilter::default() }).unwrap();
        assert_eq!(feed.stop_times.len(), 17, "with the frequency-based trips expanded");
    }
    // Read for one date, only that day's (and the day before's) stop times
    // count: on Monday 12 June service WK runs (11 stop times), EXTRA not.
    let day = GtfsFilter { dates: vec!["2023-06-12".parse().unwrap()], max_stop_times: 11, ..GtfsFilter::default() };
    let (feed, r) = load_gtfs_filtered(&common::tiny_feed("limit-day", &[]), &day).unwrap();
    assert!(feed.trips.iter().any(|t| t.id == "T1") && !feed.trips.iter().any(|t| t.id == "T5"), "{r}");
    assert!(r.notes.iter().any(|n| n == "read for 2023-06-12 only: 1 trips running on other days not loaded"), "{r}");
}

#[test]
fn a_large_synthetic_stop_times_file_is_refused_while_reading_it() {
    // 200,000 stop times of one trip id: a limit of 100,000 is passed half-way.
    let dir = std::env::temp_dir().join(format!("accessplan-streaming-large-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [("stops.txt", common::STOPS), ("routes.txt", common::ROUTES), ("trips.txt", common::TRIPS), ("calendar.txt", common::CALENDAR)] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let mut st = String::from("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
    for k in 0..200_000u32 {
        let t = 6 * 3600 + k / 10;
        st.push_str(&format!("T1,{:02}:{:02}:{:02},{0:02}:{1:02}:{2:02},{},{}\n", t / 3600, t / 60 % 60, t % 60, ["A", "B", "C", "D"][k as usize % 4], k + 1));
    }
    std::fs::write(dir.join("stop_times.txt"), st).unwrap();
    let e = load_gtfs_filtered(&dir, &GtfsFilter { max_stop_times: 100_000, ..GtfsFilter::default() }).unwrap_err().to_string();
    assert!(e.starts_with(&format!("{}: whole file: has more than 100000 stop times", dir.join("stop_times.txt").display())), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}
