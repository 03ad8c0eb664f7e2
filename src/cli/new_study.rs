//! `accessplan new-study`: the command-line twin of the app's New study
//! form. Builds an [`InputsDraft`] from the flags (guessing the zones' id
//! field when not given), writes a study folder with a first scenario, and
//! prints what it found and joined: counts, totals, and what it could not
//! use and why.

use std::path::PathBuf;

use accessplan::error::{Error, Result};
use accessplan::study::create::{InputsDraft, new_study};

use super::NewStudyArgs;
use super::progress::{spinner, spinning};

/// The file name of the first scenario in a new study folder.
pub const FIRST_SCENARIO: &str = "study.toml";

/// Builds the draft the flags describe.
pub fn draft(a: &NewStudyArgs) -> Result<InputsDraft> {
    let zone_id = match &a.zone_id {
        Some(f) => f.clone(),
        None => {
            let names = accessplan::input::sniff::field_names(&a.zones)?;
            accessplan::input::sniff::id_field_from(&names)
                .ok_or(Error::MissingArgument { flag: "--zone-id FIELD", reason: "cannot tell which field of the zones file is the zone id" })?
        }
    };
    let grouping = match (&a.wards, &a.ward_id, &a.grouping) {
        (None, None, None) => None,
        (Some(w), Some(id), Some(g)) => Some((w.clone(), id.clone(), g.clone())),
        _ => return Err(Error::MissingArgument { flag: "--wards F --ward-id FIELD --grouping CSV", reason: "localities grouped from wards need all three" }),
    };
    if a.localities.is_some() && grouping.is_some() {
        return Err(Error::BadArgument {
            flag: "--localities",
            value: a.localities.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
            reason: "give either --localities (locality polygons) or --wards/--ward-id/--grouping, not both".into(),
        });
    }
    if a.area_attributes.len() != a.area_id.len() {
        return Err(Error::MissingArgument { flag: "--area-id FIELD", reason: "each --area-attributes file needs its --area-id, in the same order" });
    }
    let mut sites = a.sites.iter().cloned();
    let mut gtfs = a.gtfs.iter().cloned();
    Ok(InputsDraft {
        name: Some(a.name.clone()),
        osm: a.osm.clone(),
        gtfs: gtfs.next(),
        extra_gtfs: gtfs.collect(),
        zones: Some(a.zones.clone()),
        zone_id: Some(zone_id),
        population: a.population_field.clone(),
        population_table: a.population.clone(),
        sites: sites.next(),
        extra_sites: sites.collect(),
        sites_from_osm: a.sites_from_osm.clone(),
        localities: a.localities.clone(),
        locality_name: a.locality_name.clone().or_else(|| a.localities.as_deref().and_then(accessplan::input::sniff::guess_locality_name)),
        grouping,
        contacts: a.contacts.clone(),
        attributes: a.attributes.clone(),
        areas: a.area_attributes.iter().cloned().zip(a.area_id.iter().cloned()).collect(),
        postcodes: a.postcodes.clone(),
        clip_margin_km: a.clip_margin_km,
    })
}

/// `accessplan new-study`.
pub fn run(a: NewStudyArgs, quiet: bool) -> Result<()> {
    let d = draft(&a)?;
    // The study is a folder: a file there (an input named by mistake) is refused before any work.
    if a.out.exists() && !a.out.is_dir() {
        let why = "it is a file, not a folder: --out names the folder to write the study into";
        return Err(Error::Write { path: a.out.clone(), source: std::io::Error::other(why) });
    }
    std::fs::create_dir_all(&a.out).map_err(|source| Error::Write { path: a.out.clone(), source })?;
    let path: PathBuf = a.out.join(FIRST_SCENARIO);
    let sp = spinner("loading the inputs and computing travel times", quiet);
    let result = new_study(&d, &path, &spinning(&sp));
    sp.finish_and_clear();
    let study = result?;
    let r = &study.region;
    println!("study '{}' written to {}", a.name, path.display());
    println!("  zones: {} ({} residents)", r.zones.len(), accessplan::input::joins::group_thousands(r.population()));
    println!("  sites: {}", study.sites().len());
    println!("  localities: {}", r.localities.len());
    for n in &r.notes {
        println!("  {n}");
    }
    if let Some(no) = study.no_street_network() {
        println!("{no}");
    }
    if !r.warnings.is_empty() {
        println!("could not use everything as given:");
        for w in r.warnings.iter().chain(&study.contact_warnings) {
            println!("  {w}");
        }
    }
    Ok(())
}
