//! Recordings' SQL: their details, topics and chapters, and their transcripts
//! in the library's own search index (never in the public one).

use sqlx::Any;

use crate::db::{Backend, Db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecordingRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub session_date: String,
    pub series: String,
    pub media_kind: String,
    pub size_bytes: i64,
    pub duration_seconds: Option<i64>,
    pub object_key: String,
    pub etag: String,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub has_transcript: i64,
}

const COLUMNS: &str = "r.id, r.title, r.description, r.session_date, r.series, r.media_kind, r.size_bytes,
    r.duration_seconds, r.object_key, r.etag, r.published_at, r.created_at, r.updated_at,
    CASE WHEN r.transcript_vtt IS NULL THEN 0 ELSE 1 END AS has_transcript";

pub struct NewRecording<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub media_kind: &'a str,
    pub size_bytes: i64,
    pub duration_seconds: Option<i64>,
    pub object_key: &'a str,
    pub etag: &'a str,
    pub session_date: &'a str,
    pub now: i64,
}

pub async fn insert<'c, E>(executor: E, r: NewRecording<'_>) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    sqlx::query(
        "INSERT INTO library_recordings (id, title, description, session_date, series, media_kind, size_bytes,
            duration_seconds, object_key, etag, created_at, updated_at)
         VALUES ($1, $2, '', $3, '', $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(r.id)
    .bind(r.title)
    .bind(r.session_date)
    .bind(r.media_kind)
    .bind(r.size_bytes)
    .bind(r.duration_seconds)
    .bind(r.object_key)
    .bind(r.etag)
    .bind(r.now)
    .execute(executor)
    .await?;
    Ok(())
}

/// A recording a member may see: published, and not scheduled for later.
pub async fn published(db: &Db, id: &str, now: i64) -> Result<Option<RecordingRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM library_recordings r WHERE r.id = $1 AND r.published_at <= $2"
    )))
    .bind(id)
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

/// What streaming a recording needs, drafts too (the caller decides who may).
pub async fn media_facts(db: &Db, id: &str) -> Result<Option<crate::media::ObjectFacts>, sqlx::Error> {
    sqlx::query_as(
        "SELECT object_key, etag, size_bytes, media_kind, published_at FROM library_recordings WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// Any recording, drafts too (for coaches).
pub async fn any(db: &Db, id: &str) -> Result<Option<RecordingRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM library_recordings r WHERE r.id = $1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Published recordings, newest session first; with `topic`, only those on it.
pub async fn list_published(
    db: &Db,
    now: i64,
    topic: Option<&str>,
) -> Result<Vec<RecordingRow>, sqlx::Error> {
    let filter = if topic.is_some() {
        "AND EXISTS (SELECT 1 FROM library_topics t WHERE t.recording_id = r.id AND t.topic = $2)"
    } else {
        "AND $2 = $2"
    };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM library_recordings r WHERE r.published_at <= $1 {filter}
         ORDER BY r.session_date DESC, r.created_at DESC LIMIT 500"
    )))
    .bind(now)
    .bind(topic.unwrap_or(""))
    .fetch_all(&db.pool)
    .await
}

pub async fn list_all(db: &Db) -> Result<Vec<RecordingRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM library_recordings r ORDER BY r.session_date DESC, r.created_at DESC LIMIT 1000"
    )))
    .fetch_all(&db.pool)
    .await
}

pub async fn published_count(db: &Db, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM library_recordings WHERE published_at <= $1")
        .bind(now)
        .fetch_one(&db.pool)
        .await
}

/// Every (recording, topic) pair of published recordings.
pub async fn topics(db: &Db, now: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.recording_id, t.topic FROM library_topics t
         JOIN library_recordings r ON r.id = t.recording_id AND r.published_at <= $1
         ORDER BY t.topic",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await
}

pub async fn topics_of(db: &Db, id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT topic FROM library_topics WHERE recording_id = $1 ORDER BY topic")
        .bind(id)
        .fetch_all(&db.pool)
        .await
}

pub async fn chapters_of(db: &Db, id: &str) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT at_seconds, title FROM library_chapters WHERE recording_id = $1 ORDER BY at_seconds",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
}

pub async fn transcript_of(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT transcript_vtt FROM library_recordings WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
        .map(Option::flatten)
}

pub struct Details<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub session_date: &'a str,
    pub series: &'a str,
    pub topics: &'a [String],
    pub chapters: &'a [(i64, String)],
    pub published_at: Option<i64>,
    pub now: i64,
}

/// Saves a recording's details, topics and chapters together.
pub async fn save_details(db: &Db, id: &str, d: Details<'_>) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE library_recordings SET title = $2, description = $3, session_date = $4, series = $5,
            published_at = $6, updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(d.title)
    .bind(d.description)
    .bind(d.session_date)
    .bind(d.series)
    .bind(d.published_at)
    .bind(d.now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM library_topics WHERE recording_id = $1").bind(id).execute(&mut *tx).await?;
    for topic in d.topics {
        sqlx::query(
            "INSERT INTO library_topics (recording_id, topic) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(topic)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM library_chapters WHERE recording_id = $1").bind(id).execute(&mut *tx).await?;
    for (at, title) in d.chapters {
        sqlx::query(
            "INSERT INTO library_chapters (recording_id, at_seconds, title) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(at)
        .bind(title)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE search_index_library SET title = $2 WHERE recording_id = $1")
        .bind(id)
        .bind(d.title)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Stores a transcript and replaces its cues in the library's search index.
pub async fn save_transcript(
    db: &Db,
    id: &str,
    title: &str,
    vtt: &str,
    cues: &[(i64, String)],
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE library_recordings SET transcript_vtt = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(vtt)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM search_index_library WHERE recording_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    for (at, text) in cues {
        sqlx::query(
            "INSERT INTO search_index_library (recording_id, at_seconds, title, body) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(at)
        .bind(title)
        .bind(text)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

pub async fn delete(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let key: Option<String> =
        sqlx::query_scalar("DELETE FROM library_recordings WHERE id = $1 RETURNING object_key")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query("DELETE FROM search_index_library WHERE recording_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(key)
}

/// Views (members who started) and completions per recording, for coaches.
pub async fn watch_counts(db: &Db) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT recording_id, COUNT(*), SUM(CASE WHEN completed_at IS NULL THEN 0 ELSE 1 END)
         FROM library_positions GROUP BY recording_id",
    )
    .fetch_all(&db.pool)
    .await
}

/// A transcript hit: the recording, the moment, and the cue with marks.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TranscriptHit {
    pub recording_id: String,
    pub at_seconds: i64,
    pub title: String,
    pub snippet: String,
}

/// Transcript cues matching every word of the query, from published recordings.
/// Callers show these only to people who may watch.
pub async fn search_transcripts(
    db: &Db,
    raw_query: &str,
    now: i64,
    limit: i64,
) -> Result<Vec<TranscriptHit>, sqlx::Error> {
    let terms = crate::db::search::query_terms(raw_query);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    match db.backend {
        Backend::Sqlite => {
            sqlx::query_as(
                "SELECT s.recording_id, CAST(s.at_seconds AS INTEGER) AS at_seconds, s.title,
                        highlight(search_index_library, 3, '\u{27E6}', '\u{27E7}') AS snippet
                 FROM search_index_library s
                 JOIN library_recordings r ON r.id = s.recording_id AND r.published_at <= $2
                 WHERE search_index_library MATCH $1
                 ORDER BY bm25(search_index_library) LIMIT $3",
            )
            .bind(crate::db::search::fts5_match(&terms))
            .bind(now)
            .bind(limit)
            .fetch_all(&db.pool)
            .await
        }
        Backend::Postgres => {
            sqlx::query_as(
                "SELECT s.recording_id, s.at_seconds, s.title,
                        ts_headline('english', s.body, q, 'StartSel=\u{27E6}, StopSel=\u{27E7}, HighlightAll=true') AS snippet
                 FROM search_index_library s
                 JOIN library_recordings r ON r.id = s.recording_id AND r.published_at <= $2,
                      to_tsquery('english', $1) q
                 WHERE s.document @@ q
                 ORDER BY ts_rank(s.document, q) DESC, s.at_seconds LIMIT $3",
            )
            .bind(crate::db::search::prefix_tsquery(&terms))
            .bind(now)
            .bind(limit)
            .fetch_all(&db.pool)
            .await
        }
    }
}
