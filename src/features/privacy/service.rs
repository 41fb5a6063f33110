//! Export and deletion, run over every feature's member-data declaration.

use serde_json::{Map, Value};

use crate::clock::rfc3339;
use crate::state::AppState;
use crate::web::AppError;
use crate::web::member_data::MemberDataRegistry;

/// The export's format, for whoever reads the file later.
pub const FORMAT: &str = "securebase-export";
pub const VERSION: u32 = 2;

/// Everything of the member's: each feature's sections under their keys.
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
            if doc.insert(key.to_owned(), value).is_some() {
                return Err(AppError::Internal(anyhow::anyhow!("two features export the section {key}")));
            }
        }
    }
    Ok(doc)
}

/// Remove the member and everything of theirs, in one transaction, then leave
/// no copy of it in the write-ahead log.
pub async fn delete(state: &AppState, registry: &MemberDataRegistry, user_id: &str) -> Result<(), AppError> {
    let mut tx = state.db.pool.begin().await?;
    for part in registry.parts() {
        for sql in part.delete {
            sqlx::query(*sql).bind(user_id).execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    state.db.flush_deleted().await?;
    Ok(())
}
