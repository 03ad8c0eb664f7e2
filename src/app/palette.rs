//! The app's colours: the map classes and colours of `export::style` as
//! egui colours (the screen and every exported map colour a value with the
//! same `Scale::colour`), and the egui theme.

use accessplan::export::style::{Rgb, Scale};
use egui::Color32;

/// An RGB colour of the style as an egui colour.
pub const fn rgb(c: Rgb) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// The scale the map uses: minutes, or a change in minutes (diverging). The
/// app's File > Export uses the same one.
pub fn scale(diverging: bool) -> Scale {
    if diverging { Scale::change() } else { Scale::minutes() }
}

/// The colour of each of `n` zones on the map: its value (minutes, or a
/// difference when `diverging`) in the classes of `scale`; no value is grey.
pub fn zone_colours(values: &[Option<f64>], n: usize, diverging: bool) -> Vec<Color32> {
    let scale = scale(diverging);
    (0..n).map(|zi| rgb(scale.colour(values.get(zi).copied().flatten()))).collect()
}

/// Legend entries (colour, text): the classes, then the no-journey grey.
pub fn legend(diverging: bool) -> Vec<(Color32, String)> {
    scale(diverging).legend().into_iter().map(|(c, l)| (rgb(c), l)).collect()
}

/// Text that warns (no HLC yet, no travel times): dark orange, readable on both themes.
pub const WARNING: Color32 = Color32::from_rgb(0xc0, 0x5a, 0x00);

/// The fill of a warning banner, on the light or the dark theme.
pub fn warning_fill(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(0x4a, 0x30, 0x10) } else { Color32::from_rgb(0xff, 0xee, 0xd5) }
}

/// The window's background: what the side panels and the map's frame show.
pub fn panel_colour(dark: bool) -> Color32 {
    if dark { egui::Visuals::dark().panel_fill } else { egui::Visuals::light().panel_fill }
}

/// The app's theme. Panels are not filled: the frame is cleared to
/// `panel_colour` instead (eframe's `clear_color`), which looks the same
/// and spares a software renderer (Mesa llvmpipe) blending a quad over
/// the whole window every frame, most of an empty frame's cost.
pub fn visuals(dark: bool) -> egui::Visuals {
    let mut v = if dark { egui::Visuals::dark() } else { egui::Visuals::light() };
    v.panel_fill = Color32::TRANSPARENT;
    v
}

/// A change for the better in a table (colour-blind safe blue).
pub const GOOD: Color32 = Color32::from_rgb(0x00, 0x72, 0xb2);
/// A change for the worse in a table (colour-blind safe vermilion).
pub const BAD: Color32 = Color32::from_rgb(0xd5, 0x5e, 0x00);
