"""The platform-neutral core: knowledge, retrieval, triage, conversation state.

Nothing in here imports Slack, Teams or an LLM client; adapters convert to and from these types.
"""
