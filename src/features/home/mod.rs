//! The front door: what Securebase is for a visitor, a starting point for a
//! member, and the Safety page every page links to.

pub mod next;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;

use crate::config::HelpLine;
use crate::features::learn;
use crate::features::learn::start::{StartAnswers, StartPlan};
use crate::state::AppState;
use crate::web::{AppError, Layout, MaybeUser, render};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route("/", get(home)).route("/safety", get(safety))
}

#[derive(Template)]
#[template(path = "home/visitor.html")]
struct VisitorHome {
    layout: Layout,
}

#[derive(Template)]
#[template(path = "home/member.html")]
struct MemberHome {
    layout: Layout,
    first_name: String,
    is_staff: bool,
    plan: Option<StartPlan>,
    next: next::MemberNext,
}

async fn home(State(state): State<AppState>, layout: Layout, user: MaybeUser) -> Result<Response, AppError> {
    match user.0 {
        None => render(VisitorHome { layout }),
        Some(user) => {
            let plan = learn::store::start_answers(&state.db, &user.id)
                .await?
                .and_then(|a| StartAnswers::decode(&a))
                .map(|a| learn::start::plan(&a));
            render(MemberHome {
                layout,
                first_name: user.display_name.split_whitespace().next().unwrap_or_default().to_owned(),
                is_staff: user.role.is_staff(),
                plan,
                next: next::for_member(&state, &user).await?,
            })
        }
    }
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
