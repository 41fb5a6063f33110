//! Configuration: built-in defaults, then `securebase.toml`, then `SECUREBASE_*`
//! environment variables, then command-line flags. A bad value stops start-up
//! with a message that names the key and where the value came from. The
//! settings and their defaults are here; `sources.rs` reads them in,
//! `describe.rs` prints them, `library.rs` holds the library's own.

mod describe;
pub mod library;
mod sources;

pub use describe::hide_password_in_url;

pub use library::{LibraryConfig, MediaStore};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Serialize;

/// A value that must never be printed: `Debug` and `Display` show a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"[hidden]\"")
    }
}

/// A help line shown on the Safety page (a local domestic-abuse helpline, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct HelpLine {
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub hours: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Address and port to listen on.
    pub bind: SocketAddr,
    /// Folder for the SQLite database and media.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; defaults to `<data_dir>/securebase.db`.
    pub database_url: Option<Secret>,
    /// The address people use to reach this instance, e.g. `https://care.example.org`.
    /// When it starts with `https://` cookies are `Secure` and `__Host-` prefixed.
    pub public_url: Option<String>,
    /// The name shown in the header and page titles.
    pub instance_name: String,
    /// Where quick exit sends the browser.
    pub quick_exit_url: String,
    /// A session ends after this many hours without a request.
    pub session_idle_hours: i64,
    /// A session ends this many days after sign-in, however active.
    pub session_max_days: i64,
    /// Take the client address from `X-Forwarded-For` (only behind a reverse proxy).
    pub trust_forwarded_for: bool,
    /// `/metrics` on the main listener requires `Authorization: Bearer <token>`.
    pub metrics_token: Option<Secret>,
    /// A second listener that serves only `/metrics` (loopback, unless a token is set).
    pub metrics_bind: Option<SocketAddr>,
    /// Local help lines for the Safety page.
    pub help_lines: Vec<HelpLine>,
    /// How many passwords may be hashed or checked at once (each takes about 19 MiB).
    pub password_hash_limit: usize,
    /// How long a sign-in waits for its turn to check a password before it is
    /// told to try again (503 with Retry-After).
    pub password_hash_wait_ms: u64,
    /// Open connections served at once; more wait in the listen queue.
    pub max_connections: usize,
    /// Where mail goes: a mail server, or (with no `smtp_host`) the outbox table.
    pub mail: MailConfig,
    /// How long an instance may work on a job before another may take it over.
    pub job_lease_seconds: i64,
    /// How long a visitor's copy of a public page is kept (0: not kept). Another
    /// instance's change to a post shows on this one within this time.
    pub public_cache_ms: u64,
    /// How long a member's own page is kept in memory between their own
    /// requests (0: not kept). A kept one is used only while nothing it was
    /// drawn from has changed, on any instance; this bounds how long it stays.
    pub member_cache_ms: u64,
    /// The library: media storage, uploads and selling access.
    pub library: LibraryConfig,
}

/// Mail settings. Without `smtp_host`, mail is kept in the outbox table
/// (`securebase mail outbox` prints it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailConfig {
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    pub smtp_tls: SmtpTls,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<Secret>,
    /// The sender, e.g. `Securebase <care@example.org>`.
    pub mail_from: String,
}

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (port 587); refused without it.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a mail relay on this machine or a private network.
    None,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_host: None,
            smtp_port: 587,
            smtp_tls: SmtpTls::StartTls,
            smtp_user: None,
            smtp_password: None,
            mail_from: "Securebase <no-reply@localhost>".to_owned(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            public_url: None,
            instance_name: "Securebase".to_owned(),
            quick_exit_url: "https://www.bbc.com/weather".to_owned(),
            session_idle_hours: 24 * 7,
            session_max_days: 30,
            trust_forwarded_for: false,
            metrics_token: None,
            metrics_bind: None,
            help_lines: Vec::new(),
            password_hash_limit: std::thread::available_parallelism().map_or(2, |n| n.get()) * 2,
            password_hash_wait_ms: 5000,
            max_connections: 1024,
            mail: MailConfig::default(),
            job_lease_seconds: 120,
            public_cache_ms: 1000,
            member_cache_ms: 300_000,
            library: LibraryConfig::default(),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("configuration key `{key}` (from {source_name}): {message}")]
pub struct ConfigError {
    pub key: String,
    pub source_name: String,
    pub message: String,
}

/// Overrides given on the command line (they win over everything else).
#[derive(Debug, Default, Clone)]
pub struct CliOverrides {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub config_file: Option<PathBuf>,
}

impl Config {
    /// The database address in use: the configured one, or the SQLite file in the data folder.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose().to_owned(),
            None => format!("sqlite://{}", self.data_dir.join("securebase.db").display()),
        }
    }

    /// Where people reach this instance, for links in mail: `public_url`, or
    /// this machine's listening address when that is not set.
    pub fn base_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.bind))
    }

    /// Whether cookies should be `Secure` and `__Host-` prefixed.
    pub fn serves_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn load(file: Option<&str>, env: &[(&str, &str)], cli: CliOverrides) -> Result<Config, ConfigError> {
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_sources(file, Path::new("securebase.toml"), &env, &cli)
    }

    #[test]
    fn defaults_when_nothing_is_set() {
        let c = load(None, &[], CliOverrides::default()).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.effective_database_url(), "sqlite://data/securebase.db");
        assert!(!c.serves_https());
    }

    #[test]
    fn file_then_env_then_flags() {
        let file = "bind = \"127.0.0.1:9000\"\ninstance_name = \"File\"\nsession_max_days = 10\n";
        let c = load(
            Some(file),
            &[("SECUREBASE_INSTANCE_NAME", "Env"), ("SECUREBASE_BIND", "127.0.0.1:9100")],
            CliOverrides { bind: Some("127.0.0.1:9200".into()), ..Default::default() },
        )
        .unwrap();
        assert_eq!(c.instance_name, "Env");
        assert_eq!(c.bind.to_string(), "127.0.0.1:9200");
        assert_eq!(c.session_max_days, 10);
    }

    #[test]
    fn bad_value_names_the_key_and_source() {
        let e =
            load(None, &[("SECUREBASE_SESSION_MAX_DAYS", "forever")], CliOverrides::default()).unwrap_err();
        assert_eq!(e.key, "session_max_days");
        assert!(e.source_name.contains("SECUREBASE_SESSION_MAX_DAYS"));
        let e = load(Some("bind = \"nowhere\""), &[], CliOverrides::default()).unwrap_err();
        assert_eq!(e.key, "bind");
        assert!(e.to_string().contains("securebase.toml"));
    }

    #[test]
    fn unknown_key_in_file_is_refused() {
        let e = load(Some("colour = \"blue\""), &[], CliOverrides::default()).unwrap_err();
        assert_eq!(e.key, "colour");
    }

    #[test]
    fn a_mail_password_never_crosses_the_network_unencrypted() {
        let file = "smtp_host = \"smtp.example.org\"\nsmtp_tls = \"none\"\nsmtp_user = \"care\"\n";
        let e = load(Some(file), &[], CliOverrides::default()).unwrap_err();
        assert_eq!(e.key, "smtp_tls");
        assert!(e.message.contains("smtp.example.org"), "{}", e.message);
        let local = "smtp_host = \"localhost\"\nsmtp_tls = \"none\"\nsmtp_user = \"care\"\n";
        assert_eq!(load(Some(local), &[], CliOverrides::default()).unwrap().mail.smtp_tls, SmtpTls::None);
        let no_user = "smtp_host = \"smtp.example.org\"\nsmtp_tls = \"none\"\n";
        assert!(load(Some(no_user), &[], CliOverrides::default()).is_ok());
    }

    #[test]
    fn a_public_metrics_listener_needs_a_token() {
        let e =
            load(None, &[("SECUREBASE_METRICS_BIND", "0.0.0.0:9464")], CliOverrides::default()).unwrap_err();
        assert_eq!(e.key, "metrics_bind");
        let ok = load(
            None,
            &[
                ("SECUREBASE_METRICS_BIND", "0.0.0.0:9464"),
                ("SECUREBASE_METRICS_TOKEN", "a-long-metrics-token"),
            ],
            CliOverrides::default(),
        );
        assert!(ok.is_ok());
        let local =
            load(None, &[("SECUREBASE_METRICS_BIND", "127.0.0.1:9464")], CliOverrides::default()).unwrap();
        assert_eq!(local.metrics_bind.unwrap().port(), 9464);
    }

    #[test]
    fn help_lines_from_file() {
        let file = "[[help_lines]]\nname = \"Local helpline\"\nphone = \"0800 000\"\n";
        let c = load(Some(file), &[], CliOverrides::default()).unwrap();
        assert_eq!(c.help_lines.len(), 1);
        assert_eq!(c.help_lines[0].phone.as_deref(), Some("0800 000"));
    }

    #[test]
    fn secrets_are_hidden() {
        let c = load(
            None,
            &[
                ("DATABASE_URL", "postgres://app:s3cret-pass@db.internal/securebase"),
                ("SECUREBASE_METRICS_TOKEN", "abcdefghijklmnopqrstuvwxyz"),
            ],
            CliOverrides::default(),
        )
        .unwrap();
        let shown = c.describe();
        assert!(!shown.contains("s3cret-pass"), "{shown}");
        assert!(!shown.contains("abcdefghijklmnop"), "{shown}");
        assert!(shown.contains("postgres://app:[hidden]@db.internal/securebase"));
        assert!(!format!("{c:?}").contains("s3cret-pass"));
    }

    #[test]
    fn https_public_url_means_secure_cookies() {
        let c =
            load(None, &[("SECUREBASE_PUBLIC_URL", "https://care.example.org/")], CliOverrides::default())
                .unwrap();
        assert!(c.serves_https());
        assert_eq!(c.public_url.as_deref(), Some("https://care.example.org"));
    }
}
