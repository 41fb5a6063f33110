//! Get started: a few questions, and a plan made from the answers (kept in a
//! cookie for a visitor, with the account once they sign in).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::start::{self, StartAnswers, StartPlan};
use super::store;
use crate::state::AppState;
use crate::web::auth::cookie;
use crate::web::cookies;
use crate::web::forms::form_pairs;
use crate::web::{AppError, FieldErrors, Layout, MaybeUser, SessionChange, render, render_with_status};

pub const START_COOKIE: &str = "sb_start";

// ---- get started -------------------------------------------------------------------

pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

fn choices(options: &'static [(&'static str, &'static str)], chosen: &[&str]) -> Vec<Choice> {
    options.iter().map(|(value, label)| Choice { value, label, checked: chosen.contains(value) }).collect()
}

#[derive(Template)]
#[template(path = "learn/start.html")]
struct StartPage {
    layout: Layout,
    paths: Vec<Choice>,
    company: Vec<Choice>,
    reasons: Vec<Choice>,
    afraid: bool,
    errors: FieldErrors,
    retaking: bool,
}

impl StartPage {
    fn new(layout: Layout, a: Option<&StartAnswers>, errors: FieldErrors) -> Self {
        let reasons: Vec<&str> =
            a.map(|a| a.reasons.iter().map(String::as_str).collect()).unwrap_or_default();
        StartPage {
            layout,
            paths: choices(start::PATHS, &[a.map_or("", |a| a.path.as_str())]),
            company: choices(start::COMPANY, &[a.map_or("", |a| a.company.as_str())]),
            reasons: choices(start::REASONS, &reasons),
            afraid: a.is_some_and(|a| a.afraid),
            errors,
            retaking: a.is_some(),
        }
    }
}

/// The answers on record: the member's saved ones, or a visitor's cookie.
pub async fn current_answers(
    state: &AppState,
    user: &MaybeUser,
    headers: &HeaderMap,
) -> Result<Option<StartAnswers>, AppError> {
    if let Some(u) = &user.0
        && let Some(saved) = store::start_answers(&state.db, &u.id).await?
    {
        return Ok(StartAnswers::decode(&saved));
    }
    Ok(cookie(headers, START_COOKIE).and_then(StartAnswers::decode))
}

pub async fn start_page(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let answers = current_answers(&state, &user, &headers).await?;
    render(StartPage::new(layout, answers.as_ref(), FieldErrors::new()))
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    path: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    reasons: Vec<String>,
    #[serde(default)]
    afraid: Option<String>,
}

pub async fn start_submit(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    // Checkbox groups repeat a name, which serde_urlencoded's maps cannot hold.
    let form = parse_start_form(&body);
    let answers = StartAnswers {
        path: form.path,
        company: form.company,
        reasons: form.reasons,
        afraid: form.afraid.is_some(),
    };
    if let Err(errors) = answers.validate() {
        let page = StartPage::new(layout, Some(&answers), errors);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, StartPage { retaking: false, ..page });
    }
    let mut response = Redirect::to("/start/plan").into_response();
    match &user.0 {
        Some(u) => store::save_start_answers(&state.db, &u.id, &answers.encode()).await?,
        None => {
            // A visitor's answers last only as long as the browser session: on a
            // shared device they must not be read back to the next person.
            cookies::append(&mut response, &cookies::set_cookie(START_COOKIE, &answers.encode(), None));
        }
    }
    Ok(response)
}

fn parse_start_form(body: &[u8]) -> StartForm {
    let mut form =
        StartForm { path: String::new(), company: String::new(), reasons: Vec::new(), afraid: None };
    for (k, v) in form_pairs(body) {
        match k.as_str() {
            "path" => form.path = v,
            "company" => form.company = v,
            "reasons" => form.reasons.push(v),
            "afraid" => form.afraid = Some(v),
            _ => {}
        }
    }
    form
}

#[derive(Template)]
#[template(path = "learn/start_plan.html")]
struct PlanPage {
    layout: Layout,
    plan: StartPlan,
    signed_in: bool,
}

pub async fn start_plan(
    State(state): State<AppState>,
    layout: Layout,
    user: MaybeUser,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(answers) = current_answers(&state, &user, &headers).await? else {
        return Ok(Redirect::to("/start").into_response());
    };
    render(PlanPage { layout, plan: start::plan(&answers), signed_in: user.0.is_some() })
}

/// Follow sign-up, sign-in and sign-out (`SessionChange`, set by accounts): a
/// visitor's answers in this browser move to a new account, and are dropped
/// from the browser in every case. At sign-in they are not adopted: on a
/// shared device they may be someone else's.
pub async fn follow_session_changes(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let had_answers = cookie(request.headers(), START_COOKIE).map(str::to_owned);
    let mut response = next.run(request).await;
    let Some(change) = response.extensions().get::<SessionChange>().cloned() else {
        return response;
    };
    let Some(saved) = had_answers else {
        return response;
    };
    if let SessionChange::SignedUp { user_id: Some(user_id) } = &change
        && let Some(a) = StartAnswers::decode(&saved)
        && let Err(e) = store::save_start_answers(&state.db, user_id, &a.encode()).await
    {
        tracing::error!(error = %e, "could not keep get-started answers on the new account");
    }
    cookies::append(&mut response, &clear_start_cookie());
    response
}

pub fn clear_start_cookie() -> String {
    cookies::clear_cookie(START_COOKIE)
}
