//! Hand-built location problems whose answers are worked out by hand in the
//! comments: where the p-median, maximal-covering and p-center answers
//! differ; capacity sending patients on to their next-nearest site; sectors
//! solved on their own with fixed and excluded sites; and each error message.
//! Times are whole minutes (x 60 s) so the arithmetic is easy to follow.

use accessplan::analysis::optimise::{
    Method, Objective, OptimiseError, Options, Problem, Sector, UNREACHED_PENALTY_S, assign_with_capacity, evaluate, solve, validate,
};

const MIN: f32 = 60.0;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {
        assert!(close($a as f64, $b as f64), "{} = {} but expected {}", stringify!($a), $a, $b)
    };
}

/// A problem from a zones x sites table in minutes (`None`: unreachable).
fn problem(minutes: &[&[Option<f32>]], weight: &[f64], names: &[&str], objective: Objective, threshold_min: Option<f32>, sectors: Vec<Sector>) -> Problem {
    let candidates = names.len();
    Problem {
        zones: minutes.len(),
        candidates,
        time_s: minutes.iter().flat_map(|row| row.iter().map(|m| m.map_or(f32::INFINITY, |m| m * MIN))).collect(),
        weight: weight.to_vec(),
        threshold_s: threshold_min.map(|m| m * MIN),
        objective,
        sectors,
        fixed: vec![],
        excluded: vec![],
        capacity: None,
        candidate_names: names.iter().map(|s| s.to_string()).collect(),
    }
}

fn one_sector(zones: usize, candidates: usize, open: usize) -> Vec<Sector> {
    vec![Sector { label: "all".into(), zones: (0..zones).collect(), candidates: (0..candidates).collect(), open }]
}

fn exact() -> Options {
    Options { method: Method::Exact, ..Options::default() }
}

/// Five zones on a line at km 0, 1, 2, 9 and 20 (weights 30, 30, 30, 80,
/// 10; total 180) and three sites X at km 1, Y at km 8, Z at km 10; one
/// minute per km. Threshold 2 minutes.
///
/// ```text
///          X    Y    Z      weight
/// z0 @0    1    8   10        30
/// z1 @1    0    7    9        30
/// z2 @2    1    6    8        30
/// z3 @9    8    1    1        80
/// z4 @20  19   12   10        10
/// ```
///
/// p = 1. Weighted minutes: X 30+0+30+640+190 = 890; Y 240+210+180+80+120 =
/// 830; Z 300+270+240+80+100 = 990, so the median is Y (830/180 = 4.611 min).
/// Within 2 minutes: X covers z0-z2 (90), Y and Z only z3 (80), so cover is
/// X (50 % covered). Worst: X 19, Y 12, Z 10, so the center is Z (10 min).
fn line() -> Problem {
    let m = |v: [f32; 3]| v.map(Some);
    let rows = [m([1.0, 8.0, 10.0]), m([0.0, 7.0, 9.0]), m([1.0, 6.0, 8.0]), m([8.0, 1.0, 1.0]), m([19.0, 12.0, 10.0])];
    let rows: Vec<&[Option<f32>]> = rows.iter().map(|r| r.as_slice()).collect();
    problem(&rows, &[30.0, 30.0, 30.0, 80.0, 10.0], &["X", "Y", "Z"], Objective::Median, Some(2.0), one_sector(5, 3, 1))
}

#[test]
fn median_cover_and_center_answers_differ() {
    let base = line();
    let with = |objective| Problem { objective, ..base.clone() };

    let median = solve(&with(Objective::Median), &exact()).expect("valid");
    assert_eq!(median.open, vec![1], "median site is Y");
    assert_close!(median.value.mean_time_s, 830.0 / 180.0 * 60.0); // 4.611 min
    assert_close!(median.value.score, 830.0 / 180.0 * 60.0);
    assert_close!(median.value.covered_share.expect("threshold"), 80.0 / 180.0); // only z3
    assert_close!(median.value.worst_time_s, 12.0 * 60.0);
    assert!(median.proven_optimal && median.gap == Some(0.0));

    let cover = solve(&with(Objective::Cover), &exact()).expect("valid");
    assert_eq!(cover.open, vec![0], "cover site is X");
    assert_close!(cover.value.covered_share.expect("threshold"), 0.5); // 90 of 180
    assert_close!(cover.value.score, 0.5);
    assert_close!(cover.value.mean_time_s, 890.0 / 180.0 * 60.0); // 4.944 min

    let center = solve(&with(Objective::Center), &exact()).expect("valid");
    assert_eq!(center.open, vec![2], "center site is Z");
    assert_close!(center.value.worst_time_s, 600.0);
    assert_close!(center.value.score, 600.0);
    assert_close!(center.value.mean_time_s, 990.0 / 180.0 * 60.0); // 5.5 min

    // Cover-then-median with p = 1 is X too (it covers the most).
    let combined = solve(&with(Objective::CoverThenMedian), &exact()).expect("valid");
    assert_eq!(combined.open, vec![0]);
    assert_close!(combined.value.score, 0.5 + (890.0 / 180.0 * 60.0) / (UNREACHED_PENALTY_S * 1000.0));

    // The heuristic agrees on this small line, and its bound is no more than the optimum.
    for (objective, site, best) in [(Objective::Median, 1, median.value.score), (Objective::Cover, 0, 0.5), (Objective::Center, 2, 600.0)] {
        let h = solve(&with(objective), &Options { method: Method::Heuristic, ..Options::default() }).expect("valid");
        assert_eq!(h.open, vec![site], "{objective}");
        assert!(h.bound.is_some_and(|b| b <= best + 1e-9), "{objective}: bound {:?}", h.bound);
    }
}

/// p = 2 on the same line. {X, Y} and {X, Z} both cover 170 of 180 (z0-z3):
/// a tie for cover. Weighted minutes: {X, Y} 30+0+30+80+120 = 260, {X, Z}
/// 30+0+30+80+100 = 240, {Y, Z} 240+210+180+80+100 = 810. Cover-then-median
/// breaks the tie by time: {X, Z}, mean 240/180 = 1.333 min; the median is
/// {X, Z} too.
#[test]
fn cover_then_median_breaks_the_cover_tie_by_time() {
    let mut p = line();
    p.sectors[0].open = 2;
    p.objective = Objective::Cover;
    let cover = solve(&p, &exact()).expect("valid");
    assert_close!(cover.value.covered_share.expect("threshold"), 170.0 / 180.0);
    assert!(cover.open == vec![0, 1] || cover.open == vec![0, 2]);

    p.objective = Objective::CoverThenMedian;
    let combined = solve(&p, &exact()).expect("valid");
    assert_eq!(combined.open, vec![0, 2]);
    assert_close!(combined.value.covered_share.expect("threshold"), 170.0 / 180.0);
    assert_close!(combined.value.mean_time_s, 80.0); // 240/180 min

    p.objective = Objective::Median;
    assert_eq!(solve(&p, &exact()).expect("valid").open, vec![0, 2]);
    // evaluate scores any placement, here the tied cover answer {X, Y}.
    let xy = evaluate(&p, &[0, 1]);
    assert_close!(xy.mean_time_s, 260.0 / 180.0 * 60.0);
    assert_close!(xy.covered_share.expect("threshold"), 170.0 / 180.0);
}

/// Three zones, sites A (capacity 100), B (capacity 40), C (no limit):
///
/// ```text
///         A    B    C     weight
/// z0      5   20   12       80
/// z1      8   10    9       50
/// z2      3    -   15       30      (- : B is unreachable from z2)
/// ```
///
/// A and B open. Zones go in order of the time to their nearest open site:
/// z2 (3 min), z0 (5), z1 (8). z2 sends 30 to A (load 30). z0 sends 70 to
/// A, which is then full (100), and its other 10 to B (load 10). z1 finds A
/// full and sends 30 to B, which is then full (40); its other 20 are
/// unserved. Loads A 100, B 40, unserved 20: 160 in all, the total weight.
/// Served minutes: 30x3 + 70x5 + 10x20 + 30x10 = 940 over 140 served, a
/// mean of 6.714 min; the worst is z0's 20 min to B.
#[test]
fn full_site_sends_patients_to_their_next_nearest() {
    let rows: [&[Option<f32>]; 3] = [&[Some(5.0), Some(20.0), Some(12.0)], &[Some(8.0), Some(10.0), Some(9.0)], &[Some(3.0), None, Some(15.0)]];
    let mut p = problem(&rows, &[80.0, 50.0, 30.0], &["A", "B", "C"], Objective::Median, Some(10.0), one_sector(3, 3, 1));
    p.capacity = Some(vec![Some(100.0), Some(40.0), None]);

    let a = assign_with_capacity(&p, &[0, 1]);
    assert_eq!(a.flows[0], vec![(0, 70.0), (1, 10.0)]);
    assert_eq!(a.flows[1], vec![(1, 30.0)]);
    assert_eq!(a.flows[2], vec![(0, 30.0)]);
    assert_eq!(a.load, vec![100.0, 40.0, 0.0]);
    assert_eq!(a.unserved, vec![0.0, 20.0, 0.0]);
    assert_close!(a.load.iter().sum::<f64>() + a.unserved.iter().sum::<f64>(), 160.0);

    let v = evaluate(&p, &[0, 1]);
    assert_close!(v.mean_time_s, 940.0 / 140.0 * 60.0);
    assert_close!(v.unreached_weight, 20.0);
    assert_close!(v.worst_time_s, 20.0 * 60.0);
    assert_close!(v.total_weight, 160.0);
    // Score: served 940 min x 60 plus 20 unserved at the 3-hour penalty, over 160.
    assert_close!(v.score, (940.0 * 60.0 + 20.0 * UNREACHED_PENALTY_S) / 160.0);
    // Covered within 10 min: z2's 30 and z0's 70 at A, z1's 30 at B (10 min): 130 of 160.
    assert_close!(v.covered_share.expect("threshold"), 130.0 / 160.0);

    // Without capacities everyone goes to A.
    let free = Problem { capacity: None, ..p.clone() };
    assert_eq!(assign_with_capacity(&free, &[0, 1]).load, vec![160.0, 0.0, 0.0]);

    // p = 1. Without capacities A is best: 80x5 + 50x8 + 30x3 = 890 minutes,
    // against C's 960 + 450 + 450 = 1,860. With them, A serves only 100 (z2's
    // 30 and z0's 70: 440 minutes) and leaves 60 unserved at 180 minutes
    // each (10,800), 11,240 in all; C serves everyone in 1,860: C is best.
    assert_eq!(solve(&free, &exact()).expect("valid").open, vec![0]);
    let capped = solve(&p, &exact()).expect("valid");
    assert_eq!(capped.open, vec![2]);
    assert_close!(capped.value.mean_time_s, 1860.0 / 160.0 * 60.0);
    assert_close!(capped.value.unreached_weight, 0.0);
    let heuristic = solve(&p, &Options { method: Method::Heuristic, ..Options::default() }).expect("valid");
    assert_eq!(heuristic.open, vec![2]);
    assert!(heuristic.bound.is_some_and(|b| b <= capped.value.score + 1e-9));
}

/// Two sectors. North: zones n0-n2, sites N1-N3, opens 2, N1 fixed. South:
/// zones s0-s1, sites S1-S3, opens 1, S1 excluded.
///
/// ```text
///        N1  N2  N3  S1  S2  S3   weight
/// n0      2  10   6  30  30  30     10
/// n1      8   3   9  30  30  30     20
/// n2      9   8   2  30  30  30     30
/// s0     40   1  40   3   5   9     50
/// s1     40  40  40   2   8   3     50
/// ```
///
/// North with N1 fixed: {N1, N2} costs 20+60+240 = 320 weighted minutes,
/// {N1, N3} 20+160+60 = 240, so N1 + N3 (unconstrained, N2 + N3 would cost
/// 60+60+60 = 180). South without S1 (which would cost 150+100 = 250): S2
/// 250+400 = 650, S3 450+150 = 600, so S3. s0 is 1 minute from N2 but may
/// not use it: it goes 9 minutes to S3. Total 840 over 160, 5.25 min.
#[test]
fn sectors_are_solved_on_their_own_with_fixed_and_excluded_sites() {
    let r = |v: [f32; 6]| v.map(Some);
    let rows = [
        r([2.0, 10.0, 6.0, 30.0, 30.0, 30.0]),
        r([8.0, 3.0, 9.0, 30.0, 30.0, 30.0]),
        r([9.0, 8.0, 2.0, 30.0, 30.0, 30.0]),
        r([40.0, 1.0, 40.0, 3.0, 5.0, 9.0]),
        r([40.0, 40.0, 40.0, 2.0, 8.0, 3.0]),
    ];
    let rows: Vec<&[Option<f32>]> = rows.iter().map(|x| x.as_slice()).collect();
    let sectors = vec![
        Sector { label: "North".into(), zones: vec![0, 1, 2], candidates: vec![0, 1, 2], open: 2 },
        Sector { label: "South".into(), zones: vec![3, 4], candidates: vec![3, 4, 5], open: 1 },
    ];
    let mut p = problem(&rows, &[10.0, 20.0, 30.0, 50.0, 50.0], &["N1", "N2", "N3", "S1", "S2", "S3"], Objective::Median, Some(5.0), sectors);
    let free = solve(&p, &exact()).expect("valid");
    assert_eq!(free.open, vec![1, 2, 3], "unconstrained: N2 + N3 and S1");
    assert_close!(free.value.mean_time_s, (180.0 + 250.0) / 160.0 * 60.0);

    p.fixed = vec![0];
    p.excluded = vec![3];
    for method in [Method::Auto, Method::Exact, Method::Heuristic] {
        let s = solve(&p, &Options { method, ..Options::default() }).expect("valid");
        assert_eq!(s.open, vec![0, 2, 5], "{method}: N1 + N3 and S3");
        assert_close!(s.value.mean_time_s, 840.0 / 160.0 * 60.0);
        assert_close!(s.value.total_weight, 160.0);
        // Within 5 minutes: n0 (2 at N1), n2 (2 at N3), s1 (3 at S3): 90 of 160.
        assert_close!(s.value.covered_share.expect("threshold"), 90.0 / 160.0);
        assert!(s.proven_optimal, "{method}");
    }
    assert_eq!(solve(&p, &Options::default()).expect("valid").method, Method::Exact, "tiny: Auto enumerates");
    // A zone only uses its own sector's sites: with N1, N2 and S3 open, s0
    // still goes 9 minutes to S3, not 1 to N2. n0 2 (N1), n1 3 (N2), n2 8
    // (N2), s0 9, s1 3: worst 9 min, mean (20+60+240+450+150)/160 = 5.75 min.
    let v = evaluate(&p, &[0, 1, 5]);
    assert_close!(v.worst_time_s, 9.0 * 60.0);
    assert_close!(v.mean_time_s, 920.0 / 160.0 * 60.0);
}

fn err(p: &Problem) -> String {
    match validate(p) {
        Err(e) => {
            assert_eq!(solve(p, &Options::default()).err(), Some(e.clone()), "solve reports what validate does");
            e.to_string()
        }
        Ok(()) => panic!("expected an error"),
    }
}

#[test]
fn each_error_names_the_failing_constraint() {
    let base = line();

    let mut p = base.clone();
    p.sectors[0].label = "Rainham + Gillingham".into();
    p.sectors[0].open = 7;
    assert_eq!(err(&p), "p = 7 is more than the 3 candidate sites in sector 'Rainham + Gillingham'");
    p.excluded = vec![1];
    assert_eq!(err(&p), "p = 7 is more than the 2 candidate sites in sector 'Rainham + Gillingham' that are not excluded (1 excluded)");

    let mut p = base.clone();
    p.fixed = vec![1];
    p.excluded = vec![1];
    assert_eq!(err(&p), "site 'Y' is both fixed and excluded");
    assert!(matches!(validate(&p), Err(OptimiseError::FixedAndExcluded { candidate: 1, .. })));

    let mut p = base.clone();
    p.sectors[0].label = "A + B".into();
    p.excluded = vec![0, 1, 2];
    assert_eq!(err(&p), "sector 'A + B' has no candidate site that is not excluded");

    let mut p = base.clone();
    p.sectors[0].label = "A + B".into();
    p.fixed = vec![0, 2];
    assert_eq!(err(&p), "sector 'A + B' has 2 fixed sites but opens only 1");

    let mut p = base.clone();
    p.objective = Objective::Cover;
    p.threshold_s = None;
    assert_eq!(err(&p), "the cover objective needs a threshold (minutes)");
    p.objective = Objective::CoverThenMedian;
    assert_eq!(err(&p), "the cover-then-median objective needs a threshold (minutes)");
    p.objective = Objective::Median;
    assert_eq!(validate(&p), Ok(()), "the median needs no threshold");

    let mut p = base.clone();
    p.time_s.truncate(14);
    assert_eq!(err(&p), "time_s has 14 values; expected zones x candidates = 15");

    let mut p = base.clone();
    p.weight[3] = -1.0;
    assert_eq!(err(&p), "weights: zone 3 has a negative or non-finite weight");
    p.weight[3] = f64::NAN;
    assert_eq!(err(&p), "weights: zone 3 has a negative or non-finite weight");

    let mut p = base.clone();
    p.sectors.push(Sector { label: "Other".into(), zones: vec![4], candidates: vec![], open: 0 });
    assert_eq!(err(&p), "zone 4 is in sector 'all' and again in sector 'Other'");

    let mut p = base.clone();
    p.fixed = vec![9];
    assert_eq!(err(&p), "fixed: candidate site 9 does not exist (there are 3 candidate sites)");

    let mut p = base.clone();
    p.capacity = Some(vec![Some(1.0), Some(-2.0), None]);
    assert_eq!(err(&p), "capacity: site 'Y' has a negative or non-finite capacity");

    assert_eq!(
        "nearest".parse::<Objective>().err().map(|e| e.to_string()),
        Some("unknown objective 'nearest': use median, cover, center or cover-then-median".into())
    );
}
