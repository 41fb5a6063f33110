//! The library's demo: four short recorded sessions with transcripts and
//! chapters (`content/library/`), a code Alex redeemed, where Alex stopped
//! and a note Alex pinned; a live session next week Alex will join, and a
//! past one with its recording. Sam has no membership and sees the join page.

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::features::accounts::store as accounts;
use crate::features::library::access::store as access;
use crate::features::library::live::store as live;
use crate::features::library::recordings::store::{self as recordings, Details, NewRecording};
use crate::features::library::sniff;
use crate::features::library::vtt;
use crate::features::library::watching::store as watching;
use crate::state::AppState;

const MANIFEST: &str = include_str!("../../content/library/recordings.toml");

/// The files, by name, as the manifest names them.
const FILES: &[(&str, &[u8])] = &[
    ("what-secure-feels-like.mp4", include_bytes!("../../content/library/what-secure-feels-like.mp4")),
    ("the-dance-we-get-stuck-in.mp4", include_bytes!("../../content/library/the-dance-we-get-stuck-in.mp4")),
    ("shame-and-turning-toward.m4a", include_bytes!("../../content/library/shame-and-turning-toward.m4a")),
    ("small-bids-daily.webm", include_bytes!("../../content/library/small-bids-daily.webm")),
    ("what-secure-feels-like.vtt", include_bytes!("../../content/library/what-secure-feels-like.vtt")),
    ("the-dance-we-get-stuck-in.vtt", include_bytes!("../../content/library/the-dance-we-get-stuck-in.vtt")),
    ("shame-and-turning-toward.vtt", include_bytes!("../../content/library/shame-and-turning-toward.vtt")),
    ("small-bids-daily.vtt", include_bytes!("../../content/library/small-bids-daily.vtt")),
];

/// The code Alex redeemed.
pub const DEMO_CODE: &str = "DEMO-AUTU-MN26";

#[derive(Deserialize)]
struct Manifest {
    recording: Vec<DemoRecording>,
}

#[derive(Deserialize)]
struct DemoRecording {
    slug: String,
    file: String,
    title: String,
    description: String,
    session_date: String,
    topics: Vec<String>,
    series: String,
    duration_seconds: i64,
    transcript: String,
    chapters: Vec<DemoChapter>,
}

#[derive(Deserialize)]
struct DemoChapter {
    at: i64,
    title: String,
}

fn file(name: &str) -> anyhow::Result<&'static [u8]> {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
        .ok_or_else(|| anyhow::anyhow!("demo file {name} missing"))
}

/// A stable id from the slug, so loading twice finds the same recording.
fn demo_id(slug: &str) -> uuid::Uuid {
    let digest = Sha256::digest(format!("securebase-demo-recording:{slug}"));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

pub async fn load(state: &AppState) -> anyhow::Result<usize> {
    let manifest: Manifest = toml::from_str(MANIFEST)?;
    let now = crate::clock::now();
    let day = 86_400;
    let mut created = 0;
    let mut ids = Vec::new();
    for (n, d) in manifest.recording.iter().enumerate() {
        let id = demo_id(&d.slug);
        ids.push(id.to_string());
        if recordings::any(&state.db, &id.to_string()).await?.is_some() {
            continue;
        }
        let bytes = file(&d.file)?;
        let kind = sniff::sniff(bytes).ok_or_else(|| anyhow::anyhow!("demo file {} is not media", d.file))?;
        let key = crate::media::recording_key(id, kind.extension());
        state.media.put(&key, bytes::Bytes::from_static(bytes)).await?;
        let etag = format!("\"{}\"", hex::encode(&Sha256::digest(bytes)[..12]));
        let new = NewRecording {
            id: &id.to_string(),
            title: &d.title,
            media_kind: kind.as_str(),
            size_bytes: bytes.len() as i64,
            duration_seconds: Some(d.duration_seconds),
            object_key: &key,
            etag: &etag,
            session_date: &d.session_date,
            now,
        };
        recordings::insert(&state.db.pool, new).await?;
        let chapters: Vec<(i64, String)> = d.chapters.iter().map(|c| (c.at, c.title.clone())).collect();
        // The newest was published two days ago, after Alex's last visit.
        let published_at = now - (manifest.recording.len() - n) as i64 * 20 * day + 18 * day;
        let details = Details {
            title: &d.title,
            description: &d.description,
            session_date: &d.session_date,
            series: &d.series,
            topics: &d.topics,
            chapters: &chapters,
            published_at: Some(published_at),
            now,
        };
        recordings::save_details(&state.db, &id.to_string(), details).await?;
        let cues = vtt::parse(file(&d.transcript)?).map_err(|e| anyhow::anyhow!("{}: {e}", d.transcript))?;
        let search: Vec<(i64, String)> =
            cues.iter().map(|c| ((c.start_ms / 1000) as i64, c.text.clone())).collect();
        recordings::save_transcript(&state.db, &id.to_string(), &d.title, &vtt::to_vtt(&cues), &search, now)
            .await?;
        created += 1;
    }
    if created > 0 {
        created += load_alex(state, &ids, now).await?;
        created += load_live(state, ids.last().map(String::as_str), now).await?;
    }
    Ok(created)
}

/// A live session next week that Alex will join, and one three weeks ago
/// whose recording is the newest in the library.
async fn load_live(state: &AppState, newest: Option<&str>, now: i64) -> anyhow::Result<usize> {
    let day = 86_400;
    // Next week, at 18:00 in London.
    let next_week = crate::clock::day_in_zone(now + 7 * day, "Europe/London");
    let starts_at =
        crate::clock::parse_time(&format!("{next_week}T18:00"), "Europe/London").unwrap_or(now + 7 * day);
    let topics = ["secure connection".to_owned()];
    let mut tx = state.db.begin().await?;
    let upcoming = live::NewLive {
        title: "Repair after a hard week",
        description: "How to come back to each other when the week has worn you thin: small repairs, said simply. Bring a question if you like.",
        starts_at,
        time_zone: "Europe/London",
        duration_minutes: 75,
        join_url: "https://meet.example.org/securebase-group",
        topics: &topics,
        now,
    };
    let upcoming_id = live::insert(&mut tx, upcoming).await?;
    crate::features::library::live::service::queue_reminder(&mut tx, &upcoming_id, starts_at, now).await?;
    let past = live::NewLive {
        title: "Small bids, daily",
        description: "The live session this recording comes from.",
        starts_at: now - 21 * day,
        time_zone: "Europe/London",
        duration_minutes: 60,
        join_url: "https://meet.example.org/securebase-group",
        topics: &topics,
        now: now - 30 * day,
    };
    let past_id = live::insert(&mut tx, past).await?;
    if let Some(recording) = newest {
        live::attach(&mut *tx, &past_id, recording, now - 20 * day).await?;
    }
    tx.commit().await?;
    if let Some(alex) = accounts::find_user_by_email(&state.db, "alex@demo.securebase").await? {
        live::rsvp(&state.db, &upcoming_id, &alex.id, now).await?;
    }
    Ok(2)
}

/// Alex redeemed a code a month ago, stopped half-way through the second
/// session and pinned a note there; Alex last visited a week ago.
async fn load_alex(state: &AppState, ids: &[String], now: i64) -> anyhow::Result<usize> {
    let Some(alex) = accounts::find_user_by_email(&state.db, "alex@demo.securebase").await? else {
        return Ok(0);
    };
    let day = 86_400;
    let code = access::NewCode {
        code: DEMO_CODE,
        label: "Autumn group",
        uses: 12,
        grant_days: Some(365),
        expires_at: now + 60 * day,
        now: now - 30 * day,
    };
    access::insert_code(&state.db, code).await?;
    access::redeem(&state.db, &alex.id, DEMO_CODE, now - 30 * day)
        .await?
        .map_err(|e| anyhow::anyhow!("demo code: {e:?}"))?;
    if let (Some(first), Some(second)) = (ids.first(), ids.get(1)) {
        watching::save_position(&state.db, &alex.id, first, 84, true, now - 20 * day).await?;
        watching::save_position(&state.db, &alex.id, second, 31, false, now - 8 * day).await?;
        let note = "The loop is the problem, not Sam. Try saying \u{201c}we're in the dance again\u{201d} next time.";
        watching::add_note(&state.db, &alex.id, second, 46, note, now - 8 * day).await?;
    }
    watching::visit(&state.db, &alex.id, now - 7 * day).await?;
    Ok(1)
}
