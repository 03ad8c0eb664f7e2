//! Draws an isochrone as a PNG (streets in grey, the bands filled with
//! transparency, a legend in minutes, a scale bar and the credit), to look
//! at the bands and for the README:
//!
//! ```text
//! cargo run --release --example isochrone_png -- OSM LON,LAT car|walk|cycle OUT.png [CREDIT]
//! ```

use std::fmt::Write as _;

use accessplan::geom::LonLat;
use accessplan::input::osm::OsmData;
use accessplan::network::{Network, Period, Profile, StreetMode};
use accessplan::progress::Progress;
use accessplan::travel::isochrone::isochrone;

const COLOURS: [&str; 5] = ["#1a9850", "#91cf60", "#d9ef8b", "#fc8d59", "#d73027"];
const MINUTES: [f64; 5] = [5.0, 10.0, 15.0, 20.0, 30.0];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [osm, at, mode, out, rest @ ..] = &args[..] else {
        return Err("usage: isochrone_png OSM LON,LAT car|walk|cycle OUT.png [CREDIT]".into());
    };
    let credit = rest.first().map_or("Street data © OpenStreetMap contributors", String::as_str);
    let (lon, lat) = at.split_once(',').ok_or("LON,LAT")?;
    let at = LonLat::new(lon.parse()?, lat.parse()?);
    let mode: StreetMode = mode.parse()?;
    let osm_path = std::path::PathBuf::from(osm);
    let osm = OsmData::load(&osm_path)?;
    let net = Network::build(&osm, mode, &Profile::default());
    let iso = isochrone(&net, Period::Offpeak, at, &MINUTES, 1000.0, 50.0, &Progress::new())?;
    // The frame: the bands' extent plus a margin, in the network's metres.
    let proj = &net.projection;
    let xy: Vec<[f64; 2]> =
        iso.bands.iter().flat_map(|b| b.area.0.iter().flat_map(|p| p.exterior().coords().map(|c| proj.to_xy(LonLat::new(c.x, c.y))))).collect();
    let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for p in &xy {
        (x0, y0, x1, y1) = (x0.min(p[0]), y0.min(p[1]), x1.max(p[0]), y1.max(p[1]));
    }
    let margin = 0.04 * (x1 - x0).max(y1 - y0);
    let (x0, y0, x1, y1) = (x0 - margin, y0 - margin, x1 + margin, y1 + margin);
    let width = 900.0;
    let k = width / (x1 - x0);
    let height = ((y1 - y0) * k).round();
    let sx = |p: [f64; 2]| ((p[0] - x0) * k, (y1 - p[1]) * k);
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Ubuntu, sans-serif"><rect width="100%" height="100%" fill="#f4f1ea"/>"##
    );
    // Streets.
    svg.push_str(r##"<path fill="none" stroke="#9a9a9a" stroke-width="0.6" d=""##);
    for shape in net.shapes.iter() {
        let pts: Vec<(f64, f64)> = shape.iter().map(|q| sx(proj.to_xy(*q))).collect();
        if pts.iter().all(|(x, y)| *x < 0.0 || *y < 0.0 || *x > width || *y > height) {
            continue;
        }
        for (i, (x, y)) in pts.iter().enumerate() {
            let _ = write!(svg, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
        }
    }
    svg.push_str(r#""/>"#);
    // Bands, farthest first, each with its holes (even-odd).
    for (i, b) in iso.bands.iter().enumerate().rev() {
        let mut d = String::new();
        for p in &b.area.0 {
            for r in std::iter::once(p.exterior()).chain(p.interiors()) {
                for (j, c) in r.coords().enumerate() {
                    let (x, y) = sx(proj.to_xy(LonLat::new(c.x, c.y)));
                    let _ = write!(d, "{}{x:.1} {y:.1}", if j == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
        }
        let _ = write!(
            svg,
            r##"<path d="{d}" fill="{}" fill-opacity="0.55" fill-rule="evenodd" stroke="#333333" stroke-opacity="0.7" stroke-width="1"/>"##,
            COLOURS[i]
        );
    }
    let (ox, oy) = sx(proj.to_xy(at));
    let _ = write!(svg, r##"<circle cx="{ox:.1}" cy="{oy:.1}" r="5" fill="#ffffff" stroke="#111111" stroke-width="2.5"/>"##);
    // Legend.
    let _ = write!(
        svg,
        r##"<rect x="12" y="12" width="170" height="{}" rx="6" fill="#ffffff" fill-opacity="0.9"/><text x="22" y="32" font-size="14" font-weight="700">{}</text>"##,
        34 + 20 * iso.bands.len(),
        match mode {
            StreetMode::Car => "By car, off-peak",
            StreetMode::Walk => "Walking",
            StreetMode::Cycle => "Cycling",
        }
    );
    for (i, b) in iso.bands.iter().enumerate() {
        let y = 44 + 20 * i;
        let _ = write!(
            svg,
            r##"<rect x="22" y="{y}" width="24" height="14" fill="{}" fill-opacity="0.7" stroke="#333333"/><text x="54" y="{}" font-size="13">{}-{} min ({:.1} km²)</text>"##,
            COLOURS[i],
            y + 12,
            b.from_min,
            b.to_min,
            b.area_km2
        );
    }
    // Scale bar (2 km) and credit.
    let bar = 2000.0 * k;
    let _ = write!(
        svg,
        r##"<path d="M{:.1} {:.1}h{bar:.1}" stroke="#111111" stroke-width="3"/><text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle">2 km</text><text x="10" y="{:.1}" font-size="12" fill="#333333">{credit}</text></svg>"##,
        width - 20.0 - bar,
        height - 20.0,
        width - 20.0 - bar / 2.0,
        height - 26.0,
        height - 10.0
    );
    let png = accessplan::export::map_png::svg_to_png(&svg, width as u32, height as u32)?;
    accessplan::fileio::write_atomic(std::path::Path::new(out), &png, &[osm_path])?;
    println!("{out}: {} bands, {:?} (polygons, holes)", iso.bands.len(), iso.bands.iter().map(|b| (b.polygons, b.holes)).collect::<Vec<_>>());
    Ok(())
}
