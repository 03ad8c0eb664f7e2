//! Site markers on the map as sprites. Each kind of marker (HLC or not,
//! offering the service or not, planned or open: eight kinds) is drawn once
//! with tiny-skia, at the display's pixels per point, into one small texture;
//! each site in view is then one textured rectangle of one mesh, instead of
//! a tessellated disc and outline (about 200 vertices a marker, which a
//! software renderer sets up one triangle at a time: a county's 300 sites
//! cost Mesa's llvmpipe more than the rest of the frame). The sprites keep
//! the markers of `export::style::site_marker` with egui's geometry: a
//! circle's outline drawn outside its disc, a square's on its edge with
//! corners rounded by one point. Each rectangle covers only its kind's inked
//! pixels: the clear rest of a cell would change nothing on screen but cost
//! a software renderer a blend per pixel.

use std::sync::{Arc, Mutex};

use egui::{Color32, ColorImage, Mesh, Pos2, Rect, Shape, TextureHandle, TextureOptions, Vec2};
use resvg::tiny_skia as sk;

use accessplan::export::style::{MarkerShape, SiteMarker, SiteState, site_marker};

use super::palette;

/// Kinds of marker: every combination of HLC, offers and planned.
const KINDS: usize = 8;

/// Points from a sprite's centre to its edge: the largest marker (an HLC's
/// 7.5-point disc with a 2-point outline outside it) and a point to spare
/// for its anti-aliased edge.
const HALF_PT: f32 = 10.5;

/// The index of a marker kind in the atlas.
fn kind(s: SiteState) -> usize {
    usize::from(s.hlc) | (usize::from(s.offers) << 1) | (usize::from(s.planned) << 2)
}

/// The state of the marker kind at `k` in the atlas.
fn state_of(k: usize) -> SiteState {
    SiteState { hlc: k & 1 != 0, offers: k & 2 != 0, planned: k & 4 != 0 }
}

/// The markers' texture for one pixels-per-point: the kinds side by side, each in a square cell.
pub struct Atlas {
    /// The texture.
    texture: TextureHandle,
    /// Pixels per point it was drawn for.
    ppp: f32,
    /// Side of a cell, pixels.
    cell_px: u32,
    /// Each kind's inked pixels within its cell: min x, min y, max x, max y
    /// (exclusive). Only these are drawn: a transparent texel changes no
    /// pixel, but a software renderer blends it all the same.
    ink_px: [[u32; 4]; KINDS],
}

/// The box of the pixels with any ink (alpha above 0) in the cell `k` of an atlas `cell_px` high.
fn ink_box(pixmap: &sk::Pixmap, k: usize, cell_px: u32) -> [u32; 4] {
    let x0 = k as u32 * cell_px;
    let mut b = [cell_px, cell_px, 0, 0];
    for y in 0..cell_px {
        for x in 0..cell_px {
            if pixmap.pixel(x0 + x, y).is_some_and(|p| p.alpha() > 0) {
                b = [b[0].min(x), b[1].min(y), b[2].max(x + 1), b[3].max(y + 1)];
            }
        }
    }
    if b[0] >= b[2] { [0, 0, 0, 0] } else { b }
}

/// A colour of the marker style with its opacity, as tiny-skia paint.
fn paint(c: accessplan::export::style::Rgb, opacity: f64) -> sk::Paint<'static> {
    let c = palette::rgb(c);
    let mut p = sk::Paint::default();
    p.set_color_rgba8(c.r(), c.g(), c.b(), (opacity.clamp(0.0, 1.0) * 255.0).round() as u8);
    p.anti_alias = true;
    p
}

/// A rectangle with rounded corners (radius `r`), pixels.
fn rounded_rect(x0: f32, y0: f32, x1: f32, y1: f32, r: f32) -> Option<sk::Path> {
    let mut pb = sk::PathBuilder::new();
    pb.move_to(x0 + r, y0);
    pb.line_to(x1 - r, y0);
    pb.quad_to(x1, y0, x1, y0 + r);
    pb.line_to(x1, y1 - r);
    pb.quad_to(x1, y1, x1 - r, y1);
    pb.line_to(x0 + r, y1);
    pb.quad_to(x0, y1, x0, y1 - r);
    pb.line_to(x0, y0 + r);
    pb.quad_to(x0, y0, x0 + r, y0);
    pb.close();
    pb.finish()
}

/// Draws one marker centred at (`cx`, `cy`) pixels, `ppp` pixels a point.
fn draw(pixmap: &mut sk::Pixmap, cx: f32, cy: f32, ppp: f32, k: &SiteMarker) {
    let (r, w) = (k.size as f32 * ppp, k.stroke_width as f32 * ppp);
    let (fill, ink) = (paint(k.fill, k.opacity), paint(k.stroke, k.opacity));
    let stroke = sk::Stroke { width: w, ..Default::default() };
    let id = sk::Transform::identity();
    match k.shape {
        MarkerShape::Circle => {
            if let Some(disc) = sk::PathBuilder::from_circle(cx, cy, r) {
                pixmap.fill_path(&disc, &fill, sk::FillRule::Winding, id, None);
            }
            // egui draws a circle's outline outside its disc.
            if let Some(ring) = sk::PathBuilder::from_circle(cx, cy, r + w / 2.0) {
                pixmap.stroke_path(&ring, &ink, &stroke, id, None);
            }
        }
        MarkerShape::Square => {
            // egui rounds a rectangle to the pixel grid, so its outline is
            // crisp: the edges here lie on pixel centres (the cell's centre is one).
            let r = r.round().max(1.0);
            if let Some(square) = rounded_rect(cx - r, cy - r, cx + r, cy + r, ppp) {
                pixmap.fill_path(&square, &fill, sk::FillRule::Winding, id, None);
                pixmap.stroke_path(&square, &ink, &stroke, id, None);
            }
        }
    }
}

impl Atlas {
    /// Draws every kind of marker for `ppp` pixels a point.
    fn new(ctx: &egui::Context, ppp: f32) -> Option<Atlas> {
        // An odd number of pixels: the centre of a cell is a pixel's centre.
        let cell_px = (2.0 * HALF_PT * ppp).ceil().max(1.0) as u32 | 1;
        let mut pixmap = sk::Pixmap::new(cell_px * KINDS as u32, cell_px)?;
        for k in 0..KINDS {
            let c = (k as f32 + 0.5) * cell_px as f32;
            draw(&mut pixmap, c, cell_px as f32 / 2.0, ppp, &site_marker(state_of(k)));
        }
        let ink_px = std::array::from_fn(|k| ink_box(&pixmap, k, cell_px));
        let image = ColorImage::from_rgba_premultiplied([pixmap.width() as usize, pixmap.height() as usize], pixmap.data());
        Some(Atlas { texture: ctx.load_texture("site-markers", image, TextureOptions::NEAREST), ppp, cell_px, ink_px })
    }

    /// The atlas kept in `ctx` for its current pixels per point (drawn again when that changes).
    fn of(ctx: &egui::Context) -> Arc<Mutex<Option<Atlas>>> {
        ctx.data_mut(|d| d.get_temp_mut_or_default::<Arc<Mutex<Option<Atlas>>>>(egui::Id::unique("accessplan-site-sprites")).clone())
    }

    /// One textured rectangle for a marker of `state` centred at `pos` (points), on the pixel grid.
    fn add(&self, mesh: &mut Mesh, pos: Pos2, state: SiteState) {
        let k = kind(state);
        let side_pt = self.cell_px as f32 / self.ppp;
        // Whole pixels: the texture's texels fall one to one on the screen's.
        let min = Pos2::new(((pos.x - side_pt / 2.0) * self.ppp).round() / self.ppp, ((pos.y - side_pt / 2.0) * self.ppp).round() / self.ppp);
        // Only the inked part of the cell.
        let [x0, y0, x1, y1] = if super::bench::old_pixels() { [0, 0, self.cell_px, self.cell_px] } else { self.ink_px[k] }.map(|v| v as f32);
        if x1 <= x0 {
            return;
        }
        let rect = Rect::from_min_max(min + Vec2::new(x0, y0) / self.ppp, min + Vec2::new(x1, y1) / self.ppp);
        let (w, h) = ((self.cell_px as usize * KINDS) as f32, self.cell_px as f32);
        let cell_x = (k as u32 * self.cell_px) as f32;
        let uv = Rect::from_min_max(Pos2::new((cell_x + x0) / w, y0 / h), Pos2::new((cell_x + x1) / w, y1 / h));
        mesh.add_rect_with_uv(rect, uv, Color32::WHITE);
    }
}

/// The markers of `sites` (each a screen position and its state), in order,
/// as one mesh over the map; `None` when no texture could be made.
pub fn markers(ctx: &egui::Context, sites: &[(Pos2, SiteState)]) -> Option<Shape> {
    let ppp = ctx.pixels_per_point();
    let atlas = Atlas::of(ctx);
    let mut atlas = atlas.lock().unwrap_or_else(|e| e.into_inner());
    if atlas.as_ref().is_none_or(|a| a.ppp != ppp) {
        *atlas = Atlas::new(ctx, ppp);
    }
    let a = atlas.as_ref()?;
    let mut mesh = Mesh::with_texture(a.texture.id());
    for &(pos, state) in sites {
        a.add(&mut mesh, pos, state);
    }
    Some(Shape::mesh(mesh))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The premultiplied pixel at (`x`, `y`) of a marker drawn alone, 1 pixel a point, centred at (12, 12).
    fn pixel_of(state: SiteState, x: u32, y: u32) -> [u8; 4] {
        let mut p = sk::Pixmap::new(24, 24).expect("a small pixmap");
        draw(&mut p, 12.0, 12.0, 1.0, &site_marker(state));
        let c = p.pixel(x, y).expect("inside");
        [c.red(), c.green(), c.blue(), c.alpha()]
    }

    #[test]
    fn the_markers_in_view_are_one_mesh_of_one_rectangle_each_on_the_pixel_grid() {
        let ctx = egui::Context::default();
        let sites = [
            (Pos2::new(100.0, 50.0), SiteState { hlc: true, offers: true, planned: false }),
            (Pos2::new(200.3, 80.6), SiteState { hlc: false, offers: true, planned: false }),
            (Pos2::new(300.0, 90.0), SiteState { hlc: true, offers: true, planned: true }),
        ];
        let Some(Shape::Mesh(mesh)) = markers(&ctx, &sites) else { panic!("one mesh") };
        // 3 sites: 12 vertices and 6 triangles (a tessellated disc with its outline has about 200 vertices).
        assert_eq!((mesh.vertices.len(), mesh.indices.len()), (12, 18));
        // Each the inked part of a 21-pixel cell (1 pixel a point) on whole pixels, centred on its site within half a pixel.
        let atlas = Atlas::of(&ctx);
        let atlas = atlas.lock().unwrap_or_else(|e| e.into_inner());
        let Some(a) = atlas.as_ref() else { panic!("an atlas") };
        assert_eq!(a.cell_px, 21);
        for (k, (pos, state)) in sites.iter().enumerate() {
            let q = &mesh.vertices[4 * k..4 * k + 4];
            let rect = Rect::from_points(&q.iter().map(|v| v.pos).collect::<Vec<_>>());
            let [x0, y0, x1, y1] = a.ink_px[kind(*state)];
            assert_eq!(rect.size(), Vec2::new((x1 - x0) as f32, (y1 - y0) as f32));
            assert_eq!(rect.min, rect.min.round(), "on the pixel grid");
            // The cell's centre, 10.5 pixels from its corner, is within half a pixel of the site.
            let centre = rect.min - Vec2::new(x0 as f32, y0 as f32) + Vec2::splat(10.5);
            assert!((centre - *pos).length() <= 0.5f32.hypot(0.5) + 1e-4, "{rect:?} around {pos:?}");
        }
        // An open HLC offering the service inks 19 x 19 pixels of its 21 (its halo reaches 8.7 points
        // from the centre), a planned one as many (its ring reaches 9.5); another site offering the
        // service fewer.
        assert_eq!(a.ink_px[kind(sites[0].1)], [1, 1, 20, 20]);
        assert_eq!(a.ink_px[kind(sites[2].1)], [1, 1, 20, 20]);
        let [x0, y0, x1, y1] = a.ink_px[kind(sites[1].1)];
        assert!((x1 - x0) * (y1 - y0) < 19 * 19, "{:?}", a.ink_px[kind(sites[1].1)]);
        // The second site is another site offering the service: the third cell of eight, from its ink's left edge.
        assert_eq!(mesh.vertices[4].uv.x, (2.0 * 21.0 + x0 as f32) / (8.0 * 21.0));
    }

    #[test]
    fn each_kind_has_its_own_cell_and_the_sprites_keep_the_markers_colours_and_sizes() {
        // Eight kinds, each index a different combination.
        let states: Vec<SiteState> = (0..KINDS).map(state_of).collect();
        assert_eq!(states.iter().map(|s| kind(*s)).collect::<Vec<_>>(), (0..KINDS).collect::<Vec<_>>());
        let ink = palette::rgb(accessplan::export::style::MARKER_INK);
        let halo = palette::rgb(accessplan::export::style::MARKER_HALO);
        // An open HLC offering the service: a 7.5-point disc of ink (its
        // 1.2-point halo outside it, to 8.7 points), nothing 9 points out.
        let hlc = SiteState { hlc: true, offers: true, planned: false };
        assert_eq!(pixel_of(hlc, 12, 12), [ink.r(), ink.g(), ink.b(), 255]);
        assert_eq!(pixel_of(hlc, 12, 2)[3], 0, "9 to 10 points above the centre: clear");
        // A planned HLC is hollow: halo inside, a 2-point ring of ink from 7.5 to 9.5 points.
        let planned = SiteState { hlc: true, offers: true, planned: true };
        assert_eq!(pixel_of(planned, 12, 12), [halo.r(), halo.g(), halo.b(), 255]);
        assert_eq!(pixel_of(planned, 12, 3), [ink.r(), ink.g(), ink.b(), 255], "8 to 9 points up: the ring");
        // Another site, not offering: a 3.75-point square (4 pixels, on the grid) at 80 % opacity.
        let other = SiteState { hlc: false, offers: false, planned: false };
        let [r, g, b, a] = pixel_of(other, 12, 12);
        assert_eq!(a, 204, "80 % opaque");
        for (got, c) in [r, g, b].into_iter().zip([ink.r(), ink.g(), ink.b()]) {
            assert!((got as f32 - c as f32 * 0.8).abs() <= 1.0, "premultiplied ink: {got} against {c}");
        }
        assert_eq!(pixel_of(other, 12, 6)[3], 0, "5 to 6 points above the centre: outside the square and its outline");
    }
}
