//! Coverage sections, in the shape of the Medway table: the share of
//! residents within each mode's threshold, overall, by locality and by
//! service, before and after; and average driving distances.

use super::*;

/// A share for a cell (0 to 1), or the words the cell shows instead: "–"
/// for none, [`NO_HLC_CELL`], [`NOT_OFFERED`].
pub(super) type Fig = Result<f64, &'static str>;

/// A share, or "–" when there is none.
pub(super) fn fig(x: Option<f64>) -> Fig {
    x.ok_or("–")
}

impl View<'_> {
    pub(super) fn share_td(&self, target: &str, m: Mode, loc: &str, when: &str, share: Fig, first: bool) -> String {
        let cls = if first { "share first" } else { "share" };
        let text = share.map_or_else(esc, |s| format!("{}%", pct(s)));
        format!(
            "<td class=\"{cls}\" data-target=\"{}\" data-mode=\"{}\" data-locality=\"{}\" data-when=\"{when}\">{text}</td>",
            esc(target),
            m.label(),
            esc(loc),
        )
    }

    pub(super) fn change_td(&self, target: &str, m: Mode, loc: &str, before: Fig, after: Fig) -> String {
        match (before, after) {
            (Ok(b), Ok(a)) => {
                let d = 100.0 * (a - b);
                format!(
                    "<td class=\"{}\" data-target=\"{}\" data-mode=\"{}\" data-locality=\"{}\" data-when=\"change\">{}</td>",
                    format!("change {}", tone(d)).trim_end(),
                    esc(target),
                    m.label(),
                    esc(loc),
                    signed(d)
                )
            }
            _ => format!(
                "<td class=\"change\" data-target=\"{}\" data-mode=\"{}\" data-locality=\"{}\" data-when=\"change\">–</td>",
                esc(target),
                m.label(),
                esc(loc)
            ),
        }
    }

    /// Cells of one share: before, after, change (comparison) or the share alone.
    pub(super) fn share_cells(&self, target: &str, m: Mode, loc: &str, before: Fig, after: Fig, first: bool) -> String {
        if self.is_comparison() {
            format!(
                "{}{}{}",
                self.share_td(target, m, loc, "before", before, first),
                self.share_td(target, m, loc, "after", after, false),
                self.change_td(target, m, loc, before, after)
            )
        } else {
            self.share_td(target, m, loc, "after", after, first)
        }
    }

    pub(super) fn share_heads(&self) -> &'static str {
        if self.is_comparison() {
            "<th class=\"n first\">Before</th><th class=\"n\">After</th><th class=\"n\">Change (points)</th>"
        } else {
            "<th class=\"n first\">Share of residents</th>"
        }
    }

    /// Whether neither scenario has an HLC, so the "nearest HLC" figures
    /// are to the nearest site of any kind.
    pub(super) fn no_hlc(&self) -> bool {
        self.after.e.no_hlc() && self.before.is_none_or(|b| b.e.no_hlc())
    }

    /// The nearest-HLC share of one side, or "no HLC defined" for a side
    /// without HLCs compared with one that has them.
    fn hlc_fig(&self, side: Side, cover: Option<Cover>) -> Fig {
        if side.e.no_hlc() && !self.no_hlc() { Err(NO_HLC_CELL) } else { fig(cover.map(|c| c.share())) }
    }

    /// The nearest-HLC shares before and after, for a mode and locality.
    pub(super) fn hlc_figs(&self, m: Mode, loc: Option<usize>) -> (Fig, Fig) {
        let b = self.before.map_or(Err("–"), |b| self.hlc_fig(b, self.cover_before(Target::AnyHlc, m, loc)));
        (b, self.hlc_fig(self.after, self.cover_after(Target::AnyHlc, m, loc)))
    }

    /// What the nearest-HLC figures are to, as a heading ends.
    pub(super) fn nearest_heading(&self) -> &'static str {
        if self.no_hlc() { "the nearest site of any kind (no HLC defined yet)" } else { "the nearest Healthy Living Centre" }
    }

    /// A note under a nearest-HLC heading when a scenario has no HLC.
    pub(super) fn no_hlc_note(&self, o: &mut String) {
        if self.no_hlc() {
            let _ = writeln!(o, "<p class=\"note no-hlc\">{}.</p>", esc(NO_HLC_NOTE));
        } else if let Some(side) = [self.before, Some(self.after)].into_iter().flatten().find(|s| s.e.no_hlc()) {
            let _ = writeln!(
                o,
                "<p class=\"note no-hlc\">No HLC is defined in &ldquo;{}&rdquo;: its nearest-HLC figures read &ldquo;{NO_HLC_CELL}&rdquo;.</p>",
                esc(&side.s.name)
            );
        }
    }

    /// A service's share on one side, or "not yet offered anywhere".
    pub(super) fn service_fig(&self, side: Side, t: Target, cover: Option<Cover>) -> Fig {
        match t {
            Target::Service(i) if side.s.services.get(i).is_some_and(|x| !x.offered.contains(&true)) => Err(NOT_OFFERED),
            _ => fig(cover.map(|c| c.share())),
        }
    }

    pub(super) fn coverage(&self, o: &mut String) {
        o.push_str("<h2>Who can reach services</h2>\n<p>Share of residents within each mode's time of the site they would use, in the shape of the Medway table.</p>\n");
        self.no_hlc_note(o);
        let _ = writeln!(o, "<table class=\"coverage medway\"><thead><tr><th>Measure</th>{}</tr></thead>", self.share_heads());
        let span = if self.is_comparison() { 4 } else { 2 };
        let _ = writeln!(o, "<tbody><tr><th colspan=\"{span}\">Travel to {}</th></tr>", self.nearest_heading());
        for &m in self.modes() {
            let (b, a) = self.hlc_figs(m, None);
            let _ = writeln!(
                o,
                "<tr><td>{} within {} minutes</td>{}</tr>",
                mode_phrase(m),
                fmt_num(self.threshold(m)),
                self.share_cells("any-hlc", m, "All", b, a, true)
            );
        }
        o.push_str("</tbody>\n");
        if !self.after.s.services.is_empty() {
            let _ =
                writeln!(o, "<tbody><tr><th colspan=\"{span}\">Travel to where each service is offered (all services, weighted by contacts a year)</th></tr>");
            for &m in self.modes() {
                let a = self.services_fig(self.after, m);
                let b = self.before.map_or(Err("–"), |b| self.services_fig(b, m));
                let _ = writeln!(
                    o,
                    "<tr><td>{} within {} minutes</td>{}</tr>",
                    mode_phrase(m),
                    fmt_num(self.threshold(m)),
                    self.share_cells("all-services", m, "All", b, a, true)
                );
            }
            o.push_str("</tbody>\n");
        }
        o.push_str("</table>\n");
    }

    pub(super) fn coverage_by_locality(&self, o: &mut String) {
        if self.region.localities.is_empty() {
            return;
        }
        let head = if self.no_hlc() { "Nearest site of any kind (no HLC defined yet), by locality" } else { "Nearest HLC, by locality" };
        let _ = write!(
            o,
            "<h3>{head}</h3>\n<div class=\"scroll\"><table class=\"coverage by-locality\"><thead><tr><th rowspan=\"2\">Locality</th><th class=\"n\" rowspan=\"2\">Residents</th>"
        );
        let span = if self.is_comparison() { 3 } else { 1 };
        for &m in self.modes() {
            let _ = write!(o, "<th class=\"group\" colspan=\"{span}\">{} ({} min)</th>", esc(m.title()), fmt_num(self.threshold(m)));
        }
        o.push_str("</tr><tr>");
        for _ in self.modes() {
            o.push_str(if self.is_comparison() {
                "<th class=\"n first\">Before</th><th class=\"n\">After</th><th class=\"n\">Change</th>"
            } else {
                "<th class=\"n first\">Share</th>"
            });
        }
        o.push_str("</tr></thead><tbody>\n");
        let rows: Vec<(Option<usize>, String)> = (0..self.region.localities.len())
            .map(|l| (Some(l), self.region.localities[l].name.clone()))
            .chain(std::iter::once((None, "All".to_string())))
            .collect();
        for (loc, name) in rows {
            let pop = self.cover_after(Target::AnyHlc, self.modes().first().copied().unwrap_or(Mode::CarOffpeak), loc).map_or(0.0, |c| c.population);
            let cls = if loc.is_none() { " class=\"total\"" } else { "" };
            let _ = write!(o, "<tr{cls}><td>{}</td><td class=\"n\">{}</td>", esc(&name), fmt_int(pop));
            for &m in self.modes() {
                let (b, a) = self.hlc_figs(m, loc);
                o.push_str(&self.share_cells("any-hlc", m, &name, b, a, true));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody></table></div>\n");
    }

    pub(super) fn coverage_by_service(&self, o: &mut String) {
        let a = self.after.s;
        if a.services.is_empty() {
            return;
        }
        let cmp = self.is_comparison();
        o.push_str("<h3>By service</h3>\n<p>Share of residents within each mode's time of the site the tier rules send them to");
        o.push_str(if cmp { " (after, and the change in points since before)" } else { "" });
        o.push_str(", and the average driving distance per resident (car, off peak).</p>\n<div class=\"scroll\"><table class=\"coverage by-service\"><thead><tr><th>Service</th><th class=\"n\">Tier</th>");
        for &m in self.modes() {
            let _ = write!(o, "<th class=\"n first\">{} ({} min)</th>", esc(m.title()), fmt_num(self.threshold(m)));
            if cmp {
                o.push_str("<th class=\"n\">Change</th>");
            }
        }
        o.push_str(if cmp { "<th class=\"n first\">Miles before</th><th class=\"n\">Miles after</th>" } else { "<th class=\"n first\">Miles</th>" });
        o.push_str("</tr></thead><tbody>\n");
        let mut order: Vec<usize> = (0..a.services.len()).collect();
        order.sort_by_key(|&i| a.services[i].tier);
        for si in order {
            let sv = &a.services[si];
            let t = Target::Service(si);
            let bt = self.before_target(t);
            let tier = match (self.before, bt) {
                (Some(b), Some(Target::Service(bi))) if b.s.services[bi].tier != sv.tier => {
                    format!("{} → {}", b.s.services[bi].tier.number(), sv.tier.number())
                }
                _ => sv.tier.number().to_string(),
            };
            let _ = write!(o, "<tr><td>{}</td><td class=\"n\">{tier}</td>", esc(&sv.name));
            for &m in self.modes() {
                let after = self.service_fig(self.after, t, self.cover_after(t, m, None));
                o.push_str(&self.share_td(&sv.id, m, "All", "after", after, true));
                if cmp {
                    let before = match (self.before, bt) {
                        (Some(b), Some(bt)) => self.service_fig(b, bt, self.cover_before(t, m, None)),
                        _ => Err("–"),
                    };
                    o.push_str(&self.change_td(&sv.id, m, "All", before, after));
                }
            }
            let miles_after = self.after.e.mean_drive_miles(self.region, t);
            if let Some(b) = self.before {
                let miles_before = bt.and_then(|bt| b.e.mean_drive_miles(self.region, bt));
                let _ = write!(o, "<td class=\"n first\">{}</td><td class=\"n\">{}</td>", one_decimal(miles_before), one_decimal(miles_after));
            } else {
                let _ = write!(o, "<td class=\"n first\">{}</td>", one_decimal(miles_after));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody></table></div>\n");
    }

    /// Use-weighted mean over services of the population-weighted driving
    /// miles (services offered nowhere left out).
    pub(super) fn services_miles(&self, side: Side) -> Option<f64> {
        let w = self.offered_weights(side.s);
        let (mut sw, mut acc) = (0.0, 0.0);
        for (si, wi) in w.iter().enumerate() {
            if let Some(m) = side.e.mean_drive_miles(self.region, Target::Service(si)).filter(|_| *wi > 0.0) {
                sw += wi;
                acc += wi * m;
            }
        }
        (sw > 0.0).then(|| acc / sw)
    }

    pub(super) fn distances(&self, o: &mut String) {
        if !self.modes().contains(&Mode::CarOffpeak) {
            return;
        }
        o.push_str("<h2>Average driving distance</h2>\n<p>Miles by car outside the rush hour, door to door.</p>\n");
        let cmp = self.is_comparison();
        let heads = if cmp {
            "<th class=\"n\">Before</th><th class=\"n\">After</th><th class=\"n\">Change</th>"
        } else {
            "<th class=\"n\">Today</th><th class=\"n\">This scenario</th><th class=\"n\">Change</th>"
        };
        let _ = writeln!(o, "<table class=\"distance\"><thead><tr><th>Average over</th>{heads}</tr></thead><tbody>");
        let row = |o: &mut String, label: &str, b: Option<f64>, a: Option<f64>| {
            let ch = match (b, a) {
                (Some(b), Some(a)) => format!("<td class=\"n {}\">{}</td>", tone(b - a), signed(a - b)),
                _ => "<td class=\"n\">–</td>".into(),
            };
            let _ = writeln!(o, "<tr><td>{label}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{ch}</tr>", one_decimal(b), one_decimal(a));
        };
        // A side without HLCs, compared with one that has them, has no distance to an HLC.
        let hlc_miles = |side: Side| if side.e.no_hlc() && !self.no_hlc() { None } else { side.e.mean_drive_miles(self.region, Target::AnyHlc) };
        let label = if self.no_hlc() { "Residents, to the nearest site of any kind (no HLC defined yet)" } else { "Residents, to the nearest HLC" };
        row(o, label, self.before.and_then(hlc_miles), hlc_miles(self.after));
        if !self.after.s.services.is_empty() {
            row(
                o,
                "Residents, to where each service is offered (services weighted by contacts a year)",
                self.before.and_then(|b| self.services_miles(b)),
                self.services_miles(self.after),
            );
        }
        if let Some((b, a)) = self.contact_miles() {
            row(o, "Patient contacts (each contact a year counts once)", Some(b), Some(a));
        }
        o.push_str("</tbody></table>\n");
    }
}
