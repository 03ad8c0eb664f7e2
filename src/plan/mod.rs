//! Planning: services and tiers, scenario files, locality pairs, the tier
//! rules, generators for the usual configurations, and new studies put
//! together from loose input files.

pub mod assemble;
pub mod generate;
pub mod pairs;
pub mod rules;
pub mod scenario;
pub mod services;

pub use scenario::{PlannedService, Scenario, ScenarioFile, Thresholds};
pub use services::{Catalogue, Service, Tier};
