"""The engine's wording, loaded from `prompts/offline_phrases.yaml` and checked at start-up.

Reason texts, summaries and follow-up questions are prose, not code, so they live in the prompts
folder where a writer can change them without touching the rules. Loading validates the whole
file: every section the engine reads is present, every template renders with the fields the
engine provides (a misspelt placeholder fails here, not in front of a user).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ConfigError

# Every placeholder a template may use; `compose` fills all of them for every answer.
FIELDS = frozenset(
    """data changed changed_s source s it freq volume fmt voice jargon skill latency examples
    stage fmt_or_voice behaviour_terms knowledge_terms drivers label answer tail precedents
    share cases""".split()
)
NEUTRAL_KEYS = frozenset(
    """changed data source volume examples fmt_or_voice behaviour_terms drivers freq fmt voice
    jargon skill latency stage""".split()
)
TERM_KINDS = ("fmt", "voice", "jargon", "skill", "latency", "stage")


@dataclass(frozen=True, slots=True)
class TermRule:
    """How a reason says the user's word: the first rule whose stem (or `re:` pattern) is in
    the word gives the phrase; `{term}` is the word itself, `{match}` what the pattern matched."""

    stem: str
    phrase: str

    def apply(self, term: str) -> str | None:
        if self.stem.startswith("re:"):
            found = re.search(self.stem[3:], term)
            if found is None:
                return None
            matched = found.group(1) if found.groups() else found.group(0)
            return self.phrase.format(term=term, match=matched)
        return self.phrase.format(term=term, match=self.stem) if self.stem in term else None


@dataclass(frozen=True, slots=True)
class Entry:
    """A reason template and the evidence meant to back it."""

    reason: str
    query: str
    anchors: tuple[str, ...]
    short: str = ""
    ask: str = ""
    lead: str = ""
    """Two or three words naming the reason, for a bold lead-in (Teams); may be empty."""


@dataclass(frozen=True, slots=True)
class Phrases:
    labels: Mapping[str, str]
    summary: Mapping[str, str]
    tails: Mapping[str, str]
    dimensions: Mapping[str, Entry]
    prompt_first: Mapping[str, Entry]
    extra: Mapping[str, Entry]
    questions: Mapping[str, Mapping[str, Entry]]
    clarify_questions: tuple[str, ...]
    follow_up_extra: Mapping[str, str]
    display: Mapping[str, str]
    neutral: Mapping[str, str]
    terms: Mapping[str, tuple[TermRule, ...]]
    singular: frozenset[str] = frozenset()

    def term(self, kind: str, user_term: str | None) -> str:
        """The phrase for the user's word of `kind` ("json schema" → "your JSON schema"), or
        the neutral wording when they gave none or none of the rules knows it."""
        word = (user_term or "").lower()
        for rule in self.terms.get(kind, ()):
            phrase = rule.apply(word) if word else None
            if phrase is not None:
                return phrase
        return self.neutral[kind]

    def entries(self) -> Iterable[Entry]:
        yield from self.dimensions.values()
        yield from self.prompt_first.values()
        yield from self.extra.values()
        for by_verdict in self.questions.values():
            yield from by_verdict.values()

    def question(self, intent: str, verdict: str) -> Entry:
        by_verdict = self.questions.get(intent) or self.questions["other"]
        return by_verdict.get(verdict) or by_verdict["any"]


def render(template: str, fields: Mapping[str, str]) -> str:
    """`template` with its placeholders filled; an unknown placeholder raises `KeyError`."""
    return string.Formatter().vformat(template, (), dict(fields))


def load_phrases(path: Path) -> Phrases:
    """Read and validate the phrase file; a problem raises `ConfigError` naming the place."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path.name}: cannot read phrase file ({exc})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path.name}: expected a mapping at the top level")
    phrases = Phrases(
        labels=_strings(raw, "labels", path),
        summary=_strings(raw, "summary", path),
        tails=_strings(raw, "tails", path),
        dimensions=_entries(raw, "dimensions", path),
        prompt_first=_entries(raw, "prompt_first", path),
        extra=_entries(raw, "extra", path),
        questions={
            intent: _entries({"v": by_verdict}, "v", path, f"questions.{intent}")
            for intent, by_verdict in _section(raw, "questions", path).items()
        },
        clarify_questions=tuple(str(q) for q in raw.get("clarify_questions") or ()),
        follow_up_extra=_strings(raw, "follow_up_extra", path),
        display=_strings(raw, "display", path),
        neutral=_strings(raw, "neutral", path),
        terms=_terms(raw, path),
        singular=frozenset(str(w).lower() for w in raw.get("singular") or ()),
    )
    missing = sorted(NEUTRAL_KEYS - set(phrases.neutral))
    if missing:
        raise ConfigError(f"{path.name}: section 'neutral' lacks {', '.join(missing)}")
    _check_templates(phrases, path)
    return phrases


def _terms(raw: Mapping[str, Any], path: Path) -> dict[str, tuple[TermRule, ...]]:
    out: dict[str, tuple[TermRule, ...]] = {}
    for kind, pairs in _section(raw, "terms", path).items():
        rules: list[TermRule] = []
        for pair in pairs or ():
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ConfigError(f"{path.name}: terms.{kind}: each rule is [stem, phrase]")
            rule = TermRule(str(pair[0]), str(pair[1]))
            try:
                if rule.stem.startswith("re:"):
                    re.compile(rule.stem[3:])
                rule.phrase.format(term="x", match="x")
            except (re.error, KeyError, IndexError, ValueError) as exc:
                raise ConfigError(f"{path.name}: terms.{kind}: {pair!r}: {exc}") from None
            rules.append(rule)
        out[str(kind)] = tuple(rules)
    unknown = sorted(set(out) - set(TERM_KINDS))
    if unknown:
        raise ConfigError(f"{path.name}: terms: unknown kind {', '.join(unknown)}")
    return out


def _section(raw: Mapping[str, Any], key: str, path: Path) -> Mapping[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict) or not value:
        raise ConfigError(f"{path.name}: section {key!r} is missing or empty")
    return value


def _strings(raw: Mapping[str, Any], key: str, path: Path) -> dict[str, str]:
    return {str(k): str(v) for k, v in _section(raw, key, path).items()}


def _entries(
    raw: Mapping[str, Any], key: str, path: Path, where: str | None = None
) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for name, item in _section(raw, key, path).items():
        if not isinstance(item, dict) or not isinstance(item.get("reason"), str):
            raise ConfigError(f"{path.name}: {where or key}.{name} needs a 'reason' text")
        out[str(name)] = Entry(
            reason=item["reason"],
            query=str(item.get("query") or ""),
            anchors=tuple(str(a) for a in item.get("anchors") or ()),
            short=str(item.get("short") or ""),
            ask=str(item.get("ask") or ""),
            lead=str(item.get("lead") or ""),
        )
    return out


def _check_templates(phrases: Phrases, path: Path) -> None:
    sample = {name: name for name in FIELDS}
    texts = [*phrases.summary.values(), *phrases.tails.values()]
    for entry in phrases.entries():
        texts += [entry.reason, entry.short]
    for text in texts:
        try:
            render(text, sample)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(
                f"{path.name}: template {text[:50]!r} uses unknown field {exc}"
            ) from None
