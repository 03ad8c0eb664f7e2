//! UI tests that drive the real app with egui_kittest: it starts on the demo
//! region; ticking a service at a site changes the coverage table to the
//! value the engine computes; undo restores it; a tier-rule violation appears
//! and disappears; a PNG export has the requested size.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use accessplan::analysis::{Target, evaluate};
use accessplan::travel::Mode;

use super::AccessplanApp;

pub(super) fn harness() -> Harness<'static, AccessplanApp> {
    // Keep the tests' autosave and recent files out of the user's folder.
    // SAFETY: set before any thread reads it; every test sets the same value.
    unsafe { std::env::set_var("ACCESSPLAN_HOME", std::env::temp_dir().join("accessplan-ui-tests")) };
    let app = AccessplanApp::new_blocking();
    let mut h = Harness::builder().with_size(egui::vec2(1600.0, 1000.0)).build_ui_state(|ui, app: &mut AccessplanApp| app.ui_root(ui), app);
    h.run();
    h
}

/// Steps the UI (the app keeps repainting while a worker runs) until `done`,
/// for at most a minute: workers take milliseconds, a loaded machine longer.
pub(super) fn step_until(h: &mut Harness<'static, AccessplanApp>, done: impl Fn(&AccessplanApp) -> bool) {
    for _ in 0..3000 {
        if done(h.state()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    assert!(done(h.state()), "the worker finished within a minute");
}

/// The share the engine computes for a scenario, as the table prints it.
fn printed(app: &AccessplanApp, scenario: &accessplan::plan::Scenario, target: Target, mode: Mode) -> String {
    let s = app.session.as_ref().unwrap();
    let st = &s.study;
    let e = evaluate(scenario, &st.region, st.sites(), &st.tt, &st.geo, &st.contacts);
    format!("{:.1}%", e.cover(&st.region, scenario, target, mode, None).unwrap().share() * 100.0)
}

#[test]
fn starts_on_the_demo_region() {
    let h = harness();
    let app = h.state();
    let s = app.session.as_ref().expect("the demo region is loaded at start");
    assert_eq!(s.study.region.zones.len(), 795);
    h.get_by_label("HLC model");
    h.get_by_label("Share of residents within reach");
    h.get_by_label("Car, off peak within 15 minutes");
    h.get_by_label("Compared with: Baseline (today) (baseline.toml)");
    // The map opens on a service whose journeys change, not on the nearest HLC (the same in both scenarios).
    let Target::Service(si) = app.target else { panic!("opens on a service, not {:?}", app.target) };
    let moved = s.zone_minutes(app.target, app.mode, super::state::Showing::Difference).iter().filter(|d| d.is_some_and(|d| d.abs() > 0.05)).count();
    assert!(moved > 100, "{}: {moved} zones change", s.study.scenario.services[si].name);
}

#[test]
fn ticking_a_box_updates_the_coverage_table_and_undo_restores_it() {
    let mut h = harness();
    // Look at continence care (tier 3, offered at one site) by car at rush hour.
    let si = h.state().session.as_ref().unwrap().study.scenario.service("continence").unwrap();
    h.state_mut().target = Target::Service(si);
    h.state_mut().mode = Mode::CarPeak;
    h.run();
    // An HLC that does not offer it yet, where offering it changes coverage.
    let (before_text, after_text, site_name) = {
        let app = h.state();
        let s = app.session.as_ref().unwrap();
        let before = printed(app, &s.study.scenario, Target::Service(si), Mode::CarPeak);
        let found = (0..s.study.region.sites.len())
            .filter(|&x| s.study.region.sites[x].role == accessplan::model::SiteRole::Hlc && !s.study.scenario.services[si].offered[x])
            .find_map(|x| {
                let mut changed = s.study.scenario.clone();
                changed.services[si].offered[x] = true;
                let after = printed(app, &changed, Target::Service(si), Mode::CarPeak);
                (after != before).then(|| (after, s.study.region.sites[x].name.clone()))
            });
        let (after, name) = found.expect("some HLC changes continence-care coverage");
        (before, after, name)
    };
    assert!(h.query_by_label(&before_text).is_some(), "table shows {before_text}");
    h.get_by_label(&format!("Continence care at {site_name}")).click();
    h.run();
    assert!(h.query_by_label(&after_text).is_some(), "after the tick the table shows the engine's {after_text}");
    assert!(h.state().session.as_ref().unwrap().dirty);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(h.query_by_label(&before_text).is_some(), "undo brings back {before_text}");
    assert!(h.query_by_label(&after_text).is_none());
}

#[test]
fn a_tier_rule_violation_appears_and_disappears() {
    let mut h = harness();
    h.get_by_label("No tier-rule violations");
    h.get_by_label("Phlebotomy at Westholm Healthy Living Centre").click();
    h.run();
    h.get_by_label("1 tier-rule violations");
    h.get_by_label("Phlebotomy (tier 1) is not offered in Westholm: add it at Westholm Healthy Living Centre");
    h.get_by_label("Phlebotomy at Westholm Healthy Living Centre").click();
    h.run();
    h.get_by_label("No tier-rule violations");
    assert!(h.query_by_label("1 tier-rule violations").is_none());
}

#[test]
fn ctrl_shift_z_redoes_what_ctrl_z_undid() {
    let mut h = harness();
    h.get_by_label("Phlebotomy at Westholm Healthy Living Centre").click();
    h.run();
    let ticked = h.state().session.as_ref().unwrap().study.scenario.clone();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_ne!(h.state().session.as_ref().unwrap().study.scenario, ticked, "Ctrl+Z undoes the tick");
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
    h.run();
    assert_eq!(h.state().session.as_ref().unwrap().study.scenario, ticked, "Ctrl+Shift+Z redoes it (not a second undo)");
}

#[test]
fn exporting_a_png_writes_an_image_of_the_requested_size() {
    let h = harness();
    let dir = std::env::temp_dir().join(format!("accessplan-ui-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join("map.png");
    super::export::export_map(h.state(), &png, 1754, 1240, "Demo").unwrap();
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let hgt = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((w, hgt), (1754, 1240));
    let svg = dir.join("map.svg");
    super::export::export_map(h.state(), &svg, 1600, 1000, "Demo").unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") || text.starts_with("<?xml"));
    assert!(text.contains("Synthetic demo region"));
    std::fs::remove_dir_all(&dir).ok();
}

/// The screen and the exported map colour zones with one function: the
/// export takes the screen's scale, its legend lists the screen's classes
/// and colours, and each colour fills as many zones in the SVG as on screen.
#[test]
fn the_exported_map_has_the_screens_classes_and_colours() {
    use super::state::Showing;
    let mut h = harness();
    for showing in [Showing::After, Showing::Difference] {
        h.state_mut().showing = showing;
        let app = h.state();
        let s = app.session.as_ref().unwrap();
        let diverging = showing == Showing::Difference;
        let spec = super::export::map_spec(app, 1600, 1000, "").unwrap();
        assert_eq!(spec.scale, super::palette::scale(diverging));
        let values = s.zone_minutes(app.target, app.mode, showing);
        assert_eq!(spec.values, values);
        let screen = super::palette::zone_colours(&values, values.len(), diverging);
        let hex = |c: egui::Color32| format!("#{:02x}{:02x}{:02x}", c.r(), c.g(), c.b());
        let svg = accessplan::export::map_svg::render_svg(&s.study.region, s.study.sites(), &spec);
        let legend = &svg[svg.find("class=\"legend\"").unwrap()..];
        for (c, label) in super::palette::legend(diverging) {
            let swatch = format!("fill=\"{}\" stroke=\"#888888\"", hex(c));
            let at = legend.find(&swatch).unwrap_or_else(|| panic!("no swatch {swatch} in the SVG legend"));
            assert!(legend[at..].starts_with(&swatch) && legend[at..].contains(&format!(">{label}</text>")), "{label}");
        }
        // The zones' groups end where the context over them (the river) or the locality outlines begin.
        let end = [svg.find("<g class=\"context-"), svg.find("<path class=\"localities\"")].into_iter().flatten().min().unwrap();
        let zones = &svg[svg.find("class=\"zones\"").unwrap()..end];
        let mut drawn = 0;
        for group in zones.split("<g fill=\"").skip(1) {
            let (fill, body) = group.split_at(7);
            let n = body.matches("<path ").count() + body.matches("<circle ").count();
            assert_eq!(n, screen.iter().filter(|c| hex(**c) == fill).count(), "zones filled {fill}");
            drawn += n;
        }
        assert_eq!(drawn, values.len(), "every zone drawn once");
        let classes = screen.iter().map(|c| hex(*c)).collect::<std::collections::HashSet<_>>().len();
        assert!(classes >= 3, "{classes} colours on the map");
    }
}

/// Writes `docs/exported-map.png` (run with `--ignored` to refresh the README's picture).
#[test]
#[ignore]
fn write_the_readme_export_example() {
    let mut h = harness();
    let si = h.state().session.as_ref().unwrap().study.scenario.service("pulmonary-rehab").unwrap();
    h.state_mut().target = Target::Service(si);
    h.state_mut().showing = super::state::Showing::Difference;
    let out = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/exported-map.png");
    super::export::export_map(h.state(), &out, 1754, 1240, "Pulmonary rehabilitation: change in journey time by car").unwrap();
}

#[test]
fn a_zones_bus_journey_is_listed_leg_by_leg() {
    let mut h = harness();
    assert!(h.state().session.as_ref().unwrap().after_eval.modes.contains(&Mode::Bus), "the demo's bus timetable is loaded");
    let si = h.state().session.as_ref().unwrap().study.scenario.service("phlebotomy").unwrap();
    let z = h.state().session.as_ref().unwrap().study.region.zones.iter().position(|z| z.id == "DZ0001").unwrap();
    {
        let app = h.state_mut();
        app.mode = Mode::Bus;
        app.target = Target::Service(si);
        app.selected_zone = Some(z);
        app.tab = super::ResultsTab::Journeys;
        app.layers.bus = true;
    }
    h.run();
    h.get_by_label_contains("By bus to");
    h.get_by_label_contains("door to door");
}

#[test]
fn a_candidate_site_is_added_in_the_background_and_survives_an_autosave_recovery() {
    let mut h = harness();
    let n = h.state().session.as_ref().unwrap().study.sites().len();
    // Where a click on the map would put it: the middle of the demo's zones.
    let at = {
        let s = h.state().session.as_ref().unwrap();
        let z = &s.study.region.zones[s.study.region.zones.len() / 2];
        z.point
    };
    let ctx = h.ctx.clone();
    h.state_mut().add_site_at(at, &ctx);
    h.step();
    // The travel times are computed on a worker thread; the UI keeps drawing meanwhile.
    step_until(&mut h, |app| app.site_job.is_none());
    h.run();
    let app = h.state();
    let s = app.session.as_ref().unwrap();
    assert_eq!(s.study.sites().len(), n + 1, "messages: {:?}", app.messages);
    assert_eq!(s.study.sites()[n].id, "candidate-1");
    assert!(app.messages.last().unwrap().1.starts_with("Candidate site 1 added"), "{:?}", app.messages.last());
    // Its column equals a fresh single-site matrix by car off peak.
    let m = s.study.tt.street(Mode::CarOffpeak).unwrap();
    let zones: Vec<_> = s.study.region.zones.iter().map(|z| z.point).collect();
    let net = s.study.region.network(accessplan::network::StreetMode::Car).unwrap();
    let fresh = accessplan::network::street_matrix(
        net,
        accessplan::network::Period::Offpeak,
        &zones,
        &[s.study.sites()[n].point],
        accessplan::network::snap::DEFAULT_MAX_SNAP_M,
        &accessplan::progress::Progress::new(),
    )
    .unwrap();
    for z in 0..zones.len() {
        assert_eq!(m.time_s[z * m.destinations + n].to_bits(), fresh.time_s[z].to_bits());
    }
    // Offer a service there, autosave, reopen the demo and recover: the site comes back with it.
    let si = s.study.scenario.service("podiatry").unwrap();
    let mut file = s.scenario_file();
    file.services[si].sites.push("candidate-1".into());
    let dir = std::env::temp_dir().join(format!("accessplan-ui-recover-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let autosave = dir.join("autosave.toml");
    std::fs::write(&autosave, file.to_toml().unwrap()).unwrap();
    std::fs::write(dir.join("autosave.path"), s.study.path.display().to_string()).unwrap();
    let mut fresh_app = AccessplanApp::new_blocking();
    assert_eq!(fresh_app.session.as_ref().unwrap().study.sites().len(), n);
    fresh_app.recover(&autosave);
    let r = fresh_app.session.as_ref().unwrap();
    assert_eq!(r.study.sites().len(), n + 1, "{:?}", fresh_app.messages);
    assert!(r.study.scenario.services[si].offered[n], "podiatry is offered at the recovered candidate site");
    assert!(fresh_app.messages.last().unwrap().1.starts_with("Recovered"));
    std::fs::remove_dir_all(&dir).ok();
}

/// A file dropped on the window from the file manager.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn dropped(p: std::path::PathBuf) -> egui::DroppedFileHandle {
    std::sync::Arc::new(Dropped(p))
}

#[test]
fn dropped_input_files_fill_the_new_study_form_and_create_a_study() {
    let mut h = harness();
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let files = ["maps/demo/zones.geojson", "maps/demo/localities.geojson", "datasets/demo/sites.csv", "maps/demo/region.osm", "datasets/demo/contacts.csv"];
    // Dropped on the window together, as a file manager would.
    h.input_mut().dropped_files = files.iter().map(|f| dropped(root.join(f))).collect();
    h.run();
    {
        let app = h.state();
        let d = &app.new_study.draft;
        assert!(app.new_study.open, "the form opens");
        assert_eq!(d.zones.as_deref(), Some(root.join(files[0]).as_path()));
        assert_eq!(d.localities.as_deref(), Some(root.join(files[1]).as_path()));
        assert_eq!(d.sites.as_deref(), Some(root.join(files[2]).as_path()));
        assert_eq!(d.osm.as_deref(), Some(root.join(files[3]).as_path()));
        assert_eq!(d.contacts.as_deref(), Some(root.join(files[4]).as_path()));
        assert_eq!((d.zone_id.as_deref(), d.population.as_deref(), d.locality_name.as_deref()), (Some("zone_id"), Some("population"), Some("name")));
        assert_eq!(app.messages.last().unwrap().1, "contacts.csv recognised as the patient contacts: placed in New study from files.");
        assert_eq!(app.session.as_ref().unwrap().study.region.zones.len(), 795, "the demo stays open meanwhile");
    }
    // The form shows each file and the fields guessed.
    h.get_by_label("New study from files");
    for f in ["zones.geojson", "localities.geojson", "sites.csv", "region.osm", "contacts.csv"] {
        h.get_by_label(f);
    }
    for picker in ["Zone id field", "Population field", "Locality name field"] {
        h.get_by_role_and_label(egui::Role::ComboBox, picker);
    }
    h.get_by_label("Ready: nothing is missing.");
    h.get_by_label("Clear bus timetable");
    // A CSV it cannot tell is refused with the reason, and placed nowhere.
    let dir = std::env::temp_dir().join(format!("accessplan-ui-new-study-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let odd = dir.join("budget.csv");
    std::fs::write(&odd, "team,cost\nnursing,120\n").unwrap();
    h.input_mut().dropped_files = vec![dropped(odd)];
    h.run();
    let (err, m) = h.state().messages.last().unwrap().clone();
    assert!(err && m.contains("budget.csv") && m.contains("cannot tell what this CSV holds"), "{m}");
    // "Create study…" then runs on a worker thread; wait on it as the user would.
    let out = dir.join("study.toml");
    let ctx = h.ctx.clone();
    h.state_mut().create_study(out.clone(), &ctx);
    h.step();
    step_until(&mut h, |app| app.new_study.job.is_none());
    h.run();
    let app = h.state();
    let s = app.session.as_ref().unwrap();
    assert_eq!(s.study.path, out, "messages: {:?}", app.messages);
    assert_eq!((s.study.region.zones.len(), s.study.region.sites.len(), s.study.region.localities.len()), (795, 16, 6));
    assert_eq!(s.study.scenario.name, "HLC model");
    assert!(out.exists(), "the scenario is written");
    assert!(app.messages.last().unwrap().1.starts_with("New study written to"), "{:?}", app.messages.last());
    assert!(!app.new_study.open, "the form closes");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn suggest_placement_shows_the_optimisers_answer_and_accepting_it_is_undoable() {
    let mut h = harness();
    let si = h.state().session.as_ref().unwrap().study.scenario.service("continence").unwrap();
    let before = h.state().session.as_ref().unwrap().study.scenario.clone();
    h.get_by_label("Suggest one placement for all tier 3 services");
    // The row's own button: open the window for continence care by car off peak.
    {
        let app = h.state_mut();
        app.suggest.open_for(vec![si], Mode::CarOffpeak, 1);
        app.suggest.sites = 2;
        app.suggest.objective = accessplan::analysis::optimise::Objective::Cover;
    }
    h.run();
    h.get_by_label("Find the best placement").click();
    h.step();
    step_until(&mut h, |app| !app.suggest.running());
    h.run();
    // The window shows the engine's answer for the same request.
    let expected = {
        let s = h.state().session.as_ref().unwrap();
        let mut req = accessplan::analysis::placement::PlacementRequest::new(vec![si]);
        req.objective = accessplan::analysis::optimise::Objective::Cover;
        req.sites = Some(2);
        accessplan::analysis::placement::suggest(&req, &s.study.scenario, &s.study.region, s.study.sites(), &s.study.tt, &s.study.geo, &s.study.contacts)
            .unwrap()
    };
    let names: Vec<String> = expected.solution.open.iter().map(|&i| h.state().session.as_ref().unwrap().study.region.sites[i].name.clone()).collect();
    h.get_by_label(&format!("Suggested: {}", names.join(", ")));
    h.get_by_label_contains("proven best");
    h.get_by_label("Accept into the scenario").click();
    // The window shrinks once the suggestion is taken: let its resize settle.
    h.run_steps(10);
    let after = h.state().session.as_ref().unwrap().study.scenario.services[si].sites();
    assert_eq!(after, expected.solution.open);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(10);
    assert_eq!(h.state().session.as_ref().unwrap().study.scenario, before, "undo restores today's placement");
}

#[test]
fn a_site_marked_never_is_left_out_of_the_suggestion() {
    let mut h = harness();
    let si = h.state().session.as_ref().unwrap().study.scenario.service("continence").unwrap();
    h.state_mut().suggest.open_for(vec![si], Mode::CarOffpeak, 1);
    h.run();
    // Today's single site is the best one: rule it out in the window.
    let today = h.state().session.as_ref().unwrap().study.scenario.services[si].sites()[0];
    let name = h.state().session.as_ref().unwrap().study.region.sites[today].name.clone();
    h.get_by_label_contains("Sites that must stay or must not be used").click();
    h.run();
    h.get_by_label(&format!("Never use {name}")).click();
    h.run();
    assert!(h.state().suggest.excluded.contains(&today));
    h.get_by_label("Find the best placement").click();
    h.step();
    step_until(&mut h, |app| !app.suggest.running());
    h.run_steps(10);
    let open = h.state().suggest.result.as_ref().expect("a suggestion").solution.open.clone();
    assert_eq!(open.len(), 1);
    assert_ne!(open[0], today, "the excluded site is not suggested");
}

#[test]
fn the_new_study_form_shows_the_newport_downloads_and_the_map_colours_zones_by_an_attribute() {
    let mut h = harness();
    // Zones by residents per km²: the legend names it (drawn without a missing glyph).
    h.state_mut().zone_attribute = Some(super::map::DENSITY.to_string());
    h.run();
    let Some(census) = accessplan::testdata::shared_file("census/ks101ew_oa11_usual_residents_2011_ew_nomis.csv") else {
        return;
    };
    let f = |rel: &str| accessplan::testdata::shared_file(rel).unwrap();
    for p in [
        f("newport/boundaries/oa.geojson"),
        f("newport/boundaries/lsoa.geojson"),
        census,
        f("newport/postcodes_NP.csv"),
        f("newport/deprivation/wimd2019_lsoa11.csv"),
    ] {
        h.state_mut().place_input(&p);
    }
    h.run();
    for label in ["Residents column", "Role of lsoa.geojson", "Code field of lsoa.geojson", "Role of postcodes_NP.csv", "Role of wimd2019_lsoa11.csv"] {
        h.get_by_role_and_label(egui::Role::ComboBox, label);
    }
    h.get_by_role_and_label(egui::Role::SpinButton, "Clip margin (km)");
    let d = &h.state().new_study.draft;
    assert_eq!((d.population_table.is_some(), d.postcodes.is_some(), d.attributes.len(), d.areas.len()), (true, true, 1, 1));
}

/// A site made an HLC in the site table: its locality's HLC at once (the
/// "nearest HLC" figures follow), undone by Ctrl+Z, and kept by saving.
#[test]
fn a_site_made_an_hlc_in_the_site_table_is_undoable_and_saved() {
    let mut h = harness();
    let (surgery, hlc, westholm) = {
        let st = &h.state().session.as_ref().unwrap().study;
        let site = |id: &str| st.sites().iter().position(|s| s.id == id).unwrap();
        (site("surgery-westholm"), site("hlc-westholm"), st.region.localities.iter().position(|l| l.name == "Westholm").unwrap())
    };
    h.get_by_label_contains("Sites: role and locality").click();
    h.run();
    h.get_by_label("Role of Westholm Surgery").click();
    h.run();
    h.get_by_label("HLC").click();
    h.run();
    {
        let s = h.state().session.as_ref().unwrap();
        assert_eq!(s.study.scenario.hlc[westholm], Some(surgery));
        assert!(s.after_eval.hlcs.contains(&surgery) && !s.after_eval.hlcs.contains(&hlc));
        assert!(s.dirty);
    }
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().session.as_ref().unwrap().study.scenario.hlc[westholm], Some(hlc), "undo gives Westholm its HLC back");
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
    h.run();
    assert_eq!(h.state().session.as_ref().unwrap().study.scenario.hlc[westholm], Some(surgery), "redo makes the surgery Westholm's HLC again");
    // Saved and reopened, the surgery is Westholm's HLC.
    let dir = std::env::temp_dir().join(format!("accessplan-ui-site-role-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("saved.toml");
    h.state_mut().session.as_mut().unwrap().save_to(&path).unwrap();
    let again = accessplan::study::Study::open(&path, &accessplan::progress::Progress::new()).unwrap();
    assert_eq!(again.scenario.hlc[westholm], Some(surgery));
    assert_eq!(again.scenario.role_of(again.sites(), surgery), accessplan::model::SiteRole::Hlc);
    std::fs::remove_dir_all(&dir).ok();
}

/// A plan in phases on the demo (today, an interim phase without the Ashby
/// Vale HLC, the final HLC model): the timeline shows each phase as the
/// scenario edited, its figures those of the phase's own evaluation,
/// compared with today or with the phase before.
#[test]
fn the_timeline_steps_through_the_phases_of_a_plan() {
    use super::state::Session;
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("accessplan-app-phases-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = |from: &str, to: &str, name: &str, date: &str, drop_ashby: bool| {
        let text = std::fs::read_to_string(root.join("datasets/demo/scenarios").join(from)).unwrap();
        let mut text = text.replace("\"../../../", &format!("\"{}/", root.display())).replace("\"../", &format!("\"{}/datasets/demo/", root.display()));
        if drop_ashby {
            text = text.replace("    \"hlc-ashby-vale\",\n", "");
        }
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let at = lines.iter().position(|l| l.starts_with("name = ")).unwrap();
        lines[at] = format!("name = \"{name}\"\ndate = \"{date}\"");
        let p = dir.join(to);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        p
    };
    let today = copy("baseline.toml", "today.toml", "Today", "2026-12", false);
    let interim = copy("hlc-model.toml", "interim.toml", "Interim", "2027-04", true);
    let fin = copy("hlc-model.toml", "final.toml", "Final", "2029-04", false);
    let mut s = Session::open(&interim, Some(&today), &accessplan::progress::Progress::new()).unwrap();
    s.set_phases(std::slice::from_ref(&fin)).unwrap();
    let names: Vec<&str> = s.phases.iter().map(|p| p.scenario.name.as_str()).collect();
    assert_eq!(names, ["Today", "Interim", "Final"]);
    assert_eq!((s.phase, s.study.scenario.name.as_str()), (2, "Final"), "the plan opens on its last phase");
    let share = |s: &Session, e: &accessplan::analysis::Evaluation, sc: &accessplan::plan::Scenario| {
        e.cover(&s.study.region, sc, Target::AnyHlc, Mode::Bus, None).unwrap().share()
    };
    // The final phase's figures are those of the final scenario evaluated alone.
    let st = &s.study;
    let alone = evaluate(&s.phases[2].scenario, &st.region, st.sites(), &st.tt, &st.geo, &st.contacts);
    assert_eq!(share(&s, &s.after_eval, &s.study.scenario), share(&s, &alone, &s.phases[2].scenario));
    assert_eq!(s.after_eval.violations.len(), alone.violations.len());
    assert_eq!(s.before.as_ref().map(|b| b.1.name.as_str()), Some("Today"));
    // Stepping back to the interim: fewer HLCs open, tier 1 broken in Ashby Vale.
    s.show_phase(1);
    assert_eq!((s.study.scenario.name.as_str(), s.save_path.clone()), ("Interim", interim.clone()));
    assert!(s.after_eval.violations.len() > alone.violations.len());
    // The final phase against the phase before.
    s.against_previous = true;
    s.show_phase(2);
    assert_eq!(s.before.as_ref().map(|b| b.1.name.as_str()), Some("Interim"));
    // Today alone is compared with nothing.
    s.show_phase(0);
    assert!(s.before.is_none() && s.before_eval.is_none());
    // An edit to the interim, then Save on the final phase: both phases are
    // written, each over its own file (its own name line and date kept).
    s.show_phase(1);
    s.study.scenario.name = "Interim, edited".into();
    s.dirty = true;
    s.show_phase(2);
    let written = s.save_to(&fin).unwrap();
    assert_eq!(written, std::slice::from_ref(&interim));
    assert!(!s.dirty, "every phase is saved");
    let file = |p: &std::path::Path| accessplan::plan::ScenarioFile::load(p).unwrap();
    assert_eq!((file(&interim).name, file(&interim).date), ("Interim, edited".to_string(), Some("2027-04".to_string())));
    assert_eq!((file(&fin).name, file(&fin).date), ("Final".to_string(), Some("2029-04".to_string())));
    assert_eq!(file(&today).date.as_deref(), Some("2026-12"), "today's file is left alone");
    // The saved plan opens again as the same phases.
    let mut again = Session::open(&interim, Some(&today), &accessplan::progress::Progress::new()).unwrap();
    again.set_phases(std::slice::from_ref(&fin)).unwrap();
    let dates: Vec<Option<&str>> = again.phases.iter().map(|p| p.date.as_deref()).collect();
    assert_eq!(dates, [Some("2026-12"), Some("2027-04"), Some("2029-04")]);
    assert_eq!(again.phases[1].scenario.name, "Interim, edited");
    // A phase is never saved over another phase's file.
    s.study.scenario.name = "Final, edited".into();
    let e = s.save_to(&today).unwrap_err().to_string();
    assert!(e.contains("today.toml"), "{e}");
    assert_eq!(file(&today).name, "Today");
    // Dates that run backwards are refused naming the file.
    let late = copy("hlc-model.toml", "late.toml", "Late", "2026-01", false);
    let mut s = Session::open(&interim, Some(&today), &accessplan::progress::Progress::new()).unwrap();
    let e = s.set_phases(&[late]).unwrap_err().to_string();
    assert!(e.contains("late.toml") && e.contains("date"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

/// An isochrone on the map goes on the exported map, drawn from the same
/// bands, with its legend; clearing it clears it from the export.
#[test]
fn the_exported_map_carries_the_isochrone_on_screen() {
    use accessplan::network::{Period, StreetMode};
    let mut h = harness();
    let iso = {
        let s = h.state().session.as_ref().unwrap();
        let region = &s.study.region;
        let car = region.network(StreetMode::Car).unwrap();
        accessplan::travel::isochrone::isochrone(
            car,
            Period::Offpeak,
            region.sites[0].point,
            &[5.0, 10.0],
            1000.0,
            50.0,
            &accessplan::progress::Progress::new(),
        )
        .unwrap()
    };
    h.state_mut().show_isochrone(Ok(iso.clone()), accessplan::travel::Mode::CarOffpeak);
    let app = h.state();
    let spec = super::export::map_spec(app, 1600, 1000, "").unwrap();
    let layer = spec.isochrone.as_ref().expect("the isochrone on screen is exported");
    assert_eq!(layer, &accessplan::export::map_svg::IsochroneLayer::of(&iso, "Isochrone: car, off peak"));
    let s = app.session.as_ref().unwrap();
    let svg = accessplan::export::map_svg::render_svg(&s.study.region, s.study.sites(), &spec);
    assert!(svg.contains("<g class=\"isochrone\"") && svg.contains(">5-10 min</text>"));
    h.state_mut().isochrone = None;
    assert!(super::export::map_spec(h.state(), 1600, 1000, "").unwrap().isochrone.is_none());
}
