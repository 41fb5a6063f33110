//! SQLite plans each statement once. By default it may look at a bound value
//! while planning (the number in `LIMIT $n`, a `LIKE` pattern) and then marks
//! the prepared statement stale whenever that parameter is bound again, so a
//! query with `LIMIT $n`, as every list here has, was parsed and planned anew
//! on every request (`sqlite3Reprepare` in a profile of the member home). The
//! query planner stability guarantee (QPSG) plans without bound values; sqlx's
//! statement cache then keeps each statement planned. What it gives up: plans
//! that depend on a bound value. Here that is the row count in `LIMIT $n`
//! (our lists read in an index's order, so the plan is the same), `LIKE` with a
//! bound pattern on an indexed column (none; search uses FTS5, and the admin's
//! `LOWER(…) LIKE $1` cannot use an index either way), partial indexes (none)
//! and `ANALYZE` statistics (never gathered). Registering the extension starts
//! SQLite, so `main` configures it before the first connection.

use std::ffi::{c_char, c_int};
use std::sync::Once;

use libsqlite3_sys as sqlite;

/// Every SQLite connection this process opens from now on plans without bound
/// values. Idempotent; call before the pool connects.
pub fn plan_without_bound_values() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // SAFETY: registers a function SQLite calls with each new connection's
        // handle; the function only changes that connection's own setting.
        let answer = unsafe { sqlite::sqlite3_auto_extension(Some(enable_qpsg)) };
        if answer != sqlite::SQLITE_OK {
            tracing::warn!(answer, "SQLite will plan statements again when their parameters change");
        }
    });
}

unsafe extern "C" fn enable_qpsg(
    db: *mut sqlite::sqlite3,
    _error: *mut *mut c_char,
    _api: *const sqlite::sqlite3_api_routines,
) -> c_int {
    // SAFETY: `db` is the connection being opened; ENABLE_QPSG takes an int and
    // an optional int pointer for the new value, which is not wanted here.
    unsafe {
        sqlite::sqlite3_db_config(
            db,
            sqlite::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as c_int,
            std::ptr::null_mut::<c_int>(),
        )
    };
    sqlite::SQLITE_OK
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    /// How often a statement with `LIMIT ?` is planned again when it is run
    /// three times with fresh bindings, on a connection of this process.
    fn reprepares_of_a_limit_query() -> c_int {
        let mut db = std::ptr::null_mut();
        let memory = CString::new(":memory:").unwrap();
        let sql = CString::new("SELECT value FROM json_each('[1,2,3]') LIMIT ?1").unwrap();
        // SAFETY: a private in-memory database, closed before returning; every
        // pointer handed to SQLite is one it gave us or a live CString.
        unsafe {
            assert_eq!(sqlite::sqlite3_open(memory.as_ptr(), &mut db), sqlite::SQLITE_OK);
            let mut stmt = std::ptr::null_mut();
            let prepared = sqlite::sqlite3_prepare_v3(
                db,
                sql.as_ptr(),
                -1,
                sqlite::SQLITE_PREPARE_PERSISTENT,
                &mut stmt,
                std::ptr::null_mut(),
            );
            assert_eq!(prepared, sqlite::SQLITE_OK);
            for limit in [1, 2, 3] {
                sqlite::sqlite3_bind_int(stmt, 1, limit);
                let mut rows = 0;
                while sqlite::sqlite3_step(stmt) == sqlite::SQLITE_ROW {
                    rows += 1;
                }
                assert_eq!(rows, limit, "the limit is applied");
                sqlite::sqlite3_reset(stmt);
            }
            let reprepares = sqlite::sqlite3_stmt_status(stmt, sqlite::SQLITE_STMTSTATUS_REPREPARE, 0);
            sqlite::sqlite3_finalize(stmt);
            sqlite::sqlite3_close(db);
            reprepares
        }
    }

    #[test]
    fn a_statement_with_a_bound_limit_is_planned_once() {
        plan_without_bound_values();
        assert_eq!(reprepares_of_a_limit_query(), 0);
    }
}
