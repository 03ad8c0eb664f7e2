//! The built-in demo region, loaded through the normal loaders: its shape,
//! its travel times, and the before/after story its two scenarios tell.

use std::path::PathBuf;

use accessplan::analysis::compare::compare;
use accessplan::analysis::{Target, evaluate};
use accessplan::region::Region;
use accessplan::study::Study;
use accessplan::travel::Mode;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scenarios() -> (PathBuf, PathBuf) {
    let d = root().join("datasets/demo/scenarios");
    (d.join("baseline.toml"), d.join("hlc-model.toml"))
}

#[test]
fn demo_region_loads_and_every_zone_reaches_every_hlc_by_car() {
    let region = Region::load(&Region::demo_inputs(&root())).unwrap();
    assert_eq!(region.localities.len(), 6);
    assert!((790..=810).contains(&region.zones.len()), "{}", region.zones.len());
    let pop = region.population();
    assert!((240_000.0..=260_000.0).contains(&pop), "{pop}");
    for l in &region.localities {
        let p: f64 = region.zones.iter().filter(|z| z.locality.as_deref() == Some(l.name.as_str())).map(|z| z.population).sum();
        assert!((30_000.0..=50_000.0).contains(&p), "{}: {p}", l.name);
    }
    let hlcs: Vec<usize> = region.sites.iter().enumerate().filter(|(_, s)| s.kind == "hlc").map(|(i, _)| i).collect();
    assert_eq!(hlcs.len(), 6);
    let tt = accessplan::travel::TravelTimes::compute(&region, &accessplan::travel::TravelRequest::for_region(&region), &accessplan::progress::Progress::new())
        .unwrap();
    for mode in [Mode::CarOffpeak, Mode::CarPeak] {
        let m = tt.get(mode).unwrap();
        for z in 0..region.zones.len() {
            for &h in &hlcs {
                let t = m.time(z, h).unwrap_or_else(|| panic!("zone {} cannot reach {} by {}", region.zones[z].id, region.sites[h].id, mode.label()));
                assert!(t < 60.0 * 60.0, "over an hour by car inside a 20 km region");
            }
        }
    }
}

#[test]
fn baseline_breaks_the_tier_rules_and_the_hlc_model_keeps_them() {
    let (base, hlc) = scenarios();
    let study = Study::open(&base, &accessplan::progress::Progress::new()).unwrap();
    let e = study.evaluate();
    assert!(!e.violations.is_empty(), "today's configuration is not the tiered model");
    let (_, prop) = study.other(&hlc).unwrap();
    let pe = evaluate(&prop, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts);
    assert!(pe.violations.is_empty(), "{:?}", pe.violations.iter().map(|v| &v.message).collect::<Vec<_>>());
    assert_eq!(study.contact_warnings.len(), 0);
    assert!((4_500..=5_500).contains(&study.contacts.len()), "{}", study.contacts.len());
}

#[test]
fn hlc_model_shortens_driving_and_keeps_coverage() {
    let (base, hlc) = scenarios();
    let study = Study::open(&base, &accessplan::progress::Progress::new()).unwrap();
    let (_, prop) = study.other(&hlc).unwrap();
    let be = study.evaluate();
    let pe = evaluate(&prop, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts);
    let c = compare(&study.scenario, be, &prop, pe, &study.tt, &study.contacts);
    let car = c.proposed.mode_index(Mode::CarOffpeak).unwrap();
    for j in &c.journeys {
        // Minutes saved are before minus after on every row and mode.
        for k in 0..c.proposed.modes.len() {
            if let (Some(bm), Some(am)) = (j.before_min[k], j.after_min[k]) {
                assert!((j.saved_min(k).unwrap() - (bm - am)).abs() < 1e-9);
                assert!((j.saved_min_per_year(k).unwrap() - (bm - am) * j.contacts_per_year).abs() < 1e-6);
            }
        }
    }
    // Contact-weighted driving distance, before and after.
    let (before, after) = c.drive_miles().unwrap();
    eprintln!("driving miles per contact {before:.2} -> {after:.2}");
    assert!(after < before, "{after} vs {before}");
    // The share of residents within 15 minutes by car of their nearest HLC does not fall.
    for mode in [Mode::CarOffpeak, Mode::CarPeak] {
        let bs = c.base.cover(&study.region, &study.scenario, Target::AnyHlc, mode, None).unwrap().share();
        let ps = c.proposed.cover(&study.region, &prop, Target::AnyHlc, mode, None).unwrap().share();
        assert!(ps >= bs);
    }
    // Population-weighted, per tier-1 service: everyone's own HLC is within 15 minutes for at least 95%.
    for (si, s) in prop.services.iter().enumerate().filter(|(_, s)| s.tier.number() == 1) {
        let share = c.proposed.cover(&study.region, &prop, Target::Service(si), Mode::CarOffpeak, None).unwrap().share();
        assert!(share >= 0.95, "{}: {share}", s.id);
    }
    let sm = accessplan::analysis::journeys::summarise(&c.journeys, car);
    assert!(sm.gain_contacts > sm.lose_contacts);
}

#[test]
fn adding_a_site_never_lowers_coverage_or_raises_the_best_time() {
    let (_, hlc) = scenarios();
    let mut study = Study::open(&hlc, &accessplan::progress::Progress::new()).unwrap();
    study.scenario.free_choice = true;
    let before = study.evaluate();
    let n_sites = study.region.sites.len();
    for si in 0..study.scenario.services.len() {
        for site in 0..n_sites {
            if study.scenario.services[si].offered[site] {
                continue;
            }
            let mut s2 = study.scenario.clone();
            s2.services[si].offered[site] = true;
            let after = evaluate(&s2, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts);
            for k in 0..before.modes.len() {
                for z in 0..study.region.zones.len() {
                    assert!(after.choices[si][k][z].time_s <= before.choices[si][k][z].time_s);
                }
                let m = before.modes[k];
                let cb = before.cover(&study.region, &study.scenario, Target::Service(si), m, None).unwrap();
                let ca = after.cover(&study.region, &s2, Target::Service(si), m, None).unwrap();
                assert!(ca.within >= cb.within);
            }
            break; // one added site per service keeps the test quick
        }
    }
}

#[test]
fn the_unpacked_demo_keeps_a_planners_saved_change() {
    let dir = std::env::temp_dir().join(format!("accessplan-demo-unpack-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    // First start: all 16 embedded files written.
    assert_eq!(accessplan::demo::unpack(&dir).unwrap(), 16);
    let scenario = dir.join("datasets/demo/scenarios/hlc-model.toml");
    let shipped = std::fs::read_to_string(&scenario).unwrap();
    assert!(shipped.contains("name = \"HLC model\""));
    // The planner saves a change; the next start writes nothing over it.
    let edited = shipped.replace("name = \"HLC model\"", "name = \"HLC model, our version\"");
    std::fs::write(&scenario, &edited).unwrap();
    assert_eq!(accessplan::demo::unpack(&dir).unwrap(), 0);
    assert_eq!(std::fs::read_to_string(&scenario).unwrap(), edited);
    // A file deleted is the only one written again.
    std::fs::remove_file(dir.join("datasets/demo/sites.csv")).unwrap();
    assert_eq!(accessplan::demo::unpack(&dir).unwrap(), 1);
    assert_eq!(std::fs::read_to_string(&scenario).unwrap(), edited);
    std::fs::remove_dir_all(&dir).ok();
}
