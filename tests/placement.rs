//! Placement suggestions on real regions: the demo (795 zones, 16 sites)
//! and Newport (475 output areas, 21 OSM health sites, 20 wards). The
//! heuristic is checked against exhaustive search for p = 1..4 on three
//! services; the problem's scores are checked against the analysis' own
//! coverage of the scenario the suggestion produces; tier 2 suggestions keep
//! the tier rules; bad requests name the constraint that fails.

use std::path::PathBuf;

use accessplan::analysis::optimise::{Method, Objective, Options, assign_with_capacity};
use accessplan::analysis::placement::{PlacementRequest, Suggestion, Weighting, build_problem, suggest};
use accessplan::analysis::{Target, evaluate};
use accessplan::plan::rules::check;
use accessplan::study::Study;
use accessplan::travel::Mode;

fn demo() -> Study {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/demo/scenarios/hlc-model.toml");
    Study::open(&p, &accessplan::progress::Progress::new()).unwrap()
}

fn run(study: &Study, service: &str, objective: Objective, p: usize, method: Method) -> Suggestion {
    run_by(study, service, Mode::CarOffpeak, Weighting::Population, objective, p, method)
}

fn run_by(study: &Study, service: &str, mode: Mode, weighting: Weighting, objective: Objective, p: usize, method: Method) -> Suggestion {
    let si = study.scenario.service(service).unwrap();
    let mut req = PlacementRequest::new(vec![si]);
    req.mode = mode;
    req.weighting = weighting;
    req.objective = objective;
    req.sites = Some(p);
    req.options = Options { method, ..Options::default() };
    suggest(&req, &study.scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts).unwrap()
}

/// Runs heuristic and exhaustive search for p = 1..4 on each case (service,
/// mode, weighting) and objective; returns (cases, cases where the heuristic
/// found the optimum).
fn heuristic_against_exhaustive(study: &Study, services: &[(&str, Mode, Weighting)]) -> (usize, usize) {
    let (mut cases, mut equal) = (0, 0);
    for (service, mode, weighting) in services {
        for objective in [Objective::Median, Objective::Cover] {
            for p in 1..=4 {
                let exact = run_by(study, service, *mode, weighting.clone(), objective, p, Method::Exact);
                let heur = run_by(study, service, *mode, weighting.clone(), objective, p, Method::Heuristic);
                assert!(exact.solution.proven_optimal, "{service} {} {objective} p={p}: exhaustive search completes", mode.label());
                assert_eq!(exact.solution.open.len(), p);
                assert_eq!(heur.solution.open.len(), p);
                let (e, h) = (exact.solution.value.score, heur.solution.value.score);
                assert!(h >= e - 1e-9, "{service} {} {objective} p={p}: the heuristic ({h}) cannot beat the optimum ({e})", mode.label());
                let bound = heur.solution.bound.expect("the heuristic reports a bound");
                assert!(bound <= e + 1e-9, "{service} {} {objective} p={p}: bound {bound} above the optimum {e}", mode.label());
                cases += 1;
                if (h - e).abs() <= 1e-9 * e.abs().max(1.0) {
                    equal += 1;
                } else {
                    eprintln!("miss: {service} {} {objective} p={p}: heuristic {h} vs optimum {e} (bound {bound})", mode.label());
                    // Where it misses, the miss is within the gap it reports.
                    assert!(h - e <= h - bound + 1e-9, "{service} {} {objective} p={p}: miss {} beyond the reported gap {}", mode.label(), h - e, h - bound);
                }
            }
        }
    }
    (cases, equal)
}

#[test]
fn on_the_demo_the_heuristic_finds_the_exhaustive_optimum_for_p_1_to_4() {
    let study = demo();
    // Three services, each with its own demand: residents by car, the
    // service's own patient contacts on foot and by bus.
    let cases = [
        ("continence", Mode::CarOffpeak, Weighting::Population),
        ("lymphoedema", Mode::Walk, Weighting::Contacts),
        ("hand-therapy", Mode::Bus, Weighting::Contacts),
    ];
    let (cases, equal) = heuristic_against_exhaustive(&study, &cases);
    assert_eq!(cases, 24);
    assert_eq!(equal, 24, "greedy + interchange matches exhaustive search on every demo case");
}

#[test]
fn on_newport_the_heuristic_finds_the_exhaustive_optimum_for_p_1_to_4() {
    let Some(path) = newport_scenario() else { return };
    let study = Study::open(&path, &accessplan::progress::Progress::new()).unwrap();
    assert_eq!((study.region.zones.len(), study.region.sites.len()), (475, 21));
    // Output areas weigh one each (the file has no population); three services by three modes.
    let cases = [
        ("msk-triage", Mode::CarOffpeak, Weighting::Population),
        ("lymphoedema", Mode::CarPeak, Weighting::Population),
        ("epilepsy", Mode::Walk, Weighting::Population),
    ];
    let (cases, equal) = heuristic_against_exhaustive(&study, &cases);
    assert_eq!(cases, 24);
    assert_eq!(equal, 24, "greedy + interchange matches exhaustive search on every Newport case");
}

#[test]
fn the_problem_scores_a_placement_as_the_analysis_does() {
    let study = demo();
    let sg = run(&study, "continence", Objective::Cover, 2, Method::Exact);
    let mut scenario = study.scenario.clone();
    sg.apply(&mut scenario);
    let si = scenario.service("continence").unwrap();
    assert_eq!(scenario.services[si].sites(), sg.solution.open);
    let e = evaluate(&scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts);
    let cover = e.cover(&study.region, &scenario, Target::Service(si), Mode::CarOffpeak, None).unwrap();
    let share = sg.solution.value.covered_share.unwrap();
    assert!((cover.share() - share).abs() < 1e-9, "analysis {} vs optimiser {share}", cover.share());
    // Population-weighted mean time over the zones that reach a site.
    let k = e.mode_index(Mode::CarOffpeak).unwrap();
    let (mut wt, mut w) = (0.0, 0.0);
    for (z, c) in e.choices_of(Target::Service(si), k).iter().enumerate() {
        if let Some(m) = c.minutes() {
            wt += m * 60.0 * study.region.zones[z].population;
            w += study.region.zones[z].population;
        }
    }
    assert!((wt / w - sg.solution.value.mean_time_s).abs() < 1e-3, "analysis {} s vs optimiser {} s", wt / w, sg.solution.value.mean_time_s);
    // The suggestion is no worse than today's placement of the same number of sites.
    assert!(sg.solution.value.covered_share >= sg.current.covered_share);
}

#[test]
fn maximal_covering_and_p_median_choose_differently_and_each_wins_its_own_measure() {
    let study = demo();
    let median = run(&study, "lymphoedema", Objective::Median, 2, Method::Exact);
    let cover = run(&study, "lymphoedema", Objective::Cover, 2, Method::Exact);
    let (m, c) = (&median.solution.value, &cover.solution.value);
    assert!(m.mean_time_s <= c.mean_time_s + 1e-9);
    assert!(c.covered_share.unwrap() >= m.covered_share.unwrap() - 1e-12);
    let center = run(&study, "lymphoedema", Objective::Center, 2, Method::Exact);
    assert!(center.solution.value.worst_time_s <= m.worst_time_s + 1e-9);
    assert!(center.solution.value.worst_time_s <= c.worst_time_s + 1e-9);
}

#[test]
fn tier_2_gets_one_site_in_each_locality_pair_and_keeps_the_tier_rules() {
    let study = demo();
    let si = study.scenario.service("podiatry").unwrap();
    for objective in [Objective::Median, Objective::Cover, Objective::Center, Objective::CoverThenMedian] {
        let mut req = PlacementRequest::new(vec![si]);
        req.objective = objective;
        let sg = suggest(&req, &study.scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts).unwrap();
        assert_eq!(sg.sectors.len(), study.scenario.pairs.len());
        assert_eq!(sg.solution.open.len(), study.scenario.pairs.len());
        for &(a, b) in &study.scenario.pairs {
            let n = sg.solution.open.iter().filter(|&&x| study.geo.site_locality[x].is_some_and(|l| l == a || l == b)).count();
            assert_eq!(n, 1, "{objective}: one site in {} + {}", study.region.localities[a].name, study.region.localities[b].name);
        }
        let mut scenario = study.scenario.clone();
        sg.apply(&mut scenario);
        assert!(check(&scenario, &study.region, study.sites()).iter().all(|v| v.service != si), "{objective}: the suggestion keeps the tier rules");
        assert!(sg.solution.proven_optimal, "three pairs of a few sites each are solved exactly");
    }
}

#[test]
fn tier_3_proposals_keep_the_tier_rules_and_respect_fixed_and_excluded_sites() {
    let study = demo();
    let si = study.scenario.service("epilepsy").unwrap();
    let hospital = study.region.sites.iter().position(|s| s.id == "hospital-riverdale").unwrap();
    let northgate = study.region.sites.iter().position(|s| s.id == "hlc-northgate").unwrap();
    let mut req = PlacementRequest::new(vec![si]);
    req.sites = Some(3);
    req.fixed = vec![hospital];
    req.excluded = vec![northgate];
    let sg = suggest(&req, &study.scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts).unwrap();
    assert_eq!(sg.solution.open.len(), 3);
    assert!(sg.solution.open.contains(&hospital));
    assert!(!sg.solution.open.contains(&northgate));
    // Today's placement is scored the same whatever the request rules out.
    let mut plain = PlacementRequest::new(vec![si]);
    plain.sites = Some(3);
    let unrestricted = suggest(&plain, &study.scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts).unwrap();
    assert_eq!(sg.current, unrestricted.current);
    let mut by_kind = plain.clone();
    by_kind.kinds = vec!["hlc".into()];
    let hlcs_only = suggest(&by_kind, &study.scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts).unwrap();
    assert_eq!(hlcs_only.current, unrestricted.current);
    assert!(hlcs_only.solution.open.iter().all(|&x| study.region.sites[x].kind == "hlc"));
    let mut scenario = study.scenario.clone();
    sg.apply(&mut scenario);
    assert!(check(&scenario, &study.region, study.sites()).iter().all(|v| v.service != si));
}

#[test]
fn with_capacities_patients_beyond_a_full_site_go_to_their_next_nearest_and_none_are_lost() {
    let study = demo();
    let si = study.scenario.service("continence").unwrap();
    let mut req = PlacementRequest::new(vec![si]);
    req.weighting = Weighting::Contacts;
    req.capacity = true;
    req.sites = Some(2);
    let (problem, _, _) = build_problem(&req, &study.scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts).unwrap();
    let total: f64 = problem.weight.iter().sum();
    assert!(total > 0.0);
    let sg = suggest(&req, &study.scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts).unwrap();
    let alloc = assign_with_capacity(&problem, &sg.solution.open);
    let served: f64 = alloc.load.iter().sum();
    let unserved: f64 = alloc.unserved.iter().sum();
    assert!((served + unserved - total).abs() < 1e-6 * total, "contacts conserved: {served} + {unserved} vs {total}");
    for &x in &sg.solution.open {
        if let Some(cap) = study.region.sites[x].capacity {
            assert!(alloc.load[x] <= cap + 1e-6, "{} takes {} over its capacity {cap}", study.region.sites[x].id, alloc.load[x]);
        }
    }
}

fn message(study: &Study, req: &PlacementRequest) -> String {
    suggest(req, &study.scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts).unwrap_err().to_string()
}

#[test]
fn impossible_requests_say_which_constraint_fails() {
    let study = demo();
    let s = |id: &str| study.scenario.service(id).unwrap();
    let site = |id: &str| study.region.sites.iter().position(|x| x.id == id).unwrap();
    let m = message(&study, &PlacementRequest::new(vec![s("phlebotomy")]));
    assert!(m.contains("tier 1") && m.contains("nothing to place"), "{m}");
    let mut r = PlacementRequest::new(vec![s("continence")]);
    r.sites = Some(17);
    let m = message(&study, &r);
    assert!(m.contains("17") && m.contains("16"), "p larger than the candidates: {m}");
    let mut r = PlacementRequest::new(vec![s("continence")]);
    r.fixed = vec![site("clinic-millford")];
    r.excluded = vec![site("clinic-millford")];
    let m = message(&study, &r);
    assert!(m.contains("both fixed and excluded") && m.contains("clinic-millford"), "{m}");
    let mut r = PlacementRequest::new(vec![s("podiatry")]);
    r.sites = Some(5);
    let m = message(&study, &r);
    assert!(m.contains("exactly one site in each of the 3 locality pairs"), "{m}");
    let mut r = PlacementRequest::new(vec![s("podiatry")]);
    r.kinds = vec!["hospital".into()];
    let m = message(&study, &r);
    assert!(m.contains("Westholm + Millford") && m.contains("excluded sites and kinds"), "a pair without a hospital: {m}");
    let mut r = PlacementRequest::new(vec![s("continence")]);
    r.kinds = vec!["spaceport".into()];
    let m = message(&study, &r);
    assert!(
        m.starts_with("no candidate site is left") && m.contains("spaceport") && m.contains("hlc"),
        "a tier 3 service with no site of the kinds asked: {m}"
    );
    let mut r = PlacementRequest::new(vec![s("continence")]);
    r.weighting = Weighting::Field("over_65".into());
    let m = message(&study, &r);
    assert!(m.contains("over_65") && m.contains("DZ0001"), "{m}");
    let mut r = PlacementRequest::new(vec![s("continence"), s("podiatry")]);
    r.sites = Some(2);
    let m = message(&study, &r);
    assert!(m.contains("different tiers"), "{m}");
    let mut r = PlacementRequest::new(vec![s("continence")]);
    r.capacity = true;
    let m = message(&study, &r);
    assert!(m.contains("capacit") && m.contains("contacts"), "{m}");
}

/// The same requests as above, told apart by the error's kind (what the app
/// or a script would match on), each naming what is at fault.
#[test]
fn impossible_requests_have_a_kind_that_names_what_is_at_fault() {
    use accessplan::Error;
    use accessplan::analysis::optimise::OptimiseError;
    use accessplan::analysis::placement::{PlacementError, site_index};
    let study = demo();
    let s = |id: &str| study.scenario.service(id).unwrap();
    let site = |id: &str| study.region.sites.iter().position(|x| x.id == id).unwrap();
    let err = |req: &PlacementRequest| suggest(req, &study.scenario, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts).unwrap_err();
    let phlebotomy = study.scenario.services[s("phlebotomy")].name.clone();
    assert!(matches!(err(&PlacementRequest::new(vec![s("phlebotomy")])), Error::Placement(PlacementError::TierOne { service }) if service == phlebotomy));
    let mut r = PlacementRequest::new(vec![s("podiatry")]);
    r.sites = Some(5);
    assert!(matches!(err(&r), Error::Placement(PlacementError::PairCount { pairs, asked: 5 }) if pairs.len() == 3));
    let mut r = PlacementRequest::new(vec![s("podiatry")]);
    r.kinds = vec!["hospital".into()];
    assert!(matches!(err(&r), Error::Placement(PlacementError::NoSiteInPair { pair, filtered: true }) if pair == "Westholm + Millford"));
    let mut r = PlacementRequest::new(vec![s("continence")]);
    r.weighting = Weighting::Field("over_65".into());
    assert!(matches!(err(&r), Error::Placement(PlacementError::NoWeight { zone, property, .. }) if zone == "DZ0001" && property == "over_65"));
    let mut r = PlacementRequest::new(vec![s("continence")]);
    r.capacity = true;
    assert!(matches!(err(&r), Error::Placement(PlacementError::CapacityNeedsContacts)));
    let mut r = PlacementRequest::new(vec![s("continence")]);
    r.fixed = vec![site("clinic-millford")];
    r.excluded = vec![site("clinic-millford")];
    assert!(matches!(err(&r), Error::Optimise(OptimiseError::FixedAndExcluded { .. })));
    assert!(matches!(site_index(study.sites(), "clinic-nowhere"), Err(Error::Placement(PlacementError::UnknownSite { id, .. })) if id == "clinic-nowhere"));
}

#[test]
fn the_command_writes_a_scenario_that_opens_with_the_suggested_sites_and_never_overwrites_its_input() {
    let dir = std::env::temp_dir().join(format!("accessplan-optimise-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/demo/scenarios/hlc-model.toml");
    let out = dir.join("optimised.toml");
    let bin = env!("CARGO_BIN_EXE_accessplan");
    let o = std::process::Command::new(bin)
        .env("ACCESSPLAN_NO_CACHE", "1")
        .args(["optimise", src.to_str().unwrap(), "--service", "continence", "--objective", "cover", "--p", "2", "--out", out.to_str().unwrap(), "-q"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("within 15 min") && text.contains("proven best"), "{text}");
    let study = demo();
    let expected = run(&study, "continence", Objective::Cover, 2, Method::Exact);
    let opened = Study::open(&out, &accessplan::progress::Progress::new()).unwrap();
    let si = opened.scenario.service("continence").unwrap();
    assert_eq!(opened.scenario.services[si].sites(), expected.solution.open);
    assert!(opened.file.name.contains("optimised"));
    // Other services are as they were.
    let other = opened.scenario.service("podiatry").unwrap();
    assert_eq!(opened.scenario.services[other].offered, study.scenario.services[other].offered);
    // Writing over the scenario being optimised is refused.
    let before = std::fs::read(&src).unwrap();
    let o = std::process::Command::new(bin)
        .env("ACCESSPLAN_NO_CACHE", "1")
        .args(["optimise", src.to_str().unwrap(), "--service", "continence", "--out", src.to_str().unwrap(), "-q"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("name a new file"));
    assert_eq!(std::fs::read(&src).unwrap(), before);
    std::fs::remove_dir_all(&dir).ok();
}

/// Newport: OSM health sites, wards as localities, three tier 3 services.
fn newport_scenario() -> Option<PathBuf> {
    let dir = std::env::temp_dir().join(format!("accessplan-placement-newport-{}", std::process::id()));
    let hospitals: &[&str] = &["osm-way-40608609", "osm-way-40608970"];
    accessplan::testdata::newport_scenario(&dir, "newport", &[("msk-triage", hospitals), ("lymphoedema", &["osm-way-40608609"]), ("epilepsy", &[])])
}

#[test]
fn weighting_by_a_zone_property_draws_the_site_to_the_zones_that_carry_it() {
    // The demo's zones with an extra property, `over_65`: each zone's
    // residents in Millford, none elsewhere (written to a temporary copy).
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("accessplan-placement-weight-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zones = std::fs::read_to_string(root.join("maps/demo/zones.geojson")).unwrap();
    let marked: String = zones
        .lines()
        .map(|l| match l.find("\"locality\":\"") {
            Some(_) => {
                let pop: String = l.split("\"population\":").nth(1).unwrap().chars().take_while(|c| c.is_ascii_digit()).collect();
                let w = if l.contains("\"locality\":\"Millford\"") { pop } else { "0".into() };
                l.replacen("\"properties\":{", &format!("\"properties\":{{\"over_65\":{w},"), 1)
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("zones.geojson"), marked).unwrap();
    let mut file = accessplan::plan::ScenarioFile::load(&root.join("datasets/demo/scenarios/hlc-model.toml")).unwrap();
    file.inputs = file.inputs.rebased(&root.join("datasets/demo/scenarios"), &dir);
    file.inputs.zones = "zones.geojson".into();
    let path = dir.join("weighted.toml");
    file.save(&path, &[]).unwrap();
    let study = Study::open(&path, &accessplan::progress::Progress::new()).unwrap();
    let by_people = run(&study, "continence", Objective::Median, 1, Method::Exact);
    let by_over65 = run_by(&study, "continence", Mode::CarOffpeak, Weighting::Field("over_65".into()), Objective::Median, 1, Method::Exact);
    let millford = study.region.localities.iter().position(|l| l.name == "Millford").unwrap();
    let site = by_over65.solution.open[0];
    assert_eq!(study.geo.site_locality[site], Some(millford), "weighted to Millford's residents, the site is in Millford: {}", study.region.sites[site].name);
    assert_ne!(by_people.solution.open, by_over65.solution.open, "residents everywhere choose another site");
    // The optimum checked by hand over every site: the Millford-weighted mean time.
    let m = study.tt.street(Mode::CarOffpeak).unwrap();
    let mean = |s: usize| -> f64 {
        let (mut wt, mut w) = (0.0, 0.0);
        for (z, zone) in study.region.zones.iter().enumerate() {
            let wz = zone.weights["over_65"];
            wt += wz * m.time_s[z * m.destinations + s] as f64;
            w += wz;
        }
        wt / w
    };
    let best = (0..study.region.sites.len()).min_by(|&a, &b| mean(a).total_cmp(&mean(b))).unwrap();
    assert_eq!(site, best);
    assert!((by_over65.solution.value.mean_time_s - mean(best)).abs() < 1e-3);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn zones_no_candidate_reaches_are_left_out_of_the_objective_and_named() {
    // Newport output areas outside the street extract have no journey to any
    // site; left in, every p-center placement would score the penalty and the
    // "best" would be a tie-break.
    let Some(path) = newport_scenario() else { return };
    let study = Study::open(&path, &accessplan::progress::Progress::new()).unwrap();
    let sg = run_by(&study, "lymphoedema", Mode::CarOffpeak, Weighting::Population, Objective::Center, 2, Method::Exact);
    let note = sg.notes.iter().find(|n| n.contains("have no journey by car")).unwrap_or_else(|| panic!("{:?}", sg.notes));
    let n: usize = note.split_whitespace().next().unwrap().parse().unwrap();
    let m = study.tt.get(Mode::CarOffpeak).unwrap();
    let expected = (0..study.region.zones.len()).filter(|&z| (0..study.sites().len()).all(|s| m.time(z, s).is_none())).count();
    assert!(n > 0 && n == expected, "{note} ({expected} zones reach no site)");
    assert!(note.contains("left out of the objective"), "{note}");
    let worst_min = sg.solution.value.worst_time_s / 60.0;
    assert!(worst_min > 5.0 && worst_min < 40.0, "the longest journey is a real one, not the penalty: {worst_min:.1} min");
    assert!(sg.solution.proven_optimal);
    // The exact answer is no worse than the best pair of sites found by trying all of them.
    let cands = study.sites().len();
    let mut best = f64::INFINITY;
    for a in 0..cands {
        for b in a + 1..cands {
            let worst = (0..study.region.zones.len())
                .filter_map(|z| [a, b].iter().filter_map(|&s| m.time(z, s)).map(f64::from).reduce(f64::min))
                .fold(0.0f64, f64::max);
            best = best.min(worst);
        }
    }
    assert!((sg.solution.value.worst_time_s - best).abs() < 0.01, "{} against {best}", sg.solution.value.worst_time_s);
}
