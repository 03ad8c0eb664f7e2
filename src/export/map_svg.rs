//! Static maps as SVG: zones shaded by a value (minutes, or a change in
//! minutes) in the classes and colours of `style`, locality boundaries with
//! labels, sites by role and status (markers of `style`), a legend, a scale bar (kilometres and
//! miles), a north arrow, a title and a credits line. Under the data, quietly,
//! the context layers of the OSM extract (`Region::context`): built-up land
//! and parks beneath the zones (which then let a sixth of them through);
//! water, railways and stations over the zone
//! colours but beneath boundaries and sites; place names placed greedily
//! clear of each other and of site markers ([`crate::export::labels`]); over
//! the zones, when given, an isochrone's bands, see-through, with their own
//! legend (the app exports the one it shows). The HTML report embeds
//! these maps, `map_png` rasterises them, and the desktop app exports them;
//! the app's own map colours zones with the same `style::Scale`.
//!
//! Positions are projected with an equirectangular projection scaled by the
//! cosine of the mid-latitude and fitted to the drawing box. Output is kept
//! compact: coordinates are rounded to a tenth of a pixel and written as
//! relative path steps.

use std::fmt::Write as _;

use crate::export::labels::{LabelBox, LabelRequest, PlacedLabel, place_labels};
use crate::export::style::{FONT_STACK, MarkerShape, Scale, SiteMarker, SiteState, hex, site_marker};
use crate::geom::{EARTH_RADIUS_M, LonLat};
use crate::input::osm::context::{AreaKind, ContextLayer, LineKind, PlaceRank, Pos, pos_lonlat};
use crate::model::{Site, SiteStatus};
use crate::region::Region;

/// A site's marker centred at (`x`, `y`), `u` pixels to the style's unit,
/// with `inner` (a `<title>`, or nothing) inside.
fn marker(k: &SiteMarker, x: f64, y: f64, u: f64, inner: &str) -> String {
    let (fill, stroke, sw) = (hex(k.fill), hex(k.stroke), f1(k.stroke_width * u));
    let opacity = if k.opacity < 1.0 { format!(r#" opacity="{}""#, k.opacity) } else { String::new() };
    let r = k.size * u;
    match k.shape {
        MarkerShape::Circle => {
            format!(r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"{opacity}>{inner}</circle>"#, f1(x), f1(y), f1(r))
        }
        MarkerShape::Square => format!(
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"{opacity}>{inner}</rect>"#,
            f1(x - r),
            f1(y - r),
            f1(2.0 * r),
            f1(2.0 * r)
        ),
    }
}

/// Escapes text for XML and HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

/// What to draw on one map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapSpec {
    /// Title at the top.
    pub title: String,
    /// A line under the title (scenario, mode, what the colours show).
    pub subtitle: String,
    /// Width of the drawing, pixels.
    pub width_px: u32,
    /// Height of the drawing, pixels.
    pub height_px: u32,
    /// One value per zone (minutes or a change in minutes); `None` is grey.
    pub values: Vec<Option<f64>>,
    /// How values become colours.
    pub scale: Scale,
    /// Heading of the legend.
    pub legend_title: String,
    /// Sites to emphasise, with a tier number to print inside (0: none).
    pub highlight_sites: Vec<(usize, u8)>,
    /// The scenario's Healthy Living Centres (drawn as HLCs): [`crate::plan::Scenario::hlc_sites`].
    pub hlcs: Vec<usize>,
    /// Data credits printed at the bottom, e.g. "© OpenStreetMap contributors".
    pub credits: String,
    /// An isochrone drawn over the zones (the app's last one), if any.
    pub isochrone: Option<IsochroneLayer>,
}

/// An isochrone as a map draws it: a legend title, where it starts, and
/// each band (nearest first) with its legend label and its rings (outlines
/// and holes, lon/lat).
#[derive(Debug, Clone, PartialEq)]
pub struct IsochroneLayer {
    /// Legend heading, e.g. "Isochrone: car off-peak".
    pub title: String,
    /// Where it starts.
    pub origin: LonLat,
    /// Label ("0-5 min") and rings of each band, nearest first.
    pub bands: Vec<(String, Vec<Vec<LonLat>>)>,
}

impl IsochroneLayer {
    /// The layer of `iso`, headed `title`.
    pub fn of(iso: &crate::travel::isochrone::Isochrone, title: &str) -> IsochroneLayer {
        let ring = |r: &geo::LineString<f64>| r.coords().map(|c| LonLat::new(c.x, c.y)).collect::<Vec<_>>();
        let bands = iso
            .bands
            .iter()
            .map(|b| {
                let rings = b.area.0.iter().flat_map(|p| std::iter::once(ring(p.exterior())).chain(p.interiors().iter().map(ring))).collect();
                (format!("{}-{} min", b.from_min, b.to_min), rings)
            })
            .collect();
        IsochroneLayer { title: title.to_string(), origin: iso.origin, bands }
    }
}

/// The usual credits line of a region's maps: OpenStreetMap when its street
/// network was used, and the zone and site files by name.
pub fn default_credits(region: &Region) -> String {
    let mut parts = Vec::new();
    if region.uses_osm && !region.context.is_empty() {
        parts.push("Street network and map background © OpenStreetMap contributors".to_string());
    } else if region.uses_osm {
        parts.push("Street network © OpenStreetMap contributors".to_string());
    }
    let name = |p: &std::path::Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    parts.push(format!("Zones and population: {}", name(&region.inputs.zones)));
    // Zones coded as ONS areas (E00..., W01...) are ONS boundaries, which carry OS data.
    let ons = |id: &str| id.len() == 9 && id.starts_with(['E', 'W', 'S', 'N']) && id[1..].bytes().all(|b| b.is_ascii_digit());
    if region.zones.first().is_some_and(|z| ons(&z.id)) {
        parts.push("Boundaries: ONS, contains OS data © Crown copyright and database right".to_string());
    }
    let sources: Vec<String> = region
        .inputs
        .sites
        .iter()
        .map(|s| match s {
            crate::region::SitesInput::File(p) => name(p),
            crate::region::SitesInput::Osm(_) => "OpenStreetMap".to_string(),
        })
        .collect();
    if !sources.is_empty() {
        parts.push(format!("Sites: {}", sources.join(", ")));
    }
    parts.join(". ") + "."
}

/// A standalone SVG document of the map of `region` with `sites` (the
/// study's; `spec`'s site indices are into it), with its namespace, ready
/// to save as a `.svg` file or to rasterise.
pub fn render_svg(region: &Region, sites: &[Site], spec: &MapSpec) -> String {
    render(region, sites, spec, true)
}

/// The same map for embedding in an HTML page (no namespace declaration, so
/// the page holds no web address at all).
pub fn render_svg_inline(region: &Region, sites: &[Site], spec: &MapSpec) -> String {
    render(region, sites, spec, false)
}

/// Fitting of lon/lat into a pixel box.
struct Frame {
    lon_c: f64,
    lat_c: f64,
    kx: f64,
    k: f64,
    cx: f64,
    cy: f64,
}

impl Frame {
    fn fit(points: &[LonLat], x0: f64, y0: f64, x1: f64, y1: f64) -> Frame {
        let (mut a, mut b, mut c, mut d) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
        for p in points.iter().filter(|p| p.is_valid()) {
            a = a.min(p.lon);
            b = b.min(p.lat);
            c = c.max(p.lon);
            d = d.max(p.lat);
        }
        if !a.is_finite() {
            (a, b, c, d) = (-0.01, -0.01, 0.01, 0.01);
        }
        let lat_c = (b + d) / 2.0;
        let lon_c = (a + c) / 2.0;
        let kx = lat_c.to_radians().cos().max(0.01);
        let pw = ((c - a) * kx).max(1e-4);
        let ph = (d - b).max(1e-4);
        let k = ((x1 - x0) / pw).min((y1 - y0) / ph);
        Frame { lon_c, lat_c, kx, k, cx: (x0 + x1) / 2.0, cy: (y0 + y1) / 2.0 }
    }
    /// Pixel position, in tenths of a pixel.
    fn tenths(&self, p: LonLat) -> (i64, i64) {
        let x = self.cx + (p.lon - self.lon_c) * self.kx * self.k;
        let y = self.cy - (p.lat - self.lat_c) * self.k;
        ((x * 10.0).round() as i64, (y * 10.0).round() as i64)
    }
    fn xy(&self, p: LonLat) -> (f64, f64) {
        let (x, y) = self.tenths(p);
        (x as f64 / 10.0, y as f64 / 10.0)
    }
    fn metres_per_px(&self) -> f64 {
        EARTH_RADIUS_M * std::f64::consts::PI / 180.0 / self.k
    }
}

/// Tenths of a pixel as SVG number text.
fn t10(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    if a.is_multiple_of(10) { format!("{sign}{}", a / 10) } else { format!("{sign}{}.{}", a / 10, a % 10) }
}

/// Appends a number to path data, with a space unless the sign separates it.
fn push_num(d: &mut String, v: i64, first: bool) {
    if !first && v >= 0 {
        d.push(' ');
    }
    d.push_str(&t10(v));
}

/// Path data of closed rings: absolute move, then relative steps.
fn rings_path(frame: &Frame, rings: &[Vec<LonLat>]) -> String {
    let mut d = String::new();
    for ring in rings {
        let pts: Vec<(i64, i64)> = ring.iter().filter(|p| p.is_valid()).map(|p| frame.tenths(*p)).collect();
        if pts.len() < 3 {
            continue;
        }
        let (mut px, mut py) = pts[0];
        d.push('M');
        push_num(&mut d, px, true);
        push_num(&mut d, py, false);
        let mut started = false;
        for &(x, y) in &pts[1..] {
            let (dx, dy) = (x - px, y - py);
            if dx == 0 && dy == 0 {
                continue;
            }
            if !started {
                d.push('l');
            }
            push_num(&mut d, dx, !started);
            push_num(&mut d, dy, false);
            started = true;
            (px, py) = (x, y);
        }
        d.push('z');
    }
    d
}

/// Signed area and centroid of a ring in projected pixels.
fn ring_centroid(frame: &Frame, ring: &[LonLat]) -> Option<(f64, f64, f64)> {
    let pts: Vec<(f64, f64)> = ring.iter().filter(|p| p.is_valid()).map(|p| frame.xy(*p)).collect();
    if pts.len() < 3 {
        return None;
    }
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for i in 0..pts.len() {
        let (x0, y0) = pts[i];
        let (x1, y1) = pts[(i + 1) % pts.len()];
        let cr = x0 * y1 - x1 * y0;
        a += cr;
        cx += (x0 + x1) * cr;
        cy += (y0 + y1) * cr;
    }
    if a.abs() < 1e-9 {
        let n = pts.len() as f64;
        return Some((0.0, pts.iter().map(|p| p.0).sum::<f64>() / n, pts.iter().map(|p| p.1).sum::<f64>() / n));
    }
    Some((a.abs() / 2.0, cx / (3.0 * a), cy / (3.0 * a)))
}

/// Largest "nice" length (1, 2, 2.5, 5 x 10^n) not above `x`.
fn nice_below(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [5.0, 2.5, 2.0, 1.0].iter().map(|m| m * p).find(|v| *v <= x * (1.0 + 1e-9)).unwrap_or(p)
}

fn f1(x: f64) -> String {
    t10((x * 10.0).round() as i64)
}

/// The drawing's geometry: size, unit, the map's box and its projection.
struct Layout {
    w: f64,
    h: f64,
    u: f64,
    pad: f64,
    legend_w: f64,
    mx0: f64,
    my0: f64,
    mx1: f64,
    my1: f64,
    frame: Frame,
}

fn layout(region: &Region, sites: &[Site], spec: &MapSpec) -> Layout {
    let w = spec.width_px.max(200) as f64;
    let h = spec.height_px.max(150) as f64;
    let u = (w.min(h) / 600.0).max(0.6);
    let header = 54.0 * u;
    let footer = 22.0 * u;
    let legend_w = 200.0 * u;
    let pad = 10.0 * u;
    let (mx0, my0, mx1, my1) = (pad, header, w - legend_w - pad, h - footer - pad * 0.5);

    let mut pts: Vec<LonLat> = Vec::new();
    for z in &region.zones {
        if z.polygons.is_empty() {
            pts.push(z.point);
        } else {
            pts.extend(z.polygons.iter().flatten().copied());
        }
    }
    pts.extend(region.localities.iter().flat_map(|l| l.polygons.iter().flatten().copied()));
    pts.extend(sites.iter().map(|s| s.point));
    let frame = Frame::fit(&pts, mx0 + 8.0 * u, my0 + 8.0 * u, mx1 - 8.0 * u, my1 - 8.0 * u);
    Layout { w, h, u, pad, legend_w, mx0, my0, mx1, my1, frame }
}

/// Where each locality's label goes (name, x, baseline y): at the centroid
/// of its largest ring, moved above or below when a site marker is there.
fn locality_label_spots<'a>(region: &'a Region, sites: &[Site], frame: &Frame, u: f64) -> Vec<(&'a str, f64, f64)> {
    let markers: Vec<(f64, f64)> = sites.iter().filter(|s| s.point.is_valid()).map(|s| frame.xy(s.point)).collect();
    let mut out = Vec::new();
    for l in &region.localities {
        let best = l.polygons.iter().filter_map(|r| ring_centroid(frame, r)).max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, x, y)) = best {
            // Keep the label clear of site markers: try above, then below.
            let half_w = 0.33 * 12.0 * u * l.name.chars().count() as f64 + 8.0 * u;
            let clear = |by: f64| markers.iter().all(|(mx, my)| (mx - x).abs() > half_w || *my < by - 19.0 * u || *my > by + 10.0 * u);
            let y = [0.0, -18.0, 20.0, -34.0, 36.0].iter().map(|d| y + 4.0 * u + d * u).find(|by| clear(*by)).unwrap_or(y + 4.0 * u);
            out.push((l.name.as_str(), x, y));
        }
    }
    out
}

/// The marker of site `i` as the map draws it.
fn site_marker_of(spec: &MapSpec, sites: &[Site], i: usize) -> SiteMarker {
    let offers = spec.highlight_sites.iter().any(|(s, _)| *s == i);
    site_marker(SiteState { hlc: spec.hlcs.contains(&i), offers, planned: sites[i].status == SiteStatus::Planned })
}

/// The labels of a map, placed: locality names first (bold), then place
/// names by rank, then station names; each clear of the others and of the
/// site and station markers, dropped where it fits nowhere. Returns the
/// requests, what was placed, and the markers' boxes.
fn context_labels_of(region: &Region, sites: &[Site], spec: &MapSpec, lay: &Layout) -> (Vec<LabelRequest>, Vec<PlacedLabel>, Vec<LabelBox>) {
    let (u, frame) = (lay.u, &lay.frame);
    let bounds = LabelBox { x0: lay.mx0 + 2.0 * u, y0: lay.my0 + 2.0 * u, x1: lay.mx1 - 2.0 * u, y1: lay.my1 - 2.0 * u };
    let mut obstacles: Vec<LabelBox> = Vec::new();
    for (i, s) in sites.iter().enumerate().filter(|(_, s)| s.point.is_valid()) {
        let (x, y) = frame.xy(s.point);
        let r = site_marker_of(spec, sites, i).size * u + 1.5 * u;
        obstacles.push(LabelBox::around(x, y, r, r));
    }
    // Locality names at their spot (a baseline: the request takes the middle).
    let mut requests: Vec<LabelRequest> = locality_label_spots(region, sites, frame, u)
        .into_iter()
        .map(|(name, x, y)| LabelRequest { text: name.to_string(), at: (x, y - 0.35 * 12.0 * u), font_px: 12.0 * u, priority: 0, on_point: true, bold: true })
        .collect();
    // A place a locality is named after is labelled once, by the locality.
    let localities: std::collections::HashSet<String> = region.localities.iter().map(|l| l.name.to_lowercase()).collect();
    for p in region.context.points.iter().filter(|p| p.rank.is_none() || !localities.contains(&p.name.to_lowercase())) {
        let (x, y) = frame.xy(pos_lonlat(p.point));
        if !(bounds.x0..=bounds.x1).contains(&x) || !(bounds.y0..=bounds.y1).contains(&y) {
            continue;
        }
        let (font_px, priority, on_point) = match p.rank {
            Some(PlaceRank::City) => (13.0, 10, true),
            Some(PlaceRank::Town) => (12.0, 11, true),
            Some(PlaceRank::Suburb) => (10.5, 12, true),
            Some(PlaceRank::Village) => (10.5, 13, true),
            Some(PlaceRank::Neighbourhood) => (9.0, 14, true),
            None => {
                obstacles.push(LabelBox::around(x, y, 3.5 * u, 3.5 * u));
                (9.0, 15, false)
            }
        };
        requests.push(LabelRequest { text: p.name.clone(), at: (x, y), font_px: font_px * u, priority, on_point, bold: false });
    }
    let placed = place_labels(&requests, &obstacles, bounds);
    (requests, placed, obstacles)
}

/// The context labels a map draws, as (text, box in pixels), and the boxes
/// of the site markers on it: what tests check for overlaps.
pub fn context_label_boxes(region: &Region, sites: &[Site], spec: &MapSpec) -> (Vec<(String, LabelBox)>, Vec<LabelBox>) {
    let lay = layout(region, sites, spec);
    let (requests, placed, _) = context_labels_of(region, sites, spec, &lay);
    let markers = sites
        .iter()
        .enumerate()
        .filter(|(_, s)| s.point.is_valid())
        .map(|(i, s)| {
            let (x, y) = lay.frame.xy(s.point);
            let r = site_marker_of(spec, sites, i).size * lay.u;
            LabelBox::around(x, y, r, r)
        })
        .collect();
    (placed.into_iter().map(|p| (requests[p.request].text.clone(), p.bbox)).collect(), markers)
}

/// Appends the path data of a line (or, `closed`, a ring) of compact
/// positions to `d`; false when it has fewer than two points.
fn pos_path(frame: &Frame, pts: &[Pos], closed: bool, d: &mut String) -> bool {
    let px: Vec<(i64, i64)> = pts.iter().map(|p| frame.tenths(pos_lonlat(*p))).collect();
    if px.len() < 2 {
        return false;
    }
    let (mut px0, mut py0) = px[0];
    d.push('M');
    push_num(d, px0, true);
    push_num(d, py0, false);
    let mut started = false;
    for &(x, y) in &px[1..] {
        let (dx, dy) = (x - px0, y - py0);
        if dx == 0 && dy == 0 {
            continue;
        }
        if !started {
            d.push('l');
        }
        push_num(d, dx, !started);
        push_num(d, dy, false);
        started = true;
        (px0, py0) = (x, y);
    }
    if closed {
        d.push('z');
    }
    true
}

/// Whether any point of `pts` falls in the map's box (or the box's edges are crossed).
fn in_view(lay: &Layout, rings: &mut dyn Iterator<Item = &Pos>) -> bool {
    let (mut a, mut b, mut c, mut e) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for p in rings {
        let (x, y) = lay.frame.xy(pos_lonlat(*p));
        a = a.min(x);
        b = b.min(y);
        c = c.max(x);
        e = e.max(y);
    }
    a <= lay.mx1 && c >= lay.mx0 && b <= lay.my1 && e >= lay.my0
}

/// White over everything outside the map's box, and the box's outline
/// again: the context layers reach past the box, and the SVG clips them
/// without a clip path (its `url(#id)` reference would put an address in
/// the report).
fn context_mask(lay: &Layout) -> String {
    let (w, h, u) = (f1(lay.w), f1(lay.h), lay.u);
    let (x0, y0, x1, y1) = (f1(lay.mx0), f1(lay.my0), f1(lay.mx1), f1(lay.my1));
    format!(
        r##"<path class="context-mask" d="M0 0H{w}V{y0}H0zM0 {y1}H{w}V{h}H0zM0 {y0}H{x0}V{y1}H0zM{x1} {y0}H{w}V{y1}H{x1}z" fill="#ffffff"/><rect x="{x0}" y="{y0}" width="{}" height="{}" fill="none" stroke="#c8ccd0" stroke-width="{}"/>"##,
        f1(lay.mx1 - lay.mx0),
        f1(lay.my1 - lay.my0),
        f1(0.8 * u)
    )
}

/// The context layers drawn under (`under`: built-up land, parks) or over
/// (water, railways, stations) the zones: one `<g class="context-*">` per
/// layer holding one element per feature in view (what spills out of the
/// map's box is covered by [`context_mask`]).
fn context_svg(region: &Region, lay: &Layout, under: bool, out: &mut String) {
    let mut o = String::new();
    let ctx = &region.context;
    let u = lay.u;
    let layers: &[ContextLayer] =
        if under { &[ContextLayer::BuiltUp, ContextLayer::Parks] } else { &[ContextLayer::Water, ContextLayer::Railways, ContextLayer::Stations] };
    for &layer in layers {
        let mut body = String::new();
        let area = |kind: AreaKind, fill: &str, opacity: &str, body: &mut String| {
            for a in ctx.areas.iter().filter(|a| a.kind == kind && in_view(lay, &mut a.rings.iter().flatten())) {
                let mut d = String::new();
                for r in &a.rings {
                    pos_path(&lay.frame, r, true, &mut d);
                }
                let _ = write!(body, r#"<path d="{d}" fill="{fill}" fill-rule="evenodd" stroke="none"{opacity}/>"#);
            }
        };
        match layer {
            ContextLayer::BuiltUp => area(AreaKind::BuiltUp, "#e6e3de", "", &mut body),
            ContextLayer::Parks => area(AreaKind::Park, "#d9eacf", "", &mut body),
            ContextLayer::Water => {
                area(AreaKind::Water, "#9fc6e7", r#" fill-opacity="0.85""#, &mut body);
                for l in ctx.lines.iter().filter(|l| l.kind != LineKind::Railway && in_view(lay, &mut l.points.iter())) {
                    let sw = match l.kind {
                        LineKind::River => 2.4,
                        LineKind::Stream => 0.9,
                        _ => 1.2,
                    };
                    let mut d = String::new();
                    pos_path(&lay.frame, &l.points, false, &mut d);
                    let _ = write!(body, r#"<path d="{d}" stroke-width="{}"/>"#, f1(sw * u));
                }
            }
            ContextLayer::Railways => {
                for l in ctx.lines.iter().filter(|l| l.kind == LineKind::Railway && in_view(lay, &mut l.points.iter())) {
                    let mut d = String::new();
                    pos_path(&lay.frame, &l.points, false, &mut d);
                    let _ = write!(body, r#"<path d="{d}"/>"#);
                }
            }
            ContextLayer::Stations => {
                for p in ctx.points.iter().filter(|p| p.rank.is_none() && in_view(lay, &mut std::iter::once(&p.point))) {
                    let (x, y) = lay.frame.xy(pos_lonlat(p.point));
                    let _ = write!(body, r#"<circle cx="{}" cy="{}" r="{}"><title>{}</title></circle>"#, f1(x), f1(y), f1(2.6 * u), esc(&p.name));
                }
            }
            ContextLayer::Places => {}
        }
        if body.is_empty() {
            continue;
        }
        let style = match layer {
            ContextLayer::Water => r##" fill="none" stroke="#8dbbe0" stroke-linecap="round" stroke-linejoin="round" stroke-opacity="0.9""##.to_string(),
            ContextLayer::Railways => format!(
                r##" fill="none" stroke="#6b6b6b" stroke-width="{}" stroke-dasharray="{} {}" stroke-linejoin="round""##,
                f1(1.4 * u),
                f1(6.0 * u),
                f1(2.0 * u)
            ),
            ContextLayer::Stations => format!(r##" fill="#ffffff" stroke="#555555" stroke-width="{}""##, f1(1.1 * u)),
            _ => r#" fill-rule="evenodd" stroke="none""#.to_string(),
        };
        // Water areas keep their own fill inside the group's no-fill default.
        let _ = write!(o, r#"<g class="context-{}"{style}>{body}</g>"#, layer.name());
    }
    out.push_str(&o);
}

fn render(region: &Region, sites: &[Site], spec: &MapSpec, standalone: bool) -> String {
    let lay = layout(region, sites, spec);
    let Layout { w, h, u, pad, legend_w, mx0, my0, mx1, my1, .. } = lay;
    let frame = &lay.frame;

    let mut o = String::with_capacity(64 * 1024);
    let ns = if standalone { r#" xmlns="http://www.w3.org/2000/svg""# } else { "" };
    let _ = write!(
        o,
        r#"<svg{ns} class="map" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{}" font-family="{}">"#,
        esc(&spec.title),
        esc(FONT_STACK)
    );
    let _ = write!(o, "<title>{}</title>", esc(&spec.title));
    let _ = write!(o, r##"<rect width="{w}" height="{h}" fill="#ffffff"/>"##);
    let _ = write!(
        o,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#f4f6f8" stroke="#c8ccd0" stroke-width="{}"/>"##,
        f1(mx0),
        f1(my0),
        f1(mx1 - mx0),
        f1(my1 - my0),
        f1(0.8 * u)
    );
    context_svg(region, &lay, true, &mut o);

    // Zones, grouped by class so each colour is written once; the last group
    // is the no-value grey (the legend's last entry).
    let legend = spec.scale.legend();
    let n_cls = legend.len() - 1;
    let mut groups: Vec<String> = vec![String::new(); n_cls + 1];
    for (zi, z) in region.zones.iter().enumerate() {
        let v = spec.values.get(zi).copied().flatten();
        let ci = spec.scale.class_of(v).unwrap_or(n_cls);
        let g = &mut groups[ci];
        if z.polygons.is_empty() {
            if z.point.is_valid() {
                let (x, y) = frame.xy(z.point);
                let _ = write!(g, r#"<circle cx="{}" cy="{}" r="{}"/>"#, f1(x), f1(y), f1(3.0 * u));
            }
        } else {
            let d = rings_path(frame, &z.polygons);
            if !d.is_empty() {
                let _ = write!(g, r#"<path d="{d}"/>"#);
            }
        }
    }
    // Over built-up land and parks the zones let a little of them through.
    let under = o.contains(r#"<g class="context-built-up""#) || o.contains(r#"<g class="context-parks""#);
    let see_through = if under { r#" fill-opacity="0.84""# } else { "" };
    let _ = write!(o, r##"<g class="zones" stroke="#ffffff" stroke-width="{}" stroke-opacity="0.55" stroke-linejoin="round"{see_through}>"##, f1(0.4 * u));
    for (ci, body) in groups.iter().enumerate() {
        if body.is_empty() {
            continue;
        }
        let _ = write!(o, r#"<g fill="{}">{body}</g>"#, hex(legend[ci].0));
    }
    o.push_str("</g>");
    // The isochrone's bands over the zones, see-through, nearest green.
    if let Some(iso) = &spec.isochrone {
        let _ = write!(o, r#"<g class="isochrone" fill-opacity="0.55" fill-rule="evenodd" stroke-width="{}" stroke-linejoin="round">"#, f1(0.9 * u));
        for (i, (_, rings)) in iso.bands.iter().enumerate() {
            let d = rings_path(frame, rings);
            if !d.is_empty() {
                let c = hex(crate::travel::isochrone::band_colour(i));
                let _ = write!(o, r#"<path d="{d}" fill="{c}" stroke="{c}"/>"#);
            }
        }
        if iso.origin.is_valid() {
            let (x, y) = frame.xy(iso.origin);
            let _ =
                write!(o, r##"<circle cx="{}" cy="{}" r="{}" fill="#111111" stroke="#ffffff" stroke-width="{}"/>"##, f1(x), f1(y), f1(4.0 * u), f1(1.5 * u));
        }
        o.push_str("</g>");
    }
    context_svg(region, &lay, false, &mut o);
    if o.contains(r#"<g class="context-"#) || spec.isochrone.is_some() {
        o.push_str(&context_mask(&lay));
    }

    // Every label placed at once: localities, places, stations.
    let (requests, placed, _) = context_labels_of(region, sites, spec, &lay);

    // Locality boundaries and labels.
    if !region.localities.is_empty() {
        let d: String = region.localities.iter().map(|l| rings_path(frame, &l.polygons)).collect();
        let _ = write!(o, r##"<path class="localities" d="{d}" fill="none" stroke="#1b1b1b" stroke-width="{}" stroke-linejoin="round"/>"##, f1(1.5 * u));
        let _ = write!(
            o,
            r##"<g class="locality-labels" font-size="{}" font-weight="600" fill="#111111" stroke="#ffffff" stroke-width="{}" paint-order="stroke" stroke-linejoin="round" text-anchor="middle">"##,
            f1(12.0 * u),
            f1(3.0 * u)
        );
        for p in placed.iter().filter(|p| requests[p.request].bold) {
            let _ = write!(o, r#"<text x="{}" y="{}">{}</text>"#, f1(p.x), f1(p.y), esc(&requests[p.request].text));
        }
        o.push_str("</g>");
    }

    // Place and station names, clear of each other and of the markers.
    if placed.iter().any(|p| !requests[p.request].bold) {
        let _ = write!(
            o,
            r##"<g class="context-places" fill="#4d4d4d" stroke="#ffffff" stroke-width="{}" stroke-opacity="0.9" paint-order="stroke" stroke-linejoin="round" text-anchor="middle">"##,
            f1(2.6 * u)
        );
        for p in placed.iter().filter(|p| !requests[p.request].bold) {
            let r = &requests[p.request];
            let _ = write!(o, r#"<text x="{}" y="{}" font-size="{}">{}</text>"#, f1(p.x), f1(p.y), f1(r.font_px), esc(&r.text));
        }
        o.push_str("</g>");
    }

    // Sites: others first (squares), then HLCs (circles) on top.
    let tier_of = |i: usize| spec.highlight_sites.iter().find(|(s, _)| *s == i).map(|(_, t)| *t);
    let mut order: Vec<usize> = (0..sites.len()).collect();
    order.sort_by_key(|&i| (spec.hlcs.contains(&i), tier_of(i).is_some()));
    o.push_str(r#"<g class="sites">"#);
    for i in order {
        let s = &sites[i];
        if !s.point.is_valid() {
            continue;
        }
        let (x, y) = frame.xy(s.point);
        let hl = tier_of(i);
        let planned = s.status == SiteStatus::Planned;
        let is_hlc = spec.hlcs.contains(&i);
        let k = site_marker(SiteState { hlc: is_hlc, offers: hl.is_some(), planned });
        let title = format!("<title>{} ({}, {})</title>", esc(&s.name), esc(&s.kind), if planned { "planned" } else { "existing" });
        o.push_str(&marker(&k, x, y, u, &title));
        if let Some(t) = hl.filter(|t| *t > 0) {
            let tf = hex(k.text);
            let fs = if is_hlc { 9.5 * u } else { 7.5 * u };
            let _ = write!(
                o,
                r#"<text x="{}" y="{}" font-size="{}" font-weight="700" fill="{tf}" text-anchor="middle">{t}</text>"#,
                f1(x),
                f1(y + fs * 0.36),
                f1(fs)
            );
        }
    }
    o.push_str("</g>");

    // Legend in the right-hand column.
    let legend_bottom = {
        let lx = w - legend_w;
        let mut y = my0;
        let row = 18.0 * u;
        let mut body = String::new();
        let title_lines = wrap(&spec.legend_title, 24);
        y += 16.0 * u;
        for line in &title_lines {
            let _ = write!(body, r#"<text x="{}" y="{}" font-size="{}" font-weight="700">{}</text>"#, f1(lx + 10.0 * u), f1(y), f1(11.5 * u), esc(line));
            y += 14.0 * u;
        }
        y += 2.0 * u;
        let swatch = |body: &mut String, y: f64, rgb: [u8; 3], label: &str| {
            let _ = write!(
                body,
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#888888" stroke-width="{}"/><text x="{}" y="{}" font-size="{}">{}</text>"##,
                f1(lx + 10.0 * u),
                f1(y),
                f1(20.0 * u),
                f1(13.0 * u),
                hex(rgb),
                f1(0.5 * u),
                f1(lx + 36.0 * u),
                f1(y + 10.5 * u),
                f1(10.5 * u),
                esc(label)
            );
        };
        for (rgb, label) in &legend {
            swatch(&mut body, y, *rgb, label);
            y += row;
        }
        y += 6.0 * u;
        let fs = f1(10.5 * u);
        let key = |body: &mut String, y: f64, shape: String, label: &str| {
            let _ = write!(body, r#"{shape}<text x="{}" y="{}" font-size="{fs}">{}</text>"#, f1(lx + 36.0 * u), f1(y + 4.0 * u), esc(label));
        };
        let cx = lx + 20.0 * u;
        for (hlc, planned, label) in [(true, false, "HLC, existing"), (true, true, "HLC, planned"), (false, false, "other site")] {
            key(&mut body, y, marker(&site_marker(SiteState { hlc, offers: true, planned }), cx, y, u, ""), label);
            y += row;
        }
        if !region.localities.is_empty() {
            key(
                &mut body,
                y,
                format!(r##"<path d="M{} {}H{}" stroke="#1b1b1b" stroke-width="{}"/>"##, f1(cx - 10.0 * u), f1(y), f1(cx + 10.0 * u), f1(1.5 * u)),
                "locality boundary",
            );
            y += row;
        }
        // The context layers shown, each with its key.
        let shown = |layer: ContextLayer| o.contains(&format!(r#"class="context-{}""#, layer.name()));
        let y0_keys = y;
        let area_key = |fill: &str| {
            format!(
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="#aaaaaa" stroke-width="{}"/>"##,
                f1(cx - 10.0 * u),
                f1(y - 5.0 * u),
                f1(20.0 * u),
                f1(10.0 * u),
                f1(0.4 * u)
            )
        };
        let mut context_keys: Vec<(String, &str)> = Vec::new();
        if shown(ContextLayer::Water) {
            context_keys.push((area_key("#9fc6e7"), "water"));
        }
        if shown(ContextLayer::Railways) {
            let dash = format!(
                r##"<path d="M{} {}H{}" stroke="#6b6b6b" stroke-width="{}" stroke-dasharray="{} {}"/>"##,
                f1(cx - 10.0 * u),
                f1(y),
                f1(cx + 10.0 * u),
                f1(1.4 * u),
                f1(6.0 * u),
                f1(2.0 * u)
            );
            context_keys.push((dash, if shown(ContextLayer::Stations) { "railway, station" } else { "railway" }));
        }
        if shown(ContextLayer::BuiltUp) {
            context_keys.push((area_key("#e6e3de"), "built-up area"));
        }
        if shown(ContextLayer::Parks) {
            context_keys.push((area_key("#d9eacf"), "park, green space"));
        }
        for (shape, label) in context_keys {
            // Each key's shape was drawn at the first key's height: move it down.
            let _ = write!(body, r#"<g transform="translate(0 {})">{shape}</g>"#, f1(y - y0_keys));
            let _ = write!(body, r#"<text x="{}" y="{}" font-size="{fs}">{}</text>"#, f1(lx + 36.0 * u), f1(y + 4.0 * u), esc(label));
            y += row;
        }
        if let Some(iso) = &spec.isochrone {
            y += 4.0 * u;
            for line in wrap(&iso.title, 28) {
                let _ = write!(
                    body,
                    r#"<text x="{}" y="{}" font-size="{}" font-weight="700">{}</text>"#,
                    f1(lx + 10.0 * u),
                    f1(y + 4.0 * u),
                    f1(10.5 * u),
                    esc(&line)
                );
                y += 14.0 * u;
            }
            for (i, (label, _)) in iso.bands.iter().enumerate() {
                swatch(&mut body, y - 6.0 * u, crate::travel::isochrone::band_colour(i), label);
                y += row;
            }
        }
        if spec.highlight_sites.iter().any(|(_, t)| *t > 0) {
            for line in wrap("Number in a marker: the highest tier offered there", 30) {
                let _ = write!(body, r#"<text x="{}" y="{}" font-size="{}">{}</text>"#, f1(lx + 10.0 * u), f1(y + 4.0 * u), f1(9.5 * u), esc(&line));
                y += 12.0 * u;
            }
        }
        let _ = write!(
            o,
            r##"<g class="legend" fill="#111111"><rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" stroke="#c8ccd0" stroke-width="{}"/>{body}</g>"##,
            f1(lx),
            f1(my0),
            f1(legend_w - pad),
            f1((y - my0 + 6.0 * u).max(40.0 * u)),
            f1(0.8 * u)
        );
        my0 + (y - my0 + 6.0 * u).max(40.0 * u)
    };

    // North arrow and scale bar under the legend when there is room there,
    // otherwise over the map's top-right and bottom-left corners.
    let in_column = legend_bottom + 110.0 * u <= my1;

    {
        let (ax, ay) = if in_column { (w - legend_w + 22.0 * u, legend_bottom + 18.0 * u) } else { (mx1 - 20.0 * u, my0 + 12.0 * u) };
        let _ = write!(
            o,
            r##"<g class="north-arrow"><rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="#ffffff" fill-opacity="0.85"/><path d="M{} {}L{} {}L{} {}L{} {}z" fill="#111111"/><text x="{}" y="{}" font-size="{}" font-weight="700" text-anchor="middle" fill="#111111">N</text></g>"##,
            f1(ax - 11.0 * u),
            f1(ay - 4.0 * u),
            f1(22.0 * u),
            f1(38.0 * u),
            f1(3.0 * u),
            f1(ax),
            f1(ay),
            f1(ax + 7.0 * u),
            f1(ay + 18.0 * u),
            f1(ax),
            f1(ay + 13.0 * u),
            f1(ax - 7.0 * u),
            f1(ay + 18.0 * u),
            f1(ax),
            f1(ay + 31.0 * u),
            f1(11.0 * u)
        );
    }

    // Scale bar: kilometres above, miles below.
    {
        let mpp = frame.metres_per_px();
        let target_px = if in_column { legend_w - pad - 80.0 * u } else { 0.22 * (mx1 - mx0) };
        let target_m = target_px * mpp;
        let km = nice_below(target_m / 1000.0);
        let mi = nice_below(target_m / crate::analysis::METRES_PER_MILE);
        let km_px = km * 1000.0 / mpp;
        let mi_px = mi * crate::analysis::METRES_PER_MILE / mpp;
        let len = |x: f64| format!("{x:.2}").trim_end_matches('0').trim_end_matches('.').to_string();
        let km_label = if km < 1.0 { format!("{} m", len(km * 1000.0)) } else { format!("{} km", len(km)) };
        let mi_label = format!("{} {}", len(mi), if (mi - 1.0).abs() < 1e-9 { "mile" } else { "miles" });
        let (sx, sy) = if in_column { (w - legend_w + 8.0 * u, my1 - 34.0 * u) } else { (mx0 + 10.0 * u, my1 - 34.0 * u) };
        let label_w = 6.5 * u * km_label.chars().count().max(mi_label.chars().count()) as f64;
        let wbox = km_px.max(mi_px) + label_w + 18.0 * u;
        let bar = |len: f64, y: f64| format!("M{} {}V{}H{}V{}", f1(sx), f1(y - 6.0 * u), f1(y), f1(sx + len), f1(y - 6.0 * u));
        let _ = write!(
            o,
            r##"<g class="scale-bar" font-size="{fs}" fill="#111111"><rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="#ffffff" fill-opacity="0.85"/><path d="{}{}" fill="none" stroke="#111111" stroke-width="{}"/><text x="{}" y="{}">{}</text><text x="{}" y="{}">{}</text></g>"##,
            f1(sx - 6.0 * u),
            f1(sy - 6.0 * u),
            f1(wbox),
            f1(36.0 * u),
            f1(3.0 * u),
            bar(km_px, sy + 8.0 * u),
            bar(mi_px, sy + 23.0 * u),
            f1(1.5 * u),
            f1(sx + km_px + 5.0 * u),
            f1(sy + 9.0 * u),
            esc(&km_label),
            f1(sx + mi_px + 5.0 * u),
            f1(sy + 24.0 * u),
            esc(&mi_label),
            fs = f1(10.0 * u)
        );
    }

    // Title, subtitle and credits.
    let _ = write!(
        o,
        r##"<text class="title" x="{}" y="{}" font-size="{}" font-weight="700" fill="#111111">{}</text>"##,
        f1(pad),
        f1(22.0 * u),
        f1(18.0 * u),
        esc(&spec.title)
    );
    let _ = write!(
        o,
        r##"<text class="subtitle" x="{}" y="{}" font-size="{}" fill="#333333">{}</text>"##,
        f1(pad),
        f1(41.0 * u),
        f1(12.0 * u),
        esc(&spec.subtitle)
    );
    let _ = write!(
        o,
        r##"<text class="credits" x="{}" y="{}" font-size="{}" fill="#444444">{}</text>"##,
        f1(pad),
        f1(h - 7.0 * u),
        // A long credits line is set smaller so it fits the width.
        f1((9.5 * u).min((w - 2.0 * pad) / (0.5 * spec.credits.chars().count().max(1) as f64))),
        esc(&spec.credits)
    );
    o.push_str("</svg>");
    o
}

/// Splits text into lines of at most about `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_steps_are_relative_and_exact() {
        let f = Frame { lon_c: 0.0, lat_c: 0.0, kx: 1.0, k: 10.0, cx: 0.0, cy: 0.0 };
        let ring = vec![LonLat::new(0.0, 0.0), LonLat::new(1.0, 0.0), LonLat::new(1.0, 1.0), LonLat::new(0.0, 0.0)];
        assert_eq!(rings_path(&f, &[ring]), "M0 0l10 0 0-10-10 10z");
        assert_eq!(t10(-5), "-0.5");
        assert_eq!(nice_below(3.7), 2.5);
        assert_eq!(nice_below(0.8), 0.5);
    }
}
