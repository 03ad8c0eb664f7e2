//! The results panel: the coverage table in the shape of the Medway table,
//! cumulative curves (egui_plot), the patient-journeys table (sortable,
//! filterable, with totals) and site loads against capacity.

use accessplan::analysis::journeys::{Journey, summarise};
use accessplan::analysis::{Evaluation, Target};
use accessplan::travel::Mode;

use accessplan::export::style::fmt_int;

use super::state::Session;

fn change(b: Option<f64>, a: Option<f64>) -> String {
    match (b, a) {
        (Some(b), Some(a)) => format!("{:+.1}", (a - b) * 100.0),
        _ => "–".into(),
    }
}

/// Share within the threshold for a target, mode and locality, in one evaluation.
pub fn share(s: &Session, e: &Evaluation, before: bool, target: Target, mode: Mode, loc: Option<usize>) -> Option<f64> {
    let (sc, t) = if before { (s.before_scenario(), s.before_target(target)?) } else { (&s.study.scenario, target) };
    e.cover(&s.study.region, sc, t, mode, loc).map(|c| c.share())
}

/// A share as the coverage table prints it, or the words it shows instead:
/// "not yet offered anywhere" for a service offered at no site, "no HLC
/// defined" for the nearest HLC of a scenario without HLCs when the other
/// has some (when neither has, the figures are to the nearest site of any
/// kind, and the table says so above).
fn cell(s: &Session, e: &Evaluation, before: bool, target: Target, mode: Mode, loc: Option<usize>) -> Result<f64, &'static str> {
    use accessplan::export::style::{NO_HLC_CELL, NOT_OFFERED};
    let sc = if before { s.before_scenario() } else { &s.study.scenario };
    match (target, if before { s.before_target(target) } else { Some(target) }) {
        (Target::AnyHlc, _) if e.no_hlc() && !no_hlc_anywhere(s) => Err(NO_HLC_CELL),
        (_, Some(Target::Service(i))) if sc.services.get(i).is_some_and(|x| !x.offered.contains(&true)) => Err(NOT_OFFERED),
        _ => share(s, e, before, target, mode, loc).ok_or("–"),
    }
}

/// Whether neither the edited scenario nor the "before" one has an HLC.
fn no_hlc_anywhere(s: &Session) -> bool {
    s.after_eval.no_hlc() && s.before_eval.as_ref().is_none_or(|b| b.no_hlc())
}

fn text(x: Result<f64, &'static str>) -> String {
    x.map_or_else(str::to_string, |v| format!("{}%", accessplan::export::style::pct(v)))
}

/// What the panels show for a study without a street network: what is
/// missing, and what it has (zones with residents, localities and their
/// HLCs, sites, services offered, tier rules).
pub fn no_travel_times(ui: &mut egui::Ui, s: &Session, no: &accessplan::study::NoStreetNetwork) {
    let (r, sc) = (&s.study.region, &s.study.scenario);
    ui.heading("No travel times yet");
    ui.colored_label(super::palette::WARNING, format!("{no}."));
    ui.add_space(6.0);
    ui.label(format!(
        "{} zones with {} residents, {} localities, {} sites. {} of {} services are offered somewhere; {} tier-rule violations (listed under the editor).",
        fmt_int(r.zones.len() as f64),
        fmt_int(r.population()),
        r.localities.len(),
        s.study.sites().len(),
        sc.services.iter().filter(|x| x.offered.contains(&true)).count(),
        sc.services.len(),
        s.after_eval.violations.len()
    ));
    ui.add_space(6.0);
    egui::Grid::new("no-network-localities").striped(true).spacing([12.0, 4.0]).show(ui, |ui| {
        ui.strong("Locality");
        ui.strong("Zones");
        ui.strong("Residents");
        ui.strong("HLC");
        ui.end_row();
        for (li, l) in r.localities.iter().enumerate() {
            let (n, pop) = r.zones.iter().filter(|z| z.locality.as_deref() == Some(l.name.as_str())).fold((0.0, 0.0), |(n, p), z| (n + 1.0, p + z.population));
            ui.label(&l.name);
            ui.label(fmt_int(n));
            ui.label(fmt_int(pop));
            ui.label(sc.hlc.get(li).copied().flatten().map_or("none", |h| s.study.sites()[h].name.as_str()));
            ui.end_row();
        }
    });
}

/// The coverage table.
pub fn coverage(ui: &mut egui::Ui, s: &Session, target: Target) {
    let nearest = if no_hlc_anywhere(s) { "the nearest site of any kind" } else { "the nearest Healthy Living Centre" };
    let what = match target {
        Target::AnyHlc => nearest.to_string(),
        Target::Service(i) => s.study.scenario.services.get(i).map(|x| format!("{} (tier {})", x.name, x.tier.number())).unwrap_or_default(),
    };
    ui.heading("Share of residents within reach");
    ui.label(format!("Of {} residents, the share who can reach {what} within the threshold.", fmt_int(s.study.region.population())));
    if target == Target::AnyHlc && (s.after_eval.no_hlc() || s.before_eval.as_ref().is_some_and(|b| b.no_hlc())) {
        let note = if no_hlc_anywhere(s) {
            format!("{}.", accessplan::export::style::NO_HLC_NOTE)
        } else {
            format!("One scenario has no HLC: its figures read \"{}\".", accessplan::export::style::NO_HLC_CELL)
        };
        ui.colored_label(super::palette::WARNING, note);
    }
    let before = s.before_eval.as_ref();
    let th = &s.study.scenario.thresholds;
    egui::Grid::new("coverage-table").striped(true).num_columns(4).spacing([16.0, 4.0]).show(ui, |ui| {
        ui.strong("Measure");
        ui.strong("Before");
        ui.strong("After");
        ui.strong("Change (points)");
        ui.end_row();
        for &m in &s.after_eval.modes {
            ui.label(format!("{} within {:.0} minutes", m.title(), th.minutes(m)));
            let b = before.map_or(Err("–"), |e| cell(s, e, true, target, m, None));
            let a = cell(s, &s.after_eval, false, target, m, None);
            ui.label(text(b));
            ui.label(egui::RichText::new(text(a)).strong()).on_hover_text(format!(
                "coverage {} {}",
                m.label(),
                a.map_or(String::new(), accessplan::export::style::pct)
            ));
            ui.label(change(b.ok(), a.ok()));
            ui.end_row();
        }
    });
    ui.add_space(8.0);
    ui.strong("By locality (after; change in points)");
    egui::ScrollArea::horizontal().id_salt("cov-loc").show(ui, |ui| {
        egui::Grid::new("coverage-localities").striped(true).spacing([12.0, 4.0]).show(ui, |ui| {
            ui.strong("Locality");
            for &m in &s.after_eval.modes {
                ui.strong(m.title());
            }
            ui.end_row();
            for (li, l) in s.study.region.localities.iter().enumerate() {
                ui.label(&l.name);
                for &m in &s.after_eval.modes {
                    let b = before.map_or(Err("–"), |e| cell(s, e, true, target, m, Some(li)));
                    let a = cell(s, &s.after_eval, false, target, m, Some(li));
                    match a {
                        Ok(_) => ui.label(format!("{} ({})", text(a), change(b.ok(), a.ok()))),
                        Err(_) => ui.label(text(a)),
                    };
                }
                ui.end_row();
            }
        });
    });
    ui.add_space(8.0);
    if let Some(c) = &s.comparison
        && let Some(k) = c.proposed.mode_index(Mode::CarOffpeak)
    {
        if let Some((b, a)) = c.drive_miles() {
            ui.label(format!("Average driving distance per patient contact: {b:.1} miles before, {a:.1} miles after."));
        }
        let sm = summarise(&c.journeys, k);
        ui.label(format!(
            "By car off peak, {} of {} contacts a year get a shorter journey and {} a longer one; {} hours of travel saved a year.",
            fmt_int(sm.gain_contacts),
            fmt_int(sm.contacts),
            fmt_int(sm.lose_contacts),
            fmt_int(sm.saved_min_per_year / 60.0)
        ));
    }
}

/// Cumulative curves for the selected target and mode.
pub fn curves(ui: &mut egui::Ui, s: &Session, target: Target, mode: Mode) {
    use egui_plot::{Legend, Line, LineStyle, Plot, PlotPoints};
    ui.heading(format!("Residents within t minutes, {}", mode.title().to_lowercase()));
    if target == Target::AnyHlc && s.after_eval.no_hlc() {
        ui.colored_label(super::palette::WARNING, format!("{}.", accessplan::export::style::NO_HLC_NOTE));
    }
    if let Target::Service(i) = target
        && s.study.scenario.services.get(i).is_some_and(|x| !x.offered.contains(&true))
    {
        ui.colored_label(super::palette::WARNING, format!("This service is {}: tick a site for it in the editor.", accessplan::export::style::NOT_OFFERED));
    }
    let r = &s.study.region;
    let after = s.after_eval.curve(r, target, mode, None);
    let before = s.before_eval.as_ref().and_then(|e| e.curve(r, s.before_target(target)?, mode, None));
    // Shares of residents, in per cent, against minutes: ticks every 5
    // minutes (labelled every 10) and every 10% (labelled every 20%).
    let pop = r.population().max(1.0);
    let pts = |v: &[f64]| -> PlotPoints { v.iter().enumerate().map(|(t, p)| [t as f64, 100.0 * *p / pop]).collect::<Vec<[f64; 2]>>().into() };
    let whole = |v: f64, step: f64| (v / step - (v / step).round()).abs() < 1e-6;
    let th = s.study.scenario.thresholds.minutes(mode);
    Plot::new("curves")
        .height(ui.available_height().min(420.0))
        .legend(Legend::default().position(egui_plot::Corner::RightBottom))
        // Two-digit minute labels fit every 10 minutes in a narrow panel.
        .custom_x_axes(vec![
            egui_plot::AxisHints::new_x()
                .label("minutes, door to door")
                .label_spacing(24.0..=36.0)
                .formatter(move |m, _| if m.value >= 0.0 && whole(m.value, 10.0) { format!("{:.0}", m.value) } else { String::new() }),
        ])
        .y_axis_label("% of residents within")
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [5.0, 10.0, 30.0]))
        .y_grid_spacer(egui_plot::uniform_grid_spacer(|_| [10.0, 20.0, 100.0]))
        .y_axis_formatter(move |m, _| if (0.0..=100.0).contains(&m.value) && whole(m.value, 20.0) { format!("{:.0}%", m.value) } else { String::new() })
        // A little room past 90 minutes and 100% so the last labels show.
        .default_x_bounds(0.0, accessplan::analysis::coverage::CURVE_MAX_MIN as f64 + 3.0)
        .default_y_bounds(0.0, 104.0)
        .label_formatter(|h| {
            Some(match h {
                egui_plot::HoverPosition::NearDataPoint { plot_name, position, .. } => {
                    format!("{plot_name}\n{:.0} min: {:.0}% of residents", position.x, position.y)
                }
                egui_plot::HoverPosition::Elsewhere { position } => format!("{:.0} min, {:.0}%", position.x, position.y),
            })
        })
        .allow_scroll(false)
        .show(ui, |plot| {
            if let Some(b) = &before {
                plot.line(Line::new("before", pts(b)).style(LineStyle::dashed_loose()).width(2.0).color(egui::Color32::from_rgb(0x99, 0x99, 0x99)));
            }
            if let Some(a) = &after {
                plot.line(Line::new("after", pts(a)).width(2.5).color(egui::Color32::from_rgb(0x1f, 0x4e, 0x99)));
            }
            plot.line(
                Line::new(format!("threshold {th:.0} min"), PlotPoints::from(vec![[th, 0.0], [th, 100.0]]))
                    .color(egui::Color32::from_rgb(0xd6, 0x27, 0x28))
                    .style(LineStyle::dotted_dense()),
            );
        });
}

/// Filter and sort state of the journeys table.
#[derive(Debug, Clone, Default)]
pub struct JourneyTable {
    /// Locality filter.
    pub locality: Option<String>,
    /// Service filter (index).
    pub service: Option<usize>,
    /// Tier filter.
    pub tier: Option<u8>,
    /// 1 = gains only, -1 = losses only.
    pub gain: i8,
    /// Sort column and descending.
    pub sort: (usize, bool),
}

/// The patient-journeys table.
pub fn journeys(ui: &mut egui::Ui, s: &Session, t: &mut JourneyTable, mode: Mode, zone: Option<usize>) {
    let r = &s.study.region;
    let sc = &s.study.scenario;
    let (js, from): (&[Journey], &str) = match &s.comparison {
        Some(c) => (&c.journeys, "before: the baseline's site (where the patient goes today when the baseline still offers it)"),
        None => (&s.after_eval.journeys, "before: the site each patient uses today"),
    };
    let Some(k) = s.after_eval.mode_index(mode) else { return };
    ui.heading(format!("Patient journeys, {}", mode.title().to_lowercase()));
    ui.label(format!("One row per zone and service in the contacts file; {from}."));
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_id_salt("j-loc")
            .selected_text(t.locality.clone().unwrap_or("all localities".into()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut t.locality, None, "all localities");
                for l in &r.localities {
                    ui.selectable_value(&mut t.locality, Some(l.name.clone()), &l.name);
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Locality filter"));
        egui::ComboBox::from_id_salt("j-svc")
            .selected_text(t.service.and_then(|i| sc.services.get(i)).map_or("all services".into(), |x| x.name.clone()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut t.service, None, "all services");
                for (i, x) in sc.services.iter().enumerate() {
                    ui.selectable_value(&mut t.service, Some(i), &x.name);
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Service filter"));
        egui::ComboBox::from_id_salt("j-tier")
            .selected_text(t.tier.map_or("all tiers".into(), |n| format!("tier {n}")))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut t.tier, None, "all tiers");
                for n in 1..=3 {
                    ui.selectable_value(&mut t.tier, Some(n), format!("tier {n}"));
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Tier filter"));
        ui.selectable_value(&mut t.gain, 0, "all");
        ui.selectable_value(&mut t.gain, 1, "gains");
        ui.selectable_value(&mut t.gain, -1, "losses");
    });
    let mut rows: Vec<&Journey> = js
        .iter()
        .filter(|j| zone.is_none_or(|z| j.zone == z))
        .filter(|j| t.locality.as_ref().is_none_or(|l| r.zones[j.zone].locality.as_ref() == Some(l)))
        .filter(|j| t.service.is_none_or(|x| x == j.service))
        .filter(|j| t.tier.is_none_or(|n| sc.services[j.service].tier.number() == n))
        .filter(|j| match t.gain {
            1 => j.saved_min(k).is_some_and(|x| x > 0.5),
            -1 => j.saved_min(k).is_some_and(|x| x < -0.5),
            _ => true,
        })
        .collect();
    if let Some(z) = zone {
        ui.label(format!("Showing zone {} only (click elsewhere on the map to clear).", r.zones[z].id));
        if mode == Mode::Bus {
            itinerary(ui, s, z, k, rows.first().copied());
        }
    }
    let sm = summarise(rows.iter().copied(), k);
    ui.label(format!(
        "{} rows, {} contacts a year: {} gain, {} lose; mean {:.1} -> {:.1} min; {} minutes saved a year in all.",
        rows.len(),
        fmt_int(sm.contacts),
        fmt_int(sm.gain_contacts),
        fmt_int(sm.lose_contacts),
        sm.mean_before_min,
        sm.mean_after_min,
        fmt_int(sm.saved_min_per_year)
    ));
    let key = |j: &Journey, col: usize| -> f64 {
        match col {
            0 => j.zone as f64,
            1 => j.service as f64,
            2 => j.contacts_per_year,
            3 => j.before_min[k].unwrap_or(f64::INFINITY),
            4 => j.after_min[k].unwrap_or(f64::INFINITY),
            5 => j.saved_min(k).unwrap_or(0.0),
            _ => j.saved_min_per_year(k).unwrap_or(0.0),
        }
    };
    rows.sort_by(|a, b| {
        let o = key(a, t.sort.0).total_cmp(&key(b, t.sort.0));
        if t.sort.1 { o.reverse() } else { o }
    });
    let heads = ["zone", "service", "contacts/yr", "before min", "after min", "saved/trip", "saved/yr"];
    let site = |x: Option<usize>| x.map_or("–".to_string(), |i| s.study.sites()[i].name.clone());
    egui::ScrollArea::both().id_salt("journeys-scroll").show(ui, |ui| {
        egui::Grid::new("journeys-table").striped(true).spacing([10.0, 3.0]).show(ui, |ui| {
            for (c, h) in heads.iter().enumerate() {
                let arrow = if t.sort.0 == c { if t.sort.1 { " (desc)" } else { " (asc)" } } else { "" };
                if ui.button(format!("{h}{arrow}")).on_hover_text("Sort by this column").clicked() {
                    t.sort = if t.sort.0 == c { (c, !t.sort.1) } else { (c, true) };
                }
            }
            ui.strong("site before -> after");
            ui.end_row();
            for j in rows.iter().take(300) {
                ui.label(&r.zones[j.zone].id);
                ui.label(&sc.services[j.service].name);
                ui.label(fmt_int(j.contacts_per_year));
                ui.label(j.before_min[k].map_or("–".into(), |x| format!("{x:.1}")));
                ui.label(j.after_min[k].map_or("–".into(), |x| format!("{x:.1}")));
                let sv = j.saved_min(k);
                let col = match sv {
                    Some(x) if x > 0.5 => egui::Color32::from_rgb(0x21, 0x66, 0xac),
                    Some(x) if x < -0.5 => egui::Color32::from_rgb(0xb2, 0x18, 0x2b),
                    _ => ui.visuals().text_color(),
                };
                ui.colored_label(col, sv.map_or("–".into(), |x| format!("{x:+.1}")));
                ui.label(j.saved_min_per_year(k).map_or("–".into(), |x| format!("{x:+.0}")));
                ui.label(format!("{} -> {}", site(j.before_site[k]), site(j.after_site[k])));
                ui.end_row();
            }
        });
        if rows.len() > 300 {
            ui.label(format!("... and {} more rows (export the table for all of them).", rows.len() - 300));
        }
    });
}

/// The bus journey of one row, leg by leg, leaving at the middle of the window.
fn itinerary(ui: &mut egui::Ui, s: &Session, zone: usize, k: usize, row: Option<&Journey>) {
    let (Some(tt), Some(walk)) = (s.study.tt.timetable.as_ref(), s.study.region.network(accessplan::network::StreetMode::Walk)) else { return };
    let Some(site) = row.and_then(|j| j.after_site[k]) else { return };
    let depart = s.study.tt.request.bus_window.middle_s();
    let router = accessplan::transit::BusRouter::new(tt, walk, s.study.tt.request.bus_options());
    let (r, to) = (&s.study.region, &s.study.sites()[site]);
    ui.group(|ui| {
        let words = tt.mode_words();
        ui.strong(format!("By {words} to {} ({} {}):", to.name, tt.date.weekday_name(), tt.date));
        match router.itinerary(r.zones[zone].point, to.point, depart) {
            Ok(it) => {
                for line in it.to_string().lines() {
                    ui.label(line.trim_end());
                }
            }
            Err(e) => {
                ui.label(format!("No journey by {words}: {e}"));
            }
        }
    });
}

/// Site loads against capacity.
pub fn loads(ui: &mut egui::Ui, s: &Session, target: Target) {
    let sites = s.study.sites();
    let e = &s.after_eval;
    ui.heading("Site loads (after)");
    ui.label("Residents in each site's catchment and patient contacts a year it would take (by car off peak), against its capacity.");
    let over = accessplan::analysis::loads::over_capacity(sites, &e.loads);
    egui::Grid::new("loads").striped(true).spacing([12.0, 4.0]).show(ui, |ui| {
        ui.strong("Site");
        ui.strong(match target {
            Target::Service(_) => "residents (this service)",
            Target::AnyHlc => "residents (all services)",
        });
        ui.strong("contacts/yr (all services)");
        ui.strong("capacity");
        ui.end_row();
        for (i, site) in sites.iter().enumerate() {
            let pop: f64 = e.loads.iter().filter(|l| l.site == i && matches!(target, Target::Service(x) if x == l.service)).map(|l| l.population).sum();
            let pop_all: f64 = e.loads.iter().filter(|l| l.site == i).map(|l| l.population).sum::<f64>() / s.study.scenario.services.len().max(1) as f64;
            let con: f64 = e.loads.iter().filter(|l| l.site == i).map(|l| l.contacts).sum();
            ui.label(&site.name);
            ui.label(fmt_int(if matches!(target, Target::Service(_)) { pop } else { pop_all }));
            let is_over = over.iter().any(|o| o.0 == i);
            let text = fmt_int(con);
            if is_over {
                ui.colored_label(egui::Color32::from_rgb(0xc0, 0x20, 0x20), format!("{text} (over capacity)"));
            } else {
                ui.label(text);
            }
            ui.label(site.capacity.map_or("–".into(), fmt_int));
            ui.end_row();
        }
    });
}

/// The help panel.
pub fn help(ui: &mut egui::Ui) {
    egui::ScrollArea::vertical().id_salt("help").show(ui, |ui| {
        ui.heading("How to read accessplan");
        ui.label("accessplan shows how long people take to reach community health services, before and after a change of where services are offered.");
        ui.add_space(6.0);
        ui.strong("Tiers");
        ui.label("Tier 1 services (the most common: phlebotomy, wound therapy...) are offered at every locality's Healthy Living Centre (HLC); residents use their own locality's HLC.");
        ui.label("Tier 2 services are offered once in each pair of neighbouring localities; residents use the nearer site of their pair.");
        ui.label("Tier 3 services (the most specialist) are offered at a few sites; residents use the nearest.");
        ui.label("When a rule is broken (a tier 1 service missing from a locality's HLC, say), it is listed under the editor and the localities concerned are outlined in red on the map.");
        ui.add_space(6.0);
        ui.strong("Modes");
        ui.label("Times are door to door on the street network: a walk from the home to the nearest street, the journey, and a walk to the door of the site. Car off peak uses free-flow speeds; rush hour uses slower speeds on main roads. Walking is 4.8 km/h.");
        ui.add_space(6.0);
        ui.strong("Colours");
        ui.label("Before/After: zones are shaded by the minutes to the site residents would use: yellow is quick, dark purple is slow, grey means no journey (for example, too far from a street).");
        ui.label("Difference: blue means quicker after the change, red slower, pale about the same. The colours are safe for colour-blind readers.");
        ui.add_space(6.0);
        ui.strong("Using the map");
        ui.label("Drag to pan, scroll or +/- to zoom, arrow keys to move, Home to see everything. Hover a zone for its times; click a zone to list its patients' journeys and draw 5-30 minute isochrones from that point.");
        ui.add_space(6.0);
        ui.strong("Shortcuts");
        ui.label("Ctrl+O open, Ctrl+S save, Ctrl+Z undo, Ctrl+Shift+Z redo, Home zoom to extent.");
    });
}
