//! `accessplan new-study` on the files a planner downloads, as the README's
//! "Your own place" section gives the commands: Newport with census
//! population from the national Nomis table, WIMD and car availability
//! through LSOAs and MSOAs, GP practices placed by postcode, hospitals and
//! clinics from OSM, the 2024 bus and rail feeds and the wards as localities;
//! Medway with census population, IMD, GP practices, clinics and HLCs, and
//! no street network (the study is written and says what is missing).

use std::path::{Path, PathBuf};

use accessplan::progress::Progress;
use accessplan::study::Study;
use accessplan::testdata::shared_data_dir;

fn run(args: &[String]) -> (bool, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan")).env("ACCESSPLAN_NO_CACHE", "1").args(args).output().unwrap();
    (o.status.success(), format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
}

fn out_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("accessplan-new-study-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn args(d: &Path, list: &[&str]) -> Vec<String> {
    list.iter().map(|a| a.replace("$D", &d.display().to_string())).collect()
}

/// The commands of the README's "Your own place" section, one per entry,
/// with `$DATA` and the study folder put where this run wants them.
fn readme_commands(data: &Path, study: &Path) -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- your-own-place").expect("the README has the Your own place commands");
    let block = &readme[start..];
    let block = &block[block.find("```sh").unwrap() + 5..];
    let block = &block[..block.find("```").unwrap()];
    let joined = block.replace("\\\n", " ");
    joined
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("accessplan "))
        .map(|l| {
            l.split_whitespace()
                .skip(1)
                .map(|w| w.replace("$DATA", &data.display().to_string()).replace("newport-study", &study.display().to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn newport_study_from_the_readme_commands_joins_population_deprivation_postcodes_and_two_feeds() {
    let Some(d) = shared_data_dir() else { return };
    let out = out_dir("newport");
    let commands = readme_commands(&d, &out);
    assert_eq!(commands.iter().map(|c| c[0].as_str()).collect::<Vec<_>>(), vec!["new-study", "evaluate", "optimise", "compare"]);
    let a = commands[0].clone();
    let (ok, text) = run(&a);
    assert!(ok, "{text}");
    assert!(text.contains("zones: 475 (145,736 residents)"), "{text}");
    assert!(text.contains("475 of 475 zones joined by '2011 output area'") && text.contains("skipped 6 title line(s) and 4 footnote line(s)"), "{text}");
    assert!(text.contains("475 of 475 zones joined by 'LSOA11CD' through the areas of lsoa.geojson"), "{text}");
    assert!(text.contains("2 feeds merged"), "{text}");
    let path = out.join("study.toml");
    let study = Study::open(&path, &Progress::new()).unwrap();
    let r = &study.region;
    assert_eq!(r.zones.len(), 475);
    assert_eq!(r.population(), 145_736.0);
    assert!(r.zones.iter().all(|z| z.weights.contains_key("wimd_rank") && z.weights.contains_key("pct_households_no_car_or_van_2011")));
    // 17 GP practices by postcode, the hospitals and clinics tagged in OSM.
    assert_eq!(r.sites.iter().filter(|s| s.id.starts_with('W')).count(), 17);
    assert!(r.sites.len() > 17);
    assert_eq!(r.gtfs.as_ref().map(|(f, _)| f.parts.len()), Some(2));
    assert_eq!(r.localities.len(), 20);
    // The scenario keeps the joins, so it reopens to the same figures.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("[inputs.population_table]") && text.contains("area_id = \"MSOA11CD\""), "{text}");
    for c in &commands[1..] {
        let (ok, text) = run(c);
        assert!(ok, "{c:?}: {text}");
    }
    assert!(out.join("today/report.html").exists() && out.join("tier3.toml").exists() && out.join("comparison/report.html").exists());
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn medway_study_without_a_network_is_written_and_names_what_is_missing() {
    let Some(d) = shared_data_dir() else { return };
    let out = out_dir("medway");
    let mut a = args(
        &d,
        &[
            "new-study",
            "--name",
            "Medway",
            "--zones",
            "$D/medway/boundaries/oa.geojson",
            "--population",
            "$D/census/ks101ew_oa11_usual_residents_2011_ew_nomis.csv",
            "--attributes",
            "$D/medway/deprivation/imd2019_lsoa11.csv",
            "--area-attributes",
            "$D/medway/boundaries/lsoa.geojson",
            "--area-id",
            "LSOA11CD",
            "--sites",
            "$D/medway/sites.csv",
            "--sites",
            "$D/medway/gp_practices.csv",
            "--sites",
            "$D/medway/nhs_clinics.csv",
            "--postcodes",
            "$D/medway/postcodes_ME.csv",
            "--wards",
            "$D/medway/boundaries/wards.geojson",
            "--ward-id",
            "WD13CD",
            "--grouping",
            "$D/medway/localities.csv",
        ],
    );
    a.extend(["--out".to_string(), out.display().to_string()]);
    let (ok, text) = run(&a);
    assert!(ok, "{text}");
    assert!(text.contains("zones: 826 (263,925 residents)") && text.contains("sites: 88") && text.contains("localities: 6"), "{text}");
    assert!(text.contains("no street network: download an OpenStreetMap extract") && text.contains("https://data.bus-data.dft.gov.uk/"), "{text}");
    let study = Study::open(&out.join("study.toml"), &Progress::new()).unwrap();
    assert!(study.no_street_network().is_some());
    let file = accessplan::plan::scenario::ScenarioFile::load(&out.join("study.toml")).unwrap();
    assert_eq!(file.inputs.sites.len(), 3);
    let region = accessplan::region::Region::load(&file.region_inputs(&out.join("study.toml")).unwrap()).unwrap();
    assert_eq!((region.zones.len(), region.population(), region.sites.len(), region.localities.len()), (826, 263_925.0, 88, 6));
    assert!(region.zones.iter().all(|z| (1.0..=10.0).contains(&z.weights["imd_decile"])));
    std::fs::remove_dir_all(&out).ok();
}
