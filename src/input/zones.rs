//! Population zones: output areas, LSOAs or any other small areas where
//! people live, read from GeoJSON (polygons, multipolygons or points) or CSV
//! (one point per row). Each zone gets an identifier, a population (or 1.0
//! when the input has none, with a warning saying zones are weighted
//! equally), the point that stands for it in routing, and optionally the
//! locality it belongs to.
//!
//! A polygon zone's point is the centroid of its largest polygon when that
//! centroid lies inside it, otherwise a point guaranteed to lie inside
//! (geo's `InteriorPoint`), so a crescent-shaped area is never routed from
//! its neighbour.

use std::collections::BTreeMap;
use std::path::Path;

use geo::{Area, Centroid, Contains, InteriorPoint};

use crate::error::{InputError, Location, Warning};
use crate::geom::LonLat;
use crate::input;
use crate::input::crs::CrsChoice;
use crate::input::csv_table::{self, CsvTable};
use crate::input::geojson::{self, FeatureIn, GeometryIn, PolygonIn};
use crate::input::sniff::{self, TableFormat};
use crate::input::text::parse_number;
use crate::model::Zone;

/// How to read a zones file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneOptions {
    /// Property or column holding the zone identifier (e.g. `OA11CD`).
    pub id_field: String,
    /// Property or column holding residents; `None` weights zones equally.
    pub population_field: Option<String>,
    /// Coordinate system of the file.
    pub crs: CrsChoice,
    /// Property or column naming the zone's locality, if the file has one.
    pub locality_field: Option<String>,
}

impl ZoneOptions {
    /// Options with an id field and everything else left to defaults (no population, CRS detected).
    pub fn new(id_field: impl Into<String>) -> Self {
        Self { id_field: id_field.into(), population_field: None, crs: CrsChoice::Auto, locality_field: None }
    }
}

/// How the warning given when zones are weighted equally begins (a caller
/// that joins population from a table drops it).
pub const EQUAL_WEIGHTS_WARNING: &str = "no population field given";

/// Names of fields that probably hold residents, used to hint when no population field is given.
const POPULATION_HINTS: &[&str] = &["population", "pop", "residents", "usual_residents", "all_persons", "persons", "people", "count"];

/// Load zones from a GeoJSON or CSV file.
///
/// Errors name the file, the feature or line, and the field: a missing id or
/// population property, a population that is not a number or is negative,
/// a duplicate id, a geometry that is neither polygon nor point.
pub fn load_zones(path: &Path, opts: &ZoneOptions) -> Result<(Vec<Zone>, Vec<Warning>), InputError> {
    let (zones, mut warnings, field_names) = match sniff::table_format(path)? {
        TableFormat::GeoJson => zones_from_geojson(path, opts)?,
        TableFormat::Csv => zones_from_csv(path, opts)?,
    };
    if zones.is_empty() {
        return Err(InputError::file(path, "the file holds no zones"));
    }
    let dups = input::duplicates(zones.iter().map(|(z, loc)| (z.id.as_str(), loc.clone())));
    if let Some((id, locs)) = dups.first() {
        let places = input::list_locations(locs);
        let more = if dups.len() > 1 { format!(" ({} ids are duplicated in all)", dups.len()) } else { String::new() };
        return Err(InputError::at(
            path,
            locs[1].clone(),
            Some(&opts.id_field),
            format!("zone id '{id}' is used more than once ({}){more}; zone ids must be unique", places),
        ));
    }
    let zones: Vec<Zone> = zones.into_iter().map(|(z, _)| z).collect();
    if let Some(w) = mixed_geographies(path, &zones) {
        warnings.push(w);
    }
    if opts.population_field.is_none() {
        warnings.push(Warning {
            file: path.to_path_buf(),
            location: Location::File,
            message: format!(
                "{EQUAL_WEIGHTS_WARNING}: each of the {} zones counts as 1.0 (zones weighted equally){}",
                zones.len(),
                population_hint(&field_names)
            ),
        });
    }
    Ok((zones, warnings))
}

/// A warning when the zones' ids are census codes of more than one
/// geography (output areas and LSOAs in one file): areas of different sizes
/// overlap, so residents would be counted twice.
fn mixed_geographies(path: &Path, zones: &[Zone]) -> Option<Warning> {
    let mut kinds: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for z in zones {
        if let Some(g) = crate::input::code_table::geography_of(&z.id) {
            kinds.entry(g).or_default().push(z.id.clone());
        }
    }
    if kinds.len() < 2 {
        return None;
    }
    let parts: Vec<String> = kinds.iter().map(|(g, ids)| format!("{} {g} codes ({})", ids.len(), list(ids))).collect();
    Some(Warning {
        file: path.to_path_buf(),
        location: Location::File,
        message: format!(
            "the zones mix census geographies: {}; areas of different sizes overlap, so their residents may be counted twice",
            parts.join(" and ")
        ),
    })
}

/// "; the file has a field 'population' ..." when one of `names` looks like residents.
fn population_hint(names: &[String]) -> String {
    match names.iter().find(|n| POPULATION_HINTS.iter().any(|h| n.eq_ignore_ascii_case(h))) {
        Some(n) => format!("; the file has a field '{n}': pass it as the population field if it holds residents"),
        None => String::new(),
    }
}

/// The point standing for a set of polygons: the centroid of the largest
/// polygon when inside it, otherwise a point inside that polygon.
pub fn representative_point(polygons: &[PolygonIn]) -> Option<LonLat> {
    let geo_polys: Vec<geo::Polygon<f64>> = polygons.iter().map(PolygonIn::to_geo).collect();
    let largest = geo_polys.iter().filter(|p| p.unsigned_area() > 0.0).max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
    let inside = largest.centroid().filter(|c| largest.contains(c)).or_else(|| largest.interior_point())?;
    Some(LonLat::new(inside.x(), inside.y()))
}

fn check_population(path: &Path, loc: Location, field: &str, pop: f64) -> Result<f64, InputError> {
    if pop < 0.0 {
        return Err(InputError::at(path, loc, Some(field), format!("population {pop} is negative")));
    }
    Ok(pop)
}

/// Zones with where each was read, warnings, and the file's field names.
type Loaded = (Vec<(Zone, Location)>, Vec<Warning>, Vec<String>);

fn zones_from_geojson(path: &Path, opts: &ZoneOptions) -> Result<Loaded, InputError> {
    let feats = geojson::read_feature_collection(path, opts.crs)?;
    let mut zones = Vec::with_capacity(feats.len());
    let mut warnings = Vec::new();
    let mut skipped = Vec::new();
    let mut crossed = Vec::new();
    // Numeric properties other than these become the zone's weights.
    let skip: Vec<&str> = [Some(opts.id_field.as_str()), opts.population_field.as_deref(), opts.locality_field.as_deref()].into_iter().flatten().collect();
    for f in &feats {
        let loc = Location::Feature(f.index);
        let id = feature_id(path, f, &opts.id_field)?;
        let population = match &opts.population_field {
            Some(field) => check_population(path, loc.clone(), field, f.f64_property(path, field)?)?,
            None => 1.0,
        };
        let locality = match &opts.locality_field {
            Some(field) => f.opt_str_property(path, field)?,
            None => None,
        };
        let (point, polygons) = match &f.geometry {
            GeometryIn::Polygons(ps) => {
                let point = representative_point(ps).ok_or_else(|| {
                    InputError::at(path, loc.clone(), Some("geometry"), format!("zone '{id}': the polygon has no area, so it has no point to route from"))
                })?;
                let crossing = ps.iter().flat_map(|p| std::iter::once(&p.outer).chain(&p.holes)).find_map(|r| crate::geom::ring_crossing(r));
                if let Some(x) = crossing {
                    crossed.push(format!("{id} (feature {}, near {:.5},{:.5})", f.index, x.lon, x.lat));
                }
                (point, ps.iter().map(|p| p.outer.clone()).collect())
            }
            GeometryIn::Point(p) => (*p, Vec::new()),
            GeometryIn::None => {
                skipped.push(format!("{id} (feature {})", f.index));
                continue;
            }
            _ => {
                return Err(InputError::at(
                    path,
                    loc,
                    Some("geometry"),
                    format!("zone '{id}' is a {}; a zone must be a Polygon, MultiPolygon or Point", f.geometry_type),
                ));
            }
        };
        let weights: BTreeMap<String, f64> = f
            .properties
            .iter()
            .filter(|(k, _)| !skip.iter().any(|s| s.eq_ignore_ascii_case(k)))
            .filter_map(|(k, v)| v.as_f64().filter(|x| x.is_finite()).map(|x| (k.clone(), x)))
            .collect();
        let categories: BTreeMap<String, String> = f
            .properties
            .iter()
            .filter(|(k, _)| !skip.iter().any(|s| s.eq_ignore_ascii_case(k)))
            .filter_map(|(k, v)| v.as_str().filter(|x| !x.trim().is_empty()).map(|x| (k.clone(), x.to_string())))
            .collect();
        zones.push((Zone { id, population, point, polygons, locality, weights, categories }, loc));
    }
    if !skipped.is_empty() {
        warnings.push(Warning {
            file: path.to_path_buf(),
            location: Location::File,
            message: format!("{} zone(s) have no geometry and were left out: {}", skipped.len(), list(&skipped)),
        });
    }
    if !crossed.is_empty() {
        warnings.push(Warning {
            file: path.to_path_buf(),
            location: Location::File,
            message: format!(
                "field 'geometry': {} zone outline(s) cross themselves (a bow-tie polygon), so which points lie inside them, and their area, are uncertain: {}; they are used as given; repair them in a GIS (QGIS: Fix geometries)",
                crossed.len(),
                list(&crossed)
            ),
        });
    }
    let names = feats.first().map(|f| f.properties.keys().cloned().collect()).unwrap_or_default();
    Ok((zones, warnings, names))
}

/// A feature's identifier from `field`, falling back to the feature's own `id` member when `field` is `id`.
fn feature_id(path: &Path, f: &FeatureIn, field: &str) -> Result<String, InputError> {
    if !f.has_property(field)
        && field.eq_ignore_ascii_case("id")
        && let Some(id) = &f.id
    {
        return Ok(id.clone());
    }
    f.str_property(path, field)
}

fn zones_from_csv(path: &Path, opts: &ZoneOptions) -> Result<Loaded, InputError> {
    let table = csv_table::read_csv_table(path)?;
    if table.rows.is_empty() {
        return Err(table.no_rows());
    }
    let id_col = table.require_column(&opts.id_field, &[])?;
    let coords = csv_table::coordinate_columns(&table)?;
    let pop_col = opts.population_field.as_deref().map(|f| table.require_column(f, &[])).transpose()?;
    let loc_col = opts.locality_field.as_deref().map(|f| table.require_column(f, &[])).transpose()?;
    let used = [Some(id_col), Some(coords.x), Some(coords.y), pop_col, loc_col];
    let weight_cols = numeric_columns(&table, &used);
    // Every other column is text: a category a grouping may read.
    let text_cols: Vec<usize> = (0..table.headers.len()).filter(|c| !used.contains(&Some(*c)) && !weight_cols.contains(c)).collect();
    // Ids and populations first: their errors are more telling than a coordinate system mismatch.
    let mut rows = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let loc = Location::Line(row.line);
        let id = table.value(row, id_col);
        if id.is_empty() {
            return Err(InputError::at(path, loc, Some(table.header(id_col)), "the zone id is blank"));
        }
        let population = match pop_col {
            Some(c) => check_population(path, loc.clone(), table.header(c), table.f64_at(row, c)?)?,
            None => 1.0,
        };
        let locality = loc_col.map(|c| table.value(row, c)).filter(|s| !s.is_empty()).map(str::to_string);
        let weights: BTreeMap<String, f64> =
            weight_cols.iter().filter_map(|&c| parse_number(table.value(row, c)).map(|x| (table.header(c).to_string(), x))).collect();
        let categories: BTreeMap<String, String> =
            text_cols.iter().map(|&c| (table.header(c).to_string(), table.value(row, c).to_string())).filter(|(_, v)| !v.is_empty()).collect();
        rows.push((id.to_string(), population, locality, weights, categories, loc));
    }
    let (_, points) = csv_table::csv_points(&table, coords, opts.crs)?;
    let zones = rows
        .into_iter()
        .zip(points)
        .map(|((id, population, locality, weights, categories, loc), point)| {
            (Zone { id, population, point, polygons: Vec::new(), locality, weights, categories }, loc)
        })
        .collect();
    Ok((zones, Vec::new(), table.headers.clone()))
}

/// Columns, other than `used`, whose every non-blank value is a number (and that have at least one).
fn numeric_columns(table: &CsvTable, used: &[Option<usize>]) -> Vec<usize> {
    (0..table.headers.len())
        .filter(|c| !used.contains(&Some(*c)))
        .filter(|&c| {
            let vals: Vec<&str> = table.rows.iter().map(|r| table.value(r, c)).filter(|v| !v.is_empty()).collect();
            !vals.is_empty() && vals.iter().all(|v| parse_number(v).is_some())
        })
        .collect()
}

/// A list for a message: all items up to 20, then "and N more".
pub(crate) fn list(items: &[String]) -> String {
    const SHOWN: usize = 20;
    if items.len() <= SHOWN { items.join(", ") } else { format!("{}, and {} more", items[..SHOWN].join(", "), items.len() - SHOWN) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, text: &str) -> std::path::PathBuf {
        crate::testdata::temp_file("zones", name, text)
    }

    #[test]
    fn crescent_gets_a_point_inside_not_its_centroid() {
        // A U shape: its centroid lies in the notch, outside the polygon.
        let ring: Vec<LonLat> = [(0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (2.0, 3.0), (2.0, 1.0), (1.0, 1.0), (1.0, 3.0), (0.0, 3.0), (0.0, 0.0)]
            .iter()
            .map(|&(x, y)| LonLat::new(x * 0.01, 51.0 + y * 0.01))
            .collect();
        let poly = PolygonIn { outer: ring, holes: vec![] };
        let p = representative_point(std::slice::from_ref(&poly)).unwrap();
        assert!(poly.to_geo().contains(&geo::Point::new(p.lon, p.lat)), "{p:?}");
    }

    #[test]
    fn csv_zones_with_population_and_weights() {
        let p = temp("z.csv", "Code,Easting,Northing,Population,IMD\nA,331000,188000,300,2.5\nB,332000,189000,\"1,200\",\n");
        let mut o = ZoneOptions::new("code");
        o.population_field = Some("population".into());
        let (z, w) = load_zones(&p, &o).unwrap();
        assert!(w.is_empty());
        assert_eq!(z.len(), 2);
        assert_eq!(z[1].population, 1200.0);
        assert_eq!(z[0].weights.get("IMD"), Some(&2.5));
        assert!(z[1].weights.is_empty());
        // Newport lies around lon -3.0, lat 51.58.
        assert!((z[0].point.lon + 2.98).abs() < 0.05 && (z[0].point.lat - 51.58).abs() < 0.05, "{:?}", z[0].point);
    }

    #[test]
    fn zones_of_two_geographies_are_warned_about() {
        let p = temp("mixed.csv", "id,lon,lat\nE00000001,-3,51.5\nE00000002,-3,51.6\nE01000001,-3,51.7\n");
        let (_, w) = load_zones(&p, &ZoneOptions::new("id")).unwrap();
        let m = w.iter().find(|w| w.message.contains("mix census geographies")).expect("a warning");
        assert!(m.message.contains("2 output area codes") && m.message.contains("1 LSOA codes (E01000001)"), "{m}");
    }

    #[test]
    fn equal_weights_warning_hints_at_a_population_column() {
        let p = temp("zh.csv", "id,lon,lat,population\nA,-3,51.5,10\n");
        let (z, w) = load_zones(&p, &ZoneOptions::new("id")).unwrap();
        assert_eq!(z[0].population, 1.0);
        assert!(w[0].message.contains("weighted equally") && w[0].message.contains("'population'"), "{}", w[0]);
    }

    #[test]
    fn duplicate_ids_and_null_geometry() {
        let p = temp("dup.csv", "id,lon,lat\nA,-3,51.5\nB,-3,51.6\nA,-3,51.7\n");
        let e = load_zones(&p, &ZoneOptions::new("id")).unwrap_err();
        assert_eq!(e.location, Location::Line(4));
        assert!(e.message.contains("'A'") && e.message.contains("line 2"), "{e}");
        let p = temp(
            "null.geojson",
            r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"A"},"geometry":{"type":"Point","coordinates":[-3,51.5]}},
            {"type":"Feature","properties":{"id":"B"},"geometry":null}]}"#,
        );
        let (z, w) = load_zones(&p, &ZoneOptions::new("id")).unwrap();
        assert_eq!(z.len(), 1);
        assert!(w.iter().any(|w| w.message.contains("B (feature 1)")), "{w:?}");
    }
}
