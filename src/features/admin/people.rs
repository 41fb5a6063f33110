//! People: everyone with an account, found by name or address, with their
//! role, when they were last active (to the day), and whether they may sign
//! in. Disabling an account ends its sessions at once.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::store::{self, Disabling, PersonRow};
use super::{ACCOUNT_DISABLED, ACCOUNT_ENABLED, RESET_SENT, ROLE_CHANGED};
use crate::features::accounts::{self, service};
use crate::state::AppState;
use crate::web::redirect_with_flash;
use crate::web::{AppError, CurrentUser, FieldErrors, Layout, RequireAdmin, Role, render};

const ADMIN_NOT_DISABLED: &str = "An admin cannot be disabled. Make them a member or coach first.";

struct PersonLine {
    id: String,
    email: String,
    display_name: String,
    role: Role,
    joined: String,
    /// The day, in the admin's zone ("never" before a first sign-in).
    last_active: String,
    disabled: bool,
    is_admin: bool,
    is_me: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct PeoplePage {
    layout: Layout,
    people: Vec<PersonLine>,
    roles: [Role; 3],
    search: String,
    /// The list stopped at `store::MAX_LISTED`.
    more: bool,
    error: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct Search {
    /// Part of a name or an email address.
    #[serde(default)]
    q: String,
}

/// "3 Dec 2026", in the admin's time zone.
fn day_label(at: i64, admin: &CurrentUser) -> String {
    let day = crate::clock::day_in_zone(at, &admin.time_zone);
    day.parse::<jiff::civil::Date>().map_or(day, |d| d.strftime("%-d %b %Y").to_string())
}

/// "today", "never", or the day, in the admin's time zone.
fn last_active_label(at: Option<i64>, admin: &CurrentUser) -> String {
    match at {
        None => "never".to_owned(),
        Some(at) if day_label(at, admin) == day_label(crate::clock::now(), admin) => "today".to_owned(),
        Some(at) => day_label(at, admin),
    }
}

pub async fn page(
    State(state): State<AppState>,
    layout: Layout,
    RequireAdmin(admin): RequireAdmin,
    Query(search): Query<Search>,
) -> Result<Response, AppError> {
    page_with(&state, layout, &admin, search.q, None).await
}

async fn page_with(
    state: &AppState,
    layout: Layout,
    admin: &CurrentUser,
    search: String,
    error: Option<String>,
) -> Result<Response, AppError> {
    let mut rows = store::list_people(&state.db, &search).await?;
    let more = rows.len() as i64 > store::MAX_LISTED;
    rows.truncate(store::MAX_LISTED as usize);
    let people = rows
        .into_iter()
        .map(|u| PersonLine {
            is_me: u.id == admin.id,
            joined: day_label(u.created_at, admin),
            last_active: last_active_label(u.last_active_at, admin),
            disabled: u.disabled_at.is_some(),
            is_admin: u.role == Role::Admin,
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.role,
        })
        .collect();
    render(PeoplePage { layout, people, roles: Role::ALL, search, more, error })
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    layout: Layout,
    RequireAdmin(admin): RequireAdmin,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let role = Role::parse(&form.role).ok_or_else(|| AppError::BadRequest("Unknown role.".into()))?;
    match service::set_role(&state, &id, role).await {
        Ok(()) => Ok(redirect_with_flash("/admin/users", &ROLE_CHANGED)),
        Err(AppError::Conflict(message)) => {
            page_with(&state, layout, &admin, String::new(), Some(message)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct DisabledForm {
    /// "yes" disables, "no" enables.
    #[serde(default)]
    disabled: String,
}

pub async fn change_disabled(
    State(state): State<AppState>,
    layout: Layout,
    RequireAdmin(admin): RequireAdmin,
    Path(id): Path<String>,
    Form(form): Form<DisabledForm>,
) -> Result<Response, AppError> {
    let disabled = match form.disabled.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest("Choose to disable or enable.".into())),
    };
    match store::set_disabled(&state.db, &id, disabled, crate::clock::now()).await? {
        Disabling::Done => Ok(redirect_with_flash(
            "/admin/users",
            if disabled { &ACCOUNT_DISABLED } else { &ACCOUNT_ENABLED },
        )),
        Disabling::NoSuchAccount => Err(AppError::NotFound),
        Disabling::IsAdmin => {
            let page =
                page_with(&state, layout, &admin, String::new(), Some(ADMIN_NOT_DISABLED.to_owned())).await?;
            Ok((axum::http::StatusCode::CONFLICT, page).into_response())
        }
    }
}

/// Send a member a link to choose a new password (to their address, never the admin's).
pub async fn send_reset(
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
    /// The day (UTC) of the last sign-in or request, if any.
    pub last_active_on: Option<String>,
    pub disabled: bool,
}

impl From<PersonRow> for AdminUser {
    fn from(u: PersonRow) -> Self {
        AdminUser {
            last_active_on: u.last_active_at.map(|t| crate::clock::day_in_zone(t, "UTC")),
            disabled: u.disabled_at.is_some(),
            created_at: crate::clock::rfc3339(u.created_at),
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.role,
        }
    }
}

/// Everyone with an account, or those whose name or address contains `q`
/// (admins only; at most 500).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", params(Search),
    responses((status = 200, body = [AdminUser]), (status = 403)))]
pub async fn list_users(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    Query(search): Query<Search>,
) -> Result<Json<Vec<AdminUser>>, AppError> {
    let people = store::list_people(&state.db, &search.q).await?;
    Ok(Json(people.into_iter().take(store::MAX_LISTED as usize).map(AdminUser::from).collect()))
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

#[derive(Debug, Deserialize, ToSchema)]
pub struct SetDisabledRequest {
    pub disabled: bool,
}

/// Disable an account (it is signed out everywhere at once and cannot sign
/// in) or enable it again (admins only; an admin is never disabled).
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/disabled", tag = "admin", request_body = SetDisabledRequest,
    params(("id" = String, Path, description = "User id")),
    responses((status = 204), (status = 403), (status = 404), (status = 409)))]
pub async fn set_disabled(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    Path(id): Path<String>,
    Json(body): Json<SetDisabledRequest>,
) -> Result<axum::http::StatusCode, AppError> {
    match store::set_disabled(&state.db, &id, body.disabled, crate::clock::now()).await? {
        Disabling::Done => Ok(axum::http::StatusCode::NO_CONTENT),
        Disabling::NoSuchAccount => Err(AppError::NotFound),
        Disabling::IsAdmin => Err(AppError::Conflict(ADMIN_NOT_DISABLED.to_owned())),
    }
}
