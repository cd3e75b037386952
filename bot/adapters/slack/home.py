"""The App Home view: a pure builder, a workspace's `Week` in, a Block Kit `home` view out."""

from __future__ import annotations

from typing import Any

from bot import messages
from bot.adapters.slack.blocks import Block, escape
from bot.core.stats import Week


def week_lines(week: Week) -> tuple[str, str]:
    """Two lines: answers by verdict (most frequent first), then 👍/👎."""
    if week.answers:
        ranked = sorted(week.verdicts.items(), key=lambda item: (-item[1], item[0]))
        verdicts = " · ".join(
            f"{escape(messages.SLACK_VERDICT_NAMES.get(v, v))} {n}" for v, n in ranked if n
        )
        answers = messages.SLACK_HOME_ANSWERS.format(answers=week.answers, verdicts=verdicts)
    else:
        answers = messages.SLACK_HOME_NO_ANSWERS
    return answers, messages.SLACK_HOME_RATINGS.format(up=week.up, down=week.down)


def home_view(week: Week) -> dict[str, Any]:
    lines = week_lines(week)
    examples = "\n".join(
        f"• *{escape(title)}* — {escape(text)}" for title, text in messages.EXAMPLE_PROMPTS
    )
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": messages.SLACK_HOME_TITLE}},
        {"type": "section", "text": {"type": "mrkdwn", "text": messages.SLACK_HOME_HOW}},
        {"type": "divider"},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"{messages.SLACK_HOME_EXAMPLES}\n{examples}"},
        },
        {"type": "divider"},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "\n".join((messages.SLACK_HOME_WEEK, *lines))},
        },
    ]
    return {"type": "home", "blocks": blocks}
