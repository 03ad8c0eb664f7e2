//! Census tables joined to zones by code, on the national downloads as
//! planners get them: population from the Nomis KS101EW file (titles and
//! footnotes around 181,408 rows), deprivation and car availability through
//! the LSOAs and MSOAs that contain each output area.

use std::collections::HashSet;

use accessplan::input::code_table::read_code_table;
use accessplan::input::crs::CrsChoice;
use accessplan::input::joins::{AreasRef, TableJoin, join_attributes, join_population, table};
use accessplan::input::zones::{ZoneOptions, load_zones};
use accessplan::model::Zone;
use accessplan::testdata::shared_file;

fn oa_zones(place: &str) -> Option<Vec<Zone>> {
    let oa = shared_file(&format!("{place}/boundaries/oa.geojson"))?;
    Some(load_zones(&oa, &ZoneOptions::new("OA11CD")).unwrap().0)
}

#[test]
fn nomis_national_table_joins_every_newport_and_medway_output_area() {
    let Some(national) = shared_file("census/ks101ew_oa11_usual_residents_2011_ew_nomis.csv") else { return };
    let t = read_code_table(&national).unwrap();
    assert_eq!(t.rows.len(), 181_408);
    assert_eq!(t.headers, vec!["2011 output area", "2011"]);
    assert_eq!((t.title_lines, t.footnote_lines), (6, 4), "the download's title and footnote lines");
    for (place, n, total) in [("newport", 475, 145_736.0), ("medway", 826, 263_925.0)] {
        let Some(mut zones) = oa_zones(place) else { return };
        let (note, warnings) = join_population(&mut zones, &table(&national)).unwrap();
        assert_eq!((note.matched(), note.zones), (n, n), "{place}: {note}");
        assert_eq!(note.code_column, "2011 output area");
        assert_eq!(note.columns, vec!["2011"]);
        assert_eq!(note.totals, vec![total]);
        assert_eq!(zones.iter().map(|z| z.population).sum::<f64>(), total);
        assert_eq!(note.rows_unused, 181_408 - n);
        assert!(warnings.is_empty(), "{warnings:?}");
        let text = note.to_string();
        assert!(text.contains(&format!("{n} of {n} zones")) && text.contains("skipped 6 title line(s) and 4 footnote line(s)"), "{text}");
    }
}

#[test]
fn lsoa_population_for_output_areas_is_refused_naming_both_geographies() {
    let (Some(mut zones), Some(lsoa)) = (oa_zones("newport"), shared_file("newport/population/lsoa11_usual_residents_2021.csv")) else { return };
    let e = join_population(&mut zones, &table(&lsoa)).unwrap_err();
    assert!(e.message.contains("LSOA codes (W01...)") && e.message.contains("output area codes (W00...)"), "{e}");
    assert_eq!(e.file, lsoa);
}

#[test]
fn deprivation_and_car_availability_reach_output_areas_through_their_lsoa_and_msoa() {
    let Some(mut zones) = oa_zones("newport") else { return };
    let (Some(wimd), Some(lsoa), Some(cars), Some(msoa)) = (
        shared_file("newport/deprivation/wimd2019_lsoa11.csv"),
        shared_file("newport/boundaries/lsoa.geojson"),
        shared_file("newport/car_availability_msoa11_2011.csv"),
        shared_file("newport/boundaries/msoa.geojson"),
    ) else {
        return;
    };
    let via =
        |t: &std::path::Path, a: &std::path::Path, id: &str| TableJoin { areas: Some(AreasRef { path: a.to_path_buf(), id_field: id.into() }), ..table(t) };
    let (note, warnings) = join_attributes(&mut zones, &via(&wimd, &lsoa, "LSOA11CD"), CrsChoice::Auto).unwrap();
    assert_eq!(note.matched(), 475, "{note} {warnings:?}");
    assert_eq!(note.code_column, "LSOA11CD");
    assert!(note.columns.iter().any(|c| c == "wimd_rank"), "{:?}", note.columns);
    // Every OA of an LSOA carries the LSOA's rank: 95 distinct ranks in all.
    let ranks: HashSet<u64> = zones.iter().map(|z| z.weights["wimd_rank"] as u64).collect();
    assert_eq!(ranks.len(), 95);
    let (note, _) = join_attributes(&mut zones, &via(&cars, &msoa, "MSOA11CD"), CrsChoice::Auto).unwrap();
    assert_eq!(note.matched(), 475, "{note}");
    let share = zones.iter().map(|z| z.weights["pct_households_no_car_or_van_2011"]).fold(0.0f64, f64::max);
    assert!(share > 40.0 && share < 70.0, "the highest share of households without a car: {share}");
}
