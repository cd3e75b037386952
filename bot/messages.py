"""Every fixed string the bot shows a person, in one place."""

from __future__ import annotations

from bot.core.texts import Texts

USAGE = (
    "Describe the LLM project you are planning and I'll say whether it needs RAG, fine-tuning, "
    "both, or better prompting first — with reasons you can check against the sources.\n"
    "• Slack: mention me in a channel or DM me; `/rag-or-ft <your project>` posts a new thread.\n"
    "• Teams: mention me in a channel, or write to me in a chat.\n"
    "Then reply in the thread to add details or ask why; I remember the whole thread.\n"
    "Example: `/rag-or-ft Support bot over 3,000 help articles that change weekly; answers "
    "must link to the source.`"
)

EMPTY_MESSAGE = "I didn't catch a project description. " + USAGE

RATE_LIMITED = (
    "You're sending messages faster than I can think them through — please wait about "
    "{seconds} seconds and try again. Nothing you wrote was lost; just resend it."
)

ERROR_APOLOGY = (
    "Sorry — something went wrong on my side and I couldn't answer this one. "
    "Please try again in a moment. (reference: {ref})"
)

LLM_UNAVAILABLE = (
    "The detailed analysis was unavailable just now, so this is the built-in rule-based "
    "triage — still grounded in the same sources."
)

TRUNCATED = (
    "Your message was {length:,} characters; I read the first {limit:,}. If the key points "
    "came later, send them as a reply in this thread."
)

JOB_GAVE_UP = (
    "Sorry — I tried several times and could not answer this one. Please ask again "
    "(reference `{ref}`)."
)
JOB_STALE = (
    "Sorry — I was too busy to answer this in time, and the answer would be stale by now. "
    "Please ask again (reference `{ref}`)."
)
CORE_TEXTS = Texts(rate_limited=RATE_LIMITED, truncated=TRUNCATED, apology=ERROR_APOLOGY)
"""The words the conversation core shows; it takes them from its caller (`bot.runtime`)."""

FEEDBACK_THANKS = "Thanks for the feedback!"

NOT_IN_CHANNEL = (
    "I can't post in this channel because I'm not a member. Invite me with "
    "`/invite @rag-or-ft` and run the command again, or DM me."
)

# --- Slack -----------------------------------------------------------------------------------
SLACK_ASKED = "<@{user}> asked:"
SLACK_WORKING = ":hourglass_flowing_sand: Working on it — the answer will replace this message."
SLACK_CONFIDENCE = "Confidence {confidence:.0%}"
SLACK_TURN = "turn {turn}"
SLACK_WHY = "*Why*"
SLACK_YOU_SAID = "you said"
SLACK_YOU_SET = "you set"
SLACK_SOURCES = "*Sources*"
SLACK_FOLLOW_UPS = "*To sharpen this* — reply in this thread:"
SLACK_FEEDBACK_PROMPT = "Was this useful?"
SLACK_FEEDBACK_UP = "👍 Helpful"
SLACK_FEEDBACK_DOWN = "👎 Not helpful"
SLACK_CONTINUED = "(continued)"
SLACK_CORRECT = "✏️ Correct my reading"
SLACK_CORRECT_TITLE = "Correct my reading"
SLACK_CORRECT_SUBMIT = "Answer again"
SLACK_CORRECT_CLOSE = "Cancel"
CORRECT_INTRO = (
    "Set what I read wrong; I'll answer again in the thread. What you set here counts until you "
    "change it, or until you tell me otherwise in a message."
)
CORRECT_CHOICES = {"yes": "Yes", "no": "No", "unknown": "Not said"}
CORRECT_SIDES = {
    "knowledge": "What the answers must know (argues for RAG)",
    "behaviour": "How the model must behave (argues for fine-tuning)",
    "prompt-first": "Where the project stands (argues for prompting first)",
    "enabler": "What you have to work with",
}
CORRECT_YOU_SET = "You set this."
TEAMS_CORRECT = "Correct my reading"
TEAMS_CORRECT_SUBMIT = "Answer again"
SLACK_REPLY_HINT = "Reply in this thread to add details or ask why; I remember the whole thread."

# --- Slack: the assistant container, the loading status, App Home ---------------------------
EXAMPLE_PROMPTS: tuple[tuple[str, str], ...] = (
    (
        "A help-centre bot over changing docs",
        "Support bot over 3,000 help articles that change weekly; answers must cite the source "
        "article.",
    ),
    (
        "Notes into a fixed JSON format, cheaply",
        "We need a small model to turn clinical notes into our fixed JSON schema in our house "
        "style, thousands of times a day, cheaply and fast. We have 20,000 labelled examples.",
    ),
    (
        "A first prototype",
        "We want to summarise meeting transcripts for our team. We haven't tried prompting a "
        "model yet; it's a first prototype.",
    ),
)
"""(title, message): one real project per common verdict — RAG, fine-tuning, prompting first
(tests/slack/test_assistant.py checks each gets it). Slack's suggested prompts, App Home and the
manifest's `assistant_view` show the same three."""
SLACK_ASSISTANT_GREETING = (
    "Hi! Describe the LLM project you're planning — what it must know, how it must behave, what "
    "you have to work with — and I'll say whether it needs RAG, fine-tuning, both, or better "
    "prompting first, citing the sources. Reply in this thread to add details."
)
SLACK_PROMPTS_TITLE = "Try one of these projects:"
SLACK_TITLE_LIMIT = 80
SLACK_STATUS = "is thinking…"
"""Slack shows it after the app's name: "rag-or-ft is thinking…"."""
SLACK_HOME_TITLE = "rag-or-ft — RAG, fine-tuning, both, or prompting first?"
SLACK_HOME_HOW = (
    "Describe the LLM project you're planning and I'll say whether it needs RAG, fine-tuning, "
    "both, or better prompting first — with reasons you can check against the sources.\n"
    "• Open me in the AI side panel (the ✨ button) or the *Chat* tab and just write.\n"
    "• In a channel, mention me: `@rag-or-ft <your project>`; `/rag-or-ft <your project>` posts "
    "a new thread.\n"
    "Reply in the thread to add details or ask why; I remember the whole thread. "
    "✏️ *Correct my reading* under an answer fixes what I misread."
)
SLACK_HOME_EXAMPLES = "*Try one of these*"
SLACK_HOME_WEEK = "*This workspace, last 7 days*"
SLACK_HOME_ANSWERS = "{answers} answers: {verdicts}"
SLACK_HOME_NO_ANSWERS = "No answers yet."
SLACK_HOME_RATINGS = "Feedback: 👍 {up} · 👎 {down}"
SLACK_VERDICT_NAMES = {
    "rag": "RAG",
    "fine_tuning": "fine-tuning",
    "both": "both",
    "prompt_engineering": "prompting first",
    "clarify": "needs details",
}

# --- Teams -----------------------------------------------------------------------------------
TEAMS_USAGE = (
    "Describe the LLM project you are planning and I'll say whether it needs RAG, fine-tuning, "
    "both, or better prompting first — with reasons you can check against the cited sources.\n\n"
    "- In a channel or group chat: @mention me with your project; reply in the same thread "
    "(mentioning me again) to add details or ask why.\n"
    "- In a personal chat: just write; every message adds to the same conversation.\n\n"
    "Example: _Support bot over 3,000 help articles that change weekly; answers must link to "
    "the source._"
)

TEAMS_WELCOME = "Hi! I'm rag-or-ft, an architecture triage bot.\n\n" + TEAMS_USAGE

TEAMS_EMPTY_MESSAGE = "I didn't catch a project description.\n\n" + TEAMS_USAGE

TEAMS_MENTION_HINT = (
    "_To add details or ask why, reply here and @mention me — I remember this conversation._"
)
TEAMS_REPLY_HINT = "_To add details or ask why, reply here — I remember this conversation._"
"""The personal chat's cue: the channel's, without the mention (every message reaches the bot)."""
TEAMS_VERDICT = "My recommendation: **{label}** (confidence {confidence:.0%})"
"""The answer's first paragraph: plain words first, as the chat list previews them."""
TEAMS_VERDICT_CLARIFY = "Before I can recommend anything, I need **more detail**."
TEAMS_WHY = "**Why**"
TEAMS_YOU_SAID = "_You said_"
TEAMS_YOU_SET = "_You set_"
TEAMS_SHARPEN = "**To sharpen this**"

# --- Progress while answering (Slack's loading messages, Teams' informative updates) -----------
PROGRESS_STEPS = (
    "Reading the articles…",
    "Weighing knowledge against behaviour…",
    "Checking the quotes against the sources…",
    "Writing up the verdict…",
)
"""Shown one after another while an answer is worked out, each for a few seconds."""
