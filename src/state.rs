//! What every handler can reach: the configuration, the database, metrics,
//! the instruments on offer, the password-hashing cap and the mailer. Below
//! the features (they all read it) and above only `config`, `db`,
//! `instruments`, `mail` and `passwords`.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::config::Config;
use crate::db::Db;
use crate::instruments;
use crate::mail::Mailer;
use crate::passwords::PasswordWork;

pub struct AppInner {
    pub config: Config,
    pub db: Db,
    pub metrics: PrometheusHandle,
    /// The questionnaires this instance offers (built in, plus `<data_dir>/instruments/`).
    pub instruments: Vec<instruments::Instrument>,
    /// The cap on concurrent password hashing.
    pub passwords: PasswordWork,
    /// Sends mail (SMTP), or keeps it in the outbox.
    pub mailer: Mailer,
    /// Visitors' copies of public pages (see `cache`).
    pub public_pages: crate::cache::PageCache,
    /// Recordings' bytes (a local folder or an S3-compatible bucket).
    pub media: crate::media::Media,
    /// What each byte range needs of its recording, kept as public pages are
    /// (see `cache`): access itself is read with the session on every request.
    pub media_facts: crate::cache::Kept<crate::media::ObjectFacts>,
    /// Members' own pages (the dashboard, home, journal list, check-ins),
    /// kept while nothing they were drawn from has changed (see `web::kept_pages`).
    pub member_copies: crate::cache::MemberCopies,
    /// Wakes this instance's job worker when a request queued work.
    pub wake_worker: tokio::sync::Notify,
    /// The known-device cookie's signing key, read from the database on first use.
    device_key: tokio::sync::OnceCell<Vec<u8>>,
}

/// Everything a handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<AppInner>);

impl Deref for AppState {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

/// The process-wide Prometheus recorder (installed once, shared by every router).
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (tests); ours still renders.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

impl AppState {
    /// For tests and tools: panics when the media store cannot be opened.
    pub fn new(config: Config, db: Db) -> Self {
        Self::try_new(config, db).expect("the media store can be opened")
    }

    pub fn try_new(config: Config, db: Db) -> anyhow::Result<Self> {
        let (instruments, problems) = instruments::registry::load(&config.data_dir);
        for problem in problems {
            tracing::warn!(%problem, "instrument skipped");
        }
        let passwords = PasswordWork::new(
            config.password_hash_limit,
            Duration::from_millis(config.password_hash_wait_ms),
        );
        // The mail settings were checked when the configuration was read.
        let mailer = Mailer::new(&config.mail).expect("mail settings are valid");
        let public_pages = crate::cache::PageCache::new(Duration::from_millis(config.public_cache_ms));
        let media = crate::media::Media::new(&config)?;
        let media_facts = crate::cache::Kept::new(Duration::from_millis(config.public_cache_ms));
        let member_copies = crate::cache::MemberCopies::with_room(
            Duration::from_millis(config.member_cache_ms),
            crate::cache::MEMBER_COPIES,
        );
        Ok(AppState(Arc::new(AppInner {
            member_copies,
            media,
            media_facts,
            public_pages,
            config,
            db,
            metrics: metrics_handle(),
            instruments,
            passwords,
            mailer,
            wake_worker: tokio::sync::Notify::new(),
            device_key: tokio::sync::OnceCell::new(),
        })))
    }

    /// The instance-wide key for known-device cookies (made once, shared by every instance).
    pub async fn device_key(&self) -> Result<&[u8], sqlx::Error> {
        self.device_key
            .get_or_try_init(|| crate::db::keys::instance_key(&self.db, "known-device-cookie"))
            .await
            .map(Vec::as_slice)
    }
}
