//! Checks of the solvers against the brute-force twin in `reference` on
//! random small instances (a seeded xorshift generator, no dependency), and
//! of the fast pieces (swap pricing, allocation, evaluation) against plain ones.

use std::time::Duration;

use super::heuristic::{Nearest, best_swap_center, best_swap_sum};
use super::reference::{Plain, brute_force, placements, plain_better, plain_evaluate};
use super::sector::Sub;
use super::*;

use crate::testdata::Rng;

/// Knobs for random instances.
#[derive(Clone, Copy)]
struct Shape {
    zones: (usize, usize),
    candidates: (usize, usize),
    max_open: usize,
    sectors: bool,
    constraints: bool,
    capacity: bool,
}

const SMALL: Shape = Shape { zones: (1, 10), candidates: (2, 7), max_open: 3, sectors: true, constraints: true, capacity: true };

/// A random valid instance: times in whole minutes (so ties happen), some
/// unreachable and some beyond the penalty, zero weights, sectors, fixed and
/// excluded sites, capacities.
fn instance(rng: &mut Rng, objective: Objective, shape: Shape) -> Problem {
    let nz = rng.range(shape.zones.0, shape.zones.1);
    let nc = rng.range(shape.candidates.0, shape.candidates.1);
    let time_s: Vec<f32> = (0..nz * nc)
        .map(|_| {
            if rng.chance(0.12) {
                f32::INFINITY
            } else if rng.chance(0.03) {
                4.0 * 3600.0
            } else {
                60.0 * rng.range(1, 40) as f32
            }
        })
        .collect();
    let weight: Vec<f64> = (0..nz).map(|_| if rng.chance(0.15) { 0.0 } else { rng.range(1, 100) as f64 * 0.5 }).collect();
    // Sectors: one with everything, or a random partition (some zones and sites left out).
    let n_sectors = if shape.sectors && rng.chance(0.5) { rng.range(2, 3) } else { 1 };
    let mut sectors: Vec<Sector> = (0..n_sectors).map(|i| Sector { label: format!("S{i}"), zones: vec![], candidates: vec![], open: 0 }).collect();
    for z in 0..nz {
        if n_sectors == 1 || !rng.chance(0.1) {
            sectors[rng.below(n_sectors)].zones.push(z);
        }
    }
    for c in 0..nc {
        // The first sites go one to each sector, so each has one.
        if c < n_sectors {
            sectors[c].candidates.push(c);
        } else if n_sectors == 1 || !rng.chance(0.1) {
            sectors[rng.below(n_sectors)].candidates.push(c);
        }
    }
    let mut fixed = Vec::new();
    let mut excluded = Vec::new();
    for s in &mut sectors {
        let mut allowed = Vec::new();
        for &c in &s.candidates {
            if shape.constraints && rng.chance(0.12) {
                fixed.push(c);
                allowed.push(c);
            } else if shape.constraints && rng.chance(0.12) {
                excluded.push(c);
            } else {
                allowed.push(c);
            }
        }
        let n_fixed = allowed.iter().filter(|c| fixed.contains(c)).count();
        let lo = n_fixed.max(1).min(allowed.len());
        let hi = allowed.len().min(n_fixed + shape.max_open).max(lo);
        s.open = rng.range(lo, hi);
    }
    let threshold_s = Some(60.0 * rng.range(5, 30) as f32);
    let capacity = (shape.capacity && rng.chance(0.25)).then(|| {
        let total: f64 = weight.iter().sum();
        (0..nc).map(|_| if rng.chance(0.3) { None } else { Some((total * rng.range(5, 60) as f64 / 100.0).round()) }).collect()
    });
    Problem {
        zones: nz,
        candidates: nc,
        time_s,
        weight,
        threshold_s,
        objective,
        sectors,
        fixed,
        excluded,
        capacity,
        candidate_names: (0..nc).map(|c| format!("site {c}")).collect(),
    }
}

fn options(method: Method) -> Options {
    Options { method, time_limit: Duration::from_secs(60), ..Options::default() }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-8 * a.abs().max(b.abs()).max(1.0)
}

/// Whether two placements' figures are equal for the objective.
fn equal_for(objective: Objective, x: &Plain, y: &Plain) -> bool {
    match objective {
        Objective::CoverThenMedian => close(x.covered, y.covered) && close(x.cost, y.cost),
        o => close(x.score(o), y.score(o)),
    }
}

/// Checks the placement obeys the sectors' counts, fixed and excluded sites.
fn check_constraints(p: &Problem, open: &[usize]) {
    for s in &p.sectors {
        let n = s.candidates.iter().filter(|c| open.contains(c)).count();
        assert_eq!(n, s.open, "sector {} opens {n}, not {}", s.label, s.open);
    }
    assert!(p.fixed.iter().all(|c| open.contains(c)), "a fixed site is closed: {open:?} fixed {:?}", p.fixed);
    assert!(p.excluded.iter().all(|c| !open.contains(c)), "an excluded site is open");
    let in_sector = |c: &usize| p.sectors.iter().any(|s| s.candidates.contains(c));
    assert!(open.iter().all(in_sector), "a site outside every sector is open");
}

/// Exact against brute force, heuristic and bound against exact, for one objective.
fn against_reference(objective: Objective, instances: u64) {
    let (mut unique, mut heur_optimal, mut proven_by_bound) = (0, 0, 0);
    let (mut with_sectors, mut with_fixed, mut with_excluded, mut with_unreachable, mut with_capacity) = (0, 0, 0, 0, 0);
    for seed in 0..instances {
        let mut rng = Rng::new(seed * 7 + objective as u64);
        let p = instance(&mut rng, objective, SMALL);
        assert_eq!(validate(&p), Ok(()), "seed {seed}");
        with_sectors += (p.sectors.len() > 1) as usize;
        with_fixed += !p.fixed.is_empty() as usize;
        with_excluded += !p.excluded.is_empty() as usize;
        with_unreachable += p.time_s.iter().any(|t| t.is_infinite()) as usize;
        with_capacity += p.capacity.is_some() as usize;
        let (best, ties) = brute_force(&p);
        let ex = solve(&p, &options(Method::Exact)).expect("valid instance");
        check_constraints(&p, &ex.open);
        let ex_plain = plain_evaluate(&p, &ex.open);
        assert!(equal_for(objective, &ex_plain, &best), "seed {seed}: exact {:?} {ex_plain:?}, brute force {best:?} {ties:?}\n{p:?}", ex.open);
        assert!(ties.contains(&ex.open), "seed {seed}: exact set {:?} is not among the optimal sets {ties:?}", ex.open);
        assert!(close(ex.value.score, best.score(objective)), "seed {seed}: score {} vs {}", ex.value.score, best.score(objective));
        assert!(ex.proven_optimal && !ex.timed_out && ex.gap == Some(0.0) && ex.method == Method::Exact);
        assert_eq!(ex.bound, Some(ex.value.score));
        unique += (ties.len() == 1) as usize;
        let auto = solve(&p, &options(Method::Auto)).expect("valid instance");
        assert!(auto.proven_optimal && auto.method == Method::Exact, "seed {seed}: auto on a tiny instance");
        assert!(equal_for(objective, &plain_evaluate(&p, &auto.open), &best), "seed {seed}: auto is not optimal");

        let he = solve(&p, &options(Method::Heuristic)).expect("valid instance");
        check_constraints(&p, &he.open);
        assert_eq!(he.method, Method::Heuristic);
        let he_plain = plain_evaluate(&p, &he.open);
        assert!(!plain_better(objective, &he_plain, &best, 1e-9), "seed {seed}: heuristic beats the optimum");
        let bound = he.bound.expect("a bound");
        assert!(
            bound <= best.score(objective) + 1e-9 * best.score(objective).abs().max(1.0),
            "seed {seed}: bound {bound} > optimum {}\n{p:?}",
            best.score(objective)
        );
        let gap = he.gap.expect("a gap");
        assert!(gap >= 0.0 && (gap == 0.0) == he.proven_optimal, "seed {seed}: gap {gap}");
        if he.proven_optimal {
            proven_by_bound += 1;
            assert!(equal_for(objective, &he_plain, &best), "seed {seed}: heuristic claims optimality wrongly");
        }
        heur_optimal += equal_for(objective, &he_plain, &best) as usize;
    }
    println!(
        "{objective}: {instances} instances ({with_sectors} with several sectors, {with_fixed} fixed, {with_excluded} excluded, {with_unreachable} unreachable entries, {with_capacity} capacities); \
         exact = brute force on all ({unique} with a unique optimum, the rest ties: exact's set is always one of the optimal sets); \
         heuristic optimal on {heur_optimal}; heuristic proven optimal by its bound on {proven_by_bound}"
    );
    assert!(heur_optimal as f64 >= 0.8 * instances as f64, "heuristic optimal on only {heur_optimal} of {instances}");
}

/// The enumeration alone (incumbent: nothing) finds the optimum: the
/// heuristic's incumbent must not be what makes the exact answers right.
#[test]
fn enumeration_alone_finds_the_optimum() {
    let shape = Shape { zones: (1, 25), candidates: (2, 9), max_open: 4, sectors: false, constraints: true, capacity: true };
    let worst = sector::Key { a: f64::INFINITY, b: f64::INFINITY };
    let progress = crate::progress::Progress::new();
    let far = super::Deadline::after(Duration::from_secs(600), &progress);
    for seed in 0..400 {
        let mut rng = Rng::new(20_000 + seed);
        let objective = Objective::ALL[rng.below(4)];
        let p = instance(&mut rng, objective, shape);
        let s = &p.sectors[0];
        let sub = Sub::new(&p, s, s.candidates.iter().copied().filter(|c| !p.excluded.contains(c)).collect());
        let out = exact::solve(&sub, &[], worst, far);
        assert!(out.complete);
        let open: Vec<usize> = out.open.iter().map(|&c| sub.cands[c]).collect();
        let (best, _) = brute_force(&p);
        if sub.nz() > 0 {
            assert!(equal_for(objective, &plain_evaluate(&p, &open), &best), "seed {seed} {objective}: {open:?}");
        }
    }
}

#[test]
fn exact_matches_brute_force_median() {
    against_reference(Objective::Median, 200);
}

#[test]
fn exact_matches_brute_force_cover() {
    against_reference(Objective::Cover, 200);
}

#[test]
fn exact_matches_brute_force_center() {
    against_reference(Objective::Center, 200);
}

#[test]
fn exact_matches_brute_force_cover_then_median() {
    against_reference(Objective::CoverThenMedian, 200);
}

#[test]
fn bounds_are_valid_on_larger_instances() {
    // 20-40 zones, 8-12 sites, up to 4 to open, one sector: brute force is still quick.
    let shape = Shape { zones: (20, 40), candidates: (8, 12), max_open: 4, sectors: false, constraints: true, capacity: false };
    for objective in Objective::ALL {
        let (mut sum_gap, mut n, mut heur_optimal) = (0.0, 0, 0);
        for seed in 0..60 {
            let mut rng = Rng::new(1000 + seed);
            let p = instance(&mut rng, objective, shape);
            let (best, _) = brute_force(&p);
            let he = solve(&p, &options(Method::Heuristic)).expect("valid");
            let opt = best.score(objective);
            let bound = he.bound.expect("bound");
            assert!(bound <= opt + 1e-9 * opt.abs().max(1.0), "{objective} seed {seed}: bound {bound} > optimum {opt}");
            let ex = solve(&p, &options(Method::Exact)).expect("valid");
            assert!(equal_for(objective, &plain_evaluate(&p, &ex.open), &best), "{objective} seed {seed}: exact is not optimal");
            heur_optimal += equal_for(objective, &plain_evaluate(&p, &he.open), &best) as usize;
            if opt > 0.0 {
                sum_gap += (opt - bound) / opt;
                n += 1;
            }
        }
        println!(
            "{objective}: 60 larger instances, heuristic optimal on {heur_optimal}, mean gap of the bound to the optimum {:.4}",
            sum_gap / n.max(1) as f64
        );
    }
}

/// Auto on instances big enough that it computes the bounds before
/// enumerating (3,000 zones, 24 sites, p = 4: 10,626 placements), against
/// brute force.
#[test]
fn auto_with_bounds_first_matches_brute_force() {
    let shape = Shape { zones: (3000, 3000), candidates: (24, 24), max_open: 4, sectors: false, constraints: false, capacity: false };
    for objective in Objective::ALL {
        for seed in 0..2 {
            let mut rng = Rng::new(30_000 + seed);
            let mut p = instance(&mut rng, objective, shape);
            p.sectors[0].open = 4;
            let (best, _) = brute_force(&p);
            let auto = solve(&p, &options(Method::Auto)).expect("valid");
            assert!(auto.proven_optimal && auto.method == Method::Exact, "{objective} seed {seed}");
            assert!(equal_for(objective, &plain_evaluate(&p, &auto.open), &best), "{objective} seed {seed}: {:?} is not optimal", auto.open);
        }
    }
}

#[test]
fn evaluate_matches_plain_evaluation() {
    for seed in 0..300 {
        let mut rng = Rng::new(5000 + seed);
        let objective = Objective::ALL[rng.below(4)];
        let p = instance(&mut rng, objective, SMALL);
        // Any set of sites, excluded ones and sites outside sectors included.
        let open: Vec<usize> = (0..p.candidates).filter(|_| rng.chance(0.4)).collect();
        let v = evaluate(&p, &open);
        let plain = plain_evaluate(&p, &open);
        assert!(close(v.score, plain.score(objective)), "seed {seed}: {} vs {}", v.score, plain.score(objective));
        assert!(close(v.total_weight, plain.total));
        assert!(close(v.covered_share.unwrap_or(0.0) * v.total_weight, plain.covered));
        let a = assign_with_capacity(&p, &open);
        let served: f64 = a.load.iter().sum();
        let unserved: f64 = a.unserved.iter().sum();
        assert!(close(served + unserved, v.total_weight), "seed {seed}: weight not conserved");
        assert!(close(unserved, v.unreached_weight));
        if let Some(caps) = &p.capacity {
            for (c, cap) in caps.iter().enumerate() {
                if let Some(cap) = cap {
                    assert!(a.load[c] <= cap + 1e-9, "seed {seed}: site {c} over capacity");
                }
            }
        }
        for (z, flows) in a.flows.iter().enumerate() {
            let sector = p.sectors.iter().find(|s| s.zones.contains(&z));
            for &(c, amount) in flows {
                assert!(amount > 0.0 && open.contains(&c));
                assert!(sector.is_some_and(|s| s.candidates.contains(&c)), "zone {z} sent weight outside its sector");
                assert!(p.time_s[z * p.candidates + c].is_finite());
            }
        }
    }
}

#[test]
fn swap_pricing_matches_full_evaluation() {
    let shape = Shape { zones: (5, 40), candidates: (3, 10), max_open: 4, sectors: false, constraints: true, capacity: false };
    for seed in 0..200 {
        let mut rng = Rng::new(9000 + seed);
        let objective = Objective::ALL[rng.below(4)];
        let p = instance(&mut rng, objective, shape);
        let s = &p.sectors[0];
        let allowed: Vec<usize> = s.candidates.iter().copied().filter(|c| !p.excluded.contains(c)).collect();
        let sub = Sub::new(&p, s, allowed);
        let Some(open) = placements(&p).first().map(|o| o.iter().map(|g| sub.cands.iter().position(|x| x == g).expect("allowed")).collect::<Vec<usize>>())
        else {
            continue;
        };
        let open_fixed: Vec<bool> = open.iter().map(|c| sub.fixed.contains(c)).collect();
        let near = Nearest::build(&sub, &open);
        let key = sub.key_of(&open);
        for c in (0..sub.nc()).filter(|c| !open.contains(c)) {
            let priced =
                if objective == Objective::Center { best_swap_center(&sub, &near, &open_fixed, c) } else { best_swap_sum(&sub, &near, &open_fixed, key, c) };
            // The best swap by full evaluation.
            let mut best: Option<(usize, sector::Key)> = None;
            for pos in (0..open.len()).filter(|&q| !open_fixed[q]) {
                let mut trial = open.clone();
                trial[pos] = c;
                let k = sub.key_of(&trial);
                if best.is_none_or(|(_, b)| sub.rule.better(k, b)) {
                    best = Some((pos, k));
                }
            }
            match (priced, best) {
                (None, None) => {}
                (Some((_, a)), Some((_, b))) => assert!(close(a.a, b.a) && close(a.b, b.b), "seed {seed} {objective}: priced {a:?}, full {b:?}"),
                other => panic!("seed {seed}: {other:?}"),
            }
        }
    }
}

#[test]
fn time_limit_returns_a_valid_placement() {
    let mut rng = Rng::new(77);
    let shape = Shape { zones: (300, 300), candidates: (40, 40), max_open: 6, sectors: false, constraints: false, capacity: false };
    let mut p = instance(&mut rng, Objective::Median, shape);
    p.sectors[0].open = 6;
    let s = solve(&p, &Options { method: Method::Exact, time_limit: Duration::ZERO, ..Options::default() }).expect("valid");
    assert!(s.timed_out && !s.proven_optimal);
    check_constraints(&p, &s.open);
    assert!(s.bound.is_some_and(|b| b <= s.value.score));
}

#[test]
fn names_parse_and_print() {
    for o in Objective::ALL {
        assert_eq!(o.to_string().parse::<Objective>(), Ok(o));
    }
    assert_eq!("p-median".parse::<Objective>(), Ok(Objective::Median));
    assert_eq!("max-cover".parse::<Objective>(), Ok(Objective::Cover));
    assert_eq!("Centre".parse::<Objective>(), Ok(Objective::Center));
    assert_eq!("combined".parse::<Objective>(), Ok(Objective::CoverThenMedian));
    assert!("nearest".parse::<Objective>().is_err());
    assert!(Objective::Cover.needs_threshold() && !Objective::Center.needs_threshold());
    assert_eq!("heuristic".parse::<Method>(), Ok(Method::Heuristic));
    assert_eq!(binomial(30, 4), 27_405);
    assert_eq!(binomial(500, 20), u64::MAX);
}
