//! Turn restrictions: OSM `type=restriction` relations read for one mode.
//! A relation becomes one or more rules "coming from way F, through node V
//! or along ways W1..Wk, do not (or only) continue onto way T"; relations
//! that do not apply to the mode or cannot be understood are kept with the
//! reason, so each one is either honoured or reported.

use crate::input::osm::{MemberKind, OsmRestriction, tag};
use crate::network::profile::StreetMode;

/// Where a restriction turns: at a node, or along one or more ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A node (OSM id).
    Node(i64),
    /// Ways (OSM ids), in the order driven.
    Ways(Vec<i64>),
}

/// One rule read from a restriction relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnRule {
    /// The relation it comes from.
    pub relation: i64,
    /// `only_*` (every other way out is forbidden) rather than `no_*`.
    pub only: bool,
    /// The way coming in (OSM id).
    pub from: i64,
    /// Where the turn is made.
    pub via: Via,
    /// The way going out (OSM id).
    pub to: i64,
}

/// A relation that gave no rule, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused {
    /// OSM relation id.
    pub relation: i64,
    /// Why it gave no rule.
    pub why: String,
    /// `true` when it is understood but does not bind this mode (e.g.
    /// `except=motorcar`, `restriction:hgv`); `false` when it could not be used.
    pub not_for_mode: bool,
}

/// Rules for one mode from all the restriction relations of an extract.
pub fn rules_for(relations: &[OsmRestriction], mode: StreetMode) -> (Vec<TurnRule>, Vec<Unused>) {
    let mut rules = Vec::new();
    let mut unused = Vec::new();
    for r in relations {
        match rules_of(r, mode) {
            Ok(rs) => rules.extend(rs),
            Err((why, not_for_mode)) => unused.push(Unused { relation: r.id, why, not_for_mode }),
        }
    }
    (rules, unused)
}

/// Keys of `except=` that exempt the mode.
fn exempted(except: &str, mode: StreetMode) -> bool {
    except.split([';', ',']).map(str::trim).any(|v| match mode {
        StreetMode::Car => matches!(v, "motorcar" | "motor_vehicle" | "vehicle"),
        StreetMode::Cycle => matches!(v, "bicycle" | "vehicle"),
        StreetMode::Walk => true,
    })
}

fn rules_of(r: &OsmRestriction, mode: StreetMode) -> Result<Vec<TurnRule>, (String, bool)> {
    let not_for = |why: String| Err((why, true));
    let bad = |why: String| Err((why, false));
    if mode == StreetMode::Walk {
        return not_for("turn restrictions bind vehicles, not walkers".into());
    }
    let own_key = match mode {
        StreetMode::Car => "restriction:motorcar",
        _ => "restriction:bicycle",
    };
    let value = match (tag(&r.tags, own_key), tag(&r.tags, "restriction")) {
        (Some(v), _) | (None, Some(v)) => v,
        (None, None) => {
            let others: Vec<&str> = r.tags.iter().map(|(k, _)| k.as_str()).filter(|k| k.starts_with("restriction")).collect();
            return if others.is_empty() { bad("no restriction tag".into()) } else { not_for(format!("only {} (not for {})", others.join(", "), mode.name())) };
        }
    };
    if let Some(e) = tag(&r.tags, "except")
        && exempted(e, mode)
    {
        return not_for(format!("except={e}"));
    }
    let only = if value.starts_with("only_") {
        true
    } else if value.starts_with("no_") {
        false
    } else {
        return bad(format!("restriction={value} is neither no_* nor only_*"));
    };
    let ways = |role: &str| -> Vec<i64> { r.members.iter().filter(|m| m.role == role && m.kind == MemberKind::Way).map(|m| m.id).collect() };
    let from = ways("from");
    let to = ways("to");
    let via_nodes: Vec<i64> = r.members.iter().filter(|m| m.role == "via" && m.kind == MemberKind::Node).map(|m| m.id).collect();
    let via_ways = ways("via");
    if from.is_empty() || to.is_empty() {
        return bad(format!("needs a 'from' and a 'to' way (has {} and {})", from.len(), to.len()));
    }
    let via = match (via_nodes.as_slice(), via_ways.is_empty()) {
        ([n], true) => Via::Node(*n),
        ([], false) => Via::Ways(via_ways),
        ([], true) => return bad("has no 'via' member".into()),
        _ => return bad("has both via nodes and via ways, or several via nodes".into()),
    };
    if only && (from.len() > 1 || to.len() > 1) {
        return bad(format!("restriction={value} with {} 'from' and {} 'to' ways", from.len(), to.len()));
    }
    if from.len() > 1 && to.len() > 1 {
        return bad("several 'from' and several 'to' ways".into());
    }
    let mut out = Vec::new();
    for &f in &from {
        for &t in &to {
            out.push(TurnRule { relation: r.id, only, from: f, via: via.clone(), to: t });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::osm::OsmMember;

    fn rel(id: i64, tags: &[(&str, &str)], members: &[(MemberKind, i64, &str)]) -> OsmRestriction {
        let mut tags: Vec<(String, String)> = tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        tags.sort();
        OsmRestriction { id, tags, members: members.iter().map(|&(kind, id, role)| OsmMember { kind, id, role: role.into() }).collect() }
    }

    #[test]
    fn reads_no_only_via_way_and_except() {
        use MemberKind::*;
        let rels = vec![
            rel(1, &[("type", "restriction"), ("restriction", "no_right_turn")], &[(Way, 10, "from"), (Node, 5, "via"), (Way, 11, "to")]),
            rel(2, &[("type", "restriction"), ("restriction", "only_straight_on")], &[(Way, 10, "from"), (Way, 12, "via"), (Way, 13, "to")]),
            rel(
                3,
                &[("type", "restriction"), ("restriction", "no_left_turn"), ("except", "bus;bicycle")],
                &[(Way, 1, "from"), (Node, 2, "via"), (Way, 3, "to")],
            ),
            rel(4, &[("type", "restriction"), ("restriction", "no_left_turn"), ("except", "motorcar")], &[(Way, 1, "from"), (Node, 2, "via"), (Way, 3, "to")]),
            rel(5, &[("type", "restriction"), ("restriction:hgv", "no_left_turn")], &[(Way, 1, "from"), (Node, 2, "via"), (Way, 3, "to")]),
            rel(6, &[("type", "restriction"), ("restriction", "no_entry")], &[(Way, 1, "from"), (Way, 4, "from"), (Node, 2, "via"), (Way, 3, "to")]),
            rel(7, &[("type", "restriction"), ("restriction", "no_left_turn")], &[(Way, 1, "from"), (Way, 3, "to")]),
        ];
        let (rules, unused) = rules_for(&rels, StreetMode::Car);
        let ids: Vec<i64> = rules.iter().map(|r| r.relation).collect();
        assert_eq!(ids, vec![1, 2, 3, 6, 6]);
        assert_eq!(rules[1], TurnRule { relation: 2, only: true, from: 10, via: Via::Ways(vec![12]), to: 13 });
        let why: Vec<(i64, bool)> = unused.iter().map(|u| (u.relation, u.not_for_mode)).collect();
        assert_eq!(why, vec![(4, true), (5, true), (7, false)]);
        assert!(unused[2].why.contains("via"), "{}", unused[2].why);
        let (cycle_rules, _) = rules_for(&rels, StreetMode::Cycle);
        assert!(!cycle_rules.iter().any(|r| r.relation == 3), "except=bicycle exempts cycles");
    }
}
