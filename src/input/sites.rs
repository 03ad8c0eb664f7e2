//! Candidate sites (health centres, clinics, hospitals) from CSV or GeoJSON.
//!
//! CSV: required columns `id`, `name` and coordinates (`lon`/`lat`, or
//! `easting`/`northing` for British National Grid, or `x`/`y`); optional
//! `kind`, `status` (`existing` or `planned`), `locality` and `capacity`
//! (contacts per year). Column names ignore case; other columns (`note`, ...)
//! are ignored. GeoJSON: Point features with the same property names (the
//! feature's own `id` member stands in for a missing `id` property).
//!
//! A blank `status` means `existing` (reported in one warning); any other
//! value than `existing`/`planned` is an error. A blank `capacity` means
//! unknown; a blank `kind` means `site`.

use std::path::Path;

use crate::error::{InputError, Location, Warning};
use crate::geom::LonLat;
use crate::input;
use crate::input::crs::CrsChoice;
use crate::input::csv_table;
use crate::input::geojson::{self, GeometryIn};
use crate::input::postcodes::{POSTCODE_NAMES, PostcodeLookup};
use crate::input::sniff::{self, TableFormat};
use crate::input::zones::{list, representative_point};
use crate::model::{Site, SiteStatus};

/// The kind given to sites whose `kind` is blank or absent.
pub const DEFAULT_KIND: &str = "site";

/// Load candidate sites from a CSV or GeoJSON file.
///
/// Errors name the file, line or feature and field: a missing required
/// column, a blank id, a non-numeric coordinate, an unknown status, a
/// negative capacity, a duplicate id.
pub fn load_sites(path: &Path, crs: CrsChoice) -> Result<(Vec<Site>, Vec<Warning>), InputError> {
    load_sites_by_postcode(path, crs, None)
}

/// [`load_sites`], placing CSV rows without coordinates by their `postcode`
/// through a lookup. A site whose postcode cannot be placed (unknown,
/// terminated, without coordinates) is left out and listed in a warning with
/// its line.
pub fn load_sites_by_postcode(path: &Path, crs: CrsChoice, postcodes: Option<&PostcodeLookup>) -> Result<(Vec<Site>, Vec<Warning>), InputError> {
    let (sites, mut warnings, blank_status) = match sniff::table_format(path)? {
        TableFormat::Csv => sites_from_csv(path, crs, postcodes)?,
        TableFormat::GeoJson => sites_from_geojson(path, crs)?,
    };
    if sites.is_empty() {
        return Err(InputError::file(path, "the file holds no sites"));
    }
    let dups = input::duplicates(sites.iter().map(|(s, loc)| (s.id.as_str(), loc.clone())));
    if let Some((id, locs)) = dups.first() {
        let places = input::list_locations(locs);
        return Err(InputError::at(path, locs[1].clone(), Some("id"), format!("site id '{id}' is used more than once ({}); site ids must be unique", places)));
    }
    if !blank_status.is_empty() {
        warnings.push(Warning {
            file: path.to_path_buf(),
            location: Location::File,
            message: format!("{} site(s) have a blank status and are taken as existing: {}", blank_status.len(), list(&blank_status)),
        });
    }
    Ok((sites.into_iter().map(|(s, _)| s).collect(), warnings))
}

/// Parse a status: `existing` or `planned` (any case); blank gives `None`.
pub fn parse_status(s: &str) -> Result<Option<SiteStatus>, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "existing" => Ok(Some(SiteStatus::Existing)),
        "planned" => Ok(Some(SiteStatus::Planned)),
        other => Err(format!("status '{other}' is not understood; use 'existing' or 'planned'")),
    }
}

/// Sites with where each was read, warnings, and ids with a blank status.
type Loaded = (Vec<(Site, Location)>, Vec<Warning>, Vec<String>);

fn check_capacity(path: &Path, loc: &Location, field: &str, cap: Option<f64>) -> Result<Option<f64>, InputError> {
    match cap {
        Some(c) if c < 0.0 => Err(InputError::at(path, loc.clone(), Some(field), format!("capacity {c} is negative"))),
        other => Ok(other),
    }
}

fn sites_from_csv(path: &Path, crs: CrsChoice, postcodes: Option<&PostcodeLookup>) -> Result<Loaded, InputError> {
    let table = csv_table::read_csv_table(path)?;
    let id_col = table.require_column("id", &[])?;
    let name_col = table.require_column("name", &[])?;
    let postcode_col = table.find_column(POSTCODE_NAMES);
    let coords = match (csv_table::coordinate_columns(&table), postcode_col, postcodes) {
        (Ok(c), _, _) => Some(c),
        (Err(_), Some(_), Some(_)) => None,
        (Err(_), Some(c), None) => {
            return Err(InputError::at(
                path,
                Location::Line(1),
                Some(table.header(c)),
                "the sites have postcodes but no coordinates: give a postcode lookup (Code-Point Open, ONSPD or NSPL CSV) to place them",
            ));
        }
        (Err(e), None, _) => return Err(e),
    };
    if table.rows.is_empty() {
        return Err(table.no_rows());
    }
    let kind_col = table.find_column(&["kind", "type"]);
    let status_col = table.find_column(&["status"]);
    let locality_col = table.find_column(&["locality"]);
    let capacity_col = table.find_column(&["capacity"]);
    let mut warnings = Vec::new();
    let mut blank_status = Vec::new();
    let mut rows = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let loc = Location::Line(row.line);
        let id = table.value(row, id_col).to_string();
        if id.is_empty() {
            return Err(InputError::at(path, loc, Some(table.header(id_col)), "the site id is blank"));
        }
        let mut name = table.value(row, name_col).to_string();
        if name.is_empty() {
            warnings.push(Warning {
                file: path.to_path_buf(),
                location: loc.clone(),
                message: format!("site '{id}' has a blank name; its id is used as its name"),
            });
            name = id.clone();
        }
        let kind = kind_col.map(|c| table.value(row, c)).filter(|k| !k.is_empty()).unwrap_or(DEFAULT_KIND).to_string();
        let status = match status_col {
            Some(c) => parse_status(table.value(row, c)).map_err(|m| InputError::at(path, loc.clone(), Some(table.header(c)), m))?,
            None => Some(SiteStatus::Existing),
        };
        let status = status.unwrap_or_else(|| {
            blank_status.push(id.clone());
            SiteStatus::Existing
        });
        let locality = locality_col.map(|c| table.value(row, c)).filter(|l| !l.is_empty()).map(str::to_string);
        let capacity = match capacity_col {
            Some(c) => check_capacity(path, &loc, table.header(c), table.opt_f64_at(row, c)?)?,
            None => None,
        };
        rows.push((Site { status, locality, capacity, ..Site::from_input(id, name, LonLat::new(0.0, 0.0), kind) }, loc));
    }
    // Rows with coordinates are converted together (the system is decided on
    // all of them); rows without are placed by postcode when there is a lookup.
    let has_coords = |row: &csv_table::CsvRow| coords.is_some_and(|c| !(table.value(row, c.x).is_empty() && table.value(row, c.y).is_empty()));
    let by_postcode = |row: &csv_table::CsvRow| postcodes.is_some() && postcode_col.is_some() && !has_coords(row);
    if let Some(c) = coords {
        let with: Vec<csv_table::CsvRow> = table.rows.iter().filter(|r| !by_postcode(r)).cloned().collect();
        let sub = csv_table::CsvTable { rows: with, ..table.clone() };
        let (_, points) = csv_table::csv_points(&sub, c, crs)?;
        let mut points = points.into_iter();
        for ((site, _), row) in rows.iter_mut().zip(&table.rows) {
            if !by_postcode(row) {
                site.point = points.next().unwrap_or(site.point);
            }
        }
    }
    let mut unplaced = Vec::new();
    if let (Some(lookup), Some(pc)) = (postcodes, postcode_col) {
        let mut kept = Vec::with_capacity(rows.len());
        for ((mut site, loc), row) in rows.into_iter().zip(&table.rows) {
            if !by_postcode(row) {
                kept.push((site, loc));
                continue;
            }
            let code = table.value(row, pc);
            match lookup.resolve(code) {
                Ok(p) => {
                    site.point = p;
                    kept.push((site, loc));
                }
                Err(_) if code.is_empty() => unplaced.push(format!("line {} '{}' (no coordinates and no postcode)", row.line, site.id)),
                Err(problem) => unplaced.push(format!("line {} '{}': {code} {problem}", row.line, site.id)),
            }
        }
        rows = kept;
        if !unplaced.is_empty() {
            warnings.push(Warning {
                file: path.to_path_buf(),
                location: Location::File,
                message: format!(
                    "{} site(s) could not be placed by postcode through {} and are left out: {}",
                    unplaced.len(),
                    lookup.path.display(),
                    unplaced.join("; ")
                ),
            });
        }
    }
    Ok((rows, warnings, blank_status))
}

fn sites_from_geojson(path: &Path, crs: CrsChoice) -> Result<Loaded, InputError> {
    let feats = geojson::read_feature_collection(path, crs)?;
    let mut out = Vec::with_capacity(feats.len());
    let mut warnings = Vec::new();
    let mut blank_status = Vec::new();
    for f in &feats {
        let loc = Location::Feature(f.index);
        let id = match (f.has_property("id"), &f.id) {
            (false, Some(id)) => id.clone(),
            _ => f.str_property(path, "id")?,
        };
        let name = match f.opt_str_property(path, "name")? {
            Some(n) => n,
            None => {
                warnings.push(Warning {
                    file: path.to_path_buf(),
                    location: loc.clone(),
                    message: format!("site '{id}' has a blank name; its id is used as its name"),
                });
                id.clone()
            }
        };
        let opt = |field: &str| if f.has_property(field) { f.opt_str_property(path, field) } else { Ok(None) };
        let kind = opt("kind")?.unwrap_or_else(|| DEFAULT_KIND.to_string());
        let status = match opt("status")? {
            Some(s) => parse_status(&s).map_err(|m| InputError::at(path, loc.clone(), Some("status"), m))?,
            None if f.has_property("status") => None,
            None => Some(SiteStatus::Existing),
        };
        let status = status.unwrap_or_else(|| {
            blank_status.push(id.clone());
            SiteStatus::Existing
        });
        let locality = opt("locality")?;
        let capacity = if f.has_property("capacity") { check_capacity(path, &loc, "capacity", f.opt_f64_property(path, "capacity")?)? } else { None };
        let point = match &f.geometry {
            GeometryIn::Point(p) => *p,
            GeometryIn::Polygons(ps) => {
                let p = representative_point(ps)
                    .ok_or_else(|| InputError::at(path, loc.clone(), Some("geometry"), format!("site '{id}': the polygon has no area")))?;
                warnings.push(Warning {
                    file: path.to_path_buf(),
                    location: loc.clone(),
                    message: format!("site '{id}' is a polygon; a point inside it is used"),
                });
                p
            }
            GeometryIn::None => return Err(InputError::at(path, loc, Some("geometry"), format!("site '{id}' has no geometry; a site needs a location"))),
            _ => return Err(InputError::at(path, loc, Some("geometry"), format!("site '{id}' is a {}; a site must be a Point", f.geometry_type))),
        };
        out.push((Site { status, locality, capacity, ..Site::from_input(id, name, point, kind) }, loc));
    }
    Ok((out, warnings, blank_status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, text: &str) -> std::path::PathBuf {
        crate::testdata::temp_file("sites", name, text)
    }

    #[test]
    fn csv_optional_columns() {
        let p = temp("s.csv", "ID,Name,Lat,Lon,Status,Capacity,note\na,A,51.5,-3.0,Planned,1200,x\nb,,51.6,-3.1,,,\n");
        let (s, w) = load_sites(&p, CrsChoice::Auto).unwrap();
        assert_eq!(s[0].point, LonLat::new(-3.0, 51.5));
        assert_eq!((s[0].status, s[0].capacity, s[0].kind.as_str()), (SiteStatus::Planned, Some(1200.0), "site"));
        assert_eq!((s[1].name.as_str(), s[1].status, s[1].capacity), ("b", SiteStatus::Existing, None));
        assert_eq!(w.len(), 2, "{w:?}");
    }

    #[test]
    fn bad_status_and_capacity() {
        let p = temp("st.csv", "id,name,lon,lat,status\na,A,-3,51.5,closed\n");
        let e = load_sites(&p, CrsChoice::Auto).unwrap_err();
        assert_eq!((e.location, e.field.as_deref()), (Location::Line(2), Some("status")));
        let p = temp("cap.csv", "id,name,lon,lat,capacity\na,A,-3,51.5,lots\n");
        let e = load_sites(&p, CrsChoice::Auto).unwrap_err();
        assert_eq!((&e.location, e.field.as_deref()), (&Location::Line(2), Some("capacity")));
        assert!(e.message.contains("'lots' is not a number"), "{e}");
    }

    #[test]
    fn geojson_sites() {
        let p = temp(
            "s.geojson",
            r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"h1","properties":{"name":"Hospital","kind":"acute","status":"existing","capacity":5000},
             "geometry":{"type":"Point","coordinates":[0.5482,51.3779]}}]}"#,
        );
        let (s, w) = load_sites(&p, CrsChoice::Auto).unwrap();
        assert!(w.is_empty());
        assert_eq!((s[0].id.as_str(), s[0].kind.as_str(), s[0].capacity), ("h1", "acute", Some(5000.0)));
    }
}
