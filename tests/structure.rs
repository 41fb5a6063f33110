//! The shape of the code, checked: floors that import only downward, features
//! that never depend on each other in a circle, every table of member data in
//! export and deletion, and one schema on both databases.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::TestApp;
use sqlx::Row;

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

fn src(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(path)
}

/// Code lines only: comments may mention anything.
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The words following each `features::` in a text.
fn features_named(text: &str) -> BTreeSet<String> {
    text.match_indices("features::")
        .map(|(i, m)| {
            text[i + m.len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
        })
        .filter(|name: &String| !name.is_empty())
        .collect()
}

#[test]
fn the_lower_floors_never_name_the_app_or_the_features() {
    let mut offenders = Vec::new();
    for dir in ["web", "features", "jobs", "mail"] {
        for file in rust_files(&src(dir)) {
            if code(&file).contains("crate::app") {
                offenders.push(file.display().to_string());
            }
        }
    }
    for file in rust_files(&src("web"))
        .into_iter()
        .chain(rust_files(&src("jobs")))
        .chain(rust_files(&src("mail")))
        .chain(rust_files(&src("db")))
        .chain(rust_files(&src("instruments")))
        .chain(rust_files(&src("config")))
        .chain(["state.rs", "clock.rs", "media.rs", "passwords.rs", "memory.rs"].map(src))
    {
        let text = code(&file);
        if text.contains("crate::features") || text.contains("features::") {
            offenders.push(format!("{} names a feature", file.display()));
        }
        let beside_web = file.starts_with(src("web")) || file.starts_with(src("jobs"));
        if !beside_web && text.contains("crate::web") {
            offenders.push(format!("{} names web/, which sits above it", file.display()));
        }
        let below_state = !beside_web && !file.ends_with("state.rs");
        if below_state && text.contains("crate::state") {
            offenders.push(format!("{} names state, which sits above it", file.display()));
        }
    }
    assert!(offenders.is_empty(), "imports that go upward: {offenders:#?}");
}

#[test]
fn no_two_features_depend_on_each_other() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(src("features")).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_dir() {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut uses = BTreeSet::new();
        for file in rust_files(&path) {
            uses.extend(features_named(&code(&file)));
        }
        uses.remove(&name);
        graph.insert(name, uses);
    }
    assert!(graph.len() >= 6, "{graph:?}");
    // Any cycle, not only pairs: walk from every feature.
    fn cycle_from(
        graph: &BTreeMap<String, BTreeSet<String>>,
        node: &str,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = cycle_from(graph, next, path) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    for start in graph.keys() {
        if let Some(cycle) = cycle_from(&graph, start, &mut Vec::new()) {
            panic!("features depend on each other in a circle: {}", cycle.join(" -> "));
        }
    }
}

/// Tables and their columns, on whichever backend the app runs.
async fn schema(app: &TestApp) -> BTreeMap<String, BTreeSet<String>> {
    let db = &app.state.db.pool;
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    if app.db.is_postgres() {
        let rows = sqlx::query(
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns
             WHERE table_schema = 'public'",
        )
        .fetch_all(db)
        .await
        .unwrap();
        for r in rows {
            out.entry(r.get(0)).or_default().insert(r.get(1));
        }
    } else {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .fetch_all(db)
        .await
        .unwrap();
        for t in tables {
            let cols: Vec<String> =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT name FROM pragma_table_info('{t}')")))
                    .fetch_all(db)
                    .await
                    .unwrap();
            out.insert(t, cols.into_iter().collect());
        }
    }
    // The full-text index's own tables are not data anyone wrote.
    out.retain(|t, _| t != "schema_migrations" && !t.starts_with("search_index"));
    out
}

/// A column that names a member, by the names the schema uses for them.
fn is_member_column(column: &str) -> bool {
    matches!(
        column,
        "user_id" | "author_id" | "owner_id" | "member_id" | "partner_id" | "created_by" | "email"
    ) || column.ends_with("_user_id")
}

#[tokio::test]
async fn every_table_with_member_data_is_in_export_and_deletion() {
    let app = TestApp::spawn().await;
    let registry = securebase::app::member_data();
    let declared: BTreeSet<&str> = registry.tables().into_iter().collect();
    let exported: BTreeSet<&str> = registry.exported_tables().into_iter().collect();
    let schema = schema(&app).await;
    let mut missing = Vec::new();
    for (table, columns) in &schema {
        let holds_member = table == "users" || columns.iter().any(|c| is_member_column(c));
        if !holds_member {
            continue;
        }
        if !declared.contains(table.as_str()) {
            missing.push(format!("{table}: in no feature's member data (deletion)"));
        } else if !exported.contains(table.as_str())
            && !registry
                .parts()
                .iter()
                .any(|p| p.not_exported.iter().any(|(t, why)| t == table && !why.is_empty()))
        {
            missing.push(format!("{table}: neither exported nor explained"));
        }
    }
    for table in &declared {
        assert!(schema.contains_key(*table), "declared table {table} does not exist");
    }
    assert!(missing.is_empty(), "{missing:#?}");
    // Every deletion statement names a declared table and binds the member as $1.
    for part in registry.parts() {
        for sql in part.delete {
            assert!(sql.contains("$1"), "{}: {sql}", part.feature);
            assert!(part.tables.iter().any(|t| sql.contains(&format!(" {t} "))), "{}: {sql}", part.feature);
        }
    }
}

#[tokio::test]
async fn both_backends_migrate_to_the_same_tables_and_columns() {
    let Some(_) = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("skipped: set TEST_DATABASE_URL to compare SQLite with PostgreSQL");
        return;
    };
    let postgres = TestApp::spawn().await;
    assert!(postgres.db.is_postgres());
    // The same migrations on a fresh SQLite file, beside it.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("compare.db").display());
    let db = securebase::db::Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let sqlite_app = TestApp {
        router: postgres.router.clone(),
        state: securebase::app::AppState::new(common::test_config(dir.path(), &url, &[]), db),
        db: common::TestDb::sqlite_at(url.clone(), dir),
    };
    let (a, b) = (schema(&sqlite_app).await, schema(&postgres).await);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "tables differ");
    for (table, columns) in &a {
        assert_eq!(Some(columns), b.get(table), "columns of {table} differ");
    }
}

/// Every JSON route is registered with its OpenAPI description (`routes!`), so
/// none can be served without being documented, and the document lists them.
#[test]
fn every_api_route_is_registered_with_its_description() {
    let mut offenders = Vec::new();
    for file in rust_files(&src("features")) {
        for (n, line) in code(&file).lines().enumerate() {
            if line.contains(".route(\"/api/") {
                offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(offenders.is_empty(), "API routes outside routes!(…): {offenders:#?}");
    let (_, api) = securebase::app::feature_routes().split_for_parts();
    let documented = api.paths.paths.len();
    assert!(documented >= 40, "only {documented} paths documented");
    let handlers = rust_files(&src("features"))
        .iter()
        .map(|f| code(f).matches("#[utoipa::path(").count())
        .sum::<usize>();
    let operations: usize = api
        .paths
        .paths
        .values()
        .map(|item| {
            let item = serde_json::to_value(item).unwrap();
            ["get", "put", "post", "delete", "patch"].iter().filter(|m| item.get(**m).is_some()).count()
        })
        .sum();
    assert_eq!(operations, handlers, "every documented handler is routed, and only those");
}

/// A one-off message is declared by its feature and listed, so a code used in
/// a redirect always has words to show.
#[test]
fn every_flash_message_is_listed() {
    let messages = securebase::app::flash_messages();
    let mut declared = BTreeSet::new();
    for file in rust_files(&src("")) {
        let text = code(&file);
        for (i, _) in text.match_indices("Flash::new(\"") {
            let rest = &text[i + "Flash::new(\"".len()..];
            declared.insert(rest[..rest.find('"').unwrap()].to_owned());
        }
    }
    declared.retain(|c| !["saved", "same"].contains(&c.as_str())); // unit tests' own
    assert!(declared.len() >= 30, "{declared:?}");
    for code in &declared {
        assert!(messages.text(code).is_some(), "{code} is declared but in no feature's FLASHES");
    }
}

/// Practice is the model a new feature copies: one folder per tool, and no
/// file so long that it is really two.
#[test]
fn practice_tools_keep_files_short() {
    let mut long = Vec::new();
    for file in rust_files(&src("features/practice")) {
        let lines = std::fs::read_to_string(&file).unwrap().lines().count();
        if lines > 320 {
            long.push(format!("{}: {lines} lines", file.display()));
        }
    }
    assert!(long.is_empty(), "{long:#?}");
}

/// Every transaction starts through `Db::begin`, which on SQLite takes the
/// write lock first: a read that turns into a write inside a plain `BEGIN`
/// fails at once with "database is locked" when another connection writes.
#[test]
fn transactions_begin_through_the_database_helper() {
    let mut offenders = Vec::new();
    for file in rust_files(&src("")) {
        if file.starts_with(src("db")) {
            continue;
        }
        if code(&file).contains("pool.begin()") {
            offenders.push(file.display().to_string());
        }
    }
    assert!(offenders.is_empty(), "use Db::begin: {offenders:#?}");
}
