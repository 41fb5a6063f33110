//! The instance owner's pages: the people with an account (their roles, when
//! they were last active, disabling an account) and the background work.

use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::Flash;

pub mod jobs;
pub mod people;
pub mod store;

pub const ROLE_CHANGED: Flash = Flash::new("role-changed", "The role is changed.");
pub const RESET_SENT: Flash = Flash::new(
    "reset-sent",
    "A link to choose a new password is on its way to that person's own address. You will not see it.",
);
pub const JOB_RETRIED: Flash = Flash::new("job-retried", "The job will be tried again shortly.");
pub const ACCOUNT_DISABLED: Flash = Flash::new(
    "account-disabled",
    "The account is disabled: it is signed out everywhere and cannot sign in.",
);
pub const ACCOUNT_ENABLED: Flash =
    Flash::new("account-enabled", "The account is enabled and can sign in again.");

pub const FLASHES: &[Flash] = &[ROLE_CHANGED, RESET_SENT, JOB_RETRIED, ACCOUNT_DISABLED, ACCOUNT_ENABLED];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/admin/users", get(people::page))
        .route("/admin/users/{id}/role", post(people::change_role))
        .route("/admin/users/{id}/reset", post(people::send_reset))
        .route("/admin/users/{id}/disabled", post(people::change_disabled))
        .route("/admin/jobs", get(jobs::page))
        .route("/admin/jobs/{id}/retry", post(jobs::retry))
        .routes(routes!(people::list_users))
        .routes(routes!(people::set_role))
        .routes(routes!(people::send_reset_api))
        .routes(routes!(people::set_disabled))
        .routes(routes!(jobs::failed_jobs))
}
