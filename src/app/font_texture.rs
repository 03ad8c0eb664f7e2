//! egui's font atlas sampled with nearest filtering. egui uploads its atlas
//! (the glyphs, and the white texel every plain fill and anti-aliased edge is
//! drawn with) for linear filtering; but its text is laid out on whole
//! physical pixels, each glyph a texel to a pixel, and fills sample one white
//! texel, so nearest sampling draws the same pixels. A software rasteriser
//! (Mesa's llvmpipe) samples a linear texture at about twice the cost of a
//! nearest one, on every pixel of every panel's text, fill and edge.
//! `NearestFonts`, an egui plugin, rewrites each upload of the atlas to
//! nearest filtering before the painter sees it; the app benchmark's baseline
//! (`bench::old_pixels`) switches it back to linear with a one-texel upload.

use egui::{Color32, ColorImage, ImageData, TextureId, TextureOptions, epaint::ImageDelta};

/// The plugin: the font atlas's uploads in nearest filtering (linear in the benchmark's baseline).
#[derive(Default)]
pub struct NearestFonts {
    /// The filtering the atlas was last uploaded with (`true`: linear), once it has been.
    uploaded_linear: Option<bool>,
}

impl egui::Plugin for NearestFonts {
    fn debug_name(&self) -> &'static str {
        "accessplan-nearest-fonts"
    }

    fn output_hook(&mut self, _ctx: &egui::Context, output: &mut egui::FullOutput) {
        let linear = super::bench::old_pixels();
        self.filter(&mut output.textures_delta, linear);
    }
}

impl NearestFonts {
    /// Sets the filtering of this frame's atlas uploads (`linear` or nearest); when there are
    /// none and the filtering changed, uploads the atlas's white texel again with the new one.
    pub fn filter(&mut self, delta: &mut egui::TexturesDelta, linear: bool) {
        let options = if linear { TextureOptions::LINEAR } else { TextureOptions::NEAREST };
        let font = TextureId::default();
        let mut uploaded = false;
        if let Some(deltas) = delta.set.get_mut(&font) {
            for d in deltas.iter_mut() {
                d.options = options;
                uploaded = true;
            }
        }
        if !uploaded && self.uploaded_linear.is_some_and(|was| was != linear) {
            // The top-left texel is white (egui's `WHITE_UV`): upload it again to change the filtering.
            let texel = ImageData::Color(std::sync::Arc::new(ColorImage::new([1, 1], vec![Color32::WHITE])));
            delta.set.entry(font).or_default().push(ImageDelta::partial([0, 0], texel, options));
            uploaded = true;
        }
        if uploaded {
            self.uploaded_linear = Some(linear);
        }
    }
}

/// Makes `ctx` upload its font atlas for nearest filtering.
pub fn install(ctx: &egui::Context) {
    ctx.add_plugin(NearestFonts::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The font atlas uploads of a frame with text, and their filtering.
    fn atlas_filters(out: &egui::FullOutput) -> Vec<(Option<[usize; 2]>, TextureOptions)> {
        out.textures_delta.set.get(&TextureId::default()).map_or_else(Vec::new, |ds| ds.iter().map(|d| (d.pos, d.options)).collect())
    }

    #[test]
    fn the_font_atlas_is_uploaded_for_nearest_filtering_and_the_baseline_switches_it_back() {
        let ctx = egui::Context::default();
        install(&ctx);
        let input = || egui::RawInput { screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(400.0, 300.0))), ..Default::default() };
        let out = ctx.run_ui(input(), |ui| {
            ui.label("Newport, 475 output areas");
        });
        let first = atlas_filters(&out);
        // The whole atlas at once (no position), then maybe glyph patches: every one nearest.
        assert_eq!(first.first().map(|f| f.0), Some(None));
        assert!(first.iter().all(|(_, o)| *o == TextureOptions::NEAREST), "{first:?}");
        // The baseline's filtering is set with a one-texel upload of the white texel when nothing else is uploaded.
        let mut plugin = NearestFonts { uploaded_linear: Some(false) };
        let mut delta = egui::TexturesDelta::default();
        plugin.filter(&mut delta, true);
        assert_eq!(delta.set.len(), 1);
        let ds = &delta.set[&TextureId::default()];
        assert_eq!((ds.len(), ds[0].pos, ds[0].options, ds[0].image.size()), (1, Some([0, 0]), TextureOptions::LINEAR, [1, 1]));
        // Once switched, nothing more is sent; and nothing before the atlas was first uploaded.
        let mut delta = egui::TexturesDelta::default();
        plugin.filter(&mut delta, true);
        assert!(delta.set.is_empty());
        let mut fresh = NearestFonts::default();
        fresh.filter(&mut delta, true);
        assert!(delta.set.is_empty());
    }
}
