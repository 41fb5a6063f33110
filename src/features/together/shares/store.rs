//! Shares' SQL. Every read joins the reader's own row of `partner_links`, so a
//! share is visible only inside the link it was made in, to its two members;
//! once the link is gone (unlink, safety reset, deletion) nothing matches.

use crate::db::{Db, new_id};

/// A share as listed: its newest version's heading, and how many versions.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ShareSummary {
    pub id: String,
    pub author_id: String,
    pub item_kind: String,
    pub snapshot: String,
    pub versions: i64,
    pub shared_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRecord {
    pub version: i64,
    pub snapshot: String,
    pub shared_at: i64,
}

/// A share of the author's, within their current link.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnShare {
    pub id: String,
    pub item_kind: String,
    pub item_id: String,
}

/// A share shows only while the item it was made from exists: deleting the
/// item hides it from the partner at once, and an undo (which puts the item
/// back with its id) shows it again.
macro_rules! item_still_there {
    () => {
        "(CASE s.item_kind
          WHEN 'journal' THEN EXISTS (SELECT 1 FROM journal_entries x WHERE x.id = s.item_id AND x.user_id = s.author_id)
          WHEN 'result' THEN EXISTS (SELECT 1 FROM instrument_results x WHERE x.id = s.item_id AND x.user_id = s.author_id)
          WHEN 'check-in' THEN EXISTS (SELECT 1 FROM checkins x WHERE x.id = s.item_id AND x.user_id = s.author_id)
          WHEN 'repair' THEN EXISTS (SELECT 1 FROM repair_plans x WHERE x.id = s.item_id AND x.user_id = s.author_id)
          WHEN 'cycle' THEN EXISTS (SELECT 1 FROM cycle_maps x WHERE x.id = s.item_id AND x.user_id = s.author_id)
          WHEN 'return' THEN EXISTS (SELECT 1 FROM moments_of_return x WHERE x.id = s.item_id AND x.user_id = s.author_id)
          ELSE 1 = 0 END)"
    };
}

/// The listing query, with its own ending.
macro_rules! summary {
    ($tail:literal) => {
        concat!(
            "SELECT s.id, s.author_id, s.item_kind, v.snapshot, v.version AS versions, v.shared_at
     FROM shares s
     JOIN partner_links pl ON pl.link_id = s.link_id AND pl.member_id = $1
     JOIN share_versions v ON v.share_id = s.id
       AND v.version = (SELECT MAX(v2.version) FROM share_versions v2 WHERE v2.share_id = s.id)
             WHERE ",
            item_still_there!(),
            " AND ",
            $tail
        )
    };
}

/// What the member shared within their current link, newest first.
pub async fn shared_by(db: &Db, member_id: &str) -> Result<Vec<ShareSummary>, sqlx::Error> {
    sqlx::query_as(summary!("s.author_id = $1 ORDER BY v.shared_at DESC, s.id DESC"))
        .bind(member_id)
        .fetch_all(&db.pool)
        .await
}

/// What the member's partner shared with them, newest first.
pub async fn shared_with(db: &Db, member_id: &str) -> Result<Vec<ShareSummary>, sqlx::Error> {
    sqlx::query_as(summary!("s.author_id = pl.partner_id ORDER BY v.shared_at DESC, s.id DESC"))
        .bind(member_id)
        .fetch_all(&db.pool)
        .await
}

/// One share, if the member is its author or its author's partner now.
pub async fn find_visible(
    db: &Db,
    member_id: &str,
    share_id: &str,
) -> Result<Option<ShareSummary>, sqlx::Error> {
    sqlx::query_as(summary!("s.id = $2")).bind(member_id).bind(share_id).fetch_optional(&db.pool).await
}

/// Every version of a visible share, oldest first.
pub async fn versions(db: &Db, member_id: &str, share_id: &str) -> Result<Vec<VersionRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT v.version, v.snapshot, v.shared_at FROM share_versions v
         JOIN shares s ON s.id = v.share_id
         JOIN partner_links pl ON pl.link_id = s.link_id AND pl.member_id = $1
         WHERE s.id = $2 AND ",
        item_still_there!(),
        " ORDER BY v.version"
    ))
    .bind(member_id)
    .bind(share_id)
    .fetch_all(&db.pool)
    .await
}

/// The author's share of one item in their current link, if they made one.
pub async fn own_share_of<'c, E>(
    executor: E,
    author_id: &str,
    kind: &str,
    item_id: &str,
) -> Result<Option<OwnShare>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT s.id, s.item_kind, s.item_id FROM shares s
         JOIN partner_links pl ON pl.link_id = s.link_id AND pl.member_id = $1
         WHERE s.author_id = $1 AND s.item_kind = $2 AND s.item_id = $3",
    )
    .bind(author_id)
    .bind(kind)
    .bind(item_id)
    .fetch_optional(executor)
    .await
}

/// The author's own share by its id, in their current link.
pub async fn own_share(db: &Db, author_id: &str, share_id: &str) -> Result<Option<OwnShare>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.item_kind, s.item_id FROM shares s
         JOIN partner_links pl ON pl.link_id = s.link_id AND pl.member_id = $1
         WHERE s.author_id = $1 AND s.id = $2",
    )
    .bind(author_id)
    .bind(share_id)
    .fetch_optional(&db.pool)
    .await
}

/// The newest version's snapshot of a share.
pub async fn latest_snapshot<'c, E>(executor: E, share_id: &str) -> Result<Option<String>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar(
        "SELECT snapshot FROM share_versions WHERE share_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(share_id)
    .fetch_optional(executor)
    .await
}

pub struct NewShare<'a> {
    pub link_id: &'a str,
    pub author_id: &'a str,
    pub item_kind: &'a str,
    pub item_id: &'a str,
    pub snapshot: &'a str,
    pub now: i64,
}

/// A new share with its first version.
pub async fn insert(conn: &mut sqlx::AnyConnection, new: NewShare<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO shares (id, link_id, author_id, item_kind, item_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(new.link_id)
    .bind(new.author_id)
    .bind(new.item_kind)
    .bind(new.item_id)
    .bind(new.now)
    .execute(&mut *conn)
    .await?;
    add_version(conn, &id, new.author_id, new.snapshot, new.now).await?;
    Ok(id)
}

/// Another version of a share, numbered after the last.
pub async fn add_version(
    conn: &mut sqlx::AnyConnection,
    share_id: &str,
    author_id: &str,
    snapshot: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let next: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM share_versions WHERE share_id = $1")
            .bind(share_id)
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query(
        "INSERT INTO share_versions (share_id, version, author_id, snapshot, shared_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(share_id)
    .bind(next)
    .bind(author_id)
    .bind(snapshot)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(next)
}

/// Stop sharing: the share and all its versions go.
pub async fn unshare<'c, E>(executor: E, author_id: &str, share_id: &str) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query("DELETE FROM shares WHERE id = $1 AND author_id = $2")
        .bind(share_id)
        .bind(author_id)
        .execute(executor)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Every share the member authored, in any link, with its versions (for the export).
pub async fn authored(db: &Db, author_id: &str) -> Result<Vec<(String, String, VersionRecord)>, sqlx::Error> {
    let rows: Vec<(String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT s.id, s.item_kind, v.version, v.snapshot, v.shared_at FROM shares s
         JOIN share_versions v ON v.share_id = s.id WHERE s.author_id = $1 ORDER BY s.created_at, s.id, v.version",
    )
    .bind(author_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, version, snapshot, shared_at)| {
            (id, kind, VersionRecord { version, snapshot, shared_at })
        })
        .collect())
}

/// Every share the member made, in any link (the safety reset).
pub async fn delete_all_by<'c, E>(executor: E, author_id: &str) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query("DELETE FROM shares WHERE author_id = $1")
        .bind(author_id)
        .execute(executor)
        .await?
        .rows_affected())
}
