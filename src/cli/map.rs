//! `accessplan map`: the app's exported map from the command line. The
//! scenario (and, with `--compare`, the one before it) is opened as the app
//! opens it, the view turned into a map by the engine's
//! [`accessplan::export::map_view::StudyView::map_spec`] (what File > Export
//! calls) and drawn by the same SVG writer and rasteriser, so a batch run
//! gets the very map a planner exports by hand.

use std::path::{Path, PathBuf};

use accessplan::analysis::{Target, evaluate};
use accessplan::error::{Error, Result};
use accessplan::export::map_view::{StudyView, View};
use accessplan::fileio::{check_writable, write_atomic};
use accessplan::plan::scenario::ScenarioFile;
use accessplan::travel::Mode;

use super::MapArgs;
use super::load::open_study;

/// Millimetres per inch.
const MM_PER_INCH: f64 = 25.4;

/// Paper sizes, landscape: (name, width mm, height mm).
const PAPER_MM: [(&str, f64, f64); 2] = [("a4", 297.0, 210.0), ("a3", 420.0, 297.0)];

/// The image size in pixels of `--size` (a4, a3, a4-portrait, a3-portrait,
/// or WxH pixels) at `dpi` (paper sizes only).
pub fn size_px(size: &str, dpi: u32) -> Result<(u32, u32)> {
    let bad = |reason: String| Error::BadArgument { flag: "--size", value: size.to_string(), reason };
    let s = size.trim().to_ascii_lowercase();
    let (paper, portrait) = match s.strip_suffix("-portrait") {
        Some(p) => (p, true),
        None => (s.as_str(), false),
    };
    if let Some(&(_, w_mm, h_mm)) = PAPER_MM.iter().find(|(n, _, _)| *n == paper) {
        if !(30..=1200).contains(&dpi) {
            return Err(Error::BadArgument { flag: "--dpi", value: dpi.to_string(), reason: "give a resolution from 30 to 1200 dots per inch".into() });
        }
        let px = |mm: f64| (mm / MM_PER_INCH * f64::from(dpi)).round() as u32;
        let (w, h) = (px(w_mm), px(h_mm));
        return Ok(if portrait { (h, w) } else { (w, h) });
    }
    let (w, h) = s.split_once('x').ok_or_else(|| bad("expected a4, a3, a4-portrait, a3-portrait or WIDTHxHEIGHT in pixels (e.g. 1600x1000)".into()))?;
    let n = |v: &str| v.trim().parse::<u32>().ok().filter(|v| (200..=20_000).contains(v));
    match (n(w), n(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(bad("each side must be a whole number of pixels from 200 to 20000".into())),
    }
}

/// Whether the output is SVG (else PNG), by its extension.
fn is_svg(out: &Path) -> Result<bool> {
    match out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("svg") => Ok(true),
        Some("png") => Ok(false),
        _ => Err(Error::BadArgument { flag: "--out", value: out.display().to_string(), reason: "name a .png or .svg file".into() }),
    }
}

/// The target of `--service`: a service id of the scenario, or `any-hlc`.
fn target_of(id: &str, scenario: &accessplan::plan::Scenario) -> Result<Target> {
    if id.eq_ignore_ascii_case("any-hlc") || id.eq_ignore_ascii_case("hlc") {
        return Ok(Target::AnyHlc);
    }
    scenario.service(id).map(Target::Service).ok_or_else(|| {
        let ids: Vec<&str> = scenario.services.iter().map(|s| s.id.as_str()).collect();
        Error::BadArgument {
            flag: "--service",
            value: id.to_string(),
            reason: format!("the scenario has no such service; its services are {}, or any-hlc for the nearest HLC", ids.join(", ")),
        }
    })
}

/// The map of the arguments' view: the SVG text or the PNG bytes, as the
/// app's export writes them.
pub fn map_bytes(a: &MapArgs, quiet: bool) -> Result<Vec<u8>> {
    let mode: Mode = a.mode.parse().map_err(|reason| Error::BadArgument { flag: "--mode", value: a.mode.clone(), reason })?;
    let view: View = a.view.parse().map_err(|reason| Error::BadArgument { flag: "--view", value: a.view.clone(), reason })?;
    if view != View::After && a.compare.is_none() {
        return Err(Error::MissingArgument { flag: "--compare BEFORE", reason: "the before and difference views compare two scenarios" });
    }
    let (width, height) = size_px(&a.size, a.dpi)?;
    let svg = is_svg(&a.out)?;
    let study = open_study(&a.scenario, quiet)?;
    if let Some(no) = study.no_street_network() {
        return Err(Error::NoStreetNetwork { scenario: a.scenario.clone(), what: "a map of travel times".into(), message: no.to_string() });
    }
    let target = target_of(&a.service, &study.scenario)?;
    let after_eval = study.evaluate();
    if after_eval.mode_index(mode).is_none() {
        let computed: Vec<&str> = after_eval.modes.iter().map(|m| m.label()).collect();
        return Err(Error::BadArgument {
            flag: "--mode",
            value: a.mode.clone(),
            reason: format!("the study has no times by {}; it has {}", mode.title().to_lowercase(), computed.join(", ")),
        });
    }
    let before = match &a.compare {
        Some(p) => {
            let (_, s) = study.other(p)?;
            let e = evaluate(&s, &study.region, study.sites(), &study.tt, &study.geo, &study.contacts);
            Some((s, e))
        }
        None => None,
    };
    let v = StudyView { region: &study.region, after: &study.scenario, after_eval: &after_eval, before: before.as_ref().map(|(s, e)| (s, e)) };
    let spec = v.map_spec(target, mode, view, width, height, a.title.as_deref().unwrap_or("")).ok_or_else(|| Error::BadArgument {
        flag: "--service",
        value: a.service.clone(),
        reason: "not a service of the scenario".into(),
    })?;
    if svg {
        Ok(accessplan::export::map_svg::render_svg(&study.region, study.sites(), &spec).into_bytes())
    } else {
        accessplan::export::map_png::render_png(&study.region, study.sites(), &spec).map_err(|e| Error::BadArgument {
            flag: "--size",
            value: a.size.clone(),
            reason: e.to_string(),
        })
    }
}

/// `accessplan map`: checks the output can be written (and is no input)
/// before anything is loaded, then writes the map atomically.
pub fn map(a: MapArgs, quiet: bool) -> Result<()> {
    is_svg(&a.out)?;
    let mut inputs: Vec<PathBuf> = vec![a.scenario.clone()];
    for p in std::iter::once(&a.scenario).chain(&a.compare) {
        let f = ScenarioFile::load(p)?;
        inputs.push(p.clone());
        inputs.extend(f.region_inputs(p)?.files());
        inputs.extend(f.contacts_path(p)?);
    }
    check_writable(&a.out, &inputs)?;
    let bytes = map_bytes(&a, quiet)?;
    write_atomic(&a.out, &bytes, &inputs)?;
    if !quiet {
        eprintln!("map written to {}", a.out.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_sizes_and_pixels() {
        assert_eq!(size_px("a4", 150).unwrap(), (1754, 1240));
        assert_eq!(size_px("A4", 300).unwrap(), (3508, 2480));
        assert_eq!(size_px("a3", 150).unwrap(), (2480, 1754));
        assert_eq!(size_px("a4-portrait", 300).unwrap(), (2480, 3508));
        assert_eq!(size_px("1600x1000", 300).unwrap(), (1600, 1000));
        let e = size_px("letter", 150).unwrap_err().to_string();
        assert_eq!(e, "--size letter: expected a4, a3, a4-portrait, a3-portrait or WIDTHxHEIGHT in pixels (e.g. 1600x1000)");
        assert!(size_px("a4", 5).unwrap_err().to_string().starts_with("--dpi 5: "));
        assert!(size_px("10x10", 150).is_err());
    }
}
