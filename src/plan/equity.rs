//! The `[equity]` table of a scenario file: which groups of residents the
//! equality figures are broken down by, as written.
//!
//! ```toml
//! [equity]
//! longer_by_min = 5          # a journey "gets longer" past this change
//!
//! [[equity.group]]
//! name = "deprivation_decile"
//! kind = "decile"            # decile, quintile, core20, share, bands, category
//! column = "imd_decile"      # a zone attribute (1 = most deprived tenth)
//!
//! [[equity.group]]
//! name = "no_car"
//! kind = "share"
//! column = "pct_households_no_car_or_van_2011"
//! labels = ["households without a car", "households with a car"]
//! ```
//!
//! With no `[[equity.group]]`, groupings are proposed from the attributes
//! the zones carry (see `analysis::equity::default_specs`).

/// How a grouping splits each zone's residents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    /// A decile column (1..=10, 1 the most deprived): ten groups.
    Decile,
    /// Quintiles (1..=5) from a decile column: deciles 1-2 are quintile 1.
    Quintile,
    /// The most deprived fifth nationally (deciles 1 and 2) against the rest.
    Core20,
    /// A share of each zone (a percentage or a fraction, or `column` over
    /// `of`) in the group, the rest outside it: two groups.
    Share,
    /// Count columns (e.g. age bands) sharing out each zone's residents.
    Bands,
    /// Each distinct value of a column (a numeric attribute, a text property of the zones, or `locality`).
    Category,
}

impl GroupKind {
    /// The word as written in the file.
    pub fn word(self) -> &'static str {
        match self {
            GroupKind::Decile => "decile",
            GroupKind::Quintile => "quintile",
            GroupKind::Core20 => "core20",
            GroupKind::Share => "share",
            GroupKind::Bands => "bands",
            GroupKind::Category => "category",
        }
    }
}

/// One `[[equity.group]]` table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// The grouping's name in `equity.csv` (e.g. `deprivation_decile`).
    pub name: String,
    /// How residents are split.
    pub kind: GroupKind,
    /// A title for people (default: made from the name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The zone attribute read (every kind but `bands`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The count columns of `bands`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// For `share`: the column `column` is a part of (share = column / of).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
    /// Group names for people, in group order (`share`: in the group, then the rest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
}

/// The `[equity]` table.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EquityFile {
    /// A journey counts as longer (or shorter) when its time changes by
    /// more than this many minutes (default [`DEFAULT_LONGER_BY_MIN`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longer_by_min: Option<f64>,
    /// The groupings; proposed from the zones' attributes when empty.
    #[serde(default, rename = "group", skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupSpec>,
}

/// Minutes a journey must change by to count as longer or shorter, by default.
pub const DEFAULT_LONGER_BY_MIN: f64 = 5.0;

impl EquityFile {
    /// Whether the table says nothing (it is then not written).
    pub fn is_empty(&self) -> bool {
        self.longer_by_min.is_none() && self.groups.is_empty()
    }

    /// Minutes a journey must change by to count.
    pub fn longer_by_min(&self) -> f64 {
        self.longer_by_min.unwrap_or(DEFAULT_LONGER_BY_MIN)
    }

    /// What is wrong with the table, as the key and the reason (names and
    /// columns are checked against the zones later, where they are known).
    pub fn check(&self) -> Result<(), (String, String)> {
        if let Some(m) = self.longer_by_min
            && !(m.is_finite() && (0.0..=24.0 * 60.0).contains(&m))
        {
            return Err(("equity.longer_by_min".into(), format!("{m} is not a number of minutes from 0 to a day")));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, g) in self.groups.iter().enumerate() {
            let key = |k: &str| format!("equity.group[{}].{k}", i + 1);
            if g.name.trim().is_empty() {
                return Err((key("name"), "a grouping needs a name".into()));
            }
            if !seen.insert(g.name.as_str()) {
                return Err((key("name"), format!("'{}' names two groupings", g.name)));
            }
            match g.kind {
                GroupKind::Bands => {
                    if g.columns.len() < 2 {
                        return Err((key("columns"), format!("grouping '{}' of kind bands needs two or more count columns", g.name)));
                    }
                }
                _ => {
                    if g.column.is_none() {
                        return Err((key("column"), format!("grouping '{}' of kind {} needs the zone attribute it reads", g.name, g.kind.word())));
                    }
                }
            }
            if g.of.is_some() && g.kind != GroupKind::Share {
                return Err((key("of"), format!("'of' is for groupings of kind share, not {}", g.kind.word())));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_and_is_checked() {
        let f: EquityFile = toml::from_str(
            "longer_by_min = 10\n[[group]]\nname = \"dep\"\nkind = \"decile\"\ncolumn = \"imd_decile\"\n[[group]]\nname = \"age\"\nkind = \"bands\"\ncolumns = [\"age_0_64\", \"age_65_plus\"]\n",
        )
        .unwrap();
        assert_eq!(f.longer_by_min(), 10.0);
        assert_eq!(f.groups[1].kind, GroupKind::Bands);
        assert!(f.check().is_ok());
        let mut bad = f.clone();
        bad.groups[1].columns.truncate(1);
        assert_eq!(bad.check().unwrap_err().0, "equity.group[2].columns");
        let mut bad = f.clone();
        bad.groups[0].column = None;
        assert_eq!(bad.check().unwrap_err().0, "equity.group[1].column");
        let mut bad = f.clone();
        bad.groups[1].name = "dep".into();
        assert!(bad.check().unwrap_err().1.contains("names two groupings"));
        let mut bad = f;
        bad.longer_by_min = Some(f64::NAN);
        assert_eq!(bad.check().unwrap_err().0, "equity.longer_by_min");
        assert!(toml::from_str::<EquityFile>("[[group]]\nname = \"x\"\nkind = \"tertile\"\ncolumn = \"c\"\n").is_err());
    }
}
