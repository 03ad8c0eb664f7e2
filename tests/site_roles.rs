//! Site roles are types, not strings: a sites file may call a site
//! `candidate` without it being taken for a candidate added to the scenario,
//! and the HLCs come from one place (the scenario's `[hlc]` map, defaulting
//! to sites of role HLC) for coverage, rules, maps and reports alike.

use std::path::Path;

use accessplan::analysis::Target;
use accessplan::model::{SiteOrigin, SiteRole};
use accessplan::study::Study;
use accessplan::testdata::demo_study_dir;
use accessplan::travel::Mode;

fn cleanup(dir: &Path) {
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_sites_file_site_of_kind_candidate_round_trips_through_save_and_reopen() {
    let dir = demo_study_dir(
        "candidate-kind",
        |s| {
            s.lines()
                .map(|l| if l.starts_with("clinic-millford,") { l.replace(",clinic,", ",candidate,") } else { l.to_string() })
                .collect::<Vec<_>>()
                .join("\n")
        },
        "",
    );
    let study = Study::open(&dir.join("scenario.toml"), &accessplan::progress::Progress::new()).unwrap();
    let i = study.region.sites.iter().position(|s| s.id == "clinic-millford").unwrap();
    let site = &study.region.sites[i];
    assert_eq!((site.kind.as_str(), site.role, site.origin), ("candidate", SiteRole::Other, SiteOrigin::Input));
    // Saved, it stays in the sites file: nothing is copied into [[candidate_site]].
    let out = dir.join("saved.toml");
    study.scenario_file().save(&out, &study.region.inputs.files()).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("[[candidate_site]]"), "{text}");
    // And the saved scenario reopens with the same sites and the same figures.
    let again = Study::open(&out, &accessplan::progress::Progress::new()).unwrap();
    assert_eq!(again.region.sites.len(), study.region.sites.len());
    let si = study.scenario.service("hand-therapy").unwrap();
    let share = |s: &Study| s.evaluate().cover(&s.region, &s.scenario, Target::Service(si), Mode::CarOffpeak, None).unwrap().share();
    assert_eq!(share(&again), share(&study));
    cleanup(&dir);
}

#[test]
fn the_scenarios_hlc_map_names_the_hlc_for_coverage_rules_and_maps() {
    let dir = demo_study_dir("hlc-map", |s| s.to_string(), "[hlc]\nWestholm = \"surgery-westholm\"\n");
    let study = Study::open(&dir.join("scenario.toml"), &accessplan::progress::Progress::new()).unwrap();
    let r = &study.region;
    let site = |id: &str| r.sites.iter().position(|s| s.id == id).unwrap();
    let (surgery, hlc) = (site("surgery-westholm"), site("hlc-westholm"));
    let westholm = r.localities.iter().position(|l| l.name == "Westholm").unwrap();
    // The rules take Westholm's HLC from the map ...
    assert_eq!(study.scenario.hlc[westholm], Some(surgery));
    let e = study.evaluate();
    assert!(e.hlcs.contains(&surgery) && !e.hlcs.contains(&hlc), "{:?}", e.hlcs);
    assert_eq!(e.hlcs.len(), r.localities.len());
    // ... and so does the nearest-HLC coverage: Westholm's residents near the
    // surgery get it as their nearest HLC, and nobody gets the old HLC.
    let k = e.mode_index(Mode::CarOffpeak).unwrap();
    let choices = e.choices_of(Target::AnyHlc, k);
    let to_surgery = choices.iter().filter(|c| c.site() == Some(surgery)).count();
    assert!(to_surgery > 0, "some zone has the surgery as its nearest HLC");
    assert!(choices.iter().all(|c| c.site() != Some(hlc)));
    // A tier 1 service offered at the old HLC but not at the surgery breaks the rule, naming the surgery.
    let mut s = study.scenario.clone();
    let t1 = s.services.iter().position(|x| x.tier == accessplan::plan::Tier::ONE).unwrap();
    s.services[t1].offered[surgery] = false;
    s.services[t1].offered[hlc] = true;
    let v = accessplan::plan::rules::check(&s, r, study.sites());
    assert!(v.iter().any(|v| v.service == t1 && v.localities == [westholm] && v.message.contains("Westholm Surgery")), "{v:?}");
    cleanup(&dir);
}
