//! The zones x sites matrix as CSV: one row per pair, with minutes and
//! kilometres, and unreachable pairs flagged with the reason.
//!
//! Minutes are rounded to 0.01 for reading; `seconds` carries the time to
//! the millisecond the search computed, so a coverage check at any
//! threshold made from the CSV (899.6 s and 900.4 s both read "15.00"
//! minutes) agrees with the tool's own.

use crate::model::{Site, Zone};
use crate::network::StreetMatrix;

/// CSV text of a matrix: `zone_id,site_id,site_name,minutes,seconds,km,status,reason`.
pub fn matrix_csv(m: &StreetMatrix, zones: &[Zone], sites: &[Site]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(["zone_id", "site_id", "site_name", "minutes", "seconds", "km", "status", "reason"]);
    for (o, z) in zones.iter().enumerate() {
        for (d, s) in sites.iter().enumerate() {
            let row = match (m.time(o, d), m.length(o, d)) {
                (Some(t), Some(l)) => [
                    z.id.clone(),
                    s.id.clone(),
                    s.name.clone(),
                    format!("{:.2}", t / 60.0),
                    format!("{t:.3}"),
                    format!("{:.3}", l / 1000.0),
                    "ok".into(),
                    String::new(),
                ],
                _ => {
                    let why = m.why_none(o, d).map(|r| r.to_string()).unwrap_or_default();
                    [z.id.clone(), s.id.clone(), s.name.clone(), String::new(), String::new(), String::new(), "unreachable".into(), why]
                }
            };
            let _ = w.write_record(&row);
        }
    }
    w.into_inner().unwrap_or_default()
}
