//! Population zones: about 800 small areas of some 300 residents each, like
//! census output areas, cut from the lattice so that each lies in one
//! locality, and the GeoJSON files of zones and localities.

use super::grid::{self, Lattice};
use super::layout::{self, COLUMNS, LOCALITIES, ROWS_PER_SIDE, Side};
use super::rng::SplitMix64;
use super::text::{coords_json, json_str};
use std::collections::BTreeMap;

/// Most residents a zone is aimed at; base cells are split until their zones hold no more.
const ZONE_TARGET_RESIDENTS: f64 = 440.0;

/// One population zone.
#[derive(Debug, Clone)]
pub struct DemoZone {
    /// Identifier, `DZ0001`...
    pub id: String,
    /// Index into [`LOCALITIES`].
    pub locality: usize,
    /// Residents.
    pub population: u64,
    /// Outline in metres, anticlockwise, not closed.
    pub ring_m: Vec<[f64; 2]>,
    /// Its centroid in metres (the point that stands for it).
    pub point_m: [f64; 2],
}

/// The zones and how each base cell was split.
#[derive(Debug, Clone)]
pub struct ZoneSet {
    /// The zones, in id order.
    pub zones: Vec<DemoZone>,
    /// Splits per base cell, keyed by (side, column, row).
    pub splits: BTreeMap<(Side, usize, usize), i32>,
    /// Residents per base cell, keyed by (side, column, row).
    pub base_population: BTreeMap<(Side, usize, usize), u64>,
}

/// Residents in a cell before scaling: density integrated on an s x s grid of samples.
fn raw_residents(side: Side, x0: f64, x1: f64, t0: f64, t1: f64, samples: usize) -> f64 {
    let mut sum = 0.0;
    for i in 0..samples {
        let x = x0 + (x1 - x0) * (i as f64 + 0.5) / samples as f64;
        let height_m = (side.edge_y() - layout::river_y(x)).abs();
        for j in 0..samples {
            let t = t0 + (t1 - t0) * (j as f64 + 0.5) / samples as f64;
            let area_km2 = ((x1 - x0) / samples as f64) * ((t1 - t0) / samples as f64) * height_m / 1e6;
            sum += layout::density_per_km2(layout::point(side, x, t)) * area_km2;
        }
    }
    sum
}

/// Scales raw values so each locality sums to its population, in whole
/// residents (largest remainder), each at least 1.
fn allocate(raw: &[f64], locality: &[usize]) -> Vec<u64> {
    let mut out = vec![0u64; raw.len()];
    for (li, loc) in LOCALITIES.iter().enumerate() {
        let idx: Vec<usize> = (0..raw.len()).filter(|&i| locality[i] == li).collect();
        let total: f64 = idx.iter().map(|&i| raw[i]).sum();
        if idx.is_empty() || total <= 0.0 {
            continue;
        }
        let exact: Vec<f64> = idx.iter().map(|&i| raw[i] * loc.population as f64 / total).collect();
        let mut given = 0u64;
        for (k, &i) in idx.iter().enumerate() {
            out[i] = exact[k].floor() as u64;
            given += out[i];
        }
        let mut order: Vec<usize> = (0..idx.len()).collect();
        order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
        for &k in order.iter().take((loc.population.saturating_sub(given)) as usize) {
            out[idx[k]] += 1;
        }
    }
    out
}

/// Builds the zones.
pub fn build() -> ZoneSet {
    // 1. How many ways to split each base cell, from its expected residents.
    let mut keys = Vec::new();
    let mut raw_base = Vec::new();
    let mut base_loc = Vec::new();
    for side in Side::BOTH {
        for col in 0..COLUMNS {
            for row in 0..ROWS_PER_SIDE {
                let (x0, x1) = (grid::x_m(col as i32 * grid::UNITS), grid::x_m((col as i32 + 1) * grid::UNITS));
                let (t0, t1) = (grid::t_of(row as i32 * grid::UNITS), grid::t_of((row as i32 + 1) * grid::UNITS));
                keys.push((side, col, row));
                raw_base.push(raw_residents(side, x0, x1, t0, t1, 8));
                base_loc.push(layout::locality_of(side, col));
            }
        }
    }
    let base_pop = allocate(&raw_base, &base_loc);
    let splits: BTreeMap<(Side, usize, usize), i32> =
        keys.iter().zip(&base_pop).map(|(k, &p)| (*k, (((p as f64 / ZONE_TARGET_RESIDENTS).sqrt() - 0.15).ceil() as i32).clamp(1, 6))).collect();

    // 2. Cut the zones and share each base cell's residents among them:
    // by the square root of the density (zones, like output areas, are drawn
    // to hold similar numbers) with some local variation.
    let lattice = Lattice::new(|s, c, r| splits.get(&(s, c, r)).copied().unwrap_or(1));
    let mut rng = SplitMix64::stream("zones");
    let weights: Vec<f64> = lattice
        .cells
        .iter()
        .map(|c| raw_residents(c.side, grid::x_m(c.x0), grid::x_m(c.x1), grid::t_of(c.t0), grid::t_of(c.t1), 4).sqrt() * rng.range(0.8, 1.2))
        .collect();
    let mut cell_weight: BTreeMap<(Side, usize, usize), f64> = BTreeMap::new();
    for (c, w) in lattice.cells.iter().zip(&weights) {
        *cell_weight.entry((c.side, c.col, c.row)).or_default() += w;
    }
    let base_of: BTreeMap<(Side, usize, usize), u64> = keys.iter().copied().zip(base_pop.iter().copied()).collect();
    let mut raw = Vec::new();
    let mut loc = Vec::new();
    for (c, w) in lattice.cells.iter().zip(&weights) {
        let key = (c.side, c.col, c.row);
        let total_w = cell_weight.get(&key).copied().unwrap_or(1.0);
        raw.push(base_of.get(&key).copied().unwrap_or(0) as f64 * w / total_w);
        loc.push(layout::locality_of(c.side, c.col));
    }
    let pops = allocate(&raw, &loc);
    let zones = lattice
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let ring_m = lattice.ring_m(c);
            let (_, point_m) = grid::area_centroid(&ring_m);
            DemoZone { id: format!("DZ{:04}", i + 1), locality: loc[i], population: pops[i].max(1), ring_m, point_m }
        })
        .collect();
    ZoneSet { zones, splits, base_population: base_of }
}

/// The zones as a GeoJSON FeatureCollection (one feature per line).
pub fn zones_geojson(set: &ZoneSet, proj: &layout::Projection) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"name\":\"Riverdale demo zones (synthetic)\",\"features\":[\n");
    for (i, z) in set.zones.iter().enumerate() {
        out.push_str(&format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"zone_id\":{},\"population\":{},\"locality\":{}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{}]}}}}{}\n",
            json_str(&z.id),
            z.population,
            json_str(LOCALITIES[z.locality].name),
            coords_json(&z.ring_m, proj),
            if i + 1 < set.zones.len() { "," } else { "" }
        ));
    }
    out.push_str("]}\n");
    out
}

/// The six localities as a GeoJSON FeatureCollection.
pub fn localities_geojson(proj: &layout::Projection) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"name\":\"Riverdale demo localities (synthetic)\",\"features\":[\n");
    for (i, l) in LOCALITIES.iter().enumerate() {
        out.push_str(&format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"name\":{}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{}]}}}}{}\n",
            json_str(l.name),
            coords_json(&l.ring(), proj),
            if i + 1 < LOCALITIES.len() { "," } else { "" }
        ));
    }
    out.push_str("]}\n");
    out
}
