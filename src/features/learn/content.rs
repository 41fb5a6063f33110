//! The guide, the FAQ and the resources list: text shipped inside the binary,
//! parsed once on first use.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::markdown;

/// One chapter of the guide.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Chapter {
    pub number: usize,
    pub slug: String,
    pub title: String,
    pub summary: String,
    #[serde(skip)]
    pub markdown: &'static str,
    /// Sanitised HTML of the chapter.
    pub html: String,
    /// The chapter's sections: (anchor id, heading).
    #[serde(skip)]
    pub sections: Vec<(String, String)>,
    #[serde(skip)]
    pub plain_text: String,
    pub reading_minutes: i64,
}

const CHAPTER_FILES: &[(&str, &str)] = &[
    ("01-what-it-is.md", include_str!("../../../content/guide/01-what-it-is.md")),
    ("02-what-it-is-not.md", include_str!("../../../content/guide/02-what-it-is-not.md")),
    ("03-what-it-feels-like.md", include_str!("../../../content/guide/03-what-it-feels-like.md")),
    ("04-common-signs.md", include_str!("../../../content/guide/04-common-signs.md")),
    ("05-how-it-develops.md", include_str!("../../../content/guide/05-how-it-develops.md")),
    ("06-in-a-relationship.md", include_str!("../../../content/guide/06-in-a-relationship.md")),
    ("07-what-it-makes-possible.md", include_str!("../../../content/guide/07-what-it-makes-possible.md")),
    ("08-what-it-needs.md", include_str!("../../../content/guide/08-what-it-needs.md")),
    ("09-conflict.md", include_str!("../../../content/guide/09-conflict.md")),
    ("10-individuality.md", include_str!("../../../content/guide/10-individuality.md")),
    ("11-four-paths.md", include_str!("../../../content/guide/11-four-paths.md")),
    ("12-when-it-isnt-safe.md", include_str!("../../../content/guide/12-when-it-isnt-safe.md")),
];

#[derive(Deserialize)]
struct FrontMatter {
    title: String,
    summary: String,
}

/// Split `+++ toml +++ body` and parse the front matter.
fn parse_chapter(number: usize, file: &str, text: &'static str) -> Result<Chapter, String> {
    let rest = text.strip_prefix("+++\n").ok_or_else(|| format!("{file}: no front matter"))?;
    let (front, body) =
        rest.split_once("\n+++\n").ok_or_else(|| format!("{file}: front matter not closed"))?;
    let front: FrontMatter = toml::from_str(front).map_err(|e| format!("{file}: {e}"))?;
    let slug = file.trim_end_matches(".md").split_once('-').map(|(_, s)| s).unwrap_or(file);
    let plain_text = markdown::to_plain_text(body);
    Ok(Chapter {
        number,
        slug: slug.to_owned(),
        title: front.title,
        summary: front.summary,
        markdown: body,
        html: markdown::to_safe_html(body),
        sections: markdown::headings(body),
        reading_minutes: markdown::reading_minutes(&plain_text),
        plain_text,
    })
}

pub fn chapters() -> &'static [Chapter] {
    static CHAPTERS: OnceLock<Vec<Chapter>> = OnceLock::new();
    CHAPTERS.get_or_init(|| {
        CHAPTER_FILES
            .iter()
            .enumerate()
            .map(|(i, (file, text))| {
                parse_chapter(i + 1, file, text).expect("guide chapters are checked by tests")
            })
            .collect()
    })
}

pub fn chapter(slug: &str) -> Option<&'static Chapter> {
    chapters().iter().find(|c| c.slug == slug)
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FaqEntry {
    pub id: String,
    pub question: String,
    /// Markdown as written.
    pub answer: String,
    /// Sanitised HTML of the answer.
    #[serde(default)]
    pub answer_html: String,
}

#[derive(Deserialize)]
struct FaqFile {
    question: Vec<FaqEntry>,
}

pub fn faq() -> &'static [FaqEntry] {
    static FAQ: OnceLock<Vec<FaqEntry>> = OnceLock::new();
    FAQ.get_or_init(|| {
        let file: FaqFile =
            toml::from_str(include_str!("../../../content/faq.toml")).expect("faq.toml is checked by tests");
        file.question
            .into_iter()
            .map(|mut q| {
                q.answer = q.answer.trim().to_owned();
                q.answer_html = markdown::to_safe_html(&q.answer);
                q
            })
            .collect()
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resource {
    pub kind: String,
    pub title: String,
    pub author: String,
    pub year: i32,
    pub note: String,
}

#[derive(Deserialize)]
struct ResourceFile {
    resource: Vec<Resource>,
}

pub fn resources() -> &'static [Resource] {
    static RESOURCES: OnceLock<Vec<Resource>> = OnceLock::new();
    RESOURCES.get_or_init(|| {
        let file: ResourceFile = toml::from_str(include_str!("../../../content/resources.toml"))
            .expect("resources.toml is checked by tests");
        file.resource
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_chapters_in_order_with_unique_slugs() {
        let all = chapters();
        assert_eq!(all.len(), 12);
        let slugs: std::collections::HashSet<_> = all.iter().map(|c| c.slug.as_str()).collect();
        assert_eq!(slugs.len(), 12);
        assert_eq!(all[0].slug, "what-it-is");
        assert_eq!(all[11].slug, "when-it-isnt-safe");
        for c in all {
            assert!(!c.title.is_empty() && !c.summary.is_empty(), "{}", c.slug);
            assert!(c.html.contains("<p>"), "{}", c.slug);
        }
    }

    #[test]
    fn the_safety_chapter_says_it_plainly() {
        let c = chapter("when-it-isnt-safe").unwrap();
        assert!(c.plain_text.contains("abuse"));
        assert!(c.html.contains("href=\"/safety\""));
    }

    #[test]
    fn four_paths_have_anchors_for_get_started() {
        let c = chapter("four-paths").unwrap();
        let ids: Vec<_> = c.sections.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["already-secure", "growing", "partner-more-secure", "more-secure-partner"]);
    }

    #[test]
    fn faq_and_resources_load() {
        assert!(faq().len() >= 7);
        assert!(faq().iter().any(|q| q.id == "who-sees-what"));
        assert!(resources().len() >= 8);
        assert!(resources().iter().all(|r| r.year > 1900 && r.year < 2100));
    }
}
