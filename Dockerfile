# Hebu web and worker image: python:3.11-slim, the locked dependencies (`uv sync --frozen`, as
# `make install`, without the dev group), compiled catalogues, a non-root user.
# The default command migrates, then serves with HEBU_WORKERS uvicorn processes; the worker
# container runs `hebu worker` (see compose.yaml). tests/operations/test_container.py checks
# that the commands and settings named here exist and runs this CMD against PostgreSQL.
FROM python:3.11-slim

ARG UV_VERSION=0.13.9
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never

# Voikko's Finnish morphology for the search (README, "Finnish morphology").
RUN apt-get update \
    && apt-get install -y --no-install-recommends libvoikko1 voikko-fi \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}"

# Dependencies first (a layer that changes only with the lock), then the project.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project --python python3
COPY alembic.ini ./
COPY migrations ./migrations
COPY app ./app
RUN uv sync --frozen --no-dev --python python3 \
    && .venv/bin/hebu i18n compile \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin hebu \
    && mkdir -p /app/var \
    && chown hebu /app/var

USER hebu
ENV PATH=/app/.venv/bin:$PATH \
    HEBU_ENVIRONMENT=production \
    HEBU_LOG_JSON=true \
    HEBU_WORKERS=2 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/hebu-metrics

EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["sh", "-c", "hebu db upgrade && exec hebu serve --host 0.0.0.0 --port 8000 --workers \"$HEBU_WORKERS\""]
