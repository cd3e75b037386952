"""Knowledge documents: Markdown with YAML front matter, split into passages with stable ids.

Each file in `knowledge/` is `---\\n<yaml>\\n---\\n<body>`. The body is kept verbatim; spans that
are not knowledge (bios, calls to action, known slips) are listed in the front matter under
`not_knowledge` as exact text (`to_end: true` runs to the end of the body) and are never indexed
or quoted. A team's own notes (e.g. ADRs) dropped beside the articles load the same way; only
`title` is required in their front matter.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.errors import KnowledgeError

_FRONT_MATTER = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_TABLE_RULE = re.compile(r"^\|?[\s|:-]+\|?$")
_WS = re.compile(r"\s+")
PASSAGE_TARGET_CHARS = 480
MIN_QUOTE_WORDS = 4


def normalize_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Passage:
    """A citable piece of a document; `id` is `<doc id>#<position>` and stable across loads."""

    id: str
    doc_id: str
    position: int
    heading: str
    text: str
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    path: Path
    source: str
    title: str
    author: str | None
    date: str | None
    url: str | None
    body: str
    citable: tuple[str, ...]
    passages: tuple[Passage, ...] = field(default=())

    citable_normalized: tuple[str, ...] = field(default=())

    def contains_quote(self, quote: str) -> bool:
        """True if `quote` appears verbatim (whitespace aside) in a citable part of the body."""
        needle = normalize_ws(quote)
        return bool(needle) and any(needle in segment for segment in self.citable_normalized)


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    documents: tuple[Document, ...]

    @property
    def passages(self) -> tuple[Passage, ...]:
        return tuple(p for d in self.documents for p in d.passages)

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def passage(self, passage_id: str) -> Passage | None:
        doc_id, _, _ = passage_id.partition("#")
        for doc in self.documents:
            if doc.id == doc_id:
                return next((p for p in doc.passages if p.id == passage_id), None)
        return None

    def by_source(self, source: str) -> Document | None:
        return next((d for d in self.documents if d.source == source), None)


def load_knowledge(directory: Path) -> KnowledgeBase:
    """Load every `*.md` document in `directory`; raise `KnowledgeError` naming a bad file."""
    if not directory.is_dir():
        raise KnowledgeError(f"knowledge directory not found: {directory}")
    files = sorted(p for p in directory.glob("*.md") if not p.name.startswith((".", "_")))
    files = [p for p in files if p.name.lower() != "readme.md"]
    if not files:
        raise KnowledgeError(f"no knowledge documents (*.md) in {directory}")
    docs = tuple(_load_document(path, directory) for path in files)
    seen: set[str] = set()
    for doc in docs:
        if doc.id in seen:
            raise KnowledgeError(f"{doc.path.name}: duplicate document id {doc.id!r}")
        seen.add(doc.id)
    return KnowledgeBase(docs)


def _load_document(path: Path, root: Path) -> Document:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path.name}: cannot read as UTF-8 text ({exc})") from None
    match = _FRONT_MATTER.match(raw)
    if not match:
        raise KnowledgeError(f"{path.name}: missing front matter (--- yaml --- at the top)")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path.name}: front matter is not valid YAML ({exc})") from None
    if not isinstance(meta, dict):
        raise KnowledgeError(f"{path.name}: front matter must be a mapping")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise KnowledgeError(f"{path.name}: front matter needs a non-empty 'title'")
    body = raw[match.end() :]
    if not body.strip():
        raise KnowledgeError(f"{path.name}: empty body")
    doc_id = str(meta.get("id") or path.stem)
    citable = _citable_segments(path.name, body, meta.get("not_knowledge") or [])
    doc = Document(
        id=doc_id,
        path=path,
        source=f"{root.name}/{path.name}",
        title=title.strip(),
        author=_opt_str(meta.get("author")),
        date=_opt_str(meta.get("date")),
        url=_opt_str(meta.get("url")),
        body=body,
        citable=citable,
    )
    return dataclasses.replace(
        doc,
        passages=tuple(_split_passages(doc)),
        citable_normalized=tuple(normalize_ws(segment) for segment in citable),
    )


def _opt_str(value: object) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value)


def _citable_segments(name: str, body: str, spans: Iterable[object]) -> tuple[str, ...]:
    """Cut the declared non-knowledge spans out of the body; what is left may be cited."""
    cuts: list[tuple[int, int]] = []
    for span in spans:
        if not isinstance(span, dict) or not isinstance(span.get("text"), str):
            raise KnowledgeError(f"{name}: each not_knowledge entry needs a 'text'")
        start = body.find(span["text"])
        if start < 0:
            raise KnowledgeError(
                f"{name}: not_knowledge text not found in body: {span['text'][:60]!r}"
            )
        end = len(body) if span.get("to_end") else start + len(span["text"])
        cuts.append((start, end))
    segments, pos = [], 0
    for start, end in sorted(cuts):
        segments.append(body[pos:start])
        pos = max(pos, end)
    segments.append(body[pos:])
    return tuple(s for s in segments if s.strip())


def _is_heading(line: str) -> bool:
    text = line.strip().lstrip("#").strip()
    return (
        0 < len(text) <= 70
        and not text.startswith(("-", "|", "👉", "📌"))
        and text[-1] not in ".,;:!"
        and not text.endswith(("?+", "→ RAG", "→ Fine-tune"))
        and len(text.split()) <= 10
    )


def _split_passages(doc: Document) -> list[Passage]:
    passages: list[Passage] = []
    heading = doc.title
    buf: list[str] = []

    def flush() -> None:
        text = "\n".join(buf).strip()
        buf.clear()
        if text:
            pos = len(passages) + 1
            passages.append(
                Passage(
                    id=f"{doc.id}#{pos:02d}",
                    doc_id=doc.id,
                    position=pos,
                    heading=heading,
                    text=text,
                    sentences=tuple(split_sentences(text)),
                )
            )

    for segment in doc.citable:
        for line in segment.splitlines():
            if not line.strip():
                continue
            if _is_heading(line) and line.strip() != doc.title:
                flush()
                heading = line.strip().lstrip("#").strip()
                continue
            if sum(len(b) for b in buf) + len(line) > PASSAGE_TARGET_CHARS and buf:
                flush()
            buf.append(line.strip())
        flush()
    return passages


def split_sentences(text: str) -> list[str]:
    """Quotable sentences of a passage (lines, then sentence breaks), each verbatim."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or _TABLE_RULE.match(line) or line.startswith("| Problem Type"):
            continue
        if line.startswith("- "):
            line = line[2:]
        for piece in _SENTENCE_END.split(line):
            piece = piece.strip()
            if len(piece.split()) >= MIN_QUOTE_WORDS or (piece.startswith("|") and "✅" in piece):
                out.append(piece)
    return out
