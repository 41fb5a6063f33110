//! The command line: `serve` (the default), `migrate`, `user`, `check-config`, `backup`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::{self, AppState};
use crate::config::{CliOverrides, Config};
use crate::db::{Backend, Db};
use crate::features::accounts::{password, service, signup, store, validate};
use crate::web::{AppError, Role};

#[derive(Parser, Debug)]
#[command(name = "securebase", version, about = "Securebase: build secure attachment, alone or together.")]
struct Cli {
    /// Address and port to listen on (default 127.0.0.1:8080).
    #[arg(long, global = true, env = "SECUREBASE_BIND")]
    bind: Option<String>,
    /// Folder for the SQLite database and media (default ./data).
    #[arg(long, global = true, env = "SECUREBASE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Configuration file (default ./securebase.toml when it exists).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (the default).
    Serve {
        /// Load demo people and content (safe to repeat).
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Print the effective configuration, secrets hidden.
    CheckConfig,
    /// Write a consistent copy of the SQLite database to a file.
    Backup {
        /// Where to write the copy.
        #[arg(long)]
        out: PathBuf,
    },
    /// Mail kept on this instance.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Background jobs (every running instance also does them on its own).
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
}

#[derive(Subcommand, Debug)]
enum JobsCommand {
    /// Do every job that is due now and exit.
    RunDue {
        /// Also do the jobs due within this many minutes from now, as if that
        /// time had come (to try a reminder without waiting for it).
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(i64).range(0..=20_160))]
        ahead_minutes: i64,
    },
}

#[derive(Subcommand, Debug)]
enum MailCommand {
    /// Print the mail kept in the outbox (where it goes when no mail server is set), oldest first.
    Outbox {
        /// Only mail to this address.
        #[arg(long)]
        to: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create an account. The password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "member", value_parser = ["admin", "coach", "member"])]
        role: String,
    },
    /// Change an account's role.
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = ["admin", "coach", "member"])]
        role: String,
    },
}

pub fn main() -> ExitCode {
    crate::memory::tune_allocator();
    let cli = Cli::parse();
    let overrides = CliOverrides {
        bind: cli.bind.clone(),
        data_dir: cli.data_dir.clone(),
        config_file: cli.config.clone(),
    };
    let config = match Config::load(&overrides) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("securebase: {e}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .with_target(false)
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("securebase: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve { demo: false }), config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("securebase: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The data folder holds private writing: this user alone may read it.
fn prepare_data_dir(config: &Config) -> anyhow::Result<()> {
    let dir = &config.data_dir;
    crate::db::create_private_dir(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
            tracing::info!(dir = %dir.display(), "data folder made private to this user (0700)");
        }
    }
    Ok(())
}

async fn open(config: &Config) -> anyhow::Result<Db> {
    prepare_data_dir(config)?;
    let db = Db::connect(&config.effective_database_url()).await?;
    let applied = db.migrate().await?;
    if applied > 0 {
        tracing::info!(applied, "database migrated");
    }
    Ok(db)
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::CheckConfig => {
            print!("{}", config.describe());
            Ok(())
        }
        Command::Serve { demo } => {
            let started = std::time::Instant::now();
            let db = open(&config).await?;
            let state = AppState::try_new(config.clone(), db)?;
            app::startup(&state).await?;
            if demo {
                let created = crate::demo::load(&state).await?;
                tracing::info!(created, "demo content loaded");
            }
            crate::memory::release_free_memory();
            spawn_housekeeping(state.clone());
            spawn_kept_pages_sweep(state.clone());
            crate::ops::spawn_metrics_upkeep(state.clone());
            // One job worker per instance; on shutdown it finishes the job in hand.
            let (stop_worker, worker_stop) = tokio::sync::watch::channel(false);
            let worker = tokio::spawn(crate::jobs::worker::run(state.clone(), app::job_kinds(), worker_stop));
            if let Some(addr) = config.metrics_bind {
                let metrics_listener = tokio::net::TcpListener::bind(addr).await?;
                tracing::info!(address = %addr, "metrics listening");
                let router = crate::ops::metrics_router(state.clone());
                let limits = crate::server::ServeLimits::from_config(&config);
                tokio::spawn(async move {
                    let _ =
                        crate::server::serve(metrics_listener, router, limits, std::future::pending()).await;
                });
            }
            let listener = tokio::net::TcpListener::bind(config.bind).await?;
            tracing::info!(
                address = %listener.local_addr()?,
                ready_ms = started.elapsed().as_millis() as u64,
                "Securebase is listening"
            );
            let limits =
                crate::server::ServeLimits::for_process(&config, crate::server::raise_open_file_limit());
            crate::server::serve(listener, app::build_router(state.clone()), limits, app::shutdown_signal())
                .await?;
            let _ = stop_worker.send(true);
            if tokio::time::timeout(std::time::Duration::from_secs(60), worker).await.is_err() {
                tracing::warn!(
                    "the job worker did not finish within a minute; its job will be taken up again"
                );
            }
            // Checkpoint and close the database, so no write-ahead log is left behind.
            state.db.close().await;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Migrate => {
            prepare_data_dir(&config)?;
            let db = Db::connect(&config.effective_database_url()).await?;
            let applied = db.migrate().await?;
            println!("{applied} migration(s) applied; the schema is up to date.");
            Ok(())
        }
        Command::User { command } => {
            let db = open(&config).await?;
            let state = AppState::try_new(config, db)?;
            match command {
                UserCommand::Create { email, name, role } => create_user(&state, &email, &name, &role).await,
                UserCommand::SetRole { email, role } => {
                    let email = validate::normalize_email(&email).map_err(anyhow::Error::msg)?;
                    let user = store::find_user_by_email(&state.db, &email)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("no account uses {email}"))?;
                    let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown role"))?;
                    service::set_role(&state, &user.id, role).await.map_err(describe)?;
                    println!("{email} is now {role}.");
                    Ok(())
                }
            }
        }
        Command::Mail { command: MailCommand::Outbox { to } } => {
            // Reading only: no migrating a database a newer server may be using.
            let db = Db::connect(&config.effective_database_url()).await?;
            let to = to.map(|t| validate::normalize_email(&t).unwrap_or(t));
            let mails = crate::mail::outbox::list(&db, to.as_deref()).await?;
            if mails.is_empty() {
                println!("The outbox is empty{}.", to.map(|t| format!(" for {t}")).unwrap_or_default());
            }
            for m in mails {
                println!("Date: {}", crate::clock::rfc3339(m.created_at));
                println!("To: {}", m.to_address);
                println!("Subject: {}\n", m.subject);
                println!("{}", m.text_body.trim_end());
                println!("\n{}", "=".repeat(72));
            }
            Ok(())
        }
        Command::Jobs { command: JobsCommand::RunDue { ahead_minutes } } => {
            let db = open(&config).await?;
            let state = AppState::try_new(config, db)?;
            let at = crate::clock::now() + ahead_minutes * 60;
            let done = crate::jobs::worker::run_due(&state, &app::job_kinds(), at).await?;
            println!("{done} job(s) done.");
            Ok(())
        }
        Command::Backup { out } => {
            let db = Db::connect(&config.effective_database_url()).await?;
            if db.backend == Backend::Postgres {
                anyhow::bail!(
                    "this instance uses PostgreSQL; back it up with pg_dump (see the README's Backups section)"
                );
            }
            if out.exists() {
                anyhow::bail!("{} already exists; choose a new file name", out.display());
            }
            // The copy holds everything; only this user may read it. SQLite
            // writes into an empty file that already exists.
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&out)?;
            }
            let target = out.to_string_lossy().replace('\'', "''");
            // The path is quoted with doubled single quotes, the SQL string-literal escape.
            sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{target}'"))).execute(&db.pool).await?;
            println!("Backup written to {}", out.display());
            Ok(())
        }
    }
}

fn describe(e: AppError) -> anyhow::Error {
    match e {
        AppError::Validation(fields) => anyhow::anyhow!(
            "{}",
            fields.0.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

async fn create_user(state: &AppState, email: &str, name: &str, role: &str) -> anyhow::Result<()> {
    let email = validate::normalize_email(email).map_err(anyhow::Error::msg)?;
    let name = validate::display_name(name).map_err(anyhow::Error::msg)?;
    let role = Role::parse(role).ok_or_else(|| anyhow::anyhow!("unknown role"))?;
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    if interactive {
        eprint!("Password for {email} (at least 12 characters): ");
        let _ = std::io::stderr().flush();
        // Hide typing where `stty` exists; the password never appears on the command line.
        let _ =
            std::process::Command::new("stty").arg("-echo").stdin(std::process::Stdio::inherit()).status();
    }
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if interactive {
        let _ = std::process::Command::new("stty").arg("echo").stdin(std::process::Stdio::inherit()).status();
        eprintln!();
    }
    read?;
    let plain = line.trim_end_matches(['\n', '\r']);
    password::check_policy(plain, &email, &name).map_err(anyhow::Error::msg)?;
    let new = signup::NewAccount {
        email: &email,
        display_name: &name,
        password: plain,
        role,
        time_zone: "UTC",
        verified: true,
    };
    let user = signup::create_user(state, new, crate::passwords::Lane::Known).await.map_err(describe)?;
    println!("Created {} ({}) with id {}.", user.email, user.role, user.id);
    Ok(())
}

/// Drop members' kept pages once their time is up: a sweep every quarter
/// of `member_cache_ms` (at least every 250 ms), so none stays in memory
/// more than a quarter longer than that.
fn spawn_kept_pages_sweep(state: AppState) {
    if state.config.member_cache_ms == 0 {
        return;
    }
    tokio::spawn(async move {
        let every = std::time::Duration::from_millis((state.config.member_cache_ms / 4).max(250));
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            state.member_copies.sweep();
        }
    });
}

/// Remove ended sessions now and then; any instance may do it.
fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let now = crate::clock::now();
            let idle_since = now - state.config.session_idle_hours * 3600;
            if let Err(e) = store::delete_expired_sessions(&state.db, now, idle_since).await {
                tracing::warn!(error = %e, "could not remove ended sessions");
            }
            if let Err(e) = store::delete_stale_attempts(&state.db, now).await {
                tracing::warn!(error = %e, "could not remove old sign-in counts");
            }
            // Spent links, old security events, old outbox mail, done and failed jobs.
            let week_ago = now - 7 * 86_400;
            let month_ago = now - 30 * 86_400;
            let results = [
                crate::features::accounts::tokens::forget_old(&state.db, now).await.map(drop),
                crate::features::accounts::security::forget_old(&state.db, now).await.map(drop),
                crate::mail::outbox::forget_before(&state.db, month_ago).await.map(drop),
                crate::db::queue::forget_before(&state.db, week_ago).await,
                // Normally purged by its own job; this catches any it missed.
                crate::features::undo::store::purge_expired(&state.db.pool, now).await.map(drop),
            ];
            for e in results.into_iter().filter_map(Result::err) {
                tracing::warn!(error = %e, "housekeeping could not remove old rows");
            }
            // Whatever a busy moment left in the write-ahead log goes now.
            if let Err(e) = state.db.flush_deleted().await {
                tracing::warn!(error = %e, "could not checkpoint the write-ahead log");
            }
        }
    });
}
