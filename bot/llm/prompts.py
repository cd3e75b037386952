"""Prompt files in `prompts/`, rendered strictly, and the fencing of everything that is data.

Why files: prompts are text people review and tune; they stay out of code. Why strict: a
`$field` the code forgot to fill must fail loudly in tests, not reach a model as a literal.
Why fences: the user's messages (and the passages) are data. They go inside labelled tags, and
the tag characters are neutralised in the text so no message can close its fence and speak as
the system; the rules say everything inside is description, never instruction.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.core.retrieval import Hit
from bot.core.triage.dimensions import DIMENSIONS
from bot.core.triage.text import clip_words
from bot.core.types import Fact
from bot.errors import ConfigError, LLMError
from bot.llm.examples import Example

PROMPT_FILES = ("system", "answer", "output-tools", "output-json_schema")
MAX_THREAD_CHARS = 12_000
"""The thread's share of the context; the first message (the project) and the newest win."""
PASSAGE_CHARS = 320
"""Each passage is shown cut to this: enough to judge what it bears on (quotes are the bot's)."""

_NEUTRAL = str.maketrans({"<": "‹", ">": "›"})


class PromptError(LLMError):
    """A prompt template has a field the code did not fill (a bug, caught by the tests)."""


def render(template: str, fields: Mapping[str, str], *, name: str = "prompt") -> str:
    """Fill `$field`s; a missing field raises `PromptError` instead of leaking a placeholder."""
    try:
        return string.Template(template).substitute(fields)
    except KeyError as exc:
        raise PromptError(f"{name}: no value for ${exc.args[0]}") from None
    except ValueError as exc:
        raise PromptError(f"{name}: {exc}") from None


def neutralize(text: str) -> str:
    """Data text that can open or close no tag: angle brackets become look-alike quotes."""
    return text.translate(_NEUTRAL)


def fence_messages(messages: Sequence[str]) -> str:
    """The user's messages, oldest first, each in its own numbered tag inside one fence."""
    numbered = list(enumerate(messages, start=1))
    kept = _within_budget(numbered)
    lines = ["<user_messages>"]
    previous = 0
    for number, text in kept:
        if number > previous + 1:
            lines.append(f'<omitted messages="{number - previous - 1}"/>')
        newest = ' newest="true"' if number == len(messages) else ""
        lines.append(f'<message n="{number}"{newest}>\n{neutralize(text.strip())}\n</message>')
        previous = number
    lines.append("</user_messages>")
    return "\n".join(lines)


def _within_budget(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Keep the first message and as many of the newest as fit; each is cut if it alone is long."""
    if not numbered:
        return []
    share = MAX_THREAD_CHARS // 2
    first = (numbered[0][0], numbered[0][1][:share])
    rest: list[tuple[int, str]] = []
    room = MAX_THREAD_CHARS - len(first[1])
    for number, text in reversed(numbered[1:]):
        text = text[-share:]
        if len(text) > room:
            break
        rest.insert(0, (number, text))
        room -= len(text)
    return [first, *rest]


def fence_passages(hits: Sequence[Hit], aliases: Sequence[str]) -> str:
    """The retrieved passages with the short ids the model must cite them by."""
    lines = ["<passages>"]
    for alias, hit in zip(aliases, hits, strict=True):
        p = hit.passage
        lines.append(
            f'<passage id="{alias}" document="{neutralize(p.doc_id)}" '
            f'section="{neutralize(p.heading)}">\n{neutralize(clip_words(p.text, PASSAGE_CHARS))}'
            "\n</passage>"
        )
    lines.append("</passages>")
    return "\n".join(lines)


def fence_examples(examples: Sequence[Example]) -> str:
    """Labelled cases like this one, each as its message and the reading it should get."""
    if not examples:
        return "(none)"
    return "\n".join(
        f"<example>\n<message>\n{neutralize(e.text)}\n</message>\n"
        f"<reading>{neutralize(e.reading)}</reading>\n</example>"
        for e in examples
    )


def fence_facts(facts: Sequence[Fact]) -> str:
    """What the user set directly on the correction form: given facts, not message text, so
    they are stated by the bot (dimension names and states only, nothing the user typed)."""
    if not facts:
        return "(none)"
    lines = ["<given_facts>"]
    lines += [f'<fact dim="{f.dimension}" state="{f.state}"/>' for f in facts]
    lines.append("</given_facts>")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Prompts:
    """The prompt templates, read once at start-up so a missing file stops the bot early."""

    templates: Mapping[str, str]

    @classmethod
    def load(cls, directory: Path) -> Prompts:
        templates: dict[str, str] = {}
        for name in PROMPT_FILES:
            path = directory / f"{name}.md"
            try:
                templates[name] = path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"PROMPTS_DIR: cannot read {path} ({exc.strerror})") from None
        unasked = [d.name for d in DIMENSIONS if f"- {d.name}:" not in templates["system"]]
        if unasked:
            raise ConfigError(
                f"PROMPTS_DIR: system.md asks no question for dimension(s) {', '.join(unasked)}"
            )
        return cls(templates)

    def system(self, mode: str, tool_name: str) -> str:
        output_rule = render(
            self.templates[f"output-{mode}"], {"tool_name": tool_name}, name=f"output-{mode}"
        )
        return render(self.templates["system"], {"output_rule": output_rule}, name="system")

    def answer(
        self,
        messages: Sequence[str],
        hits: Sequence[Hit],
        aliases: Sequence[str],
        examples: Sequence[Example] = (),
        facts: Sequence[Fact] = (),
    ) -> str:
        fields = {
            "facts": fence_facts(facts),
            "passages": fence_passages(hits, aliases),
            "examples": fence_examples(examples),
            "user_messages": fence_messages(messages),
            "message_count": str(len(messages)),
        }
        return render(self.templates["answer"], fields, name="answer")
