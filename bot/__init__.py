"""rag-or-ft: triage an LLM project into RAG, fine-tuning, both, or prompting first, with citations."""

__version__ = "0.1.0"
