//! The negative-cycle map drawn as SVG: five boxes round a loop (or one under
//! the other on a narrow screen), with the cycle, not either person, named in
//! the middle. Pure, so it is unit-tested.

use std::fmt::Write;

use super::rules::CycleFields;
use crate::web::escape;

/// Break text into lines of at most `width` characters, at most `max_lines`
/// of them, the last ending in an ellipsis when text was left out.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut cut = false;
    for word in text.split_whitespace() {
        let word: String = word.chars().take(width).collect();
        let needed = if current.is_empty() {
            word.chars().count()
        } else {
            current.chars().count() + 1 + word.chars().count()
        };
        if needed > width {
            lines.push(std::mem::take(&mut current));
            if lines.len() == max_lines {
                cut = true;
                break;
            }
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !cut && !current.is_empty() {
        lines.push(current);
    }
    if cut && let Some(last) = lines.last_mut() {
        while last.chars().count() + 1 > width {
            last.pop();
        }
        last.push('…');
    }
    lines
}

const W: f64 = 680.0;
const H: f64 = 560.0;
const BOX_W: f64 = 196.0;
const BOX_H: f64 = 104.0;

/// The start of either drawing: its title, the loop in words for screen
/// readers, and the arrowhead. Ids carry the variant, as both are on the page.
fn open(f: &CycleFields, title: &str, variant: &str, w: f64, h: f64) -> String {
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r##"<svg class="cycle-map {variant}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="cycle-{variant}-title cycle-{variant}-desc" xmlns="http://www.w3.org/2000/svg">"##
    );
    let _ = write!(s, r#"<title id="cycle-{variant}-title">{}</title>"#, escape(title));
    let desc = f
        .links()
        .iter()
        .map(|(_, label, value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join(". Then ");
    let _ = write!(s, r#"<desc id="cycle-{variant}-desc">{}. And round again.</desc>"#, escape(&desc));
    let _ = write!(
        s,
        r#"<defs><marker id="cycle-{variant}-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="cycle-arrowhead" d="M0,0 L10,5 L0,10 z"/></marker></defs>"#
    );
    s
}

const TALL_W: f64 = 360.0;
const TALL_BOX_W: f64 = 290.0;
const TALL_BOX_H: f64 = 84.0;
const TALL_GAP: f64 = 30.0;

/// The same loop for a narrow screen: the links one under the other, and an
/// arrow up the side from the last back to the first.
pub fn svg_tall(f: &CycleFields, title: &str) -> String {
    let top = 16.0;
    let x = TALL_W - TALL_BOX_W - 14.0;
    let h = top + 5.0 * (TALL_BOX_H + TALL_GAP) + 30.0;
    let mut s = open(f, title, "tall", TALL_W, h);
    let y_of = |i: usize| top + i as f64 * (TALL_BOX_H + TALL_GAP);
    for (i, (_, label, value)) in f.links().iter().enumerate() {
        let y = y_of(i);
        let class = if i < 3 { "cycle-box mine" } else { "cycle-box theirs" };
        let _ = write!(
            s,
            r#"<rect class="{class}" x="{x:.1}" y="{y:.1}" width="{TALL_BOX_W}" height="{TALL_BOX_H}" rx="12"/>"#
        );
        let cx = x + TALL_BOX_W / 2.0;
        let _ = write!(
            s,
            r#"<text class="cycle-label" x="{cx:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            y + 20.0,
            escape(label)
        );
        for (n, line) in wrap(value, 36, 3).iter().enumerate() {
            let _ = write!(
                s,
                r#"<text class="cycle-text" x="{cx:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                y + 40.0 + n as f64 * 16.0,
                escape(line)
            );
        }
        if i < 4 {
            let _ = write!(
                s,
                r#"<path class="cycle-arrow" d="M{cx:.1},{:.1} L{cx:.1},{:.1}" fill="none" marker-end="url(#cycle-tall-arrow)"/>"#,
                y + TALL_BOX_H + 3.0,
                y + TALL_BOX_H + TALL_GAP - 4.0
            );
        }
    }
    // Round again: from the last link up the left side to the first.
    let (y_last, y_first) = (y_of(4) + TALL_BOX_H / 2.0, y_of(0) + TALL_BOX_H / 2.0);
    let _ = write!(
        s,
        r#"<path class="cycle-arrow" d="M{:.1},{y_last:.1} C{:.1},{y_last:.1} 6,{y_last:.1} 6,{:.1} L6,{:.1} C6,{y_first:.1} {:.1},{y_first:.1} {:.1},{y_first:.1}" fill="none" marker-end="url(#cycle-tall-arrow)"/>"#,
        x - 2.0,
        x - 20.0,
        y_last - 20.0,
        y_first + 20.0,
        x - 20.0,
        x - 3.0,
    );
    let _ = write!(
        s,
        r#"<text class="cycle-centre" x="{:.1}" y="{:.1}" text-anchor="middle">The cycle is the problem, not either of you.</text>"#,
        TALL_W / 2.0 + 8.0,
        h - 12.0
    );
    s.push_str("</svg>");
    s
}

/// The loop as SVG: five boxes round a circle, arrows between them, and the
/// cycle, not either person, named in the middle.
pub fn svg(f: &CycleFields, title: &str) -> String {
    let (cx, cy, r) = (W / 2.0, H / 2.0 + 6.0, 200.0);
    let centres: Vec<(f64, f64)> = (0..5)
        .map(|i| {
            let a = -std::f64::consts::FRAC_PI_2 + i as f64 * 2.0 * std::f64::consts::PI / 5.0;
            (cx + r * a.cos() * 1.18, cy + r * a.sin())
        })
        .collect();
    let mut s = open(f, title, "wide", W, H);
    // Arrows along the circle from each box to the next.
    for i in 0..5 {
        let (x1, y1) = centres[i];
        let (x2, y2) = centres[(i + 1) % 5];
        // Start and end a little outside the boxes, bending outwards.
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt();
        let (ux, uy) = (dx / len, dy / len);
        let inset = 0.36 * len;
        let (sx, sy) = (x1 + ux * inset, y1 + uy * inset);
        let (ex, ey) = (x2 - ux * inset, y2 - uy * inset);
        let (mx, my) = ((sx + ex) / 2.0, (sy + ey) / 2.0);
        let (ox, oy) = (mx - cx, my - cy);
        let olen = (ox * ox + oy * oy).sqrt().max(1.0);
        let (qx, qy) = (mx + ox / olen * 26.0, my + oy / olen * 26.0);
        let _ = write!(
            s,
            r#"<path class="cycle-arrow" d="M{sx:.1},{sy:.1} Q{qx:.1},{qy:.1} {ex:.1},{ey:.1}" fill="none" marker-end="url(#cycle-wide-arrow)"/>"#
        );
    }
    for (i, (_, label, value)) in f.links().iter().enumerate() {
        let (x, y) = centres[i];
        let (bx, by) = (x - BOX_W / 2.0, y - BOX_H / 2.0);
        let class = if i < 3 { "cycle-box mine" } else { "cycle-box theirs" };
        let _ = write!(
            s,
            r#"<rect class="{class}" x="{bx:.1}" y="{by:.1}" width="{BOX_W}" height="{BOX_H}" rx="12"/>"#
        );
        let _ = write!(
            s,
            r#"<text class="cycle-label" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            by + 20.0,
            escape(label)
        );
        for (n, line) in wrap(value, 28, 4).iter().enumerate() {
            let _ = write!(
                s,
                r#"<text class="cycle-text" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                by + 40.0 + n as f64 * 16.0,
                escape(line)
            );
        }
    }
    let _ = write!(
        s,
        r#"<text class="cycle-centre" x="{cx}" y="{:.1}" text-anchor="middle">The cycle is the problem,</text><text class="cycle-centre" x="{cx}" y="{:.1}" text-anchor="middle">not either of you.</text>"#,
        cy - 4.0,
        cy + 16.0
    );
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::practice::cycle::rules::tests::filled;

    #[test]
    fn the_drawing_holds_every_link_escaped_and_names_the_cycle() {
        let s = svg(&filled(), "Our <cycle>");
        assert_eq!(s.matches("<rect class=\"cycle-box").count(), 5);
        assert_eq!(s.matches("class=\"cycle-arrow\"").count(), 5);
        assert!(s.contains("goes quiet &amp; leaves"));
        assert!(s.contains("Our &lt;cycle&gt;"));
        assert!(s.contains("The cycle is the problem,"));
        assert!(!s.contains("<cycle>"));
        let tall = svg_tall(&filled(), "Our <cycle>");
        assert_eq!(tall.matches("<rect class=\"cycle-box").count(), 5);
        assert_eq!(tall.matches("class=\"cycle-arrow\"").count(), 5, "four down and one back up");
        assert!(tall.contains("goes quiet &amp; leaves"));
        assert!(tall.contains("id=\"cycle-tall-title\"") && s.contains("id=\"cycle-wide-title\""));
    }

    #[test]
    fn long_text_wraps_and_is_cut_with_an_ellipsis() {
        assert_eq!(wrap("one two three", 7, 4), ["one two", "three"]);
        let lines = wrap(&"word ".repeat(50), 12, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…') && lines[2].chars().count() <= 12);
        assert!(wrap("", 10, 3).is_empty());
        assert_eq!(wrap("supercalifragilistic", 5, 2), ["super"]);
    }
}
