//! What account mail says. Every mail is discreet: its subject and opening
//! line name no topic and nothing anyone wrote, because someone else may read
//! the inbox. Pure, with snapshot tests of the words.

use crate::mail::Content;

/// The footer of mail that cannot be turned off.
const ALWAYS: &str = "Mail about your account's safety is sent to every account and cannot be turned off.";

pub fn verify(link: &str) -> Content {
    Content {
        subject: "Confirm your email address".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![
            "Please confirm that this address is yours. Then we can reach you if you ever need to choose a new password."
                .into(),
        ],
        action: Some(("Confirm my address".into(), link.into())),
        after: vec![
            "The link works for two days. If you did not make an account, you can ignore this mail: nothing happens without the link."
                .into(),
        ],
        footer: "You get this mail because this address was used to make an account.".into(),
    }
}

/// To an address that already has an account, when someone signs up with it.
pub fn sign_up_with_known_address(sign_in: &str, reset: &str) -> Content {
    Content {
        subject: "Someone tried to make an account with your address".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![
            "Someone tried to make a new account with this email address. You already have an account, so nothing was changed."
                .into(),
        ],
        action: Some(("Sign in".into(), sign_in.into())),
        after: vec![
            format!("If you have forgotten your password, you can choose a new one here: {reset}"),
            "If it was not you, there is nothing you need to do.".into(),
        ],
        footer: ALWAYS.into(),
    }
}

/// Who asked for a password reset link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetAskedBy {
    /// Someone on the "forgot your password" page (hopefully the member).
    SomeoneWithTheAddress,
    /// The person who runs the instance, from the People page.
    Admin,
}

pub fn reset(link: &str, asked_by: ResetAskedBy) -> Content {
    let why = match asked_by {
        ResetAskedBy::SomeoneWithTheAddress => {
            "Someone, hopefully you, asked to choose a new password for the account that uses this address."
        }
        ResetAskedBy::Admin => {
            "The person who runs this service sent you this link, so that you can choose a new password."
        }
    };
    Content {
        subject: "Choose a new password".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![why.into()],
        action: Some(("Choose a new password".into(), link.into())),
        after: vec![
            "The link works once, for 30 minutes. Choosing a new password signs out every device.".into(),
            "If you did not ask for this, ignore this mail: your password stays as it is.".into(),
        ],
        footer: ALWAYS.into(),
    }
}

/// To the new address of an email change.
pub fn confirm_new_address(link: &str) -> Content {
    Content {
        subject: "Confirm your new email address".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![
            "You asked to use this address for your account from now on. The change happens only once you confirm it."
                .into(),
        ],
        action: Some(("Confirm this address".into(), link.into())),
        after: vec!["The link works for a day. If you did not ask for this, ignore this mail.".into()],
        footer: "You get this mail because someone asked to use this address for an account.".into(),
    }
}

/// To the old address of an email change, with a way to undo it.
pub fn address_change_asked(undo: &str) -> Content {
    Content {
        subject: "A security notice for your account".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![
            "Someone signed in to your account and asked to use a different email address for it. Until the new address is confirmed, you still sign in with this one."
                .into(),
            "If that was you, there is nothing to do. If it was not, undo it: the change is cancelled and every device signed in to your account is signed out."
                .into(),
        ],
        action: Some(("Undo the change and sign out everywhere".into(), undo.into())),
        after: vec![
            "The link works for a week, even after the new address has been confirmed. Afterwards, choose a new password, because someone may know yours."
                .into(),
        ],
        footer: ALWAYS.into(),
    }
}

/// What happened to an account that its owner is told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityEvent {
    NewDevice,
    PasswordChanged,
    PasswordReset,
    EmailChanged,
    EmailChangeUndone,
    SessionEnded,
    OtherSessionsEnded,
    /// Together: the account was linked with a partner.
    PartnerLinked,
    /// Together: something was shared from a device the account had not used before.
    SharedFromNewDevice,
}

impl SecurityEvent {
    pub const ALL: [SecurityEvent; 9] = [
        SecurityEvent::NewDevice,
        SecurityEvent::PasswordChanged,
        SecurityEvent::PasswordReset,
        SecurityEvent::EmailChanged,
        SecurityEvent::EmailChangeUndone,
        SecurityEvent::SessionEnded,
        SecurityEvent::OtherSessionsEnded,
        SecurityEvent::PartnerLinked,
        SecurityEvent::SharedFromNewDevice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SecurityEvent::NewDevice => "new-device",
            SecurityEvent::PasswordChanged => "password-changed",
            SecurityEvent::PasswordReset => "password-reset",
            SecurityEvent::EmailChanged => "email-changed",
            SecurityEvent::EmailChangeUndone => "email-change-undone",
            SecurityEvent::SessionEnded => "session-ended",
            SecurityEvent::OtherSessionsEnded => "other-sessions-ended",
            SecurityEvent::PartnerLinked => "partner-linked",
            SecurityEvent::SharedFromNewDevice => "shared-from-new-device",
        }
    }

    pub fn parse(s: &str) -> Option<SecurityEvent> {
        SecurityEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The event in a sentence, as the settings page and the mail say it.
    pub fn sentence(self) -> &'static str {
        match self {
            SecurityEvent::NewDevice => {
                "Your account was signed in to from a device it had not been used on before."
            }
            SecurityEvent::PasswordChanged => "Your password was changed.",
            SecurityEvent::PasswordReset => {
                "A new password was chosen with a reset link, and every device was signed out."
            }
            SecurityEvent::EmailChanged => {
                "The email address of your account was changed. This mail goes to the address it had before."
            }
            SecurityEvent::EmailChangeUndone => "An email change was undone and every device was signed out.",
            SecurityEvent::SessionEnded => "A device was signed out from another device.",
            SecurityEvent::OtherSessionsEnded => "Every other device was signed out from one device.",
            SecurityEvent::PartnerLinked => {
                "Your account was linked with a partner's. You can unlink at any time."
            }
            SecurityEvent::SharedFromNewDevice => {
                "Something was shared with your partner from a device your account had not been used on before."
            }
        }
    }
}

/// A security notice: what happened, on what kind of device, when.
pub fn security_notice(
    event: SecurityEvent,
    device: &str,
    when: &str,
    settings: &str,
    forgot: &str,
) -> Content {
    Content {
        subject: "A security notice for your account".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![event.sentence().into(), format!("Device: {device}. Time: {when}.")],
        action: Some(("Review your account".into(), settings.into())),
        after: vec![
            "If this was you, there is nothing to do.".into(),
            match event {
                // The account no longer uses this address: a reset from here cannot reach it.
                SecurityEvent::EmailChanged => "If it was not, open the undo link in the mail we sent to this address \
                    when the change was asked for. It works for a week: it gives your account this address back and \
                    signs out every device."
                    .into(),
                _ => format!("If it was not, choose a new password straight away: {forgot}"),
            },
        ],
        footer: ALWAYS.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://care.example.org";

    fn text(c: Content) -> String {
        let m = c.render("Riverside Care", "ana@example.org").unwrap();
        assert!(m.html.contains("Riverside Care"));
        format!("Subject: {}\n\n{}", m.subject, m.text)
    }

    #[test]
    fn account_mail_reads_as_written() {
        insta::assert_snapshot!("verify", text(verify(&format!("{BASE}/verify/TOKEN"))));
        insta::assert_snapshot!(
            "sign_up_with_known_address",
            text(sign_up_with_known_address(&format!("{BASE}/signin"), &format!("{BASE}/forgot")))
        );
        insta::assert_snapshot!(
            "reset",
            text(reset(&format!("{BASE}/reset/TOKEN"), ResetAskedBy::SomeoneWithTheAddress))
        );
        insta::assert_snapshot!(
            "reset_by_admin",
            text(reset(&format!("{BASE}/reset/TOKEN"), ResetAskedBy::Admin))
        );
        insta::assert_snapshot!(
            "confirm_new_address",
            text(confirm_new_address(&format!("{BASE}/email/confirm/TOKEN")))
        );
        insta::assert_snapshot!(
            "address_change_asked",
            text(address_change_asked(&format!("{BASE}/email/undo/TOKEN")))
        );
        insta::assert_snapshot!(
            "security_notice_email_changed",
            text(security_notice(
                SecurityEvent::EmailChanged,
                "Firefox on a computer",
                "6 Dec 2026, 16:20 GMT",
                &format!("{BASE}/settings"),
                &format!("{BASE}/forgot")
            ))
        );
        insta::assert_snapshot!(
            "security_notice",
            text(security_notice(
                SecurityEvent::NewDevice,
                "Firefox on a phone",
                "6 Dec 2026, 16:20 GMT",
                &format!("{BASE}/settings"),
                &format!("{BASE}/forgot")
            ))
        );
    }

    #[test]
    fn nothing_private_or_topical_in_a_subject() {
        let all = [
            verify("l"),
            sign_up_with_known_address("a", "b"),
            reset("l", ResetAskedBy::Admin),
            confirm_new_address("l"),
            address_change_asked("l"),
            security_notice(SecurityEvent::PasswordChanged, "d", "t", "s", "f"),
        ];
        for c in all {
            let s = c.subject.to_lowercase();
            for word in ["partner", "relationship", "journal", "repair", "couple", "attachment", "abuse"] {
                assert!(!s.contains(word), "{s}");
            }
        }
        for e in SecurityEvent::ALL {
            assert_eq!(SecurityEvent::parse(e.as_str()), Some(e));
        }
    }
}
