//! The app's state in plain structs: the open study, the "before" scenario,
//! the scenario being edited with its undo history, the evaluations, and
//! the view choices. Edits go through methods here so that the UI, the tests
//! and keyboard shortcuts share one path; each edit re-evaluates at once
//! (array work on the precomputed matrices).

use std::path::{Path, PathBuf};

use accessplan::analysis::compare::{Comparison, compare};
use accessplan::analysis::{Evaluation, Target, evaluate, evaluate_reusing};
use accessplan::plan::scenario::{Scenario, ScenarioFile};
use accessplan::plan::services::Tier;
use accessplan::study::Study;
use accessplan::travel::Mode;

/// Which times the map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Showing {
    /// The "before" scenario.
    Before,
    /// The scenario being edited.
    After,
    /// After minus before.
    Difference,
}

/// Map layers that can be switched on and off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layers {
    /// Zones shaded by time.
    pub zones: bool,
    /// Locality outlines and names.
    pub localities: bool,
    /// Streets by class.
    pub streets: bool,
    /// Sites by tier and status.
    pub sites: bool,
    /// Tier-rule violations highlighted.
    pub violations: bool,
    /// Bus routes and stops.
    pub bus: bool,
}

impl Default for Layers {
    fn default() -> Self {
        Layers { zones: true, localities: true, streets: true, sites: true, violations: true, bus: false }
    }
}

/// A scenario edit, recorded for undo.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Offer (or stop offering) a service at a site.
    Offer { service: usize, site: usize, on: bool },
    /// Change a service's tier.
    SetTier { service: usize, tier: Tier },
    /// Give a site a role and a locality (`None`: the one it has); a site
    /// made an HLC becomes its locality's HLC.
    SetSite { site: usize, role: accessplan::model::SiteRole, locality: Option<usize> },
}

/// Everything the app shows about one opened study.
pub struct Session {
    /// The study (region, travel times, contacts) opened on the edited scenario's file.
    pub study: Study,
    /// The "before" scenario (the baseline), if one is open.
    pub before: Option<(PathBuf, Scenario)>,
    /// Evaluation of the before scenario.
    pub before_eval: Option<Evaluation>,
    /// Evaluation of the edited scenario.
    pub after_eval: Evaluation,
    /// Journeys from before to after, when there is a before.
    pub comparison: Option<Comparison>,
    /// Undo history: scenarios before each edit.
    undo: Vec<Scenario>,
    /// Redo history.
    redo: Vec<Scenario>,
    /// Where the edited scenario is saved.
    pub save_path: PathBuf,
    /// Unsaved changes.
    pub dirty: bool,
    /// How many changes were made to the scenario since it was opened (the
    /// autosave takes a snapshot whenever this moves).
    pub edits: u64,
    /// Time the last re-evaluation took, ms.
    pub last_eval_ms: f64,
    /// The travel times or sites changed since `after_eval`: the next
    /// re-evaluation works out every zone's nearest HLC again.
    times_changed: bool,
    /// Each group of residents' access (the Equality tab), worked out when
    /// first asked for after an edit.
    equity: Option<EquityTable>,
    /// A plan in phases: today, then each phase (file, scenario, date), in
    /// order; empty when one scenario is open. The one on show is `phase`.
    pub phases: Vec<Phase>,
    /// The phase on show (index in `phases`).
    pub phase: usize,
    /// Phases are compared with the phase before rather than with today.
    pub against_previous: bool,
}

/// One phase of a plan, as the timeline holds it.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Its scenario file.
    pub path: PathBuf,
    /// The scenario, as last edited.
    pub scenario: Scenario,
    /// When it takes effect, as its file says.
    pub date: Option<String>,
    /// The scenario as its file holds it (when opened or last saved).
    pub saved: Scenario,
    /// The file as read or last written: what saving the phase writes over
    /// (its description, date, inputs and settings), inputs relative to `path`.
    pub file: ScenarioFile,
}

/// The groups of residents and their access, or why they could not be formed.
pub type EquityTable = Result<(accessplan::analysis::equity::Groupings, Vec<accessplan::analysis::equity::EquityRow>), String>;

impl Session {
    /// Builds a session on an opened study, with an optional baseline.
    pub fn new(study: Study, before: Option<(PathBuf, Scenario)>) -> Session {
        let save_path = study.path.clone();
        let before_eval = before.as_ref().map(|(_, s)| evaluate(s, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts));
        let after_eval = study.evaluate();
        let mut s = Session {
            study,
            before,
            before_eval,
            after_eval,
            comparison: None,
            undo: Vec::new(),
            redo: Vec::new(),
            save_path,
            dirty: false,
            edits: 0,
            last_eval_ms: 0.0,
            times_changed: true,
            equity: None,
            phases: Vec::new(),
            phase: 0,
            against_previous: false,
        };
        s.refresh();
        s
    }

    /// Opens the scenario at `after` with `before` as its baseline.
    pub fn open(after: &Path, before: Option<&Path>, progress: &accessplan::progress::Progress) -> accessplan::Result<Session> {
        let study = Study::open_with(after, crate::cli::travel_cache(), progress)?;
        let before = match before {
            Some(p) => Some((p.to_path_buf(), study.other(p)?.1)),
            None => None,
        };
        Ok(Session::new(study, before))
    }

    /// Re-evaluates the edited scenario and the comparison.
    pub fn refresh(&mut self) {
        let t = std::time::Instant::now();
        let st = &self.study;
        // Each zone's nearest HLC changes only with the HLCs, the sites or the travel times.
        let previous = (!self.times_changed).then_some(&self.after_eval);
        self.after_eval = evaluate_reusing(&st.scenario, &st.region, st.sites(), &st.tt, &st.geo, &st.contacts, previous);
        self.times_changed = false;
        self.comparison = match (&self.before, &self.before_eval) {
            (Some((_, bs)), Some(be)) => Some(compare(bs, be.clone(), &st.scenario, self.after_eval.clone(), &st.tt, &st.contacts)),
            _ => None,
        };
        self.equity = None;
        self.last_eval_ms = t.elapsed().as_secs_f64() * 1000.0;
    }

    /// Makes the open scenarios a plan in phases: the "before" scenario (or
    /// the edited one) is today, then the edited one, then each of `more`
    /// in order, and shows the last. Each file must plan on the same
    /// inputs; the first that cannot be read is the error.
    pub fn set_phases(&mut self, more: &[PathBuf]) -> accessplan::Result<()> {
        let mut phases = Vec::new();
        if let Some((p, s)) = &self.before {
            let file = ScenarioFile::load(p)?;
            phases.push(Phase { path: p.clone(), scenario: s.clone(), date: file.date.clone(), saved: s.clone(), file });
        }
        // The scenario edited: the study's own file, its inputs relative to
        // where it is saved now.
        let file = rebased(self.study.file.clone(), &self.study.path, &self.save_path);
        phases.push(Phase {
            path: self.save_path.clone(),
            scenario: self.study.scenario.clone(),
            date: file.date.clone(),
            saved: self.study.scenario.clone(),
            file,
        });
        for p in more {
            let (file, s) = self.study.other(p)?;
            phases.push(Phase { path: p.clone(), scenario: s.clone(), date: file.date.clone(), saved: s, file });
        }
        let dates: Vec<Option<&str>> = phases.iter().map(|x| x.date.as_deref()).collect();
        accessplan::analysis::phases::check_order(&dates).map_err(|(i, m)| {
            accessplan::error::Error::Input(accessplan::error::InputError::at(&phases[i].path, accessplan::error::Location::File, Some("date"), m))
        })?;
        let last = phases.len() - 1;
        // The scenario being edited is the phase after today.
        self.phase = usize::from(self.before.is_some());
        self.phases = phases;
        self.show_phase(last);
        Ok(())
    }

    /// Shows phase `k` of the plan: it becomes the scenario edited (the
    /// edits to the phase on show are kept with it), compared with today or,
    /// with `against_previous`, with the phase before. Today alone is
    /// compared with nothing.
    pub fn show_phase(&mut self, k: usize) {
        if k >= self.phases.len() {
            return;
        }
        if let Some(cur) = self.phases.get_mut(self.phase) {
            cur.scenario = self.study.scenario.clone();
        }
        self.phase = k;
        let ph = &self.phases[k];
        self.study.scenario = ph.scenario.clone();
        self.save_path = ph.path.clone();
        let b = if k == 0 {
            None
        } else if self.against_previous {
            Some(k - 1)
        } else {
            Some(0)
        };
        self.before = b.map(|b| (self.phases[b].path.clone(), self.phases[b].scenario.clone()));
        let st = &self.study;
        self.before_eval = self.before.as_ref().map(|(_, s)| evaluate(s, &st.region, st.sites(), &st.tt, &st.geo, &st.contacts));
        self.undo.clear();
        self.redo.clear();
        self.times_changed = true;
        self.refresh();
    }

    /// The groups of residents' access when already worked out since the last edit.
    pub fn equity_ready(&self) -> Option<&EquityTable> {
        self.equity.as_ref()
    }

    /// Each group of residents' access: the edited scenario alone, or from
    /// the "before" scenario to it.
    pub fn equity(&mut self) -> &EquityTable {
        if self.equity.is_none() {
            let st = &self.study;
            let after = (&st.scenario, &self.after_eval);
            let t = match (&self.before, &self.before_eval) {
                (Some((_, bs)), Some(be)) => st.equity_table((bs, be), Some(after)),
                _ => st.equity_table(after, None),
            };
            self.equity = Some(t.map_err(|e| e.to_string()));
        }
        self.equity.get_or_insert_with(|| Err(String::new()))
    }

    /// Applies an edit (recorded for undo) and re-evaluates.
    pub fn apply(&mut self, edit: Edit) {
        let prev = self.study.scenario.clone();
        match edit {
            Edit::Offer { service, site, on } => {
                if let Some(flag) = self.study.scenario.services.get_mut(service).and_then(|s| s.offered.get_mut(site)) {
                    *flag = on;
                }
            }
            Edit::SetTier { service, tier } => {
                if let Some(s) = self.study.scenario.services.get_mut(service) {
                    s.tier = tier;
                }
            }
            Edit::SetSite { site, role, locality } => self.study.set_site(site, role, locality),
        }
        if self.study.scenario != prev {
            self.undo.push(prev);
            self.redo.clear();
            self.dirty = true;
            self.edits += 1;
            self.refresh();
        }
    }

    /// Undoes the last edit; false when there is none.
    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(s) => {
                self.redo.push(std::mem::replace(&mut self.study.scenario, s));
                self.dirty = true;
                self.edits += 1;
                self.refresh();
                true
            }
            None => false,
        }
    }

    /// Redoes the last undone edit; false when there is none.
    pub fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(s) => {
                self.undo.push(std::mem::replace(&mut self.study.scenario, s));
                self.dirty = true;
                self.edits += 1;
                self.refresh();
                true
            }
            None => false,
        }
    }

    /// Whether undo / redo are possible.
    pub fn can_undo_redo(&self) -> (bool, bool) {
        (!self.undo.is_empty(), !self.redo.is_empty())
    }

    /// Replaces the edited scenario (accepting a proposal, recovering an autosave), undoably.
    pub fn replace_scenario(&mut self, s: Scenario) {
        let prev = std::mem::replace(&mut self.study.scenario, s);
        self.undo.push(prev);
        self.redo.clear();
        self.dirty = true;
        self.edits += 1;
        self.refresh();
    }

    /// The edited scenario as a file.
    pub fn scenario_file(&self) -> ScenarioFile {
        self.study.scenario_file()
    }

    /// Saves the edited scenario atomically to `path` (paths to inputs re-based
    /// when the folder changes). In a plan in phases, every other phase with
    /// edits is saved too, each to its own file over what that file held (its
    /// description, date and settings); those files are returned. Nothing is
    /// written over an input or over another phase's file.
    pub fn save_to(&mut self, path: &Path) -> accessplan::Result<Vec<PathBuf>> {
        if self.phases.is_empty() {
            let f = rebased(self.scenario_file(), &self.study.path, path);
            let mut protected = self.study.region.inputs.files();
            if let Some((p, _)) = &self.before {
                protected.push(p.clone());
            }
            f.save(path, &protected)?;
            self.save_path = path.to_path_buf();
            self.dirty = false;
            return Ok(Vec::new());
        }
        if let Some(cur) = self.phases.get_mut(self.phase) {
            cur.scenario = self.study.scenario.clone();
        }
        let others: Vec<usize> = (0..self.phases.len()).filter(|&k| k != self.phase && self.phases[k].scenario != self.phases[k].saved).collect();
        let mut written = Vec::new();
        for k in std::iter::once(self.phase).chain(others.iter().copied()) {
            let ph = &self.phases[k];
            let to = if k == self.phase { path.to_path_buf() } else { ph.path.clone() };
            let f = rebased(self.study.scenario_file_of(&ph.scenario, &ph.file), &ph.path, &to);
            let mut protected = self.study.region.inputs.files();
            protected.extend(self.phases.iter().enumerate().filter(|&(j, _)| j != k).map(|(_, p)| p.path.clone()));
            f.save(&to, &protected)?;
            if k != self.phase {
                written.push(to.clone());
            }
            let ph = &mut self.phases[k];
            ph.path = to;
            ph.saved = ph.scenario.clone();
            ph.file = f;
        }
        self.save_path = path.to_path_buf();
        self.dirty = false;
        Ok(written)
    }

    /// A new candidate site at `at`, numbered after those already added (its
    /// travel times are not computed yet: see [`Study::column_job`]).
    pub fn new_site(&self, at: accessplan::LonLat) -> accessplan::model::Site {
        let r = &self.study.region;
        let n = (1..).find(|n| !self.study.sites().iter().any(|s| s.id == format!("candidate-{n}"))).unwrap_or(1);
        let locality = accessplan::input::localities::locality_of(at, &r.localities).map(|l| r.localities[l].name.clone());
        accessplan::model::Site::candidate(format!("candidate-{n}"), format!("Candidate site {n}"), at, locality)
    }

    /// Adds a site whose columns were computed from this session's study,
    /// and re-evaluates. Returns its index.
    pub fn add_columns(&mut self, cols: accessplan::travel::SiteColumns) -> usize {
        let i = self.study.add_columns(cols);
        if let Some((_, b)) = self.before.as_mut() {
            for s in &mut b.services {
                s.offered.push(false);
            }
        }
        // The undo history holds scenarios with the old number of sites: widen them too.
        for s in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            for x in &mut s.services {
                x.offered.push(false);
            }
        }
        let st = &self.study;
        self.before_eval = self.before.as_ref().map(|(_, s)| evaluate(s, &st.region, st.sites(), &st.tt, &st.geo, &st.contacts));
        self.dirty = true;
        self.edits += 1;
        self.times_changed = true;
        self.refresh();
        i
    }

    /// The before scenario, or the edited one when there is none.
    pub fn before_scenario(&self) -> &Scenario {
        self.before.as_ref().map_or(&self.study.scenario, |(_, s)| s)
    }

    /// The matching target in the before scenario.
    pub fn before_target(&self, t: Target) -> Option<Target> {
        accessplan::analysis::compare::matching_target(self.before_scenario(), &self.study.scenario, t)
    }

    /// The service whose journeys change most between before and after by
    /// `mode` (residents x minutes), if any changes: what the map opens on.
    pub fn most_changed_service(&self, mode: Mode) -> Option<usize> {
        let zones = &self.study.region.zones;
        let change = |si: usize| -> f64 {
            self.zone_minutes(Target::Service(si), mode, Showing::Difference).iter().zip(zones).map(|(d, z)| d.map_or(0.0, |d| d.abs() * z.population)).sum()
        };
        self.before.as_ref()?;
        (0..self.study.scenario.services.len()).map(|si| (si, change(si))).filter(|(_, c)| *c > 0.0).max_by(|a, b| a.1.total_cmp(&b.1)).map(|(si, _)| si)
    }

    /// Minutes per zone for a target, mode and what is shown (`None`: no journey).
    pub fn zone_minutes(&self, target: Target, mode: Mode, showing: Showing) -> Vec<Option<f64>> {
        let view = match showing {
            Showing::Before => accessplan::export::map_view::View::Before,
            Showing::After => accessplan::export::map_view::View::After,
            Showing::Difference => accessplan::export::map_view::View::Difference,
        };
        self.study_view().zone_minutes(target, mode, view)
    }

    /// The session as the engine's map views see it: the study's scenario
    /// and evaluation, and the before scenario's if there is one.
    pub fn study_view(&self) -> accessplan::export::map_view::StudyView<'_> {
        accessplan::export::map_view::StudyView {
            region: &self.study.region,
            after: &self.study.scenario,
            after_eval: &self.after_eval,
            before: self.before.as_ref().zip(self.before_eval.as_ref()).map(|((_, s), e)| (s, e)),
        }
    }
}

/// `f`, read from or written to `from`, with its paths to inputs re-based for
/// a file at `to` when the two are in different folders.
fn rebased(mut f: ScenarioFile, from: &Path, to: &Path) -> ScenarioFile {
    let dir = |p: &Path| p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let (a, b) = (dir(from), dir(to));
    if a.canonicalize().ok() != b.canonicalize().ok() {
        f.inputs = f.inputs.rebased(&a, &b);
        f.growth = f.growth.map(|g| g.rebased(&a, &b));
    }
    f
}
