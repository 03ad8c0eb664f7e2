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
    /// Deprivation decile, 1 (most deprived tenth) to 10, like the IMD's.
    pub imd_decile: u8,
    /// Residents by age band, in the order of [`AGE_BANDS`]; they sum to `population`.
    pub age: [u64; 6],
    /// Share of households without a car or van, per cent.
    pub pct_no_car: f64,
}

/// The census age bands (Census 2021 TS007 grouped as the shared national
/// table has them) the demo zones carry.
pub const AGE_BANDS: [&str; 6] = ["age_0_15", "age_16_24", "age_25_34", "age_35_49", "age_50_64", "age_65_plus"];

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
            DemoZone {
                id: format!("DZ{:04}", i + 1),
                locality: loc[i],
                population: pops[i].max(1),
                ring_m,
                point_m,
                imd_decile: 0,
                age: [0; 6],
                pct_no_car: 0.0,
            }
        })
        .collect();
    let mut set = ZoneSet { zones, splits, base_population: base_of };
    equality_attributes(&mut set.zones);
    set
}

/// Gives each zone the figures an equality analysis joins from the census
/// and the IMD, made up but shaped like real towns: the denser the zone,
/// the more deprived, the younger and the fewer households with a car.
/// Deciles are cut from a score (density rank plus noise) so each tenth of
/// the zones gets one decile; age bands and car shares follow density.
fn equality_attributes(zones: &mut [DemoZone]) {
    let mut rng = SplitMix64::stream("equality");
    let density: Vec<f64> = zones
        .iter()
        .map(|z| {
            let (area_m2, _) = grid::area_centroid(&z.ring_m);
            z.population as f64 / (area_m2.abs() / 1e6).max(0.01)
        })
        .collect();
    // 0 in the sparsest zone, 1 in the densest: the rank of its density
    // (ranks, not logarithms, keep every figure exact on every platform).
    let mut by_density: Vec<usize> = (0..zones.len()).collect();
    by_density.sort_by(|&a, &b| density[a].total_cmp(&density[b]).then(a.cmp(&b)));
    let mut urban = vec![0.0; zones.len()];
    for (rank, &z) in by_density.iter().enumerate() {
        urban[z] = rank as f64 / (zones.len().max(2) - 1) as f64;
    }
    let score: Vec<f64> = urban.iter().map(|u| u + rng.range(-0.25, 0.25)).collect();
    let mut order: Vec<usize> = (0..zones.len()).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
    for (rank, &z) in order.iter().enumerate() {
        zones[z].imd_decile = (1 + rank * 10 / zones.len().max(1)).min(10) as u8;
    }
    for (z, u) in zones.iter_mut().zip(&urban) {
        // Shares of the bands: a town-centre profile (young adults) against a village one (older).
        let town = [0.19, 0.14, 0.19, 0.20, 0.16, 0.12];
        let village = [0.16, 0.08, 0.09, 0.18, 0.24, 0.25];
        let w: Vec<f64> = town.iter().zip(&village).map(|(t, v)| (u * t + (1.0 - u) * v) * rng.range(0.9, 1.1)).collect();
        z.age = largest_remainder(&w, z.population);
        z.pct_no_car = ((6.0 + 38.0 * u * u + rng.range(-3.0, 3.0)).clamp(2.0, 60.0) * 10.0).round() / 10.0;
    }
}

/// `total` shared out in proportion to `w`, in whole numbers that sum to it.
fn largest_remainder(w: &[f64], total: u64) -> [u64; 6] {
    let sum: f64 = w.iter().sum();
    let exact: Vec<f64> = w.iter().map(|x| x / sum * total as f64).collect();
    let mut out = [0u64; 6];
    for (o, e) in out.iter_mut().zip(&exact) {
        *o = e.floor() as u64;
    }
    let mut order: Vec<usize> = (0..6).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
    let short = total - out.iter().sum::<u64>();
    for &i in order.iter().take(short as usize) {
        out[i] += 1;
    }
    out
}

/// The zones as a GeoJSON FeatureCollection (one feature per line).
pub fn zones_geojson(set: &ZoneSet, proj: &layout::Projection) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"name\":\"Riverdale demo zones (synthetic)\",\"features\":[\n");
    for (i, z) in set.zones.iter().enumerate() {
        let ages: String = AGE_BANDS.iter().zip(&z.age).map(|(b, n)| format!(",\"{b}\":{n}")).collect();
        out.push_str(&format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"zone_id\":{},\"population\":{},\"locality\":{},\"imd_decile\":{}{ages},\"pct_no_car\":{}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{}]}}}}{}\n",
            json_str(&z.id),
            z.population,
            json_str(LOCALITIES[z.locality].name),
            z.imd_decile,
            z.pct_no_car,
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
