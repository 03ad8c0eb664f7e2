//! Writing results: CSV tables, GeoJSON layers, SVG and PNG maps, the HTML
//! report, and the one `style` (classes, palettes, wording, number formats)
//! that the app uses too. Every file is written through
//! [`crate::fileio::write_atomic`] (atomic, and never over an input file).

pub mod equity_csv;
pub mod geojson_out;
pub mod labels;
pub mod layers;
pub mod map_png;
pub mod map_svg;
pub mod map_view;
pub mod matrix_csv;
pub mod report;
pub mod style;
pub mod tables;
