//! The app benchmark: frame intervals with the map drawn, CPU time per
//! frame, the time from an edit to its frame and the time until a new
//! view's map image is ready (`--bench-frames N`). The environment shapes
//! the run: `ACCESSPLAN_BENCH_PAN` pans the map, `ACCESSPLAN_BENCH_ZOOM=town`
//! zooms to a town (10 m a point, on the first site) once the study is
//! open, and `ACCESSPLAN_MAP_LOD=off` draws without level of detail.
//! `ACCESSPLAN_BENCH_PHASES=out:on,out:off,town:on,town:off` measures
//! several views and levels of detail one after another on the study
//! opened once (`N` frames each), so a large study opens only once and the
//! baseline runs in the same process. A third part, `out:on:old`, draws
//! that phase's frames as before issue 13 item 5 (markers tessellated, the
//! background filled under the whole map, the map image composed in the
//! frame: `map::set_old_frame`), the frame's baseline; `out:on:oldpx`
//! draws the frame's pixels as before the llvmpipe work of the same item
//! (`old_pixels`); `out:on:oldbox` draws egui's own triangles for check
//! boxes, buttons and other filled rectangles (`old_boxes`, the baseline
//! of `box_meshes`). Each phase prints the CPU time a frame of all threads and
//! of Mesa's llvmpipe drawing threads (`thread_cpu_s`), and with
//! `ACCESSPLAN_BENCH_PIXELS=1` the census of what each frame asks the
//! rasteriser to draw (`pixel_census`).

use super::*;

use super::map_raster;

/// The frame's pixels as drawn before the llvmpipe work of issue 13 item 5
/// (the benchmark's baseline, phase suffix `:oldpx`): the extract's water
/// and railway lines drawn as egui lines over the map image, grid stripes
/// as egui's rounded rectangles, site sprites in whole cells.
static OLD_PIXELS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Draws the frame's pixels as before (`true`: the baseline) or not; the
/// window starts so with `ACCESSPLAN_BENCH_OLD_PIXELS=1`, for screenshots.
pub fn set_old_pixels(on: bool) {
    OLD_PIXELS.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Whether the frame's pixels are drawn as before (the benchmark's `:oldpx` baseline).
pub fn old_pixels() -> bool {
    OLD_PIXELS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Check boxes, buttons and the other rectangles drawn with egui's own
/// triangles (the benchmark's baseline for `box_meshes`, phase suffix `:oldbox`).
static OLD_BOXES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Draws rectangles with egui's triangles (`true`: the baseline) or as flat
/// pixel rectangles; the window starts so with `ACCESSPLAN_BENCH_OLD_BOXES=1`.
pub fn set_old_boxes(on: bool) {
    OLD_BOXES.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Whether rectangles are drawn with egui's triangles (the `:oldbox` and `:oldpx` baselines).
pub fn old_boxes() -> bool {
    OLD_BOXES.load(std::sync::atomic::Ordering::Relaxed) || old_pixels()
}

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
    /// Zoomed to a town yet (with `ACCESSPLAN_BENCH_ZOOM=town`).
    zoomed: bool,
    /// Zoom to a town (`ACCESSPLAN_BENCH_ZOOM=town`, or the phase's).
    town: bool,
    /// Frames not recorded at the start of a phase (the new map is drawn in the first).
    skip: usize,
    /// The phases have started.
    phased: bool,
    /// Phases still to measure after this one: (zoom to a town, level of detail on, the old frame, the old pixels, the old boxes).
    phases: Vec<(bool, bool, bool, bool, bool)>,
    /// The map with level of detail, kept while a phase draws without it.
    lod_geometry: Option<super::map::MapGeometry>,
    /// What each frame asks of the rasteriser (`ACCESSPLAN_BENCH_PIXELS=1`), printed after each phase.
    pub census: Option<std::sync::Arc<std::sync::Mutex<super::pixel_census::Census>>>,
    /// CPU time of the process's threads at the start of the phase, seconds: (Mesa's llvmpipe drawing threads, all).
    cpu_at_start: Option<(f64, f64)>,
}

/// Clock ticks a second in /proc's thread times (Linux's `USER_HZ`).
const TICKS_PER_S: f64 = 100.0;

/// CPU time (user and system) of this process's threads so far, seconds:
/// those of Mesa's llvmpipe drawing threads (named `llvmpipe-N`), and all
/// of them. `None` where /proc does not tell (not Linux). Unlike frame
/// intervals, this does not grow when other processes take the cores.
pub fn thread_cpu_s() -> Option<(f64, f64)> {
    let mut sums = (0.0, 0.0);
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let (Ok(comm), Ok(stat)) = (std::fs::read_to_string(task.path().join("comm")), std::fs::read_to_string(task.path().join("stat"))) else {
            continue;
        };
        // Fields after the command's closing parenthesis: state is the 3rd field, utime the 14th, stime the 15th.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { continue };
        let f: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        let s = (ticks(11) + ticks(12)) / TICKS_PER_S;
        sums.1 += s;
        if comm.starts_with("llvmpipe") {
            sums.0 += s;
        }
    }
    Some(sums)
}

/// The phases asked for in `ACCESSPLAN_BENCH_PHASES` (`out:on,town:off,out:on:old,out:on:oldpx,out:on:oldbox`...), in order.
fn phases_from_env() -> Vec<(bool, bool, bool, bool, bool)> {
    std::env::var("ACCESSPLAN_BENCH_PHASES")
        .unwrap_or_default()
        .split(',')
        .filter_map(|p| {
            let mut parts = p.trim().split(':');
            let (zoom, lod) = (parts.next()?, parts.next()?);
            let old = parts.next();
            Some((zoom == "town", lod != "off", old == Some("old"), old == Some("oldpx"), old == Some("oldbox")))
        })
        .collect()
}

impl FrameBench {
    /// A benchmark of `frames` frames.
    pub fn new(frames: usize, started: std::time::Instant) -> Self {
        FrameBench {
            frames,
            started,
            ready_s: None,
            intervals: Vec::new(),
            edits: Vec::new(),
            cpu: Vec::new(),
            last: None,
            zoomed: false,
            town: std::env::var("ACCESSPLAN_BENCH_ZOOM").is_ok_and(|z| z == "town"),
            skip: 0,
            phased: false,
            phases: phases_from_env(),
            lod_geometry: None,
            census: None,
            cpu_at_start: None,
        }
    }
}

/// The scale of the benchmark's town view: screen points per metre (10 m a point).
const TOWN_SCALE: f64 = 0.1;

/// Median and 90th percentile.
fn med90(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() { (f64::NAN, f64::NAN) } else { (v[v.len() / 2], v[(v.len() * 9 / 10).min(v.len() - 1)]) }
}

impl AccessplanApp {
    /// Before a benchmark frame: every tenth frame, tick a box (an edit);
    /// with ACCESSPLAN_BENCH_PAN, also pan the map 4 points a frame, back and forth.
    pub(super) fn bench_step(&mut self) -> Option<std::time::Instant> {
        let b = self.bench.as_mut()?;
        let n = b.intervals.len();
        if n == 0 && !b.phases.is_empty() && !b.phased && self.view.fitted && b.last.is_some() {
            // The first phase starts on the opened study.
            let (town, lod, old, old_px, old_box) = b.phases.remove(0);
            self.bench_phase(town, lod, old, old_px, old_box);
            return None;
        }
        let b = self.bench.as_mut()?;
        if !b.zoomed && self.view.fitted && b.town {
            b.zoomed = true;
            if let Some(p) = self.geometry.as_ref().and_then(|g| g.sites.first()) {
                self.view.centre = *p;
                self.view.scale = TOWN_SCALE;
            }
        }
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

    /// Starts a phase: the map with or without level of detail (a new
    /// geometry id, so the image is drawn again), the whole study or a town
    /// in view, the frame as it is or as it was (`old`), and fresh timings.
    fn bench_phase(&mut self, town: bool, lod: bool, old: bool, old_px: bool, old_box: bool) {
        let (Some(b), Some(geo)) = (self.bench.as_mut(), self.geometry.as_mut()) else { return };
        if b.lod_geometry.is_none() && geo.street_index.is_some() {
            b.lod_geometry = Some(geo.clone());
        }
        let with_lod = b.lod_geometry.clone().unwrap_or_else(|| geo.clone());
        *geo = if lod { with_lod } else { super::map::MapGeometry { street_index: None, zone_lod: None, ..with_lod } };
        geo.id = super::map::next_geometry_id();
        super::map::set_old_frame(old);
        set_old_pixels(old_px);
        set_old_boxes(old_box);
        self.view.fitted = false;
        b.zoomed = false;
        b.town = town;
        b.skip = 3;
        b.phased = true;
        b.intervals.clear();
        b.edits.clear();
        b.cpu.clear();
        b.last = None;
        b.cpu_at_start = None;
        if let Some(c) = &b.census {
            *c.lock().unwrap_or_else(|e| e.into_inner()) = Default::default();
        }
        println!();
        println!(
            "### phase: {}, level of detail {}, {}",
            if town { "zoomed in (a town)" } else { "zoomed out (the whole study)" },
            if lod { "on" } else { "off" },
            if old {
                "the old frame (baseline)"
            } else if old_px {
                "the old pixels (baseline: water and railways as egui lines, rounded stripes, whole sprite cells)"
            } else if old_box {
                "the old boxes (baseline: check boxes, buttons and rectangles as egui's triangles)"
            } else {
                "the frame as it is"
            }
        );
    }

    /// After a benchmark frame: record, and print and quit when done.
    pub(super) fn bench_record(&mut self, ctx: &egui::Context, edit_started: Option<std::time::Instant>) {
        let Some(b) = self.bench.as_mut() else { return };
        if self.session.is_none() {
            // Still opening: the job's progress and its end wake the UI, as
            // they do outside the benchmark (continuous frames here would
            // take a core from the opening being timed).
            return;
        }
        ctx.request_repaint();
        let now = std::time::Instant::now();
        if b.skip > 0 {
            b.skip -= 1;
            b.last = Some(now);
            return;
        }
        if b.ready_s.is_none() {
            b.ready_s = Some(b.started.elapsed().as_secs_f64());
            // The census counts the frames with the study open.
            if let Some(c) = &b.census {
                *c.lock().unwrap_or_else(|e| e.into_inner()) = Default::default();
            }
        }
        if let Some(t) = edit_started {
            b.edits.push(t.elapsed().as_secs_f64());
        }
        if let Some(last) = b.last {
            if b.intervals.is_empty() {
                // The CPU time is counted over the frames after the first measured one.
                b.cpu_at_start = thread_cpu_s();
            }
            b.intervals.push((now - last).as_secs_f64());
        }
        b.last = Some(now);
        if b.intervals.len() >= b.frames {
            let med = med90;
            let (fm, f90) = med(b.intervals.clone());
            let (em, e90) = med(b.edits.clone());
            let (cm, c90) = med(b.cpu.clone());
            let s = self.session.as_ref().map(|s| (s.study.region.zones.len(), self.geometry.as_ref().map_or(0, |g| g.streets.len()))).unwrap_or_default();
            let segments: usize = self.geometry.as_ref().map_or(0, |g| g.streets.iter().map(|l| l.pts.len().saturating_sub(1)).sum());
            let sites = self.session.as_ref().map_or(0, |s| s.study.sites().len());
            println!("app benchmark: {} zones, {sites} sites, {} street lines ({segments} segments) in the street layer", s.0, s.1);
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
            let made = map_raster::MapImage::of(ctx).lock().map(|mut m| std::mem::take(&mut m.made)).unwrap_or_default();
            // The first image of a map is drawn in the frame; the rest on the worker.
            if let Some(first) = made.iter().rfind(|m| m.in_frame) {
                println!("first map image (drawn in the frame): {:.0} ms, {} street segments", first.render_s * 1000.0, first.segments);
            }
            let later: Vec<map_raster::RasterMade> = made.iter().filter(|m| !m.in_frame).copied().collect();
            let (rm, r90) = med(later.iter().map(|m| m.ready_s).collect());
            let (wm, w90) = med(later.iter().map(|m| m.render_s).collect());
            let (sm, _) = med(later.iter().map(|m| m.segments as f64).collect());
            let smax = later.iter().map(|m| m.segments).max().unwrap_or(0);
            println!(
                "new view to its map image on hand, {} images: median {:.0} ms, 90th percentile {:.0} ms (rasterising alone: median {:.0} ms, 90th percentile {:.0} ms); street segments drawn: median {:.0}, most {} (LOD {}, scale {:.4} points/m)",
                later.len(),
                rm * 1000.0,
                r90 * 1000.0,
                wm * 1000.0,
                w90 * 1000.0,
                sm,
                smax,
                if self.geometry.as_ref().is_some_and(|g| g.street_index.is_some()) { "on" } else { "off" },
                self.view.scale
            );
            if let Some(s) = &self.session {
                println!("last re-evaluation alone: {:.1} ms", s.last_eval_ms);
            }
            if let (Some((llvmpipe0, all0)), Some((llvmpipe1, all1))) = (self.bench.as_ref().and_then(|b| b.cpu_at_start), thread_cpu_s()) {
                let n = self.bench.as_ref().map_or(1, |b| b.intervals.len().saturating_sub(1).max(1)) as f64;
                println!(
                    "CPU time a frame, all threads: {:.1} ms, of which Mesa's llvmpipe drawing threads {:.1} ms",
                    (all1 - all0) * 1000.0 / n,
                    (llvmpipe1 - llvmpipe0) * 1000.0 / n
                );
            }
            if let Some(c) = self.bench.as_ref().and_then(|b| b.census.as_ref()) {
                for line in c.lock().unwrap_or_else(|e| e.into_inner()).report() {
                    println!("{line}");
                }
            }
            if let Some(b) = self.bench.as_mut()
                && !b.phases.is_empty()
            {
                let (town, lod, old, old_px, old_box) = b.phases.remove(0);
                self.bench_phase(town, lod, old, old_px, old_box);
                return;
            }
            // The benchmark's own ticks are not the user's work: close without asking.
            if let Some(s) = self.session.as_mut() {
                s.dirty = false;
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            self.bench = None;
        }
    }
}
