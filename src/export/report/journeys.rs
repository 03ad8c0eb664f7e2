//! Patient journeys: summaries by mode, locality, service and tier, the
//! worst losses, and the bus journey leg by leg for the largest of them.

use super::*;

impl View<'_> {
    pub(super) fn summary_row(&self, o: &mut String, group: &str, value: &str, label: &str, m: Mode, sm: &JourneySummary) {
        let sup = self.suppress;
        let attrs = |col: &str| format!("data-group=\"{}\" data-value=\"{}\" data-mode=\"{}\" data-col=\"{col}\"", esc(group), esc(value), m.label());
        let hidden = is_suppressed(sm.contacts, sup);
        let saved = if hidden { "–".to_string() } else { fmt_int(sm.saved_min_per_year) };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"n count\" {}>{}</td><td class=\"n count good\" {}>{}</td><td class=\"n count bad\" {}>{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.1}</td><td class=\"n {}\" {}>{}</td></tr>",
            esc(label),
            attrs("contacts"),
            count(sm.contacts, sup),
            attrs("gaining"),
            count(sm.gain_contacts, sup),
            attrs("losing"),
            count(sm.lose_contacts, sup),
            sm.mean_before_min,
            sm.mean_after_min,
            if hidden { "" } else { tone(sm.saved_min_per_year) },
            attrs("saved_min_per_year"),
            saved
        );
    }

    pub(super) fn summary_head(first: &str) -> String {
        format!(
            "<thead><tr><th>{first}</th><th class=\"n\">Contacts a year</th><th class=\"n\">Shorter journey</th><th class=\"n\">Longer journey</th><th class=\"n\">Mean minutes before</th><th class=\"n\">Mean minutes after</th><th class=\"n\">Minutes saved a year</th></tr></thead>"
        )
    }

    pub(super) fn journey_tables(&self, o: &mut String) {
        o.push_str("<h2>Patient journeys</h2>\n");
        if self.journeys.is_empty() {
            o.push_str("<p>No patient contacts were given, so no journeys are compared.</p>\n");
            return;
        }
        let total: f64 = self.journeys.iter().map(|j| j.contacts_per_year).sum();
        let _ = writeln!(
            o,
            "<p>{} {}, {} contacts a year. A journey counts as shorter or longer when it changes by more than half a minute. Minutes saved a year are contacts a year times the minutes saved per trip (negative: more time travelling).</p>",
            fmt_int(self.journeys.len() as f64),
            if self.study.demand.source.is_estimated() {
                "zones and services with estimated need (illustrative age-band rates, not activity data)"
            } else {
                "rows of the contacts file"
            },
            count(total, self.suppress)
        );
        let _ = writeln!(o, "<h3>By way of travelling</h3>\n<table class=\"journeys by-mode\">{}<tbody>", Self::summary_head("Mode"));
        for (k, &m) in self.modes().iter().enumerate() {
            let sm = summarise(self.journeys, k);
            if sm.rows > 0 {
                self.summary_row(o, "all", "All", m.title(), m, &sm);
            }
        }
        o.push_str("</tbody></table>\n");
        let Some((k, m)) = self.main_mode() else { return };
        let mt = esc(&m.title().to_lowercase());
        if !self.region.localities.is_empty() {
            let _ = writeln!(o, "<h3>By locality ({mt})</h3>\n<table class=\"journeys by-locality\">{}<tbody>", Self::summary_head("Locality"));
            for l in &self.region.localities {
                let sm = summarise(self.journeys.iter().filter(|j| self.locality_of(j) == Some(l.name.as_str())), k);
                if sm.rows > 0 {
                    self.summary_row(o, "locality", &l.name, &l.name, m, &sm);
                }
            }
            o.push_str("</tbody></table>\n");
        }
        let _ = writeln!(o, "<h3>By service ({mt})</h3>\n<div class=\"scroll\"><table class=\"journeys by-service\">{}<tbody>", Self::summary_head("Service"));
        let s = self.after.s;
        let mut order: Vec<usize> = (0..s.services.len()).collect();
        order.sort_by_key(|&i| s.services[i].tier);
        for si in order {
            let sm = summarise(self.journeys.iter().filter(|j| j.service == si), k);
            if sm.rows > 0 {
                let label = format!("{} (tier {})", s.services[si].name, s.services[si].tier.number());
                self.summary_row(o, "service", &s.services[si].id, &label, m, &sm);
            }
        }
        o.push_str("</tbody></table></div>\n");
        let _ = writeln!(o, "<h3>By tier ({mt})</h3>\n<table class=\"journeys by-tier\">{}<tbody>", Self::summary_head("Tier"));
        for t in Tier::ALL {
            let sm = summarise(self.journeys.iter().filter(|j| s.services.get(j.service).is_some_and(|sv| sv.tier == t)), k);
            if sm.rows > 0 {
                self.summary_row(o, "tier", &t.number().to_string(), &format!("Tier {}", t.number()), m, &sm);
            }
        }
        o.push_str("</tbody></table>\n");
    }

    pub(super) fn worst_losses(&self, o: &mut String) {
        let Some((k, m)) = self.main_mode() else { return };
        let mut losers: Vec<&Journey> = self.journeys.iter().filter(|j| j.saved_min(k).is_some_and(|s| s < -0.5)).collect();
        losers
            .sort_by(|a, b| a.saved_min(k).unwrap_or(0.0).total_cmp(&b.saved_min(k).unwrap_or(0.0)).then(b.contacts_per_year.total_cmp(&a.contacts_per_year)));
        let _ = writeln!(o, "<h2>The largest losses ({})</h2>", esc(&m.title().to_lowercase()));
        if losers.is_empty() {
            o.push_str("<p>No patient's journey gets longer by more than half a minute.</p>\n");
            return;
        }
        let _ = writeln!(
            o,
            "<p>Rows of the contacts file whose journey gets longer, the longest extra time per trip first ({} of {}).</p>\n<div class=\"scroll\"><table class=\"losses\"><thead><tr><th>Zone</th><th>Locality</th><th>Service</th><th class=\"n\">Contacts a year</th><th>Site before</th><th>Site after</th><th class=\"n\">Minutes before</th><th class=\"n\">Minutes after</th><th class=\"n\">Extra minutes per trip</th><th class=\"n\">Extra minutes a year</th></tr></thead><tbody>",
            losers.len().min(WORST_LOSSES),
            fmt_int(losers.len() as f64)
        );
        let site = |x: Option<usize>| x.and_then(|i| self.sites.get(i)).map_or("–".to_string(), |s| esc(&s.name));
        for j in losers.iter().take(WORST_LOSSES) {
            let z = &self.region.zones[j.zone];
            let sv = &self.after.s.services[j.service];
            let lost = -j.saved_min(k).unwrap_or(0.0);
            let hidden = is_suppressed(j.contacts_per_year, self.suppress);
            let per_year = if hidden { "–".to_string() } else { fmt_int(lost * j.contacts_per_year) };
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{} (tier {})</td><td class=\"n count\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n bad\">{:.1}</td><td class=\"n bad\">{}</td></tr>",
                esc(&z.id),
                esc(z.locality.as_deref().unwrap_or("–")),
                esc(&sv.name),
                sv.tier.number(),
                count(j.contacts_per_year, self.suppress),
                site(j.before_site.get(k).copied().flatten()),
                site(j.after_site.get(k).copied().flatten()),
                one_decimal(j.before_min.get(k).copied().flatten()),
                one_decimal(j.after_min.get(k).copied().flatten()),
                lost,
                per_year
            );
        }
        o.push_str("</tbody></table></div>\n");
        self.loss_itineraries(o, &losers);
    }

    /// The bus journey, leg by leg, to the site "after" for the three largest
    /// losses: what a patient without a car would face.
    pub(super) fn loss_itineraries(&self, o: &mut String, losers: &[&Journey]) {
        let (Some(tt), Some(walk)) = (self.study.tt.timetable.as_ref(), self.region.network(crate::network::StreetMode::Walk)) else { return };
        let Some((k, _)) = self.main_mode() else { return };
        let depart = self.study.tt.request.bus_window.middle_s();
        let router = crate::transit::BusRouter::new(tt, walk, self.study.tt.request.bus_options());
        let words = tt.mode_words();
        let _ = writeln!(
            o,
            "<h3>By {}, for the largest losses</h3>\n<p>Leaving at {} on {} {}, the journey to the site after the change, leg by leg (walking, waiting and riding).</p>",
            esc(&words),
            crate::transit::fmt_hm(depart),
            tt.date.weekday_name(),
            tt.date
        );
        for j in losers.iter().take(3) {
            let Some(site) = j.after_site.get(k).copied().flatten() else { continue };
            let z = &self.region.zones[j.zone];
            let text = match router.itinerary(z.point, self.sites[site].point, depart) {
                Ok(it) => it.to_string(),
                Err(e) => format!("no journey by {words}: {e}"),
            };
            let _ = writeln!(
                o,
                "<p><strong>{} to {}</strong></p>\n<pre class=\"itinerary\">{}</pre>",
                esc(&z.id),
                esc(&self.sites[site].name),
                esc(text.trim_end())
            );
        }
    }
}
