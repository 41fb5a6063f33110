//! Line charts of check-ins over time as server-rendered SVG (pure). Long
//! ranges are averaged into at most `MAX_POINTS` buckets so a chart stays small.

use std::fmt::Write;

pub const MAX_POINTS: usize = 90;
const W: f64 = 360.0;
const H: f64 = 170.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 26.0;

/// Average consecutive points so at most `max` remain; each keeps its first day.
pub fn downsample(points: &[(String, f64)], max: usize) -> Vec<(String, f64)> {
    if points.len() <= max || max == 0 {
        return points.to_vec();
    }
    let size = points.len().div_ceil(max);
    points
        .chunks(size)
        .map(|chunk| (chunk[0].0.clone(), chunk.iter().map(|(_, v)| v).sum::<f64>() / chunk.len() as f64))
        .collect()
}

fn day_number(day: &str) -> Option<i64> {
    let d: jiff::civil::Date = day.parse().ok()?;
    Some(i64::from(d.since(jiff::civil::date(2000, 1, 1)).ok()?.get_days()))
}

/// A line chart from `from` to `to` (days), values between `min` and `max`.
pub fn line_chart(points: &[(String, f64)], from: &str, to: &str, min: f64, max: f64, label: &str) -> String {
    let (Some(start), Some(end)) = (day_number(from), day_number(to)) else { return String::new() };
    let span = (end - start).max(1) as f64;
    let x = |day: &str| day_number(day).map(|d| LEFT + (d - start) as f64 / span * (W - LEFT - RIGHT));
    let y = |v: f64| TOP + (1.0 - (v - min) / (max - min)) * (H - TOP - BOTTOM);
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        crate::web::escape(label)
    );
    for v in [min, (min + max) / 2.0, max] {
        let yy = y(v);
        let _ = write!(
            s,
            r#"<line class="chart-grid" x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}"/>"#,
            W - RIGHT
        );
        let _ = write!(
            s,
            r#"<text class="chart-label" x="{:.1}" y="{:.1}" text-anchor="end">{v}</text>"#,
            LEFT - 6.0,
            yy + 4.0
        );
    }
    let _ = write!(s, r#"<text class="chart-label" x="{LEFT}" y="{:.1}">{from}</text>"#, H - 6.0);
    let _ = write!(
        s,
        r#"<text class="chart-label" x="{:.1}" y="{:.1}" text-anchor="end">{to}</text>"#,
        W - RIGHT,
        H - 6.0
    );
    let coords: Vec<(f64, f64)> = points.iter().filter_map(|(d, v)| Some((x(d)?, y(*v)))).collect();
    if coords.len() > 1 {
        let line: Vec<String> = coords.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
        let _ = write!(s, r#"<polyline class="chart-line" fill="none" points="{}"/>"#, line.join(" "));
    }
    for (a, b) in &coords {
        let _ = write!(s, r#"<circle class="chart-dot" cx="{a:.1}" cy="{b:.1}" r="2.5"/>"#);
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(n: usize) -> Vec<(String, f64)> {
        let start = jiff::civil::date(2024, 1, 1);
        (0..n)
            .map(|i| {
                (start.checked_add(jiff::Span::new().days(i as i64)).unwrap().to_string(), (i % 5 + 1) as f64)
            })
            .collect()
    }

    #[test]
    fn three_years_become_at_most_ninety_points() {
        let s = series(3 * 365);
        let d = downsample(&s, MAX_POINTS);
        assert!(d.len() <= MAX_POINTS && d.len() > 80, "{}", d.len());
        assert_eq!(d[0].0, "2024-01-01");
        let short = series(10);
        assert_eq!(downsample(&short, MAX_POINTS), short);
    }

    #[test]
    fn points_are_placed_by_day_and_value() {
        let pts = vec![("2024-01-01".to_string(), 1.0), ("2024-01-11".to_string(), 5.0)];
        let svg = line_chart(&pts, "2024-01-01", "2024-01-11", 1.0, 5.0, "Today");
        assert!(svg.contains(r#"cx="34.0" cy="144.0""#), "{svg}");
        assert!(svg.contains(r#"cx="350.0" cy="12.0""#), "{svg}");
        assert!(svg.contains("<polyline"));
        assert!(!svg.contains("style="));
    }
}
