//! All SQL for check-ins. Every query names the member.

use std::collections::BTreeMap;

use crate::db::{BindAll, Db, JsonText, new_id};
use crate::features::undo::{ItemRows, Undoable};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CheckInRecord {
    pub id: String,
    pub kind: String,
    pub day: String,
    #[sqlx(rename = "item_values")]
    pub values: JsonText<BTreeMap<String, i64>>,
    pub note: String,
    pub score: f64,
    pub created_at: i64,
}

/// The columns every check-in query selects (a macro so queries stay `&'static str`).
macro_rules! columns {
    () => {
        "id, kind, day, item_values, note, score, created_at"
    };
}

pub struct NewCheckIn<'a> {
    pub user_id: &'a str,
    pub kind: &'a str,
    pub day: &'a str,
    pub values: &'a BTreeMap<String, i64>,
    pub note: &'a str,
    pub score: f64,
    pub at: i64,
}

pub async fn insert(db: &Db, c: NewCheckIn<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO checkins (id, user_id, kind, day, item_values, note, score, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(c.user_id)
    .bind(c.kind)
    .bind(c.day)
    .bind(JsonText(c.values))
    .bind(c.note)
    .bind(c.score)
    .bind(c.at)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// Change one of the member's own check-ins; false when it is not theirs.
pub async fn update(
    db: &Db,
    user_id: &str,
    id: &str,
    values: &BTreeMap<String, i64>,
    note: &str,
    score: f64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE checkins SET item_values = $1, note = $2, score = $3, updated_at = $4 WHERE id = $5 AND user_id = $6",
    )
    .bind(JsonText(values))
    .bind(note)
    .bind(score)
    .bind(crate::clock::now())
    .bind(id)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A check-in, deleted and undone whole.
pub const UNDO: Undoable = Undoable {
    kind: "check-in",
    rows: &[ItemRows { table: "checkins", filter: "id = $1 AND user_id = $2" }],
    shared: Some(crate::features::undo::shared_with_partner!("check-in")),
};

pub async fn find(db: &Db, user_id: &str, id: &str) -> Result<Option<CheckInRecord>, sqlx::Error> {
    sqlx::query_as(concat!("SELECT ", columns!(), " FROM checkins WHERE id = $1 AND user_id = $2"))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await
}

/// The member's check-ins of one kind between two days (inclusive), newest first.
pub async fn list(
    db: &Db,
    user_id: &str,
    kind: &str,
    from: &str,
    to: &str,
    limit: i64,
) -> Result<Vec<CheckInRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM checkins WHERE user_id = $1 AND kind = $2 AND day >= $3 AND day <= $4
         ORDER BY day DESC, created_at DESC, id DESC LIMIT $5"
    ))
    .bind(user_id)
    .bind(kind)
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// Every check-in of the member, oldest first (export and CSV).
pub async fn all(db: &Db, user_id: &str) -> Result<Vec<CheckInRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM checkins WHERE user_id = $1 ORDER BY day, created_at, id"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

/// Mean scores per kind from a day (or with `by_month`, its month) on, one query for every kind: (kind, bucket,
/// mean), oldest first. A bucket is a day, or with `by_month` the first day of
/// a month, so years of check-ins come back as a few dozen rows.
///
/// Each kind's buckets arrive as one row of text (`day=mean,…`): on SQLite
/// every row crosses from the connection's thread on its own, and a quarter's
/// few hundred rows cost more than the query (bench/RESULTS.md).
pub async fn means(
    db: &Db,
    user_id: &str,
    kinds: &[&str],
    from: &str,
    by_month: bool,
) -> Result<Vec<(String, String, f64)>, sqlx::Error> {
    // Naming the kinds lets each be one range of the (member, kind, day, …)
    // index; without them every check-in of the member is read.
    let kinds_in = crate::db::placeholders(3, kinds.len());
    // Months come from the sums the triggers keep (migration 18): a month
    // counts whole, whichever of its days the range starts on.
    let (sql, from) = if by_month {
        (
            format!(
                "SELECT kind, string_agg(month || '-01=' || CAST(total / n AS TEXT), ',' ORDER BY month)
                 FROM checkin_months WHERE user_id = $1 AND month >= $2 AND kind IN ({kinds_in})
                 GROUP BY kind ORDER BY kind"
            ),
            from.get(..7).unwrap_or(from),
        )
    } else {
        (
            format!(
                "SELECT kind, string_agg(day || '=' || CAST(mean AS TEXT), ',' ORDER BY day) AS buckets
                 FROM (SELECT kind, day, AVG(score) AS mean FROM checkins
                       WHERE user_id = $1 AND day >= $2 AND kind IN ({kinds_in}) GROUP BY kind, day) per_day
                 GROUP BY kind ORDER BY kind"
            ),
            from,
        )
    };
    // Built from fixed text and numbered placeholders only; every value is bound.
    let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind(from)
        .bind_all(kinds)
        .fetch_all(&db.pool)
        .await?;
    let mut means = Vec::new();
    for (kind, buckets) in rows {
        means.extend(buckets_of(&kind, &buckets).map_err(|bad| sqlx::Error::Decode(bad.into()))?);
    }
    Ok(means)
}

/// `2026-11-01=5.5,2026-11-02=6` back into (kind, bucket, mean). SQLite
/// writes a mean with 15 significant digits, PostgreSQL with all it has.
fn buckets_of(kind: &str, text: &str) -> Result<Vec<(String, String, f64)>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|pair| {
            let parsed = pair.split_once('=').and_then(|(bucket, mean)| Some((bucket, mean.parse().ok()?)));
            let (bucket, mean) = parsed.ok_or_else(|| format!("a check-in mean read as {pair:?}"))?;
            Ok((kind.to_owned(), bucket.to_owned(), mean))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::buckets_of;

    #[test]
    fn a_kinds_buckets_come_back_in_order_with_their_means() {
        let got = buckets_of("needs", "2026-11-01=5.5,2026-11-02=6,2026-11-03=6.66666666666667").unwrap();
        let days: Vec<&str> = got.iter().map(|(_, d, _)| d.as_str()).collect();
        assert_eq!(days, ["2026-11-01", "2026-11-02", "2026-11-03"]);
        assert!(got.iter().all(|(k, _, _)| k == "needs"));
        assert_eq!(got[0].2, 5.5);
        assert!((got[2].2 - 20.0 / 3.0).abs() < 1e-12);
        assert!(buckets_of("needs", "").unwrap().is_empty());
        assert!(buckets_of("needs", "2026-11-01=5.5,2026-11-02").is_err());
    }
}
