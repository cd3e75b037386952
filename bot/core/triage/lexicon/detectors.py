"""The computed detectors of `signals`: one entry per way they create a mention.

Regex rules describe themselves (`Rule.id`, `Rule.description`); the detectors that need
arithmetic or co-occurrence are listed here so the catalogue, the rule fixtures and `--explain`
see them the same way. `signals` tags every mention it computes with one of these ids.
"""

from __future__ import annotations

from bot.core.triage.lexicon.base import RuleInfo, detector

CHANGE_FREQUENCY = detector(
    "changing.change-frequency",
    "A change verb with how often it happens: 'prices are updated weekly' (negated: stable).",
)
RARE_CHANGE = detector(
    "changing.rare-change",
    "A change verb with a frequency rarer than twice a year: 'the handbook is revised yearly'.",
)
SUBJECT_CHANGES = detector(
    "changing.subject-changes",
    "A source noun followed by a change verb, no frequency: 'the docs get revised' (or not).",
)
SUPPORT_BOT = detector(
    "private.support-bot",
    "A support or help-desk bot, which answers from the team's help articles.",
)
OWNED_SOURCE = detector(
    "private.owned-source",
    "A named or owned source ('our wiki', 'internal docs'), stronger with a verb of looking up.",
)
LABELLED_COUNT = detector(
    "examples.labelled-count",
    "At least 200 labelled examples or past outputs: '5000 labelled tickets'.",
)
FEW_EXAMPLES = detector(
    "examples.few-examples",
    "Fewer than 100 labelled examples: 'only 50 annotated examples'.",
)
DAILY_TRAFFIC = detector(
    "scale.daily-traffic",
    "At least 100,000 requests a day: '2M queries per month'.",
)
TRAFFIC_LATENCY = detector(
    "latency.daily-traffic",
    "At least 100,000 requests a day, which makes per-request latency and cost matter.",
)
LOW_TRAFFIC = detector(
    "scale.low-traffic",
    "At most 300 requests a day: '50 questions a day'.",
)
PROCESSED_INPUTS = detector(
    "scale.processed-inputs",
    "At least 10,000 documents a task processes rather than searches: 'classify 50k emails'.",
)
DOCUMENT_COUNT = detector(
    "volume.document-count",
    "At least 200 documents, pages or records to answer from: '40000 SKUs', '3k pages'.",
)
FEW_DOCUMENTS = detector(
    "volume.few-documents",
    "At most 5 documents (or 30 pages) to answer from: 'two PDFs', '20 pages'.",
)
FEW_USERS = detector(
    "scale.few-users",
    "At most 50 users: 'for 12 analysts'.",
)
USER_COUNT = detector(
    "scale.user-count",
    "At least 10,000 users: '50000 employees'.",
)
LATENCY_BUDGET = detector(
    "latency.budget-ms",
    "A latency budget of 3 s or less: 'p95 under 200ms', 'respond within 1 second'.",
)

DETECTORS: tuple[RuleInfo, ...] = (
    CHANGE_FREQUENCY,
    RARE_CHANGE,
    SUBJECT_CHANGES,
    SUPPORT_BOT,
    OWNED_SOURCE,
    LABELLED_COUNT,
    FEW_EXAMPLES,
    DAILY_TRAFFIC,
    TRAFFIC_LATENCY,
    LOW_TRAFFIC,
    PROCESSED_INPUTS,
    DOCUMENT_COUNT,
    FEW_DOCUMENTS,
    FEW_USERS,
    USER_COUNT,
    LATENCY_BUDGET,
)
