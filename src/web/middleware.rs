//! Middleware every response passes through: request logging and metrics,
//! security headers, and turning errors into HTML pages or JSON.

use std::time::Instant;

use askama::Template;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tower_http::csrf::ProtectionError;
use tracing::Instrument;

use super::auth::MaybeUser;
use super::error::ErrorInfo;
use super::flash::{FLASH_COOKIE, UNDO_COOKIE};
use super::layout::Layout;
use crate::state::AppState;

/// How a route is named in logs and metrics. Together's routes share one
/// name, so an operator's graphs do not show what two partners do.
pub fn route_label(route: &str) -> &str {
    if route.starts_with("/together") || route.starts_with("/api/v1/together") { "(private)" } else { route }
}

/// One log line per request, with a request id and the matched route (never
/// the query string, a body, or a header value), plus Prometheus metrics.
pub async fn log_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let request_id = uuid::Uuid::now_v7().simple().to_string();
    let span = tracing::info_span!("request", id = %request_id, %method, route = tracing::field::Empty);
    let mut response = next.run(request).instrument(span.clone()).await;
    let route = response
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |m| route_label(m.as_str()).to_owned());
    span.record("route", route.as_str());
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    tracing::info!(
        parent: &span,
        status,
        ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    let labels = [("method", method.to_string()), ("route", route), ("status", status.to_string())];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels[..2]).record(elapsed.as_secs_f64());
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// Inside the router: hands the matched route to `log_requests`, which runs
/// outside it (on the response, since the request has gone by then).
pub async fn note_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
    media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// Security headers on every response; nothing but static files may be cached.
pub async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    if !state.config.trust_forwarded_for && request.headers().contains_key("x-forwarded-for") {
        warn_once_about_proxy();
    }
    let mut response = next.run(request).await;
    let failed = response.status().is_client_error() || response.status().is_server_error();
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        if !headers.contains_key(name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set("content-security-policy", CONTENT_SECURITY_POLICY);
    set("x-content-type-options", "nosniff");
    set("referrer-policy", "no-referrer");
    set("x-frame-options", "DENY");
    set("cross-origin-opener-policy", "same-origin");
    set("cross-origin-resource-policy", "same-origin");
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), \
         browsing-topics=()",
    );
    // A static file may be kept; what is not one (a 404 under /static/) may not.
    if !is_static || failed {
        set("cache-control", "no-store");
    }
    if state.config.serves_https() {
        set("strict-transport-security", "max-age=63072000");
        super::cookies::mark_secure(&mut response);
    }
    response
}

/// Behind a reverse proxy with `trust_forwarded_for` off, every client seems to
/// come from the proxy's address: sign-in counts would be shared by everyone.
fn warn_once_about_proxy() {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            "requests arrive with X-Forwarded-For but trust_forwarded_for is off, so every client \
             behind the proxy shares one address for sign-in throttling; behind your own reverse \
             proxy set trust_forwarded_for = true (SECUREBASE_TRUST_FORWARDED_FOR=true)"
        );
    }
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    /// The error's code; "unverified" offers a new confirmation link.
    code: &'static str,
    title: &'static str,
    message: String,
}

/// Turn an error response into an HTML page for people, or JSON for the API.
pub async fn render_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let path_and_query =
        request.uri().path_and_query().map_or_else(|| path.clone(), |p| p.as_str().to_owned());
    let method = request.method().clone();
    let user = request.extensions().get::<MaybeUser>().cloned().unwrap_or_default();
    let response = next.run(request).await;

    if response.extensions().get::<super::error::AnswerAsIs>().is_some() {
        return response;
    }
    let info = if let Some(info) = response.extensions().get::<ErrorInfo>() {
        info.clone()
    } else if response.extensions().get::<ProtectionError>().is_some() {
        ErrorInfo::new(
            StatusCode::FORBIDDEN,
            "cross_site_request",
            "This form was sent from another site, so we did not act on it. \
             If you sent it yourself, go back, reload the page and try again.",
        )
    } else if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        ErrorInfo::new(response.status(), "method_not_allowed", "That action is not available here.")
    } else if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ErrorInfo::new(response.status(), "too_large", "That was more than we can accept at once.")
    } else if response.status().is_client_error()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"))
    {
        // Axum's own extractor rejections (malformed form or JSON bodies).
        ErrorInfo::new(response.status(), "bad_request", "We could not read what was sent.")
    } else {
        return response;
    };

    // Machine endpoints answer in JSON and never redirect to the sign-in page.
    let is_api = path.starts_with("/api/") || path == "/metrics";
    if is_api {
        let mut json = info.json_response();
        copy_retry_after(&response, &mut json);
        return json;
    }
    if info.status == StatusCode::UNAUTHORIZED {
        let next_path = if method == Method::GET { path_and_query } else { path };
        let target = format!("/signin?next={}", encode_component(&next_path));
        return Redirect::to(&target).into_response();
    }
    let page = ErrorPage {
        layout: Layout::for_state(&state, &user, &path, None),
        status: info.status.as_u16(),
        code: info.code,
        title: match info.status.as_u16() {
            _ if info.code == "unverified" => "Please confirm your email address first",
            400 => "That request did not make sense to us",
            403 => "This is not open to you",
            404 => "Page not found",
            422 => "Some details need another look",
            429 => "Please slow down a little",
            503 => "Busy for a moment",
            500.. => "Something went wrong",
            _ => "That did not work",
        },
        message: info.message.clone(),
    };
    let body = page.render().unwrap_or_else(|_| super::escape(&info.message));
    let mut html = (info.status, Html(body)).into_response();
    copy_retry_after(&response, &mut html);
    html
}

fn copy_retry_after(from: &Response, to: &mut Response) {
    if let Some(v) = from.headers().get(header::RETRY_AFTER) {
        to.headers_mut().insert(header::RETRY_AFTER, v.clone());
    }
}

/// Clear a one-off message once a page has shown it.
pub async fn clear_flash(request: Request, next: Next) -> Response {
    let had_flash = super::auth::cookie(request.headers(), FLASH_COOKIE).is_some();
    let mut response = next.run(request).await;
    if had_flash
        && !response.status().is_redirection()
        && !response.headers().contains_key(header::SET_COOKIE)
    {
        super::cookies::append(&mut response, &super::cookies::clear_cookie(FLASH_COOKIE));
        super::cookies::append(&mut response, &super::cookies::clear_cookie(UNDO_COOKIE));
    }
    response
}

/// Percent-encode a query-string component.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One part of the layer stack behind an `Arc`. A `from_fn` layer clones
/// everything beneath it for every request (and so does the router holding
/// the stack), so a stack of plain layers cost reference counts in
/// proportion to its depth squared, each one a cache line passed between
/// the worker threads: about a tenth of a cached public page's time in a
/// profile. Put between the layers, each clone is one count.
pub struct SharedStack<S>(std::sync::Arc<S>);

/// A layer whose service is kept behind a [`SharedStack`]: in a
/// `ServiceBuilder`, `.layer(SharedLayer(layer))` for each layer.
#[derive(Clone)]
pub struct SharedLayer<L>(pub L);

impl<L: tower::Layer<S>, S> tower::Layer<S> for SharedLayer<L> {
    type Service = SharedStack<L::Service>;

    fn layer(&self, inner: S) -> Self::Service {
        SharedStack::new(self.0.layer(inner))
    }
}

impl<S> SharedStack<S> {
    pub fn new(inner: S) -> Self {
        SharedStack(std::sync::Arc::new(inner))
    }
}

impl<S> Clone for SharedStack<S> {
    fn clone(&self) -> Self {
        SharedStack(self.0.clone())
    }
}

impl<S, R> tower::Service<R> for SharedStack<S>
where
    S: tower::Service<R> + Clone,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = tower::util::Oneshot<S, R>;

    /// Ready always: the copy that serves a request waits for its own
    /// readiness (as axum's routes do).
    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), S::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: R) -> Self::Future {
        tower::ServiceExt::oneshot(S::clone(&self.0), request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_components() {
        assert_eq!(encode_component("/settings?tab=a&b"), "/settings%3Ftab%3Da%26b");
    }

    #[test]
    fn together_routes_share_one_name_in_logs_and_metrics() {
        assert_eq!(route_label("/together/shares/{id}"), "(private)");
        assert_eq!(route_label("/api/v1/together/needs"), "(private)");
        assert_eq!(route_label("/practice/journal"), "/practice/journal");
    }
}
