//! Line charts of check-ins over time as server-rendered SVG (pure). Long
//! ranges are averaged into at most `MAX_POINTS` buckets so a chart stays small.

use std::fmt::Write;

pub const MAX_POINTS: usize = 90;
// Drawn at about the width of the main column on a wide screen; on a phone
// the whole drawing scales down, so its text is set large.
const W: f64 = 600.0;
const H: f64 = 260.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 14.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 34.0;
/// At most this many dates are written under the chart.
const MAX_TICKS: usize = 5;

/// A number written with one decimal, as `{:.1}` writes it (except that a
/// value just below zero is written `0.0`, not `-0.0`), through integer
/// formatting: a chart writes hundreds of coordinates, and the standard
/// library's exact-precision path for floats took about 8 % of a dashboard's
/// time in a profile.
#[derive(Debug, Clone, Copy)]
pub struct OneDecimal(pub f64);

impl OneDecimal {
    /// The value in tenths, rounded as `{:.1}` rounds: to the nearer tenth of
    /// the value's exact binary expansion, and an exact half to even. `None`
    /// for what is not finite or too large for this arithmetic.
    fn tenths(self) -> Option<i64> {
        let x = self.0;
        let scaled = x * 10.0;
        // Past about 2^33 the product's rounding error outgrows the window below.
        if !scaled.is_finite() || scaled.abs() >= 1e9 {
            return None;
        }
        let below = scaled.floor();
        if ((scaled - below) - 0.5).abs() >= 1e-6 {
            return Some(scaled.round() as i64);
        }
        // Near a half the product's own rounding could tip the digit, so
        // compare the exact x·20 with the odd number 2·below + 1 (the half
        // in twentieths): x·20 = p + error exactly (the fused multiply-add
        // gives the product's rounding error), and p − half is exact here.
        let half = 2.0 * below + 1.0;
        let p = x * 20.0;
        let error = x.mul_add(20.0, -p);
        let beyond = (p - half) + error;
        let below = below as i64;
        Some(if beyond > 0.0 {
            below + 1
        } else if beyond < 0.0 || below % 2 == 0 {
            below
        } else {
            below + 1
        })
    }
}

impl std::fmt::Display for OneDecimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some(tenths) = self.tenths() else { return write!(f, "{:.1}", self.0) };
        // Digits written backwards into a buffer and handed over at once.
        let mut digits = [0u8; 24];
        let mut at = digits.len() - 2;
        let mut rest = tenths.unsigned_abs();
        digits[at..].copy_from_slice(&[b'.', b'0' + (rest % 10) as u8]);
        rest /= 10;
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if tenths < 0 {
            at -= 1;
            digits[at] = b'-';
        }
        f.write_str(std::str::from_utf8(&digits[at..]).map_err(|_| std::fmt::Error)?)
    }
}

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

fn date_of(day_number: i64) -> jiff::civil::Date {
    jiff::civil::date(2000, 1, 1).checked_add(jiff::Span::new().days(day_number)).unwrap_or_default()
}

/// "3 Nov" for a day in a chart's hover text and short ranges.
pub fn short_day(day: &str) -> String {
    day.parse::<jiff::civil::Date>().map_or_else(|_| day.to_owned(), |d| d.strftime("%-d %b").to_string())
}

/// The dates written under a chart from day `start` to day `end` (as day
/// numbers): month names on long ranges, with the year where it changes;
/// days ("3 Nov") on short ones. At most `MAX_TICKS`.
pub fn axis_ticks(start: i64, end: i64) -> Vec<(i64, String)> {
    let span = (end - start).max(0);
    if span <= 62 {
        // Evenly from the first day to the last, both marked.
        let gaps = (MAX_TICKS - 1) as f64;
        let mut days: Vec<i64> =
            (0..MAX_TICKS).map(|i| start + (i as f64 * span as f64 / gaps).round() as i64).collect();
        days.dedup();
        return days.into_iter().map(|d| (d, date_of(d).strftime("%-d %b").to_string())).collect();
    }
    let first = date_of(start);
    let months = |d: jiff::civil::Date| i64::from(d.year()) * 12 + i64::from(d.month()) - 1;
    let (from_month, to_month) = (months(first) + i64::from(first.day() > 1), months(date_of(end)));
    let count = (to_month - from_month + 1).max(1);
    let step =
        [1, 2, 3, 6, 12, 24, 60].into_iter().find(|s| (count + s - 1) / s <= MAX_TICKS as i64).unwrap_or(120);
    // Ticks fall on whole steps of the calendar: quarters on January, April,
    // July and October; years on January.
    let mut m = from_month + (step - from_month.rem_euclid(step)) % step;
    let mut ticks = Vec::new();
    let mut last_year = None;
    while m <= to_month {
        let date = jiff::civil::date((m / 12) as i16, (m % 12 + 1) as i8, 1);
        let day = i64::from(date.since(jiff::civil::date(2000, 1, 1)).map_or(0, |s| s.get_days()));
        let label = if last_year == Some(date.year()) {
            date.strftime("%b").to_string()
        } else {
            date.strftime("%b %Y").to_string()
        };
        last_year = Some(date.year());
        ticks.push((day, label));
        m += step;
    }
    ticks
}

/// What a point stands for: a day's check-ins, or a month's (`by_month`).
fn point_label(day: &str, by_month: bool) -> String {
    if by_month {
        let month = day
            .parse::<jiff::civil::Date>()
            .map_or_else(|_| day.to_owned(), |d| d.strftime("%b %Y").to_string());
        format!("{month}, average")
    } else {
        short_day(day)
    }
}

/// A line chart from `from` to `to` (days), values between `min` and `max`;
/// each point is a day's average, or a month's with `by_month`. Each carries
/// what it stands for and its value: as a tooltip, and for the keyboard
/// (`chart-explore.js`). A single point is written as its value instead.
pub fn line_chart(
    points: &[(String, f64)],
    from: &str,
    to: &str,
    (min, max): (f64, f64),
    by_month: bool,
    label: &str,
) -> String {
    let (Some(start), Some(end)) = (day_number(from), day_number(to)) else { return String::new() };
    // A month's point sits on its first day, which may come before `from`, and
    // a check-in may be dated after `to` (today, in a time zone behind the one
    // it was written in): the axis stretches to hold every point.
    let days = || points.iter().filter_map(|(d, _)| day_number(d));
    let (start, end) = (days().fold(start, i64::min), days().fold(end, i64::max));
    if let [(day, value)] = points {
        let what = if by_month {
            let month = day
                .parse::<jiff::civil::Date>()
                .map_or_else(|_| day.to_owned(), |d| d.strftime("%B %Y").to_string());
            format!("your average for {month}, the only month with check-ins in this range")
        } else {
            format!("on {}, the only day with check-ins in this range", short_day(day))
        };
        return format!(
            r#"<p class="chart-single"><strong>{}</strong> <span>{what}</span></p>"#,
            OneDecimal(*value)
        );
    }
    let span = (end - start).max(1) as f64;
    let x_of = |d: i64| LEFT + (d - start) as f64 / span * (W - LEFT - RIGHT);
    let x = |day: &str| day_number(day).map(x_of);
    let y = |v: f64| TOP + (1.0 - (v - min) / (max - min)) * (H - TOP - BOTTOM);
    let mut s = String::with_capacity(8192);
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{}" tabindex="0" xmlns="http://www.w3.org/2000/svg">"#,
        crate::web::escape(label)
    );
    for v in [min, (min + max) / 2.0, max] {
        let yy = OneDecimal(y(v));
        let _ = write!(
            s,
            r#"<line class="chart-grid" x1="{LEFT}" y1="{yy}" x2="{}" y2="{yy}"/>"#,
            OneDecimal(W - RIGHT)
        );
        let _ = write!(
            s,
            r#"<text class="chart-label" x="{}" y="{}" text-anchor="end">{v}</text>"#,
            OneDecimal(LEFT - 8.0),
            OneDecimal(yy.0 + 5.0)
        );
    }
    let ticks = axis_ticks(start, end);
    for (i, (day, text)) in ticks.iter().enumerate() {
        let anchor = if ticks.len() > 1 && i == ticks.len() - 1 && x_of(*day) > W - RIGHT - 30.0 {
            "end"
        } else {
            "start"
        };
        let xx = OneDecimal(x_of(*day));
        let _ = write!(
            s,
            r#"<line class="chart-tick" x1="{xx}" y1="{}" x2="{xx}" y2="{}"/><text class="chart-label" x="{xx}" y="{}" text-anchor="{anchor}">{text}</text>"#,
            OneDecimal(H - BOTTOM),
            OneDecimal(H - BOTTOM + 6.0),
            OneDecimal(H - 8.0)
        );
    }
    let coords: Vec<(f64, f64, &str, f64)> =
        points.iter().filter_map(|(d, v)| Some((x(d)?, y(*v), d.as_str(), *v))).collect();
    if coords.len() > 1 {
        s.push_str(r#"<polyline class="chart-line" fill="none" points=""#);
        for (i, (a, b, _, _)) in coords.iter().enumerate() {
            let gap = if i == 0 { "" } else { " " };
            let _ = write!(s, "{gap}{},{}", OneDecimal(*a), OneDecimal(*b));
        }
        s.push_str(r#""/>"#);
    }
    for (a, b, day, value) in &coords {
        let what = point_label(day, by_month);
        let (a, b, value) = (OneDecimal(*a), OneDecimal(*b), OneDecimal(*value));
        let _ = write!(
            s,
            r#"<circle class="chart-dot" cx="{a}" cy="{b}" r="4" data-value="{what}: {value}"><title>{what}: {value}</title></circle>"#
        );
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
    fn one_decimal_writes_what_the_standard_formatting_writes() {
        let same = |v: f64| {
            assert_eq!(OneDecimal(v).to_string(), format!("{v:.1}").replace("-0.0", "0.0"), "{v}");
        };
        for v in [0.0, 0.05, 0.15, 0.25, 0.35, 0.75, 1.35, 2.45, -0.04, -0.25, -3.96, -6.75, 4.25, 5.333_333]
        {
            same(v);
        }
        for v in [9.95, 79.5, 599.999, 12_345.678, 8.589_934_592e7 + 0.05] {
            same(v);
        }
        // Means of scores (quarters, thirds, fifths…), and chart coordinates
        // made from them, land on and beside halves of a tenth.
        for whole in -30..300 {
            for parts in 1..=24 {
                for k in 0..parts {
                    let v = f64::from(whole) + f64::from(k) / f64::from(parts);
                    same(v);
                    same(14.0 + (10.0 - v) * 21.2);
                    same(40.0 + v / 1095.0 * 546.0);
                }
            }
        }
        // Odd values in every binade.
        let mut v = 1e-9_f64;
        while v < 1e8 {
            same(v);
            same(-v);
            same(v * 1.000_000_1 + 0.05);
            v *= 1.37;
        }
        assert_eq!(OneDecimal(f64::NAN).to_string(), "NaN");
        assert_eq!(OneDecimal(1e12).to_string(), "1000000000000.0");
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
    fn points_outside_the_range_stretch_the_axis_instead_of_leaving_the_chart() {
        let pts = vec![("2024-01-01".to_string(), 1.0), ("2024-01-12".to_string(), 5.0)];
        let svg = line_chart(&pts, "2024-01-02", "2024-01-11", (1.0, 5.0), false, "Today");
        assert!(svg.contains(r#"cx="40.0" cy="226.0""#), "the earliest point on the left edge: {svg}");
        assert!(svg.contains(r#"cx="586.0" cy="14.0""#), "the latest point on the right edge: {svg}");
        assert!(svg.contains(">12 Jan</text>"), "the axis runs to the latest day: {svg}");
    }

    #[test]
    fn points_are_placed_by_day_and_value_and_carry_both() {
        let pts = vec![("2024-01-01".to_string(), 1.0), ("2024-01-11".to_string(), 5.0)];
        let svg = line_chart(&pts, "2024-01-01", "2024-01-11", (1.0, 5.0), false, "Today");
        assert!(svg.contains(r#"cx="40.0" cy="226.0""#), "{svg}");
        assert!(svg.contains(r#"cx="586.0" cy="14.0""#), "{svg}");
        assert!(svg.contains("<title>11 Jan: 5.0</title>"), "{svg}");
        assert!(svg.contains("<polyline"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn one_point_is_written_as_its_value() {
        let pts = vec![("2024-03-05".to_string(), 6.5)];
        let html = line_chart(&pts, "2024-02-05", "2024-03-06", (1.0, 7.0), false, "Mood");
        assert!(!html.contains("<svg") && !html.contains("<circle"), "{html}");
        assert!(html.contains("<strong>6.5</strong>") && html.contains("on 5 Mar, the only day"), "{html}");
        // A month's point is its average, and says so.
        let month = vec![("2024-03-01".to_string(), 4.25)];
        let html = line_chart(&month, "2023-03-06", "2024-03-06", (1.0, 7.0), true, "Mood");
        assert!(html.contains("<strong>4.2</strong> <span>your average for March 2024"), "{html}");
        let months = vec![("2024-02-01".to_string(), 4.0), ("2024-03-01".to_string(), 5.0)];
        let svg = line_chart(&months, "2023-03-06", "2024-03-06", (1.0, 7.0), true, "Mood");
        assert!(svg.contains("<title>Mar 2024, average: 5.0</title>"), "{svg}");
    }

    #[test]
    fn long_ranges_are_marked_with_month_names_and_short_ones_with_days() {
        let day = |s: &str| day_number(s).unwrap();
        let years = axis_ticks(day("2023-11-20"), day("2026-11-20"));
        assert!(years.len() <= MAX_TICKS && years.len() >= 3, "{years:?}");
        let labels: Vec<&str> = years.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Jan 2024", "Jan 2025", "Jan 2026"]);
        assert!(years.iter().all(|(_, l)| !l.contains('-')), "no ISO dates: {years:?}");
        let year = axis_ticks(day("2025-11-21"), day("2026-11-20"));
        let labels: Vec<&str> = year.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Jan 2026", "Apr", "Jul", "Oct"]);
        assert_eq!(year[0].0, day("2026-01-01"));
        let across = axis_ticks(day("2025-08-10"), day("2026-11-20"));
        let labels: Vec<&str> = across.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Oct 2025", "Jan 2026", "Apr", "Jul", "Oct"], "the year where it changes");
        let week = axis_ticks(day("2026-11-14"), day("2026-11-20"));
        assert_eq!(week.first().unwrap().1, "14 Nov");
        assert_eq!(week.last().unwrap().1, "20 Nov", "today is marked");
        assert!(week.windows(2).all(|w| w[0].0 < w[1].0));
        let month = axis_ticks(day("2026-10-22"), day("2026-11-20"));
        assert_eq!(month.len(), MAX_TICKS);
        assert_eq!(month[0].1, "22 Oct");
        assert_eq!(month.last().unwrap().0, day("2026-11-20"));
    }
}
