//! Where the demo region lies and what shapes it: the river, the six towns
//! and their localities, a few villages, and the population density.
//!
//! Geometry is worked in metres east and north of the region's centre
//! (lon 0.55, lat 51.38, in north Kent) and turned into WGS84 only when files
//! are written. The river runs west to east across the middle and divides the
//! three northern localities from the three southern ones. Positions between
//! the river and the outer edge are described by a coordinate `t` (0 on the
//! river, 1 on the region's northern or southern edge) so that zones and
//! streets can be cut from one grid that fits the river exactly.

use super::detmath;
use crate::geom::{EARTH_RADIUS_M, LonLat};

/// The region's centre in WGS84.
pub const CENTRE: LonLat = LonLat::new(0.55, 51.38);
/// Half the region's width (west to east), metres.
pub const HALF_WIDTH_M: f64 = 10_000.0;
/// Half the region's height (south to north), metres.
pub const HALF_HEIGHT_M: f64 = 7_500.0;
/// Number of 1 km columns the region is cut into.
pub const COLUMNS: usize = 20;
/// Width of one column, metres.
pub const COLUMN_WIDTH_M: f64 = 1_000.0;
/// Rows of the base grid on each side of the river.
pub const ROWS_PER_SIDE: usize = 7;
/// Spacing of the river's vertices, metres.
pub const RIVER_STEP_M: f64 = 250.0;
/// Offset of the river's vertices from multiples of [`RIVER_STEP_M`], so that
/// no street or bridge meets the river exactly at one of its vertices.
pub const RIVER_PHASE_M: f64 = 125.0;
/// How far the river runs on beyond the zones at each end, metres.
pub const RIVER_OVERHANG_M: f64 = 1_000.0;
/// How far from the river's centre line a street may come, metres.
pub const BANK_OFFSET_M: f64 = 45.0;

/// Which side of the river a place is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// Between the river and the northern edge.
    North,
    /// Between the river and the southern edge.
    South,
}

impl Side {
    /// Both sides, north first.
    pub const BOTH: [Side; 2] = [Side::North, Side::South];

    /// The y (metres) of the region's outer edge on this side.
    pub fn edge_y(self) -> f64 {
        match self {
            Side::North => HALF_HEIGHT_M,
            Side::South => -HALF_HEIGHT_M,
        }
    }

    /// +1 north of the river, -1 south of it.
    pub fn sign(self) -> f64 {
        match self {
            Side::North => 1.0,
            Side::South => -1.0,
        }
    }
}

/// The river's smooth course: y (metres) at x.
fn river_shape_y(x_m: f64) -> f64 {
    -300.0 + 1100.0 * detmath::sin(x_m / 3600.0 + 0.4) + 250.0 * detmath::sin(x_m / 1100.0 + 1.0)
}

/// The river's centre line as drawn: straight between vertices every
/// [`RIVER_STEP_M`] metres of x.
pub fn river_y(x_m: f64) -> f64 {
    let k = ((x_m - RIVER_PHASE_M) / RIVER_STEP_M).floor();
    let x0 = k * RIVER_STEP_M + RIVER_PHASE_M;
    let y0 = river_shape_y(x0);
    let y1 = river_shape_y(x0 + RIVER_STEP_M);
    y0 + (y1 - y0) * (x_m - x0) / RIVER_STEP_M
}

/// Which side of the river a point is on.
pub fn side_of(p: [f64; 2]) -> Side {
    if p[1] >= river_y(p[0]) { Side::North } else { Side::South }
}

/// The river's vertices strictly between `a` and `b` (metres of x), in order from a to b.
pub fn river_breaks_between(a: f64, b: f64) -> Vec<f64> {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let first = ((lo - RIVER_PHASE_M) / RIVER_STEP_M).floor() as i64;
    let last = ((hi - RIVER_PHASE_M) / RIVER_STEP_M).ceil() as i64;
    let mut xs: Vec<f64> = (first..=last).map(|k| k as f64 * RIVER_STEP_M + RIVER_PHASE_M).filter(|x| *x > lo && *x < hi).collect();
    if a > b {
        xs.reverse();
    }
    xs
}

/// The point at x on `side` a fraction `t` of the way from the river (0) to the edge (1).
pub fn point(side: Side, x_m: f64, t: f64) -> [f64; 2] {
    let r = river_y(x_m);
    [x_m, r + t * (side.edge_y() - r)]
}

/// The line of constant `t` from x = a to x = b, with the river's vertices in between.
pub fn t_line(side: Side, t: f64, a: f64, b: f64) -> Vec<[f64; 2]> {
    let mut pts = vec![point(side, a, t)];
    pts.extend(river_breaks_between(a, b).into_iter().map(|x| point(side, x, t)));
    pts.push(point(side, b, t));
    pts
}

/// The river's whole course, west to east, including the overhang beyond the zones.
pub fn river_course() -> Vec<[f64; 2]> {
    let a = -HALF_WIDTH_M - RIVER_OVERHANG_M;
    let b = HALF_WIDTH_M + RIVER_OVERHANG_M;
    let mut pts = vec![[a, river_y(a)]];
    pts.extend(river_breaks_between(a, b).into_iter().map(|x| [x, river_y(x)]));
    pts.push([b, river_y(b)]);
    pts
}

/// A town: the centre of a locality, where most of its people live.
#[derive(Debug, Clone, Copy)]
pub struct Town {
    /// Its name (also its locality's).
    pub name: &'static str,
    /// Index into [`LOCALITIES`].
    pub locality: usize,
    /// x of its centre, metres.
    pub x_m: f64,
    /// How far its centre lies from the river, metres (positive north).
    pub river_offset_m: f64,
    /// Spread of its population, metres.
    pub sigma_m: f64,
}

impl Town {
    /// Its centre, metres.
    pub fn centre(&self) -> [f64; 2] {
        [self.x_m, river_y(self.x_m) + self.river_offset_m]
    }
    /// The side of the river it stands on.
    pub fn side(&self) -> Side {
        if self.river_offset_m >= 0.0 { Side::North } else { Side::South }
    }
    /// Radius of its built-up area, metres.
    pub fn urban_radius_m(&self) -> f64 {
        1.9 * self.sigma_m
    }
}

/// The six towns, one per locality, in the order of [`LOCALITIES`].
pub const TOWNS: [Town; 6] = [
    Town { name: "Westholm", locality: 0, x_m: -6500.0, river_offset_m: 3300.0, sigma_m: 1000.0 },
    Town { name: "Northgate", locality: 1, x_m: 500.0, river_offset_m: 3400.0, sigma_m: 1200.0 },
    Town { name: "Eastbrook", locality: 2, x_m: 7000.0, river_offset_m: 3100.0, sigma_m: 1000.0 },
    Town { name: "Millford", locality: 3, x_m: -7000.0, river_offset_m: -2900.0, sigma_m: 1050.0 },
    Town { name: "Kingsbridge", locality: 4, x_m: -500.0, river_offset_m: -2700.0, sigma_m: 1200.0 },
    Town { name: "Ashby Vale", locality: 5, x_m: 6500.0, river_offset_m: -3200.0, sigma_m: 1050.0 },
];

/// A village in the countryside between the towns.
#[derive(Debug, Clone, Copy)]
pub struct Village {
    /// Its name.
    pub name: &'static str,
    /// x of its centre, metres.
    pub x_m: f64,
    /// How far its centre lies from the river, metres (positive north).
    pub river_offset_m: f64,
    /// Residents it adds (before localities are scaled to their totals).
    pub people: f64,
}

impl Village {
    /// Spread of a village's population, metres.
    pub const SIGMA_M: f64 = 380.0;
    /// Its centre, metres.
    pub fn centre(&self) -> [f64; 2] {
        [self.x_m, river_y(self.x_m) + self.river_offset_m]
    }
    /// Radius of its built-up area, metres.
    pub fn urban_radius_m(&self) -> f64 {
        1.6 * Self::SIGMA_M
    }
}

/// The villages.
pub const VILLAGES: [Village; 7] = [
    Village { name: "Hollowfield", x_m: -9000.0, river_offset_m: 5600.0, people: 1600.0 },
    Village { name: "Stonecross", x_m: -2200.0, river_offset_m: 6000.0, people: 1400.0 },
    Village { name: "Fenwick Green", x_m: 9000.0, river_offset_m: 1500.0, people: 1500.0 },
    Village { name: "Marden Hill", x_m: -8500.0, river_offset_m: -5000.0, people: 1700.0 },
    Village { name: "Oakhurst", x_m: 2200.0, river_offset_m: -5300.0, people: 1500.0 },
    Village { name: "Thornby", x_m: 9200.0, river_offset_m: -1600.0, people: 1300.0 },
    Village { name: "Little Ashby", x_m: 4200.0, river_offset_m: -5600.0, people: 1400.0 },
];

/// A locality: a band of whole columns on one side of the river.
#[derive(Debug, Clone, Copy)]
pub struct LocalityDef {
    /// Its name.
    pub name: &'static str,
    /// Its side of the river.
    pub side: Side,
    /// First column (0 is the westernmost).
    pub first_column: usize,
    /// One past the last column.
    pub end_column: usize,
    /// Residents it is scaled to.
    pub population: u64,
}

impl LocalityDef {
    /// x of its western edge, metres.
    pub fn west_m(&self) -> f64 {
        -HALF_WIDTH_M + self.first_column as f64 * COLUMN_WIDTH_M
    }
    /// x of its eastern edge, metres.
    pub fn east_m(&self) -> f64 {
        -HALF_WIDTH_M + self.end_column as f64 * COLUMN_WIDTH_M
    }
    /// Its outline, anticlockwise, not closed: the river on one side, the region's edge on the other.
    pub fn ring(&self) -> Vec<[f64; 2]> {
        let (lower_t, upper_t) = match self.side {
            Side::North => (0.0, 1.0),
            Side::South => (1.0, 0.0),
        };
        let mut ring = t_line(self.side, lower_t, self.west_m(), self.east_m());
        ring.extend(t_line(self.side, upper_t, self.east_m(), self.west_m()));
        ring
    }
}

/// The six localities (residents sum to 250,000).
pub const LOCALITIES: [LocalityDef; 6] = [
    LocalityDef { name: "Westholm", side: Side::North, first_column: 0, end_column: 7, population: 36_000 },
    LocalityDef { name: "Northgate", side: Side::North, first_column: 7, end_column: 14, population: 48_000 },
    LocalityDef { name: "Eastbrook", side: Side::North, first_column: 14, end_column: 20, population: 38_000 },
    LocalityDef { name: "Millford", side: Side::South, first_column: 0, end_column: 6, population: 40_000 },
    LocalityDef { name: "Kingsbridge", side: Side::South, first_column: 6, end_column: 13, population: 49_000 },
    LocalityDef { name: "Ashby Vale", side: Side::South, first_column: 13, end_column: 20, population: 39_000 },
];

/// The locality that holds column `col` on `side`.
pub fn locality_of(side: Side, col: usize) -> usize {
    LOCALITIES.iter().position(|l| l.side == side && (l.first_column..l.end_column).contains(&col)).unwrap_or(0)
}

/// The locality a point lies in.
pub fn locality_at(p: [f64; 2]) -> usize {
    let col = (((p[0] + HALF_WIDTH_M) / COLUMN_WIDTH_M).floor().max(0.0) as usize).min(COLUMNS - 1);
    locality_of(side_of(p), col)
}

/// Countryside density, residents per km².
const RURAL_DENSITY_PER_KM2: f64 = 200.0;
/// Share of a locality's people who live in its town.
const TOWN_SHARE: f64 = 0.72;

/// A bell-shaped kernel whose integral over the plane is pi * sigma².
fn kernel(d2_m2: f64, sigma_m: f64) -> f64 {
    let u = 1.0 + d2_m2 / (2.0 * sigma_m * sigma_m);
    1.0 / (u * u * u)
}

fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

/// Residents per km² at a point, before localities are scaled to their totals.
pub fn density_per_km2(p: [f64; 2]) -> f64 {
    let mut d = RURAL_DENSITY_PER_KM2 * (1.0 + 0.3 * detmath::sin(p[0] / 1700.0) * detmath::sin(p[1] / 2300.0 + 0.7));
    for town in &TOWNS {
        let sigma_km = town.sigma_m / 1000.0;
        let amp = TOWN_SHARE * LOCALITIES[town.locality].population as f64 / (std::f64::consts::PI * sigma_km * sigma_km);
        d += amp * kernel(dist2(p, town.centre()), town.sigma_m);
    }
    for v in &VILLAGES {
        let sigma_km = Village::SIGMA_M / 1000.0;
        let amp = v.people / (std::f64::consts::PI * sigma_km * sigma_km);
        d += amp * kernel(dist2(p, v.centre()), Village::SIGMA_M);
    }
    d
}

/// The built-up place a point lies in, if any: a town (its index) or a village (6 + its index).
pub fn place_at(p: [f64; 2]) -> Option<usize> {
    for (i, town) in TOWNS.iter().enumerate() {
        if town.side() == side_of(p) && dist2(p, town.centre()) < town.urban_radius_m().powi(2) {
            return Some(i);
        }
    }
    for (i, v) in VILLAGES.iter().enumerate() {
        if dist2(p, v.centre()) < v.urban_radius_m().powi(2) {
            return Some(TOWNS.len() + i);
        }
    }
    None
}

/// Distance from a point to a town's centre, as a multiple of the town's spread.
pub fn town_distance_sigmas(p: [f64; 2], town: usize) -> f64 {
    dist2(p, TOWNS[town].centre()).sqrt() / TOWNS[town].sigma_m
}

/// Metres to WGS84 through an equirectangular projection centred on [`CENTRE`]
/// (the cosine is taken with [`detmath::cos`] so it is the same everywhere).
#[derive(Debug, Clone, Copy)]
pub struct Projection {
    m_per_deg_lon: f64,
    m_per_deg_lat: f64,
}

impl Projection {
    /// The region's projection.
    pub fn new() -> Self {
        let m_per_deg_lat = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        let m_per_deg_lon = m_per_deg_lat * detmath::cos(CENTRE.lat * std::f64::consts::PI / 180.0);
        Self { m_per_deg_lon, m_per_deg_lat }
    }
    /// WGS84 of a point in metres.
    pub fn lonlat(&self, p: [f64; 2]) -> LonLat {
        LonLat::new(CENTRE.lon + p[0] / self.m_per_deg_lon, CENTRE.lat + p[1] / self.m_per_deg_lat)
    }
}

impl Default for Projection {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn towns_and_villages_stand_well_inside_their_localities() {
        for t in &TOWNS {
            let c = t.centre();
            assert_eq!(locality_at(c), t.locality, "{}", t.name);
            assert!(c[1].abs() < HALF_HEIGHT_M - 1500.0, "{} at {c:?}", t.name);
        }
        for v in &VILLAGES {
            let c = v.centre();
            assert!(c[1].abs() < HALF_HEIGHT_M - 500.0 && c[0].abs() < HALF_WIDTH_M - 500.0, "{} at {c:?}", v.name);
        }
    }

    #[test]
    fn river_stays_within_the_middle_of_the_region() {
        for p in river_course() {
            assert!(p[1].abs() < 2500.0, "{p:?}");
        }
    }
}
