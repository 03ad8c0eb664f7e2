//! What loading a GTFS feed kept, left out and why: counts of what was
//! loaded, the number of problems of each kind and the first few problems in
//! full (file, line, field, what is wrong and what was done about it).

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::error::{InputError, Warning};
use crate::transit::clip::FeedClip;
use crate::transit::date::ServiceDate;

/// How many problems a report lists in full; the rest are only counted.
pub const MAX_LISTED: usize = 20;

/// The kinds of problem a feed can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemKind {
    /// A value that cannot be read (a malformed time, number or date).
    MalformedValue,
    /// A reference to an id that no record defines (a stop, trip, route or service).
    UnknownReference,
    /// An id defined more than once.
    DuplicateId,
    /// A `route_type` that GTFS does not define.
    UnknownRouteType,
    /// Stop times that go backwards along a trip, or a stop that is left
    /// before it is reached.
    DecreasingTimes,
    /// A trip with fewer than two usable stop times, or no times at its ends.
    IncompleteTrip,
    /// A stop without usable coordinates.
    MissingCoordinates,
    /// A `frequencies.txt` row that cannot be expanded.
    BadFrequency,
}

impl ProblemKind {
    /// A short plural description, e.g. `unknown references`.
    pub fn describe(self) -> &'static str {
        match self {
            ProblemKind::MalformedValue => "malformed values",
            ProblemKind::UnknownReference => "unknown references",
            ProblemKind::DuplicateId => "duplicate ids",
            ProblemKind::UnknownRouteType => "unknown route types",
            ProblemKind::DecreasingTimes => "decreasing or negative times",
            ProblemKind::IncompleteTrip => "incomplete trips",
            ProblemKind::MissingCoordinates => "stops without coordinates",
            ProblemKind::BadFrequency => "unusable frequencies",
        }
    }
}

/// How much of each kind of record was loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedCounts {
    /// Agencies.
    pub agencies: usize,
    /// Stops with coordinates.
    pub stops: usize,
    /// Routes kept.
    pub routes: usize,
    /// Trips kept, counting each frequency-based departure as one trip.
    pub trips: usize,
    /// Stop times of the kept trips.
    pub stop_times: usize,
    /// Services (calendar entries or calendar_dates-only services).
    pub services: usize,
    /// Trips made by expanding `frequencies.txt`.
    pub frequency_trips: usize,
    /// Rules read from `transfers.txt`.
    pub transfer_rules: usize,
}

/// How the note on a feed cut to an area while reading begins.
pub const AREA_NOTE: &str = "cut to the study area while reading";

/// What a read keeping only some service dates or an area
/// ([`crate::transit::load_gtfs_filtered`]) left out, counted so that a
/// caller can say what the file holds and what was cut without reading it
/// again.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilteredRead {
    /// The service dates read (with the trips of the day before running
    /// past midnight into them); empty for every date.
    pub dates: Vec<ServiceDate>,
    /// The file as a read of every date and place would load it: the
    /// trips left out for their place are checked and counted as a whole
    /// load counts them; those left out for their dates are counted as
    /// listed, with their stop times, unchecked.
    pub in_file: FeedCounts,
    /// The counts in the file (as `in_file`) and those kept: with an area
    /// only, what [`crate::transit::Feed::clip`] of the whole feed reports.
    pub kept: FeedClip,
    /// Trips not loaded because they run on other dates only.
    pub other_days: usize,
    /// Of those, how many call at a stop inside the area (all of them
    /// without an area).
    pub other_days_in_area: usize,
    /// Trips running on the dates read that call only outside the area, not loaded.
    pub outside: usize,
}

/// The outcome of loading a feed: counts, problems and notes.
#[derive(Debug, Clone, Default)]
pub struct GtfsReport {
    /// The feed (zip file or folder).
    pub feed: PathBuf,
    /// What was loaded.
    pub counts: FeedCounts,
    /// Distinct trips left out because of problems.
    pub trips_left_out: usize,
    /// Number of problems of each kind.
    pub problem_counts: BTreeMap<ProblemKind, usize>,
    /// The first [`MAX_LISTED`] problems in full.
    pub problems: Vec<InputError>,
    /// Plain notes (missing optional files, rules not used).
    pub notes: Vec<String>,
    /// What a read for some dates or an area left out; `None` when every
    /// record was read.
    pub filtered: Option<FilteredRead>,
}

impl GtfsReport {
    /// Records a problem: counts it and lists it if fewer than [`MAX_LISTED`] are listed.
    pub fn add(&mut self, kind: ProblemKind, problem: InputError) {
        *self.problem_counts.entry(kind).or_insert(0) += 1;
        if self.problems.len() < MAX_LISTED {
            self.problems.push(problem);
        }
    }

    /// Total number of problems.
    pub fn problem_count(&self) -> usize {
        self.problem_counts.values().sum()
    }

    /// Number of problems of one kind.
    pub fn count(&self, kind: ProblemKind) -> usize {
        self.problem_counts.get(&kind).copied().unwrap_or(0)
    }

    /// The report in the whole file's terms, as a study's notes give it
    /// beside their own line on what the cut to the study area kept: the
    /// counts of the file ([`FilteredRead::in_file`]) and no note on the
    /// area. Unchanged when every record was read.
    pub fn in_file_terms(mut self) -> GtfsReport {
        if let Some(f) = &self.filtered {
            self.counts = f.in_file.clone();
            self.notes.retain(|n| !n.starts_with(AREA_NOTE));
        }
        self
    }

    /// The listed problems as the engine's warnings.
    pub fn warnings(&self) -> Vec<Warning> {
        self.problems
            .iter()
            .map(|p| Warning {
                file: p.file.clone(),
                location: p.location.clone(),
                message: match &p.field {
                    Some(f) => format!("field '{f}': {}", p.message),
                    None => p.message.clone(),
                },
            })
            .collect()
    }
}

impl fmt::Display for GtfsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.counts;
        write!(
            f,
            "GTFS {}: {} agencies, {} stops, {} routes, {} trips ({} stop times), {} services",
            self.feed.display(),
            c.agencies,
            c.stops,
            c.routes,
            c.trips,
            c.stop_times,
            c.services
        )?;
        if c.frequency_trips > 0 {
            write!(f, "; {} trips from frequencies", c.frequency_trips)?;
        }
        if c.transfer_rules > 0 {
            write!(f, "; {} transfer rules", c.transfer_rules)?;
        }
        let n = self.problem_count();
        if n == 0 {
            write!(f, "; no problems")?;
        } else {
            let kinds: Vec<String> = self.problem_counts.iter().map(|(k, c)| format!("{c} {}", k.describe())).collect();
            write!(f, "\n{n} problems ({}); {} trips left out", kinds.join(", "), self.trips_left_out)?;
            let shown = if n > self.problems.len() { format!("first {}", self.problems.len()) } else { "all".into() };
            write!(f, "; {shown}:")?;
            for p in &self.problems {
                write!(f, "\n  - {p}")?;
            }
        }
        for note in &self.notes {
            write!(f, "\nnote: {note}")?;
        }
        Ok(())
    }
}
