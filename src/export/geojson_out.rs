//! GeoJSON layers that open in QGIS: isochrone bands.

use geo::MultiPolygon;
use serde_json::{Value, json};

use crate::travel::isochrone::Isochrone;

fn multipolygon_json(mp: &MultiPolygon<f64>) -> Value {
    let ring = |ls: &geo::LineString<f64>| -> Value { Value::Array(ls.coords().map(|c| json!([round6(c.x), round6(c.y)])).collect()) };
    let polys: Vec<Value> =
        mp.0.iter()
            .map(|p| {
                let mut rings = vec![ring(p.exterior())];
                rings.extend(p.interiors().iter().map(ring));
                Value::Array(rings)
            })
            .collect();
    json!({"type": "MultiPolygon", "coordinates": polys})
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A FeatureCollection with one feature per band: `from_min`, `to_min`,
/// `label` ("10-15 min"), `mode`, `period`.
pub fn isochrone_geojson(iso: &Isochrone, mode: &str, period: &str) -> String {
    let features: Vec<Value> = iso
        .bands
        .iter()
        .map(|b| {
            json!({
                "type": "Feature",
                "properties": {
                    "from_min": b.from_min,
                    "to_min": b.to_min,
                    "label": format!("{}-{} min", b.from_min, b.to_min),
                    "mode": mode,
                    "period": period,
                    "origin_lon": iso.origin.lon,
                    "origin_lat": iso.origin.lat,
                },
                "geometry": multipolygon_json(&b.area),
            })
        })
        .collect();
    let fc = json!({"type": "FeatureCollection", "name": "isochrone", "features": features, "attribution": "© OpenStreetMap contributors"});
    serde_json::to_string_pretty(&fc).unwrap_or_default()
}
