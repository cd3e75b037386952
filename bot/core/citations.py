"""Build citations from passages: the bot picks a verbatim sentence; models never write quotes.

Both engines name passages for each reason; `CitationBuilder` copies the sentence of that passage
that best supports the reason, checks it against the document's citable text, numbers the
citations `c1, c2, …` and drops reasons left without a valid citation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.knowledge import KnowledgeBase, Passage
from bot.core.retrieval import tokenize
from bot.core.types import Citation, Reason, Span


@dataclass(frozen=True, slots=True)
class DraftReason:
    """A reason as an engine proposes it: text, the passages (best first) meant to back it,
    and the user's words it rests on."""

    text: str
    passage_ids: Sequence[str]
    hint: str = ""
    evidence: Sequence[Span] = ()
    set_by_user: Sequence[str] = ()
    lead: str = ""


def best_sentence(passage: Passage, text: str, avoid: Iterable[str] = ()) -> str | None:
    """The passage sentence sharing most words with `text` (ties: the earlier, longer sentence)."""
    wanted = set(tokenize(text))
    skip = set(avoid)
    best: tuple[float, int, str] | None = None
    for index, sentence in enumerate(passage.sentences):
        if sentence in skip:
            continue
        words = set(tokenize(sentence))
        overlap = len(wanted & words) + (0.5 if len(words) >= 6 else 0.0)
        key = (overlap, -index, sentence)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


class CitationBuilder:
    def __init__(self, knowledge: KnowledgeBase, max_per_reason: int = 2) -> None:
        self.knowledge = knowledge
        self.max_per_reason = max_per_reason

    def build(self, drafts: Sequence[DraftReason]) -> tuple[list[Reason], list[Citation]]:
        citations: list[Citation] = []
        by_quote: dict[tuple[str, str], str] = {}
        reasons: list[Reason] = []
        for draft in drafts:
            ids: list[str] = []
            for pid in dict.fromkeys(draft.passage_ids):
                if len(ids) >= self.max_per_reason:
                    break
                cid = self._cite(pid, f"{draft.text} {draft.hint}", citations, by_quote)
                if cid and cid not in ids:
                    ids.append(cid)
            if ids:
                reasons.append(
                    Reason(
                        text=draft.text,
                        citations=ids,
                        evidence=list(draft.evidence),
                        set_by_user=list(draft.set_by_user),
                        lead=draft.lead,
                    )
                )
        return reasons, citations

    def _cite(
        self,
        passage_id: str,
        text: str,
        citations: list[Citation],
        by_quote: dict[tuple[str, str], str],
    ) -> str | None:
        passage = self.knowledge.passage(passage_id)
        if passage is None:
            return None
        doc = self.knowledge.document(passage.doc_id)
        used = {c.quote for c in citations if c.passage_id == passage_id}
        quote = best_sentence(passage, text)
        if quote is None or not doc.contains_quote(quote):
            return None
        key = (doc.id, quote)
        if key in by_quote:
            return by_quote[key]
        if quote in used:
            alt = best_sentence(passage, text, avoid=used)
            quote = alt if alt and doc.contains_quote(alt) else quote
        cid = f"c{len(citations) + 1}"
        citations.append(
            Citation(
                id=cid,
                source=doc.source,
                title=doc.title,
                quote=quote,
                url=doc.url,
                passage_id=passage.id,
                author=doc.author,
                date=doc.date,
            )
        )
        by_quote[key] = cid
        return cid
