//! The repair guide's SQL: plans, each the member's own.

use super::rules::RepairAnswers;
use crate::db::{Db, JsonText, new_id};
use crate::features::undo::{ItemRows, Undoable};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanRecord {
    pub id: String,
    pub step: i64,
    pub answers: JsonText<RepairAnswers>,
    pub finished_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! plan_columns {
    () => {
        "id, step, answers, finished_at, created_at, updated_at"
    };
}

pub async fn insert_plan(
    db: &Db,
    user_id: &str,
    step: i64,
    answers: &RepairAnswers,
    at: i64,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO repair_plans (id, user_id, step, answers, finished_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, NULL, $5, $5)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(step)
    .bind(JsonText(answers))
    .bind(at)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

pub async fn find_plan(db: &Db, user_id: &str, id: &str) -> Result<Option<PlanRecord>, sqlx::Error> {
    sqlx::query_as(concat!("SELECT ", plan_columns!(), " FROM repair_plans WHERE id = $1 AND user_id = $2"))
        .bind(id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn update_plan(
    db: &Db,
    user_id: &str,
    id: &str,
    step: i64,
    answers: &RepairAnswers,
    finished_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    db.changed_one(
        sqlx::query(
            "UPDATE repair_plans SET step = $1, answers = $2, finished_at = $3, updated_at = $4
         WHERE id = $5 AND user_id = $6",
        )
        .bind(step)
        .bind(JsonText(answers))
        .bind(finished_at)
        .bind(crate::clock::now())
        .bind(id)
        .bind(user_id),
    )
    .await
}

/// A plan, deleted and undone whole.
pub const UNDO: Undoable = Undoable {
    kind: "repair-plan",
    rows: &[ItemRows { table: "repair_plans", filter: "id = $1 AND user_id = $2" }],
    shared: Some(crate::features::undo::shared_with_partner!("repair")),
};

/// The member's most recently touched unfinished plan, if any.
pub async fn unfinished_plan(db: &Db, user_id: &str) -> Result<Option<PlanRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        plan_columns!(),
        " FROM repair_plans WHERE user_id = $1 AND finished_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1"
    ))
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await
}

/// The member's plans: unfinished first, then most recently touched.
pub async fn list_plans(db: &Db, user_id: &str) -> Result<Vec<PlanRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        plan_columns!(),
        " FROM repair_plans WHERE user_id = $1
         ORDER BY CASE WHEN finished_at IS NULL THEN 0 ELSE 1 END, updated_at DESC, id DESC"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}
