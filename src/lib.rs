//! accessplan's engine: plan where community health services are delivered
//! and see what that does to patients' journeys. Everything the desktop app
//! and the `accessplan` command compute is here, with no user interface in
//! it; the app (egui) and the command line live in the binary (`src/app`,
//! `src/cli`) and call these modules, as the tests and benchmarks do.
//!
//! Data flows one way: files are read by [`input`] into a
//! [`region::Region`]; [`travel`] computes its zones x sites travel times
//! once, routing on [`network`] (streets) and [`transit`] (buses); [`plan`]
//! says which site offers which service; [`analysis`] evaluates a plan on the
//! travel times; [`export`] writes what it found.
//!
//! # Module map
//!
//! In the order data flows; each module imports only those above it (and
//! the shared ones after the list), never one below:
//!
//! - [`input`]: one reader per file format (OSM, GeoJSON, CSV, coordinate
//!   systems, zones, sites, localities, patient contacts) and `sniff`, which
//!   tells what a file is and guesses its fields.
//! - [`network`]: street graphs per mode (walking on nodes; car and cycle on
//!   directed streets and turns, with turn restrictions, local access,
//!   barriers and junction delays), snapping around water, railways and
//!   motorways, Dijkstra, the street many-to-many matrix and one-journey search.
//! - [`transit`]: GTFS feeds (several merged into one, or cut to a study
//!   area), the timetable of a service day and the RAPTOR router over a
//!   departure window.
//! - [`region`]: `Region`, everything loaded for one place (street networks,
//!   timetable, zones, localities, sites), cut to the study area on load,
//!   immutable once built.
//! - [`travel`]: `TravelTimes`, the zones x sites matrices per mode with the
//!   request that made them; a new site's columns; isochrones from a point.
//! - [`plan`]: services and tiers, scenario files (with the roles and
//!   localities a planner gives sites), locality pairs and the tier rules.
//! - [`analysis`]: coverage, distances, patient journeys, site loads, the
//!   comparison of two scenarios and location optimisation.
//! - [`study`]: a scenario file opened with its region, travel times and
//!   contacts in one call, and the sites it plans on (the region's, then
//!   candidate sites added); a new study from loose files. A study whose
//!   inputs name no street network opens without travel times and says what
//!   to download.
//! - [`export`]: CSV tables, GeoJSON layers, SVG and PNG maps, the HTML
//!   report, and the one map style and number wording the app uses too.
//!
//! Shared:
//!
//! - [`model`]: the places a region holds: zones, sites with their role,
//!   localities (plain data).
//! - [`error`]: typed errors; every input error names the file, the place in
//!   it and the field.
//! - [`progress`]: the `Progress` handle long work ticks and checks for Cancel.
//! - [`fileio`]: atomic writes that never go over an input file.
//! - [`geom`]: WGS84 points and rings, distances, a local metric projection.
//! - [`settings`]: the user's accessplan folder (settings, autosave, the
//!   unpacked demo).
//! - [`demo`]: the built-in demo region, embedded in the program; the
//!   generator of its files only with the `demo-generator` feature.
//! - `testdata` (only in tests and benchmarks, through the `testdata`
//!   feature): paths into `../shared/data`, temporary files, a copy of the
//!   demo's scenario, a seeded Rng.

#![warn(missing_docs)]

pub mod analysis;
pub mod demo;
pub mod error;
pub mod export;
pub mod fileio;
pub mod geom;
pub mod input;
pub mod model;
pub mod network;
pub mod plan;
pub mod progress;
pub mod region;
pub mod settings;
pub mod study;
#[cfg(any(test, feature = "testdata"))]
pub mod testdata;
pub mod transit;
pub mod travel;

pub use error::{Error, InputError, Location, Result, Warning};
pub use geom::LonLat;
