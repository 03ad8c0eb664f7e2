//! The lattice zones and streets are cut from.
//!
//! Each side of the river is a grid of [`COLUMNS`] 1 km columns by
//! [`ROWS_PER_SIDE`] rows in (x, t) space, where t runs from the river (0) to
//! the region's edge (1). A base cell is split into k x k cells (k = 1..=6).
//! Positions are kept as integers (1/60 of a column, 1/60 of a row) so that
//! cells of different sizes share their corners exactly.

use super::layout::{self, COLUMNS, ROWS_PER_SIDE, Side};
use std::collections::{BTreeMap, BTreeSet};

/// Lattice units per column (and per row): divisible by every split 1..=6.
pub const UNITS: i32 = 60;
/// Lattice units across the region, west to east.
pub const X_UNITS: i32 = COLUMNS as i32 * UNITS;
/// Lattice units from the river to the edge.
pub const T_UNITS: i32 = ROWS_PER_SIDE as i32 * UNITS;

/// x in metres of a lattice x.
pub fn x_m(xu: i32) -> f64 {
    -layout::HALF_WIDTH_M + (f64::from(xu) * layout::COLUMN_WIDTH_M) / f64::from(UNITS)
}

/// t of a lattice t.
pub fn t_of(tu: i32) -> f64 {
    f64::from(tu) / f64::from(T_UNITS)
}

/// The point in metres of a lattice vertex.
pub fn vertex_m(side: Side, xu: i32, tu: i32) -> [f64; 2] {
    layout::point(side, x_m(xu), t_of(tu))
}

/// One cell of the lattice: [x0, x1] x [t0, t1] in lattice units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cell {
    /// Side of the river.
    pub side: Side,
    /// West edge.
    pub x0: i32,
    /// East edge.
    pub x1: i32,
    /// Edge nearer the river.
    pub t0: i32,
    /// Edge nearer the region's outer edge.
    pub t1: i32,
    /// The base column it lies in.
    pub col: usize,
    /// The base row it lies in (0 by the river).
    pub row: usize,
}

/// A lattice: its cells and, per line, the vertices on it.
#[derive(Debug, Clone, Default)]
pub struct Lattice {
    /// The cells, by side, column, row, then west to east and river outwards.
    pub cells: Vec<Cell>,
    /// Vertices (x) on each line of constant t, keyed by (side, t).
    pub t_lines: BTreeMap<(Side, i32), BTreeSet<i32>>,
    /// Vertices (t) on each line of constant x, keyed by (side, x).
    pub x_lines: BTreeMap<(Side, i32), BTreeSet<i32>>,
}

impl Lattice {
    /// The lattice where base cell (side, col, row) is split `split(side, col, row)` ways each way.
    pub fn new(split: impl Fn(Side, usize, usize) -> i32) -> Self {
        let mut lat = Lattice::default();
        for side in Side::BOTH {
            for col in 0..COLUMNS {
                for row in 0..ROWS_PER_SIDE {
                    let k = split(side, col, row).clamp(1, 6);
                    let step = UNITS / k;
                    for i in 0..k {
                        for j in 0..k {
                            let x0 = col as i32 * UNITS + i * step;
                            let t0 = row as i32 * UNITS + j * step;
                            lat.add(Cell { side, x0, x1: x0 + step, t0, t1: t0 + step, col, row });
                        }
                    }
                }
            }
        }
        lat
    }

    fn add(&mut self, c: Cell) {
        for (x, t) in [(c.x0, c.t0), (c.x1, c.t0), (c.x1, c.t1), (c.x0, c.t1)] {
            self.t_lines.entry((c.side, t)).or_default().insert(x);
            self.x_lines.entry((c.side, x)).or_default().insert(t);
        }
        self.cells.push(c);
    }

    /// The cell's corners and every vertex on its sides, anticlockwise in
    /// (x, t) space, starting at (x0, t0); not closed.
    pub fn ring(&self, c: &Cell) -> Vec<(i32, i32)> {
        let on_t = |t: i32| self.t_lines.get(&(c.side, t)).map(|s| s.range(c.x0..=c.x1).copied().collect::<Vec<_>>()).unwrap_or_default();
        let on_x = |x: i32| self.x_lines.get(&(c.side, x)).map(|s| s.range(c.t0..=c.t1).copied().collect::<Vec<_>>()).unwrap_or_default();
        let mut ring: Vec<(i32, i32)> = on_t(c.t0).into_iter().map(|x| (x, c.t0)).collect();
        ring.extend(on_x(c.x1).into_iter().skip(1).map(|t| (c.x1, t)));
        ring.extend(on_t(c.t1).into_iter().rev().skip(1).map(|x| (x, c.t1)));
        let left: Vec<i32> = on_x(c.x0);
        ring.extend(left.iter().rev().skip(1).take(left.len().saturating_sub(2)).map(|t| (c.x0, *t)));
        ring
    }

    /// The cell's outline in metres, anticlockwise, not closed, with the
    /// river's vertices on its t-sides.
    pub fn ring_m(&self, c: &Cell) -> Vec<[f64; 2]> {
        let ring = self.ring(c);
        let mut pts = Vec::with_capacity(ring.len() * 2);
        for (i, &(x, t)) in ring.iter().enumerate() {
            pts.push(vertex_m(c.side, x, t));
            let (nx, nt) = ring[(i + 1) % ring.len()];
            if nt == t && nx != x {
                pts.extend(layout::river_breaks_between(x_m(x), x_m(nx)).into_iter().map(|xm| layout::point(c.side, xm, t_of(t))));
            }
        }
        // t grows away from the river: southwards on the south side, which mirrors the ring.
        if c.side == Side::South {
            pts.reverse();
        }
        pts
    }
}

/// Signed area (anticlockwise positive) and centroid of a ring in metres.
pub fn area_centroid(ring: &[[f64; 2]]) -> (f64, [f64; 2]) {
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    let o = ring[0];
    for i in 0..ring.len() {
        let p = [ring[i][0] - o[0], ring[i][1] - o[1]];
        let q = ring[(i + 1) % ring.len()];
        let q = [q[0] - o[0], q[1] - o[1]];
        let cross = p[0] * q[1] - q[0] * p[1];
        a += cross;
        cx += (p[0] + q[0]) * cross;
        cy += (p[1] + q[1]) * cross;
    }
    let area = a / 2.0;
    if area.abs() < 1e-9 {
        return (0.0, o);
    }
    (area, [o[0] + cx / (6.0 * area), o[1] + cy / (6.0 * area)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_tile_each_side_without_gaps() {
        let lat = Lattice::new(|_, col, row| ((col + row) % 5 + 1) as i32);
        for side in Side::BOTH {
            let total: f64 = lat.cells.iter().filter(|c| c.side == side).map(|c| area_centroid(&lat.ring_m(c)).0).sum();
            let expected: f64 = layout::LOCALITIES.iter().filter(|l| l.side == side).map(|l| area_centroid(&l.ring()).0).sum();
            assert!((total - expected).abs() < 1.0, "{total} vs {expected}");
            assert!(lat.cells.iter().all(|c| area_centroid(&lat.ring_m(c)).0 > 0.0));
        }
    }
}
