//! Zones whose door-to-street link deserves a note: the straight walk from
//! the zone's point to the street it was snapped to is longer than
//! [`LONG_LINK_M`] or crosses water, a railway or a motorway (nothing else
//! was within reach). Their times include that walk, so a planner should
//! know which they are; the CLI prints these notes and the report lists them.

use crate::network::StreetMode;
use crate::network::snap::obstacles::ObstacleKind;
use crate::network::snap::{LONG_LINK_M, Snap, SnapFailure};
use crate::travel::TravelTimes;

/// Most zones a printed note names; the rest are counted (the report names all).
pub const LISTED_ZONES: usize = 12;

/// One zone's long or barrier-crossing link to one street network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LongLink {
    /// Index of the zone.
    pub zone: usize,
    /// The network it links to.
    pub mode: StreetMode,
    /// Straight-line length of the link, metres.
    pub offset_m: f64,
    /// The barrier it crosses, if any.
    pub crosses: Option<ObstacleKind>,
}

/// The long links among `snaps` (one per zone, on `mode`'s network),
/// longest first; zones off the network are not among them (their reason
/// is reported with their missing times).
pub fn long_links(mode: StreetMode, snaps: &[Result<Snap, SnapFailure>]) -> Vec<LongLink> {
    let mut out: Vec<LongLink> = snaps
        .iter()
        .enumerate()
        .filter_map(|(zone, s)| s.as_ref().ok().filter(|s| s.is_long_link()).map(|s| LongLink { zone, mode, offset_m: s.offset_m, crosses: s.crosses }))
        .collect();
    out.sort_by(|a, b| b.offset_m.total_cmp(&a.offset_m).then(a.zone.cmp(&b.zone)));
    out
}

/// One note per network for `links` (as from [`long_links`]), naming at
/// most `listed` zones (e.g. [`LISTED_ZONES`]) by their id (`zone_id`) with
/// the length of their link, e.g. `car: 56 zones are linked to a street more than 300 m
/// away in a straight line, or across water, a railway or a motorway:
/// W00008608 974 m, W00008568 856 m across a railway, ... and 44 more`.
pub fn long_link_notes<'a>(links: &[LongLink], zone_id: impl Fn(usize) -> &'a str, listed: usize) -> Vec<String> {
    let mut notes = Vec::new();
    for mode in StreetMode::ALL {
        let mine: Vec<&LongLink> = links.iter().filter(|l| l.mode == mode).collect();
        if mine.is_empty() {
            continue;
        }
        let named: Vec<String> = mine
            .iter()
            .take(listed)
            .map(|l| match l.crosses {
                Some(k) => format!("{} {:.0} m across {}", zone_id(l.zone), l.offset_m, k.name()),
                None => format!("{} {:.0} m", zone_id(l.zone), l.offset_m),
            })
            .collect();
        let more = if mine.len() > listed { format!(", ... and {} more", mine.len() - listed) } else { String::new() };
        notes.push(format!(
            "{}: {} {} linked to a street more than {LONG_LINK_M:.0} m away in a straight line, or across water, a railway or a motorway (their times include that walk): {}{more}",
            mode.name(),
            mine.len(),
            if mine.len() == 1 { "zone is" } else { "zones are" },
            named.join(", ")
        ));
    }
    notes
}

impl TravelTimes {
    /// Zones whose link to a street network computed is long or crosses a
    /// barrier: once per network (car off peak and peak share one), longest
    /// first within each.
    pub fn long_links(&self) -> Vec<LongLink> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for (m, matrix) in &self.street {
            let Some((sm, _)) = m.street() else { continue };
            if seen.contains(&sm) {
                continue;
            }
            seen.push(sm);
            out.extend(long_links(sm, &matrix.origin_snaps));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::LonLat;

    fn snap(offset_m: f64, crosses: Option<ObstacleKind>) -> Result<Snap, SnapFailure> {
        Ok(Snap { street: 0, fraction: 0.0, offset_m, on_street: LonLat::new(0.0, 0.0), crosses })
    }

    #[test]
    fn long_and_crossing_links_are_noted_longest_first() {
        let snaps = vec![
            snap(120.0, None),
            snap(974.0, None),
            Err(SnapFailure::TooFar { nearest_m: 1500.0, limit_m: 1000.0 }),
            snap(145.0, Some(ObstacleKind::Water)),
            snap(300.0, None),
            snap(856.0, Some(ObstacleKind::Railway)),
        ];
        let links = long_links(StreetMode::Car, &snaps);
        assert_eq!(links.iter().map(|l| l.zone).collect::<Vec<_>>(), vec![1, 5, 3], "300 m exactly is not over");
        let ids = ["A", "B", "C", "D", "E", "F"];
        let notes = long_link_notes(&links, |z| ids[z], LISTED_ZONES);
        assert_eq!(
            notes,
            vec![
                "car: 3 zones are linked to a street more than 300 m away in a straight line, or across water, a railway or a motorway (their times include that walk): B 974 m, F 856 m across a railway, D 145 m across water"
                    .to_string()
            ]
        );
        let many: Vec<_> = (0..20).map(|i| snap(400.0 + i as f64, None)).collect();
        let ids: Vec<String> = (0..20).map(|i| format!("Z{i}")).collect();
        let notes = long_link_notes(&long_links(StreetMode::Walk, &many), |z| ids[z].as_str(), LISTED_ZONES);
        assert!(notes[0].starts_with("walk: 20 zones are linked"), "{}", notes[0]);
        assert!(notes[0].ends_with("Z8 408 m, ... and 8 more"), "{}", notes[0]);
        let all = long_link_notes(&long_links(StreetMode::Walk, &many), |z| ids[z].as_str(), usize::MAX);
        assert!(all[0].ends_with("Z1 401 m, Z0 400 m"), "{}", all[0]);
    }
}
