//! Markdown to safe HTML: pulldown-cmark renders, ammonia removes anything that
//! could run (scripts, event handlers, `javascript:` links, styles).

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id"])
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("noopener noreferrer"))
            .rm_tags(["img"]);
        b
    })
}

/// Parsed events, with an id given to every heading that has none (from its text),
/// so a page can link to its sections.
fn events_with_heading_ids(markdown: &str) -> Vec<Event<'_>> {
    let mut events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    for i in 0..events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let text: String = events[i + 1..]
                .iter()
                .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(slugify(&text).into());
            }
        }
    }
    events
}

/// Lowercase letters and digits joined by single hyphens: "What it needs" → "what-it-needs".
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Render Markdown written by a coach (or shipped with the guide) as sanitised HTML.
pub fn to_safe_html(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events_with_heading_ids(markdown).into_iter());
    sanitizer().clean(&raw).to_string()
}

/// The text of a Markdown document without markup, for search and excerpts.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_)) => {
                out.push('\n')
            }
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// Second-level headings with their ids (`## Title {#id}`), for a page's contents list.
pub fn headings(markdown: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in events_with_heading_ids(markdown) {
        match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, id, .. }) => {
                current = Some((id.map(|i| i.to_string()).unwrap_or_default(), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                if let Some((id, text)) = current.take()
                    && !id.is_empty()
                {
                    found.push((id, text));
                }
            }
            _ => {}
        }
    }
    found
}

/// Minutes to read, at about 200 words a minute, never less than one.
pub fn reading_minutes(text: &str) -> i64 {
    let words = text.split_whitespace().count() as i64;
    ((words + 199) / 200).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_ordinary_markdown() {
        let html = to_safe_html("## Hello {#hi}\n\nSome *warm* words and a [link](https://example.org).");
        assert!(html.contains("<h2 id=\"hi\">Hello</h2>"), "{html}");
        assert!(html.contains("<em>warm</em>"));
        assert!(html.contains("href=\"https://example.org\""));
        assert!(html.contains("rel=\"noopener noreferrer\""));
    }

    #[test]
    fn removes_everything_that_could_run() {
        let corpus = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<div onmouseover=\"alert(1)\">hover</div>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg><script>alert(1)</script></svg>",
            "<style>body{display:none}</style>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<object data=\"x\"></object><embed src=\"x\">",
            "<form action=\"https://evil.example\"><input name=q></form>",
            "<a href=\"vbscript:msgbox(1)\">x</a>",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        ];
        for payload in corpus {
            let html = to_safe_html(payload).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onmouseover",
                "javascript:",
                "<iframe",
                "<style",
                "style=",
                "data:",
                "<object",
                "<embed",
                "<form",
                "vbscript:",
                "<img",
            ] {
                assert!(!html.contains(bad), "{payload:?} left {bad:?} in {html:?}");
            }
        }
    }

    #[test]
    fn plain_text_and_headings() {
        let md = "## First {#first}\n\nA *b* c.\n\n## Second {#second}\n\n- one\n- two";
        assert_eq!(headings(md), vec![("first".into(), "First".into()), ("second".into(), "Second".into())]);
        let text = to_plain_text(md);
        assert!(text.contains("A b c.") && !text.contains('*'));
    }

    #[test]
    fn headings_without_ids_get_one_from_their_text() {
        assert_eq!(
            headings("## What it needs\n\ntext"),
            vec![("what-it-needs".into(), "What it needs".into())]
        );
        assert!(to_safe_html("## Two  words").contains("id=\"two-words\""));
        assert_eq!(slugify("  Hello, World! "), "hello-world");
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes("word"), 1);
        assert_eq!(reading_minutes(&"word ".repeat(401)), 3);
    }
}
