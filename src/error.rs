//! Typed errors of the engine. Every input error names the file, where in it
//! (line, feature, record or element) and the field that is wrong.

use std::path::{Path, PathBuf};

/// Where in a file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The whole file (it is missing, empty or unreadable).
    File,
    /// A 1-based line of a text file (CSV rows count their header as line 1).
    Line(u64),
    /// A 0-based feature index of a GeoJSON FeatureCollection.
    Feature(usize),
    /// An OSM element (`node 123`, `way 45`) or other named record.
    Record(String),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File => write!(f, "whole file"),
            Location::Line(l) => write!(f, "line {l}"),
            Location::Feature(i) => write!(f, "feature {i}"),
            Location::Record(r) => write!(f, "{r}"),
        }
    }
}

/// A problem with one input file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {location}{}: {message}", file.display(), field.as_ref().map(|f| format!(", field '{f}'")).unwrap_or_default())]
pub struct InputError {
    /// The file that holds the problem.
    pub file: PathBuf,
    /// Where in the file.
    pub location: Location,
    /// The field (column, property or tag) at fault, if one.
    pub field: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl InputError {
    /// A problem with the whole file.
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Self { file: file.to_path_buf(), location: Location::File, field: None, message: message.into() }
    }
    /// A problem at a location, optionally in a named field.
    pub fn at(file: &Path, location: Location, field: Option<&str>, message: impl Into<String>) -> Self {
        Self { file: file.to_path_buf(), location, field: field.map(str::to_string), message: message.into() }
    }
}

/// Any error the engine reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem in an input file.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A command-line value that cannot be used.
    #[error("{flag} {value}: {reason}")]
    BadArgument {
        /// The option, e.g. `--window`.
        flag: &'static str,
        /// The value given.
        value: String,
        /// What is wrong with it, in plain words.
        reason: String,
    },
    /// A command-line option that what was asked for needs is not given.
    #[error("{reason}: give {flag}")]
    MissingArgument {
        /// The option (or options) to give, e.g. `--gtfs`.
        flag: &'static str,
        /// What needs it, in plain words.
        reason: &'static str,
    },
    /// Sites are to be taken from OSM tags, and no OSM file is given.
    #[error("sites from OSM tags need an OSM file (--osm)")]
    SitesFromOsmWithoutOsm,
    /// The sites input holds no site.
    #[error("no sites: the sites input holds none")]
    NoSites,
    /// The street network of a mode was asked for and not built.
    #[error("no {} network was built", mode.name())]
    NoNetwork {
        /// The mode.
        mode: crate::network::StreetMode,
    },
    /// Work that needs travel times was asked of a study whose inputs name
    /// no street network (the study itself opens without one).
    #[error("{}: {what} needs travel times, and there are none: {message}", scenario.display())]
    NoStreetNetwork {
        /// The scenario file.
        scenario: PathBuf,
        /// The work asked for, e.g. `a placement`.
        what: String,
        /// What is missing and where to get it ([`crate::study::NoStreetNetwork`] in words).
        message: String,
    },
    /// A baseline was asked for, and the inputs name no patient contacts to read it from.
    #[error("the baseline is read from the patient contacts, and the inputs name none (inputs.contacts)")]
    BaselineWithoutContacts,
    /// Two scenarios to compare are on different input files.
    #[error("{} and {} use different input files; a comparison needs the same region", baseline.display(), other.display())]
    DifferentInputs {
        /// The scenario compared with.
        baseline: PathBuf,
        /// The scenario on other inputs.
        other: PathBuf,
    },
    /// A new study lacks inputs it needs.
    #[error("a study needs {}", missing.join(", "))]
    StudyIncomplete {
        /// What is missing, in plain words (`population zones`, ...).
        missing: Vec<&'static str>,
    },
    /// A scenario is to be saved in a folder that does not exist.
    #[error("cannot save the scenario in {}: the folder does not exist", dir.display())]
    NoScenarioFolder {
        /// The folder.
        dir: PathBuf,
    },
    /// A scenario cannot be written as TOML.
    #[error("the scenario '{name}' cannot be written as TOML: {source}")]
    ScenarioToml {
        /// The scenario's name.
        name: String,
        /// Why.
        source: toml::ser::Error,
    },
    /// No bus service runs on the date asked for.
    #[error(transparent)]
    NoBusService(#[from] crate::transit::calendar::NoService),
    /// Services run on the date, and none of their trips could be loaded.
    #[error("{}: services run on {} {date} but none of their trips could be loaded (see the feed's problems)", feed.display(), date.weekday_name())]
    NoTripsLoaded {
        /// The feed.
        feed: PathBuf,
        /// The service date.
        date: crate::transit::ServiceDate,
    },
    /// An isochrone could not be drawn on a street network.
    #[error("{} network: {source}", network.name())]
    Isochrone {
        /// The network searched (walking, for the bus).
        network: crate::network::StreetMode,
        /// Why.
        source: crate::travel::isochrone::NoIsochrone,
    },
    /// A placement cannot be suggested as asked.
    #[error(transparent)]
    Placement(#[from] crate::analysis::placement::PlacementError),
    /// A placement problem that cannot be solved as posed.
    #[error(transparent)]
    Optimise(#[from] crate::analysis::optimise::OptimiseError),
    /// The bus was asked for and cannot be computed.
    #[error(transparent)]
    Bus(#[from] crate::travel::BusProblem),
    /// An output was asked to go over one of the inputs (inputs are never written to).
    #[error("refusing to write {}: it is one of the inputs", path.display())]
    WouldOverwriteInput {
        /// The file named as the output.
        path: PathBuf,
    },
    /// Writing an output failed.
    #[error("could not write {}: {source}", path.display())]
    Write {
        /// The file that could not be written.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The user cancelled a long computation.
    #[error("cancelled")]
    Cancelled,
    /// Work on another thread ended without an answer.
    #[error("{work} stopped unexpectedly")]
    WorkerStopped {
        /// What it was doing, e.g. `loading`.
        work: &'static str,
    },
    /// The demo generator's own checks failed (its layout is inconsistent).
    #[cfg(feature = "demo-generator")]
    #[error("demo generator: {0}")]
    DemoGenerator(String),
}

impl From<crate::progress::Cancelled> for Error {
    fn from(_: crate::progress::Cancelled) -> Self {
        Error::Cancelled
    }
}

/// Result with the engine's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A non-fatal note about input that could not be used as given (a row left
/// out, a tag not understood). Loaders collect these instead of dropping
/// things silently.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// The file concerned.
    pub file: PathBuf,
    /// Where in it.
    pub location: Location,
    /// What was done about it, in plain words.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.file.display(), self.location, self.message)
    }
}
