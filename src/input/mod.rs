//! Readers for the files planners have: one module per format, plus
//! [`sniff`], which tells what a file is and guesses its fields for every
//! caller. Parsing and validation only; every error names the file, the
//! record and the field.

//!
//! GeoJSON and CSV, the two formats zones, sites and localities come in, are
//! read by [`geojson`] and [`csv_table`]; [`text`] holds what every reader
//! shares (a file's text, numbers as people type them), and this module the
//! checks every loader makes on its records (duplicate ids, and how their
//! places are listed in a message).

use std::collections::BTreeMap;

use crate::error::Location;

pub mod code_table;
pub mod contacts;
pub mod crs;
pub mod csv_table;
pub mod geojson;
pub mod inspect;
pub mod joins;
pub mod localities;
pub mod osm;
pub mod postcodes;
pub mod sites;
pub mod sniff;
pub mod text;
pub mod toml_text;
pub mod zones;

/// Lists locations for a message: the first five, then how many more.
pub fn list_locations(locs: &[Location]) -> String {
    let mut parts: Vec<String> = locs.iter().take(5).map(ToString::to_string).collect();
    if locs.len() > 5 {
        parts.push(format!("and {} more", locs.len() - 5));
    }
    parts.join(", ")
}

/// Find duplicate identifiers: for each id seen more than once, the locations of every occurrence.
pub fn duplicates<'a>(ids: impl IntoIterator<Item = (&'a str, Location)>) -> Vec<(String, Vec<Location>)> {
    let mut seen: BTreeMap<&str, Vec<Location>> = BTreeMap::new();
    let mut order = Vec::new();
    for (id, loc) in ids {
        let e = seen.entry(id).or_default();
        if e.is_empty() {
            order.push(id);
        }
        e.push(loc);
    }
    order.into_iter().filter_map(|id| seen.get(id).filter(|l| l.len() > 1).map(|l| (id.to_string(), l.clone()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_duplicates_with_all_their_places() {
        let d = duplicates([("a", Location::Line(2)), ("b", Location::Line(3)), ("a", Location::Line(5))]);
        assert_eq!(d, vec![("a".to_string(), vec![Location::Line(2), Location::Line(5)])]);
    }
}
