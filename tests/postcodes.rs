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
