//! Residents by age band: the census age-band columns joined to the zones
//! (`age_0_15`, `age_16_24`, ..., `age_65_plus`, as the Census 2021 table
//! names them) turned into each zone's residents per band.
//!
//! The bands are read as shares of their own sum and applied to the zone's
//! population, so a table of larger areas (LSOA bands joined to output
//! areas, where every zone carries its area's counts) gives each zone its
//! area's age profile, and the bands of a zone always add up to its
//! residents, whatever year the population comes from.

use crate::model::Zone;

/// The prefix of an age-band column.
pub const AGE_PREFIX: &str = "age_";

/// The age-band columns joined to the zones, youngest first
/// (ordered by the first age in the name: `age_0_15` before `age_16_24`,
/// `age_65_plus` last). Empty when the zones carry none.
pub fn age_band_columns(zones: &[Zone]) -> Vec<String> {
    let mut cols: Vec<String> =
        zones.iter().flat_map(|z| z.weights.keys()).filter(|k| is_age_band(k)).cloned().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    cols.sort_by_key(|c| (band_start(c).unwrap_or(u32::MAX), c.clone()));
    cols
}

/// Whether a column name is an age band (`age_` then a number).
pub fn is_age_band(name: &str) -> bool {
    band_start(name).is_some()
}

/// The first age of a band's name (`age_16_24` -> 16, `age_65_plus` -> 65).
pub fn band_start(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(AGE_PREFIX)?;
    rest.split(['_', '-']).next()?.parse().ok()
}

/// A band's name for people: `age_16_24` -> "16-24", `age_65_plus` -> "65+".
pub fn band_label(name: &str) -> String {
    let rest = name.strip_prefix(AGE_PREFIX).unwrap_or(name);
    let parts: Vec<&str> = rest.split(['_', '-']).collect();
    match parts.as_slice() {
        [a, "plus"] => format!("{a}+"),
        [a, b] => format!("{a}-{b}"),
        _ => rest.replace('_', " "),
    }
}

/// The zone's residents in each of `columns` (its population shared out by
/// the bands' proportions), or `None` when the zone lacks a band or its
/// bands sum to nothing.
pub fn band_residents(zone: &Zone, columns: &[String]) -> Option<Vec<f64>> {
    let counts: Vec<f64> = columns.iter().map(|c| zone.weights.get(c).copied()).collect::<Option<_>>()?;
    if counts.iter().any(|c| !c.is_finite() || *c < 0.0) {
        return None;
    }
    let sum: f64 = counts.iter().sum();
    (sum > 0.0).then(|| counts.iter().map(|c| zone.population * c / sum).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::LonLat;

    fn zone(pop: f64, bands: &[(&str, f64)]) -> Zone {
        Zone {
            id: "Z".into(),
            population: pop,
            point: LonLat::new(0.0, 0.0),
            polygons: Vec::new(),
            locality: None,
            weights: bands.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            categories: Default::default(),
        }
    }

    #[test]
    fn bands_share_out_the_zone_population() {
        // An output area of 300 residents in an LSOA of 1,500 with 20% aged 65+.
        let cols = vec!["age_0_64".to_string(), "age_65_plus".to_string()];
        let z = zone(300.0, &[("age_0_64", 1200.0), ("age_65_plus", 300.0)]);
        assert_eq!(band_residents(&z, &cols), Some(vec![240.0, 60.0]));
        assert_eq!(band_residents(&zone(300.0, &[("age_0_64", 5.0)]), &cols), None, "a missing band");
        assert_eq!(band_residents(&zone(300.0, &[("age_0_64", 0.0), ("age_65_plus", 0.0)]), &cols), None);
    }

    #[test]
    fn band_names_read_as_ages() {
        assert_eq!(band_start("age_16_24"), Some(16));
        assert_eq!(band_start("age_65_plus"), Some(65));
        assert_eq!(band_start("agency"), None);
        assert_eq!(band_start("age_group"), None);
        assert_eq!(band_label("age_16_24"), "16-24");
        assert_eq!(band_label("age_65_plus"), "65+");
    }
}
