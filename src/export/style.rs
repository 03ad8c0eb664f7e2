//! The one style of every map and figure the program shows or writes: which
//! class a travel time or a change in travel time falls in, the colour of
//! each class (colour-blind-safe palettes, as plain RGB), the grey of zones
//! with no journey, the width of the "little change" band, the marker of a
//! site by its role and state, the legend wording, the font stack of drawn
//! maps, how a mode is named in a sentence, and how numbers are printed
//! (whole numbers, shares, minutes). The app's map (through
//! `app/palette.rs`, which only turns these colours into egui colours), the
//! SVG and PNG maps, the HTML report, the CSV tables and the command line
//! all take them from here, so a map on screen and the same map on paper
//! show the same classes and the same sites in the same colours.

use crate::travel::Mode;

/// A colour as red, green and blue bytes.
pub type Rgb = [u8; 3];

/// Sequential palette for times (viridis, reversed): short times light
/// yellow, long times dark purple. Colour-blind safe and readable in grey.
pub const SEQUENTIAL: [Rgb; 7] =
    [[0xfd, 0xe7, 0x25], [0x90, 0xd7, 0x43], [0x35, 0xb7, 0x79], [0x21, 0x91, 0x8c], [0x31, 0x68, 0x8e], [0x44, 0x39, 0x83], [0x44, 0x01, 0x54]];

/// Diverging palette for changes (ColorBrewer RdBu, seven classes): blue
/// quicker, near-white little change, red slower. Colour-blind safe.
pub const DIVERGING: [Rgb; 7] =
    [[0x21, 0x66, 0xac], [0x67, 0xa9, 0xcf], [0xd1, 0xe5, 0xf0], [0xf7, 0xf7, 0xf7], [0xfd, 0xdb, 0xc7], [0xef, 0x8a, 0x62], [0xb2, 0x18, 0x2b]];

/// Fill of zones with no value: no journey (too far from a street, no bus),
/// or nothing to show. Darker than the "little change" near-white so the two
/// are not mistaken for each other.
pub const NO_VALUE_RGB: Rgb = [0xb0, 0xb0, 0xb0];

/// Legend text of the no-value grey.
pub const NO_VALUE_LABEL: &str = "no journey";

/// Half-width of the "little change" class of a difference map, minutes:
/// changes from −1 to +1 minute (both included) are shown as no change.
/// One minute because bus timetables are written to the minute and door-to-
/// door times carry a few tens of seconds of snapping noise, so a smaller
/// change is not one a patient would notice or the data could vouch for; a
/// wider band (the SVG used ±1.5) would hide a real minute gained by many
/// residents. It is also what the app's screen has always shown.
pub const LITTLE_CHANGE_MIN: f64 = 1.0;

/// Lower edge of the open top class of the usual time map, minutes.
pub const TIME_MAX_MIN: f64 = 45.0;

/// The size of change the usual difference map is built for, minutes
/// (classes at ±1, ±5 and ±10 minutes).
pub const CHANGE_MAX_MIN: f64 = 15.0;

/// The font stack used in maps and charts (system fonts only, nothing fetched).
pub const FONT_STACK: &str = "system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif";

/// How values map to colours.
#[derive(Debug, Clone, PartialEq)]
pub enum Scale {
    /// Times from 0 up: seven classes with breaks at 1/9, 2/9, 3/9, 4/9, 6/9
    /// and 9/9 of `max` (`max` = 45 gives 0-5, 5-10, 10-15, 15-20, 20-30,
    /// 30-45 and 45+).
    Sequential {
        /// The lower edge of the open top class.
        max: f64,
        /// Unit shown in the legend, e.g. `min`.
        unit: String,
    },
    /// Changes around 0 (negative = quicker, blue; positive = slower, red):
    /// seven classes, near-white for changes within `LITTLE_CHANGE_MIN`, the
    /// other breaks at a third and two thirds of `max_abs` (at least 6, so
    /// every class is at least a minute wide).
    Diverging {
        /// The size of change the scale is built for, minutes.
        max_abs: f64,
    },
    /// Any zone value (residents, a deprivation rank, a share of households):
    /// seven classes of about as many zones each, with the sequential
    /// palette, low values light.
    Fitted {
        /// The six class breaks, ascending.
        breaks: [f64; 6],
        /// Unit shown in the legend (may be empty).
        unit: String,
    },
}

/// Legend text of the no-value grey on a map of zone values.
pub const NO_ZONE_VALUE_LABEL: &str = "no value";

/// One class of a scale: values in `lo..hi` get `rgb`.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    /// Lower edge (inclusive; `-inf` for the first class).
    pub lo: f64,
    /// Upper edge (exclusive; `inf` for the last class).
    pub hi: f64,
    /// Fill colour.
    pub rgb: Rgb,
    /// Legend text, e.g. `10–15 min`.
    pub label: String,
}

impl Scale {
    /// The usual time map, the app's Before and After: 0-5, 5-10, 10-15, 15-20, 20-30, 30-45 and 45+ minutes.
    pub fn minutes() -> Scale {
        Scale::Sequential { max: TIME_MAX_MIN, unit: "min".into() }
    }

    /// The usual difference map, the app's Difference: breaks at ±1, ±5 and ±10 minutes.
    pub fn change() -> Scale {
        Scale::Diverging { max_abs: CHANGE_MAX_MIN }
    }

    /// A difference map fitted to its values: `max_abs` a round number at or
    /// above the 95th percentile of the absolute changes (at least 6
    /// minutes; 15 when there is no value).
    pub fn change_fitted(values: &[Option<f64>]) -> Scale {
        let mut abs: Vec<f64> = values.iter().filter_map(|v| v.filter(|x| x.is_finite()).map(f64::abs)).collect();
        if abs.is_empty() {
            return Scale::change();
        }
        abs.sort_by(f64::total_cmp);
        let p95 = abs[((abs.len() - 1) as f64 * 0.95).round() as usize];
        let max_abs = [6.0, 15.0, 30.0, 45.0, 60.0, 90.0].into_iter().find(|m| *m >= p95).unwrap_or(90.0);
        Scale::Diverging { max_abs }
    }

    /// Classes fitted to `values` (septiles of the values there are, rounded
    /// to two significant figures); breaks at 1 to 6 when there is none.
    pub fn fitted(values: &[Option<f64>], unit: &str) -> Scale {
        let mut v: Vec<f64> = values.iter().filter_map(|x| x.filter(|x| x.is_finite())).collect();
        v.sort_by(f64::total_cmp);
        let breaks = if v.is_empty() {
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
        } else {
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0].map(|k| round_2sf(v[((v.len() as f64) * k / 7.0).floor().min((v.len() - 1) as f64) as usize]))
        };
        Scale::Fitted { breaks, unit: unit.to_string() }
    }

    /// The six class breaks, ascending: upper edges of the first six classes.
    pub fn breaks(&self) -> [f64; 6] {
        match self {
            Scale::Fitted { breaks, .. } => *breaks,
            Scale::Sequential { max, .. } => {
                let max = if max.is_finite() && *max > 0.0 { *max } else { TIME_MAX_MIN };
                [1.0, 2.0, 3.0, 4.0, 6.0, 9.0].map(|f| ((f * max / 9.0) * 10.0).round() / 10.0)
            }
            Scale::Diverging { max_abs } => {
                let m = if max_abs.is_finite() && *max_abs > 0.0 { *max_abs } else { CHANGE_MAX_MIN };
                let m = m.max(6.0 * LITTLE_CHANGE_MIN);
                let (d1, d2, d3) = (LITTLE_CHANGE_MIN, m / 3.0, 2.0 * m / 3.0);
                [-d3, -d2, -d1, d1, d2, d3]
            }
        }
    }

    /// The seven class colours, in legend order.
    pub fn palette(&self) -> &'static [Rgb; 7] {
        match self {
            Scale::Sequential { .. } | Scale::Fitted { .. } => &SEQUENTIAL,
            Scale::Diverging { .. } => &DIVERGING,
        }
    }

    /// The class index of a value (0 to 6), or `None` for no value. Classes
    /// include their lower edge; the "little change" class of a diverging
    /// scale includes both edges.
    pub fn class_of(&self, v: Option<f64>) -> Option<usize> {
        let v = v.filter(|x| x.is_finite())?;
        let b = self.breaks();
        let i = b.iter().position(|hi| v < *hi).unwrap_or(b.len());
        if let Scale::Diverging { .. } = self
            && i == 4
            && v <= b[3]
        {
            return Some(3);
        }
        Some(i)
    }

    /// The fill colour of a value (`NO_VALUE_RGB` when there is none): the one
    /// function that colours a zone, on screen and in every exported map.
    pub fn colour(&self, v: Option<f64>) -> Rgb {
        self.class_of(v).map_or(NO_VALUE_RGB, |i| self.palette()[i])
    }

    /// The classes, in legend order (quickest first).
    pub fn classes(&self) -> Vec<Class> {
        let b = self.breaks();
        let edges = [f64::NEG_INFINITY, b[0], b[1], b[2], b[3], b[4], b[5], f64::INFINITY];
        let labels: [String; 7] = match self {
            Scale::Sequential { unit, .. } => {
                let s = b.map(fmt_num);
                [
                    format!("0–{} {unit}", s[0]),
                    format!("{}–{} {unit}", s[0], s[1]),
                    format!("{}–{} {unit}", s[1], s[2]),
                    format!("{}–{} {unit}", s[2], s[3]),
                    format!("{}–{} {unit}", s[3], s[4]),
                    format!("{}–{} {unit}", s[4], s[5]),
                    format!("{}+ {unit}", s[5]),
                ]
            }
            Scale::Fitted { unit, .. } => {
                let s = b.map(fmt_num);
                let u = if unit.is_empty() { String::new() } else { format!(" {unit}") };
                [
                    format!("under {}{u}", s[0]),
                    format!("{}–{}{u}", s[0], s[1]),
                    format!("{}–{}{u}", s[1], s[2]),
                    format!("{}–{}{u}", s[2], s[3]),
                    format!("{}–{}{u}", s[3], s[4]),
                    format!("{}–{}{u}", s[4], s[5]),
                    format!("{}+{u}", s[5]),
                ]
            }
            Scale::Diverging { .. } => {
                let (s1, s2, s3) = (fmt_num(b[3]), fmt_num(b[4]), fmt_num(b[5]));
                [
                    format!("{s3}+ min quicker"),
                    format!("{s2}–{s3} min quicker"),
                    format!("{s1}–{s2} min quicker"),
                    format!("little change (±{s1} min)"),
                    format!("{s1}–{s2} min slower"),
                    format!("{s2}–{s3} min slower"),
                    format!("{s3}+ min slower"),
                ]
            }
        };
        let palette = self.palette();
        labels.into_iter().enumerate().map(|(i, label)| Class { lo: edges[i], hi: edges[i + 1], rgb: palette[i], label }).collect()
    }

    /// The legend: each class's colour and text, then the no-value grey.
    pub fn legend(&self) -> Vec<(Rgb, String)> {
        let mut out: Vec<(Rgb, String)> = self.classes().into_iter().map(|c| (c.rgb, c.label)).collect();
        let none = if matches!(self, Scale::Fitted { .. }) { NO_ZONE_VALUE_LABEL } else { NO_VALUE_LABEL };
        out.push((NO_VALUE_RGB, none.to_string()));
        out
    }
}

/// The ink of site markers: near-black, the colour of a map's text.
pub const MARKER_INK: Rgb = [0x11, 0x11, 0x11];

/// The halo round site markers (and the fill of hollow ones): white.
pub const MARKER_HALO: Rgb = [0xff, 0xff, 0xff];

/// The shape of a site's marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerShape {
    /// A Healthy Living Centre of the scenario.
    Circle,
    /// Any other site.
    Square,
}

/// What a map says about one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SiteState {
    /// It is one of the scenario's Healthy Living Centres.
    pub hlc: bool,
    /// It offers what the map is about (the service shown; on a map of the
    /// nearest HLC, the HLCs).
    pub offers: bool,
    /// It is planned or a candidate, not in use today.
    pub planned: bool,
}

/// How a site is drawn: shape, size, colours and the colour of a tier
/// number printed inside. Sizes are pixels of a map at 1x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SiteMarker {
    /// Circle (HLC) or square (other site).
    pub shape: MarkerShape,
    /// Radius of the circle, or half the side of the square.
    pub size: f64,
    /// Fill colour.
    pub fill: Rgb,
    /// Outline colour.
    pub stroke: Rgb,
    /// Outline width.
    pub stroke_width: f64,
    /// Opacity, 0 to 1: sites that do not offer what the map is about recede a little.
    pub opacity: f64,
    /// Colour of a number printed inside (the tier), against the fill.
    pub text: Rgb,
}

/// The marker of a site, on screen and in every exported map: the one
/// function that draws a site.
///
/// Markers are near-black with a white halo, and hollow (white with a
/// near-black outline) when planned or a candidate: the zone palettes use
/// nearly every hue (viridis from yellow to dark purple; blue to red for
/// changes), so a coloured marker would read as a class, or vanish on one
/// (a red marker on a "slower" zone, a blue one on a "quicker" zone), while
/// black and white stand out on every class, on the "little change" white
/// and the no-journey grey, and survive a grey print. HLCs are circles,
/// other sites squares; sites that offer what the map is about are drawn
/// full size, the others at three quarters and a little faded (HLCs stay
/// opaque, as the places the tier rules are built on).
pub fn site_marker(site: SiteState) -> SiteMarker {
    let (shape, full) = if site.hlc { (MarkerShape::Circle, 7.5) } else { (MarkerShape::Square, 5.0) };
    let (fill, stroke, stroke_width) = if site.planned { (MARKER_HALO, MARKER_INK, 2.0) } else { (MARKER_INK, MARKER_HALO, 1.2) };
    SiteMarker {
        shape,
        size: if site.offers { full } else { 0.75 * full },
        fill,
        stroke,
        stroke_width,
        opacity: if site.offers || site.hlc { 1.0 } else { 0.8 },
        text: stroke,
    }
}

/// `#rrggbb` of a colour.
pub fn hex(rgb: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

/// A mode's name opening a row or sentence that goes on "within 15 minutes":
/// the mode's title, with a comma closing the aside of a car mode (`Car, rush hour,`).
pub fn mode_phrase(m: Mode) -> String {
    let t = m.title();
    if t.contains(',') { format!("{t},") } else { t.to_string() }
}

/// What a mode's journeys are, in a sentence (`driving outside the rush hour`).
pub fn mode_explained(m: Mode) -> &'static str {
    match m {
        Mode::Bus => "by bus, including the walk to and from the stops and the wait",
        Mode::CarPeak => "driving in the rush hour, when main roads are slower",
        Mode::CarOffpeak => "driving outside the rush hour",
        Mode::Walk => "walking on foot paths and streets",
        Mode::Cycle => "cycling on streets and cycle paths",
    }
}

/// What every "nearest HLC" figure says while a scenario has no HLC: the
/// figures are then to the nearest site of any kind.
pub const NO_HLC_NOTE: &str = "No HLC defined yet: figures are to the nearest site of any kind";

/// A cell of a figure that needs HLCs, where the scenario has none (instead of 0.0%).
pub const NO_HLC_CELL: &str = "no HLC defined";

/// What a service offered at no site shows instead of a figure.
pub const NOT_OFFERED: &str = "not yet offered anywhere";

/// What the "nearest HLC" figures of an evaluation are to, for a sentence:
/// "the nearest HLC", or "the nearest site of any kind" when there is none.
pub fn nearest_words(of: crate::analysis::NearestOf) -> &'static str {
    match of {
        crate::analysis::NearestOf::Hlc => "the nearest HLC",
        crate::analysis::NearestOf::AnySite => "the nearest site of any kind",
    }
}

/// A whole number with thousands separators (`-1,234`), rounded half away
/// from zero: for CSV, the terminal and the app.
pub fn fmt_int(x: f64) -> String {
    let r = x.round();
    let s = format!("{:.0}", r.abs());
    let mut out = String::new();
    if r < 0.0 {
        out.push('-');
    }
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A whole number set for print (the HTML report): as `fmt_int`, with a true
/// minus sign, and a dash where there is no number.
pub fn fmt_int_typeset(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    fmt_int(x).replacen('-', "−", 1)
}

/// A share (0 to 1) as a percentage with one decimal and no sign (`94.1`).
pub fn pct(share: f64) -> String {
    format!("{:.1}", 100.0 * share)
}

/// A number for a label (a threshold, a class break): whole numbers without
/// decimals, others with one (`15`, `7.5`).
pub fn fmt_num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if (r - r.round()).abs() < 1e-9 { format!("{:.0}", r) } else { format!("{:.1}", r) }
}

/// `x` rounded to two significant figures (`1819` -> `1800`, `15.09` -> `15`).
fn round_2sf(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let p = 10f64.powi(x.abs().log10().floor() as i32 - 1);
    (x / p).round() * p
}

/// Minutes (or miles) with one decimal, or a dash when there is none (`12.3`, `–`).
pub fn one_decimal(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite()).map_or("–".into(), |v| format!("{v:.1}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn fitted_classes_hold_about_a_seventh_of_the_zones_each() {
        use super::*;
        // 1..=700, as ranks: breaks at the septiles, rounded to two figures.
        let values: Vec<Option<f64>> = (1..=700).map(|i| Some(i as f64)).chain([None]).collect();
        let s = Scale::fitted(&values, "");
        assert_eq!(s.breaks(), [100.0, 200.0, 300.0, 400.0, 500.0, 600.0]);
        let counts = (0..7).map(|k| values.iter().filter(|v| s.class_of(**v) == Some(k)).count()).collect::<Vec<_>>();
        assert_eq!(counts, vec![99, 100, 100, 100, 100, 100, 101]);
        let legend = s.legend();
        assert_eq!(legend[0], (SEQUENTIAL[0], "under 100".to_string()));
        assert_eq!(legend[6], (SEQUENTIAL[6], "600+".to_string()));
        assert_eq!(legend[7], (NO_VALUE_RGB, "no value".to_string()));
        assert_eq!(s.colour(None), NO_VALUE_RGB);
        let pct = Scale::fitted(&[Some(15.09), Some(23.64), Some(8.33)], "%");
        assert_eq!(pct.classes()[6].label, "24+ %");
        assert_eq!(round_2sf(1819.0), 1800.0);
        assert_eq!(Scale::fitted(&[None], "").breaks(), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    }

    use super::*;

    #[test]
    fn sequential_classes_are_the_usual_minute_bands() {
        let s = Scale::Sequential { max: 45.0, unit: "min".into() };
        assert_eq!(s, Scale::minutes());
        let labels: Vec<String> = s.classes().into_iter().map(|c| c.label).collect();
        assert_eq!(labels, ["0–5 min", "5–10 min", "10–15 min", "15–20 min", "20–30 min", "30–45 min", "45+ min"]);
        assert_eq!(s.breaks(), [5.0, 10.0, 15.0, 20.0, 30.0, 45.0]);
        assert_eq!(s.colour(Some(4.9)), SEQUENTIAL[0]);
        assert_eq!(s.colour(Some(15.0)), SEQUENTIAL[3]);
        assert_eq!(s.colour(Some(120.0)), SEQUENTIAL[6]);
        assert_eq!(s.colour(None), NO_VALUE_RGB);
    }

    /// The band was ±1.5 min here (the SVG's copy) and ±1 min in the app's
    /// copy; both now use `LITTLE_CHANGE_MIN` (1 minute), so the edge cases
    /// below moved from ±1.5/−1.6 to ±1/−1.1.
    #[test]
    fn diverging_scale_is_white_at_zero_and_blue_when_quicker() {
        let s = Scale::Diverging { max_abs: 15.0 };
        assert_eq!(s, Scale::change());
        assert_eq!(s.breaks(), [-10.0, -5.0, -1.0, 1.0, 5.0, 10.0]);
        assert_eq!(s.colour(Some(0.0)), DIVERGING[3]);
        assert_eq!(s.colour(Some(1.0)), DIVERGING[3]);
        assert_eq!(s.colour(Some(-1.0)), DIVERGING[3]);
        assert_eq!(s.colour(Some(-1.1)), DIVERGING[2]);
        assert_eq!(s.colour(Some(1.1)), DIVERGING[4]);
        assert_eq!(s.colour(Some(-30.0)), DIVERGING[0]);
        assert_eq!(s.colour(Some(12.0)), DIVERGING[6]);
        assert_eq!(s.classes()[0].label, "10+ min quicker");
        assert_eq!(s.classes()[3].label, "little change (±1 min)");
    }

    #[test]
    fn a_value_gets_the_colour_of_the_class_it_falls_in() {
        for s in [Scale::minutes(), Scale::change(), Scale::Diverging { max_abs: 60.0 }] {
            let classes = s.classes();
            for i in -800..=800 {
                let v = i as f64 / 8.0;
                let c = s.class_of(Some(v)).unwrap();
                let k = &classes[c];
                assert!(k.lo <= v && (v < k.hi || (c == 3 && v <= k.hi && matches!(s, Scale::Diverging { .. }))), "{v} in {k:?}");
                assert_eq!(s.colour(Some(v)), k.rgb);
            }
            let legend = s.legend();
            assert_eq!(legend.len(), 8);
            assert_eq!(legend[7], (NO_VALUE_RGB, "no journey".to_string()));
        }
    }

    /// Moved from the report (`diverging_max`), where the smallest scale was
    /// 3 minutes; with a fixed one-minute "little change" band it is now 6.
    #[test]
    fn a_fitted_difference_scale_covers_most_changes() {
        assert_eq!(Scale::change_fitted(&[Some(1.0), Some(-4.0), None]), Scale::Diverging { max_abs: 6.0 });
        assert_eq!(Scale::change_fitted(&[Some(0.5), Some(-0.2)]), Scale::Diverging { max_abs: 6.0 });
        assert_eq!(Scale::change_fitted(&[None]), Scale::change());
        assert_eq!(Scale::change_fitted(&[Some(-40.0); 3]), Scale::Diverging { max_abs: 45.0 });
        assert_eq!(Scale::Diverging { max_abs: 6.0 }.breaks(), [-4.0, -2.0, -1.0, 1.0, 2.0, 4.0]);
    }

    /// Every kind of site gets a marker that stands out on every zone
    /// colour: black and white only, never a class colour; hollow when
    /// planned, a circle for an HLC, full size when it offers the service.
    #[test]
    fn site_markers_are_black_and_white_by_role_and_state() {
        let m = |hlc, offers, planned| site_marker(SiteState { hlc, offers, planned });
        let hlc_offering = m(true, true, false);
        assert_eq!((hlc_offering.shape, hlc_offering.size, hlc_offering.opacity), (MarkerShape::Circle, 7.5, 1.0));
        assert_eq!((hlc_offering.fill, hlc_offering.stroke, hlc_offering.text), (MARKER_INK, MARKER_HALO, MARKER_HALO));
        let candidate = m(false, true, true);
        assert_eq!((candidate.shape, candidate.size), (MarkerShape::Square, 5.0));
        assert_eq!((candidate.fill, candidate.stroke, candidate.text), (MARKER_HALO, MARKER_INK, MARKER_INK), "a candidate is hollow");
        assert!(candidate.stroke_width > hlc_offering.stroke_width, "a hollow marker's outline is its ink, drawn thicker");
        let not_offering = m(false, false, false);
        assert_eq!((not_offering.size, not_offering.opacity), (3.75, 0.8));
        assert_eq!(m(true, false, false).opacity, 1.0, "an HLC that does not offer the service stays opaque");
        for hlc in [false, true] {
            for offers in [false, true] {
                for planned in [false, true] {
                    let k = m(hlc, offers, planned);
                    for c in [k.fill, k.stroke, k.text] {
                        assert!(c == MARKER_INK || c == MARKER_HALO, "{c:?}");
                        assert!(!SEQUENTIAL.contains(&c) && !DIVERGING.contains(&c) && c != NO_VALUE_RGB);
                    }
                    assert_ne!(k.fill, k.stroke, "the outline sets the marker off its fill");
                }
            }
        }
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(fmt_int(34_508.4), "34,508");
        assert_eq!(fmt_int(-1234.0), "-1,234");
        assert_eq!(fmt_int(999.5), "1,000");
        assert_eq!(fmt_int_typeset(-1234.0), "−1,234");
        assert_eq!(fmt_int_typeset(f64::NAN), "–");
        assert_eq!(pct(0.9414), "94.1");
        assert_eq!(fmt_num(15.0), "15");
        assert_eq!(fmt_num(7.46), "7.5");
        assert_eq!(one_decimal(Some(12.34)), "12.3");
        assert_eq!(one_decimal(None), "–");
        assert_eq!(hex([0x21, 0x66, 0xac]), "#2166ac");
    }

    #[test]
    fn modes_read_well_in_a_sentence() {
        assert_eq!(mode_phrase(Mode::CarPeak), "Car, rush hour,");
        assert_eq!(mode_phrase(Mode::Bus), "Public transport");
        assert_eq!(mode_explained(Mode::CarOffpeak), "driving outside the rush hour");
    }
}
