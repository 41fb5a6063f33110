//! The dashboard in one statement. It shows the check-in means over a range,
//! the needs least met lately, the closeness reflection's trail and the
//! moments of return per month; asked one by one that was four crossings to
//! the database on every dashboard (on SQLite, four hops to its thread). This
//! reads the same rows, each by an index, at once. Read only: moments of
//! return still belong to practice, which writes them.

use std::collections::BTreeMap;

use super::store::ResultRecord;
use crate::db::{BindAll, Db, JsonText};

/// The instrument whose results make the plane's trail.
pub const REFLECTION: &str = "closeness-reflection";
/// At most this many recent needs check-ins are read for the summary.
const RECENT_NEEDS: i64 = 500;
/// The plane's trail shows at most this many of the latest reflections
/// (taken monthly, sixteen years' worth).
const TRAIL_RESULTS: i64 = 200;

/// What the dashboard reads, for one member and range.
pub struct DashboardQuery<'a> {
    pub user_id: &'a str,
    /// The check-in kinds to draw.
    pub kinds: &'a [&'a str],
    /// The range's first day; with `by_month`, its whole month counts.
    pub from: &'a str,
    pub by_month: bool,
    /// The needs summary covers `needs_from` to `today`.
    pub needs_from: &'a str,
    pub today: &'a str,
    /// Moments of return are counted from this day on.
    pub returns_from: &'a str,
}

#[derive(Debug, Default)]
pub struct DashboardRows {
    /// (kind, bucket, mean), each kind's buckets oldest first.
    pub means: Vec<(String, String, f64)>,
    /// The item values of the needs check-ins in the summary's days.
    pub recent_needs: Vec<BTreeMap<String, i64>>,
    /// The closeness reflection's results, oldest first.
    pub reflections: Vec<ResultRecord>,
    /// ("2026-11", moments of return that month), oldest first; months
    /// without any are left out.
    pub returns_per_month: Vec<(String, i64)>,
}

/// One row of the answer; `part` says what it is, and the columns mean:
///
/// | part | a | b | c | n |
/// |---|---|---|---|---|
/// | `means` | kind | day (or a month's first day) | | mean in millionths |
/// | `need` | item values (JSON) | | | |
/// | `reflection` | scores (JSON) | result id | answers (JSON) | taken at |
/// | `returns` | month | | | count |
#[derive(Debug, sqlx::FromRow)]
struct DashboardRow {
    part: String,
    a: String,
    b: String,
    c: String,
    n: i64,
}

/// One row per kind and day (or month) with its mean in whole millionths:
/// integers are cheap to write and read (a float's text took several
/// percent of a dashboard's time on SQLite), a chart shows one decimal, and
/// rounding as `NUMERIC` takes a half away from zero on both databases
/// (PostgreSQL rounds a float's half to even). Naming the kinds lets each be
/// one range of the (member, kind, day, …) index; without them every
/// check-in is read. (On SQLite these rows are read on the request's own
/// thread, so a row costs little more than its values.)
fn means_select(by_month: bool, kinds_in: &str) -> String {
    if by_month {
        // From the sums the triggers keep (migration 18): a month counts
        // whole, whichever of its days the range starts on.
        format!(
            "SELECT 'means' AS part, kind AS a, month || '-01' AS b, '' AS c,
                    CAST(ROUND(CAST(total / n * 1000000 AS NUMERIC)) AS BIGINT) AS n
             FROM checkin_months WHERE user_id = $1 AND month >= $2 AND kind IN ({kinds_in})"
        )
    } else {
        format!(
            "SELECT 'means' AS part, kind AS a, day AS b, '' AS c,
                    CAST(ROUND(CAST(AVG(score) * 1000000 AS NUMERIC)) AS BIGINT) AS n
             FROM checkins WHERE user_id = $1 AND day >= $2 AND kind IN ({kinds_in}) GROUP BY kind, day"
        )
    }
}

pub async fn dashboard(db: &Db, q: &DashboardQuery<'_>) -> Result<DashboardRows, sqlx::Error> {
    let kinds_in = crate::db::placeholders(7, q.kinds.len());
    let sql = format!(
        "{means}
         UNION ALL SELECT * FROM (SELECT 'need' AS part, item_values AS a, '' AS b, '' AS c, 0 AS n FROM checkins
             WHERE user_id = $1 AND kind = 'needs' AND day >= $3 AND day <= $4
             ORDER BY day DESC, created_at DESC, id DESC LIMIT $6) need
         UNION ALL SELECT * FROM (SELECT 'reflection' AS part, scores AS a, id AS b, answers AS c, taken_at AS n
             FROM instrument_results WHERE user_id = $1 AND instrument_id = '{REFLECTION}'
             ORDER BY taken_at DESC, id DESC LIMIT {TRAIL_RESULTS}) trail
         UNION ALL SELECT 'returns', month, '', '', n FROM (SELECT SUBSTR(day, 1, 7) AS month, COUNT(*) AS n
             FROM moments_of_return WHERE user_id = $1 AND day >= $5 GROUP BY SUBSTR(day, 1, 7)) per_month",
        means = means_select(q.by_month, &kinds_in),
    );
    let from = if q.by_month { q.from.get(..7).unwrap_or(q.from) } else { q.from };
    // Built from fixed text and numbered placeholders only; every value is bound.
    let rows: Vec<DashboardRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(q.user_id)
        .bind(from)
        .bind(q.needs_from)
        .bind(q.today)
        .bind(q.returns_from)
        .bind(RECENT_NEEDS)
        .bind_all(q.kinds)
        .fetch_all(db.reads())
        .await?;
    let mut out = DashboardRows::default();
    for row in rows {
        match row.part.as_str() {
            "means" => out.means.push((row.a, row.b, row.n as f64 / 1_000_000.0)),
            "need" => out
                .recent_needs
                .push(JsonText::<BTreeMap<String, i64>>::parse(&row.a, "a check-in's values")?.0),
            "reflection" => out.reflections.push(ResultRecord {
                id: row.b,
                instrument_id: REFLECTION.to_owned(),
                answers: JsonText::parse(&row.c, "a result's answers")?,
                scores: JsonText::parse(&row.a, "a result's scores")?,
                taken_at: row.n,
            }),
            "returns" => out.returns_per_month.push((row.a, row.n)),
            other => {
                return Err(sqlx::Error::Decode(format!("a dashboard row of unknown part {other:?}").into()));
            }
        }
    }
    // A union promises no order between its parts, nor within them.
    out.means.sort_unstable_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    out.reflections.sort_by(|x, y| (x.taken_at, &x.id).cmp(&(y.taken_at, &y.id)));
    out.returns_per_month.sort();
    Ok(out)
}
