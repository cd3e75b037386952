"""What a real `rag-or-ft serve` says as it starts: warnings an operator must see, once."""

from __future__ import annotations

import pytest

from tests.support.serve_process import ServeProcess

pytestmark = pytest.mark.slow
EXPOSED = "Teams endpoint in ANONYMOUS mode on a non-loopback interface"


@pytest.mark.parametrize(("host", "warnings"), [("0.0.0.0", 1), ("127.0.0.1", 0)])
def test_anonymous_teams_on_a_public_interface_is_warned_about_once(
    host: str, warnings: int
) -> None:
    with ServeProcess({"LOG_FORMAT": "json"}, host=host) as bot:
        log = bot.log_text()
    assert log.count(EXPOSED) == warnings, log


def test_with_an_app_id_there_is_no_anonymous_warning() -> None:
    env = {
        "LOG_FORMAT": "json",
        "MICROSOFT_APP_ID": "9c1f4d2e-3b5a-4c6d-8e7f-0a1b2c3d4e5f",
        "MICROSOFT_APP_PASSWORD": "not-used-here",
    }
    with ServeProcess(env, host="0.0.0.0") as bot:
        log = bot.log_text()
    assert "ANONYMOUS" not in log and "anonymous" not in log
