"""The knowledge base: verbatim bodies, excluded non-knowledge, stable passages, clear errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from bot.core.knowledge import KnowledgeBase, load_knowledge
from bot.errors import KnowledgeError
from bot.settings import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared" / "knowledge"
NOT_KNOWLEDGE = [
    "Reliable Accounting and Analysis",
    "Written by",
    "Talk to Us",
    "I build both, and I am happy",
    "Agentic AI Engineer & Systems Builder",
    "old library bookstore",
    "← Deep Cuts",
    "Want this built for your team?",
    "9 min read",
]


def _front_matter(path: Path) -> dict[str, object]:
    raw = path.read_text(encoding="utf-8")
    data = yaml.safe_load(raw.split("---\n", 2)[1])
    assert isinstance(data, dict)
    return data


def test_five_articles_with_attribution(knowledge: KnowledgeBase) -> None:
    assert len(knowledge.documents) == 5
    for doc in knowledge.documents:
        meta = _front_matter(doc.path)
        assert meta["third_party"] is True
        assert str(meta["original_file"]).endswith(".txt")
        assert doc.title and doc.passages


def test_bodies_are_byte_for_byte_the_originals(knowledge: KnowledgeBase) -> None:
    for doc in knowledge.documents:
        meta = _front_matter(doc.path)
        assert hashlib.sha256(doc.body.encode()).hexdigest() == meta["sha256"], doc.source
        original = SHARED / str(meta["original_file"])
        if original.exists():  # the shared folder sits beside the repo on dev machines and CI
            assert original.read_text(encoding="utf-8") == doc.body


@pytest.mark.parametrize("text", NOT_KNOWLEDGE)
def test_non_knowledge_is_never_indexed(knowledge: KnowledgeBase, text: str) -> None:
    for passage in knowledge.passages:
        assert text not in passage.text, passage.id
    for doc in knowledge.documents:
        assert not doc.contains_quote(text) or text == "Written by"


def test_the_slip_sentence_cannot_be_quoted(knowledge: KnowledgeBase) -> None:
    doc = knowledge.document("what-your-enterprise-ai-project-needs")
    assert "Reliable Accounting and Analysis" in doc.body  # kept verbatim …
    assert not doc.contains_quote("With RAG (Reliable Accounting and Analysis), the model")
    assert doc.contains_quote("Without fine-tuning, the responses would sound generic.")


def test_passage_ids_are_stable_and_unique(tmp_path: Path) -> None:
    first = load_knowledge(PROJECT_ROOT / "knowledge")
    second = load_knowledge(PROJECT_ROOT / "knowledge")
    ids = [p.id for p in first.passages]
    assert ids == [p.id for p in second.passages]
    assert len(ids) == len(set(ids))
    assert all(p.id.startswith(p.doc_id + "#") for p in first.passages)


def test_every_sentence_is_a_verbatim_quote(knowledge: KnowledgeBase) -> None:
    for passage in knowledge.passages:
        doc = knowledge.document(passage.doc_id)
        for sentence in passage.sentences:
            assert doc.contains_quote(sentence), (passage.id, sentence)


def test_whitespace_is_ignored_when_checking_quotes(knowledge: KnowledgeBase) -> None:
    doc = knowledge.document("rag-vs-fine-tuning-when-to-use-each")
    assert doc.contains_quote("Most   production apps\nneed RAG.")
    assert not doc.contains_quote("Most production apps need fine-tuning.")


def test_team_notes_beside_the_articles_are_indexed(tmp_path: Path) -> None:
    for src in (PROJECT_ROOT / "knowledge").glob("*.md"):
        (tmp_path / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "adr-007-search.md").write_text(
        "---\ntitle: ADR 7 — Search for the parts catalogue\n---\n"
        "We decided to index the parts catalogue nightly because part numbers change weekly.\n",
        encoding="utf-8",
    )
    kb = load_knowledge(tmp_path)
    adr = kb.document("adr-007-search")
    assert adr.source == f"{tmp_path.name}/adr-007-search.md"
    assert adr.passages[0].sentences[0].startswith("We decided to index")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("no front matter here\n", "missing front matter"),
        ("---\ntitle: [unclosed\n---\nbody\n", "not valid YAML"),
        ("---\nauthor: x\n---\nbody\n", "non-empty 'title'"),
        ("---\ntitle: T\n---\n\n", "empty body"),
        ("---\ntitle: T\nnot_knowledge:\n- text: absent\n---\nbody\n", "not found in body"),
    ],
)
def test_malformed_files_fail_with_the_file_name(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "bad-note.md").write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=message) as info:
        load_knowledge(tmp_path)
    assert "bad-note.md" in str(info.value)


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not found"):
        load_knowledge(tmp_path / "nope")
