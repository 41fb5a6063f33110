//! The affirmations every member starts with.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique() {
        let mut a: Vec<&str> = AFFIRMATIONS.iter().map(|a| a.id).collect();
        a.sort();
        a.dedup();
        assert_eq!(a.len(), AFFIRMATIONS.len());
    }
}
