//! `accessplan map` draws the same map as the app's File > Export: on the
//! demo comparison (HLC model against today), the SVG text of both paths is
//! identical for each view (same classes, legend, labels and credits), and
//! so are the PNG bytes at the A4 size.

use accessplan::analysis::Target;
use accessplan::travel::Mode;

use super::AccessplanApp;
use super::state::Showing;
use crate::cli::MapArgs;
use crate::cli::map::map_bytes;

fn app_on(showing: Showing, service: &str) -> AccessplanApp {
    // Keep the tests' autosave and recent files out of the user's folder.
    // SAFETY: set before any thread reads it; every test sets the same value.
    unsafe { std::env::set_var("ACCESSPLAN_HOME", std::env::temp_dir().join("accessplan-ui-tests")) };
    let mut app = AccessplanApp::new_blocking();
    let si = app.session.as_ref().and_then(|s| s.study.scenario.service(service)).expect("the demo scenario offers the service");
    app.target = Target::Service(si);
    app.mode = Mode::CarOffpeak;
    app.showing = showing;
    app
}

fn args(app: &AccessplanApp, service: &str, view: &str, out: &str) -> MapArgs {
    let s = app.session.as_ref().expect("a session");
    MapArgs {
        scenario: s.study.path.clone(),
        compare: s.before.as_ref().map(|(p, _)| p.clone()),
        service: service.into(),
        mode: "car-offpeak".into(),
        view: view.into(),
        size: "a4".into(),
        dpi: 150,
        title: None,
        out: std::env::temp_dir().join(out),
    }
}

#[test]
fn the_command_draws_the_apps_export_in_every_view() {
    let dir = std::env::temp_dir().join(format!("accessplan-map-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (showing, view) in [(Showing::Before, "before"), (Showing::After, "after"), (Showing::Difference, "difference")] {
        let app = app_on(showing, "podiatry");
        let path = dir.join(format!("app-{view}.svg"));
        super::export::export_map(&app, &path, 1754, 1240, "").unwrap();
        let from_app = std::fs::read_to_string(&path).unwrap();
        let from_cli = String::from_utf8(map_bytes(&args(&app, "podiatry", view, "map.svg"), true).unwrap()).unwrap();
        assert!(from_app == from_cli, "{view}: the SVG of the command differs from the app's ({} and {} bytes)", from_cli.len(), from_app.len());
        // The legend's title, wrapped at 24 characters.
        let legend = if view == "difference" { "Change in minutes (blue:" } else { "Minutes" };
        assert!(from_cli.contains(&format!(">{legend}<")), "{view}: legend '{legend}'");
        assert!(from_cli.contains(r#"<g class="context-water""#), "{view}: the demo's river is drawn");
    }
    // The PNG: the same bytes, at the A4 size of 150 dpi.
    let app = app_on(Showing::Difference, "podiatry");
    let path = dir.join("app.png");
    super::export::export_map(&app, &path, 1754, 1240, "").unwrap();
    let from_cli = map_bytes(&args(&app, "podiatry", "difference", "map.png"), true).unwrap();
    assert!(std::fs::read(&path).unwrap() == from_cli, "the PNG of the command differs from the app's");
    let img = resvg::tiny_skia::Pixmap::decode_png(&from_cli).unwrap();
    assert_eq!((img.width(), img.height()), (1754, 1240));
    let a3 = MapArgs { size: "a3".into(), dpi: 100, ..args(&app, "podiatry", "after", "map.png") };
    let img = resvg::tiny_skia::Pixmap::decode_png(&map_bytes(&a3, true).unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (1654, 1169));
}

#[test]
fn bad_arguments_name_what_is_valid() {
    let app = app_on(Showing::After, "podiatry");
    let err = |a: MapArgs| map_bytes(&a, true).unwrap_err().to_string();
    let e = err(args(&app, "chiropody", "after", "map.png"));
    assert!(e.starts_with("--service chiropody: the scenario has no such service; its services are "), "{e}");
    assert!(e.contains("podiatry") && e.ends_with("or any-hlc for the nearest HLC"), "{e}");
    let e = err(MapArgs { mode: "train".into(), ..args(&app, "podiatry", "after", "map.png") });
    assert_eq!(e, "--mode train: unknown mode 'train' (expected bus, car-peak, car-offpeak, walk or cycle)");
    let e = err(args(&app, "podiatry", "sideways", "map.png"));
    assert_eq!(e, "--view sideways: unknown view 'sideways' (expected before, after, difference)");
    let e = err(MapArgs { compare: None, ..args(&app, "podiatry", "difference", "map.png") });
    assert_eq!(e, "the before and difference views compare two scenarios: give --compare BEFORE");
    let e = err(args(&app, "podiatry", "after", "map.jpg"));
    assert!(e.ends_with("map.jpg: name a .png or .svg file"), "{e}");
}
