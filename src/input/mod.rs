//! Readers for the files planners have: one module per format, plus
//! [`sniff`], which tells what a file is and guesses its fields for every
//! caller. Parsing and validation only; every error names the file, the
//! record and the field.

pub mod contacts;
pub mod crs;
pub mod features;
pub mod inspect;
pub mod localities;
pub mod osm;
pub mod sites;
pub mod sniff;
pub mod zones;
