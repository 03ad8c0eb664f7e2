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
    /// A request that cannot be answered as asked (bad argument, missing input).
    #[error("{0}")]
    Request(String),
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
