//! Signing in and out, and quick exit.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::service::{self, SignInError};
use super::signup::{BUSY, with_retry_after};
use super::{SIGNED_OUT, device, sessions, store};
use crate::state::AppState;
use crate::web::carry::{Carried, Keepers};
use crate::web::client::ClientInfo;
use crate::web::cookies::with_cookie;
use crate::web::flash::SIGNED_IN;
use crate::web::forms::{form_pairs, safe_next};
use crate::web::redirect_with_flash;
use crate::web::{AppError, CurrentUser, FieldErrors, Layout, SessionChange, render, render_with_status};

// ---- sign in / out ---------------------------------------------------------

#[derive(Template)]
#[template(path = "accounts/signin.html")]
struct SignInPage {
    layout: Layout,
    email: String,
    next: String,
    errors: FieldErrors,
    notice: Option<String>,
    /// Writing that arrived after the session ended, carried through sign-in.
    carried: Option<Carried>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in form: email, password, where to go next, and any carried writing.
struct SignInForm {
    email: String,
    password: String,
    next: Option<String>,
    carried: Option<Carried>,
}

impl SignInForm {
    fn read(body: &[u8]) -> Self {
        let pairs = form_pairs(body);
        let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        SignInForm {
            email: get("email").unwrap_or_default(),
            password: get("password").unwrap_or_default(),
            next: get("next"),
            carried: Carried::from_pairs(&pairs),
        }
    }
}

pub async fn sign_in_page(
    layout: Layout,
    user: crate::web::MaybeUser,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(q.next.as_deref());
    if user.0.is_some() {
        return Ok(axum::response::Redirect::to(&next).into_response());
    }
    let notice = (next != "/").then(|| "Please sign in to continue.".to_owned());
    render(SignInPage {
        layout,
        email: String::new(),
        next,
        errors: FieldErrors::new(),
        notice,
        carried: None,
    })
}

/// The sign-in page shown instead of saving, when writing arrives after the
/// session ended: the text rides along in the form and is handed to its
/// feature's keeper once the member has signed in again.
pub fn sign_in_to_keep(layout: Layout, carried: Carried) -> Result<Response, AppError> {
    let page = SignInPage {
        layout,
        email: String::new(),
        next: "/".into(),
        errors: FieldErrors::new(),
        notice: Some(
            "You were signed out while you were writing. Your text is safe: sign in again and it will be waiting for you."
                .into(),
        ),
        carried: Some(carried),
    };
    render_with_status(StatusCode::UNAUTHORIZED, page)
}

pub async fn sign_in(
    State(state): State<AppState>,
    layout: Layout,
    client: ClientInfo,
    headers: axum::http::HeaderMap,
    keepers: Option<Extension<Keepers>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let form = SignInForm::read(&body);
    let next = safe_next(form.next.as_deref());
    let failed =
        |errors: FieldErrors, notice: Option<String>, status: StatusCode, retry_after: Option<i64>| {
            let page = SignInPage {
                layout: layout.clone(),
                email: form.email.clone(),
                next: next.clone(),
                errors,
                notice,
                carried: form.carried.clone(),
            };
            Ok::<_, AppError>(with_retry_after(render_with_status(status, page)?, retry_after))
        };
    let known = device::from_headers(&headers, state.config.serves_https());
    match service::sign_in(&state, &form.email, &form.password, &client, known).await {
        Ok(signed_in) => {
            // Writing that arrived after the session ended goes to the feature it
            // came from, which keeps it (or shows it back with its problem named).
            let keeper = form.carried.as_ref().and_then(|c| keepers.as_ref()?.find(&c.kind).copied());
            let mut response = match (keeper, form.carried) {
                (Some(keeper), Some(carried)) => {
                    (keeper.keep)(state.clone(), signed_in.current_user(), carried).await?
                }
                _ => redirect_with_flash(&next, &SIGNED_IN),
            };
            for cookie in &signed_in.cookies {
                response = with_cookie(response, cookie);
            }
            Ok(SessionChange::SignedIn { user_id: signed_in.user.id.clone() }.mark(response))
        }
        Err(SignInError::Mismatch) => {
            let mut errors = FieldErrors::new();
            errors.add("password", service::MISMATCH);
            failed(errors, None, StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        Err(SignInError::Throttled(seconds)) => failed(
            FieldErrors::new(),
            Some(service::throttled_message(seconds)),
            StatusCode::TOO_MANY_REQUESTS,
            Some(seconds),
        ),
        Err(SignInError::Busy) => failed(
            FieldErrors::new(),
            Some(BUSY.to_owned()),
            StatusCode::SERVICE_UNAVAILABLE,
            Some(crate::passwords::BUSY_RETRY_AFTER),
        ),
        Err(SignInError::Disabled) => failed(
            FieldErrors::new(),
            Some(service::DISABLED.to_owned()),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ),
        Err(SignInError::Internal(e)) => Err(e),
    }
}

pub async fn sign_out(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    service::sign_out(&state, &user).await?;
    let mut response = redirect_with_flash("/", &SIGNED_OUT);
    let secure = state.config.serves_https();
    response = with_cookie(response, &sessions::clear_cookie_value(secure));
    // Leaves the browser holding nothing of this visit.
    response.headers_mut().insert("clear-site-data", HeaderValue::from_static("\"cache\", \"storage\""));
    Ok(SessionChange::SignedOut.mark(response))
}

// ---- quick exit ----------------------------------------------------------------

/// Quick exit without JavaScript: end this browser's session (on a shared
/// device the next person must not find it open), forget what the browser
/// holds (learn drops a visitor's answers on `SignedOut`), leave for the
/// neutral site.
pub async fn quick_exit(
    State(state): State<AppState>,
    user: crate::web::MaybeUser,
) -> Result<Response, AppError> {
    if let Some(u) = &user.0 {
        service::sign_out(&state, u).await?;
    }
    let response = axum::response::Redirect::to(&state.config.quick_exit_url).into_response();
    let response = with_cookie(response, &sessions::clear_cookie_value(state.config.serves_https()));
    Ok(SessionChange::SignedOut.mark(response))
}

/// The beacon `quick-exit.js` sends as the page leaves for the neutral site.
/// The session ends two seconds later, so the journal's last draft save, sent
/// as the page goes, still lands.
pub async fn quick_exit_beacon(State(state): State<AppState>, user: crate::web::MaybeUser) -> Response {
    if let Some(u) = user.0 {
        let db = state.db.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            if let Err(e) = store::delete_session(&db, &u.id, &u.session_id).await {
                tracing::warn!(error = %e, "quick exit could not end the session");
            }
        });
    }
    // The cookie stays until then too (the draft save carries it); the ended
    // session's cookie is cleared by the next request that brings it.
    SessionChange::SignedOut.mark(StatusCode::NO_CONTENT.into_response())
}
