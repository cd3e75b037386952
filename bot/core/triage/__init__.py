"""Deterministic offline triage: RAG, fine-tuning, both, prompt engineering first, or clarify.

`OfflineEngine` is the entry point; the modules read a thread (`text`, `guard`, `numbers`,
`lexicon`, `signals`, `questions`, `analysis`), decide (`decide`) and answer with cited reasons
(`compose`, `phrases`, `evidence`).
"""

from bot.core.triage.engine import OfflineEngine

__all__ = ["OfflineEngine"]
