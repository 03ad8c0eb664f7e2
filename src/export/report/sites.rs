//! Site loads: residents and contacts a year per site against its capacity.

use super::*;

impl View<'_> {
    pub(super) fn loads(&self, o: &mut String) {
        let Some((k, m)) = self.main_mode() else { return };
        let n = self.sites.len();
        let mut before = vec![0.0; n];
        let mut after = vec![0.0; n];
        for j in self.journeys {
            if let Some(s) = j.before_site.get(k).copied().flatten().filter(|s| *s < n) {
                before[s] += j.contacts_per_year;
            }
            if let Some(s) = j.after_site.get(k).copied().flatten().filter(|s| *s < n) {
                after[s] += j.contacts_per_year;
            }
        }
        let over = over_capacity(self.sites, &self.after.e.loads);
        let _ = writeln!(
            o,
            "<h2>Site loads</h2>\n<p>Patient contacts a year each site would see, each patient going where the rules send them ({}).</p>",
            esc(&m.title().to_lowercase())
        );
        if over.is_empty() {
            o.push_str("<p class=\"loads-ok\">No site is over its capacity after the change.</p>\n");
        } else {
            o.push_str("<p><b>Over capacity after the change:</b></p>\n<ul class=\"over-capacity\">\n");
            for (s, contacts, cap) in &over {
                let _ = writeln!(
                    o,
                    "<li class=\"over\">{}: {} contacts a year against a capacity of {} ({:.0}%)</li>",
                    esc(&self.sites[*s].name),
                    count(*contacts, self.suppress),
                    fmt_int(*cap),
                    100.0 * contacts / cap.max(1e-9)
                );
            }
            o.push_str("</ul>\n");
        }
        let (bh, ah) = if self.is_comparison() { ("Before", "After") } else { ("Today", "This scenario") };
        let _ = writeln!(
            o,
            "<div class=\"scroll\"><table class=\"loads\"><thead><tr><th>Site</th><th>Kind</th><th class=\"n\">{bh}</th><th class=\"n\">{ah}</th><th class=\"n\">Capacity</th><th class=\"n\">Share of capacity after</th></tr></thead><tbody>"
        );
        for (i, s) in self.sites.iter().enumerate() {
            if before[i] <= 0.0 && after[i] <= 0.0 {
                continue;
            }
            let is_over = over.iter().any(|x| x.0 == i);
            let share = s.capacity.filter(|c| *c > 0.0).map_or("–".to_string(), |c| format!("{:.0}%", 100.0 * after[i] / c));
            let status = if s.status == crate::model::SiteStatus::Planned { " (planned)" } else { "" };
            let _ = writeln!(
                o,
                "<tr><td>{}{status}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n{}\">{share}</td></tr>",
                esc(&s.name),
                esc(&s.kind),
                count(before[i], self.suppress),
                count(after[i], self.suppress),
                s.capacity.map_or("–".to_string(), fmt_int),
                if is_over { " over" } else { "" }
            );
        }
        o.push_str("</tbody></table></div>\n");
    }
}
