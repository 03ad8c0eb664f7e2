//! The built-in demo region: a deterministic generator of a fictional region (being written).
