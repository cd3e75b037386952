"""The bolt `AsyncApp`, built once per process from the settings — with no network at all.

`AsyncApp` never checks the token while it is constructed (unlike the sync `App`'s
`token_verification_enabled`): bolt's single-workspace authorization middleware calls
`auth.test` on the first request and caches the bot's ids, which its ignoring-self-events
middleware then uses to drop the bot's own messages. So a process starts instantly and a bad
token shows up as an error on the first event, not as a crash at boot.

`process_before_response=True`: listeners run inline and only ack and `runtime.spawn` the
work, so the HTTP response goes out as soon as the listener returns instead of after bolt's
10 ms ack-polling loop, and every answer is a task the runtime can drain at shutdown.

`attaching_conversation_kwargs_enabled=False`: bolt's middleware that hands listeners
`set_status`, `say_stream` and assistant helpers is off. The status belongs where the answer is
computed — the job handler, maybe on another replica, long after the listener returned — so
the adapter calls `assistant.threads.*` itself (`api`, `surfaces`); and that middleware raises
(a 500, which Slack retries) on a signed assistant event without a thread.
"""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

log = logging.getLogger(__name__)
WEB_API_TIMEOUT_SECONDS = 10


def build_bolt_app(settings: Settings) -> AsyncApp:
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        raise ValueError("Slack is not configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)")
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=WEB_API_TIMEOUT_SECONDS,
        logger=logging.getLogger("bot.adapters.slack.web"),
    )
    return AsyncApp(
        name="rag-or-ft",
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        process_before_response=True,
        attaching_conversation_kwargs_enabled=False,
        logger=logging.getLogger("bot.adapters.slack.bolt"),
    )


async def open_session(app: AsyncApp) -> None:
    """One pooled HTTP session for every Web API and response_url call (a TLS handshake per
    call to slack.com would otherwise cost ~100 ms each); needs the running loop, so it is
    opened on application start-up."""
    if app.client.session is None:
        app.client.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=WEB_API_TIMEOUT_SECONDS)
        )


async def close_session(app: AsyncApp) -> None:
    session = app.client.session
    app.client.session = None
    if session is not None:
        await session.close()
