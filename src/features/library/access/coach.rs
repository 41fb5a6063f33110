//! The coach's access page: grant, extend and revoke memberships; make and
//! revoke invite codes.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::rules::{self, days_field};
use super::store::{self, BY_COACH, CodeRow, Grant, MemberAccess, NewCode};
use crate::features::library::{ACCESS_GRANTED, ACCESS_REVOKED, CODE_MADE, CODE_REVOKED};
use crate::state::AppState;
use crate::web::{AppError, FieldErrors, Layout, RequireStaff, redirect_with_flash, render_with_status};

const PAGE: &str = "/coach/library/access";

#[derive(Default, Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    days: String,
}

#[derive(Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    uses: String,
    #[serde(default)]
    valid_days: String,
    #[serde(default)]
    grant_days: String,
}

#[derive(Deserialize)]
pub struct ExtendForm {
    #[serde(default)]
    days: String,
}

pub struct MemberLine {
    pub id: String,
    pub display_name: String,
    pub email: String,
    pub state: String,
    pub active: bool,
}

pub struct CodeLine {
    pub row: CodeRow,
    pub state: String,
    pub usable: bool,
}

#[derive(Template)]
#[template(path = "library/coach_access.html")]
struct AccessPage {
    layout: Layout,
    members: Vec<MemberLine>,
    codes: Vec<CodeLine>,
    grant: GrantForm,
    grant_errors: FieldErrors,
    code: CodeForm,
    code_errors: FieldErrors,
}

fn member_line(m: MemberAccess, now: i64, zone: &str) -> MemberLine {
    let day = |t: i64| crate::clock::day_in_zone(t, zone);
    let active = m.revoked_at.is_none() && m.expires_at.is_none_or(|e| e > now);
    let how = match m.source.as_deref() {
        Some(store::BY_CODE) => "from a code",
        Some(store::BY_PAYMENT) => "paid",
        _ => "granted by a coach",
    };
    let state = match (m.revoked_at, m.expires_at) {
        (Some(r), _) => format!("Revoked on {}", day(r)),
        (None, Some(e)) if e <= now => format!("Ended on {}", day(e)),
        (None, Some(e)) => format!("Until {} ({how})", day(e)),
        (None, None) => format!("No end date ({how})"),
    };
    MemberLine { id: m.id, display_name: m.display_name, email: m.email, state, active }
}

fn code_line(row: CodeRow, now: i64, zone: &str) -> CodeLine {
    let usable = row.revoked_at.is_none() && row.expires_at > now && row.uses_left > 0;
    let state = if row.revoked_at.is_some() {
        "Revoked".to_owned()
    } else if row.uses_left == 0 {
        "Used up".to_owned()
    } else if row.expires_at <= now {
        "Past its date".to_owned()
    } else {
        format!(
            "{} of {} uses left · works until {}",
            row.uses_left,
            row.uses_total,
            crate::clock::day_in_zone(row.expires_at, zone)
        )
    };
    CodeLine { row, state, usable }
}

async fn page(
    state: &AppState,
    layout: Layout,
    zone: &str,
    grant: GrantForm,
    grant_errors: FieldErrors,
    code: CodeForm,
    code_errors: FieldErrors,
) -> Result<AccessPage, AppError> {
    let now = crate::clock::now();
    let members =
        store::memberships(&state.db).await?.into_iter().map(|m| member_line(m, now, zone)).collect();
    let codes = store::codes(&state.db).await?.into_iter().map(|c| code_line(c, now, zone)).collect();
    Ok(AccessPage { layout, members, codes, grant, grant_errors, code, code_errors })
}

pub async fn access(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(coach): RequireStaff,
) -> Result<Response, AppError> {
    let page = page(
        &state,
        layout,
        &coach.time_zone,
        GrantForm::default(),
        FieldErrors::new(),
        CodeForm::default(),
        FieldErrors::new(),
    )
    .await?;
    render_with_status(StatusCode::OK, page)
}

pub async fn grant(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(coach): RequireStaff,
    Form(form): Form<GrantForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::new();
    let days = days_field(&mut errors, "days", &form.days, 3660, true);
    let email = form.email.trim().to_lowercase();
    let member = if email.is_empty() {
        errors.add("email", "Give the member's address.");
        None
    } else {
        let found = store::account_by_email(&state.db, &email).await?;
        if found.is_none() {
            errors.add(
                "email",
                "No account uses this address. Ask them to create one first, or give them a code.",
            );
        }
        found
    };
    if let (Some(member_id), true) = (member, errors.is_empty()) {
        let now = crate::clock::now();
        let expires_at = days.map(|d| now + d * 86_400);
        let g = Grant {
            member_id: &member_id,
            source: BY_COACH,
            expires_at,
            customer_ref: None,
            subscription_ref: None,
            now,
        };
        store::grant(&state.db.pool, g).await?;
        return Ok(redirect_with_flash(PAGE, &ACCESS_GRANTED));
    }
    let page =
        page(&state, layout, &coach.time_zone, form, errors, CodeForm::default(), FieldErrors::new()).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
}

pub async fn extend(
    State(state): State<AppState>,
    RequireStaff(_): RequireStaff,
    Path(member_id): Path<String>,
    Form(form): Form<ExtendForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::new();
    let days = days_field(&mut errors, "days", &form.days, 3660, false);
    errors.into_result()?;
    let Some(current) = store::membership(&state.db, &member_id).await? else {
        return Err(AppError::NotFound);
    };
    let now = crate::clock::now();
    let from = if current.is_active(now) { current.expires_at } else { Some(now) };
    let expires_at = rules::extended(from, days.unwrap_or(0), now);
    let g = Grant {
        member_id: &member_id,
        source: &current.source,
        expires_at,
        customer_ref: None,
        subscription_ref: None,
        now,
    };
    store::grant(&state.db.pool, g).await?;
    Ok(redirect_with_flash(PAGE, &ACCESS_GRANTED))
}

pub async fn revoke(
    State(state): State<AppState>,
    RequireStaff(_): RequireStaff,
    Path(member_id): Path<String>,
) -> Result<Response, AppError> {
    if !store::revoke(&state.db, &member_id, crate::clock::now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(redirect_with_flash(PAGE, &ACCESS_REVOKED))
}

pub async fn make_code(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(coach): RequireStaff,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::new();
    let label = form.label.trim();
    if label.chars().count() > 80 {
        errors.add("label", "Keep the label under 80 characters.");
    }
    let uses = match form.uses.trim().parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => n,
        _ => {
            errors.add("uses", "Give a whole number of uses from 1 to 10000.");
            0
        }
    };
    let valid_days = days_field(&mut errors, "valid_days", &form.valid_days, 3660, false);
    let grant_days = days_field(&mut errors, "grant_days", &form.grant_days, 3660, true);
    if let (true, Some(valid_days)) = (errors.is_empty(), valid_days) {
        let now = crate::clock::now();
        let code = rules::new_code();
        let new =
            NewCode { code: &code, label, uses, grant_days, expires_at: now + valid_days * 86_400, now };
        store::insert_code(&state.db, new).await?;
        return Ok(redirect_with_flash(PAGE, &CODE_MADE));
    }
    let page = page(&state, layout, &coach.time_zone, GrantForm::default(), FieldErrors::new(), form, errors)
        .await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
}

pub async fn revoke_code(
    State(state): State<AppState>,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if !store::revoke_code(&state.db, &id, crate::clock::now()).await? {
        return Err(AppError::NotFound);
    }
    Ok(redirect_with_flash(PAGE, &CODE_REVOKED))
}
