//! Demo content for `serve --demo`: people a visitor can sign in as, and what
//! each capability shows them, one file per feature. Loading twice changes
//! nothing.

mod checkins;
mod library;
mod posts;
mod practice;
mod together;

use crate::features::accounts::{signup, store};
use crate::state::AppState;
use crate::web::Role;

pub struct DemoUser {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub time_zone: &'static str,
}

/// Every demo account uses this password (listed in the README).
pub const DEMO_PASSWORD: &str = "securebase-demo";

pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser { email: "admin@demo.securebase", name: "Avery (admin)", role: Role::Admin, time_zone: "UTC" },
    DemoUser {
        email: "coach@demo.securebase",
        name: "Jordan Hale",
        role: Role::Coach,
        time_zone: "Europe/London",
    },
    DemoUser {
        email: "alex@demo.securebase",
        name: "Alex Moreno",
        role: Role::Member,
        time_zone: "Europe/London",
    },
    DemoUser {
        email: "sam@demo.securebase",
        name: "Sam Okafor",
        role: Role::Member,
        time_zone: "Europe/London",
    },
];

pub async fn load(state: &AppState) -> anyhow::Result<usize> {
    let mut created = load_people(state).await?;
    created += posts::load(state).await?;
    created += checkins::load(state).await?;
    created += practice::load(state).await?;
    created += together::load(state).await?;
    created += library::load(state).await?;
    Ok(created)
}

async fn load_people(state: &AppState) -> anyhow::Result<usize> {
    let mut created = 0;
    // One password for everyone, hashed once (each hash takes a noticeable
    // part of a first start).
    let mut password_hash = None;
    for u in DEMO_USERS {
        if store::find_user_by_email(&state.db, u.email).await?.is_some() {
            continue;
        }
        let password_hash = match &password_hash {
            Some(hash) => hash,
            None => password_hash
                .insert(state.passwords.hash(DEMO_PASSWORD.to_owned(), crate::passwords::Lane::Known).await?),
        };
        let new = signup::NewAccount {
            email: u.email,
            display_name: u.name,
            password: DEMO_PASSWORD,
            role: u.role,
            time_zone: u.time_zone,
            verified: true,
        };
        let user = signup::create_user_hashed(state, new, password_hash)
            .await
            .map_err(|e| anyhow::anyhow!("demo user {}: {e}", u.email))?;
        // They joined half a year ago: their check-ins go back five months.
        store::backdate(&state.db, &user.id, crate::clock::now() - 183 * 86_400).await?;
        created += 1;
    }
    Ok(created)
}
