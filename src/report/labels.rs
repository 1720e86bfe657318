//! Where a chart's point labels go: beside their points, clear of the other labels,
//! of the data (points and error bars) and of the plot's edges where there is room.
//! Neighbouring variants of a sweep otherwise print their labels over each other and
//! over the points they are compared with.

/// A rectangle in pixels: left, top, right, bottom (right and bottom exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect(pub i32, pub i32, pub i32, pub i32);

impl Rect {
    /// A square of half-side `r` around `(x, y)`: a point's marker.
    pub fn around((x, y): (i32, i32), r: i32) -> Self {
        Rect(x - r, y - r, x + r + 1, y + r + 1)
    }

    /// The rectangle spanned by two corners in any order, at least one pixel each way
    /// (an error bar is a line).
    pub fn spanning((x0, y0): (i32, i32), (x1, y1): (i32, i32)) -> Self {
        Rect(x0.min(x1), y0.min(y1), x0.max(x1) + 1, y0.max(y1) + 1)
    }

    fn overlap(self, o: Rect) -> i64 {
        let w = (self.2.min(o.2) - self.0.max(o.0)).max(0) as i64;
        let h = (self.3.min(o.3) - self.1.max(o.1)).max(0) as i64;
        w * h
    }

    fn area(self) -> i64 {
        (self.2 - self.0).max(0) as i64 * (self.3 - self.1).max(0) as i64
    }
}

/// A label to place: its point in pixels and its text's size.
#[derive(Debug, Clone, Copy)]
pub struct Label {
    pub anchor: (i32, i32),
    pub size: (i32, i32),
}

/// Gap between a label and its point.
const GAP: i32 = 10;

/// Overlapping another label or leaving the plot weighs this much more than covering data.
const CLASH: i64 = 10;

/// Each label's offset from its point (to its text's top-left corner). Labels are placed
/// from the top of the plot down; each takes, of the positions around its point (above
/// right first, as before, then below right, right, above left, below left, left), the
/// one that covers the least of the data, of the labels placed before it and of what
/// lies outside `plot`. Ties keep the earlier position, so an uncrowded chart looks as
/// it always did.
pub fn place(labels: &[Label], data: &[Rect], plot: Rect) -> Vec<(i32, i32)> {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by_key(|&i| (labels[i].anchor.1, labels[i].anchor.0));
    let mut placed: Vec<Rect> = Vec::new();
    let mut offsets = vec![(0, 0); labels.len()];
    for i in order {
        let Label {
            anchor: (x, y),
            size: (w, h),
        } = labels[i];
        let candidates = [
            (GAP, -2 * GAP - 2),
            (GAP, GAP - 4),
            (GAP + 2, -h / 2),
            (-GAP - w, -2 * GAP - 2),
            (-GAP - w, GAP - 4),
            (-GAP - 2 - w, -h / 2),
        ];
        let cost = |&(dx, dy): &(i32, i32)| {
            let r = Rect(x + dx, y + dy, x + dx + w, y + dy + h);
            let covered: i64 = data.iter().map(|&d| r.overlap(d)).sum();
            let clashes: i64 = placed.iter().map(|&p| r.overlap(p)).sum();
            covered + CLASH * (clashes + r.area() - r.overlap(plot))
        };
        let best = candidates
            .iter()
            .min_by_key(|c| cost(c))
            .copied()
            .unwrap_or(candidates[0]);
        placed.push(Rect(x + best.0, y + best.1, x + best.0 + w, y + best.1 + h));
        offsets[i] = best;
    }
    offsets
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLOT: Rect = Rect(0, 0, 1200, 600);

    fn label(x: i32, y: i32) -> Label {
        Label {
            anchor: (x, y),
            size: (300, 15),
        }
    }

    fn rect_of(l: Label, (dx, dy): (i32, i32)) -> Rect {
        let (x, y) = l.anchor;
        Rect(x + dx, y + dy, x + dx + l.size.0, y + dy + l.size.1)
    }

    /// Issue 11 review: on the shipped sweep's frontier the labels of v08 and v04 (two
    /// Pareto points 20 px apart) crossed each other's point and another variant's
    /// error bar. Each label now clears the other labels and the data where it can.
    #[test]
    fn labels_of_neighbouring_points_covered_each_other_and_the_bars() {
        let labels = [label(500, 520), label(500, 500)];
        // The other variant's error bar runs right above the upper point's label place.
        let data = [
            Rect::around((500, 520), 8),
            Rect::around((500, 500), 8),
            Rect::spanning((450, 484), (1000, 484)),
        ];
        let offsets = place(&labels, &data, PLOT);
        let (a, b) = (
            rect_of(labels[0], offsets[0]),
            rect_of(labels[1], offsets[1]),
        );
        assert_eq!(a.overlap(b), 0, "labels overlap: {a:?} {b:?}");
        for r in [a, b] {
            assert_eq!(data.iter().map(|&d| r.overlap(d)).sum::<i64>(), 0, "{r:?}");
            assert_eq!(r.overlap(PLOT), r.area(), "inside the plot: {r:?}");
        }
    }

    /// An uncrowded label keeps the place labels always had: above and to the right.
    #[test]
    fn a_label_with_room_stays_above_right() {
        let l = label(100, 300);
        assert_eq!(
            place(&[l], &[Rect::around((100, 300), 8)], PLOT),
            [(GAP, -22)]
        );
    }

    /// A point near the right edge labels to its left rather than run off the plot.
    #[test]
    fn a_label_at_the_right_edge_goes_left() {
        let l = label(1100, 300);
        let (dx, _) = place(&[l], &[], PLOT)[0];
        assert!(dx < 0, "{dx}");
    }
}
