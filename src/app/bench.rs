//! The app benchmark: frame intervals with the map drawn, CPU time per
//! frame and the time from an edit to its frame (`--bench-frames N`).

use super::*;

/// Frame timings for the app benchmark: wall time between frames with the
/// map drawn, and the time from an edit to its frame.
#[derive(Debug, Clone)]
pub struct FrameBench {
    /// Frames to measure after the study is open.
    pub frames: usize,
    /// When the process started (for start-up time).
    pub started: std::time::Instant,
    /// Time to the first frame with the study open, seconds.
    pub ready_s: Option<f64>,
    /// Frame intervals, seconds.
    pub intervals: Vec<f64>,
    /// Edit-to-frame-end times, seconds.
    pub edits: Vec<f64>,
    /// CPU time of each frame's UI code (eframe's measure), seconds.
    pub cpu: Vec<f64>,
    pub(super) last: Option<std::time::Instant>,
}

impl FrameBench {
    /// A benchmark of `frames` frames.
    pub fn new(frames: usize, started: std::time::Instant) -> Self {
        FrameBench { frames, started, ready_s: None, intervals: Vec::new(), edits: Vec::new(), cpu: Vec::new(), last: None }
    }
}

impl AccessplanApp {
    /// Before a benchmark frame: every tenth frame, tick a box (an edit);
    /// with ACCESSPLAN_BENCH_PAN, also pan the map 4 points a frame, back and forth.
    pub(super) fn bench_step(&mut self) -> Option<std::time::Instant> {
        let b = self.bench.as_ref()?;
        let n = b.intervals.len();
        if std::env::var_os("ACCESSPLAN_BENCH_PAN").is_some() && self.view.fitted {
            self.view.centre[0] += (if (n / 50) % 2 == 0 { 4.0 } else { -4.0 }) / self.view.scale;
        }
        let s = self.session.as_mut()?;
        if n == 0 || n % 10 != 5 || s.study.scenario.services.is_empty() {
            return None;
        }
        let t = std::time::Instant::now();
        let si = (n / 10) % s.study.scenario.services.len();
        let site = (n / 10) % s.study.sites().len();
        let on = !s.study.scenario.services[si].offered[site];
        self.target = Target::Service(si);
        self.edit(Edit::Offer { service: si, site, on });
        Some(t)
    }

    /// After a benchmark frame: record, and print and quit when done.
    pub(super) fn bench_record(&mut self, ctx: &egui::Context, edit_started: Option<std::time::Instant>) {
        let Some(b) = self.bench.as_mut() else { return };
        ctx.request_repaint();
        if self.session.is_none() {
            return;
        }
        let now = std::time::Instant::now();
        if b.ready_s.is_none() {
            b.ready_s = Some(b.started.elapsed().as_secs_f64());
        }
        if let Some(t) = edit_started {
            b.edits.push(t.elapsed().as_secs_f64());
        }
        if let Some(last) = b.last {
            b.intervals.push((now - last).as_secs_f64());
        }
        b.last = Some(now);
        if b.intervals.len() >= b.frames {
            let med = |mut v: Vec<f64>| -> (f64, f64) {
                v.sort_by(|a, b| a.total_cmp(b));
                if v.is_empty() { (f64::NAN, f64::NAN) } else { (v[v.len() / 2], v[(v.len() * 9 / 10).min(v.len() - 1)]) }
            };
            let (fm, f90) = med(b.intervals.clone());
            let (em, e90) = med(b.edits.clone());
            let (cm, c90) = med(b.cpu.clone());
            let s = self.session.as_ref().map(|s| (s.study.region.zones.len(), self.geometry.as_ref().map_or(0, |g| g.streets.len()))).unwrap_or_default();
            println!("app benchmark: {} zones, {} street lines drawn", s.0, s.1);
            println!("start-up to first frame with the study open: {:.0} ms", b.ready_s.unwrap_or(f64::NAN) * 1000.0);
            println!("frame time over {} frames: median {:.1} ms, 90th percentile {:.1} ms", b.intervals.len(), fm * 1000.0, f90 * 1000.0);
            println!(
                "  of which CPU time in the frame (UI code and rendering, eframe's measure): median {:.1} ms, 90th percentile {:.1} ms",
                cm * 1000.0,
                c90 * 1000.0
            );
            println!(
                "tick in the editor to updated map and tables (edit + re-evaluation + frame), {} edits: median {:.1} ms, 90th percentile {:.1} ms",
                b.edits.len(),
                em * 1000.0,
                e90 * 1000.0
            );
            // The benchmark's own ticks are not the user's work: close without asking.
            if let Some(s) = self.session.as_mut() {
                s.dirty = false;
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            self.bench = None;
        }
    }
}
