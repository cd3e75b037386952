# syntax=docker/dockerfile:1
# rag-or-ft: one image, any number of identical replicas (state lives in Redis; see README "Deploy").
#
# Builder: a venv made as `make install` makes it, minus the dev lock — the pinned lock, then the
# project itself without dependencies — so the image runs what CI tested; pip byte-compiles the
# installed package. Final: the venv and the folders the bot reads at run time, each copied once
# (the code lives only in the venv); no pip cache. Every pinned dependency ships a manylinux
# wheel for CPython 3.11, so no compiler is needed in either stage.

ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_NO_INPUT=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot/ bot/
RUN pip install --no-deps .

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="rag-or-ft" \
      org.opencontainers.image.description="Slack and Teams bot for LLM architecture triage"
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /data \
    && chown app:app /data
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY prompts/ prompts/
COPY knowledge/ knowledge/
COPY eval/ eval/
# The installed package does not sit beside these folders, so the settings name each of them.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 \
    PORT=3978 \
    LOG_FORMAT=json \
    KNOWLEDGE_DIR=/app/knowledge \
    PROMPTS_DIR=/app/prompts \
    PRECEDENTS_DIR=/app/eval \
    STATE_PATH=/data/state.db
# Only used without REDIS_URL (the embedded store); mount a volume to keep it across restarts.
VOLUME ["/data"]
USER app:app
EXPOSE 3978
# slim has no curl; the interpreter is already there.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3978'), timeout=2)"]
# aiohttp's run_app turns SIGTERM into a graceful stop: stop accepting, finish in-flight answers.
STOPSIGNAL SIGTERM
ENTRYPOINT ["rag-or-ft"]
CMD ["serve"]
