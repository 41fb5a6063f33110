//! The demo members' check-ins and reflection results.

use crate::features::accounts::store;
use crate::features::assess::{checkin_store, checkins, store as results};
use crate::state::AppState;

/// Months of check-ins for the demo members, drifting gently toward security
/// with ordinary ups and downs, so the dashboard tells a story.
pub async fn load(state: &AppState) -> anyhow::Result<usize> {
    let mut created = 0;
    for (email, seed) in [("alex@demo.securebase", 7_u64), ("sam@demo.securebase", 11_u64)] {
        let Some(user) = store::find_user_by_email(&state.db, email).await? else { continue };
        if !checkin_store::all(&state.db, &user.id).await?.is_empty() {
            continue;
        }
        let mut rng = seed;
        let mut noise = move || {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((rng >> 33) % 1000) as f64 / 1000.0 - 0.5
        };
        let now = crate::clock::now();
        let days = 150_i64;
        let mut days_entries = Vec::new();
        for d in (0..days).rev() {
            let at = now - d * 86_400;
            let day = crate::clock::day_in_zone(at, &user.time_zone);
            let progress = 1.0 - d as f64 / days as f64; // 0 → 1 over the months
            let add = |kind: &'static checkins::KindInfo,
                       values: std::collections::BTreeMap<String, i64>,
                       note: &str| {
                let score = checkins::score(&values);
                (kind.slug, values, note.to_owned(), score)
            };
            let mut entries = Vec::new();
            if d % 3 != 1 {
                let v = (2.2 + 2.0 * progress + noise() * 1.6).round().clamp(1.0, 5.0) as i64;
                let word =
                    ["tired", "close", "a bit far apart", "warm evening", "repaired after a wobble", "calm"]
                        [(d % 6) as usize];
                entries.push(add(&checkins::TODAY, [("closeness".to_owned(), v)].into(), word));
            }
            if d % 7 == 0 {
                let values = checkins::NEEDS
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, (id, _))| {
                        let base = 3.5 + 3.0 * progress + if i == 2 || i == 8 { -1.5 } else { 0.5 };
                        ((*id).to_owned(), (base + noise() * 3.0).round().clamp(0.0, 10.0) as i64)
                    })
                    .collect();
                entries.push(add(&checkins::NEEDS, values, "repair"));
            }
            for (kind, every) in [(&checkins::SIGNS, 14), (&checkins::GROWTH, 14)] {
                if d % every == 3 {
                    let values = kind
                        .items
                        .iter()
                        .map(|(id, _)| {
                            (
                                (*id).to_owned(),
                                (2.0 + 2.2 * progress + noise() * 1.5).round().clamp(1.0, 5.0) as i64,
                            )
                        })
                        .collect();
                    entries.push(add(kind, values, ""));
                }
            }
            days_entries.push((day, at, entries));
        }
        // One transaction for the member's months: a first start commits once, not once a check-in.
        let checkins: Vec<_> = days_entries
            .iter()
            .flat_map(|(day, at, entries)| {
                entries.iter().map(|(kind, values, note, score)| checkin_store::NewCheckIn {
                    user_id: &user.id,
                    kind,
                    day,
                    values,
                    note,
                    score: *score,
                    at: *at,
                })
            })
            .collect();
        checkin_store::insert_all(&state.db, &checkins).await?;
        created += checkins.len();
        // Two reflections, three months apart.
        if let Some(scale) =
            state.instruments.iter().find(|i| i.id == crate::features::assess::dashboard_store::REFLECTION)
        {
            for (ago, anxious, distant) in [(90_i64, 6, 3), (2, 4, 3)] {
                let answers: std::collections::BTreeMap<String, i64> = scale
                    .items
                    .iter()
                    .map(|i| {
                        let raw = if i.dimension == "anxiety" { anxious } else { distant };
                        (i.id.clone(), if i.reverse { 8 - raw } else { raw })
                    })
                    .collect();
                let scores = scale.score(&answers);
                results::insert_at(&state.db, &user.id, &scale.id, &answers, &scores, now - ago * 86_400)
                    .await?;
            }
        }
    }
    Ok(created)
}
