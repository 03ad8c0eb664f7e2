//! Localities: the areas planned as one (each served by one Healthy Living
//! Centre). They come either ready-made, as GeoJSON polygons with a name
//! property (features sharing a name are merged), or built by grouping
//! smaller areas (wards, LSOAs) with a CSV table that says which area
//! belongs to which locality; the areas are then dissolved into one shape
//! per locality with geo's boolean union.
//!
//! The grouping CSV needs a column named `locality` and a column of area
//! codes. The code column is the one named like the area id field (e.g.
//! `WD13CD`) if there is one; otherwise the column whose values match the
//! most area ids (so `ward_code`, `code` or `area` all work). Other columns
//! (names, notes) are ignored.
//!
//! Zones are placed in localities by point-in-polygon on their
//! representative point; zones that fall in none keep no locality and are
//! listed in a warning, never moved to a nearest guess.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use geo::{Orient, orient::Direction};

use crate::error::{InputError, Location, Warning};
use crate::geom::{LonLat, ring_from_geo, ring_signed_area2};
use crate::input::crs::CrsChoice;
use crate::input::csv_table;
use crate::input::geojson::{self, FeatureIn, GeometryIn, PolygonIn};
use crate::input::zones::list;
use crate::model::{Locality, Zone};

/// Load ready-made localities: GeoJSON polygons named by `name_field`;
/// features sharing a name are merged into one locality (in first-seen order).
pub fn load_localities(path: &Path, name_field: &str, crs: CrsChoice) -> Result<Vec<Locality>, InputError> {
    let feats = geojson::read_feature_collection(path, crs)?;
    if feats.is_empty() {
        return Err(InputError::file(path, "the file holds no localities"));
    }
    let mut order: Vec<String> = Vec::new();
    let mut parts: HashMap<String, Vec<PolygonIn>> = HashMap::new();
    for f in &feats {
        let name = f.str_property(path, name_field)?;
        let polys = polygons_of(path, f, &name, "locality")?;
        // A locality decides which zones and sites it holds: an outline that
        // crosses itself has no well-defined inside, so it is refused.
        if let Some(x) = polys.iter().flat_map(|p| std::iter::once(&p.outer).chain(&p.holes)).find_map(|r| crate::geom::ring_crossing(r)) {
            return Err(InputError::at(
                path,
                Location::Feature(f.index),
                Some("geometry"),
                format!(
                    "locality '{name}': the outline crosses itself near {:.5},{:.5} (a bow-tie polygon), so which zones lie inside it is uncertain; repair it in a GIS (QGIS: Fix geometries)",
                    x.lon, x.lat
                ),
            ));
        }
        if !parts.contains_key(&name) {
            order.push(name.clone());
        }
        parts.entry(name).or_default().extend(polys);
    }
    Ok(order
        .into_iter()
        .map(|name| {
            let polys = parts.remove(&name).unwrap_or_default();
            Locality { polygons: dissolve(&polys), name, members: Vec::new() }
        })
        .collect())
}

/// The polygons of a feature, or an error if it has none.
fn polygons_of(path: &Path, f: &FeatureIn, name: &str, what: &str) -> Result<Vec<PolygonIn>, InputError> {
    match &f.geometry {
        GeometryIn::Polygons(ps) => Ok(ps.clone()),
        GeometryIn::None => Err(InputError::at(path, Location::Feature(f.index), Some("geometry"), format!("{what} '{name}' has no geometry"))),
        _ => Err(InputError::at(
            path,
            Location::Feature(f.index),
            Some("geometry"),
            format!("{what} '{name}' is a {}; it must be a Polygon or MultiPolygon", f.geometry_type),
        )),
    }
}

/// Union polygons into one shape and keep the outer rings (a single polygon is kept as is).
pub fn dissolve(polygons: &[PolygonIn]) -> Vec<Vec<LonLat>> {
    if polygons.len() == 1 {
        return vec![polygons[0].outer.clone()];
    }
    // unary_union needs one winding order throughout: orient every polygon the same way.
    let geo_polys: Vec<geo::Polygon<f64>> = polygons.iter().map(|p| p.to_geo().orient(Direction::Default)).collect();
    let merged = geo::unary_union(&geo_polys);
    merged.0.iter().map(|p| p.orient(Direction::Default)).map(|p| ring_from_geo(p.exterior())).filter(|r| r.len() >= 4).collect()
}

/// Build localities by grouping areas: `areas` is a GeoJSON of polygons with
/// ids in `area_id_field`, `grouping_csv` says which locality each area
/// belongs to (see the module notes for its columns). Each locality is the
/// union of its areas; `members` lists their ids in the CSV's order.
///
/// Areas in the file but in no locality give a warning listing them; rows
/// naming an unknown area, or placing one area in two localities, are errors.
pub fn group_localities(areas: &Path, area_id_field: &str, grouping_csv: &Path, crs: CrsChoice) -> Result<(Vec<Locality>, Vec<Warning>), InputError> {
    let feats = geojson::read_feature_collection(areas, crs)?;
    let mut area_order: Vec<String> = Vec::new();
    let mut area_polys: HashMap<String, Vec<PolygonIn>> = HashMap::new();
    for f in &feats {
        let id = f.str_property(areas, area_id_field)?;
        let polys = polygons_of(areas, f, &id, "area")?;
        if !area_polys.contains_key(&id) {
            area_order.push(id.clone());
        }
        area_polys.entry(id).or_default().extend(polys);
    }
    if area_order.is_empty() {
        return Err(InputError::file(areas, "the file holds no areas"));
    }

    let table = csv_table::read_csv_table(grouping_csv)?;
    let loc_col = table.require_column("locality", &[])?;
    if table.rows.is_empty() {
        return Err(table.no_rows());
    }
    let code_col = match table.find_column(&[area_id_field]).filter(|&c| c != loc_col) {
        Some(c) => c,
        None => {
            let matches = |c: usize| table.rows.iter().filter(|r| area_polys.contains_key(table.value(r, c))).count();
            let best = (0..table.headers.len()).filter(|&c| c != loc_col).map(|c| (matches(c), c)).max_by_key(|&(n, c)| (n, std::cmp::Reverse(c)));
            match best {
                Some((n, c)) if n > 0 => c,
                _ => {
                    let examples: Vec<&str> = area_order.iter().take(3).map(String::as_str).collect();
                    return Err(InputError::at(
                        grouping_csv,
                        Location::Line(1),
                        Some(area_id_field),
                        format!(
                            "no column holds the area ids of {} (field '{area_id_field}', e.g. {}); the columns are: {}",
                            areas.display(),
                            examples.join(", "),
                            table.headers.join(", ")
                        ),
                    ));
                }
            }
        }
    };

    let mut locality_order: Vec<String> = Vec::new();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut assigned: HashMap<String, (String, u64)> = HashMap::new();
    for row in &table.rows {
        let loc = Location::Line(row.line);
        let code = table.value(row, code_col);
        let locality = table.value(row, loc_col);
        if code.is_empty() {
            return Err(InputError::at(grouping_csv, loc, Some(table.header(code_col)), "the area code is blank"));
        }
        if locality.is_empty() {
            return Err(InputError::at(grouping_csv, loc, Some(table.header(loc_col)), format!("area '{code}' has a blank locality")));
        }
        if !area_polys.contains_key(code) {
            return Err(InputError::at(
                grouping_csv,
                loc,
                Some(table.header(code_col)),
                format!("'{code}' is not an area of {} (no feature has {area_id_field} = '{code}')", areas.display()),
            ));
        }
        match assigned.get(code) {
            Some((other, line)) if other != locality => {
                return Err(InputError::at(
                    grouping_csv,
                    loc,
                    Some(table.header(loc_col)),
                    format!("area '{code}' is placed in '{locality}' here but in '{other}' on line {line}"),
                ));
            }
            Some(_) => continue, // the same pairing twice: nothing new
            None => {}
        }
        assigned.insert(code.to_string(), (locality.to_string(), row.line));
        if !members.contains_key(locality) {
            locality_order.push(locality.to_string());
        }
        members.entry(locality.to_string()).or_default().push(code.to_string());
    }

    let mut warnings = Vec::new();
    let ungrouped: Vec<String> = area_order.iter().filter(|a| !assigned.contains_key(*a)).cloned().collect();
    if !ungrouped.is_empty() {
        warnings.push(Warning {
            file: grouping_csv.to_path_buf(),
            location: Location::File,
            message: format!("{} area(s) of {} are in no locality and are left out of every locality: {}", ungrouped.len(), areas.display(), list(&ungrouped)),
        });
    }

    let localities = locality_order
        .into_iter()
        .map(|name| {
            let ids = members.remove(&name).unwrap_or_default();
            let polys: Vec<PolygonIn> = ids.iter().flat_map(|id| area_polys.get(id).cloned().unwrap_or_default()).collect();
            Locality { polygons: dissolve(&polys), name, members: ids }
        })
        .collect();
    Ok((localities, warnings))
}

/// Whether `p` lies inside a closed ring (even-odd rule; points exactly on an edge may go either way).
pub fn ring_contains(ring: &[LonLat], p: LonLat) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (ring[i], ring[j]);
        if (a.lat > p.lat) != (b.lat > p.lat) {
            let x = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
            if p.lon < x {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

/// The index of the locality whose shape contains `point`, if any.
///
/// Localities keep outer rings only, so an enclave (a locality inside a hole
/// of another) lies inside both outlines; the smallest ring containing the
/// point wins, which is the enclave.
pub fn locality_of(point: LonLat, localities: &[Locality]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, l) in localities.iter().enumerate() {
        for r in l.polygons.iter().filter(|r| ring_contains(r, point)) {
            let area = ring_signed_area2(r).abs();
            if best.is_none_or(|(_, a)| area < a) {
                best = Some((i, area));
            }
        }
    }
    best.map(|(i, _)| i)
}

/// Set each zone's locality from the locality its point lies in. Zones that
/// already name a locality keep it (a warning lists those naming none of
/// `localities`); zones in no locality stay `None` and are listed in a warning.
pub fn assign_zone_localities(zones: &mut [Zone], localities: &[Locality]) -> Vec<Warning> {
    let mut outside = Vec::new();
    let mut unknown = Vec::new();
    for z in zones.iter_mut() {
        match &z.locality {
            Some(name) => {
                if !localities.iter().any(|l| &l.name == name) {
                    unknown.push(format!("{} ({name})", z.id));
                }
            }
            None => match locality_of(z.point, localities) {
                Some(i) => z.locality = Some(localities[i].name.clone()),
                None => outside.push(z.id.clone()),
            },
        }
    }
    let mut warnings = Vec::new();
    let at = |message: String| Warning { file: PathBuf::new(), location: Location::Record("zones".into()), message };
    if !outside.is_empty() {
        warnings.push(at(format!("{} of {} zones lie in no locality and have none: {}", outside.len(), zones.len(), list(&outside))));
    }
    if !unknown.is_empty() {
        warnings.push(at(format!("{} zone(s) name a locality that is not among the localities loaded: {}", unknown.len(), list(&unknown))));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Contains;

    fn square(x0: f64, y0: f64, size: f64) -> PolygonIn {
        let r = [(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size), (x0, y0)];
        PolygonIn { outer: r.iter().map(|&(x, y)| LonLat::new(x, y)).collect(), holes: vec![] }
    }

    #[test]
    fn adjacent_squares_dissolve_into_one_ring() {
        // Opposite windings on purpose: the union must still merge them.
        let a = square(0.0, 0.0, 1.0);
        let mut b = square(1.0, 0.0, 1.0);
        b.outer.reverse();
        let d = dissolve(&[a, b, square(5.0, 5.0, 1.0)]);
        assert_eq!(d.len(), 2);
        let areas: Vec<f64> = d.iter().map(|r| geo::Area::unsigned_area(&geo::Polygon::new(crate::geom::ring_to_geo(r), vec![]))).collect();
        assert!(areas.iter().any(|a| (a - 2.0).abs() < 1e-9) && areas.iter().any(|a| (a - 1.0).abs() < 1e-9), "{areas:?}");
    }

    #[test]
    fn an_enclave_wins_over_the_locality_around_it() {
        let outer = Locality { name: "Around".into(), polygons: dissolve(&[square(0.0, 0.0, 10.0)]), members: vec![] };
        let inner = Locality { name: "Enclave".into(), polygons: dissolve(&[square(4.0, 4.0, 2.0)]), members: vec![] };
        let locs = [outer, inner];
        assert_eq!(locality_of(LonLat::new(5.0, 5.0), &locs), Some(1));
        assert_eq!(locality_of(LonLat::new(1.0, 1.0), &locs), Some(0));
        assert_eq!(locality_of(LonLat::new(11.0, 1.0), &locs), None);
    }

    /// The fast ring test agrees with geo's `Contains` on a real, ragged ward boundary.
    #[test]
    fn ring_contains_matches_geo_on_real_wards() {
        let Some(p) = crate::testdata::shared_file("newport/boundaries/wards.geojson") else { return };
        let feats = geojson::read_feature_collection(&p, CrsChoice::Auto).unwrap();
        let GeometryIn::Polygons(ps) = &feats[0].geometry else { panic!() };
        let ring = &ps[0].outer;
        let g = geo::Polygon::new(crate::geom::ring_to_geo(ring), vec![]);
        let e = crate::geom::Extent::of(ring.iter().copied()).unwrap();
        let mut inside = 0;
        for i in 0..60 {
            for j in 0..60 {
                let q =
                    LonLat::new(e.min.lon + (e.max.lon - e.min.lon) * (i as f64 + 0.37) / 60.0, e.min.lat + (e.max.lat - e.min.lat) * (j as f64 + 0.61) / 60.0);
                let fast = ring_contains(ring, q);
                assert_eq!(fast, g.contains(&geo::Point::new(q.lon, q.lat)), "{q:?}");
                inside += fast as usize;
            }
        }
        assert!(inside > 200, "{inside}");
    }
}
