//! Greedy label placement for maps: labels are taken in priority order
//! (a city before a town before a suburb, then stations), each tried at a
//! few positions around its point (on it, above, below, right, left, the
//! four diagonals, then twice as far above and below), and
//! placed at the first whose box stays inside the map and clear of every
//! obstacle (site markers, other labels); a label that fits nowhere is
//! dropped. Boxes are in the map's pixels, text widths estimated from the
//! font size (the maps' sans-serif runs about half an em a character).

/// An axis-aligned box in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelBox {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl LabelBox {
    /// The box of half-width `hw` and half-height `hh` around (`x`, `y`).
    pub fn around(x: f64, y: f64, hw: f64, hh: f64) -> LabelBox {
        LabelBox { x0: x - hw, y0: y - hh, x1: x + hw, y1: y + hh }
    }

    /// Whether two boxes share any area.
    pub fn overlaps(&self, o: &LabelBox) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// Whether `o` lies wholly inside this box.
    pub fn holds(&self, o: &LabelBox) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }
}

/// A label to place.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelRequest {
    /// The text.
    pub text: String,
    /// The point labelled, pixels.
    pub at: (f64, f64),
    /// Font size, pixels.
    pub font_px: f64,
    /// Lower is placed first.
    pub priority: u32,
    /// Whether the label may sit on its point (a place name may; a
    /// station's name goes beside its marker).
    pub on_point: bool,
    /// Set in bold (a locality's name): wider.
    pub bold: bool,
}

/// A placed label: where its text is anchored (middle, baseline) and its box.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLabel {
    /// Index into the requests.
    pub request: usize,
    /// Anchor x (the text's middle), pixels.
    pub x: f64,
    /// Baseline y, pixels.
    pub y: f64,
    /// The box the text covers (with a small halo).
    pub bbox: LabelBox,
}

/// Estimated width of `text` at `font_px`, pixels.
pub fn text_width_px(text: &str, font_px: f64) -> f64 {
    0.56 * font_px * text.chars().count() as f64
}

/// Places `requests` greedily inside `bounds`, clear of `obstacles` and of
/// each other; returns those placed, in placing order.
pub fn place_labels(requests: &[LabelRequest], obstacles: &[LabelBox], bounds: LabelBox) -> Vec<PlacedLabel> {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by_key(|&i| requests[i].priority);
    let mut taken: Vec<LabelBox> = Vec::new();
    let mut out = Vec::new();
    for i in order {
        let r = &requests[i];
        let wide = if r.bold { 1.2 } else { 1.0 };
        let (hw, hh) = (wide * text_width_px(&r.text, r.font_px) / 2.0 + 0.15 * r.font_px, 0.62 * r.font_px);
        let gap = hh + 0.7 * r.font_px;
        let mut spots = Vec::with_capacity(5);
        if r.on_point {
            spots.push((0.0, 0.0));
        }
        let side = hw + 0.6 * r.font_px;
        spots.extend([
            (0.0, -gap),
            (0.0, gap),
            (side, 0.0),
            (-side, 0.0),
            (side, -gap),
            (-side, -gap),
            (side, gap),
            (-side, gap),
            (0.0, -2.0 * gap),
            (0.0, 2.0 * gap),
        ]);
        for (dx, dy) in spots {
            let (cx, cy) = (r.at.0 + dx, r.at.1 + dy);
            let b = LabelBox::around(cx, cy, hw, hh);
            if bounds.holds(&b) && !obstacles.iter().chain(&taken).any(|o| o.overlaps(&b)) {
                taken.push(b);
                // The baseline sits about a third of the font below the middle.
                out.push(PlacedLabel { request: i, x: cx, y: cy + 0.35 * r.font_px, bbox: b });
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_go_by_priority_and_never_overlap() {
        let req = |t: &str, x: f64, p: u32| LabelRequest { text: t.into(), at: (x, 50.0), font_px: 10.0, priority: p, on_point: true, bold: false };
        // Two labels on the same spot: the first by priority takes it, the other moves above.
        let placed = place_labels(&[req("Caerleon", 100.0, 2), req("Newport", 100.0, 0)], &[], LabelBox { x0: 0.0, y0: 0.0, x1: 200.0, y1: 100.0 });
        assert_eq!(placed.len(), 2);
        assert_eq!(placed[0].request, 1);
        assert_eq!((placed[0].x, placed[0].y), (100.0, 53.5));
        assert_eq!(placed[1].x, 100.0);
        assert!(placed[1].y < 50.0, "moved above: {}", placed[1].y);
        assert!(!placed[0].bbox.overlaps(&placed[1].bbox));
        // An obstacle everywhere around the point: the label is dropped.
        let wall = LabelBox { x0: 0.0, y0: 0.0, x1: 200.0, y1: 100.0 };
        assert!(place_labels(&[req("Newport", 100.0, 0)], &[wall], wall).is_empty());
    }
}
