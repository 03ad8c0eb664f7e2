//! What several commands share: the speed profile, opening a scenario's
//! study behind a spinner, and printing a loaded region's notes and warnings.

use std::path::Path;

use accessplan::error::Result;
use accessplan::network::Profile;
use accessplan::region::Region;

use super::progress::{spinner, spinning};

/// The speed profile of the network options (`--profile`, or the shipped
/// one), calibrated by `--speed-calibration` if given.
pub(super) fn profile(net: &super::NetworkArgs) -> Result<Profile> {
    Ok(Profile::load_with(net.profile.as_deref(), net.speed_calibration.as_deref())?)
}

/// Prints the region's notes and its first 20 warnings (nothing when `quiet`).
pub(super) fn print_warnings(region: &Region, quiet: bool) {
    if quiet {
        return;
    }
    for n in &region.notes {
        eprintln!("note: {n}");
    }
    for w in region.warnings.iter().take(20) {
        eprintln!("warning: {w}");
    }
    if region.warnings.len() > 20 {
        eprintln!("warning: ... and {} more", region.warnings.len() - 20);
    }
}

/// Opens a scenario with its region, travel times and contacts behind a
/// spinner, and prints what was left out and the zones far from a street.
pub(super) fn open_study(path: &Path, quiet: bool) -> Result<accessplan::study::Study> {
    open_study_judged_with(path, None, quiet)
}

/// [`open_study`], judged on the population of `proposed`'s `[growth]` when
/// it has one (a comparison: [`accessplan::study::Study::open_for_comparison`]).
pub(super) fn open_study_judged_with(path: &Path, proposed: Option<&Path>, quiet: bool) -> Result<accessplan::study::Study> {
    let sp = spinner(&format!("opening {}", path.display()), quiet);
    let study = match proposed {
        None => accessplan::study::Study::open_with(path, super::travel_cache(), &spinning(&sp))?,
        Some(p) => accessplan::study::Study::open_for_comparison_with(path, p, super::travel_cache(), &spinning(&sp))?,
    };
    sp.finish_and_clear();
    print_warnings(&study.region, quiet);
    print_cache_use(&study.tt, quiet);
    if !quiet {
        for n in accessplan::travel::long_link_notes(&study.tt.long_links(), |z| study.region.zones[z].id.as_str(), accessplan::travel::LISTED_ZONES) {
            eprintln!("note: {n}");
        }
        for w in study.contact_warnings.iter().take(10) {
            eprintln!("warning: {w}");
        }
        if study.contact_warnings.len() > 10 {
            eprintln!("warning: {} contact rows left out in all", study.contact_warnings.len());
        }
        for n in study.demand.notes() {
            eprintln!("note: {n}");
        }
        if let Some(n) = &study.growth_note {
            eprintln!("note: population: {n}");
        }
        if study.scenario.pairs_proposed {
            let names: Vec<String> =
                study.scenario.pairs.iter().map(|&(a, b)| format!("{} + {}", study.region.localities[a].name, study.region.localities[b].name)).collect();
            eprintln!("note: no locality pairs in the file; proposed from shared boundaries: {}", names.join(", "));
        }
    }
    Ok(study)
}

/// Says how many street travel-time columns came from the cache, and what
/// went wrong with it, if the cache was used.
pub(super) fn print_cache_use(tt: &accessplan::travel::TravelTimes, quiet: bool) {
    let Some(cache) = &tt.cache else { return };
    for p in &tt.cache_use.problems {
        eprintln!("warning: travel-time cache: {p}");
    }
    if !quiet && (tt.cache_use.read > 0 || tt.cache_use.computed > 0) {
        eprintln!("note: street travel times: {}", tt.cache_use.summary(cache));
    }
}
