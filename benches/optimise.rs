//! Location optimisation benchmarks with printed figures, each beside a
//! baseline measured in the same run. Run with `cargo bench --bench optimise`.
//!
//! - Synthetic 10,000 zones x 500 candidate sites, p = 20: the heuristic
//!   (greedy + interchange) for median, cover, cover-then-median and center,
//!   with its bound and gap, beside random restarts given the same wall time
//!   (the best of random p-sets, each scored as drawn, with no local search).
//! - Exhaustive search, p = 1..4 over 30 candidates x 800 zones, beside
//!   scoring every combination through the public `evaluate` (the naive way).
//! - Capacities: 2,000 zones x 100 candidates, p = 10, beside the
//!   uncapacitated answer sent out under the same capacities.
//!
//! Sections are plain functions called from `main`, so rows for the demo
//! region can be added beside them.

use std::time::{Duration, Instant};

use accessplan::analysis::optimise::{Method, Objective, Options, Problem, Sector, Solution, binomial, evaluate, solve};

use accessplan::testdata::Rng;

/// Zones and sites uniform in a square of `side_m`; time = 60 s + distance
/// at 50 km/h, stretched by 0-30 % noise (roads are not straight).
fn synthetic(zones: usize, candidates: usize, side_m: f64, p: usize, seed: u64) -> Problem {
    let mut rng = Rng::new(seed);
    let zs: Vec<(f64, f64)> = (0..zones).map(|_| (rng.unit() * side_m, rng.unit() * side_m)).collect();
    let cs: Vec<(f64, f64)> = (0..candidates).map(|_| (rng.unit() * side_m, rng.unit() * side_m)).collect();
    let speed_m_per_s = 50_000.0 / 3600.0;
    let mut time_s = Vec::with_capacity(zones * candidates);
    for z in &zs {
        for c in &cs {
            let d = ((z.0 - c.0).powi(2) + (z.1 - c.1).powi(2)).sqrt();
            time_s.push((60.0 + d / speed_m_per_s * (1.0 + 0.3 * rng.unit())) as f32);
        }
    }
    Problem {
        zones,
        candidates,
        time_s,
        weight: (0..zones).map(|_| 50.0 + 450.0 * rng.unit()).collect(),
        threshold_s: Some(600.0),
        objective: Objective::Median,
        sectors: vec![Sector { label: "all".into(), zones: (0..zones).collect(), candidates: (0..candidates).collect(), open: p }],
        fixed: vec![],
        excluded: vec![],
        capacity: None,
        candidate_names: (0..candidates).map(|c| format!("site {c}")).collect(),
    }
}

fn minutes(s: f64) -> String {
    format!("{:6.2} min", s / 60.0)
}

/// The objective's score in planner's units.
fn show(objective: Objective, score: f64) -> String {
    match objective {
        Objective::Median | Objective::Center => minutes(score),
        Objective::Cover => format!("{:6.2} % uncovered", 100.0 * score),
        Objective::CoverThenMedian => format!("{score:.6}"),
    }
}

fn row(label: &str, s: &Solution, objective: Objective) {
    let v = &s.value;
    println!(
        "{label:<40} {:>8.3} s  score {:<20} bound {:<20} gap {:>7.3} %  mean {}  within 10 min {:6.2} %  evals {:>10}{}",
        s.elapsed.as_secs_f64(),
        show(objective, v.score),
        s.bound.map_or("-".into(), |b| show(objective, b)),
        100.0 * s.gap.unwrap_or(f64::NAN),
        minutes(v.mean_time_s),
        100.0 * v.covered_share.unwrap_or(f64::NAN),
        s.evaluations,
        if s.timed_out { "  (timed out)" } else { "" },
    );
}

/// Random restarts for `budget`: the best random p-set by the objective's score.
fn random_restarts(problem: &Problem, p: usize, budget: Duration, seed: u64) -> (usize, Vec<usize>, f64) {
    let mut rng = Rng::new(seed);
    let start = Instant::now();
    let (mut samples, mut best, mut best_score) = (0, vec![], f64::INFINITY);
    while start.elapsed() < budget || samples == 0 {
        let mut set: Vec<usize> = Vec::with_capacity(p);
        while set.len() < p {
            let c = rng.below(problem.candidates);
            if !set.contains(&c) {
                set.push(c);
            }
        }
        let v = evaluate(problem, &set);
        samples += 1;
        if v.score < best_score {
            best_score = v.score;
            best = set;
        }
    }
    best.sort_unstable();
    (samples, best, best_score)
}

fn synthetic_large() {
    let (zones, candidates, p) = (10_000, 500, 20);
    println!("\n## Synthetic {zones} zones x {candidates} candidates, p = {p} (40 km square, 50 km/h + noise), heuristic");
    let t = Instant::now();
    let base = synthetic(zones, candidates, 40_000.0, p, 42);
    println!("instance built in {:.2} s", t.elapsed().as_secs_f64());
    let options = Options { method: Method::Heuristic, time_limit: Duration::from_secs(10), ..Options::default() };
    for objective in [Objective::Median, Objective::Cover, Objective::CoverThenMedian, Objective::Center] {
        let problem = Problem { objective, ..base.clone() };
        let s = match solve(&problem, &options) {
            Ok(s) => s,
            Err(e) => {
                println!("{objective}: {e}");
                continue;
            }
        };
        row(&format!("{objective}: greedy + interchange"), &s, objective);
        let (samples, set, _) = random_restarts(&problem, p, s.elapsed, 7);
        let v = evaluate(&problem, &set);
        println!(
            "{:<40} {:>8.3} s  score {:<20} ({samples} random sets, each scored as drawn)  mean {}  within 10 min {:6.2} %",
            format!("{objective}: random restarts"),
            s.elapsed.as_secs_f64(),
            show(objective, v.score),
            minutes(v.mean_time_s),
            100.0 * v.covered_share.unwrap_or(f64::NAN),
        );
    }
}

fn exhaustive_small() {
    let (zones, candidates) = (800, 30);
    println!("\n## Exhaustive search, {zones} zones x {candidates} candidates (median), beside every combination through evaluate()");
    let base = synthetic(zones, candidates, 20_000.0, 1, 43);
    let options = Options { method: Method::Exact, time_limit: Duration::from_secs(60), ..Options::default() };
    for p in 1..=4 {
        let mut problem = base.clone();
        problem.sectors[0].open = p;
        let runs: Vec<Solution> = (0..3).filter_map(|_| solve(&problem, &options).ok()).collect();
        let Some(s) = runs.iter().min_by(|a, b| a.elapsed.cmp(&b.elapsed)) else {
            continue;
        };
        let mut times: Vec<f64> = runs.iter().map(|r| r.elapsed.as_secs_f64()).collect();
        times.sort_by(f64::total_cmp);
        let median_s = times[times.len() / 2];
        // Baseline: every combination scored by evaluate().
        let t = Instant::now();
        let (mut best, mut set) = (f64::INFINITY, vec![0usize; p]);
        let mut count = 0u64;
        let mut idx: Vec<usize> = (0..p).collect();
        loop {
            set.copy_from_slice(&idx);
            let v = evaluate(&problem, &set);
            count += 1;
            best = best.min(v.score);
            // Next combination in lexicographic order.
            let mut i = p;
            while i > 0 && idx[i - 1] == candidates - p + i - 1 {
                i -= 1;
            }
            if i == 0 {
                break;
            }
            idx[i - 1] += 1;
            for j in i..p {
                idx[j] = idx[j - 1] + 1;
            }
        }
        let naive_s = t.elapsed().as_secs_f64();
        let auto = Options { method: Method::Auto, ..options.clone() };
        let (auto_s, auto_proven) = {
            let mut v: Vec<(f64, bool)> = (0..3).filter_map(|_| solve(&problem, &auto).ok()).map(|s| (s.elapsed.as_secs_f64(), s.proven_optimal)).collect();
            v.sort_by(|a, b| a.0.total_cmp(&b.0));
            v.get(v.len() / 2).copied().unwrap_or((f64::NAN, false))
        };
        println!(
            "p = {p}: {:>6} combinations  exact {:>8.4} s (median of 3; {:>6} evaluations, proven {})  score {}  |  evaluate() on all {count}: {:>8.4} s, best {}  ({:.1}x)  |  auto {:>8.4} s, proven {auto_proven}",
            binomial(candidates, p),
            median_s,
            s.evaluations,
            s.proven_optimal,
            minutes(s.value.score),
            naive_s,
            minutes(best),
            naive_s / median_s.max(1e-9),
            auto_s,
        );
    }
}

fn capacitated() {
    let (zones, candidates, p) = (2_000, 100, 10);
    println!("\n## Capacity: {zones} zones x {candidates} candidates, p = {p}, every site capped at total weight / p, median, heuristic");
    let mut problem = synthetic(zones, candidates, 20_000.0, p, 44);
    let per_site = problem.weight.iter().sum::<f64>() / p as f64;
    let options = Options { method: Method::Heuristic, ..Options::default() };
    let Ok(free) = solve(&problem, &options) else {
        return;
    };
    problem.capacity = Some(vec![Some(per_site); candidates]);
    let Ok(s) = solve(&problem, &options) else {
        return;
    };
    row("median with capacities", &s, Objective::Median);
    println!("{:<40} score {:.1} s", "", s.value.score);
    // Baseline: the uncapacitated answer, then sent out under the capacities.
    let v = evaluate(&problem, &free.open);
    println!(
        "{:<40} {:>8.3} s  score {:<20} = {:.1} s (the uncapacitated placement under capacities)  mean {}  unserved {:.0} of {:.0}; with capacities: unserved {:.0}",
        "uncapacitated answer, then capped",
        free.elapsed.as_secs_f64(),
        minutes(v.score),
        v.score,
        minutes(v.mean_time_s),
        v.unreached_weight,
        v.total_weight,
        s.value.unreached_weight,
    );
}

fn main() {
    println!("accessplan location optimisation benchmarks ({} threads)", rayon::current_num_threads());
    demo_region();
    synthetic_large();
    exhaustive_small();
    capacitated();
}

/// The demo region (795 zones, 16 sites; matrices precomputed): one tier 3
/// service, heuristic p = 1..6 for median and cover (target <= 50 ms each),
/// beside exhaustive search; then 14 candidate sites added at zone points
/// (30 candidates in all) for the exhaustive check p = 1..4 (target <= 2 s).
fn demo_region() {
    use accessplan::analysis::placement::{PlacementRequest, suggest};
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/demo/scenarios/hlc-model.toml");
    let mut study = accessplan::study::Study::open(&path, &accessplan::progress::Progress::new()).expect("the demo region opens");
    let si = study.scenario.service("continence").expect("the demo plans continence care");
    let run = |study: &accessplan::study::Study, objective: Objective, p: usize, method: Method| {
        let mut req = PlacementRequest::new(vec![si]);
        req.objective = objective;
        req.sites = Some(p);
        req.options = Options { method, ..Options::default() };
        let t = Instant::now();
        let sg = suggest(&req, &study.scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts).expect("a placement");
        (t.elapsed().as_secs_f64(), sg)
    };
    println!(
        "\n## Demo region: continence care, {} zones x {} sites, car off peak, by residents (request to answer, problem built each time)",
        study.region.zones.len(),
        study.sites().len()
    );
    println!("{:<8} {:>3} {:>12} {:>12} {:>16} {:>16}  same answer", "aim", "p", "heuristic", "exhaustive", "heuristic score", "optimum");
    for objective in [Objective::Median, Objective::Cover] {
        for p in 1..=6 {
            let (th, h) = run(&study, objective, p, Method::Heuristic);
            let (te, e) = run(&study, objective, p, Method::Exact);
            println!(
                "{:<8} {p:>3} {:>9.1} ms {:>9.1} ms {:>16} {:>16}  {}",
                objective.to_string(),
                th * 1000.0,
                te * 1000.0,
                show(objective, h.solution.value.score),
                show(objective, e.solution.value.score),
                if (h.solution.value.score - e.solution.value.score).abs() <= 1e-9 * e.solution.value.score.abs().max(1.0) { "yes" } else { "NO" }
            );
        }
    }
    // 14 more candidates at zone points spread over the region.
    let n_zones = study.region.zones.len();
    for k in 0..14 {
        let z = &study.region.zones[(k * 57 + 11) % n_zones];
        let site = accessplan::model::Site::candidate(format!("bench-{k}"), format!("Bench site {k}"), z.point, z.locality.clone());
        study.add_site(site, &accessplan::progress::Progress::new()).expect("nobody cancels the benchmark");
    }
    println!("\n## Demo region with {} candidate sites: exhaustive search p = 1..4 (median), target <= 2 s", study.sites().len());
    for p in 1..=4 {
        let (te, e) = run(&study, Objective::Median, p, Method::Exact);
        let (th, h) = run(&study, Objective::Median, p, Method::Heuristic);
        println!(
            "p={p}  {:>6} combinations  exhaustive {:>8.1} ms ({})  heuristic {:>7.1} ms  {}",
            binomial(study.sites().len(), p),
            te * 1000.0,
            if e.solution.proven_optimal { "proven" } else { "NOT proven" },
            th * 1000.0,
            if (h.solution.value.score - e.solution.value.score).abs() <= 1e-9 * e.solution.value.score.abs().max(1.0) {
                "same answer"
            } else {
                "heuristic differs"
            }
        );
    }
}
