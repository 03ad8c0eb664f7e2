//! `accessplan inspect` on a GTFS feed, zip or folder: operators, routes by
//! kind of vehicle, stops, trips, stop times, the calendar's dates, the
//! busiest and the default service date with their trips, and the problems.

use std::path::{Path, PathBuf};

use accessplan::testdata::shared_file;

fn inspect(file: &Path) -> String {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan")).env("ACCESSPLAN_NO_CACHE", "1").arg("inspect").arg(file).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{text}{}", String::from_utf8_lossy(&o.stderr));
    println!("{text}");
    text
}

#[test]
fn inspecting_newports_85_route_feed_says_what_a_planner_needs() {
    let Some(zip) = shared_file("newport/gtfs-more/newport-20230613_gtfs_85routes.zip") else { return };
    let text = inspect(&zip);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("{}: GTFS timetable", zip.display()));
    assert!(lines[1].starts_with("  agencies: 7 (National Express, Cardiff Bus, Megabus, Newport Bus, "), "{text}");
    for line in [
        "  routes: 85 (74 bus, 11 coach)",
        "  stops: 3601, trips: 1343, stop times: 43199, services: 70",
        "  calendar: 2023-06-05 to 2024-03-01 (271 days)",
        "  busiest service date: Tuesday 2023-06-13, 1343 trips",
        "  default service date (the first Tuesday with service): Tuesday 2023-06-06, 1293 trips",
        "  problems: none",
    ] {
        assert!(lines.contains(&line), "{line}\n{text}");
    }
}

#[test]
fn inspecting_a_feed_folder_and_the_chester_zip() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/demo/gtfs");
    let text = inspect(&folder);
    assert!(text.contains("  stops: 361, trips: 1218, stop times: 30843"), "{text}");
    let Some(chester) = shared_file("chester/chester-20230816-small_gtfs.zip") else { return };
    let text = inspect(&chester);
    assert!(text.contains("  stops: 1320, trips: 804, stop times: 34249"), "{text}");
    assert!(text.contains("  default service date (the first Tuesday with service): Tuesday 2023-08-01, 798 trips"), "{text}");
}
