"""One validated, frozen settings object built from the environment (CONTRACT §3).

`load_settings()` is called once at start-up; a bad value raises `ConfigError` with one line
naming the variable and what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError
from bot.redaction import scrub

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    port: int = Field(default=3978, ge=1, le=65535)
    host: str = "0.0.0.0"

    redis_url: str | None = Field(default=None, repr=False)  # may hold a password
    redis_timeout_seconds: float = Field(default=0.5, gt=0, le=30)
    state_path: Path = Path("~/.local/state/rag-or-ft/state.db")
    conversation_ttl_seconds: int = Field(default=1_209_600, ge=60)
    max_turns: int = Field(default=50, ge=2, le=1000)
    rate_limit_per_minute: int = Field(default=20, ge=0)
    dedup_ttl_seconds: int = Field(default=86_400, ge=60)
    shutdown_grace_seconds: float = Field(default=20.0, gt=0, le=600)
    job_concurrency: int = Field(default=8, ge=1, le=1000)
    """Answers one `serve` process works on at once; more wait in the queue."""
    job_lease_seconds: float = Field(default=15.0, gt=0, le=3600)
    """How long a job — and the thread lock of its turn — may go without its worker renewing it
    before another replica takes it over (a dead replica's answers are late by this much)."""
    job_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    job_max_attempts: int = Field(default=3, ge=1, le=100)
    job_stale_seconds: float = Field(default=600.0, gt=0)
    """A job older than this when taken is answered with an apology, not a stale answer."""

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str | None = None
    llm_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    llm_structured_output: Literal["tools", "json_schema"] = "tools"
    llm_decision: Literal["framework", "model"] = "framework"
    """Who gives the verdict on the LLM path: the framework over the model's reading, or the
    model itself (see docs/llm.md for measuring which is better with your model)."""
    embeddings_model: str | None = None
    azure_openai_endpoint: str | None = None
    azure_openai_api_key: SecretStr | None = None
    azure_openai_deployment: str | None = None
    openai_api_version: str | None = None

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

    microsoft_app_id: str = ""
    microsoft_app_password: SecretStr = SecretStr("")
    microsoft_app_type: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = "MultiTenant"
    microsoft_app_tenant_id: str = ""

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["json", "text"] = "text"

    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    precedents_dir: Path = PROJECT_ROOT / "eval"
    """Labelled cases (`*.jsonl`, the eval format) the offline engine weighs as precedents."""

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator(
        "redis_url",
        "openai_base_url",
        "openai_model",
        "embeddings_model",
        "azure_openai_endpoint",
        "azure_openai_deployment",
        "openai_api_version",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @property
    def state_file(self) -> Path:
        return self.state_path.expanduser()

    @property
    def llm_configured(self) -> bool:
        azure = bool(self.azure_openai_endpoint and self.azure_openai_deployment)
        return azure or bool(self.openai_model and (self.openai_api_key or self.openai_base_url))

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None and self.slack_signing_secret is not None

    @property
    def teams_anonymous(self) -> bool:
        return not self.microsoft_app_id


def load_settings(*, env_file: str | None = ".env", **overrides: object) -> Settings:
    """Build the settings from the environment (and `.env`), or raise a one-line `ConfigError`."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err["loc"] else "settings"
        secret = any(w in name for w in ("KEY", "SECRET", "PASSWORD", "TOKEN"))
        shown = "" if secret else f" (got {scrub(repr(err.get('input')))})"
        raise ConfigError(f"{name}: {err['msg']}{shown}") from None
