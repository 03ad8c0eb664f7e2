//! `accessplan demo`: the built-in demo region loaded and summarised; and
//! `generate-demo`, which writes its files (with the `demo-generator` feature).

#[cfg(feature = "demo-generator")]
use std::path::Path;
use std::path::PathBuf;
use std::time::Instant;

use accessplan::error::Result;
use accessplan::export::style::fmt_int;
use accessplan::region::Region;
use accessplan::travel::{Mode, TravelTimes};

use super::load::print_warnings;
use super::progress::{bar, spinner, ticking};

/// The project folder holding the demo region.
pub(super) fn demo_root(root: Option<PathBuf>) -> Result<PathBuf> {
    match root {
        Some(r) => Ok(r),
        None => accessplan::demo::demo_root(),
    }
}

/// `accessplan demo`.
pub fn demo(root: Option<PathBuf>, quiet: bool) -> Result<()> {
    let root = demo_root(root)?;
    let t = Instant::now();
    let sp = spinner("loading the demo region", quiet);
    let region = Region::load(&Region::demo_inputs(&root))?;
    let load_s = t.elapsed().as_secs_f64();
    sp.finish_and_clear();
    print_warnings(&region, quiet);
    let pb = bar((region.sites.len() * Mode::STREET.len()) as u64, "travel times", quiet);
    let tt = TravelTimes::compute(&region, &accessplan::travel::TravelRequest::for_region(&region), &ticking(&pb))?;
    pb.finish_and_clear();
    if !quiet {
        for n in accessplan::travel::long_link_notes(&tt.long_links(), |z| region.zones[z].id.as_str(), accessplan::travel::LISTED_ZONES) {
            eprintln!("note: {n}");
        }
    }
    println!("{}", region.name);
    println!(
        "  {} residents in {} zones, {} localities, {} sites; loaded in {:.2} s, travel times for {} modes in {:.2} s",
        fmt_int(region.population()),
        region.zones.len(),
        region.localities.len(),
        region.sites.len(),
        load_s,
        tt.modes().len(),
        tt.compute_s
    );
    use accessplan::analysis::{
        assign::{Geography, nearest},
        coverage::cover,
    };
    let geo = Geography::of(&region, &region.sites);
    let hlcs: Vec<usize> = accessplan::plan::scenario::default_hlcs(&region, &region.sites).into_iter().flatten().collect();
    let thresholds = accessplan::plan::Thresholds::default();
    println!("\n  Share of residents within the threshold of their nearest Healthy Living Centre ({} HLCs):", hlcs.len());
    let modes = tt.modes();
    print!("  {:<18}{:>10}", "locality", "residents");
    for m in &modes {
        print!("{:>16}", format!("{} {:.0}m", m.label(), thresholds.minutes(*m)));
    }
    println!();
    // The nearest HLC of every zone, by each mode.
    let choices: Vec<Vec<_>> =
        modes.iter().map(|m| tt.get(*m).map_or_else(Vec::new, |mx| (0..region.zones.len()).map(|z| nearest(mx, z, hlcs.iter().copied())).collect())).collect();
    for loc in (0..region.localities.len()).map(Some).chain(std::iter::once(None)) {
        let name = loc.map_or("All", |l| region.localities[l].name.as_str());
        let mut pop = None;
        let mut row = String::new();
        for (m, ch) in modes.iter().zip(&choices) {
            let c = cover(ch, &region.zones, &geo.zone_locality, loc, thresholds.minutes(*m));
            pop = Some(c.population);
            row.push_str(&format!("{:>15.0}%", 100.0 * c.share()));
        }
        println!("  {:<18}{:>10}{row}", name, fmt_int(pop.unwrap_or(0.0)));
    }
    println!("\n  The demo region is fictional: a synthetic street network in OpenStreetMap format, made by accessplan.");
    println!("  Next: accessplan compare datasets/demo/scenarios/baseline.toml datasets/demo/scenarios/hlc-model.toml --out compare-demo");
    Ok(())
}

/// `accessplan generate-demo` (with the `demo-generator` feature).
#[cfg(feature = "demo-generator")]
pub fn generate_demo(root: &Path, quiet: bool) -> Result<()> {
    let summary = accessplan::demo::generator::generate(root)?;
    if !quiet {
        println!("{summary}");
    }
    Ok(())
}
