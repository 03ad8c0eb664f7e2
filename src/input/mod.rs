//! Readers for the files planners have: one module per format. Parsing and
//! validation only; every error names the file, the record and the field.

pub mod contacts;
pub mod crs;
pub mod features;
pub mod inspect;
pub mod localities;
pub mod osm;
pub mod sites;
pub mod zones;
