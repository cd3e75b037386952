"""slack/manifest.yaml agrees with the code: route, command, events, minimal scopes."""

from __future__ import annotations

from typing import Any

import yaml

from bot.adapters.slack import ROUTE
from bot.adapters.slack.listeners import COMMAND, takes
from bot.settings import PROJECT_ROOT

MINIMAL_SCOPES = {
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "im:history",
    "chat:write",
    "commands",
    "reactions:write",
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
    assert events == {"app_mention", "message.channels", "message.groups", "message.im"}
    assert set(data["oauth_config"]["scopes"]["bot"]) == MINIMAL_SCOPES
    assert "user" not in data["oauth_config"]["scopes"]
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is False


def test_every_subscribed_event_reaches_bolt() -> None:
    """The route answers 200 to events no listener takes without asking bolt (listeners.takes);
    an event subscribed here but missing from `EVENTS` would be dropped unseen."""
    events = manifest()["settings"]["event_subscriptions"]["bot_events"]
    for name in events:
        body = {"type": "event_callback", "event": {"type": name.split(".")[0]}}
        assert takes(body), name


def test_display_fields_fit_slack_limits() -> None:
    info = manifest()["display_information"]
    assert len(info["name"]) <= 35 and len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert manifest()["features"]["app_home"]["messages_tab_read_only_enabled"] is False
