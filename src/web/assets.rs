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
    pub body: &'static [u8],
}

pub const JS: &str = "text/javascript; charset=utf-8";
pub const CSS: &str = "text/css; charset=utf-8";
pub const SVG: &str = "image/svg+xml";
pub const WOFF2: &str = "font/woff2";

/// The stylesheet, quick exit and the icon: on every page.
pub const SHARED: &[Asset] = &[
    Asset { name: "site.css", content_type: CSS, body: include_bytes!("../../static/site.css") },
    Asset { name: "quick-exit.js", content_type: JS, body: include_bytes!("../../static/quick-exit.js") },
    Asset { name: "icon.svg", content_type: SVG, body: include_bytes!("../../static/icon.svg") },
    // The type: subsets of Atkinson Hyperlegible (reading) and Source Serif 4
    // (headings), renamed Securebase Sans and Serif as the SIL Open Font
    // Licence asks of modified versions (licences beside them in static/fonts).
    // Other characters fall back to the system font (`unicode-range` in site.css).
    Asset {
        name: "fonts/securebase-sans-400.woff2",
        content_type: WOFF2,
        body: include_bytes!("../../static/fonts/securebase-sans-400.woff2"),
    },
    Asset {
        name: "fonts/securebase-sans-700.woff2",
        content_type: WOFF2,
        body: include_bytes!("../../static/fonts/securebase-sans-700.woff2"),
    },
    Asset {
        name: "fonts/securebase-serif-600.woff2",
        content_type: WOFF2,
        body: include_bytes!("../../static/fonts/securebase-serif-600.woff2"),
    },
];

impl Asset {
    fn response(&'static self) -> Response {
        let mut response = axum::body::Body::from(self.body).into_response();
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
