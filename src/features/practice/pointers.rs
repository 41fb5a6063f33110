//! The practice tools as the guide points to them: which tools go with which
//! chapter. Pure data.

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
    fn the_safety_chapter_points_to_no_tool() {
        assert!(tools_for_chapter("when-it-isnt-safe").is_empty());
        assert!(tools_for_chapter("conflict").iter().any(|t| t.url == "/practice/repair"));
    }
}
