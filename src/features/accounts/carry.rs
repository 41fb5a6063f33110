//! The sign-in page for writing that arrived after its session ended
//! (`web::carry`): any 401 that carries fields becomes the sign-in page holding
//! them, so a signed-out form post loses nothing, whichever feature owns it.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::pages;
use crate::state::AppState;
use crate::web::carry::carried_in;
use crate::web::{Layout, MaybeUser};

pub async fn offer_sign_in(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let Some(carried) = carried_in(&response).cloned() else {
        return response;
    };
    let layout = Layout::for_state(&state, &MaybeUser(None), "/signin", None);
    pages::sign_in_to_keep(layout, carried).unwrap_or_else(IntoResponse::into_response)
}
