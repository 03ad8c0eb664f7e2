//! Reading GeoJSON FeatureCollections: features with their properties and
//! geometry, converted to WGS84. Features and geometries are parsed by the
//! `geojson` crate (written `::geojson` here, beside this module's own name);
//! this module walks the collection around them so that every error names
//! the file and the line (invalid JSON) or the feature and the field. The zone, site and locality loaders build on
//! this; they own the meaning of the properties, this module owns parsing,
//! coordinate systems and the wording of errors about missing or malformed
//! values (each names the file, the feature and the property).
//!
//! Features without geometry are kept (as [`GeometryIn::None`]) so that each
//! loader can decide whether to skip them with a warning or refuse the file;
//! nothing is dropped here.

use std::path::{Path, PathBuf};

use ::geojson::{GeometryValue, Position};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{InputError, Location};
use crate::geom::{LonLat, ring_signed_area2, ring_to_geo};
use crate::input::crs::{self, CoordFields, Crs, CrsChoice, RawCoord, ToWgs84};
use crate::input::text::{parse_number, read_text};

/// One polygon: an outer ring and its holes, closed rings of WGS84 points.
#[derive(Debug, Clone, PartialEq)]
pub struct PolygonIn {
    /// The outer boundary (first point repeated at the end).
    pub outer: Vec<LonLat>,
    /// Holes, if any.
    pub holes: Vec<Vec<LonLat>>,
}

impl PolygonIn {
    /// The polygon as a `geo` polygon (x = lon, y = lat).
    pub fn to_geo(&self) -> geo::Polygon<f64> {
        geo::Polygon::new(ring_to_geo(&self.outer), self.holes.iter().map(|h| ring_to_geo(h)).collect())
    }
}

/// Wind a polygon as RFC 7946 asks: outer ring counter-clockwise, holes clockwise.
/// (Many files, from shapefiles, wind the other way; geodesic area and
/// boolean operations give wrong answers on them.)
fn normalise_winding(p: &mut PolygonIn) {
    if ring_signed_area2(&p.outer) < 0.0 {
        p.outer.reverse();
    }
    for h in &mut p.holes {
        if ring_signed_area2(h) > 0.0 {
            h.reverse();
        }
    }
}

/// The geometry of one feature, in WGS84.
#[derive(Debug, Clone, PartialEq)]
pub enum GeometryIn {
    /// The feature has no geometry (`null` or absent).
    None,
    /// A single point.
    Point(LonLat),
    /// Several points.
    MultiPoint(Vec<LonLat>),
    /// One or more lines (LineString or MultiLineString).
    Lines(Vec<Vec<LonLat>>),
    /// One or more polygons (Polygon or MultiPolygon).
    Polygons(Vec<PolygonIn>),
}

impl GeometryIn {
    /// Every position of the geometry.
    pub fn points(&self) -> Vec<LonLat> {
        let mut out = Vec::new();
        match self {
            GeometryIn::None => {}
            GeometryIn::Point(p) => out.push(*p),
            GeometryIn::MultiPoint(ps) => out.extend_from_slice(ps),
            GeometryIn::Lines(ls) => ls.iter().for_each(|l| out.extend_from_slice(l)),
            GeometryIn::Polygons(ps) => ps.iter().for_each(|p| {
                out.extend_from_slice(&p.outer);
                p.holes.iter().for_each(|h| out.extend_from_slice(h));
            }),
        }
        out
    }

    fn for_each_point_mut(&mut self, f: &mut impl FnMut(&mut LonLat)) {
        match self {
            GeometryIn::None => {}
            GeometryIn::Point(p) => f(p),
            GeometryIn::MultiPoint(ps) => ps.iter_mut().for_each(f),
            GeometryIn::Lines(ls) => ls.iter_mut().flatten().for_each(f),
            GeometryIn::Polygons(ps) => ps.iter_mut().for_each(|p| {
                p.outer.iter_mut().for_each(&mut *f);
                p.holes.iter_mut().flatten().for_each(&mut *f);
            }),
        }
    }
}

/// One feature of a FeatureCollection, geometry in WGS84.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureIn {
    /// 0-based position in the collection (what errors call "feature N").
    pub index: usize,
    /// The feature's own `id` member, if any (numbers as text).
    pub id: Option<String>,
    /// Its properties (empty when `null` or absent).
    pub properties: Map<String, Value>,
    /// Its geometry converted to WGS84 (after [`read_feature_file`], polygon
    /// outer rings run counter-clockwise and holes clockwise, whatever the file did).
    pub geometry: GeometryIn,
    /// The GeoJSON geometry type as written (`Polygon`, `MultiPolygon`, ..., or `null`).
    pub geometry_type: String,
}

/// A whole GeoJSON file after reading: features plus what was learnt about it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureFile {
    /// The file read.
    pub path: PathBuf,
    /// The features, in file order.
    pub features: Vec<FeatureIn>,
    /// The system the coordinates were read in.
    pub crs: Crs,
    /// The system named by the file's `crs` member, if it has one.
    pub declared_crs: Option<Crs>,
    /// Bounding box of the coordinates as written: `[min x, min y, max x, max y]`.
    pub raw_extent: Option<[f64; 4]>,
}

/// A GeoJSON file parsed but not yet placed in a coordinate system: the
/// geometries hold the coordinates as written (x in `lon`, y in `lat`).
#[derive(Debug, Clone, PartialEq)]
pub struct RawFeatureFile {
    /// The file read.
    pub path: PathBuf,
    /// Features with coordinates as written.
    pub features: Vec<FeatureIn>,
    /// The `crs` member's name, if the file has one.
    pub declared_crs_name: Option<String>,
}

/// Read a GeoJSON FeatureCollection, converting geometry to WGS84.
///
/// Features without geometry are returned with [`GeometryIn::None`]; callers
/// skip them with a warning or refuse them.
pub fn read_feature_collection(path: &Path, crs: CrsChoice) -> Result<Vec<FeatureIn>, InputError> {
    Ok(read_feature_file(path, crs)?.features)
}

/// Read a GeoJSON FeatureCollection with what was learnt about its coordinate system.
pub fn read_feature_file(path: &Path, crs: CrsChoice) -> Result<FeatureFile, InputError> {
    parse_geojson(path)?.into_wgs84(crs)
}

/// Parse a GeoJSON FeatureCollection, leaving coordinates as written.
pub fn parse_geojson(path: &Path) -> Result<RawFeatureFile, InputError> {
    let text = read_text(path)?;
    let root: Value = serde_json::from_str(&text).map_err(|e| json_error(path, &e))?;
    let Some(obj) = root.as_object() else {
        return Err(InputError::file(path, format!("expected a GeoJSON FeatureCollection object, found {}", json_kind(&root))));
    };
    match obj.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {}
        Some("Feature") => return Err(InputError::file(path, "expected a GeoJSON FeatureCollection, found a single Feature; wrap it in a FeatureCollection")),
        Some(t) => return Err(InputError::file(path, format!("expected a GeoJSON FeatureCollection, found type '{t}'"))),
        None => return Err(InputError::file(path, "not GeoJSON: the top-level object has no \"type\": \"FeatureCollection\"")),
    }
    let declared_crs_name = match obj.get("crs") {
        None | Some(Value::Null) => None,
        Some(c) => Some(c.get("properties").and_then(|p| p.get("name")).and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| c.to_string())),
    };
    let Some(list) = obj.get("features").and_then(Value::as_array) else {
        return Err(InputError::at(path, Location::File, Some("features"), "the FeatureCollection has no \"features\" array"));
    };
    let mut features = Vec::with_capacity(list.len());
    for (index, f) in list.iter().enumerate() {
        features.push(parse_feature(path, index, f)?);
    }
    Ok(RawFeatureFile { path: path.to_path_buf(), features, declared_crs_name })
}

impl RawFeatureFile {
    /// Every coordinate as written, with its feature.
    pub fn raw_coords(&self) -> Vec<RawCoord> {
        let mut out = Vec::new();
        for f in &self.features {
            for p in f.geometry.points() {
                out.push(RawCoord { location: Location::Feature(f.index), x: p.lon, y: p.lat });
            }
        }
        out
    }

    /// Bounding box of the coordinates as written: `[min x, min y, max x, max y]`.
    pub fn raw_extent(&self) -> Option<[f64; 4]> {
        let mut it = self.features.iter().flat_map(|f| f.geometry.points());
        let first = it.next()?;
        Some(it.fold([first.lon, first.lat, first.lon, first.lat], |e, p| [e[0].min(p.lon), e[1].min(p.lat), e[2].max(p.lon), e[3].max(p.lat)]))
    }

    /// The system named by the `crs` member, if any (an error for unsupported systems).
    pub fn declared_crs(&self) -> Result<Option<Crs>, InputError> {
        match &self.declared_crs_name {
            None => Ok(None),
            Some(name) => crs::crs_from_name(name).map(Some).map_err(|m| InputError::at(&self.path, Location::File, Some("crs"), m)),
        }
    }

    /// Decide the coordinate system (as chosen, declared or detected), check
    /// the coordinates are plausible in it and convert them to WGS84.
    pub fn into_wgs84(self, choice: CrsChoice) -> Result<FeatureFile, InputError> {
        let declared = match choice {
            // A user's explicit choice overrides even an unreadable declaration.
            CrsChoice::Fixed(_) => self.declared_crs().ok().flatten(),
            CrsChoice::Auto => self.declared_crs()?,
        };
        let coords = self.raw_coords();
        let fields = CoordFields { x: "geometry", y: "geometry" };
        let crs = crs::resolve_crs(&self.path, choice, declared, &coords, fields)?;
        let raw_extent = self.raw_extent();
        let conv = ToWgs84::new(crs).map_err(|m| InputError::file(&self.path, m))?;
        let mut features = self.features;
        for f in &mut features {
            let mut failed = None;
            f.geometry.for_each_point_mut(&mut |p| match conv.convert(p.lon, p.lat) {
                Some(q) => *p = q,
                None => failed = failed.or(Some(*p)),
            });
            if let Some(p) = failed {
                return Err(InputError::at(
                    &self.path,
                    Location::Feature(f.index),
                    Some("geometry"),
                    format!("coordinate ({}, {}) cannot be converted from {crs} to WGS84", p.lon, p.lat),
                ));
            }
            if let GeometryIn::Polygons(ps) = &mut f.geometry {
                ps.iter_mut().for_each(normalise_winding);
            }
        }
        Ok(FeatureFile { path: self.path, features, crs, declared_crs: declared, raw_extent })
    }
}

/// An `InputError` for invalid JSON, at the line serde_json reports.
fn json_error(path: &Path, e: &serde_json::Error) -> InputError {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let what = full.strip_suffix(&suffix).unwrap_or(&full);
    let msg = match e.classify() {
        serde_json::error::Category::Eof => format!("invalid JSON: the file ends early at column {} ({what}); is it truncated?", e.column()),
        _ => format!("invalid JSON at column {}: {what}", e.column()),
    };
    InputError::at(path, Location::Line(e.line() as u64), None, msg)
}

/// "an array", "a string", ... for error messages.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One feature, read by the `geojson` crate; when it refuses the feature,
/// [`feature_error`] says what is wrong in the planner's terms.
fn parse_feature(path: &Path, index: usize, v: &Value) -> Result<FeatureIn, InputError> {
    let feature = ::geojson::Feature::deserialize(v).map_err(|e| feature_error(path, index, v, &e))?;
    let id = feature.id.and_then(|id| match id {
        ::geojson::feature::Id::String(s) => value_as_text(&Value::String(s)),
        ::geojson::feature::Id::Number(n) => value_as_text(&Value::Number(n)),
    });
    let (geometry, geometry_type) = match &feature.geometry {
        None => (GeometryIn::None, "null".to_string()),
        Some(g) => {
            let geometry = geometry_in(&g.value).map_err(|m| InputError::at(path, Location::Feature(index), Some("geometry"), m))?;
            (geometry, g.value.type_name().to_string())
        }
    };
    Ok(FeatureIn { index, id, properties: feature.properties.unwrap_or_default(), geometry, geometry_type })
}

/// The located error for a feature the `geojson` crate refused: the first
/// thing wrong with it, checked in the order a reader would (the feature
/// itself, its type, properties, id, then its geometry), with the crate's
/// own words only for what lies deeper (a malformed coordinate or bbox).
fn feature_error(path: &Path, index: usize, v: &Value, e: &serde_json::Error) -> InputError {
    let loc = Location::Feature(index);
    let at = |field: Option<&str>, m: String| InputError::at(path, loc.clone(), field, m);
    let Some(obj) = v.as_object() else {
        return at(None, format!("expected a Feature object, found {}", json_kind(v)));
    };
    match obj.get("type").and_then(Value::as_str) {
        Some("Feature") => {}
        Some(t) => return at(Some("type"), format!("expected \"type\": \"Feature\", found '{t}'")),
        None => return at(Some("type"), "the feature has no \"type\": \"Feature\"".into()),
    }
    match obj.get("properties") {
        None | Some(Value::Null | Value::Object(_)) => {}
        Some(other) => return at(Some("properties"), format!("properties must be an object, found {}", json_kind(other))),
    }
    match obj.get("id") {
        None | Some(Value::Null | Value::String(_) | Value::Number(_)) => {}
        Some(other) => return at(Some("id"), format!("the feature's id must be text or a number, found {}", json_kind(other))),
    }
    if let Some(g) = obj.get("geometry").filter(|g| !g.is_null())
        && let Err(ge) = ::geojson::Geometry::deserialize(g)
    {
        return at(Some("geometry"), geometry_problem(g, &ge));
    }
    at(None, format!("not a valid GeoJSON feature: {e}"))
}

/// What is wrong with a geometry the `geojson` crate refused.
fn geometry_problem(g: &Value, e: &serde_json::Error) -> String {
    let Some(t) = g.get("type").and_then(Value::as_str) else {
        return "the geometry has no \"type\"".into();
    };
    match t {
        "GeometryCollection" => UNSUPPORTED_COLLECTION.into(),
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon" if g.get("coordinates").is_none() => {
            format!("the {t} has no \"coordinates\"")
        }
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon" => {
            let (depth, shape) = match t {
                "Point" => (1, "one [x, y] position"),
                "MultiPoint" | "LineString" => (2, "a list of [x, y] positions"),
                "Polygon" | "MultiLineString" => (3, "a list of lists of [x, y] positions"),
                _ => (4, "a list of polygons, each a list of rings of [x, y] positions"),
            };
            match g.get("coordinates").map(nesting) {
                Some(found) if found != depth && found > 0 => format!("the {t}'s coordinates must be {shape} (arrays {depth} deep), found arrays {found} deep"),
                _ => format!("the {t}'s coordinates cannot be read: {e}"),
            }
        }
        other => format!("unknown geometry type '{other}'"),
    }
}

/// How deep arrays nest in a `coordinates` value (following first elements).
fn nesting(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.first().map_or(0, nesting),
        _ => 0,
    }
}

const UNSUPPORTED_COLLECTION: &str = "GeometryCollection is not supported; give each part its own feature";

/// A geometry as the `geojson` crate read it, as [`GeometryIn`] (coordinates
/// as written; unclosed polygon rings closed).
fn geometry_in(value: &GeometryValue) -> Result<GeometryIn, String> {
    Ok(match value {
        GeometryValue::Point { coordinates } => GeometryIn::Point(position(coordinates)?),
        GeometryValue::MultiPoint { coordinates } => GeometryIn::MultiPoint(positions(coordinates)?),
        GeometryValue::LineString { coordinates } => GeometryIn::Lines(vec![positions(coordinates)?]),
        GeometryValue::MultiLineString { coordinates } => GeometryIn::Lines(coordinates.iter().map(|l| positions(l)).collect::<Result<_, _>>()?),
        GeometryValue::Polygon { coordinates } => GeometryIn::Polygons(vec![polygon(coordinates)?]),
        GeometryValue::MultiPolygon { coordinates } => GeometryIn::Polygons(coordinates.iter().map(|p| polygon(p)).collect::<Result<_, _>>()?),
        GeometryValue::GeometryCollection { .. } => return Err(UNSUPPORTED_COLLECTION.into()),
    })
}

fn position(p: &Position) -> Result<LonLat, String> {
    match p.as_slice() {
        [x, y, ..] => Ok(LonLat::new(*x, *y)),
        other => Err(format!("a position must be [x, y] numbers, found {other:?}")),
    }
}

fn positions(ps: &[Position]) -> Result<Vec<LonLat>, String> {
    ps.iter().map(position).collect()
}

fn ring(ps: &[Position]) -> Result<Vec<LonLat>, String> {
    let mut r = positions(ps)?;
    if let (Some(a), Some(b)) = (r.first().copied(), r.last().copied())
        && a != b
    {
        r.push(a); // close an unclosed ring: no information is lost
    }
    if r.len() < 4 {
        return Err(format!("a polygon ring needs at least 4 positions, found {}", r.len()));
    }
    Ok(r)
}

fn polygon(rings: &[Vec<Position>]) -> Result<PolygonIn, String> {
    let Some((outer, holes)) = rings.split_first() else {
        return Err("a polygon has no rings".into());
    };
    Ok(PolygonIn { outer: ring(outer)?, holes: holes.iter().map(|h| ring(h)).collect::<Result<_, _>>()? })
}

/// A JSON string or number as text (integral numbers without a decimal point).
pub fn value_as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(if let Some(i) = n.as_i64() {
            i.to_string()
        } else if let Some(u) = n.as_u64() {
            u.to_string()
        } else {
            match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
                _ => n.to_string(),
            }
        }),
        _ => None,
    }
}
impl FeatureIn {
    /// The property `name` (exact match first, then ignoring case), if present.
    pub fn property(&self, name: &str) -> Option<&Value> {
        self.properties.get(name).or_else(|| self.properties.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
    }

    /// Whether the feature has the property `name` (ignoring case), even if null.
    pub fn has_property(&self, name: &str) -> bool {
        self.property(name).is_some()
    }

    /// The error for a property that is absent, listing the ones there are.
    pub fn missing_property(&self, file: &Path, name: &str) -> InputError {
        let names: Vec<&str> = self.properties.keys().map(String::as_str).collect();
        let have = if names.is_empty() { "it has no properties".to_string() } else { format!("its properties are: {}", names.join(", ")) };
        InputError::at(file, Location::Feature(self.index), Some(name), format!("property '{name}' is missing; {have}"))
    }

    /// A property as text (strings, or numbers written as text); missing,
    /// null or blank values are errors naming the feature and property.
    pub fn str_property(&self, file: &Path, name: &str) -> Result<String, InputError> {
        match self.opt_str_property(file, name)? {
            Some(s) => Ok(s),
            None => Err(InputError::at(file, Location::Feature(self.index), Some(name), "the value is empty")),
        }
    }

    /// A property as text, `None` when null or blank; an error when the
    /// property is absent or not a string or number.
    pub fn opt_str_property(&self, file: &Path, name: &str) -> Result<Option<String>, InputError> {
        let v = self.property(name).ok_or_else(|| self.missing_property(file, name))?;
        if v.is_null() {
            return Ok(None);
        }
        match value_as_text(v) {
            Some(s) if s.is_empty() => Ok(None),
            Some(s) => Ok(Some(s)),
            None => Err(InputError::at(file, Location::Feature(self.index), Some(name), format!("expected text or a number, found {}", json_kind(v)))),
        }
    }

    /// A property as a number (numbers, or numeric text such as `"1,234"`);
    /// missing, null, blank or non-numeric values are errors.
    pub fn f64_property(&self, file: &Path, name: &str) -> Result<f64, InputError> {
        match self.opt_f64_property(file, name)? {
            Some(x) => Ok(x),
            None => Err(InputError::at(file, Location::Feature(self.index), Some(name), "the value is empty; expected a number")),
        }
    }

    /// A property as a number, `None` when null or blank; an error when the
    /// property is absent or not a number.
    pub fn opt_f64_property(&self, file: &Path, name: &str) -> Result<Option<f64>, InputError> {
        let v = self.property(name).ok_or_else(|| self.missing_property(file, name))?;
        let bad = |shown: String| InputError::at(file, Location::Feature(self.index), Some(name), format!("{shown} is not a number"));
        match v {
            Value::Null => Ok(None),
            Value::Number(n) => n.as_f64().filter(|x| x.is_finite()).map(Some).ok_or_else(|| bad(n.to_string())),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => parse_number(s).map(Some).ok_or_else(|| bad(format!("'{s}'"))),
            other => Err(bad(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, text: &str) -> std::path::PathBuf {
        crate::testdata::temp_file("geojson", name, text)
    }

    #[test]
    fn reads_points_and_polygons_and_keeps_null_geometry() {
        let p = temp(
            "mixed.geojson",
            r#"{"type":"FeatureCollection","features":[
              {"type":"Feature","id":7,"properties":{"code":123,"pop":"1,200"},"geometry":{"type":"Point","coordinates":[-3.0,51.5]}},
              {"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}},
              {"type":"Feature","properties":null,"geometry":null}]}"#,
        );
        let f = read_feature_collection(&p, CrsChoice::Auto).unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].id.as_deref(), Some("7"));
        assert_eq!(f[0].str_property(&p, "code").unwrap(), "123");
        assert_eq!(f[0].f64_property(&p, "POP").unwrap(), 1200.0);
        match &f[1].geometry {
            GeometryIn::Polygons(ps) => assert_eq!(ps[0].outer.len(), 5, "ring closed"),
            g => panic!("{g:?}"),
        }
        assert_eq!(f[2].geometry, GeometryIn::None);
        let e = f[1].str_property(&p, "name").unwrap_err();
        assert_eq!(e.location, Location::Feature(1));
        assert_eq!(e.field.as_deref(), Some("name"));
        assert!(e.message.contains("its properties are: code"), "{e}");
    }

    #[test]
    fn malformed_features_name_the_feature_and_the_field() {
        let cases: [(&str, Option<&str>, &str); 10] = [
            (r#"{"type":"Feature","properties":{},"geometry":{"coordinates":[0,0]}}"#, Some("geometry"), "the geometry has no \"type\""),
            (r#"{"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[0,0]}}"#, Some("geometry"), "unknown geometry type 'Circle'"),
            (r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon"}}"#, Some("geometry"), "the Polygon has no \"coordinates\""),
            (
                r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,"a"]}}"#,
                Some("geometry"),
                "the Point's coordinates cannot be read",
            ),
            (r#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[1]]}}"#, Some("geometry"), "a position must be [x, y]"),
            (
                r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}"#,
                Some("geometry"),
                "at least 4 positions",
            ),
            (
                r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[0,0],[1,0],[1,1],[0,0]]}}"#,
                Some("geometry"),
                "(arrays 3 deep), found arrays 2 deep",
            ),
            (r#"{"type":"Feature","properties":[1],"geometry":null}"#, Some("properties"), "properties must be an object, found an array"),
            (r#"{"type":"Feature","id":true,"properties":{},"geometry":null}"#, Some("id"), "id must be text or a number"),
            (r#"{"type":"Point","coordinates":[0,0]}"#, Some("type"), "expected \"type\": \"Feature\", found 'Point'"),
        ];
        for (i, (feature, field, words)) in cases.into_iter().enumerate() {
            let ok = r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,0]}}"#;
            let p = temp(&format!("bad-{i}.geojson"), &format!(r#"{{"type":"FeatureCollection","features":[{ok},{feature}]}}"#));
            let e = read_feature_collection(&p, CrsChoice::Auto).unwrap_err();
            assert_eq!((e.location.clone(), e.field.as_deref()), (Location::Feature(1), field), "{e}");
            assert!(e.message.contains(words), "{feature}: {e}");
        }
    }

    #[test]
    fn bng_geojson_is_detected_from_its_crs_member() {
        let p = temp(
            "bng.geojson",
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},
               "features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[530268,179640]}}]}"#,
        );
        let f = read_feature_file(&p, CrsChoice::Auto).unwrap();
        assert_eq!(f.crs, Crs::BritishNationalGrid);
        assert_eq!(f.declared_crs, Some(Crs::BritishNationalGrid));
        let GeometryIn::Point(q) = f.features[0].geometry else { panic!() };
        assert!((q.lon + 0.1246).abs() < 0.001 && (q.lat - 51.5007).abs() < 0.001, "{q:?}");
    }

    #[test]
    fn structural_errors_are_clear() {
        let p = temp("feature.geojson", r#"{"type":"Feature","properties":{},"geometry":null}"#);
        assert!(read_feature_collection(&p, CrsChoice::Auto).unwrap_err().message.contains("single Feature"));
        let p = temp("array.geojson", "[1,2]");
        assert!(read_feature_collection(&p, CrsChoice::Auto).unwrap_err().message.contains("found an array"));
        let p = temp(
            "gc.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[]}}]}"#,
        );
        let e = read_feature_collection(&p, CrsChoice::Auto).unwrap_err();
        assert_eq!((e.location, e.field.as_deref()), (Location::Feature(0), Some("geometry")));
        let p = temp("trunc.geojson", "{\"type\":\"FeatureCollection\",\n\"features\":[");
        let e = read_feature_collection(&p, CrsChoice::Auto).unwrap_err();
        assert_eq!(e.location, Location::Line(2));
        assert!(e.message.contains("truncated"), "{e}");
    }
}
