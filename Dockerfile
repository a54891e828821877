# Recovery Finder: gunicorn behind your load balancer; PostgreSQL via DATABASE_URL.

# The Welsh catalogue compiled with GNU gettext's msgfmt, which the served image lacks.
FROM python:3.11-slim-bookworm AS messages
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
COPY locale /locale
RUN for po in /locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

RUN useradd --create-home --uid 10001 app

COPY pyproject.toml README.md ./
COPY . .
COPY --from=messages /locale /app/locale
RUN pip install --no-cache-dir . \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && chown -R app:app /app/var

USER 10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=4)"]

CMD ["gunicorn", "recovery_finder.wsgi:application", "--config", "gunicorn.conf.py"]
