//! All SQL for posts and get-started answers. Search has its own module in
//! `db::search`, because the two databases do it differently.

use super::posts::ValidPost;
use crate::db::{BindAll, Db, new_id, placeholders};

#[derive(Debug, Clone, sqlx::FromRow)]
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
    /// Filled in by `attach_labels`.
    #[sqlx(skip)]
    pub tags: Vec<String>,
    #[sqlx(skip)]
    pub chapters: Vec<String>,
}

macro_rules! post_columns {
    () => {
        "p.id, p.slug, p.title, p.excerpt, p.body, p.status, p.publish_at, p.reading_minutes,
         p.created_at, p.updated_at, u.display_name AS author_name
         FROM posts p LEFT JOIN users u ON u.id = p.author_id"
    };
}

async fn attach_labels(db: &Db, posts: &mut [PostRecord]) -> Result<(), sqlx::Error> {
    // Two queries per post would be N+1; one per label table for the whole page.
    if posts.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = posts.iter().map(|p| p.id.clone()).collect();
    for (table, column) in [("post_tags", "tag"), ("post_chapters", "chapter")] {
        let sql = format!(
            "SELECT post_id, {column} FROM {table} WHERE post_id IN ({}) ORDER BY position",
            placeholders(1, ids.len())
        );
        // Built only from fixed table and column names and numbered placeholders.
        let rows: Vec<(String, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind_all(&ids).fetch_all(&db.pool).await?;
        for (post_id, value) in rows {
            if let Some(p) = posts.iter_mut().find(|p| p.id == post_id) {
                if table == "post_tags" { p.tags.push(value) } else { p.chapters.push(value) }
            }
        }
    }
    Ok(())
}

/// A new post; a slug already in use is a unique violation (see `OnUnique`).
pub async fn insert_post(
    db: &Db,
    post: &ValidPost,
    author_id: &str,
    reading_minutes: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let now = crate::clock::now();
    let mut tx = db.begin().await?;
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
    .await?;
    write_labels(&mut tx, &id, post).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_post(
    db: &Db,
    id: &str,
    post: &ValidPost,
    reading_minutes: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
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
    .await?;
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
    let Some(post) = sqlx::query_as(sql).bind(key).fetch_optional(&db.pool).await? else { return Ok(None) };
    let mut posts = vec![post];
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
    let mut posts: Vec<PostRecord> = sqlx::query_as(concat!(
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
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM posts p WHERE p.status = 'published' AND p.publish_at <= $1
           AND ($2 = '' OR EXISTS (SELECT 1 FROM post_tags t WHERE t.post_id = p.id AND t.tag = $2))",
    )
    .bind(now)
    .bind(tag)
    .fetch_one(&db.pool)
    .await?;
    attach_labels(db, &mut posts).await?;
    Ok((posts, total))
}

/// Other published posts to read after `post_id`: those sharing most of its
/// tags first, then the newest.
pub async fn read_next(db: &Db, post_id: &str, now: i64, limit: i64) -> Result<Vec<PostRecord>, sqlx::Error> {
    let mut posts: Vec<PostRecord> = sqlx::query_as(concat!(
        "SELECT ",
        post_columns!(),
        " WHERE p.status = 'published' AND p.publish_at <= $2 AND p.id <> $1
          ORDER BY (SELECT COUNT(*) FROM post_tags t WHERE t.post_id = p.id
                      AND t.tag IN (SELECT mine.tag FROM post_tags mine WHERE mine.post_id = $1)) DESC,
                   p.publish_at DESC, p.id DESC
          LIMIT $3"
    ))
    .bind(post_id)
    .bind(now)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    attach_labels(db, &mut posts).await?;
    Ok(posts)
}

/// Every post, drafts and scheduled ones included, for the coach's list.
pub async fn list_all(db: &Db) -> Result<Vec<PostRecord>, sqlx::Error> {
    let mut posts: Vec<PostRecord> =
        sqlx::query_as(concat!("SELECT ", post_columns!(), " ORDER BY p.updated_at DESC, p.id DESC"))
            .fetch_all(&db.pool)
            .await?;
    attach_labels(db, &mut posts).await?;
    Ok(posts)
}

/// Published posts that point to a guide chapter (shown under the chapter).
pub async fn published_for_chapter(
    db: &Db,
    chapter: &str,
    now: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.slug, p.title FROM posts p JOIN post_chapters c ON c.post_id = p.id
         WHERE c.chapter = $1 AND p.status = 'published' AND p.publish_at <= $2
         ORDER BY p.publish_at DESC LIMIT 5",
    )
    .bind(chapter)
    .bind(now)
    .fetch_all(&db.pool)
    .await
}

/// Whether members were told of this post already.
pub async fn announced(db: &Db, post_id: &str) -> Result<bool, sqlx::Error> {
    let at: Option<Option<i64>> = sqlx::query_scalar("SELECT announced_at FROM posts WHERE id = $1")
        .bind(post_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(at.flatten().is_some())
}

/// Published (or scheduled) posts whose members have not been told of them.
pub async fn unannounced_published(db: &Db) -> Result<Vec<PostRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        post_columns!(),
        " WHERE p.status = 'published' AND p.announced_at IS NULL"
    ))
    .fetch_all(&db.pool)
    .await
}

/// Mark the post announced, once: true for the one caller that does it.
pub async fn claim_announcement(
    conn: &mut sqlx::AnyConnection,
    post_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE posts SET announced_at = $1 WHERE id = $2 AND announced_at IS NULL")
        .bind(now)
        .bind(post_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Every member (not staff): whom a new post is announced to.
pub async fn member_ids(conn: &mut sqlx::AnyConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE role = 'member' ORDER BY id").fetch_all(conn).await
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
    sqlx::query_scalar("SELECT answers FROM start_answers WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await
}

/// (slug, title, Markdown) of every post a person wrote, for their export.
pub async fn posts_by_author(db: &Db, user_id: &str) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT slug, title, body FROM posts WHERE author_id = $1 ORDER BY created_at, id")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await
}
