"""The project's exceptions.

    RagOrFtError                 base of everything raised on purpose
    ├── ConfigError              a bad setting; the message names the variable (exit 1 at start-up)
    ├── UsageError               a bad command line or argument (exit 2)
    ├── KnowledgeError           a malformed or missing knowledge document
    ├── StoreError               the state store failed or timed out (the bot degrades, never dies)
    └── LLMError                 the LLM failed, timed out or answered unusably (offline fallback)

Adapters catch everything at their edge, log it with the traceback and answer the user with a
fixed message and a reference id, never the exception's text.
"""


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
