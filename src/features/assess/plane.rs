//! The attachment plane as server-rendered SVG: discomfort with closeness across,
//! worry about the bond up, earlier results joined as a trail. Pure; the page
//! shows the same numbers as a table for screen readers.

use std::fmt::Write;

const SIZE: f64 = 320.0;
const MARGIN: f64 = 36.0;

/// One result on the plane: (avoidance, anxiety), both on the 1..=points scale.
#[derive(Debug, Clone, Copy)]
pub struct PlanePoint {
    pub avoidance: f64,
    pub anxiety: f64,
}

fn scale(v: f64, points: f64) -> f64 {
    let inner = SIZE - 2.0 * MARGIN;
    MARGIN + (v.clamp(1.0, points) - 1.0) / (points - 1.0) * inner
}

/// The SVG; the last point is the current result, the others the trail.
pub fn svg(points: &[PlanePoint], scale_points: u8, title: &str) -> String {
    let p = f64::from(scale_points);
    let mid = scale((p + 1.0) / 2.0, p);
    let lo = MARGIN;
    let hi = SIZE - MARGIN;
    let xy = |pt: &PlanePoint| (scale(pt.avoidance, p), SIZE - scale(pt.anxiety, p));
    let mut s = String::with_capacity(2048);
    let _ = write!(
        s,
        r##"<svg class="plane" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="plane-title plane-desc" xmlns="http://www.w3.org/2000/svg">"##
    );
    let _ = write!(s, r#"<title id="plane-title">{}</title>"#, crate::web::escape(title));
    let desc = match points.last() {
        Some(last) => format!(
            "Latest result: discomfort with closeness {:.1}, worry about the bond {:.1}, on a scale of 1 to {scale_points}. {} earlier result(s) shown as a trail.",
            last.avoidance,
            last.anxiety,
            points.len() - 1
        ),
        None => "No results yet.".to_owned(),
    };
    let _ = write!(s, r#"<desc id="plane-desc">{}</desc>"#, crate::web::escape(&desc));
    // Quadrants, lightest where closeness feels safest (bottom left).
    let quads =
        [(lo, mid, "plane-q secure"), (mid, mid, "plane-q"), (lo, lo, "plane-q"), (mid, lo, "plane-q")];
    for (x, y, class) in quads {
        let _ = write!(
            s,
            r#"<rect class="{class}" x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}"/>"#,
            mid - lo,
            mid - lo
        );
    }
    let _ = write!(
        s,
        r#"<rect class="plane-frame" x="{lo}" y="{lo}" width="{:.1}" height="{:.1}" fill="none"/>"#,
        hi - lo,
        hi - lo
    );
    let _ = write!(s, r#"<line class="plane-axis" x1="{mid:.1}" y1="{lo}" x2="{mid:.1}" y2="{hi}"/>"#);
    let _ = write!(s, r#"<line class="plane-axis" x1="{lo}" y1="{mid:.1}" x2="{hi}" y2="{mid:.1}"/>"#);
    let label = |s: &mut String, x: f64, y: f64, anchor: &str, text: &str, rotate: bool| {
        let transform =
            if rotate { format!(r#" transform="rotate(-90 {x:.1} {y:.1})""#) } else { String::new() };
        let _ = write!(
            s,
            r#"<text class="plane-label" x="{x:.1}" y="{y:.1}" text-anchor="{anchor}"{transform}>{text}</text>"#
        );
    };
    label(&mut s, SIZE / 2.0, SIZE - 8.0, "middle", "Discomfort with closeness →", false);
    label(&mut s, 14.0, SIZE / 2.0, "middle", "Worry about the bond →", true);
    label(&mut s, lo + 6.0, hi - 8.0, "start", "more secure", false);
    if points.len() > 1 {
        let trail: Vec<String> = points
            .iter()
            .map(|pt| {
                let (x, y) = xy(pt);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(s, r#"<polyline class="plane-trail" fill="none" points="{}"/>"#, trail.join(" "));
    }
    for (i, pt) in points.iter().enumerate() {
        let (x, y) = xy(pt);
        let current = i + 1 == points.len();
        let (class, r) = if current { ("plane-now", 8) } else { ("plane-then", 4) };
        let _ = write!(s, r#"<circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="{r}"/>"#);
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_land_where_the_scores_say() {
        let s = svg(
            &[PlanePoint { avoidance: 1.0, anxiety: 1.0 }, PlanePoint { avoidance: 7.0, anxiety: 7.0 }],
            7,
            "t",
        );
        // (1,1) is bottom left; (7,7) top right.
        assert!(s.contains(r#"cx="36.0" cy="284.0""#), "{s}");
        assert!(s.contains(r#"class="plane-now" cx="284.0" cy="36.0""#), "{s}");
        assert!(s.contains("<polyline"));
        assert!(s.contains("1 earlier result"));
    }

    #[test]
    fn one_point_has_no_trail_and_text_is_escaped() {
        let s = svg(&[PlanePoint { avoidance: 4.0, anxiety: 4.0 }], 7, "A <b> & c");
        assert!(!s.contains("<polyline"));
        assert!(s.contains("A &lt;b&gt; &amp; c"));
        assert!(!s.contains("style="), "no inline styles under the CSP");
    }
}
