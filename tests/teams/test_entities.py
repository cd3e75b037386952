"""The citation entity builder and the activity it ends up in, tested directly (no HTTP)."""

from __future__ import annotations

from typing import Any

from bot.adapters.teams import replies
from bot.adapters.teams.entities import (
    MAX_ABSTRACT_CHARS,
    ai_message_entity,
    citation_claims,
    limit_citations,
)
from bot.core.shorten import shorten
from bot.core.types import Answer, Citation, Reason, Span, Verdict

LONG_QUOTE = (
    "Use RAG when your knowledge changes frequently or you need citations, because the model "
    "reads the current documents at query time and can point to the exact passage it used, "
    "which a fine-tuned model cannot do."
)


def make_answer(citations: int = 2, **extra: Any) -> Answer:
    cites = [
        Citation(
            id=f"c{n}",
            source=f"knowledge/doc-{n}.md",
            title=f"Article {n}",
            quote=LONG_QUOTE if n == 1 else f"Short quote {n}.",
            **extra,
        )
        for n in range(1, citations + 1)
    ]
    reasons = [Reason(text=f"Reason {c.id}", citations=[c.id]) for c in cites]
    return Answer(
        verdict=Verdict.RAG, confidence=0.8, summary="Use RAG.", reasons=reasons, citations=cites
    )


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    cut = shorten(LONG_QUOTE, MAX_ABSTRACT_CHARS)
    assert len(cut) <= MAX_ABSTRACT_CHARS and cut.endswith("…")
    assert LONG_QUOTE.startswith(cut[:-1]) and LONG_QUOTE[len(cut) - 1] == " "
    assert shorten("  a   short\nquote ", 160) == "a short quote"
    assert shorten("x" * 200, 20) == "x" * 19 + "…"  # no space: a hard cut


def test_entity_is_the_schema_org_message_with_claims() -> None:
    entity = ai_message_entity(make_answer())
    assert entity == {
        "type": "https://schema.org/Message",
        "@type": "Message",
        "@context": "https://schema.org",
        "@id": "",
        "additionalType": ["AIGeneratedContent"],
        "citation": [
            {
                "@type": "Claim",
                "position": 1,
                "appearance": {
                    "@type": "DigitalDocument",
                    "name": "Article 1",
                    "abstract": shorten(LONG_QUOTE, 160),
                },
            },
            {
                "@type": "Claim",
                "position": 2,
                "appearance": {
                    "@type": "DigitalDocument",
                    "name": "Article 2",
                    "abstract": "Short quote 2.",
                },
            },
        ],
    }


def test_optional_fields_only_when_present() -> None:
    [claim, _] = citation_claims(
        make_answer(url="https://example.com/a", author="A. Writer", date="2024-11-07")
    )
    assert claim["appearance"]["url"] == "https://example.com/a"
    assert claim["appearance"]["keywords"] == ["A. Writer", "2024-11-07"]
    [claim, _] = citation_claims(make_answer(author="A very long author name, Jr., and co"))
    assert "url" not in claim["appearance"]
    assert all(len(k) <= 28 for k in claim["appearance"]["keywords"])


def test_a_clarify_answer_has_the_label_but_no_citation_list() -> None:
    answer = make_answer(citations=0).model_copy(update={"verdict": Verdict.CLARIFY})
    assert "citation" not in ai_message_entity(answer)


def test_at_most_ten_citations_and_no_dangling_markers() -> None:
    answer = make_answer(citations=13)
    limited = limit_citations(answer)
    assert [c.id for c in limited.citations] == [f"c{n}" for n in range(1, 11)]
    assert [r.citations for r in limited.reasons][10:] == [[], [], []]
    reply = replies.answer_reply(answer)
    assert "[11]" not in reply.text and "[10]" in reply.text
    assert len(reply.entities[0].citation) == 10


def test_the_activity_serialises_every_entity_field() -> None:
    """botbuilder's Entity drops undeclared fields; the subclass must keep all of them."""
    reply = replies.answer_reply(make_answer(), mention_hint=True)
    wire = reply.serialize()
    assert wire["entities"] == [ai_message_entity(make_answer())]
    assert wire["channelData"] == {"feedbackLoopEnabled": True}
    assert wire["textFormat"] == "markdown"
    assert "**Sources**" not in wire["text"]  # Teams lists the references itself
    assert "[1]" in wire["text"] and "[2]" in wire["text"]


def test_the_notice_is_shown() -> None:
    answer = make_answer().model_copy(update={"notice": "The detailed analysis was unavailable."})
    assert "_The detailed analysis was unavailable._" in replies.answer_reply(answer).text


def test_each_reason_shows_the_users_words_as_inert_markdown() -> None:
    said = "answers must **cite** [the](http://x) <b>source</b>"
    answer = make_answer()
    reasons = [r.model_copy(update={"evidence": [Span(turn=1, text=said)]}) for r in answer.reasons]
    text = replies.answer_reply(answer.model_copy(update={"reasons": reasons})).text
    assert "_You said_ “answers must \\*\\*cite\\*\\* \\[the\\]\\(http://x\\) \\<b\\>source" in text
    assert "**cite**" not in text and "<b>" not in text


def test_limiting_citations_keeps_the_evidence() -> None:
    answer = make_answer(citations=12)
    reasons = [r.model_copy(update={"evidence": [Span(turn=1, text="x")]}) for r in answer.reasons]
    limited = limit_citations(answer.model_copy(update={"reasons": reasons}))
    assert all(r.evidence for r in limited.reasons)
