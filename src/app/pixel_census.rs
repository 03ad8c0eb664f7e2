//! What a frame asks the rasteriser to do, counted from egui's own output:
//! for each texture, the meshes (draw calls), the triangles and the pixels
//! they cover inside their clip rectangles (overlaps counted each time, so
//! the sum over textures against the window's pixels is the overdraw), the
//! part of that area in anti-aliased feathering (triangles with a fully
//! transparent corner), and the texels uploaded. A software rasteriser
//! (Mesa's llvmpipe) blends every covered pixel, so the area is its work;
//! the app benchmark prints the census per frame with
//! `ACCESSPLAN_BENCH_PIXELS=1` (it tessellates each frame a second time, so
//! its frame times are not the benchmark's).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use egui::epaint::{ClippedPrimitive, Primitive};
use egui::{Pos2, Rect, TextureId};

/// The rasteriser's work for one texture, summed over frames.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TextureWork {
    /// Meshes drawn with it (one draw call each).
    pub meshes: usize,
    /// Triangles.
    pub triangles: usize,
    /// Pixels covered, clipped, overlaps counted each time.
    pub area_px: f64,
    /// Of `area_px`, pixels under triangles with a fully transparent corner (anti-aliased feathering).
    pub feather_px: f64,
    /// Texels uploaded to it.
    pub uploaded_px: usize,
    /// `BLOCK_PX` x `BLOCK_PX` blocks of pixels its triangles overlap, each counted per triangle (what llvmpipe shades).
    pub blocks: usize,
}

impl TextureWork {
    /// "T triangles, P pixels (F in feathering), S shaded", each a frame over `frames` frames.
    fn pixels_per_frame(&self, frames: f64) -> String {
        format!(
            "{:.0} triangles, {:.0} pixels ({:.0} in feathering), {:.0} shaded",
            self.triangles as f64 / frames,
            self.area_px / frames,
            self.feather_px / frames,
            self.blocks as f64 * (BLOCK_PX * BLOCK_PX) as f64 / frames
        )
    }
}

/// The census of the frames seen: work per texture (by name) and the frame count.
#[derive(Debug, Clone, Default)]
pub struct Census {
    /// Work per texture, keyed by the texture's name (egui's font atlas is "egui_font_texture").
    pub by_texture: BTreeMap<String, TextureWork>,
    /// Frames counted.
    pub frames: usize,
    /// The window's pixels (of the last frame).
    pub window_px: f64,
    /// Work per clip rectangle (pixels, rounded: each panel, the map, a popup), all textures together.
    pub by_clip: BTreeMap<[i32; 4], TextureWork>,
    /// Work per kind of shape (text, rectangles rounded or not, stroked or not, lines, meshes).
    pub by_kind: BTreeMap<&'static str, TextureWork>,
}

/// The kind of a shape, for the census.
pub fn shape_kind(shape: &egui::Shape) -> &'static str {
    use egui::Shape;
    match shape {
        Shape::Text(_) => "text",
        Shape::Rect(r) => match (r.corner_radius == egui::CornerRadius::ZERO, r.stroke.is_empty(), r.blur_width > 0.0) {
            (_, _, true) => "rectangle, blurred (a shadow)",
            (true, true, false) => "rectangle, square corners, no outline",
            (true, false, false) => "rectangle, square corners, outlined",
            (false, true, false) => "rectangle, rounded, no outline",
            (false, false, false) => "rectangle, rounded, outlined",
        },
        Shape::Mesh(_) => "mesh (images, sprites)",
        Shape::Circle(_) | Shape::Ellipse(_) => "circle",
        Shape::LineSegment { .. } | Shape::Path(_) | Shape::CubicBezier(_) | Shape::QuadraticBezier(_) => "line or path",
        _ => "other",
    }
}

impl Census {
    /// Adds one frame's shapes by kind, each tessellated alone by `ctx` at `ppp`.
    pub fn add_kinds(&mut self, ctx: &egui::Context, shapes: &[egui::epaint::ClippedShape], ppp: f32) {
        fn flat(shape: &egui::Shape, parent: &egui::epaint::ClippedShape, out: &mut Vec<egui::epaint::ClippedShape>) {
            match shape {
                egui::Shape::Vec(v) => v.iter().for_each(|s| flat(s, parent, out)),
                s => {
                    let mut one = parent.clone();
                    one.shape = s.clone();
                    out.push(one);
                }
            }
        }
        let mut all = Vec::new();
        for cs in shapes {
            flat(&cs.shape, cs, &mut all);
        }
        for cs in all {
            let kind = shape_kind(&cs.shape);
            let prims = ctx.tessellate(vec![cs], ppp);
            let e = self.by_kind.entry(kind).or_default();
            for w in frame_work(&prims, ppp).values() {
                e.meshes += w.meshes;
                e.triangles += w.triangles;
                e.area_px += w.area_px;
                e.feather_px += w.feather_px;
                e.blocks += w.blocks;
            }
        }
    }
}

impl Census {
    /// Adds one frame's primitives (tessellated at `ppp` pixels per point) and texture uploads.
    pub fn add(&mut self, prims: &[ClippedPrimitive], ppp: f32, uploads: &[(TextureId, usize)], name: &dyn Fn(TextureId) -> String) {
        self.frames += 1;
        for (id, w) in frame_work(prims, ppp) {
            let e = self.by_texture.entry(name(id)).or_default();
            e.meshes += w.meshes;
            e.triangles += w.triangles;
            e.area_px += w.area_px;
            e.feather_px += w.feather_px;
            e.blocks += w.blocks;
        }
        for p in prims {
            let r = p.clip_rect;
            let key = [r.min.x, r.min.y, r.max.x, r.max.y].map(|v| (v * ppp).round() as i32);
            let w = frame_work(std::slice::from_ref(p), ppp);
            let e = self.by_clip.entry(key).or_default();
            for w in w.values() {
                e.meshes += w.meshes;
                e.triangles += w.triangles;
                e.area_px += w.area_px;
                e.feather_px += w.feather_px;
                e.blocks += w.blocks;
            }
        }
        for &(id, texels) in uploads {
            self.by_texture.entry(name(id)).or_default().uploaded_px += texels;
        }
    }

    /// Lines for the benchmark: each texture's work per frame, largest area first, and the total against the window.
    pub fn report(&self) -> Vec<String> {
        let n = self.frames.max(1) as f64;
        let mut rows: Vec<(&String, &TextureWork)> = self.by_texture.iter().collect();
        rows.sort_by(|a, b| b.1.area_px.total_cmp(&a.1.area_px));
        let total: f64 = rows.iter().map(|r| r.1.area_px).sum::<f64>() / n;
        let shaded: f64 = rows.iter().map(|r| r.1.blocks as f64).sum::<f64>() * (BLOCK_PX * BLOCK_PX) as f64 / n;
        let triangles: f64 = rows.iter().map(|r| r.1.triangles as f64).sum::<f64>() / n;
        let mut out = vec![format!(
            "pixel census over {} frames: {triangles:.0} triangles, {:.0} pixels covered a frame ({:.2} times the window's {:.0}), {shaded:.0} pixels shaded in {BLOCK_PX}x{BLOCK_PX} blocks",
            self.frames,
            total,
            total / self.window_px.max(1.0),
            self.window_px
        )];
        for (name, w) in rows {
            out.push(format!(
                "  texture {name}: {:.1} meshes, {}, {:.0} texels uploaded, a frame",
                w.meshes as f64 / n,
                w.pixels_per_frame(n),
                w.uploaded_px as f64 / n
            ));
        }
        let mut kinds: Vec<(&&str, &TextureWork)> = self.by_kind.iter().collect();
        kinds.sort_by_key(|k| std::cmp::Reverse(k.1.blocks));
        for (k, w) in kinds {
            out.push(format!("  {k}: {}, a frame", w.pixels_per_frame(n)));
        }
        let mut clips: Vec<(&[i32; 4], &TextureWork)> = self.by_clip.iter().collect();
        clips.sort_by(|a, b| b.1.area_px.total_cmp(&a.1.area_px));
        for (r, w) in clips.into_iter().take(8) {
            out.push(format!("  clip {r:?} (pixels): {:.1} meshes, {}, a frame", w.meshes as f64 / n, w.pixels_per_frame(n)));
        }
        out
    }
}

/// One frame's work per texture.
pub fn frame_work(prims: &[ClippedPrimitive], ppp: f32) -> BTreeMap<TextureId, TextureWork> {
    let mut out: BTreeMap<TextureId, TextureWork> = BTreeMap::new();
    for p in prims {
        let Primitive::Mesh(mesh) = &p.primitive else { continue };
        let clip = Rect::from_min_max((p.clip_rect.min.to_vec2() * ppp).to_pos2(), (p.clip_rect.max.to_vec2() * ppp).to_pos2());
        let w = out.entry(mesh.texture_id).or_default();
        w.meshes += 1;
        for t in mesh.indices.chunks_exact(3) {
            let v = [t[0], t[1], t[2]].map(|i| mesh.vertices.get(i as usize));
            let [Some(a), Some(b), Some(c)] = v else { continue };
            w.triangles += 1;
            let tri = [a.pos, b.pos, c.pos].map(|q| (q.to_vec2() * ppp).to_pos2());
            let area = clipped_area(tri, clip);
            w.area_px += area;
            w.blocks += blocks_touched(tri, clip);
            if [a, b, c].iter().any(|v| v.color.a() == 0) {
                w.feather_px += area;
            }
        }
    }
    out
}

/// The area of triangle `tri` inside `clip` (the shoelace formula on `clip_triangle`).
pub fn clipped_area(tri: [Pos2; 3], clip: Rect) -> f64 {
    let poly = clip_triangle(tri, clip);
    let n = poly.len();
    let twice: f64 = (0..n).map(|i| (poly[i].x as f64) * (poly[(i + 1) % n].y as f64) - (poly[(i + 1) % n].x as f64) * (poly[i].y as f64)).sum();
    twice.abs() / 2.0
}

/// Side of the pixel blocks a software rasteriser shades together (llvmpipe: 4 x 4).
pub const BLOCK_PX: f32 = 4.0;

/// The `BLOCK_PX` blocks of pixels that triangle `tri` overlaps inside `clip`
/// (each is shaded whole, however little of it the triangle covers).
pub fn blocks_touched(tri: [Pos2; 3], clip: Rect) -> usize {
    let poly = clip_triangle(tri, clip);
    if poly.len() < 3 {
        return 0;
    }
    let n = poly.len();
    let twice: f32 = (0..n).map(|i| poly[i].x * poly[(i + 1) % n].y - poly[(i + 1) % n].x * poly[i].y).sum();
    if twice == 0.0 {
        return 0;
    }
    let (mut lo, mut hi) = (poly[0], poly[0]);
    for p in &poly {
        lo = lo.min(*p);
        hi = hi.max(*p);
    }
    let (bx0, by0) = ((lo.x / BLOCK_PX).floor() as i64, (lo.y / BLOCK_PX).floor() as i64);
    let (bx1, by1) = ((hi.x / BLOCK_PX).ceil() as i64, (hi.y / BLOCK_PX).ceil() as i64);
    let mut count = 0;
    for by in by0..by1 {
        for bx in bx0..bx1 {
            let (x0, y0) = (bx as f32 * BLOCK_PX, by as f32 * BLOCK_PX);
            let corners = [(x0, y0), (x0 + BLOCK_PX, y0), (x0, y0 + BLOCK_PX), (x0 + BLOCK_PX, y0 + BLOCK_PX)];
            // Separated when every corner lies on or outside one edge of the (convex) polygon, or the block is outside its box.
            let apart_box = x0 >= hi.x || x0 + BLOCK_PX <= lo.x || y0 >= hi.y || y0 + BLOCK_PX <= lo.y;
            let apart_edge = (0..n).any(|i| {
                let (a, b) = (poly[i], poly[(i + 1) % n]);
                corners.iter().all(|&(x, y)| ((b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)) * twice.signum() <= 0.0)
            });
            if !apart_box && !apart_edge {
                count += 1;
            }
        }
    }
    count
}

/// The part of triangle `tri` inside `clip`, a convex polygon (Sutherland-Hodgman).
fn clip_triangle(tri: [Pos2; 3], clip: Rect) -> Vec<Pos2> {
    let mut poly: Vec<Pos2> = tri.to_vec();
    // Each edge of the clip rectangle: keep the points with `inside`, cut where an edge crosses.
    let edges: [(Inside, Cut); 4] = [
        (|p, r| p.x >= r.min.x, |a, b, r| cut_x(a, b, r.min.x)),
        (|p, r| p.x <= r.max.x, |a, b, r| cut_x(a, b, r.max.x)),
        (|p, r| p.y >= r.min.y, |a, b, r| cut_y(a, b, r.min.y)),
        (|p, r| p.y <= r.max.y, |a, b, r| cut_y(a, b, r.max.y)),
    ];
    for (inside, cut) in edges {
        if poly.is_empty() {
            return poly;
        }
        let mut next = Vec::with_capacity(poly.len() + 2);
        for i in 0..poly.len() {
            let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
            match (inside(a, clip), inside(b, clip)) {
                (true, true) => next.push(b),
                (true, false) => next.push(cut(a, b, clip)),
                (false, true) => {
                    next.push(cut(a, b, clip));
                    next.push(b);
                }
                (false, false) => {}
            }
        }
        poly = next;
    }
    poly
}

/// Whether a point is on the kept side of one edge of a clip rectangle.
type Inside = fn(Pos2, Rect) -> bool;

/// Where a segment crosses one edge of a clip rectangle.
type Cut = fn(Pos2, Pos2, Rect) -> Pos2;

/// Where segment `a`-`b` crosses the vertical line `x`.
fn cut_x(a: Pos2, b: Pos2, x: f32) -> Pos2 {
    let t = (x - a.x) / (b.x - a.x);
    Pos2::new(x, a.y + t * (b.y - a.y))
}

/// Where segment `a`-`b` crosses the horizontal line `y`.
fn cut_y(a: Pos2, b: Pos2, y: f32) -> Pos2 {
    let t = (y - a.y) / (b.y - a.y);
    Pos2::new(a.x + t * (b.x - a.x), y)
}

/// An egui plugin that takes the census of every frame of the context it is added to.
pub struct CensusPlugin {
    /// The census, shared with the benchmark that prints it.
    pub census: Arc<Mutex<Census>>,
}

impl egui::Plugin for CensusPlugin {
    fn debug_name(&self) -> &'static str {
        "accessplan-pixel-census"
    }

    fn output_hook(&mut self, ctx: &egui::Context, output: &mut egui::FullOutput) {
        let ppp = output.pixels_per_point;
        let prims = ctx.tessellate(output.shapes.clone(), ppp);
        let uploads: Vec<(TextureId, usize)> =
            output.textures_delta.set.iter().flat_map(|(id, ds)| ds.iter().map(|d| (*id, d.image.width() * d.image.height()))).collect();
        let tex = ctx.tex_manager();
        let names = tex.read();
        let name = |id: TextureId| names.meta(id).map_or_else(|| format!("{id:?}"), |m| m.name.clone());
        let window = ctx.content_rect();
        let mut c = self.census.lock().unwrap_or_else(|e| e.into_inner());
        c.window_px = (window.width() * ppp * window.height() * ppp) as f64;
        c.add(&prims, ppp, &uploads, &name);
        c.add_kinds(ctx, &output.shapes, ppp);
    }
}

/// Starts counting the frames of `ctx`; the census is read (and cleared) through the returned handle.
pub fn start(ctx: &egui::Context) -> Arc<Mutex<Census>> {
    let census = Arc::new(Mutex::new(Census::default()));
    ctx.add_plugin(CensusPlugin { census: census.clone() });
    census
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_triangle_is_measured_inside_its_clip_rectangle() {
        let clip = Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(10.0, 10.0));
        // Half of a 10 x 10 square: 50 pixels, all inside.
        let half = [Pos2::new(0.0, 0.0), Pos2::new(10.0, 0.0), Pos2::new(0.0, 10.0)];
        assert_eq!(clipped_area(half, clip), 50.0);
        // Twice as large, reaching out of the clip on two sides: only the 10 x 10 square counts.
        let big = [Pos2::new(0.0, 0.0), Pos2::new(20.0, 0.0), Pos2::new(0.0, 20.0)];
        assert_eq!(clipped_area(big, clip), 100.0);
        // Reaching left of it by 5: the part right of x = 0 (under x + y = 5) is 12.5.
        let left = [Pos2::new(-5.0, 0.0), Pos2::new(5.0, 0.0), Pos2::new(-5.0, 10.0)];
        assert_eq!(clipped_area(left, clip), 12.5);
        // Wholly outside.
        assert_eq!(clipped_area([Pos2::new(20.0, 20.0), Pos2::new(30.0, 20.0), Pos2::new(20.0, 30.0)], clip), 0.0);
    }

    #[test]
    fn a_thin_triangle_costs_every_block_it_crosses() {
        let clip = Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(100.0, 100.0));
        // Half of an 8 x 8 square: three of its four 4 x 4 blocks (the fourth only meets its diagonal at a corner).
        assert_eq!(blocks_touched([Pos2::new(0.0, 0.0), Pos2::new(8.0, 0.0), Pos2::new(0.0, 8.0)], clip), 3);
        // A sliver of 20 pixels, 40 long and at most one high: 10 blocks, 160 pixels shaded.
        assert_eq!(blocks_touched([Pos2::new(0.0, 1.0), Pos2::new(40.0, 1.0), Pos2::new(0.0, 2.0)], clip), 10);
        // Crossing a block boundary (y = 4) where x > 20: 5 blocks more.
        assert_eq!(blocks_touched([Pos2::new(0.0, 3.5), Pos2::new(40.0, 3.5), Pos2::new(40.0, 4.5)], clip), 15);
        // Clipped away: nothing.
        assert_eq!(blocks_touched([Pos2::new(0.0, 200.0), Pos2::new(40.0, 200.0), Pos2::new(40.0, 201.0)], clip), 0);
    }

    #[test]
    fn a_frame_is_counted_per_texture_in_pixels_with_its_feathering() {
        use egui::epaint::{Mesh, Vertex};
        use egui::{Color32, Vec2};
        // A map image of 1,000 x 900 points reaching 64 points past a 872 x 772 clip, at 1 pixel a point.
        let image = TextureId::User(7);
        let mut map = Mesh::with_texture(image);
        map.add_rect_with_uv(
            Rect::from_min_size(Pos2::new(-64.0, -64.0), Vec2::new(1000.0, 900.0)),
            Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
            Color32::WHITE,
        );
        // A panel fill of 100 x 50 points at 2 pixels a point, with a 1-point feathered strip on its top edge.
        let mut fill = Mesh::default();
        fill.add_colored_rect(Rect::from_min_size(Pos2::new(0.0, 0.0), Vec2::new(100.0, 50.0)), Color32::GRAY);
        let base = fill.vertices.len() as u32;
        for (x, y, a) in [(0.0, 0.0, 255), (100.0, 0.0, 255), (100.0, -1.0, 0), (0.0, -1.0, 0)] {
            fill.vertices.push(Vertex { pos: Pos2::new(x, y), uv: Pos2::ZERO, color: Color32::from_black_alpha(a) });
        }
        fill.indices.extend([base, base + 1, base + 2, base, base + 2, base + 3]);
        let clip = Rect::from_min_size(Pos2::ZERO, Vec2::new(872.0, 772.0));
        let prims = vec![ClippedPrimitive { clip_rect: clip, primitive: Primitive::Mesh(map) }];
        let w = frame_work(&prims, 1.0);
        assert_eq!((w[&image].meshes, w[&image].triangles, w[&image].feather_px), (1, 2, 0.0));
        // 673,184 pixels, to the rounding of the cuts (the triangles' diagonal crosses the clip).
        assert!((w[&image].area_px - 872.0 * 772.0).abs() < 0.1, "{}", w[&image].area_px);
        // 218 x 193 blocks, and those along the diagonal once more (at most 218 + 193).
        assert!((218 * 193..=218 * 193 + 218 + 193).contains(&w[&image].blocks), "{}", w[&image].blocks);
        let prims = vec![ClippedPrimitive { clip_rect: Rect::from_min_size(Pos2::new(0.0, -10.0), Vec2::new(200.0, 200.0)), primitive: Primitive::Mesh(fill) }];
        let w = frame_work(&prims, 2.0);
        // 200 x 100 pixels of fill, and 200 x 2 of feathering.
        let f = w[&TextureId::default()];
        assert_eq!((f.meshes, f.triangles, f.area_px, f.feather_px), (1, 4, 20_400.0, 400.0));
        // Over two frames, with the image uploaded once: per frame half of it.
        let mut c = Census { window_px: 1600.0 * 1000.0, ..Census::default() };
        let name = |id: TextureId| if id == image { "map".to_string() } else { "font".to_string() };
        c.add(&prims, 2.0, &[(image, 1000 * 900)], &name);
        c.add(&prims, 2.0, &[], &name);
        assert_eq!(c.by_texture["map"].uploaded_px, 900_000);
        assert_eq!(c.by_texture["font"].area_px, 40_800.0);
    }
}
