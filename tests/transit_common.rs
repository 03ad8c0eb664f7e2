//! Shared by the transit tests (included with `#[path]`): a tiny
//! hand-built GTFS feed written to a temporary folder, and its street map.
//!
//! Five stops on a line 3.5 km apart along latitude 51.5000: Alpha (lon
//! 0.00), Bravo (0.05), Charlie (0.10), Delta (0.15), and Echo 100 m north of
//! Charlie. Service `WK` runs Monday to Friday in June 2023 except
//! Wednesday 14 June, when only service `EXTRA` runs.
//!
//! | trip | route | service | calls |
//! |---|---|---|---|
//! | T1 | 1 | WK | Alpha 08:00, Bravo (untimed), Delta 09:00 |
//! | T2 | 2 | WK | Alpha 08:05, Charlie 08:20 |
//! | T3 | 3 | WK | Echo 08:30, Delta 08:45 |
//! | T4 | N4 | WK | Alpha 25:10, Bravo 25:30 |
//! | T5 | 1 | EXTRA | Alpha 08:10, Delta 08:50 |
//! | T6 | 5 | WK | Bravo 06:00, Charlie 06:10, every 20 min 06:00-07:00 |

#![allow(dead_code)]

use std::path::PathBuf;

/// A fresh empty folder under the system's temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accessplan-transit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

pub const AGENCY: &str = "agency_id,agency_name,agency_url,agency_timezone\nAG,Tiny Buses,https://example.org,Europe/London\n";

pub const STOPS: &str = "stop_id,stop_name,stop_lat,stop_lon
A,Alpha,51.5000,0.00
B,Bravo,51.5000,0.05
C,Charlie,51.5000,0.10
E,Echo,51.5009,0.10
D,Delta,51.5000,0.15
";

pub const ROUTES: &str = "route_id,agency_id,route_short_name,route_long_name,route_type
R1,AG,1,Alpha - Delta direct,3
R2,AG,2,Alpha - Charlie,3
R3,AG,3,Echo - Delta,3
R4,AG,N4,Night Alpha - Bravo,3
R5,AG,5,Bravo - Charlie shuttle,3
";

pub const TRIPS: &str = "route_id,service_id,trip_id,trip_headsign
R1,WK,T1,Delta
R2,WK,T2,Charlie
R3,WK,T3,Delta
R4,WK,T4,Bravo
R1,EXTRA,T5,Delta
R5,WK,T6,Charlie
";

/// Line numbers (the header is line 1): T2 at Alpha is line 5, T3 at Delta line 9.
pub const STOP_TIMES: &str = "trip_id,arrival_time,departure_time,stop_id,stop_sequence
T1,08:00:00,08:00:00,A,1
T1,,,B,2
T1,09:00:00,09:00:00,D,3
T2,08:05:00,08:05:00,A,1
T2,08:20:00,08:20:00,C,2
T3,08:30:00,08:30:00,E,1
T3,08:45:00,08:45:00,D,2
T4,25:10:00,25:10:00,A,1
T4,25:30:00,25:30:00,B,2
T5,08:10:00,08:10:00,A,1
T5,08:50:00,08:50:00,D,2
T6,06:00:00,06:00:00,B,1
T6,06:10:00,06:10:00,C,2
";

pub const CALENDAR: &str = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
WK,1,1,1,1,1,0,0,20230601,20230630
";

pub const CALENDAR_DATES: &str = "service_id,date,exception_type
WK,20230614,2
EXTRA,20230614,1
";

pub const FREQUENCIES: &str = "trip_id,start_time,end_time,headway_secs
T6,06:00:00,07:00:00,1200
";

/// Writes the tiny feed to a fresh folder, with `changes` (file name,
/// contents) replacing or adding files; an empty content removes the file.
pub fn tiny_feed(name: &str, changes: &[(&str, &str)]) -> PathBuf {
    let dir = temp_dir(name);
    for (n, c) in tiny_files(changes) {
        std::fs::write(dir.join(n), c).expect("write feed file");
    }
    dir
}

/// The files of the tiny feed with `changes` applied (see [`tiny_feed`]).
pub fn tiny_files<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut files: Vec<(&str, &str)> = vec![
        ("agency.txt", AGENCY),
        ("stops.txt", STOPS),
        ("routes.txt", ROUTES),
        ("trips.txt", TRIPS),
        ("stop_times.txt", STOP_TIMES),
        ("calendar.txt", CALENDAR),
        ("calendar_dates.txt", CALENDAR_DATES),
        ("frequencies.txt", FREQUENCIES),
    ];
    for (n, c) in changes {
        files.retain(|f| f.0 != *n);
        if !c.is_empty() {
            files.push((n, c));
        }
    }
    files
}

/// Writes the tiny feed as a zip file (entries stored uncompressed).
pub fn tiny_zip(name: &str, changes: &[(&str, &str)]) -> PathBuf {
    let p = temp_dir(name).join("feed.zip");
    std::fs::write(&p, stored_zip(&tiny_files(changes))).expect("write zip");
    p
}

/// CRC-32 (IEEE), as zip files need.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A zip archive of `files`, stored without compression.
pub fn stored_zip(files: &[(&str, &str)]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for (name, text) in files {
        let (data, offset, crc) = (text.as_bytes(), out.len() as u32, crc32(text.as_bytes()));
        u32le(&mut out, 0x0403_4b50);
        for x in [10, 0, 0, 0, 33] {
            u16le(&mut out, x); // version, flags, stored, time, date 1980-01-01
        }
        for x in [crc, data.len() as u32, data.len() as u32] {
            u32le(&mut out, x);
        }
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        u32le(&mut central, 0x0201_4b50);
        for x in [20, 10, 0, 0, 0, 33] {
            u16le(&mut central, x);
        }
        for x in [crc, data.len() as u32, data.len() as u32] {
            u32le(&mut central, x);
        }
        for x in [name.len() as u16, 0, 0, 0, 0] {
            u16le(&mut central, x);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let (cd_offset, cd_size) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    for x in [0, 0, files.len() as u16, files.len() as u16] {
        u16le(&mut out, x);
    }
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}

/// A street map for the tiny feed: one residential street along latitude
/// 51.4995 (55.6 m south of the stops) from lon -0.01 to 0.16, as OSM XML.
pub fn tiny_osm(name: &str) -> PathBuf {
    // A folder of its own per call: tests running in parallel threads ask for
    // the same map, and a shared folder was emptied under a reader.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = temp_dir(&format!("{name}-{}", CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
    let mut xml = String::from("<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"accessplan test\">\n");
    for i in 0..=17 {
        xml.push_str(&format!("  <node id=\"{}\" lat=\"51.4995\" lon=\"{:.2}\"/>\n", i + 1, -0.01 + 0.01 * i as f64));
    }
    xml.push_str("  <way id=\"100\">\n");
    for i in 0..=17 {
        xml.push_str(&format!("    <nd ref=\"{}\"/>\n", i + 1));
    }
    xml.push_str("    <tag k=\"highway\" v=\"residential\"/>\n  </way>\n</osm>\n");
    let p = dir.join("tiny.osm");
    std::fs::write(&p, xml).expect("write osm");
    p
}

#[test]
fn the_tiny_feed_is_written_with_all_its_files() {
    let dir = tiny_feed("kit", &[]);
    for f in ["agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt", "calendar_dates.txt", "frequencies.txt"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    assert_eq!(STOP_TIMES.lines().nth(4), Some("T2,08:05:00,08:05:00,A,1"), "line 5 of stop_times.txt");
    // The CRC-32 check value of "123456789".
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
}
