//! One handle for every long computation: it counts the steps done (one
//! search, one origin's departure window, one optimiser round) and carries
//! the user's Cancel. Work checks [`Progress::is_cancelled`] between steps
//! and stops, returning [`Cancelled`]: Cancel stops the work, not just the
//! waiting. The counter doubles as a check that the work really stopped.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The work was cancelled before it finished; nothing it made is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cancelled")]
pub struct Cancelled;

/// Steps done and the cancel flag of one long computation.
#[derive(Default)]
pub struct Progress {
    done: AtomicU64,
    cancelled: AtomicBool,
    on_tick: Option<Box<dyn Fn(u64) + Send + Sync>>,
    /// What the work is doing now, in words ("building the street networks"); empty until said.
    stage: std::sync::Mutex<&'static str>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress").field("done", &self.done()).field("cancelled", &self.is_cancelled()).finish()
    }
}

impl Progress {
    /// A handle that only counts (for tests and batch runs without a display).
    pub fn new() -> Progress {
        Progress::default()
    }

    /// A handle that also calls `on_tick` with the number of steps done after
    /// each step (a progress bar, a repaint request).
    pub fn with_callback(on_tick: impl Fn(u64) + Send + Sync + 'static) -> Progress {
        Progress { on_tick: Some(Box::new(on_tick)), ..Progress::default() }
    }

    /// Records one step done.
    pub fn tick(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(f) = &self.on_tick {
            f(n);
        }
    }

    /// Steps done so far.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Asks the work to stop at its next step.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether Cancel was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Says what the work is doing now (shown beside the step count), and
    /// calls back as a step would, without counting one.
    pub fn set_stage(&self, stage: &'static str) {
        *self.stage.lock().unwrap_or_else(|e| e.into_inner()) = stage;
        if let Some(f) = &self.on_tick {
            f(self.done());
        }
    }

    /// What the work is doing now (empty until [`Progress::set_stage`]).
    pub fn stage(&self) -> &'static str {
        *self.stage.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Err(Cancelled)` once Cancel was asked for: `progress.check()?` between steps.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() { Err(Cancelled) } else { Ok(()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn counts_steps_calls_back_and_cancels() {
        let seen = Arc::new(AtomicU64::new(0));
        let s = seen.clone();
        let p = Progress::with_callback(move |n| s.store(n, Ordering::Relaxed));
        p.tick();
        p.tick();
        assert_eq!((p.done(), seen.load(Ordering::Relaxed)), (2, 2));
        assert_eq!(p.check(), Ok(()));
        p.cancel();
        assert!(p.is_cancelled());
        assert_eq!(p.check(), Err(Cancelled));
    }
}
