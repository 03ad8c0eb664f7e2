//! Street networks and routing (being written).
