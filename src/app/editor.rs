//! The scenario editor: a services x sites grid grouped by tier (tick where
//! each service is offered), each service's tier, and the tier-rule
//! violations listed live.

use accessplan::analysis::Target;
use accessplan::plan::services::Tier;

use super::AccessplanApp;
use super::state::Edit;

/// Short column heading for a site: initials of its name (hover shows the name).
pub fn short_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().filter(|w| w.chars().next().is_some_and(|c| c.is_alphanumeric())).collect();
    let s: String = words.iter().take(3).filter_map(|w| w.chars().next()).collect();
    s.to_uppercase()
}

/// From this many sites on, the editor lays out only the site columns in
/// view (a county study has hundreds: thousands of boxes a frame otherwise).
const MANY_SITES: usize = 60;

/// Width of a site column in the many-sites editor, points (a tick box).
const SITE_COL_W: f32 = 20.0;
/// Widths of the service name, tier and "Suggest" columns there, points.
const HEAD_W: [f32; 3] = [220.0, 52.0, 64.0];
/// Height of a row there, points.
const ROW_H: f32 = 22.0;

/// A service's row head: its name (click: show it on the map), its tier and "Suggest".
#[allow(clippy::too_many_arguments)]
fn service_head(
    ui: &mut egui::Ui,
    s: &super::state::Session,
    si: usize,
    tier: Tier,
    target: Target,
    edits: &mut Vec<Edit>,
    select: &mut Option<usize>,
    suggest: &mut Option<Vec<usize>>,
) {
    let svc = &s.study.scenario.services[si];
    let bad = s.after_eval.violations.iter().any(|v| v.service == si);
    let nowhere = !svc.offered.contains(&true);
    let label = if nowhere {
        // Offered nowhere yet: a state of its own, not an error.
        egui::RichText::new(&svc.name).italics().color(super::palette::WARNING)
    } else if bad {
        egui::RichText::new(format!("! {}", svc.name)).color(egui::Color32::from_rgb(0xc0, 0x20, 0x20))
    } else {
        egui::RichText::new(&svc.name)
    };
    let hover = if nowhere {
        format!("{} is {}: tick a site to offer it. Click to show it on the map.", svc.name, accessplan::export::style::NOT_OFFERED)
    } else {
        "Show this service on the map".to_string()
    };
    if ui.selectable_label(target == Target::Service(si), label).on_hover_text(hover).clicked() {
        *select = Some(si);
    }
    let mut t = svc.tier.number();
    let tier_name = format!("Tier of {}", svc.name);
    egui::ComboBox::from_id_salt(("tier-of", si))
        .width(34.0)
        .selected_text(t.to_string())
        .show_ui(ui, |ui| {
            for n in 1..=3u8 {
                ui.selectable_value(&mut t, n, format!("tier {n}"));
            }
        })
        .response
        .on_hover_text("Change this service's tier")
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &tier_name));
    if t != svc.tier.number()
        && let Ok(tier) = Tier::try_from(t)
    {
        edits.push(Edit::SetTier { service: si, tier });
    }
    if tier == Tier::ONE {
        ui.label("");
    } else if ui.small_button("Suggest").on_hover_text(format!("Let the optimiser suggest where {} should go", svc.name)).clicked() {
        *suggest = Some(vec![si]);
    }
}

/// The services x sites ticks of one tier for a study with many sites: fixed
/// column widths, and only the columns in the scrolled view are laid out
/// (the others are empty space of the same width).
#[allow(clippy::too_many_arguments)]
fn many_sites(
    ui: &mut egui::Ui,
    tier: Tier,
    services: &[usize],
    order: &[usize],
    s: &super::state::Session,
    target: Target,
    edits: &mut Vec<Edit>,
    select: &mut Option<usize>,
    suggest: &mut Option<Vec<usize>>,
) {
    let sites = s.study.sites();
    let gap = 2.0;
    let pitch = SITE_COL_W + gap;
    let head_w: f32 = HEAD_W.iter().sum::<f32>() + 3.0 * gap;
    egui::ScrollArea::horizontal().id_salt(("grid-scroll", tier.number())).show_viewport(ui, |ui, viewport| {
        ui.spacing_mut().item_spacing = egui::vec2(gap, gap);
        // Site columns in view, with one more each side.
        let first = (((viewport.min.x - head_w) / pitch).floor().max(0.0) as usize).saturating_sub(1).min(order.len());
        let last = ((((viewport.max.x - head_w) / pitch).ceil().max(0.0) as usize) + 1).min(order.len()).max(first);
        // Fixed-width cells: what is drawn fills exactly its width.
        let fixed = |ui: &mut egui::Ui, w: f32, add: &mut dyn FnMut(&mut egui::Ui)| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(w, ROW_H), egui::Sense::hover());
            let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(egui::Layout::left_to_right(egui::Align::Center)));
            add(&mut child);
        };
        let columns = |ui: &mut egui::Ui, cell: &mut dyn FnMut(&mut egui::Ui, usize)| {
            ui.add_space(first as f32 * pitch);
            for &site in &order[first..last] {
                fixed(ui, SITE_COL_W, &mut |ui| cell(ui, site));
            }
            ui.add_space((order.len() - last) as f32 * pitch);
        };
        ui.horizontal(|ui| {
            fixed(ui, HEAD_W.iter().sum::<f32>() + 2.0 * gap, &mut |ui| {
                ui.label(format!("service, tier ({} sites: scroll for more)", order.len()));
            });
            columns(ui, &mut |ui, site| {
                let st = &sites[site];
                ui.label(egui::RichText::new(short_name(&st.name)).small()).on_hover_text(format!("{} ({}, {:?})", st.name, st.kind, st.status));
            });
        });
        for &si in services {
            let svc = &s.study.scenario.services[si];
            ui.horizontal(|ui| {
                // The head (name, tier, "Suggest") in its fixed width.
                let (rect, _) = ui.allocate_exact_size(egui::vec2(HEAD_W.iter().sum::<f32>() + 2.0 * gap, ROW_H), egui::Sense::hover());
                let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(egui::Layout::left_to_right(egui::Align::Center)));
                child.set_clip_rect(rect.intersect(ui.clip_rect()));
                service_head(&mut child, s, si, tier, target, edits, select, suggest);
                columns(ui, &mut |ui, site| {
                    let mut on = svc.offered[site];
                    let resp = ui.checkbox(&mut on, "");
                    let what = || format!("{} at {}", svc.name, sites[site].name);
                    // Screen readers (and the UI tests) know the box by what it offers.
                    resp.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, what()));
                    let resp = resp.on_hover_ui(|ui| {
                        ui.label(what());
                    });
                    if resp.changed() {
                        edits.push(Edit::Offer { service: si, site, on });
                    }
                });
            });
        }
    });
}

/// Draws the editor.
pub fn show(ui: &mut egui::Ui, app: &mut AccessplanApp) {
    let Some(s) = &app.session else { return };
    ui.heading("Where each service is offered");
    ui.label("Tick a box to offer a service at a site. HLCs come first; hover a column for the site's name.");
    let nowhere = s.study.scenario.services.iter().filter(|x| !x.offered.contains(&true)).count();
    if nowhere > 0 {
        ui.colored_label(
            super::palette::WARNING,
            format!(
                "{nowhere} of {} services {} (in italics): tick a site for each to plan it.",
                s.study.scenario.services.len(),
                accessplan::export::style::NOT_OFFERED
            ),
        );
    }
    let sites = s.study.sites();
    let hlcs = s.study.scenario.hlc_sites();
    let mut order: Vec<usize> = (0..sites.len()).collect();
    order.sort_by_key(|&i| (!hlcs.contains(&i), sites[i].locality.clone(), i));
    let mut edits = Vec::new();
    let mut select = None;
    let mut suggest: Option<Vec<usize>> = None;
    for tier in Tier::ALL {
        let services: Vec<usize> = (0..s.study.scenario.services.len()).filter(|&i| s.study.scenario.services[i].tier == tier).collect();
        egui::CollapsingHeader::new(format!("Tier {} ({} services): {}", tier.number(), services.len(), tier.meaning()))
            .id_salt(("tier", tier.number()))
            .default_open(true)
            .show(ui, |ui| {
                if tier != Tier::ONE
                    && services.len() > 1
                    && ui
                        .button(format!("Suggest one placement for all tier {} services", tier.number()))
                        .on_hover_text("Place the whole tier at the same sites: the optimiser searches the sites for you")
                        .clicked()
                {
                    suggest = Some(services.clone());
                }
                if sites.len() > MANY_SITES {
                    many_sites(ui, tier, &services, &order, s, app.target, &mut edits, &mut select, &mut suggest);
                    return;
                }
                egui::ScrollArea::horizontal().id_salt(("grid-scroll", tier.number())).show(ui, |ui| {
                    egui::Grid::new(("grid", tier.number())).spacing([2.0, 2.0]).striped(true).show(ui, |ui| {
                        ui.label("");
                        ui.label("tier");
                        ui.label("");
                        for &site in &order {
                            let st = &sites[site];
                            ui.label(egui::RichText::new(short_name(&st.name)).small()).on_hover_text(format!("{} ({}, {:?})", st.name, st.kind, st.status));
                        }
                        ui.end_row();
                        for &si in &services {
                            service_head(ui, s, si, tier, app.target, &mut edits, &mut select, &mut suggest);
                            let svc = &s.study.scenario.services[si];
                            for &site in &order {
                                let mut on = svc.offered[site];
                                let what = format!("{} at {}", svc.name, sites[site].name);
                                let resp = ui.checkbox(&mut on, "").on_hover_text(&what);
                                // Screen readers (and the UI tests) know the box by what it offers.
                                resp.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &what));
                                if resp.changed() {
                                    edits.push(Edit::Offer { service: si, site, on });
                                }
                            }
                            ui.end_row();
                        }
                    });
                });
            });
    }
    ui.separator();
    let v = &s.after_eval.violations;
    if v.is_empty() {
        ui.label(egui::RichText::new("No tier-rule violations").color(egui::Color32::from_rgb(0x1a, 0x80, 0x40)));
    } else {
        ui.label(egui::RichText::new(format!("{} tier-rule violations", v.len())).strong().color(egui::Color32::from_rgb(0xc0, 0x20, 0x20)));
        egui::ScrollArea::vertical().id_salt("violations").max_height(180.0).show(ui, |ui| {
            for x in v {
                if ui.link(&x.message).on_hover_text("Show this service on the map, with the localities concerned outlined in red").clicked() {
                    select = Some(x.service);
                }
            }
        });
    }
    if let Some(si) = select {
        app.target = Target::Service(si);
    }
    if let Some(services) = suggest {
        let now = services.iter().flat_map(|&i| s.study.scenario.services[i].sites()).collect::<std::collections::BTreeSet<_>>().len();
        let mode = app.mode;
        app.target = Target::Service(services[0]);
        app.suggest.open_for(services, mode, now);
    }
    for e in edits {
        app.edit(e);
    }
}
