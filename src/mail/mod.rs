//! Mail. Every message has a plain-text and an HTML part, drawn from one
//! layout (`templates/mail/`), and names the instance. Mail goes out over SMTP
//! (lettre with rustls, no OpenSSL) or, when no mail server is configured,
//! into the outbox table that `securebase mail outbox` prints. The jobs worker
//! sends it (`jobs::mail`), never a request.
//!
//! Mail is discreet: a partner may read the inbox. Subjects and the opening
//! line name no topic, no person and nothing anyone wrote.

pub mod outbox;

use std::sync::Arc;

use askama::Template;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde::{Deserialize, Serialize};

use crate::config::{MailConfig, SmtpTls};

/// A mail ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What a mail says, before the layout: a greeting, a few paragraphs, at most
/// one button (a link), and why the reader got it.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub subject: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    /// (label, full URL).
    pub action: Option<(String, String)>,
    /// Paragraphs after the button.
    pub after: Vec<String>,
    /// Why this mail came, and how to stop it where it can be stopped.
    pub footer: String,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextPart<'a> {
    instance: &'a str,
    c: &'a Content,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlPart<'a> {
    instance: &'a str,
    c: &'a Content,
}

impl Content {
    /// The two parts of the mail, in the instance's name.
    pub fn render(&self, instance: &str, to: &str) -> Result<Message, askama::Error> {
        Ok(Message {
            to: to.to_owned(),
            subject: self.subject.clone(),
            text: TextPart { instance, c: self }.render()?,
            html: HtmlPart { instance, c: self }.render()?,
        })
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox,
}

/// Sends mail: over SMTP when a server is configured, into the outbox otherwise.
#[derive(Clone)]
pub struct Mailer(Arc<(Transport, Mailbox)>);

impl Mailer {
    pub fn new(config: &MailConfig) -> anyhow::Result<Self> {
        let from: Mailbox = config.mail_from.parse()?;
        let transport = match &config.smtp_host {
            None => Transport::Outbox,
            Some(host) => {
                let tls = TlsParameters::new(host.clone())?;
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.as_str())
                    .port(config.smtp_port)
                    .tls(match config.smtp_tls {
                        SmtpTls::StartTls => Tls::Required(tls),
                        SmtpTls::Tls => Tls::Wrapper(tls),
                        SmtpTls::None => Tls::None,
                    })
                    .timeout(Some(std::time::Duration::from_secs(30)));
                if let (Some(user), Some(password)) = (&config.smtp_user, &config.smtp_password) {
                    builder =
                        builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
                }
                Transport::Smtp(builder.build())
            }
        };
        Ok(Mailer(Arc::new((transport, from))))
    }

    /// True when mail is kept in the outbox table instead of being sent.
    pub fn uses_outbox(&self) -> bool {
        matches!(self.0.0, Transport::Outbox)
    }

    /// Hand a mail to the mail server. (With the outbox, the jobs worker
    /// writes it in its own transaction instead.)
    pub async fn send_smtp(&self, message: &Message) -> anyhow::Result<()> {
        let Transport::Smtp(smtp) = &self.0.0 else {
            anyhow::bail!("no mail server is configured");
        };
        smtp.send(self.build(message)?).await?;
        Ok(())
    }

    fn build(&self, message: &Message) -> anyhow::Result<lettre::Message> {
        Ok(lettre::Message::builder()
            .from(self.0.1.clone())
            .to(message.to.parse()?)
            .subject(&message.subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder().header(ContentType::TEXT_PLAIN).body(message.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder().header(ContentType::TEXT_HTML).body(message.html.clone()),
                    ),
            )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> Content {
        Content {
            subject: "Reset your password".into(),
            greeting: "Hello,".into(),
            paragraphs: vec!["Someone asked to reset the password <of> this account.".into()],
            action: Some(("Choose a new password".into(), "https://care.example.org/reset/abc".into())),
            after: vec!["The link works once, for 30 minutes.".into()],
            footer: "You get this mail because of your account.".into(),
        }
    }

    #[test]
    fn both_parts_carry_the_words_and_the_link_and_html_is_escaped() {
        let m = content().render("Riverside Care", "ana@example.org").unwrap();
        assert_eq!(m.to, "ana@example.org");
        assert!(m.text.contains("Riverside Care") && m.html.contains("Riverside Care"));
        assert!(m.text.contains("https://care.example.org/reset/abc"));
        assert!(m.html.contains("href=\"https://care.example.org/reset/abc\""));
        assert!(m.text.contains("<of>"), "the text part is plain text");
        assert!(m.html.contains("&#60;of&#62;") && !m.html.contains("<of>"), "{}", m.html);
    }

    #[test]
    fn a_mail_has_a_plain_and_an_html_part() {
        let mailer = Mailer::new(&MailConfig::default()).unwrap();
        assert!(mailer.uses_outbox());
        let built = mailer.build(&content().render("Securebase", "ana@example.org").unwrap()).unwrap();
        let raw = String::from_utf8(built.formatted()).unwrap();
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        assert!(raw.contains("To: ana@example.org"));
    }
}
