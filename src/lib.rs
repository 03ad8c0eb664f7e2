//! accessplan: plan where community health services are delivered and see
//! what that does to patients' journeys.
//!
//! Data flows one way: `input` reads files into a [`region::Region`];
//! `network` routes on its street graphs; `travel` computes the
//! zones x sites travel-time matrices; `cli` (and later the app) show them.

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
