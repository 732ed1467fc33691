# syntax=docker/dockerfile:1
# One image for every role: web (gunicorn, the default command), worker,
# beat and the one-shot migrate job; docker-compose.yml picks the command.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: dependencies, compiled translations, collected static files ------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH

# GNU gettext, for catalogs compiled with Django's compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
WORKDIR /app

# Dependencies first, from pyproject.toml alone, so code changes reuse this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY . .

# Translations: the project's Babel-based command when present, else gettext.
RUN if [ -d locale ]; then \
        if DEBUG=true python manage.py help compile_catalogs >/dev/null 2>&1; then \
            DEBUG=true python manage.py compile_catalogs --force; \
        else \
            DEBUG=true python manage.py compilemessages; \
        fi; \
    fi

# Hashed, compressed static files for whitenoise. The key is used for this
# step only and is not part of the image's environment.
RUN DEBUG=false SECRET_KEY=collectstatic-only-build-key-not-used-at-runtime \
    STATIC_ROOT=/app/staticfiles VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --no-input

# --- runtime: no compilers, no build tools, a non-root user --------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=portal.settings.base \
    STATIC_ROOT=/app/staticfiles \
    VAR_DIR=/data \
    MEDIA_ROOT=/data/media \
    LOG_FORMAT=json \
    GUNICORN_WORKER_TMP_DIR=/dev/shm

RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --no-create-home portal \
    && mkdir -p /data/media \
    && chown -R portal:portal /data

COPY --from=build /opt/venv /opt/venv
# The code stays owned by root, so the running portal cannot change it.
COPY --from=build /app /app
WORKDIR /app

USER portal
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=10s --start-period=20s --retries=3 \
    CMD ["python", "-m", "portal.probe", "http://127.0.0.1:8000/readyz"]

CMD ["gunicorn", "--config", "python:portal.gunicorn_conf", "portal.wsgi:application"]
