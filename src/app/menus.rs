//! The window's chrome: the menu bar, keyboard shortcuts, the status line
//! (progress and Cancel of the work in hand), the open dialog and the modal
//! dialogs (quit with unsaved changes, autosave recovery, suggest).

use super::*;

impl AccessplanApp {
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let redo = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        let redo2 = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
        let save = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
        let open = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        let fit = KeyboardShortcut::new(Modifiers::NONE, Key::Home);
        let (r, u, s, o, f) = ctx.input_mut(|i| {
            // Redo first: egui matches Ctrl+Z whatever Shift says, so the
            // undo shortcut would take Ctrl+Shift+Z too.
            (
                i.consume_shortcut(&redo) || i.consume_shortcut(&redo2),
                i.consume_shortcut(&undo),
                i.consume_shortcut(&save),
                i.consume_shortcut(&open),
                i.consume_shortcut(&fit),
            )
        });
        if let Some(sess) = self.session.as_mut() {
            if u {
                sess.undo();
            }
            if r {
                sess.redo();
            }
        }
        if s {
            self.save(None);
        }
        if o {
            self.open_dialog(ctx);
        }
        if f {
            self.view.fitted = false;
        }
        for dropped in ctx.input(|i| i.raw.dropped_files.clone()) {
            let p = dropped.path().to_path_buf();
            if !p.as_os_str().is_empty() {
                self.open_path(p, ctx);
            }
        }
    }

    pub(super) fn open_path(&mut self, p: PathBuf, ctx: &egui::Context) {
        match export::recognise(&p) {
            export::FileKind::Scenario => {
                let before = self.session.as_ref().and_then(|s| s.before.as_ref().map(|b| b.0.clone()));
                self.open(p, before, ctx);
            }
            export::FileKind::Unknown => self.messages.push((
                true,
                format!(
                    "{} looks like {}: give a scenario (.toml) or an input file (OSM, GTFS, GeoJSON, CSV).",
                    p.display(),
                    export::FileKind::Unknown.describe()
                ),
            )),
            _ => self.place_input(&p),
        }
    }

    pub(super) fn open_dialog(&mut self, ctx: &egui::Context) {
        let inputs = ["toml", "osm", "pbf", "geojson", "json", "csv", "zip"];
        for p in
            rfd::FileDialog::new().add_filter("Scenario or input files", &inputs).add_filter("accessplan scenario", &["toml"]).pick_files().unwrap_or_default()
        {
            self.open_path(p, ctx);
        }
    }

    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .button("Open scenario...  (Ctrl+O)")
                    .on_hover_text("A scenario opens; input files (OSM, GTFS, GeoJSON, CSV) go into New study from files")
                    .clicked()
                {
                    self.open_dialog(&ctx);
                }
                if ui.button("New study from files…").on_hover_text("Street network, zones, sites and more: a first scenario is written beside them").clicked()
                {
                    self.new_study.open = true;
                }
                if ui.button("Open baseline (before)...").on_hover_text("The scenario to compare against: usually today's configuration").clicked()
                    && let Some(p) = rfd::FileDialog::new().add_filter("accessplan scenario", &["toml"]).pick_file()
                    && let Some(s) = &self.session
                {
                    let after = s.study.path.clone();
                    self.open(after, Some(p), &ctx);
                }
                if ui.button("Open the demo region").clicked() {
                    match demo_scenarios() {
                        Ok((a, b)) => self.open(a, Some(b), &ctx),
                        Err(e) => self.messages.push((true, format!("The demo region could not be unpacked: {e}"))),
                    }
                }
                ui.menu_button("Recent", |ui| {
                    for p in recent() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.open_path(p, &ctx);
                        }
                    }
                });
                ui.separator();
                if ui.button("Save  (Ctrl+S)").clicked() {
                    self.save(None);
                }
                if ui.button("Save as...").clicked()
                    && let Some(p) = rfd::FileDialog::new().add_filter("accessplan scenario", &["toml"]).set_file_name("scenario.toml").save_file()
                {
                    self.save(Some(p));
                }
                ui.separator();
                if ui.button("Export map, report or tables...").clicked() {
                    self.export.open = true;
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    self.request_quit(&ctx);
                }
            });
            ui.menu_button("Edit", |ui| {
                let (cu, cr) = self.session.as_ref().map_or((false, false), |s| s.can_undo_redo());
                if ui.add_enabled(cu, egui::Button::new("Undo  (Ctrl+Z)")).clicked()
                    && let Some(s) = self.session.as_mut()
                {
                    s.undo();
                }
                if ui.add_enabled(cr, egui::Button::new("Redo  (Ctrl+Shift+Z)")).clicked()
                    && let Some(s) = self.session.as_mut()
                {
                    s.redo();
                }
            });
            ui.menu_button("View", |ui| {
                ui.checkbox(&mut self.dark, "Dark theme");
                if ui.button("Zoom to extent  (Home)").clicked() {
                    self.view.fitted = false;
                }
            });
            if ui.button("Help").clicked() {
                self.tab = ResultsTab::Help;
            }
        });
    }

    pub(super) fn request_quit(&mut self, ctx: &egui::Context) {
        if self.session.as_ref().is_some_and(|s| s.dirty) {
            self.confirm_quit = true;
        } else {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(job) = &self.job {
                super::jobs::working(ui);
                let n = job.steps();
                let stage = match job.stage() {
                    "" => "loading the region and computing travel times",
                    s => s,
                };
                ui.label(format!("Opening {}: {stage} ({} searches, {:.1} s)", job.label, n, job.started.elapsed().as_secs_f32()));
                if ui.button("Cancel").clicked() {
                    job.cancel();
                    self.job = None;
                    self.messages.push((false, "Opening cancelled; your current work is unchanged.".into()));
                }
            } else if let Some((job, _)) = &self.site_job {
                super::jobs::working(ui);
                ui.label(format!(
                    "Computing travel times to {} by every mode ({} searches, {:.1} s)",
                    job.label,
                    job.steps(),
                    job.started.elapsed().as_secs_f32()
                ));
                if ui.button("Cancel").clicked() {
                    job.cancel();
                    self.messages.push((false, format!("{} not added.", job.label)));
                    self.site_job = None;
                }
            } else if let Some((job, mode)) = &self.iso_job {
                super::jobs::working(ui);
                ui.label(format!("Drawing the {} isochrone ({:.1} s)", mode.title().to_lowercase(), job.started.elapsed().as_secs_f32()));
                if ui.button("Cancel").clicked() {
                    job.cancel();
                    self.iso_job = None;
                }
            } else if self.new_study.job.is_some() {
                self.new_study_status(ui);
            } else if let Some((err, m)) = self.messages.last() {
                let c = if *err { egui::Color32::from_rgb(0xc0, 0x20, 0x20) } else { ui.visuals().text_color() };
                ui.colored_label(c, m);
            }
            if let Some(s) = &self.session {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(format!("updated in {:.1} ms", s.last_eval_ms)).on_hover_text("Time to re-evaluate every service and mode after the last change");
                    if s.dirty {
                        ui.label("unsaved changes");
                    }
                });
            }
        });
    }

    pub(super) fn dialogs(&mut self, ctx: &egui::Context) {
        suggest::window(self, ctx);
        if self.confirm_quit {
            egui::Window::new("Unsaved changes").collapsible(false).resizable(false).show(ctx, |ui| {
                ui.label("The scenario has changes that are not saved.");
                ui.horizontal(|ui| {
                    if ui.button("Save and quit").clicked() {
                        self.save(None);
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                    if ui.button("Quit without saving").clicked() {
                        if let Some(s) = self.session.as_mut() {
                            s.dirty = false;
                        }
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                    if ui.button("Cancel").clicked() {
                        self.confirm_quit = false;
                    }
                });
            });
        }
        if let Some(p) = self.recovery.clone()
            && self.session.is_some()
        {
            egui::Window::new("Recover unsaved work?").collapsible(false).resizable(false).show(ctx, |ui| {
                ui.label("accessplan closed with unsaved changes last time. Recover them?");
                ui.horizontal(|ui| {
                    if ui.button("Recover").clicked() {
                        self.recover(&p);
                        self.recovery = None;
                    }
                    if ui.button("Discard").clicked() {
                        let _ = std::fs::remove_file(&p);
                        self.recovery = None;
                    }
                });
            });
        }
        export::window(ctx, self);
        self.new_study_window(ctx);
    }
}
