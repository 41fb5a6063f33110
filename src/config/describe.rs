//! The configuration in effect, as `securebase config` prints it: every key,
//! secrets hidden.

use super::{Config, SmtpTls};

impl Config {
    /// The effective configuration as TOML-like lines, with secrets hidden.
    pub fn describe(&self) -> String {
        let db = self.effective_database_url();
        let db = hide_password_in_url(&db);
        let mut out = String::new();
        let mut line = |k: &str, v: String| out.push_str(&format!("{k} = {v}\n"));
        line("bind", format!("\"{}\"", self.bind));
        line("data_dir", format!("\"{}\"", self.data_dir.display()));
        line("database_url", format!("\"{db}\""));
        line("public_url", self.public_url.as_deref().map_or("(not set)".into(), |u| format!("\"{u}\"")));
        line("instance_name", format!("\"{}\"", self.instance_name));
        line("quick_exit_url", format!("\"{}\"", self.quick_exit_url));
        line("session_idle_hours", self.session_idle_hours.to_string());
        line("session_max_days", self.session_max_days.to_string());
        line("trust_forwarded_for", self.trust_forwarded_for.to_string());
        line(
            "metrics_token",
            if self.metrics_token.is_some() { "[hidden]".into() } else { "(not set)".into() },
        );
        line("metrics_bind", self.metrics_bind.map_or("(not set)".into(), |a| format!("\"{a}\"")));
        line("help_lines", format!("{} configured", self.help_lines.len()));
        line("password_hash_limit", self.password_hash_limit.to_string());
        line("password_hash_wait_ms", self.password_hash_wait_ms.to_string());
        line("max_connections", self.max_connections.to_string());
        let m = &self.mail;
        line(
            "smtp_host",
            m.smtp_host
                .as_deref()
                .map_or("(not set: mail goes to the outbox)".into(), |h| format!("\"{h}\"")),
        );
        line("smtp_port", m.smtp_port.to_string());
        line(
            "smtp_tls",
            format!(
                "\"{}\"",
                match m.smtp_tls {
                    SmtpTls::StartTls => "starttls",
                    SmtpTls::Tls => "tls",
                    SmtpTls::None => "none",
                }
            ),
        );
        line("smtp_user", m.smtp_user.as_deref().map_or("(not set)".into(), |u| format!("\"{u}\"")));
        line("smtp_password", if m.smtp_password.is_some() { "[hidden]".into() } else { "(not set)".into() });
        line("mail_from", format!("\"{}\"", m.mail_from));
        line("job_lease_seconds", self.job_lease_seconds.to_string());
        line("public_cache_ms", self.public_cache_ms.to_string());
        line("member_cache_ms", self.member_cache_ms.to_string());
        self.library.describe(&mut line);
        out
    }
}

/// `postgres://user:pw@host/db` → `postgres://user:[hidden]@host/db`.
pub fn hide_password_in_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:[hidden]@{host}"),
        None => url.to_owned(),
    }
}
