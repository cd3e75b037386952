"""`rag-or-ft teams-package`: the zip a Teams admin uploads (manifest.json and two icons).

The manifest follows schema v1.19. The Teams app id is the bot's app id, so regenerating the
package for the same bot updates the installed app instead of adding a second one. The zip is
byte-for-byte reproducible (fixed timestamps and order). Developer URLs are placeholders on the
bot's host; docs/teams.md lists what to replace before publishing to an organisation.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from bot.errors import UsageError
from bot.packaging.icons import ACCENT, color_icon, outline_icon

MANIFEST_VERSION = "1.19"
SCHEMA = (
    f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/"
    "MicrosoftTeams.schema.json"
)
APP_VERSION = "1.0.0"
DEVELOPER_NAME = "Your organisation (replace me)"
"""A placeholder (docs/teams.md says what to replace); the schema allows 32 characters."""
SCOPES = ["personal", "team", "groupChat"]
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

SHORT_DESCRIPTION = "RAG, fine-tuning, both, or prompting first? Cited answers."
FULL_DESCRIPTION = (
    "Describe the LLM project your team is planning and rag-or-ft says whether it needs "
    "retrieval-augmented generation (RAG), fine-tuning, both, or better prompting first. "
    "Every reason cites a sentence quoted word for word from a curated set of articles, so you "
    "can check it. Mention the bot in a channel or group chat, or chat with it directly; reply "
    "in the same thread to add details or ask why."
)
COMMANDS = [
    {"title": "help", "description": "How to describe a project and what the answers mean"},
    {
        "title": "Support bot over weekly docs",
        "description": (
            "Support bot over 3,000 help articles that change weekly; answers must link to "
            "the source."
        ),
    },
    {
        "title": "Contract clause extraction",
        "description": (
            "Extract 40 fields from scanned supplier contracts into our strict JSON schema, "
            "with a small model for cost."
        ),
    },
]


def write_package(app_id: str, host: str, out: Path) -> Path:
    """Write the package to `out` (parents created) and return its path."""
    app_id = _check_app_id(app_id)
    host = _check_host(host)
    out = Path(out)
    if out.suffix.lower() != ".zip":
        raise UsageError(f"--out must name a .zip file (got {str(out)!r})")
    out.parent.mkdir(parents=True, exist_ok=True)
    files = {
        "manifest.json": (json.dumps(manifest(app_id, host), indent=2) + "\n").encode(),
        "color.png": color_icon(),
        "outline.png": outline_icon(),
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out


def manifest(app_id: str, host: str) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": APP_VERSION,
        "id": app_id,
        "developer": {
            "name": DEVELOPER_NAME,
            "websiteUrl": f"https://{host}",
            "privacyUrl": f"https://{host}/privacy",
            "termsOfUseUrl": f"https://{host}/terms",
        },
        "name": {"short": "rag-or-ft", "full": "rag-or-ft: RAG or fine-tuning triage"},
        "description": {"short": SHORT_DESCRIPTION, "full": FULL_DESCRIPTION},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": list(SCOPES),
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [{"scopes": list(SCOPES), "commands": COMMANDS}],
            }
        ],
        "validDomains": [host],
    }


def _check_app_id(app_id: str) -> str:
    value = app_id.strip()
    if not _GUID.match(value):
        raise UsageError(
            "--app-id must be the bot's Microsoft app (client) id, a GUID like "
            f"00000000-0000-0000-0000-000000000000 (got {app_id!r})"
        )
    return value.lower()


def _check_host(host: str) -> str:
    value = host.strip().lower().rstrip(".")
    problem = None
    if "://" in value:
        problem = "leave out the scheme (https://)"
    elif any(c in value for c in "/:?#@ *"):
        problem = "leave out any path, port or wildcard"
    elif len(value) > 253 or "." not in value or not all(map(_LABEL.match, value.split("."))):
        problem = "it is not a valid DNS name"
    if problem:
        raise UsageError(
            f"--host must be the bot's public host name, like bot.example.com: {problem} "
            f"(got {host!r})"
        )
    return value
