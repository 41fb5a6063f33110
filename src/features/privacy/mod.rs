//! "Download everything of mine" and "delete my account": both ask for the
//! password again, and both are composed from every feature's own declaration
//! of the member data it keeps (`web::member_data`), listed by `app`. This
//! feature names no other feature but accounts (for the password).

pub mod api;
pub mod pages;
pub mod readable;
pub mod service;

use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::web::Flash;

pub const ACCOUNT_DELETED: Flash =
    Flash::new("account-deleted", "Your account and everything in it have been deleted.");

pub const FLASHES: &[Flash] = &[ACCOUNT_DELETED];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/settings/export", get(pages::delete_page).post(pages::download_export))
        .route("/settings/delete", get(pages::delete_page).post(pages::delete_account))
        .routes(routes!(api::export))
        .routes(routes!(api::delete_me))
}
