//! Colours: a sequential palette for minutes (viridis classes, colour-blind
//! safe, light = quick) and a diverging one for differences (RdBu: blue =
//! quicker after the change, red = slower).

use egui::Color32;

/// Upper bounds (minutes) of the sequential classes; the last is open.
pub const MINUTE_BREAKS: [f64; 6] = [5.0, 10.0, 15.0, 20.0, 30.0, 45.0];

/// Sequential class colours, one more than the breaks.
pub const MINUTE_COLOURS: [Color32; 7] = [
    Color32::from_rgb(0xfd, 0xe7, 0x25),
    Color32::from_rgb(0x90, 0xd7, 0x43),
    Color32::from_rgb(0x35, 0xb7, 0x79),
    Color32::from_rgb(0x21, 0x91, 0x8c),
    Color32::from_rgb(0x31, 0x68, 0x8e),
    Color32::from_rgb(0x44, 0x39, 0x83),
    Color32::from_rgb(0x44, 0x01, 0x54),
];

/// Bounds (minutes, after minus before) of the diverging classes.
pub const DIFF_BREAKS: [f64; 6] = [-10.0, -5.0, -1.0, 1.0, 5.0, 10.0];

/// Diverging class colours.
pub const DIFF_COLOURS: [Color32; 7] = [
    Color32::from_rgb(0x21, 0x66, 0xac),
    Color32::from_rgb(0x67, 0xa9, 0xcf),
    Color32::from_rgb(0xd1, 0xe5, 0xf0),
    Color32::from_rgb(0xf7, 0xf7, 0xf7),
    Color32::from_rgb(0xfd, 0xdb, 0xc7),
    Color32::from_rgb(0xef, 0x8a, 0x62),
    Color32::from_rgb(0xb2, 0x18, 0x2b),
];

/// Grey for zones with no journey.
pub const NO_VALUE: Color32 = Color32::from_rgb(0xb0, 0xb0, 0xb0);

/// Class index of a value.
pub fn class_of(v: f64, breaks: &[f64]) -> usize {
    breaks.iter().position(|b| v < *b).unwrap_or(breaks.len())
}

/// Colour of a minutes value (sequential) or a difference (diverging).
pub fn colour(v: Option<f64>, diverging: bool) -> Color32 {
    match v {
        None => NO_VALUE,
        Some(v) if diverging => DIFF_COLOURS[class_of(v, &DIFF_BREAKS)],
        Some(v) => MINUTE_COLOURS[class_of(v, &MINUTE_BREAKS)],
    }
}

/// Legend labels for the classes.
pub fn labels(diverging: bool) -> Vec<(Color32, String)> {
    if diverging {
        let l = ["10+ min quicker", "5-10 quicker", "1-5 quicker", "about the same", "1-5 slower", "5-10 slower", "10+ min slower"];
        DIFF_COLOURS.iter().zip(l).map(|(c, s)| (*c, s.to_string())).collect()
    } else {
        let mut lo = 0.0;
        let mut out = Vec::new();
        for (i, c) in MINUTE_COLOURS.iter().enumerate() {
            let s = match MINUTE_BREAKS.get(i) {
                Some(hi) => {
                    let s = format!("{lo:.0}-{hi:.0} min");
                    lo = *hi;
                    s
                }
                None => format!("{lo:.0}+ min"),
            };
            out.push((*c, s));
        }
        out
    }
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
