//! The practice hub, affirmations, the reframe, moments of return, and the
//! coach's page for the instance's journal prompts.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::content::REFRAME_PROMPT_ID;
use super::journal;
use super::journal_pages::done_or_404;
use super::returns;
use super::service::{self, Affirmation};
use super::store;
use crate::clock::format_in_zone;
use crate::state::AppState;
use crate::web::layout::redirect_with_flash;
use crate::web::{AppError, CurrentUser, FieldErrors, Layout, RequireStaff, render, render_with_status};

// ---- the hub ---------------------------------------------------------------

#[derive(Template)]
#[template(path = "practice/index.html")]
struct HubPage {
    layout: Layout,
    entries: i64,
    unfinished_plan: Option<String>,
    maps: usize,
    returns: i64,
}

pub async fn hub(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let entries = store::count_entries(&state.db, &user.id, None).await?;
    let unfinished_plan = store::unfinished_plan(&state.db, &user.id).await?.map(|p| p.id);
    let maps = store::list_maps(&state.db, &user.id).await?.len();
    let returns = store::count_returns(&state.db, &user.id).await?;
    render(HubPage { layout, entries, unfinished_plan, maps, returns })
}

// ---- affirmations ----------------------------------------------------------

#[derive(Template)]
#[template(path = "practice/affirmations.html")]
struct AffirmationsPage {
    layout: Layout,
    current: Option<Affirmation>,
    position: usize,
    showing: usize,
    next: usize,
    all: Vec<Affirmation>,
    new_text: String,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct PracticeQuery {
    n: Option<usize>,
}

async fn affirmations_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    n: usize,
    new_text: String,
    errors: FieldErrors,
) -> Result<AffirmationsPage, AppError> {
    let all = service::affirmations(state, user).await?;
    let visible: Vec<&Affirmation> = all.iter().filter(|a| !a.hidden).collect();
    let showing = visible.len();
    let position = if showing == 0 { 0 } else { n % showing };
    Ok(AffirmationsPage {
        layout,
        current: visible.get(position).map(|a| (*a).clone()),
        position: position + 1,
        showing,
        next: if showing == 0 { 0 } else { (position + 1) % showing },
        all,
        new_text,
        errors,
    })
}

pub async fn affirmations(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Query(q): Query<PracticeQuery>,
) -> Result<Response, AppError> {
    render(
        affirmations_page(&state, layout, &user, q.n.unwrap_or(0), String::new(), FieldErrors::new()).await?,
    )
}

#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    text: String,
}

pub async fn add_affirmation(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    let errors = service::validate_affirmation(&form.text);
    if !errors.is_empty() {
        let page = affirmations_page(&state, layout, &user, 0, form.text, errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page);
    }
    store::insert_affirmation(&state.db, &user.id, form.text.trim()).await?;
    Ok(redirect_with_flash("/practice/affirmations#yours", "affirmation-added"))
}

#[derive(Deserialize)]
pub struct MarkForm {
    /// favourite, hidden or none.
    mark: String,
    n: Option<usize>,
}

pub async fn mark_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<MarkForm>,
) -> Result<Response, AppError> {
    let mark = match form.mark.as_str() {
        "favourite" => Some("favourite"),
        "hidden" => Some("hidden"),
        "none" => None,
        _ => return Err(AppError::BadRequest("Unknown choice.".into())),
    };
    service::mark_affirmation(&state, &user, &id, mark).await?;
    let to = match form.n {
        Some(n) => format!("/practice/affirmations?n={n}"),
        None => "/practice/affirmations#all".into(),
    };
    Ok(redirect_with_flash(&to, "affirmation-marked"))
}

pub async fn delete_affirmation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    done_or_404(
        store::delete_affirmation(&state.db, &user.id, &id).await?,
        "/practice/affirmations#all",
        "affirmation-deleted",
    )
}

// ---- the reframe -----------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct ReframeForm {
    #[serde(default)]
    pub disagreement: String,
    #[serde(default)]
    pub my_protecting: String,
    #[serde(default)]
    pub partner_protecting: String,
    #[serde(default)]
    pub both_want: String,
    #[serde(default)]
    pub next_step: String,
}

pub const REFRAME_MAX_CHARS: usize = 5_000;

impl ReframeForm {
    pub fn validate(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        if self.disagreement.trim().is_empty() {
            errors.add("disagreement", "Say in a line or two what the disagreement is about.");
        }
        if self.next_step.trim().is_empty() {
            errors.add("next_step", "Name one small next step, even a tentative one.");
        }
        for (name, v) in [
            ("disagreement", &self.disagreement),
            ("my_protecting", &self.my_protecting),
            ("partner_protecting", &self.partner_protecting),
            ("both_want", &self.both_want),
            ("next_step", &self.next_step),
        ] {
            if v.chars().count() > REFRAME_MAX_CHARS {
                errors.add(name, format!("This can be up to {REFRAME_MAX_CHARS} characters."));
            }
        }
        errors
    }

    /// The entry the reframe becomes: headed sections in plain text.
    pub fn to_entry(&self) -> (String, String) {
        let mut body = String::new();
        for (heading, text) in [
            ("What we disagree about", &self.disagreement),
            ("What I may be protecting", &self.my_protecting),
            ("What my partner may be protecting", &self.partner_protecting),
            ("What we both want", &self.both_want),
            ("One next step that protects us", &self.next_step),
        ] {
            let text = journal::normalise_form_newlines(text.trim());
            if !text.is_empty() {
                body.push_str(heading);
                body.push('\n');
                body.push_str(&text);
                body.push_str("\n\n");
            }
        }
        let first: String = self.disagreement.trim().chars().take(60).collect();
        let ellipsis = if self.disagreement.trim().chars().count() > 60 { "…" } else { "" };
        (format!("Reframe: {first}{ellipsis}"), body.trim_end().to_owned())
    }
}

#[derive(Template)]
#[template(path = "practice/reframe.html")]
struct ReframePage {
    layout: Layout,
    form: ReframeForm,
    errors: FieldErrors,
    earlier: Vec<(String, String)>,
}

async fn earlier_reframes(state: &AppState, user: &CurrentUser) -> Result<Vec<(String, String)>, AppError> {
    Ok(store::list_entries(&state.db, &user.id, Some(REFRAME_PROMPT_ID), 5, 0)
        .await?
        .into_iter()
        .map(|e| (e.id, journal::display_title(&e.title, &e.opening)))
        .collect())
}

pub async fn reframe(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let earlier = earlier_reframes(&state, &user).await?;
    render(ReframePage { layout, form: ReframeForm::default(), errors: FieldErrors::new(), earlier })
}

pub async fn reframe_submit(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<ReframeForm>,
) -> Result<Response, AppError> {
    let errors = form.validate();
    if !errors.is_empty() {
        let earlier = earlier_reframes(&state, &user).await?;
        return render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            ReframePage { layout, form, errors, earlier },
        );
    }
    let (title, body) = form.to_entry();
    let id = service::create_reframe(&state, &user, &title, &body).await?;
    Ok(redirect_with_flash(&format!("/practice/journal/{id}"), "reframe-saved"))
}

// ---- moments of return -----------------------------------------------------

pub struct ReturnRow {
    pub id: String,
    pub day: String,
    pub label: String,
    pub text: String,
}

pub struct MonthGroup {
    pub label: String,
    pub count: usize,
    pub moments: Vec<ReturnRow>,
}

#[derive(Template)]
#[template(path = "practice/returns.html")]
struct ReturnsPage {
    layout: Layout,
    editing: Option<String>,
    day: String,
    text: String,
    today: String,
    errors: FieldErrors,
    months: Vec<MonthGroup>,
}

async fn returns_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    editing: Option<String>,
    day: String,
    text: String,
    errors: FieldErrors,
) -> Result<ReturnsPage, AppError> {
    let mut months: Vec<MonthGroup> = Vec::new();
    for r in store::list_returns(&state.db, &user.id, 500).await? {
        let label = returns::month_label(&r.day);
        let row = ReturnRow { id: r.id, label: returns::day_label(&r.day), day: r.day, text: r.text };
        match months.last_mut() {
            Some(m) if m.label == label => {
                m.count += 1;
                m.moments.push(row);
            }
            _ => months.push(MonthGroup { label, count: 1, moments: vec![row] }),
        }
    }
    Ok(ReturnsPage { layout, editing, day, text, today: service::today(user), errors, months })
}

pub async fn returns(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let today = service::today(&user);
    render(returns_page(&state, layout, &user, None, today, String::new(), FieldErrors::new()).await?)
}

#[derive(Deserialize)]
pub struct ReturnForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    text: String,
}

pub async fn log_return(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<ReturnForm>,
) -> Result<Response, AppError> {
    match service::log_return(&state, &user, form.day.trim(), &form.text).await {
        Ok(_) => Ok(redirect_with_flash("/practice/returns", "return-saved")),
        Err(AppError::Validation(errors)) => {
            let page = returns_page(&state, layout, &user, None, form.day, form.text, errors).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_return(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = store::find_return(&state.db, &user.id, &id).await?.ok_or(AppError::NotFound)?;
    render(returns_page(&state, layout, &user, Some(id), r.day, r.text, FieldErrors::new()).await?)
}

pub async fn edit_return_submit(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ReturnForm>,
) -> Result<Response, AppError> {
    match service::change_return(&state, &user, &id, form.day.trim(), &form.text).await {
        Ok(()) => Ok(redirect_with_flash("/practice/returns", "return-saved")),
        Err(AppError::Validation(errors)) => {
            let page = returns_page(&state, layout, &user, Some(id), form.day, form.text, errors).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

pub async fn delete_return(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    done_or_404(store::delete_return(&state.db, &user.id, &id).await?, "/practice/returns", "return-deleted")
}

// ---- the instance's prompts (coaches) --------------------------------------

pub struct CoachPromptRow {
    pub id: String,
    pub text: String,
    pub added: String,
}

#[derive(Template)]
#[template(path = "practice/coach_prompts.html")]
struct CoachPromptsPage {
    layout: Layout,
    built_in: Vec<&'static str>,
    prompts: Vec<CoachPromptRow>,
    text: String,
    errors: FieldErrors,
}

async fn coach_prompts_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    text: String,
    errors: FieldErrors,
) -> Result<CoachPromptsPage, AppError> {
    let prompts = store::instance_prompts(&state.db)
        .await?
        .into_iter()
        .filter(|p| !p.retired)
        .map(|p| CoachPromptRow {
            id: p.id,
            text: p.text,
            added: format_in_zone(p.created_at, &user.time_zone),
        })
        .collect();
    Ok(CoachPromptsPage {
        layout,
        built_in: super::content::PROMPTS.iter().map(|p| p.text).collect(),
        prompts,
        text,
        errors,
    })
}

pub async fn coach_prompts(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(user): RequireStaff,
) -> Result<Response, AppError> {
    render(coach_prompts_page(&state, layout, &user, String::new(), FieldErrors::new()).await?)
}

pub async fn coach_add_prompt(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(user): RequireStaff,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    let errors = journal::validate_prompt_text(&form.text);
    if !errors.is_empty() {
        let page = coach_prompts_page(&state, layout, &user, form.text, errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page);
    }
    store::insert_prompt(&state.db, form.text.trim(), &user.id).await?;
    Ok(redirect_with_flash("/coach/prompts", "prompt-saved"))
}

pub async fn coach_update_prompt(
    State(state): State<AppState>,
    layout: Layout,
    RequireStaff(user): RequireStaff,
    Path(id): Path<String>,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    let errors = journal::validate_prompt_text(&form.text);
    if !errors.is_empty() {
        let page = coach_prompts_page(&state, layout, &user, String::new(), errors).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, page);
    }
    done_or_404(
        store::update_prompt(&state.db, &id, form.text.trim()).await?,
        "/coach/prompts",
        "prompt-reworded",
    )
}

pub async fn coach_retire_prompt(
    State(state): State<AppState>,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if !store::retire_prompt(&state.db, &id).await? {
        return Err(AppError::NotFound);
    }
    Ok(redirect_with_flash("/coach/prompts", "prompt-retired"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reframe_needs_the_disagreement_and_a_next_step_and_becomes_headed_text() {
        let empty = ReframeForm::default().validate();
        assert!(empty.get("disagreement").is_some() && empty.get("next_step").is_some());
        let f = ReframeForm {
            disagreement: "Whose family we see at New Year".into(),
            my_protecting: "Feeling that my family counts\r\ntoo".into(),
            next_step: "Talk on Sunday, over a walk".into(),
            ..Default::default()
        };
        assert!(f.validate().is_empty());
        let (title, body) = f.to_entry();
        assert_eq!(title, "Reframe: Whose family we see at New Year");
        assert!(body.starts_with("What we disagree about\nWhose family"));
        assert!(body.contains("What I may be protecting\nFeeling that my family counts\ntoo"));
        assert!(!body.contains("What we both want"), "empty sections are left out");
        assert!(body.ends_with("over a walk"));
    }
}
