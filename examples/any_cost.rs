//! What sqlx's `Any` layer costs: the same queries on the same data through an
//! `AnyPool` and through the backend's native pool, in one run. Used by
//! `bench/run.sh`; prints a Markdown table.
//!
//!   cargo run --release --example any_cost -- DATABASE_URL EMAIL

use std::time::{Duration, Instant};

use sqlx::any::AnyPoolOptions;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{Any, Database, Executor, IntoArguments, Pool};

const ROUNDS: usize = 4000;
const TASKS: usize = 32;

/// The journal list's first page, and a one-row look-up by key (what a session check is).
const PAGE: &str =
    "SELECT id, prompt_id, prompt_text, title, SUBSTR(body, 1, 240) AS opening, created_at, updated_at
     FROM journal_entries WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 21";
const ONE_ROW: &str = "SELECT id, email, display_name, role, time_zone, created_at FROM users WHERE id = $1";

async fn time<DB>(pool: &Pool<DB>, sql: &'static str, user_id: &str) -> Duration
where
    DB: Database,
    for<'c> &'c Pool<DB>: Executor<'c, Database = DB>,
    <DB as Database>::Arguments: IntoArguments<DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let pool = pool.clone();
        let user_id = user_id.to_owned();
        tasks.push(tokio::spawn(async move {
            for _ in 0..ROUNDS / TASKS {
                let rows = sqlx::query(sql).bind(user_id.clone()).fetch_all(&pool).await.expect("query");
                assert!(!rows.is_empty());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    started.elapsed()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("DATABASE_URL");
    let email = args.next().expect("EMAIL");
    sqlx::any::install_default_drivers();
    let sqlite = url.starts_with("sqlite:");
    let connections = if sqlite { 8 } else { 16 };
    let any: Pool<Any> = AnyPoolOptions::new().max_connections(connections).connect(&url).await?;
    let user_id: String =
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(&email).fetch_one(&any).await?;
    println!("| query | through `Any` | native | `Any` costs |\n|---|---|---|---|");
    for (name, sql) in [("journal page (21 rows)", PAGE), ("one row by key", ONE_ROW)] {
        let through_any = time(&any, sql, &user_id).await;
        let native = if sqlite {
            let pool = SqlitePoolOptions::new().max_connections(connections).connect(&url).await?;
            time(&pool, sql, &user_id).await
        } else {
            let pool = PgPoolOptions::new().max_connections(connections).connect(&url).await?;
            time(&pool, sql, &user_id).await
        };
        let per = |d: Duration| d.as_secs_f64() * 1e6 / ROUNDS as f64;
        println!(
            "| {name} | {:.0} µs | {:.0} µs | {:+.0} % |",
            per(through_any),
            per(native),
            100.0 * (per(through_any) / per(native) - 1.0)
        );
    }
    Ok(())
}
