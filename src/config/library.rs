//! The library's settings: where media is kept, how bytes reach a member,
//! how large an upload may be, and how access is sold.

use super::{ConfigError, Secret};

/// Where recordings are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaStore {
    /// A folder on this machine (`media_dir`, by default `<data_dir>/media`).
    Local,
    /// An S3-compatible bucket, shared by several instances.
    S3,
}

#[derive(Debug, Clone)]
pub struct LibraryConfig {
    pub media_store: MediaStore,
    /// The local folder; `None`: `<data_dir>/media`.
    pub media_dir: Option<std::path::PathBuf>,
    pub s3_bucket: Option<String>,
    /// For S3-compatible servers other than AWS, e.g. `http://127.0.0.1:9000`.
    pub s3_endpoint: Option<String>,
    pub s3_region: String,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<Secret>,
    /// With S3: after the access check, send the browser to a short-lived
    /// signed address instead of passing the bytes through this instance.
    pub s3_presign: bool,
    /// Behind nginx: after the access check, hand the file to nginx with
    /// `X-Accel-Redirect: <prefix><key>` (an `internal` location on the media folder).
    pub media_accel_prefix: Option<String>,
    /// The largest recording a coach may upload, in bytes.
    pub upload_max_bytes: u64,
    /// The payment provider's webhook signing secret (Stripe: `whsec_…`).
    pub payment_webhook_secret: Option<Secret>,
    /// Where "Join" on the library's join page leads, e.g. a payment link.
    pub join_url: Option<String>,
    /// How long a one-time payment grants access, in days.
    pub membership_days: i64,
}

impl Default for LibraryConfig {
    fn default() -> Self {
        LibraryConfig {
            media_store: MediaStore::Local,
            media_dir: None,
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: "us-east-1".to_owned(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_presign: true,
            media_accel_prefix: None,
            upload_max_bytes: 4 * 1024 * 1024 * 1024,
            payment_webhook_secret: None,
            join_url: None,
            membership_days: 365,
        }
    }
}

pub const KEYS: &[&str] = &[
    "media_store",
    "media_dir",
    "s3_bucket",
    "s3_endpoint",
    "s3_region",
    "s3_access_key_id",
    "s3_secret_access_key",
    "s3_presign",
    "media_accel_prefix",
    "upload_max_bytes",
    "payment_webhook_secret",
    "join_url",
    "membership_days",
];

fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

impl LibraryConfig {
    pub fn apply(
        &mut self,
        key: &str,
        value: &str,
        err: &dyn Fn(String) -> ConfigError,
    ) -> Result<(), ConfigError> {
        let text = || Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        match key {
            "media_store" => {
                self.media_store = match value {
                    "local" => MediaStore::Local,
                    "s3" => MediaStore::S3,
                    _ => return Err(err(format!("`{value}` is not local or s3"))),
                }
            }
            "media_dir" => self.media_dir = text().map(Into::into),
            "s3_bucket" => self.s3_bucket = text(),
            "s3_endpoint" => {
                if !(value.starts_with("http://") || value.starts_with("https://")) {
                    return Err(err("must start with http:// or https://".into()));
                }
                self.s3_endpoint = text()
            }
            "s3_region" => self.s3_region = text().ok_or_else(|| err("must not be empty".into()))?,
            "s3_access_key_id" => self.s3_access_key_id = text(),
            "s3_secret_access_key" => self.s3_secret_access_key = text().map(Secret::new),
            "s3_presign" => {
                self.s3_presign =
                    parse_bool(value).ok_or_else(|| err(format!("`{value}` is not true or false")))?
            }
            "media_accel_prefix" => {
                if !value.starts_with('/') || !value.ends_with('/') {
                    return Err(err(
                        "must be a path that starts and ends with /, such as /protected-media/".into()
                    ));
                }
                self.media_accel_prefix = text()
            }
            "upload_max_bytes" => {
                self.upload_max_bytes = super::sources::parse_range(value, 1024, 1 << 40, err)? as u64;
            }
            "payment_webhook_secret" => {
                if value.trim().len() < 16 {
                    return Err(err("must be at least 16 characters".into()));
                }
                self.payment_webhook_secret = text().map(Secret::new)
            }
            "join_url" => {
                if !(value.starts_with("https://") || value.starts_with("http://")) {
                    return Err(err("must start with https:// or http://".into()));
                }
                self.join_url = text()
            }
            "membership_days" => self.membership_days = super::sources::parse_range(value, 1, 3660, err)?,
            _ => return Err(err("unknown key".into())),
        }
        Ok(())
    }

    /// Settings that make sense only together.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.media_store == MediaStore::S3 && self.s3_bucket.is_none() {
            return Err(ConfigError {
                key: "s3_bucket".into(),
                source_name: "the configuration".into(),
                message: "media_store = \"s3\" needs the bucket's name".into(),
            });
        }
        if self.media_store == MediaStore::S3 && self.media_accel_prefix.is_some() {
            return Err(ConfigError {
                key: "media_accel_prefix".into(),
                source_name: "the configuration".into(),
                message: "nginx can hand out files from a local media folder only; with media_store = \"s3\" leave it unset".into(),
            });
        }
        Ok(())
    }

    /// Lines for `securebase config`, secrets hidden.
    pub fn describe(&self, line: &mut dyn FnMut(&str, String)) {
        let quoted = |v: &Option<String>| v.as_deref().map_or("(not set)".into(), |v| format!("\"{v}\""));
        let hidden = |v: &Option<Secret>| if v.is_some() { "[hidden]".into() } else { "(not set)".into() };
        line("media_store", if self.media_store == MediaStore::S3 { "\"s3\"" } else { "\"local\"" }.into());
        line(
            "media_dir",
            self.media_dir.as_ref().map_or("(data_dir/media)".into(), |d| format!("\"{}\"", d.display())),
        );
        line("s3_bucket", quoted(&self.s3_bucket));
        line("s3_endpoint", quoted(&self.s3_endpoint));
        line("s3_region", format!("\"{}\"", self.s3_region));
        line("s3_access_key_id", quoted(&self.s3_access_key_id));
        line("s3_secret_access_key", hidden(&self.s3_secret_access_key));
        line("s3_presign", self.s3_presign.to_string());
        line("media_accel_prefix", quoted(&self.media_accel_prefix));
        line("upload_max_bytes", self.upload_max_bytes.to_string());
        line("payment_webhook_secret", hidden(&self.payment_webhook_secret));
        line("join_url", quoted(&self.join_url));
        line("membership_days", self.membership_days.to_string());
    }
}
