//! Zone outlines for the synthetic county ([`super::county`]): its zones
//! file gives each zone a point and a population; the app draws zones as
//! polygons. This writes a GeoJSON of the zones' Voronoi cells (clipped to
//! the zones' extent widened by a kilometre), their edges cut into 25 m
//! pieces that wander up to 15 m either side, as output-area boundaries
//! follow streets and hedges. The wander is a smooth function of position,
//! so two neighbouring zones share the same boundary points. Deterministic:
//! only the zones file enters it.

use std::io::Write;
use std::path::{Path, PathBuf};

use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::geom::{LocalProjection, LonLat};
use crate::{Error, Result};

/// The zone polygons' file name in the county's folder.
pub const ZONE_POLYGONS_FILE: &str = "zones.geojson";

/// Length of the pieces each cell edge is cut into, metres.
const PIECE_M: f64 = 25.0;
/// How far a boundary wanders from the straight Voronoi edge, metres.
const WANDER_M: f64 = 15.0;

/// One zone read from the zones file.
struct ZonePoint {
    id: String,
    population: String,
    xy: [f64; 2],
}

fn read_zones(path: &Path) -> Result<(Vec<ZonePoint>, LocalProjection, Vec<LonLat>)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Input(crate::error::InputError::file(path, format!("cannot read: {e}"))))?;
    let bad = |line: usize, what: &str| {
        Error::Input(crate::error::InputError::at(path, crate::error::Location::Line(line as u64), None, format!("not a county zones line: {what}")))
    };
    let mut raw = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 4 {
            return Err(bad(i + 1, "fewer than 4 fields"));
        }
        let lon: f64 = f[1].parse().map_err(|_| bad(i + 1, "lon"))?;
        let lat: f64 = f[2].parse().map_err(|_| bad(i + 1, "lat"))?;
        raw.push((f[0].to_string(), f[3].to_string(), LonLat::new(lon, lat)));
    }
    let pts: Vec<LonLat> = raw.iter().map(|r| r.2).collect();
    let ext = crate::geom::Extent::of(pts.iter().copied()).ok_or_else(|| bad(1, "no zones"))?;
    let proj = LocalProjection::new(ext.centre());
    let zones = raw.into_iter().map(|(id, population, p)| ZonePoint { id, population, xy: proj.to_xy(p) }).collect();
    Ok((zones, proj, pts))
}

/// The part of `poly` on `a`'s side of the bisector of `a` and `b` (Sutherland-Hodgman).
fn clip_half(poly: &[[f64; 2]], a: [f64; 2], b: [f64; 2]) -> Vec<[f64; 2]> {
    let m = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
    let n = [b[0] - a[0], b[1] - a[1]];
    let side = |p: [f64; 2]| (p[0] - m[0]) * n[0] + (p[1] - m[1]) * n[1];
    let mut out = Vec::with_capacity(poly.len() + 1);
    for i in 0..poly.len() {
        let (p, q) = (poly[i], poly[(i + 1) % poly.len()]);
        let (sp, sq) = (side(p), side(q));
        if sp <= 0.0 {
            out.push(p);
        }
        if (sp <= 0.0) != (sq <= 0.0) {
            let t = sp / (sp - sq);
            out.push([p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t]);
        }
    }
    out
}

/// The wander at a point: smooth, so both zones of an edge move its points alike.
fn wander(p: [f64; 2]) -> [f64; 2] {
    let (x, y) = (p[0], p[1]);
    [
        WANDER_M * 0.5 * ((x / 97.0 + (y / 131.0).cos()).sin() + (y / 53.0).sin() * 0.6),
        WANDER_M * 0.5 * ((y / 89.0 + (x / 117.0).sin()).cos() + (x / 61.0).cos() * 0.6),
    ]
}

/// The Voronoi cell of zone `i` inside `frame`, edges cut and wandering.
fn cell(i: usize, zones: &[ZonePoint], tree: &RTree<GeomWithData<[f64; 2], usize>>, frame: [f64; 4]) -> Vec<[f64; 2]> {
    let a = zones[i].xy;
    let mut poly = vec![[frame[0], frame[1]], [frame[2], frame[1]], [frame[2], frame[3]], [frame[0], frame[3]]];
    for nb in tree.nearest_neighbor_iter(a) {
        if nb.data == i {
            continue;
        }
        let b = *nb.geom();
        let d2 = (b[0] - a[0]).powi(2) + (b[1] - a[1]).powi(2);
        // A neighbour farther than twice the cell's farthest corner cannot cut it.
        let reach2 = poly.iter().map(|p| (p[0] - a[0]).powi(2) + (p[1] - a[1]).powi(2)).fold(0.0, f64::max);
        if d2 > 4.0 * reach2 {
            break;
        }
        if d2 > 0.0 {
            poly = clip_half(&poly, a, b);
        }
    }
    let mut out = Vec::new();
    for k in 0..poly.len() {
        let (p, q) = (poly[k], poly[(k + 1) % poly.len()]);
        let len = ((q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2)).sqrt();
        let pieces = (len / PIECE_M).ceil().max(1.0) as usize;
        for s in 0..pieces {
            let t = s as f64 / pieces as f64;
            let at = [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
            let w = wander(at);
            out.push([at[0] + w[0], at[1] + w[1]]);
        }
    }
    out
}

/// Writes [`ZONE_POLYGONS_FILE`] beside the county's zones file in `dir`
/// (properties `zone_id` and `population`, as in the CSV) and returns its path.
pub fn write_zone_polygons(dir: &Path) -> Result<PathBuf> {
    let (zones, proj, _) = read_zones(&dir.join(super::county::ZONES_FILE))?;
    let tree = RTree::bulk_load(zones.iter().enumerate().map(|(i, z)| GeomWithData::new(z.xy, i)).collect());
    let mut frame = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for z in &zones {
        frame = [frame[0].min(z.xy[0]), frame[1].min(z.xy[1]), frame[2].max(z.xy[0]), frame[3].max(z.xy[1])];
    }
    let frame = [frame[0] - 1000.0, frame[1] - 1000.0, frame[2] + 1000.0, frame[3] + 1000.0];
    let path = dir.join(ZONE_POLYGONS_FILE);
    let write_err = |source| Error::Write { path: path.clone(), source };
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).map_err(write_err)?);
    writeln!(w, "{{\"type\":\"FeatureCollection\",\"features\":[").map_err(write_err)?;
    for (i, z) in zones.iter().enumerate() {
        let ring = cell(i, &zones, &tree, frame);
        let mut coords = String::with_capacity(ring.len() * 26);
        for p in ring.iter().chain(ring.first()) {
            let q = proj.to_lonlat(*p);
            if !coords.is_empty() {
                coords.push(',');
            }
            coords.push_str(&format!("[{:.6},{:.6}]", q.lon, q.lat));
        }
        let comma = if i + 1 < zones.len() { "," } else { "" };
        writeln!(
            w,
            "{{\"type\":\"Feature\",\"properties\":{{\"zone_id\":\"{}\",\"population\":{}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[{coords}]]}}}}{comma}",
            z.id, z.population
        )
        .map_err(write_err)?;
    }
    writeln!(w, "]}}").map_err(write_err)?;
    w.flush().map_err(write_err)?;
    Ok(path)
}

/// The scenario file's name in the county's folder.
pub const SCENARIO_FILE: &str = "county.toml";

/// Writes the zone outlines and a scenario over the county in `dir` (its
/// streets, zone outlines and sites; one service, at every tenth site) and
/// returns the scenario's path: a study the app opens as it is.
pub fn write_study(dir: &Path) -> Result<PathBuf> {
    let zones = write_zone_polygons(dir)?;
    write_scenario(dir, &zones)
}

/// Writes the scenario of [`write_study`] over the zone outlines in `zones`
/// (a GeoJSON with `zone_id` and `population`), the streets and sites in
/// `dir`; returns its path.
pub fn write_scenario(dir: &Path, zones: &Path) -> Result<PathBuf> {
    let sites_path = dir.join(super::county::SITES_FILE);
    let sites = std::fs::read_to_string(&sites_path).map_err(|e| Error::Input(crate::error::InputError::file(&sites_path, format!("cannot read: {e}"))))?;
    let offered: Vec<String> = sites.lines().skip(1).filter_map(|l| l.split(',').next()).step_by(10).map(|id| format!("\"{id}\"")).collect();
    let scenario = dir.join(SCENARIO_FILE);
    let text = format!(
        "schema_version = 1\nname = \"Synthetic county\"\n[inputs]\nosm = \"{}\"\nzones = \"{}\"\nzone_id = \"zone_id\"\npopulation = \"population\"\nsites = \"{}\"\n\n[[service]]\nid = \"msk-triage\"\nsites = [{}]\n",
        super::county::osm_in(dir).display(),
        zones.display(),
        sites_path.display(),
        offered.join(", ")
    );
    std::fs::write(&scenario, text).map_err(|source| Error::Write { path: scenario.clone(), source })?;
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_zone_gets_one_cell_holding_its_point_and_the_cells_tile_the_frame() {
        let dir = std::env::temp_dir().join(format!("accessplan-county-zones-{}", std::process::id()));
        let s = super::super::county::generate(&dir, &super::super::county::CountyOptions::scaled(10_000)).unwrap();
        let path = write_zone_polygons(&dir).unwrap();
        let opts = crate::input::zones::ZoneOptions {
            id_field: "zone_id".into(),
            population_field: Some("population".into()),
            crs: crate::input::crs::CrsChoice::Auto,
            locality_field: None,
        };
        let (zones, _) = crate::input::zones::load_zones(&path, &opts).unwrap();
        assert_eq!(zones.len(), s.zones);
        let residents: f64 = zones.iter().map(|z| z.population).sum();
        assert_eq!(residents.round() as u64, s.residents as u64);
        // Each cell has its wandering boundary (many points) and contains its own point.
        let (points, _, _) = read_zones(&dir.join(super::super::county::ZONES_FILE)).unwrap();
        let tree = RTree::bulk_load(points.iter().enumerate().map(|(i, z)| GeomWithData::new(z.xy, i)).collect());
        let frame = [-1e6, -1e6, 1e6, 1e6];
        for (i, z) in zones.iter().enumerate() {
            assert_eq!(z.polygons.len(), 1, "{}", z.id);
            assert!(z.polygons[0].len() > 20, "{}: {} points", z.id, z.polygons[0].len());
            // The straight cell (no wander) is convex and holds the zone's point.
            let straight = {
                let a = points[i].xy;
                let mut poly = vec![[frame[0], frame[1]], [frame[2], frame[1]], [frame[2], frame[3]], [frame[0], frame[3]]];
                for nb in tree.nearest_neighbor_iter(a).skip(1).take(40) {
                    poly = clip_half(&poly, a, *nb.geom());
                }
                poly
            };
            let a = points[i].xy;
            for k in 0..straight.len() {
                let (p, q) = (straight[k], straight[(k + 1) % straight.len()]);
                assert!((q[0] - p[0]) * (a[1] - p[1]) - (q[1] - p[1]) * (a[0] - p[0]) >= -1e-6, "{} outside its cell", z.id);
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
