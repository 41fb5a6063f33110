//! The words the practice tools are built from: the built-in journal prompts,
//! affirmations, feelings, protective moves and example repair attempts, and
//! which tool goes with which guide chapter. Pure data.

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

pub struct BuiltInAffirmation {
    pub id: &'static str,
    pub text: &'static str,
}

pub const AFFIRMATIONS: &[BuiltInAffirmation] = &[
    BuiltInAffirmation { id: "no-perfection", text: "We can be close without getting everything right." },
    BuiltInAffirmation {
        id: "not-too-much",
        text: "Having needs is part of being human. Mine are not a burden.",
    },
    BuiltInAffirmation {
        id: "conflict-not-danger",
        text: "A disagreement is not a threat. We can be at odds and still be safe with each other.",
    },
    BuiltInAffirmation {
        id: "repair-is-love",
        text: "Coming back after a hurt is one of the ways love shows up.",
    },
    BuiltInAffirmation {
        id: "truth-and-bond",
        text: "I can say what is true for me and still look after us.",
    },
];

/// The softer feelings that often sit under anger (repair guide, step 3).
pub const FEELINGS: &[(&str, &str)] = &[
    ("hurt", "Hurt"),
    ("afraid", "Afraid"),
    ("lonely", "Lonely"),
    ("ashamed", "Ashamed"),
    ("sad", "Sad"),
    ("unwanted", "Unwanted"),
    ("not-enough", "Not good enough"),
    ("overwhelmed", "Overwhelmed"),
    ("helpless", "Helpless"),
    ("unseen", "Unseen or unheard"),
];

/// Common ways people protect themselves in a rupture (repair guide, step 4).
pub const PROTECTIVE_MOVES: &[(&str, &str)] = &[
    ("went-quiet", "Went quiet or left the room"),
    ("criticised", "Criticised or blamed"),
    ("raised-voice", "Raised my voice"),
    ("defended", "Explained and defended myself"),
    ("shut-down", "Shut down or went numb"),
    ("pursued", "Pushed for an answer right away"),
    ("joked", "Made a joke to get out of it"),
    ("gave-in", "Gave in to make it stop"),
];

/// Gentle examples for the repair attempt (repair guide, step 7).
pub const REPAIR_EXAMPLES: &[&str] = &[
    "I went cold on you earlier. That was me protecting myself, not me not caring. Can we try again?",
    "I said it sharper than I meant. What I was trying to say is that I felt left out.",
    "I can see my part in how that landed. I am sorry it hurt. I would like to understand how it was for you.",
    "I still feel raw, and I want us to be OK. Could we sit together for a bit before we talk?",
    "We are on the same side. Can we look at what happened between us, rather than at who started it?",
];

/// What the pause step offers to say before stepping away.
pub const PAUSE_MESSAGE: &str = "I need 20 minutes to settle. I am not walking away from us, and I will come back so we can keep talking.";

/// A practice tool, as the guide points to it.
pub struct ToolPointer {
    pub url: &'static str,
    pub title: &'static str,
    pub why: &'static str,
}

const JOURNAL: ToolPointer = ToolPointer {
    url: "/practice/journal",
    title: "The reflection journal",
    why: "Write about it with a question to start from.",
};
const AFFIRM: ToolPointer = ToolPointer {
    url: "/practice/affirmations",
    title: "Affirmations",
    why: "Short sentences to come back to when the old fear is loud.",
};
const REFRAME: ToolPointer = ToolPointer {
    url: "/practice/reframe",
    title: "The reframe",
    why: "Turn \"who is right?\" into \"what keeps us connected?\".",
};
const REPAIR: ToolPointer = ToolPointer {
    url: "/practice/repair",
    title: "The conflict-repair guide",
    why: "Step by step, during or after a rupture.",
};
const CYCLE: ToolPointer = ToolPointer {
    url: "/practice/cycle",
    title: "The negative-cycle map",
    why: "Draw the loop you both get caught in.",
};
const RETURNS: ToolPointer = ToolPointer {
    url: "/practice/returns",
    title: "Moments of return",
    why: "Note the times you reached and were met.",
};

/// The practice tools that go with a guide chapter, by the chapter's slug.
/// The words of a built-in prompt (or the reframe's); empty for any other id.
pub fn built_in_prompt_text(id: &str) -> &'static str {
    if id == REFRAME_PROMPT_ID {
        return REFRAME_PROMPT_TEXT;
    }
    PROMPTS.iter().find(|p| p.id == id).map_or("", |p| p.text)
}

pub fn tools_for_chapter(slug: &str) -> Vec<&'static ToolPointer> {
    match slug {
        "what-it-is" | "what-it-feels-like" => vec![&JOURNAL, &RETURNS],
        "what-it-is-not" => vec![&AFFIRM],
        "common-signs" | "how-it-develops" => vec![&JOURNAL, &AFFIRM],
        "in-a-relationship" => vec![&RETURNS, &CYCLE],
        "what-it-makes-possible" => vec![&REFRAME],
        "what-it-needs" => vec![&JOURNAL, &AFFIRM],
        "conflict" => vec![&REPAIR, &CYCLE, &REFRAME],
        "individuality" => vec![&JOURNAL],
        "four-paths" => vec![&CYCLE, &REPAIR],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_the_safety_chapter_points_to_no_tool() {
        let mut ids: Vec<&str> = PROMPTS.iter().map(|p| p.id).collect();
        ids.push(REFRAME_PROMPT_ID);
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
        let mut a: Vec<&str> = AFFIRMATIONS.iter().map(|a| a.id).collect();
        a.sort();
        a.dedup();
        assert_eq!(a.len(), AFFIRMATIONS.len());
        assert!(tools_for_chapter("when-it-isnt-safe").is_empty());
        assert!(tools_for_chapter("conflict").iter().any(|t| t.url == "/practice/repair"));
    }
}
