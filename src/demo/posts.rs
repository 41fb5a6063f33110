//! The demo coach's posts: published, scheduled and a draft.

use crate::features::accounts::store;
use crate::features::learn;
use crate::state::AppState;

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

pub async fn load(state: &AppState) -> anyhow::Result<usize> {
    let Some(coach) = store::find_user_by_email(&state.db, "coach@demo.securebase").await? else {
        return Ok(0);
    };
    let mut author = crate::features::accounts::sessions::current_user(coach, Default::default());
    // The demo's dates are written in UTC.
    author.time_zone = "UTC".into();
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
