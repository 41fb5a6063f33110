//! What every page shares: errors, the signed-in user, the layout, forms,
//! security headers and request logging.

pub mod assets;
pub mod auth;
pub mod carry;
pub mod client;
pub mod confirm;
pub mod cookies;
pub mod error;
pub mod flash;
pub mod forms;
pub mod kept_pages;
pub mod layout;
pub mod member_data;
pub mod member_search;
pub mod middleware;
pub mod page_cache;
pub mod text_input;

pub use auth::{CurrentUser, MaybeUser, RequireAdmin, RequireStaff, Role, SessionChange};
pub use error::{AppError, FieldErrors, OnUnique, plain_answer};
pub use flash::{Flash, redirect_with_flash};
pub use kept_pages::{kept_or_drawn, render_kept};
pub use layout::{Layout, render, render_with_status};

/// Escape text for HTML or SVG markup written by hand (templates escape on their own).
pub fn escape(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
