//! Atom feeds of published posts, for the whole site and per tag.

use std::str::FromStr;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::{markdown, store};
use crate::clock::rfc3339;
use crate::state::AppState;
use crate::web::AppError;

fn time(seconds: i64) -> FixedDateTime {
    FixedDateTime::from_str(&rfc3339(seconds)).unwrap_or_default()
}

fn link(href: String, rel: &str) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel.to_owned());
    l
}

/// The site's own address: `public_url` when configured, else from the request.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.clone();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    format!("http://{host}")
}

async fn build(state: &AppState, headers: &HeaderMap, tag: Option<&str>) -> Result<Response, AppError> {
    let now = crate::clock::now();
    let (posts, _) = store::list_published(&state.db, now, tag, 20, 0).await?;
    if tag.is_some() && posts.is_empty() {
        return Err(AppError::NotFound);
    }
    let base = base_url(state, headers);
    let (self_path, page_path, title) = match tag {
        Some(t) => (
            format!("/tags/{t}/feed.xml"),
            format!("/tags/{t}"),
            format!("{}: posts tagged {t}", state.config.instance_name),
        ),
        None => {
            ("/feed.xml".to_owned(), "/posts".to_owned(), format!("{}: posts", state.config.instance_name))
        }
    };
    let mut feed = Feed::default();
    feed.set_title(Text::plain(title));
    feed.set_id(format!("{base}{self_path}"));
    feed.set_links(vec![
        link(format!("{base}{self_path}"), "self"),
        link(format!("{base}{page_path}"), "alternate"),
    ]);
    feed.set_updated(time(
        posts.iter().map(|p| p.updated_at.max(p.publish_at.unwrap_or(0))).max().unwrap_or(0),
    ));
    let author = Person { name: state.config.instance_name.clone(), ..Default::default() };
    feed.set_authors(vec![author.clone()]);
    let entries = posts
        .into_iter()
        .map(|p| {
            let url = format!("{base}/posts/{}", p.slug);
            let mut e = Entry::default();
            e.set_title(Text::plain(p.title.clone()));
            e.set_id(format!("urn:uuid:{}", p.id));
            e.set_links(vec![link(url, "alternate")]);
            let published = p.publish_at.unwrap_or(p.created_at);
            e.set_published(Some(time(published)));
            e.set_updated(time(p.updated_at.max(published)));
            e.set_authors(vec![Person {
                name: p.author_name.clone().unwrap_or_else(|| author.name.clone()),
                ..Default::default()
            }]);
            if !p.excerpt.is_empty() {
                e.set_summary(Some(Text::plain(p.excerpt.clone())));
            }
            let mut content = Content::default();
            content.set_content_type(Some("html".to_owned()));
            content.set_value(Some(markdown::to_safe_html(&p.body)));
            e.set_content(Some(content));
            e
        })
        .collect::<Vec<_>>();
    feed.set_entries(entries);
    let mut response = feed.to_string().into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    Ok(response)
}

pub async fn site_feed(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    build(&state, &headers, None).await
}

pub async fn tag_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(tag): Path<String>,
) -> Result<Response, AppError> {
    if !super::posts::is_valid_slug(&tag) {
        return Err(AppError::NotFound);
    }
    build(&state, &headers, Some(&tag)).await
}
