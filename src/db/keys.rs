//! Random keys the instance makes once and every instance shares (in
//! `instance_keys`): whichever instance asks first creates the key.

use sqlx::Row;

use super::Db;

/// 32 random bytes under `name`, made on first use.
pub async fn instance_key(db: &Db, name: &str) -> Result<Vec<u8>, sqlx::Error> {
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).map_err(|e| sqlx::Error::Protocol(format!("no random source: {e}")))?;
    sqlx::query("INSERT INTO instance_keys (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(hex::encode(fresh))
        .bind(crate::clock::now())
        .execute(&db.pool)
        .await?;
    let value: String = sqlx::query("SELECT value FROM instance_keys WHERE name = $1")
        .bind(name)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    hex::decode(&value)
        .ok()
        .filter(|k| k.len() == 32)
        .ok_or_else(|| sqlx::Error::Decode(format!("the stored key {name} is not 32 hex bytes").into()))
}
