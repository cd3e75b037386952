"""From the state of each dimension to a verdict and a confidence, following the articles.

The articles' framework, in order: if the project isn't described, ask (define the problem
first). Knowledge that is missing, private, large, changing or must be cited is a data problem
→ RAG. Format, tone, jargon, a narrow skill, latency/cost or distillation is a behaviour problem
→ fine-tuning. Real needs of both kinds → both. Before either, exhaust prompt engineering: an
early prototype, untried prompting, a small or general task → prompt engineering first. When
unsure between the two, start with RAG.

Each side's score is a sum over distinct dimensions (each counted once, at its strongest), so a
long note that repeats one need doesn't outweigh a short one that states two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.core.triage.analysis import PAIRED_HISTORY, Reading
from bot.core.triage.dimensions import on_side
from bot.core.triage.precedents import SHARE, Vote
from bot.core.types import Verdict

if TYPE_CHECKING:
    from bot.core.triage.weighing import Weighed, Weighing

KNOWLEDGE = on_side("knowledge")
BEHAVIOUR = on_side("behaviour")
# (dimension, polarity) pairs that argue for prompting first, strongest reading first.
PROMPT_FIRST = (
    ("prompting", -1),
    ("stage", 1),
    ("general", 1),
    ("base_ok", 1),
    ("volume", -1),
    ("examples", -1),
    ("scale", -1),
)
STRONG_BEHAVIOUR = 1.05
ENOUGH_KNOWLEDGE = 0.9
DESCRIBED = 0.6
# "Both" needs each side to matter: a side dwarfed by the other is context, not a need.
BOTH_RATIO = 0.25
# Below this, a behaviour wish ("a friendlier tone", "JSON output") is one a prompt can meet.
LIGHT_BEHAVIOUR = 1.0
LIGHT_DRIVER = ("light", 1)
# What knowledge words still count for when a narrow task only processes its inputs.
INPUT_WEIGHT = 0.4
# Confidence of a verdict the precedents decided: modest, rising with how clear the vote was.
# Above this confidence the rules' reading stands whatever the precedents say.
RULES_SURE = 0.8
# Below this many words a request for detail is never turned into a verdict by precedents.
DESCRIBED_WORDS = 25
# How much likelier the weighing must find its verdict than the rules' before it overrules them.
WEIGHED_MARGIN = 0.1
# "Nobody has pinned down who would use it": without a clear need on either side, the framework's
# first step is to define the problem, however much data the team lists.
UNDEFINED = 0.8
UNSETTLED_NEEDS = 1.5
PRECEDENT_FLOOR = 0.45
PRECEDENT_SPAN = 0.35
CUSTOMER_RECORDS = "precision.customer-records"
# Rules that report what a model was seen doing, not what the team wants.
OBSERVED = frozenset(
    """style.sounds-wrong style.bland-output style.generic-output jargon.mangled-wording
    format.shape-drift format.format-drift behaviour_gap.misses-expected behaviour_gap.error-rate
    behaviour_gap.judgement behaviour_gap.doesnt-compile behaviour_gap.ignores-conventions
    style.broken-language""".split()
)


@dataclass(frozen=True, slots=True)
class Scores:
    """Evidence for each verdict after the prompt-first discounts."""

    knowledge: float
    behaviour: float
    prompt: float
    light: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    confidence: float
    scores: Scores
    drivers: tuple[tuple[str, int], ...]
    vote: Vote | None = None
    overruled: Verdict | None = None
    """The rules' verdict when the precedents' clear vote (or the weighing) outweighed it."""
    weighed: Weighed | None = None
    """The learned weighing's verdict and probabilities, when there is one."""
    because: tuple[str, ...] = ()
    """The weighing's strongest features for its verdict over the rules', for `--explain`."""


def score(reading: Reading) -> Scores:
    """Knowledge, behaviour and prompt-first evidence, discounted as the articles order them."""
    s = reading.strength
    knowledge = sum(s(d) for d in KNOWLEDGE)
    # A narrow skill (classify, extract, tag) works on its inputs: without a real knowledge
    # need (knowledge that changes, must be cited, is missing or is looked up in the team's
    # sources), document counts and record words describe those inputs, not a corpus.
    if _inputs_only(reading):
        knowledge = INPUT_WEIGHT * sum(s(d) for d in KNOWLEDGE if d != "volume")
    need = sum(s(d) for d in BEHAVIOUR) + s("prompting")
    # Labelled data and volume make fine-tuning feasible and worth it; alone they are weaker
    # evidence than a behaviour need, and having no examples at all makes it harder.
    behaviour = need + (s("examples") + 0.5 * s("scale") if need else s("examples"))
    if s("examples", -1) and behaviour:
        behaviour = max(0.0, behaviour - 0.5)
    prompt = sum(s(d, p) for d, p in PROMPT_FIRST if (d, p) != ("examples", -1))
    tried = bool(s("prompting") or s("behaviour_gap") or s("has_rag")) or _observed(reading)
    if tried:
        prompt -= 0.5 * s("stage")
    # A light wish with nothing behind it (no failed prompting, data, volume or latency need)
    # is prompt work, not a training run.
    light = max((s(d) for d in BEHAVIOUR), default=0.0) < LIGHT_BEHAVIOUR
    light = bool(need) and light and not (s("prompting") or s("examples") or s("scale"))
    if light:
        prompt += 0.8 * behaviour
        behaviour *= 0.5
    # Drafting or summarising is a general skill, unless it has to draw on the team's own data.
    if s("private") >= 0.9:
        prompt -= 0.5 * s("general")
    prompt += 0.8 * s("examples", -1)
    # Production, volume and prompting already pushed to its limit all argue against "prompt
    # first".
    prompt = max(0.0, prompt - 0.8 * s("stage", -1) - 0.6 * s("scale") - s("prompting"))
    # "It's about tone": the user named the problem; the other side's needs were context.
    if reading.focus and reading.focus <= {*BEHAVIOUR, "prompting", "examples"}:
        knowledge *= 0.5
    elif reading.focus and reading.focus <= set(KNOWLEDGE):
        behaviour *= 0.5
    # A behaviour gap that prompting hasn't been tried on, or that only a prototype or a small
    # volume has, is one to attack with a prompt first.
    if s("scale", -1) and not (s("examples") or s("prompting")):
        behaviour *= 0.5
    if s("prompting", -1):
        behaviour *= 0.4
    # An early stage argues for prompting first, unless the team has already tried a model
    # and seen how it falls short: then the stage describes the project, not the evidence.
    if s("stage") and not tried:
        behaviour *= 0.6
        knowledge *= 0.8
    # Knowledge that fits in a prompt, retrieval that already works, or "knowledge isn't the
    # issue" leave little for RAG to do.
    if s("volume", -1):
        knowledge -= 0.7 * s("private")
    if s("has_rag") or s("missing", -1):
        knowledge *= 0.4
    knowledge = max(0.0, knowledge - 0.3 * s("citations", -1))
    if s("general") and knowledge < 1.5:
        knowledge *= 0.8
    return Scores(knowledge, behaviour, prompt, light)


def _observed(reading: Reading) -> bool:
    """Whether the team describes what a model actually did ("reads like a brochure"): then
    they have tried one, whatever stage they call the project."""
    return any(rule in OBSERVED for need in reading.needs.values() for rule in need.rules)


def _inputs_only(reading: Reading) -> bool:
    s = reading.strength
    real = any(s(d) for d in ("changing", "citations", "missing")) or s("private") >= 1.2
    precision = reading.needs.get("precision")
    if precision is not None and precision.polarity > 0:
        # A customer's own records are looked up whatever the task; made-up facts are a
        # knowledge problem unless the task only processes its inputs (extraction, tagging).
        real = real or CUSTOMER_RECORDS in precision.rules or not s("skill")
    examples = reading.needs.get("examples")
    # A history of inputs paired with what people made of them says the task processes inputs.
    paired = examples is not None and examples.polarity > 0 and PAIRED_HISTORY in examples.rules
    return (s("skill") > 0 or paired) and not real


def decide(
    reading: Reading, vote: Vote | None = None, weighing: Weighing | None = None
) -> Decision:
    """The framework's verdict over the reading; a clear vote of the nearest labelled
    precedents for another verdict outweighs it when the rules are not sure themselves (see
    `_outweighs`). With a `weighing` (learned from the precedents) and a vote, the weighing
    decides instead, within the framework's own first steps (see `_weighed`)."""
    decision = replace(_framework(reading), vote=vote)
    if weighing is not None and vote is not None:
        return _weighed(reading, decision, vote, weighing)
    top = vote.top if vote is not None else None
    if vote is None or top is None or not _outweighs(vote, top, decision, reading):
        return decision
    clarity = (vote.share(top) - SHARE) / (1 - SHARE)
    confidence = round(PRECEDENT_FLOOR + PRECEDENT_SPAN * clarity, 2)
    drivers = _drivers(reading, top, decision.scores)
    return Decision(top, confidence, decision.scores, drivers, vote, decision.verdict)


def decide_as(reading: Reading, verdict: Verdict, framework: Decision) -> Decision:
    """The decision for a verdict chosen elsewhere (a model's own, `LLM_DECISION=model`), given
    the framework's decision over the same reading: its scores and vote, the drivers that verdict
    rests on, and a confidence computed the framework's way from how much of the reading stands
    behind that verdict."""
    if verdict is framework.verdict:
        return framework
    s = framework.scores
    confidence = _confidence(*_contest(verdict, s)) if verdict is not Verdict.CLARIFY else 0.3
    return Decision(verdict, confidence, s, _drivers(reading, verdict, s), framework.vote)


def _contest(verdict: Verdict, scores: Scores) -> tuple[float, float]:
    """The evidence for `verdict` and the strongest evidence against it."""
    k, b, p = scores.knowledge, scores.behaviour, scores.prompt
    if verdict is Verdict.PROMPT_ENGINEERING:
        return p, max(k, b)
    if verdict is Verdict.BOTH:
        return min(k, b), p + 0.3 * abs(k - b)
    if verdict is Verdict.FINE_TUNING:
        return b, max(k, p)
    if verdict is Verdict.RAG:
        return k, max(b, p)
    return 0.0, max(k, b, p)


def _outweighs(vote: Vote, top: Verdict, decision: Decision, reading: Reading) -> bool:
    if top is decision.verdict or vote.share(top) < SHARE or decision.confidence > RULES_SURE:
        return False
    # A request for detail stands for a short message; a longer one that no rule could read is
    # a project described in other words, which the precedents may well recognise. "We haven't
    # tried prompting" is the framework's own first step: no look-alike overrules it.
    return _may_overrule(decision, reading)


def _weighed(reading: Reading, decision: Decision, vote: Vote, weighing: Weighing) -> Decision:
    """The weighing's verdict when it is `WEIGHED_MARGIN` likelier than the framework's, except
    where the framework's first steps stand: a short message that no rule could read stays a
    request for detail, and "we haven't tried prompting" stays prompting first."""
    weighed = weighing.weigh(reading, decision.scores, vote)
    decision = replace(decision, weighed=weighed)
    verdict = weighed.verdict
    odds = weighed.probabilities
    if verdict is decision.verdict or odds[verdict] - odds[decision.verdict] < WEIGHED_MARGIN:
        return decision
    if not _may_overrule(decision, reading):
        return decision
    because = tuple(weighing.explain(weighed, decision.verdict))
    if verdict is Verdict.CLARIFY:
        return replace(
            decision,
            verdict=verdict,
            confidence=0.3,
            drivers=(),
            overruled=decision.verdict,
            because=because,
        )
    confidence = round(PRECEDENT_FLOOR + PRECEDENT_SPAN * odds[verdict], 2)
    drivers = _drivers(reading, verdict, decision.scores)
    return Decision(
        verdict, confidence, decision.scores, drivers, vote, decision.verdict, weighed, because
    )


def _may_overrule(decision: Decision, reading: Reading) -> bool:
    """Whether anything may overrule the framework's verdict: not its own first steps, and not
    in a thread that turned a need round, which only the rules read (the words of the earlier
    message still say the old state, to the precedents and the word model alike)."""
    if decision.verdict is Verdict.CLARIFY and reading.words < DESCRIBED_WORDS:
        return False
    if reading.revised:
        return False
    prompt_first = decision.verdict is Verdict.PROMPT_ENGINEERING
    return not (prompt_first and reading.strength("prompting", -1))


def _framework(reading: Reading) -> Decision:
    scores = score(reading)
    k, b, p = scores.knowledge, scores.behaviour, scores.prompt
    if max(k, b, p) < DESCRIBED:
        confidence = round(0.2 + 0.1 * min(1.0, (k + b + p) / DESCRIBED), 2)
        return Decision(Verdict.CLARIFY, confidence, scores, ())
    if _undefined(reading, scores):
        return Decision(Verdict.CLARIFY, 0.4, scores, ())
    if p >= b and p >= k:
        verdict = Verdict.PROMPT_ENGINEERING
    elif _both(k, b):
        verdict = Verdict.BOTH
    elif b > k:
        verdict = Verdict.FINE_TUNING
    else:
        verdict = Verdict.RAG
    confidence = _confidence(*_contest(verdict, scores))
    return Decision(verdict, confidence, scores, _drivers(reading, verdict, scores))


def _undefined(reading: Reading, scores: Scores) -> bool:
    """No use case or users settled, and no need on either side clear enough to stand alone."""
    s = reading.strength
    tried = s("prompting") or s("behaviour_gap")
    return (
        s("undefined") >= UNDEFINED
        and max(scores.knowledge, scores.behaviour) < UNSETTLED_NEEDS
        and not tried
    )


def why(decision: Decision) -> list[str]:
    """The decision path in words, for `--explain`: which threshold or comparison decided."""
    s = decision.scores
    k, b, p = s.knowledge, s.behaviour, s.prompt
    line = f"scores: knowledge {k:.2f}, behaviour {b:.2f}, prompt-first {p:.2f}"
    # The framework's own path: to the rules' verdict, which the precedents may have overruled.
    ruled = decision.overruled or decision.verdict
    out = [line]
    if ruled is Verdict.CLARIFY and max(k, b, p) >= DESCRIBED:
        out.append(
            f"no use case or users settled (undefined >= {UNDEFINED}) and neither side reaches"
            f" {UNSETTLED_NEEDS}: define the problem first"
        )
    elif ruled is Verdict.CLARIFY:
        out.append(f"every score is below {DESCRIBED}: the project is not described enough")
    else:
        if s.light:
            out.append(
                f"behaviour is light (every behaviour need < {LIGHT_BEHAVIOUR}, nothing tried)"
            )
        out.append(_path(ruled, k, b))
    drivers = ", ".join(f"{d}{'' if p_ > 0 else ' (no)'}" for d, p_ in decision.drivers)
    if drivers:
        out.append(f"drivers, strongest first: {drivers}")
    vote = decision.vote
    if vote is not None and vote.neighbours:
        ranked = sorted(vote.shares.items(), key=lambda x: -x[1])
        shares = ", ".join(f"{v.value} {s:.0%}" for v, s in ranked)
        out.append(f"precedents: the {len(vote.neighbours)} nearest labelled cases: {shares}")
        if decision.overruled is not None and decision.weighed is None:
            out.append(
                f"the precedents' {vote.share(decision.verdict):.0%} for {decision.verdict.value}"
                f" (>= {SHARE:.0%}) outweighed the rules' {decision.overruled.value}"
            )
    weighed = decision.weighed
    if weighed is not None:
        ranked = sorted(weighed.probabilities.items(), key=lambda x: -x[1])
        odds = ", ".join(f"{v.value} {p:.0%}" for v, p in ranked)
        out.append(f"weighing (learned from {weighed.cases} labelled cases): {odds}")
        if decision.overruled is not None:
            out.append(
                f"the weighing's {decision.verdict.value} outweighed the rules'"
                f" {decision.overruled.value}; it leans on: {', '.join(decision.because)}"
            )
        elif weighed.verdict is not decision.verdict:
            out.append(
                f"the weighing's {weighed.verdict.value} does not overrule the rules: less than"
                f" {WEIGHED_MARGIN:.0%} likelier, or the framework's first step (a short"
                " undescribed message, prompting not yet tried, or a need the thread turned round)"
            )
    return out


def _path(verdict: Verdict, k: float, b: float) -> str:
    """Which comparison gave the framework `verdict` (not clarify)."""
    if verdict is Verdict.PROMPT_ENGINEERING:
        return "prompt-first is at least as strong as either side"
    if verdict is Verdict.BOTH:
        return (
            f"both sides matter: knowledge >= {ENOUGH_KNOWLEDGE}, behaviour >= {STRONG_BEHAVIOUR},"
            f" the smaller >= {BOTH_RATIO:.0%} of the larger"
        )
    if verdict is Verdict.FINE_TUNING:
        return "behaviour outweighs knowledge and prompt-first" + _not_both(k, b)
    return "knowledge outweighs behaviour and prompt-first (ties go to RAG)" + _not_both(k, b)


def _not_both(knowledge: float, behaviour: float) -> str:
    if min(knowledge, behaviour) == 0:
        return ""
    return f"; not both: the weaker side is below {ENOUGH_KNOWLEDGE}/{STRONG_BEHAVIOUR} or dwarfed"


def _both(knowledge: float, behaviour: float) -> bool:
    """Real needs on both sides, neither dwarfed by the other."""
    return (
        knowledge >= ENOUGH_KNOWLEDGE
        and behaviour >= STRONG_BEHAVIOUR
        and min(knowledge, behaviour) >= BOTH_RATIO * max(knowledge, behaviour)
    )


def _confidence(win: float, opp: float) -> float:
    """High when the winning evidence is plentiful and unopposed; near 0.5 when mixed or thin."""
    clarity = win / (win + opp) if win + opp else 0.0
    amount = 1.0 - math.exp(-win / 1.5)
    return round(min(0.95, max(0.3, 0.25 + 0.7 * clarity * amount)), 2)


def _drivers(reading: Reading, verdict: Verdict, scores: Scores) -> tuple[tuple[str, int], ...]:
    """The dimensions that carry the verdict, strongest first (ties: the framework's order)."""

    def weight(driver: tuple[str, int]) -> float:
        # Labelled data makes fine-tuning possible; it isn't the need itself, so it speaks last.
        # The base need behind most knowledge projects ("it's our docs") says least, too.
        enabler = {("examples", 1): 0.6, ("private", 1): 0.8}.get(driver, 1.0)
        return -reading.strength(*driver) * enabler

    def ranked(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
        return sorted([p for p in pairs if reading.strength(*p) > 0], key=weight)

    knowledge = ranked([(d, 1) for d in KNOWLEDGE])
    behaviour = ranked([(d, 1) for d in (*BEHAVIOUR, "prompting", "examples")])
    if verdict is Verdict.RAG:
        return tuple(knowledge)
    if verdict is Verdict.FINE_TUNING:
        return tuple(behaviour)
    if verdict is Verdict.BOTH:
        mixed = [x for pair in zip(knowledge, behaviour, strict=False) for x in pair]
        rest = knowledge[len(mixed) // 2 :] + behaviour[len(mixed) // 2 :]
        return tuple(mixed + rest)
    if verdict is Verdict.PROMPT_ENGINEERING:
        light = [LIGHT_DRIVER] if scores.light else []
        return tuple(ranked(list(PROMPT_FIRST)) + light)
    return ()
