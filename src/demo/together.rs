//! Alex and Sam, linked: Alex shared a cycle map and a journal entry, Sam
//! named a need that Alex answered, a repair with a time-out was closed as
//! "we found our way back", one question is revealed and one waits for Sam.

use crate::features::accounts::store as accounts;
use crate::features::practice::cycle::store as cycle;
use crate::features::practice::journal::{paging::Cursor, store as journal};
use crate::features::practice::returns::store as returns;
use crate::features::together::link::store as links;
use crate::features::together::needs::store::{self as needs, NewNeed};
use crate::features::together::repairs::{service::FOUND_OUR_WAY_BACK, store as repairs};
use crate::features::together::reveal::store::{self as reveal, NewAnswer};
use crate::features::together::shares::items::{self, ItemKind};
use crate::features::together::shares::store::{self as shares, NewShare};
use crate::state::AppState;

pub async fn load(state: &AppState) -> anyhow::Result<usize> {
    let (Some(alex), Some(sam)) = (
        accounts::find_user_by_email(&state.db, "alex@demo.securebase").await?,
        accounts::find_user_by_email(&state.db, "sam@demo.securebase").await?,
    ) else {
        return Ok(0);
    };
    if links::partner_of(&state.db.pool, &alex.id).await?.is_some()
        || links::partner_of(&state.db.pool, &sam.id).await?.is_some()
    {
        return Ok(0);
    }
    let now = crate::clock::now();
    let day = 86_400;
    let mut tx = state.db.begin().await?;
    let link_id = links::link(&mut tx, &alex.id, &sam.id, now - 40 * day).await?;

    // Alex's shares: the kitchen-loop map and one journal entry.
    let mut to_share = Vec::new();
    if let Some(map) = cycle::list_maps(&state.db, &alex.id).await?.into_iter().next() {
        to_share.push((ItemKind::Cycle, map.id));
    }
    let entries = journal::list_entries(&state.db, &alex.id, None, &Cursor::Newest, 20).await?;
    if let Some(entry) = entries.into_iter().find(|e| !e.title.is_empty()) {
        to_share.push((ItemKind::Journal, entry.id));
    }
    for (i, (kind, id)) in to_share.iter().enumerate() {
        if let Some(snapshot) = items::snapshot(state, &alex.id, *kind, id).await? {
            let json = serde_json::to_string(&snapshot)?;
            let new = NewShare {
                link_id: &link_id,
                author_id: &alex.id,
                item_kind: kind.as_str(),
                item_id: id,
                snapshot: &json,
                now: now - (12 - i as i64 * 5) * day,
            };
            shares::insert(&mut tx, new).await?;
        }
    }

    // Sam named a need; Alex answered with a time to talk.
    let need = NewNeed {
        link_id: &link_id,
        author_id: &sam.id,
        need: "accessibility",
        own_words: "",
        message: "When you're away for work, a short message in the evening would help me settle.",
        now: now - 6 * day,
    };
    let need_id = needs::insert(&mut *tx, need).await?;
    needs::insert_answer(
        &mut *tx,
        &need_id,
        &alex.id,
        "talk",
        Some(now - 5 * day + 3600),
        "Yes. Let's plan it together.",
        now - 6 * day + 1800,
    )
    .await?;

    // A repair with a time-out, closed.
    let repair_id = repairs::insert(
        &mut *tx,
        &link_id,
        &alex.id,
        "I'm sorry I went quiet after dinner. I'd like to talk.",
        None,
        now - 3 * day,
    )
    .await?;
    repairs::insert_answer(
        &mut *tx,
        &repair_id,
        &sam.id,
        "time",
        Some(now - 3 * day + 7200),
        "I need a walk first.",
        now - 3 * day + 600,
    )
    .await?;
    repairs::close(&mut *tx, &sam.id, &repair_id, now - 3 * day + 9000).await?;
    for member in [&alex, &sam] {
        let day_there = crate::clock::day_in_zone(now - 3 * day + 9000, &member.time_zone);
        returns::insert_return(&mut *tx, &member.id, &day_there, FOUND_OUR_WAY_BACK, now - 3 * day + 9000)
            .await?;
    }

    // One question answered by both, one waiting for Sam.
    let answers = [
        ("reach-signal", &alex.id, "I get busy with something and hope you notice."),
        ("reach-signal", &sam.id, "I send lots of messages, one after another."),
        ("reassure-when", &alex.id, "In the middle of a disagreement: hearing that we are still all right."),
    ];
    for (question_id, author_id, answer) in answers {
        let new = NewAnswer {
            link_id: &link_id,
            question_id,
            author_id,
            answer,
            skipped: false,
            now: now - 2 * day,
        };
        reveal::insert(&mut tx, new).await?;
    }
    tx.commit().await?;
    Ok(1)
}
