//! The ways of reaching a site that the travel-time matrices are computed
//! for: car off peak and in the rush hour, walking, cycling and bus.

use crate::network::{Period, StreetMode};

/// A way of reaching a site, as planners compare them: car off-peak, car
/// peak, walking, cycling and bus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Driving outside the rush hour.
    CarOffpeak,
    /// Driving in the rush hour.
    CarPeak,
    /// Walking.
    Walk,
    /// Cycling.
    Cycle,
    /// Bus, including walking to and from stops and waiting.
    Bus,
}

impl Mode {
    /// Every mode, in the order tables show them.
    pub const ALL: [Mode; 5] = [Mode::Bus, Mode::CarPeak, Mode::CarOffpeak, Mode::Walk, Mode::Cycle];
    /// The street modes.
    pub const STREET: [Mode; 4] = [Mode::CarOffpeak, Mode::CarPeak, Mode::Walk, Mode::Cycle];
    /// Short label: `car-offpeak`, `car-peak`, `walk`, `cycle`, `bus`.
    pub fn label(self) -> &'static str {
        match self {
            Mode::CarOffpeak => "car-offpeak",
            Mode::CarPeak => "car-peak",
            Mode::Walk => "walk",
            Mode::Cycle => "cycle",
            Mode::Bus => "bus",
        }
    }
    /// Heading for tables: `Car, off peak`.
    pub fn title(self) -> &'static str {
        match self {
            Mode::CarOffpeak => "Car, off peak",
            Mode::CarPeak => "Car, rush hour",
            Mode::Walk => "Walking",
            Mode::Cycle => "Cycling",
            Mode::Bus => "Public transport",
        }
    }
    /// The street network and period, for street modes.
    pub fn street(self) -> Option<(StreetMode, Period)> {
        match self {
            Mode::CarOffpeak => Some((StreetMode::Car, Period::Offpeak)),
            Mode::CarPeak => Some((StreetMode::Car, Period::Peak)),
            Mode::Walk => Some((StreetMode::Walk, Period::Offpeak)),
            Mode::Cycle => Some((StreetMode::Cycle, Period::Offpeak)),
            Mode::Bus => None,
        }
    }
    /// The street mode for a `--mode`/`--period` pair.
    pub fn of_street(mode: StreetMode, period: Period) -> Mode {
        match (mode, period) {
            (StreetMode::Car, Period::Offpeak) => Mode::CarOffpeak,
            (StreetMode::Car, Period::Peak) => Mode::CarPeak,
            (StreetMode::Walk, _) => Mode::Walk,
            (StreetMode::Cycle, _) => Mode::Cycle,
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Mode::ALL
            .into_iter()
            .find(|m| m.label() == s.to_ascii_lowercase().replace('_', "-"))
            .ok_or_else(|| format!("unknown mode '{s}' (expected bus, car-peak, car-offpeak, walk or cycle)"))
    }
}
