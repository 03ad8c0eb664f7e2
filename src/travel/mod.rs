//! Zones x sites travel-time matrices and isochrones (being written).
