//! What a bus query asks: the departure window and the limits on walking,
//! transfers and journey time (R5 keeps the request apart from the street
//! and transit layers in the same way).

use std::fmt;
use std::str::FromStr;

use crate::network::snap::DEFAULT_MAX_SNAP_M;
use crate::transit::date::{fmt_hm, parse_clock};
use crate::transit::raptor::RaptorOptions;

/// Departure times from `from_s` (included) to `to_s` (excluded) every `step_s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepartureWindow {
    /// First departure, seconds since midnight.
    pub from_s: u32,
    /// End of the window (excluded), seconds since midnight.
    pub to_s: u32,
    /// Step between departures, seconds.
    pub step_s: u32,
}

impl DepartureWindow {
    /// The morning peak, 07:00-09:00 every minute.
    pub const MORNING_PEAK: DepartureWindow = DepartureWindow { from_s: 7 * 3600, to_s: 9 * 3600, step_s: 60 };
    /// Off-peak clinic hours, 10:00-12:00 every minute.
    pub const OFF_PEAK: DepartureWindow = DepartureWindow { from_s: 10 * 3600, to_s: 12 * 3600, step_s: 60 };

    /// A window, checked: it must hold at least one departure.
    pub fn new(from_s: u32, to_s: u32, step_s: u32) -> Result<Self, String> {
        if step_s == 0 {
            return Err("the step between departures must be at least 1 s".into());
        }
        if to_s <= from_s {
            return Err(format!("the window {}-{} is empty: its end must be after its start", fmt_hm(from_s), fmt_hm(to_s)));
        }
        Ok(DepartureWindow { from_s, to_s, step_s })
    }

    /// The departure times, earliest first.
    pub fn departures(&self) -> Vec<u32> {
        (self.from_s..self.to_s).step_by(self.step_s as usize).collect()
    }

    /// The departure in the middle of the window (for a single journey or isochrone).
    pub fn middle_s(&self) -> u32 {
        self.from_s + self.to_s.saturating_sub(self.from_s) / 2
    }

    /// Number of departure times.
    pub fn len(&self) -> usize {
        (self.to_s - self.from_s).div_ceil(self.step_s) as usize
    }

    /// Whether it holds no departure (never, for a checked window).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl FromStr for DepartureWindow {
    type Err = String;
    /// Parses `HH:MM-HH:MM` (every minute).
    fn from_str(s: &str) -> Result<Self, String> {
        let (a, b) = s.split_once('-').ok_or_else(|| format!("'{s}' is not a window; use HH:MM-HH:MM, e.g. 07:00-09:00"))?;
        DepartureWindow::new(parse_clock(a)?, parse_clock(b)?, 60)
    }
}

impl fmt::Display for DepartureWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", fmt_hm(self.from_s), fmt_hm(self.to_s))?;
        if self.step_s != 60 {
            write!(f, " every {} s", self.step_s)?;
        }
        Ok(())
    }
}

/// Limits of a bus journey.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BusOptions {
    /// Longest walk from the door to the first stop, metres.
    pub max_access_m: f64,
    /// Longest walk from the last stop to the destination, metres.
    pub max_egress_m: f64,
    /// Most transfers (a journey rides at most this + 1 vehicles).
    pub max_transfers: u32,
    /// Least time between reaching a stop and the departure boarded there, seconds.
    pub board_slack_s: u32,
    /// Journeys longer than this (door to door, waiting included) count as none, seconds.
    pub max_travel_s: u32,
    /// Farthest a door may lie from the walk network, metres.
    pub max_snap_m: f64,
}

impl Default for BusOptions {
    fn default() -> Self {
        BusOptions { max_access_m: 800.0, max_egress_m: 800.0, max_transfers: 3, board_slack_s: 60, max_travel_s: 2 * 3600, max_snap_m: DEFAULT_MAX_SNAP_M }
    }
}

impl BusOptions {
    /// The router's part of the options.
    pub fn raptor(&self) -> RaptorOptions {
        RaptorOptions { max_transfers: self.max_transfers, board_slack_s: self.board_slack_s }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_parse_and_count_their_minutes() {
        let w: DepartureWindow = "07:00-09:00".parse().unwrap();
        assert_eq!(w, DepartureWindow::MORNING_PEAK);
        assert_eq!(w.len(), 120);
        assert_eq!(w.departures().len(), 120);
        assert_eq!(w.departures()[119], 8 * 3600 + 59 * 60);
        assert_eq!(w.to_string(), "07:00-09:00");
        assert!("09:00-07:00".parse::<DepartureWindow>().is_err());
        assert!("0700-0900".parse::<DepartureWindow>().is_err());
    }
}
