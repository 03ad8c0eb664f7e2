//! Checks of the finished network: directed graphs, the strongly connected
//! component, and that every zone and site lies near a street cars can use.

use super::{Highway, Oneway, Street, StreetNet, dist, seg_dist};
use crate::demo::generator::zones::ZoneSet;
use std::collections::VecDeque;

/// A directed node graph of the streets `keep` accepts: for each node, (next node, metres, street).
pub fn directed_graph(net: &StreetNet, keep: impl Fn(&Street) -> bool) -> Vec<Vec<(usize, f64, usize)>> {
    let mut adj = vec![Vec::new(); net.nodes.len()];
    for (i, s) in net.streets.iter().enumerate() {
        if !s.alive || !keep(s) {
            continue;
        }
        for w in s.nodes.windows(2) {
            let d = dist(net.nodes[w[0]], net.nodes[w[1]]);
            if s.oneway != Oneway::Backward {
                adj[w[0]].push((w[1], d, i));
            }
            if s.oneway != Oneway::Forward {
                adj[w[1]].push((w[0], d, i));
            }
        }
    }
    adj
}

/// The nodes from which and to which `root` can be reached: its strongly connected component.
pub fn strong_component(adj: &[Vec<(usize, f64, usize)>], root: usize) -> Vec<bool> {
    let n = adj.len();
    let mut rev = vec![Vec::new(); n];
    for (u, out) in adj.iter().enumerate() {
        for &(v, _, _) in out {
            rev[v].push(u);
        }
    }
    let bfs = |next: &dyn Fn(usize) -> Vec<usize>| {
        let mut seen = vec![false; n];
        seen[root] = true;
        let mut q = VecDeque::from([root]);
        while let Some(u) = q.pop_front() {
            for v in next(u) {
                if !seen[v] {
                    seen[v] = true;
                    q.push_back(v);
                }
            }
        }
        seen
    };
    let fwd = bfs(&|u| adj[u].iter().map(|e| e.0).collect());
    let bwd = bfs(&|u| rev[u].clone());
    fwd.iter().zip(&bwd).map(|(a, b)| *a && *b).collect()
}

/// What the network check found.
#[derive(Debug, Clone)]
pub struct NetworkCheck {
    /// Farthest any zone's centre lies from a car street in the main strongly connected component, metres.
    pub max_zone_to_street_m: f64,
}

/// Checks the car network: every street but the motorway in one strongly
/// connected component, and every zone's centre and every site near it.
pub fn check(net: &StreetNet, zones: &ZoneSet, sites: &[[f64; 2]]) -> crate::Result<NetworkCheck> {
    let adj = directed_graph(net, Street::carries_cars);
    let root = net.town_nodes[4];
    let scc = strong_component(&adj, root);
    let fail = |m: String| Err(crate::Error::DemoGenerator(m));
    for s in net.streets.iter().filter(|s| s.carries_cars() && !matches!(s.highway, Highway::Motorway | Highway::MotorwayLink)) {
        if let Some(n) = s.nodes.iter().find(|&&n| !scc[n]) {
            return fail(format!("{} street {:?} node {n} is not strongly connected", s.highway.tag(), s.name));
        }
    }
    let segments: Vec<([f64; 2], [f64; 2])> = net
        .streets
        .iter()
        .filter(|s| s.carries_cars() && !matches!(s.highway, Highway::Motorway | Highway::MotorwayLink))
        .flat_map(|s| s.nodes.windows(2).map(|w| (net.nodes[w[0]], net.nodes[w[1]])).collect::<Vec<_>>())
        .collect();
    let nearest = |p: [f64; 2]| segments.iter().map(|(a, b)| seg_dist(p, *a, *b)).fold(f64::INFINITY, f64::min);
    let mut max_zone = 0.0f64;
    for z in &zones.zones {
        let d = nearest(z.point_m);
        if d > 300.0 {
            return fail(format!("zone {} is {d:.0} m from a street", z.id));
        }
        max_zone = max_zone.max(d);
    }
    for (i, p) in sites.iter().enumerate() {
        let d = nearest(*p);
        if d > 100.0 {
            return fail(format!("site {i} is {d:.0} m from a street"));
        }
    }
    Ok(NetworkCheck { max_zone_to_street_m: max_zone })
}
