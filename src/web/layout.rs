//! The page shell: what every template gets (the instance's name, who is signed
//! in, a one-off message), and the one place a template becomes a response.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};

use super::AppError;
use super::auth::{MaybeUser, Role, cookie};
use super::flash::{FLASH_COOKIE, FlashMessages, UNDO_COOKIE};
use crate::state::AppState;

/// The signed-in person as the navigation needs them.
#[derive(Debug, Clone)]
pub struct NavUser {
    pub display_name: String,
    pub role: Role,
    /// Notices not read yet (the header shows the number).
    pub unread_notices: i64,
    /// Linked with a partner: item pages offer to share, and guides point to Together.
    pub partner_linked: bool,
}

impl NavUser {
    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub instance_name: String,
    pub user: Option<NavUser>,
    pub flash: Option<&'static str>,
    /// Beside the message, the id of a delete that can still be undone.
    pub undo: Option<String>,
    /// Where quick exit goes: straight there with JavaScript (the link, without it, goes by `/exit`).
    pub quick_exit_url: String,
    pub path: String,
}

impl Layout {
    /// `flash` is the message itself (see `web::flash`).
    pub fn for_state(state: &AppState, user: &MaybeUser, path: &str, flash: Option<&'static str>) -> Self {
        Layout {
            instance_name: state.config.instance_name.clone(),
            user: user.0.as_ref().map(|u| NavUser {
                display_name: u.display_name.clone(),
                role: u.role,
                unread_notices: u.unread_notices,
                partner_linked: u.partner_linked,
            }),
            flash,
            undo: None,
            quick_exit_url: state.config.quick_exit_url.clone(),
            path: path.to_owned(),
        }
    }

    /// Marks the navigation link of the section the page belongs to.
    pub fn current(&self, prefix: &str) -> &'static str {
        let here = if prefix == "/" { self.path == "/" } else { self.path.starts_with(prefix) };
        if here { "page" } else { "false" }
    }
}

impl FromRequestParts<AppState> for Layout {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = MaybeUser::from_request_parts(parts, state).await?;
        let messages = parts.extensions.get::<FlashMessages>();
        let flash = cookie(&parts.headers, FLASH_COOKIE).and_then(|code| messages?.text(code));
        let mut layout = Layout::for_state(state, &user, parts.uri.path(), flash);
        if flash.is_some() && layout.user.is_some() {
            layout.undo = cookie(&parts.headers, UNDO_COOKIE)
                .filter(|id| uuid::Uuid::parse_str(id).is_ok())
                .map(str::to_owned);
        }
        Ok(layout)
    }
}

/// Render a template as an HTML page.
pub fn render(template: impl Template) -> Result<Response, AppError> {
    Ok(Html(template.render()?).into_response())
}

/// Render a template as an HTML page with another status: a form that comes
/// back with the person's input and the problems named (422), a conflict (409).
pub fn render_with_status(
    status: axum::http::StatusCode,
    template: impl Template,
) -> Result<Response, AppError> {
    Ok((status, Html(template.render()?)).into_response())
}
