//! Everything loaded for one place (being written).
