//! `equity.csv`: one row per grouping, group and mode, with each group's
//! access to the services before (and after, in a comparison). Residents
//! are estimates (shares of zone populations) and are written to the
//! nearest whole resident; counts of people whose journey changes are
//! suppressed ("<5" for 1 to 4) where `suppress` is set.

use crate::analysis::equity::{EquityRow, Groupings};
use crate::export::tables::count_text;

/// The columns of `equity.csv`, in order.
pub const EQUITY_COLUMNS: &[&str] = &[
    "grouping",
    "group",
    "label",
    "residents",
    "mode",
    "threshold_min",
    "share_within_before",
    "share_within_after",
    "change_points",
    "mean_min_before",
    "mean_min_after",
    "p90_min_before",
    "p90_min_after",
    "share_no_journey_before",
    "share_no_journey_after",
    "hlc_share_within_before",
    "hlc_share_within_after",
    "residents_longer",
    "residents_shorter",
];

fn num(x: Option<f64>, decimals: usize) -> String {
    x.filter(|v| v.is_finite()).map(|v| format!("{v:.decimals$}")).unwrap_or_default()
}

/// The table as CSV bytes. Shares are fractions to 4 decimals (enough to
/// tell any two groups of 10,000 residents apart), minutes to 0.01.
pub fn equity_csv(groupings: &Groupings, rows: &[EquityRow], suppress: bool) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(EQUITY_COLUMNS);
    for r in rows {
        let g = &groupings.list[r.grouping];
        let grp = &g.groups[r.group];
        let (b, a) = (r.before, r.after);
        let rec = [
            g.name.clone(),
            grp.key.clone(),
            grp.label.clone(),
            format!("{:.0}", r.residents),
            r.mode.label().to_string(),
            format!("{}", r.threshold_min),
            num(b.map(|x| x.share_within), 4),
            num(a.map(|x| x.share_within), 4),
            num(r.change_points(), 2),
            num(b.and_then(|x| x.mean_min), 2),
            num(a.and_then(|x| x.mean_min), 2),
            num(b.and_then(|x| x.p90_min), 2),
            num(a.and_then(|x| x.p90_min), 2),
            num(b.map(|x| x.share_no_journey), 4),
            num(a.map(|x| x.share_no_journey), 4),
            num(b.map(|x| x.hlc_share_within), 4),
            num(a.map(|x| x.hlc_share_within), 4),
            r.residents_longer.map(|n| count_text(n, suppress)).unwrap_or_default(),
            r.residents_shorter.map(|n| count_text(n, suppress)).unwrap_or_default(),
        ];
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}
