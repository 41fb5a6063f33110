//! "Download everything of mine": one JSON document. Each capability that stores
//! member data adds its section here.

use serde::Serialize;

use super::store;
use crate::clock::rfc3339;
use crate::db::Db;
use crate::features::learn;
use crate::web::AppError;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Export {
    /// Always "securebase-export".
    pub format: &'static str,
    pub version: u32,
    pub exported_at: String,
    pub account: ExportedAccount,
    pub sessions: Vec<ExportedSession>,
    /// The answers given to "get started", if any.
    pub get_started: Option<crate::features::learn::start::StartAnswers>,
    /// Posts this person wrote as a coach (they stay on the site after deletion).
    pub posts_written: Vec<ExportedPost>,
    /// Every questionnaire result, with answers and scores.
    pub instrument_results: Vec<ExportedResult>,
    /// Every check-in (signs, growth, needs, today).
    pub checkins: Vec<ExportedCheckIn>,
    /// Journal entries and drafts, affirmations, repair plans, cycle maps and moments of return.
    pub practice: crate::features::practice::export::PracticeExport,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedCheckIn {
    pub kind: String,
    pub day: String,
    pub values: std::collections::BTreeMap<String, i64>,
    pub note: String,
    pub created_at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedResult {
    pub instrument_id: String,
    pub taken_at: String,
    pub answers: std::collections::BTreeMap<String, i64>,
    pub scores: std::collections::BTreeMap<String, f64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedPost {
    pub slug: String,
    pub title: String,
    pub body_markdown: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedAccount {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub time_zone: String,
    pub created_at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedSession {
    pub device: String,
    pub browser: String,
    pub created_at: String,
    pub last_active_at: String,
}

pub async fn collect(db: &Db, user_id: &str, idle_hours: i64) -> Result<Export, AppError> {
    let user = store::find_user(db, user_id).await?.ok_or(AppError::NotFound)?;
    let now = crate::clock::now();
    let sessions = store::list_sessions(db, user_id, now, now - idle_hours * 3600).await?;
    let get_started =
        learn::store::start_answers(db, user_id).await?.and_then(|a| learn::start::StartAnswers::decode(&a));
    let posts_written = learn::store::posts_by_author(db, user_id)
        .await?
        .into_iter()
        .map(|(slug, title, body_markdown)| ExportedPost { slug, title, body_markdown })
        .collect();
    let instrument_results = crate::features::assess::store::list(db, user_id, None)
        .await?
        .into_iter()
        .map(|r| ExportedResult {
            instrument_id: r.instrument_id,
            taken_at: rfc3339(r.taken_at),
            answers: r.answers,
            scores: r.scores,
        })
        .collect();
    let checkins = crate::features::assess::checkin_store::all(db, user_id)
        .await?
        .into_iter()
        .map(|c| ExportedCheckIn {
            kind: c.kind,
            day: c.day,
            values: c.values,
            note: c.note,
            created_at: rfc3339(c.created_at),
        })
        .collect();
    Ok(Export {
        format: "securebase-export",
        version: 2,
        exported_at: rfc3339(now),
        account: ExportedAccount {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            role: user.role.to_string(),
            time_zone: user.time_zone,
            created_at: rfc3339(user.created_at),
        },
        sessions: sessions
            .into_iter()
            .map(|s| ExportedSession {
                device: s.device,
                browser: s.browser,
                created_at: rfc3339(s.created_at),
                last_active_at: rfc3339(s.last_seen_at),
            })
            .collect(),
        get_started,
        posts_written,
        instrument_results,
        checkins,
        practice: crate::features::practice::export::collect(db, user_id).await?,
    })
}
