//! The countryside: the street nearest each zone's centre is kept, about a
//! third of the other country lanes are removed at random (never cutting the
//! network in two), and the rest get gentle bends.

use super::{Highway, LineKey, StreetNet, point_along, polyline_len_m, seg_dist};
use crate::demo::generator::layout;
use crate::demo::generator::rng::SplitMix64;
use crate::demo::generator::zones::ZoneSet;
use std::collections::VecDeque;

impl StreetNet {
    /// Marks the street nearest each zone's centre so thinning keeps it.
    pub(super) fn protect_zone_streets(&mut self, zones: &ZoneSet) {
        for z in &zones.zones {
            let side = layout::side_of(z.point_m);
            let mut best: Option<(f64, usize)> = None;
            for (i, s) in self.streets.iter().enumerate() {
                if !s.carries_cars() || matches!(s.line, LineKey::Own(_)) || layout::side_of(self.nodes[s.nodes[0]]) != side {
                    continue;
                }
                let pts = self.points(s);
                let d = pts.windows(2).map(|w| seg_dist(z.point_m, w[0], w[1])).fold(f64::INFINITY, f64::min);
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, i));
                }
            }
            if let Some((_, i)) = best {
                self.streets[i].protected = true;
            }
        }
    }

    /// Number of nodes reachable from `root` over alive lattice streets and bridges.
    fn reachable_count(&self, root: usize, adj: &[Vec<(usize, usize)>]) -> usize {
        let mut seen = vec![false; self.nodes.len()];
        let mut queue = VecDeque::from([root]);
        seen[root] = true;
        let mut count = 1;
        while let Some(n) = queue.pop_front() {
            for &(street, other) in &adj[n] {
                if self.streets[street].alive && !seen[other] {
                    seen[other] = true;
                    count += 1;
                    queue.push_back(other);
                }
            }
        }
        count
    }

    /// Drops about a third of the country lanes, keeping the network in one piece.
    pub(super) fn thin_countryside(&mut self) {
        let mut adj: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.nodes.len()];
        for (i, s) in self.streets.iter().enumerate() {
            let (a, b) = (s.nodes[0], s.nodes[s.nodes.len() - 1]);
            adj[a].push((i, b));
            adj[b].push((i, a));
        }
        let degree = |net: &StreetNet, n: usize| adj[n].iter().filter(|(s, _)| net.streets[*s].alive).count();
        let live_nodes = |net: &StreetNet| (0..net.nodes.len()).filter(|&n| degree(net, n) > 0).count();
        let root = self.town_nodes[4];
        let mut candidates: Vec<usize> = (0..self.streets.len())
            .filter(|&i| {
                let s = &self.streets[i];
                s.highway == Highway::Unclassified && !s.main && !s.protected && !matches!(s.line, LineKey::Own(_))
            })
            .collect();
        let mut rng = SplitMix64::stream("thinning");
        rng.shuffle(&mut candidates);
        for i in candidates {
            if !rng.chance(0.35) {
                continue;
            }
            self.streets[i].alive = false;
            if self.reachable_count(root, &adj) != live_nodes(self) {
                self.streets[i].alive = true;
            }
        }
    }

    /// Gives country lanes gentle bends (nodes every ~125 m, offset sideways).
    pub(super) fn wiggle_country_lanes(&mut self) {
        let mut rng = SplitMix64::stream("lane bends");
        for i in 0..self.streets.len() {
            let s = &self.streets[i];
            if !s.alive || s.highway != Highway::Unclassified || matches!(s.line, LineKey::Own(_)) {
                continue;
            }
            let pts = self.points(s);
            let total = polyline_len_m(&pts);
            let k = ((total / 125.0).round() as usize).max(2);
            let amp = rng.range(-18.0, 18.0);
            let mut new_nodes = vec![s.nodes[0]];
            for j in 1..k {
                let target = total * j as f64 / k as f64;
                let (p, dir) = point_along(&pts, target);
                let off = amp * crate::demo::generator::detmath::sin(std::f64::consts::PI * target / total);
                let q = [p[0] - dir[1] * off, p[1] + dir[0] * off];
                new_nodes.push(self.add_node(q));
            }
            new_nodes.push(*self.streets[i].nodes.last().unwrap_or(&0));
            self.streets[i].nodes = new_nodes;
        }
    }
}
