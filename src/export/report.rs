//! The self-contained HTML report and the GeoJSON layers of an evaluation or
//! a comparison (being written).

use crate::analysis::Evaluation;
use crate::analysis::compare::Comparison;
use crate::plan::Scenario;
use crate::study::Study;

/// Output files (name, bytes) of one evaluated scenario: GeoJSON layers and `report.html`.
pub fn evaluation_outputs(_study: &Study, _e: &Evaluation, _suppress: bool) -> Vec<(&'static str, Vec<u8>)> {
    Vec::new()
}

/// Output files (name, bytes) of a comparison: GeoJSON layers and `report.html`.
pub fn comparison_outputs(_study: &Study, _proposed: &Scenario, _c: &Comparison, _suppress: bool) -> Vec<(&'static str, Vec<u8>)> {
    Vec::new()
}
