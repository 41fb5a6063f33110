//! Files served under `/static/`, embedded in the binary. Each feature
//! declares the files its pages use and serves them from its own router;
//! the ones every page needs are here.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub struct Asset {
    /// The file name under `/static/`.
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static str,
}

pub const JS: &str = "text/javascript; charset=utf-8";
pub const CSS: &str = "text/css; charset=utf-8";
pub const SVG: &str = "image/svg+xml";

/// The stylesheet, quick exit and the icon: on every page.
pub const SHARED: &[Asset] = &[
    Asset { name: "site.css", content_type: CSS, body: include_str!("../../static/site.css") },
    Asset { name: "quick-exit.js", content_type: JS, body: include_str!("../../static/quick-exit.js") },
    Asset { name: "icon.svg", content_type: SVG, body: include_str!("../../static/icon.svg") },
];

impl Asset {
    fn response(&'static self) -> Response {
        let mut response = self.body.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
        response
    }
}

/// A route for each file, at `/static/<name>`.
pub fn routes<S: Clone + Send + Sync + 'static>(assets: &'static [Asset]) -> Router<S> {
    assets.iter().fold(Router::new(), |router, asset| {
        router.route(&format!("/static/{}", asset.name), get(move || async move { asset.response() }))
    })
}
