//! Configuration: built-in defaults, then `securebase.toml`, then `SECUREBASE_*`
//! environment variables, then command-line flags. A bad value stops start-up
//! with a message that names the key and where the value came from.

pub mod library;

pub use library::{LibraryConfig, MediaStore};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

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
    /// The library: media storage, uploads and selling access.
    pub library: LibraryConfig,
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
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

const KEYS: &[&str] = &[
    "bind",
    "data_dir",
    "database_url",
    "public_url",
    "instance_name",
    "quick_exit_url",
    "session_idle_hours",
    "session_max_days",
    "trust_forwarded_for",
    "metrics_token",
    "metrics_bind",
    "help_lines",
    "password_hash_limit",
    "password_hash_wait_ms",
    "max_connections",
    "smtp_host",
    "smtp_port",
    "smtp_tls",
    "smtp_user",
    "smtp_password",
    "mail_from",
    "job_lease_seconds",
    "public_cache_ms",
];

fn is_key(key: &str) -> bool {
    KEYS.contains(&key) || library::KEYS.contains(&key)
}

impl Config {
    /// Load from the real environment and the config file (if present).
    pub fn load(cli: &CliOverrides) -> Result<Self, ConfigError> {
        let path = cli.config_file.clone().unwrap_or_else(|| PathBuf::from("securebase.toml"));
        let file_text = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && cli.config_file.is_none() => None,
            Err(e) => {
                return Err(ConfigError {
                    key: "config_file".into(),
                    source_name: path.display().to_string(),
                    message: format!("cannot read the file: {e}"),
                });
            }
        };
        let env: Vec<(String, String)> = std::env::vars().collect();
        Self::from_sources(file_text.as_deref(), &path, &env, cli)
    }

    /// Pure: build a configuration from a file's text, environment pairs and flags.
    pub fn from_sources(
        file_text: Option<&str>,
        file_path: &Path,
        env: &[(String, String)],
        cli: &CliOverrides,
    ) -> Result<Self, ConfigError> {
        let mut config = Config::default();
        let file_name = file_path.display().to_string();

        if let Some(text) = file_text {
            let table: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError {
                key: "(file)".into(),
                source_name: file_name.clone(),
                message: e.message().to_owned(),
            })?;
            for (key, value) in table {
                if !is_key(&key) {
                    return Err(ConfigError {
                        key,
                        source_name: file_name.clone(),
                        message: format!(
                            "unknown key; known keys are: {}, {}",
                            KEYS.join(", "),
                            library::KEYS.join(", ")
                        ),
                    });
                }
                if key == "help_lines" {
                    config.help_lines = value.try_into().map_err(|e: toml::de::Error| ConfigError {
                        key: key.clone(),
                        source_name: file_name.clone(),
                        message: format!(
                            "expected a list of {{ name, phone, url, hours }} tables: {}",
                            e.message()
                        ),
                    })?;
                    continue;
                }
                let text = match value {
                    toml::Value::String(s) => s,
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::Boolean(b) => b.to_string(),
                    other => {
                        return Err(ConfigError {
                            key,
                            source_name: file_name.clone(),
                            message: format!("expected a string, number or boolean, found {other}"),
                        });
                    }
                };
                config.apply(&key, &text, &file_name)?;
            }
        }

        for (name, value) in env {
            if name == "DATABASE_URL" {
                config.apply("database_url", value, "environment variable DATABASE_URL")?;
                continue;
            }
            let Some(key) = name.strip_prefix("SECUREBASE_") else {
                continue;
            };
            let key = key.to_ascii_lowercase();
            if key == "help_lines" {
                return Err(ConfigError {
                    key,
                    source_name: format!("environment variable {name}"),
                    message: "help lines can only be set in securebase.toml".into(),
                });
            }
            if is_key(&key) {
                config.apply(&key, value, &format!("environment variable {name}"))?;
            }
        }

        if let Some(bind) = &cli.bind {
            config.apply("bind", bind, "the --bind flag")?;
        }
        if let Some(dir) = &cli.data_dir {
            config.data_dir = dir.clone();
        }
        if let Some(addr) = config.metrics_bind
            && !addr.ip().is_loopback()
            && config.metrics_token.is_none()
        {
            return Err(ConfigError {
                key: "metrics_bind".into(),
                source_name: "the configuration".into(),
                message: format!(
                    "{addr} is reachable from other machines; set metrics_token too, or use a loopback address"
                ),
            });
        }
        if let (SmtpTls::None, Some(host), Some(_)) =
            (config.mail.smtp_tls, &config.mail.smtp_host, &config.mail.smtp_user)
            && !is_loopback_host(host)
        {
            return Err(ConfigError {
                key: "smtp_tls".into(),
                source_name: "the configuration".into(),
                message: format!(
                    "a password would cross the network to {host} unencrypted; use starttls or tls, or a mail server on this machine"
                ),
            });
        }
        config.library.check()?;
        Ok(config)
    }

    fn apply(&mut self, key: &str, value: &str, source: &str) -> Result<(), ConfigError> {
        let err =
            |message: String| ConfigError { key: key.to_owned(), source_name: source.to_owned(), message };
        match key {
            "bind" => {
                self.bind = value.parse().map_err(|_| {
                    err(format!("`{value}` is not an address and port such as 127.0.0.1:8080"))
                })?
            }
            "data_dir" => {
                if value.trim().is_empty() {
                    return Err(err("must not be empty".into()));
                }
                self.data_dir = PathBuf::from(value)
            }
            "database_url" => {
                let supported = ["sqlite:", "postgres://", "postgresql://"];
                if !supported.iter().any(|p| value.starts_with(p)) {
                    return Err(err("must start with sqlite:, postgres:// or postgresql://".into()));
                }
                self.database_url = Some(Secret::new(value))
            }
            "public_url" => {
                if !(value.starts_with("http://") || value.starts_with("https://")) {
                    return Err(err("must start with http:// or https://".into()));
                }
                self.public_url = Some(value.trim_end_matches('/').to_owned())
            }
            "instance_name" => {
                let value = value.trim();
                if value.is_empty() || value.chars().count() > 60 {
                    return Err(err("must be between 1 and 60 characters".into()));
                }
                self.instance_name = value.to_owned()
            }
            "quick_exit_url" => {
                if !value.starts_with("https://") {
                    return Err(err("must be an https:// address".into()));
                }
                self.quick_exit_url = value.to_owned()
            }
            "session_idle_hours" => self.session_idle_hours = parse_range(value, 1, 24 * 90, &err)?,
            "session_max_days" => self.session_max_days = parse_range(value, 1, 365, &err)?,
            "trust_forwarded_for" => {
                self.trust_forwarded_for = match value {
                    "true" | "1" | "yes" => true,
                    "false" | "0" | "no" => false,
                    _ => return Err(err(format!("`{value}` is not true or false"))),
                }
            }
            "metrics_token" => {
                if value.len() < 16 {
                    return Err(err("must be at least 16 characters".into()));
                }
                self.metrics_token = Some(Secret::new(value))
            }
            "metrics_bind" => {
                self.metrics_bind = Some(value.parse().map_err(|_| {
                    err(format!("`{value}` is not an address and port such as 127.0.0.1:9464"))
                })?)
            }
            "password_hash_limit" => self.password_hash_limit = parse_range(value, 1, 256, &err)? as usize,
            "password_hash_wait_ms" => {
                self.password_hash_wait_ms = parse_range(value, 0, 60_000, &err)? as u64
            }
            "max_connections" => self.max_connections = parse_range(value, 16, 100_000, &err)? as usize,
            "smtp_host" => {
                let host = value.trim();
                if host.is_empty()
                    || host.contains(['/', ' ', ':'])
                    || lettre::transport::smtp::client::TlsParameters::new(host.to_owned()).is_err()
                {
                    return Err(err("must be a host name such as smtp.example.org".into()));
                }
                self.mail.smtp_host = Some(host.to_owned())
            }
            "smtp_port" => self.mail.smtp_port = parse_range(value, 1, 65_535, &err)? as u16,
            "smtp_tls" => {
                self.mail.smtp_tls = match value {
                    "starttls" => SmtpTls::StartTls,
                    "tls" => SmtpTls::Tls,
                    "none" => SmtpTls::None,
                    _ => return Err(err(format!("`{value}` is not starttls, tls or none"))),
                }
            }
            "smtp_user" => self.mail.smtp_user = Some(value.to_owned()).filter(|v| !v.is_empty()),
            "smtp_password" => {
                self.mail.smtp_password = Some(Secret::new(value)).filter(|v| !v.expose().is_empty())
            }
            "mail_from" => {
                if value.trim().parse::<lettre::message::Mailbox>().is_err() {
                    return Err(err(format!("`{value}` is not an address such as Care <care@example.org>")));
                }
                self.mail.mail_from = value.trim().to_owned()
            }
            "job_lease_seconds" => self.job_lease_seconds = parse_range(value, 1, 3600, &err)?,
            "public_cache_ms" => self.public_cache_ms = parse_range(value, 0, 60_000, &err)? as u64,
            key if library::KEYS.contains(&key) => self.library.apply(key, value, &err)?,
            _ => return Err(err("unknown key".into())),
        }
        Ok(())
    }

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
        self.library.describe(&mut line);
        out
    }
}

fn parse_range(
    value: &str,
    min: i64,
    max: i64,
    err: &dyn Fn(String) -> ConfigError,
) -> Result<i64, ConfigError> {
    match value.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(err(format!("`{value}` is not a whole number from {min} to {max}"))),
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

#[cfg(test)]
mod tests {
    use super::*;

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
