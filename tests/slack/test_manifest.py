"""slack/manifest.yaml agrees with Slack's published schema and with the code: route, command,
events, minimal scopes, the assistant view's prompts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot import messages
from bot.adapters.slack import ROUTE
from bot.adapters.slack.listeners import COMMAND, EVENTS, UNUSED, takes
from bot.settings import PROJECT_ROOT

SCHEMA = Path(__file__).parent.parent / "fixtures" / "slack" / "manifest.schema.1.0.0.json"

MINIMAL_SCOPES = {
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "im:history",
    "chat:write",
    "commands",
    "reactions:write",
    "assistant:write",
}


def manifest() -> dict[str, Any]:
    with (PROJECT_ROOT / "slack" / "manifest.yaml").open(encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


def test_every_url_is_the_one_route() -> None:
    data = manifest()
    urls = [
        data["settings"]["event_subscriptions"]["request_url"],
        data["settings"]["interactivity"]["request_url"],
        *[c["url"] for c in data["features"]["slash_commands"]],
    ]
    assert urls and all(u == f"https://YOUR-HOST{ROUTE}" for u in urls)


def test_command_events_and_scopes_match_the_listeners() -> None:
    data = manifest()
    [command] = data["features"]["slash_commands"]
    assert command["command"] == COMMAND and command["usage_hint"]
    events = set(data["settings"]["event_subscriptions"]["bot_events"])
    assert events == {
        "app_mention",
        "message.channels",
        "message.groups",
        "message.im",
        "app_home_opened",
        "assistant_thread_started",
        "assistant_thread_context_changed",
    }
    assert set(data["oauth_config"]["scopes"]["bot"]) == MINIMAL_SCOPES
    assert "user" not in data["oauth_config"]["scopes"]
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is False


def test_every_subscribed_event_reaches_bolt() -> None:
    """The route answers 200 to events no listener takes without asking bolt (listeners.takes);
    an event subscribed here but missing from `EVENTS` would be dropped unseen — unless it is
    one the bot subscribes to on purpose and does not use (`UNUSED`)."""
    events = {n.split(".")[0] for n in manifest()["settings"]["event_subscriptions"]["bot_events"]}
    for name in events:
        body = {"type": "event_callback", "event": {"type": name}}
        assert takes(body) is (name not in UNUSED), name
    assert events == set(EVENTS) | set(UNUSED)  # and every listener is subscribed


def test_the_manifest_validates_against_slacks_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(manifest(), schema, cls=jsonschema.Draft7Validator)
    broken = manifest()
    broken["features"]["assistant_view"]["suggested_prompts"][0]["prompt"] = "not a field"
    with pytest.raises(jsonschema.ValidationError, match="prompt"):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft7Validator)


def test_the_assistant_view_and_home_tab_are_on_with_the_bots_prompts() -> None:
    features = manifest()["features"]
    assert features["app_home"]["home_tab_enabled"] is True
    view = features["assistant_view"]
    assert view["assistant_description"]
    prompts = [(x["title"], x["message"]) for x in view["suggested_prompts"]]
    assert prompts == list(messages.EXAMPLE_PROMPTS)


def test_display_fields_fit_slack_limits() -> None:
    info = manifest()["display_information"]
    assert len(info["name"]) <= 35 and len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert manifest()["features"]["app_home"]["messages_tab_read_only_enabled"] is False
