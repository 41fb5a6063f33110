//! The words of Together's mail. Discreet like all mail: no subject or
//! opening line names a person or a topic, since someone else may read the inbox.

use crate::mail::Content;

/// An invitation to link accounts, mailed for the inviter.
pub fn invitation(inviter: &str, link: &str) -> Content {
    Content {
        subject: "You have an invitation".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![
            format!(
                "{inviter} would like to link their account with yours, so that each of you can share, one item at a time, what you choose."
            ),
            "Nothing is shared by linking alone, and either of you can unlink at any moment.".into(),
        ],
        action: Some(("See the invitation".into(), link.into())),
        after: vec![
            "The link works for a week. You can say no; they are told only that it was not accepted.".into(),
            "If you are afraid of the person who sent this, you do not have to answer. Our Safety page lists places to find help.".into(),
        ],
        footer: "You get this mail because someone typed this address to invite you. The address stays with their invitation, where only they can see it.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_reads_as_written_and_its_subject_names_nobody() {
        let m = invitation("Alex", "https://care.example.org/together/join/TOKEN")
            .render("Riverside Care", "sam@example.org")
            .unwrap();
        assert_eq!(m.subject, "You have an invitation");
        insta::assert_snapshot!("invitation", m.text);
    }
}
