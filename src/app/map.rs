//! The map panel: zones shaded by travel time, locality outlines, streets by
//! class, sites by tier and status, isochrone bands; pan (drag, arrow keys),
//! zoom (wheel, +/-, pinch), zoom to extent, a legend and a scale bar.
//! Geometry is projected and triangulated once per study (`MapGeometry`);
//! each frame only recolours and transforms it.

use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Vec2, epaint::Mesh};

use accessplan::geom::{Extent, LocalProjection, LonLat};
use accessplan::region::Region;

use super::palette;

/// A polygon ring in metres, with its bounding box.
#[derive(Debug, Clone)]
pub struct Ring {
    /// Points, metres east/north.
    pub pts: Vec<[f64; 2]>,
    /// Bounding box: min x, min y, max x, max y.
    pub bbox: [f64; 4],
}

impl Ring {
    fn new(pts: Vec<[f64; 2]>) -> Ring {
        let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for p in &pts {
            b = [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])];
        }
        Ring { pts, bbox: b }
    }
    /// Whether a point lies inside (even-odd rule).
    pub fn contains(&self, q: [f64; 2]) -> bool {
        if q[0] < self.bbox[0] || q[0] > self.bbox[2] || q[1] < self.bbox[1] || q[1] > self.bbox[3] {
            return false;
        }
        let mut inside = false;
        let n = self.pts.len();
        let mut j = n.wrapping_sub(1);
        for i in 0..n {
            let (a, b) = (self.pts[i], self.pts[j]);
            if (a[1] > q[1]) != (b[1] > q[1]) && q[0] < (b[0] - a[0]) * (q[1] - a[1]) / (b[1] - a[1]) + a[0] {
                inside = !inside;
            }
            j = i;
        }
        inside
    }
}

/// A zone ready to draw: rings and a triangulation.
#[derive(Debug, Clone)]
pub struct ZoneShape {
    /// Outer rings.
    pub rings: Vec<Ring>,
    /// Triangles as index triples into the concatenated ring points.
    pub triangles: Vec<u32>,
}

/// A street polyline in metres with its class rank (0 = motorway .. 4 = path).
#[derive(Debug, Clone)]
pub struct StreetLine {
    /// Points, metres.
    pub pts: Vec<[f64; 2]>,
    /// Drawing rank.
    pub rank: u8,
}

/// Everything the map draws, projected once.
#[derive(Debug, Clone)]
pub struct MapGeometry {
    /// The projection.
    pub proj: LocalProjection,
    /// Extent of the zones and sites, metres: min x, min y, max x, max y.
    pub extent: [f64; 4],
    /// Zones.
    pub zones: Vec<ZoneShape>,
    /// Locality outlines and label positions.
    pub localities: Vec<(String, Vec<Vec<[f64; 2]>>, [f64; 2])>,
    /// Streets.
    pub streets: Vec<StreetLine>,
    /// Sites, metres.
    pub sites: Vec<[f64; 2]>,
    /// Bus stops, metres.
    pub bus_stops: Vec<[f64; 2]>,
    /// Bus routes as stop-to-stop polylines, metres.
    pub bus_lines: Vec<Vec<[f64; 2]>>,
}

fn rank_of(class: &str) -> u8 {
    match class {
        "motorway" | "motorway_link" | "trunk" | "trunk_link" => 0,
        "primary" | "primary_link" | "secondary" | "secondary_link" => 1,
        "tertiary" | "tertiary_link" | "unclassified" => 2,
        "residential" | "living_street" | "service" | "road" => 3,
        _ => 4,
    }
}

impl MapGeometry {
    /// Projects and triangulates a region (and its bus network, when given).
    pub fn of(region: &Region, timetable: Option<&accessplan::transit::Timetable>) -> MapGeometry {
        let pts = region.zones.iter().flat_map(|z| z.polygons.iter().flatten().copied().chain(std::iter::once(z.point))).chain(region.sites.iter().map(|s| s.point));
        let ext = Extent::of(pts).unwrap_or(Extent { min: LonLat::new(0.0, 0.0), max: LonLat::new(0.01, 0.01) });
        let proj = LocalProjection::new(ext.centre());
        let xy = |p: &LonLat| proj.to_xy(*p);
        let (a, b) = (proj.to_xy(ext.min), proj.to_xy(ext.max));
        let zones = region
            .zones
            .iter()
            .map(|z| {
                let mut rings = Vec::new();
                let mut triangles = Vec::new();
                let mut base = 0u32;
                for poly in &z.polygons {
                    let mut ring: Vec<[f64; 2]> = poly.iter().map(xy).collect();
                    if ring.len() > 1 && ring.first() == ring.last() {
                        ring.pop();
                    }
                    let flat: Vec<f64> = ring.iter().flat_map(|p| [p[0], p[1]]).collect();
                    if let Ok(t) = earcutr::earcut(&flat, &[], 2) {
                        triangles.extend(t.into_iter().map(|i| base + i as u32));
                    }
                    base += ring.len() as u32;
                    rings.push(Ring::new(ring));
                }
                ZoneShape { rings, triangles }
            })
            .collect();
        let localities = region
            .localities
            .iter()
            .map(|l| {
                let rings: Vec<Vec<[f64; 2]>> = l.polygons.iter().map(|r| r.iter().map(xy).collect()).collect();
                // Label at the centre of the largest ring's box.
                let label = rings
                    .iter()
                    .max_by_key(|r| r.len())
                    .map(|r| {
                        let rr = Ring::new(r.clone());
                        [(rr.bbox[0] + rr.bbox[2]) / 2.0, (rr.bbox[1] + rr.bbox[3]) / 2.0]
                    })
                    .unwrap_or([0.0, 0.0]);
                (l.name.clone(), rings, label)
            })
            .collect();
        let mut streets = Vec::new();
        if let Some(car) = region.network(accessplan::network::StreetMode::Car) {
            for s in &car.streets {
                streets.push(StreetLine { pts: s.points.iter().map(xy).collect(), rank: rank_of(&car.classes[s.class as usize]) });
            }
        }
        if let Some(walk) = region.network(accessplan::network::StreetMode::Walk) {
            for s in &walk.streets {
                let r = rank_of(&walk.classes[s.class as usize]);
                if r == 4 {
                    streets.push(StreetLine { pts: s.points.iter().map(xy).collect(), rank: 4 });
                }
            }
        }
        streets.sort_by_key(|s| std::cmp::Reverse(s.rank));
        let (mut bus_stops, mut bus_lines) = (Vec::new(), Vec::new());
        if let Some(tt) = timetable {
            bus_stops = tt.stops.iter().map(|s| xy(&s.point)).collect();
            for p in &tt.patterns {
                let ids = &tt.pattern_stops[p.stops_at as usize..(p.stops_at + p.n_stops) as usize];
                bus_lines.push(ids.iter().filter_map(|&i| bus_stops.get(i as usize).copied()).collect());
            }
        }
        MapGeometry { proj, extent: [a[0], a[1], b[0], b[1]], zones, localities, streets, sites: region.sites.iter().map(|s| xy(&s.point)).collect(), bus_stops, bus_lines }
    }

    /// The zone under a point (metres), if any.
    pub fn zone_at(&self, q: [f64; 2]) -> Option<usize> {
        self.zones.iter().position(|z| z.rings.iter().any(|r| r.contains(q)))
    }
}

/// Where the map looks: centre (metres) and scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapView {
    /// Centre of the view, metres.
    pub centre: [f64; 2],
    /// Screen points per metre.
    pub scale: f64,
    /// Whether the view was fitted yet.
    pub fitted: bool,
}

impl Default for MapView {
    fn default() -> Self {
        MapView { centre: [0.0, 0.0], scale: 0.05, fitted: false }
    }
}

impl MapView {
    /// Screen position of a point in metres.
    pub fn to_screen(&self, rect: Rect, p: [f64; 2]) -> Pos2 {
        let c = rect.center();
        Pos2::new(c.x + ((p[0] - self.centre[0]) * self.scale) as f32, c.y - ((p[1] - self.centre[1]) * self.scale) as f32)
    }
    /// Metres of a screen position.
    pub fn to_metres(&self, rect: Rect, p: Pos2) -> [f64; 2] {
        let c = rect.center();
        [self.centre[0] + (p.x - c.x) as f64 / self.scale, self.centre[1] - (p.y - c.y) as f64 / self.scale]
    }
    /// Fits the view to an extent.
    pub fn fit(&mut self, rect: Rect, e: [f64; 4]) {
        self.centre = [(e[0] + e[2]) / 2.0, (e[1] + e[3]) / 2.0];
        let w = (e[2] - e[0]).max(100.0);
        let h = (e[3] - e[1]).max(100.0);
        self.scale = (rect.width() as f64 / w).min(rect.height() as f64 / h) * 0.92;
        self.fitted = true;
    }
    /// Zooms by `factor` keeping the point under `at` fixed.
    pub fn zoom(&mut self, rect: Rect, at: Pos2, factor: f64) {
        let before = self.to_metres(rect, at);
        self.scale = (self.scale * factor).clamp(0.0005, 20.0);
        let after = self.to_metres(rect, at);
        self.centre[0] += before[0] - after[0];
        self.centre[1] += before[1] - after[1];
    }
}

/// What the map should draw this frame.
pub struct MapInput<'a> {
    /// Geometry.
    pub geo: &'a MapGeometry,
    /// Region (names, site kinds).
    pub region: &'a Region,
    /// One value per zone (minutes or a difference).
    pub values: &'a [Option<f64>],
    /// Whether values are differences.
    pub diverging: bool,
    /// Layers on.
    pub layers: super::state::Layers,
    /// Sites offering the selected service (tier marks), if a service is selected.
    pub offering: Option<&'a [bool]>,
    /// Localities with a tier-rule violation.
    pub violating: &'a [usize],
    /// Selected zone.
    pub selected: Option<usize>,
    /// Isochrone bands to draw: (rings in metres, colour).
    pub isochrone: &'a [(Vec<Vec<[f64; 2]>>, Color32)],
    /// Credits line.
    pub credits: &'a str,
    /// Legend title.
    pub legend_title: &'a str,
}

/// What happened on the map this frame.
#[derive(Debug, Clone, Default)]
pub struct MapEvents {
    /// Zone under the pointer.
    pub hovered: Option<usize>,
    /// A click: the point in metres and the zone there.
    pub clicked: Option<([f64; 2], Option<usize>)>,
}

/// Adds a polyline as plain quads (no anti-aliasing feather) to `mesh`:
/// thousands of streets then cost one mesh instead of thousands of
/// tessellated paths, which keeps software rendering fast.
fn line_into(mesh: &mut Mesh, pts: &[Pos2], width: f32, colour: Color32, closed: bool) {
    let h = width / 2.0;
    let n = pts.len();
    let segs = if closed { n } else { n.saturating_sub(1) };
    for i in 0..segs {
        let (a, b) = (pts[i], pts[(i + 1) % n]);
        let d = b - a;
        let len = d.length();
        if len < 0.01 {
            continue;
        }
        let nrm = Vec2::new(-d.y, d.x) / len * h;
        let base = mesh.vertices.len() as u32;
        mesh.colored_vertex(a + nrm, colour);
        mesh.colored_vertex(a - nrm, colour);
        mesh.colored_vertex(b + nrm, colour);
        mesh.colored_vertex(b - nrm, colour);
        mesh.add_triangle(base, base + 1, base + 2);
        mesh.add_triangle(base + 1, base + 3, base + 2);
    }
}

/// Draws the map in the available space and handles pan and zoom.
pub fn show(ui: &mut egui::Ui, view: &mut MapView, m: &MapInput) -> MapEvents {
    let (rect, resp) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    if !view.fitted {
        view.fit(rect, m.geo.extent);
    }
    let dark = ui.visuals().dark_mode;
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, if dark { Color32::from_gray(30) } else { Color32::from_rgb(0xf4, 0xf1, 0xea) });

    // Pan and zoom.
    if resp.dragged() {
        let d = resp.drag_delta();
        view.centre[0] -= d.x as f64 / view.scale;
        view.centre[1] += d.y as f64 / view.scale;
    }
    let mut events = MapEvents::default();
    if let Some(hover) = resp.hover_pos() {
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let mut f = (scroll as f64 / 300.0).exp() * zoom as f64;
        if ui.memory(|mem| mem.focused().is_none()) {
            let (plus, minus) = ui.input(|i| (i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals), i.key_pressed(egui::Key::Minus)));
            if plus {
                f *= 1.25;
            }
            if minus {
                f /= 1.25;
            }
        }
        if (f - 1.0).abs() > 1e-6 {
            view.zoom(rect, hover, f);
        }
        events.hovered = m.geo.zone_at(view.to_metres(rect, hover));
    }
    if ui.memory(|mem| mem.focused().is_none()) {
        let step = 60.0 / view.scale;
        ui.input(|i| {
            if i.key_pressed(egui::Key::ArrowLeft) {
                view.centre[0] -= step;
            }
            if i.key_pressed(egui::Key::ArrowRight) {
                view.centre[0] += step;
            }
            if i.key_pressed(egui::Key::ArrowUp) {
                view.centre[1] += step;
            }
            if i.key_pressed(egui::Key::ArrowDown) {
                view.centre[1] -= step;
            }
        });
    }
    if resp.clicked()
        && let Some(p) = resp.interact_pointer_pos()
    {
        let q = view.to_metres(rect, p);
        events.clicked = Some((q, m.geo.zone_at(q)));
    }

    let to = |p: [f64; 2]| view.to_screen(rect, p);
    // Zones.
    if m.layers.zones {
        let mut mesh = Mesh::default();
        for (zi, z) in m.geo.zones.iter().enumerate() {
            let c = palette::colour(m.values.get(zi).copied().flatten(), m.diverging);
            let base = mesh.vertices.len() as u32;
            for r in &z.rings {
                for p in &r.pts {
                    mesh.colored_vertex(to(*p), c);
                }
            }
            for t in z.triangles.chunks(3) {
                if t.len() == 3 {
                    mesh.add_triangle(base + t[0], base + t[1], base + t[2]);
                }
            }
        }
        // Zone edges, faint, into the same mesh.
        let edge = Color32::from_black_alpha(40);
        for z in &m.geo.zones {
            for r in &z.rings {
                let pts: Vec<Pos2> = r.pts.iter().map(|p| to(*p)).collect();
                line_into(&mut mesh, &pts, 0.6, edge, true);
            }
        }
        painter.add(Shape::mesh(mesh));
    }
    // Streets.
    if m.layers.streets {
        let mut mesh = Mesh::default();
        let visible = rect.expand(50.0);
        for s in &m.geo.streets {
            let (w, c) = match s.rank {
                0 => (2.5, Color32::from_rgb(0xe0, 0x7b, 0x39)),
                1 => (1.8, Color32::from_rgb(0xf2, 0xc1, 0x4e)),
                2 => (1.2, Color32::from_gray(if dark { 200 } else { 110 })),
                3 => (0.7, Color32::from_gray(if dark { 150 } else { 140 })),
                _ => (0.5, Color32::from_rgba_unmultiplied(120, 120, 120, 120)),
            };
            if s.rank >= 3 && view.scale < 0.03 {
                continue;
            }
            let pts: Vec<Pos2> = s.pts.iter().map(|p| to(*p)).collect();
            if !pts.iter().any(|p| visible.contains(*p)) {
                continue;
            }
            line_into(&mut mesh, &pts, w, c, false);
        }
        painter.add(Shape::mesh(mesh));
    }
    // Bus routes and stops.
    if m.layers.bus && !m.geo.bus_stops.is_empty() {
        let mut mesh = Mesh::default();
        let route = Color32::from_rgba_unmultiplied(0xc2, 0x18, 0x5b, 150);
        for l in &m.geo.bus_lines {
            let pts: Vec<Pos2> = l.iter().map(|p| to(*p)).collect();
            line_into(&mut mesh, &pts, 2.0, route, false);
        }
        painter.add(Shape::mesh(mesh));
        if view.scale > 0.03 {
            for p in &m.geo.bus_stops {
                painter.circle(to(*p), 2.5, Color32::WHITE, Stroke::new(1.2, Color32::from_rgb(0xc2, 0x18, 0x5b)));
            }
        }
    }
    // Isochrone bands (outlines over a light fill).
    for (rings, c) in m.isochrone {
        for r in rings {
            let pts: Vec<Pos2> = r.iter().map(|p| to(*p)).collect();
            painter.add(Shape::closed_line(pts, Stroke::new(2.0, *c)));
        }
    }
    // Localities.
    if m.layers.localities || m.layers.violations {
        for (li, (name, rings, label)) in m.geo.localities.iter().enumerate() {
            let bad = m.layers.violations && m.violating.contains(&li);
            if !m.layers.localities && !bad {
                continue;
            }
            let stroke = if bad { Stroke::new(3.5, Color32::from_rgb(0xd6, 0x27, 0x28)) } else { Stroke::new(1.6, if dark { Color32::WHITE } else { Color32::from_gray(40) }) };
            for r in rings {
                painter.add(Shape::closed_line(r.iter().map(|p| to(*p)).collect(), stroke));
            }
            if m.layers.localities {
                let pos = to(*label);
                let font = egui::FontId::proportional(15.0);
                let col = if dark { Color32::WHITE } else { Color32::from_gray(20) };
                painter.text(pos + Vec2::new(1.0, 1.0), egui::Align2::CENTER_CENTER, name, font.clone(), Color32::from_white_alpha(160));
                painter.text(pos, egui::Align2::CENTER_CENTER, name, font, col);
            }
        }
    }
    // Selected zone.
    if let Some(z) = m.selected.and_then(|z| m.geo.zones.get(z)) {
        for r in &z.rings {
            painter.add(Shape::closed_line(r.pts.iter().map(|p| to(*p)).collect(), Stroke::new(3.0, Color32::from_rgb(0xff, 0x00, 0xcc))));
        }
    }
    // Sites.
    if m.layers.sites {
        for (si, p) in m.geo.sites.iter().enumerate() {
            let s = &m.region.sites[si];
            let pos = to(*p);
            let offers = m.offering.is_some_and(|o| o.get(si).copied().unwrap_or(false));
            let hlc = s.kind == "hlc";
            let r = if hlc { 7.0 } else { 5.0 };
            let fill = if offers { Color32::from_rgb(0xd6, 0x27, 0x28) } else if hlc { Color32::from_rgb(0x1f, 0x4e, 0x99) } else { Color32::from_gray(90) };
            let planned = s.status == accessplan::model::SiteStatus::Planned;
            if hlc {
                if planned {
                    painter.circle(pos, r, Color32::WHITE, Stroke::new(2.5, fill));
                } else {
                    painter.circle(pos, r, fill, Stroke::new(1.5, Color32::WHITE));
                }
            } else {
                let rr = Rect::from_center_size(pos, Vec2::splat(r * 1.6));
                painter.rect(rr, 1.0, if planned { Color32::WHITE } else { fill }, Stroke::new(1.5, if planned { fill } else { Color32::WHITE }), egui::StrokeKind::Middle);
            }
        }
    }
    legend(&painter, rect, m, dark);
    scale_bar(&painter, rect, view, dark);
    painter.text(rect.left_bottom() + Vec2::new(6.0, -4.0), egui::Align2::LEFT_BOTTOM, m.credits, egui::FontId::proportional(11.0), if dark { Color32::LIGHT_GRAY } else { Color32::from_gray(60) });
    events
}

fn legend(painter: &egui::Painter, rect: Rect, m: &MapInput, dark: bool) {
    let items = palette::labels(m.diverging);
    let h = 22.0 + 18.0 * (items.len() as f32 + 1.0) + 64.0;
    let box_rect = Rect::from_min_size(rect.left_top() + Vec2::new(10.0, 10.0), Vec2::new(175.0, h));
    painter.rect_filled(box_rect, 6.0, if dark { Color32::from_black_alpha(200) } else { Color32::from_white_alpha(225) });
    let text = if dark { Color32::WHITE } else { Color32::from_gray(20) };
    let mut y = box_rect.top() + 8.0;
    painter.text(Pos2::new(box_rect.left() + 8.0, y), egui::Align2::LEFT_TOP, m.legend_title, egui::FontId::proportional(13.0), text);
    y += 20.0;
    for (c, l) in items.iter().chain(std::iter::once(&(palette::NO_VALUE, "no journey".to_string()))) {
        painter.rect_filled(Rect::from_min_size(Pos2::new(box_rect.left() + 8.0, y), Vec2::new(22.0, 13.0)), 2.0, *c);
        painter.text(Pos2::new(box_rect.left() + 38.0, y - 1.0), egui::Align2::LEFT_TOP, l, egui::FontId::proportional(12.0), text);
        y += 18.0;
    }
    y += 6.0;
    painter.circle(Pos2::new(box_rect.left() + 19.0, y + 6.0), 6.0, Color32::from_rgb(0x1f, 0x4e, 0x99), Stroke::new(1.5, Color32::WHITE));
    painter.text(Pos2::new(box_rect.left() + 38.0, y - 1.0), egui::Align2::LEFT_TOP, "HLC (hollow: planned)", egui::FontId::proportional(12.0), text);
    y += 18.0;
    painter.rect_filled(Rect::from_center_size(Pos2::new(box_rect.left() + 19.0, y + 6.0), Vec2::splat(9.0)), 1.0, Color32::from_gray(90));
    painter.text(Pos2::new(box_rect.left() + 38.0, y - 1.0), egui::Align2::LEFT_TOP, "other site", egui::FontId::proportional(12.0), text);
    y += 18.0;
    painter.circle_filled(Pos2::new(box_rect.left() + 19.0, y + 6.0), 6.0, Color32::from_rgb(0xd6, 0x27, 0x28));
    painter.text(Pos2::new(box_rect.left() + 38.0, y - 1.0), egui::Align2::LEFT_TOP, "offers the service", egui::FontId::proportional(12.0), text);
}

/// A round length for a scale bar of about `target_m`.
pub fn nice_length(target_m: f64) -> f64 {
    let p = 10f64.powf(target_m.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|k| k * p).rfind(|l| *l <= target_m).unwrap_or(p)
}

fn scale_bar(painter: &egui::Painter, rect: Rect, view: &MapView, dark: bool) {
    let len_m = nice_length(140.0 / view.scale);
    let px = (len_m * view.scale) as f32;
    let col = if dark { Color32::WHITE } else { Color32::from_gray(20) };
    let right = rect.right_bottom() + Vec2::new(-16.0, -22.0);
    let left = right - Vec2::new(px, 0.0);
    painter.line_segment([left, right], Stroke::new(3.0, col));
    painter.line_segment([left, left - Vec2::new(0.0, 6.0)], Stroke::new(2.0, col));
    painter.line_segment([right, right - Vec2::new(0.0, 6.0)], Stroke::new(2.0, col));
    let label = if len_m >= 1000.0 { format!("{:.0} km ({:.1} mi)", len_m / 1000.0, len_m / 1609.344) } else { format!("{len_m:.0} m") };
    painter.text(left + Vec2::new(px / 2.0, -8.0), egui::Align2::CENTER_BOTTOM, label, egui::FontId::proportional(12.0), col);
}
