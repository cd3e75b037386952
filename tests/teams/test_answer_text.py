"""The answer's text as Teams shows it (issue 18): plain words first, the verdict apart from the
summary, each reason a paragraph with a bold lead-in and its markers (Teams makes pills of `[n]`
only in paragraph text, never in list items), and the cue that a reply refines it at the end."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot import messages
from bot.adapters.teams import replies
from bot.adapters.teams.answer_text import HARD_BREAK, answer_markdown
from bot.core.render import UNDERSTOOD, citation_numbers
from bot.core.types import Answer, Citation, Reason, Verdict
from bot.settings import Settings
from tests.support.toolbox import grounding_for
from tests.teams.test_conversations import PROJECT

MARKER = re.compile(r"\[\d+\]")


async def offline_answer(make_settings: Callable[..., Settings], text: str = PROJECT) -> Answer:
    return await grounding_for(make_settings()).offline.answer([text])


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


async def test_the_message_starts_with_plain_words_and_the_verdict_stands_alone(
    make_settings: Callable[..., Settings],
) -> None:
    answer = await offline_answer(make_settings)
    verdict, summary, *_ = paragraphs(replies.answer_reply(answer).text)
    assert verdict == "My recommendation: **RAG (retrieval-augmented generation)** (confidence 92%)"
    assert summary == answer.summary  # its own paragraph, not run into the verdict line
    assert re.match(r"[A-Za-z]", verdict)  # the chat list previews plain words, not `**RAG…`


async def test_each_reason_is_a_paragraph_with_a_lead_in_and_its_markers(
    make_settings: Callable[..., Settings],
) -> None:
    answer = await offline_answer(make_settings)
    text = replies.answer_reply(answer).text
    blocks = paragraphs(text)
    why = blocks.index(messages.TEAMS_WHY)
    numbers = citation_numbers(answer)
    shown = blocks[why + 1 : why + 1 + len(answer.reasons)]
    for block, reason in zip(shown, answer.reasons, strict=True):
        claim, you_said = block.split(HARD_BREAK)
        assert reason.lead and claim.startswith(f"**{reason.lead}.** {reason.text}")
        assert 2 <= len(reason.lead.split()) <= 3
        wanted = " ".join(f"[{numbers[c]}]" for c in reason.citations)
        assert claim.endswith(wanted)
        assert you_said.startswith(messages.TEAMS_YOU_SAID + " “")
    # no marker sits in a list item, where Teams would leave it as literal text
    assert not [line for line in text.splitlines() if line.startswith("- ") and MARKER.search(line)]
    assert set(MARKER.findall(text)) == {f"[{n}]" for n in range(1, len(answer.citations) + 1)}


async def test_a_personal_answer_ends_with_the_cue_and_a_channel_answer_with_the_mention_cue(
    make_settings: Callable[..., Settings],
) -> None:
    answer = await offline_answer(make_settings)
    personal = replies.answer_reply(answer).text
    channel = replies.answer_reply(answer, mention_hint=True).text
    assert paragraphs(personal)[-1] == messages.TEAMS_REPLY_HINT
    assert paragraphs(channel)[-1] == messages.TEAMS_MENTION_HINT
    assert messages.TEAMS_MENTION_HINT not in personal


async def test_what_was_understood_and_the_correction_button_are_kept(
    make_settings: Callable[..., Settings],
) -> None:
    answer = await offline_answer(make_settings)
    reply = replies.answer_reply(answer)
    assert paragraphs(reply.text)[-2].startswith(UNDERSTOOD)
    assert "knowledge changes often ✔" in paragraphs(reply.text)[-2]
    [card] = reply.attachments
    assert card.content["actions"][0]["title"] == messages.TEAMS_CORRECT
    assert paragraphs(reply.text)[-3].startswith(messages.TEAMS_SHARPEN + "\n- ")


async def test_a_clarify_answer_also_starts_with_plain_words(
    make_settings: Callable[..., Settings],
) -> None:
    answer = await offline_answer(make_settings, "hello there")
    assert answer.verdict is Verdict.CLARIFY
    text = replies.answer_reply(answer).text
    assert paragraphs(text)[0] == messages.TEAMS_VERDICT_CLARIFY
    assert paragraphs(text)[1] == answer.summary
    assert paragraphs(text)[-1] == messages.TEAMS_REPLY_HINT


def _one_reason(verdict: Verdict, summary: str, reason: Reason) -> Answer:
    """An answer with one reason citing one passage, `c1`."""
    cite = Citation(id="c1", source="knowledge/a.md", title="A", quote="Quote.")
    return Answer(
        verdict=verdict, confidence=0.5, summary=summary, reasons=[reason], citations=[cite]
    )


def test_a_reason_without_a_lead_in_is_still_its_own_paragraph() -> None:
    reason = Reason(text="Because of this.", citations=["c1"])
    text = answer_markdown(_one_reason(Verdict.RAG, "Use RAG.", reason), cue="cue")
    assert paragraphs(text) == [
        "My recommendation: **RAG (retrieval-augmented generation)** (confidence 50%)",
        "Use RAG.",
        messages.TEAMS_WHY,
        "Because of this. [1]",
        "cue",
    ]


def test_the_lead_in_is_not_part_of_the_answer_object() -> None:
    reason = Reason(text="Because.", citations=["c1"], lead="Changing knowledge")
    assert "lead" not in reason.model_dump()


def test_a_reason_resting_on_what_the_user_set_says_so() -> None:
    said = Reason(text="Because of this.", citations=["c1"], set_by_user=["format"])
    answer = _one_reason(Verdict.FINE_TUNING, "Fine-tune.", said)
    reason = paragraphs(answer_markdown(answer, cue="cue"))[3]
    assert reason == f"Because of this. [1]{HARD_BREAK}_You set_ fixed output format"
