//! The odd features a real map has: town-centre gyratories and one-way
//! streets, park paths and riverside walks, and short spurs into blocks (a
//! private service road, the hospital's access road).

use super::{Highway, LineKey, Oneway, StreetNet, dist};
use crate::demo::generator::grid;
use crate::demo::generator::layout::{self, BANK_OFFSET_M, Side, TOWNS};
use crate::demo::generator::rng::SplitMix64;

impl StreetNet {
    /// The lattice cell with `node` at the given corner (0: x0,t0; 1: x1,t0; 2: x1,t1; 3: x0,t1).
    fn cell_at_corner(&self, node: usize, corner: usize) -> Option<usize> {
        let (&(side, xu, tu), _) = self.vertex.iter().find(|(_, n)| **n == node)?;
        self.lattice.cells.iter().position(|c| {
            c.side == side
                && match corner {
                    0 => c.x0 == xu && c.t0 == tu,
                    1 => c.x1 == xu && c.t0 == tu,
                    2 => c.x1 == xu && c.t1 == tu,
                    _ => c.x0 == xu && c.t1 == tu,
                }
        })
    }

    /// The streets around a cell, in the order of its ring, each with the
    /// direction that goes round the cell clockwise on the ground.
    fn cell_streets_clockwise(&self, cell: usize) -> Option<Vec<(usize, Oneway)>> {
        let c = self.lattice.cells[cell];
        let mut ring = self.lattice.ring(&c);
        // The (x, t) ring is anticlockwise; north of the river that is anticlockwise on the ground too.
        if c.side == Side::North {
            ring.reverse();
        }
        let mut out = Vec::new();
        for i in 0..ring.len() {
            let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
            let (key, ascending) = if a.1 == b.1 {
                ((LineKey::T(c.side, a.1), a.0.min(b.0), a.0.max(b.0)), a.0 < b.0)
            } else {
                ((LineKey::X(c.side, a.0), a.1.min(b.1), a.1.max(b.1)), a.1 < b.1)
            };
            let s = *self.by_span.get(&key)?;
            if !self.streets[s].alive {
                return None;
            }
            out.push((s, if ascending { Oneway::Forward } else { Oneway::Backward }));
        }
        Some(out)
    }

    /// Town-centre gyratories (one with a `oneway=-1` street) and a few one-way streets.
    pub(super) fn add_one_ways(&mut self) {
        for (town, corner, minus_one) in [(4usize, 0usize, true), (1, 2, false)] {
            let Some(cell) = self.cell_at_corner(self.town_nodes[town], corner) else { continue };
            let Some(around) = self.cell_streets_clockwise(cell) else { continue };
            self.used_cells.insert(cell);
            for (k, (s, dir)) in around.into_iter().enumerate() {
                self.streets[s].oneway = dir;
                self.streets[s].minus_one = minus_one && k == 0;
            }
        }
        // Single one-way residential streets near the centres of Eastbrook and Millford.
        for town in [2usize, 3] {
            let c = self.nodes[self.town_nodes[town]];
            let pick = (0..self.streets.len())
                .filter(|&i| {
                    let s = &self.streets[i];
                    s.alive && !s.main && s.oneway == Oneway::No && s.highway == Highway::Residential && matches!(s.line, LineKey::T(..))
                })
                .min_by(|&a, &b| {
                    let (ma, mb) = (self.midpoint(&self.streets[a]), self.midpoint(&self.streets[b]));
                    dist(ma, c).total_cmp(&dist(mb, c)).then(a.cmp(&b))
                });
            if let Some(i) = pick {
                self.streets[i].oneway = Oneway::Forward;
            }
        }
    }

    /// A street from the lattice vertex nearest `near` (on `side`) into a free
    /// cell, ending part-way to the cell's centre. Returns the street and its end node.
    pub fn add_spur(&mut self, side: Side, near: [f64; 2], highway: Highway) -> Option<(usize, usize)> {
        let adj = self.lattice_adjacency();
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for (ci, c) in self.lattice.cells.iter().enumerate() {
            if c.side != side || self.used_cells.contains(&ci) || c.t0 == 0 {
                continue;
            }
            let Some(&v) = self.vertex.get(&(side, c.x0, c.t1)) else { continue };
            if adj[v].iter().any(|(s, _, _)| self.streets[*s].carries_cars()) {
                candidates.push((ci, v));
            }
        }
        let (cell, v) = candidates.into_iter().min_by(|a, b| dist(self.nodes[a.1], near).total_cmp(&dist(self.nodes[b.1], near)).then(a.0.cmp(&b.0)))?;
        let c = self.lattice.cells[cell];
        let (_, centre) = grid::area_centroid(&self.lattice.ring_m(&c));
        let p = self.nodes[v];
        let end = self.add_node([p[0] + 0.6 * (centre[0] - p[0]), p[1] + 0.6 * (centre[1] - p[1])]);
        self.used_cells.insert(cell);
        let s = self.add_own(vec![v, end], highway);
        Some((s, end))
    }

    /// Park paths across town blocks and walks along the river banks.
    pub(super) fn add_footways(&mut self) {
        let mut rng = SplitMix64::stream("footways");
        for town in &TOWNS {
            let c = town.centre();
            let mut cells: Vec<usize> = (0..self.lattice.cells.len())
                .filter(|&ci| {
                    let cell = self.lattice.cells[ci];
                    let (_, centre) = grid::area_centroid(&self.lattice.ring_m(&cell));
                    let d = dist(centre, c) / town.sigma_m;
                    cell.side == town.side() && (0.7..1.3).contains(&d) && !self.used_cells.contains(&ci) && self.lattice.ring(&cell).len() == 4
                })
                .collect();
            rng.shuffle(&mut cells);
            for (k, &ci) in cells.iter().take(2).enumerate() {
                let cell = self.lattice.cells[ci];
                let (Some(&a), Some(&b)) = (self.vertex.get(&(cell.side, cell.x0, cell.t0)), self.vertex.get(&(cell.side, cell.x1, cell.t1))) else {
                    continue;
                };
                let (_, centre) = grid::area_centroid(&self.lattice.ring_m(&cell));
                let mid = self.add_node(centre);
                self.used_cells.insert(ci);
                let s = self.add_own(vec![a, mid, b], Highway::Footway);
                if k == 0 {
                    self.streets[s].name = Some(format!("{} Park Walk", town.name));
                }
            }
        }
        for (side, from_m, to_m) in [(Side::North, -3000.0, 3000.0), (Side::South, -3000.0, 2000.0)] {
            let banks: Vec<(i32, usize)> =
                self.bank.iter().filter(|((s, xu), _)| *s == side && (from_m..=to_m).contains(&grid::x_m(*xu))).map(|((_, xu), &n)| (*xu, n)).collect();
            let mut nodes = Vec::new();
            for (k, &(xu, n)) in banks.iter().enumerate() {
                if k > 0 {
                    let prev = grid::x_m(banks[k - 1].0);
                    for x in layout::river_breaks_between(prev, grid::x_m(xu)) {
                        let p = [x, layout::river_y(x) + side.sign() * BANK_OFFSET_M];
                        nodes.push(self.add_node(p));
                    }
                }
                nodes.push(n);
            }
            if nodes.len() >= 2 {
                let s = self.add_own(nodes, Highway::Footway);
                self.streets[s].name = Some("Riverside Walk".into());
            }
        }
    }

    pub(super) fn add_private_service(&mut self) {
        let town = &TOWNS[2];
        let c = town.centre();
        if let Some((s, _)) = self.add_spur(town.side(), [c[0] + 500.0, c[1] - 400.0], Highway::Service) {
            self.streets[s].tags = vec![("access", "private".into())];
        }
    }
}
