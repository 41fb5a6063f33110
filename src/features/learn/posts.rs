//! Posts: the rules (pure) — who may see a post, what a valid post is, and
//! what state it is in.

use serde::Serialize;

use super::content;
use crate::web::FieldErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PostStatus {
    Draft,
    Scheduled,
    Published,
}

impl PostStatus {
    /// A post is stored as draft or published with a time; "scheduled" is a
    /// published post whose time has not come yet.
    pub fn of(stored_status: &str, publish_at: Option<i64>, now: i64) -> PostStatus {
        match (stored_status, publish_at) {
            ("published", Some(t)) if t > now => PostStatus::Scheduled,
            ("published", Some(_)) => PostStatus::Published,
            _ => PostStatus::Draft,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PostStatus::Draft => "Draft",
            PostStatus::Scheduled => "Scheduled",
            PostStatus::Published => "Published",
        }
    }
}

/// Who may read a post: everyone once it is published, staff always.
pub fn visible_to(status: PostStatus, viewer_is_staff: bool) -> bool {
    viewer_is_staff || status == PostStatus::Published
}

/// A post as a coach submits it (from the editor or the API).
#[derive(Debug, Clone, Default)]
pub struct PostInput {
    pub title: String,
    pub slug: String,
    pub excerpt: String,
    pub body: String,
    pub tags: String,
    pub chapters: Vec<String>,
    /// "draft", "publish" (now) or "schedule" (at `publish_at`).
    pub publish: String,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` in the author's time zone.
    pub publish_at: String,
    /// The stored publication time, kept when `publish` is "keep" (editing a published post).
    pub existing_publish_at: Option<i64>,
}

/// A post checked and ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPost {
    pub title: String,
    pub slug: String,
    pub excerpt: String,
    pub body: String,
    pub tags: Vec<String>,
    pub chapters: Vec<String>,
    pub status: &'static str,
    pub publish_at: Option<i64>,
}

pub const MAX_BODY: usize = 100_000;

/// Check a submitted post. `now` and `time_zone` interpret a scheduled time.
pub fn validate(input: &PostInput, now: i64, time_zone: &str) -> Result<ValidPost, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = input.title.trim().to_owned();
    if title.is_empty() {
        errors.add("title", "Please give the post a title.");
    } else if title.chars().count() > 160 {
        errors.add("title", "Please keep the title to 160 characters.");
    }
    let slug = if input.slug.trim().is_empty() {
        super::markdown::slugify(&title)
    } else {
        input.slug.trim().to_owned()
    };
    if !is_valid_slug(&slug) {
        errors.add("slug", "Use lowercase letters, digits and hyphens, for example how-repair-works.");
    }
    let excerpt = input.excerpt.trim().to_owned();
    if excerpt.chars().count() > 400 {
        errors.add("excerpt", "Please keep the excerpt to 400 characters.");
    }
    let body = input.body.trim_end().to_owned();
    if body.trim().is_empty() {
        errors.add("body", "The post has no text yet.");
    } else if body.len() > MAX_BODY {
        errors.add("body", "The post is longer than 100,000 characters; please split it.");
    }
    let tags = parse_tags(&input.tags);
    if tags.len() > 8 {
        errors.add("tags", "Use at most eight tags.");
    } else if tags.iter().any(|t| !is_valid_slug(t) || t.len() > 40) {
        errors.add("tags", "Tags are single words or hyphenated words, such as repair or negative-cycles.");
    }
    let mut chapters = Vec::new();
    for c in &input.chapters {
        if content::chapter(c).is_none() {
            errors.add("chapters", "Choose chapters from the list.");
        } else if !chapters.contains(c) {
            chapters.push(c.clone());
        }
    }
    let (status, publish_at) = match input.publish.as_str() {
        "draft" | "" => ("draft", None),
        "publish" => ("published", Some(now)),
        "keep" => ("published", Some(input.existing_publish_at.unwrap_or(now))),
        "schedule" => match parse_time(&input.publish_at, time_zone) {
            Some(t) if t > now => ("published", Some(t)),
            Some(_) => {
                errors.add("publish_at", "Choose a time in the future, or publish now.");
                ("draft", None)
            }
            None => {
                errors.add("publish_at", "Choose a date and time for the post to appear.");
                ("draft", None)
            }
        },
        _ => {
            errors.add("publish", "Choose draft, publish now, or schedule.");
            ("draft", None)
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidPost { title, slug, excerpt, body, tags, chapters, status, publish_at })
}

pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// "Repair, negative cycles; shame" → ["repair", "negative-cycles", "shame"].
pub fn parse_tags(raw: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in raw.split([',', ';', '\n']) {
        let tag = super::markdown::slugify(t.trim());
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

pub use crate::clock::{parse_time, to_local_input};

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_995_000; // 2026-11-29T23:30:00Z

    fn input() -> PostInput {
        PostInput {
            title: "When reassurance helps".into(),
            body: "Some words.".into(),
            publish: "publish".into(),
            ..Default::default()
        }
    }

    #[test]
    fn status_follows_the_time() {
        assert_eq!(PostStatus::of("draft", None, NOW), PostStatus::Draft);
        assert_eq!(PostStatus::of("published", Some(NOW - 1), NOW), PostStatus::Published);
        assert_eq!(PostStatus::of("published", Some(NOW + 60), NOW), PostStatus::Scheduled);
        assert!(visible_to(PostStatus::Published, false));
        assert!(!visible_to(PostStatus::Scheduled, false));
        assert!(!visible_to(PostStatus::Draft, false));
        assert!(visible_to(PostStatus::Draft, true));
    }

    #[test]
    fn slug_comes_from_the_title_when_left_empty() {
        let p = validate(&input(), NOW, "UTC").unwrap();
        assert_eq!(p.slug, "when-reassurance-helps");
        assert_eq!(p.status, "published");
        assert_eq!(p.publish_at, Some(NOW));
    }

    #[test]
    fn problems_are_named_per_field() {
        let bad = PostInput {
            title: " ".into(),
            slug: "Not A Slug!".into(),
            body: "".into(),
            tags: "ok, ".into(),
            chapters: vec!["no-such-chapter".into()],
            publish: "schedule".into(),
            publish_at: "2020-01-01T10:00".into(),
            ..Default::default()
        };
        let e = validate(&bad, NOW, "UTC").unwrap_err();
        for field in ["title", "slug", "body", "chapters", "publish_at"] {
            assert!(e.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn scheduling_reads_local_time_in_the_authors_zone() {
        let p = PostInput { publish: "schedule".into(), publish_at: "2026-12-01T09:00".into(), ..input() };
        let v = validate(&p, NOW, "Europe/Berlin").unwrap();
        // 09:00 in Berlin (UTC+1 in December) is 08:00 UTC.
        assert_eq!(crate::clock::rfc3339(v.publish_at.unwrap()), "2026-12-01T08:00:00Z");
        assert_eq!(to_local_input(v.publish_at.unwrap(), "Europe/Berlin"), "2026-12-01T09:00");
    }

    #[test]
    fn editing_a_published_post_keeps_its_date() {
        let p = PostInput { publish: "keep".into(), existing_publish_at: Some(NOW - 86_400), ..input() };
        assert_eq!(validate(&p, NOW, "UTC").unwrap().publish_at, Some(NOW - 86_400));
    }

    #[test]
    fn tags_are_tidied() {
        assert_eq!(
            parse_tags("Repair, negative cycles; shame,repair"),
            ["repair", "negative-cycles", "shame"]
        );
    }
}
