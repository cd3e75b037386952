"""The settings object: CONTRACT §3 defaults, and one clear line for a bad value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings


def test_contract_defaults() -> None:
    s = load_settings(env_file=None)
    assert s.port == 3978
    assert s.redis_url is None
    assert s.state_path == Path("~/.local/state/rag-or-ft/state.db")
    assert s.conversation_ttl_seconds == 1_209_600
    assert s.llm_timeout_seconds == 30
    assert s.slack_api_url == "https://slack.com/api/"
    assert (s.log_level, s.log_format) == ("INFO", "text")
    assert not s.llm_configured and not s.slack_enabled and s.teams_anonymous


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.setenv("REDIS_URL", "rediss://:pw@cache:6380/2")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("OPENAI_MODEL", "m")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    s = load_settings(env_file=None)
    assert (s.port, s.redis_url, s.log_level) == (8080, "rediss://:pw@cache:6380/2", "DEBUG")
    assert s.llm_configured


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("PORT=4000\nSLACK_API_URL=http://127.0.0.1:9/api\n", encoding="utf-8")
    s = load_settings(env_file=str(env))
    assert s.port == 4000
    assert s.slack_api_url == "http://127.0.0.1:9/api/"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("REDIS_URL", "localhost:6379"),
        ("LOG_FORMAT", "xml"),
        ("LLM_TIMEOUT_SECONDS", "-1"),
        ("MICROSOFT_APP_TYPE", "Whatever"),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings(env_file=None)
    message = str(info.value)
    assert message.startswith(f"{name}:")
    assert "\n" not in message


def test_secrets_are_not_echoed_in_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-secret-value")
    monkeypatch.setenv("PORT", "bad")
    with pytest.raises(ConfigError) as info:
        load_settings(env_file=None)
    assert "xoxb-secret-value" not in str(info.value)
    assert "xoxb-secret-value" not in repr(load_settings(env_file=None, port=1).slack_bot_token)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REDIS_URL", "http://:hunter2@127.0.0.1:6379/0"),
        ("REDIS_URL", "http://admin:hunter2@127.0.0.1:6379/0"),
        ("REDIS_URL", "http://hunter2@127.0.0.1:6379/0"),
        ("REDIS_URL", "http://:p@ss-hunter2@127.0.0.1:6379/0"),
        ("SLACK_API_URL", "ftp://bot:hunter2@slack.example/api/"),
        ("REDIS_URL", "xoxb-1234-5678-hunter2"),
    ],
)
def test_url_userinfo_and_tokens_are_not_echoed_in_errors(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    """Only names that look secret were hidden; a URL's credentials were printed as given."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings(env_file=None)
    message = str(info.value)
    assert message.startswith(f"{name}:") and "[redacted]" in message
    assert "hunter2" not in message and "admin" not in message


def test_blank_optional_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "  ")
    assert load_settings(env_file=None).redis_url is None


def test_env_example_lists_every_setting() -> None:
    """`.env.example` is where an operator looks first: every variable, with its default."""
    from bot.settings import PROJECT_ROOT, Settings

    text = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^# ([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))
    assert listed == {name.upper() for name in Settings.model_fields}
