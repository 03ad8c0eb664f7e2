//! Sites placed from their postcode alone through the OS Code-Point Open
//! lookups in `../shared/data`: every Newport and Medway GP practice lands
//! within 100 m of the point the shared files give, and a postcode the
//! lookup does not know is listed with its line, not dropped in silence.

use accessplan::geom::haversine_m;
use accessplan::input::crs::CrsChoice;
use accessplan::input::postcodes::PostcodeLookup;
use accessplan::input::sites::{load_sites, load_sites_by_postcode};
use accessplan::testdata::{shared_file, temp_file};

/// The practices file with its coordinate columns removed and the postcodes
/// respaced and lower-cased, as a planner's own list might come.
fn postcodes_only(text: &str) -> String {
    let mut out = String::from("id,name,postcode\n");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (id, name, pc) = (col("id"), col("name"), col("postcode"));
    for l in lines {
        let v: Vec<&str> = l.split(',').collect();
        out.push_str(&format!("{},\"{}\",{}\n", v[id], v[name], v[pc].to_lowercase().replace(' ', "")));
    }
    out
}

#[test]
fn every_gp_practice_resolves_from_its_postcode_within_100_m() {
    for (place, lookup, n) in [("newport", "newport/postcodes_NP.csv", 17), ("medway", "medway/postcodes_ME.csv", 38)] {
        let (Some(practices), Some(lookup)) = (shared_file(&format!("{place}/gp_practices.csv")), shared_file(lookup)) else { return };
        let lookup = PostcodeLookup::load(&lookup).unwrap();
        let (given, _) = load_sites(&practices, CrsChoice::Auto).unwrap();
        assert_eq!(given.len(), n);
        let text = std::fs::read_to_string(&practices).unwrap();
        let bare = temp_file("postcodes", &format!("{place}.csv"), &postcodes_only(&text));
        assert!(load_sites(&bare, CrsChoice::Auto).unwrap_err().message.contains("postcode lookup"));
        let (placed, warnings) = load_sites_by_postcode(&bare, CrsChoice::Auto, Some(&lookup)).unwrap();
        assert_eq!(placed.len(), n, "{place}: {warnings:?}");
        for (a, b) in given.iter().zip(&placed) {
            assert_eq!(a.id, b.id);
            let d = haversine_m(a.point, b.point);
            assert!(d < 100.0, "{place} {}: {d:.0} m from the given point", a.id);
        }
    }
}

#[test]
fn unknown_and_blank_postcodes_are_listed_by_line() {
    let Some(lookup) = shared_file("newport/postcodes_NP.csv") else { return };
    let lookup = PostcodeLookup::load(&lookup).unwrap();
    let sites =
        temp_file("postcodes", "mixed.csv", "id,name,postcode,lon,lat\na,Given,,-2.99,51.58\nb,By postcode,NP20 4EJ,,\nc,Unknown,ZZ99 9ZZ,,\nd,Nothing,,,\n");
    let (placed, warnings) = load_sites_by_postcode(&sites, CrsChoice::Auto, Some(&lookup)).unwrap();
    assert_eq!(placed.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
    let w = warnings.iter().find(|w| w.message.contains("could not be placed")).expect("a warning listing the sites left out");
    assert!(
        w.message.contains("2 site(s)") && w.message.contains("line 4 'c': ZZ99 9ZZ not in the postcode lookup") && w.message.contains("line 5 'd'"),
        "{w}"
    );
}

#[test]
fn contacts_given_by_postcode_count_in_the_output_area_holding_it() {
    use accessplan::input::contacts::load_contacts_with_postcodes;
    use accessplan::input::zones::{ZoneOptions, load_zones};
    let (Some(lookup_path), Some(oa)) = (shared_file("newport/postcodes_NP.csv"), shared_file("newport/boundaries/oa.geojson")) else { return };
    let lookup = PostcodeLookup::load(&lookup_path).unwrap();
    let zones = load_zones(&oa, &ZoneOptions::new("OA11CD")).unwrap().0;
    // The lookup says which output area each postcode lies in: the contacts must land there.
    let text = std::fs::read_to_string(&lookup_path).unwrap();
    let inside: Vec<(String, String)> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|v| v.len() > 12 && !v[12].is_empty())
        .map(|v| (v[0].to_string(), v[12].to_string()))
        .collect();
    let expected: Vec<(String, String)> = inside.iter().step_by(inside.len() / 20).take(20).cloned().collect();
    assert_eq!(expected.len(), 20);
    let mut csv = String::from("postcode,service,current_site,contacts_per_year\n");
    for (pc, _) in &expected {
        csv.push_str(&format!("{},phlebotomy,S1,4\n", pc.to_lowercase()));
    }
    csv.push_str("ZZ99 9ZZ,phlebotomy,S1,4\n");
    let contacts = temp_file("postcodes", "contacts.csv", &csv);
    let e = load_contacts_with_postcodes(&contacts, &zones, &["S1"], &["phlebotomy"], None).unwrap_err();
    assert!(e.message.contains("postcode lookup"), "{e}");
    let (rows, warnings) = load_contacts_with_postcodes(&contacts, &zones, &["S1"], &["phlebotomy"], Some(&lookup)).unwrap();
    assert_eq!(rows.len(), 20, "{warnings:?}");
    for (row, (pc, oa)) in rows.iter().zip(&expected) {
        assert_eq!(&zones[row.zone].id, oa, "{pc}");
    }
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].to_string().contains("line 22") && warnings[0].message.contains("'ZZ99 9ZZ' not in the postcode lookup"), "{}", warnings[0]);
}
