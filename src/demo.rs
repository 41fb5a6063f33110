//! Demo content for `serve --demo`: people a visitor can sign in as. Each
//! capability adds its own demo content here. Loading twice changes nothing.

use crate::features::accounts::{service, store};
use crate::features::learn;
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
    created += load_posts(state).await?;
    created += load_checkins(state).await?;
    created += load_practice(state).await?;
    Ok(created)
}

async fn load_people(state: &AppState) -> anyhow::Result<usize> {
    let mut created = 0;
    for u in DEMO_USERS {
        if store::find_user_by_email(&state.db, u.email).await?.is_some() {
            continue;
        }
        let new = service::NewAccount {
            email: u.email,
            display_name: u.name,
            password: DEMO_PASSWORD,
            role: u.role,
            time_zone: u.time_zone,
        };
        service::create_user(state, new, crate::passwords::Lane::Known)
            .await
            .map_err(|e| anyhow::anyhow!("demo user {}: {e}", u.email))?;
        created += 1;
    }
    Ok(created)
}

struct DemoPost {
    title: &'static str,
    excerpt: &'static str,
    tags: &'static str,
    chapters: &'static [&'static str],
    /// "publish" (days ago), "schedule" (days ahead) or "draft".
    publish: &'static str,
    days: i64,
    body: &'static str,
}

const DEMO_POSTS: &[DemoPost] = &[
    DemoPost {
        title: "The cycle is the problem, not either of you",
        excerpt: "When the same argument keeps coming back, look at the loop you are both caught in.",
        tags: "negative-cycles, conflict",
        chapters: &["conflict"],
        publish: "publish",
        days: 21,
        body: "Most couples who come to me have one argument they know by heart. The topic changes (the dishes, the phone, the in-laws) but the steps are the same.\n\n## The loop\n\nOne of you feels a flicker of worry and reaches out, a little sharply. The other hears criticism and steps back to calm things down. The stepping back feels like rejection, so the reaching gets louder. The louder reaching feels like an attack, so the stepping back gets further.\n\nNeither of you is the villain here. Both moves are attempts to protect the bond. They just happen to set each other off.\n\n## Naming it together\n\nTry giving the loop a name, something a bit silly helps. \"We are doing the chase again.\" Once it has a name, you can stand side by side and look at it, instead of facing each other across it.\n\n- What sets it off for me?\n- What do I feel underneath, before the sharpness or the silence?\n- What do I do to protect myself?\n- How might my partner read that move?\n\nThe cycle is the problem. You are on the same team against it.",
    },
    DemoPost {
        title: "When shame shows up in an argument",
        excerpt: "Shame often hides behind defensiveness. Noticing it changes what is possible.",
        tags: "shame, conflict",
        chapters: &["conflict", "what-it-feels-like"],
        publish: "publish",
        days: 14,
        body: "Sometimes a small comment lands like a verdict. \"You forgot again\" becomes, somewhere inside, \"you are not good enough.\" That is shame, and it moves fast.\n\nShame rarely looks like shame from the outside. It looks like arguing back, going quiet, changing the subject or turning the blame around. All of these are ways of getting out from under a feeling that is very hard to bear.\n\n## A gentler first step\n\nIf you can, catch the moment the heat rises and say something true and small: \"That hit me harder than you meant it to.\" It gives your partner a chance to reassure you, rather than meeting your defence with one of their own.\n\nAnd if you are the one who spoke: when your partner seems to overreact, it can help to wonder whether what they heard was \"I am failing\" rather than \"you forgot the milk.\"",
    },
    DemoPost {
        title: "Repair is a skill, not a mood",
        excerpt: "You do not have to wait until you feel like repairing. Small, imperfect attempts count.",
        tags: "repair",
        chapters: &["conflict", "what-it-needs"],
        publish: "publish",
        days: 7,
        body: "Many people wait to repair until the hurt has faded and the words feel right. Often that moment does not come, and the distance quietly sets.\n\nRepair does not need perfect timing or perfect words. It needs an attempt, and a partner willing to notice it.\n\n## Repair attempts that work surprisingly well\n\n- \"Can we start that again?\"\n- \"I got sharp. That was about my day, not you.\"\n- \"I still want to sort this out. I need twenty minutes first, then I will come back.\"\n- A hand on the shoulder, a cup of tea, a joke you both know.\n\nThe last one matters: if you say you will come back, come back. Keeping that small promise is one of the fastest ways to build trust in repair.",
    },
    DemoPost {
        title: "Asking for reassurance without apologising for it",
        excerpt: "Needing to hear that you are okay is human. Here is how to ask in a way that can be answered.",
        tags: "reassurance, needs",
        chapters: &["what-it-needs"],
        publish: "publish",
        days: 3,
        body: "Reassurance has a bad reputation. People say they feel \"needy\" for wanting it, and so they ask sideways: a test, a hint, a sulk. Sideways requests are hard to answer well.\n\n## Ask plainly\n\n\"I am feeling wobbly about us today. Could you tell me we are okay?\" is a request your partner can meet in one sentence. It also tells them something true about you, which is itself a kind of closeness.\n\n## And notice the answer\n\nWhen reassurance comes, let it land before looking for the next sign. Security grows from many small moments of asking and being answered, not from one perfect answer.",
    },
    DemoPost {
        title: "For the steadier partner: you are allowed to need care too",
        excerpt: "Being the calm one can quietly turn into carrying everything. It does not have to.",
        tags: "more-secure-partner, needs",
        chapters: &["four-paths"],
        publish: "schedule",
        days: 7,
        body: "If you are usually the one who stays calm, soothes and starts the repair, you are doing something valuable. You may also be tired.\n\nSteadiness is not the same as having no needs. Saying \"I need some looking after today\" is not a failure of your security; it is part of it.",
    },
    DemoPost {
        title: "Notes on bids for connection",
        excerpt: "Small moments of turning toward each other, and why they matter more than grand gestures.",
        tags: "connection",
        chapters: &["in-a-relationship"],
        publish: "draft",
        days: 0,
        body: "Draft: collect examples of everyday bids from this month's group session before publishing.",
    },
];

async fn load_posts(state: &AppState) -> anyhow::Result<usize> {
    let Some(coach) = store::find_user_by_email(&state.db, "coach@demo.securebase").await? else {
        return Ok(0);
    };
    let author = crate::web::CurrentUser {
        id: coach.id,
        email: coach.email,
        display_name: coach.display_name,
        role: coach.role,
        time_zone: "UTC".into(),
        session_id: String::new(),
    };
    let now = crate::clock::now();
    let mut created = 0;
    for p in DEMO_POSTS {
        let slug = learn::markdown::slugify(p.title);
        if learn::store::find_by_slug(&state.db, &slug).await?.is_some() {
            continue;
        }
        let input = learn::posts::PostInput {
            title: p.title.into(),
            slug: slug.clone(),
            excerpt: p.excerpt.into(),
            body: p.body.into(),
            tags: p.tags.into(),
            chapters: p.chapters.iter().map(|c| c.to_string()).collect(),
            publish: match p.publish {
                "publish" => "keep".into(),
                other => other.into(),
            },
            publish_at: crate::clock::rfc3339(now + p.days * 86_400),
            existing_publish_at: (p.publish == "publish").then_some(now - p.days * 86_400),
        };
        learn::service::save_post(state, &author, None, &input)
            .await
            .map_err(|e| anyhow::anyhow!("demo post {slug}: {e}"))?;
        created += 1;
    }
    Ok(created)
}

/// Months of check-ins for the demo members, drifting gently toward security
/// with ordinary ups and downs, so the dashboard tells a story.
async fn load_checkins(state: &AppState) -> anyhow::Result<usize> {
    use crate::features::assess::{checkin_store, checkins, store as results};
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
            for (kind, values, note, score) in entries {
                checkin_store::insert(
                    &state.db,
                    checkin_store::NewCheckIn {
                        user_id: &user.id,
                        kind,
                        day: &day,
                        values: &values,
                        note: &note,
                        score,
                        at,
                    },
                )
                .await?;
                created += 1;
            }
        }
        // Two reflections, three months apart.
        if let Some(scale) = state.instruments.iter().find(|i| i.id == "closeness-reflection") {
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

/// Journal entries, an unfinished draft, affirmations, a reframe, repair
/// plans, a cycle map in two versions and moments of return for the demo
/// members, and one prompt added by the demo coach.
async fn load_practice(state: &AppState) -> anyhow::Result<usize> {
    use crate::features::practice::cycle::CycleFields;
    use crate::features::practice::repair::RepairAnswers;
    use crate::features::practice::store as practice;
    let mut created = 0;
    let now = crate::clock::now();
    let day = |ago: i64, zone: &str| crate::clock::day_in_zone(now - ago * 86_400, zone);
    if practice::instance_prompts(&state.db).await?.is_empty()
        && let Some(coach) = store::find_user_by_email(&state.db, "coach@demo.securebase").await?
    {
        practice::insert_prompt(
            &state.db,
            "When did you last feel really met by someone? What did they do?",
            &coach.id,
        )
        .await?;
        created += 1;
    }
    for email in ["alex@demo.securebase", "sam@demo.securebase"] {
        let Some(user) = store::find_user_by_email(&state.db, email).await? else { continue };
        if practice::count_entries(&state.db, &user.id, None).await? > 0 {
            continue;
        }
        let alex = email.starts_with("alex");
        let entries: &[(i64, &str, &str, &str)] = if alex {
            &[
                (
                    40,
                    "safe-in-connection",
                    "Small things",
                    "Being told the plan. Knowing when Sam will be home, even if it is late.\n\nA hand on my back when I walk past. It sounds so small written down.",
                ),
                (
                    26,
                    "how-i-protect",
                    "",
                    "I go busy. I start tidying, answering emails, anything that means I do not have to sit with it.\n\nSam reads that as me not caring, which is the opposite of true.",
                ),
                (
                    12,
                    "need-to-name",
                    "Sunday",
                    "I need to know that we are OK after an argument before I can sleep. I could just say that, instead of hovering.",
                ),
                (
                    3,
                    "",
                    "A good week",
                    "We had the same almost-argument about the dishes and this time I laughed first. Something is shifting.",
                ),
            ]
        } else {
            &[
                (
                    33,
                    "when-disconnected",
                    "Far away",
                    "When Alex goes quiet I feel like I am shouting into a room with nobody in it. Then I get louder.",
                ),
                (
                    18,
                    "more-secure-response",
                    "",
                    "Tuesday: instead of following Alex round the kitchen I could have said \"I feel shut out, can we sit down for five minutes?\"\n\nNext time.",
                ),
                (
                    5,
                    "safe-in-connection",
                    "What helps",
                    "Eye contact. Being asked how my day really was, and the question being meant.",
                ),
            ]
        };
        for (ago, prompt, title, body) in entries {
            let question = crate::features::practice::content::built_in_prompt_text(prompt);
            let text = practice::EntryText { prompt_id: prompt, prompt_text: question, title, body };
            practice::insert_entry(&state.db, &user.id, text, now - ago * 86_400).await?;
            created += 1;
        }
        // A reframe, saved like any entry.
        let (title, body) = crate::features::practice::pages::ReframeForm {
            disagreement: if alex {
                "Whose family we spend the holidays with"
            } else {
                "How much time we spend with friends at weekends"
            }
            .into(),
            my_protecting: if alex {
                "Feeling that my family matters too"
            } else {
                "Not losing the people who knew me before"
            }
            .into(),
            partner_protecting: if alex { "Rest, after a hard year" } else { "Time that is only ours" }
                .into(),
            both_want: "To feel like a team when we plan, not opponents".into(),
            next_step: "Talk it through on a walk, not late at night".into(),
        }
        .to_entry();
        let text = practice::EntryText {
            prompt_id: crate::features::practice::content::REFRAME_PROMPT_ID,
            prompt_text: crate::features::practice::content::REFRAME_PROMPT_TEXT,
            title: &title,
            body: &body,
        };
        practice::insert_entry(&state.db, &user.id, text, now - 9 * 86_400).await?;
        created += 1;
        if alex {
            practice::save_draft(
                &state.db,
                &user.id,
                &practice::DraftRecord {
                    key: "new".into(),
                    prompt_id: "when-disconnected".into(),
                    title: String::new(),
                    body: "When Sam is on the phone all evening I start to feel".into(),
                    base_version: 0,
                    updated_at: now - 3600,
                },
            )
            .await?;
            practice::insert_affirmation(&state.db, &user.id, "I am allowed to ask for reassurance.").await?;
            practice::set_affirmation_mark(&state.db, &user.id, "repair-is-love", Some("favourite")).await?;
            created += 2;
        } else {
            practice::set_affirmation_mark(&state.db, &user.id, "truth-and-bond", Some("favourite")).await?;
            practice::set_affirmation_mark(&state.db, &user.id, "no-perfection", Some("hidden")).await?;
            created += 1;
        }
        // Repair plans: one complete for Alex, one half-way for Sam.
        let plan = RepairAnswers {
            pause_message: crate::features::practice::content::PAUSE_MESSAGE.into(),
            what_happened: if alex {
                "Sam asked if I had booked the train. I said no, sharply, and went to the other room."
            } else {
                "Alex went to the other room while I was still talking about the train."
            }
            .into(),
            feelings: if alex { vec!["ashamed".into(), "overwhelmed".into()] } else { vec!["lonely".into(), "hurt".into()] },
            what_i_felt: if alex { "Like I had failed at something simple." } else { "Left on my own in the middle of it." }.into(),
            moves: if alex { vec!["went-quiet".into()] } else { vec!["pursued".into()] },
            how_i_protected: if alex { "Left the room so I would not have to feel it." } else { "" }.into(),
            my_part: if alex { "My tone made it sound like Sam was the problem." } else { "" }.into(),
            what_i_need: if alex { "A bit of patience when I have dropped a ball." } else { "" }.into(),
            repair_attempt: if alex {
                "I snapped because I felt bad about the train, not because of you. I am sorry. Can we book it together now?"
            } else {
                ""
            }
            .into(),
        };
        let id =
            practice::insert_plan(&state.db, &user.id, if alex { 7 } else { 4 }, &plan, now - 6 * 86_400)
                .await?;
        if alex {
            practice::update_plan(&state.db, &user.id, &id, 7, &plan, Some(now - 5 * 86_400)).await?;
        }
        created += 1;
        // A cycle map, understood a little better the second time.
        if alex {
            let first = CycleFields {
                my_trigger: "Sam's voice gets louder".into(),
                my_feeling: "Overwhelmed".into(),
                my_move: "I go quiet and leave".into(),
                partner_reads: "That I do not care".into(),
                partner_move: "Sam follows me and pushes harder".into(),
                way_out: String::new(),
            };
            let map =
                practice::insert_map(&state.db, &user.id, "The kitchen loop", &first, now - 30 * 86_400)
                    .await?;
            let second = CycleFields {
                my_feeling: "Ashamed, as if I have already failed".into(),
                partner_reads: "That I am leaving, that I do not care how Sam feels".into(),
                partner_move: "Sam follows me, louder, because being left is Sam's fear".into(),
                way_out: "Saying \"I need ten minutes and I will come back\" before I go".into(),
                ..first
            };
            practice::add_map_version(&state.db, &user.id, &map, "The kitchen loop", &second).await?;
            created += 2;
        }
        // Moments of return, a few a month.
        let moments: &[(i64, &str)] = if alex {
            &[
                (120, "Sam came and sat with me after the call with my mum."),
                (95, "We said sorry to each other before bed instead of waiting a day."),
                (70, "I asked for a hug instead of going quiet. I got one."),
                (52, "Sam noticed I was tired and made tea without asking."),
                (40, "After the argument about money we came back to it calmly the next morning."),
                (21, "I texted that I was running late and got a kind reply."),
                (8, "We laughed about the dishes instead of fighting about them."),
                (2, "Sam reached for my hand on the walk. I let myself be glad."),
            ]
        } else {
            &[
                (80, "Alex came back after ten minutes, like they said they would."),
                (33, "We talked about the holiday without anybody storming off."),
                (11, "Alex told me they were overwhelmed instead of just leaving."),
            ]
        };
        for (ago, text) in moments {
            practice::insert_return(
                &state.db,
                &user.id,
                &day(*ago, &user.time_zone),
                text,
                now - ago * 86_400,
            )
            .await?;
            created += 1;
        }
    }
    Ok(created)
}
