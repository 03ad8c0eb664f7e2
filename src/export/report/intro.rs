//! The report's opening and closing sections: the plain-language explainer,
//! what was compared, the headline figures, tier-rule violations, and the
//! inputs with their credits.

use super::*;

impl View<'_> {
    pub(super) fn explainer(&self, o: &mut String) {
        o.push_str("<section class=\"explainer\">\n<h2 style=\"margin-top:.4em\">How to read this report</h2>\n");
        let bus = match self.pt_words() {
            Some(w) if w != "bus" => format!(" and the {w} timetables"),
            Some(_) => " and the bus timetable".to_string(),
            None => String::new(),
        };
        let _ = writeln!(
            o,
            "<p>Each small area (a <b>zone</b>) stands for the people who live in it. For every zone the tool works out the door-to-door journey to every site on the street network{bus}. Which site residents use for a service depends on the service's <b>tier</b>:</p>\n<ul>"
        );
        let rule = |t: Tier| match t.number() {
            1 => "residents use the one in their own locality",
            2 => "residents use the nearer one of their pair of localities",
            _ => "residents use the nearest one anywhere",
        };
        for t in Tier::ALL {
            let _ = writeln!(o, "<li><b>Tier {}</b> services are offered {}; {}.</li>", t.number(), esc(t.meaning()), rule(t));
        }
        o.push_str("</ul>\n");
        if self.after.s.free_choice {
            o.push_str("<p>In this scenario patients may choose: they use the nearest site offering a service, whatever its tier.</p>\n");
        }
        self.population_and_demand(o);
        if self.modes().is_empty() {
            // No travel times: nothing below applies.
            o.push_str("</section>\n");
            return;
        }
        o.push_str("<p><b>Ways of travelling</b>, each with the time within which a journey counts as &ldquo;within reach&rdquo;:</p>\n<ul>\n");
        for &m in self.modes() {
            let explained = match (m, self.pt_words()) {
                (Mode::Bus, Some(w)) if w != "bus" => format!("by {w}, including the walk to, from and between the stops and the waits"),
                _ => mode_explained(m).to_string(),
            };
            let _ = writeln!(o, "<li><b>{}</b>: {}; within {} minutes.</li>", esc(m.title()), esc(&explained), fmt_num(self.threshold(m)));
        }
        o.push_str("</ul>\n");
        if !self.modes().contains(&Mode::Bus) {
            o.push_str("<p class=\"note\">Public transport is not included: no bus timetable was used for these travel times.</p>\n");
        }
        o.push_str("<p><b>Nearest HLC</b>: like the original Medway analysis, the headline table counts the journey to the nearest Healthy Living Centre, whatever it offers; that figure changes only when HLCs open or close. The rows &ldquo;where each service is offered&rdquo; and the table by service follow each service to the sites that offer it, with services weighted by how many patient contacts they have a year.</p>\n");
        if self.no_hlc() {
            let _ = writeln!(
                o,
                "<p class=\"note no-hlc\">{}. Give sites the role HLC (in the app's site table, or in the scenario file: <code>[[site]]</code> with <code>role = \"hlc\"</code>) to measure the HLC model.</p>",
                esc(NO_HLC_NOTE)
            );
        }
        match self.before {
            Some(b) => {
                let _ = writeln!(
                    o,
                    "<p><b>Before</b> is the scenario &ldquo;{}&rdquo;; <b>after</b> is &ldquo;{}&rdquo;. For patient journeys (one per row of the contacts file), before is the site where the patient is seen today when the baseline still offers the service there, otherwise the site the baseline's rules send them to.</p>",
                    esc(&b.s.name),
                    esc(&self.after.s.name)
                );
            }
            None => {
                o.push_str("<p><b>Patient journeys</b> (one per row of the contacts file) compare the site where each patient is seen today (<b>before</b>) with the site this scenario sends them to (<b>after</b>). Coverage figures are those of this scenario.</p>\n");
            }
        }
        if self.suppress {
            o.push_str("<p>To protect patients' privacy, counts of 1 to 4 are shown as &ldquo;&lt;5&rdquo;, and figures that would reveal such a count are left out.</p>\n");
        }
        o.push_str("</section>\n");
    }

    /// Which population year and which patient contacts the figures rest on, in plain words.
    fn population_and_demand(&self, o: &mut String) {
        let population = match &self.study.growth {
            Some(g) => format!("the {} population projected from the census: {}", g.year, g.headline()),
            None => format!("today's population as the inputs give it ({} residents; no growth table)", fmt_int(self.region.population())),
        };
        let _ = writeln!(
            o,
            "<p><b>Population</b>: every figure rests on {}.{}</p>",
            esc(&population),
            match &self.study.growth_note {
                Some(n) => format!(" {}{}.", esc(&n[..1].to_uppercase()), esc(&n[1..])),
                None => String::new(),
            }
        );
        let d = self.study.demand.source.to_string();
        let _ = writeln!(o, "<p><b>Demand</b>: {}{}.</p>", esc(&d[..1].to_uppercase()), esc(&d[1..]));
        if self.study.demand.source.is_estimated() {
            o.push_str("<p class=\"note\">No activity data was given, so each zone's contacts a year with each service are estimated as the sum over census age bands of the catalogue's contacts per 1,000 residents of the band times the zone's residents in it. The shipped rates are illustrative national-average assumptions (older people use community services most, so the rates rise steeply with age), not measured local activity: replace them with local activity rates, or give a contacts file, before relying on the patient-journey figures. Each estimated journey starts from the site the baseline's tier rules send the zone to.</p>\n");
            for u in self.study.demand.unplaced_lines() {
                let _ = writeln!(o, "<p class=\"note\">{}.</p>", esc(&u));
            }
        }
    }

    /// The sites offering a service, by name ("every HLC" when it is exactly the HLCs).
    pub(super) fn site_names(&self, s: &Scenario, si: usize) -> String {
        let sites = s.services[si].sites();
        let hlcs = &self.after.e.hlcs;
        if hlcs.len() > 1 && sites.len() == hlcs.len() && sites.iter().all(|x| hlcs.contains(x)) {
            return format!("every HLC ({})", hlcs.len());
        }
        let names: Vec<String> = sites.into_iter().map(|i| esc(&self.sites[i].name)).collect();
        if names.is_empty() { format!("<em>{NOT_OFFERED}</em>") } else { names.join(", ") }
    }

    pub(super) fn what_was_compared(&self, o: &mut String) {
        o.push_str("<h2>What was compared</h2>\n");
        let a = self.after.s;
        let desc = |d: &str| if d.is_empty() { String::new() } else { format!(" — {}", esc(d)) };
        match self.before {
            Some(b) => {
                let _ = writeln!(o, "<p><b>Before:</b> {}{}<br><b>After:</b> {}</p>", esc(&b.s.name), desc(&self.study.file.description), esc(&a.name));
                let mut rows = String::new();
                let mut same = 0;
                for (si, sv) in a.services.iter().enumerate() {
                    let bi = b.s.service(&sv.id);
                    let changed = match bi {
                        Some(bi) => b.s.services[bi].offered != sv.offered || b.s.services[bi].tier != sv.tier,
                        None => true,
                    };
                    if !changed {
                        same += 1;
                        continue;
                    }
                    let tier = match bi.map(|bi| b.s.services[bi].tier) {
                        Some(t) if t != sv.tier => format!("{} → {}", t.number(), sv.tier.number()),
                        _ => sv.tier.number().to_string(),
                    };
                    let before = bi.map_or("<em>not planned</em>".to_string(), |bi| self.site_names(b.s, bi));
                    let _ =
                        writeln!(rows, "<tr><td>{}</td><td class=\"n\">{tier}</td><td>{before}</td><td>{}</td></tr>", esc(&sv.name), self.site_names(a, si));
                }
                for (bi, sv) in b.s.services.iter().enumerate() {
                    if a.service(&sv.id).is_none() {
                        let _ = writeln!(
                            rows,
                            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td><em>not planned</em></td></tr>",
                            esc(&sv.name),
                            sv.tier.number(),
                            self.site_names(b.s, bi)
                        );
                    }
                }
                if rows.is_empty() {
                    o.push_str("<p>Both scenarios offer every service at the same sites.</p>\n");
                } else {
                    let _ = writeln!(
                        o,
                        "<details open><summary>Services that move ({} unchanged)</summary>\n<div class=\"scroll\"><table class=\"moves\"><thead><tr><th>Service</th><th class=\"n\">Tier</th><th>Offered before at</th><th>Offered after at</th></tr></thead><tbody>\n{rows}</tbody></table></div></details>",
                        same
                    );
                }
            }
            None => {
                let _ = writeln!(o, "<p><b>Scenario:</b> {}{}</p>", esc(&a.name), desc(&self.study.file.description));
                let mut rows = String::new();
                let mut order: Vec<usize> = (0..a.services.len()).collect();
                order.sort_by_key(|&i| a.services[i].tier);
                for si in order {
                    let sv = &a.services[si];
                    let _ = writeln!(rows, "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>", esc(&sv.name), sv.tier.number(), self.site_names(a, si));
                }
                let _ = writeln!(
                    o,
                    "<details><summary>Where each of the {} services is offered</summary>\n<div class=\"scroll\"><table class=\"services\"><thead><tr><th>Service</th><th class=\"n\">Tier</th><th>Offered at</th></tr></thead><tbody>\n{rows}</tbody></table></div></details>",
                    a.services.len()
                );
            }
        }
    }

    pub(super) fn contact_miles(&self) -> Option<(f64, f64)> {
        let (mut w, mut b, mut a) = (0.0, 0.0, 0.0);
        for j in self.journeys {
            if let (Some(x), Some(y)) = j.car_miles {
                w += j.contacts_per_year;
                b += x * j.contacts_per_year;
                a += y * j.contacts_per_year;
            }
        }
        (w > 0.0).then(|| (b / w, a / w))
    }

    pub(super) fn headlines(&self, o: &mut String) {
        o.push_str("<h2>At a glance</h2>\n<div class=\"cards\">\n");
        let card = |o: &mut String, big: String, what: String| {
            let _ = writeln!(o, "<div class=\"card\"><span class=\"big\">{big}</span><span class=\"what\">{what}</span></div>");
        };
        if let Some((k, m)) = self.main_mode() {
            let thr = fmt_num(self.threshold(m));
            if let Some(a) = self.services_share(self.after, m, None) {
                let big = match self.before.and_then(|b| self.services_share(b, m, None)) {
                    Some(b) => format!("{}% → {}%", pct(b), pct(a)),
                    None => format!("{}%", pct(a)),
                };
                card(
                    o,
                    big,
                    format!("of residents within {thr} minutes ({}) of where each service is offered, weighted by use", esc(&m.title().to_lowercase())),
                );
            }
            let sm = summarise(self.journeys, k);
            if sm.rows > 0 {
                card(
                    o,
                    format!("{} / {}", count(sm.gain_contacts, self.suppress), count(sm.lose_contacts, self.suppress)),
                    format!(
                        "patient contacts a year with a shorter / longer journey ({}), of {}",
                        esc(&m.title().to_lowercase()),
                        count(sm.contacts, self.suppress)
                    ),
                );
                let hours = if is_suppressed(sm.contacts, self.suppress) { "–".to_string() } else { fmt_int(sm.saved_min_per_year / 60.0) };
                card(o, hours, format!("hours of travel saved a year ({}; negative: more travel)", esc(&m.title().to_lowercase())));
            }
        }
        if let Some((b, a)) = self.contact_miles() {
            card(o, format!("{b:.1} → {a:.1} miles"), "average driving distance per patient contact, before → after".into());
        }
        let a = self.after.s;
        let nowhere = a.services.iter().filter(|s| !s.offered.contains(&true)).count();
        if nowhere > 0 {
            card(o, format!("{nowhere} of {}", a.services.len()), format!("services {NOT_OFFERED}"));
        }
        let viol = match self.before {
            Some(b) => format!("{} → {}", b.e.violations.len(), self.after.e.violations.len()),
            None => self.after.e.violations.len().to_string(),
        };
        card(o, viol, "tier-rule violations".into());
        o.push_str("</div>\n");
    }

    pub(super) fn violations(&self, o: &mut String) {
        o.push_str("<h2>Tier-rule violations</h2>\n");
        let list = |o: &mut String, e: &Evaluation| {
            if e.violations.is_empty() {
                o.push_str("<p>None: every tier rule holds.</p>\n");
            } else {
                o.push_str("<ul class=\"violations\">\n");
                for v in &e.violations {
                    let _ = writeln!(o, "<li>{}</li>", esc(&v.message));
                }
                o.push_str("</ul>\n");
            }
        };
        match self.before {
            Some(b) => {
                let _ = writeln!(o, "<h3>After: {} ({})</h3>", esc(&self.after.s.name), self.after.e.violations.len());
                list(o, self.after.e);
                let _ = writeln!(o, "<details><summary>Before: {} ({})</summary>", esc(&b.s.name), b.e.violations.len());
                list(o, b.e);
                o.push_str("</details>\n");
            }
            None => list(o, self.after.e),
        }
    }

    pub(super) fn inputs(&self, o: &mut String) {
        let r = self.region;
        let f = &self.study.file.inputs;
        o.push_str("<h2>Inputs and data credits</h2>\n<table class=\"inputs\"><tbody>\n");
        let name = |p: &std::path::Path| p.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let row = |o: &mut String, k: &str, v: String| {
            let _ = writeln!(o, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v));
        };
        row(o, if self.is_comparison() { "Baseline scenario file" } else { "Scenario file" }, name(&self.study.path));
        row(
            o,
            "Zones",
            format!(
                "{} ({} zones, {} residents; population from '{}')",
                name(&r.inputs.zones),
                r.zones.len(),
                fmt_int(r.population()),
                f.population.as_deref().unwrap_or("none: zones weighted equally")
            ),
        );
        if let Some(p) = &r.inputs.osm {
            let what = if r.uses_osm { "OpenStreetMap" } else { "synthetic, in OpenStreetMap format" };
            row(o, "Street network", format!("{} ({what})", name(p)));
        }
        if let Some(no) = self.study.no_street_network() {
            row(o, "Street network", format!("none: {no}"));
        }
        let car = r.networks.iter().any(|n| n.mode == crate::network::StreetMode::Car);
        if car {
            row(o, "Car speed profile", r.profile.describe());
        }
        let sources: Vec<String> = r
            .inputs
            .sites
            .iter()
            .map(|s| match s {
                crate::region::SitesInput::File(p) => name(p),
                crate::region::SitesInput::Osm(_) => "OpenStreetMap tags".to_string(),
            })
            .collect();
        if !sources.is_empty() {
            row(o, "Sites", format!("{} ({} sites)", sources.join(", "), r.sites.len()));
        }
        let added = self.study.candidate_sites().len();
        if added > 0 {
            row(o, "Candidate sites", format!("{added} added in the scenario"));
        }
        match &r.inputs.localities {
            Some(crate::region::LocalitiesInput::Polygons { path, .. }) => row(o, "Localities", format!("{} ({})", name(path), r.localities.len())),
            Some(crate::region::LocalitiesInput::Grouped { areas, grouping, .. }) => {
                row(o, "Localities", format!("{} grouped by {} ({})", name(areas), name(grouping), r.localities.len()))
            }
            None => {}
        }
        if let Some(g) = &self.study.growth {
            row(o, "Population year", g.note().trim_start_matches("population: ").to_string());
        }
        if self.study.demand.source.is_estimated() {
            row(o, "Patient contacts", self.study.demand.source.to_string());
        }
        if let Some(c) = &f.contacts {
            let left = self.study.contact_warnings.len();
            row(
                o,
                "Patient contacts",
                format!(
                    "{} ({} rows used{})",
                    c.rsplit('/').next().unwrap_or(c),
                    fmt_int(self.study.contacts.len() as f64),
                    if left > 0 { format!(", {left} rows left out") } else { String::new() }
                ),
            );
        }
        let used = if self.modes().contains(&Mode::Bus) { "used" } else { "named, not used for these travel times" };
        match (f.gtfs.as_slice(), &r.gtfs) {
            ([], _) => {}
            ([g], _) => row(o, "Bus timetable (GTFS)", format!("{} ({used})", g.rsplit('/').next().unwrap_or(g))),
            (_, Some((feed, _))) => row(o, "Public transport timetables (GTFS)", format!("{} ({used})", feed.describe_parts())),
            (gs, None) => row(
                o,
                "Public transport timetables (GTFS)",
                format!("{} ({used})", gs.iter().map(|g| g.rsplit('/').next().unwrap_or(g)).collect::<Vec<_>>().join("; ")),
            ),
        }
        let names: Vec<&str> = self.modes().iter().map(|m| m.title()).collect();
        if names.is_empty() {
            row(o, "Travel times", "none".into());
        } else {
            row(o, "Travel times", format!("door to door for {} zones x {} sites: {}", r.zones.len(), self.sites.len(), names.join("; ")));
        }
        let links = crate::travel::long_link_notes(&self.study.tt.long_links(), |z| r.zones[z].id.as_str(), usize::MAX);
        if !links.is_empty() {
            row(o, "Zones far from a street", links.join("; "));
        }
        if !r.warnings.is_empty() {
            row(o, "Input warnings", format!("{} (see the command's output)", r.warnings.len()));
        }
        o.push_str("</tbody></table>\n");
        if car {
            car_speeds(o, &r.profile);
        }
        let _ = writeln!(o, "<p class=\"credits\">{}</p>", esc(&credits(r)));
    }
}

/// The car speeds of each street class on a street without a speed-limit
/// tag, off-peak and peak, as the profile (and its calibration) give them.
fn car_speeds(o: &mut String, profile: &crate::network::Profile) {
    o.push_str("<h3>Car speeds by street class</h3>\n<p class=\"note\">Speeds between junctions on a street of each OpenStreetMap class without a speed-limit tag; a tagged limit replaces the assumed one and scales both speeds. Peak times are the off-peak times divided by peak / off-peak.</p>\n");
    o.push_str("<table class=\"speeds\"><thead><tr><th>Street class</th><th class=\"n\">Limit assumed, km/h</th><th class=\"n\">Off-peak, km/h</th><th class=\"n\">Peak, km/h</th></tr></thead><tbody>\n");
    for c in profile.car_speed_table() {
        let mark = if c.calibrated { " (calibrated)" } else { "" };
        let _ = writeln!(
            o,
            "<tr><td>{}{mark}</td><td class=\"n\">{:.0}</td><td class=\"n\">{:.0}</td><td class=\"n\">{:.0}</td></tr>",
            esc(&c.class.replace('_', " ")),
            c.legal_kmh,
            c.offpeak_kmh,
            c.peak_kmh
        );
    }
    o.push_str("</tbody></table>\n");
}

impl View<'_> {
    /// What a study without a street network lacks, as the report's banner.
    pub(super) fn no_network_banner(&self, o: &mut String, no: &crate::study::NoStreetNetwork) {
        let text = esc(&no.to_string());
        // Web addresses in the message become links.
        let linked: Vec<String> = text
            .split(' ')
            .map(|w| match w.strip_prefix("https://") {
                Some(_) => {
                    let url = w.trim_end_matches([',', ')', ';']);
                    format!("<a href=\"{url}\">{url}</a>{}", &w[url.len()..])
                }
                None => w.to_string(),
            })
            .collect();
        let _ = writeln!(
            o,
            "<section class=\"missing\">\n<h2 style=\"margin-top:.4em\">No travel times yet</h2>\n<p class=\"no-network\">{}.</p>\n<p>This report shows what needs no street network: the zones with their residents, the localities, the sites and the tier rules. Every travel-time figure (coverage, distances, journeys, maps) is left out until the network is added.</p>\n</section>",
            linked.join(" ")
        );
    }

    /// The localities (zones, residents, HLC) and the sites (kind, role,
    /// locality) of the study, as the "after" scenario gives them.
    pub(super) fn places(&self, o: &mut String) {
        let (r, s) = (self.region, self.after.s);
        if !r.localities.is_empty() {
            o.push_str("<h2>Localities</h2>\n<table class=\"localities\"><thead><tr><th>Locality</th><th class=\"n\">Zones</th><th class=\"n\">Residents</th><th>HLC</th></tr></thead><tbody>\n");
            for (li, l) in r.localities.iter().enumerate() {
                let (n, pop) =
                    r.zones.iter().filter(|z| z.locality.as_deref() == Some(l.name.as_str())).fold((0.0, 0.0), |(n, p), z| (n + 1.0, p + z.population));
                let hlc = s.hlc.get(li).copied().flatten().and_then(|h| self.sites.get(h)).map_or("<em>none</em>".to_string(), |h| esc(&h.name));
                let _ = writeln!(o, "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{hlc}</td></tr>", esc(&l.name), fmt_int(n), fmt_int(pop));
            }
            let outside = r.zones.iter().filter(|z| z.locality.is_none()).fold((0.0, 0.0), |(n, p), z| (n + 1.0, p + z.population));
            if outside.0 > 0.0 {
                let _ = writeln!(
                    o,
                    "<tr><td><em>in no locality</em></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td></td></tr>",
                    fmt_int(outside.0),
                    fmt_int(outside.1)
                );
            }
            let _ = writeln!(
                o,
                "<tr class=\"total\"><td>All</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td></td></tr>\n</tbody></table>",
                fmt_int(r.zones.len() as f64),
                fmt_int(r.population())
            );
        }
        let site_loc = s.site_localities(r, self.sites);
        let _ = writeln!(
            o,
            "<h2>Sites</h2>\n<div class=\"scroll\"><table class=\"sites\"><thead><tr><th>Site</th><th>Kind</th><th>Role</th><th>Locality</th><th>Status</th></tr></thead><tbody>"
        );
        for (i, site) in self.sites.iter().enumerate() {
            let mut role = s.role_of(self.sites, i).label().to_string();
            let of: Vec<&str> = s.hlc.iter().enumerate().filter(|(_, h)| **h == Some(i)).map(|(l, _)| r.localities[l].name.as_str()).collect();
            if !of.is_empty() {
                role = format!("HLC of {}", of.join(", "));
            }
            let loc = site_loc.get(i).copied().flatten().map_or("–", |l| r.localities[l].name.as_str());
            let status = if site.status == crate::model::SiteStatus::Planned { "planned" } else { "existing" };
            let _ =
                writeln!(o, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{status}</td></tr>", esc(&site.name), esc(&site.kind), esc(&role), esc(loc));
        }
        o.push_str("</tbody></table></div>\n");
    }
}

/// The credits line of the report and its maps: the map credits, saying so
/// when the street network is a synthetic one (the demo region).
pub(super) fn credits(r: &Region) -> String {
    let c = map_svg::default_credits(r);
    if r.inputs.osm.is_some() && !r.uses_osm { format!("Synthetic demo region (fictional). {c}") } else { c }
}
