//! The maps' context layers read from the OSM extract itself: the Newport
//! PBF holds the River Usk, the railway through Newport station and place
//! names such as Maindee (not Caerleon: it lies outside this central-Newport
//! cut), and each layer shows in the exported map; the
//! demo's synthetic extract holds one river. Labels (localities, places,
//! stations) never overlap each other nor cover a site marker.

use std::collections::BTreeMap;
use std::path::PathBuf;

use accessplan::export::map_svg::{MapSpec, context_label_boxes, default_credits, render_svg};
use accessplan::export::style::Scale;
use accessplan::input::osm::OsmData;
use accessplan::input::osm::context::{ContextLayer, ContextLayers, LineKind, PlaceRank};
use accessplan::region::Region;
use accessplan::testdata::{newport_inputs, shared_file};

fn counts(c: &ContextLayers) -> BTreeMap<&'static str, usize> {
    ContextLayer::ALL.iter().map(|&l| (l.name(), c.count(l))).collect()
}

/// Elements per context group of an SVG map (`<g class="context-NAME" ...>`).
fn svg_counts(svg: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (i, _) in svg.match_indices(r#"<g class="context-"#) {
        let rest = &svg[i + 18..];
        let name = rest[..rest.find('"').unwrap()].to_string();
        let body = &rest[..rest.find("</g>").unwrap()];
        let n = body.matches("<path").count() + body.matches("<circle").count() + body.matches("<text").count();
        out.insert(name, n);
    }
    out
}

fn spec(region: &Region, w: u32, h: u32) -> MapSpec {
    MapSpec {
        title: "Travel time".into(),
        subtitle: "context test".into(),
        width_px: w,
        height_px: h,
        values: vec![Some(12.0); region.zones.len()],
        scale: Scale::minutes(),
        legend_title: "Minutes".into(),
        highlight_sites: Vec::new(),
        hlcs: Vec::new(),
        credits: default_credits(region),
        isochrone: None,
    }
}

/// No two labels overlap and no label covers a site marker.
fn assert_labels_clear(region: &Region, spec: &MapSpec) -> Vec<String> {
    let (labels, markers) = context_label_boxes(region, &region.sites, spec);
    for (i, (a, ba)) in labels.iter().enumerate() {
        for (b, bb) in &labels[i + 1..] {
            assert!(!ba.overlaps(bb), "labels {a} {ba:?} and {b} {bb:?} overlap");
        }
        for m in &markers {
            assert!(!ba.overlaps(m), "label {a} {ba:?} covers a site marker {m:?}");
        }
    }
    labels.into_iter().map(|(t, _)| t).collect()
}

#[test]
fn the_newport_extract_holds_the_usk_the_railway_and_its_suburbs() {
    let Some(pbf) = shared_file("newport/newport-2023-06-13.osm.pbf") else { return };
    let osm = OsmData::load_with_context(&pbf).unwrap();
    let c = &osm.context;
    eprintln!("newport extract: {:?}", counts(c));
    let rivers: Vec<&str> = c.lines.iter().filter(|l| l.kind == LineKind::River).map(|l| l.name.as_str()).collect();
    eprintln!("rivers: {rivers:?}");
    let stations: Vec<&str> = c.points.iter().filter(|p| p.rank.is_none()).map(|p| p.name.as_str()).collect();
    eprintln!("stations: {stations:?}");
    let towns: Vec<(&str, PlaceRank)> = c.points.iter().filter_map(|p| Some((p.name.as_str(), p.rank?))).filter(|p| p.1 <= PlaceRank::Suburb).collect();
    eprintln!("towns: {towns:?}");
    let water_areas: Vec<&str> =
        c.areas.iter().filter(|a| a.kind == accessplan::input::osm::context::AreaKind::Water).map(|a| a.name.as_str()).filter(|n| !n.is_empty()).collect();
    eprintln!("named water areas: {water_areas:?}");
    let expected = [("built-up", 192), ("parks", 779), ("places", 35), ("railways", 154), ("stations", 3), ("water", 464)];
    assert_eq!(counts(c), expected.into_iter().collect::<BTreeMap<_, _>>());
    assert_eq!(rivers.iter().filter(|n| **n == "River Usk").count(), 7, "the Usk, in 7 ways");
    assert!(rivers.contains(&"Ebbw River") && rivers.contains(&"Monmouthshire Canal"));
    let mut stations = stations;
    stations.sort_unstable();
    assert_eq!(stations, ["Newport", "Pye Corner", "Rogerstone"]);
    assert_eq!(towns.first(), Some(&("Newport", PlaceRank::City)));
    for suburb in ["Maindee", "Pillgwenlly", "St. Woolos", "Liswerry"] {
        assert!(towns.contains(&(suburb, PlaceRank::Suburb)), "{suburb}");
    }
    // The extract is central Newport: Caerleon, 5 km up the Usk, is not in it.
    assert!(!c.points.iter().any(|p| p.name == "Caerleon"));
    for lake in ["Tredegar House Lake", "South Dock", "Liswerry Pond"] {
        assert!(water_areas.contains(&lake), "{lake}");
    }
    // Read without the context, the extract is the same otherwise.
    let plain = OsmData::load(&pbf).unwrap();
    assert!(plain.context.is_empty());
    assert_eq!((plain.ways.len(), plain.nodes.len()), (osm.ways.len(), osm.nodes.len()));
}

#[test]
fn every_context_layer_shows_in_the_newport_map_and_labels_keep_clear() {
    let Some(inputs) = newport_inputs() else { return };
    let region = Region::load(&inputs).unwrap();
    eprintln!("newport region: {:?}", counts(&region.context));
    let spec = spec(&region, 1754, 1240);
    let svg = render_svg(&region, &region.sites, &spec);
    eprintln!("newport svg: {:?}, {} bytes", svg_counts(&svg), svg.len());
    let labels = assert_labels_clear(&region, &spec);
    eprintln!("labels: {labels:?}");
    // The central-Newport extract lies within the 10 km margin: nothing is cut.
    let expected = [("built-up", 192), ("parks", 779), ("places", 35), ("railways", 154), ("stations", 3), ("water", 464)];
    assert_eq!(counts(&region.context), expected.into_iter().collect::<BTreeMap<_, _>>());
    // Every feature lies in the map's frame and is drawn; labels are placed
    // where they fit (the 35 places and 3 stations compete for room).
    let drawn = svg_counts(&svg);
    for (layer, n) in expected.into_iter().filter(|(l, _)| *l != "places") {
        assert_eq!(drawn.get(layer), Some(&n), "{layer}");
    }
    assert_eq!(drawn.get("places"), Some(&labels.len()));
    assert!((20..=38).contains(&labels.len()), "{} labels", labels.len());
    for name in ["Newport", "Maindee", "Pillgwenlly", "Bassaleg"] {
        assert!(labels.iter().any(|l| l == name), "{name} is labelled");
    }
    assert!(svg.contains("Street network and map background © OpenStreetMap contributors."));
    if std::env::var_os("ACCESSPLAN_KEEP_MAPS").is_some() {
        let png = accessplan::export::map_png::render_png(&region, &region.sites, &spec).unwrap();
        std::fs::write(std::env::temp_dir().join("ctx-newport.png"), png).unwrap();
        std::fs::write(std::env::temp_dir().join("ctx-newport.svg"), &svg).unwrap();
    }
}

#[test]
fn the_demo_map_shows_its_river() {
    let region = Region::load(&Region::demo_inputs(&PathBuf::from(env!("CARGO_MANIFEST_DIR")))).unwrap();
    eprintln!("demo region: {:?}", counts(&region.context));
    let spec = spec(&region, 1200, 800);
    let svg = render_svg(&region, &region.sites, &spec);
    eprintln!("demo svg: {:?}", svg_counts(&svg));
    // The synthetic extract holds one river and nothing else of the context.
    let expected = [("built-up", 0), ("parks", 0), ("places", 0), ("railways", 0), ("stations", 0), ("water", 1)];
    assert_eq!(counts(&region.context), expected.into_iter().collect::<BTreeMap<_, _>>());
    assert_eq!(svg_counts(&svg), [("water".to_string(), 1)].into_iter().collect::<BTreeMap<_, _>>());
    assert_eq!(region.context.lines[0].kind, LineKind::River);
    assert!(svg.contains(">water</text>"), "the legend keys the water");
    // The only labels are the six localities' names, all placed.
    let mut labels = assert_labels_clear(&region, &spec);
    labels.sort();
    assert_eq!(labels, ["Ashby Vale", "Eastbrook", "Kingsbridge", "Millford", "Northgate", "Westholm"]);
    if std::env::var_os("ACCESSPLAN_KEEP_MAPS").is_some() {
        let png = accessplan::export::map_png::render_png(&region, &region.sites, &spec).unwrap();
        std::fs::write(std::env::temp_dir().join("ctx-demo.png"), png).unwrap();
    }
}
