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
/// The `x` column of the parts that have none (a float on both databases).
const NO_X: &str = "CAST(0 AS DOUBLE PRECISION)";

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
/// | part | a | b | c | n | x |
/// |---|---|---|---|---|---|
/// | `sum` | kind | day (or a month's first day) | | check-ins | their scores' sum |
/// | `need` | item values (JSON) | | | | |
/// | `reflection` | scores (JSON) | result id | answers (JSON) | taken at | |
/// | `returns` | month | | | count | |
#[derive(Debug, sqlx::FromRow)]
struct DashboardRow {
    part: String,
    a: String,
    b: String,
    c: String,
    n: i64,
    x: f64,
}

/// The scores to average, per kind and day (or month). By day these are the
/// check-ins themselves, one row each: a quarter is a few hundred rows read
/// in the index's order, and averaging them here costs a fraction of what
/// grouping them in the database did (SQLite compares and copies each row's
/// kind and day to group it; PostgreSQL sorted them by collation first). By
/// month they are the sums the triggers keep (migration 18), a month counted
/// whole whichever of its days the range starts on. Naming the kinds lets
/// each be one range of the (member, kind, day, …) index; without them every
/// check-in is read.
fn sums_select(by_month: bool, kinds_in: &str) -> String {
    if by_month {
        format!(
            "SELECT 'sum' AS part, kind AS a, month || '-01' AS b, '' AS c, n, total AS x
             FROM checkin_months WHERE user_id = $1 AND month >= $2 AND kind IN ({kinds_in})"
        )
    } else {
        format!(
            "SELECT 'sum' AS part, kind AS a, day AS b, '' AS c, 1 AS n, score AS x
             FROM checkins WHERE user_id = $1 AND day >= $2 AND kind IN ({kinds_in})"
        )
    }
}

/// (kind, bucket, check-ins, sum of scores) rows, in any order and with any
/// bucket repeated, as (kind, bucket, mean) ordered by kind and bucket. A
/// mean is rounded to six decimals, a half away from zero. Scores are floats,
/// so a sum's last bits depend on the order it is added in: the rows are
/// added in one order whatever order they came in, and the mean is rounded to
/// whole billionths before its millionths are taken, so a mean that is
/// exactly a half-millionth (3.6640625) does not fall either way by the last
/// bit of its sum.
fn means_of(mut sums: Vec<(String, String, i64, f64)>) -> Vec<(String, String, f64)> {
    sums.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)).then(x.3.total_cmp(&y.3)).then(x.2.cmp(&y.2)));
    let mut means: Vec<(String, String, i64, f64)> = Vec::new();
    for (kind, bucket, n, total) in sums {
        match means.last_mut() {
            Some(last) if last.0 == kind && last.1 == bucket => {
                last.2 += n;
                last.3 += total;
            }
            _ => means.push((kind, bucket, n, total)),
        }
    }
    means
        .into_iter()
        .filter(|m| m.2 > 0)
        .map(|(kind, bucket, n, total)| (kind, bucket, six_decimals(total / n as f64)))
        .collect()
}

/// `x` to six decimals, a half away from zero, through whole billionths.
fn six_decimals(x: f64) -> f64 {
    let billionths = (x * 1e9).round() as i64;
    let millionths = (billionths + 500 * billionths.signum()) / 1000;
    millionths as f64 / 1e6
}

pub async fn dashboard(db: &Db, q: &DashboardQuery<'_>) -> Result<DashboardRows, sqlx::Error> {
    let kinds_in = crate::db::placeholders(7, q.kinds.len());
    let sql = format!(
        "{sums}
         UNION ALL SELECT * FROM (SELECT 'need' AS part, item_values AS a, '' AS b, '' AS c, 0 AS n, {NO_X} AS x FROM checkins
             WHERE user_id = $1 AND kind = 'needs' AND day >= $3 AND day <= $4
             ORDER BY day DESC, created_at DESC, id DESC LIMIT $6) need
         UNION ALL SELECT * FROM (SELECT 'reflection' AS part, scores AS a, id AS b, answers AS c, taken_at AS n, {NO_X} AS x
             FROM instrument_results WHERE user_id = $1 AND instrument_id = '{REFLECTION}'
             ORDER BY taken_at DESC, id DESC LIMIT {TRAIL_RESULTS}) trail
         UNION ALL SELECT 'returns', month, '', '', n, {NO_X} FROM (SELECT SUBSTR(day, 1, 7) AS month, COUNT(*) AS n
             FROM moments_of_return WHERE user_id = $1 AND day >= $5 GROUP BY SUBSTR(day, 1, 7)) per_month",
        sums = sums_select(q.by_month, &kinds_in),
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
    let mut sums = Vec::new();
    for row in rows {
        match row.part.as_str() {
            "sum" => sums.push((row.a, row.b, row.n, row.x)),
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
    out.means = means_of(sums);
    // A union promises no order between its parts, nor within them.
    out.reflections.sort_by(|x, y| (x.taken_at, &x.id).cmp(&(y.taken_at, &y.id)));
    out.returns_per_month.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(kind: &str, bucket: &str, n: i64, total: f64) -> (String, String, i64, f64) {
        (kind.to_owned(), bucket.to_owned(), n, total)
    }

    #[test]
    fn a_bucket_averages_every_score_in_it() {
        let means = means_of(vec![
            sum("today", "2026-12-02", 1, 4.0),
            sum("needs", "2026-12-01", 1, 2.0),
            sum("today", "2026-12-01", 1, 3.0),
            sum("today", "2026-12-02", 1, 1.0),
            sum("today", "2026-12-01", 1, 4.0),
            // A month's sums: 10 over 4 check-ins, and 2 more later in the month.
            sum("signs", "2026-11-01", 4, 10.0),
            sum("signs", "2026-11-01", 2, 2.0),
        ]);
        let expect = [
            ("needs", "2026-12-01", 2.0),
            ("signs", "2026-11-01", 2.0),
            ("today", "2026-12-01", 3.5),
            ("today", "2026-12-02", 2.5),
        ];
        assert_eq!(means.len(), expect.len(), "{means:?}");
        for ((kind, bucket, mean), (k, b, m)) in means.iter().zip(expect) {
            assert_eq!((kind.as_str(), bucket.as_str(), *mean), (k, b, m));
        }
    }

    #[test]
    fn a_mean_is_rounded_to_six_decimals() {
        let means = means_of(vec![sum("today", "d", 3, 10.0), sum("growth", "d", 3, 2.0)]);
        assert_eq!(means[0].2, 0.666667, "rounded, not cut");
        assert_eq!(means[1].2, 3.333333);
        assert!(means_of(vec![sum("today", "d", 0, 0.0)]).is_empty(), "an emptied month has no mean");
        // 2231 tenths over 64 check-ins: 3.4859375, a half-millionth, goes up.
        assert_eq!(six_decimals(223.1 / 64.0), 3.485938);
        assert_eq!(six_decimals(-0.0000125), -0.000013);
    }

    #[test]
    fn a_mean_does_not_depend_on_the_order_its_scores_came_in() {
        // Scores in tenths that sum to 2345 tenths over 64 check-ins: exactly 3.6640625.
        let tenths = [
            30, 43, 31, 43, 41, 30, 37, 37, 30, 41, 41, 29, 43, 43, 43, 43, 37, 29, 41, 43, 31, 41, 43, 43,
            37, 30, 30, 41, 31, 41, 37, 37, 29, 43, 41, 43, 30, 43, 30, 43, 29, 31, 30, 31, 41, 43, 43, 31,
            41, 31, 31, 29, 30, 41, 37, 37, 29, 43, 31, 43, 41, 43, 29, 31,
        ];
        assert_eq!(tenths.iter().sum::<i64>(), 2345);
        let rows = |order: &mut dyn Iterator<Item = &i64>| {
            order.map(|t| sum("signs", "2026-12-01", 1, *t as f64 / 10.0)).collect::<Vec<_>>()
        };
        let forward = means_of(rows(&mut tenths.iter()));
        let backward = means_of(rows(&mut tenths.iter().rev()));
        assert_eq!(forward[0].2, 3.664063);
        assert_eq!(backward[0].2, 3.664063);
    }
}
