//! Long work off the UI thread: opening a study (load, networks, matrices)
//! runs on a worker thread that reports progress; the UI keeps drawing and
//! can cancel (the result is then dropped when it arrives).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::state::Session;

/// A study being opened in the background.
pub struct OpenJob {
    /// What is being opened, for the progress line.
    pub label: String,
    /// Steps done (one per site per mode while matrices are computed).
    pub progress: Arc<AtomicUsize>,
    cancelled: Arc<AtomicBool>,
    rx: Receiver<accessplan::Result<Session>>,
    /// When it started.
    pub started: std::time::Instant,
}

impl OpenJob {
    /// Starts opening `after` (with `before` as baseline) on a worker thread.
    pub fn start(after: PathBuf, before: Option<PathBuf>, ctx: Option<egui::Context>) -> OpenJob {
        let (tx, rx) = channel();
        let progress = Arc::new(AtomicUsize::new(0));
        let cancelled = Arc::new(AtomicBool::new(false));
        let (p, c) = (progress.clone(), cancelled.clone());
        let label = after.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        std::thread::spawn(move || {
            let tick = || {
                p.fetch_add(1, Ordering::Relaxed);
                if let Some(ctx) = &ctx {
                    ctx.request_repaint();
                }
            };
            let r = Session::open(&after, before.as_deref(), &tick);
            if !c.load(Ordering::Relaxed) {
                let _ = tx.send(r);
            }
            if let Some(ctx) = &ctx {
                ctx.request_repaint();
            }
        });
        OpenJob { label, progress, cancelled, rx, started: std::time::Instant::now() }
    }

    /// The result, once ready.
    pub fn poll(&self) -> Option<accessplan::Result<Session>> {
        match self.rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(accessplan::Error::Request("loading stopped unexpectedly".into()))),
        }
    }

    /// Cancels: the result will be dropped.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}
