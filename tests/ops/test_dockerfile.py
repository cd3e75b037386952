"""The container files, checked without a Docker engine (none runs in CI).

A Dockerfile that COPYs a path the repository no longer has, or installs differently from
`make install`, only fails when someone builds it — usually at deploy time. These tests read the
Dockerfile, .dockerignore and docker-compose.yml as text and hold them to what the README and
the Makefile promise.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml

from bot.settings import PROJECT_ROOT, Settings

DOCKERFILE = PROJECT_ROOT / "Dockerfile"
COMPOSE = PROJECT_ROOT / "docker-compose.yml"
DOCKERIGNORE = PROJECT_ROOT / ".dockerignore"


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args(self, keyword: str) -> list[str]:
        return [rest for kw, rest in self.instructions if kw == keyword]

    def env(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for rest in self.args("ENV"):
            for token in shlex.split(rest):
                name, _, value = token.partition("=")
                values[name] = value
        return values


def parse_dockerfile(text: str) -> list[Stage]:
    """Instructions per stage, continuation lines joined, comments dropped, ARGs substituted."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + stripped)
        pending = ""
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in lines:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        rest = rest.strip()
        if keyword == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name] = default
            continue
        if keyword == "FROM":
            parts = rest.split()
            base = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), ""), parts[0])
            stage = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(base, stage))
            continue
        assert stages, f"instruction before FROM: {line}"
        stages[-1].instructions.append((keyword, rest))
    return stages


def copy_sources(rest: str) -> tuple[list[str], str, dict[str, str]]:
    """(sources, destination, --flags) of one COPY instruction."""
    tokens = json.loads(rest) if rest.startswith("[") else shlex.split(rest)
    flags = {}
    while tokens and tokens[0].startswith("--"):
        name, _, value = tokens.pop(0)[2:].partition("=")
        flags[name] = value
    return tokens[:-1], tokens[-1], flags


def dockerignore_allows(path: str, patterns: list[str]) -> bool:
    """The subset of .dockerignore semantics used here: last matching pattern wins."""
    allowed = True
    for pattern in patterns:
        negate = pattern.startswith("!")
        glob = pattern.lstrip("!").rstrip("/")
        if fnmatch.fnmatch(path, glob) or fnmatch.fnmatch(path.split("/")[0], glob):
            allowed = negate
    return allowed


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_multi_stage_on_python_311_slim(stages: list[Stage]) -> None:
    assert len(stages) >= 2
    assert all(stage.base == "python:3.11-slim" for stage in stages)
    assert stages[0].name == "builder"
    final = stages[-1]
    copied = [copy_sources(rest) for rest in final.args("COPY")]
    assert any(flags.get("from") == "builder" and "/opt/venv" in src for src, _, flags in copied)


def test_every_copied_path_exists_and_is_in_the_build_context(stages: list[Stage]) -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for stage in stages:
        for rest in stage.args("COPY"):
            sources, _, flags = copy_sources(rest)
            if "from" in flags:
                continue
            for source in sources:
                path = source.rstrip("/")
                assert (PROJECT_ROOT / path).exists(), f"COPY {source}: no such path"
                assert dockerignore_allows(path, patterns), f"COPY {source}: .dockerignore drops it"
    assert not dockerignore_allows(".env", patterns), ".env (secrets) must stay out of the image"
    assert not dockerignore_allows(".venv", patterns)


def test_each_folder_is_copied_once_and_the_code_only_into_the_venv(stages: list[Stage]) -> None:
    def copied(stage: Stage) -> list[str]:
        return [
            src.rstrip("/")
            for rest in stage.args("COPY")
            if "from" not in copy_sources(rest)[2]
            for src in copy_sources(rest)[0]
        ]

    everywhere = [src for stage in stages for src in copied(stage)]
    assert len(everywhere) == len(set(everywhere)), everywhere
    assert "bot" in copied(stages[0]) and "bot" not in copied(stages[-1])
    assert {"prompts", "knowledge", "eval"} <= set(copied(stages[-1]))


def test_install_matches_the_makefile(stages: list[Stage]) -> None:
    """The image installs what `make install` installs: the lock, then the project, no deps."""
    recipe = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8").split("$(STAMP):", 1)[1]
    make_installs = [ln for ln in recipe.splitlines() if "pip install" in ln]
    lock_line = next(i for i, ln in enumerate(make_installs) if "-r requirements.lock" in ln)
    project_line = next(i for i, ln in enumerate(make_installs) if "--no-deps" in ln)
    assert lock_line < project_line, "make installs the lock first, then the project"
    runs = [rest for rest in stages[0].args("RUN") if "pip install" in rest]
    assert len(runs) == 2, runs
    assert re.search(r"pip install (\S+ )*-r requirements\.lock\b", runs[0])
    assert re.search(r"pip install (\S+ )*--no-deps (\S+ )*\.$", runs[1])
    final_runs = " ".join(stages[-1].args("RUN"))
    assert "pip install" not in final_runs
    assert not re.search(r"apt-get install|build-essential|gcc", final_runs)


def test_runs_as_non_root_with_a_writable_state_volume(stages: list[Stage]) -> None:
    final = stages[-1]
    users = final.args("USER")
    assert users, "no USER: the container would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    env = final.env()
    volumes = [v for rest in final.args("VOLUME") for v in json.loads(rest)]
    state = env["STATE_PATH"]
    assert any(state.startswith(v.rstrip("/") + "/") for v in volumes), (state, volumes)
    owner = users[-1].split(":")[0]
    assert any(f"chown {owner}" in rest and volumes[0] in rest for rest in final.args("RUN"))


def test_env_names_are_settings_and_point_at_copied_dirs(stages: list[Stage]) -> None:
    """A typo in an ENV name would silently do nothing; paths must be where COPY put files."""
    final = stages[-1]
    env = final.env()
    settings_vars = {name.upper() for name in Settings.model_fields}
    runtime_vars = {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}
    assert set(env) - runtime_vars <= settings_vars, set(env) - runtime_vars - settings_vars
    workdir = final.args("WORKDIR")[-1]
    assert env["KNOWLEDGE_DIR"] == f"{workdir}/knowledge"
    assert env["PROMPTS_DIR"] == f"{workdir}/prompts"
    assert env["PRECEDENTS_DIR"] == f"{workdir}/eval"
    assert "PYTHONPATH" not in env, "the package is installed; nothing needs a path hack"


def test_port_healthcheck_signal_and_entry_point(stages: list[Stage]) -> None:
    final = stages[-1]
    assert final.args("EXPOSE") == ["3978"]
    health = final.args("HEALTHCHECK")
    assert len(health) == 1 and "/healthz" in health[0] and "urllib" in health[0]
    assert "curl" not in health[0]
    assert final.args("STOPSIGNAL") == ["SIGTERM"]
    assert json.loads(final.args("ENTRYPOINT")[-1]) == ["rag-or-ft"]
    assert json.loads(final.args("CMD")[-1]) == ["serve"]
    scripts = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["rag-or-ft"] == "bot.cli:main"


def test_compose_runs_the_bot_with_a_persistent_redis(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"bot", "redis"} <= set(services)
    redis = services["redis"]
    assert redis["image"] == "redis:7-alpine"
    command = redis["command"]
    command = command if isinstance(command, list) else shlex.split(command)
    assert "--appendonly" in command and command[command.index("--appendonly") + 1] == "yes"
    volume = redis["volumes"][0].split(":")
    assert volume[1] == "/data" and volume[0] in compose["volumes"]
    assert "healthcheck" in redis and "ping" in " ".join(redis["healthcheck"]["test"])


def test_compose_bot_talks_to_redis_once_it_is_healthy(compose: dict[str, Any]) -> None:
    bot = compose["services"]["bot"]
    assert bot["build"] == "."
    assert bot["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert bot["depends_on"]["redis"]["condition"] == "service_healthy"
    assert {"path": ".env", "required": False} in bot["env_file"]
    assert "/healthz" in " ".join(bot["healthcheck"]["test"])
    assert bot["ports"] == ["3978:3978"]
    grace = int(str(bot["stop_grace_period"]).rstrip("s"))
    drain = Settings.model_fields["shutdown_grace_seconds"].default
    assert grace > drain, "compose would SIGKILL before answers drain"


def test_the_image_lock_has_no_dev_tools_and_agrees_with_the_dev_lock() -> None:
    """The image installs requirements.lock only; tests and linters live in the dev lock."""

    def pins(name: str) -> dict[str, str]:
        text = (PROJECT_ROOT / name).read_text(encoding="utf-8")
        found = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, flags=re.MULTILINE)
        return {package.lower(): version for package, version in found}

    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert not {"pytest", "mypy", "ruff", "hypothesis"} & set(runtime)
    assert {"pytest", "mypy", "ruff", "hypothesis"} <= set(dev)
    assert {p: v for p, v in dev.items() if p in runtime} == runtime
