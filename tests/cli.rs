//! The command line, run as a real process against the test database.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::TestDb;

fn securebase(db: &TestDb, data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_securebase"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db.url)
        .arg("--data-dir")
        .arg(data_dir)
        .current_dir(data_dir);
    cmd
}

#[tokio::test]
async fn check_config_hides_secrets_and_bad_values_name_the_key() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let out = securebase(&db, dir.path())
        .env("DATABASE_URL", "postgres://app:very-secret-pw@db.internal/securebase")
        .env("SECUREBASE_METRICS_TOKEN", "metrics-token-0123456789")
        .env("SECUREBASE_BIND", "127.0.0.1:9911")
        .arg("check-config")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("bind = \"127.0.0.1:9911\""), "{text}");
    assert!(!text.contains("very-secret-pw") && !text.contains("metrics-token-0123456789"), "{text}");

    let out = securebase(&db, dir.path())
        .env("SECUREBASE_SESSION_IDLE_HOURS", "a while")
        .arg("check-config")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("session_idle_hours") && err.contains("SECUREBASE_SESSION_IDLE_HOURS"), "{err}");

    std::fs::write(dir.path().join("securebase.toml"), "instance_name = \"Harbour\"\nsession_max_days = 0\n")
        .unwrap();
    let out = securebase(&db, dir.path()).arg("check-config").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("session_max_days") && err.contains("securebase.toml"), "{err}");
}

#[tokio::test]
async fn user_create_reads_the_password_from_stdin_and_set_role_changes_it() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = securebase(&db, dir.path())
        .args([
            "user",
            "create",
            "--email",
            "Owner@Example.org",
            "--name",
            "Instance Owner",
            "--role",
            "admin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"lantern over the harbour\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("owner@example.org (admin)"));

    let mut child = securebase(&db, dir.path())
        .args(["user", "create", "--email", "weak@example.org", "--name", "Weak"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"password1234\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("common"));

    let out = securebase(&db, dir.path())
        .args(["user", "set-role", "--email", "owner@example.org", "--role", "member"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the only admin cannot be demoted");
    assert!(String::from_utf8_lossy(&out.stderr).contains("only admin"));

    // The account works for signing in.
    let app_db = securebase::db::Db::connect(&db.url).await.unwrap();
    let user = securebase::features::accounts::store::find_user_by_email(&app_db, "owner@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, securebase::web::Role::Admin);
    let work = securebase::passwords::PasswordWork::new(1, std::time::Duration::from_secs(5));
    assert!(
        work.verify(
            "lantern over the harbour".into(),
            Some(user.password_hash),
            securebase::passwords::Lane::Known
        )
        .await
        .unwrap()
    );
}

#[tokio::test]
async fn migrate_is_repeatable_and_backup_copies_sqlite() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let first = securebase(&db, dir.path()).arg("migrate").output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let again = securebase(&db, dir.path()).arg("migrate").output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("0 migration(s) applied"));

    let target = dir.path().join("copy.db");
    let out = securebase(&db, dir.path()).args(["backup", "--out"]).arg(&target).output().unwrap();
    if db.is_postgres() {
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
    } else {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the backup holds everything: this user alone reads it");
        }
        let copy = securebase::db::Db::connect(&format!("sqlite://{}", target.display())).await.unwrap();
        use sqlx::Row;
        let n: i64 =
            sqlx::query("SELECT COUNT(*) FROM schema_migrations").fetch_one(&copy.pool).await.unwrap().get(0);
        assert_eq!(n as usize, securebase::db::MIGRATIONS.len());
    }
}

#[tokio::test]
async fn serve_answers_and_stops_on_sigterm() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut child = securebase(&db, dir.path())
        .args(["--bind", &format!("127.0.0.1:{port}"), "serve", "--demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for readiness by polling the port (bounded), not by sleeping blindly.
    let mut ready = false;
    for _ in 0..200 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::Read;
            s.write_all(b"GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
            let mut buf = String::new();
            s.read_to_string(&mut buf).ok();
            if buf.contains("ready") {
                ready = true;
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ready, "server did not become ready");
    let app_db = securebase::db::Db::connect(&db.url).await.unwrap();
    let admin = securebase::features::accounts::store::find_user_by_email(&app_db, "admin@demo.securebase")
        .await
        .unwrap();
    assert!(admin.is_some(), "--demo loads the demo people");
    // SIGTERM: graceful shutdown, exit status 0.
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    if !db.is_postgres() {
        // The last connection checkpointed and closed: no write-ahead log is left.
        let wal = format!("{}-wal", db.url.trim_start_matches("sqlite://"));
        assert!(std::fs::metadata(&wal).map_or(true, |m| m.len() == 0), "{wal} left behind");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_folder_and_database_files_are_private_to_this_user() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("data");
    let out = Command::new(env!("CARGO_BIN_EXE_securebase"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .arg("--data-dir")
        .arg(&data)
        .arg("migrate")
        .current_dir(parent.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("securebase.db")), 0o600);

    // A folder someone made readable to all is tightened at start.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(data.join("securebase.db"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_securebase"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .arg("--data-dir")
        .arg(&data)
        .arg("migrate")
        .current_dir(parent.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("securebase.db")), 0o600);
}
