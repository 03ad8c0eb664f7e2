//! The stripes of egui's striped grids (the editor, the site table, the
//! results tables) drawn as plain rectangles. egui fills each stripe as a
//! rectangle with 2-point rounded corners and an anti-aliased rim a pixel
//! wide all round; the rim's long, one-pixel-thin triangles cost a software
//! rasteriser (Mesa's llvmpipe, which shades whole 4 x 4 blocks of pixels)
//! far more than the stripe itself. A stripe's edges lie on whole pixels,
//! where the rim adds nothing, and its colour is the faint tint of
//! `Visuals::faint_bg_color` (5 levels over the panel), so a plain
//! rectangle (two triangles, no rim) draws the same pixels but for the
//! tint's rounding in the four corner pixels. `FlatStripes`, an egui plugin,
//! swaps them in each frame's output; the app benchmark's baseline
//! (`bench::old_pixels`) keeps egui's.

use egui::emath::GuiRounding as _;
use egui::epaint::{ClippedShape, Mesh, RectShape};
use egui::{Color32, Shape};

/// The plugin.
pub struct FlatStripes;

impl egui::Plugin for FlatStripes {
    fn debug_name(&self) -> &'static str {
        "accessplan-flat-stripes"
    }

    fn output_hook(&mut self, ctx: &egui::Context, output: &mut egui::FullOutput) {
        if super::bench::old_pixels() {
            return;
        }
        let stripe = ctx.global_style().visuals.faint_bg_color;
        flatten(&mut output.shapes, stripe, output.pixels_per_point);
    }
}

/// Replaces each stripe (a filled rectangle of colour `stripe`, no outline,
/// no blur, corners rounded by at most 2 points) by a plain rectangle on
/// whole pixels at `ppp` pixels a point; returns how many.
pub fn flatten(shapes: &mut [ClippedShape], stripe: Color32, ppp: f32) -> usize {
    fn go(shape: &mut Shape, stripe: Color32, ppp: f32) -> usize {
        match shape {
            Shape::Vec(v) => v.iter_mut().map(|s| go(s, stripe, ppp)).sum(),
            Shape::Rect(r) if is_stripe(r, stripe) => {
                let mut mesh = Mesh::default();
                mesh.add_colored_rect(r.rect.round_to_pixels(ppp), r.fill);
                *shape = Shape::mesh(mesh);
                1
            }
            _ => 0,
        }
    }
    shapes.iter_mut().map(|cs| go(&mut cs.shape, stripe, ppp)).sum()
}

/// Whether `r` is a grid stripe of colour `stripe`.
fn is_stripe(r: &RectShape, stripe: Color32) -> bool {
    r.fill == stripe
        && r.stroke.is_empty()
        && r.blur_width == 0.0
        && r.brush.is_none()
        && r.angle == 0.0
        && [r.corner_radius.nw, r.corner_radius.ne, r.corner_radius.sw, r.corner_radius.se].iter().all(|&c| c <= 2)
}

/// Makes `ctx` draw grid stripes as plain rectangles.
pub fn install(ctx: &egui::Context) {
    ctx.add_plugin(FlatStripes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Pos2, Rect, Vec2};

    #[test]
    fn a_striped_grid_draws_its_stripes_as_two_triangles_each() {
        let ctx = egui::Context::default();
        let input = || egui::RawInput { screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(600.0, 400.0))), ..Default::default() };
        let rows = 10;
        let run = || {
            ctx.run_ui(input(), |ui| {
                egui::Grid::new("coverage").striped(true).show(ui, |ui| {
                    for i in 0..rows {
                        ui.label(format!("Locality {i}"));
                        ui.label("87.5 %");
                        ui.end_row();
                    }
                });
            })
        };
        run();
        let mut out = run();
        let stripe = ctx.global_style().visuals.faint_bg_color;
        let before = ctx.tessellate(out.shapes.clone(), 1.0);
        // Every other row is striped: five stripes.
        assert_eq!(flatten(&mut out.shapes, stripe, 1.0), rows / 2);
        let after = ctx.tessellate(out.shapes.clone(), 1.0);
        let triangles = |p: &[egui::epaint::ClippedPrimitive]| -> usize {
            p.iter().map(|p| if let egui::epaint::Primitive::Mesh(m) = &p.primitive { m.indices.len() / 3 } else { 0 }).sum()
        };
        let (b, a) = (triangles(&before), triangles(&after));
        // A rounded, rimmed stripe is dozens of triangles; a plain one two.
        assert!(b - a >= 5 * 20, "{b} triangles before, {a} after");
        // The pixels shaded in 4 x 4 blocks drop with the rims.
        let shaded = |p: &[egui::epaint::ClippedPrimitive]| -> usize { super::super::pixel_census::frame_work(p, 1.0).values().map(|w| w.blocks).sum() };
        assert!(shaded(&after) < shaded(&before), "{} blocks before, {} after", shaded(&before), shaded(&after));
        // A stripe is no longer a rectangle shape; other rectangles are left alone.
        assert_eq!(flatten(&mut out.shapes, stripe, 1.0), 0);
        let mut button = vec![ClippedShape {
            clip_rect: Rect::EVERYTHING,
            shape: Shape::rect_filled(Rect::from_min_size(Pos2::ZERO, Vec2::splat(20.0)), 2.0, Color32::from_gray(230)),
            transform_after_tessellation: Default::default(),
        }];
        assert_eq!(flatten(&mut button, stripe, 1.0), 0);
    }
}
