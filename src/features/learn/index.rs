//! Keeping the search index in step with the guide, the FAQ and posts.

use super::content;
use super::store::PostRecord;
use crate::db::Db;
use crate::db::search::{self, SearchDocument};

/// Index the guide and the FAQ (shipped in the binary). Runs at start-up; safe to
/// repeat and to run from several instances at once.
pub async fn index_static_content(db: &Db) -> Result<(), sqlx::Error> {
    for c in content::chapters() {
        let key = format!("guide:{}", c.slug);
        let url = format!("/guide/{}", c.slug);
        let body = format!("{}\n{}", c.summary, c.plain_text);
        search::upsert(
            db,
            &SearchDocument {
                doc_key: &key,
                kind: "Guide",
                url: &url,
                title: &c.title,
                body: &body,
                visible_from: 0,
            },
        )
        .await?;
    }
    for q in content::faq() {
        let key = format!("faq:{}", q.id);
        let url = format!("/faq#{}", q.id);
        let body = super::markdown::to_plain_text(&q.answer);
        search::upsert(
            db,
            &SearchDocument {
                doc_key: &key,
                kind: "FAQ",
                url: &url,
                title: &q.question,
                body: &body,
                visible_from: 0,
            },
        )
        .await?;
    }
    Ok(())
}

/// Index a post: published ones (visible from their publish time), never drafts.
pub async fn index_post(db: &Db, post: &PostRecord) -> Result<(), sqlx::Error> {
    let key = format!("post:{}", post.id);
    match (post.status.as_str(), post.publish_at) {
        ("published", Some(visible_from)) => {
            let url = format!("/posts/{}", post.slug);
            let body = format!(
                "{}\n{}\n{}",
                post.excerpt,
                super::markdown::to_plain_text(&post.body),
                post.tags.join(" ")
            );
            search::upsert(
                db,
                &SearchDocument {
                    doc_key: &key,
                    kind: "Post",
                    url: &url,
                    title: &post.title,
                    body: &body,
                    visible_from,
                },
            )
            .await
        }
        _ => search::remove(db, &key).await,
    }
}

pub async fn remove_post(db: &Db, post_id: &str) -> Result<(), sqlx::Error> {
    search::remove(db, &format!("post:{post_id}")).await
}
