//! Isochrones (being written).
