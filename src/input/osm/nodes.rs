//! Node coordinates of an OSM extract in compact form: the ids sorted in one
//! array and the positions beside them in another (24 bytes a node, against
//! about twice that in a hash map), looked up by binary search or, once
//! resolved, by index.

use crate::geom::LonLat;

/// Node positions by OSM id, sorted by id.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct NodeCoords {
    ids: Vec<i64>,
    points: Vec<LonLat>,
}

impl NodeCoords {
    /// From (id, position) pairs in any order; where an id comes twice, the
    /// later pair wins (as a map's insert would).
    pub fn from_pairs(mut pairs: Vec<(i64, LonLat)>) -> Self {
        if !pairs.is_sorted_by_key(|p| p.0) {
            pairs.sort_by_key(|p| p.0); // stable: equal ids keep file order
        }
        let mut ids = Vec::with_capacity(pairs.len());
        let mut points: Vec<LonLat> = Vec::with_capacity(pairs.len());
        for (id, p) in pairs {
            if ids.last() == Some(&id) {
                if let Some(last) = points.last_mut() {
                    *last = p;
                }
                continue;
            }
            ids.push(id);
            points.push(p);
        }
        NodeCoords { ids, points }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The index of node `id`, if held.
    pub fn index_of(&self, id: i64) -> Option<u32> {
        self.ids.binary_search(&id).ok().map(|i| i as u32)
    }

    /// The position of node `id`, if held.
    pub fn get(&self, id: &i64) -> Option<&LonLat> {
        self.index_of(*id).map(|i| &self.points[i as usize])
    }

    /// Whether node `id` is held.
    pub fn contains_key(&self, id: &i64) -> bool {
        self.ids.binary_search(id).is_ok()
    }

    /// The position of the node at `index` (from [`NodeCoords::index_of`]).
    pub fn point(&self, index: u32) -> LonLat {
        self.points[index as usize]
    }

    /// The OSM id of the node at `index`.
    pub fn id(&self, index: u32) -> i64 {
        self.ids[index as usize]
    }

    /// Every position, in id order.
    pub fn values(&self) -> std::slice::Iter<'_, LonLat> {
        self.points.iter()
    }

    /// Every (id, position), in id order.
    pub fn iter(&self) -> impl Iterator<Item = (i64, LonLat)> + '_ {
        self.ids.iter().copied().zip(self.points.iter().copied())
    }

    /// Adds or moves node `id` (tests and small fixtures; a bulk load goes
    /// through [`NodeCoords::from_pairs`]).
    pub fn insert(&mut self, id: i64, p: LonLat) {
        match self.ids.binary_search(&id) {
            Ok(i) => self.points[i] = p,
            Err(i) => {
                self.ids.insert(i, id);
                self.points.insert(i, p);
            }
        }
    }

    /// Keeps the nodes whose id `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(i64) -> bool) {
        let mut w = 0;
        for r in 0..self.ids.len() {
            if keep(self.ids[r]) {
                self.ids[w] = self.ids[r];
                self.points[w] = self.points[r];
                w += 1;
            }
        }
        self.ids.truncate(w);
        self.points.truncate(w);
        self.ids.shrink_to_fit();
        self.points.shrink_to_fit();
    }

    /// Keeps only the nodes in `wanted` (sorted, without repeats).
    pub fn keep_only(&mut self, wanted: &[i64]) {
        let mut k = 0;
        self.retain(|id| {
            while k < wanted.len() && wanted[k] < id {
                k += 1;
            }
            k < wanted.len() && wanted[k] == id
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pairs_win_and_lookups_find_every_node() {
        let p = |x: f64| LonLat::new(x, 50.0);
        let mut n = NodeCoords::from_pairs(vec![(30, p(3.0)), (10, p(1.0)), (20, p(2.0)), (10, p(1.5))]);
        assert_eq!(n.len(), 3);
        assert_eq!(n.get(&10), Some(&p(1.5)));
        assert_eq!(n.get(&20), Some(&p(2.0)));
        assert_eq!(n.get(&25), None);
        assert_eq!(n.index_of(30), Some(2));
        n.keep_only(&[5, 20, 30, 40]);
        assert_eq!(n.iter().collect::<Vec<_>>(), vec![(20, p(2.0)), (30, p(3.0))]);
        n.insert(25, p(2.5));
        assert_eq!(n.iter().map(|(id, _)| id).collect::<Vec<_>>(), vec![20, 25, 30]);
    }
}
