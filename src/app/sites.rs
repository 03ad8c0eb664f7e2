//! The sites table: each site's role (HLC, acute hospital, clinic, other)
//! and the locality it stands in, as the planner sets them. Each change is
//! an edit of the scenario (undoable, saved in its file as `[[site]]`
//! tables); a site made an HLC becomes the HLC of its locality.

use accessplan::model::SiteRole;

use super::AccessplanApp;
use super::state::Edit;

/// What the role box of site `i` shows: its role, or which locality's HLC it is.
fn role_text(s: &super::state::Session, i: usize) -> String {
    let (st, sc) = (&s.study, &s.study.scenario);
    let of: Vec<&str> = sc.hlc.iter().enumerate().filter(|(_, h)| **h == Some(i)).map(|(l, _)| st.region.localities[l].name.as_str()).collect();
    match sc.role_of(st.sites(), i) {
        SiteRole::Hlc if !of.is_empty() => format!("HLC of {}", of.join(", ")),
        SiteRole::Hlc if st.region.localities.is_empty() => "HLC".into(),
        SiteRole::Hlc => "HLC (not its locality's)".into(),
        r => r.label().to_string(),
    }
}

/// From this many sites on, only the rows in view are laid out.
const MANY_SITES: usize = 60;

/// Draws the table (collapsed unless the scenario has no HLC yet).
pub fn show(ui: &mut egui::Ui, app: &mut AccessplanApp) {
    let Some(s) = &app.session else { return };
    let (st, sc) = (&s.study, &s.study.scenario);
    let (r, sites) = (&st.region, st.sites());
    let site_loc = sc.site_localities(r, sites);
    let mut edits = Vec::new();
    egui::CollapsingHeader::new(format!("Sites: role and locality ({})", sites.len()))
        .id_salt("site-roles")
        .default_open(sc.hlc_sites().is_empty())
        .show(ui, |ui| {
            ui.label(
                "Say what each site is and the locality it serves. A site made an HLC becomes its locality's Healthy Living Centre, where tier 1 services go. Ctrl+Z undoes; saving keeps it in the scenario.",
            );
            // One site's row: name, role, locality.
            let mut row = |ui: &mut egui::Ui, i: usize| {
                let site = &sites[i];
            ui.label(&site.name).on_hover_text(format!("{} (in its file: {})", site.id, site.kind));
            let role = sc.role_of(sites, i);
            let mut chosen = role;
            let role_name = format!("Role of {}", site.name);
            egui::ComboBox::from_id_salt(("role-of", i))
                .selected_text(role_text(s, i))
                .width(170.0)
                .show_ui(ui, |ui| {
                    for x in SiteRole::ALL {
                        ui.selectable_value(&mut chosen, x, x.label());
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &role_name));
            let at = site_loc.get(i).copied().flatten();
            let mut loc = at;
            let loc_name = format!("Locality of {}", site.name);
            egui::ComboBox::from_id_salt(("locality-of", i))
                .selected_text(at.map_or("none", |l| r.localities[l].name.as_str()))
                .width(150.0)
                .show_ui(ui, |ui| {
                    for (li, l) in r.localities.iter().enumerate() {
                        ui.selectable_value(&mut loc, Some(li), &l.name);
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &loc_name));
            if chosen != role || loc != at {
                edits.push(Edit::SetSite { site: i, role: chosen, locality: loc.filter(|_| loc != at) });
            }
            };
            if sites.len() > MANY_SITES {
                // Hundreds of sites (a county): only the rows in view are laid out.
                ui.horizontal(|ui| {
                    ui.strong("Site, role and locality");
                    ui.label(format!("({} sites: scroll for more)", sites.len()));
                });
                let row_h = ui.spacing().interact_size.y;
                egui::ScrollArea::vertical().id_salt("site-roles-scroll").max_height(260.0).show_rows(ui, row_h, sites.len(), |ui, range| {
                    egui::Grid::new("site-roles-grid").striped(true).num_columns(3).spacing([8.0, ui.spacing().item_spacing.y]).min_col_width(120.0).show(ui, |ui| {
                        for i in range {
                            row(ui, i);
                            ui.end_row();
                        }
                    });
                });
                return;
            }
            egui::ScrollArea::vertical().id_salt("site-roles-scroll").max_height(260.0).show(ui, |ui| {
                egui::Grid::new("site-roles-grid").striped(true).num_columns(3).spacing([8.0, 3.0]).show(ui, |ui| {
                    ui.strong("Site");
                    ui.strong("Role");
                    ui.strong("Locality");
                    ui.end_row();
                    for i in 0..sites.len() {
                        row(ui, i);
                        ui.end_row();
                    }
                });
            });
        });
    for e in edits {
        app.edit(e);
    }
}
