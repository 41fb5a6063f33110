//! The reflection journal's rules: what an entry may hold, which prompts a
//! member can write to, and how a draft is keyed. Pure, so it is unit-tested.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::content::{PROMPTS, REFRAME_PROMPT_ID, REFRAME_PROMPT_TEXT};
use super::store::PromptRecord;
use crate::web::FieldErrors;

pub const MAX_BODY_CHARS: usize = 100_000;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_PROMPT_CHARS: usize = 500;
pub const PAGE_SIZE: i64 = 20;

/// A prompt as members see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Prompt {
    pub id: String,
    pub text: String,
    /// "built-in" or "instance" (added by a coach here).
    pub source: &'static str,
    /// A retired prompt is not offered any more; entries written to it keep it.
    pub retired: bool,
}

/// The built-in prompts, then the instance's, then the reframe's own id.
pub fn all_prompts(instance: &[PromptRecord]) -> Vec<Prompt> {
    let mut out: Vec<Prompt> = PROMPTS
        .iter()
        .map(|p| Prompt { id: p.id.into(), text: p.text.into(), source: "built-in", retired: false })
        .collect();
    out.extend(instance.iter().map(|p| Prompt {
        id: p.id.clone(),
        text: p.text.clone(),
        source: "instance",
        retired: p.retired_at.is_some(),
    }));
    out.push(Prompt {
        id: REFRAME_PROMPT_ID.into(),
        text: REFRAME_PROMPT_TEXT.into(),
        source: "built-in",
        retired: false,
    });
    out
}

/// The prompts a member can pick for a new entry (the reframe has its own page).
pub fn offered(prompts: &[Prompt]) -> Vec<&Prompt> {
    prompts.iter().filter(|p| !p.retired && p.id != REFRAME_PROMPT_ID).collect()
}

pub fn prompt_text<'a>(prompts: &'a [Prompt], id: &str) -> Option<&'a str> {
    prompts.iter().find(|p| p.id == id).map(|p| p.text.as_str())
}

/// The question an entry shows: the words it was written to, kept with the
/// entry, so a coach rewording a prompt later does not change old entries.
/// (Entries from before the words were kept fall back to the prompt's text.)
pub fn entry_question(prompts: &[Prompt], prompt_id: &str, kept_text: &str) -> Option<String> {
    if prompt_id.is_empty() {
        return None;
    }
    if !kept_text.is_empty() {
        return Some(kept_text.to_owned());
    }
    prompt_text(prompts, prompt_id).map(str::to_owned)
}

/// What a member sends for an entry (or a draft of one).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct EntryInput {
    /// A prompt id, or empty for none.
    #[serde(default)]
    pub prompt_id: String,
    #[serde(default)]
    pub title: String,
    /// Plain text with line breaks, kept exactly as written.
    #[serde(default)]
    pub body: String,
}

/// Check an entry. The body is never trimmed or changed: only measured.
pub fn validate(input: &EntryInput, prompts: &[Prompt], keeping_prompt: Option<&str>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if input.body.trim().is_empty() {
        errors.add("body", "Write something before saving. Even a line is enough.");
    } else if input.body.chars().count() > MAX_BODY_CHARS {
        errors.add(
            "body",
            format!(
                "This is {} characters; an entry can hold up to {}. Split it into two entries, or trim it.",
                input.body.chars().count(),
                MAX_BODY_CHARS
            ),
        );
    }
    if input.title.chars().count() > MAX_TITLE_CHARS {
        errors.add("title", format!("A title can be up to {MAX_TITLE_CHARS} characters."));
    }
    check_prompt(&mut errors, &input.prompt_id, prompts, keeping_prompt);
    errors
}

/// Drafts are checked only for what would stop them being kept.
pub fn validate_draft(input: &EntryInput) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if input.body.chars().count() > MAX_BODY_CHARS {
        errors.add("body", format!("A draft can hold up to {MAX_BODY_CHARS} characters."));
    }
    if input.title.chars().count() > MAX_TITLE_CHARS {
        errors.add("title", format!("A title can be up to {MAX_TITLE_CHARS} characters."));
    }
    errors
}

/// A prompt must be one on offer, or the one the entry already had.
fn check_prompt(errors: &mut FieldErrors, id: &str, prompts: &[Prompt], keeping: Option<&str>) {
    if id.is_empty() || keeping == Some(id) {
        return;
    }
    let ok = prompts.iter().any(|p| p.id == id && !p.retired);
    if !ok {
        errors.add("prompt_id", "That prompt is not available. Choose another, or none.");
    }
}

pub fn validate_prompt_text(text: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if text.trim().is_empty() {
        errors.add("text", "Write the question you would like members to reflect on.");
    } else if text.chars().count() > MAX_PROMPT_CHARS {
        errors.add("text", format!("A prompt can be up to {MAX_PROMPT_CHARS} characters."));
    }
    errors
}

/// How an entry is named in lists: its title, or its opening words.
pub fn display_title(title: &str, opening: &str) -> String {
    if !title.trim().is_empty() {
        return title.trim().to_owned();
    }
    let first_line = opening.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    let mut words = String::new();
    for w in first_line.split_whitespace() {
        if words.chars().count() + w.chars().count() > 60 {
            words.push('…');
            return words;
        }
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(w);
    }
    if words.is_empty() { "Untitled entry".into() } else { words }
}

pub use super::drafts::{DraftFor, MAX_NEW_DRAFTS, is_new_draft_key};

/// Where "write about this" for a prompt leads.
pub fn write_url(prompt_id: &str) -> String {
    if prompt_id == REFRAME_PROMPT_ID {
        "/practice/reframe".into()
    } else {
        format!("/practice/journal/new?prompt={prompt_id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompts() -> Vec<Prompt> {
        all_prompts(&[PromptRecord {
            id: "p-old".into(),
            text: "Old".into(),
            created_at: 0,
            retired_at: Some(0),
        }])
    }

    #[test]
    fn the_body_is_measured_in_characters_and_never_trimmed() {
        let body = "é".repeat(MAX_BODY_CHARS);
        let input = EntryInput { body: body.clone(), ..Default::default() };
        assert!(validate(&input, &prompts(), None).is_empty());
        let over = EntryInput { body: format!("{body}x"), ..Default::default() };
        let errors = validate(&over, &prompts(), None);
        assert!(errors.get("body").unwrap().contains("100001"));
        let blank = EntryInput { body: " \n\t".into(), ..Default::default() };
        assert!(validate(&blank, &prompts(), None).get("body").is_some());
    }

    #[test]
    fn retired_prompts_are_refused_for_new_entries_but_kept_for_old_ones() {
        let input = EntryInput { body: "x".into(), prompt_id: "p-old".into(), ..Default::default() };
        assert!(validate(&input, &prompts(), None).get("prompt_id").is_some());
        assert!(validate(&input, &prompts(), Some("p-old")).is_empty());
        let unknown = EntryInput { body: "x".into(), prompt_id: "made-up".into(), ..Default::default() };
        assert!(validate(&unknown, &prompts(), None).get("prompt_id").is_some());
        assert!(offered(&prompts()).iter().all(|p| p.id != "p-old" && p.id != REFRAME_PROMPT_ID));
    }

    #[test]
    fn untitled_entries_are_named_by_their_opening_words() {
        assert_eq!(display_title("  Sunday  ", "ignored"), "Sunday");
        assert_eq!(
            display_title("", "\n\nWe walked by the river today.\nMore"),
            "We walked by the river today."
        );
        let long = "word ".repeat(30);
        let t = display_title("", &long);
        assert!(t.ends_with('…') && t.chars().count() <= 62, "{t}");
        assert_eq!(display_title("", ""), "Untitled entry");
    }

    #[test]
    fn an_entry_keeps_the_words_of_its_question() {
        let mut prompts = prompts();
        assert_eq!(
            entry_question(&prompts, "p-old", "Old, as it read then").as_deref(),
            Some("Old, as it read then")
        );
        let old = prompts.iter_mut().find(|p| p.id == "p-old").unwrap();
        old.text = "Reworded".into();
        assert_eq!(
            entry_question(&prompts, "p-old", "Old, as it read then").as_deref(),
            Some("Old, as it read then")
        );
        assert_eq!(entry_question(&prompts, "p-old", "").as_deref(), Some("Reworded"));
        assert_eq!(entry_question(&prompts, "", "anything"), None);
    }

    #[test]
    fn pages_and_keys() {
        assert_eq!(DraftFor::named(None, None).unwrap().key(), "new");
        assert_eq!(DraftFor::named(Some(""), Some("")).unwrap(), DraftFor::new_entry());
        assert_eq!(DraftFor::named(Some("abc"), Some("new")).unwrap(), DraftFor::Entry("abc".into()));
        let fresh = DraftFor::fresh();
        assert_ne!(fresh, DraftFor::fresh(), "each new slot is its own");
        assert!(is_new_draft_key(fresh.key()) && fresh.key().starts_with("new-"));
        assert_eq!(DraftFor::named(None, Some(fresh.key())).unwrap(), fresh);
        assert_eq!(fresh.extra_slot(), Some(fresh.key()));
        assert_eq!(DraftFor::new_entry().extra_slot(), None);
        assert_eq!(DraftFor::new_entry().form_url(), "/practice/journal/new");
        assert_eq!(fresh.form_url(), format!("/practice/journal/new?draft={}", fresh.key()));
        assert_eq!(DraftFor::from_key("e1").form_url(), "/practice/journal/e1/edit");
        assert_eq!(DraftFor::from_key(fresh.key()), fresh);
        for bad in ["new-", "new-x", "other", "0193e4c2-7d1a-7000-8000-000000000001", "new-../x"] {
            assert_eq!(DraftFor::named(None, Some(bad)), None, "{bad}");
        }
        assert_eq!(write_url("reframe"), "/practice/reframe");
    }
}
