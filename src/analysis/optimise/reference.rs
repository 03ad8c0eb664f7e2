//! The slow, obviously correct twin of the solvers, for tests only: every
//! combination of every sector's sites, each scored by a plain evaluation
//! written straight from the definitions (no local arrays, no tricks).

use super::{Objective, Problem, UNREACHED_PENALTY_S};

/// The figures the objectives are made of, for one placement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plain {
    /// Total weight of the sectors' zones.
    pub total: f64,
    /// Weight within the threshold.
    pub covered: f64,
    /// Sum of weight x min(time, penalty); unreached or unserved weight at the penalty.
    pub cost: f64,
    /// Largest min(time, penalty) of any weight; unreached or unserved: the penalty.
    pub worst: f64,
}

impl Plain {
    /// The score as the public `Value::score` defines it.
    pub fn score(&self, objective: Objective) -> f64 {
        let share = |x: f64| {
            if self.total > 0.0 { x / self.total } else { 0.0 }
        };
        match objective {
            Objective::Median => share(self.cost),
            Objective::Cover => share(self.total - self.covered),
            Objective::Center => self.worst,
            Objective::CoverThenMedian => share(self.total - self.covered) + share(self.cost) / (UNREACHED_PENALTY_S * 1000.0),
        }
    }
}

fn time(p: &Problem, z: usize, c: usize) -> f64 {
    p.time_s[z * p.candidates + c] as f64
}

/// Scores a placement from the definitions.
pub fn plain_evaluate(p: &Problem, open: &[usize]) -> Plain {
    let threshold_s = p.threshold_s.map(|t| t as f64).unwrap_or(f64::INFINITY);
    let mut out = Plain { total: 0.0, covered: 0.0, cost: 0.0, worst: 0.0 };
    let mut count = |w: f64, t: f64| {
        if w <= 0.0 {
            return;
        }
        if t <= threshold_s {
            out.covered += w;
        }
        let c = t.min(UNREACHED_PENALTY_S);
        out.cost += w * c;
        out.worst = out.worst.max(c);
    };
    let mut total = 0.0;
    for s in &p.sectors {
        let sites: Vec<usize> = s.candidates.iter().copied().filter(|c| open.contains(c)).collect();
        let zones: Vec<usize> = s.zones.iter().copied().filter(|&z| p.weight[z] > 0.0).collect();
        total += zones.iter().map(|&z| p.weight[z]).sum::<f64>();
        match &p.capacity {
            None => {
                for &z in &zones {
                    let t = sites.iter().map(|&c| time(p, z, c)).fold(f64::INFINITY, f64::min);
                    count(p.weight[z], t);
                }
            }
            Some(caps) => {
                // Each zone's reachable sites by (time, index); zones by their nearest time, then index.
                let prefs = |z: usize| {
                    let mut v: Vec<(f64, usize)> = sites.iter().map(|&c| (time(p, z, c), c)).filter(|x| x.0.is_finite()).collect();
                    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
                    v
                };
                let mut order: Vec<(f64, usize)> = zones.iter().map(|&z| (prefs(z).first().map_or(f64::INFINITY, |x| x.0), z)).collect();
                order.sort_by(|a, b| a.partial_cmp(b).unwrap());
                let mut load = vec![0.0; p.candidates];
                for (_, z) in order {
                    let mut left = p.weight[z];
                    for (t, c) in prefs(z) {
                        let room = caps[c].unwrap_or(f64::INFINITY) - load[c];
                        let send = left.min(room.max(0.0));
                        if send > 0.0 {
                            load[c] += send;
                            left -= send;
                            count(send, t);
                        }
                    }
                    count(left, f64::INFINITY);
                }
            }
        }
    }
    out.total = total;
    out
}

/// Every k-subset of `items`.
fn subsets(items: &[usize], k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for (i, &x) in items.iter().enumerate() {
        for mut rest in subsets(&items[i + 1..], k - 1) {
            rest.insert(0, x);
            out.push(rest);
        }
    }
    out
}

/// Every placement the problem allows: per sector, its fixed sites plus any
/// choice of the rest among the sites not excluded.
pub fn placements(p: &Problem) -> Vec<Vec<usize>> {
    let mut all = vec![vec![]];
    for s in &p.sectors {
        let fixed: Vec<usize> = s.candidates.iter().copied().filter(|c| p.fixed.contains(c)).collect();
        let free: Vec<usize> = s.candidates.iter().copied().filter(|c| !p.fixed.contains(c) && !p.excluded.contains(c)).collect();
        let mut next = Vec::new();
        for head in &all {
            for choice in subsets(&free, s.open - fixed.len()) {
                let mut v = head.clone();
                v.extend(&fixed);
                v.extend(choice);
                next.push(v);
            }
        }
        all = next;
    }
    for v in &mut all {
        v.sort_unstable();
    }
    all
}

/// Whether `x` is better than `y` for the objective (cover-then-median:
/// covered weight first, then cost), with a tolerance `tol` on each.
pub fn plain_better(objective: Objective, x: &Plain, y: &Plain, tol: f64) -> bool {
    match objective {
        Objective::CoverThenMedian => {
            let (ux, uy) = (x.total - x.covered, y.total - y.covered);
            ux < uy - tol * x.total.max(1.0) || (ux <= uy + tol * x.total.max(1.0) && x.cost < y.cost - tol * x.cost.abs().max(1.0))
        }
        o => x.score(o) < y.score(o) - tol * y.score(o).abs().max(1.0),
    }
}

/// The best placements by brute force: their figures and every placement that ties.
pub fn brute_force(p: &Problem) -> (Plain, Vec<Vec<usize>>) {
    let all = placements(p);
    let scored: Vec<(Vec<usize>, Plain)> = all.into_iter().map(|o| (o.clone(), plain_evaluate(p, &o))).collect();
    let mut best = scored[0].1;
    for (_, v) in &scored {
        if plain_better(p.objective, v, &best, 0.0) {
            best = *v;
        }
    }
    let ties = scored.iter().filter(|(_, v)| !plain_better(p.objective, &best, v, 1e-12)).map(|(o, _)| o.clone()).collect();
    (best, ties)
}
