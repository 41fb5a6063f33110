//! The page shell: what every template gets (the instance's name, who is signed
//! in, a one-off message), and the one place a template becomes a response.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::AppError;
use super::auth::{MaybeUser, Role, cookie};
use crate::state::AppState;

pub const FLASH_COOKIE: &str = "sb_flash";

/// The signed-in person as the navigation needs them.
#[derive(Debug, Clone)]
pub struct NavUser {
    pub display_name: String,
    pub role: Role,
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
    /// Where quick exit goes: straight there with JavaScript (the link, without it, goes by `/exit`).
    pub quick_exit_url: String,
    pub path: String,
}

impl Layout {
    pub fn for_state(state: &AppState, user: &MaybeUser, path: &str, flash: Option<&str>) -> Self {
        Layout {
            instance_name: state.config.instance_name.clone(),
            user: user.0.as_ref().map(|u| NavUser { display_name: u.display_name.clone(), role: u.role }),
            flash: flash.and_then(flash_text),
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
        let flash = cookie(&parts.headers, FLASH_COOKIE);
        Ok(Layout::for_state(state, &user, parts.uri.path(), flash))
    }
}

/// One-off messages shown after a redirect. The cookie carries only a code, so
/// nothing a page shows can be planted from outside.
fn flash_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "welcome" => "Welcome. Your account is ready.",
        "signed-in" => "You are signed in.",
        "signed-out" => "You have signed out.",
        "profile-saved" => "Your settings are saved.",
        "email-changed" => "Your email address is changed.",
        "password-changed" => "Your password is changed. Your other sessions have ended.",
        "session-ended" => "That session has ended.",
        "others-ended" => "All your other sessions have ended.",
        "account-deleted" => "Your account and everything in it have been deleted.",
        "role-changed" => "The role is changed.",
        "post-saved" => "The post is saved.",
        "post-deleted" => "The post is deleted.",
        "checkin-saved" => "Your check-in is saved.",
        "checkin-deleted" => "The check-in is deleted.",
        "entry-saved" => "Your entry is saved.",
        "entry-deleted" => "The entry is deleted.",
        "draft-discarded" => "The draft is discarded.",
        "reframe-saved" => "Your reframe is saved as a private journal entry.",
        "affirmation-added" => "Your affirmation is added.",
        "affirmation-marked" => "Saved.",
        "affirmation-deleted" => "The affirmation is deleted.",
        "plan-started" => "Your repair plan is started. You can leave at any step and come back.",
        "step-saved" => "Saved.",
        "plan-kept" => "Your plan is kept. Pick it up again whenever you are ready.",
        "plan-finished" => "Your repair plan is complete. It is here whenever you need it.",
        "plan-deleted" => "The repair plan is deleted.",
        "map-saved" => "Your map is saved.",
        "map-version-saved" => "A new version of your map is saved. Earlier versions are kept below.",
        "map-unchanged" => "Nothing in the loop changed, so no new version was needed.",
        "map-deleted" => "The map is deleted.",
        "return-saved" => "Your moment of return is saved.",
        "return-deleted" => "The moment is deleted.",
        "prompt-saved" => "The prompt is added for every member.",
        "prompt-reworded" => "The prompt's new wording is saved.",
        "prompt-retired" => "The prompt is retired. Entries written to it keep it.",
        _ => return None,
    })
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

/// Redirect (303 See Other) and show a one-off message on the next page.
pub fn redirect_with_flash(to: &str, code: &'static str) -> Response {
    let mut response = Redirect::to(to).into_response();
    let value = format!("{FLASH_COOKIE}={code}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
    if let Ok(v) = value.parse() {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_flash_codes_show_nothing() {
        assert!(flash_text("<script>").is_none());
        assert!(flash_text("signed-out").is_some());
    }
}
