//! Instruments are data: a TOML file names the items, their dimension and
//! keying, the response scale, how each dimension is scored, and (optionally)
//! the psychometrics needed to judge change. Parsing (`file.rs`) and scoring
//! (here) are pure.

mod file;
pub mod registry;

pub use file::{InstrumentError, parse};

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Instrument {
    pub id: String,
    pub title: String,
    pub description: String,
    pub attribution: String,
    pub licence: String,
    /// Number of points on the response scale (answers run from 1 to `points`).
    pub points: u8,
    /// A label for each point, from 1 upwards.
    pub labels: Vec<String>,
    pub dimensions: Vec<Dimension>,
    pub items: Vec<Item>,
    /// Interpretations by region (low/high on each of the first two dimensions).
    pub regions: Vec<Region>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dimension {
    pub id: String,
    pub title: String,
    /// Test–retest or internal-consistency reliability (0–1), if known.
    pub reliability: Option<f64>,
    /// Standard deviation of dimension scores in a reference sample, if known.
    pub sd: Option<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: String,
    pub text: String,
    pub dimension: String,
    pub reverse: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Region {
    /// "low" or "high" on the first dimension.
    pub first: String,
    /// "low" or "high" on the second dimension.
    pub second: String,
    pub title: String,
    pub text: String,
    /// A guide address to read next.
    pub read_next: Option<String>,
}

/// Problems with a set of answers: item id → what is wrong.
pub type AnswerProblems = BTreeMap<String, String>;

impl Instrument {
    pub fn midpoint(&self) -> f64 {
        (f64::from(self.points) + 1.0) / 2.0
    }

    /// Check that every item has an answer on the scale.
    pub fn check_answers(&self, answers: &BTreeMap<String, i64>) -> Result<(), AnswerProblems> {
        let mut problems = AnswerProblems::new();
        for item in &self.items {
            match answers.get(&item.id) {
                None => {
                    problems.insert(item.id.clone(), "Please choose an answer.".into());
                }
                Some(v) if *v < 1 || *v > i64::from(self.points) => {
                    problems.insert(item.id.clone(), format!("Answers run from 1 to {}.", self.points));
                }
                Some(_) => {}
            }
        }
        for key in answers.keys() {
            if !self.items.iter().any(|i| &i.id == key) {
                problems.insert(key.clone(), "This is not an item of this instrument.".into());
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    /// Each dimension's score: the mean of its items, a reverse-keyed item
    /// counting as `points + 1 - answer`. Assumes `check_answers` passed.
    pub fn score(&self, answers: &BTreeMap<String, i64>) -> BTreeMap<String, f64> {
        let mut sums: BTreeMap<String, (f64, f64)> = BTreeMap::new();
        for item in &self.items {
            let Some(&answer) = answers.get(&item.id) else { continue };
            let value = if item.reverse { i64::from(self.points) + 1 - answer } else { answer };
            let e = sums.entry(item.dimension.clone()).or_default();
            e.0 += value as f64;
            e.1 += 1.0;
        }
        sums.into_iter().map(|(k, (sum, n))| (k, sum / n)).collect()
    }

    /// How a result reads: "near the middle on both" when both of the first
    /// two scores sit close to the scale's midpoint (neither side describes
    /// them), otherwise the region the two scores fall in.
    pub fn interpretation(&self, scores: &BTreeMap<String, f64>) -> Option<Region> {
        if self.near_middle(scores) { Some(Region::near_middle()) } else { self.region(scores).cloned() }
    }

    /// Both of the first two scores within `NEAR_MIDDLE` of the midpoint.
    pub fn near_middle(&self, scores: &BTreeMap<String, f64>) -> bool {
        let mid = self.midpoint();
        self.dimensions.len() >= 2
            && self.dimensions[..2]
                .iter()
                .all(|d| scores.get(&d.id).is_some_and(|s| (s - mid).abs() < NEAR_MIDDLE))
    }

    /// The interpretation for a pair of scores on the first two dimensions.
    pub fn region(&self, scores: &BTreeMap<String, f64>) -> Option<&Region> {
        let [first, second] = [self.dimensions.first()?, self.dimensions.get(1)?];
        let side = |d: &Dimension| {
            if scores.get(&d.id).copied().unwrap_or(0.0) > self.midpoint() { "high" } else { "low" }
        };
        let (a, b) = (side(first), side(second));
        self.regions.iter().find(|r| r.first == a && r.second == b)
    }
}

/// How close to the midpoint both scores must be to read as "near the middle".
pub const NEAR_MIDDLE: f64 = 0.5;

impl Region {
    /// The words for a result near the middle on both dimensions.
    pub fn near_middle() -> Region {
        Region {
            first: "middle".into(),
            second: "middle".into(),
            title: "Near the middle on both".into(),
            text: "Your answers sit close to the middle on both dimensions. That often means it depends: on the day, on the person, on what is at stake. Noticing when you lean one way or the other may tell you more than the numbers do.".into(),
            read_next: Some("/guide/what-it-is".into()),
        }
    }
}

/// How a change on one dimension compares with measurement noise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Larger than the instrument's noise (|RC| > 1.96).
    Reliable { rc: f64 },
    /// Within the range that measurement noise alone can produce.
    WithinNoise { rc: f64 },
    /// The instrument has no reliability and SD, so it cannot tell.
    Unknown,
}

/// The Reliable Change Index (Jacobson & Truax): RC = (x2 − x1) / √(2·SE²),
/// with SE = SD·√(1 − r). A change is reliable when |RC| > 1.96.
pub fn reliable_change(before: f64, after: f64, sd: Option<f64>, reliability: Option<f64>) -> Change {
    let (Some(sd), Some(r)) = (sd, reliability) else { return Change::Unknown };
    let se = sd * (1.0 - r).sqrt();
    let s_diff = (2.0 * se * se).sqrt();
    if s_diff <= 0.0 {
        return Change::Unknown;
    }
    let rc = (after - before) / s_diff;
    if rc.abs() > 1.96 { Change::Reliable { rc } } else { Change::WithinNoise { rc } }
}

/// The change in words a member understands.
pub fn describe_change(dimension: &str, before: f64, after: f64, change: Change) -> String {
    let direction = if after > before {
        "higher"
    } else if after < before {
        "lower"
    } else {
        "the same"
    };
    let moved = if direction == "the same" {
        format!("Your {dimension} score is the same as last time.")
    } else {
        format!("Your {dimension} score is {direction} than last time ({before:.1} → {after:.1}).")
    };
    let verdict = match change {
        Change::Reliable { .. } => {
            "That is a real change: larger than the ups and downs this questionnaire shows from one day to the next."
        }
        Change::WithinNoise { .. } => {
            "That is within the range that can happen by chance, so it may not mean much on its own."
        }
        // Said once under all the changes (`UNMEASURED_CHANGE`), not on each.
        Change::Unknown => return moved,
    };
    format!("{moved} {verdict}")
}

/// Shown once on a page whose changes include any `Change::Unknown`.
pub const UNMEASURED_CHANGE: &str = "This questionnaire has no measured reliability, so it cannot tell whether a change this size is more than ordinary day-to-day variation.";

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
id = "tiny"
title = "Tiny"
description = "d"
attribution = "a"
licence = "l"

[scale]
points = 5
labels = ["1", "2", "3", "4", "5"]

[[dimensions]]
id = "anxiety"
title = "Anxiety"
reliability = 0.9
sd = 1.0

[[dimensions]]
id = "avoidance"
title = "Avoidance"

[[items]]
id = "a1"
text = "x"
dimension = "anxiety"

[[items]]
id = "a2"
text = "x"
dimension = "anxiety"
reverse = true

[[items]]
id = "v1"
text = "x"
dimension = "avoidance"
"#;

    fn answers(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn scores_are_means_with_reverse_keys() {
        let i = parse(SMALL).unwrap();
        // a1 = 4, a2 = 2 reversed on 5 points → 4; mean 4. v1 = 1.
        let s = i.score(&answers(&[("a1", 4), ("a2", 2), ("v1", 1)]));
        assert_eq!(s["anxiety"], 4.0);
        assert_eq!(s["avoidance"], 1.0);
        let s = i.score(&answers(&[("a1", 5), ("a2", 5), ("v1", 3)]));
        assert_eq!(s["anxiety"], 3.0);
    }

    #[test]
    fn scores_close_to_the_middle_on_both_read_as_near_the_middle() {
        let i = parse(SMALL).unwrap();
        // Five points: the midpoint is 3.
        let scores =
            |a: f64, v: f64| BTreeMap::from([("anxiety".to_owned(), a), ("avoidance".to_owned(), v)]);
        assert!(i.near_middle(&scores(3.0, 3.3)));
        assert!(i.near_middle(&scores(2.6, 3.4)));
        assert!(!i.near_middle(&scores(3.0, 3.5)), "half a point away is no longer the middle");
        assert!(!i.near_middle(&scores(4.2, 3.0)), "both must be near it");
        assert_eq!(i.interpretation(&scores(3.1, 2.9)).unwrap().title, "Near the middle on both");
        assert_ne!(
            i.interpretation(&scores(4.5, 1.0)).map(|r| r.title),
            Some("Near the middle on both".to_owned())
        );
    }

    #[test]
    fn missing_and_out_of_range_answers_are_named() {
        let i = parse(SMALL).unwrap();
        let p = i.check_answers(&answers(&[("a1", 9), ("zz", 1)])).unwrap_err();
        assert!(p["a1"].contains("1 to 5"));
        assert!(p["a2"].contains("choose"));
        assert!(p["v1"].contains("choose"));
        assert!(p["zz"].contains("not an item"));
    }

    #[test]
    fn malformed_files_report_line_and_reason() {
        let unknown_dimension = SMALL.replace("dimension = \"avoidance\"", "dimension = \"closeness\"");
        let e = parse(&unknown_dimension).unwrap_err();
        assert!(e.reason.contains("unknown dimension `closeness`"), "{e}");
        assert_eq!(e.line, SMALL.lines().position(|l| l == "dimension = \"avoidance\"").unwrap() + 1);

        let duplicate = SMALL.replace("id = \"a2\"", "id = \"a1\"");
        let e = parse(&duplicate).unwrap_err();
        assert!(e.reason.contains("used twice"));
        assert_eq!(e.line, SMALL.lines().position(|l| l == "id = \"a2\"").unwrap() + 1);

        let one_point = SMALL.replace("points = 5", "points = 1");
        assert!(parse(&one_point).unwrap_err().reason.contains("2 to 11 points"));

        let reverse_on_missing = SMALL.replace("reverse = true", "reverse = true\nreverse_of = \"b9\"");
        assert!(parse(&reverse_on_missing).is_err());

        let bad_toml = "id = \"x\"\ntitle = \n";
        assert_eq!(parse(bad_toml).unwrap_err().line, 2);
    }

    #[test]
    fn reliable_change_with_worked_numbers() {
        // SD 1.0, r = 0.9: SE = √0.1 = 0.3162; S_diff = √(2·0.1) = 0.4472.
        // A change of 1.0 gives RC = 2.236 (> 1.96): reliable.
        match reliable_change(3.0, 4.0, Some(1.0), Some(0.9)) {
            Change::Reliable { rc } => assert!((rc - 2.236).abs() < 0.001, "{rc}"),
            other => panic!("{other:?}"),
        }
        // A change of 0.5 gives RC = 1.118: within noise.
        match reliable_change(3.0, 3.5, Some(1.0), Some(0.9)) {
            Change::WithinNoise { rc } => assert!((rc - 1.118).abs() < 0.001, "{rc}"),
            other => panic!("{other:?}"),
        }
        // SD 1.2, r = 0.8: S_diff = √(2·1.44·0.2) = 0.7589; a drop of 1.6 gives RC = −2.108.
        match reliable_change(5.0, 3.4, Some(1.2), Some(0.8)) {
            Change::Reliable { rc } => assert!((rc + 2.108).abs() < 0.001, "{rc}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(reliable_change(1.0, 7.0, None, Some(0.9)), Change::Unknown);
    }

    #[test]
    fn change_is_described_in_plain_words() {
        let s = describe_change("anxiety", 3.0, 4.0, Change::Reliable { rc: 2.2 });
        assert!(s.contains("higher") && s.contains("real change"));
        assert!(describe_change("anxiety", 3.0, 3.5, Change::WithinNoise { rc: 1.1 }).contains("by chance"));
        let unknown = describe_change("anxiety", 3.0, 3.5, Change::Unknown);
        assert_eq!(
            unknown, "Your anxiety score is higher than last time (3.0 → 3.5).",
            "the caveat is said once per page"
        );
    }
}
