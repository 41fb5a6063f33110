//! Test harness: the real router over a fresh database per test — a temporary
//! SQLite file, or (with `TEST_DATABASE_URL` set) a fresh PostgreSQL database that
//! is dropped afterwards — and a client with its own cookie jar.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use securebase::app::{AppState, build_router};
use securebase::config::{CliOverrides, Config};
use securebase::db::Db;
use tower::ServiceExt;

pub struct TestDb {
    pub url: String,
    _dir: tempfile::TempDir,
    pg_cleanup: Option<(String, String)>,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            None => {
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                TestDb { url, _dir: dir, pg_cleanup: None }
            }
            Some(admin_url) => {
                use sqlx::Connection;
                let name = format!("sbtest_{}", uuid::Uuid::new_v4().simple());
                let mut conn =
                    sqlx::PgConnection::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                conn.close().await.ok();
                let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b);
                let url = format!("{base}/{name}");
                TestDb { url, _dir: dir, pg_cleanup: Some((admin_url, name)) }
            }
        }
    }

    /// An SQLite database at `url`, inside `dir` (removed with it).
    pub fn sqlite_at(url: String, dir: tempfile::TempDir) -> TestDb {
        TestDb { url, _dir: dir, pg_cleanup: None }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg_cleanup.is_some()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg_cleanup.take() {
            // Drop runs outside any async context we can borrow; use a small runtime.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async {
                    use sqlx::Connection;
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .execute(&mut conn)
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub db: TestDb,
}

pub fn test_config(data_dir: &std::path::Path, database_url: &str, extra: &[(&str, &str)]) -> Config {
    let mut env = vec![("DATABASE_URL".to_owned(), database_url.to_owned())];
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let cli = CliOverrides { data_dir: Some(data_dir.to_path_buf()), ..Default::default() };
    Config::from_sources(None, std::path::Path::new("securebase.toml"), &env, &cli).expect("config")
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(&[]).await
    }

    /// A fresh app; `env` adds `SECUREBASE_*` settings.
    pub async fn spawn_with(env: &[(&str, &str)]) -> TestApp {
        let db = TestDb::new().await;
        let state = Self::state_for(&db, env).await;
        TestApp { router: build_router(state.clone()), state, db }
    }

    /// Another instance on the same database (as behind a load balancer).
    pub async fn second_instance(&self) -> TestApp {
        self.second_instance_with(&[]).await
    }

    /// Another instance on the same database, with settings of its own.
    pub async fn second_instance_with(&self, env: &[(&str, &str)]) -> TestApp {
        let state = Self::state_for(&self.db, env).await;
        TestApp {
            router: build_router(state.clone()),
            state,
            db: TestDb { url: self.db.url.clone(), _dir: tempfile::tempdir().unwrap(), pg_cleanup: None },
        }
    }

    async fn state_for(db: &TestDb, env: &[(&str, &str)]) -> AppState {
        let config = test_config(db._dir.path(), &db.url, env);
        let pool = Db::connect(&db.url).await.expect("connect");
        pool.migrate().await.expect("migrate");
        let state = AppState::new(config, pool);
        securebase::app::startup(&state).await.expect("startup");
        state
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: BTreeMap::new(),
            address: "127.0.0.1".into(),
            user_agent: None,
        }
    }

    /// A client signed in as a new member with the given email, address
    /// confirmed: sign up, open the link from the outbox, sign in.
    pub async fn member(&self, email: &str) -> Client {
        self.member_named(email, &name_for(email)).await
    }

    /// As `member`, with a display name of one's own.
    pub async fn member_named(&self, email: &str, name: &str) -> Client {
        let mut c = self.client();
        let r = c
            .post_json(
                "/api/v1/auth/signup",
                serde_json::json!({ "email": email, "password": PASSWORD, "display_name": name }),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "sign-up of {email}: {}", r.body);
        let link = self.link_in_mail(email, "/verify/").await;
        // Opened in the browser that signed up, the link signs it in.
        let r = c.post_form(&link, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "confirming {email}: {}", r.body);
        assert_eq!(r.location(), "/", "confirming {email} signs in the browser that signed up");
        c
    }

    /// Do every background job that is due (mail goes to the outbox).
    pub async fn run_jobs(&self) -> usize {
        securebase::jobs::worker::run_due(
            &self.state,
            &securebase::app::job_kinds(),
            securebase::clock::now(),
        )
        .await
        .expect("jobs run")
    }

    /// The mail kept for an address, oldest first (after running due jobs).
    pub async fn mail_to(&self, email: &str) -> Vec<securebase::mail::outbox::KeptMail> {
        self.run_jobs().await;
        securebase::mail::outbox::list(&self.state.db, Some(email)).await.unwrap()
    }

    /// The path of the newest link in mail to `email` that starts with `prefix`.
    pub async fn link_in_mail(&self, email: &str, prefix: &str) -> String {
        let mails = self.mail_to(email).await;
        mails
            .iter()
            .rev()
            .find_map(|m| link_in(&m.text_body, prefix))
            .unwrap_or_else(|| panic!("no {prefix} link in mail to {email}: {mails:#?}"))
    }

    /// A client signed in as a new user with the given role.
    pub async fn with_role(&self, email: &str, role: securebase::web::Role) -> Client {
        let c = self.member(email).await;
        let me = c.get("/api/v1/me").await.json();
        securebase::features::accounts::store::set_role(&self.state.db, me["id"].as_str().unwrap(), role)
            .await
            .unwrap();
        c
    }

    pub async fn count(&self, sql: &'static str, bind: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sql).bind(bind).fetch_one(&self.state.db.pool).await.unwrap().get::<i64, _>(0)
    }

    pub async fn exec(&self, sql: &'static str, binds: &[&str]) {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.execute(&self.state.db.pool).await.unwrap();
    }
}

pub const PASSWORD: &str = "a quiet walk by the river";

pub fn name_for(email: &str) -> String {
    let local = email.split('@').next().unwrap_or("Someone");
    let mut c = local.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[derive(Clone)]
pub struct Client {
    pub router: Router,
    pub cookies: BTreeMap<String, String>,
    pub address: String,
    pub user_agent: Option<String>,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as it came, for media.
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn location(&self) -> &str {
        self.header("location").unwrap_or_default()
    }
}

impl Client {
    pub fn with_router(&self, router: Router) -> Client {
        Client { router, ..self.clone() }
    }

    pub async fn request(
        &mut self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: String,
        extra: &[(&str, &str)],
    ) -> TestResponse {
        self.request_bytes(method, uri, content_type, body.into_bytes(), extra).await
    }

    /// As `request`, with a body that need not be valid UTF-8.
    pub async fn request_bytes(
        &mut self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(uri);
        if !self.cookies.is_empty() {
            let jar = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            builder = builder.header("cookie", jar);
        }
        if let Some(ct) = content_type {
            builder = builder.header("content-type", ct);
        }
        if let Some(ua) = &self.user_agent {
            builder = builder.header("user-agent", ua);
        }
        for (k, v) in extra {
            builder = builder.header(*k, *v);
        }
        let mut request = builder.body(Body::from(body)).unwrap();
        let addr: SocketAddr = format!("{}:40000", self.address).parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for v in headers.get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            if val.is_empty() || v.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), val.to_owned());
            }
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.clone().request(Method::GET, uri, None, String::new(), &[]).await
    }

    pub async fn get_mut(&mut self, uri: &str) -> TestResponse {
        self.request(Method::GET, uri, None, String::new(), &[]).await
    }

    pub async fn post_json(&mut self, uri: &str, body: serde_json::Value) -> TestResponse {
        self.request(Method::POST, uri, Some("application/json"), body.to_string(), &[]).await
    }

    pub async fn send_json(&mut self, method: Method, uri: &str, body: serde_json::Value) -> TestResponse {
        self.request(method, uri, Some("application/json"), body.to_string(), &[]).await
    }

    pub async fn delete(&mut self, uri: &str) -> TestResponse {
        self.request(Method::DELETE, uri, None, String::new(), &[]).await
    }

    pub async fn post_form(&mut self, uri: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body =
            fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        self.request(Method::POST, uri, Some("application/x-www-form-urlencoded"), body, &[]).await
    }

    /// The member's full export (it asks for the password again).
    pub async fn export(&mut self) -> TestResponse {
        self.post_json("/api/v1/me/export", serde_json::json!({ "password": PASSWORD })).await
    }

    pub fn session_cookie(&self) -> Option<&String> {
        self.cookies.get("securebase_session")
    }
}

/// The first link in a mail's text whose path starts with `prefix`, as a path.
pub fn link_in(text: &str, prefix: &str) -> Option<String> {
    text.split_whitespace()
        .filter_map(|w| w.find(prefix).map(|i| w[i..].trim_end_matches('.').to_owned()))
        .next()
}

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
