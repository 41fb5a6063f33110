//! The words the repair guide is built from: feelings that often sit under
//! anger, common protective moves, gentle example repair attempts, and what
//! the pause step offers to say.

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
