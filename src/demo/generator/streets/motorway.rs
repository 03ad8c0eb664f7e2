//! The M99 along the southern edge: two one-way carriageways and two
//! junctions, each a roundabout with four slip roads; the eastbound slips pass
//! under the westbound carriageway (`tunnel=yes`, `layer=-1`), so no bridge
//! other than the three over the river is needed.

use super::{Highway, Oneway, StreetNet};
use crate::demo::generator::grid::{self, T_UNITS};
use crate::demo::generator::layout::{self, Side};
use std::collections::{BTreeMap, BTreeSet};

/// A motorway junction: lattice x (south side), its name, the road from it.
pub(super) const JUNCTIONS: [(i32, &str, &str); 2] = [(180, "Millford Interchange", "Junction Road"), (960, "Ashby Interchange", "Vale Road")];
/// y of the westbound (northern) carriageway, metres.
const WESTBOUND_Y_M: f64 = -7650.0;
/// y of the eastbound (southern) carriageway, metres.
const EASTBOUND_Y_M: f64 = -7680.0;
/// y of the junction roundabouts' centres, metres.
const ROUNDABOUT_Y_M: f64 = -7560.0;
/// Radius of a junction roundabout, metres.
const ROUNDABOUT_R_M: f64 = 40.0;
/// How far the motorway runs beyond the zones at each end, metres.
const MOTORWAY_OVERHANG_M: f64 = 1000.0;

impl StreetNet {
    /// The motorway along the southern edge and its two junctions.
    pub(super) fn add_motorway(&mut self) {
        let half = layout::HALF_WIDTH_M + MOTORWAY_OVERHANG_M;
        let mut wb_x: BTreeSet<i64> = (-22..=22).map(|k| k * 500).collect();
        let mut eb_x = wb_x.clone();
        for (xu, _, _) in JUNCTIONS {
            let x = grid::x_m(xu) as i64;
            wb_x.extend([x - 600, x + 600]);
            eb_x.extend([x - 700, x + 700]);
        }
        let wb_x: Vec<i64> = wb_x.into_iter().filter(|x| (*x as f64).abs() <= half).rev().collect();
        let eb_x: Vec<i64> = eb_x.into_iter().filter(|x| (*x as f64).abs() <= half).collect();
        let mut wb_node = BTreeMap::new();
        let mut eb_node = BTreeMap::new();
        let wb: Vec<usize> = wb_x
            .iter()
            .map(|&x| {
                let n = self.add_node([x as f64, WESTBOUND_Y_M]);
                wb_node.insert(x, n);
                n
            })
            .collect();
        let eb: Vec<usize> = eb_x
            .iter()
            .map(|&x| {
                let n = self.add_node([x as f64, EASTBOUND_Y_M]);
                eb_node.insert(x, n);
                n
            })
            .collect();
        for nodes in [wb, eb] {
            let s = self.add_own(nodes, Highway::Motorway);
            let st = &mut self.streets[s];
            st.oneway = Oneway::Forward;
            st.maxspeed = Some("70 mph");
            st.tags = vec![("ref", "M99".into()), ("lanes", "3".into())];
        }
        let h = std::f64::consts::FRAC_1_SQRT_2 * ROUNDABOUT_R_M;
        for (xu, name, road) in JUNCTIONS {
            let x = grid::x_m(xu);
            let xi = x as i64;
            let cy = ROUNDABOUT_Y_M;
            let r = ROUNDABOUT_R_M;
            // Clockwise from north: N, NE, E, SE, S, SW, W, NW.
            let ring_pts = [[x, cy + r], [x + h, cy + h], [x + r, cy], [x + h, cy - h], [x, cy - r], [x - h, cy - h], [x - r, cy], [x - h, cy + h]];
            let ring: Vec<usize> = ring_pts.iter().map(|p| self.add_node(*p)).collect();
            let mut closed = ring.clone();
            closed.push(ring[0]);
            let s = self.add_own(closed, Highway::Primary);
            let st = &mut self.streets[s];
            st.oneway = Oneway::Forward;
            st.name = Some(name.to_string());
            st.tags = vec![("junction", "roundabout".into())];
            st.main = true;
            if let Some(&top) = self.vertex.get(&(Side::South, xu, T_UNITS)) {
                let s = self.add_own(vec![top, ring[0]], Highway::Primary);
                let st = &mut self.streets[s];
                st.name = Some(road.to_string());
                st.maxspeed = Some("40 mph");
                st.main = true;
            }
            // The slip roads meet the roundabout at its E, SE, SW and W nodes.
            let (e, se, sw, w) = (ring[2], ring[3], ring[5], ring[6]);
            let on_line = |x0: f64, y0: f64, x1: f64, y1: f64, x: f64| [x, y0 + (y1 - y0) * (x - x0) / (x1 - x0)];
            // Westbound off (east of the junction) and on (west of it): no crossings.
            let a = self.add_node([x + 250.0, -7585.0]);
            let wb_off = vec![wb_node[&(xi + 600)], a, e];
            let b = self.add_node([x - 250.0, -7585.0]);
            let wb_on = vec![w, b, wb_node[&(xi - 600)]];
            // Eastbound off (west) and on (east): each passes under the westbound carriageway.
            let (p0, p1) = ([x - 700.0, EASTBOUND_Y_M], [x - 150.0, -7630.0]);
            let t0 = self.add_node(on_line(p0[0], p0[1], p1[0], p1[1], x - 440.0));
            let t1 = self.add_node(on_line(p0[0], p0[1], p1[0], p1[1], x - 300.0));
            let c1 = self.add_node(p1);
            let eb_off = [vec![eb_node[&(xi - 700)], t0], vec![t0, t1], vec![t1, c1, sw]];
            let (q0, q1) = ([x + 150.0, -7630.0], [x + 700.0, EASTBOUND_Y_M]);
            let c2 = self.add_node(q0);
            let u0 = self.add_node(on_line(q0[0], q0[1], q1[0], q1[1], x + 300.0));
            let u1 = self.add_node(on_line(q0[0], q0[1], q1[0], q1[1], x + 440.0));
            let eb_on = [vec![se, c2, u0], vec![u0, u1], vec![u1, eb_node[&(xi + 700)]]];
            for (k, nodes) in [vec![wb_off, wb_on], eb_off.to_vec(), eb_on.to_vec()].into_iter().flatten().enumerate() {
                let s = self.add_own(nodes, Highway::MotorwayLink);
                let st = &mut self.streets[s];
                st.oneway = Oneway::Forward;
                if k == 3 || k == 6 {
                    st.tags = vec![("tunnel", "yes".into()), ("layer", "-1".into())];
                }
            }
        }
    }
}
