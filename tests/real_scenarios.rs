//! Scenarios on real places: Newport (OSM health sites, wards as
//! localities) and the Medway pack (no street network: the tool says so).

use std::path::{Path, PathBuf};

use accessplan::analysis::compare::compare;
use accessplan::analysis::{Target, evaluate};
use accessplan::study::Study;
use accessplan::testdata::{newport_scenario, shared_file};
use accessplan::travel::Mode;

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("accessplan-real-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn p(path: &Path) -> String {
    path.canonicalize().unwrap().display().to_string()
}

#[test]
fn newport_hospitals_today_against_health_centres_and_surgeries() {
    let dir = temp("newport");
    let hospitals = ["osm-way-40608609", "osm-way-40608970"];
    let Some(base) = newport_scenario(&dir, "today", &[("msk-triage", &hospitals)]) else { return };
    let study = Study::open(&base, &accessplan::progress::Progress::new()).unwrap();
    let r = &study.region;
    assert_eq!((r.zones.len(), r.sites.len(), r.localities.len()), (475, 21, 20));
    assert!(study.scenario.pairs_proposed);
    assert_eq!(study.scenario.pairs.len(), 10, "20 wards make 10 neighbouring pairs");
    let names: Vec<&str> = study.scenario.services[0].sites().iter().map(|&i| r.sites[i].name.as_str()).collect();
    assert_eq!(names, ["Royal Gwent Hospital", "St Woolos Hospital"]);
    let local: Vec<&str> = r.sites.iter().filter(|s| s.kind == "doctors" || s.kind == "clinic").map(|s| s.id.as_str()).collect();
    assert_eq!(local.len(), 18);
    let proposed = newport_scenario(&dir, "proposed", &[("msk-triage", &local)]).unwrap();
    let (_, prop) = study.other(&proposed).unwrap();
    let be = study.evaluate();
    let pe = evaluate(&prop, r, study.sites(), &study.tt, &study.geo, &study.contacts);
    let t = Target::Service(0);
    let mut shares = Vec::new();
    for m in [Mode::CarOffpeak, Mode::CarPeak, Mode::Walk] {
        let b = be.cover(r, &study.scenario, t, m, None).unwrap();
        let a = pe.cover(r, &prop, t, m, None).unwrap();
        eprintln!("{}: {:.3} -> {:.3}; no journey {} / {}", m.label(), b.share(), a.share(), b.no_journey, a.no_journey);
        // Output areas are weighted equally (no population file): 475 in all.
        assert_eq!(b.population, 475.0);
        // Those beyond the street extract have no journey, by either scenario.
        let off = if m == Mode::Walk { 102.0 } else { 111.0 };
        assert_eq!((b.no_journey, a.no_journey), (off, off));
        assert!(a.share() >= b.share());
        shares.push((b.share(), a.share()));
    }
    // Measured figures, kept as a regression anchor after the checks above.
    // Shares are of all 475 areas, 111 of which (102 on foot) lie beyond the
    // extract: by car 329 of the 364 reachable areas (90%) are within 15
    // minutes of a hospital off peak; surgeries add 29 more. On foot the
    // change is large: 79 areas within 25 minutes of a hospital, 301 of a
    // surgery or health centre.
    let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
    assert_eq!(shares.iter().map(|(b, a)| (r3(*b), r3(*a))).collect::<Vec<_>>(), vec![(0.693, 0.754), (0.579, 0.722), (0.166, 0.634)]);
    let c = compare(&study.scenario, be, &prop, pe, &study.tt, &study.contacts);
    assert!(c.journeys.is_empty(), "no contacts file given");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn medway_pack_loads_and_says_the_street_network_is_missing() {
    let (Some(oa), Some(wards), Some(grouping), Some(sites)) = (
        shared_file("medway/boundaries/oa.geojson"),
        shared_file("medway/boundaries/wards.geojson"),
        shared_file("medway/localities.csv"),
        shared_file("medway/sites.csv"),
    ) else {
        return;
    };
    let dir = temp("medway");
    let path = dir.join("medway.toml");
    std::fs::write(
        &path,
        format!(
            "schema_version = 1\nname = \"Medway\"\n[inputs]\nzones = \"{}\"\nzone_id = \"OA11CD\"\nsites = \"{}\"\n[inputs.localities]\nareas = \"{}\"\narea_id = \"WD13CD\"\ngrouping = \"{}\"\n",
            p(&oa),
            p(&sites),
            p(&wards),
            p(&grouping)
        ),
    )
    .unwrap();
    let file = accessplan::plan::ScenarioFile::load(&path).unwrap();
    let inputs = file.region_inputs(&path).unwrap();
    let region = accessplan::region::Region::load(&inputs).unwrap();
    let mut names: Vec<&str> = region.localities.iter().map(|l| l.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Chatham Central", "Gillingham", "Lordswood", "Rainham", "Rochester", "Strood"]);
    assert_eq!(region.sites.len(), 7);
    assert_eq!(region.zones.len(), 826);
    assert!(region.networks.is_empty());
    let err = Study::open(&path, &accessplan::progress::Progress::new()).unwrap_err().to_string();
    assert!(err.contains("no street network") && err.contains("inputs.osm") && err.contains("826 zones, 7 sites, 6 localities"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
