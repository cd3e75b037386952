"""The project's exceptions, and the reference id that ties an apology to its log line.

Every exception class the project defines, as a tree (the base classes are here; a subclass that
carries a module's own detail lives beside the code that raises it and is listed with its home):

    RagOrFtError                 base of everything raised on purpose
    ├── ConfigError              a bad setting; the message names the variable (exit 1 at start-up)
    ├── UsageError               a bad command line or argument (exit 2)
    ├── KnowledgeError           a malformed or missing knowledge document
    ├── StoreError               the state store failed or timed out (the bot degrades, never dies)
    │   └── LockTimeoutError     a thread stayed locked by another turn too long
    │                            (bot.core.store.common)
    ├── LLMError                 the LLM failed, timed out or answered unusably (offline fallback)
    │   ├── LLMFailure           one failed call, classified for metrics and the breaker
    │   │                        (bot.llm.client)
    │   └── PromptError          a prompt template has a field nobody filled (bot.llm.prompts)
    └── OutboundTokenError       no Bot Framework token for replies (bot.adapters.teams.auth)

Adapters catch everything at their edge, log it with the traceback under a `new_ref()` and answer
the user with a fixed message naming that reference (`Conversations.apology`), never the
exception's text.
"""

from __future__ import annotations

import uuid


def new_ref() -> str:
    """A short id shown to a person with an apology and logged with the traceback."""
    return uuid.uuid4().hex[:8]


class RagOrFtError(Exception):
    """Base class of the project's own errors."""


class ConfigError(RagOrFtError):
    """A setting is missing or invalid."""


class UsageError(RagOrFtError):
    """The command line was used wrongly."""


class KnowledgeError(RagOrFtError):
    """A knowledge document could not be loaded."""


class StoreError(RagOrFtError):
    """The conversation store failed or timed out."""


class LLMError(RagOrFtError):
    """The LLM call failed, timed out or returned something unusable."""
