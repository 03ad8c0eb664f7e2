//! Long work off the UI thread: opening a study (load, networks, matrices),
//! computing a new site's travel-time columns, suggesting a placement. Each
//! runs on a worker thread that reports progress; the UI keeps drawing and
//! can cancel (the result is then dropped when it arrives).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::state::Session;

/// Work running on a worker thread.
pub struct Job<T> {
    /// What is being done, for the progress line.
    pub label: String,
    /// Steps done (searches, for travel times).
    pub progress: Arc<AtomicUsize>,
    cancelled: Arc<AtomicBool>,
    rx: Receiver<T>,
    /// When it started.
    pub started: std::time::Instant,
}

/// A study being opened.
pub type OpenJob = Job<accessplan::Result<Session>>;

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a worker thread; it gets a progress tick.
    pub fn spawn(label: String, ctx: Option<egui::Context>, work: impl FnOnce(&(dyn Fn() + Sync)) -> T + Send + 'static) -> Job<T> {
        let (tx, rx) = channel();
        let progress = Arc::new(AtomicUsize::new(0));
        let cancelled = Arc::new(AtomicBool::new(false));
        let (p, c) = (progress.clone(), cancelled.clone());
        std::thread::spawn(move || {
            let tick = || {
                p.fetch_add(1, Ordering::Relaxed);
                if let Some(ctx) = &ctx {
                    ctx.request_repaint();
                }
            };
            let r = work(&tick);
            if !c.load(Ordering::Relaxed) {
                let _ = tx.send(r);
            }
            if let Some(ctx) = &ctx {
                ctx.request_repaint();
            }
        });
        Job { label, progress, cancelled, rx, started: std::time::Instant::now() }
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

    /// Cancels: the result will be dropped.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Steps done so far.
    pub fn steps(&self) -> usize {
        self.progress.load(Ordering::Relaxed)
    }
}

impl OpenJob {
    /// Starts opening `after` (with `before` as baseline).
    pub fn start(after: PathBuf, before: Option<PathBuf>, ctx: Option<egui::Context>) -> OpenJob {
        let label = after.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Job::spawn(label, ctx, move |tick| Session::open(&after, before.as_deref(), tick))
    }

    /// The opened session or the error, once ready.
    pub fn poll_open(&self) -> Option<accessplan::Result<Session>> {
        self.poll().map(|r| r.unwrap_or_else(|()| Err(accessplan::Error::Request("loading stopped unexpectedly".into()))))
    }
}
