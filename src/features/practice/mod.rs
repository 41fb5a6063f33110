//! Practise: one folder per tool, each with its own routes, SQL, rules and
//! member data. The reflection journal (with drafts that are never lost),
//! affirmations, the reframe, the conflict-repair guide, the negative-cycle
//! map kept in versions, and moments of return. Everything here is private
//! to the member who wrote it.

pub mod affirmations;
pub mod cycle;
pub mod hub;
pub mod journal;
pub mod pointers;
pub mod reframe;
pub mod repair;
pub mod returns;

use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;
use crate::web::Flash;
use crate::web::member_data::MemberData;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/practice", get(hub::hub))
        .merge(journal::router())
        .merge(affirmations::router())
        .merge(reframe::router())
        .merge(repair::router())
        .merge(cycle::router())
        .merge(returns::router())
}

/// Each tool's one-off messages.
pub const FLASHES: &[&[Flash]] = &[
    journal::FLASHES,
    affirmations::FLASHES,
    reframe::FLASHES,
    repair::FLASHES,
    cycle::FLASHES,
    returns::FLASHES,
];

/// What each tool keeps of a member; their export parts share the `practice` section.
pub const MEMBER_DATA: &[MemberData] = &[
    journal::member_data::MEMBER_DATA,
    affirmations::member_data::MEMBER_DATA,
    repair::member_data::MEMBER_DATA,
    cycle::member_data::MEMBER_DATA,
    returns::member_data::MEMBER_DATA,
];
