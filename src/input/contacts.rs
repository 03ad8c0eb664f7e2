//! Patient contacts: how many contacts a year people from each zone have
//! with each service, and where they are seen today
//! (`zone_id,service,current_site,contacts_per_year`). Rows that cannot be
//! used (unknown zone, service or site; a count that is not a positive
//! number) are left out and reported, and the rest load.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{InputError, Location, Warning};
use crate::geom::Extent;
use crate::input::csv_table::read_csv_table;
use crate::input::localities::ring_contains;
use crate::input::postcodes::{POSTCODE_NAMES, PostcodeLookup};
use crate::model::Zone;

/// One row of the contacts file.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// Index of the origin zone in the region's zones.
    pub zone: usize,
    /// Service id.
    pub service: String,
    /// Index of the site where the patient is seen today.
    pub current_site: usize,
    /// Contacts per year.
    pub contacts_per_year: f64,
    /// The file line it came from.
    pub line: u64,
}

/// Reads a contacts CSV, resolving zone and site ids against the region and
/// service ids against `services`. Returns the usable rows and one warning
/// per rejected row.
pub fn load_contacts(path: &Path, zone_ids: &[&str], site_ids: &[&str], services: &[&str]) -> Result<(Vec<Contact>, Vec<Warning>), InputError> {
    let t = read_csv_table(path)?;
    let c_zone = t.require_column("zone_id", &["zone", "origin_zone"])?;
    let zone_of: HashMap<&str, usize> = zone_ids.iter().enumerate().map(|(i, z)| (*z, i)).collect();
    read_rows(
        &t,
        |r| {
            let z = t.value(r, c_zone);
            zone_of.get(z).copied().ok_or_else(|| (t.header(c_zone).to_string(), format!("zone '{z}' is not in the zones file")))
        },
        site_ids,
        services,
    )
}

/// [`load_contacts`] for a file that may give each patient's postcode
/// instead of a zone (`postcode` column, no `zone_id`): the postcode is
/// placed through the lookup and the contact counts in the zone whose
/// polygon holds it. Rows whose postcode is unknown, terminated or in no
/// zone are left out and reported with their line.
pub fn load_contacts_with_postcodes(
    path: &Path,
    zones: &[Zone],
    site_ids: &[&str],
    services: &[&str],
    postcodes: Option<&PostcodeLookup>,
) -> Result<(Vec<Contact>, Vec<Warning>), InputError> {
    let t = read_csv_table(path)?;
    let (Some(c_pc), None) = (t.find_column(POSTCODE_NAMES), t.find_column(&["zone_id", "zone", "origin_zone"])) else {
        let ids: Vec<&str> = zones.iter().map(|z| z.id.as_str()).collect();
        return load_contacts(path, &ids, site_ids, services);
    };
    let Some(lookup) = postcodes else {
        return Err(InputError::at(
            path,
            Location::Line(1),
            Some(t.header(c_pc)),
            "the contacts give postcodes, not zones: give a postcode lookup (Code-Point Open, ONSPD or NSPL CSV) to place them",
        ));
    };
    let boxes: Vec<Option<Extent>> = zones.iter().map(|z| Extent::of(z.polygons.iter().flatten().copied())).collect();
    read_rows(
        &t,
        |r| {
            let pc = t.value(r, c_pc);
            let field = t.header(c_pc).to_string();
            let p = lookup.resolve(pc).map_err(|problem| (field.clone(), format!("postcode '{pc}' {problem}")))?;
            zones
                .iter()
                .zip(&boxes)
                .position(|(z, b)| b.is_some_and(|b| b.contains(p)) && z.polygons.iter().any(|ring| ring_contains(ring, p)))
                .ok_or_else(|| (field, format!("postcode '{pc}' lies in none of the zones")))
        },
        site_ids,
        services,
    )
}

/// The rows of a contacts table, each zone found by `zone_of` (or the
/// field and reason it cannot be).
fn read_rows(
    t: &crate::input::csv_table::CsvTable,
    zone_of: impl Fn(&crate::input::csv_table::CsvRow) -> Result<usize, (String, String)>,
    site_ids: &[&str],
    services: &[&str],
) -> Result<(Vec<Contact>, Vec<Warning>), InputError> {
    let path = t.path.as_path();
    let c_service = t.require_column("service", &["service_id"])?;
    let c_site = t.require_column("current_site", &["site", "site_id"])?;
    let c_count = t.require_column("contacts_per_year", &["contacts", "count"])?;
    if t.rows.is_empty() {
        return Err(t.no_rows());
    }
    let site_of: HashMap<&str, usize> = site_ids.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut rows = Vec::with_capacity(t.rows.len());
    let mut warnings = Vec::new();
    for r in &t.rows {
        let reject = |field: &str, msg: String| Warning {
            file: path.to_path_buf(),
            location: Location::Line(r.line),
            message: format!("field '{field}': {msg}; row left out"),
        };
        let zone = match zone_of(r) {
            Ok(z) => z,
            Err((field, msg)) => {
                warnings.push(reject(&field, msg));
                continue;
            }
        };
        let s = t.value(r, c_site);
        let Some(&current_site) = site_of.get(s) else {
            warnings.push(reject(t.header(c_site), format!("site '{s}' is not in the sites file")));
            continue;
        };
        let service = t.value(r, c_service);
        if !services.contains(&service) {
            warnings.push(reject(t.header(c_service), format!("service '{service}' is not in the scenario's services")));
            continue;
        }
        let n = match t.f64_at(r, c_count) {
            Ok(n) if n >= 0.0 && n.is_finite() => n,
            Ok(n) => {
                warnings.push(reject(t.header(c_count), format!("{n} is negative")));
                continue;
            }
            Err(e) => {
                warnings.push(reject(t.header(c_count), e.message));
                continue;
            }
        };
        rows.push(Contact { zone, service: service.to_string(), current_site, contacts_per_year: n, line: r.line });
    }
    Ok((rows, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_rows_are_reported_and_the_rest_load() {
        let dir = std::env::temp_dir().join(format!("accessplan-contacts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("contacts.csv");
        std::fs::write(&p, "zone_id,service,current_site,contacts_per_year\nZ1,phlebotomy,S1,12\nZ9,phlebotomy,S1,3\nZ1,podiatry,S7,2\nZ2,phlebotomy,S2,-4\nZ2,juggling,S2,1\nZ2,phlebotomy,S2,many\n").unwrap();
        let (rows, w) = load_contacts(&p, &["Z1", "Z2"], &["S1", "S2"], &["phlebotomy", "podiatry"]).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].zone, rows[0].current_site, rows[0].contacts_per_year), (0, 0, 12.0));
        let msgs: Vec<String> = w.iter().map(|w| w.to_string()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:?}");
        assert!(msgs[0].contains("line 3") && msgs[0].contains("zone 'Z9'"), "{}", msgs[0]);
        assert!(msgs[1].contains("line 4") && msgs[1].contains("site 'S7'"));
        assert!(msgs[2].contains("line 5") && msgs[2].contains("contacts_per_year") && msgs[2].contains("negative"));
        assert!(msgs[3].contains("line 6") && msgs[3].contains("juggling"));
        assert!(msgs[4].contains("line 7") && msgs[4].contains("many"), "{}", msgs[4]);
        std::fs::remove_dir_all(&dir).ok();
    }
}
