//! The export as a document a person can read: Markdown made from the same
//! sections as the JSON file, so every feature's data is in it without a
//! word of its own here. Headings come from what a thing is called (its
//! title, or the first of a few telling fields); identifiers are left to the
//! JSON file. Pure, so it is unit-tested.

use std::fmt::Write;

use serde_json::{Map, Value};

/// Fields that name a thing, most telling first; failing these, its first
/// text that is not an identifier or a time, then when it was made.
const NAMING_FIELDS: &[&str] = &["title", "name", "text", "instrument_id", "kind", "day"];
/// Text longer than this, or with a line break, is set as its own paragraph.
const SHORT_TEXT: usize = 80;

/// "created_at" → "Created at".
fn words(key: &str) -> String {
    let spaced = key.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Identifiers mean nothing to a reader; the JSON file keeps them.
fn is_identifier(key: &str) -> bool {
    key == "id" || key.ends_with("_id") && key != "instrument_id" || key == "format" || key == "version"
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Bool(true) => Some("yes".into()),
        Value::Bool(false) => Some("no".into()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// Keeps the writer's line breaks (Markdown joins single lines otherwise).
fn paragraph(text: &str) -> String {
    text.trim_end().lines().map(str::trim_end).collect::<Vec<_>>().join("  \n")
}

fn heading_of(object: &Map<String, Value>) -> Option<String> {
    let first_text = || {
        object
            .iter()
            .filter(|(k, _)| !is_identifier(k) && !k.ends_with("_at"))
            .find_map(|(_, v)| v.as_str().filter(|s| !s.trim().is_empty()).map(str::to_owned))
    };
    let named = NAMING_FIELDS.iter().find_map(|f| object.get(*f).and_then(scalar));
    named.or_else(first_text).or_else(|| object.get("created_at").and_then(scalar)).map(|t| {
        let line = t.lines().next().unwrap_or_default().to_owned();
        if line.chars().count() > SHORT_TEXT {
            line.chars().take(SHORT_TEXT).collect::<String>() + "…"
        } else {
            line
        }
    })
}

fn write_object(out: &mut String, object: &Map<String, Value>, level: usize) {
    let mut long = Vec::new();
    let mut nested = Vec::new();
    for (key, value) in object {
        if is_identifier(key) {
            continue;
        }
        match value {
            Value::Object(_) | Value::Array(_) => nested.push((key, value)),
            other => match scalar(other) {
                Some(text) if text.contains('\n') || text.chars().count() > SHORT_TEXT => {
                    long.push((key, text))
                }
                Some(text) => {
                    let _ = writeln!(out, "- **{}:** {}", words(key), text);
                }
                None => {}
            },
        }
    }
    for (key, text) in long {
        let _ = write!(out, "\n**{}**\n\n{}\n", words(key), paragraph(&text));
    }
    for (key, value) in nested {
        write_value(out, &words(key), value, level + 1);
    }
}

fn write_value(out: &mut String, title: &str, value: &Value, level: usize) {
    let hashes = "#".repeat(level.min(6));
    match value {
        Value::Array(items) if items.is_empty() => {}
        Value::Object(object)
            if object.values().all(|v| scalar(v).is_none() && !v.is_object() && !v.is_array()) => {}
        Value::Array(items) => {
            let _ = write!(out, "\n{hashes} {title}\n\n");
            if items.iter().all(|i| !i.is_object() && !i.is_array()) {
                for text in items.iter().filter_map(scalar) {
                    let _ = writeln!(out, "- {text}");
                }
                return;
            }
            let item_hashes = "#".repeat((level + 1).min(6));
            for item in items {
                match item {
                    Value::Object(object) => {
                        let name = heading_of(object).unwrap_or_else(|| "Item".to_owned());
                        let _ = write!(out, "\n{item_hashes} {name}\n\n");
                        write_object(out, object, level + 1);
                    }
                    other => {
                        if let Some(text) = scalar(other) {
                            let _ = writeln!(out, "- {text}");
                        }
                    }
                }
            }
        }
        Value::Object(object) => {
            let _ = write!(out, "\n{hashes} {title}\n\n");
            write_object(out, object, level);
        }
        other => {
            if let Some(text) = scalar(other) {
                let _ = writeln!(out, "- **{title}:** {text}");
            }
        }
    }
}

/// The whole export as Markdown: a title, when it was made, then a section
/// per kind of data that holds anything.
pub fn markdown(doc: &Map<String, Value>, display_name: &str) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = writeln!(out, "# {display_name}'s writing and results from Securebase");
    if let Some(when) = doc.get("exported_at").and_then(scalar) {
        let _ = writeln!(out, "\nMade on {when}. The JSON download holds the same, with every identifier.");
    }
    for (key, value) in doc {
        if matches!(key.as_str(), "format" | "version" | "exported_at") {
            continue;
        }
        write_value(&mut out, &words(key), value, 2);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn entries_read_as_headed_text_with_their_line_breaks() {
        let d = doc(json!({
            "format": "securebase-export", "version": 2, "exported_at": "2026-12-07T10:00:00Z",
            "journal": [{"id": "e1", "prompt_id": "p1", "title": "After the argument",
                          "body": "I went quiet.\nThen I came back.", "created_at": "2026-12-01T09:00:00Z"}],
            "empty_section": [],
        }));
        let md = markdown(&d, "Sam");
        assert!(md.starts_with("# Sam's writing and results from Securebase\n"), "{md}");
        assert!(md.contains("\n## Journal\n"), "{md}");
        assert!(md.contains("\n### After the argument\n"), "{md}");
        assert!(md.contains("I went quiet.  \nThen I came back."), "line breaks kept: {md}");
        assert!(md.contains("- **Created at:** 2026-12-01T09:00:00Z"), "{md}");
        assert!(!md.contains("e1") && !md.contains("p1"), "identifiers stay in the JSON: {md}");
        assert!(!md.contains("Empty section"), "sections without anything are left out: {md}");
    }

    #[test]
    fn nested_parts_and_plain_lists_are_kept() {
        let d = doc(json!({
            "practice": {"repair_plans": [{"what_happened": "We both raised our voices over the dishes again",
                                           "steps": ["Pause", "Name it"]}],
                         "own_affirmations": [{"text": "I can ask."}]},
            "account": {"email": "sam@example.org", "display_name": "Sam", "notice_mail": true},
        }));
        let md = markdown(&d, "Sam");
        assert!(md.contains("\n## Practice\n") && md.contains("\n### Repair plans\n"), "{md}");
        assert!(md.contains("\n#### We both raised our voices over the dishes again\n"), "{md}");
        assert!(md.contains("- **What happened:** We both raised our voices"), "{md}");
        assert!(md.contains("- Pause\n- Name it\n"), "{md}");
        assert!(md.contains("\n#### I can ask.\n"), "{md}");
        assert!(md.contains("- **Notice mail:** yes"), "{md}");
    }
}
