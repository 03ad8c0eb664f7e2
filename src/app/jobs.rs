//! Long work off the UI thread: opening a study (load, networks, matrices),
//! computing a new site's travel-time columns, an isochrone, suggesting a
//! placement. Each runs on a worker thread with the engine's [`Progress`]
//! handle; the UI keeps drawing, and Cancel tells the work itself to stop
//! (it returns `Cancelled` at its next step, and the result is dropped).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use accessplan::progress::Progress;

use super::map::MapGeometry;
use super::state::Session;

/// How often the UI redraws while work runs and nothing else moves: for the
/// progress line and the turning indicator ([`working`]). egui's own spinner
/// asks for a new frame every frame; under a software renderer (a desktop or
/// a remote session without a GPU, Mesa's llvmpipe here) those frames take
/// most of a core from the searches the user is waiting for.
pub const PROGRESS_REDRAW: std::time::Duration = std::time::Duration::from_millis(250);

/// A turning arc like egui's spinner, moved on every [`PROGRESS_REDRAW`]
/// rather than every frame.
pub fn working(ui: &mut egui::Ui) {
    let size = ui.style().spacing.interact_size.y;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    if ui.is_rect_visible(rect) {
        let steps = (ui.input(|i| i.time) / PROGRESS_REDRAW.as_secs_f64()).floor();
        let start = steps * std::f64::consts::FRAC_PI_4;
        let (centre, radius) = (rect.center(), rect.height() / 2.0 - 2.0);
        let points: Vec<egui::Pos2> = (0..=24)
            .map(|k| {
                let a = (start + f64::from(k) / 24.0 * 1.5 * std::f64::consts::PI) as f32;
                centre + radius * egui::vec2(a.cos(), a.sin())
            })
            .collect();
        ui.painter().add(egui::Shape::line(points, egui::Stroke::new(3.0, ui.visuals().strong_text_color())));
    }
    ui.ctx().request_repaint_after(PROGRESS_REDRAW);
}

/// Work running on a worker thread.
pub struct Job<T> {
    /// What is being done, for the progress line.
    pub label: String,
    /// Steps done (searches, for travel times) and the cancel flag the work checks.
    pub progress: Arc<Progress>,
    cancelled: Arc<AtomicBool>,
    /// Set when the work has returned (whether or not its result was wanted): tests check that Cancel stopped it.
    #[cfg(test)]
    finished: Arc<AtomicBool>,
    rx: Receiver<T>,
    /// When it started.
    pub started: std::time::Instant,
}

/// A study being opened, with its map projected (off the UI thread too:
/// at county scale the streets take seconds to project and index).
pub type OpenJob = Job<accessplan::Result<(Session, MapGeometry)>>;

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a worker thread with a progress handle that repaints the UI on each step.
    pub fn spawn(label: String, ctx: Option<egui::Context>, work: impl FnOnce(&Progress) -> T + Send + 'static) -> Job<T> {
        let (tx, rx) = channel();
        let repaint = ctx.clone();
        let progress = Arc::new(Progress::with_callback(move |_| {
            if let Some(ctx) = &repaint {
                // One frame per redraw interval however many steps arrive.
                ctx.request_repaint_after(PROGRESS_REDRAW);
            }
        }));
        let cancelled = Arc::new(AtomicBool::new(false));
        #[cfg(test)]
        let finished = Arc::new(AtomicBool::new(false));
        #[cfg(test)]
        let f = finished.clone();
        let (p, c) = (progress.clone(), cancelled.clone());
        std::thread::spawn(move || {
            let r = work(&p);
            #[cfg(test)]
            f.store(true, Ordering::Relaxed);
            if !c.load(Ordering::Relaxed) {
                let _ = tx.send(r);
            }
            if let Some(ctx) = &ctx {
                ctx.request_repaint();
            }
        });
        Job {
            label,
            progress,
            cancelled,
            #[cfg(test)]
            finished,
            rx,
            started: std::time::Instant::now(),
        }
    }

    /// The result, once ready (`None` while running; a vanished worker is
    /// reported as `Err(())`).
    pub fn poll(&self) -> Option<Result<T, ()>> {
        match self.rx.try_recv() {
            Ok(r) => Some(Ok(r)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(())),
        }
    }

    /// Cancels: the work stops at its next step and its result is dropped.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
        self.progress.cancel();
    }

    /// The flag set when the work has returned (tests check that Cancel stopped it).
    #[cfg(test)]
    pub fn finished_flag(&self) -> Arc<AtomicBool> {
        self.finished.clone()
    }

    /// Steps done so far.
    pub fn steps(&self) -> usize {
        self.progress.done() as usize
    }

    /// What the work is doing now, in words (empty until it says).
    pub fn stage(&self) -> &'static str {
        self.progress.stage()
    }
}

impl OpenJob {
    /// Starts opening `after` (with `before` as baseline).
    pub fn start(after: PathBuf, before: Option<PathBuf>, ctx: Option<egui::Context>) -> OpenJob {
        let label = after.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Job::spawn(label, ctx, move |progress| {
            let s = Session::open(&after, before.as_deref(), progress)?;
            progress.check()?;
            progress.set_stage("drawing the map");
            let geometry = MapGeometry::of(&s.study.region, s.study.sites(), s.study.tt.timetable.as_deref());
            progress.check()?;
            Ok((s, geometry))
        })
    }

    /// The opened session and its map, or the error, once ready.
    pub fn poll_open(&self) -> Option<accessplan::Result<(Session, MapGeometry)>> {
        self.poll().map(|r| r.unwrap_or(Err(accessplan::Error::WorkerStopped { work: "loading" })))
    }
}
