//! Need-based demand from census age bands and future population
//! (`[growth]`), on the demo region and on the real Newport and Medway files
//! in `../shared/data`. Every expected figure is worked out here from the
//! shared files themselves, independently of the loaders.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use accessplan::analysis::demand::{DemandSource, estimate_need};
use accessplan::plan::Catalogue;
use accessplan::progress::Progress;
use accessplan::study::Study;
use accessplan::testdata::shared_file;

const BANDS: [&str; 6] = ["age_0_15", "age_16_24", "age_25_34", "age_35_49", "age_50_64", "age_65_plus"];

fn abs(p: &Path) -> String {
    p.canonicalize().expect("a data file that exists").display().to_string()
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("accessplan-demand-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("a writable temporary folder");
    d
}

/// Rows of a plain CSV as maps of column to value.
fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).expect("a readable CSV");
    let mut lines = text.lines();
    let head: Vec<String> = lines.next().expect("a header").split(',').map(str::to_string).collect();
    lines.filter(|l| !l.is_empty()).map(|l| head.iter().cloned().zip(l.split(',').map(str::to_string)).collect()).collect()
}

/// Newport: each output area's 2011 residents, its LSOA (from the postcode
/// file's OA and LSOA columns) and the 2021 age bands by LSOA.
struct Newport {
    oa_pop: HashMap<String, f64>,
    oa_lsoa: HashMap<String, String>,
    ages: HashMap<String, Vec<f64>>,
}

fn newport() -> Option<Newport> {
    let pop = shared_file("newport/population/oa11_usual_residents_2011.csv")?;
    let pcs = shared_file("newport/postcodes_NP.csv")?;
    let ages = shared_file("census/lsoa21_usual_residents_by_age_2021_ew.csv")?;
    let oa_pop = csv_rows(&pop).into_iter().map(|r| (r["OA11CD"].clone(), r["usual_residents_2011"].parse::<f64>().expect("a count"))).collect();
    let oa_lsoa = csv_rows(&pcs)
        .into_iter()
        .filter(|r| !r["OA11CD_in_case_boundary"].is_empty())
        .map(|r| (r["OA11CD_in_case_boundary"].clone(), r["LSOA11CD_in_case_boundary"].clone()))
        .collect();
    // The national table: names hold no commas, so a plain split reads it.
    let ages = csv_rows(&ages).into_iter().map(|r| (r["LSOA21CD"].clone(), BANDS.iter().map(|b| r[*b].parse::<f64>().expect("a count")).collect())).collect();
    Some(Newport { oa_pop, oa_lsoa, ages })
}

/// A Newport scenario without a street network: output areas with their
/// 2011 residents, the national age table joined through the LSOAs, the GP
/// practices as sites, and `extra` appended (a `[growth]` table).
fn newport_scenario(dir: &Path, extra: &str) -> Option<PathBuf> {
    let oa = shared_file("newport/boundaries/oa.geojson")?;
    let lsoa = shared_file("newport/boundaries/lsoa.geojson")?;
    let pop = shared_file("newport/population/oa11_usual_residents_2011.csv")?;
    let ages = shared_file("census/lsoa21_usual_residents_by_age_2021_ew.csv")?;
    let gp = shared_file("newport/gp_practices.csv")?;
    let cols: Vec<String> = BANDS.iter().map(|b| format!("\"{b}\"")).collect();
    let text = format!(
        "schema_version = 1\nname = \"Newport need\"\n[inputs]\nzones = \"{}\"\nzone_id = \"OA11CD\"\nsites = \"{}\"\npopulation_table = {{ file = \"{}\", code = \"OA11CD\", columns = [\"usual_residents_2011\"] }}\nattributes = [{{ file = \"{}\", code = \"LSOA21CD\", columns = [{}], areas = \"{}\", area_id = \"LSOA11CD\" }}]\n{extra}",
        abs(&oa),
        abs(&gp),
        abs(&pop),
        abs(&ages),
        cols.join(", "),
        abs(&lsoa)
    );
    let p = dir.join("newport.toml");
    std::fs::write(&p, text).expect("a writable temporary folder");
    Some(p)
}

#[test]
fn newport_need_from_the_national_age_table_equals_rates_times_band_residents() {
    let (Some(np), dir) = (newport(), temp_dir("newport-need")) else { return };
    let Some(path) = newport_scenario(&dir, "") else { return };
    let study = Study::open(&path, &Progress::new()).unwrap();
    let cat = Catalogue::default();
    let rates: Vec<f64> = BANDS.iter().map(|b| cat.get("phlebotomy").unwrap().contacts_per_1000[*b]).collect();
    assert_eq!(rates, vec![30.0, 80.0, 150.0, 250.0, 450.0, 900.0]);
    // Independently: each output area's residents shared out by its LSOA's 2021 bands.
    let mut expected = 0.0;
    let mut without: Vec<String> = Vec::new();
    for (oa, pop) in &np.oa_pop {
        match np.ages.get(&np.oa_lsoa[oa]) {
            Some(a) => {
                let sum: f64 = a.iter().sum();
                expected += a.iter().zip(&rates).map(|(n, r)| r / 1000.0 * pop * n / sum).sum::<f64>();
            }
            None => without.push(oa.clone()),
        }
    }
    without.sort();
    assert_eq!(without.len(), 34, "output areas in the five LSOAs split in 2021");
    let ids: Vec<&str> = study.scenario.services.iter().map(|s| s.id.as_str()).collect();
    let need = estimate_need(&study.region.zones, &cat, Path::new("assets/services.toml"), &ids);
    let total = need.total("phlebotomy").unwrap();
    assert!((total - expected).abs() < 1e-6, "{total} against {expected}");
    // About 0.31 phlebotomy contacts a resident a year at the illustrative rates.
    assert_eq!(expected.round(), 45_079.0);
    let mut listed: Vec<String> = need.zones_without_bands.iter().map(|&z| study.region.zones[z].id.clone()).collect();
    listed.sort();
    assert_eq!(listed, without);
    // The study says the need was estimated, lists the same zones, and with
    // no street network every zone's need is reported unplaced, none dropped.
    assert!(matches!(study.demand.source, DemandSource::Estimated { services_with_rates: 23, rows: 0, .. }), "{:?}", study.demand.source);
    let mut in_study = study.demand.zones_without_bands.clone();
    in_study.sort();
    assert_eq!(in_study, without);
    let missing_residents: f64 = without.iter().map(|z| np.oa_pop[z]).sum();
    assert!((study.demand.residents_without_bands - missing_residents).abs() < 1e-6);
    let ph = study.demand.unplaced.iter().find(|u| u.service == "phlebotomy").unwrap();
    assert!(ph.offered_nowhere);
    assert_eq!(ph.zones, 475 - 34);
    assert!((ph.contacts_per_year - expected).abs() < 1e-6);
    assert!((ph.residents - (145_736.0 - missing_residents)).abs() < 1e-6);
    assert!(study.demand.source.to_string().contains("illustrative national averages"));
}

#[test]
fn a_newport_growth_file_by_lsoa_scales_exactly_the_zones_in_those_areas() {
    let (Some(np), dir) = (newport(), temp_dir("newport-growth")) else { return };
    let Some(lsoa) = shared_file("newport/boundaries/lsoa.geojson") else { return };
    std::fs::write(dir.join("growth.csv"), "LSOA11CD,factor\nW01001623,1.5\nW01001687,2\nW99999999,3\n").unwrap();
    let extra = format!("[growth]\nyear = 2035\nfile = \"growth.csv\"\nareas = \"{}\"\narea_id = \"LSOA11CD\"\n", abs(&lsoa));
    let Some(path) = newport_scenario(&dir, &extra) else { return };
    let study = Study::open(&path, &Progress::new()).unwrap();
    let g = study.growth.as_ref().unwrap();
    let factor_of = |oa: &str| match np.oa_lsoa[oa].as_str() {
        "W01001623" => 1.5,
        "W01001687" => 2.0,
        _ => 1.0,
    };
    let scaled: usize = np.oa_pop.keys().filter(|oa| factor_of(oa) != 1.0).count();
    for z in &study.region.zones {
        assert!((z.population - np.oa_pop[&z.id] * factor_of(&z.id)).abs() < 1e-9, "{}", z.id);
    }
    let grown: f64 = np.oa_pop.iter().map(|(oa, p)| p * (factor_of(oa) - 1.0)).sum();
    assert!((study.region.population() - (145_736.0 + grown)).abs() < 1e-6);
    assert_eq!(g.zones_without.len(), 475 - scaled);
    assert_eq!((g.year, g.census_total), (2035, 145_736.0));
    assert!(matches!(g.by, accessplan::plan::growth::GrowthBy::File { rows_unused: 1, target_population: false, .. }));
    // Two LSOAs of about five output areas each.
    assert!((8..=14).contains(&scaled), "{scaled}");
    // Need follows the projected residents: a zone's estimate scales with its factor.
    let z = study.region.zones.iter().position(|z| factor_of(&z.id) == 2.0).unwrap();
    let ids: Vec<&str> = vec!["phlebotomy"];
    let need = estimate_need(&study.region.zones, &Catalogue::default(), Path::new("assets/services.toml"), &ids);
    let a = &np.ages[&np.oa_lsoa[&study.region.zones[z].id]];
    let sum: f64 = a.iter().sum();
    let by_hand: f64 =
        a.iter().zip([30.0, 80.0, 150.0, 250.0, 450.0, 900.0]).map(|(n, r)| r / 1000.0 * 2.0 * np.oa_pop[&study.region.zones[z].id] * n / sum).sum();
    assert!((need.services[0].1[z] - by_hand).abs() < 1e-9);
}

#[test]
fn bad_growth_factors_are_refused_naming_file_line_and_field() {
    let dir = temp_dir("bad-growth");
    let Some(path) = newport_scenario(&dir, "[growth]\nyear = 2035\nfactor = 0\n") else { return };
    let e = Study::open(&path, &Progress::new()).unwrap_err().to_string();
    assert!(e.contains("newport.toml") && e.contains("growth.factor") && e.contains("0 is not a growth factor") && e.contains("line"), "{e}");
    std::fs::write(dir.join("g.csv"), "OA11CD,factor\nW00008328,1.1\nW00008329,-2\n").unwrap();
    let Some(path) = newport_scenario(&dir, "[growth]\nyear = 2035\nfile = \"g.csv\"\n") else { return };
    let e = Study::open(&path, &Progress::new()).unwrap_err().to_string();
    assert!(e.contains("g.csv") && e.contains("line 3") && e.contains("'factor'") && e.contains("-2 is not a growth factor for 'W00008329'"), "{e}");
}

#[test]
fn medway_grown_to_330000_by_an_overall_factor() {
    let dir = temp_dir("medway-growth");
    let (Some(oa), Some(pop), Some(sites)) =
        (shared_file("medway/boundaries/oa.geojson"), shared_file("medway/population/oa11_usual_residents_2011.csv"), shared_file("medway/sites.csv"))
    else {
        return;
    };
    let census: f64 = csv_rows(&pop).iter().map(|r| r["usual_residents_2011"].parse::<f64>().unwrap()).sum();
    let factor = 330_000.0 / census;
    let text = format!(
        "schema_version = 1\nname = \"Medway 2035\"\n[inputs]\nzones = \"{}\"\nzone_id = \"OA11CD\"\nsites = \"{}\"\npopulation_table = {{ file = \"{}\", code = \"OA11CD\" }}\n[growth]\nyear = 2035\nfactor = {factor}\n",
        abs(&oa),
        abs(&sites),
        abs(&pop)
    );
    let path = dir.join("medway.toml");
    std::fs::write(&path, text).unwrap();
    let study = Study::open(&path, &Progress::new()).unwrap();
    let g = study.growth.as_ref().unwrap();
    assert_eq!(g.census_total, census);
    assert_eq!(census, 263_925.0);
    assert!((study.region.population() - 330_000.0).abs() < 0.5, "{}", study.region.population());
    assert_eq!(g.headline(), "2035 projection, 330,000 residents (x1.25 on the census)");
    assert!(g.zones_without.is_empty());
    // No contacts file and no age bands: no demand, said so.
    assert_eq!(study.demand.source, DemandSource::None);
}

/// The demo study with census-like age bands joined to its zones (a table
/// written here), with or without its contacts file, and `growth`.
fn demo_with_ages(tag: &str, keep_contacts: bool, growth: &str) -> Study {
    // The demo zones carry census-style age bands of their own.
    let dir = accessplan::testdata::demo_study_dir(tag, |s| s.to_string(), "");
    let p = dir.join("scenario.toml");
    let text = std::fs::read_to_string(&p).unwrap();
    let text = if keep_contacts { text } else { text.lines().filter(|l| !l.starts_with("contacts =")).collect::<Vec<_>>().join("\n") };
    std::fs::write(&p, format!("{text}\n{growth}")).unwrap();
    Study::open(&p, &Progress::new()).unwrap()
}

#[test]
fn a_contacts_file_wins_over_age_band_rates_and_estimates_stand_in_without_one() {
    let with = demo_with_ages("wins", true, "[growth]\nyear = 2030\nfactor = 1.1\n");
    let rows = 5305;
    assert_eq!(with.demand.source, DemandSource::ContactsFile { path: with.file.contacts_path(&with.path).unwrap().unwrap(), rows });
    assert!(with.demand.source.to_string().starts_with("patient contacts from the contacts file contacts.csv (5,305 rows)"));
    // The file's counts are scaled by the zones' growth factor.
    let file_total: f64 = std::fs::read_to_string(with.file.contacts_path(&with.path).unwrap().unwrap())
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse::<f64>().unwrap())
        .sum();
    let total: f64 = with.contacts.iter().map(|c| c.contacts_per_year).sum();
    assert!((total - 1.1 * file_total).abs() < 1e-6, "{total} against 1.1 x {file_total}");

    let est = demo_with_ages("estimated", false, "");
    let DemandSource::Estimated { services_with_rates, rows, .. } = est.demand.source.clone() else { panic!("{:?}", est.demand.source) };
    assert_eq!(services_with_rates, est.scenario.services.len());
    // Zone 1 (DZ0002): its age-band counts times phlebotomy's rates of
    // 30, 80, 150, 250, 450 and 900 a thousand (the bands sum to its residents).
    let z = &est.region.zones[1];
    let counts: Vec<f64> = BANDS.iter().map(|b| z.weights[*b]).collect();
    assert_eq!(counts.iter().sum::<f64>(), z.population);
    let by_hand = [30.0, 80.0, 150.0, 250.0, 450.0, 900.0].iter().zip(&counts).map(|(r, n)| r * n).sum::<f64>() / 1000.0;
    let row = est.contacts.iter().find(|c| c.zone == 1 && c.service == "phlebotomy").unwrap();
    assert!((row.contacts_per_year - by_hand).abs() < 1e-9, "{} against {by_hand}", row.contacts_per_year);
    // Seen where the HLC model's tier rules send the zone by car off peak.
    let e = est.evaluate();
    let k = e.mode_index(accessplan::travel::Mode::CarOffpeak).unwrap();
    let si = est.scenario.service("phlebotomy").unwrap();
    assert_eq!(Some(row.current_site), e.choices[si][k][1].site());
    // Every zone with need and a site has a row; none is dropped silently.
    let unplaced: usize = est.demand.unplaced.iter().map(|u| u.zones).sum();
    let ids: Vec<&str> = est.scenario.services.iter().map(|s| s.id.as_str()).collect();
    let need = estimate_need(&est.region.zones, &Catalogue::default(), Path::new("assets/services.toml"), &ids);
    let with_need: usize = need.services.iter().map(|(_, v)| v.iter().filter(|n| **n > 0.0).count()).sum();
    assert_eq!(rows + unplaced, with_need);
    assert_eq!(rows, est.contacts.len());
    assert!(!e.journeys.is_empty());
}

#[test]
fn compare_judges_both_scenarios_on_the_proposals_growth_and_says_so() {
    let dir = accessplan::testdata::demo_study_dir("cli-growth", |s| s.to_string(), "");
    let base = dir.join("scenario.toml");
    let text = std::fs::read_to_string(&base).unwrap();
    let prop = dir.join("proposal.toml");
    std::fs::write(&prop, format!("{text}\n[growth]\nyear = 2035\nfactor = 1.2\n")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan"))
        .env("ACCESSPLAN_NO_CACHE", "1")
        .args(["compare", base.to_str().unwrap(), prop.to_str().unwrap(), "--out", dir.join("cmp").to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("Population: 2035 projection, 300,000 residents (x1.20 on the census); both scenarios are judged on the proposal's 2035 population"),
        "{stdout}"
    );
    assert!(stdout.contains("Demand: Patient contacts from the contacts file contacts.csv (5,305 rows)"), "{stdout}");
    let report = std::fs::read_to_string(dir.join("cmp/report.html")).unwrap();
    assert!(report.contains("<b>Population</b>: every figure rests on the 2035 population projected from the census: 2035 projection, 300,000 residents"));
    assert!(report.contains("<b>Demand</b>: Patient contacts from the contacts file contacts.csv (5,305 rows)."));
}
