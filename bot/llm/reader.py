"""The model's reading, checked against the user's words and merged with the rules' reading.

The model states facts (`bot.llm.schema.FactOut`); only those it can show are kept. A fact's
quote must be found verbatim (whitespace, case and markup aside) in one of the user's messages
— the newest message that holds it is its turn — or at least four of its words in a row must
be (the evidence is then those words, as typed); otherwise the fact is dropped and its
dimension keeps the rules' reading. Words that back more than two facts back none of them (a
small model walking down the list of dimensions pins one sentence to each). When the rules'
injection guard cut an instruction out of a message, a quote must also lie in what was left, so
words aimed at the bot can't become facts. Passage ids are kept only if the model was given
them.

The merge: where the model showed a fact, its state wins (a rules need the model confirms keeps
the rules' richer terms); elsewhere the rules' reading stands. A fact the user set directly
(issue 16) will win over both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from bot.core.triage.analysis import Need, Reading
from bot.core.triage.text import longest_verbatim, normalize, verbatim
from bot.core.types import Span, Verdict
from bot.llm.schema import FactOut, ReadingOutput

MODEL_STRENGTH = 1.0
"""What a shown fact weighs in `decide`: a plainly stated need (the rules' range is ~0.5–1.5)."""
MODEL_RULE = "llm.reader"
MAX_QUOTE_WORDS = 30
"""A longer quote (a whole paragraph) shows the model found no words for the fact: dropped."""
MAX_FACTS_PER_QUOTE = 2
"""One sentence may show two facts ("weekly-changing docs that must be cited"), not a third."""
MIN_RUN_WORDS = 4
"""A paraphrased quote still counts when this many of its words, in a row, are the user's."""


@dataclass(frozen=True, slots=True)
class ModelReading:
    """What the model read that passed the checks, and what it did not."""

    needs: dict[str, Need] = field(default_factory=dict)
    passages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per dimension, the ids of given passages the model said bear on it."""
    verdict: Verdict | None = None
    proposed: int = 0
    unshown: int = 0
    """Facts whose quote is not in the user's messages (or only in a cut instruction, or is too
    long, or backs too many facts)."""
    unknown_ids: int = 0
    rejected: int = 0


def check(
    out: ReadingOutput,
    messages: Sequence[str],
    rules: Reading,
    aliases: Mapping[str, str],
) -> ModelReading:
    """The facts of `out` that the user's words show; `aliases` maps the prompt's passage ids
    (`P1`…) to the passages' ids."""
    needs: dict[str, Need] = {}
    passages: dict[str, tuple[str, ...]] = {}
    unshown = unknown_ids = 0
    # What is left of the messages once the guard cut instructions (normalised, one string).
    kept = rules.text if rules.injected else None
    shown: list[tuple[FactOut, Span]] = []
    for fact in out.facts:
        span = locate(fact.quote, messages)
        if (
            span is None
            or len(span.text.split()) > MAX_QUOTE_WORDS
            or (kept is not None and normalize(span.text) not in kept)
        ):
            unshown += 1
            continue
        shown.append((fact, span))
    uses = Counter(span for _, span in shown)
    for fact, span in shown:
        if uses[span] > MAX_FACTS_PER_QUOTE:
            unshown += 1
            continue
        polarity = 1 if fact.state == "yes" else -1
        valid = tuple(aliases[i] for i in fact.ids if i in aliases)
        unknown_ids += len(fact.ids) - len(valid)
        held = needs.get(fact.dim)
        # Two facts on one dimension: the later message wins; in one message, the first stays.
        if held is not None and held.message >= span.turn - 1:
            continue
        needs[fact.dim] = Need(
            dimension=fact.dim,
            polarity=polarity,
            strength=MODEL_STRENGTH,
            message=span.turn - 1,
            evidence=(span,),
            rules=(MODEL_RULE,),
        )
        passages[fact.dim] = valid
    return ModelReading(
        needs=needs,
        passages=passages,
        verdict=None if rules.injected else out.verdict,
        proposed=len(out.facts) + out.rejected,
        unshown=unshown,
        unknown_ids=unknown_ids,
        rejected=out.rejected,
    )


def locate(quote: str, messages: Sequence[str]) -> Span | None:
    """The quote as the user typed it, in the newest message that holds it; else the longest
    run of `MIN_RUN_WORDS` or more of its words that a message holds (small models paraphrase
    around the user's words); None if neither."""
    wanted = normalize(quote)
    if not wanted.strip():
        return None
    turns = range(len(messages), 0, -1)
    for turn in turns:
        found = verbatim(messages[turn - 1], wanted)
        if found:
            return Span(turn=turn, text=found)
    best: Span | None = None
    for turn in turns:
        run = longest_verbatim(messages[turn - 1], wanted, MIN_RUN_WORDS)
        if run and (best is None or len(run.split()) > len(best.text.split())):
            best = Span(turn=turn, text=run)
    return best


def merge(rules: Reading, model: ModelReading) -> Reading:
    """The rules' reading with the model's shown facts over it (see the module docstring)."""
    needs = dict(rules.needs)
    for name, need in model.needs.items():
        held = needs.get(name)
        if held is not None and held.polarity == need.polarity:
            continue
        needs[name] = need
    return replace(rules, needs=needs)


def shown_by_model(rules: Reading, model: ModelReading) -> frozenset[str]:
    """The dimensions whose state in the merged reading is the model's."""
    return frozenset(
        name
        for name, need in model.needs.items()
        if name not in rules.needs or rules.needs[name].polarity != need.polarity
    )
