"""`rag-or-ft teams-package`: manifest fields, icon sizes and colours, input validation."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.cli import main
from bot.errors import UsageError
from bot.packaging.teams import write_package

APP_ID = "9c1f4d2e-3b5a-4c6d-8e7f-0a1b2c3d4e5f"
HOST = "triage.example.com"


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """Width, height and RGBA pixels of an 8-bit RGBA PNG whose rows use filter 0."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert data[12:16] == b"IHDR" and (depth, colour) == (8, 6)
    idat = b""
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            idat += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + width * 4
    pixels = []
    for y in range(height):
        row = raw[y * stride : (y + 1) * stride]
        assert row[0] == 0
        pixels += [tuple(row[1 + x * 4 : 5 + x * 4]) for x in range(width)]
    return width, height, pixels  # type: ignore[return-value]


@pytest.fixture
def package(tmp_path: Path) -> zipfile.ZipFile:
    path = write_package(app_id=APP_ID.upper(), host=HOST, out=tmp_path / "out" / "app.zip")
    return zipfile.ZipFile(path)


def test_manifest(package: zipfile.ZipFile) -> None:
    assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
    manifest = json.loads(package.read("manifest.json"))
    assert manifest["manifestVersion"] == "1.19"
    assert manifest["$schema"].endswith("/v1.19/MicrosoftTeams.schema.json")
    assert manifest["id"] == APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID and bot["supportsFiles"] is False
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    commands = bot["commandLists"][0]["commands"]
    assert commands[0]["title"] == "help" and len(commands) >= 2
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in commands)
    assert manifest["validDomains"] == [HOST]
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert all(
        url.startswith(f"https://{HOST}") for url in list(manifest["developer"].values())[1:]
    )
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["name"]["full"]) <= 100
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000


SCHEMA = Path(__file__).parent.parent / "fixtures" / "teams" / "MicrosoftTeams.v1.19.schema.json"


def schema_errors(manifest: dict[str, Any]) -> list[str]:
    """Every violation of Microsoft's published schema (vendored; see tests/fixtures/teams)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return sorted(f"{e.json_path}: {e.message}" for e in validator.iter_errors(manifest))


def test_manifest_is_valid_against_microsofts_schema(package: zipfile.ZipFile) -> None:
    manifest = json.loads(package.read("manifest.json"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["properties"]["manifestVersion"]["const"] == manifest["manifestVersion"]
    assert schema_errors(manifest) == []
    # The check can fail: the developer name the package once carried (47 characters).
    manifest["developer"]["name"] = "Your organisation (replace before publishing)"
    assert schema_errors(manifest) == [
        f"$.developer.name: {manifest['developer']['name']!r} is too long"
    ]


def test_icons(package: zipfile.ZipFile) -> None:
    width, height, colour = png_pixels(package.read("color.png"))
    assert (width, height) == (192, 192)
    assert all(p[3] == 255 for p in colour)  # full colour, no transparency
    width, height, outline = png_pixels(package.read("outline.png"))
    assert (width, height) == (32, 32)
    assert all(p[:3] == (255, 255, 255) for p in outline)  # white only
    assert outline[0][3] == 0 and any(p[3] == 255 for p in outline)  # transparent background


def test_the_package_is_reproducible(tmp_path: Path) -> None:
    one = write_package(APP_ID, HOST, tmp_path / "one.zip").read_bytes()
    two = write_package(APP_ID, HOST, tmp_path / "two.zip").read_bytes()
    assert one == two


@pytest.mark.parametrize(
    ("app_id", "host", "message"),
    [
        ("not-a-guid", HOST, "--app-id must be"),
        ("", HOST, "--app-id must be"),
        (APP_ID, "https://triage.example.com", "leave out the scheme"),
        (APP_ID, "triage.example.com/api/messages", "leave out any path"),
        (APP_ID, "triage.example.com:443", "leave out any path, port"),
        (APP_ID, "*.example.com", "wildcard"),
        (APP_ID, "localhost", "not a valid DNS name"),
        (APP_ID, "bad_host.example.com", "not a valid DNS name"),
    ],
)
def test_bad_input_is_a_usage_error(tmp_path: Path, app_id: str, host: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("*", r"\*")):
        write_package(app_id, host, tmp_path / "app.zip")
    assert not (tmp_path / "app.zip").exists()


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "app.zip"
    args = ["teams-package", "--app-id", APP_ID, "--out", str(out)]
    assert main([*args, "--host", HOST]) == 0
    assert out.exists() and f"wrote {out}" in capsys.readouterr().out
    assert main([*args, "--host", "https://x.example.com"]) == 2
    assert "error: --host must be" in capsys.readouterr().err
