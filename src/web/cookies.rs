//! Every cookie Securebase sets is written here: `Path=/`, `HttpOnly` and
//! `SameSite=Lax` always, and `Secure` on every one of them when the instance
//! is served over https (added to each `Set-Cookie` on its way out, so no
//! cookie can be written without it).

use axum::http::{HeaderValue, header};
use axum::response::Response;

/// A `Set-Cookie` value. `max_age` None lasts as long as the browser session.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>) -> String {
    match max_age {
        Some(seconds) => format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={seconds}"),
        None => format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax"),
    }
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear_cookie(name: &str) -> String {
    set_cookie(name, "", Some(0))
}

/// Add a `Set-Cookie` to a response (a value that is not a valid header is dropped).
pub fn append(response: &mut Response, set_cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(set_cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The same response with one more cookie.
pub fn with_cookie(mut response: Response, set_cookie: &str) -> Response {
    append(&mut response, set_cookie);
    response
}

/// Over https, every cookie is `Secure` (`security_headers` calls this).
pub fn mark_secure(response: &mut Response) {
    let headers = response.headers_mut();
    let values: Vec<HeaderValue> = headers.get_all(header::SET_COOKIE).iter().cloned().collect();
    if values.is_empty() {
        return;
    }
    headers.remove(header::SET_COOKIE);
    for v in values {
        let secured = match v.to_str() {
            Ok(s) if !has_secure(s) => HeaderValue::from_str(&format!("{s}; Secure")).unwrap_or(v),
            _ => v,
        };
        headers.append(header::SET_COOKIE, secured);
    }
}

fn has_secure(set_cookie: &str) -> bool {
    set_cookie.split(';').skip(1).any(|a| a.trim().eq_ignore_ascii_case("secure"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cookie_is_http_only_and_same_site_and_secure_over_https() {
        let c = set_cookie("sb_flash", "saved", Some(60));
        assert_eq!(c, "sb_flash=saved; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
        assert_eq!(clear_cookie("x"), "x=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
        assert!(!set_cookie("a", "b", None).contains("Max-Age"));
        let mut r = Response::new(axum::body::Body::empty());
        append(&mut r, &c);
        append(&mut r, "__Host-s=1; Path=/; Secure; HttpOnly");
        mark_secure(&mut r);
        let all: Vec<&str> =
            r.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap()).collect();
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|c| c.matches("Secure").count() == 1), "{all:?}");
    }
}
