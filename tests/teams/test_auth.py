"""With MICROSOFT_APP_ID set, every activity needs a valid Bot Framework token.

Tokens are minted here and validated by botbuilder against a local OpenID metadata/JWKS
stand-in (`AuthEndpoints`). That stand-in is served by this test's own event loop while
botbuilder downloads the keys with blocking `requests`: the accepted-token test would hang if
the download ran on the loop, so it also checks that authentication happens off-loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from bot import messages
from bot.adapters import teams
from bot.adapters.teams.auth import BotConfiguration
from bot.errors import ConfigError
from bot.settings import Settings
from tests.support import teams_activities as ta
from tests.support.botframework_auth import TokenIssuerStandIn
from tests.support.connector import ConnectorStandIn
from tests.teams.conftest import OUTBOUND_TOKEN, BotServer, running_bot

OTHER_APP_ID = "0b5e9a51-7c1d-4f3e-8a2b-6d4c3e2f1a0b"


@pytest.fixture
async def secured(
    make_settings: Callable[..., Settings], issuer: TokenIssuerStandIn
) -> AsyncIterator[BotServer]:
    settings = make_settings(microsoft_app_id=ta.APP_ID, microsoft_app_password="s3cret-value")
    endpoints = teams.AuthEndpoints(issuer.metadata_url, outbound_token=OUTBOUND_TOKEN)
    async with running_bot(settings, endpoints=endpoints) as server:
        yield server


async def nothing_reached_the_core(bot: BotServer, connector: ConnectorStandIn) -> bool:
    thread = f"teams:{ta.TENANT_ID}:{ta.PERSONAL_CHAT_ID}"
    return (
        connector.posts == []
        and bot.runtime.in_flight == 0
        and await bot.runtime.store.load_turns(thread) == []
    )


async def test_valid_token_is_accepted_and_replies_carry_the_bot_token(
    secured: BotServer, connector: ConnectorStandIn, issuer: TokenIssuerStandIn
) -> None:
    token = issuer.token(audience=ta.APP_ID, service_url=connector.url)
    status, _ = await secured.post(ta.personal_message(connector.url, "A support bot"), token=token)
    assert status == 200
    [reply] = await connector.wait_messages(1)
    assert reply.authorization == f"Bearer {OUTBOUND_TOKEN}"
    assert issuer.metadata_requests == 1
    status, _ = await secured.post(ta.personal_message(connector.url, "help"), token=token)
    assert status == 200 and issuer.metadata_requests == 1  # keys are cached


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("missing", "PermissionError"),
        ("malformed", "DecodeError"),  # botbuilder lets jwt.DecodeError escape
        ("not-bearer", "PermissionError"),
        ("expired", "ExpiredSignatureError"),
        ("wrong-audience", "PermissionError"),
        ("forged", "InvalidSignatureError"),
        ("wrong-issuer", "PermissionError"),
        ("other-service-url", "PermissionError"),
    ],
)
async def test_bad_tokens_are_401_and_reach_nothing(
    secured: BotServer,
    connector: ConnectorStandIn,
    issuer: TokenIssuerStandIn,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    reason: str,
) -> None:
    url = connector.url
    headers: dict[str, str] = {
        "missing": {},
        "malformed": {"Authorization": "Bearer not.a.jwt"},
        "not-bearer": {"Authorization": "Basic dXNlcjpwYXNz"},
        "expired": {
            "Authorization": "Bearer "
            + issuer.token(audience=ta.APP_ID, service_url=url, expires_in=-3600)
        },
        "wrong-audience": {
            "Authorization": "Bearer " + issuer.token(audience=OTHER_APP_ID, service_url=url)
        },
        "forged": {
            "Authorization": "Bearer " + issuer.forged_token(audience=ta.APP_ID, service_url=url)
        },
        "wrong-issuer": {
            "Authorization": "Bearer "
            + issuer.token(audience=ta.APP_ID, service_url=url, issuer="https://evil.example")
        },
        "other-service-url": {
            "Authorization": "Bearer "
            + issuer.token(audience=ta.APP_ID, service_url="https://smba.trafficmanager.net/emea/")
        },
    }[kind]
    status, body = await secured.post(ta.personal_message(url, "A support bot"), headers=headers)
    assert status == 401 and body == {"error": "unauthorized"}
    assert await nothing_reached_the_core(secured, connector)
    [rejected] = [
        r for r in caplog.records if r.getMessage() == "rejected unauthenticated activity"
    ]
    assert rejected.reason == reason  # type: ignore[attr-defined]


async def test_anonymous_mode_needs_no_token(bot: BotServer, connector: ConnectorStandIn) -> None:
    status, _ = await bot.post(ta.personal_message(connector.url, "help"))
    assert status == 200
    [reply] = connector.messages()
    assert reply.authorization is None


@pytest.mark.parametrize(
    "service_url",
    [
        "http://0.0.0.0:{port}/",  # Linux delivers it to this host, yet it is no loopback address
        "http://127.0.0.1@0.0.0.0:{port}/",
        "http://localhost.example:{port}/",
        "https://smba.trafficmanager.net/amer/",
        "ftp://127.0.0.1:{port}/",
        "not a url",
        None,
    ],
)
async def test_anonymous_mode_refuses_a_service_url_off_loopback_and_sends_nothing(
    bot: BotServer, connector: ConnectorStandIn, service_url: str | None
) -> None:
    """Otherwise /api/messages is an open relay: anyone could have the bot POST anywhere."""
    port = connector.url.rsplit(":", 1)[1].strip("/")
    activity = ta.personal_message(connector.url, "help")
    activity["serviceUrl"] = service_url and service_url.format(port=port)
    status, body = await bot.post(activity)
    assert status == 403 and body == {"error": "anonymous mode needs a loopback serviceUrl"}
    assert await nothing_reached_the_core(bot, connector)
    activity = ta.bot_installed_in_team(connector.url)
    activity["serviceUrl"] = service_url and service_url.format(port=port)
    status, _ = await bot.post(activity)
    assert status == 403 and connector.posts == []


async def test_anonymous_mode_accepts_localhost(
    bot: BotServer, connector: ConnectorStandIn
) -> None:
    """The Agents Playground and the Emulator name themselves `http://localhost:<port>`."""
    url = connector.url.replace("127.0.0.1", "localhost")
    status, _ = await bot.post(ta.personal_message(url, "help"))
    assert status == 200
    assert [m.text for m in await connector.wait_messages(1)] == [messages.TEAMS_USAGE]


APP_TYPES = {
    "MultiTenant": {"microsoft_app_password": "s3cret-value"},
    "SingleTenant": {
        "microsoft_app_password": "s3cret-value",
        "microsoft_app_tenant_id": ta.TENANT_ID,
    },
    "UserAssignedMSI": {"microsoft_app_tenant_id": ta.TENANT_ID},
}


@pytest.mark.parametrize("app_type", sorted(APP_TYPES))
async def test_every_app_type_reaches_botbuilder_and_accepts_channel_tokens(
    make_settings: Callable[..., Settings],
    connector: ConnectorStandIn,
    issuer: TokenIssuerStandIn,
    app_type: str,
) -> None:
    settings = make_settings(
        microsoft_app_id=ta.APP_ID, microsoft_app_type=app_type, **APP_TYPES[app_type]
    )
    configuration = BotConfiguration(settings)
    assert configuration.APP_ID == ta.APP_ID and configuration.APP_TYPE == app_type
    assert configuration.APP_TENANTID == APP_TYPES[app_type].get("microsoft_app_tenant_id", "")
    assert configuration.APP_PASSWORD == APP_TYPES[app_type].get("microsoft_app_password", "")
    endpoints = teams.AuthEndpoints(issuer.metadata_url, outbound_token=OUTBOUND_TOKEN)
    async with running_bot(settings, endpoints=endpoints) as bot:
        token = issuer.token(audience=ta.APP_ID, service_url=connector.url)
        status, _ = await bot.post(ta.personal_message(connector.url, "help"), token=token)
        assert status == 200
        assert (await bot.post(ta.personal_message(connector.url, "help")))[0] == 401
    assert [p.text for p in connector.messages()] == [messages.TEAMS_USAGE]


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"microsoft_app_id": "my-bot"}, "MICROSOFT_APP_ID"),
        ({"microsoft_app_type": "SingleTenant"}, "MICROSOFT_APP_TENANT_ID"),
        ({"microsoft_app_type": "UserAssignedMSI"}, "MICROSOFT_APP_TENANT_ID"),
        ({"microsoft_app_password": ""}, "MICROSOFT_APP_PASSWORD"),
    ],
)
async def test_incomplete_credentials_stop_start_up(
    make_settings: Callable[..., Settings], overrides: dict[str, str], variable: str
) -> None:
    values = {"microsoft_app_id": ta.APP_ID, "microsoft_app_password": "pw", **overrides}
    with pytest.raises(ConfigError, match=f"^{variable}: "):
        async with running_bot(make_settings(**values)):
            pass
