//! Who gains and who loses: groupings of residents on the real deprivation,
//! age and car tables of Medway and Newport (group residents add up to the
//! population; zones per decile match a count made straight from the
//! shared files), and a hand-built fixture where moving one service helps
//! the most deprived zone and hurts the others, every figure worked by hand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use accessplan::analysis::equity::{self, Groupings, Side, groupings};
use accessplan::input::crs::CrsChoice;
use accessplan::input::joins::{AreasRef, TableJoin, join_attributes, join_population, table};
use accessplan::input::zones::{ZoneOptions, load_zones};
use accessplan::model::Zone;
use accessplan::plan::equity::EquityFile;
use accessplan::study::Study;
use accessplan::testdata::shared_file;
use accessplan::travel::Mode;

fn zones_of(place: &str, geo: &str, id: &str) -> Option<Vec<Zone>> {
    let f = shared_file(&format!("{place}/boundaries/{geo}.geojson"))?;
    Some(load_zones(&f, &ZoneOptions::new(id)).unwrap().0)
}

fn via(t: &Path, a: &Path, id: &str) -> TableJoin {
    TableJoin { areas: Some(AreasRef { path: a.to_path_buf(), id_field: id.into() }), ..table(t) }
}

/// `column` of a CSV file, counted by value, read without the tool's loaders.
fn count_by(path: &Path, column: &str) -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let c = header.iter().position(|h| *h == column).unwrap();
    let mut m = BTreeMap::new();
    for l in lines.filter(|l| !l.trim().is_empty()) {
        *m.entry(l.split(',').nth(c).unwrap().to_string()).or_insert(0) += 1;
    }
    m
}

fn residents_add_up(g: &Groupings, total: f64) {
    for gr in &g.list {
        let sum: f64 = gr.residents().iter().sum();
        assert!((sum - total).abs() < 1e-6 * total, "{}: {sum} against {total}", gr.name);
    }
}

#[test]
fn lsoas_by_imd_and_wimd_decile_match_the_published_tables() {
    for (place, file, column, total, n, first, fifth) in [
        ("medway", "medway/deprivation/imd2019_lsoa11.csv", "imd_decile", 279_771.0, 163, 14, 37),
        ("newport", "newport/deprivation/wimd2019_lsoa11.csv", "wimd_decile_derived", 159_611.0, 95, 23, 33),
    ] {
        let (Some(mut zones), Some(pop), Some(dep)) =
            (zones_of(place, "lsoa", "LSOA11CD"), shared_file(&format!("{place}/population/lsoa11_usual_residents_2021.csv")), shared_file(file))
        else {
            return;
        };
        join_population(&mut zones, &TableJoin { columns: vec!["usual_residents_2021".into()], ..table(&pop) }).unwrap();
        join_attributes(&mut zones, &TableJoin { columns: vec![column.into()], ..table(&dep) }, CrsChoice::Auto).unwrap();
        let sum: f64 = zones.iter().map(|z| z.population).sum();
        assert_eq!(sum, total, "{place}");
        let g = groupings(&zones, false, &EquityFile::default()).unwrap();
        assert!(g.proposed);
        let names: Vec<&str> = g.list.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["all", "deprivation_decile", "deprivation_quintile", "core20"], "{place}");
        residents_add_up(&g, total);
        // Zones per decile, as the tool groups them, against the CSV itself.
        let dec = &g.list[1];
        let mut by_tool: BTreeMap<String, usize> = BTreeMap::new();
        for m in &dec.members {
            assert_eq!(m.len(), 1, "an LSOA is in one decile");
            *by_tool.entry(dec.groups[m[0].0].key.clone()).or_insert(0) += 1;
        }
        let by_file = count_by(&dep, column);
        assert_eq!(by_tool, by_file, "{place}");
        assert_eq!(by_file.values().sum::<usize>(), n);
        // LSOAs in the most deprived tenth and fifth of England (Wales for Newport).
        assert_eq!((by_file["1"], by_file["1"] + by_file["2"]), (first, fifth), "{place}");
        let core = &g.list[3];
        assert_eq!(core.groups[0].key, "core20");
        assert_eq!(core.members.iter().filter(|m| m[0].0 == 0).count(), fifth);
        assert!(dec.zones_unknown.is_empty());
    }
}

#[test]
fn newport_output_areas_by_wimd_age_and_car_add_up_to_every_resident() {
    let (Some(mut zones), Some(pop), Some(wimd), Some(lsoa), Some(cars), Some(msoa), Some(ages)) = (
        zones_of("newport", "oa", "OA11CD"),
        shared_file("newport/population/oa11_usual_residents_2011.csv"),
        shared_file("newport/deprivation/wimd2019_lsoa11.csv"),
        shared_file("newport/boundaries/lsoa.geojson"),
        shared_file("newport/car_availability_msoa11_2011.csv"),
        shared_file("newport/boundaries/msoa.geojson"),
        shared_file("census/lsoa21_usual_residents_by_age_2021_ew.csv"),
    ) else {
        return;
    };
    join_population(&mut zones, &table(&pop)).unwrap();
    let total: f64 = zones.iter().map(|z| z.population).sum();
    assert_eq!(total, 145_736.0);
    join_attributes(&mut zones, &TableJoin { columns: vec!["wimd_decile_derived".into()], ..via(&wimd, &lsoa, "LSOA11CD") }, CrsChoice::Auto).unwrap();
    join_attributes(&mut zones, &TableJoin { columns: vec!["pct_households_no_car_or_van_2011".into()], ..via(&cars, &msoa, "MSOA11CD") }, CrsChoice::Auto)
        .unwrap();
    let bands: Vec<String> = ["age_0_15", "age_16_24", "age_25_34", "age_35_49", "age_50_64", "age_65_plus"].map(String::from).to_vec();
    let (note, _) = join_attributes(&mut zones, &TableJoin { columns: bands.clone(), ..via(&ages, &lsoa, "LSOA11CD") }, CrsChoice::Auto).unwrap();
    let g = groupings(&zones, false, &EquityFile::default()).unwrap();
    let names: Vec<&str> = g.list.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["all", "deprivation_decile", "deprivation_quintile", "core20", "age_band", "age_65_plus", "no_car"]);
    residents_add_up(&g, total);
    // The split 2011 LSOAs have no 2021 code of their own: their output areas are "unknown" by age, never dropped.
    let age = &g.list[4];
    assert_eq!(age.zones_unknown.len(), note.zones_without.len());
    assert_eq!(age.groups.last().map(|x| x.key.as_str()), if note.zones_without.is_empty() { Some("age_65_plus") } else { Some("unknown") });
    // Each OA's residents of 65 and over: its population times its LSOA's share, checked for one OA by hand.
    let z = zones.iter().position(|z| z.weights.contains_key("age_65_plus")).unwrap();
    let w = &zones[z].weights;
    let sum: f64 = bands.iter().map(|b| w[b]).sum();
    let old = &g.list[5];
    let mine: f64 = old.members[z].iter().filter(|m| m.0 == 0).map(|m| m.1).sum();
    assert!((mine - zones[z].population * w["age_65_plus"] / sum).abs() < 1e-9);
    // Households without a car: a share of each zone, 27.9% of Newport's households in all.
    let car = &g.list[6];
    let r = car.residents();
    let share = r[0] / total;
    assert!(share > 0.2 && share < 0.36, "residents in households without a car: {share}");
    // Zones per WIMD decile: each OA counted in its LSOA's decile, the LSOA deciles from the CSV.
    let dec = &g.list[1];
    let lsoa_deciles = count_by(&wimd, "wimd_decile_derived");
    assert_eq!(lsoa_deciles.values().sum::<usize>(), 95);
    let in_deciles: usize = dec.members.iter().filter(|m| dec.groups[m[0].0].key != "unknown").count();
    assert_eq!(in_deciles, 475);
}

const L: f64 = 1000.7543; // metres per 0.009 degrees of longitude on the equator

/// The by-hand street (see tests/fixture_by_hand.rs): one 3 km street on
/// the equator, zones 100 m north of it at A (Z1), B (Z2) and D (Z3), sites
/// S1 at B and S2 at D; car 10 m/s off peak. Z3 is in the most deprived
/// decile, Z2 in the fifth, Z1 in the least deprived.
fn fixture(tag: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("accessplan-equity-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let w = |n: &str, t: &str| std::fs::write(dir.join(n), t).unwrap();
    w(
        "street.osm",
        r#"<osm version="0.6">
<node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.009"/><node id="3" lat="0" lon="0.018"/><node id="4" lat="0" lon="0.027"/>
<way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><tag k="highway" v="residential"/></way>
</osm>"#,
    );
    w(
        "profile.toml",
        "[walk]\nspeed_kmh = 3.6\n[cycle]\nspeed_kmh = 18.0\n[car.residential]\ndefault_kmh = 36.0\nfreeflow_factor = 1.0\npeak_factor = 0.5\n\
         [junctions]\ndrive_on = \"left\"\ntraffic_signals_s = 0\nstop_s = 0\ngive_way_s = 0\nturn_with_traffic_s = 0\nturn_across_traffic_s = 0\nu_turn_s = 0\ngate_s = 0\npeak_factor = 1\n",
    );
    w(
        "zones.csv",
        "zone_id,lon,lat,population,imd_decile,pct_no_car,area_type\nZ1,0,0.000899322,100,10,10,rural\nZ2,0.009,0.000899322,200,5,20,urban\nZ3,0.027,0.000899322,700,1,50,urban\n",
    );
    w("sites.csv", "id,name,kind,status,lon,lat\nS1,West Centre,hlc,existing,0.009,0\nS2,East Centre,clinic,existing,0.027,0\n");
    let scenario = |name: &str, site: &str| {
        format!(
            "schema_version = 1\nname = \"{name}\"\n[thresholds]\ncar_offpeak = 3\ncar_peak = 3\nwalk = 10\ncycle = 3\n\
             [inputs]\nosm = \"street.osm\"\nprofile = \"profile.toml\"\nzones = \"zones.csv\"\nzone_id = \"zone_id\"\npopulation = \"population\"\nsites = \"sites.csv\"\n\
             [equity]\nlonger_by_min = 3\n\
             [[equity.group]]\nname = \"deprivation_decile\"\nkind = \"decile\"\ncolumn = \"imd_decile\"\n\
             [[equity.group]]\nname = \"core20\"\nkind = \"core20\"\ncolumn = \"imd_decile\"\n\
             [[equity.group]]\nname = \"no_car\"\nkind = \"share\"\ncolumn = \"pct_no_car\"\nlabels = [\"without a car\", \"with a car\"]\n\
             [[equity.group]]\nname = \"area_type\"\nkind = \"category\"\ncolumn = \"area_type\"\n\
             [[service]]\nid = \"hand-therapy\"\nsites = [\"{site}\"]\n"
        )
    };
    w("before.toml", &scenario("West", "S1"));
    w("after.toml", &scenario("East", "S2"));
    (dir.join("before.toml"), dir.join("after.toml"))
}

fn near(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn moving_a_service_east_helps_the_most_deprived_and_costs_the_least_deprived() {
    let (before, after) = fixture("move");
    let study = Study::open(&before, &accessplan::progress::Progress::new()).unwrap();
    let (after_file, after_s) = study.other(&after).unwrap();
    let g = study.groupings(&after_file, &after).unwrap();
    assert!(!g.proposed);
    assert_eq!(g.longer_by_min, 3.0);
    let eb = study.evaluate();
    let ea = accessplan::analysis::evaluate(&after_s, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts);
    let use_by = study.use_by_service();
    let (wb, wa) = (equity::service_weights(&study.scenario, &use_by), equity::service_weights(&after_s, &use_by));
    assert_eq!((wb.clone(), wa.clone()), (vec![1.0], vec![1.0]), "no contacts: services weigh the same");
    let rows = equity::table(
        &study.region,
        &g,
        Side { scenario: &study.scenario, evaluation: &eb, weights: &wb },
        Some(Side { scenario: &after_s, evaluation: &ea, weights: &wa }),
    );
    let row = |grouping: &str, group: &str| {
        rows.iter()
            .find(|r| r.mode == Mode::CarOffpeak && g.list[r.grouping].name == grouping && g.list[r.grouping].groups[r.group].key == group)
            .unwrap_or_else(|| panic!("no row {grouping} {group}"))
    };
    // Car off peak, threshold 3 min (180 s). Before (S1 at B): Z1 200.1 s, Z2 100 s, Z3 300.2 s.
    // After (S2 at D): Z1 400.2 s, Z2 300.2 s, Z3 100 s.
    let d1 = row("deprivation_decile", "1");
    assert_eq!(d1.residents, 700.0);
    let (b, a) = (d1.before.unwrap(), d1.after.unwrap());
    assert_eq!((b.share_within, a.share_within), (0.0, 1.0));
    assert!(near(d1.change_points().unwrap(), 100.0, 1e-9));
    assert!(near(b.mean_min.unwrap(), (100.0 + 2.0 * L / 10.0) / 60.0, 1e-3) && near(a.mean_min.unwrap(), 100.0 / 60.0, 1e-3));
    assert_eq!((d1.residents_longer, d1.residents_shorter), (Some(0.0), Some(700.0)));
    let d5 = row("deprivation_decile", "5");
    assert_eq!((d5.residents, d5.before.unwrap().share_within, d5.after.unwrap().share_within), (200.0, 1.0, 0.0));
    assert!(near(d5.change_points().unwrap(), -100.0, 1e-9));
    assert_eq!(d5.residents_longer, Some(200.0));
    let d10 = row("deprivation_decile", "10");
    assert_eq!((d10.before.unwrap().share_within, d10.after.unwrap().share_within), (0.0, 0.0));
    assert!(near(d10.after.unwrap().mean_min.unwrap() - d10.before.unwrap().mean_min.unwrap(), 2.0 * L / 10.0 / 60.0, 1e-3));
    assert_eq!(d10.residents_longer, Some(100.0), "3.34 minutes longer is past the 3-minute mark");
    // Deciles with nobody have no figures.
    let d3 = row("deprivation_decile", "3");
    assert_eq!((d3.residents, d3.before, d3.after), (0.0, None, None));
    // Core20: Z3 (700) gains everything; the other 80% (Z1 + Z2, 300) lose 2 in 3.
    let core = row("core20", "core20");
    assert_eq!((core.before.unwrap().share_within, core.after.unwrap().share_within), (0.0, 1.0));
    let other = row("core20", "other");
    assert!(near(other.before.unwrap().share_within, 200.0 / 300.0, 1e-12) && other.after.unwrap().share_within == 0.0);
    // p90 of the other 80% before: Z1's 200.1 s (a third of them) is the 90th percentile.
    assert!(near(other.before.unwrap().p90_min.unwrap(), (100.0 + L / 10.0) / 60.0, 1e-3));
    // Households without a car: 10 + 40 + 350 = 400 residents; within 3 min 40 before, 350 after.
    let nc = row("no_car", "in");
    assert!(near(nc.residents, 400.0, 1e-9));
    assert!(near(nc.before.unwrap().share_within, 40.0 / 400.0, 1e-12) && near(nc.after.unwrap().share_within, 350.0 / 400.0, 1e-12));
    assert_eq!(g.list[3].groups[0].label, "without a car");
    // A text property of the zones as a category: rural Z1 (100) loses nothing within 3 min, urban Z2 + Z3 (900) go from 200 to 700 within.
    let (rural, urban) = (row("area_type", "rural"), row("area_type", "urban"));
    assert_eq!((rural.residents, urban.residents), (100.0, 900.0));
    assert!(near(urban.before.unwrap().share_within, 200.0 / 900.0, 1e-12) && near(urban.after.unwrap().share_within, 700.0 / 900.0, 1e-12));
    assert_eq!((rural.before.unwrap().share_within, rural.after.unwrap().share_within), (0.0, 0.0));
    // Every grouping adds up to the 1,000 residents, for every mode.
    for gi in 0..g.list.len() {
        for m in &eb.modes {
            let sum: f64 = rows.iter().filter(|r| r.grouping == gi && r.mode == *m).map(|r| r.residents).sum();
            assert!(near(sum, 1000.0, 1e-9), "{} {m:?}: {sum}", g.list[gi].name);
        }
    }

    // `compare` writes the same figures to equity.csv; `evaluate` fills the "before" columns only.
    let out = before.parent().unwrap().join("out");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan")).env("ACCESSPLAN_NO_CACHE", "1").args(args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run(&["compare", before.to_str().unwrap(), after.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
    let csv = std::fs::read_to_string(out.join("equity.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with(
            "grouping,group,label,residents,mode,threshold_min,share_within_before,share_within_after,change_points,mean_min_before,mean_min_after"
        )
    );
    let line = csv.lines().find(|l| l.starts_with("deprivation_decile,1,") && l.contains(",car-offpeak,")).unwrap();
    assert!(line.starts_with("deprivation_decile,1,1 (most deprived 10%),700,car-offpeak,3,0.0000,1.0000,100.00,5.00,1.67,"), "{line}");
    assert!(line.ends_with(",0,700"), "{line}");
    let out2 = before.parent().unwrap().join("out-eval");
    run(&["evaluate", before.to_str().unwrap(), "--out", out2.to_str().unwrap(), "--quiet"]);
    let csv = std::fs::read_to_string(out2.join("equity.csv")).unwrap();
    let line = csv.lines().find(|l| l.starts_with("deprivation_decile,1,") && l.contains(",car-offpeak,")).unwrap();
    assert!(line.starts_with("deprivation_decile,1,1 (most deprived 10%),700,car-offpeak,3,0.0000,,,5.00,,"), "{line}");
    std::fs::remove_dir_all(before.parent().unwrap()).ok();
}

#[test]
fn a_grouping_on_a_column_the_zones_lack_names_the_key_and_lists_what_they_carry() {
    let (before, _) = fixture("bad");
    let text = std::fs::read_to_string(&before).unwrap().replace("column = \"pct_no_car\"", "column = \"pct_no_van\"");
    std::fs::write(&before, text).unwrap();
    let study = Study::open(&before, &accessplan::progress::Progress::new()).unwrap();
    let e = study.groupings(&study.file, &before).unwrap_err().to_string();
    assert!(e.contains("equity.group[3].column") && e.contains("'pct_no_van'") && e.contains("imd_decile, pct_no_car"), "{e}");
    std::fs::remove_dir_all(before.parent().unwrap()).ok();
}

#[test]
fn a_group_with_one_to_four_residents_affected_shows_less_than_five() {
    let (before, after) = fixture("suppress");
    let dir = before.parent().unwrap().to_path_buf();
    // Z1, the least deprived decile, now holds 3 residents: all 3 get a journey 3.3 minutes longer.
    let zones = std::fs::read_to_string(dir.join("zones.csv")).unwrap().replace("Z1,0,0.000899322,100,", "Z1,0,0.000899322,3,");
    std::fs::write(dir.join("zones.csv"), zones).unwrap();
    let run = |out: &str, extra: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_accessplan"))
            .env("ACCESSPLAN_NO_CACHE", "1")
            .args(["compare", before.to_str().unwrap(), after.to_str().unwrap(), "--out", dir.join(out).to_str().unwrap(), "--quiet"])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (std::fs::read_to_string(dir.join(out).join("equity.csv")).unwrap(), std::fs::read_to_string(dir.join(out).join("report.html")).unwrap())
    };
    let (csv, html) = run("published", &[]);
    let line = csv.lines().find(|l| l.starts_with("deprivation_decile,10,") && l.contains(",car-offpeak,")).unwrap();
    assert!(line.starts_with("deprivation_decile,10,10 (least deprived 10%),3,car-offpeak,") && line.ends_with(",<5,0"), "{line}");
    // In the report's decile table, the same row reads "<5" in its "Longer" cell.
    let table = &html[html.find("data-grouping=\"deprivation_decile\"").unwrap()..];
    let row = &table[table.find("<tr data-group=\"10\">").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<td class=\"n\">&lt;5</td>"), "{row}");
    assert!(html.contains("Equality impact") && html.contains("Core20 (most deprived 20%)"));
    // Without suppression the count is shown.
    let (csv, _) = run("internal", &["--no-suppression"]);
    let line = csv.lines().find(|l| l.starts_with("deprivation_decile,10,") && l.contains(",car-offpeak,")).unwrap();
    assert!(line.ends_with(",3,0"), "{line}");
    std::fs::remove_dir_all(&dir).ok();
}
