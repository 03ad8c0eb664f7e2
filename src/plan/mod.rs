//! Planning: services and tiers, scenario files, locality pairs, the tier
//! rules and generators for the usual configurations. Nothing here opens a
//! study or evaluates one: making a study from loose files is
//! `study::create`.

pub mod equity;
pub mod generate;
pub mod growth;
pub mod pairs;
pub mod rules;
pub mod scenario;
pub mod services;

pub use scenario::{PlannedService, Scenario, ScenarioFile, Thresholds};
pub use services::{Catalogue, Service, Tier};
