//! Bad scenario files: each error names the file, the key and what is wrong.

use std::path::PathBuf;

use accessplan::study::Study;

/// The demo HLC model with absolute input paths, edited by `edit`, written to a temp file.
fn demo_variant(name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("datasets/demo/scenarios/hlc-model.toml")).unwrap();
    let text = text.replace("\"../../../", &format!("\"{}/", root.display())).replace("\"../", &format!("\"{}/datasets/demo/", root.display()));
    let dir = std::env::temp_dir().join(format!("accessplan-scenario-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{name}.toml"));
    std::fs::write(&p, edit(text)).unwrap();
    p
}

fn open_err(p: &std::path::Path) -> String {
    Study::open(p, &accessplan::progress::Progress::new()).map(|_| ()).unwrap_err().to_string()
}

#[test]
fn the_unedited_variant_opens() {
    let p = demo_variant("ok", |t| t);
    let s = Study::open(&p, &accessplan::progress::Progress::new()).unwrap();
    assert_eq!(s.scenario.services.len(), 23);
}

#[test]
fn unknown_key_names_the_key_and_line() {
    let p = demo_variant("unknown", |t| t.replace("free_choice = false", "free_choice = false\nfree_choise = true"));
    let e = open_err(&p);
    assert!(e.contains("unknown.toml") && e.contains("free_choise") && e.contains("line 6"), "{e}");
}

#[test]
fn a_missing_input_file_names_the_key() {
    let p = demo_variant("missing", |t| t.replace("contacts.csv", "contacts-2019.csv"));
    let e = open_err(&p);
    assert!(e.contains("inputs.contacts") && e.contains("contacts-2019.csv") && e.contains("does not exist"), "{e}");
}

#[test]
fn a_service_at_an_unknown_site_names_the_service_key() {
    let p = demo_variant("dangling", |t| t.replacen("\"hlc-westholm\"", "\"hlc-westholme\"", 1));
    let e = open_err(&p);
    assert!(e.contains("service.anticoagulation.sites") && e.contains("site 'hlc-westholme' does not exist"), "{e}");
}

#[test]
fn an_unknown_service_needs_a_tier_and_a_bad_tier_is_refused() {
    let p = demo_variant("newsvc", |t| format!("{t}\n[[service]]\nid = \"falls-clinic\"\nsites = [\"hlc-westholm\"]\n"));
    let e = open_err(&p);
    assert!(e.contains("service.falls-clinic.tier") && e.contains("needs a tier"), "{e}");
    let p = demo_variant("badtier", |t| format!("{t}\n[[service]]\nid = \"falls-clinic\"\ntier = 5\nsites = []\n"));
    let e = open_err(&p);
    assert!(e.contains("tier must be 1, 2 or 3"), "{e}");
    let p = demo_variant("goodnew", |t| format!("{t}\n[[service]]\nid = \"falls-clinic\"\nname = \"Falls clinic\"\ntier = 2\nsites = [\"hlc-westholm\"]\n"));
    let s = Study::open(&p, &accessplan::progress::Progress::new()).unwrap();
    let e = s.evaluate();
    let i = s.scenario.service("falls-clinic").unwrap();
    // Offered in one locality only: the two pairs without it are violations.
    assert_eq!(e.violations.iter().filter(|v| v.service == i).count(), 2);
}

#[test]
fn a_locality_pair_naming_an_unknown_locality_is_an_error() {
    let p = demo_variant("pairs", |t| t.replacen("\"Westholm\",", "\"Westholme\",", 1));
    let e = open_err(&p);
    assert!(e.contains("locality_pairs") && e.contains("'Westholme' does not exist"), "{e}");
}

#[test]
fn a_newer_schema_version_is_refused() {
    let p = demo_variant("version", |t| t.replace("schema_version = 1", "schema_version = 2"));
    let e = open_err(&p);
    assert!(e.contains("schema_version") && e.contains("version 2"), "{e}");
}

#[test]
fn saving_is_atomic_and_round_trips() {
    let p = demo_variant("roundtrip", |t| t);
    let s = Study::open(&p, &accessplan::progress::Progress::new()).unwrap();
    let f = s.scenario.to_file(&s.file, &s.region, s.sites(), &s.catalogue);
    let out = p.with_file_name("saved.toml");
    f.save(&out, &s.region.inputs.files()).unwrap();
    let back = accessplan::plan::ScenarioFile::load(&out).unwrap();
    assert_eq!(back, f);
    // Saving over an input is refused.
    let e = f.save(&s.region.inputs.zones, &s.region.inputs.files()).unwrap_err().to_string();
    assert!(e.contains("one of the inputs"), "{e}");
}

#[test]
fn a_threshold_that_is_not_a_positive_number_of_minutes_names_its_key_and_line() {
    for (name, value) in [("negative", "-5.0"), ("nan", "nan"), ("zero", "0.0"), ("huge", "100000.0")] {
        let p = demo_variant(&format!("threshold-{name}"), |t| t.replace("walk = 25.0", &format!("walk = {value}")));
        let e = open_err(&p);
        assert!(e.contains(&format!("threshold-{name}.toml")) && e.contains("field 'thresholds.walk'") && e.contains("is not a threshold"), "{e}");
        assert!(e.contains("line 25"), "{e}");
    }
}

#[test]
fn toml_errors_name_the_key_on_their_line() {
    let p = demo_variant("schema-one", |t| t.replace("schema_version = 1", "schema_version = \"one\""));
    let e = open_err(&p);
    assert!(e.contains("line 2") && e.contains("field 'schema_version'"), "{e}");
    let p = demo_variant("syntax", |t| t.replace("free_choice = false", "free_choice = [false,,]"));
    let e = open_err(&p);
    assert!(e.contains("line 5") && e.contains("field 'free_choice'") && !e.contains("field ','"), "{e}");
}

#[test]
fn a_locality_paired_with_itself_or_twice_is_refused_and_an_unpaired_one_is_told() {
    let p = demo_variant("self-pair", |t| t.replacen("\"Millford\"", "\"Westholm\"", 1));
    let e = open_err(&p);
    assert!(e.contains("field 'locality_pairs'") && e.contains("[Westholm, Westholm] pairs a locality with itself"), "{e}");
    let p = demo_variant("twice", |t| t.replacen("\"Millford\"", "\"Kingsbridge\"", 1));
    let e = open_err(&p);
    assert!(e.contains("Kingsbridge is in two pairs (with Westholm and in [Northgate, Kingsbridge])"), "{e}");
    // Two pairs given of three: Eastbrook and Ashby Vale are in no pair, and
    // each tier 2 service not offered in one of them is a broken rule there
    // (the HLC model offers tier 2 at Eastbrook, the better-connected of the two).
    let p = demo_variant("unpaired", |t| t.replace("    [\n    \"Eastbrook\",\n    \"Ashby Vale\",\n],\n", ""));
    let s = Study::open(&p, &accessplan::progress::Progress::new()).unwrap();
    assert_eq!(s.scenario.pairs.len(), 2);
    let region = &s.region;
    let v = accessplan::plan::rules::check(&s.scenario, region, s.sites());
    let unpaired: Vec<_> = v.iter().filter(|v| v.message.contains("which is in no locality pair")).collect();
    assert_eq!(unpaired.len(), 7, "{unpaired:?}");
    assert!(unpaired.iter().all(|v| v.message.contains("is not offered in Ashby Vale")), "{unpaired:?}");
    assert!(unpaired.iter().all(|v| v.message.contains("(tier 2)")), "{unpaired:?}");
}

#[test]
fn a_bus_date_in_another_format_is_quoted_back_whole() {
    let p = demo_variant("bus-date", |t| t.replace("[inputs]\n", "[inputs]\nbus_date = \"13/06/2023\"\n"));
    let e = open_err(&p);
    assert!(e.contains("field 'inputs.bus_date'") && e.contains("'13/06/2023' is not a date; use YYYY-MM-DD"), "{e}");
    // The key's line in the file, not "whole file": [inputs] is at line 28, bus_date right under it.
    assert!(e.contains("bus-date.toml: line 29, field 'inputs.bus_date'"), "{e}");
}
