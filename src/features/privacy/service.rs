//! Export and deletion, run over every feature's member-data declaration.

use serde_json::{Map, Value};

use crate::clock::rfc3339;
use crate::state::AppState;
use crate::web::AppError;
use crate::web::member_data::MemberDataRegistry;

/// The export's format, for whoever reads the file later.
pub const FORMAT: &str = "securebase-export";
pub const VERSION: u32 = 2;

/// Everything of the member's: each feature's sections under their keys. Parts
/// of one feature (the practice tools) may each add fields to one section.
pub async fn export(
    state: &AppState,
    registry: &MemberDataRegistry,
    user_id: &str,
) -> Result<Map<String, Value>, AppError> {
    let mut doc = Map::new();
    doc.insert("format".into(), FORMAT.into());
    doc.insert("version".into(), VERSION.into());
    doc.insert("exported_at".into(), rfc3339(crate::clock::now()).into());
    for part in registry.parts() {
        for (key, value) in (part.export)(state, user_id).await? {
            add_section(&mut doc, key, value)?;
        }
    }
    Ok(doc)
}

fn add_section(doc: &mut Map<String, Value>, key: &str, value: Value) -> Result<(), AppError> {
    let clash = || AppError::Internal(anyhow::anyhow!("two parts export {key} with the same field"));
    match (doc.get_mut(key), value) {
        (None, value) => {
            doc.insert(key.to_owned(), value);
        }
        (Some(Value::Object(section)), Value::Object(more)) => {
            for (field, v) in more {
                if section.insert(field, v).is_some() {
                    return Err(clash());
                }
            }
        }
        _ => return Err(clash()),
    }
    Ok(())
}

/// Remove the member and everything of theirs, in one transaction, then leave
/// no copy of it in the write-ahead log.
pub async fn delete(state: &AppState, registry: &MemberDataRegistry, user_id: &str) -> Result<(), AppError> {
    // A write of theirs in flight elsewhere (an Undo, say) may still lock rows
    // in the other order; PostgreSQL then ends one side as a deadlock, and the
    // deletion simply runs again.
    let mut attempt = 1;
    loop {
        match delete_once(state, registry, user_id).await {
            Err(e) if crate::db::is_deadlock(&e) && attempt < 3 => attempt += 1,
            done => break done?,
        }
    }
    state.member_copies.forget_member(user_id);
    state.db.flush_deleted().await?;
    Ok(())
}

async fn delete_once(
    state: &AppState,
    registry: &MemberDataRegistry,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = state.db.begin().await?;
    // On PostgreSQL the account row is locked first. A check-in, result or
    // moment of return being saved holds a share of it (its reference to the
    // account) and then raises sums and versions kept by triggers: one that
    // began earlier finishes before the deletion starts, and one that begins
    // later waits and then finds no account, instead of each side holding a
    // row the other needs.
    if state.db.backend == crate::db::Backend::Postgres {
        sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE").bind(user_id).execute(&mut *tx).await?;
    }
    for part in registry.parts() {
        for sql in part.delete {
            sqlx::query(*sql).bind(user_id).execute(&mut *tx).await?;
        }
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_one_section_are_joined_and_a_clash_is_an_error() {
        let mut doc = Map::new();
        add_section(&mut doc, "practice", serde_json::json!({"journal_entries": [1]})).unwrap();
        add_section(&mut doc, "practice", serde_json::json!({"repair_plans": [2]})).unwrap();
        assert_eq!(doc["practice"], serde_json::json!({"journal_entries": [1], "repair_plans": [2]}));
        assert!(add_section(&mut doc, "practice", serde_json::json!({"repair_plans": []})).is_err());
        assert!(add_section(&mut doc, "practice", serde_json::json!([])).is_err());
    }
}
