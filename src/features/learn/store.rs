//! All SQL for posts and get-started answers. Search has its own module in
//! `db::search`, because the two databases do it differently.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::posts::ValidPost;
use crate::db::{Db, is_unique_violation};

#[derive(Debug, Clone)]
pub struct PostRecord {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    pub body: String,
    pub status: String,
    pub publish_at: Option<i64>,
    pub author_name: Option<String>,
    pub reading_minutes: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub tags: Vec<String>,
    pub chapters: Vec<String>,
}

macro_rules! post_columns {
    () => {
        "p.id, p.slug, p.title, p.excerpt, p.body, p.status, p.publish_at, p.reading_minutes,
         p.created_at, p.updated_at, u.display_name AS author_name
         FROM posts p LEFT JOIN users u ON u.id = p.author_id"
    };
}

fn post_from_row(r: &AnyRow) -> Result<PostRecord, sqlx::Error> {
    Ok(PostRecord {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        excerpt: r.try_get("excerpt")?,
        body: r.try_get("body")?,
        status: r.try_get("status")?,
        publish_at: r.try_get("publish_at")?,
        author_name: r.try_get("author_name")?,
        reading_minutes: r.try_get("reading_minutes")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        tags: Vec::new(),
        chapters: Vec::new(),
    })
}

async fn attach_labels(db: &Db, posts: &mut [PostRecord]) -> Result<(), sqlx::Error> {
    // Two queries per post would be N+1; one per label table for the whole page.
    if posts.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = posts.iter().map(|p| p.id.clone()).collect();
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    for (table, column) in [("post_tags", "tag"), ("post_chapters", "chapter")] {
        let sql = format!(
            "SELECT post_id, {column} FROM {table} WHERE post_id IN ({}) ORDER BY position",
            placeholders.join(", ")
        );
        // Built only from fixed table and column names and numbered placeholders.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in &ids {
            q = q.bind(id.as_str());
        }
        for row in q.fetch_all(&db.pool).await? {
            let post_id: String = row.try_get(0)?;
            let value: String = row.try_get(1)?;
            if let Some(p) = posts.iter_mut().find(|p| p.id == post_id) {
                if table == "post_tags" { p.tags.push(value) } else { p.chapters.push(value) }
            }
        }
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum SavePostError {
    #[error("slug already used")]
    SlugTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn map_slug(e: sqlx::Error) -> SavePostError {
    if is_unique_violation(&e) { SavePostError::SlugTaken } else { SavePostError::Db(e) }
}

pub async fn insert_post(
    db: &Db,
    post: &ValidPost,
    author_id: &str,
    reading_minutes: i64,
) -> Result<String, SavePostError> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = crate::clock::now();
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO posts (id, slug, title, excerpt, body, status, publish_at, author_id, reading_minutes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(&id)
    .bind(&post.slug)
    .bind(&post.title)
    .bind(&post.excerpt)
    .bind(&post.body)
    .bind(post.status)
    .bind(post.publish_at)
    .bind(author_id)
    .bind(reading_minutes)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(map_slug)?;
    write_labels(&mut tx, &id, post).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_post(
    db: &Db,
    id: &str,
    post: &ValidPost,
    reading_minutes: i64,
) -> Result<bool, SavePostError> {
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE posts SET slug = $1, title = $2, excerpt = $3, body = $4, status = $5, publish_at = $6,
                reading_minutes = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&post.slug)
    .bind(&post.title)
    .bind(&post.excerpt)
    .bind(&post.body)
    .bind(post.status)
    .bind(post.publish_at)
    .bind(reading_minutes)
    .bind(crate::clock::now())
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(map_slug)?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    for table in ["DELETE FROM post_tags WHERE post_id = $1", "DELETE FROM post_chapters WHERE post_id = $1"]
    {
        sqlx::query(table).bind(id).execute(&mut *tx).await?;
    }
    write_labels(&mut tx, id, post).await?;
    tx.commit().await?;
    Ok(true)
}

async fn write_labels(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
    post: &ValidPost,
) -> Result<(), sqlx::Error> {
    for (i, tag) in post.tags.iter().enumerate() {
        sqlx::query("INSERT INTO post_tags (post_id, tag, position) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(tag)
            .bind(i as i64)
            .execute(&mut **tx)
            .await?;
    }
    for (i, chapter) in post.chapters.iter().enumerate() {
        sqlx::query("INSERT INTO post_chapters (post_id, chapter, position) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(chapter)
            .bind(i as i64)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn delete_post(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM posts WHERE id = $1").bind(id).execute(&db.pool).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<PostRecord>, sqlx::Error> {
    find_one(db, concat!("SELECT ", post_columns!(), " WHERE p.slug = $1"), slug).await
}

pub async fn find_by_id(db: &Db, id: &str) -> Result<Option<PostRecord>, sqlx::Error> {
    find_one(db, concat!("SELECT ", post_columns!(), " WHERE p.id = $1"), id).await
}

async fn find_one(db: &Db, sql: &'static str, key: &str) -> Result<Option<PostRecord>, sqlx::Error> {
    let Some(row) = sqlx::query(sql).bind(key).fetch_optional(&db.pool).await? else { return Ok(None) };
    let mut posts = vec![post_from_row(&row)?];
    attach_labels(db, &mut posts).await?;
    Ok(posts.pop())
}

/// Published posts (their time has come), newest first, optionally with one tag.
pub async fn list_published(
    db: &Db,
    now: i64,
    tag: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PostRecord>, i64), sqlx::Error> {
    // An empty tag means every post.
    let tag = tag.unwrap_or("");
    let rows = sqlx::query(concat!(
        "SELECT ",
        post_columns!(),
        " WHERE p.status = 'published' AND p.publish_at <= $1
            AND ($4 = '' OR EXISTS (SELECT 1 FROM post_tags t WHERE t.post_id = p.id AND t.tag = $4))
          ORDER BY p.publish_at DESC, p.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(now)
    .bind(limit)
    .bind(offset)
    .bind(tag)
    .fetch_all(&db.pool)
    .await?;
    let total: i64 = sqlx::query(
        "SELECT COUNT(*) FROM posts p WHERE p.status = 'published' AND p.publish_at <= $1
           AND ($2 = '' OR EXISTS (SELECT 1 FROM post_tags t WHERE t.post_id = p.id AND t.tag = $2))",
    )
    .bind(now)
    .bind(tag)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)?;
    let mut posts = rows.iter().map(post_from_row).collect::<Result<Vec<_>, _>>()?;
    attach_labels(db, &mut posts).await?;
    Ok((posts, total))
}

/// Every post, drafts and scheduled ones included, for the coach's list.
pub async fn list_all(db: &Db) -> Result<Vec<PostRecord>, sqlx::Error> {
    let rows = sqlx::query(concat!("SELECT ", post_columns!(), " ORDER BY p.updated_at DESC, p.id DESC"))
        .fetch_all(&db.pool)
        .await?;
    let mut posts = rows.iter().map(post_from_row).collect::<Result<Vec<_>, _>>()?;
    attach_labels(db, &mut posts).await?;
    Ok(posts)
}

/// Published posts that point to a guide chapter (shown under the chapter).
pub async fn published_for_chapter(
    db: &Db,
    chapter: &str,
    now: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query(
        "SELECT p.slug, p.title FROM posts p JOIN post_chapters c ON c.post_id = p.id
         WHERE c.chapter = $1 AND p.status = 'published' AND p.publish_at <= $2
         ORDER BY p.publish_at DESC LIMIT 5",
    )
    .bind(chapter)
    .bind(now)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .collect()
}

// ---- get-started answers -------------------------------------------------------

pub async fn save_start_answers(db: &Db, user_id: &str, encoded: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO start_answers (user_id, answers, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET answers = $2, updated_at = $3",
    )
    .bind(user_id)
    .bind(encoded)
    .bind(crate::clock::now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn start_answers(db: &Db, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT answers FROM start_answers WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()
}

/// (slug, title, Markdown) of every post a person wrote, for their export.
pub async fn posts_by_author(db: &Db, user_id: &str) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query("SELECT slug, title, body FROM posts WHERE author_id = $1 ORDER BY created_at, id")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}
