//! Adding a candidate site: its travel-time column equals a fresh
//! computation, it can offer services, and it survives a save and reopen.

use std::path::PathBuf;

use accessplan::LonLat;
use accessplan::analysis::Target;
use accessplan::model::Site;
use accessplan::study::Study;
use accessplan::travel::{Mode, TravelTimes};

fn demo_copy() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("datasets/demo/scenarios/hlc-model.toml")).unwrap();
    let text = text.replace("\"../../../", &format!("\"{}/", root.display())).replace("\"../", &format!("\"{}/datasets/demo/", root.display()));
    let dir = std::env::temp_dir().join(format!("accessplan-candidate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("hlc.toml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_candidate_site_gets_the_same_times_as_a_fresh_matrix_and_survives_saving() {
    let path = demo_copy();
    let mut study = Study::open(&path, &accessplan::progress::Progress::new()).unwrap();
    let n = study.sites().len();
    let at = LonLat::new(0.50, 51.35);
    let site = Site::candidate("candidate-1".into(), "Candidate site 1".into(), at, None);
    let t = std::time::Instant::now();
    assert_eq!(study.add_site(site, &accessplan::progress::Progress::new()), Ok(n));
    eprintln!("candidate site added in {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    // The appended column equals travel times computed from scratch on a
    // region whose sites file held the site too.
    let mut with_site = (*study.region).clone();
    with_site.sites = study.sites().to_vec();
    let fresh = TravelTimes::compute(&with_site, &accessplan::travel::TravelRequest::for_region(&with_site), &accessplan::progress::Progress::new()).unwrap();
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
    let again = Study::open(&out, &accessplan::progress::Progress::new()).unwrap();
    assert_eq!(again.sites().len(), n + 1);
    assert!(again.scenario.services[si].offered[n]);
    let share2 = again.evaluate().cover(&again.region, &again.scenario, Target::Service(si), Mode::CarOffpeak, None).unwrap().share();
    assert_eq!(share, share2);
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
}
