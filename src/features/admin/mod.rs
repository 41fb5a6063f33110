//! The instance owner's page: everyone with an account, and their roles.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::clock::format_in_zone;
use crate::features::accounts::{self, service, store};
use crate::state::AppState;
use crate::web::Flash;
use crate::web::redirect_with_flash;
use crate::web::{AppError, FieldErrors, Layout, RequireAdmin, Role, render};

pub mod jobs;

pub const ROLE_CHANGED: Flash = Flash::new("role-changed", "The role is changed.");
pub const RESET_SENT: Flash = Flash::new(
    "reset-sent",
    "A link to choose a new password is on its way to that person's own address. You will not see it.",
);
pub const JOB_RETRIED: Flash = Flash::new("job-retried", "The job will be tried again shortly.");

pub const FLASHES: &[Flash] = &[ROLE_CHANGED, RESET_SENT, JOB_RETRIED];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/admin/users", get(users_page))
        .route("/admin/users/{id}/role", post(change_role))
        .route("/admin/users/{id}/reset", post(send_reset))
        .route("/admin/jobs", get(jobs::page))
        .route("/admin/jobs/{id}/retry", post(jobs::retry))
        .routes(routes!(list_users))
        .routes(routes!(set_role))
        .routes(routes!(send_reset_api))
        .routes(routes!(jobs::failed_jobs))
}

struct UserRow {
    id: String,
    email: String,
    display_name: String,
    role: Role,
    joined: String,
    is_me: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserRow>,
    roles: [Role; 3],
    error: Option<String>,
}

async fn users_page(
    State(state): State<AppState>,
    layout: Layout,
    RequireAdmin(admin): RequireAdmin,
) -> Result<Response, AppError> {
    users_page_with(&state, layout, &admin, None).await
}

async fn users_page_with(
    state: &AppState,
    layout: Layout,
    admin: &crate::web::CurrentUser,
    error: Option<String>,
) -> Result<Response, AppError> {
    let users = store::list_users(&state.db)
        .await?
        .into_iter()
        .map(|u| UserRow {
            is_me: u.id == admin.id,
            joined: format_in_zone(u.created_at, &admin.time_zone),
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.role,
        })
        .collect();
    render(UsersPage { layout, users, roles: Role::ALL, error })
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

async fn change_role(
    State(state): State<AppState>,
    layout: Layout,
    RequireAdmin(admin): RequireAdmin,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let role = Role::parse(&form.role).ok_or_else(|| AppError::BadRequest("Unknown role.".into()))?;
    match service::set_role(&state, &id, role).await {
        Ok(()) => Ok(redirect_with_flash("/admin/users", &ROLE_CHANGED)),
        Err(AppError::Conflict(message)) => users_page_with(&state, layout, &admin, Some(message)).await,
        Err(e) => Err(e),
    }
}

/// Send a member a link to choose a new password (to their address, never the admin's).
async fn send_reset(
    State(state): State<AppState>,
    RequireAdmin(_): RequireAdmin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    accounts::reset::request_by_admin(&state, &id).await?;
    Ok(redirect_with_flash("/admin/users", &RESET_SENT))
}

/// Send someone a link to choose a new password (admins only). The link goes
/// to that person's own address.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/reset", tag = "admin",
    params(("id" = String, Path, description = "User id")),
    responses((status = 202), (status = 403), (status = 404)))]
pub async fn send_reset_api(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, AppError> {
    accounts::reset::request_by_admin(&state, &id).await?;
    Ok(axum::http::StatusCode::ACCEPTED)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminUser {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub created_at: String,
}

/// Everyone with an account (admins only).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin",
    responses((status = 200, body = [AdminUser]), (status = 403)))]
pub async fn list_users(
    State(state): State<AppState>,
    _admin: RequireAdmin,
) -> Result<Json<Vec<AdminUser>>, AppError> {
    let users = store::list_users(&state.db).await?;
    Ok(Json(
        users
            .into_iter()
            .map(|u| AdminUser {
                id: u.id,
                email: u.email,
                display_name: u.display_name,
                role: u.role,
                created_at: crate::clock::rfc3339(u.created_at),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SetRoleRequest {
    /// `member`, `coach` or `admin`.
    pub role: String,
}

/// Change someone's role (admins only; the last admin cannot be demoted).
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/role", tag = "admin", request_body = SetRoleRequest,
    params(("id" = String, Path, description = "User id")),
    responses((status = 204), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn set_role(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    Path(id): Path<String>,
    Json(body): Json<SetRoleRequest>,
) -> Result<axum::http::StatusCode, AppError> {
    let Some(role) = Role::parse(&body.role) else {
        let mut errors = FieldErrors::new();
        errors.add("role", "Choose member, coach or admin.");
        return Err(AppError::Validation(errors));
    };
    service::set_role(&state, &id, role).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
