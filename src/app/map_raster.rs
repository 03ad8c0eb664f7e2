//! The map's heavy layers as one cached image. Zone fills and edges, streets,
//! bus routes, locality outlines and the extract's water and railway lines
//! (the last two over the outlines, as they were drawn) are rasterised on the CPU with tiny-skia
//! (anti-aliased), uploaded as one egui texture and drawn as one textured
//! rectangle, so a frame costs the GPU (or Mesa's llvmpipe) a single quad
//! instead of tens of thousands of triangles.
//!
//! The raster keeps three planes for one view (`Grid`): the zone under each
//! pixel, the layers below (zone edges, streets, bus) and the layers above
//! (locality outlines, tier-rule gaps in red). Recolouring the zones (another
//! service, mode, before/after, an edit) only composes the planes again,
//! which takes one or two milliseconds; a change of layers, theme or
//! tier-rule gaps redraws the plane concerned at once. A new view (pan, zoom, resize)
//! is rasterised on a worker thread while the old image is drawn moved and
//! scaled to match, so panning stays smooth and the map is crisp again as
//! soon as the worker is done.

use std::sync::{Arc, Mutex, mpsc};

use egui::{Color32, ColorImage, Rect, TextureHandle, TextureOptions, Vec2};
use resvg::tiny_skia as sk;

use super::map::{ContextGeometry, LocalityShape, MapGeometry, MapView, StreetLine, ZoneShape};
use super::map_lod::{SEGMENT_BUDGET, StreetIndex, ZoneLod};

/// Points drawn beyond each side of the map, so that a pan shows map
/// rather than background until the new image is ready.
const MARGIN: f32 = 64.0;

/// While the view keeps moving, a new image is started at most this often
/// (and at once when it stops).
const REDRAW_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// The pixel grid of a raster: the view it shows and its size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// `MapGeometry::id` of the geometry drawn.
    pub geometry: u64,
    /// View centre, metres.
    pub centre: [f64; 2],
    /// Screen points per metre.
    pub scale: f64,
    /// Image pixels per screen point.
    pub ppp: f32,
    /// Image size, pixels.
    pub size_px: [u32; 2],
    /// Pixel position of the view centre in the image.
    pub anchor_px: [f32; 2],
}

impl Grid {
    /// The grid that covers the map's `rect` (points) for `view` and
    /// `MARGIN` beyond, aligned to physical pixels, at most `max_side`
    /// pixels on a side.
    pub fn new(geometry: u64, view: &MapView, rect: Rect, ppp: f32, max_side: usize) -> Grid {
        let rect = rect.expand(MARGIN);
        let longest = rect.width().max(rect.height()).max(1.0);
        let ppp = ppp.min(max_side.max(1) as f32 / longest).max(0.01);
        let min = (rect.min.to_vec2() * ppp).round();
        let max = (rect.max.to_vec2() * ppp).round();
        let size = (max - min).clamp(Vec2::splat(1.0), Vec2::splat(max_side.max(1) as f32));
        let anchor = rect.center().to_vec2() * ppp - min;
        Grid { geometry, centre: view.centre, scale: view.scale, ppp, size_px: [size.x as u32, size.y as u32], anchor_px: [anchor.x, anchor.y] }
    }

    /// Image pixels per metre.
    pub fn px_per_m(&self) -> f64 {
        self.scale * self.ppp as f64
    }

    /// Pixel position of a point in metres.
    pub fn to_px(self, p: [f64; 2]) -> [f32; 2] {
        let k = self.px_per_m();
        [(self.anchor_px[0] as f64 + (p[0] - self.centre[0]) * k) as f32, (self.anchor_px[1] as f64 - (p[1] - self.centre[1]) * k) as f32]
    }

    /// The area the image covers, metres (min x, min y, max x, max y), widened by `margin_px`.
    fn bounds_m(&self, margin_px: f64) -> [f64; 4] {
        let k = self.px_per_m();
        let (ax, ay) = (self.anchor_px[0] as f64, self.anchor_px[1] as f64);
        let (w, h) = (self.size_px[0] as f64, self.size_px[1] as f64);
        [
            self.centre[0] + (-margin_px - ax) / k,
            self.centre[1] - (h + margin_px - ay) / k,
            self.centre[0] + (w + margin_px - ax) / k,
            self.centre[1] + (ay + margin_px) / k,
        ]
    }

    /// Where the image lies on screen when the map shows `view` in `rect`.
    pub fn screen_rect(&self, view: &MapView, rect: Rect) -> Rect {
        let k = self.px_per_m();
        let top_left = [self.centre[0] - self.anchor_px[0] as f64 / k, self.centre[1] + self.anchor_px[1] as f64 / k];
        let size = Vec2::new(self.size_px[0] as f32, self.size_px[1] as f32) / self.ppp * (view.scale / self.scale) as f32;
        Rect::from_min_size(view.to_screen(rect, top_left), size)
    }
}

/// How the layers below the localities are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LowerStyle {
    /// Zone fills and edges.
    pub zones: bool,
    /// Streets.
    pub streets: bool,
    /// Bus routes and stops.
    pub bus: bool,
    /// Dark theme.
    pub dark: bool,
}

/// How the locality outlines are drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpperStyle {
    /// Locality outlines.
    pub localities: bool,
    /// Localities outlined in red (tier-rule gaps); empty when that layer is off.
    pub violating: Vec<usize>,
    /// The extract's water and railway lines, over the outlines (they go with the streets layer).
    pub context: bool,
    /// Dark theme.
    pub dark: bool,
}

/// The geometry a raster is drawn from, shared with the worker thread.
#[derive(Clone)]
pub struct Scene {
    zones: Arc<[ZoneShape]>,
    streets: Arc<[StreetLine]>,
    bus_stops: Arc<[[f64; 2]]>,
    bus_lines: Arc<[Vec<[f64; 2]>]>,
    localities: Arc<[LocalityShape]>,
    /// The extract's context (water and railway lines are rasterised).
    context: Arc<ContextGeometry>,
    /// The streets by class and place, with level of detail (`None`: every street in view, minor ones from `shows_detail`).
    street_index: Option<Arc<StreetIndex>>,
    /// The zones simplified per zoom band (`None`: full outlines).
    zone_lod: Option<Arc<ZoneLod>>,
}

impl Scene {
    /// The parts of `geo` that are rasterised.
    pub fn of(geo: &MapGeometry) -> Scene {
        Scene {
            zones: geo.zones.clone(),
            streets: geo.streets.clone(),
            bus_stops: geo.bus_stops.clone(),
            bus_lines: geo.bus_lines.clone(),
            localities: geo.localities.clone(),
            context: geo.context.clone(),
            street_index: geo.street_index.clone(),
            zone_lod: geo.zone_lod.clone(),
        }
    }

    /// The zone outlines to draw on `grid`: simplified for its zoom when level of detail is on.
    fn zones_for(&self, grid: &Grid) -> Arc<[ZoneShape]> {
        match &self.zone_lod {
            Some(lod) => lod.zones(&self.zones, grid.px_per_m()),
            None => self.zones.clone(),
        }
    }
}

/// One view of the map, rasterised: the zone under each pixel and the two
/// overlay planes (premultiplied RGBA).
pub struct Raster {
    /// The pixel grid.
    pub grid: Grid,
    lower_style: LowerStyle,
    upper_style: UpperStyle,
    /// Zone index + 1 per pixel, 0 where there is no zone.
    zone_ids: Vec<u32>,
    lower: sk::Pixmap,
    upper: Option<sk::Pixmap>,
    /// Street segments drawn in the lower plane.
    pub segments: usize,
    /// Time taken to rasterise every plane, seconds.
    pub render_s: f64,
}

fn overlaps(b: &[f64; 4], v: &[f64; 4]) -> bool {
    b[0] <= v[2] && b[2] >= v[0] && b[1] <= v[3] && b[3] >= v[1]
}

/// Adds rings or polylines (metres) to a path, in pixels.
fn add_line(pb: &mut sk::PathBuilder, grid: &Grid, pts: &[[f64; 2]], closed: bool) {
    let mut it = pts.iter().map(|p| grid.to_px(*p));
    let Some(first) = it.next() else { return };
    pb.move_to(first[0], first[1]);
    for q in it {
        pb.line_to(q[0], q[1]);
    }
    if closed {
        pb.close();
    }
}

fn paint_of(c: Color32) -> sk::Paint<'static> {
    let [r, g, b, a] = c.to_srgba_unmultiplied();
    let mut paint = sk::Paint::default();
    paint.set_color_rgba8(r, g, b, a);
    paint.anti_alias = true;
    paint
}

fn stroke(pixmap: &mut sk::Pixmap, pb: sk::PathBuilder, width_px: f32, colour: Color32) {
    if let Some(path) = pb.finish() {
        let st = sk::Stroke { width: width_px, line_join: sk::LineJoin::Round, ..Default::default() };
        pixmap.stroke_path(&path, &paint_of(colour), &st, sk::Transform::identity(), None);
    }
}

/// Street width (points) and colour by rank, as the map has always drawn them.
pub fn street_style(rank: u8, dark: bool) -> (f32, Color32) {
    match rank {
        0 => (2.5, Color32::from_rgb(0xe0, 0x7b, 0x39)),
        1 => (1.8, Color32::from_rgb(0xf2, 0xc1, 0x4e)),
        2 => (1.2, Color32::from_gray(if dark { 200 } else { 110 })),
        3 => (0.7, Color32::from_gray(if dark { 150 } else { 140 })),
        _ => (0.5, Color32::from_rgba_unmultiplied(120, 120, 120, 120)),
    }
}

/// Whether minor streets (ranks 3 and 4) and bus stops are drawn at this scale.
pub fn shows_detail(scale: f64) -> bool {
    scale >= 0.03
}

fn new_pixmap(grid: &Grid) -> sk::Pixmap {
    // `Grid::new` keeps sizes between 1 and the largest texture side, which tiny-skia always allocates.
    sk::Pixmap::new(grid.size_px[0], grid.size_px[1]).expect("a map image no larger than the largest texture")
}

/// The zone under each pixel: each zone is filled without anti-aliasing in
/// a colour that encodes its index.
pub(super) fn zone_ids(scene: &Scene, grid: &Grid) -> Vec<u32> {
    let mut pixmap = new_pixmap(grid);
    let visible = grid.bounds_m(2.0);
    for (zi, z) in scene.zones_for(grid).iter().enumerate() {
        if !overlaps(&z.bbox, &visible) {
            continue;
        }
        let mut pb = sk::PathBuilder::new();
        for r in &z.rings {
            add_line(&mut pb, grid, &r.pts, true);
        }
        let Some(path) = pb.finish() else { continue };
        let id = zi as u32 + 1;
        let mut paint = sk::Paint::default();
        paint.set_color_rgba8((id & 0xff) as u8, ((id >> 8) & 0xff) as u8, ((id >> 16) & 0xff) as u8, 255);
        paint.anti_alias = false;
        paint.blend_mode = sk::BlendMode::Source;
        pixmap.fill_path(&path, &paint, sk::FillRule::Winding, sk::Transform::identity(), None);
    }
    pixmap.pixels().iter().map(|p| if p.alpha() == 0 { 0 } else { p.red() as u32 | (p.green() as u32) << 8 | (p.blue() as u32) << 16 }).collect()
}

/// Zone edges, streets, bus routes and stops; and the street segments drawn.
fn lower(scene: &Scene, grid: &Grid, style: LowerStyle) -> (sk::Pixmap, usize) {
    let mut pixmap = new_pixmap(grid);
    let ppp = grid.ppp;
    let visible = grid.bounds_m(8.0 * ppp as f64);
    let mut segments = 0;
    if style.zones {
        let mut pb = sk::PathBuilder::new();
        for z in scene.zones_for(grid).iter().filter(|z| overlaps(&z.bbox, &visible)) {
            for r in &z.rings {
                add_line(&mut pb, grid, &r.pts, true);
            }
        }
        stroke(&mut pixmap, pb, 0.6 * ppp, Color32::from_black_alpha(40));
    }
    if style.streets
        && let Some(ix) = &scene.street_index
    {
        // Main roads first, minor ones only while the view stays within the
        // budget; drawn by rank, minor first. Zoomed out, tertiary roads are
        // hairlines (a pixel wide), which tiny-skia draws several times faster.
        let sel = ix.select(&scene.streets, &visible, grid.scale, SEGMENT_BUDGET);
        segments = sel.segments;
        let mut by_rank: Vec<sk::PathBuilder> = (0..5).map(|_| sk::PathBuilder::new()).collect();
        for lines in &sel.lines {
            for &i in lines {
                let s = &scene.streets[i as usize];
                add_line(&mut by_rank[(s.rank as usize).min(4)], grid, &s.pts, false);
            }
        }
        for (rank, pb) in by_rank.into_iter().enumerate().rev() {
            let (w, c) = street_style(rank as u8, style.dark);
            let w = if rank >= 2 && !shows_detail(grid.scale) { w.min(1.0) } else { w };
            stroke(&mut pixmap, pb, w * ppp, c);
        }
    } else if style.streets {
        let detail = shows_detail(grid.scale);
        for rank in (0..=4u8).rev() {
            if rank >= 3 && !detail {
                continue;
            }
            let mut pb = sk::PathBuilder::new();
            for s in scene.streets.iter().filter(|s| s.rank == rank && overlaps(&s.bbox, &visible)) {
                segments += s.pts.len().saturating_sub(1);
                add_line(&mut pb, grid, &s.pts, false);
            }
            let (w, c) = street_style(rank, style.dark);
            stroke(&mut pixmap, pb, w * ppp, c);
        }
    }
    if style.bus && !scene.bus_stops.is_empty() {
        let route = Color32::from_rgba_unmultiplied(0xc2, 0x18, 0x5b, 150);
        let mut pb = sk::PathBuilder::new();
        for l in scene.bus_lines.iter() {
            add_line(&mut pb, grid, l, false);
        }
        stroke(&mut pixmap, pb, 2.0 * ppp, route);
        if shows_detail(grid.scale) {
            let mut pb = sk::PathBuilder::new();
            for p in scene.bus_stops.iter().filter(|p| overlaps(&[p[0], p[1], p[0], p[1]], &visible)) {
                let q = grid.to_px(*p);
                pb.push_circle(q[0], q[1], 2.5 * ppp);
            }
            if let Some(path) = pb.finish() {
                pixmap.fill_path(&path, &paint_of(Color32::WHITE), sk::FillRule::Winding, sk::Transform::identity(), None);
                let st = sk::Stroke { width: 1.2 * ppp, ..Default::default() };
                pixmap.stroke_path(&path, &paint_of(Color32::from_rgb(0xc2, 0x18, 0x5b)), &st, sk::Transform::identity(), None);
            }
        }
    }
    (pixmap, segments)
}

/// Locality outlines, with tier-rule gaps in red on top, then the
/// extract's water and railway lines (as the map drew them over the image
/// with egui before: see-through blue water, dashed grey railways).
fn upper(scene: &Scene, grid: &Grid, style: &UpperStyle) -> Option<sk::Pixmap> {
    let context = style.context && (!scene.context.water.is_empty() || !scene.context.railways.is_empty());
    if !style.localities && style.violating.is_empty() && !context {
        return None;
    }
    let mut pixmap = new_pixmap(grid);
    let ppp = grid.ppp;
    let (mut plain, mut bad) = (sk::PathBuilder::new(), sk::PathBuilder::new());
    for (li, (_, rings, _)) in scene.localities.iter().enumerate() {
        let pb = if style.violating.contains(&li) {
            &mut bad
        } else if style.localities {
            &mut plain
        } else {
            continue;
        };
        for r in rings {
            add_line(pb, grid, r, true);
        }
    }
    stroke(&mut pixmap, plain, 1.6 * ppp, if style.dark { Color32::WHITE } else { Color32::from_gray(40) });
    stroke(&mut pixmap, bad, 3.5 * ppp, Color32::from_rgb(0xd6, 0x27, 0x28));
    if context {
        draw_context_lines(&mut pixmap, scene, grid, style.dark);
    }
    Some(pixmap)
}

/// The colour of water lines on the map (see-through blue).
pub fn water_colour() -> Color32 {
    Color32::from_rgba_unmultiplied(0x6f, 0xa8, 0xdc, 200)
}

/// The colour of railway lines on the map.
pub fn rail_colour(dark: bool) -> Color32 {
    if dark { Color32::from_gray(170) } else { Color32::from_gray(90) }
}

/// Water lines (by width) and dashed railways (6 points on, 2 off) in view, in pixels of `grid`.
fn draw_context_lines(pixmap: &mut sk::Pixmap, scene: &Scene, grid: &Grid, dark: bool) {
    let ppp = grid.ppp;
    let visible = grid.bounds_m(4.0 * ppp as f64);
    let in_view = |pts: &[[f64; 2]]| overlaps(&bbox(pts), &visible);
    let mut widths: Vec<f32> = scene.context.water.iter().map(|(_, w)| *w).collect();
    widths.sort_by(|a, b| a.total_cmp(b));
    widths.dedup();
    for w in widths {
        let mut pb = sk::PathBuilder::new();
        for (pts, _) in scene.context.water.iter().filter(|(pts, lw)| *lw == w && in_view(pts)) {
            add_line(&mut pb, grid, pts, false);
        }
        if let Some(path) = pb.finish() {
            let st = sk::Stroke { width: w * ppp, line_join: sk::LineJoin::Miter, ..Default::default() };
            pixmap.stroke_path(&path, &paint_of(water_colour()), &st, sk::Transform::identity(), None);
        }
    }
    for pts in scene.context.railways.iter().filter(|pts| in_view(pts)) {
        let mut pb = sk::PathBuilder::new();
        add_line(&mut pb, grid, pts, false);
        let Some(path) = pb.finish() else { continue };
        let st =
            sk::Stroke { width: 1.5 * ppp, line_join: sk::LineJoin::Miter, dash: sk::StrokeDash::new(vec![6.0 * ppp, 2.0 * ppp], 0.0), ..Default::default() };
        pixmap.stroke_path(&path, &paint_of(rail_colour(dark)), &st, sk::Transform::identity(), None);
    }
}

/// Bounding box of points, metres: min x, min y, max x, max y.
fn bbox(pts: &[[f64; 2]]) -> [f64; 4] {
    pts.iter().fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, p| [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])])
}

impl Raster {
    /// Rasterises every plane of `scene` on `grid`.
    pub fn render(scene: &Scene, grid: Grid, lower_style: LowerStyle, upper_style: UpperStyle) -> Raster {
        let t = std::time::Instant::now();
        let (lower, segments) = lower(scene, &grid, lower_style);
        Raster {
            zone_ids: zone_ids(scene, &grid),
            lower,
            upper: upper(scene, &grid, &upper_style),
            grid,
            lower_style,
            upper_style,
            segments,
            render_s: t.elapsed().as_secs_f64(),
        }
    }

    /// Redraws the overlay planes whose style changed; true if any did.
    pub fn restyle(&mut self, scene: &Scene, lower_style: LowerStyle, upper_style: &UpperStyle) -> bool {
        let mut changed = false;
        if self.lower_style != lower_style {
            (self.lower, self.segments) = lower(scene, &self.grid, lower_style);
            self.lower_style = lower_style;
            changed = true;
        }
        if &self.upper_style != upper_style {
            self.upper = upper(scene, &self.grid, upper_style);
            self.upper_style = upper_style.clone();
            changed = true;
        }
        changed
    }

    /// The image: each zone filled with its colour (`background` outside
    /// zones, and everywhere when `colours` is empty), the planes over it.
    pub fn compose(&self, colours: &[Color32], background: Color32) -> ColorImage {
        // Premultiplied "source over destination", in 8 bits.
        fn over(s: sk::PremultipliedColorU8, d: Color32) -> Color32 {
            let a = s.alpha();
            if a == 0 {
                return d;
            }
            let ia = 255 - a as u32;
            let mul = |x: u8| -> u8 {
                let t = x as u32 * ia + 128;
                ((t + (t >> 8)) >> 8) as u8
            };
            Color32::from_rgba_premultiplied(
                s.red().saturating_add(mul(d.r())),
                s.green().saturating_add(mul(d.g())),
                s.blue().saturating_add(mul(d.b())),
                a.saturating_add(mul(d.a())),
            )
        }
        // Index 0 is "no zone".
        let fills: Vec<Color32> = std::iter::once(background).chain(colours.iter().copied()).collect();
        let fill = |id: u32| fills.get(id as usize).copied().unwrap_or(background);
        let lower = self.lower.pixels();
        let pixels = match &self.upper {
            Some(upper) => self.zone_ids.iter().zip(lower).zip(upper.pixels()).map(|((&id, &l), &u)| over(u, over(l, fill(id)))).collect(),
            None => self.zone_ids.iter().zip(lower).map(|(&id, &l)| over(l, fill(id))).collect(),
        };
        ColorImage::new([self.grid.size_px[0] as usize, self.grid.size_px[1] as usize], pixels)
    }
}

/// Texels are drawn one to one on screen pixels (and only scaled for a
/// moment while a new view is drawn): nearest sampling is exact, and it
/// spares a software renderer nearly half the cost of drawing the image.
const TEXTURE: TextureOptions = TextureOptions::NEAREST;

/// The cached map image and the raster behind it, kept in egui's memory
/// between frames.
#[derive(Default)]
pub struct MapImage {
    raster: Option<Raster>,
    texture: Option<TextureHandle>,
    /// Zone colours and background the texture was composed with.
    composed: Option<(Vec<Color32>, Color32)>,
    /// The raster changed since the texture was composed.
    stale: bool,
    /// A raster being drawn on the worker thread, for this grid, with its
    /// image composed there too (for the colours and background it was given).
    job: Option<(Grid, mpsc::Receiver<Drawn>)>,
    /// When the last job started.
    job_started: Option<std::time::Instant>,
    /// The grid wanted in the previous frame (the view has settled when it is wanted again).
    last_want: Option<Grid>,
    /// Each raster made, in order: how long until it was on hand (worker
    /// start to the frame that takes it, or the frame that drew it), seconds,
    /// its own rasterising time and the street segments it drew (for the app benchmark).
    pub made: Vec<RasterMade>,
}

/// What the worker sends back: the raster, and its image composed with the
/// zone colours and background of the frame that started it (`None` in the
/// benchmark's baseline, which composes in the frame).
type Drawn = (Raster, Option<(ColorImage, Vec<Color32>, Color32)>);

/// One raster made for a new view, for the app benchmark.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RasterMade {
    /// From the start of its work to the frame that shows it, seconds.
    pub ready_s: f64,
    /// Rasterising every plane, seconds.
    pub render_s: f64,
    /// Street segments drawn.
    pub segments: usize,
    /// Screen points per metre of its view.
    pub scale: f64,
    /// Drawn in the frame (the first image of a map) rather than on the worker.
    pub in_frame: bool,
}

/// What the map image should show this frame.
pub struct Want<'a> {
    /// Pixel grid (view and size).
    pub grid: Grid,
    /// Layers below the localities.
    pub lower: LowerStyle,
    /// Locality outlines.
    pub upper: UpperStyle,
    /// Zone colours, one per zone (empty: zones off).
    pub colours: &'a [Color32],
    /// Map background.
    pub background: Color32,
}

impl MapImage {
    /// The map image kept in `ctx` between frames (there is one map).
    pub fn of(ctx: &egui::Context) -> Arc<Mutex<MapImage>> {
        ctx.data_mut(|d| d.get_temp_mut_or_default::<Arc<Mutex<MapImage>>>(egui::Id::unique("accessplan-map-image")).clone())
    }

    /// Brings the image up to date with `want` and returns its texture and
    /// the grid it was drawn for. Styles and colours are applied at once; a
    /// new view is drawn at once only when there is no image yet, otherwise
    /// on a worker thread (the caller draws the old image moved meanwhile).
    pub fn update(&mut self, ctx: &egui::Context, scene: &Scene, want: &Want) -> Option<(egui::TextureId, Grid)> {
        if let Some((_, rx)) = &self.job {
            match rx.try_recv() {
                Ok((r, image)) => {
                    self.job = None;
                    let ready_s = self.job_started.map_or(r.render_s, |t| t.elapsed().as_secs_f64());
                    self.made.push(RasterMade { ready_s, render_s: r.render_s, segments: r.segments, scale: r.grid.scale, in_frame: false });
                    // Keep the image in hand if the view came back to it meanwhile.
                    if self.raster.as_ref().is_none_or(|old| old.grid != want.grid) {
                        self.raster = Some(r);
                        self.stale = true;
                        // Composed on the worker: only uploaded here, if the colours are still those.
                        if let Some((image, colours, background)) = image
                            && colours.as_slice() == want.colours
                            && background == want.background
                        {
                            match &mut self.texture {
                                Some(t) => t.set(image, TEXTURE),
                                None => self.texture = Some(ctx.load_texture("map", image, TEXTURE)),
                            }
                            self.composed = Some((colours, background));
                            self.stale = false;
                        }
                    }
                }
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => self.job = None,
            }
        }
        let settled = self.last_want == Some(want.grid);
        self.last_want = Some(want.grid);
        let same_geometry = self.raster.as_ref().is_some_and(|r| r.grid.geometry == want.grid.geometry);
        match &mut self.raster {
            Some(r) if r.grid == want.grid => {
                if r.restyle(scene, want.lower, &want.upper) {
                    self.stale = true;
                }
            }
            Some(_) if same_geometry => {
                // One job at a time, and while the view keeps moving at most
                // one every `REDRAW_EVERY`; the old image is drawn moved meanwhile.
                let waited = self.job_started.map_or(REDRAW_EVERY, |t| t.elapsed());
                match self.job {
                    Some(_) => {}
                    None if settled || waited >= REDRAW_EVERY => self.start_job(ctx, scene, want),
                    None => ctx.request_repaint_after(REDRAW_EVERY - waited),
                }
            }
            _ => {
                // Nothing to show for this geometry yet: draw it now.
                self.job = None;
                let r = Raster::render(scene, want.grid, want.lower, want.upper.clone());
                self.made.push(RasterMade { ready_s: r.render_s, render_s: r.render_s, segments: r.segments, scale: r.grid.scale, in_frame: true });
                self.raster = Some(r);
                self.stale = true;
            }
        }
        let r = self.raster.as_ref()?;
        let fresh = self.composed.as_ref().is_some_and(|(c, bg)| c.as_slice() == want.colours && *bg == want.background);
        if self.stale || !fresh || self.texture.is_none() {
            let image = r.compose(want.colours, want.background);
            match &mut self.texture {
                Some(t) => t.set(image, TEXTURE),
                None => self.texture = Some(ctx.load_texture("map", image, TEXTURE)),
            }
            self.composed = Some((want.colours.to_vec(), want.background));
            self.stale = false;
        }
        self.texture.as_ref().map(|t| (t.id(), r.grid))
    }

    fn start_job(&mut self, ctx: &egui::Context, scene: &Scene, want: &Want) {
        let (tx, rx) = mpsc::channel();
        let (job_scene, grid, lower, upper, ctx) = (scene.clone(), want.grid, want.lower, want.upper.clone(), ctx.clone());
        // The image is composed on the worker too, with this frame's colours
        // (not in the baseline of the benchmark, which composed it in the frame).
        let colours = (!super::map::old_frame()).then(|| (want.colours.to_vec(), want.background));
        let spawned = std::thread::Builder::new().name("map-raster".into()).spawn(move || {
            let r = Raster::render(&job_scene, grid, lower, upper);
            let image = colours.map(|(c, bg)| (r.compose(&c, bg), c, bg));
            if tx.send((r, image)).is_ok() {
                ctx.request_repaint();
            }
        });
        match spawned {
            Ok(_) => {
                self.job = Some((want.grid, rx));
                self.job_started = Some(std::time::Instant::now());
            }
            Err(_) => {
                // No thread to be had: draw it here.
                self.raster = Some(Raster::render(scene, want.grid, want.lower, want.upper.clone()));
                self.stale = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use egui::{Color32, Pos2, Rect, Vec2};

    use super::{Grid, LowerStyle, MapImage, Raster, Scene, UpperStyle, Want};
    use crate::app::map::{MapGeometry, MapView, Ring, StreetLine, ZoneShape};

    fn square(x: f64, y: f64, side: f64) -> ZoneShape {
        let pts = vec![[x, y], [x + side, y], [x + side, y + side], [x, y + side]];
        let bbox = [x, y, x + side, y + side];
        ZoneShape { rings: vec![Ring { pts, bbox }], bbox }
    }

    /// Two 1 km zones side by side with a street along the top of the first.
    fn geometry() -> MapGeometry {
        let street = vec![[0.0, 900.0], [1000.0, 900.0]];
        MapGeometry {
            id: 7,
            proj: accessplan::geom::LocalProjection::new(accessplan::LonLat::new(-3.0, 51.6)),
            extent: [0.0, 0.0, 2000.0, 1000.0],
            zones: vec![square(0.0, 0.0, 1000.0), square(1000.0, 0.0, 1000.0)].into(),
            localities: Arc::from([]),
            streets: vec![StreetLine { bbox: [0.0, 900.0, 1000.0, 900.0], pts: street, rank: 0, lod: 0 }].into(),
            sites: Vec::new(),
            bus_stops: Arc::from([]),
            bus_lines: Arc::from([]),
            street_index: None,
            zone_lod: None,
            context: Arc::default(),
        }
    }

    fn lower() -> LowerStyle {
        LowerStyle { zones: true, streets: true, bus: false, dark: false }
    }

    fn upper() -> UpperStyle {
        UpperStyle { localities: true, violating: Vec::new(), context: true, dark: false }
    }

    /// A view of the two zones, 0.2 points per metre, in a 500 x 300 map.
    fn view_and_rect() -> (MapView, Rect) {
        (MapView { centre: [1000.0, 500.0], scale: 0.2, fitted: true }, Rect::from_min_size(Pos2::new(100.0, 50.0), Vec2::new(500.0, 300.0)))
    }

    /// Metres at the centre of pixel (x, y).
    fn metres_of(g: &Grid, x: u32, y: u32) -> [f64; 2] {
        let k = g.scale * g.ppp as f64;
        [g.centre[0] + (x as f64 + 0.5 - g.anchor_px[0] as f64) / k, g.centre[1] - (y as f64 + 0.5 - g.anchor_px[1] as f64) / k]
    }

    #[test]
    fn each_pixel_shows_the_zone_under_it_and_its_colour() {
        let geo = geometry();
        let (view, rect) = view_and_rect();
        let grid = Grid::new(geo.id, &view, rect, 1.0, 4096);
        let r = Raster::render(&Scene::of(&geo), grid, LowerStyle { streets: false, ..lower() }, upper());
        let (red, blue, bg) = (Color32::from_rgb(200, 0, 0), Color32::from_rgb(0, 0, 200), Color32::from_rgb(240, 240, 230));
        let image = r.compose(&[red, blue], bg);
        assert_eq!(image.size, [grid.size_px[0] as usize, grid.size_px[1] as usize]);
        let (mut checked, mut differ) = (0, 0);
        for y in (0..grid.size_px[1]).step_by(3) {
            for x in (0..grid.size_px[0]).step_by(3) {
                let m = metres_of(&grid, x, y);
                // Away from the zone edges (5 m = 1 pixel here), the image and `zone_at` agree.
                let near_edge = [0.0, 1000.0, 2000.0].iter().any(|e| (m[0] - e).abs() < 10.0) || [0.0, 1000.0].iter().any(|e| (m[1] - e).abs() < 10.0);
                if near_edge {
                    continue;
                }
                let want = match geo.zone_at(m) {
                    Some(0) => red,
                    Some(_) => blue,
                    None => bg,
                };
                checked += 1;
                if image.pixels[(y * grid.size_px[0] + x) as usize] != want {
                    differ += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked} pixels checked");
        assert_eq!(differ, 0, "{differ} of {checked} pixels show another zone than zone_at");
    }

    #[test]
    fn streets_are_drawn_over_the_zones() {
        let geo = geometry();
        let (view, rect) = view_and_rect();
        let grid = Grid::new(geo.id, &view, rect, 1.0, 4096);
        let r = Raster::render(&Scene::of(&geo), grid, lower(), upper());
        let red = Color32::from_rgb(200, 0, 0);
        let image = r.compose(&[red, red], Color32::WHITE);
        // The street at y = 900 m, x = 500 m: the motorway colour, not the zone's.
        let p = grid.to_px([500.0, 900.0]);
        let c = image.pixels[(p[1] as u32 * grid.size_px[0] + p[0] as u32) as usize];
        let (w, street) = super::street_style(0, false);
        assert!(w >= 2.0);
        assert_eq!(c, street, "street pixel");
        // 100 m below it: the zone.
        let q = grid.to_px([500.0, 800.0]);
        assert_eq!(image.pixels[(q[1] as u32 * grid.size_px[0] + q[0] as u32) as usize], red);
    }

    #[test]
    fn the_image_lies_on_the_map_and_follows_a_pan() {
        let geo = geometry();
        let (mut view, rect) = view_and_rect();
        let grid = Grid::new(geo.id, &view, rect, 1.0, 4096);
        let on_screen = grid.screen_rect(&view, rect);
        assert!((on_screen.min - (rect.min - Vec2::splat(super::MARGIN))).length() < 1e-3, "{on_screen:?}");
        assert!((on_screen.size() - Vec2::new(grid.size_px[0] as f32, grid.size_px[1] as f32)).length() < 1e-3);
        // Drag the map 30 points right: the old image moves with it.
        view.centre[0] -= 30.0 / view.scale;
        let moved = grid.screen_rect(&view, rect);
        assert!((moved.min - on_screen.min - Vec2::new(30.0, 0.0)).length() < 1e-3, "{moved:?}");
        // Zoom in twice about the centre: the old image doubles.
        view.centre[0] += 30.0 / view.scale;
        view.scale *= 2.0;
        assert!((grid.screen_rect(&view, rect).size() - on_screen.size() * 2.0).length() < 1e-2);
    }

    #[test]
    fn recolouring_reuses_the_raster_and_a_new_view_is_drawn_in_the_background() {
        let ctx = egui::Context::default();
        let geo = geometry();
        let scene = Scene::of(&geo);
        let (mut view, rect) = view_and_rect();
        let mut image = MapImage::default();
        let colours = [Color32::RED, Color32::BLUE];
        let want = |view: &MapView, colours: &[Color32]| -> (Grid, Vec<Color32>) { (Grid::new(geo.id, view, rect, 1.0, 4096), colours.to_vec()) };
        let (g0, c0) = want(&view, &colours);
        let first = image.update(&ctx, &scene, &Want { grid: g0, lower: lower(), upper: upper(), colours: &c0, background: Color32::WHITE });
        assert_eq!(first.map(|f| f.1), Some(g0), "the first image is drawn at once");
        let texture = first.map(|f| f.0);
        // New colours (an edit): same texture, same raster.
        let c1 = [Color32::GREEN, Color32::BLUE];
        let again = image.update(&ctx, &scene, &Want { grid: g0, lower: lower(), upper: upper(), colours: &c1, background: Color32::WHITE });
        assert_eq!(again.map(|f| f.0), texture);
        assert_eq!(image.composed.as_ref().map(|c| c.0.clone()), Some(c1.to_vec()));
        // A pan: the old image stays until the worker's arrives.
        view.centre[0] += 100.0;
        let (g1, _) = want(&view, &c1);
        let during = image.update(&ctx, &scene, &Want { grid: g1, lower: lower(), upper: upper(), colours: &c1, background: Color32::WHITE });
        assert_eq!(during.map(|f| f.1), Some(g0));
        let mut shown = g0;
        for _ in 0..500 {
            std::thread::sleep(std::time::Duration::from_millis(5));
            if let Some((_, g)) = image.update(&ctx, &scene, &Want { grid: g1, lower: lower(), upper: upper(), colours: &c1, background: Color32::WHITE }) {
                shown = g;
            }
            if shown == g1 {
                break;
            }
        }
        assert_eq!(shown, g1, "the new view arrives from the worker");
    }
}
