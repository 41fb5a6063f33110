//! The journal's built-in prompts, and the prompt the reframe's entries carry.

/// A prompt the instance ships with. Coaches add more in the database.
pub struct BuiltInPrompt {
    pub id: &'static str,
    pub text: &'static str,
}

pub const PROMPTS: &[BuiltInPrompt] = &[
    BuiltInPrompt { id: "safe-in-connection", text: "What helps me feel safe when I am close to someone?" },
    BuiltInPrompt {
        id: "when-disconnected",
        text: "What goes on inside me when I feel cut off from someone I love?",
    },
    BuiltInPrompt { id: "how-i-protect", text: "When I am hurt, what do I usually do to protect myself?" },
    BuiltInPrompt {
        id: "more-secure-response",
        text: "Thinking of something that happened lately: what would a steadier, more secure response have looked like?",
    },
    BuiltInPrompt {
        id: "need-to-name",
        text: "What am I needing right now that I could put into plain words?",
    },
];

/// Entries saved from the reframe page carry this prompt id.
pub const REFRAME_PROMPT_ID: &str = "reframe";
pub const REFRAME_PROMPT_TEXT: &str = "The reframe: what helps us stay connected while we work this out?";

/// The words of a built-in prompt (or the reframe's); empty for any other id.
pub fn built_in_prompt_text(id: &str) -> &'static str {
    if id == REFRAME_PROMPT_ID {
        return REFRAME_PROMPT_TEXT;
    }
    PROMPTS.iter().find(|p| p.id == id).map_or("", |p| p.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompt_ids_are_unique() {
        let mut ids: Vec<&str> = PROMPTS.iter().map(|p| p.id).collect();
        ids.push(REFRAME_PROMPT_ID);
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert_eq!(built_in_prompt_text("reframe"), REFRAME_PROMPT_TEXT);
        assert_eq!(built_in_prompt_text("made-up"), "");
    }
}
