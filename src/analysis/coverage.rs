//! Coverage: the share of the population within a mode's threshold of the
//! site they would use, overall and per locality; and the cumulative curve
//! (population within t minutes, t = 0..90).

use crate::analysis::assign::Choice;
use crate::model::Zone;

/// Minutes the cumulative curves run to.
pub const CURVE_MAX_MIN: usize = 90;

/// Population within a threshold, for one target, mode and area.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cover {
    /// Residents counted.
    pub population: f64,
    /// Of whom within the threshold.
    pub within: f64,
    /// Of whom with no journey at all (off the network, nothing offered).
    pub no_journey: f64,
}

impl Cover {
    /// Share within the threshold (0..=1); 0 for an empty area.
    pub fn share(&self) -> f64 {
        if self.population > 0.0 { self.within / self.population } else { 0.0 }
    }
}

/// Coverage of `choices` (one per zone) within `threshold_min`, for the zones
/// whose locality is `locality` (`None`: every zone).
pub fn cover(choices: &[Choice], zones: &[Zone], zone_locality: &[Option<usize>], locality: Option<usize>, threshold_min: f64) -> Cover {
    let limit = (threshold_min * 60.0) as f32;
    let mut c = Cover::default();
    for (z, ch) in choices.iter().enumerate() {
        if locality.is_some() && zone_locality[z] != locality {
            continue;
        }
        let p = zones[z].population;
        c.population += p;
        if !ch.time_s.is_finite() {
            c.no_journey += p;
        } else if ch.time_s <= limit {
            c.within += p;
        }
    }
    c
}

/// Population within t minutes for t = 0..=90 (cumulative), for the zones of
/// `locality` (`None`: all).
pub fn curve(choices: &[Choice], zones: &[Zone], zone_locality: &[Option<usize>], locality: Option<usize>) -> Vec<f64> {
    let mut per_min = vec![0.0; CURVE_MAX_MIN + 1];
    for (z, ch) in choices.iter().enumerate() {
        if locality.is_some() && zone_locality[z] != locality {
            continue;
        }
        if let Some(m) = ch.minutes() {
            let bucket = m.ceil() as usize;
            if bucket <= CURVE_MAX_MIN {
                per_min[bucket] += zones[z].population;
            }
        }
    }
    let mut acc = 0.0;
    per_min
        .iter()
        .map(|p| {
            acc += p;
            acc
        })
        .collect()
}

/// Population-weighted mean length of the journeys that have one, miles.
pub fn mean_miles(choices: &[Choice], zones: &[Zone]) -> Option<f64> {
    let (mut w, mut sum) = (0.0, 0.0);
    for (z, ch) in choices.iter().enumerate() {
        if ch.time_s.is_finite() {
            w += zones[z].population;
            sum += zones[z].population * ch.length_m as f64 / crate::analysis::METRES_PER_MILE;
        }
    }
    (w > 0.0).then(|| sum / w)
}
