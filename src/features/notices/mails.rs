//! The one mail notices send: that something is waiting, and nothing more.

use crate::mail::Content;

pub fn new_notice(instance: &str, link: &str, settings: &str) -> Content {
    Content {
        subject: format!("You have a new notice on {instance}"),
        greeting: "Hello,".into(),
        paragraphs: vec!["Something new is waiting for you. Sign in to read it.".into()],
        action: Some(("Open my notices".into(), link.into())),
        after: Vec::new(),
        footer: format!("You can turn these mails off in your settings: {settings}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_mail_says_only_that_something_waits() {
        let m = new_notice(
            "Riverside Care",
            "https://care.example.org/notices",
            "https://care.example.org/settings#mail",
        )
        .render("Riverside Care", "ana@example.org")
        .unwrap();
        insta::assert_snapshot!("new_notice", format!("Subject: {}\n\n{}", m.subject, m.text));
    }
}
