# The README's two commands: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PIP_FLAGS := --quiet --disable-pip-version-check --no-input

.PHONY: install run test lint bench calibrate lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) -r requirements.lock -r requirements-dev.lock 2> >(grep -v "is ignored: it is neither" >&2)
	$(PY) -m pip install $(PIP_FLAGS) "setuptools>=68"  # a fresh 3.11 venv has 65.x: no bdist_wheel
	$(PY) -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e . 2> >(grep -v "is ignored: it is neither" >&2)
	@touch $(STAMP)

run: install
	$(VENV)/bin/rag-or-ft serve

lint: install
	$(VENV)/bin/ruff check bot tests scripts
	$(VENV)/bin/ruff format --check bot tests scripts
	$(VENV)/bin/mypy

test: install lint
	@REDIS_TEST_URL="$$($(PY) scripts/ensure_redis.py)" && export REDIS_TEST_URL && \
	  echo "tests use Redis at $$REDIS_TEST_URL" && \
	  $(PY) -m pytest

bench: install
	@REDIS_TEST_URL="$$($(PY) scripts/ensure_redis.py)" && export REDIS_TEST_URL && \
	  $(PY) scripts/bench.py

# Re-fit the weighing on the labelled cases in eval/ (after editing a set or the reader's rules).
calibrate: install
	$(PY) scripts/calibrate.py

# Re-resolve pinned dependencies after editing pyproject.toml (needs `uv`, a dev-only tool):
# requirements.lock is what the bot runs on (the Docker image installs only it);
# requirements-dev.lock adds the test and lint tools, pinned to the same versions.
lock:
	$(PY) -m pip install $(PIP_FLAGS) uv
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 --no-header -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header \
	  -c requirements.lock -o requirements-dev.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
