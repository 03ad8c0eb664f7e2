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

#[test]
fn site_settings_in_the_scenario_give_roles_and_localities_over_the_sites_file() {
    // Millford Health Centre said to stand in Ashby Vale, and the Westholm HLC said to be a clinic.
    let extra = "[[site]]\nid = \"clinic-millford\"\nlocality = \"Ashby Vale\"\n\n[[site]]\nid = \"hlc-westholm\"\nrole = \"clinic\"\n";
    let dir = demo_study_dir("site-settings", |s| s.to_string(), "");
    // `[[site]]` tables go after the file's own tables.
    let path = dir.join("scenario.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\n{extra}")).unwrap();
    let study = Study::open(&path, &accessplan::progress::Progress::new()).unwrap();
    let r = &study.region;
    let site = |id: &str| r.sites.iter().position(|s| s.id == id).unwrap();
    let loc = |name: &str| r.localities.iter().position(|l| l.name == name).unwrap();
    let (clinic, westholm_hlc) = (site("clinic-millford"), site("hlc-westholm"));
    assert_eq!(study.scenario.role_of(study.sites(), westholm_hlc), SiteRole::Clinic);
    assert_eq!(study.scenario.site_localities(r, study.sites())[clinic], Some(loc("Ashby Vale")));
    // Westholm has no other site of role HLC: it has no HLC now.
    assert_eq!(study.scenario.hlc[loc("Westholm")], None);
    let e = study.evaluate();
    assert_eq!(e.hlcs.len(), r.localities.len() - 1);
    assert!(!e.hlcs.contains(&westholm_hlc));
    // The evaluation places the clinic in Ashby Vale.
    assert_eq!(e.geo.site_locality[clinic], Some(loc("Ashby Vale")));
    // Saved and reopened, the settings are kept as written.
    let out = dir.join("saved.toml");
    study.scenario_file().save(&out, &r.inputs.files()).unwrap();
    let saved = std::fs::read_to_string(&out).unwrap();
    assert!(
        saved.contains("[[site]]\nid = \"hlc-westholm\"\nrole = \"clinic\"\n")
            && saved.contains("[[site]]\nid = \"clinic-millford\"\nlocality = \"Ashby Vale\"\n"),
        "{saved}"
    );
    let again = Study::open(&out, &accessplan::progress::Progress::new()).unwrap();
    assert_eq!(again.scenario.site_overrides, study.scenario.site_overrides);
    assert_eq!(again.scenario.hlc, study.scenario.hlc);
    cleanup(&dir);
}

#[test]
fn an_older_scenario_file_saves_without_site_settings() {
    let dir = demo_study_dir("no-site-settings", |s| s.to_string(), "");
    let study = Study::open(&dir.join("scenario.toml"), &accessplan::progress::Progress::new()).unwrap();
    assert!(study.scenario.site_overrides.is_empty());
    let out = dir.join("saved.toml");
    study.scenario_file().save(&out, &study.region.inputs.files()).unwrap();
    assert!(!std::fs::read_to_string(&out).unwrap().contains("[[site]]"));
    cleanup(&dir);
}

#[test]
fn making_a_site_an_hlc_moves_its_localitys_hlc_and_setting_it_back_restores_the_default() {
    let dir = demo_study_dir("set-site", |s| s.to_string(), "");
    let mut study = Study::open(&dir.join("scenario.toml"), &accessplan::progress::Progress::new()).unwrap();
    let r = study.region.clone();
    let site = |id: &str| r.sites.iter().position(|s| s.id == id).unwrap();
    let westholm = r.localities.iter().position(|l| l.name == "Westholm").unwrap();
    let (surgery, hlc) = (site("surgery-westholm"), site("hlc-westholm"));
    let before = study.scenario.clone();
    study.set_site(surgery, SiteRole::Hlc, None);
    assert_eq!(study.scenario.hlc[westholm], Some(surgery));
    assert!(study.scenario.hlc_sites().contains(&surgery) && !study.scenario.hlc_sites().contains(&hlc));
    // The surgery given back its own role: Westholm's HLC is the sites file's again.
    study.set_site(surgery, SiteRole::Clinic, None);
    assert_eq!(study.scenario.hlc[westholm], Some(hlc));
    assert_eq!(study.scenario, before);
    // The HLC moved to another locality: it is that locality's HLC, and Westholm has none.
    let northgate = r.localities.iter().position(|l| l.name == "Northgate").unwrap();
    study.set_site(hlc, SiteRole::Hlc, Some(northgate));
    assert_eq!((study.scenario.hlc[westholm], study.scenario.hlc[northgate]), (None, Some(hlc)));
    cleanup(&dir);
}

#[test]
fn a_site_setting_naming_what_does_not_exist_is_an_error_naming_the_key() {
    let open = |tag: &str, extra: &str| {
        let dir = demo_study_dir(tag, |s| s.to_string(), "");
        let path = dir.join("scenario.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\n{extra}")).unwrap();
        let e = Study::open(&path, &accessplan::progress::Progress::new()).unwrap_err().to_string();
        cleanup(&dir);
        e
    };
    let e = open("site-unknown", "[[site]]\nid = \"nowhere\"\nrole = \"hlc\"\n");
    assert!(e.contains("site.nowhere") && e.contains("site 'nowhere' does not exist"), "{e}");
    let e = open("site-unknown-locality", "[[site]]\nid = \"clinic-millford\"\nlocality = \"Atlantis\"\n");
    assert!(e.contains("site.clinic-millford.locality") && e.contains("locality 'Atlantis' does not exist"), "{e}");
    let e = open("site-bad-role", "[[site]]\nid = \"clinic-millford\"\nrole = \"castle\"\n");
    assert!(e.contains("castle") && e.contains("hlc") && e.contains("line"), "{e}");
    let e = open("site-twice", "[[site]]\nid = \"clinic-millford\"\nrole = \"hlc\"\n[[site]]\nid = \"clinic-millford\"\nrole = \"other\"\n");
    assert!(e.contains("site.clinic-millford") && e.contains("listed twice"), "{e}");
}
