"""Block Kit builders and key helpers, tested directly (no Slack, no server)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot import messages
from bot.adapters.slack import blocks as b
from bot.adapters.slack.api import page_text
from bot.adapters.slack.keys import clean_text, thread_key
from bot.core.types import Answer, Citation, Reason, Span, Verdict

BOT = "U0BOT0001"


def answer(**update: Any) -> Answer:
    base = Answer(
        verdict=Verdict.RAG,
        confidence=0.82,
        summary="Start with RAG: the articles change weekly.",
        reasons=[
            Reason(text="Docs change weekly.", citations=["c1", "c2"]),
            Reason(text="Answers must cite.", citations=["c2"]),
        ],
        citations=[
            Citation(id="c1", source="knowledge/a.md", title="RAG vs FT", quote="RAG adapts."),
            Citation(
                id="c2",
                source="knowledge/b.md",
                title="When to use each",
                quote="You need citations.",
                author="A. Writer",
                date="2024-05-01",
                url="https://example.com/article",
            ),
        ],
        follow_up_questions=["How often do the docs change?"],
        thread="slack:T1:C1:1.2",
    )
    return base.model_copy(update=update)


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    out = []
    for block in blocks:
        if block["type"] in ("section", "header"):
            out.append(block["text"]["text"])
        elif block["type"] == "context":
            out += [e["text"] for e in block["elements"]]
    return out


def assert_within_limits(message: b.SlackMessage) -> None:
    assert 0 < len(message.blocks) <= b.MAX_BLOCKS
    for block in message.blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= b.SECTION_LIMIT
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= b.HEADER_LIMIT
        if block["type"] == "context":
            assert len(block["elements"]) <= 10
            assert all(len(e["text"]) <= b.CONTEXT_LIMIT for e in block["elements"])
    assert len(message.text) <= b.FALLBACK_LIMIT


def test_layout_verdict_first_then_summary_reasons_sources_questions_buttons() -> None:
    [message] = b.answer_messages(answer())
    kinds = [block["type"] for block in message.blocks]
    assert kinds[0] == "header" and "RAG" in message.blocks[0]["text"]["text"]
    assert "Confidence 82%" in texts(message.blocks)[1]
    assert kinds[-1] == "actions"
    joined = "\n".join(texts(message.blocks))
    order = ["Start with RAG", "*Why*", "*Sources*", "How often do the docs change?"]
    assert [joined.index(x) for x in order] == sorted(joined.index(x) for x in order)
    assert "RAG" in message.text and "82%" in message.text  # plain-text fallback


def test_reason_markers_match_source_numbers() -> None:
    joined = "\n".join(texts(b.answer_blocks(answer())))
    assert "• Docs change weekly. [1][2]" in joined
    assert "• Answers must cite. [2]" in joined
    assert "*[1]* “RAG adapts.” — _RAG vs FT_" in joined
    assert "*[2]* “You need citations.” — <https://example.com/article|When to use each>" in joined
    assert "A. Writer, 2024-05-01" in joined


def test_sources_are_context_blocks_one_per_citation() -> None:
    blocks = b.answer_blocks(answer())
    sources = [x for x in blocks if x["type"] == "context" and "“" in x["elements"][0]["text"]]
    assert len(sources) == 2


def test_notice_is_a_context_line() -> None:
    blocks = b.answer_blocks(answer(notice=messages.LLM_UNAVAILABLE))
    notices = [x for x in blocks if x["type"] == "context" and "detailed analysis" in str(x)]
    assert len(notices) == 1


def test_turn_shown_after_the_first() -> None:
    assert "turn 3" in "\n".join(texts(b.answer_blocks(answer(turn=3))))
    assert "turn" not in texts(b.answer_blocks(answer()))[1]


def test_feedback_buttons_carry_thread_and_verdict() -> None:
    actions = b.answer_blocks(answer())[-1]
    assert actions["block_id"] == b.FEEDBACK_BLOCK
    ids = [e["action_id"] for e in actions["elements"]]
    assert ids == [b.FEEDBACK_UP, b.FEEDBACK_DOWN]
    value = actions["elements"][0]["value"]
    assert len(value) < 2000 and " " not in value
    assert b.parse_feedback_value(value) == ("slack:T1:C1:1.2", "rag")
    assert b.answer_blocks(answer(), feedback=False)[-1]["type"] != "actions"


@pytest.mark.parametrize("value", ["", "nope", "[1]", '{"t": "x"}', '{"v": 3}'])
def test_foreign_feedback_values_are_refused(value: str) -> None:
    with pytest.raises(ValueError):
        b.parse_feedback_value(value)


def test_everything_foreign_is_escaped() -> None:
    hostile = "<!channel> & <@U123> <https://evil.example|click>"
    a = answer(summary=hostile, notice=hostile, follow_up_questions=[hostile])
    a = a.model_copy(update={"reasons": [Reason(text=hostile, citations=["c1"])]})
    a = a.model_copy(
        update={
            "citations": [
                Citation(id="c1", source="k/a.md", title=hostile, quote=hostile, author=hostile)
            ]
        }
    )
    blocks = b.answer_blocks(a, asked=b.Asked("U0ALICE01", hostile))
    rendered = json.dumps(blocks)
    assert "<!channel>" not in rendered and "<@U123>" not in rendered
    assert "<https://evil" not in rendered
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in rendered
    assert "<@U0ALICE01> asked:" in rendered  # our own mention of the asker stays live
    assert all(x["text"].get("verbatim", True) for x in blocks if x["type"] == "section")


def test_unsafe_citation_url_is_not_linked() -> None:
    citation = Citation(id="c1", source="k", title="T", quote="q", url="javascript:alert(1)")
    a = answer(citations=[citation], reasons=[Reason(text="r", citations=["c1"])])
    assert "javascript" not in json.dumps(b.answer_blocks(a))


def test_long_answer_is_split_within_limits_never_truncated() -> None:
    long_reason = "word " * 1500  # 7,500 characters in one reason
    many = [Reason(text=f"{n} {long_reason}", citations=["c1"]) for n in range(10)]
    quotes = [
        Citation(id=f"c{n}", source="k", title=f"T{n}", quote="q " * 1500) for n in range(1, 30)
    ]
    a = answer(reasons=many, citations=quotes, summary="s " * 4000)
    pages = b.answer_messages(a)
    assert len(pages) > 1
    for page in pages:
        assert_within_limits(page)
        assert sum(len(json.dumps(x)) for x in page.blocks) <= b.MESSAGE_CHAR_BUDGET
    assert pages[-1].blocks[-1]["type"] == "actions"
    assert all(x["type"] != "actions" for page in pages[:-1] for x in page.blocks)
    assert pages[1].text == messages.SLACK_CONTINUED
    words = sum(t.count("word") for page in pages for t in texts(page.blocks))
    assert words == 15000


def test_split_text_prefers_breaks_and_never_cuts_an_entity() -> None:
    assert b.split_text("short", 10) == ["short"]
    pieces = b.split_text("aaaa bbbb cccc dddd", 10)
    assert pieces == ["aaaa bbbb", "cccc dddd"]
    escaped = b.escape("&" * 100)
    pieces = b.split_text(escaped, 7)
    assert all(len(x) <= 7 for x in pieces)
    assert "".join(pieces) == escaped and all(x.endswith(";") for x in pieces)


def test_question_echo_is_quoted_and_escaped() -> None:
    message = b.working_message(b.Asked("U0ALICE01", "line one\n<b>two</b> & more"))
    first = message.blocks[0]["text"]["text"]
    assert first == "<@U0ALICE01> asked:\n>line one\n>&lt;b&gt;two&lt;/b&gt; &amp; more"
    assert message.blocks[-1]["type"] == "context"


def test_clarify_without_reasons_or_citations() -> None:
    a = answer(verdict=Verdict.CLARIFY, reasons=[], citations=[], confidence=0.3)
    [message] = b.answer_messages(a)
    assert_within_limits(message)
    assert "*Sources*" not in json.dumps(message.blocks)


def test_page_text_is_the_readable_content_without_buttons() -> None:
    [message] = b.answer_messages(answer())
    text = page_text(message.blocks)
    assert "*:books: RAG (retrieval-augmented generation)*" in text
    assert "“RAG adapts.”" in text and "[1][2]" in text
    assert messages.SLACK_FEEDBACK_UP not in text


def test_keys_and_text_cleaning() -> None:
    assert thread_key("T1", "C1", "1.2") == "slack:T1:C1:1.2"
    text = f"<@{BOT}> our wiki &amp; <https://x.example/a|the docs> &lt;3 <@U0OTHER01>"
    assert clean_text(text, BOT) == "our wiki & the docs <3 <@U0OTHER01>"
    assert clean_text("see <https://x.example/a>", None) == "see https://x.example/a"


def test_each_reason_shows_the_users_words_escaped() -> None:
    said = "docs *change* weekly <!channel> & _more_"
    a = answer()
    a = a.model_copy(
        update={
            "reasons": [
                Reason(
                    text="Docs change weekly.", citations=["c1"], evidence=[Span(turn=1, text=said)]
                )
            ]
        }
    )
    joined = "\n".join(texts(b.answer_blocks(a)))
    line = next(t for t in joined.splitlines() if "you said" in t)
    assert line.strip().startswith("_you said_ “docs ∗change∗ weekly &lt;!channel&gt; &amp;")
    assert "<!channel>" not in joined and "*change*" not in joined


def test_a_long_span_is_shown_briefly() -> None:
    said = "word " * 200
    a = answer().model_copy(
        update={
            "reasons": [Reason(text="R.", citations=["c1"], evidence=[Span(turn=1, text=said)])]
        }
    )
    line = next(t for t in "\n".join(texts(b.answer_blocks(a))).splitlines() if "you said" in t)
    assert len(line) < 200 and line.rstrip().endswith("…”")


def test_a_reason_resting_on_what_the_user_set_says_so_and_borrows_no_words() -> None:
    a = answer().model_copy(
        update={"reasons": [Reason(text="R.", citations=["c1"], set_by_user=["format"])]}
    )
    lines = "\n".join(texts(b.answer_blocks(a))).splitlines()
    assert any(t.strip() == "_you set_ fixed output format" for t in lines)
    assert not any("you said" in t for t in lines)
