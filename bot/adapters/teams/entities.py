"""Teams' native citations: the schema.org `Message` entity that turns `[n]` markers into
citation pills with a references list, and labels the message as AI-generated.

The builder is pure (answer in, JSON-ready dict out) so its output can be tested exactly. Teams'
limits are enforced here rather than trusted to the caller: at most ten citations, an abstract
of at most 160 characters, at most three keywords of at most 28 characters. Absent values are
left out, never sent as `null` — the connector answers 400 to `"url": null` and the reply is
lost. botbuilder's own `Entity` serialises only the fields in its `_attribute_map`, so
`AIMessageEntity` declares every field it sends.
"""

from __future__ import annotations

from typing import Any, ClassVar

from botbuilder.schema import Entity

from bot.core.render import citation_numbers
from bot.core.shorten import shorten
from bot.core.types import Answer, Citation

MAX_CITATIONS = 10
MAX_ABSTRACT_CHARS = 160
MAX_KEYWORDS = 3
MAX_KEYWORD_CHARS = 28

MESSAGE_ENTITY_TYPE = "https://schema.org/Message"


def limit_citations(answer: Answer, limit: int = MAX_CITATIONS) -> Answer:
    """The answer with only its first `limit` citations, and reasons citing only those, so no
    `[n]` marker in the text points at a citation Teams was not sent."""
    if len(answer.citations) <= limit:
        return answer
    kept = answer.citations[:limit]
    ids = {c.id for c in kept}
    reasons = [
        r.model_copy(update={"citations": [c for c in r.citations if c in ids]})
        for r in answer.reasons
    ]
    return answer.model_copy(update={"citations": kept, "reasons": reasons})


def citation_claims(answer: Answer) -> list[dict[str, Any]]:
    """One `Claim` per citation; `position` is the `[n]` marker the rendered text uses."""
    numbers = citation_numbers(answer)
    return [
        {"@type": "Claim", "position": numbers[c.id], "appearance": _appearance(c)}
        for c in answer.citations[:MAX_CITATIONS]
    ]


def ai_message_entity(answer: Answer) -> dict[str, Any]:
    """The entity as JSON: AI label always, `citation` only when there is something to cite."""
    entity: dict[str, Any] = {
        "type": MESSAGE_ENTITY_TYPE,
        "@type": "Message",
        "@context": "https://schema.org",
        "@id": "",
        "additionalType": ["AIGeneratedContent"],
    }
    claims = citation_claims(answer)
    if claims:
        entity["citation"] = claims
    return entity


class AIMessageEntity(Entity):  # type: ignore[misc]  # botbuilder ships no type hints
    """botbuilder's `Entity` with the schema.org fields declared, so they survive serialisation."""

    _attribute_map: ClassVar[dict[str, dict[str, str]]] = {
        "type": {"key": "type", "type": "str"},
        "at_type": {"key": "@type", "type": "str"},
        "at_context": {"key": "@context", "type": "str"},
        "at_id": {"key": "@id", "type": "str"},
        "additional_type": {"key": "additionalType", "type": "[str]"},
        "citation": {"key": "citation", "type": "[object]"},
    }

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(type=data["type"])
        self.at_type = data["@type"]
        self.at_context = data["@context"]
        self.at_id = data["@id"]
        self.additional_type = list(data["additionalType"])
        self.citation = data.get("citation")

    @classmethod
    def for_answer(cls, answer: Answer) -> AIMessageEntity:
        return cls(ai_message_entity(answer))


def _appearance(citation: Citation) -> dict[str, Any]:
    appearance: dict[str, Any] = {
        "@type": "DigitalDocument",
        "name": citation.title or citation.source,
        "abstract": shorten(citation.quote, MAX_ABSTRACT_CHARS),
    }
    if citation.url:
        appearance["url"] = citation.url
    keywords = [
        shorten(k, MAX_KEYWORD_CHARS) for k in (citation.author, citation.date) if k and k.strip()
    ][:MAX_KEYWORDS]
    if keywords:
        appearance["keywords"] = keywords
    return appearance


STREAM_INFO_TYPE = "streaminfo"


class StreamInfoEntity(Entity):  # type: ignore[misc]  # botbuilder ships no type hints
    """Teams' streaming entity: `informative` updates (numbered from 1) and the `final` message,
    which names the stream (the id the connector gave the first update) and carries no number.
    Absent fields are left out, as the connector refuses `null`."""

    _attribute_map: ClassVar[dict[str, dict[str, str]]] = {
        "type": {"key": "type", "type": "str"},
        "stream_id": {"key": "streamId", "type": "str"},
        "stream_type": {"key": "streamType", "type": "str"},
        "stream_sequence": {"key": "streamSequence", "type": "int"},
    }

    def __init__(
        self, stream_type: str, *, stream_id: str | None = None, sequence: int | None = None
    ) -> None:
        super().__init__(type=STREAM_INFO_TYPE)
        self.stream_id = stream_id
        self.stream_type = stream_type
        self.stream_sequence = sequence
