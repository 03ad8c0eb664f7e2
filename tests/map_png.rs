//! The engine draws a map as PNG without the app: on the demo region the
//! image decodes, has the requested size, and its zones show the style's
//! class colours and no-journey grey.

use std::collections::HashMap;
use std::path::PathBuf;

use accessplan::export::map_png::render_png;
use accessplan::export::map_svg::{MapSpec, default_credits};
use accessplan::export::style::{self, Rgb, Scale};
use accessplan::plan::scenario::default_hlcs;
use accessplan::region::Region;
use resvg::tiny_skia::Pixmap;

/// Pixels of each colour in a PNG of `width` x `height`.
fn colours(png: &[u8], width: u32, height: u32) -> HashMap<Rgb, usize> {
    let img = Pixmap::decode_png(png).expect("a decodable PNG");
    assert_eq!((img.width(), img.height()), (width, height));
    let mut count = HashMap::new();
    for p in img.pixels() {
        assert_eq!(p.alpha(), 255, "opaque: drawn on white");
        *count.entry([p.red(), p.green(), p.blue()]).or_insert(0) += 1;
    }
    count
}

#[test]
fn a_png_map_of_the_demo_region_has_the_requested_size_and_the_style_colours() {
    let region = Region::load(&Region::demo_inputs(&PathBuf::from(env!("CARGO_MANIFEST_DIR")))).unwrap();
    let n = region.zones.len();
    // Zones in turn get a change in each class of the difference scale, or none.
    let samples = [Some(-20.0), Some(-7.0), Some(-3.0), Some(0.5), Some(3.0), Some(7.0), Some(20.0), None];
    let spec = MapSpec {
        title: "Change in travel time".into(),
        subtitle: "Demo".into(),
        width_px: 1200,
        height_px: 800,
        values: (0..n).map(|i| samples[i % samples.len()]).collect(),
        scale: Scale::change(),
        legend_title: "Change in minutes".into(),
        highlight_sites: Vec::new(),
        hlcs: default_hlcs(&region, &region.sites).into_iter().flatten().collect(),
        credits: default_credits(&region),
        isochrone: None,
    };
    let count = colours(&render_png(&region, &region.sites, &spec).unwrap(), 1200, 800);
    // Every class colour and the grey fill whole zones: far more pixels than a legend swatch.
    for (rgb, label) in Scale::change().legend() {
        let c = count.get(&rgb).copied().unwrap_or(0);
        assert!(c > 20_000, "{label} ({}): {c} pixels", style::hex(rgb));
    }

    // Another size, the time scale: the zones are all 12 minutes (10-15 class).
    let spec = MapSpec { width_px: 900, height_px: 620, values: vec![Some(12.0); n], scale: Scale::minutes(), ..spec };
    let count = colours(&render_png(&region, &region.sites, &spec).unwrap(), 900, 620);
    let fill = Scale::minutes().colour(Some(12.0));
    assert_eq!(fill, style::SEQUENTIAL[2]);
    let most = count.iter().filter(|(c, _)| **c != [0xff, 0xff, 0xff]).max_by_key(|(_, k)| **k).map(|(c, _)| *c);
    assert_eq!(most, Some(fill), "the zones' colour is the most common after the white");
}
