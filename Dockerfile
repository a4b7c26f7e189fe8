# syntax=docker/dockerfile:1
# Switchboard's image: the console (gunicorn, the default command), and with other commands the
# Celery worker, migrations and the sandbox (see compose.yaml). Build: docker build -t switchboard .
ARG PYTHON_IMAGE=python:3.13-slim-bookworm

# --- builder: the locked dependencies into /app/.venv, static files collected -------------------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app

# uv at the version the project pins (pyproject's dev group), as scripts/bootstrap.sh does.
COPY pyproject.toml uv.lock ./
RUN uv_version=$(sed -n 's/^ *"uv==\([0-9.]*\)".*/\1/p' pyproject.toml) \
    && test -n "$uv_version" \
    && pip install "uv==${uv_version}"
# Dependencies alone first: this layer is rebuilt only when the lockfile changes.
RUN uv sync --frozen --no-dev --no-install-project --python /usr/local/bin/python3

COPY . .
# collectstatic imports the settings, which need a key and would otherwise create a broker folder:
# throwaway values that exist only for this command and are not stored in the image.
RUN SECRET_KEY=collectstatic-only CELERY_BROKER_URL=redis://unused SWITCHBOARD_VAR_DIR=/app/var \
        DEBUG=0 /app/.venv/bin/python manage.py collectstatic --noinput --verbosity 0 \
    && /app/.venv/bin/python scripts/compile_messages.py --force \
    && /app/.venv/bin/python -m compileall -q manage.py accounts dashboard sandbox

# --- runtime: the environment, the code and the static files; no build tools --------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=dashboard.settings \
    SWITCHBOARD_VAR_DIR=/app/var \
    DEBUG=0 \
    HOST=0.0.0.0 \
    PORT=8000
RUN groupadd --system --gid 10001 switchboard \
    && useradd --system --uid 10001 --gid switchboard --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin switchboard
WORKDIR /app
# The code and static files stay root's (read-only to the process); only var/ is writable.
COPY --from=builder /app /app
RUN chown switchboard:switchboard /app/var
USER 10001:10001

EXPOSE 8000
# Plain HTTP to the process itself (/healthz is exempt from the HTTPS redirect), with a Host
# header that ALLOWED_HOSTS accepts.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = h if h not in ('', '*') else 'localhost'; u.build_opener(u.ProxyHandler({})).open(u.Request('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), headers={'Host': h}), timeout=4)"]
CMD ["gunicorn", "--config", "dashboard/gunicorn.conf.py", "dashboard.wsgi"]
