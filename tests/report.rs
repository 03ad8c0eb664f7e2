//! The report and the layers: one self-contained HTML file showing the same
//! coverage figures as the CSV tables, small-number suppression, maps with a
//! legend, scale bar and credits, and GeoJSON layers with one feature per
//! zone.
//!
//! A small fixture is built in a temporary folder: a 5 x 5 OSM street grid
//! (about 1.7 km square, near lat 51.4), 16 square zones and one point zone,
//! two localities (West, East), four sites (an existing and a planned HLC, a
//! clinic, a hospital), a contacts file and two scenarios. The demo region's
//! scenarios are used as well when they are present.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use accessplan::analysis::compare::{Comparison, compare};
use accessplan::analysis::{Target, evaluate};
use accessplan::export::layers;
use accessplan::export::map_svg::{MapSpec, default_credits, render_svg};
use accessplan::export::report::{comparison_outputs, evaluation_outputs};
use accessplan::export::style::Scale;
use accessplan::export::tables::{coverage_compare_csv, coverage_csv};
use accessplan::plan::Scenario;
use accessplan::study::Study;
use accessplan::travel::Mode;

const LON0: f64 = 0.50;
const LAT0: f64 = 51.40;
const DLON: f64 = 0.006;
const DLAT: f64 = 0.004;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn node_id(i: usize, j: usize) -> usize {
    1 + j * 5 + i
}

/// Builds the fixture and returns the folder.
fn fixture(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accessplan-report-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Streets: a 5 x 5 grid, rows and columns as ways; the middle row is a primary road.
    let mut osm = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\">\n");
    for j in 0..5 {
        for i in 0..5 {
            osm += &format!("<node id=\"{}\" lat=\"{:.6}\" lon=\"{:.6}\"/>\n", node_id(i, j), LAT0 + j as f64 * DLAT, LON0 + i as f64 * DLON);
        }
    }
    let mut way = 100;
    for j in 0..5 {
        let class = if j == 2 { "primary" } else { "residential" };
        osm += &format!(
            "<way id=\"{way}\">{}<tag k=\"highway\" v=\"{class}\"/></way>\n",
            (0..5).map(|i| format!("<nd ref=\"{}\"/>", node_id(i, j))).collect::<String>()
        );
        way += 1;
    }
    for i in 0..5 {
        osm += &format!(
            "<way id=\"{way}\">{}<tag k=\"highway\" v=\"residential\"/></way>\n",
            (0..5).map(|j| format!("<nd ref=\"{}\"/>", node_id(i, j))).collect::<String>()
        );
        way += 1;
    }
    osm += "</osm>\n";
    write(&dir, "streets.osm", &osm);

    // Zones: the 16 grid cells (West: columns 0-1, East: columns 2-3) and a point zone.
    let mut feats = Vec::new();
    for j in 0..4 {
        for i in 0..4 {
            let (x0, y0) = (LON0 + i as f64 * DLON, LAT0 + j as f64 * DLAT);
            let (x1, y1) = (x0 + DLON, y0 + DLAT);
            let pop = 100 * (1 + (i + 2 * j) % 5);
            feats.push(format!(
                r#"{{"type":"Feature","properties":{{"zone_id":"Z{j}{i}","population":{pop}}},"geometry":{{"type":"Polygon","coordinates":[[[{x0:.6},{y0:.6}],[{x1:.6},{y0:.6}],[{x1:.6},{y1:.6}],[{x0:.6},{y1:.6}],[{x0:.6},{y0:.6}]]]}}}}"#
            ));
        }
    }
    feats.push(format!(
        r#"{{"type":"Feature","properties":{{"zone_id":"ZP","population":50}},"geometry":{{"type":"Point","coordinates":[{:.6},{:.6}]}}}}"#,
        LON0 + 3.2 * DLON,
        LAT0 + 3.6 * DLAT
    ));
    write(&dir, "zones.geojson", &format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n", feats.join(",\n")));

    let (xm, x1, y1) = (LON0 + 2.0 * DLON, LON0 + 4.0 * DLON, LAT0 + 4.0 * DLAT);
    write(
        &dir,
        "localities.geojson",
        &format!(
            r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","properties":{{"name":"West"}},"geometry":{{"type":"Polygon","coordinates":[[[{LON0},{LAT0}],[{xm:.6},{LAT0}],[{xm:.6},{y1:.6}],[{LON0},{y1:.6}],[{LON0},{LAT0}]]]}}}},
{{"type":"Feature","properties":{{"name":"East"}},"geometry":{{"type":"Polygon","coordinates":[[[{xm:.6},{LAT0}],[{x1:.6},{LAT0}],[{x1:.6},{y1:.6}],[{xm:.6},{y1:.6}],[{xm:.6},{LAT0}]]]}}}}]}}
"#
        ),
    );
    let at = |i: f64, j: f64| format!("{:.6},{:.6}", LON0 + i * DLON, LAT0 + j * DLAT);
    write(
        &dir,
        "sites.csv",
        &format!(
            "id,name,kind,status,locality,lon,lat,capacity\nhlc-west,West HLC,hlc,existing,West,{},200\nhlc-east,East HLC,hlc,planned,East,{},200\nclinic-east,East Clinic,clinic,existing,East,{},\nhospital,Riverside Hospital,hospital,existing,West,{},20\n",
            at(1.0, 2.0),
            at(3.0, 2.0),
            at(4.0, 4.0),
            at(0.0, 0.0)
        ),
    );
    // Phlebotomy is seen at the hospital today; hand therapy has one row of 3 contacts.
    let mut contacts = String::from("zone_id,service,current_site,contacts_per_year\n");
    for j in 0..4 {
        for i in 0..4 {
            contacts += &format!("Z{j}{i},phlebotomy,hospital,{}\n", 10 + 5 * ((i + j) % 3));
        }
    }
    contacts += "ZP,phlebotomy,clinic-east,2\nZ00,hand-therapy,clinic-east,3\n";
    write(&dir, "contacts.csv", &contacts);

    let scenario = |name: &str, phleb: &str, hand: &str| {
        format!(
            r#"schema_version = 1
name = "{name}"
description = "Report fixture & <test>"
locality_pairs = [["West", "East"]]
[thresholds]
car_offpeak = 4
car_peak = 4
walk = 12
cycle = 5
[inputs]
osm = "streets.osm"
zones = "zones.geojson"
zone_id = "zone_id"
population = "population"
sites = "sites.csv"
contacts = "contacts.csv"
[inputs.localities]
file = "localities.geojson"
[[service]]
id = "phlebotomy"
sites = [{phleb}]
[[service]]
id = "hand-therapy"
sites = [{hand}]
"#
        )
    };
    write(&dir, "baseline.toml", &scenario("Today", r#""hospital", "clinic-east""#, r#""clinic-east""#));
    write(&dir, "proposed.toml", &scenario("HLC model", r#""hlc-west", "hlc-east""#, r#""hlc-west""#));
    dir
}

struct Fixture {
    dir: PathBuf,
    study: Study,
    proposed: Scenario,
    comparison: Comparison,
}

fn open(dir: &Path, base: &str, proposed: &str) -> Fixture {
    let study = Study::open(&dir.join(base), &accessplan::progress::Progress::new()).unwrap();
    let (_, prop) = study.other(&dir.join(proposed)).unwrap();
    let base_e = study.evaluate();
    let prop_e = evaluate(&prop, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts);
    let comparison = compare(&study.scenario, base_e, &prop, prop_e, &study.tt, &study.contacts);
    Fixture { dir: dir.to_path_buf(), study, proposed: prop, comparison }
}

fn file<'a>(files: &'a [(&'static str, Vec<u8>)], name: &str) -> &'a str {
    let bytes = &files.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no {name} in {:?}", files.iter().map(|f| f.0).collect::<Vec<_>>())).1;
    std::str::from_utf8(bytes).unwrap()
}

/// Value of attribute `name` in a start tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'"))
}

/// Every `<td>` with a `data-when` attribute (shares and changes): (target, mode, locality, when) -> texts.
fn share_cells(html: &str) -> HashMap<(String, String, String, String), Vec<String>> {
    let mut out: HashMap<_, Vec<String>> = HashMap::new();
    let mut rest = html;
    while let Some(p) = rest.find("<td class=\"") {
        let cell = &rest[p..];
        let close = cell.find('>').unwrap();
        let tag = &cell[..close];
        let end = cell.find("</td>").unwrap();
        if let Some(when) = attr(tag, "data-when") {
            let text = cell[close + 1..end].to_string();
            let key = (attr(tag, "data-target").unwrap(), attr(tag, "data-mode").unwrap(), attr(tag, "data-locality").unwrap(), when);
            out.entry(key).or_default().push(text);
        }
        rest = &cell[end..];
    }
    out
}

/// The text of the count cell of a journey summary.
fn summary_cell(html: &str, group: &str, value: &str, mode: &str, col: &str) -> Option<String> {
    let key = format!("data-group=\"{group}\" data-value=\"{value}\" data-mode=\"{mode}\" data-col=\"{col}\">");
    let p = html.find(&key)? + key.len();
    let end = html[p..].find("</td>")? + p;
    Some(html[p..end].to_string())
}

/// Asserts the page is self-contained, its elements balanced and its SVG blocks well-formed XML; returns the number of SVG blocks.
fn assert_self_contained(html: &str) -> usize {
    assert!(html.starts_with("<!DOCTYPE html>"), "not an HTML page");
    for banned in ["http", "src=", "<script", "url(", "@import", "<link", "<img", "<iframe"] {
        assert!(!html.contains(banned), "the report holds '{banned}'");
    }
    assert_balanced_html(html);
    let opens = html.matches("<svg").count();
    assert_eq!(opens, html.matches("</svg>").count(), "every <svg has its </svg>");
    let mut rest = html;
    let mut blocks = 0;
    while let Some(p) = rest.find("<svg") {
        let end = rest[p..].find("</svg>").unwrap() + p + "</svg>".len();
        assert_well_formed(&rest[p..end]);
        blocks += 1;
        rest = &rest[end..];
    }
    assert_eq!(blocks, opens);
    blocks
}

/// Every element the page opens is closed, in order (void elements and `/>` aside).
fn assert_balanced_html(html: &str) {
    const VOID: [&str; 6] = ["meta", "br", "hr", "img", "input", "link"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(p) = rest.find('<') {
        let end = rest[p..].find('>').expect("a tag is closed") + p;
        let tag = &rest[p + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name.trim()), "mismatched </{name}>");
            continue;
        }
        let name = tag.split(|c: char| c.is_whitespace()).next().unwrap_or("").to_ascii_lowercase();
        if !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
}

fn assert_well_formed(xml: &str) {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut depth: i64 = 0;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("SVG is not well-formed at {}: {e}", r.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "unbalanced SVG");
}

fn parse_csv(bytes: &[u8]) -> Vec<HashMap<String, String>> {
    let mut rd = csv::Reader::from_reader(bytes);
    let head: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    rd.records().map(|r| head.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect()).collect()
}

fn demo_paths() -> Option<(PathBuf, PathBuf)> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/demo/scenarios");
    let (b, h) = (d.join("baseline.toml"), d.join("hlc-model.toml"));
    (b.exists() && h.exists()).then_some((b, h))
}

/// The comparison report shows every before/after share of `coverage_compare_csv`
/// for any HLC (every locality) and each service (whole region). Returns the number checked.
fn check_comparison_figures(f: &Fixture, html: &str) -> usize {
    let r = &f.study.region;
    let csv = coverage_compare_csv(r, &f.study.scenario, &f.proposed, &f.comparison);
    let cells = share_cells(html);
    let mut checked = 0;
    for row in parse_csv(&csv) {
        let (target, mode, loc) = (&row["target"], &row["mode"], &row["locality"]);
        if target != "any-hlc" && loc != "All" {
            continue;
        }
        for (when, col) in [("after", "share_after_pct"), ("before", "share_before_pct")] {
            if when == "before" && target != "any-hlc" {
                continue; // the table by service shows after and the change
            }
            let key = (target.clone(), mode.clone(), loc.clone(), when.to_string());
            let texts = cells.get(&key).unwrap_or_else(|| panic!("no cell for {key:?}"));
            for t in texts {
                assert_eq!(t.trim_end_matches('%'), row[col], "{key:?}");
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn evaluation_report_is_one_self_contained_file_with_the_csv_coverage() {
    let dir = fixture("eval");
    let study = Study::open(&dir.join("proposed.toml"), &accessplan::progress::Progress::new()).unwrap();
    let e = study.evaluate();
    let files = evaluation_outputs(&study, &e, true);
    let names: Vec<&str> = files.iter().map(|f| f.0).collect();
    for m in &e.modes {
        assert!(names.contains(&layers::zones_file_name(*m)), "{names:?}");
    }
    assert!(names.contains(&"catchments.geojson") && names.contains(&"report.html"), "{names:?}");
    assert_eq!(names.iter().filter(|n| n.ends_with(".html")).count(), 1, "one report file");
    let html = file(&files, "report.html");
    // Four modes: a curve and a map each.
    assert_eq!(assert_self_contained(html), 2 * e.modes.len());
    assert!(html.contains("Tier 1") && html.contains("Tier 2") && html.contains("Tier 3"), "the explainer names the tiers");
    assert!(html.contains("Report fixture &amp; &lt;test&gt;"), "text is escaped");

    // Every share in coverage.csv for the whole region and per locality of
    // any HLC, and for each service, is in the report.
    let cells = share_cells(html);
    let mut checked = 0;
    for row in parse_csv(&coverage_csv(&study.region, &study.scenario, &e)) {
        let (target, mode, loc) = (&row["target"], &row["mode"], &row["locality"]);
        if target != "any-hlc" && loc != "All" {
            continue;
        }
        let key = (target.clone(), mode.clone(), loc.clone(), "after".to_string());
        let texts = cells.get(&key).unwrap_or_else(|| panic!("no cell for {key:?}"));
        for t in texts {
            assert_eq!(t.trim_end_matches('%'), row["share_pct"], "{key:?}");
        }
        checked += 1;
    }
    // 4 modes x (3 any-HLC rows + 2 services).
    assert_eq!(checked, e.modes.len() * 5);
    // The Medway-shaped rows: the car off-peak share of any HLC within 4 minutes.
    let car = e.cover(&study.region, &study.scenario, Target::AnyHlc, Mode::CarOffpeak, None).unwrap();
    let key = ("any-hlc".to_string(), "car-offpeak".to_string(), "All".to_string(), "after".to_string());
    assert!(cells[&key].contains(&format!("{:.1}%", 100.0 * car.share())));
    assert!(car.share() > 0.0 && car.share() < 1.0, "the fixture's 4-minute threshold splits the zones: {}", car.share());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn comparison_report_shows_the_csv_coverage_before_and_after() {
    let dir = fixture("compare");
    let f = open(&dir, "baseline.toml", "proposed.toml");
    let files = comparison_outputs(&f.study, &f.proposed, &f.comparison, true);
    let html = file(&files, "report.html");
    assert_self_contained(html);
    // any HLC: 4 modes x 3 areas x before/after; services: 4 modes x 2 services.
    assert_eq!(check_comparison_figures(&f, html), 4 * 3 * 2 + 4 * 2);
    // The share of phlebotomy by car off peak rises when it moves into both HLCs.
    let cells = share_cells(html);
    let after = f.proposed.service("phlebotomy").unwrap();
    let a = f.comparison.proposed.cover(&f.study.region, &f.proposed, Target::Service(after), Mode::CarOffpeak, None).unwrap().share();
    let b = f.comparison.base.cover(&f.study.region, &f.study.scenario, Target::Service(0), Mode::CarOffpeak, None).unwrap().share();
    assert!(a > b, "{b} -> {a}");
    let change = &cells[&("phlebotomy".to_string(), "car-offpeak".to_string(), "All".to_string(), "change".to_string())][0];
    assert_eq!(change, &format!("{:+.1}", 100.0 * (a - b)));
    // What was compared, violations before and after, the worst losses and loads.
    assert!(html.contains("Services that move") && html.contains("Riverside Hospital"));
    assert!(html.contains("Tier-rule violations") && html.contains("(tier 1) is offered in West but not at its HLC"), "baseline violations listed");
    assert!(html.contains("The largest losses"));
    assert!(html.contains("Over capacity") || html.contains("No site is over its capacity"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn suppression_turns_a_count_of_three_into_less_than_five() {
    let dir = fixture("suppress");
    let f = open(&dir, "baseline.toml", "proposed.toml");
    // Hand therapy has a single contacts row of 3 contacts a year.
    let shown = comparison_outputs(&f.study, &f.proposed, &f.comparison, false);
    let hidden = comparison_outputs(&f.study, &f.proposed, &f.comparison, true);
    let (shown, hidden) = (file(&shown, "report.html"), file(&hidden, "report.html"));
    assert_eq!(summary_cell(shown, "service", "hand-therapy", "car-offpeak", "contacts").as_deref(), Some("3"));
    assert_eq!(summary_cell(hidden, "service", "hand-therapy", "car-offpeak", "contacts").as_deref(), Some("&lt;5"));
    assert_eq!(summary_cell(hidden, "tier", "3", "car-offpeak", "contacts").as_deref(), Some("&lt;5"));
    // The minutes saved a year would give the count away, so they go too.
    assert_eq!(summary_cell(hidden, "service", "hand-therapy", "car-offpeak", "saved_min_per_year").as_deref(), Some("–"));
    assert_ne!(summary_cell(shown, "service", "hand-therapy", "car-offpeak", "saved_min_per_year").as_deref(), Some("–"));
    // Large counts are untouched: phlebotomy has 16 rows of 10 to 20 plus 2.
    let total: f64 = f.study.contacts.iter().filter(|c| c.service == "phlebotomy").map(|c| c.contacts_per_year).sum();
    assert_eq!(summary_cell(hidden, "service", "phlebotomy", "car-offpeak", "contacts"), Some(format!("{total:.0}")));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn map_has_legend_scale_bar_north_arrow_and_credits() {
    let dir = fixture("map");
    let study = Study::open(&dir.join("proposed.toml"), &accessplan::progress::Progress::new()).unwrap();
    let e = study.evaluate();
    let r = &study.region;
    let car = e.mode_index(Mode::CarOffpeak).unwrap();
    let credits = default_credits(r);
    assert!(credits.contains("© OpenStreetMap contributors"), "{credits}");
    let spec = MapSpec {
        title: "Time to the nearest HLC <car>".into(),
        subtitle: "HLC model".into(),
        width_px: 800,
        height_px: 560,
        values: e.any_hlc[car].iter().map(|c| c.minutes()).collect(),
        scale: Scale::Sequential { max: 45.0, unit: "min".into() },
        legend_title: "Minutes to the nearest HLC".into(),
        highlight_sites: vec![(0, 1), (1, 3)],
        hlcs: e.hlcs.clone(),
        credits: credits.clone(),
        isochrone: None,
    };
    let svg = render_svg(r, study.sites(), &spec);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "a standalone SVG declares its namespace");
    assert_well_formed(&svg);
    for part in [
        "class=\"legend\"",
        ">Minutes to the nearest",
        "0–5 min",
        "45+ min",
        "no journey",
        "class=\"scale-bar\"",
        "class=\"north-arrow\"",
        ">N</text>",
        "class=\"credits\"",
        "Time to the nearest HLC &lt;car&gt;",
    ] {
        assert!(svg.contains(part), "map lacks {part}");
    }
    assert!(svg.contains(&format!(">{}</text>", credits.replace('&', "&amp;"))), "credits line");
    // The scale bar shows metric and imperial lengths.
    assert!(svg.contains(" m</text>") || svg.contains(" km</text>"));
    assert!(svg.contains(" mile</text>") || svg.contains(" miles</text>"));
    // 16 polygon zones as paths, the point zone as a circle, locality labels on top.
    let zones = &svg[svg.find("class=\"zones\"").unwrap()..svg.find("<path class=\"localities\"").unwrap()];
    assert_eq!(zones.matches("<path ").count(), 16);
    assert_eq!(zones.matches("<circle ").count(), 1);
    assert!(svg.contains(">West</text>") && svg.contains(">East</text>"));
    // Tier numbers inside highlighted markers; the planned HLC is hollow.
    assert!(svg.contains(">3</text>"));
    assert!(svg.contains("<title>East HLC (hlc, planned)</title>"));
    // A difference map uses the diverging scale, blue for quicker.
    let diff = MapSpec { values: vec![Some(-12.0); r.zones.len()], scale: Scale::Diverging { max_abs: 15.0 }, ..spec };
    let svg = render_svg(r, study.sites(), &diff);
    assert!(svg.contains("<g fill=\"#2166ac\">") && svg.contains("10+ min quicker") && svg.contains("little change"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn geojson_layers_have_one_feature_per_zone_with_the_expected_properties() {
    let dir = fixture("layers");
    let f = open(&dir, "baseline.toml", "proposed.toml");
    let r = &f.study.region;
    let c = &f.comparison;
    let files = comparison_outputs(&f.study, &f.proposed, c, true);
    let car = c.proposed.mode_index(Mode::CarOffpeak).unwrap();
    for m in &c.proposed.modes {
        let v: serde_json::Value = serde_json::from_str(file(&files, layers::zones_file_name(*m))).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["attribution"], "© OpenStreetMap contributors");
        let feats = v["features"].as_array().unwrap();
        assert_eq!(feats.len(), r.zones.len());
        for (z, ft) in feats.iter().enumerate() {
            let p = &ft["properties"];
            assert_eq!(p["zone_id"], r.zones[z].id.as_str());
            assert_eq!(p["population"].as_f64(), Some(r.zones[z].population));
            assert!(p["locality"].is_string());
            for s in ["any_hlc", "phlebotomy", "hand-therapy"] {
                for suffix in ["before_min", "after_min", "diff_min"] {
                    assert!(p.get(format!("{s}_{suffix}")).is_some(), "{s}_{suffix}");
                }
                if let (Some(b), Some(a), Some(d)) =
                    (p[format!("{s}_before_min")].as_f64(), p[format!("{s}_after_min")].as_f64(), p[format!("{s}_diff_min")].as_f64())
                {
                    assert!((d - (a - b)).abs() <= 0.1001, "{s}: {d} vs {a} - {b}");
                }
            }
            let geom = ft["geometry"]["type"].as_str().unwrap();
            assert_eq!(geom, if r.zones[z].polygons.is_empty() { "Point" } else { "Polygon" });
        }
        // Values agree with the evaluation, to 0.1 minute.
        if *m == Mode::CarOffpeak {
            let si = f.proposed.service("hand-therapy").unwrap();
            for (z, ft) in feats.iter().enumerate() {
                let want = c.proposed.choices[si][car][z].minutes().map(|x| (x * 10.0).round() / 10.0);
                assert_eq!(ft["properties"]["hand-therapy_after_min"].as_f64(), want);
            }
        }
    }
    // Coordinates have at most six decimals.
    let text = file(&files, "zones_car-offpeak.geojson");
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let x = v["features"][0]["geometry"]["coordinates"][0][1][0].as_f64().unwrap();
    assert!(((x * 1e6).round() - x * 1e6).abs() < 1e-6, "{x}");

    let catch: serde_json::Value = serde_json::from_str(file(&files, "catchments.geojson")).unwrap();
    let feats = catch["features"].as_array().unwrap();
    assert_eq!(feats.len(), r.zones.len());
    let si = f.proposed.service("phlebotomy").unwrap();
    for (z, ft) in feats.iter().enumerate() {
        let p = &ft["properties"];
        assert_eq!(p["mode"], "car-offpeak");
        let want = c.proposed.choices[si][car][z].site().map(|s| r.sites[s].id.clone());
        assert_eq!(p["phlebotomy_after_site"].as_str().map(str::to_string), want);
        assert!(p.get("phlebotomy_before_site").is_some() && p.get("any_hlc_after_site").is_some());
    }
    // The evaluation's layers carry one column per target.
    let e = f.study.evaluate();
    let ev = evaluation_outputs(&f.study, &e, true);
    let v: serde_json::Value = serde_json::from_str(file(&ev, "zones_walk.geojson")).unwrap();
    let p = &v["features"][0]["properties"];
    assert!(p.get("any_hlc_min").is_some() && p.get("phlebotomy_min").is_some() && p.get("hand-therapy_min").is_some());
    let v: serde_json::Value = serde_json::from_str(file(&ev, "catchments.geojson")).unwrap();
    assert!(v["features"][0]["properties"].get("phlebotomy_site").is_some());
    if let Some(keep) = std::env::var_os("ACCESSPLAN_KEEP_REPORT") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        for (name, bytes) in &files {
            std::fs::write(keep.join(format!("fixture-{name}")), bytes).unwrap();
        }
        for n in ["streets.osm", "zones.geojson", "localities.geojson", "sites.csv", "contacts.csv", "baseline.toml"] {
            eprintln!("fixture {n}: {} bytes", std::fs::metadata(f.dir.join(n)).unwrap().len());
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A layer opens in QGIS with its columns in the order written: the zone
/// first, then each service's before, after and difference side by side
/// (a JSON parser here would sort them, so the text is read).
#[test]
fn geojson_layers_keep_their_columns_in_order() {
    let dir = fixture("layer-order");
    let f = open(&dir, "baseline.toml", "proposed.toml");
    let files = comparison_outputs(&f.study, &f.proposed, &f.comparison, true);
    let text = file(&files, "zones_car-offpeak.geojson");
    let first = &text[..text.find("\"geometry\"").unwrap()];
    let keys = ["zone_id", "locality", "population", "any_hlc_before_min", "any_hlc_after_min", "any_hlc_diff_min", "phlebotomy_before_min"];
    let at: Vec<usize> = keys.iter().map(|k| first.find(&format!("\"{k}\":")).unwrap_or_else(|| panic!("{k} in {first}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{keys:?} at {at:?}: {first}");
    let text = file(&files, "catchments.geojson");
    let first = &text[..text.find("\"geometry\"").unwrap()];
    let at: Vec<usize> = ["zone_id", "mode", "any_hlc_before_site", "any_hlc_after_site"].iter().map(|k| first.find(&format!("\"{k}\":")).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{first}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn demo_comparison_report_matches_its_csv() {
    let Some((base, hlc)) = demo_paths() else {
        eprintln!("skipping: the demo scenarios are not there");
        return;
    };
    let f = open(base.parent().unwrap(), base.file_name().unwrap().to_str().unwrap(), hlc.file_name().unwrap().to_str().unwrap());
    let files = comparison_outputs(&f.study, &f.proposed, &f.comparison, true);
    let html = file(&files, "report.html");
    assert_self_contained(html);
    let n_loc = f.study.region.localities.len();
    let n_modes = f.comparison.proposed.modes.len();
    assert_eq!(check_comparison_figures(&f, html), n_modes * (n_loc + 1) * 2 + n_modes * f.proposed.services.len());
    assert!(html.len() < 2_500_000, "the report stays small enough to email: {} bytes", html.len());
    // The demo loads its bus timetable: the largest losses come with their bus journeys.
    assert!(html.contains("By bus, for the largest losses") && html.contains("on Tuesday 2026-01-06"));
    assert_eq!(html.matches("<pre class=\"itinerary\">").count(), 3);
    for (name, bytes) in &files {
        eprintln!("demo {name}: {} bytes", bytes.len());
    }
    if let Some(dir) = std::env::var_os("ACCESSPLAN_KEEP_REPORT") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        let e = f.study.evaluate();
        for (name, bytes) in evaluation_outputs(&f.study, &e, true) {
            std::fs::write(dir.join(format!("eval-{name}")), bytes).unwrap();
        }
    }
}

#[test]
fn report_names_the_speed_profile_and_calibration_with_speeds_per_class() {
    let dir = fixture("speeds");
    let study = Study::open(&dir.join("proposed.toml"), &accessplan::progress::Progress::new()).unwrap();
    let html = file(&evaluation_outputs(&study, &study.evaluate(), true), "report.html").to_string();
    // The built-in profile, with its version line, and the speeds of each class.
    let p = accessplan::network::Profile::default();
    let version = p.version.clone().unwrap_or_default();
    assert!(html.contains("<th>Car speed profile</th><td>built-in profile (") && html.contains(&version), "the report names the profile");
    assert!(html.contains("Car speeds by street class"));
    let row = |class: &str, calibrated: &str, c: &accessplan::network::profile::ClassSpeeds| {
        format!(
            "<tr><td>{class}{calibrated}</td><td class=\"n\">{:.0}</td><td class=\"n\">{:.0}</td><td class=\"n\">{:.0}</td></tr>",
            c.legal_kmh, c.offpeak_kmh, c.peak_kmh
        )
    };
    let table = p.car_speed_table();
    let primary = table.iter().find(|c| c.class == "primary").unwrap();
    assert!(html.contains(&row("primary", "", primary)), "untagged primary row");
    assert!(html.contains("<tr><td>residential</td><td class=\"n\">48</td><td class=\"n\">25</td>"), "untagged residential row");

    // A calibration table named in the scenario's [inputs]: the report names it
    // and marks the class it changed.
    write(&dir, "local-speeds.csv", "class,period,speed_kmh\nprimary,peak,20\n");
    let text = std::fs::read_to_string(dir.join("proposed.toml")).unwrap().replace("[inputs]\n", "[inputs]\nspeed_calibration = \"local-speeds.csv\"\n");
    write(&dir, "calibrated.toml", &text);
    let study = Study::open(&dir.join("calibrated.toml"), &accessplan::progress::Progress::new()).unwrap();
    let html = file(&evaluation_outputs(&study, &study.evaluate(), true), "report.html").to_string();
    assert!(html.contains("calibrated by ") && html.contains("local-speeds.csv (1 class-period override)"), "the report names the calibration");
    let calibrated = study.region.profile.car_speed_table();
    let primary = calibrated.iter().find(|c| c.class == "primary").unwrap();
    assert_eq!(primary.peak_kmh, 20.0);
    assert!(html.contains(&row("primary", " (calibrated)", primary)));
    // The car network uses it: the fixture's primary road takes its peak time at 20 km/h.
    let car = study.region.networks.iter().find(|n| n.mode == accessplan::network::StreetMode::Car).unwrap();
    let k = car.classes.iter().position(|c| c == "primary").unwrap() as u16;
    for s in car.streets.iter().filter(|s| s.class == k) {
        let ms = s.forward_ms.unwrap()[accessplan::network::Period::Peak.index()] as f64;
        assert!((ms - s.length_m / (20.0 / 3.6) * 1000.0).abs() <= 0.5, "{ms}");
    }

    // A bad row: the error names the file, the line and the field.
    write(&dir, "local-speeds.csv", "class,period,speed_kmh\nprimary,peak,20\nprimary,rush,20\n");
    let e = Study::open(&dir.join("calibrated.toml"), &accessplan::progress::Progress::new()).map(|_| ()).unwrap_err().to_string();
    assert!(e.contains("local-speeds.csv: line 3, field 'period'"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cumulative_charts_have_axes_with_ticks_units_and_a_legend() {
    let dir = fixture("curves");
    let study = Study::open(&dir.join("proposed.toml"), &accessplan::progress::Progress::new()).unwrap();
    let e = study.evaluate();
    let files = evaluation_outputs(&study, &e, true);
    let html = file(&files, "report.html");
    let charts: Vec<&str> = html.split("<svg class=\"curve\"").skip(1).map(|c| &c[..c.find("</svg>").unwrap()]).collect();
    assert_eq!(charts.len(), e.modes.len(), "one chart a mode");
    for c in charts {
        // Minutes labelled every 10 from 0 to 90, ticked every 5.
        let x_ticks = &c[c.find("class=\"x-ticks\"").unwrap()..];
        let x_ticks = &x_ticks[..x_ticks.find("</g>").unwrap()];
        let labels: Vec<&str> = x_ticks.split("</text>").filter_map(|t| t.rsplit('>').next()).filter(|t| !t.is_empty()).collect();
        assert_eq!(labels, ["0", "10", "20", "30", "40", "50", "60", "70", "80", "90"]);
        let y_ticks = &c[c.find("class=\"y-ticks\"").unwrap()..];
        let y_ticks = &y_ticks[..y_ticks.find("</g>").unwrap()];
        let labels: Vec<&str> = y_ticks.split("</text>").filter_map(|t| t.rsplit('>').next()).filter(|t| !t.is_empty()).collect();
        assert_eq!(labels, ["0%", "20%", "40%", "60%", "80%", "100%"]);
        // 19 minute ticks and 11 share ticks.
        assert_eq!(c.matches("v5\"/>").count() + c.matches("v3\"/>").count(), 19);
        assert_eq!(c.matches("h5\"/>").count() + c.matches("h3\"/>").count(), 11);
        // Units on both axes, and the legend's lines.
        assert!(c.contains(">Travel time, door to door (minutes)</text>") && c.contains(">% of residents within</text>"));
        assert!(c.contains(">Nearest HLC</text>") && c.contains(">HLC model</text>"), "legend");
    }
    std::fs::remove_dir_all(&dir).ok();
}
