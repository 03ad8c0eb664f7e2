//! Maps as PNG: the SVG map of `map_svg` rasterised with resvg (tiny-skia),
//! so a PNG shows exactly what the SVG shows, one drawing in two encodings.
//! Text is set in the fonts the app uses (Ubuntu Light, Hack as a fallback),
//! built into the program, so an image looks the same on every machine and
//! no system font is read. Used by the app's File > Export and open to the
//! command line.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use crate::export::map_svg::{MapSpec, render_svg};
use crate::model::Site;
use crate::region::Region;

/// Why a map could not be drawn as PNG.
#[derive(Debug, thiserror::Error)]
pub enum MapPngError {
    /// The SVG did not parse (a bug in the SVG writer, or a hand-made SVG).
    #[error("the map SVG does not parse: {0}")]
    Svg(#[from] usvg::Error),
    /// The requested image has no pixels or is too large to allocate.
    #[error("a {width} x {height} pixel image is not possible")]
    Size {
        /// Requested width, pixels.
        width: u32,
        /// Requested height, pixels.
        height: u32,
    },
    /// PNG encoding failed.
    #[error("the PNG could not be encoded: {0}")]
    Encode(String),
}

/// The map of `spec` on `region` with `sites` as PNG bytes, `spec.width_px`
/// x `spec.height_px` pixels.
pub fn render_png(region: &Region, sites: &[Site], spec: &MapSpec) -> Result<Vec<u8>, MapPngError> {
    svg_to_png(&render_svg(region, sites, spec), spec.width_px, spec.height_px)
}

/// Rasterises an SVG document to PNG bytes of `width` x `height` pixels on a
/// white background, scaled to fill the image.
pub fn svg_to_png(svg: &str, width: u32, height: u32) -> Result<Vec<u8>, MapPngError> {
    let opt = usvg::Options { fontdb: fonts(), ..Default::default() };
    let tree = usvg::Tree::from_str(svg, &opt)?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or(MapPngError::Size { width, height })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let size = tree.size();
    let t = tiny_skia::Transform::from_scale(width as f32 / size.width(), height as f32 / size.height());
    resvg::render(&tree, t, &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| MapPngError::Encode(e.to_string()))
}

/// The fonts maps are drawn with, loaded once: the app's own (egui's default
/// fonts), with Ubuntu as the sans-serif family every map's font stack ends in.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
            db.load_font_data(epaint_default_fonts::HACK_REGULAR.to_vec());
            db.set_sans_serif_family("Ubuntu");
            Arc::new(db)
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_becomes_a_png_of_the_requested_size() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20"><rect x="0" y="0" width="20" height="20" fill="#2166ac"/><text x="22" y="14" font-size="10" font-family="sans-serif">Ab</text></svg>"##;
        let png = svg_to_png(svg, 80, 40).unwrap();
        let img = tiny_skia::Pixmap::decode_png(&png).unwrap();
        assert_eq!((img.width(), img.height()), (80, 40));
        // Scaled to fill: the blue square covers the left half, white elsewhere.
        let px = |x: u32, y: u32| img.pixel(x, y).map(|p| [p.red(), p.green(), p.blue()]).unwrap();
        assert_eq!(px(10, 20), [0x21, 0x66, 0xac]);
        assert_eq!(px(79, 0), [0xff, 0xff, 0xff]);
        // The text is drawn (a font was found): some dark pixels right of the square.
        let dark = (44..80).flat_map(|x| (0..40).map(move |y| (x, y))).filter(|&(x, y)| px(x, y)[0] < 128).count();
        assert!(dark > 10, "{dark} dark pixels of text");
        assert!(matches!(svg_to_png(svg, 0, 10), Err(MapPngError::Size { width: 0, height: 10 })));
        assert!(matches!(svg_to_png("<svg", 10, 10), Err(MapPngError::Svg(_))));
    }
}
