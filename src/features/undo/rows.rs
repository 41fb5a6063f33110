//! A deleted item's rows as plain data: read from any of the member's tables
//! with each cell's type, kept as JSON while the member may undo, and written
//! back exactly as they were. Reading every column (`SELECT *`) means a
//! column added to a table later comes back too, with nothing to keep in step.

use serde::{Deserialize, Serialize};
use sqlx::any::{AnyArguments, AnyRow, AnyTypeInfoKind};
use sqlx::{Any, Column, Row, ValueRef};

/// One value, with its type kept even when it is `NULL` (PostgreSQL checks a
/// bound `NULL`'s type against the column's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
    Float(Option<f64>),
    /// A `NULL` whose type the database did not say (SQLite), which accepts any.
    Null,
}

/// One row of one table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedRow {
    pub table: String,
    pub cells: Vec<(String, Cell)>,
}

/// Read a fetched row whole.
pub fn read_row(table: &str, row: &AnyRow) -> Result<SavedRow, sqlx::Error> {
    let mut cells = Vec::with_capacity(row.columns().len());
    for column in row.columns() {
        let i = column.ordinal();
        let raw = row.try_get_raw(i)?;
        let null = raw.is_null();
        // A NULL value carries no type of its own; the column's declared type
        // is what PostgreSQL will check when it goes back.
        let kind = if null { column.type_info().kind() } else { raw.type_info().kind() };
        let cell = match kind {
            AnyTypeInfoKind::Null => Cell::Null,
            AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt => {
                Cell::Int(if null { None } else { Some(row.try_get::<i64, _>(i)?) })
            }
            AnyTypeInfoKind::Real | AnyTypeInfoKind::Double => {
                Cell::Float(if null { None } else { Some(row.try_get::<f64, _>(i)?) })
            }
            AnyTypeInfoKind::Text => Cell::Text(if null { None } else { Some(row.try_get::<String, _>(i)?) }),
            AnyTypeInfoKind::Bool | AnyTypeInfoKind::Blob => {
                return Err(sqlx::Error::ColumnDecode {
                    index: column.name().to_owned(),
                    source: format!("{table}.{} has a type deleting with undo does not keep", column.name())
                        .into(),
                });
            }
        };
        cells.push((column.name().to_owned(), cell));
    }
    Ok(SavedRow { table: table.to_owned(), cells })
}

/// A table or column name that can be written into SQL as it is: lower-case
/// letters, digits and underscores, starting with a letter.
pub fn is_plain_name(name: &str) -> bool {
    name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The `INSERT` that puts a saved row back, or None when a name in it is not
/// plain (kept rows come from our own tables, so that would be a fault).
/// With `keep_existing`, a row with the same key written meanwhile stays.
pub fn insert_sql(row: &SavedRow, keep_existing: bool) -> Option<String> {
    if !is_plain_name(&row.table) || row.cells.is_empty() || !row.cells.iter().all(|(c, _)| is_plain_name(c))
    {
        return None;
    }
    let columns: Vec<&str> = row.cells.iter().map(|(c, _)| c.as_str()).collect();
    let values = crate::db::placeholders(1, columns.len());
    let keep = if keep_existing { " ON CONFLICT DO NOTHING" } else { "" };
    Some(format!("INSERT INTO {} ({}) VALUES ({values}){keep}", row.table, columns.join(", ")))
}

/// Bind a row's values, in column order.
pub fn bind_cells<'q>(
    mut query: sqlx::query::Query<'q, Any, AnyArguments>,
    row: &'q SavedRow,
) -> sqlx::query::Query<'q, Any, AnyArguments> {
    for (_, cell) in &row.cells {
        query = match cell {
            Cell::Text(v) => query.bind(v.as_deref()),
            Cell::Int(v) => query.bind(*v),
            Cell::Float(v) => query.bind(*v),
            Cell::Null => query.bind(None::<String>),
        };
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(table: &str, cells: Vec<(&str, Cell)>) -> SavedRow {
        SavedRow { table: table.into(), cells: cells.into_iter().map(|(c, v)| (c.into(), v)).collect() }
    }

    #[test]
    fn only_plain_names_are_written_into_sql() {
        for good in ["journal_entries", "a", "cycle_map_versions", "col2"] {
            assert!(is_plain_name(good), "{good}");
        }
        for bad in ["", "Users", "x; DROP TABLE users", "2col", "a-b", "a b", "\"q\"", &"a".repeat(64)] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }

    #[test]
    fn the_insert_names_every_column_once_in_order() {
        let r = row("moments_of_return", vec![("id", Cell::Text(Some("x".into()))), ("day", Cell::Null)]);
        assert_eq!(insert_sql(&r, false).unwrap(), "INSERT INTO moments_of_return (id, day) VALUES ($1, $2)");
        assert_eq!(
            insert_sql(&r, true).unwrap(),
            "INSERT INTO moments_of_return (id, day) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        );
        let evil = row("moments_of_return", vec![("id) VALUES (1); --", Cell::Null)]);
        assert_eq!(insert_sql(&evil, true), None);
        assert_eq!(insert_sql(&row("t", vec![]), false), None);
    }

    #[test]
    fn rows_survive_their_json_exactly() {
        let r = row(
            "checkins",
            vec![
                ("note", Cell::Text(Some("é \"quoted\" \u{1F600}".into()))),
                ("score", Cell::Float(Some(4.285714285714286))),
                ("created_at", Cell::Int(Some(i64::MAX))),
                ("finished_at", Cell::Int(None)),
                ("other", Cell::Null),
            ],
        );
        let back: SavedRow = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }
}
