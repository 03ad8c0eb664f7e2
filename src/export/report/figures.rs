//! The report's figures: cumulative curves of residents against minutes
//! (inline SVG charts) and a map per mode.

use super::*;

impl View<'_> {
    pub(super) fn curves(&self, o: &mut String) {
        if self.region.population() <= 0.0 {
            return;
        }
        o.push_str("<h2>How many residents are within a given time</h2>\n<p>Share of residents who can reach where each service is offered (services weighted by use) within the minutes on the horizontal axis; the grey dotted line is the nearest HLC. The dashed vertical line marks the mode's threshold.</p>\n<div class=\"charts\">\n");
        let pop = self.region.population();
        for &m in self.modes() {
            let mut series = Vec::new();
            if let Some(b) = self.before
                && let Some(v) = self.services_curve(b, m)
            {
                series.push(Series { label: format!("Before: {}", b.s.name), colour: BEFORE_COLOUR, dash: "6 3", values: v });
            }
            if let Some(v) = self.services_curve(self.after, m) {
                let label = if self.is_comparison() { format!("After: {}", self.after.s.name) } else { self.after.s.name.clone() };
                series.push(Series { label, colour: AFTER_COLOUR, dash: "", values: v });
            }
            if let Some(v) = self.after.e.curve(self.region, Target::AnyHlc, m, None) {
                let label = if self.after.e.no_hlc() { "Nearest site (no HLC defined yet)" } else { "Nearest HLC" };
                series.push(Series { label: label.into(), colour: HLC_COLOUR, dash: "2 3", values: v.into_iter().map(|x| x / pop).collect() });
            }
            let _ = writeln!(o, "<figure>{}</figure>", curve_chart(m.title(), &series, self.threshold(m)));
        }
        o.push_str("</div>\n");
    }

    pub(super) fn maps(&self, o: &mut String) {
        if self.region.zones.is_empty() {
            return;
        }
        let map_credits = credits(self.region);
        let highlight = self.site_tiers();
        if self.is_comparison() {
            o.push_str("<h2>Maps: where journeys get quicker or slower</h2>\n<p>Each zone is coloured by the change in minutes, after minus before, to the sites its residents would use, averaged over the services both scenarios plan (weighted by contacts a year). Blue: quicker; red: slower; white: little change; grey: no journey.</p>\n");
        } else if self.after.e.no_hlc() {
            let _ = writeln!(
                o,
                "<h2>Maps: time to the nearest site</h2>\n<p>Each zone is coloured by the door-to-door minutes to the nearest site of any kind. Grey: no journey.</p>\n<p class=\"note no-hlc\">{}.</p>",
                esc(NO_HLC_NOTE)
            );
        } else {
            o.push_str("<h2>Maps: time to the nearest HLC</h2>\n<p>Each zone is coloured by the door-to-door minutes to the nearest Healthy Living Centre. Grey: no journey.</p>\n");
        }
        let nearest = crate::export::style::nearest_words(self.after.e.nearest_of);
        for (k, &m) in self.modes().iter().enumerate() {
            let spec = if let Some(b) = self.before {
                let values = self.diff_per_zone(k);
                let scale = Scale::change_fitted(&values);
                MapSpec {
                    title: format!("Change in travel time: {}", m.title()),
                    subtitle: format!("{} minus {}; services weighted by contacts a year", self.after.s.name, b.s.name),
                    width_px: REPORT_MAP_WIDTH_PX,
                    height_px: REPORT_MAP_HEIGHT_PX,
                    values,
                    scale,
                    legend_title: "Change in minutes (after − before)".into(),
                    highlight_sites: highlight.clone(),
                    hlcs: self.after.e.hlcs.clone(),
                    credits: map_credits.clone(),
                    isochrone: None,
                }
            } else {
                let values: Vec<Option<f64>> =
                    self.after.e.any_hlc.get(k).map_or(vec![None; self.region.zones.len()], |v| v.iter().map(|c| c.minutes()).collect());
                let within = self
                    .cover_after(Target::AnyHlc, m, None)
                    .map_or(String::new(), |c| format!("; {}% of residents within {} min", pct(c.share()), fmt_num(self.threshold(m))));
                let no_hlc = if self.after.e.no_hlc() { " (no HLC defined yet)" } else { "" };
                MapSpec {
                    title: format!("Time to {nearest}: {}", m.title()),
                    subtitle: format!("{}{within}{no_hlc}", self.after.s.name),
                    width_px: REPORT_MAP_WIDTH_PX,
                    height_px: REPORT_MAP_HEIGHT_PX,
                    values,
                    scale: Scale::minutes(),
                    legend_title: format!("Minutes to {nearest}"),
                    highlight_sites: highlight.clone(),
                    hlcs: self.after.e.hlcs.clone(),
                    credits: map_credits.clone(),
                    isochrone: None,
                }
            };
            let _ = writeln!(o, "<figure class=\"map\" data-mode=\"{}\">{}</figure>", m.label(), map_svg::render_svg_inline(self.region, self.sites, &spec));
        }
    }
}

/// One line of a cumulative chart: shares (0..=1) for t = 0..=90 minutes.
struct Series {
    label: String,
    colour: &'static str,
    dash: &'static str,
    values: Vec<f64>,
}

/// An inline SVG line chart of cumulative shares against minutes.
fn curve_chart(title: &str, series: &[Series], threshold_min: f64) -> String {
    let (w, h) = (470.0, 300.0);
    let (left, right, top, bottom) = (54.0, 16.0, 64.0, 44.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let tmax = CURVE_MAX_MIN as f64;
    let px = |t: f64| left + t / tmax * pw;
    let py = |s: f64| top + (1.0 - s.clamp(0.0, 1.0)) * ph;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="curve" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{}" font-family="{}" font-size="11">"#,
        esc(&format!("Cumulative share of residents by minutes: {title}")),
        esc(FONT_STACK)
    );
    let _ = write!(
        o,
        r##"<rect width="{w}" height="{h}" fill="#ffffff"/><text x="{left}" y="18" font-size="14" font-weight="700" fill="#111111">{}</text>"##,
        esc(title)
    );
    // Legend, under the title.
    let mut lx = left;
    let mut ly = 36.0;
    for s in series {
        let width = 34.0 + 6.2 * s.label.chars().count() as f64;
        if lx + width > w - right && lx > left {
            lx = left;
            ly += 15.0;
        }
        let _ = write!(
            o,
            r##"<path d="M{lx} {}h22" stroke="{}" stroke-width="2.5" stroke-dasharray="{}" fill="none"/><text x="{}" y="{}" fill="#222222">{}</text>"##,
            ly - 4.0,
            s.colour,
            s.dash,
            lx + 27.0,
            ly,
            esc(&s.label)
        );
        lx += width;
    }
    // Grid and axes: a tick every 5 minutes (labelled every 10) and every
    // 10% (labelled every 20%), with the units under and beside the axes.
    o.push_str(r##"<g stroke="#e3e6e9" stroke-width="1">"##);
    for i in 0..=5 {
        let y = py(i as f64 / 5.0);
        let _ = write!(o, r#"<path d="M{left} {y:.1}H{}"/>"#, left + pw);
    }
    for t in (0..=CURVE_MAX_MIN).step_by(10) {
        let x = px(t as f64);
        let _ = write!(o, r#"<path d="M{x:.1} {top}V{}"/>"#, top + ph);
    }
    o.push_str("</g>");
    let _ = write!(o, r##"<path d="M{left} {top}V{}H{}" stroke="#555555" fill="none"/>"##, top + ph, left + pw);
    o.push_str(r##"<g stroke="#555555" stroke-width="1">"##);
    for i in 0..=10 {
        let len = if i % 2 == 0 { 5.0 } else { 3.0 };
        let _ = write!(o, r#"<path d="M{} {:.1}h{len}"/>"#, left - len, py(i as f64 / 10.0));
    }
    for t in (0..=CURVE_MAX_MIN).step_by(5) {
        let len = if t % 10 == 0 { 5.0 } else { 3.0 };
        let _ = write!(o, r#"<path d="M{:.1} {}v{len}"/>"#, px(t as f64), top + ph);
    }
    o.push_str("</g>");
    o.push_str(r##"<g class="y-ticks" fill="#333333" text-anchor="end">"##);
    for i in 0..=5 {
        let y = py(i as f64 / 5.0);
        let _ = write!(o, r#"<text x="{}" y="{:.1}">{}%</text>"#, left - 7.0, y + 4.0, i * 20);
    }
    o.push_str(r##"</g><g class="x-ticks" fill="#333333" text-anchor="middle">"##);
    for t in (0..=CURVE_MAX_MIN).step_by(10) {
        let _ = write!(o, r#"<text x="{:.1}" y="{}">{t}</text>"#, px(t as f64), top + ph + 17.0);
    }
    o.push_str("</g>");
    let _ = write!(o, r##"<text x="{:.1}" y="{}" text-anchor="middle" fill="#333333">Travel time, door to door (minutes)</text>"##, left + pw / 2.0, h - 8.0);
    let _ =
        write!(o, r##"<text transform="translate(14 {:.1}) rotate(-90)" text-anchor="middle" fill="#333333">% of residents within</text>"##, top + ph / 2.0);
    // Threshold.
    if threshold_min.is_finite() && threshold_min > 0.0 && threshold_min <= tmax {
        let x = px(threshold_min);
        let _ = write!(
            o,
            r##"<path d="M{x:.1} {top}V{}" stroke="#111111" stroke-dasharray="4 3" fill="none"/><text x="{:.1}" y="{}" fill="#111111">{} min</text>"##,
            top + ph,
            x + 4.0,
            top + 12.0,
            fmt_num(threshold_min)
        );
    }
    // Lines.
    for s in series {
        let pts: Vec<String> = s.values.iter().enumerate().map(|(t, v)| format!("{:.1},{:.1}", px(t as f64), py(*v))).collect();
        let dash = if s.dash.is_empty() { String::new() } else { format!(r#" stroke-dasharray="{}""#, s.dash) };
        let _ = write!(o, r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2.2"{dash}/>"#, pts.join(" "), s.colour);
    }
    o.push_str("</svg>");
    o
}
