//! The command line refuses a value it cannot use, or a missing option,
//! before any long work, with a message naming the flag and the value, and a
//! non-zero exit code.

use std::path::PathBuf;

/// Runs `accessplan` with `args`: whether it succeeded, and its stderr.
fn run(args: &[&str]) -> (bool, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan")).env("ACCESSPLAN_NO_CACHE", "1").args(args).output().unwrap();
    (o.status.success(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn bad_values_name_the_flag_and_the_value() {
    let out = std::env::temp_dir().join(format!("accessplan-cli-errors-{}.geojson", std::process::id()));
    let out = out.to_str().unwrap();
    let iso = |extra: &[&str]| {
        let mut args = vec!["isochrone", "--osm", "no-such-file.osm", "--at", "-2.99,51.58", "--out", out];
        args.extend_from_slice(extra);
        run(&args)
    };
    assert_eq!(iso(&["--cell", "2"]), (false, "error: --cell 2: must be between 5 and 1000 metres\n".to_string()));
    let (ok, e) = iso(&["--minutes", "10,5"]);
    assert!(!ok && e.starts_with("error: --minutes 10,5: must be ascending"), "{e}");
    let (ok, e) = iso(&["--mode", "bus", "--gtfs", "no-such-feed.zip", "--depart", "8h"]);
    assert!(!ok && e.starts_with("error: --depart 8h: '8h' is not a time"), "{e}");
    let (ok, e) = iso(&["--mode", "bus"]);
    assert!(!ok && e.contains("--mode bus needs a timetable") && e.contains("--gtfs"), "{e}");
    assert!(!std::path::Path::new(out).exists(), "nothing written");

    let scenario = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/demo/scenarios/hlc-model.toml");
    let (ok, e) = run(&["optimise", scenario.to_str().unwrap(), "--service", "continence", "--time-limit", "0", "--out", out]);
    assert_eq!((ok, e.as_str()), (false, "error: --time-limit 0: must be a positive number of seconds\n"));
}

#[test]
fn speed_calibration_flag_is_applied_and_a_bad_row_names_file_line_and_field() {
    let dir = std::env::temp_dir().join(format!("accessplan-cli-calibration-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let osm = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("maps/demo/region.osm");
    let (cal, out) = (dir.join("speeds.csv"), dir.join("iso.geojson"));
    let iso = || {
        let args = ["isochrone", "--osm", osm.to_str().unwrap(), "--at", "0.4221,51.3727", "--mode", "car", "--minutes", "5"];
        run(&[&args[..], &["--speed-calibration", cal.to_str().unwrap(), "--out", out.to_str().unwrap()]].concat())
    };
    std::fs::write(&cal, "class,period,speed_kmh\nresidential,offpeak,20\nresidential,peek,15\n").unwrap();
    let (ok, e) = iso();
    assert!(!ok && e.contains("speeds.csv: line 3, field 'period'") && e.contains("'peek' is not a period"), "{e}");
    assert!(!out.exists(), "nothing written");
    std::fs::write(&cal, "class,period,speed_kmh\nresidential,offpeak,20\n").unwrap();
    let (ok, e) = iso();
    assert!(ok && e.contains("note: car speeds: built-in profile (UK defaults") && e.contains("calibrated by") && e.contains("speeds.csv"), "{e}");
    assert!(out.exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_snapping_limit_that_is_not_a_distance_is_refused() {
    let osm = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("maps/demo/region.osm");
    let out = std::env::temp_dir().join(format!("accessplan-cli-snap-{}.geojson", std::process::id()));
    for v in ["NaN", "-5", "0", "1e9", "far"] {
        let (ok, e) = run(&["isochrone", "--osm", osm.to_str().unwrap(), "--at", "0.4221,51.3727", &format!("--max-snap={v}"), "--out", out.to_str().unwrap()]);
        assert!(!ok && e.contains("--max-snap") && e.contains(v), "{v}: {e}");
        assert!(e.contains("between 1 and 10000 metres") || e.contains("is not a number of metres"), "{v}: {e}");
    }
    assert!(!out.exists());
}

#[test]
fn outputs_are_checked_before_any_work() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let osm = root.join("maps/demo/region.osm");
    let scenario = root.join("datasets/demo/scenarios/hlc-model.toml");
    // A folder that does not exist is named at once.
    let (ok, e) = run(&["isochrone", "--osm", osm.to_str().unwrap(), "--at", "0.4221,51.3727", "--out", "/no-such-folder/iso.geojson"]);
    assert!(!ok && e.contains("the folder /no-such-folder does not exist"), "{e}");
    // The OSM input named as the output.
    let (ok, e) = run(&["isochrone", "--osm", osm.to_str().unwrap(), "--at", "0.4221,51.3727", "--out", osm.to_str().unwrap()]);
    assert!(!ok && e.contains("it is one of the inputs"), "{e}");
    // The HLC model written over the scenario it reads its inputs from, with
    // or without --inputs; and over a file that scenario names.
    let dir = std::env::temp_dir().join(format!("accessplan-cli-outputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("baseline.toml");
    let text = std::fs::read_to_string(root.join("datasets/demo/scenarios/baseline.toml")).unwrap();
    let text = text.replace("\"../../../", &format!("\"{}/", root.display())).replace("\"../", &format!("\"{}/datasets/demo/", root.display()));
    std::fs::write(&copy, &text).unwrap();
    let (ok, e) = run(&["scenario", "hlc-model", "--inputs", copy.to_str().unwrap(), "--out", copy.to_str().unwrap()]);
    assert!(!ok && e.contains("it is one of the inputs"), "{e}");
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), text, "the baseline is untouched");
    let sites = root.join("datasets/demo/sites.csv");
    let (ok, e) = run(&["scenario", "hlc-model", "--inputs", copy.to_str().unwrap(), "--out", sites.to_str().unwrap()]);
    assert!(!ok && e.contains("it is one of the inputs"), "{e}");
    // evaluate: an output folder holding an input under an output's name.
    let (ok, e) = run(&["evaluate", scenario.to_str().unwrap(), "--out", "/proc/no-such/out"]);
    assert!(!ok && e.contains("/proc/no-such/out"), "{e}");
    // optimise --p 0 would offer the service nowhere.
    let out = dir.join("p0.toml");
    let (ok, e) = run(&["optimise", scenario.to_str().unwrap(), "--service", "continence", "--p", "0", "--out", out.to_str().unwrap()]);
    assert!(!ok && e.contains("--p 0 would offer a tier 3 service nowhere"), "{e}");
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_timetable_of_another_place_is_named_not_turned_into_walking_times() {
    let f = accessplan::testdata::shared_file;
    let (Some(pbf), Some(oa), Some(gp), Some(chester)) = (
        f("newport/newport-2023-06-13.osm.pbf"),
        f("newport/boundaries/oa.geojson"),
        f("newport/gp_practices.csv"),
        f("chester/chester-20230816-small_gtfs.zip"),
    ) else {
        return;
    };
    let out = std::env::temp_dir().join(format!("accessplan-cli-chester-{}.csv", std::process::id()));
    let s = |p: &std::path::Path| p.to_str().unwrap().to_string();
    for margin in ["inf", "10"] {
        let args = [
            "matrix",
            "--osm",
            &s(&pbf),
            "--zones",
            &s(&oa),
            "--zone-id",
            "OA11CD",
            "--sites",
            &s(&gp),
            "--mode",
            "bus",
            "--gtfs",
            &s(&chester),
            "--clip-margin-km",
            margin,
            "--out",
            &s(&out),
        ];
        let (ok, e) = run(&args);
        assert!(!ok, "{margin}: {e}");
        // Whole: the check on stops near zones; cut to the area: the cut finds no trip.
        let named = e.contains("none of the timetable's 1320 stops is within") && e.contains("does not serve this area")
            || e.contains("none of its 804 trips calls within 10 km of the zones");
        assert!(named, "{margin}: {e}");
        assert!(!out.exists());
    }
}

#[test]
fn an_input_named_inside_a_scenario_is_never_an_output() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("accessplan-cli-trap-{}", std::process::id()));
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // The scenario's contacts and sites live in the output folder under the
    // names evaluate writes (journeys.csv, loads.csv).
    let contacts = std::fs::read(root.join("datasets/demo/contacts.csv")).unwrap();
    let sites = std::fs::read(root.join("datasets/demo/sites.csv")).unwrap();
    std::fs::write(out.join("journeys.csv"), &contacts).unwrap();
    std::fs::write(out.join("loads.csv"), &sites).unwrap();
    let text = std::fs::read_to_string(root.join("datasets/demo/scenarios/hlc-model.toml")).unwrap();
    let text = text
        .replace("\"../contacts.csv\"", &format!("\"{}\"", out.join("journeys.csv").display()))
        .replace("\"../sites.csv\"", &format!("\"{}\"", out.join("loads.csv").display()))
        .replace("\"../../../", &format!("\"{}/", root.display()))
        .replace("\"../", &format!("\"{}/datasets/demo/", root.display()));
    let scenario = dir.join("trap.toml");
    std::fs::write(&scenario, text).unwrap();
    let baseline = root.join("datasets/demo/scenarios/baseline.toml");
    for args in [
        vec!["evaluate", scenario.to_str().unwrap(), "--out", out.to_str().unwrap()],
        vec!["compare", baseline.to_str().unwrap(), scenario.to_str().unwrap(), "--out", out.to_str().unwrap()],
    ] {
        let (ok, e) = run(&args);
        assert!(!ok && e.contains("journeys.csv: it is one of the inputs"), "{args:?}: {e}");
    }
    let written = out.join("journeys.csv");
    let (ok, e) = run(&["optimise", scenario.to_str().unwrap(), "--service", "continence", "--p", "2", "--out", written.to_str().unwrap()]);
    assert!(!ok && e.contains("journeys.csv: it is one of the inputs"), "{e}");
    let (ok, e) = run(&["scenario", "baseline", "--inputs", scenario.to_str().unwrap(), "--out", out.join("loads.csv").to_str().unwrap()]);
    assert!(!ok && e.contains("loads.csv: it is one of the inputs"), "{e}");
    assert_eq!(std::fs::read(out.join("journeys.csv")).unwrap(), contacts, "the contacts are untouched");
    assert_eq!(std::fs::read(out.join("loads.csv")).unwrap(), sites, "the sites are untouched");
    // new-study: --out names the zones file, not a folder.
    let zones = dir.join("zones.geojson");
    std::fs::copy(root.join("maps/demo/zones.geojson"), &zones).unwrap();
    let before = std::fs::read(&zones).unwrap();
    let (ok, e) = run(&["new-study", "--name", "t", "--zones", zones.to_str().unwrap(), "--out", zones.to_str().unwrap()]);
    assert!(!ok && e.contains("it is a file, not a folder"), "{e}");
    assert_eq!(std::fs::read(&zones).unwrap(), before);
    std::fs::remove_dir_all(&dir).ok();
}
