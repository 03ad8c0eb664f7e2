//! The maps' context layers (issue 16): what reading them costs when the
//! OSM extract loads, against the same read without them in the same run
//! (interleaved, median of several runs), what they hold, and what drawing
//! them adds to an exported map. `cargo bench --bench context`.

use std::path::PathBuf;
use std::sync::Arc;

use accessplan::export::map_svg::{MapSpec, default_credits, render_svg};
use accessplan::export::style::Scale;
use accessplan::input::osm::OsmData;
use accessplan::input::osm::context::{ContextLayer, ContextLayers};
use accessplan::region::Region;

mod common;

/// Median seconds of `runs` reads of `path` without and with the context,
/// interleaved so both meet the same machine load.
fn reads(path: &std::path::Path, runs: usize) -> (f64, f64, OsmData) {
    let (mut plain, mut with) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let t = std::time::Instant::now();
        let _ = std::hint::black_box(OsmData::load(path).expect("the extract loads"));
        plain.push(t.elapsed().as_secs_f64());
        let t = std::time::Instant::now();
        last = Some(OsmData::load_with_context(path).expect("the extract loads"));
        with.push(t.elapsed().as_secs_f64());
    }
    (common::median(plain), common::median(with), last.expect("runs > 0"))
}

/// Points held by the layers and their approximate size in memory.
fn size(c: &ContextLayers) -> (usize, usize) {
    let pts = c.areas.iter().flat_map(|a| &a.rings).map(Vec::len).sum::<usize>() + c.lines.iter().map(|l| l.points.len()).sum::<usize>() + c.points.len();
    let names = c.areas.iter().map(|a| a.name.len()).sum::<usize>()
        + c.lines.iter().map(|l| l.name.len()).sum::<usize>()
        + c.points.iter().map(|p| p.name.len()).sum::<usize>();
    (pts, pts * 8 + names + (c.areas.len() + c.lines.len() + c.points.len()) * 64)
}

fn spec(region: &Region) -> MapSpec {
    MapSpec {
        title: "Travel time".into(),
        subtitle: "bench".into(),
        width_px: 1754,
        height_px: 1240,
        values: vec![Some(12.0); region.zones.len()],
        scale: Scale::minutes(),
        legend_title: "Minutes".into(),
        highlight_sites: Vec::new(),
        hlcs: Vec::new(),
        credits: default_credits(region),
        isochrone: None,
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![("demo region.osm (XML)", root.join("maps/demo/region.osm"))];
    files.extend(accessplan::testdata::shared_file("newport/newport-2023-06-13.osm.pbf").map(|p| ("Newport PBF", p)));
    println!("## reading the extract, without and with the context layers (median of 7, interleaved)");
    for (name, path) in &files {
        let (plain, with, osm) = reads(path, 7);
        let c = &osm.context;
        let counts: Vec<String> = ContextLayer::ALL.iter().map(|&l| format!("{} {}", l.name(), c.count(l))).collect();
        let (pts, bytes) = size(c);
        println!(
            "{name}: {:.1} ms without, {:.1} ms with (+{:.1}%); {}; {pts} points, about {:.0} kB",
            plain * 1000.0,
            with * 1000.0,
            (with / plain - 1.0) * 100.0,
            counts.join(", "),
            bytes as f64 / 1000.0
        );
    }
    if let Some(inputs) = accessplan::testdata::newport_inputs() {
        println!("## the Newport map (1754 x 1240), without and with the context layers (median of 5)");
        let region = Region::load(&inputs).expect("Newport loads");
        let mut bare = region.clone();
        bare.context = Arc::new(ContextLayers::default());
        let s = spec(&region);
        let (t0, svg0) = common::time(5, || render_svg(&bare, &bare.sites, &s));
        let (t1, svg1) = common::time(5, || render_svg(&region, &region.sites, &s));
        println!("SVG: {:.1} ms, {} kB without; {:.1} ms, {} kB with", t0 * 1000.0, svg0.len() / 1000, t1 * 1000.0, svg1.len() / 1000);
        let (p0, _) = common::time(3, || accessplan::export::map_png::svg_to_png(&svg0, 1754, 1240).expect("a PNG"));
        let (p1, _) = common::time(3, || accessplan::export::map_png::svg_to_png(&svg1, 1754, 1240).expect("a PNG"));
        println!("PNG: {:.1} ms without, {:.1} ms with", p0 * 1000.0, p1 * 1000.0);
    }
}
