//! Where configuration comes from: the file, then the environment, then the
//! command line, each value checked as it is read.

use std::path::{Path, PathBuf};

use super::{CliOverrides, Config, ConfigError, Secret, SmtpTls, library};

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
    "member_cache_ms",
    // member_cache_ms's earlier name, from when it kept the dashboard alone.
    "dashboard_cache_ms",
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
            "member_cache_ms" | "dashboard_cache_ms" => {
                self.member_cache_ms = parse_range(value, 0, 3_600_000, &err)? as u64
            }
            key if library::KEYS.contains(&key) => self.library.apply(key, value, &err)?,
            _ => return Err(err("unknown key".into())),
        }
        Ok(())
    }
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

pub(super) fn parse_range(
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
