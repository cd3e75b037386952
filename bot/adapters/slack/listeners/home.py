"""App Home (`app_home_opened`, Home tab): how to use the bot, the example projects and the
workspace's last seven days, published for the person who opened it (`views.publish`).

Published on every opening, so the numbers are never older than the visit; Slack keeps the
last published view, so nothing needs publishing in between.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.adapters.slack.api import SlackApi
from bot.adapters.slack.home import home_view
from bot.adapters.slack.keys import scope
from bot.adapters.slack.listeners.common import field

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)
OPENED = "app_home_opened"
EVENTS = (OPENED,)


def register(app: AsyncApp, runtime: Runtime, api: SlackApi) -> None:
    async def on_opened(body: dict[str, Any], context: AsyncBoltContext) -> None:
        event = body.get("event") or {}
        user = field(event.get("user"))
        if event.get("tab") != "home" or not user:
            return  # the Messages tab: nothing to show there
        team = context.team_id or field(body.get("team_id"))
        runtime.spawn(publish(runtime, api, team, user), name="slack-home")

    app.event(OPENED)(on_opened)


async def publish(runtime: Runtime, api: SlackApi, team: str, user: str) -> None:
    try:
        week = await runtime.conversations.week(scope(team))
        await api.publish_home(user, home_view(week))
    except Exception:
        log.warning("slack app home not published", exc_info=True)
