//! GeoJSON layers of an evaluation or a comparison that open in QGIS: one
//! layer of zones per mode with the minutes to each service and to the
//! nearest HLC (before, after and the difference for a comparison), and a
//! catchments layer naming the site each zone uses for each service (car off
//! peak, or the first mode computed). Zones keep their polygons (a point for
//! point zones); coordinates are WGS84 rounded to 6 decimals, minutes to 0.1.
//! Each layer is written by serde_json in one line, geometry as the
//! `geojson` crate's values made from `geo` shapes.
//! Layers built on OpenStreetMap data carry an `attribution` member.

use geojson::GeometryValue;
use serde_json::Value;

use crate::analysis::compare::Comparison;
use crate::analysis::compare::matching_target;
use crate::analysis::loads::catchment_mode;
use crate::analysis::{Evaluation, Target};
use crate::export::geojson_out::round6;
use crate::geom::LonLat;
use crate::model::Site;
use crate::plan::scenario::Scenario;
use crate::region::Region;
use crate::travel::Mode;

/// The attribution every layer built on OpenStreetMap data carries.
pub const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors";

/// One property column of a zones layer: a value per zone.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Minutes (or another number), written rounded to 0.1; `None` is null.
    Minutes(String, Vec<Option<f64>>),
    /// Text, e.g. a site id; `None` is null.
    Text(String, Vec<Option<String>>),
}

/// The file name of the zones layer of a mode: `zones_<mode>.geojson`.
pub fn zones_file_name(mode: Mode) -> &'static str {
    match mode {
        Mode::CarOffpeak => "zones_car-offpeak.geojson",
        Mode::CarPeak => "zones_car-peak.geojson",
        Mode::Walk => "zones_walk.geojson",
        Mode::Cycle => "zones_cycle.geojson",
        Mode::Bus => "zones_bus.geojson",
    }
}

/// A number property: minutes rounded to 0.1 when `tenths` (never "-0"),
/// null when absent or not finite.
fn number(x: Option<f64>, tenths: bool) -> Value {
    let x = x.filter(|v| v.is_finite()).map(|v| if tenths { (v * 10.0).round() / 10.0 } else { v });
    // Adding 0.0 turns -0.0 into 0.0.
    x.and_then(|v| serde_json::Number::from_f64(v + 0.0)).map_or(Value::Null, Value::Number)
}

/// A text property, null when absent.
fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::from)
}

/// The geometry of a zone: its polygon(s), or its point; WGS84 rounded to 6
/// decimals, through `geo` and the `geojson` crate's conversions.
fn zone_geometry(z: &crate::model::Zone) -> GeometryValue {
    let at = |p: &LonLat| geo::coord! { x: round6(p.lon), y: round6(p.lat) };
    let mut polygons: Vec<geo::Polygon<f64>> =
        z.polygons.iter().filter(|r| r.len() >= 3).map(|r| geo::Polygon::new(geo::LineString::new(r.iter().map(at).collect()), vec![])).collect();
    match polygons.len() {
        0 => GeometryValue::from(&geo::Point::from(at(&z.point))),
        1 => GeometryValue::from(&polygons.remove(0)),
        _ => GeometryValue::from(&geo::MultiPolygon::new(polygons)),
    }
}

/// A FeatureCollection with one feature per zone: `zone_id`, `locality`,
/// `population`, then the given columns in order.
///
/// Written by serde_json from the typed layer below, geometry as the
/// `geojson` crate's values. Properties keep their column order (a planner
/// opening the layer expects `zone_id` first and each service's columns side
/// by side), which the crate's own features would not: they hold properties
/// in serde_json's map, sorted by name.
pub fn zones_geojson(region: &Region, name: &str, columns: &[Column]) -> String {
    let features = region
        .zones
        .iter()
        .enumerate()
        .map(|(zi, z)| {
            let mut properties: Vec<(&str, Value)> =
                vec![("zone_id", Value::from(z.id.as_str())), ("locality", text(z.locality.as_deref())), ("population", number(Some(z.population), false))];
            for c in columns {
                properties.push(match c {
                    Column::Minutes(n, v) => (n.as_str(), number(v.get(zi).copied().flatten(), true)),
                    Column::Text(n, v) => (n.as_str(), text(v.get(zi).and_then(|x| x.as_deref()))),
                });
            }
            ZoneFeature { kind: "Feature", properties: Properties(properties), geometry: zone_geometry(z) }
        })
        .collect();
    let layer = ZonesLayer { kind: "FeatureCollection", name, attribution: region.uses_osm.then_some(OSM_ATTRIBUTION), features };
    // Keys are strings and numbers finite (`number` writes null otherwise), so this cannot fail.
    let mut o = serde_json::to_string(&layer).expect("a zones layer serialises");
    o.push('\n');
    o
}

/// A zones layer as written: a FeatureCollection with its name and, on
/// OpenStreetMap data, the attribution.
#[derive(serde::Serialize)]
struct ZonesLayer<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribution: Option<&'static str>,
    features: Vec<ZoneFeature<'a>>,
}

/// One zone's feature: its properties in column order and its geometry.
#[derive(serde::Serialize)]
struct ZoneFeature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    properties: Properties<'a>,
    geometry: GeometryValue,
}

/// Properties in the order given, written as one JSON object.
struct Properties<'a>(Vec<(&'a str, Value)>);

impl serde::Serialize for Properties<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Property name stem of a target: `any_hlc` or the service id.
fn stem(s: &Scenario, t: Target) -> String {
    match t {
        Target::AnyHlc => "any_hlc".into(),
        Target::Service(i) => s.services[i].id.clone(),
    }
}

fn targets(s: &Scenario) -> Vec<Target> {
    crate::export::tables::targets(s)
}

/// Minutes per zone for a target and mode, if the mode was computed.
fn minutes(e: &Evaluation, t: Target, mode: Mode, n: usize) -> Vec<Option<f64>> {
    match e.mode_index(mode) {
        Some(k) => e.choices_of(t, k).iter().map(|c| c.minutes()).collect(),
        None => vec![None; n],
    }
}

/// Site ids (of `sites`) per zone for a target and mode.
fn site_ids(region: &Region, sites: &[Site], e: &Evaluation, t: Target, mode: Mode) -> Vec<Option<String>> {
    match e.mode_index(mode) {
        Some(k) => e.choices_of(t, k).iter().map(|c| c.site().map(|s| sites[s].id.clone())).collect(),
        None => vec![None; region.zones.len()],
    }
}

/// The zones layer of one scenario and mode: `<service>_min` per service and `any_hlc_min`.
pub fn evaluation_zones_geojson(region: &Region, s: &Scenario, e: &Evaluation, mode: Mode) -> String {
    let n = region.zones.len();
    let cols: Vec<Column> = targets(s).into_iter().map(|t| Column::Minutes(format!("{}_min", stem(s, t)), minutes(e, t, mode, n))).collect();
    zones_geojson(region, &format!("{}: minutes by {}", s.name, mode.title().to_lowercase()), &cols)
}

/// The zones layer of a comparison and mode: `<service>_before_min`,
/// `<service>_after_min` and `<service>_diff_min` (after − before; negative
/// is quicker) per service of the proposal, and the same for `any_hlc`.
pub fn comparison_zones_geojson(region: &Region, base_s: &Scenario, prop_s: &Scenario, c: &Comparison, mode: Mode) -> String {
    let n = region.zones.len();
    let mut cols = Vec::new();
    for t in targets(prop_s) {
        let after = minutes(&c.proposed, t, mode, n);
        let before = matching_target(base_s, prop_s, t).map_or(vec![None; n], |bt| minutes(&c.base, bt, mode, n));
        let diff: Vec<Option<f64>> = before.iter().zip(&after).map(|(b, a)| Some((*a)? - (*b)?)).collect();
        let st = stem(prop_s, t);
        cols.push(Column::Minutes(format!("{st}_before_min"), before));
        cols.push(Column::Minutes(format!("{st}_after_min"), after));
        cols.push(Column::Minutes(format!("{st}_diff_min"), diff));
    }
    zones_geojson(region, &format!("{} vs {}: minutes by {}", prop_s.name, base_s.name, mode.title().to_lowercase()), &cols)
}

/// The catchments layer of one scenario: `<service>_site` (and
/// `any_hlc_site`), the site each zone uses by the catchment mode, which is
/// also written as `mode`. Site indices are into `sites`, the study's.
pub fn evaluation_catchments_geojson(region: &Region, sites: &[Site], s: &Scenario, e: &Evaluation) -> String {
    let Some(&mode) = e.modes.get(catchment_mode(&e.modes)) else { return zones_geojson(region, "catchments", &[]) };
    let mut cols = vec![Column::Text("mode".into(), vec![Some(mode.label().to_string()); region.zones.len()])];
    cols.extend(targets(s).into_iter().map(|t| Column::Text(format!("{}_site", stem(s, t)), site_ids(region, sites, e, t, mode))));
    zones_geojson(region, &format!("{}: catchments by {}", s.name, mode.title().to_lowercase()), &cols)
}

/// The catchments layer of a comparison: `<service>_before_site` and
/// `<service>_after_site` per service of the proposal (and for `any_hlc`).
pub fn comparison_catchments_geojson(region: &Region, sites: &[Site], base_s: &Scenario, prop_s: &Scenario, c: &Comparison) -> String {
    let Some(&mode) = c.proposed.modes.get(catchment_mode(&c.proposed.modes)) else { return zones_geojson(region, "catchments", &[]) };
    let mut cols = vec![Column::Text("mode".into(), vec![Some(mode.label().to_string()); region.zones.len()])];
    for t in targets(prop_s) {
        let st = stem(prop_s, t);
        let before = matching_target(base_s, prop_s, t).map_or(vec![None; region.zones.len()], |bt| site_ids(region, sites, &c.base, bt, mode));
        cols.push(Column::Text(format!("{st}_before_site"), before));
        cols.push(Column::Text(format!("{st}_after_site"), site_ids(region, sites, &c.proposed, t, mode)));
    }
    zones_geojson(region, &format!("{} vs {}: catchments by {}", prop_s.name, base_s.name, mode.title().to_lowercase()), &cols)
}

/// Every layer of one evaluated scenario: `zones_<mode>.geojson` per mode and `catchments.geojson`.
pub fn evaluation_layers(region: &Region, sites: &[Site], s: &Scenario, e: &Evaluation) -> Vec<(&'static str, Vec<u8>)> {
    let mut out: Vec<(&'static str, Vec<u8>)> = e.modes.iter().map(|&m| (zones_file_name(m), evaluation_zones_geojson(region, s, e, m).into_bytes())).collect();
    out.push(("catchments.geojson", evaluation_catchments_geojson(region, sites, s, e).into_bytes()));
    out
}

/// Every layer of a comparison: `zones_<mode>.geojson` per mode and `catchments.geojson`.
pub fn comparison_layers(region: &Region, sites: &[Site], base_s: &Scenario, prop_s: &Scenario, c: &Comparison) -> Vec<(&'static str, Vec<u8>)> {
    let mut out: Vec<(&'static str, Vec<u8>)> =
        c.proposed.modes.iter().map(|&m| (zones_file_name(m), comparison_zones_geojson(region, base_s, prop_s, c, m).into_bytes())).collect();
    out.push(("catchments.geojson", comparison_catchments_geojson(region, sites, base_s, prop_s, c).into_bytes()));
    out
}

/// A FeatureCollection of `features` (properties in order, geometry) named `name`.
fn collection(region: &Region, name: &str, features: Vec<ZoneFeature<'_>>) -> Vec<u8> {
    let layer = ZonesLayer { kind: "FeatureCollection", name, attribution: region.uses_osm.then_some(OSM_ATTRIBUTION), features };
    // Keys are strings and numbers finite (`number` writes null otherwise), so this cannot fail.
    let mut o = serde_json::to_string(&layer).expect("a layer serialises");
    o.push('\n');
    o.into_bytes()
}

/// The places of a study, in layers that need no travel time (what a study
/// without a street network can still write): `zones.geojson` (`zone_id`,
/// `locality`, `population`), `sites.geojson` (`site_id`, `name`, `kind`,
/// `role`, `locality`, `status`, `hlc_of`: the localities it is the HLC of,
/// as the scenario `s` gives them) and `localities.geojson` (`name`,
/// `zones`, `population`, `hlc`). Site indices are into `sites`, the study's.
pub fn places_layers(region: &Region, sites: &[Site], s: &Scenario) -> Vec<(&'static str, Vec<u8>)> {
    let zones = zones_geojson(region, &format!("{}: zones", s.name), &[]).into_bytes();
    let site_loc = s.site_localities(region, sites);
    let loc_name = |l: Option<usize>| l.and_then(|l| region.localities.get(l)).map(|l| l.name.as_str());
    let at = |p: &LonLat| geo::coord! { x: round6(p.lon), y: round6(p.lat) };
    let site_features = sites
        .iter()
        .enumerate()
        .map(|(i, site)| {
            let hlc_of: Vec<&str> = s.hlc.iter().enumerate().filter(|(_, h)| **h == Some(i)).filter_map(|(l, _)| loc_name(Some(l))).collect();
            let properties = vec![
                ("site_id", Value::from(site.id.as_str())),
                ("name", Value::from(site.name.as_str())),
                ("kind", Value::from(site.kind.as_str())),
                ("role", Value::from(s.role_of(sites, i).label())),
                ("locality", text(loc_name(site_loc.get(i).copied().flatten()))),
                ("status", Value::from(if site.status == crate::model::SiteStatus::Planned { "planned" } else { "existing" })),
                ("hlc_of", if hlc_of.is_empty() { Value::Null } else { Value::from(hlc_of.join("; ")) }),
                ("capacity", number(site.capacity, false)),
            ];
            ZoneFeature { kind: "Feature", properties: Properties(properties), geometry: GeometryValue::from(&geo::Point::from(at(&site.point))) }
        })
        .collect();
    let locality_features = region
        .localities
        .iter()
        .enumerate()
        .map(|(li, l)| {
            let members = region.zones.iter().filter(|z| z.locality.as_deref() == Some(l.name.as_str()));
            let (n, pop) = members.fold((0usize, 0.0), |(n, p), z| (n + 1, p + z.population));
            let properties = vec![
                ("name", Value::from(l.name.as_str())),
                ("zones", Value::from(n)),
                ("population", number(Some(pop), false)),
                ("hlc", text(s.hlc.get(li).copied().flatten().and_then(|h| sites.get(h)).map(|h| h.name.as_str()))),
            ];
            let mut polygons: Vec<geo::Polygon<f64>> =
                l.polygons.iter().filter(|r| r.len() >= 3).map(|r| geo::Polygon::new(geo::LineString::new(r.iter().map(at).collect()), vec![])).collect();
            let geometry = match polygons.len() {
                1 => GeometryValue::from(&polygons.remove(0)),
                _ => GeometryValue::from(&geo::MultiPolygon::new(polygons)),
            };
            ZoneFeature { kind: "Feature", properties: Properties(properties), geometry }
        })
        .collect();
    vec![
        ("zones.geojson", zones),
        ("sites.geojson", collection(region, &format!("{}: sites", s.name), site_features)),
        ("localities.geojson", collection(region, &format!("{}: localities", s.name), locality_features)),
    ]
}
