//! The command line refuses a value it cannot use, or a missing option,
//! before any long work, with a message naming the flag and the value, and a
//! non-zero exit code.

use std::path::PathBuf;

/// Runs `accessplan` with `args`: whether it succeeded, and its stderr.
fn run(args: &[&str]) -> (bool, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan")).args(args).output().unwrap();
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
