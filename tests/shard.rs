//! A study split into shards by sites, each shard run as its own `matrix`,
//! and the shards merged: the same times as the whole matrix, pair for pair,
//! on Newport's output areas and GP practices.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use accessplan::testdata::shared_file;

fn run(args: &[&str]) -> (bool, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan")).env("ACCESSPLAN_NO_CACHE", "1").args(args).output().unwrap();
    (o.status.success(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// Rows of a matrix CSV by (zone_id, site_id).
fn rows(path: &Path) -> HashMap<(String, String), Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records().map(|rec| rec.unwrap()).map(|rec| ((rec[0].to_string(), rec[1].to_string()), rec.iter().map(str::to_string).collect())).collect()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn shards_merged_give_the_whole_matrix() {
    let (Some(pbf), Some(oa), Some(gp)) =
        (shared_file("newport/newport-2023-06-13.osm.pbf"), shared_file("newport/boundaries/oa.geojson"), shared_file("newport/gp_practices.csv"))
    else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("accessplan-shard-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let split = dir.join("split");
    let (ok, e) = run(&["shard", "split", "--zones", s(&oa), "--zone-id", "OA11CD", "--sites", s(&gp), "--shards", "3", "--reach-km", "6", "--out", s(&split)]);
    assert!(ok, "{e}");
    assert!(e.contains("475 zones and 17 sites split into 3 shards"), "{e}");
    // shards.csv: 3 shards of 5, 6 and 6 neighbouring sites.
    let plan = std::fs::read_to_string(split.join("shards.csv")).unwrap();
    let sizes: Vec<usize> = plan.lines().skip(1).map(|l| l.split(',').nth(2).unwrap().parse().unwrap()).collect();
    assert_eq!(sizes, [5, 6, 6], "{plan}");
    // Each shard's extent (west, south, east, north) lies around Newport.
    for l in plan.lines().skip(1) {
        let v: Vec<f64> = l.split(',').skip(7).map(|x| x.parse().unwrap()).collect();
        assert!(v[0] < v[2] && v[1] < v[3] && v[0] > -3.3 && v[2] < -2.7 && v[1] > 51.4 && v[3] < 51.8, "{l}");
    }

    let matrix = |zones: &Path, sites: &Path, out: &Path| {
        let (ok, e) = run(&[
            "matrix",
            "--osm",
            s(&pbf),
            "--zones",
            s(zones),
            "--zone-id",
            if zones == oa { "OA11CD" } else { "id" },
            "--sites",
            s(sites),
            "--mode",
            "car",
            "--clip-margin-km",
            "inf",
            "--out",
            s(out),
        ]);
        assert!(ok, "{e}");
    };
    let whole = dir.join("whole.csv");
    matrix(&oa, &gp, &whole);
    let mut parts: Vec<PathBuf> = Vec::new();
    for k in 1..=3 {
        let d = split.join(format!("shard-{k:03}"));
        let out = d.join("car.csv");
        matrix(&d.join("zones.csv"), &d.join("sites.csv"), &out);
        parts.push(out);
    }
    let merged = dir.join("merged.csv");
    let part_args: Vec<&str> = parts.iter().map(|p| s(p)).collect();
    let (ok, e) = run(&[&["shard", "merge"], &part_args[..], &["--out", s(&merged)]].concat());
    assert!(ok, "{e}");
    let (whole, merged_rows) = (rows(&whole), rows(&merged));
    assert!(e.contains(&format!("3 shard matrices merged: {} rows, 17 sites", merged_rows.len())), "{e}");
    assert_eq!(whole.len(), 475 * 17);
    // Every merged pair is the whole matrix's, to the character.
    for (k, row) in &merged_rows {
        assert_eq!(whole.get(k), Some(row), "{k:?}");
    }
    // What the shards leave out is farther than the reach: more than 6 km
    // in a straight line, so longer than 6 km by road too.
    let left_out: Vec<_> = whole.iter().filter(|(k, _)| !merged_rows.contains_key(*k)).collect();
    assert!(!left_out.is_empty() && left_out.len() < whole.len() / 2, "{} of {}", left_out.len(), whole.len());
    for (k, row) in &left_out {
        match row[5].parse::<f64>() {
            Ok(km) => assert!(km > 6.0, "{k:?} {row:?}"),
            Err(_) => assert_eq!(row[6], "unreachable", "{k:?} {row:?}"),
        }
    }

    // Merging the same shard twice is refused, naming the site and both files, and writes nothing.
    let again = dir.join("again.csv");
    let (ok, e) = run(&["shard", "merge", s(&parts[0]), s(&parts[0]), "--out", s(&again)]);
    assert!(!ok && e.contains("field 'site_id'") && e.contains("each site belongs to one shard"), "{e}");
    assert!(!again.exists());
    // A merge never writes over one of its inputs.
    let (ok, e) = run(&["shard", "merge", s(&parts[0]), s(&parts[1]), "--out", s(&parts[1])]);
    assert!(!ok && e.contains("one of the inputs"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_split_that_cannot_be_made_says_why() {
    let Some(gp) = shared_file("newport/gp_practices.csv") else { return };
    let out = std::env::temp_dir().join(format!("accessplan-shard-bad-{}", std::process::id()));
    let (ok, e) = run(&["shard", "split", "--zones", s(&gp), "--zone-id", "id", "--sites", s(&gp), "--shards", "40", "--out", s(&out)]);
    assert!(!ok && e.contains("between 1 and the number of sites (17), not 40"), "{e}");
    let (ok, e) = run(&["shard", "split", "--zones", s(&gp), "--zone-id", "id", "--sites", s(&gp), "--shards", "2", "--reach-km", "NaN", "--out", s(&out)]);
    assert!(!ok && e.contains("positive number of kilometres"), "{e}");
    assert!(!out.exists(), "nothing written");
}
