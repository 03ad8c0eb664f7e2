//! The "Equality" results tab: each group of residents' access by the mode
//! shown (deprivation decile and quintile, Core20, age, households without a
//! car, locality), before and after, and the choice of one group to show
//! alone on the map. The figures are the engine's (`Study::equity_table`),
//! worked out when the tab is first shown after an edit.

use accessplan::analysis::equity::{EquityRow, Grouping, Groupings};
use accessplan::export::style::{fmt_int, pct};
use accessplan::travel::Mode;

use super::state::Session;

/// What the tab shows: the grouping chosen, and the group shown alone on the map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EquityView {
    /// Grouping shown (index in the study's groupings; 0 is every resident).
    pub grouping: usize,
    /// The group shown alone on the map, if any: (grouping, group).
    pub on_map: Option<(usize, usize)>,
}

/// Zones in which a group is over-represented (its share of the zone's
/// residents above its share of all residents): the zones of a decile, or
/// those with more older people or households without a car than the
/// area as a whole. The map shows these and fades the others.
pub fn group_mask(g: &Grouping, group: usize, zone_population: &[f64]) -> Vec<bool> {
    let total: f64 = zone_population.iter().sum();
    let in_group: f64 = g.residents().get(group).copied().unwrap_or(0.0);
    let overall = if total > 0.0 { in_group / total } else { 0.0 };
    g.members
        .iter()
        .zip(zone_population)
        .map(|(m, &p)| {
            let mine: f64 = m.iter().filter(|x| x.0 == group).map(|x| x.1).sum();
            p > 0.0 && (mine / p > overall + 1e-9 || (mine - p).abs() < 1e-9)
        })
        .collect()
}

/// The tab.
pub fn show(ui: &mut egui::Ui, s: &mut Session, view: &mut EquityView, mode: Mode) {
    ui.heading(format!("Who gains and who loses: {}", mode.title().to_lowercase()));
    let comparing = s.before.is_some();
    let eq = s.equity();
    let (g, rows): &(Groupings, Vec<EquityRow>) = match eq {
        Ok(x) => x,
        Err(e) => {
            ui.colored_label(super::palette::WARNING, format!("The groups of residents could not be formed: {e}"));
            return;
        }
    };
    if g.list.len() <= 1 {
        ui.label("The zones carry no deprivation, age or car figures. Join the IMD or WIMD by LSOA, census age bands or households without a car to the zones (New study from files, or [[inputs.attributes]] in the scenario) to break access down by group.");
    }
    // The first grouping after "all residents" (whose row closes every table).
    if view.grouping == 0 || view.grouping >= g.list.len() {
        view.grouping = if g.list.len() > 1 { 1 } else { 0 };
    }
    ui.horizontal(|ui| {
        ui.label("Residents by");
        egui::ComboBox::from_id_salt("equity-grouping").selected_text(g.list[view.grouping].title.clone()).show_ui(ui, |ui| {
            for (i, gr) in g.list.iter().enumerate().skip(usize::from(g.list.len() > 1)) {
                ui.selectable_value(&mut view.grouping, i, gr.title.clone());
            }
        });
        if view.on_map.is_some() && ui.button("Show every zone").clicked() {
            view.on_map = None;
        }
    });
    ui.label(if comparing {
        "Share of each group's uses of the services within the mode's time (services weighted by use), before and after; \"longer\": residents whose average journey gets longer by more than the set minutes."
    } else {
        "Share of each group's uses of the services within the mode's time (services weighted by use), mean and 90th-percentile minutes."
    });
    let gi = view.grouping;
    let gr = &g.list[gi];
    let thr = rows.iter().find(|r| r.mode == mode).map_or(0.0, |r| r.threshold_min);
    ui.label(format!("Threshold: {} min. Groups are estimates from each zone's shares.", accessplan::export::style::fmt_num(thr)));
    egui::ScrollArea::vertical().id_salt("equity-scroll").show(ui, |ui| {
        egui::Grid::new("equity").striped(true).spacing([12.0, 4.0]).show(ui, |ui| {
            ui.strong("Group");
            ui.strong("Residents");
            if comparing {
                for h in ["Before", "After", "Change", "Mean min", "Longer"] {
                    ui.strong(h);
                }
            } else {
                for h in ["Within", "Mean min", "90th pct min"] {
                    ui.strong(h);
                }
            }
            ui.strong("Map");
            ui.end_row();
            // The groups, then every resident.
            let lines = gr.groups.iter().enumerate().map(|(k, grp)| (gi, k, grp)).chain((gi > 0).then(|| (0, 0, &g.list[0].groups[0])));
            for (gi, k, grp) in lines {
                let Some(r) = rows.iter().find(|r| r.grouping == gi && r.group == k && r.mode == mode) else { continue };
                ui.label(&grp.label);
                ui.label(fmt_int(r.residents));
                let share = |a: Option<accessplan::analysis::equity::GroupAccess>| a.map_or("–".to_string(), |x| format!("{}%", pct(x.share_within)));
                let minutes = |x: Option<f64>| x.map_or("–".to_string(), |m| format!("{m:.1}"));
                if comparing {
                    ui.label(share(r.before));
                    ui.label(share(r.after));
                    match r.change_points() {
                        Some(c) if c >= 0.05 => ui.colored_label(super::palette::GOOD, format!("{c:+.1}")),
                        Some(c) if c <= -0.05 => ui.colored_label(super::palette::BAD, format!("{c:+.1}")),
                        Some(_) => ui.label("0.0"),
                        None => ui.label("–"),
                    };
                    ui.label(format!("{} to {}", minutes(r.before.and_then(|a| a.mean_min)), minutes(r.after.and_then(|a| a.mean_min))));
                    ui.label(r.residents_longer.map_or("–".into(), |n| accessplan::export::tables::count_text(n, true)));
                } else {
                    ui.label(share(r.before));
                    ui.label(minutes(r.before.and_then(|a| a.mean_min)));
                    ui.label(minutes(r.before.and_then(|a| a.p90_min)));
                }
                let on = view.on_map == Some((gi, k));
                if gi > 0 && ui.selectable_label(on, if on { "shown" } else { "show" }).clicked() {
                    view.on_map = if on { None } else { Some((gi, k)) };
                }
                ui.end_row();
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use accessplan::plan::equity::GroupKind;

    #[test]
    fn the_map_shows_the_zones_where_a_group_is_over_represented() {
        // Three zones of 100: 10%, 30% and 50% without a car (30% overall).
        let g = Grouping {
            name: "no_car".into(),
            title: "No car".into(),
            kind: GroupKind::Share,
            groups: vec![],
            members: vec![vec![(0, 10.0), (1, 90.0)], vec![(0, 30.0), (1, 70.0)], vec![(0, 50.0), (1, 50.0)]],
            zones_unknown: vec![],
        };
        let mut g = g;
        g.groups = vec![
            accessplan::analysis::equity::Group { key: "in".into(), label: "without".into() },
            accessplan::analysis::equity::Group { key: "out".into(), label: "with".into() },
        ];
        assert_eq!(group_mask(&g, 0, &[100.0, 100.0, 100.0]), [false, false, true]);
        assert_eq!(group_mask(&g, 1, &[100.0, 100.0, 100.0]), [true, false, false]);
        // A decile: the zones in it, however large its share.
        let d = Grouping { members: vec![vec![(0, 100.0)], vec![(1, 100.0)], vec![(0, 100.0)]], ..g };
        assert_eq!(group_mask(&d, 0, &[100.0, 100.0, 100.0]), [true, false, true]);
    }
}
