//! Plans in phases on the demo: today, an interim phase (the Ashby Vale HLC
//! not open yet) and the final HLC model. Each phase's figures in
//! `phases.csv` equal a separate `evaluate` of its scenario; each phase is
//! compared with today and with the phase before; dates must run forward.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A demo scenario copied to `dir` with absolute input paths, a name, a date, and `edit` applied.
fn scenario(dir: &Path, from: &str, to: &str, name: &str, date: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let r = root();
    let text = std::fs::read_to_string(r.join("datasets/demo/scenarios").join(from)).unwrap();
    let text = text.replace("\"../../../", &format!("\"{}/", r.display())).replace("\"../", &format!("\"{}/datasets/demo/", r.display()));
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let at = lines.iter().position(|l| l.starts_with("name = ")).unwrap();
    lines[at] = format!("name = \"{name}\"\ndate = \"{date}\"");
    let p = dir.join(to);
    std::fs::write(&p, edit(lines.join("\n") + "\n")).unwrap();
    p
}

fn run(args: &[&str]) -> (bool, String, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan")).env("ACCESSPLAN_NO_CACHE", "1").args(args).output().unwrap();
    (o.status.success(), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// Rows of a CSV file as maps from column to value.
fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records().map(|x| h.iter().cloned().zip(x.unwrap().iter().map(String::from)).collect()).collect()
}

#[test]
fn a_three_phase_plan_equals_separate_evaluations_of_each_phase() {
    let dir = std::env::temp_dir().join(format!("accessplan-phases-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let today = scenario(&dir, "baseline.toml", "today.toml", "Today", "2026-12-01", |t| t);
    // Interim: every service the final plan puts at the Ashby Vale HLC stays off it (not built yet).
    let interim = scenario(&dir, "hlc-model.toml", "interim.toml", "Interim", "2027-04-01", |t| t.replace("    \"hlc-ashby-vale\",\n", ""));
    let fin = scenario(&dir, "hlc-model.toml", "final.toml", "Final", "2029-04", |t| t);
    assert_ne!(std::fs::read_to_string(&interim).unwrap(), std::fs::read_to_string(&fin).unwrap().replace("Final", "Interim").replace("2029-04", "2027-04-01"));
    let out = dir.join("plan");
    let (ok, stdout, stderr) = run(&["compare", today.to_str().unwrap(), interim.to_str().unwrap(), fin.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("A plan in 2 phases after today (250,000 residents)"), "{stdout}");
    let phases = rows(&out.join("phases.csv"));
    let modes = 5;
    assert_eq!(phases.len(), 3 * modes);
    for (k, (name, path)) in [("Today", &today), ("Interim", &interim), ("Final", &fin)].into_iter().enumerate() {
        // The same scenario evaluated alone.
        let alone = dir.join(format!("alone-{k}"));
        let (ok, _, stderr) = run(&["evaluate", path.to_str().unwrap(), "--out", alone.to_str().unwrap(), "--quiet"]);
        assert!(ok, "{stderr}");
        let eq = rows(&alone.join("equity.csv"));
        let cov = rows(&alone.join("coverage.csv"));
        for p in phases.iter().filter(|p| p["phase"] == k.to_string()) {
            assert_eq!(p["scenario"], name);
            let all = eq.iter().find(|r| r["grouping"] == "all" && r["mode"] == p["mode"]).unwrap();
            assert_eq!(p["services_share_within"], all["share_within_before"], "{name} {}", p["mode"]);
            assert_eq!(p["services_mean_min"], all["mean_min_before"]);
            assert_eq!(p["services_p90_min"], all["p90_min_before"]);
            let hlc = cov.iter().find(|r| r["target"] == "any-hlc" && r["locality"] == "All" && r["mode"] == p["mode"]).unwrap();
            let share = hlc["within"].parse::<f64>().unwrap() / hlc["population"].parse::<f64>().unwrap();
            assert!((p["hlc_share_within"].parse::<f64>().unwrap() - share).abs() < 5e-5, "{name}: {} against {share}", p["hlc_share_within"]);
            let violations = std::fs::read_to_string(alone.join("violations.txt")).unwrap();
            assert_eq!(p["violations"] == "0", violations.starts_with("No tier-rule violations"), "{violations}");
        }
    }
    // The interim phase breaks the tier 1 rule in Ashby Vale; the final plan does not.
    let v = |k: usize| phases.iter().find(|p| p["phase"] == k.to_string()).unwrap()["violations"].parse::<usize>().unwrap();
    assert!(v(1) > v(2), "interim {} against final {}", v(1), v(2));
    // Changes: against today and against the phase before, in points.
    let f = |k: usize, m: &str, c: &str| phases.iter().find(|p| p["phase"] == k.to_string() && p["mode"] == m).unwrap()[c].parse::<f64>().unwrap_or(f64::NAN);
    for m in ["car-offpeak", "bus", "walk"] {
        let want = (f(2, m, "services_share_within") - f(0, m, "services_share_within")) * 100.0;
        assert!((f(2, m, "change_vs_today_points") - want).abs() < 0.011, "{m}");
        let want = (f(2, m, "services_share_within") - f(1, m, "services_share_within")) * 100.0;
        assert!((f(2, m, "change_vs_previous_points") - want).abs() < 0.011, "{m}");
    }
    // One folder per comparison, each a full two-scenario comparison.
    let mut folders: Vec<String> =
        std::fs::read_dir(&out).unwrap().filter_map(|e| e.ok()).filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    folders.sort();
    assert_eq!(folders, ["phase2-interim-vs-today", "phase3-final-vs-previous", "phase3-final-vs-today"]);
    let prev = rows(&out.join("phase3-final-vs-previous/coverage.csv"));
    let today_vs = rows(&out.join("phase3-final-vs-today/coverage.csv"));
    let pick = |t: &[HashMap<String, String>], col: &str| {
        t.iter().find(|r| r["target"] == "phlebotomy" && r["mode"] == "bus" && r["locality"] == "All").unwrap()[col].clone()
    };
    assert_eq!(pick(&prev, "share_after_pct"), pick(&today_vs, "share_after_pct"), "the final phase is the same in both");
    let interim_vs = rows(&out.join("phase2-interim-vs-today/coverage.csv"));
    assert_eq!(pick(&prev, "share_before_pct"), pick(&interim_vs, "share_after_pct"), "the phase before is the interim");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("href=\"phase3-final-vs-previous/report.html\"") && html.contains("Today: Today"), "links to every comparison");
    assert!(std::fs::read_to_string(out.join("phase2-interim-vs-today/report.html")).unwrap().contains("Equality impact"));

    // Dates that run backwards are refused, naming the file and the key.
    let late = scenario(&dir, "hlc-model.toml", "late.toml", "Late", "2026-01", |t| t);
    let (ok, _, stderr) =
        run(&["compare", today.to_str().unwrap(), interim.to_str().unwrap(), late.to_str().unwrap(), "--out", dir.join("x").to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("late.toml") && stderr.contains("date") && stderr.contains("dated 2026-01 comes after one dated 2027-04-01"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}
