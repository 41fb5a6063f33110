//! When a post goes out (now, or at its scheduled time), every member finds a
//! notice of it. A job waits for the post's time; if the post was unpublished
//! or moved meanwhile, that job does nothing and the post's new time has its
//! own job. A post is announced once, however often it is edited.

use serde::{Deserialize, Serialize};

use super::store::{self, PostRecord};
use crate::db::queue;
use crate::features::notices::service as notices;
use crate::features::notices::store::NewNotice;
use crate::jobs::{ClaimedJob, JobFuture, JobKind, NewJob};
use crate::state::AppState;

pub const JOB: JobKind = JobKind { name: "post-published", max_attempts: 5, run };

#[derive(Serialize, Deserialize)]
struct Announce {
    post_id: String,
    publish_at: i64,
}

/// Queue the announcement of a published (or scheduled) post for its time
/// (nothing for a draft, or a post members were already told of).
pub async fn schedule(state: &AppState, post: &PostRecord) -> Result<(), sqlx::Error> {
    if store::announced(&state.db, &post.id).await? {
        return Ok(());
    }
    let (Some(publish_at), "published") = (post.publish_at, post.status.as_str()) else { return Ok(()) };
    let payload = serde_json::to_string(&Announce { post_id: post.id.clone(), publish_at })
        .map_err(|e| sqlx::Error::Encode(e.into()))?;
    let job = NewJob {
        kind: JOB.name,
        payload,
        dedupe_key: Some(format!("post-published:{}:{publish_at}", post.id)),
        user_id: None,
        run_at: publish_at,
        max_attempts: JOB.max_attempts,
    };
    queue::enqueue(&state.db.pool, job).await?;
    state.wake_worker.notify_one();
    Ok(())
}

fn run<'a>(state: &'a AppState, job: &'a ClaimedJob) -> JobFuture<'a> {
    Box::pin(async move {
        let Announce { post_id, publish_at } = serde_json::from_str(&job.payload)?;
        let now = crate::clock::now();
        // The job was claimed at its time (the post's), so the time has come;
        // the post must still be published for that time.
        let still_due = store::find_by_id(&state.db, &post_id)
            .await?
            .filter(|post| post.status == "published" && post.publish_at == Some(publish_at));
        let mut tx = state.db.begin().await?;
        let Some(post) = still_due else { return crate::jobs::complete(tx, job).await };
        if !store::claim_announcement(&mut tx, &post_id, now).await? {
            return crate::jobs::complete(tx, job).await;
        }
        let title = format!("A new post: {}", post.title);
        let url = format!("/posts/{}", post.slug);
        let notice = NewNotice { kind: "post", title: &title, body: &post.excerpt, url: &url };
        for member in store::member_ids(&mut tx).await? {
            notices::send(&mut tx, &member, &notice, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        crate::jobs::complete(tx, job).await
    })
}
