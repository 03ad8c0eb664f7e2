//! GeoJSON layers that open in QGIS: isochrone bands, written by the
//! `geojson` crate from the bands' `geo` multipolygons.

use geo::{MapCoords, MultiPolygon};
use geojson::{Feature, FeatureCollection, Geometry, JsonObject, JsonValue};

use crate::travel::isochrone::Isochrone;

/// Coordinates rounded to 6 decimals (about 0.1 m), as every layer writes them.
pub(crate) fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn rounded(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    mp.map_coords(|c| geo::coord! { x: round6(c.x), y: round6(c.y) })
}

/// A FeatureCollection with one feature per band, nearest first; bands do
/// not overlap (`bands: "non-overlapping"` on the collection: each band's
/// holes hold the nearer bands). Properties: `min_from`, `min_to` (and the
/// same as `from_min`, `to_min`), `label` ("10-15 min"), `area_km2` (the
/// band's own area), `polygons`, `holes`, `mode`, `period`, the origin.
pub fn isochrone_geojson(iso: &Isochrone, mode: &str, period: &str) -> String {
    let features = iso
        .bands
        .iter()
        .map(|b| {
            let mut properties = JsonObject::new();
            properties.insert("min_from".into(), b.from_min.into());
            properties.insert("min_to".into(), b.to_min.into());
            properties.insert("from_min".into(), b.from_min.into());
            properties.insert("to_min".into(), b.to_min.into());
            properties.insert("label".into(), format!("{}-{} min", b.from_min, b.to_min).into());
            properties.insert("area_km2".into(), ((b.area_km2 * 1000.0).round() / 1000.0).into());
            properties.insert("polygons".into(), b.polygons.into());
            properties.insert("holes".into(), b.holes.into());
            properties.insert("mode".into(), mode.into());
            properties.insert("period".into(), period.into());
            properties.insert("origin_lon".into(), iso.origin.lon.into());
            properties.insert("origin_lat".into(), iso.origin.lat.into());
            Feature { geometry: Some(Geometry::from(&rounded(&b.area))), properties: Some(properties), ..Feature::default() }
        })
        .collect();
    let mut members = JsonObject::new();
    members.insert("name".into(), JsonValue::from("isochrone"));
    members.insert("bands".into(), JsonValue::from("non-overlapping"));
    members.insert("attribution".into(), JsonValue::from(crate::export::layers::OSM_ATTRIBUTION));
    FeatureCollection { bbox: None, features, foreign_members: Some(members) }.to_string()
}
