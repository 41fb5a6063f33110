//! The attachment plane as server-rendered SVG: discomfort with closeness across,
//! worry about the bond up, earlier results joined as a trail. Pure; the page
//! shows the same numbers as a table for screen readers.

use std::fmt::Write;

use super::chart::OneDecimal;

const SIZE: f64 = 440.0;
const MARGIN: f64 = 52.0;

/// One result on the plane: (avoidance, anxiety), both on the 1..=points
/// scale, and the day it was taken (YYYY-MM-DD, in the member's zone).
#[derive(Debug, Clone)]
pub struct PlanePoint {
    pub avoidance: f64,
    pub anxiety: f64,
    pub day: String,
}

/// "3 Nov 2026".
fn day_label(day: &str) -> String {
    day.parse::<jiff::civil::Date>().map_or_else(|_| day.to_owned(), |d| d.strftime("%-d %b %Y").to_string())
}

fn scale(v: f64, points: f64) -> f64 {
    let inner = SIZE - 2.0 * MARGIN;
    MARGIN + (v.clamp(1.0, points) - 1.0) / (points - 1.0) * inner
}

/// Each quarter's name, in two lines, by its corner: kind words for where
/// someone is leaning now, never a label for who they are.
const REGIONS: [(bool, bool, &str, &str); 4] = [
    (false, false, "Leaning toward", "security"),
    (false, true, "Leaning toward", "worry about the bond"),
    (true, false, "Leaning toward", "self-reliance"),
    (true, true, "Wanting closeness,", "finding it hard"),
];

/// The SVG; the last point is the current result, the others the trail,
/// each dated on the drawing and in its description.
pub fn svg(points: &[PlanePoint], scale_points: u8, title: &str) -> String {
    let p = f64::from(scale_points);
    let mid = scale((p + 1.0) / 2.0, p);
    let lo = MARGIN;
    let hi = SIZE - MARGIN;
    let xy = |pt: &PlanePoint| (scale(pt.avoidance, p), SIZE - scale(pt.anxiety, p));
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r##"<svg class="plane" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="plane-title plane-desc" xmlns="http://www.w3.org/2000/svg">"##
    );
    let _ = write!(s, r#"<title id="plane-title">{}</title>"#, crate::web::escape(title));
    let desc = match points.split_last() {
        Some((last, earlier)) => {
            let mut d = format!(
                "Latest result, {}: discomfort with closeness {}, worry about the bond {}, on a scale of 1 to {scale_points}; the middle is {}.",
                day_label(&last.day),
                OneDecimal(last.avoidance),
                OneDecimal(last.anxiety),
                (p + 1.0) / 2.0
            );
            for pt in earlier.iter().rev() {
                let _ = write!(
                    d,
                    " Earlier, {}: discomfort {}, worry {}.",
                    day_label(&pt.day),
                    OneDecimal(pt.avoidance),
                    OneDecimal(pt.anxiety)
                );
            }
            d
        }
        None => "No results yet.".to_owned(),
    };
    let _ = write!(s, r#"<desc id="plane-desc">{}</desc>"#, crate::web::escape(&desc));
    // Quarters, lightest where closeness feels safest (bottom left).
    let quads =
        [(lo, mid, "plane-q secure"), (mid, mid, "plane-q"), (lo, lo, "plane-q"), (mid, lo, "plane-q")];
    for (x, y, class) in quads {
        let _ = write!(
            s,
            r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}"/>"#,
            OneDecimal(x),
            OneDecimal(y),
            OneDecimal(mid - lo),
            OneDecimal(mid - lo)
        );
    }
    let _ = write!(
        s,
        r#"<rect class="plane-frame" x="{lo}" y="{lo}" width="{}" height="{}" fill="none"/>"#,
        OneDecimal(hi - lo),
        OneDecimal(hi - lo)
    );
    let middle = OneDecimal(mid);
    let _ = write!(s, r#"<line class="plane-axis" x1="{middle}" y1="{lo}" x2="{middle}" y2="{hi}"/>"#);
    let _ = write!(s, r#"<line class="plane-axis" x1="{lo}" y1="{middle}" x2="{hi}" y2="{middle}"/>"#);
    // Tick marks on both scales, numbered at the ends and the middle.
    for v in 1..=scale_points {
        let at = scale(f64::from(v), p);
        let (at_x, at_y) = (OneDecimal(at), OneDecimal(SIZE - at));
        let _ = write!(
            s,
            r#"<line class="plane-tick" x1="{at_x}" y1="{hi}" x2="{at_x}" y2="{}"/><line class="plane-tick" x1="{}" y1="{at_y}" x2="{lo}" y2="{at_y}"/>"#,
            OneDecimal(hi + 6.0),
            OneDecimal(lo - 6.0),
        );
        if v == 1 || v == scale_points || 2 * v == scale_points + 1 {
            let _ = write!(
                s,
                r#"<text class="plane-number" x="{at_x}" y="{}" text-anchor="middle">{v}</text><text class="plane-number" x="{}" y="{}" text-anchor="end">{v}</text>"#,
                OneDecimal(hi + 20.0),
                OneDecimal(lo - 10.0),
                OneDecimal(SIZE - at + 4.0)
            );
        }
    }
    let label = |s: &mut String, x: f64, y: f64, anchor: &str, text: &str, rotate: bool| {
        let (x, y) = (OneDecimal(x), OneDecimal(y));
        let transform = if rotate { format!(r#" transform="rotate(-90 {x} {y})""#) } else { String::new() };
        let _ = write!(
            s,
            r#"<text class="plane-label" x="{x}" y="{y}" text-anchor="{anchor}"{transform}>{text}</text>"#
        );
    };
    label(&mut s, SIZE / 2.0, SIZE - 8.0, "middle", "Discomfort with closeness →", false);
    label(&mut s, 16.0, SIZE / 2.0, "middle", "Worry about the bond →", true);
    for (right, top, first, second) in REGIONS {
        let (x, anchor) = if right { (hi - 8.0, "end") } else { (lo + 8.0, "start") };
        let y = if top { lo + 18.0 } else { hi - 26.0 };
        let (x, y) = (OneDecimal(x), OneDecimal(y));
        let _ = write!(
            s,
            r#"<text class="plane-region" x="{x}" y="{y}" text-anchor="{anchor}"><tspan x="{x}">{first}</tspan><tspan x="{x}" dy="16">{second}</tspan></text>"#
        );
    }
    if points.len() > 1 {
        let trail: Vec<String> = points
            .iter()
            .map(|pt| {
                let (x, y) = xy(pt);
                format!("{},{}", OneDecimal(x), OneDecimal(y))
            })
            .collect();
        let _ = write!(s, r#"<polyline class="plane-trail" fill="none" points="{}"/>"#, trail.join(" "));
    }
    // Made newest first, written oldest first, so the latest is drawn on top.
    let mut circles: Vec<String> = Vec::with_capacity(points.len());
    let mut dates = String::new();
    // Dates are written newest first, each where it does not cover one already
    // written; a crowded trail keeps its other dates in the tooltips and the
    // description.
    let mut placed: Vec<(f64, f64, f64)> = Vec::new();
    for (i, pt) in points.iter().enumerate().rev() {
        let (x, y) = xy(pt);
        let current = i + 1 == points.len();
        let (class, r) = if current { ("plane-now", 8) } else { ("plane-then", 5) };
        let when = day_label(&pt.day);
        circles.push(format!(
            r#"<circle class="{class}" cx="{}" cy="{}" r="{r}"><title>{when}: discomfort {}, worry {}</title></circle>"#,
            OneDecimal(x),
            OneDecimal(y),
            OneDecimal(pt.avoidance),
            OneDecimal(pt.anxiety)
        ));
        // The date beside the point, on the side with more room.
        let width = when.chars().count() as f64 * 7.0;
        let (dx, anchor, left) =
            if x > SIZE / 2.0 { (-12.0, "end", x - 12.0 - width) } else { (12.0, "start", x + 12.0) };
        let overlaps =
            placed.iter().any(|(l, w, top)| (left < l + w && *l < left + width) && (y - top).abs() < 15.0);
        if overlaps {
            continue;
        }
        placed.push((left, width, y));
        let _ = write!(
            dates,
            r#"<text class="plane-date{}" x="{}" y="{}" text-anchor="{anchor}">{when}</text>"#,
            if current { " now" } else { "" },
            OneDecimal(x + dx),
            OneDecimal(y + 4.0)
        );
    }
    for circle in circles.iter().rev() {
        s.push_str(circle);
    }
    s.push_str(&dates);
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_land_where_the_scores_say() {
        let s = svg(
            &[
                PlanePoint { avoidance: 1.0, anxiety: 1.0, day: "2026-09-01".into() },
                PlanePoint { avoidance: 7.0, anxiety: 7.0, day: "2026-11-03".into() },
            ],
            7,
            "t",
        );
        // (1,1) is bottom left; (7,7) top right.
        assert!(s.contains(r#"cx="52.0" cy="388.0""#), "{s}");
        assert!(s.contains(r#"class="plane-now" cx="388.0" cy="52.0""#), "{s}");
        assert!(
            s.rfind("\"plane-then\"").unwrap() < s.find("\"plane-now\"").unwrap(),
            "the latest drawn last, on top"
        );
        assert!(s.contains("<polyline"));
        // Each point dated on the drawing and in the description.
        assert!(s.contains(">1 Sep 2026</text>") && s.contains(">3 Nov 2026</text>"), "{s}");
        assert!(s.contains("Latest result, 3 Nov 2026") && s.contains("Earlier, 1 Sep 2026"), "{s}");
        // Seven ticks on each scale; 1, 4 and 7 numbered on both.
        assert_eq!(s.matches(r#"class="plane-tick""#).count(), 14);
        assert_eq!(s.matches(r#"class="plane-number""#).count(), 6);
        for words in ["security", "worry about the bond", "self-reliance", "finding it hard"] {
            assert!(s.contains(&format!(">{words}</tspan>")), "{words}");
        }
    }

    #[test]
    fn crowded_dates_do_not_cover_each_other() {
        let near = |day: &str, v: f64| PlanePoint { avoidance: v, anxiety: v, day: day.into() };
        let s = svg(&[near("2026-09-01", 5.0), near("2026-10-01", 5.02), near("2026-11-03", 5.04)], 7, "t");
        assert_eq!(s.matches(r#"class="plane-date"#).count(), 1, "only the newest is written: {s}");
        assert!(s.contains(r#"class="plane-date now""#));
        assert!(s.contains("<title>1 Sep 2026: discomfort 5.0, worry 5.0</title>"), "the rest in tooltips");
        assert!(
            s.contains("Earlier, 1 Oct 2026") && s.contains("Earlier, 1 Sep 2026"),
            "and in the description"
        );
    }

    #[test]
    fn one_point_has_no_trail_and_text_is_escaped() {
        let s = svg(&[PlanePoint { avoidance: 4.0, anxiety: 4.0, day: "2026-11-03".into() }], 7, "A <b> & c");
        assert!(!s.contains("<polyline"));
        assert!(s.contains("A &lt;b&gt; &amp; c"));
        assert!(!s.contains("style="), "no inline styles under the CSP");
    }
}
