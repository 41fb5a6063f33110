//! Check-ins (pure): the four kinds and their items, checking values, the
//! member's calendar day, and formula-safe CSV.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Signs,
    Growth,
    Needs,
    Today,
}

pub struct KindInfo {
    pub kind: Kind,
    pub slug: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub question: &'static str,
    pub min: i64,
    pub max: i64,
    pub low_label: &'static str,
    pub high_label: &'static str,
    /// (item id, text)
    pub items: &'static [(&'static str, &'static str)],
}

pub const SIGNS: KindInfo = KindInfo {
    kind: Kind::Signs,
    slug: "signs",
    title: "Signs of security",
    intro: "Ten tendencies of a more secure way of relating. Rate how true each has been lately; it is a way of noticing, not a test.",
    question: "How true has this been lately?",
    min: 1,
    max: 5,
    low_label: "Not at all",
    high_label: "Very true",
    items: &[
        ("steady", "I felt fairly steady in my close relationships"),
        ("worth", "I kept a sense of my worth while there was tension"),
        ("ask", "I asked for reassurance without panic or shame"),
        ("offer", "I offered reassurance without feeling crowded"),
        ("conflict", "I got through disagreements without reading them as rejection"),
        ("curious", "I stayed curious instead of getting defensive"),
        ("direct", "I said clearly what hurt, what mattered and what would help"),
        ("repair", "I mended misunderstandings by offering or accepting repair"),
        ("both", "I valued both closeness and my own separate life"),
        ("deepen", "I let a connection deepen without trying to control it"),
    ],
};

pub const GROWTH: KindInfo = KindInfo {
    kind: Kind::Growth,
    slug: "growth",
    title: "As security grows",
    intro: "Changes people often notice as they grow more secure. Rate how much you have noticed each lately.",
    question: "How much have you noticed this lately?",
    min: 1,
    max: 5,
    low_label: "Not at all",
    high_label: "A lot",
    items: &[
        ("less-panic", "Less panic when we are briefly out of touch"),
        ("less-shutdown", "Less shutting down when feelings run high"),
        ("name-feelings", "More words for what I feel"),
        ("direct", "Saying things more directly"),
        ("trust-repair", "More trust that repair will come"),
        ("needs", "Less fear of having needs"),
        ("closeness", "More ease with closeness"),
        ("present", "Staying present a little longer in hard moments"),
        ("no-collapse", "More confidence that conflict will not become collapse"),
        ("self", "A steadier relationship with myself"),
    ],
};

pub const NEEDS: KindInfo = KindInfo {
    kind: Kind::Needs,
    slug: "needs",
    title: "Needs",
    intro: "The ten needs of a secure bond. Rate how met each has felt lately, and choose one you would like to be able to name.",
    question: "How met has this felt lately?",
    min: 0,
    max: 10,
    low_label: "Not met",
    high_label: "Fully met",
    items: &[
        ("responsiveness", "Emotional responsiveness"),
        ("consistency", "Consistency"),
        ("repair", "Repair"),
        ("validation", "Validation"),
        ("warmth", "Warmth"),
        ("accountability", "Accountability"),
        ("honesty", "Honesty"),
        ("trustworthiness", "Trustworthiness"),
        ("accessibility", "Accessibility"),
        ("mutual-care", "Mutual care"),
    ],
};

pub const TODAY: KindInfo = KindInfo {
    kind: Kind::Today,
    slug: "today",
    title: "Today",
    intro: "Ten seconds: how safe did closeness feel today? Add a word or two if you like.",
    question: "How safe did closeness feel today?",
    min: 1,
    max: 5,
    low_label: "Not safe",
    high_label: "Very safe",
    items: &[("closeness", "How safe closeness felt today")],
};

pub const ALL: [&KindInfo; 4] = [&TODAY, &NEEDS, &SIGNS, &GROWTH];

pub fn info(slug: &str) -> Option<&'static KindInfo> {
    ALL.into_iter().find(|k| k.slug == slug)
}

pub const MAX_NOTE: usize = 200;

/// A check-in as submitted.
#[derive(Debug, Clone, Default)]
pub struct CheckInInput {
    pub values: BTreeMap<String, i64>,
    /// Today: a word or two. Needs: the id of the need the member would like to name.
    pub note: String,
}

/// Check a submission: every item answered within range; the note fits.
pub fn validate(k: &KindInfo, input: &CheckInInput) -> Result<(), BTreeMap<String, String>> {
    let mut problems = BTreeMap::new();
    for (id, _) in k.items {
        match input.values.get(*id) {
            None => {
                problems.insert((*id).to_owned(), "Please choose a value.".to_owned());
            }
            Some(v) if *v < k.min || *v > k.max => {
                problems.insert((*id).to_owned(), format!("Values run from {} to {}.", k.min, k.max));
            }
            Some(_) => {}
        }
    }
    for key in input.values.keys() {
        if !k.items.iter().any(|(id, _)| id == key) {
            problems.insert(key.clone(), "This is not part of this check-in.".to_owned());
        }
    }
    if input.note.chars().count() > MAX_NOTE {
        problems.insert("note".into(), format!("Please keep this to {MAX_NOTE} characters."));
    }
    if k.kind == Kind::Needs && !input.note.is_empty() && !k.items.iter().any(|(id, _)| *id == input.note) {
        problems.insert("note".into(), "Choose one of the ten needs.".into());
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// The mean of a check-in's values (its point on the chart).
pub fn score(values: &BTreeMap<String, i64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.values().sum::<i64>() as f64 / values.len() as f64
}

/// One CSV cell: quoted when needed, and never read as a formula by a spreadsheet.
pub fn csv_cell(value: &str) -> String {
    let safe = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) { format!("\"{}\"", safe.replace('"', "\"\"")) } else { safe }
}

pub fn csv_row(cells: &[&str]) -> String {
    let mut row = cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",");
    row.push_str("\r\n");
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{day_in_zone, days_before};

    fn values(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn every_kind_has_its_items() {
        assert_eq!(SIGNS.items.len(), 10);
        assert_eq!(GROWTH.items.len(), 10);
        assert_eq!(NEEDS.items.len(), 10);
        assert_eq!(TODAY.items.len(), 1);
        assert!(NEEDS.items.iter().any(|(id, _)| *id == "mutual-care"));
    }

    #[test]
    fn out_of_range_and_missing_values_are_named() {
        let input = CheckInInput { values: values(&[("closeness", 9)]), note: String::new() };
        assert!(validate(&TODAY, &input).unwrap_err()["closeness"].contains("1 to 5"));
        let input = CheckInInput { values: values(&[("warmth", 11)]), note: "nonsense".into() };
        let p = validate(&NEEDS, &input).unwrap_err();
        assert!(p["warmth"].contains("0 to 10"));
        assert!(p["honesty"].contains("choose"));
        assert!(p["note"].contains("ten needs"));
        let ok = CheckInInput { values: values(&[("closeness", 4)]), note: "calm evening".into() };
        assert!(validate(&TODAY, &ok).is_ok());
    }

    #[test]
    fn days_follow_the_members_time_zone() {
        // 2026-11-29T23:30Z: still the 29th in London, already the 30th in Auckland,
        // and the 29th (afternoon) in Los Angeles.
        let t = 1_795_995_000;
        assert_eq!(day_in_zone(t, "Europe/London"), "2026-11-29");
        assert_eq!(day_in_zone(t, "Pacific/Auckland"), "2026-11-30");
        assert_eq!(day_in_zone(t, "America/Los_Angeles"), "2026-11-29");
        // 2026-03-29T00:30Z is 01:30 in Berlin on the day the clocks change.
        assert_eq!(day_in_zone(1_774_744_200, "Europe/Berlin"), "2026-03-29");
        assert_eq!(days_before("2026-03-01", 1), "2026-02-28");
    }

    #[test]
    fn csv_cells_cannot_become_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_row(&["a", "=b"]), "a,'=b\r\n");
    }

    #[test]
    fn score_is_the_mean() {
        assert_eq!(score(&values(&[("a", 2), ("b", 4)])), 3.0);
    }
}
