//! The map panel: zones shaded by travel time, locality outlines, streets by
//! class, sites by role and status (the markers of `export::style`), isochrone bands; pan (drag, arrow keys),
//! zoom (wheel, +/-, pinch), zoom to extent, a legend and a scale bar.
//! Geometry is projected once per study (`MapGeometry`). The heavy layers
//! (zone fills and edges, streets, bus routes, locality outlines, the
//! extract's water and railways) are drawn as one cached image
//! (`map_raster`); sites, labels, the selected zone,
//! isochrones, the legend and the scale bar are drawn over it each frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Vec2};

use accessplan::export::style::{MarkerShape, SiteMarker, SiteState, site_marker};
use accessplan::geom::{Extent, LocalProjection, LonLat};
use accessplan::region::Region;

use super::map_lod::{StreetIndex, ZoneLod};
use super::{map_lod, map_raster, palette};

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
        let bbox = bbox_of(&pts);
        Ring { pts, bbox }
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

/// A zone ready to draw: its rings and their common bounding box.
#[derive(Debug, Clone)]
pub struct ZoneShape {
    /// Outer rings.
    pub rings: Vec<Ring>,
    /// Bounding box of all rings: min x, min y, max x, max y.
    pub bbox: [f64; 4],
}

/// A street polyline in metres with its class rank (0 = motorway .. 4 = path).
#[derive(Debug, Clone)]
pub struct StreetLine {
    /// Points, metres.
    pub pts: Vec<[f64; 2]>,
    /// Drawing rank (width and colour).
    pub rank: u8,
    /// Level-of-detail class: 0 motorway, trunk and primary, 1 secondary
    /// and tertiary, 2 residential and other minor streets, 3 paths.
    pub lod: u8,
    /// Bounding box: min x, min y, max x, max y.
    pub bbox: [f64; 4],
}

/// A locality: name, outline rings (metres) and label position.
pub type LocalityShape = (String, Vec<Vec<[f64; 2]>>, [f64; 2]);

/// Everything the map draws, projected once. The large parts are shared
/// (`Arc`) with the thread that rasterises the map.
#[derive(Debug, Clone)]
pub struct MapGeometry {
    /// Identifies this geometry (each build gets a new one), for the map image cache.
    pub id: u64,
    /// The projection.
    pub proj: LocalProjection,
    /// Extent of the zones and sites, metres: min x, min y, max x, max y.
    pub extent: [f64; 4],
    /// Zones.
    pub zones: Arc<[ZoneShape]>,
    /// Locality outlines and label positions.
    pub localities: Arc<[LocalityShape]>,
    /// Streets, minor classes first.
    pub streets: Arc<[StreetLine]>,
    /// Sites, metres.
    pub sites: Vec<[f64; 2]>,
    /// Bus stops, metres.
    pub bus_stops: Arc<[[f64; 2]]>,
    /// Bus routes as stop-to-stop polylines, metres.
    pub bus_lines: Arc<[Vec<[f64; 2]>]>,
    /// The streets by class and place for level of detail (`None`: level of detail off).
    pub street_index: Option<Arc<StreetIndex>>,
    /// Zone outlines simplified per zoom band (`None`: level of detail off).
    pub zone_lod: Option<Arc<ZoneLod>>,
    /// The context layers of the OSM extract, projected.
    pub context: Arc<ContextGeometry>,
}

/// The OSM extract's context as the app's map draws it over the zone
/// colours, quietly: water (rivers, streams, the coast, water outlines),
/// railways and stations, and place names placed clear of each other and
/// of the site markers (`accessplan::export::labels`).
#[derive(Debug, Clone, Default)]
pub struct ContextGeometry {
    /// Water lines and outlines, metres, with their width in points.
    pub water: Vec<(Vec<[f64; 2]>, f32)>,
    /// Railway lines, metres.
    pub railways: Vec<Vec<[f64; 2]>>,
    /// Names with their point (metres), font size (points) and priority; stations have no size rank.
    pub names: Vec<(String, [f64; 2], f32, u32, bool)>,
}

impl ContextGeometry {
    fn of(c: &accessplan::input::osm::context::ContextLayers, proj: &LocalProjection) -> ContextGeometry {
        use accessplan::input::osm::context::{AreaKind, LineKind, PlaceRank, pos_lonlat};
        let xy = |p: &[f32; 2]| proj.to_xy(pos_lonlat(*p));
        let mut g = ContextGeometry::default();
        for a in c.areas.iter().filter(|a| a.kind == AreaKind::Water) {
            g.water.extend(a.rings.iter().map(|r| (r.iter().map(xy).collect(), 1.0)));
        }
        for l in &c.lines {
            let pts: Vec<[f64; 2]> = l.points.iter().map(xy).collect();
            match l.kind {
                LineKind::Railway => g.railways.push(pts),
                LineKind::River => g.water.push((pts, 2.5)),
                _ => g.water.push((pts, 1.0)),
            }
        }
        for p in &c.points {
            let (size, priority) = match p.rank {
                Some(PlaceRank::City) => (15.0, 0),
                Some(PlaceRank::Town) => (14.0, 1),
                Some(PlaceRank::Suburb) => (12.0, 2),
                Some(PlaceRank::Village) => (12.0, 3),
                Some(PlaceRank::Neighbourhood) => (11.0, 4),
                None => (11.0, 5),
            };
            g.names.push((p.name.clone(), xy(&p.point), size, priority, p.rank.is_some()));
        }
        g
    }
}

/// The frame as drawn before issue 13 item 5, for the app benchmark's
/// baseline (`ACCESSPLAN_BENCH_PHASES=out:on:old`): site markers
/// tessellated one by one, the map's background filled under the whole
/// image, the map image composed in the frame.
static OLD_FRAME: AtomicBool = AtomicBool::new(false);

/// Draws the map as before issue 13 item 5 (`true`, the benchmark's baseline) or not.
pub fn set_old_frame(on: bool) {
    OLD_FRAME.store(on, Ordering::Relaxed);
}

/// Whether the map is drawn as before issue 13 item 5 (the benchmark's baseline).
pub fn old_frame() -> bool {
    OLD_FRAME.load(Ordering::Relaxed)
}

/// A new `MapGeometry::id`.
pub fn next_geometry_id() -> u64 {
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

fn bbox_of(pts: &[[f64; 2]]) -> [f64; 4] {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for p in pts {
        b = [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])];
    }
    b
}

/// The level-of-detail class of an OSM highway class (`StreetLine::lod`).
fn lod_of(class: &str) -> u8 {
    match class {
        "motorway" | "motorway_link" | "trunk" | "trunk_link" | "primary" | "primary_link" => 0,
        "secondary" | "secondary_link" | "tertiary" | "tertiary_link" => 1,
        "unclassified" | "residential" | "living_street" | "service" | "road" => 2,
        _ => 3,
    }
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
    /// Projects a region with the study's sites (and its bus network, when
    /// given), with level of detail unless `ACCESSPLAN_MAP_LOD=off`.
    pub fn of(region: &Region, sites: &[accessplan::model::Site], timetable: Option<&accessplan::transit::Timetable>) -> MapGeometry {
        Self::with_lod(region, sites, timetable, map_lod::enabled())
    }

    /// As [`MapGeometry::of`], with level of detail on or off (every street in view, full zone outlines).
    pub fn with_lod(region: &Region, sites: &[accessplan::model::Site], timetable: Option<&accessplan::transit::Timetable>, lod: bool) -> MapGeometry {
        let pts = region.zones.iter().flat_map(|z| z.polygons.iter().flatten().copied().chain(std::iter::once(z.point))).chain(sites.iter().map(|s| s.point));
        let ext = Extent::of(pts).unwrap_or(Extent { min: LonLat::new(0.0, 0.0), max: LonLat::new(0.01, 0.01) });
        let proj = LocalProjection::new(ext.centre());
        let xy = |p: &LonLat| proj.to_xy(*p);
        let (a, b) = (proj.to_xy(ext.min), proj.to_xy(ext.max));
        let zones: Vec<ZoneShape> = region
            .zones
            .iter()
            .map(|z| {
                let mut rings = Vec::new();
                let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
                for poly in &z.polygons {
                    let mut ring: Vec<[f64; 2]> = poly.iter().map(xy).collect();
                    if ring.len() > 1 && ring.first() == ring.last() {
                        ring.pop();
                    }
                    let r = Ring::new(ring);
                    bbox = [bbox[0].min(r.bbox[0]), bbox[1].min(r.bbox[1]), bbox[2].max(r.bbox[2]), bbox[3].max(r.bbox[3])];
                    rings.push(r);
                }
                ZoneShape { rings, bbox }
            })
            .collect();
        let localities: Vec<LocalityShape> = region
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
            for (s, shape) in car.streets.iter().zip(car.shapes.iter()) {
                let pts: Vec<[f64; 2]> = shape.iter().map(xy).collect();
                let class = &car.classes[s.class as usize];
                streets.push(StreetLine { bbox: bbox_of(&pts), pts, rank: rank_of(class), lod: lod_of(class) });
            }
        }
        if let Some(walk) = region.network(accessplan::network::StreetMode::Walk) {
            for (s, shape) in walk.streets.iter().zip(walk.shapes.iter()) {
                let r = rank_of(&walk.classes[s.class as usize]);
                if r == 4 {
                    let pts: Vec<[f64; 2]> = shape.iter().map(xy).collect();
                    streets.push(StreetLine { bbox: bbox_of(&pts), pts, rank: 4, lod: 3 });
                }
            }
        }
        streets.sort_by_key(|s| std::cmp::Reverse(s.rank));
        let (mut bus_stops, mut bus_lines): (Vec<[f64; 2]>, Vec<Vec<[f64; 2]>>) = (Vec::new(), Vec::new());
        if let Some(tt) = timetable {
            bus_stops = tt.stops.iter().map(|s| xy(&s.point)).collect();
            for p in &tt.patterns {
                let ids = &tt.pattern_stops[p.stops_at as usize..(p.stops_at + p.n_stops) as usize];
                bus_lines.push(ids.iter().filter_map(|&i| bus_stops.get(i as usize).copied()).collect());
            }
        }
        let street_index = lod.then(|| Arc::new(StreetIndex::new(&streets)));
        let zone_lod = lod.then(|| Arc::new(ZoneLod::default()));
        MapGeometry {
            id: next_geometry_id(),
            proj,
            extent: [a[0], a[1], b[0], b[1]],
            zones: zones.into(),
            localities: localities.into(),
            streets: streets.into(),
            sites: sites.iter().map(|s| xy(&s.point)).collect(),
            bus_stops: bus_stops.into(),
            bus_lines: bus_lines.into(),
            street_index,
            zone_lod,
            context: Arc::new(ContextGeometry::of(&region.context, &proj)),
        }
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
    pub fn to_screen(self, rect: Rect, p: [f64; 2]) -> Pos2 {
        let c = rect.center();
        Pos2::new(c.x + ((p[0] - self.centre[0]) * self.scale) as f32, c.y - ((p[1] - self.centre[1]) * self.scale) as f32)
    }
    /// Metres of a screen position.
    pub fn to_metres(self, rect: Rect, p: Pos2) -> [f64; 2] {
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
    /// The study's sites (names, kinds, status).
    pub sites: &'a [accessplan::model::Site],
    /// One value per zone (minutes or a difference).
    pub values: &'a [Option<f64>],
    /// Whether values are differences.
    pub diverging: bool,
    /// Layers on.
    pub layers: super::state::Layers,
    /// Sites offering the selected service (tier marks), if a service is selected.
    pub offering: Option<&'a [bool]>,
    /// The scenario's Healthy Living Centres, drawn larger.
    pub hlcs: &'a [usize],
    /// Sites of a placement suggestion on show (ringed beside today's), if any.
    pub proposed: Option<&'a [usize]>,
    /// Localities with a tier-rule violation.
    pub violating: &'a [usize],
    /// Selected zone.
    pub selected: Option<usize>,
    /// Isochrone bands to draw, if any.
    pub isochrone: Option<&'a super::map_iso::IsoOverlay>,
    /// Credits line.
    pub credits: &'a str,
    /// Legend title.
    pub legend_title: &'a str,
    /// The scale of `values` when they are a zone attribute rather than
    /// minutes (the zone layer's "Colour zones by" choice).
    pub zone_scale: Option<&'a accessplan::export::style::Scale>,
    /// No travel times at all (no street network): zones are drawn plain
    /// and the legend keeps only the sites.
    pub no_times: bool,
    /// Zones to show (one group of residents); the others are faded.
    pub mask: Option<&'a [bool]>,
}

/// What the zone layer colours zones by, beside travel times: residents,
/// residents per km² and each numeric column joined to the zones, in that
/// order (the "Colour zones by" combo lists them).
pub fn zone_attributes(zones: &[accessplan::model::Zone]) -> Vec<String> {
    let mut names = vec![RESIDENTS.to_string(), DENSITY.to_string()];
    let joined: std::collections::BTreeSet<&String> = zones.iter().flat_map(|z| z.weights.keys()).collect();
    names.extend(joined.into_iter().cloned());
    names
}

/// The zone layer's "Colour zones by" combo: travel time, or a zone attribute.
pub fn zone_attribute_combo(ui: &mut egui::Ui, chosen: &mut Option<String>, zones: &[accessplan::model::Zone]) {
    ui.horizontal(|ui| {
        ui.label("Colour zones by");
        egui::ComboBox::from_id_salt("zone-attribute")
            .selected_text(chosen.as_deref().unwrap_or("travel time"))
            .show_ui(ui, |ui| {
                ui.selectable_value(chosen, None, "travel time");
                for a in zone_attributes(zones) {
                    ui.selectable_value(chosen, Some(a.clone()), a);
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Colour zones by"));
    });
}

/// The zone layer's choice: residents.
pub const RESIDENTS: &str = "residents";
/// The zone layer's choice: residents per km² of the zone's polygons.
pub const DENSITY: &str = "residents per km²";

/// Each zone's value of `attribute` (one of [`zone_attributes`]); `None`
/// where a zone has none (no joined value, or no polygon for a density).
pub fn zone_attribute_values(zones: &[accessplan::model::Zone], attribute: &str) -> Vec<Option<f64>> {
    zones
        .iter()
        .map(|z| match attribute {
            RESIDENTS => Some(z.population),
            DENSITY => {
                let km2: f64 = z.polygons.iter().map(|r| ring_km2(r)).sum();
                (km2 > 0.0).then(|| z.population / km2)
            }
            other => z.weights.get(other).copied(),
        })
        .collect()
}

/// The area of a WGS84 ring in km² (shoelace on a local equirectangular
/// projection: close enough for zones a few km across).
fn ring_km2(ring: &[accessplan::LonLat]) -> f64 {
    let Some(first) = ring.first() else { return 0.0 };
    let kx = 111.32 * first.lat.to_radians().cos();
    let ky = 110.57;
    let pts: Vec<(f64, f64)> = ring.iter().map(|p| ((p.lon - first.lon) * kx, (p.lat - first.lat) * ky)).collect();
    let twice: f64 = pts.iter().zip(pts.iter().cycle().skip(1)).map(|(a, b)| a.0 * b.1 - b.0 * a.1).sum();
    twice.abs() / 2.0
}

/// The fill of zones when there are no travel times to shade them by.
const PLAIN_ZONE: Color32 = Color32::from_rgb(0xe6, 0xe1, 0xd3);

/// What happened on the map this frame.
#[derive(Debug, Clone, Default)]
pub struct MapEvents {
    /// Zone under the pointer.
    pub hovered: Option<usize>,
    /// A click: the point in metres and the zone there.
    pub clicked: Option<([f64; 2], Option<usize>)>,
}

/// Draws the map in the available space and handles pan and zoom.
pub fn show(ui: &mut egui::Ui, view: &mut MapView, m: &MapInput) -> MapEvents {
    let (rect, resp) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    if !view.fitted {
        view.fit(rect, m.geo.extent);
    }
    let dark = ui.visuals().dark_mode;
    let painter = ui.painter_at(rect);
    let background = if dark { Color32::from_gray(30) } else { Color32::from_rgb(0xf4, 0xf1, 0xea) };

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
    // Zone fills and edges, streets, bus routes and locality outlines: one cached image.
    let colours: Vec<Color32> = match (m.layers.zones, m.no_times, m.zone_scale) {
        (false, _, _) => Vec::new(),
        (true, true, None) => vec![PLAIN_ZONE; m.geo.zones.len()],
        (true, _, Some(scale)) => (0..m.geo.zones.len()).map(|zi| palette::rgb(scale.colour(m.values.get(zi).copied().flatten()))).collect(),
        (true, false, None) => palette::zone_colours(m.values, m.geo.zones.len(), m.diverging),
    };
    let colours: Vec<Color32> = match m.mask {
        Some(mask) => {
            colours.into_iter().enumerate().map(|(z, c)| if mask.get(z).copied().unwrap_or(true) { c } else { c.lerp_to_gamma(background, 0.85) }).collect()
        }
        None => colours,
    };
    let want = map_raster::Want {
        grid: map_raster::Grid::new(m.geo.id, view, rect, ui.ctx().pixels_per_point(), ui.input(|i| i.max_texture_side)),
        lower: map_raster::LowerStyle { zones: m.layers.zones, streets: m.layers.streets, bus: m.layers.bus, dark },
        upper: map_raster::UpperStyle {
            localities: m.layers.localities,
            violating: if m.layers.violations { m.violating.to_vec() } else { Vec::new() },
            context: m.layers.streets && !super::bench::old_pixels(),
            dark,
        },
        colours: &colours,
        background,
    };
    let image = map_raster::MapImage::of(ui.ctx());
    let drawn = image.lock().unwrap_or_else(|e| e.into_inner()).update(ui.ctx(), &map_raster::Scene::of(m.geo), &want);
    match drawn {
        Some((texture, grid)) => {
            // When the view moved since the image was drawn, it is shown moved
            // and scaled to match until the new one is ready.
            let on_screen = grid.screen_rect(view, rect);
            if !on_screen.contains_rect(rect) {
                if old_frame() {
                    painter.rect_filled(rect, 0.0, background);
                } else {
                    // Only where the image leaves the map bare: filling the whole
                    // map under it doubled what a software renderer blends.
                    for strip in uncovered(rect, on_screen) {
                        painter.rect_filled(strip, 0.0, background);
                    }
                }
            }
            painter.image(texture, on_screen, Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)), Color32::WHITE);
        }
        None => {
            painter.rect_filled(rect, 0.0, background);
        }
    }
    // Isochrone bands (filled, see-through), under the names and sites.
    if let Some(iso) = m.isochrone {
        super::map_iso::draw(ui.ctx(), &painter, rect, iso, to, dark);
    }
    // Locality names.
    if m.layers.localities {
        let font = egui::FontId::proportional(15.0);
        let col = if dark { Color32::WHITE } else { Color32::from_gray(20) };
        for (name, _, label) in m.geo.localities.iter() {
            let pos = to(*label);
            if !rect.expand(100.0).contains(pos) {
                continue;
            }
            painter.text(pos + Vec2::new(1.0, 1.0), egui::Align2::CENTER_CENTER, name, font.clone(), Color32::from_white_alpha(160));
            painter.text(pos, egui::Align2::CENTER_CENTER, name, font.clone(), col);
        }
    }
    // The extract's context, with the streets: water, railways, then names.
    if m.layers.streets {
        draw_context(&painter, rect, &to, m, dark);
    }
    // Selected zone.
    if let Some(z) = m.selected.and_then(|z| m.geo.zones.get(z)) {
        for r in &z.rings {
            painter.add(Shape::closed_line(r.pts.iter().map(|p| to(*p)).collect(), Stroke::new(3.0, Color32::from_rgb(0xff, 0x00, 0xcc))));
        }
    }
    // Sites.
    if m.layers.sites {
        let mut in_view = Vec::new();
        for (si, p) in m.geo.sites.iter().enumerate() {
            let Some(s) = m.sites.get(si) else {
                continue;
            };
            let pos = to(*p);
            if !rect.expand(10.0).contains(pos) {
                continue;
            }
            let hlc = m.hlcs.contains(&si);
            // With no service chosen the map is about the nearest HLC, so the HLCs are what it shows (as in the exported map).
            let offers = m.offering.map_or(hlc, |o| o.get(si).copied().unwrap_or(false));
            let planned = s.status == accessplan::model::SiteStatus::Planned;
            in_view.push((pos, SiteState { hlc, offers, planned }));
        }
        // One textured rectangle a site (`map_sprites`), tessellated markers in the baseline.
        match (old_frame(), super::map_sprites::markers(ui.ctx(), &in_view)) {
            (false, Some(sprites)) => {
                painter.add(sprites);
            }
            _ => {
                for (pos, state) in in_view {
                    draw_site(&painter, pos, &site_marker(state));
                }
            }
        }
    }
    // A suggested placement: a ring round each suggested site, over today's marks.
    if let Some(proposed) = m.proposed {
        for &si in proposed {
            let Some(p) = m.geo.sites.get(si) else { continue };
            let pos = to(*p);
            painter.circle_stroke(pos, 12.0, Stroke::new(4.0, PROPOSED));
            painter.circle_stroke(pos, 12.0, Stroke::new(1.0, Color32::WHITE));
        }
    }
    legend(&painter, rect, m, dark);
    scale_bar(&painter, rect, view, dark);
    painter.text(
        rect.left_bottom() + Vec2::new(6.0, -4.0),
        egui::Align2::LEFT_BOTTOM,
        m.credits,
        egui::FontId::proportional(11.0),
        if dark { Color32::LIGHT_GRAY } else { Color32::from_gray(60) },
    );
    events
}

/// Draws the context layers of the extract in `rect`: water and railway
/// lines, station dots, and the names that fit clear of each other and of
/// the site markers.
fn draw_context(painter: &egui::Painter, rect: Rect, to: &dyn Fn([f64; 2]) -> Pos2, m: &MapInput, dark: bool) {
    use accessplan::export::labels::{LabelBox, LabelRequest, place_labels};
    let c = &m.geo.context;
    let visible = |pts: &[[f64; 2]]| -> Option<Vec<Pos2>> {
        let v: Vec<Pos2> = pts.iter().map(|p| to(*p)).collect();
        let b = Rect::from_points(&v);
        b.intersects(rect).then_some(v)
    };
    let rail = map_raster::rail_colour(dark);
    // Water and railway lines are in the map image (`map_raster`); the
    // benchmark's baseline draws them here as egui lines, as before.
    if super::bench::old_pixels() {
        let water = map_raster::water_colour();
        for (pts, w) in &c.water {
            if let Some(v) = visible(pts) {
                painter.add(Shape::line(v, Stroke::new(*w, water)));
            }
        }
        for pts in &c.railways {
            if let Some(v) = visible(pts) {
                painter.add(Shape::dashed_line(&v, Stroke::new(1.5, rail), 6.0, 2.0));
            }
        }
    }
    let markers: Vec<LabelBox> = m.geo.sites.iter().map(|p| to(*p)).map(|p| LabelBox::around(p.x as f64, p.y as f64, 10.0, 10.0)).collect();
    let mut requests = Vec::new();
    let mut obstacles = markers;
    for (name, p, size, priority, on_point) in &c.names {
        let q = to(*p);
        if !rect.contains(q) {
            continue;
        }
        if !on_point {
            painter.circle(q, 3.0, Color32::WHITE, Stroke::new(1.0, rail));
            obstacles.push(LabelBox::around(q.x as f64, q.y as f64, 4.0, 4.0));
        }
        requests.push(LabelRequest {
            text: name.clone(),
            at: (q.x as f64, q.y as f64),
            font_px: *size as f64,
            priority: *priority,
            on_point: *on_point,
            bold: false,
        });
    }
    let bounds = LabelBox { x0: rect.left() as f64, y0: rect.top() as f64, x1: rect.right() as f64, y1: rect.bottom() as f64 };
    let ink = if dark { Color32::from_gray(210) } else { Color32::from_gray(70) };
    let halo = if dark { Color32::from_black_alpha(150) } else { Color32::from_white_alpha(190) };
    for l in place_labels(&requests, &obstacles, bounds) {
        let r = &requests[l.request];
        let centre = Pos2::new(l.x as f32, ((l.bbox.y0 + l.bbox.y1) / 2.0) as f32);
        let font = egui::FontId::proportional(r.font_px as f32);
        painter.text(centre + Vec2::new(1.0, 1.0), egui::Align2::CENTER_CENTER, &r.text, font.clone(), halo);
        painter.text(centre, egui::Align2::CENTER_CENTER, &r.text, font, ink);
    }
}

/// The parts of `rect` that `cover` leaves bare (at most four strips: above,
/// below, left and right of it), each reaching a point under `cover` so no
/// seam shows where they meet.
fn uncovered(rect: Rect, cover: Rect) -> Vec<Rect> {
    let inner = cover.shrink(1.0).intersect(rect);
    if !inner.is_positive() {
        return vec![rect];
    }
    let mut strips = vec![
        Rect::from_min_max(rect.min, Pos2::new(rect.max.x, inner.min.y)),
        Rect::from_min_max(Pos2::new(rect.min.x, inner.max.y), rect.max),
        Rect::from_min_max(Pos2::new(rect.min.x, inner.min.y), Pos2::new(inner.min.x, inner.max.y)),
        Rect::from_min_max(Pos2::new(inner.max.x, inner.min.y), Pos2::new(rect.max.x, inner.max.y)),
    ];
    strips.retain(|r| r.is_positive());
    strips
}

/// Draws a site's marker (`export::style::site_marker`, sizes in points) centred at `pos`.
fn draw_site(painter: &egui::Painter, pos: Pos2, k: &SiteMarker) {
    let ink = |c| palette::rgb(c).gamma_multiply(k.opacity as f32);
    let (fill, stroke, r) = (ink(k.fill), Stroke::new(k.stroke_width as f32, ink(k.stroke)), k.size as f32);
    match k.shape {
        MarkerShape::Circle => {
            painter.circle(pos, r, fill, stroke);
        }
        MarkerShape::Square => {
            painter.rect(Rect::from_center_size(pos, Vec2::splat(2.0 * r)), 1.0, fill, stroke, egui::StrokeKind::Middle);
        }
    }
}

/// The ring marking a suggested site (magenta: apart from both map palettes).
const PROPOSED: Color32 = Color32::from_rgb(0xc5, 0x1b, 0x8a);

fn legend(painter: &egui::Painter, rect: Rect, m: &MapInput, dark: bool) {
    let items = match (m.zone_scale, m.no_times) {
        (Some(scale), _) => scale.legend().into_iter().map(|(c, l)| (palette::rgb(c), l)).collect(),
        (None, true) => Vec::new(),
        (None, false) => palette::legend(m.diverging),
    };
    // The title may run over several lines (e.g. what "nearest" means without HLCs).
    let extra_lines = m.legend_title.lines().count().saturating_sub(1) as f32 * 16.0;
    let h = 22.0 + extra_lines + 18.0 * items.len() as f32 + 64.0 + if m.proposed.is_some() { 18.0 } else { 0.0 };
    let w = if extra_lines > 0.0 { 215.0 } else { 185.0 };
    let box_rect = Rect::from_min_size(rect.left_top() + Vec2::new(10.0, 10.0), Vec2::new(w, h));
    painter.rect_filled(box_rect, 6.0, if dark { Color32::from_black_alpha(200) } else { Color32::from_white_alpha(225) });
    let text = if dark { Color32::WHITE } else { Color32::from_gray(20) };
    let mut y = box_rect.top() + 8.0;
    painter.text(Pos2::new(box_rect.left() + 8.0, y), egui::Align2::LEFT_TOP, m.legend_title, egui::FontId::proportional(13.0), text);
    y += 20.0 + extra_lines;
    for (c, l) in &items {
        painter.rect_filled(Rect::from_min_size(Pos2::new(box_rect.left() + 8.0, y), Vec2::new(22.0, 13.0)), 2.0, *c);
        painter.text(Pos2::new(box_rect.left() + 38.0, y - 1.0), egui::Align2::LEFT_TOP, l, egui::FontId::proportional(12.0), text);
        y += 18.0;
    }
    y += 6.0;
    let keys = [(true, true, "HLC (hollow: planned)"), (false, false, "other site"), (false, true, "offers the service (larger)")];
    for (i, (hlc, offers, label)) in keys.into_iter().enumerate() {
        if i > 0 {
            y += 18.0;
        }
        draw_site(painter, Pos2::new(box_rect.left() + 19.0, y + 6.0), &site_marker(SiteState { hlc, offers, planned: false }));
        painter.text(Pos2::new(box_rect.left() + 38.0, y - 1.0), egui::Align2::LEFT_TOP, label, egui::FontId::proportional(12.0), text);
    }
    if m.proposed.is_some() {
        y += 18.0;
        painter.circle_stroke(Pos2::new(box_rect.left() + 19.0, y + 6.0), 7.0, Stroke::new(3.0, PROPOSED));
        painter.text(Pos2::new(box_rect.left() + 38.0, y - 1.0), egui::Align2::LEFT_TOP, "suggested site", egui::FontId::proportional(12.0), text);
    }
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

#[cfg(test)]
mod zone_attribute_tests {
    use super::*;
    use accessplan::LonLat;
    use accessplan::export::style::Scale;
    use accessplan::model::Zone;

    /// A square zone `side_km` across at Newport's latitude.
    fn square(id: &str, population: f64, side_km: f64, weights: &[(&str, f64)]) -> Zone {
        let (lon, lat): (f64, f64) = (-3.0, 51.58);
        let (dx, dy) = (side_km / (111.32 * lat.to_radians().cos()), side_km / 110.57);
        let ring = vec![LonLat::new(lon, lat), LonLat::new(lon + dx, lat), LonLat::new(lon + dx, lat + dy), LonLat::new(lon, lat + dy)];
        Zone {
            id: id.into(),
            population,
            point: LonLat::new(lon + dx / 2.0, lat + dy / 2.0),
            polygons: vec![ring],
            locality: None,
            weights: weights.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            categories: Default::default(),
        }
    }

    #[test]
    fn zones_are_coloured_by_residents_density_or_any_joined_column() {
        let zones = vec![
            square("W00000001", 300.0, 0.5, &[("wimd_rank", 187.0), ("pct_households_no_car_or_van_2011", 23.64)]),
            square("W00000002", 200.0, 2.0, &[("wimd_rank", 1819.0)]),
        ];
        assert_eq!(zone_attributes(&zones), vec!["residents", "residents per km²", "pct_households_no_car_or_van_2011", "wimd_rank"]);
        assert_eq!(zone_attribute_values(&zones, RESIDENTS), vec![Some(300.0), Some(200.0)]);
        let density = zone_attribute_values(&zones, DENSITY);
        assert!((density[0].unwrap() - 1200.0).abs() < 1.0 && (density[1].unwrap() - 50.0).abs() < 0.1, "{density:?}");
        // A zone with no joined value is grey, named "no value" in the legend.
        let cars = zone_attribute_values(&zones, "pct_households_no_car_or_van_2011");
        assert_eq!(cars, vec![Some(23.64), None]);
        let scale = Scale::fitted(&cars, "%");
        assert_eq!(scale.colour(cars[1]), accessplan::export::style::NO_VALUE_RGB);
        assert_eq!(scale.legend().last().unwrap().1, "no value");
        let ranks = zone_attribute_values(&zones, "wimd_rank");
        let scale = Scale::fitted(&ranks, "");
        assert_ne!(scale.colour(ranks[0]), scale.colour(ranks[1]), "the most and least deprived differ");
    }
}

#[cfg(test)]
mod frame_tests {
    use super::*;

    #[test]
    fn the_background_is_filled_only_where_a_moved_image_leaves_the_map_bare() {
        let map = Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(100.0, 80.0));
        // The image moved 10 points right and 5 up: bare on the left and at the bottom.
        let image = map.translate(Vec2::new(10.0, -5.0));
        let strips = uncovered(map, image);
        assert_eq!(
            strips,
            vec![Rect::from_min_max(Pos2::new(0.0, 74.0), Pos2::new(100.0, 80.0)), Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(11.0, 74.0))]
        );
        // 1,414 square points filled instead of the map's 8,000, and no point of the map is left bare.
        assert_eq!(strips.iter().map(|r| r.area()).sum::<f32>(), 1414.0);
        for (x, y) in [(0.5, 0.5), (10.5, 40.0), (50.0, 74.5), (99.5, 79.5), (50.0, 40.0)] {
            let p = Pos2::new(x, y);
            assert!(image.contains(p) || strips.iter().any(|r| r.contains(p)), "({x}, {y}) is bare");
        }
        // An image covering the map needs no background; one beside it needs all of it.
        assert!(uncovered(map, map.expand(10.0)).is_empty());
        assert_eq!(uncovered(map, map.translate(Vec2::new(200.0, 0.0))), vec![map]);
    }
}
