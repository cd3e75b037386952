"""rag-or-ft: triage an LLM project into RAG, fine-tuning, both, or prompting first."""

__version__ = "0.1.0"
