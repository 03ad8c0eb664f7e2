//! `accessplan shard`: a study too large for one machine split into shards
//! by sites, and the shards' matrices merged back.

use accessplan::error::{Error, Result};
use accessplan::input::sites::load_sites;
use accessplan::input::zones::{ZoneOptions, load_zones};
use accessplan::study::shard::{merge_matrices, plan_shards, shard_dir, write_shards};

use super::ShardCommand;

/// `accessplan shard split|merge`.
pub fn shard(c: ShardCommand, quiet: bool) -> Result<()> {
    match c {
        ShardCommand::Split { zones, zone_id, population, sites, crs, shards, reach_km, out } => {
            let id_field = match zone_id {
                Some(f) => f,
                None => accessplan::input::sniff::guess_zone_id(&zones)?,
            };
            let population_field = population.or_else(|| accessplan::input::sniff::guess_population(&zones));
            let (zs, zw) = load_zones(&zones, &ZoneOptions { id_field, population_field, crs, locality_field: None })?;
            let (ss, sw) = load_sites(&sites, crs)?;
            let plan = plan_shards(&zs, &ss, shards, reach_km).map_err(|reason| Error::BadArgument {
                flag: "--shards / --reach-km",
                value: format!("{shards} / {reach_km}"),
                reason,
            })?;
            write_shards(&out, &plan, &zs, &ss, &[zones.clone(), sites.clone()])?;
            if !quiet {
                for w in zw.iter().chain(&sw) {
                    eprintln!("warning: {w}");
                }
                let (min, max) = plan.shards.iter().fold((usize::MAX, 0), |(a, b), s| (a.min(s.zones.len()), b.max(s.zones.len())));
                eprintln!(
                    "{} zones and {} sites split into {} shards ({}..{}) of {}-{} zones within {reach_km} km: {} pairs in all, against {} for the whole matrix; written to {}",
                    zs.len(),
                    ss.len(),
                    plan.shards.len(),
                    shard_dir(&out, 0).display(),
                    shard_dir(&out, plan.shards.len() - 1).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                    min,
                    max,
                    plan.pairs(),
                    zs.len() * ss.len(),
                    out.join("shards.csv").display()
                );
                if !plan.beyond_reach.is_empty() {
                    eprintln!(
                        "{} zones are farther than {reach_km} km from every site and are in no shard: listed in {}",
                        plan.beyond_reach.len(),
                        out.join("zones_beyond_reach.csv").display()
                    );
                }
            }
            Ok(())
        }
        ShardCommand::Merge { files, out } => {
            let m = merge_matrices(&files, &out)?;
            if !quiet {
                eprintln!("{} shard matrices merged: {} rows, {} sites; written to {}", m.files, m.rows, m.sites, out.display());
            }
            Ok(())
        }
    }
}
