//! A short fixed-seed run of the fuzz harness (`accessplan::testdata::fuzz`,
//! the long run is `cargo run --release --example fuzz`): mutated real
//! inputs fed to every loader give no panic, no hang and no changed input,
//! and most are refused with a message naming the file.

use std::time::Duration;

use accessplan::testdata::fuzz;

#[test]
fn three_hundred_mutated_inputs_give_clean_errors_and_no_panic() {
    if accessplan::testdata::shared_file("newport/boundaries/oa.geojson").is_none() {
        return;
    }
    let work = std::env::temp_dir().join(format!("accessplan-fuzz-smoke-{}", std::process::id()));
    let targets = fuzz::targets(&work).unwrap();
    // Every loader has its seeds (the real data is present).
    let names: Vec<&str> = targets.iter().map(|t| t.name).collect();
    for n in [
        "zones-demo",
        "localities",
        "locality-groups",
        "sites-demo",
        "sites-postcode",
        "postcodes",
        "census-nomis",
        "attributes-wimd",
        "contacts",
        "gtfs-folder",
        "gtfs-newport",
        "osm-xml",
        "osm-pbf",
        "profile",
        "scenario-hlc",
        "study",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    // The slow PBF loader is left out of this short run (the long run has it).
    let targets: Vec<fuzz::Target> = targets.into_iter().filter(|t| t.name != "osm-pbf").collect();
    let opts =
        fuzz::Options { seed: 14, max_runs: Some(300), max_time: None, run_budget: Duration::from_secs(30), only: None, out: None, work: work.join("runs") };
    let s = fuzz::fuzz(&targets, &opts).unwrap();
    eprintln!("{}", s.table());
    assert_eq!(s.runs, 300);
    assert!(s.findings.is_empty(), "{}", s.table());
    let total = |f: fn(&fuzz::Counts) -> usize| s.per_target.values().map(f).sum::<usize>();
    assert_eq!(total(|c| c.panic) + total(|c| c.hang) + total(|c| c.input_changed), 0);
    // Not vacuous: many mutants are refused, most refusals name the file,
    // and every loader ran at least once.
    let errors = total(|c| c.error);
    let named = total(|c| c.error_naming_file);
    assert!(errors >= 100, "only {errors} of 300 refused:\n{}", s.table());
    assert!(named * 10 >= errors * 8, "{named} of {errors} refusals name the file:\n{}", s.table());
    for (t, c) in &s.per_target {
        assert!(c.ok + c.error > 0, "{t} never ran");
    }
    std::fs::remove_dir_all(&work).ok();
}
