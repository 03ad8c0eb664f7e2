//! `accessplan scenario baseline|hlc-model`: a scenario file for a usual
//! configuration, on the demo region's inputs or another scenario's.

use std::path::{Path, PathBuf};

use accessplan::error::{Error, Result};

use super::progress::{spinner, spinning};

/// The demo region's baseline scenario (its [inputs] are the demo's).
fn demo_scenario() -> Result<PathBuf> {
    Ok(super::demo::demo_root(None)?.join("datasets/demo/scenarios/baseline.toml"))
}

/// `accessplan scenario baseline|hlc-model`.
pub fn scenario(kind: super::ScenarioKind, inputs: Option<PathBuf>, out: &Path, quiet: bool) -> Result<()> {
    use accessplan::plan::generate::{baseline, hlc_model};
    use accessplan::plan::scenario::{Scenario, ScenarioFile};
    // Without --inputs, the demo region's inputs, as seen from its scenarios folder.
    let (src, file) = match inputs {
        Some(p) => {
            let f = ScenarioFile::load(&p)?;
            (p, f)
        }
        None => {
            let demo = demo_scenario()?;
            let mut f = ScenarioFile::load(&demo)
                .ok()
                .unwrap_or_else(|| accessplan::plan::generate::empty_file("demo inputs", &accessplan::plan::scenario::InputsFile::demo()));
            f.inputs = accessplan::plan::scenario::InputsFile::demo();
            f.services.clear();
            (demo, f)
        }
    };
    // The scenario read (the demo's baseline without --inputs) and every
    // file it names are inputs: --out may be none of them.
    let mut protected = file.region_inputs(&src)?.files();
    protected.extend(file.contacts_path(&src)?);
    protected.push(src.clone());
    accessplan::fileio::check_writable(out, &protected)?;
    let sp = spinner("loading the region", quiet);
    let (region, tt, contacts, _) = accessplan::study::open_inputs_with(&src, &file, super::travel_cache(), &spinning(&sp))?;
    sp.finish_and_clear();
    let catalogue = accessplan::plan::Catalogue::default();
    // Pairs and HLCs as the source file gives them (or proposed).
    let mut bare = file.clone();
    bare.services.clear();
    let resolved = Scenario::resolve(&bare, &src, &region, &region.sites, &catalogue)?;
    // Re-base the input paths on the output's folder.
    let src_dir = src.parent().unwrap_or(Path::new("."));
    let out_dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let inputs = file.inputs.rebased(src_dir, out_dir);
    let new = match kind {
        super::ScenarioKind::Baseline => {
            if contacts.is_empty() {
                return Err(Error::BaselineWithoutContacts);
            }
            baseline(&region, &contacts, &catalogue, &inputs, &resolved.pairs)
        }
        super::ScenarioKind::HlcModel => {
            // Tiers 2 and 3 go where travel times say; without a network there are none.
            if let Some(no) = accessplan::study::NoStreetNetwork::of(&region) {
                return Err(Error::NoStreetNetwork { scenario: src.clone(), what: "the HLC model".into(), message: no.to_string() });
            }
            hlc_model(&region, &tt, &catalogue, &inputs, &resolved.pairs, &resolved.hlc)
        }
    };
    protected.extend(region.inputs.files());
    new.save(out, &protected)?;
    if !quiet {
        eprintln!("{} written to {} ({} services)", new.name, out.display(), new.services.len());
    }
    Ok(())
}
