//! Sending each zone's weight to open sites with room. Zones are served in
//! increasing order of the time to their nearest open site in their sector
//! (ties by zone index); each fills sites in its own order of preference
//! (time, then candidate index), splitting its weight when a site fills, and
//! what finds no open site with room is unserved. Without capacities every
//! zone simply goes to its nearest open site. Totals are conserved:
//! sum(load) + sum(unserved) = the sectors' total weight.

use super::Problem;
use super::sector::{Sub, open_in};

/// Where each zone's weight goes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Allocation {
    /// Per zone: (candidate, weight sent), in the zone's order of preference.
    pub flows: Vec<Vec<(usize, f64)>>,
    /// Per candidate: weight received.
    pub load: Vec<f64>,
    /// Per zone: weight that found no open site with room (or none reachable).
    pub unserved: Vec<f64>,
}

/// One flow of weight from a local zone to a local column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Flow {
    pub zone: u32,
    pub col: u32,
    pub amount: f64,
    pub time_s: f32,
}

/// An allocation on a sector's local arrays.
#[derive(Debug, Clone, Default)]
pub(crate) struct LocalAlloc {
    /// Flows in the order they were made.
    pub flows: Vec<Flow>,
    /// Per local zone.
    pub unserved: Vec<f64>,
}

/// Allocates a sector's weight to the open local columns (duplicates ignored).
pub(crate) fn allocate(sub: &Sub, open: &[usize]) -> LocalAlloc {
    let nz = sub.nz();
    let mut unserved = vec![0.0; nz];
    let mut flows = Vec::with_capacity(nz);
    // Each zone's nearest open column by (time, candidate index).
    let mut nearest: Vec<(f32, usize)> = Vec::with_capacity(nz);
    for (z, unserved_z) in unserved.iter_mut().enumerate() {
        let mut best: Option<(f32, usize, usize)> = None;
        for &c in open {
            let t = sub.times_s[c * nz + z];
            if t.is_finite() && best.is_none_or(|(bt, bg, _)| (t, sub.cands[c]) < (bt, bg)) {
                best = Some((t, sub.cands[c], c));
            }
        }
        match best {
            Some((t, _, c)) => nearest.push((t, c)),
            None => {
                nearest.push((f32::INFINITY, usize::MAX));
                *unserved_z = sub.w[z];
            }
        }
    }
    let Some(cap) = &sub.cap else {
        for (z, &(t, c)) in nearest.iter().enumerate() {
            if c != usize::MAX {
                flows.push(Flow { zone: z as u32, col: c as u32, amount: sub.w[z], time_s: t });
            }
        }
        return LocalAlloc { flows, unserved };
    };
    let mut order: Vec<usize> = (0..nz).filter(|&z| nearest[z].1 != usize::MAX).collect();
    order.sort_by(|&x, &y| nearest[x].0.total_cmp(&nearest[y].0).then(sub.zones[x].cmp(&sub.zones[y])));
    let mut load = vec![0.0; sub.nc()];
    for z in order {
        let mut remaining = sub.w[z];
        let mut last: Option<(f32, usize)> = None;
        while remaining > 0.0 {
            // The next site in this zone's preference after `last`.
            let mut next: Option<(f32, usize, usize)> = None;
            for &c in open {
                let t = sub.times_s[c * nz + z];
                let key = (t, sub.cands[c]);
                if t.is_finite() && last.is_none_or(|l| key > l) && next.is_none_or(|(nt, ng, _)| key < (nt, ng)) {
                    next = Some((t, sub.cands[c], c));
                }
            }
            let Some((t, g, c)) = next else { break };
            last = Some((t, g));
            let room = cap[c] - load[c];
            if room <= 0.0 {
                continue;
            }
            if remaining <= room {
                load[c] += remaining;
                flows.push(Flow { zone: z as u32, col: c as u32, amount: remaining, time_s: t });
                remaining = 0.0;
            } else {
                load[c] = cap[c];
                flows.push(Flow { zone: z as u32, col: c as u32, amount: room, time_s: t });
                remaining -= room;
            }
        }
        unserved[z] = remaining;
    }
    LocalAlloc { flows, unserved }
}

/// Where each zone's weight goes when the `open` candidates are open: see
/// the module comment for the rule. Zones in no sector, or with no weight,
/// send nothing; open candidates in no sector receive nothing.
pub fn assign_with_capacity(problem: &Problem, open: &[usize]) -> Allocation {
    let mut a = Allocation { flows: vec![Vec::new(); problem.zones], load: vec![0.0; problem.candidates], unserved: vec![0.0; problem.zones] };
    for s in &problem.sectors {
        let sub = Sub::new(problem, s, open_in(s, open));
        let all: Vec<usize> = (0..sub.nc()).collect();
        let local = allocate(&sub, &all);
        for f in &local.flows {
            let (z, c) = (sub.zones[f.zone as usize], sub.cands[f.col as usize]);
            a.flows[z].push((c, f.amount));
            a.load[c] += f.amount;
        }
        for (zi, &u) in local.unserved.iter().enumerate() {
            a.unserved[sub.zones[zi]] += u;
        }
    }
    a
}
