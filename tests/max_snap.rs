//! `--max-snap` reaches every mode: a zone farther from the street network
//! than the limit gets no time by bus either, exactly as by car and on foot
//! (the bus's walk to the first stop starts on the same walk network).

use std::collections::BTreeSet;
use std::path::PathBuf;

/// The zones the `matrix` command marks as too far from a street, for one
/// mode, with `--max-snap` of `max_snap` metres on the demo region.
fn zones_too_far(mode: &str, max_snap: &str) -> (BTreeSet<String>, usize) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("accessplan-max-snap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join(format!("{mode}-{max_snap}.csv"));
    let p = |s: &str| root.join(s).to_string_lossy().into_owned();
    let mut args = vec![
        "matrix".to_string(),
        "--osm".into(),
        p("maps/demo/region.osm"),
        "--zones".into(),
        p("maps/demo/zones.geojson"),
        "--zone-id".into(),
        "zone_id".into(),
        "--sites".into(),
        p("datasets/demo/sites.csv"),
        "--mode".into(),
        mode.into(),
        "--max-snap".into(),
        max_snap.into(),
        "--out".into(),
        out.to_string_lossy().into_owned(),
        "-q".into(),
    ];
    if mode == "bus" {
        args.extend(["--gtfs".into(), p("datasets/demo/gtfs")]);
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan")).env("ACCESSPLAN_NO_CACHE", "1").args(&args).output().unwrap();
    assert!(o.status.success(), "{mode}: {}", String::from_utf8_lossy(&o.stderr));
    let mut r = csv::Reader::from_path(&out).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (zone, status, reason) = (col("zone_id"), col("status"), col("reason"));
    let mut far = BTreeSet::new();
    let mut with_time = 0;
    for row in r.records() {
        let row = row.unwrap();
        if row[reason].starts_with("origin off the") {
            far.insert(row[zone].to_string());
        }
        if &row[status] == "ok" {
            with_time += 1;
        }
    }
    std::fs::remove_file(&out).ok();
    (far, with_time)
}

#[test]
fn bus_with_max_snap_1_marks_exactly_the_zones_walk_and_car_mark_too_far() {
    let (bus, bus_ok) = zones_too_far("bus", "1");
    let (walk, walk_ok) = zones_too_far("walk", "1");
    let (car, _) = zones_too_far("car", "1");
    assert!(bus.len() > 100, "with a 1 m limit most zone points are off the street: {}", bus.len());
    assert_eq!(bus, walk, "the bus snaps doors to the walk network");
    assert_eq!(bus, car, "and on the demo the car marks the same zones");
    // The zones left on the network are the only ones with times.
    assert!(bus_ok <= walk_ok, "bus pairs with a time {bus_ok} vs walk {walk_ok}");
    // With the default limit no demo zone is off the street.
    let (bus_default, _) = zones_too_far("bus", "1000");
    assert!(bus_default.is_empty(), "{bus_default:?}");
}
