//! Full-text search behind one interface: FTS5 on SQLite, tsvector on PostgreSQL.
//! Queries are reduced to plain words first, so no input can reach either
//! engine's query syntax.

use super::{Backend, Db};

/// Highlight markers placed around matches in snippets (turned into `<mark>` after escaping).
pub const MARK_START: char = '\u{27E6}';
pub const MARK_END: char = '\u{27E7}';

#[derive(Debug, Clone)]
pub struct SearchDocument<'a> {
    pub doc_key: &'a str,
    pub kind: &'a str,
    pub url: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    /// Hidden from results before this time (scheduled posts).
    pub visible_from: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchHit {
    pub kind: String,
    pub url: String,
    pub title: String,
    /// Plain text with `MARK_START`/`MARK_END` around matches.
    pub snippet: String,
}

/// The words of a query: letters and digits only, at most 12 words of 40 characters.
pub fn query_terms(raw: &str) -> Vec<String> {
    raw.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(40).collect::<String>().to_lowercase())
        .take(12)
        .collect()
}

/// Query words as an FTS5 match: each quoted (so never an operator) and a prefix.
pub fn fts5_match(terms: &[String]) -> String {
    terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" ")
}

/// Query words as a PostgreSQL tsquery: every word, each a prefix.
pub fn prefix_tsquery(terms: &[String]) -> String {
    terms.iter().map(|t| format!("{t}:*")).collect::<Vec<_>>().join(" & ")
}

pub async fn upsert(db: &Db, doc: &SearchDocument<'_>) -> Result<(), sqlx::Error> {
    match db.backend {
        Backend::Sqlite => {
            let mut tx = db.begin().await?;
            sqlx::query("DELETE FROM search_index WHERE doc_key = $1")
                .bind(doc.doc_key)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO search_index (doc_key, kind, url, title, body, visible_from) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(doc.doc_key)
            .bind(doc.kind)
            .bind(doc.url)
            .bind(doc.title)
            .bind(doc.body)
            .bind(doc.visible_from)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        }
        Backend::Postgres => {
            sqlx::query(
                "INSERT INTO search_index (doc_key, kind, url, title, body, visible_from) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (doc_key) DO UPDATE SET kind = $2, url = $3, title = $4, body = $5, visible_from = $6",
            )
            .bind(doc.doc_key)
            .bind(doc.kind)
            .bind(doc.url)
            .bind(doc.title)
            .bind(doc.body)
            .bind(doc.visible_from)
            .execute(&db.pool)
            .await?;
            Ok(())
        }
    }
}

pub async fn remove(db: &Db, doc_key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM search_index WHERE doc_key = $1").bind(doc_key).execute(&db.pool).await?;
    Ok(())
}

/// Ranked matches for every word of the query (each word may be a prefix).
pub async fn search(db: &Db, raw_query: &str, now: i64, limit: i64) -> Result<Vec<SearchHit>, sqlx::Error> {
    let terms = query_terms(raw_query);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    match db.backend {
        Backend::Sqlite => {
            sqlx::query_as(
                "SELECT kind, url, title,
                        snippet(search_index, 4, '\u{27E6}', '\u{27E7}', ' … ', 24) AS snippet
                 FROM search_index
                 WHERE search_index MATCH $1 AND CAST(visible_from AS INTEGER) <= $2
                 ORDER BY bm25(search_index, 0.0, 0.0, 0.0, 8.0, 1.0, 0.0)
                 LIMIT $3",
            )
            .bind(fts5_match(&terms))
            .bind(now)
            .bind(limit)
            .fetch_all(&db.pool)
            .await
        }
        Backend::Postgres => {
            sqlx::query_as(
                "SELECT kind, url, title,
                        ts_headline('english', body, q,
                            'StartSel=\u{27E6}, StopSel=\u{27E7}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \"') AS snippet
                 FROM search_index, to_tsquery('english', $1) q
                 WHERE document @@ q AND visible_from <= $2
                 ORDER BY ts_rank(document, q) DESC, title
                 LIMIT $3",
            )
            .bind(prefix_tsquery(&terms))
            .bind(now)
            .bind(limit)
            .fetch_all(&db.pool)
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_input_becomes_plain_words() {
        assert_eq!(
            query_terms("repair \"OR\" NEAR(a b) * -x ^y"),
            ["repair", "or", "near", "a", "b", "x", "y"]
        );
        assert_eq!(query_terms("'; DROP TABLE users; --"), ["drop", "table", "users"]);
        assert!(query_terms("💔🙂 \"\" ** ()").is_empty());
        assert_eq!(query_terms(&"word ".repeat(400)).len(), 12);
        assert!(query_terms(&"a".repeat(2000))[0].len() <= 40);
    }
}
