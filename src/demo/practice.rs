//! The demo members' practice: journal entries and a draft, a reframe,
//! affirmations, repair plans, a cycle map in two versions and moments of
//! return, and a prompt the demo coach added.

use crate::features::accounts::store;
use crate::features::practice::cycle::rules::CycleFields;
use crate::features::practice::repair::rules::RepairAnswers;
use crate::features::practice::{affirmations, cycle, journal, reframe, repair, returns};
use crate::state::AppState;

/// Journal entries, an unfinished draft, affirmations, a reframe, repair
/// plans, a cycle map in two versions and moments of return for the demo
/// members, and one prompt added by the demo coach.
pub async fn load(state: &AppState) -> anyhow::Result<usize> {
    let mut created = 0;
    let now = crate::clock::now();
    let day = |ago: i64, zone: &str| crate::clock::day_in_zone(now - ago * 86_400, zone);
    if journal::store::instance_prompts(&state.db).await?.is_empty()
        && let Some(coach) = store::find_user_by_email(&state.db, "coach@demo.securebase").await?
    {
        journal::store::insert_prompt(
            &state.db,
            "When did you last feel really met by someone? What did they do?",
            &coach.id,
        )
        .await?;
        created += 1;
    }
    for email in ["alex@demo.securebase", "sam@demo.securebase"] {
        let Some(user) = store::find_user_by_email(&state.db, email).await? else { continue };
        if journal::store::count_entries(&state.db, &user.id).await? > 0 {
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
            let question = journal::content::built_in_prompt_text(prompt);
            let text = journal::store::EntryText { prompt_id: prompt, prompt_text: question, title, body };
            journal::store::insert_entry(&state.db, &user.id, text, now - ago * 86_400).await?;
            created += 1;
        }
        // A reframe, saved like any entry.
        let (title, body) = reframe::rules::ReframeForm {
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
        let text = journal::store::EntryText {
            prompt_id: journal::content::REFRAME_PROMPT_ID,
            prompt_text: journal::content::REFRAME_PROMPT_TEXT,
            title: &title,
            body: &body,
        };
        journal::store::insert_entry(&state.db, &user.id, text, now - 9 * 86_400).await?;
        created += 1;
        if alex {
            journal::store::save_draft(
                &state.db,
                &user.id,
                &journal::store::DraftRecord {
                    key: "new".into(),
                    prompt_id: "when-disconnected".into(),
                    title: String::new(),
                    body: "When Sam is on the phone all evening I start to feel".into(),
                    base_version: 0,
                    updated_at: now - 3600,
                },
            )
            .await?;
            affirmations::store::insert_affirmation(
                &state.db,
                &user.id,
                "I am allowed to ask for reassurance.",
            )
            .await?;
            affirmations::store::set_affirmation_mark(
                &state.db,
                &user.id,
                "repair-is-love",
                Some("favourite"),
            )
            .await?;
            created += 2;
        } else {
            affirmations::store::set_affirmation_mark(
                &state.db,
                &user.id,
                "truth-and-bond",
                Some("favourite"),
            )
            .await?;
            affirmations::store::set_affirmation_mark(&state.db, &user.id, "no-perfection", Some("hidden"))
                .await?;
            created += 1;
        }
        // Repair plans: one complete for Alex, one half-way for Sam.
        let plan = RepairAnswers {
            pause_message: repair::content::PAUSE_MESSAGE.into(),
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
        let id = repair::store::insert_plan(
            &state.db,
            &user.id,
            if alex { 7 } else { 4 },
            &plan,
            now - 6 * 86_400,
        )
        .await?;
        if alex {
            repair::store::update_plan(&state.db, &user.id, &id, 7, &plan, Some(now - 5 * 86_400)).await?;
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
                cycle::store::insert_map(&state.db, &user.id, "The kitchen loop", &first, now - 30 * 86_400)
                    .await?;
            let second = CycleFields {
                my_feeling: "Ashamed, as if I have already failed".into(),
                partner_reads: "That I am leaving, that I do not care how Sam feels".into(),
                partner_move: "Sam follows me, louder, because being left is Sam's fear".into(),
                way_out: "Saying \"I need ten minutes and I will come back\" before I go".into(),
                ..first
            };
            cycle::store::add_map_version(&state.db, &user.id, &map, "The kitchen loop", &second).await?;
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
            returns::store::insert_return(
                &state.db.pool,
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
