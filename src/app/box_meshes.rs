//! Check boxes, buttons and the other rectangles egui fills (rounded or not,
//! outlined or not), and its horizontal and vertical lines (separators,
//! grid lines), drawn as a few pixel-aligned, flat-coloured rectangles.
//! egui fills a rounded rectangle as a fan of long, thin triangles from one
//! corner and rims it with a one-pixel anti-aliased band, and draws a line
//! as a ridge of thin triangles; a software rasteriser (Mesa's llvmpipe)
//! shades whole 4 x 4 blocks of pixels for each triangle, so a 14 x 14
//! check box costs it thousands of pixels. The sides of such a shape are
//! straight, so each row (or column) along a side has one colour:
//! `BoxMeshes` tessellates the shape as egui would, reads the colour egui's
//! triangles give each pixel centre it needs (the same interpolation the
//! rasteriser does), and draws the same pixels as rectangles of one colour
//! on whole pixels: the corners pixel row by pixel row (a lone pixel as one
//! small triangle), each side one rectangle a row or column, the inside
//! one rectangle. What it read is kept per shape (its size, colours and
//! place within its pixel), so a frame of the same boxes costs a look-up
//! each. A shape whose sides are not uniform along their length is left as
//! egui draws it. The app benchmark's baseline (`bench::old_boxes`) keeps
//! egui's triangles.

use std::collections::HashMap;
use std::sync::Arc;

use egui::epaint::{ClippedShape, Mesh, RectShape, Tessellator};
use egui::{Color32, Pos2, Rect, Shape};

/// One rectangle of whole pixels in one colour, relative to the shape's first pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelRect {
    /// First column.
    pub x0: i32,
    /// First row.
    pub y0: i32,
    /// Column after the last.
    pub x1: i32,
    /// Row after the last.
    pub y1: i32,
    /// Its colour (premultiplied, as egui's vertices).
    pub color: Color32,
}

/// Shapes read so far: a shape's `Key` to its rectangles (relative to the
/// pixel of its first point), or `None` where it is left to egui.
type Known = HashMap<Key, Option<Arc<Vec<PixelRect>>>>;

/// The plugin, with the shapes it has read.
#[derive(Default)]
pub struct BoxMeshes {
    /// What each shape seen draws.
    known: Known,
}

/// Shapes kept at most; the memory is cleared when it grows past this (hover colours, resized buttons).
const KNOWN_MAX: usize = 4096;

impl egui::Plugin for BoxMeshes {
    fn debug_name(&self) -> &'static str {
        "accessplan-box-meshes"
    }

    fn output_hook(&mut self, ctx: &egui::Context, output: &mut egui::FullOutput) {
        if super::bench::old_boxes() {
            return;
        }
        let options = ctx.tessellation_options(|o| *o);
        if !options.feathering {
            return;
        }
        let mut tess = Tessellator::new(output.pixels_per_point, options, [1, 1], Vec::new());
        if self.known.len() > KNOWN_MAX {
            self.known.clear();
        }
        remesh(&mut output.shapes, &mut tess, output.pixels_per_point, &mut self.known);
    }
}

/// Replaces each rectangle shape of `shapes` that egui draws on whole
/// pixels by its pixels as flat rectangles (`PixelRect`) at `ppp` pixels a
/// point; returns how many were replaced.
pub fn remesh(shapes: &mut [ClippedShape], tess: &mut Tessellator, ppp: f32, known: &mut Known) -> usize {
    fn go(shape: &mut Shape, tess: &mut Tessellator, ppp: f32, known: &mut Known) -> usize {
        match shape {
            Shape::Vec(v) => v.iter_mut().map(|s| go(s, tess, ppp, known)).sum(),
            Shape::Rect(r) if is_plain(r) => {
                let key = rect_key(r, ppp);
                let most = corner_px(r, ppp);
                let r = &*r;
                let mesh = flat_shape(
                    key,
                    r.rect.min,
                    ppp,
                    known,
                    &mut || {
                        let mut mesh = Mesh::default();
                        tess.tessellate_rect(r, &mut mesh);
                        mesh
                    },
                    &|_, _| (2..=most).map(|c| (c, c)).collect(),
                );
                replace(shape, mesh)
            }
            Shape::LineSegment { points, stroke } if (points[0].x == points[1].x || points[0].y == points[1].y) && points.iter().all(|p| p.is_finite()) => {
                // A separator or a grid line, along the pixel rows or columns: its ends as corner cells, its width whole.
                let (points, stroke) = (*points, *stroke);
                let key = line_key(points, stroke, ppp);
                let most = ((stroke.width * ppp).ceil() as i32) + 3;
                let ends = move |w: i32, h: i32| -> Vec<(i32, i32)> {
                    if w >= h { (1..=most).map(|c| (c, h / 2)).collect() } else { (1..=most).map(|c| (w / 2, c)).collect() }
                };
                let mesh = flat_shape(
                    key,
                    points[0],
                    ppp,
                    known,
                    &mut || {
                        let mut mesh = Mesh::default();
                        tess.tessellate_line_segment(points, stroke, &mut mesh);
                        mesh
                    },
                    &ends,
                );
                replace(shape, mesh)
            }
            _ => 0,
        }
    }
    shapes.iter_mut().map(|cs| go(&mut cs.shape, tess, ppp, known)).sum()
}

/// Puts `mesh` in place of `shape` if there is one; 1 if so.
fn replace(shape: &mut Shape, mesh: Option<Mesh>) -> usize {
    match mesh {
        Some(mesh) => {
            *shape = Shape::mesh(mesh);
            1
        }
        None => 0,
    }
}

/// Whether `r` is a candidate: not turned, not blurred, not textured, of a sane size.
fn is_plain(r: &RectShape) -> bool {
    r.angle == 0.0 && r.blur_width == 0.0 && r.brush.is_none() && r.rect.is_finite() && r.rect.width() < 1e5 && r.rect.height() < 1e5
}

/// The sizes of corner cells to try (columns, rows) for a shape of `w` x `h` pixels, smallest first.
type Cells<'a> = &'a dyn Fn(i32, i32) -> Vec<(i32, i32)>;

/// What makes a shape's pixels, up to a move by whole pixels: its kind,
/// where it starts within its pixel and its size (to 1/1024 of a pixel),
/// corners, colours, outline, and the pixels a point.
type Key = [i64; 12];

/// A length in points as 1/1024 of a pixel at `ppp` pixels a point.
fn quantised(v: f32, ppp: f32) -> i64 {
    (v * ppp * 1024.0).round() as i64
}

/// A colour's four bytes as one number.
fn color_bits(c: Color32) -> i64 {
    i64::from(u32::from_le_bytes(c.to_array()))
}

/// The key of rectangle `r` at `ppp` pixels a point.
fn rect_key(r: &RectShape, ppp: f32) -> Key {
    let q = |v: f32| quantised(v, ppp);
    let c = r.corner_radius;
    [
        0,
        q(r.rect.min.x.rem_euclid(1.0 / ppp)),
        q(r.rect.min.y.rem_euclid(1.0 / ppp)),
        q(r.rect.width()),
        q(r.rect.height()),
        i64::from(u32::from_le_bytes([c.nw, c.ne, c.sw, c.se])),
        color_bits(r.fill),
        i64::from(r.stroke.width.to_bits()),
        color_bits(r.stroke.color),
        r.stroke_kind as i64,
        r.round_to_pixels.map_or(2, i64::from),
        i64::from(ppp.to_bits()),
    ]
}

/// The key of the line segment `points` drawn with `stroke` at `ppp` pixels
/// a point (its own kind; no corners, fill or outline kind).
fn line_key(points: [Pos2; 2], stroke: egui::Stroke, ppp: f32) -> Key {
    let q = |v: f32| quantised(v, ppp);
    [
        1,
        q(points[0].x.rem_euclid(1.0 / ppp)),
        q(points[0].y.rem_euclid(1.0 / ppp)),
        q(points[1].x - points[0].x),
        q(points[1].y - points[0].y),
        0,
        color_bits(stroke.color),
        i64::from(stroke.width.to_bits()),
        0,
        0,
        0,
        i64::from(ppp.to_bits()),
    ]
}

/// The shape of `key` whose first point is `anchor`, as flat rectangles
/// on whole pixels, or `None` where egui's own drawing is kept. A shape not
/// seen before is tessellated (`tessellate`, as egui would) and read at
/// every pixel centre it needs, trying the corner cells `cells` gives.
fn flat_shape(key: Key, anchor: Pos2, ppp: f32, known: &mut Known, tessellate: &mut dyn FnMut() -> Mesh, cells: Cells) -> Option<Mesh> {
    let (ax, ay) = ((anchor.x * ppp).floor(), (anchor.y * ppp).floor());
    let rects = known.entry(key).or_insert_with(|| {
        let mesh = tessellate();
        if mesh.indices.is_empty() {
            return Some(Arc::new(Vec::new()));
        }
        // The triangles in pixels, relative to the first pixel of their bounds.
        let bounds = mesh.calc_bounds();
        let (ox, oy) = ((bounds.min.x * ppp).floor(), (bounds.min.y * ppp).floor());
        let tris = triangles_px(&mesh, ppp, ox, oy);
        let w = ((bounds.max.x * ppp).ceil() - ox) as i32;
        let h = ((bounds.max.y * ppp).ceil() - oy) as i32;
        // The smallest corner cells that hold the rounding (the sides are checked uniform), kept relative to the anchor's pixel.
        let (dx, dy) = ((ox - ax) as i32, (oy - ay) as i32);
        let rects = cells(w, h).into_iter().find_map(|(cx, cy)| pixel_rects(&tris, w, h, cx, cy))?;
        Some(Arc::new(rects.into_iter().map(|p| PixelRect { x0: p.x0 + dx, x1: p.x1 + dx, y0: p.y0 + dy, y1: p.y1 + dy, ..p }).collect()))
    });
    let rects = rects.as_ref()?;
    let mut out = Mesh::default();
    out.reserve_vertices(4 * rects.len());
    out.reserve_triangles(2 * rects.len());
    for p in rects.iter() {
        let (x0, y0) = (ax + p.x0 as f32, ay + p.y0 as f32);
        if p.x1 - p.x0 == 1 && p.y1 - p.y0 == 1 {
            // One pixel: one triangle holding its centre and no other, its
            // legs towards the inside of the pixel's 4 x 4 block.
            let (dx, sx) = if x0.rem_euclid(4.0) < 2.0 { (0.0, 1.0) } else { (1.0, -1.0) };
            let (dy, sy) = if y0.rem_euclid(4.0) < 2.0 { (0.0, 1.0) } else { (1.0, -1.0) };
            let (cx, cy) = (x0 + dx, y0 + dy);
            let i = out.vertices.len() as u32;
            for (x, y) in [(cx, cy), (cx + sx * ONE_PIXEL_LEG, cy), (cx, cy + sy * ONE_PIXEL_LEG)] {
                out.colored_vertex(Pos2::new(x / ppp, y / ppp), p.color);
            }
            out.add_triangle(i, i + 1, i + 2);
        } else {
            let max = Pos2::new((ax + p.x1 as f32) / ppp, (ay + p.y1 as f32) / ppp);
            out.add_colored_rect(Rect::from_min_max(Pos2::new(x0 / ppp, y0 / ppp), max), p.color);
        }
    }
    Some(out)
}

/// The legs (pixels) of the right triangle that draws one pixel from its
/// corner: past the pixel's centre (half way along the hypotenuse of legs
/// of 1) and short of its neighbours' (which lie on the hypotenuse of legs of 2).
const ONE_PIXEL_LEG: f32 = 1.75;

/// How far (pixels) the rounding of `r`'s corners can reach from its
/// bounds, with its outline and the anti-aliased rim: the corner cells.
fn corner_px(r: &RectShape, ppp: f32) -> i32 {
    let c = r.corner_radius;
    let radius = c.nw.max(c.ne).max(c.sw).max(c.se) as f32;
    // egui adds 0.4 points to a rounded corner, and the outline widens it.
    (((radius + 0.4 + 2.0 * r.stroke.width) * ppp + 2.0).ceil() as i32).max(2)
}

/// A triangle's corners in pixels: x, y and the colour.
type TriPx = [(f32, f32, Color32); 3];

/// The triangles of `mesh` in pixels relative to pixel (`ox`, `oy`).
fn triangles_px(mesh: &Mesh, ppp: f32, ox: f32, oy: f32) -> Vec<TriPx> {
    mesh.indices
        .chunks_exact(3)
        .filter_map(|t| {
            let v = |i: u32| mesh.vertices.get(i as usize).map(|v| (v.pos.x * ppp - ox, v.pos.y * ppp - oy, v.color));
            Some([v(t[0])?, v(t[1])?, v(t[2])?])
        })
        .collect()
}

/// The colour the triangles give the centre of pixel (`x`, `y`): the
/// first triangle holding it, its corners' colours interpolated (egui's
/// meshes are continuous in colour, so a centre on a shared edge has the
/// same colour from either side, and their outer edges are transparent).
pub fn color_at(tris: &[TriPx], x: i32, y: i32) -> Color32 {
    let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
    const EPS: f32 = 1e-4;
    for [a, b, c] in tris {
        let d = (b.1 - c.1) * (a.0 - c.0) + (c.0 - b.0) * (a.1 - c.1);
        if d.abs() < 1e-9 {
            continue;
        }
        let wa = ((b.1 - c.1) * (px - c.0) + (c.0 - b.0) * (py - c.1)) / d;
        let wb = ((c.1 - a.1) * (px - c.0) + (a.0 - c.0) * (py - c.1)) / d;
        let wc = 1.0 - wa - wb;
        if wa >= -EPS && wb >= -EPS && wc >= -EPS {
            let ch = |i: usize| {
                let v = wa * a.2.to_array()[i] as f32 + wb * b.2.to_array()[i] as f32 + wc * c.2.to_array()[i] as f32;
                v.round().clamp(0.0, 255.0) as u8
            };
            return Color32::from_rgba_premultiplied(ch(0), ch(1), ch(2), ch(3));
        }
    }
    Color32::TRANSPARENT
}

/// The pixels of the `w` x `h` pixels the triangles cover, as flat
/// rectangles: the four `cx` x `cy` corner cells row by row, each side
/// between them as one colour per row (or column), every pixel checked,
/// and the inside (if any) as one rectangle, checked at its corners and
/// centre (with uniform sides, what lies inside them is the fill). `None`
/// when the shape is too small for its corners or a side or the inside is
/// not uniform (not a rectangle, or a line along the pixels).
pub fn pixel_rects(tris: &[TriPx], w: i32, h: i32, cx: i32, cy: i32) -> Option<Vec<PixelRect>> {
    if w < 2 * cx || h < 2 * cy || cx < 1 || cy < 1 {
        return None;
    }
    let mut out = Vec::new();
    let mut push = |x0: i32, y0: i32, x1: i32, y1: i32, color: Color32| {
        if color != Color32::TRANSPARENT && x1 > x0 && y1 > y0 {
            out.push(PixelRect { x0, y0, x1, y1, color });
        }
    };
    // Corners: runs of one colour in each row.
    for (x0, y0) in [(0, 0), (w - cx, 0), (0, h - cy), (w - cx, h - cy)] {
        for y in y0..y0 + cy {
            let mut x = x0;
            while x < x0 + cx {
                let col = color_at(tris, x, y);
                let mut end = x + 1;
                while end < x0 + cx && color_at(tris, end, y) == col {
                    end += 1;
                }
                push(x, y, end, y + 1, col);
                x = end;
            }
        }
    }
    // Top and bottom sides: one colour a row, every pixel checked.
    if w > 2 * cx {
        for y in (0..cy).chain(h - cy..h) {
            let col = color_at(tris, cx, y);
            if (cx + 1..w - cx).any(|x| color_at(tris, x, y) != col) {
                return None;
            }
            push(cx, y, w - cx, y + 1, col);
        }
    }
    // Left and right sides: one colour a column.
    if h > 2 * cy {
        for x in (0..cx).chain(w - cx..w) {
            let col = color_at(tris, x, cy);
            if (cy + 1..h - cy).any(|y| color_at(tris, x, y) != col) {
                return None;
            }
            push(x, cy, x + 1, h - cy, col);
        }
    }
    // The inside: every pixel checked where it is small or thin (the middle
    // of a line), its corners and centre where it is large (the fill of a box).
    if w > 2 * cx && h > 2 * cy {
        let col = color_at(tris, cx, cy);
        let (iw, ih) = (w - 2 * cx, h - 2 * cy);
        let uniform = if iw.min(ih) <= 2 || iw * ih <= 1024 {
            (cy..h - cy).all(|y| (cx..w - cx).all(|x| color_at(tris, x, y) == col))
        } else {
            [(w - cx - 1, cy), (cx, h - cy - 1), (w - cx - 1, h - cy - 1), (w / 2, h / 2)].iter().all(|&(x, y)| color_at(tris, x, y) == col)
        };
        if !uniform {
            return None;
        }
        push(cx, cy, w - cx, h - cy, col);
    }
    Some(merge(out))
}

/// Merges rectangles of one colour that continue each other: side by side
/// with the same rows, then one above the other with the same columns.
fn merge(mut rects: Vec<PixelRect>) -> Vec<PixelRect> {
    loop {
        let mut merged = false;
        'outer: for i in 0..rects.len() {
            for j in 0..rects.len() {
                let (a, b) = (rects[i], rects[j]);
                if i == j || a.color != b.color {
                    continue;
                }
                let joined = if a.y0 == b.y0 && a.y1 == b.y1 && a.x1 == b.x0 {
                    Some(PixelRect { x1: b.x1, ..a })
                } else if a.x0 == b.x0 && a.x1 == b.x1 && a.y1 == b.y0 {
                    Some(PixelRect { y1: b.y1, ..a })
                } else {
                    None
                };
                if let Some(r) = joined {
                    rects[i] = r;
                    rects.swap_remove(j);
                    merged = true;
                    break 'outer;
                }
            }
        }
        if !merged {
            return rects;
        }
    }
}

/// Makes `ctx` draw its rectangles as flat pixel rectangles.
pub fn install(ctx: &egui::Context) {
    ctx.add_plugin(BoxMeshes::default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{ClippedPrimitive, CornerRadius, Primitive, Stroke, StrokeKind};
    use egui::{Pos2, Vec2};

    /// Each pixel's colour in `area` (pixels) under the tessellated `prims`, row by row.
    fn pixels(prims: &[ClippedPrimitive], ppp: f32, area: [i32; 4]) -> Vec<Color32> {
        let mut tris = Vec::new();
        for p in prims {
            if let Primitive::Mesh(m) = &p.primitive {
                tris.extend(triangles_px(m, ppp, 0.0, 0.0));
            }
        }
        let mut out = Vec::new();
        for y in area[1]..area[3] {
            for x in area[0]..area[2] {
                out.push(color_at(&tris, x, y));
            }
        }
        out
    }

    /// `shapes` tessellated as egui does at `ppp` pixels a point.
    fn tessellate(shapes: &[ClippedShape], ppp: f32) -> Vec<ClippedPrimitive> {
        Tessellator::new(ppp, Default::default(), [1, 1], Vec::new()).tessellate_shapes(shapes.to_vec())
    }

    fn clipped(shape: Shape) -> Vec<ClippedShape> {
        vec![ClippedShape { clip_rect: Rect::EVERYTHING, shape, transform_after_tessellation: Default::default() }]
    }

    /// Triangles and shaded 4 x 4 blocks of `prims`.
    fn cost(prims: &[ClippedPrimitive], ppp: f32) -> (usize, usize) {
        let w = super::super::pixel_census::frame_work(prims, ppp);
        (w.values().map(|w| w.triangles).sum(), w.values().map(|w| w.blocks).sum())
    }

    #[test]
    fn a_check_box_is_drawn_as_the_same_pixels_in_far_fewer_blocks() {
        let ppp = 1.0;
        let mut tess = Tessellator::new(ppp, Default::default(), [1, 1], Vec::new());
        // egui's inactive check box in the light theme: 14 x 14 points, corners rounded by 2, no outline.
        let fill = Color32::from_gray(230);
        let shape = Shape::rect_filled(Rect::from_min_size(Pos2::new(101.0, 37.0), Vec2::splat(14.0)), 2.0, fill);
        let mut shapes = clipped(shape);
        let before = tessellate(&shapes, ppp);
        let mut known = Known::new();
        assert_eq!(remesh(&mut shapes, &mut tess, ppp, &mut known), 1);
        let after = tessellate(&shapes, ppp);
        // Every pixel around it the same colour, to the level.
        let area = [96, 32, 120, 56];
        assert_eq!(pixels(&before, ppp, area), pixels(&after, ppp, area));
        // egui: a rim of 40 triangles and a fan of 18 (20 points round); now
        // 5 rectangles of fill and a triangle for each of the 12 rim pixels in the corners.
        let ((tb, bb), (ta, ba)) = (cost(&before, ppp), cost(&after, ppp));
        assert_eq!((tb, ta), (58, 22));
        // The 4 x 4 blocks shaded: 64 (1,024 pixels) against egui's 153 (2,448 pixels).
        assert_eq!((bb, ba), (153, 64));
        // Its 196 pixels: 184 of the fill and, in each corner, one at alpha 0x38 and two at 0xC5.
        let px = pixels(&after, ppp, area);
        let count = |a: u8| px.iter().filter(|c| c.a() == a).count();
        assert_eq!((count(255), count(0xC5), count(0x38), px.iter().filter(|c| c.a() > 0).count()), (184, 8, 4, 196));
        assert!(px.iter().all(|c| c.a() != 255 || *c == fill));
        // The same box elsewhere is read from memory: one shape known.
        let mut again = clipped(Shape::rect_filled(Rect::from_min_size(Pos2::new(301.0, 237.0), Vec2::splat(14.0)), 2.0, fill));
        assert_eq!(remesh(&mut again, &mut tess, ppp, &mut known), 1);
        assert_eq!(known.len(), 1);
    }

    /// `shape` is replaced, gives the same pixels in `area` (points) and
    /// shades fewer 4 x 4 blocks.
    fn assert_same_pixels_fewer_blocks(shape: Shape, area: [f32; 4], ppp: f32, tess: &mut Tessellator, known: &mut Known, what: &str) {
        let mut shapes = clipped(shape);
        let before = tessellate(&shapes, ppp);
        assert_eq!(remesh(&mut shapes, tess, ppp, known), 1, "{what}");
        let after = tessellate(&shapes, ppp);
        let area = area.map(|v| (v * ppp) as i32);
        assert_eq!(pixels(&before, ppp, area), pixels(&after, ppp, area), "{what}");
        let ((tb, bb), (ta, ba)) = (cost(&before, ppp), cost(&after, ppp));
        assert!(ba < bb, "{what}: {tb} triangles, {bb} blocks before; {ta}, {ba} after");
    }

    #[test]
    fn buttons_fields_and_separators_keep_their_pixels_and_other_shapes_are_left_alone() {
        for ppp in [1.0, 2.0] {
            let mut tess = Tessellator::new(ppp, Default::default(), [1, 1], Vec::new());
            let mut known = Known::new();
            let r = Rect::from_min_size(Pos2::new(40.3, 20.0), Vec2::new(120.0, 21.0));
            for shape in [
                // A button: weak fill, 2-point corners, no outline.
                Shape::rect_filled(r, 2.0, Color32::from_gray(230)),
                // A hovered button: a one-point outline.
                Shape::Rect(RectShape::new(r, CornerRadius::same(3), Color32::from_gray(220), Stroke::new(1.0, Color32::from_gray(105)), StrokeKind::Inside)),
                // A text field: outlined in the middle, half-transparent fill.
                Shape::Rect(RectShape::new(
                    r,
                    CornerRadius::same(2),
                    Color32::from_black_alpha(40),
                    Stroke::new(1.0, Color32::from_gray(190)),
                    StrokeKind::Middle,
                )),
                // A square panel fill.
                Shape::rect_filled(r, 0.0, Color32::from_rgb(248, 248, 248)),
            ] {
                assert_same_pixels_fewer_blocks(shape, [30.0, 10.0, 170.0, 50.0], ppp, &mut tess, &mut known, &format!("ppp {ppp}"));
            }
            // Separators and grid lines: horizontal and vertical, one point wide and wider.
            for (a, b, width) in [((30.5, 25.0), (160.0, 25.0), 1.0), ((100.0, 12.0), (100.0, 48.0), 1.0), ((40.0, 30.0), (150.0, 30.0), 2.0)] {
                let line = Shape::line_segment([Pos2::new(a.0, a.1), Pos2::new(b.0, b.1)], Stroke::new(width, Color32::from_gray(190)));
                assert_same_pixels_fewer_blocks(line, [20.0, 5.0, 170.0, 55.0], ppp, &mut tess, &mut known, &format!("ppp {ppp}, line {a:?}-{b:?}"));
            }
            // Left alone: a slanted line, a turned rectangle, a blurred one (a shadow), a circle.
            let mut turned = RectShape::filled(r, 2.0, Color32::GRAY);
            turned.angle = 0.3;
            let mut shadow = RectShape::filled(r, 2.0, Color32::GRAY);
            shadow.blur_width = 8.0;
            let mut others = vec![
                Shape::line_segment([Pos2::new(10.0, 10.0), Pos2::new(60.0, 30.0)], Stroke::new(1.0, Color32::GRAY)),
                Shape::Rect(turned),
                Shape::Rect(shadow),
                Shape::circle_filled(Pos2::new(50.0, 50.0), 8.0, Color32::GRAY),
            ]
            .into_iter()
            .flat_map(clipped)
            .collect::<Vec<_>>();
            let was = format!("{others:?}");
            assert_eq!(remesh(&mut others, &mut tess, ppp, &mut known), 0);
            assert_eq!(format!("{others:?}"), was);
        }
    }
}
