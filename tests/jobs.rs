//! Background jobs in the database, on either backend: retried with growing
//! waits and kept for the admin when they run out, done once however often
//! they run, finished on shutdown, and shared by instances that can die.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use axum::http::StatusCode;
use common::{TestApp, TestDb};
use securebase::db::queue::{self, NewJob};
use securebase::jobs::worker::{self, Turn};
use securebase::mail::Message;
use securebase::web::Role;

fn message(to: &str, n: usize) -> Message {
    Message {
        to: to.to_owned(),
        subject: format!("Mail {n}"),
        text: format!("Number {n}."),
        html: format!("<p>Number {n}.</p>"),
    }
}

async fn queue_mail(app: &TestApp, to: &str, n: usize) -> bool {
    securebase::jobs::mail::send(&app.state.db.pool, None, message(to, n), format!("test:{n}")).await.unwrap()
}

fn kinds() -> securebase::jobs::JobKinds {
    securebase::app::job_kinds()
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_failed_job_is_tried_again_later_and_kept_for_the_admin_when_it_runs_out() {
    let app = TestApp::spawn().await;
    // A mail job without its mail fails every time.
    let job = NewJob {
        kind: securebase::jobs::mail::KIND.name,
        payload: "{}".into(),
        dedupe_key: None,
        user_id: None,
        run_at: securebase::clock::now(),
        max_attempts: 3,
    };
    queue::enqueue(&app.state.db.pool, job).await.unwrap();
    let mut now = securebase::clock::now();
    assert_eq!(worker::run_one(&app.state, &kinds(), now).await.unwrap(), Turn::Failed);
    assert_eq!(
        worker::run_one(&app.state, &kinds(), now).await.unwrap(),
        Turn::Idle,
        "it waits before trying again"
    );
    assert_eq!(worker::run_one(&app.state, &kinds(), now + 29).await.unwrap(), Turn::Idle, "30 s first");
    now += 30;
    assert_eq!(worker::run_one(&app.state, &kinds(), now).await.unwrap(), Turn::Failed);
    assert_eq!(worker::run_one(&app.state, &kinds(), now + 59).await.unwrap(), Turn::Idle, "then 60 s");
    now += 60;
    assert_eq!(worker::run_one(&app.state, &kinds(), now).await.unwrap(), Turn::Failed);
    // Out of attempts: kept as failed, never tried again by itself.
    assert_eq!(worker::run_one(&app.state, &kinds(), now + 86_400).await.unwrap(), Turn::Idle);
    let failed = queue::failed(&app.state.db).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, 3);
    assert!(
        failed[0].last_error.as_deref().unwrap().contains("missing field `message`"),
        "{:?}",
        failed[0].last_error
    );
    // The admin sees it with its error, and can have it tried again.
    let mut admin = app.with_role("root@example.org", Role::Admin).await;
    let page = admin.get("/admin/jobs").await.body;
    assert!(page.contains("mail") && page.contains("missing field"), "{page}");
    let api = admin.get("/api/v1/admin/jobs/failed").await.json();
    assert_eq!(api[0]["attempts"], 3);
    assert_eq!(app.member("mo@example.org").await.get("/admin/jobs").await.status, StatusCode::FORBIDDEN);
    let r = admin.post_form(&format!("/admin/jobs/{}/retry", failed[0].id), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(queue::failed(&app.state.db).await.unwrap().is_empty());
    assert_eq!(worker::run_one(&app.state, &kinds(), securebase::clock::now()).await.unwrap(), Turn::Failed);
}

fn panics<'a>(
    _: &'a securebase::state::AppState,
    _: &'a queue::ClaimedJob,
) -> securebase::jobs::JobFuture<'a> {
    Box::pin(async { panic!("a job that always panics") })
}

#[tokio::test]
async fn a_panicking_job_is_a_failed_attempt_and_unknown_kinds_are_left_alone() {
    let app = TestApp::spawn().await;
    let now = securebase::clock::now();
    for kind in ["panics", "from-a-newer-version"] {
        let job = NewJob {
            kind,
            payload: "{}".into(),
            dedupe_key: None,
            user_id: None,
            run_at: now,
            max_attempts: 1,
        };
        queue::enqueue(&app.state.db.pool, job).await.unwrap();
    }
    let kinds = securebase::jobs::JobKinds::new(vec![securebase::jobs::JobKind {
        name: "panics",
        max_attempts: 1,
        run: panics,
    }]);
    assert_eq!(worker::run_one(&app.state, &kinds, now).await.unwrap(), Turn::Failed);
    let failed = queue::failed(&app.state.db).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].kind, "panics");
    assert!(failed[0].last_error.as_deref().unwrap().contains("panicked"));
    // This instance does not know the other kind: it waits for one that does.
    assert_eq!(worker::run_one(&app.state, &kinds, now + 86_400).await.unwrap(), Turn::Idle);
    assert_eq!(queue::waiting(&app.state.db).await.unwrap(), 1);
}

/// An instance whose mail server is down fails the job; another instance,
/// later, does it: once.
#[tokio::test]
async fn a_mail_that_failed_is_sent_later_by_any_instance_once() {
    let app = TestApp::spawn().await;
    let port = free_port().to_string();
    let broken = app
        .second_instance_with(&[
            ("SECUREBASE_SMTP_HOST", "127.0.0.1"),
            ("SECUREBASE_SMTP_PORT", &port),
            ("SECUREBASE_SMTP_TLS", "none"),
        ])
        .await;
    assert!(!broken.state.mailer.uses_outbox());
    assert!(queue_mail(&app, "ida@example.org", 1).await);
    let now = securebase::clock::now();
    assert_eq!(worker::run_one(&broken.state, &kinds(), now).await.unwrap(), Turn::Failed);
    assert!(app.mail_to("ida@example.org").await.is_empty(), "not before its next attempt");
    let n = worker::run_due(&app.state, &kinds(), now + 30).await.unwrap();
    assert_eq!(n, 1);
    let mail = securebase::mail::outbox::list(&app.state.db, Some("ida@example.org")).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject, "Mail 1");
    assert_eq!(queue::waiting(&app.state.db).await.unwrap(), 0);
}

#[tokio::test]
async fn a_job_that_runs_twice_sends_one_mail() {
    let app = TestApp::spawn().await;
    // Queued twice: one job.
    assert!(queue_mail(&app, "jo@example.org", 7).await);
    assert!(!queue_mail(&app, "jo@example.org", 7).await);
    // An instance claims it, stalls past its lease; another takes it over and sends it.
    let now = securebase::clock::now();
    let stalled = queue::claim(&app.state.db, &kinds().names(), now, app.state.config.job_lease_seconds)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(worker::run_one(&app.state, &kinds(), now + 1).await.unwrap(), Turn::Idle, "leased");
    let later = now + app.state.config.job_lease_seconds + 1;
    assert_eq!(worker::run_one(&app.state, &kinds(), later).await.unwrap(), Turn::Done);
    // The stalled instance wakes up: its lease is gone, so nothing it did is kept.
    let mut tx = app.state.db.pool.begin().await.unwrap();
    assert!(!queue::finish(&mut tx, &stalled, later).await.unwrap());
    tx.rollback().await.unwrap();
    // Queued again after it was done: still once.
    assert!(!queue_mail(&app, "jo@example.org", 7).await);
    assert_eq!(worker::run_due(&app.state, &kinds(), later + 3600).await.unwrap(), 0);
    assert_eq!(app.mail_to("jo@example.org").await.len(), 1);
}

#[tokio::test]
async fn shutdown_finishes_the_job_in_hand() {
    let app = TestApp::spawn().await;
    for n in 0..40 {
        queue_mail(&app, "kai@example.org", n).await;
    }
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(worker::run(app.state.clone(), kinds(), stopped));
    // Stop as soon as the first mail is out.
    for _ in 0..400 {
        if !securebase::mail::outbox::list(&app.state.db, Some("kai@example.org")).await.unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(10), worker).await.expect("the worker stops").unwrap();
    let sent = securebase::mail::outbox::list(&app.state.db, Some("kai@example.org")).await.unwrap().len();
    let waiting = queue::waiting(&app.state.db).await.unwrap() as usize;
    assert!(sent >= 1);
    assert_eq!(sent + waiting, 40, "nothing lost, nothing twice");
    let held = app.count("SELECT COUNT(*) FROM jobs WHERE lease IS NOT NULL AND kind = $1", "mail").await;
    assert_eq!(held, 0, "no job was left half-done under a lease");
}

/// A running `securebase serve`, killed and reaped when dropped (also when a test fails).
struct Instance(Child);

impl Instance {
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

fn spawn_instance(db: &TestDb, dir: &std::path::Path, port: u16) -> Instance {
    let child = Command::new(env!("CARGO_BIN_EXE_securebase"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db.url)
        .env("SECUREBASE_JOB_LEASE_SECONDS", "2")
        .env("RUST_LOG", "warn")
        .arg("--data-dir")
        .arg(dir)
        .args(["--bind", &format!("127.0.0.1:{port}"), "serve"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Instance(child)
}

/// Two real instances on one database share 200 mails; one is killed
/// (SIGKILL) while they work. Every mail goes out exactly once.
#[tokio::test]
async fn two_instances_do_two_hundred_jobs_once_each_when_one_is_killed() {
    let app = TestApp::spawn().await;
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a_port, b_port) = (free_port(), free_port());
    let mut a = spawn_instance(&app.db, a_dir.path(), a_port);
    let mut b = spawn_instance(&app.db, b_dir.path(), b_port);
    for port in [a_port, b_port] {
        wait_until_ready(port).await;
    }
    for n in 0..200 {
        assert!(queue_mail(&app, "lou@example.org", n).await);
    }
    let sent = || async {
        app.count("SELECT COUNT(*) FROM mail_outbox WHERE to_address = $1", "lou@example.org").await
    };
    let mut sent_at_kill = None;
    for _ in 0..6000 {
        let n = sent().await;
        if sent_at_kill.is_none() && n >= 20 {
            // SIGKILL: no shutdown, no chance to finish what it holds.
            a.kill();
            sent_at_kill = Some(n);
        }
        if n >= 200 && queue::waiting(&app.state.db).await.unwrap() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    b.kill();
    let at_kill = sent_at_kill.expect("one instance was killed");
    assert!(at_kill < 200, "killed mid-run ({at_kill} sent then)");
    assert_eq!(sent().await, 200);
    let distinct = app
        .count("SELECT COUNT(DISTINCT subject) FROM mail_outbox WHERE to_address = $1", "lou@example.org")
        .await;
    assert_eq!(distinct, 200, "each mail once");
    assert_eq!(queue::waiting(&app.state.db).await.unwrap(), 0);
}

async fn wait_until_ready(port: u16) {
    for _ in 0..400 {
        if let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            s.write_all(b"GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .await
                .unwrap();
            let mut buf = String::new();
            s.read_to_string(&mut buf).await.ok();
            if buf.contains("ready") {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the instance on port {port} did not become ready");
}

#[tokio::test]
async fn the_outbox_command_prints_the_mail_kept_for_an_address() {
    let app = TestApp::spawn().await;
    app.client()
        .post_json(
            "/api/v1/auth/signup",
            serde_json::json!({"email": "max@example.org", "password": common::PASSWORD, "display_name": "Max"}),
        )
        .await;
    app.run_jobs().await;
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_securebase"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &app.db.url)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["mail", "outbox", "--to", "Max@Example.org"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("To: max@example.org"), "{text}");
    assert!(text.contains("Subject: Confirm your email address"));
    assert!(text.contains("/verify/"));
    let none = Command::new(env!("CARGO_BIN_EXE_securebase"))
        .env_clear()
        .env("DATABASE_URL", &app.db.url)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["mail", "outbox", "--to", "nobody@example.org"])
        .output()
        .unwrap();
    assert!(String::from_utf8(none.stdout).unwrap().contains("The outbox is empty for nobody@example.org"));
}
