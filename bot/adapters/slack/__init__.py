"""The Slack adapter (see its modules); `mount` adds its route to the shared aiohttp app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.runtime import Runtime


def mount(app: web.Application, runtime: Runtime) -> None:
    """Not wired yet: the Slack route arrives with its issue."""
    return None
