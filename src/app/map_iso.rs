//! The isochrone overlay on the map: the bands of the last click filled
//! with transparency (nearest green, farthest red), rasterised once with
//! tiny-skia in map metres and drawn as one textured rectangle however the
//! view moves; crisp outlines drawn as lines each frame, a dot at the start
//! and a legend labelled in minutes.

use std::cell::OnceCell;

use egui::{Color32, ColorImage, Pos2, Rect, Stroke, TextureHandle, TextureOptions, Vec2};
use resvg::tiny_skia as sk;

use accessplan::geom::LocalProjection;
use accessplan::travel::isochrone::Isochrone;

/// Opacity of the band fills (of 255): the zones show through.
const FILL_ALPHA: u8 = 140;

/// Largest side of the overlay image, pixels.
const MAX_SIDE_PX: f64 = 2048.0;

/// A finished isochrone ready to draw.
pub struct IsoOverlay {
    /// The bands as an image (premultiplied RGBA), covering `bounds_m`.
    image: ColorImage,
    /// The image uploaded, once.
    texture: OnceCell<TextureHandle>,
    /// West, south, east, north, metres in the map projection.
    bounds_m: [f64; 4],
    /// Each band's rings (outlines and holes), metres, with the band's colour.
    rings: Vec<(Color32, Vec<Vec<[f64; 2]>>)>,
    /// Where the isochrone starts, metres.
    origin_m: [f64; 2],
    /// Legend title ("Car off-peak from the clicked point").
    pub title: String,
    /// Legend rows: colour and "0-5 min".
    pub legend: Vec<(Color32, String)>,
    /// The same bands for an exported map.
    pub export: accessplan::export::map_svg::IsochroneLayer,
}

/// The colour of band `i` (nearest first), opaque.
fn colour(i: usize) -> Color32 {
    let [r, g, b] = accessplan::travel::isochrone::band_colour(i);
    Color32::from_rgb(r, g, b)
}

/// Rasterises `iso`'s bands in the map's projection; `None` when there is
/// nothing to draw.
pub fn overlay(iso: &Isochrone, proj: &LocalProjection, title: String) -> Option<IsoOverlay> {
    let rings: Vec<Vec<Vec<[f64; 2]>>> = iso
        .bands
        .iter()
        .map(|b| {
            b.area
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(|r| r.coords().map(|c| proj.to_xy(accessplan::LonLat::new(c.x, c.y))).collect())
                .collect()
        })
        .collect();
    let all = rings.iter().flatten().flatten();
    let (mut w, mut s, mut e, mut n) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for p in all {
        w = w.min(p[0]);
        s = s.min(p[1]);
        e = e.max(p[0]);
        n = n.max(p[1]);
    }
    if !(w < e && s < n) {
        return None;
    }
    let res_m = ((e - w).max(n - s) / MAX_SIDE_PX).max(5.0);
    let (wpx, hpx) = (((e - w) / res_m).ceil() as u32 + 2, ((n - s) / res_m).ceil() as u32 + 2);
    let mut pixmap = sk::Pixmap::new(wpx, hpx)?;
    let px = |p: &[f64; 2]| ((p[0] - w) / res_m + 1.0, (n - p[1]) / res_m + 1.0);
    for (i, band) in rings.iter().enumerate() {
        let mut pb = sk::PathBuilder::new();
        for r in band {
            for (k, p) in r.iter().enumerate() {
                let (x, y) = px(p);
                if k == 0 {
                    pb.move_to(x as f32, y as f32);
                } else {
                    pb.line_to(x as f32, y as f32);
                }
            }
            pb.close();
        }
        let Some(path) = pb.finish() else { continue };
        let c = colour(i);
        let mut paint = sk::Paint { anti_alias: true, ..sk::Paint::default() };
        paint.set_color_rgba8(c.r(), c.g(), c.b(), FILL_ALPHA);
        pixmap.fill_path(&path, &paint, sk::FillRule::EvenOdd, sk::Transform::identity(), None);
    }
    let image = ColorImage::from_rgba_premultiplied([wpx as usize, hpx as usize], pixmap.data());
    // The exported map's layer names the bands; the legend on screen reads the same labels.
    let export = accessplan::export::map_svg::IsochroneLayer::of(iso, &title);
    let legend = export.bands.iter().enumerate().map(|(i, (label, _))| (colour(i), label.clone())).collect();
    Some(IsoOverlay {
        image,
        texture: OnceCell::new(),
        bounds_m: [w - res_m, n - (hpx - 1) as f64 * res_m, w + (wpx - 1) as f64 * res_m, n + res_m],
        rings: rings.into_iter().enumerate().map(|(i, r)| (colour(i), r)).collect(),
        origin_m: proj.to_xy(iso.origin),
        export,
        title,
        legend,
    })
}

/// Draws the overlay: the bands under the sites, the start point, and the
/// legend at the map's top right. `to` maps metres to the screen.
pub fn draw(ctx: &egui::Context, painter: &egui::Painter, rect: Rect, iso: &IsoOverlay, to: impl Fn([f64; 2]) -> Pos2, dark: bool) {
    let texture = iso.texture.get_or_init(|| ctx.load_texture("isochrone", iso.image.clone(), TextureOptions::LINEAR));
    let [w, s, e, n] = iso.bounds_m;
    let on_screen = Rect::from_min_max(to([w, n]), to([e, s]));
    painter.image(texture.id(), on_screen, Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)), Color32::WHITE);
    // Outlines a shade darker than their band, farthest first, so each
    // band's edge stays crisp at any zoom.
    for (c, band) in iso.rings.iter().rev() {
        let stroke = Stroke::new(1.5, Color32::from_rgb(c.r() / 2, c.g() / 2, c.b() / 2));
        for r in band {
            painter.add(egui::Shape::closed_line(r.iter().map(|p| to(*p)).collect(), stroke));
        }
    }
    let o = to(iso.origin_m);
    painter.circle(o, 5.0, Color32::WHITE, Stroke::new(2.5, Color32::from_gray(20)));
    // Legend.
    let text = if dark { Color32::WHITE } else { Color32::from_gray(20) };
    let h = 30.0 + 18.0 * iso.legend.len() as f32;
    let box_rect = Rect::from_min_size(Pos2::new(rect.right() - 10.0 - 200.0, rect.top() + 10.0), Vec2::new(200.0, h));
    painter.rect_filled(box_rect, 6.0, if dark { Color32::from_black_alpha(200) } else { Color32::from_white_alpha(225) });
    let mut y = box_rect.top() + 8.0;
    painter.text(Pos2::new(box_rect.left() + 8.0, y), egui::Align2::LEFT_TOP, &iso.title, egui::FontId::proportional(13.0), text);
    y += 20.0;
    for (c, l) in &iso.legend {
        let swatch = Rect::from_min_size(Pos2::new(box_rect.left() + 8.0, y), Vec2::new(22.0, 13.0));
        painter.rect_filled(swatch, 2.0, c.gamma_multiply(FILL_ALPHA as f32 / 255.0 + 0.25));
        painter.rect_stroke(swatch, 2.0, Stroke::new(1.0, Color32::from_rgb(c.r() / 2, c.g() / 2, c.b() / 2)), egui::StrokeKind::Inside);
        painter.text(Pos2::new(box_rect.left() + 38.0, y - 1.0), egui::Align2::LEFT_TOP, l, egui::FontId::proportional(12.0), text);
        y += 18.0;
    }
}
