//! The slow twin of the edge-based search, for tests: a plain Dijkstra whose
//! state is (directed street, local-access phase, restrictions part-way
//! matched), worked out from the rules each time a turn is tried rather than
//! from the prebuilt state graph. It answers one journey between two snaps;
//! the fast search must give the same time.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};

use crate::network::profile::Profile;
use crate::network::turns::{Directed, EdgeRule, Phase, edge_ms, head};
use crate::network::{Network, Period, Snap};

type Key = (u32, u8, Vec<(u32, u32)>);

fn phase_code(p: Phase) -> u8 {
    p as u8
}

/// Door-to-door street time (ms, without the walks to and from the street)
/// from `from` to `to`, by the rules.
pub fn slow_time_ms(net: &Network, profile: &Profile, period: Period, from: &Snap, to: &Snap) -> Option<u32> {
    let layout = net.turns.as_ref()?;
    let streets = &net.streets;
    let dir = Directed::new(streets, &net.shapes, net.node_count(), &net.classes);
    let p = period.index();
    let rules: &[EdgeRule] = &layout.rules;
    let local = |d: u32| streets[(d / 2) as usize].local_only;
    // Turns allowed by the via-node rules and the U-turn rule.
    let turns_from = |e: u32| -> Vec<u32> {
        let v = head(streets, e);
        let out = dir.out_of(v);
        let here: Vec<&EdgeRule> = rules.iter().filter(|r| r.via.is_empty() && r.from == e).collect();
        let ok = |f: u32| {
            let only: Vec<u32> = here.iter().filter(|r| r.only).map(|r| r.to).collect();
            if only.is_empty() { !here.iter().any(|r| r.to == f) } else { only.contains(&f) }
        };
        let mut list: Vec<u32> = out.iter().copied().filter(|&f| f != e ^ 1 && ok(f)).collect();
        if list.is_empty() && out.contains(&(e ^ 1)) && ok(e ^ 1) {
            list.push(e ^ 1);
        }
        list
    };
    let mut best: Option<u32> = net.same_street(from, to, period).map(|(t, _)| t);
    // Labels are times at the end of a directed street.
    let mut dist: HashMap<Key, u32> = HashMap::new();
    let mut heap = BinaryHeap::new();
    let s = &streets[from.street as usize];
    for (d, t, share) in [(0u32, s.forward_ms, 1.0 - from.fraction), (1, s.backward_ms, from.fraction)] {
        let Some(t) = t else { continue };
        let edge = from.street * 2 + d;
        let ph = if local(edge) { Phase::Leaving } else { Phase::Through };
        let active: BTreeSet<(u32, u32)> = rules.iter().enumerate().filter(|(_, r)| !r.via.is_empty() && r.from == edge).map(|(i, _)| (i as u32, 0)).collect();
        let key: Key = (edge, phase_code(ph), active.into_iter().collect());
        let rest = (t[p] as f64 * share).round() as u32;
        if dist.get(&key).is_none_or(|&o| rest < o) {
            dist.insert(key.clone(), rest);
            heap.push(Reverse((rest, key)));
        }
    }
    while let Some(Reverse((t, key))) = heap.pop() {
        if dist.get(&key).is_some_and(|&o| t > o) {
            continue;
        }
        if best.is_some_and(|b| t >= b) {
            break;
        }
        let (e, ph, active) = key;
        for f in turns_from(e) {
            // Restrictions along via ways.
            let mut next: Vec<(u32, u32)> = Vec::new();
            let mut forbidden = false;
            for &(ri, k) in &active {
                let r = &rules[ri as usize];
                if (k as usize) < r.via.len() {
                    if r.via[k as usize] == f {
                        next.push((ri, k + 1));
                    }
                } else if (f == r.to) != r.only {
                    forbidden = true;
                }
            }
            if forbidden {
                continue;
            }
            next.extend(rules.iter().enumerate().filter(|(_, r)| !r.via.is_empty() && r.from == f).map(|(i, _)| (i as u32, 0)));
            next.sort();
            next.dedup();
            let nph = match (ph, local(f)) {
                (0, false) | (1, false) => Phase::Through,
                (0, true) | (2, true) => Phase::Arriving,
                (1, true) => Phase::Leaving,
                _ => continue, // arriving may not leave onto open streets
            };
            let turn = dir.turn_ms(&profile.junctions, net.mode, layout.node_flags[head(streets, e) as usize], e, f)[p];
            let Some(cf) = edge_ms(streets, f) else { continue };
            let at_start = t + turn;
            if f / 2 == to.street {
                let share = if f % 2 == 0 { to.fraction } else { 1.0 - to.fraction };
                let arrive = at_start + (cf[p] as f64 * share).round() as u32;
                if best.is_none_or(|b| arrive < b) {
                    best = Some(arrive);
                }
            }
            let nt = at_start + cf[p];
            let nkey: Key = (f, phase_code(nph), next);
            if dist.get(&nkey).is_none_or(|&o| nt < o) {
                dist.insert(nkey.clone(), nt);
                heap.push(Reverse((nt, nkey)));
            }
        }
    }
    best
}
