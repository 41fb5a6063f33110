//! Text the database cannot hold is refused before any handler sees it, with a
//! clear answer and nothing lost:
//!
//! - a NUL character (U+0000), which PostgreSQL cannot store in text, in a form
//!   field, a JSON string, a query parameter or a path: 422 naming the field
//!   (a path is simply not found). A form comes back as a page holding what
//!   was typed, without the character, ready to send again;
//! - a form or query that is not valid UTF-8 (which would otherwise be
//!   silently replaced with U+FFFD): 400 saying so.
//!
//! Passwords are never written back into a page.

use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::auth::MaybeUser;
use super::error::ErrorInfo;
use super::{FieldErrors, Layout};
use crate::state::AppState;

/// What a form or query holds that cannot be stored.
#[derive(Debug, PartialEq, Eq)]
pub enum Unstorable {
    /// Not valid UTF-8 once percent-decoded.
    NotUtf8,
    /// These fields hold a NUL character.
    Nul(Vec<String>),
}

/// Percent-decode one `application/x-www-form-urlencoded` component, strictly.
fn decode_component(raw: &[u8]) -> Result<String, ()> {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => match (raw.get(i + 1).copied().and_then(hex), raw.get(i + 2).copied().and_then(hex)) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ())
}

/// Decode form or query pairs strictly: every name and value must be UTF-8.
pub fn decode_pairs(raw: &[u8]) -> Result<Vec<(String, String)>, Unstorable> {
    let mut pairs = Vec::new();
    for part in raw.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (k, v) = match part.iter().position(|&b| b == b'=') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => (part, &b""[..]),
        };
        let k = decode_component(k).map_err(|_| Unstorable::NotUtf8)?;
        let v = decode_component(v).map_err(|_| Unstorable::NotUtf8)?;
        pairs.push((k, v));
    }
    Ok(pairs)
}

/// Check decoded pairs: the names of fields holding NUL, first to last.
pub fn check_pairs(pairs: &[(String, String)]) -> Result<(), Unstorable> {
    let mut fields: Vec<String> = Vec::new();
    for (k, v) in pairs {
        if (k.contains('\0') || v.contains('\0')) && !fields.contains(k) {
            fields.push(k.replace('\0', ""));
        }
    }
    if fields.is_empty() { Ok(()) } else { Err(Unstorable::Nul(fields)) }
}

/// The paths (`entry.body`, `values.2`) of JSON strings or keys holding NUL.
pub fn json_nul_paths(value: &serde_json::Value) -> Vec<String> {
    fn walk(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
        let join = |k: &str| if path.is_empty() { k.to_owned() } else { format!("{path}.{k}") };
        match v {
            serde_json::Value::String(s) if s.contains('\0') => out.push(path.to_owned()),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &join(&i.to_string()), out);
                }
            }
            serde_json::Value::Object(map) => {
                for (k, item) in map {
                    if k.contains('\0') {
                        out.push(join(&k.replace('\0', "")));
                    } else {
                        walk(item, &join(k), out);
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out
}

const NUL_MESSAGE: &str = "This holds an invisible \u{201c}null\u{201d} character that cannot be stored. \
     Remove it (it often comes from pasting) and send it again.";

fn nul_fields(fields: &[String]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for f in fields {
        errors.add(if f.is_empty() { "(body)" } else { f }, NUL_MESSAGE);
    }
    errors
}

fn refusal(status: StatusCode, message: String, fields: FieldErrors) -> Response {
    let code = if status == StatusCode::BAD_REQUEST { "not_utf8" } else { "invalid" };
    ErrorInfo { fields, ..ErrorInfo::new(status, code, message) }.json_response()
}

fn not_utf8(what: &str) -> Response {
    refusal(
        StatusCode::BAD_REQUEST,
        format!(
            "The {what} held bytes that are not valid text (UTF-8), so we did not act on it. \
             Nothing was saved. If you sent it from a form here, reload the page and try again."
        ),
        FieldErrors::new(),
    )
}

#[derive(Template)]
#[template(path = "errors/unstorable.html")]
struct ResendPage {
    layout: Layout,
    action: String,
    fields: Vec<String>,
    /// Each field to send again, without the NUL; long text shown to check.
    resend: Vec<ResendField>,
}

pub struct ResendField {
    pub name: String,
    pub value: String,
    pub shown: bool,
    pub id: String,
}

fn resend_page(
    state: &AppState,
    user: &MaybeUser,
    action: &str,
    pairs: Vec<(String, String)>,
    fields: Vec<String>,
) -> Response {
    let resend = pairs
        .into_iter()
        .filter(|(k, _)| !k.contains("password"))
        .enumerate()
        .map(|(i, (k, v))| {
            let name = k.replace('\0', "");
            let value = v.replace('\0', "");
            ResendField {
                shown: fields.contains(&name) || value.contains('\n') || value.chars().count() > 60,
                id: format!("resend-{i}"),
                name,
                value,
            }
        })
        .collect();
    let page = ResendPage {
        layout: Layout::for_state(state, user, action, None),
        action: action.to_owned(),
        fields: fields.clone(),
        resend,
    };
    match page.render() {
        Ok(body) => (StatusCode::UNPROCESSABLE_ENTITY, Html(body)).into_response(),
        Err(_) => refusal(StatusCode::UNPROCESSABLE_ENTITY, NUL_MESSAGE.into(), nul_fields(&fields)),
    }
}

fn is_json_type(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || (v.starts_with("application/") && v.ends_with("+json")))
}

fn is_content_type(request: &Request, wanted: &str) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(wanted))
}

/// The middleware: see the module comment.
pub async fn refuse_unstorable(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.contains("%00") {
        return ErrorInfo::new(StatusCode::NOT_FOUND, "not_found", "We could not find that page.")
            .json_response();
    }
    if let Some(query) = request.uri().query() {
        match decode_pairs(query.as_bytes()).and_then(|p| check_pairs(&p)) {
            Ok(()) => {}
            Err(Unstorable::NotUtf8) => return not_utf8("address"),
            Err(Unstorable::Nul(fields)) => {
                let names =
                    fields.iter().map(|f| format!("\u{201c}{f}\u{201d}")).collect::<Vec<_>>().join(", ");
                return refusal(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!(
                        "The address holds an invisible \u{201c}null\u{201d} character (in {names}) that cannot be stored. Remove it and try again."
                    ),
                    nul_fields(&fields),
                );
            }
        }
    }
    // JSON by its type (`application/json`, `application/*+json`); any other
    // body of a request that changes something is read as a form, because the
    // page handlers read their bodies as forms whatever the type says.
    let is_json = is_json_type(&request);
    let changes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let is_form = !is_json
        && changes
        && !is_content_type(&request, "multipart/form-data")
        && !is_content_type(&request, "application/octet-stream")
        && !is_content_type(&request, "application/offset+octet-stream");
    if !is_form && !is_json {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The body limit layer outside has already bounded the size.
    let bytes: Bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => {
            return ErrorInfo::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "That was more than we can accept at once.",
            )
            .json_response();
        }
    };
    if is_form {
        let pairs = match decode_pairs(&bytes) {
            Ok(p) => p,
            Err(_) => return not_utf8("form"),
        };
        if let Err(Unstorable::Nul(fields)) = check_pairs(&pairs) {
            let is_api = parts.uri.path().starts_with("/api/");
            if is_api {
                return refusal(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Some fields need another look.".into(),
                    nul_fields(&fields),
                );
            }
            let user = parts.extensions.get::<MaybeUser>().cloned().unwrap_or_default();
            let action = parts
                .uri
                .path_and_query()
                .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
            return resend_page(&state, &user, &action, pairs, fields);
        }
    } else if memchr_escape_nul(&bytes)
        && let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes)
    {
        let paths = json_nul_paths(&value);
        if !paths.is_empty() {
            return refusal(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Some fields need another look.".into(),
                nul_fields(&paths),
            );
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Whether a JSON text may hold a NUL escape (`\u0000`), before parsing it.
fn memchr_escape_nul(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == b"\\u0000")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_decoded_strictly() {
        let pairs = decode_pairs(b"title=a+b%21&body=line%0Aline&empty=").unwrap();
        assert_eq!(pairs[0], ("title".into(), "a b!".into()));
        assert_eq!(pairs[1], ("body".into(), "line\nline".into()));
        assert_eq!(pairs[2], ("empty".into(), String::new()));
        assert_eq!(decode_pairs(b"body=%C3%A9").unwrap()[0].1, "é");
        assert_eq!(decode_pairs(b"body=%FF%FE"), Err(Unstorable::NotUtf8));
        assert_eq!(decode_pairs(b"body=\xff"), Err(Unstorable::NotUtf8));
        assert_eq!(decode_pairs(b"%C3=x"), Err(Unstorable::NotUtf8));
    }

    #[test]
    fn nul_is_found_by_field() {
        let pairs = decode_pairs(b"title=ok&body=a%00b&body=c&x%00=1").unwrap();
        assert_eq!(check_pairs(&pairs), Err(Unstorable::Nul(vec!["body".into(), "x".into()])));
        assert_eq!(check_pairs(&decode_pairs(b"title=fine&body=also+fine").unwrap()), Ok(()));
    }

    #[test]
    fn nul_is_found_in_json_at_any_depth() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"title":"ok","entry":{"body":"a\u0000b"},"values":[1,"\u0000"],"k\u0000":1}"#,
        )
        .unwrap();
        let mut paths = json_nul_paths(&v);
        paths.sort();
        assert_eq!(paths, ["entry.body", "k", "values.1"]);
        assert!(memchr_escape_nul(br#"{"a":"\u0000"}"#));
        assert!(json_nul_paths(&serde_json::json!({"a": "\\u0000 written out"})).is_empty());
    }
}
