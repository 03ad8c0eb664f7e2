//! Adding a candidate site: its travel-time column equals a fresh
//! computation, it can offer services, and it survives a save and reopen.
//! The region stays as its input files made it: candidate sites join the
//! study's list of sites, after the region's.

use accessplan::LonLat;
use accessplan::analysis::{Evaluation, Target};
use accessplan::model::Site;
use accessplan::progress::{Cancelled, Progress};
use accessplan::study::Study;
use accessplan::testdata::demo_study_dir;
use accessplan::travel::{Mode, TravelTimes};

/// The demo's HLC-model study opened from a fresh copy (folder per `tag`).
fn demo_study(tag: &str) -> Study {
    let dir = demo_study_dir(tag, |s| s.to_string(), "");
    Study::open(&dir.join("scenario.toml"), &Progress::new()).unwrap()
}

fn ids(sites: &[Site]) -> Vec<&str> {
    sites.iter().map(|s| s.id.as_str()).collect()
}

#[test]
fn a_candidate_site_gets_the_same_times_as_a_fresh_matrix_and_survives_saving() {
    let mut study = demo_study("candidate");
    let path = study.path.clone();
    let n = study.sites().len();
    let at = LonLat::new(0.50, 51.35);
    let site = Site::candidate("candidate-1".into(), "Candidate site 1".into(), at, None);
    let t = std::time::Instant::now();
    assert_eq!(study.add_site(site, &Progress::new()), Ok(n));
    eprintln!("candidate site added in {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    // The appended column equals travel times computed from scratch on a
    // region whose sites file held the site too.
    let mut with_site = (*study.region).clone();
    with_site.sites = study.sites().to_vec();
    let fresh = TravelTimes::compute(&with_site, &accessplan::travel::TravelRequest::for_region(&with_site), &Progress::new()).unwrap();
    assert_eq!(fresh.modes(), study.tt.modes());
    for mode in study.tt.modes() {
        let (m, f) = (study.tt.get(mode).unwrap(), fresh.get(mode).unwrap());
        assert_eq!(m.destinations(), n + 1);
        for z in 0..m.origins() {
            for s in 0..=n {
                let i = z * (n + 1) + s;
                assert_eq!(m.times_s()[i].to_bits(), f.times_s()[i].to_bits(), "{} z{z} s{s}", mode.label());
                assert_eq!(m.lengths_m().map(|l| l[i].to_bits()), f.lengths_m().map(|l| l[i].to_bits()), "{} z{z} s{s}", mode.label());
            }
        }
    }
    // Offering hand therapy there too can only shorten journeys.
    let si = study.scenario.service("hand-therapy").unwrap();
    let before = study.evaluate();
    study.scenario.services[si].offered[n] = true;
    let after = study.evaluate();
    let k = after.mode_index(Mode::CarOffpeak).unwrap();
    assert!((0..study.region.zones.len()).all(|z| after.choices[si][k][z].time_s <= before.choices[si][k][z].time_s));
    assert!(after.choices[si][k].iter().any(|c| c.site() == Some(n)), "some zones now use the candidate");
    let share = after.cover(&study.region, &study.scenario, Target::Service(si), Mode::CarOffpeak, None).unwrap().share();
    // Saved with the scenario, it comes back on reopening, offering the same.
    let out = path.with_file_name("saved.toml");
    study.scenario_file().save(&out, &study.region.inputs.files()).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("[[candidate_site]]") && text.contains("candidate-1"));
    let again = Study::open(&out, &Progress::new()).unwrap();
    assert_eq!(again.sites().len(), n + 1);
    assert!(again.scenario.services[si].offered[n]);
    let share2 = again.evaluate().cover(&again.region, &again.scenario, Target::Service(si), Mode::CarOffpeak, None).unwrap().share();
    assert_eq!(share, share2);
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
}

/// A candidate site where the longest car journey (off peak) to `service`
/// starts, in that zone's locality, so residents there use it.
fn site_where_journeys_are_longest(study: &Study, e: &Evaluation, service: usize, id: &str) -> Site {
    let k = e.mode_index(Mode::CarOffpeak).unwrap();
    let z = (0..study.region.zones.len()).max_by(|&a, &b| e.choices[service][k][a].time_s.total_cmp(&e.choices[service][k][b].time_s)).unwrap();
    let zone = &study.region.zones[z];
    Site::candidate(id.into(), format!("Candidate near {}", zone.id), zone.point, zone.locality.clone())
}

#[test]
fn adding_candidate_sites_leaves_the_regions_sites_as_the_sites_file_gave_them() {
    let mut study = demo_study("region-unchanged");
    let dir = study.path.parent().unwrap().to_path_buf();
    let (from_file, _) = accessplan::input::sites::load_sites(&dir.join("sites.csv"), accessplan::input::crs::CrsChoice::Auto).unwrap();
    let loaded: Vec<String> = study.region.sites.iter().map(|s| s.id.clone()).collect();
    assert_eq!(loaded.len(), 16);
    assert_eq!(ids(&from_file), loaded);
    let region = std::sync::Arc::clone(&study.region);
    let e = study.evaluate();
    let ht = study.scenario.service("hand-therapy").unwrap();
    let pod = study.scenario.service("podiatry").unwrap();
    for (k, (service, id)) in [(ht, "candidate-1"), (pod, "candidate-2")].into_iter().enumerate() {
        let site = site_where_journeys_are_longest(&study, &e, service, id);
        assert_eq!(study.add_site(site, &Progress::new()), Ok(16 + k));
    }
    // The region holds the sites file's 16 sites, same ids in the same
    // order: it is the very region loaded, never copied or changed.
    assert!(std::sync::Arc::ptr_eq(&region, &study.region));
    assert_eq!(ids(&study.region.sites), loaded);
    // The study plans on 18: the region's, then the two candidates, and
    // every matrix, locality and service covers exactly those.
    assert_eq!(ids(&study.sites()[..16]), loaded);
    assert_eq!(ids(study.candidate_sites()), ["candidate-1", "candidate-2"]);
    assert_eq!(study.sites().len(), 18);
    for mode in study.tt.modes() {
        assert_eq!(study.tt.get(mode).unwrap().destinations(), 18, "{}", mode.label());
    }
    assert_eq!(study.geo.site_locality.len(), 18);
    assert!(study.scenario.services.iter().all(|s| s.offered.len() == 18));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_saved_and_reopened_study_with_candidate_sites_gives_the_same_figures() {
    let mut study = demo_study("reopen");
    let dir = study.path.parent().unwrap().to_path_buf();
    let n = study.region.sites.len();
    let today = study.evaluate();
    let ht = study.scenario.service("hand-therapy").unwrap();
    let pod = study.scenario.service("podiatry").unwrap();
    for (service, id) in [(ht, "candidate-1"), (pod, "candidate-2")] {
        let site = site_where_journeys_are_longest(&study, &today, service, id);
        let i = study.add_site(site, &Progress::new()).unwrap();
        study.scenario.services[service].offered[i] = true;
    }
    let e = study.evaluate();
    // Both candidates take residents, so the figures below depend on them.
    let car = e.mode_index(Mode::CarOffpeak).unwrap();
    assert!(e.choices[ht][car].iter().any(|c| c.site() == Some(n)), "some zones use candidate-1 for hand therapy");
    assert!(e.choices[pod][car].iter().any(|c| c.site() == Some(n + 1)), "some zones use candidate-2 for podiatry");
    let out = dir.join("saved.toml");
    study.scenario_file().save(&out, &study.region.inputs.files()).unwrap();
    let again = Study::open(&out, &Progress::new()).unwrap();
    assert_eq!(ids(&again.region.sites), ids(&study.region.sites));
    assert_eq!(ids(again.candidate_sites()), ["candidate-1", "candidate-2"]);
    assert_eq!(again.scenario, study.scenario);
    let e2 = again.evaluate();
    // The same figures: coverage of every service and of the nearest HLC by
    // every mode, in the region and in each locality; driving distances;
    // each zone's site and time; patient journeys; site loads; rule breaks.
    let targets: Vec<Target> = std::iter::once(Target::AnyHlc).chain((0..study.scenario.services.len()).map(Target::Service)).collect();
    for &t in &targets {
        for &m in &e.modes {
            for loc in std::iter::once(None).chain((0..study.region.localities.len()).map(Some)) {
                let share = |s: &Study, e: &Evaluation| e.cover(&s.region, &s.scenario, t, m, loc).unwrap().share();
                assert_eq!(share(&again, &e2), share(&study, &e), "{t:?} {} {loc:?}", m.label());
            }
        }
        assert_eq!(e2.mean_drive_miles(&again.region, t), e.mean_drive_miles(&study.region, t), "{t:?}");
    }
    assert_eq!(e2.choices, e.choices);
    assert_eq!(e2.any_hlc, e.any_hlc);
    assert_eq!(e2.journeys, e.journeys);
    assert_eq!(e2.loads, e.loads);
    assert_eq!(e2.violations, e.violations);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_cancelled_candidate_site_leaves_the_study_as_it_was() {
    let mut study = demo_study("cancel");
    let n = study.sites().len();
    let progress = Progress::new();
    progress.cancel();
    let site = Site::candidate("candidate-1".into(), "Candidate site 1".into(), LonLat::new(0.50, 51.35), None);
    assert_eq!(study.add_site(site, &progress), Err(Cancelled));
    assert_eq!(study.sites().len(), n);
    assert!(study.candidate_sites().is_empty());
    for mode in study.tt.modes() {
        assert_eq!(study.tt.get(mode).unwrap().destinations(), n, "{}", mode.label());
    }
    std::fs::remove_dir_all(study.path.parent().unwrap()).ok();
}
