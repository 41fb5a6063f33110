//! Negative-cycle map pages: fill in the loop, see it drawn, and look back
//! over earlier versions.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::drawing;
use super::rules::{CycleFields, hint, tidy};
use super::store::{self, MapRecord};
use super::{MAP_DELETED, MAP_SAVED, MAP_UNCHANGED, MAP_VERSION_SAVED, service};
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render, render_with_status,
};

pub struct MapRow {
    pub id: String,
    pub title: String,
    pub when: String,
    pub versions: i64,
}

pub struct LinkField {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub value: String,
    pub problem: Option<String>,
}

fn link_fields(f: &CycleFields, errors: &FieldErrors) -> Vec<LinkField> {
    f.links()
        .iter()
        .map(|(name, label, value)| LinkField {
            name,
            label,
            hint: hint(name),
            value: (*value).to_owned(),
            problem: errors.get(name).map(str::to_owned),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "practice/cycle_list.html")]
struct ListPage {
    layout: Layout,
    maps: Vec<MapRow>,
    title: String,
    links: Vec<LinkField>,
    way_out: String,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    title: String,
    f: &CycleFields,
    errors: FieldErrors,
) -> Result<ListPage, AppError> {
    let maps = store::list_maps(&state.db, &user.id)
        .await?
        .into_iter()
        .map(|m| MapRow {
            when: format_in_zone(m.updated_at, &user.time_zone),
            id: m.id,
            title: m.title,
            versions: m.versions,
        })
        .collect();
    Ok(ListPage { layout, maps, title, links: link_fields(f, &errors), way_out: f.way_out.clone(), errors })
}

pub async fn list(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    render(
        list_page(&state, layout, &user, String::new(), &CycleFields::default(), FieldErrors::new()).await?,
    )
}

#[derive(Deserialize)]
pub struct MapForm {
    #[serde(default)]
    title: String,
    #[serde(flatten)]
    fields: CycleFields,
}

pub async fn create(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<MapForm>,
) -> Result<Response, AppError> {
    let fields = tidy(form.fields);
    match service::create_map(&state, &user, &form.title, &fields).await {
        Ok(id) => Ok(redirect_with_flash(&format!("/practice/cycle/{id}"), &MAP_SAVED)),
        Err(AppError::Validation(errors)) => {
            let page = list_page(&state, layout, &user, form.title, &fields, errors).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

pub struct VersionRow {
    pub number: i64,
    pub when: String,
    pub shown: bool,
}

#[derive(Template)]
#[template(path = "practice/cycle_map.html")]
struct MapPage {
    layout: Layout,
    map: MapRecord,
    shown_number: i64,
    latest: bool,
    shown: CycleFields,
    shown_when: String,
    svg: String,
    svg_tall: String,
    versions: Vec<VersionRow>,
    title: String,
    links: Vec<LinkField>,
    way_out: String,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct VersionQuery {
    version: Option<i64>,
}

async fn map_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    id: &str,
    version: Option<i64>,
    form: Option<(String, CycleFields, FieldErrors)>,
) -> Result<MapPage, AppError> {
    let map = service::find_map(state, user, id).await?;
    let versions = store::map_versions(&state.db, &user.id, id).await?;
    let latest = versions.last().ok_or(AppError::NotFound)?;
    let shown = match version {
        Some(n) => versions.iter().find(|v| v.number == n).ok_or(AppError::NotFound)?,
        None => latest,
    };
    let (title, fields, errors) =
        form.unwrap_or_else(|| (map.title.clone(), latest.fields.0.clone(), FieldErrors::new()));
    Ok(MapPage {
        svg: drawing::svg(&shown.fields, &format!("{} (version {})", map.title, shown.number)),
        svg_tall: drawing::svg_tall(&shown.fields, &format!("{} (version {})", map.title, shown.number)),
        shown_number: shown.number,
        latest: shown.number == latest.number,
        shown: shown.fields.0.clone(),
        shown_when: format_in_zone(shown.created_at, &user.time_zone),
        versions: versions
            .iter()
            .rev()
            .map(|v| VersionRow {
                number: v.number,
                when: format_in_zone(v.created_at, &user.time_zone),
                shown: v.number == shown.number,
            })
            .collect(),
        links: link_fields(&fields, &errors),
        way_out: fields.way_out.clone(),
        title,
        errors,
        map,
        layout,
    })
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, AppError> {
    render(map_page(&state, layout, &user, &id, q.version, None).await?)
}

pub async fn save(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<MapForm>,
) -> Result<Response, AppError> {
    let fields = tidy(form.fields);
    match service::save_map(&state, &user, &id, &form.title, &fields).await {
        Ok(true) => Ok(redirect_with_flash(&format!("/practice/cycle/{id}"), &MAP_VERSION_SAVED)),
        Ok(false) => Ok(redirect_with_flash(&format!("/practice/cycle/{id}"), &MAP_UNCHANGED)),
        Err(AppError::Validation(errors)) => {
            let page = map_page(&state, layout, &user, &id, None, Some((form.title, fields, errors))).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    Ok(service::delete_map(&state, &user, &id).await?.redirect("/practice/cycle", &MAP_DELETED))
}
