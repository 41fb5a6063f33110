//! Public pages kept for visitors (`crate::cache`): a visitor's page holds
//! nothing of anyone (the header only offers to sign in), so one copy serves
//! every visitor until it expires or this instance saves what it shows.
//! A signed-in person, or one with a message waiting (a flash), always gets a
//! fresh page.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::MaybeUser;
use super::auth::cookie;
use super::flash::FLASH_COOKIE;
use crate::cache::{CachedPage, MAX_BODY};
use crate::state::AppState;

/// Marks the copies served from the cache (for the operator and the tests).
pub const CACHE_HEADER: &str = "x-securebase-cache";

/// The middleware for the routes a feature lists as public pages.
pub async fn keep_for_visitors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let for_a_visitor = request.method() == Method::GET
        && state.public_pages.enabled()
        && request.extensions().get::<MaybeUser>().is_some_and(|u| u.0.is_none())
        && cookie(request.headers(), FLASH_COOKIE).is_none();
    if !for_a_visitor {
        return next.run(request).await;
    }
    let key =
        request.uri().path_and_query().map_or_else(|| request.uri().path().to_owned(), |p| p.to_string());
    if let Some(page) = state.public_pages.get(&key) {
        let mut response = Response::new(Body::from(page.body));
        *response.headers_mut() = page.headers;
        response.headers_mut().insert(CACHE_HEADER, header::HeaderValue::from_static("hit"));
        return response;
    }
    let generation = state.public_pages.generation();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, MAX_BODY * 8).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if body.len() <= MAX_BODY {
        state.public_pages.put(
            key,
            generation,
            CachedPage { headers: parts.headers.clone(), body: body.clone() },
        );
    }
    Response::from_parts(parts, Body::from(body))
}
