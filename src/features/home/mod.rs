//! The front door: what Securebase is for a visitor, a starting point for a
//! member, and the Safety page every page links to.

pub mod next;
pub mod store;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::config::HelpLine;
use crate::features::learn;
use crate::features::learn::start::{StartAnswers, StartPlan};
use crate::state::AppState;
use crate::web::{AppError, Layout, MaybeUser, kept_or_drawn, render, render_kept};

/// Both are public pages (a member's home is made fresh; see `web::page_cache`).
pub fn public_pages() -> axum::Router<AppState> {
    axum::Router::new().route("/", get(home)).route("/safety", get(safety))
}

#[derive(Template)]
#[template(path = "home/visitor.html")]
struct VisitorHome {
    layout: Layout,
}

/// The member home below the header: kept between the member's requests
/// (see `web::kept_pages`).
#[derive(Template)]
#[template(path = "home/member_body.html")]
struct MemberHome {
    greeting: &'static str,
    first_name: String,
    is_staff: bool,
    plan: Option<StartPlan>,
    next: next::MemberNext,
}

async fn home(State(state): State<AppState>, layout: Layout, user: MaybeUser) -> Result<Response, AppError> {
    match user.0 {
        None => render(VisitorHome { layout }),
        Some(user) => {
            let greeting = greeting(user.created_at, crate::clock::now());
            let first_name = user.display_name.split_whitespace().next().unwrap_or_default().to_owned();
            let is_staff = user.role.is_staff();
            // What the page shows from the account itself, beside the member's rows.
            let also = format!("{greeting}\n{first_name}\n{is_staff}");
            let (state, user) = (&state, &user);
            let body = kept_or_drawn(state, user, "home", also, |today| async move {
                let next = next::for_member(state, &user.id, &today).await?;
                let plan = next
                    .start_answers
                    .as_deref()
                    .and_then(StartAnswers::decode)
                    .map(|a| learn::start::plan(&a));
                Ok(MemberHome { greeting, first_name, is_staff, plan, next }.render()?.into())
            })
            .await?;
            render_kept(layout, "Home", &body)
        }
    }
}

/// "Welcome" on a brand-new account's first day, "Welcome back" after.
pub fn greeting(created_at: i64, now: i64) -> &'static str {
    if now - created_at < 86_400 { "Welcome" } else { "Welcome back" }
}

#[derive(Template)]
#[template(path = "home/safety.html")]
struct SafetyPage {
    layout: Layout,
    help_lines: Vec<HelpLine>,
}

async fn safety(State(state): State<AppState>, layout: Layout) -> Result<Response, AppError> {
    render(SafetyPage { layout, help_lines: state.config.help_lines.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_member_is_welcomed_and_a_returning_one_welcomed_back() {
        assert_eq!(greeting(1000, 1000 + 3600), "Welcome");
        assert_eq!(greeting(1000, 1000 + 2 * 86_400), "Welcome back");
    }
}
