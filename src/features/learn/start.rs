//! Get started: a few questions about where someone is, answered with a
//! starting plan. Pure logic; the answers travel as a short encoded string (a
//! cookie for visitors, a row for members).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StartAnswers {
    /// already-secure, growing, partner-more-secure, more-secure-partner or not-sure.
    pub path: String,
    /// alone, with-partner or not-in-relationship.
    pub company: String,
    /// What brought them: conflict, distance, reassurance, after-hurt, new-relationship, curious.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// They said they sometimes feel afraid of their partner.
    #[serde(default)]
    pub afraid: bool,
}

pub const PATHS: &[(&str, &str)] = &[
    ("already-secure", "Closeness mostly feels safe to me, and I want to keep it that way"),
    ("growing", "I often worry about the bond, or pull away, and I want to feel steadier"),
    ("partner-more-secure", "My partner seems steadier in the relationship than I am"),
    ("more-secure-partner", "I am usually the steadier one, and it can feel like a lot"),
    ("not-sure", "I am not sure yet"),
];

pub const COMPANY: &[(&str, &str)] = &[
    ("alone", "On my own, while in a relationship"),
    ("with-partner", "With my partner"),
    ("not-in-relationship", "On my own, not in a relationship right now"),
];

pub const REASONS: &[(&str, &str)] = &[
    ("conflict", "We keep having the same argument"),
    ("distance", "We feel far apart"),
    ("reassurance", "I need a lot of reassurance"),
    ("after-hurt", "Something hurtful happened and we need to repair"),
    ("new-relationship", "A new relationship, and I want to start well"),
    ("curious", "I am curious about attachment"),
];

impl StartAnswers {
    /// Check the answers against the choices offered.
    pub fn validate(&self) -> Result<(), crate::web::FieldErrors> {
        let mut errors = crate::web::FieldErrors::new();
        if !PATHS.iter().any(|(k, _)| *k == self.path) {
            errors.add("path", "Choose the description that fits best, or \"not sure\".");
        }
        if !COMPANY.iter().any(|(k, _)| *k == self.company) {
            errors.add("company", "Choose whether you are here alone or with a partner.");
        }
        if self.reasons.iter().any(|r| !REASONS.iter().any(|(k, _)| k == r)) {
            errors.add("reasons", "Choose from the reasons listed.");
        }
        errors.into_result().map_err(|e| match e {
            crate::web::AppError::Validation(f) => f,
            _ => crate::web::FieldErrors::new(),
        })
    }

    pub fn encode(&self) -> String {
        format!(
            "path={}&company={}&reasons={}&afraid={}",
            self.path,
            self.company,
            self.reasons.join("."),
            u8::from(self.afraid)
        )
    }

    pub fn decode(s: &str) -> Option<StartAnswers> {
        let mut a =
            StartAnswers { path: String::new(), company: String::new(), reasons: Vec::new(), afraid: false };
        for pair in s.split('&') {
            let (k, v) = pair.split_once('=')?;
            match k {
                "path" => a.path = v.to_owned(),
                "company" => a.company = v.to_owned(),
                "reasons" => a.reasons = v.split('.').filter(|r| !r.is_empty()).map(str::to_owned).collect(),
                "afraid" => a.afraid = v == "1",
                _ => {}
            }
        }
        a.validate().ok().map(|_| a)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanStep {
    pub title: String,
    pub url: String,
    pub why: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StartPlan {
    pub headline: String,
    /// Shown first when the person said they are afraid of their partner.
    pub safety_first: bool,
    pub steps: Vec<PlanStep>,
}

fn step(slug: &str, anchor: Option<&str>, why: &str) -> PlanStep {
    let chapter = super::content::chapter(slug);
    PlanStep {
        title: chapter.map_or_else(|| slug.to_owned(), |c| c.title.clone()),
        url: match anchor {
            Some(a) => format!("/guide/{slug}#{a}"),
            None => format!("/guide/{slug}"),
        },
        why: why.to_owned(),
    }
}

/// The starting plan for a set of answers.
pub fn plan(a: &StartAnswers) -> StartPlan {
    if a.afraid {
        return StartPlan {
            headline: "Your safety comes first.".into(),
            safety_first: true,
            steps: vec![
                PlanStep {
                    title: "Safety and where to find help".into(),
                    url: "/safety".into(),
                    why: "Feeling afraid of a partner is a reason to talk to a specialist service before anything else."
                        .into(),
                },
                step(
                    "when-it-isnt-safe",
                    None,
                    "Why attachment exercises are the wrong tool when someone is frightening or controlling you.",
                ),
            ],
        };
    }
    let mut steps =
        vec![step("what-it-is", None, "A shared starting point: what security is, and what it is not.")];
    match a.path.as_str() {
        "already-secure" => {
            steps.push(step(
                "four-paths",
                Some("already-secure"),
                "The growth edges that remain even when you feel fairly secure.",
            ));
            steps.push(step("what-it-needs", None, "The needs that keep a secure bond strong."));
        }
        "growing" => {
            steps.push(step(
                "four-paths",
                Some("growing"),
                "What progress tends to look like, so you can notice it.",
            ));
            steps.push(step(
                "how-it-develops",
                None,
                "Security can be built at any age, one experience at a time.",
            ));
        }
        "partner-more-secure" => {
            steps.push(step(
                "four-paths",
                Some("partner-more-secure"),
                "Using your partner's steadiness without handing them the whole load.",
            ));
            steps.push(step(
                "what-it-feels-like",
                None,
                "Calm can feel unfamiliar at first; this helps you read it.",
            ));
        }
        "more-secure-partner" => {
            steps.push(step(
                "four-paths",
                Some("more-secure-partner"),
                "Bringing steadiness without carrying everything.",
            ));
            steps.push(step("individuality", None, "Staying yourself while staying close."));
        }
        _ => {
            steps.push(step("common-signs", None, "Ten tendencies to read with curiosity, not as a test."));
            steps.push(step("four-paths", None, "Four starting points; one may sound like you."));
        }
    }
    for reason in &a.reasons {
        let extra = match reason.as_str() {
            "conflict" => {
                Some(step("conflict", None, "Habits that keep connection in the room during a disagreement."))
            }
            "distance" => {
                Some(step("in-a-relationship", None, "Small, frequent ways of turning toward each other."))
            }
            "reassurance" => Some(step(
                "what-it-needs",
                None,
                "Naming a need plainly gives the other person something they can do.",
            )),
            "after-hurt" => Some(step("conflict", None, "Repair after a rupture, and owning the impact.")),
            "new-relationship" => {
                Some(step("what-it-makes-possible", None, "What you are building toward together."))
            }
            "curious" => Some(step("how-it-develops", None, "Where security comes from.")),
            _ => None,
        };
        if let Some(extra) = extra
            && !steps.iter().any(|s| s.url == extra.url)
        {
            steps.push(extra);
        }
    }
    let headline = match a.company.as_str() {
        "with-partner" => "A starting plan for the two of you.",
        "not-in-relationship" => "A starting plan for you, for now and for later.",
        _ => "A starting plan for you.",
    };
    StartPlan { headline: headline.into(), safety_first: false, steps: steps.into_iter().take(5).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(path: &str) -> StartAnswers {
        StartAnswers { path: path.into(), company: "alone".into(), reasons: vec![], afraid: false }
    }

    #[test]
    fn each_path_leads_to_its_section() {
        for (path, _) in PATHS.iter().filter(|(p, _)| *p != "not-sure") {
            let p = plan(&answers(path));
            assert!(p.steps.iter().any(|s| s.url == format!("/guide/four-paths#{path}")), "{path}");
            assert!(p.steps.iter().all(|s| {
                super::super::content::chapter(s.url.trim_start_matches("/guide/").split('#').next().unwrap())
                    .is_some()
            }));
        }
    }

    #[test]
    fn fear_puts_safety_first_and_nothing_else() {
        let p = plan(&StartAnswers { afraid: true, ..answers("growing") });
        assert!(p.safety_first);
        assert_eq!(p.steps[0].url, "/safety");
        assert!(!p.steps.iter().any(|s| s.url.contains("four-paths")));
    }

    #[test]
    fn reasons_add_chapters_once() {
        let a = StartAnswers { reasons: vec!["conflict".into(), "after-hurt".into()], ..answers("growing") };
        let p = plan(&a);
        assert_eq!(p.steps.iter().filter(|s| s.url == "/guide/conflict").count(), 1);
    }

    #[test]
    fn encoding_round_trips_and_rejects_tampering() {
        let a = StartAnswers {
            reasons: vec!["conflict".into(), "distance".into()],
            afraid: true,
            ..answers("more-secure-partner")
        };
        assert_eq!(StartAnswers::decode(&a.encode()), Some(a));
        assert_eq!(StartAnswers::decode("path=<script>&company=alone&reasons=&afraid=0"), None);
        assert_eq!(StartAnswers::decode("garbage"), None);
    }
}
