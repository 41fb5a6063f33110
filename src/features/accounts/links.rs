//! The page a link from a mail opens. Opening it changes nothing (mail
//! scanners open links too); the button on it does.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use crate::web::{AppError, Layout, render, render_with_status};

#[derive(Template)]
#[template(path = "accounts/link.html")]
struct LinkPage {
    layout: Layout,
    title: &'static str,
    lead: &'static str,
    /// The button's words; the form posts back to the same address.
    button: &'static str,
    action: String,
}

#[derive(Template)]
#[template(path = "accounts/link_spent.html")]
struct SpentPage {
    layout: Layout,
    next_step: &'static str,
    next_url: &'static str,
}

/// What to do when a link works: say what the button does.
pub fn confirm(
    layout: Layout,
    title: &'static str,
    lead: &'static str,
    button: &'static str,
    action: String,
) -> Result<Response, AppError> {
    render(LinkPage { layout, title, lead, button, action })
}

/// A link that has expired or was used: 410, and where to go instead.
pub fn spent(layout: Layout, next_step: &'static str, next_url: &'static str) -> Result<Response, AppError> {
    render_with_status(StatusCode::GONE, SpentPage { layout, next_step, next_url })
}
