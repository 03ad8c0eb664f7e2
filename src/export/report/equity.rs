//! The report's "Equality impact" section, written for an equality impact
//! assessment: how each group of residents' access changes (deprivation
//! decile, the most deprived fifth "Core20", age, households without a
//! car), a chart of the change by group, and findings in plain words.
//! Counts of residents whose journey changes are suppressed ("<5" for 1
//! to 4) when suppression is on; groups are estimates from zone shares.

use super::*;
use crate::analysis::equity::{ALL_GROUPING, EquityRow, Grouping, Groupings};
use crate::plan::equity::GroupKind;

/// Modes the section reads first: public transport and walking matter most
/// for households without a car, then the car off peak.
const SECTION_MODES: [Mode; 3] = [Mode::Bus, Mode::Walk, Mode::CarOffpeak];

impl View<'_> {
    /// The rows of one grouping by one mode.
    fn eq_rows<'b>(&'b self, rows: &'b [EquityRow], gi: usize, m: Mode) -> impl Iterator<Item = &'b EquityRow> + 'b {
        rows.iter().filter(move |r| r.grouping == gi && r.mode == m)
    }

    /// Modes of the section, in reading order, among those evaluated.
    fn eq_modes(&self) -> Vec<Mode> {
        let mut v: Vec<Mode> = SECTION_MODES.iter().copied().filter(|m| self.modes().contains(m)).collect();
        let rest: Vec<Mode> = self.modes().iter().copied().filter(|m| !v.contains(m)).collect();
        v.extend(rest);
        v
    }

    pub(super) fn equality(&self, o: &mut String) {
        let (g, rows) = match &self.equity {
            Ok(x) => x,
            Err(e) => {
                let _ = writeln!(o, "<h2 id=\"equality\">Equality impact</h2>\n<p class=\"note\">The groups of residents could not be formed: {}</p>", esc(e));
                return;
            }
        };
        let _ = writeln!(o, "<h2 id=\"equality\">Equality impact</h2>");
        if g.list.iter().all(|x| x.name == ALL_GROUPING) {
            o.push_str("<p>The zones carry no deprivation, age or car-availability figures, so access cannot be broken down by group. Join the English IMD or Welsh WIMD by LSOA, census age bands and households without a car (<code>[[inputs.attributes]]</code>) to see who gains and who loses.</p>\n");
            return;
        }
        let cmp = self.is_comparison();
        let _ = writeln!(
            o,
            "<p>For an equality impact assessment: the share of each group's uses of the services within each mode's time of where the tier rules send them (services weighted by use){}. Groups are estimates: residents of a zone are shared out by its deprivation decile, its age bands and its share of households without a car. {}</p>",
            if cmp { ", before and after, with the change in percentage points" } else { "" },
            if g.proposed {
                "The groups were proposed from the attributes the zones carry; a scenario can declare its own in <code>[[equity.group]]</code>."
            } else {
                "The groups are those the scenario declares."
            }
        );
        self.findings(o, g, rows);
        for (gi, gr) in g.list.iter().enumerate() {
            if gr.name == ALL_GROUPING || (gr.kind == GroupKind::Category && gr.groups.len() > 30) {
                continue;
            }
            self.grouping_table(o, g, rows, gi);
            if cmp && matches!(gr.kind, GroupKind::Decile | GroupKind::Bands) {
                let _ = writeln!(o, "<figure>{}</figure>", change_chart(gr, rows, gi, &self.eq_modes()));
            }
        }
    }

    /// Plain-language findings: the most against the least deprived fifth,
    /// Core20, older people and households without a car.
    fn findings(&self, o: &mut String, g: &Groupings, rows: &[EquityRow]) {
        let mut lines: Vec<String> = Vec::new();
        let find = |kind: GroupKind, key: &str, m: Mode| -> Option<&EquityRow> {
            let gi = g.list.iter().position(|x| x.kind == kind)?;
            let k = g.list[gi].group(key)?;
            rows.iter().find(|r| r.grouping == gi && r.group == k && r.mode == m)
        };
        let cmp = self.is_comparison();
        for m in self.eq_modes().into_iter().take(2) {
            let thr = fmt_num(self.threshold(m));
            let what = format!("{} access within {thr} minutes", mode_words(m));
            if let (Some(a), Some(b)) = (find(GroupKind::Quintile, "1", m), find(GroupKind::Quintile, "5", m)) {
                if cmp {
                    if let (Some(ca), Some(cb)) = (a.change_points(), b.change_points()) {
                        lines.push(format!(
                            "Residents of the most deprived fifth {} {} points of {what}, against {} {} for the least deprived fifth.",
                            verb(ca),
                            one_decimal(Some(ca.abs())),
                            one_decimal(Some(cb.abs())),
                            if cb >= 0.0 { "gained" } else { "lost" }
                        ));
                    }
                } else if let (Some(fa), Some(fb)) = (a.before, b.before) {
                    lines.push(format!(
                        "{}% of the most deprived fifth's uses of the services are within {thr} minutes ({}), against {}% for the least deprived fifth.",
                        pct(fa.share_within),
                        mode_words(m),
                        pct(fb.share_within)
                    ));
                }
            }
        }
        for (kind, key, who) in [(GroupKind::Core20, "core20", "Core20 residents (most deprived 20%)"), (GroupKind::Share, "in", "Households without a car")] {
            let Some(gi) = g.list.iter().position(|x| x.kind == kind && (kind != GroupKind::Share || x.name == "no_car")) else { continue };
            let Some(k) = g.list[gi].group(key) else { continue };
            let parts: Vec<String> = [Mode::Bus, Mode::Walk]
                .into_iter()
                .filter_map(|m| {
                    let r = rows.iter().find(|r| r.grouping == gi && r.group == k && r.mode == m)?;
                    let thr = fmt_num(self.threshold(m));
                    Some(match (r.before, r.after) {
                        (Some(b), Some(a)) => format!(
                            "{} within {thr} min: {}% → {}% ({} points)",
                            mode_words(m),
                            pct(b.share_within),
                            pct(a.share_within),
                            signed(r.change_points().unwrap_or(0.0))
                        ),
                        (Some(b), None) => format!("{} within {thr} min: {}%", mode_words(m), pct(b.share_within)),
                        _ => return None,
                    })
                })
                .collect();
            if !parts.is_empty() {
                let n = g.list[gi].residents()[k];
                lines.push(format!("{who}, about {} residents: {}.", fmt_int(n), parts.join("; ")));
            }
        }
        if cmp
            && let Some(gi) = g.list.iter().position(|x| x.kind == GroupKind::Core20)
            && let Some((_, main)) = self.main_mode()
        {
            let longer: Option<f64> = self.eq_rows(rows, gi, main).find(|r| r.group == 0).and_then(|r| r.residents_longer);
            if let Some(l) = longer {
                lines.push(format!(
                    "{} Core20 residents face journeys longer by more than {} minutes ({}).",
                    count(l, self.suppress),
                    fmt_num(g.longer_by_min),
                    mode_words(main)
                ));
            }
        }
        if !lines.is_empty() {
            o.push_str("<ul class=\"findings\">\n");
            for l in lines {
                let _ = writeln!(o, "<li>{}</li>", esc(&l));
            }
            o.push_str("</ul>\n");
        }
    }

    fn grouping_table(&self, o: &mut String, g: &Groupings, rows: &[EquityRow], gi: usize) {
        let gr = &g.list[gi];
        let cmp = self.is_comparison();
        let modes = self.eq_modes();
        let _ = write!(
            o,
            "<h3>{}</h3>\n<div class=\"scroll\"><table class=\"equity\" data-grouping=\"{}\"><thead><tr><th rowspan=\"2\">Group</th><th class=\"n\" rowspan=\"2\">Residents</th>",
            esc(&gr.title),
            esc(&gr.name)
        );
        let span = if cmp { 4 } else { 2 };
        for &m in &modes {
            let _ = write!(o, "<th class=\"group\" colspan=\"{span}\">{} ({} min)</th>", esc(m.title()), fmt_num(self.threshold(m)));
        }
        o.push_str("</tr><tr>");
        for _ in &modes {
            o.push_str(if cmp {
                "<th class=\"n first\">Before</th><th class=\"n\">After</th><th class=\"n\">Change</th><th class=\"n\">Longer</th>"
            } else {
                "<th class=\"n first\">Within</th><th class=\"n\">Mean min</th>"
            });
        }
        o.push_str("</tr></thead><tbody>\n");
        // The groups, then every resident (the "all" grouping) as the total.
        let lines = gr.groups.iter().enumerate().map(|(k, grp)| (gi, k, grp, "")).chain(g.list.first().map(|a| (0, 0, &a.groups[0], " class=\"total\"")));
        for (gi, k, grp, cls) in lines {
            let residents = rows.iter().find(|r| r.grouping == gi && r.group == k).map_or(0.0, |r| r.residents);
            let _ = write!(o, "<tr{cls} data-group=\"{}\"><td>{}</td><td class=\"n\">{}</td>", esc(&grp.key), esc(&grp.label), fmt_int(residents));
            for &m in &modes {
                let Some(r) = self.eq_rows(rows, gi, m).find(|r| r.group == k) else {
                    o.push_str(&"<td class=\"n\">–</td>".repeat(span));
                    continue;
                };
                let share = |x: Option<crate::analysis::equity::GroupAccess>| x.map_or("–".to_string(), |a| format!("{}%", pct(a.share_within)));
                if cmp {
                    let ch = r.change_points();
                    let _ = write!(
                        o,
                        "<td class=\"n first\">{}</td><td class=\"n\">{}</td><td class=\"n {}\">{}</td><td class=\"n\">{}</td>",
                        share(r.before),
                        share(r.after),
                        ch.map_or("", tone),
                        ch.map_or("–".into(), signed),
                        r.residents_longer.map_or("–".into(), |n| count(n, self.suppress))
                    );
                } else {
                    let _ = write!(o, "<td class=\"n first\">{}</td><td class=\"n\">{}</td>", share(r.before), one_decimal(r.before.and_then(|a| a.mean_min)));
                }
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody></table></div>\n");
        if !gr.zones_unknown.is_empty() {
            let _ = writeln!(
                o,
                "<p class=\"note\">{} zones have no figure for this grouping and are counted as &ldquo;not known&rdquo;.</p>",
                gr.zones_unknown.len()
            );
        }
        if cmp {
            let _ = writeln!(
                o,
                "<p class=\"note\">&ldquo;Longer&rdquo;: residents whose average journey to the services gets longer by more than {} minutes.</p>",
                fmt_num(g.longer_by_min)
            );
        }
    }
}

/// A mode as a reader says it before "access": `public transport`, `walking`.
fn mode_words(m: Mode) -> &'static str {
    match m {
        Mode::Bus => "public transport",
        Mode::Walk => "walking",
        Mode::Cycle => "cycling",
        Mode::CarOffpeak => "off-peak car",
        Mode::CarPeak => "rush-hour car",
    }
}

fn verb(change: f64) -> &'static str {
    if change >= 0.0 { "gain" } else { "lose" }
}

/// A bar chart of the change in points by group, one colour per mode, with
/// a labelled zero line and tick marks every 5 or 10 points.
fn change_chart(gr: &Grouping, rows: &[EquityRow], gi: usize, modes: &[Mode]) -> String {
    const COLOURS: [&str; 5] = ["#0072b2", "#009e73", "#e69f00", "#cc79a7", "#56b4e9"];
    let modes: Vec<Mode> = modes.iter().copied().take(3).collect();
    let groups: Vec<usize> = (0..gr.groups.len()).filter(|&k| rows.iter().any(|r| r.grouping == gi && r.group == k && r.change_points().is_some())).collect();
    let val = |k: usize, m: Mode| rows.iter().find(|r| r.grouping == gi && r.group == k && r.mode == m).and_then(|r| r.change_points());
    let max = groups.iter().flat_map(|&k| modes.iter().filter_map(move |&m| val(k, m))).fold(1.0f64, |a, v| a.max(v.abs()));
    let step = if max > 40.0 {
        20.0
    } else if max > 20.0 {
        10.0
    } else if max > 8.0 {
        5.0
    } else if max > 4.0 {
        2.0
    } else {
        1.0
    };
    let top = (max / step).ceil() * step;
    let (w, h, left, right, top_px, bottom) = (760.0, 300.0, 56.0, 16.0, 34.0, 64.0);
    let plot_h = h - top_px - bottom;
    let y = |v: f64| top_px + plot_h / 2.0 - v / top * plot_h / 2.0;
    let band = (w - left - right) / groups.len().max(1) as f64;
    let bar = (band * 0.8) / modes.len().max(1) as f64;
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"Change in access by {}\" font-family=\"{FONT_STACK}\" font-size=\"12\">",
        esc(&gr.title.to_lowercase())
    );
    let _ = write!(s, "<text x=\"{left}\" y=\"16\" font-weight=\"bold\">Change in access by {} (percentage points)</text>", esc(&gr.title.to_lowercase()));
    let mut t = -top;
    while t <= top + 1e-9 {
        let yy = y(t);
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"{}\" stroke-width=\"1\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            w - right,
            if t.abs() < 1e-9 { "#333" } else { "#ddd" },
            left - 6.0,
            yy + 4.0,
            signed(t).replace(".0", "")
        );
        t += step;
    }
    let _ = write!(s, "<text transform=\"translate(14 {:.1}) rotate(-90)\" text-anchor=\"middle\">points (after − before)</text>", top_px + plot_h / 2.0);
    for (i, &k) in groups.iter().enumerate() {
        let x0 = left + band * i as f64 + band * 0.1;
        for (j, &m) in modes.iter().enumerate() {
            if let Some(v) = val(k, m) {
                let (y0, y1) = (y(v.max(0.0)), y(v.min(0.0)));
                let _ = write!(
                    s,
                    "<rect x=\"{:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {} {} points</title></rect>",
                    x0 + bar * j as f64,
                    bar.max(1.0),
                    (y1 - y0).max(0.5),
                    COLOURS[j % COLOURS.len()],
                    esc(&gr.groups[k].label),
                    esc(m.title()),
                    signed(v)
                );
            }
        }
        let label = gr.groups[k].label.split(" (").next().unwrap_or("").to_string();
        let _ = write!(s, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>", left + band * (i as f64 + 0.5), h - bottom + 16.0, esc(&label));
    }
    let axis = match gr.kind {
        GroupKind::Decile => "deprivation decile (1 = most deprived)",
        _ => "group",
    };
    let _ = write!(s, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>", left + (w - left - right) / 2.0, h - bottom + 34.0, axis);
    for (j, &m) in modes.iter().enumerate() {
        let x = left + 170.0 * j as f64;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            h - 18.0,
            COLOURS[j % COLOURS.len()],
            x + 16.0,
            h - 8.0,
            esc(m.title())
        );
    }
    s.push_str("</svg>");
    s
}
