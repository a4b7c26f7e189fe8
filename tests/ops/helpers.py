"""Shared by the ops tests: the project root, a clean environment, a direct client."""

import os
import secrets
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_HOST = "switchboard.example.com"

# Everything the settings, gunicorn's config or scripts/run.sh read: a value inherited from the
# developer's shell must not leak into a test of what a given environment produces.
_OURS = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_",
    "CELERY_",
    "SECURE_",
    "SESSION_",
    "BEHIND_PROXY",
    "PLATFORM_",
    "LOG_LEVEL",
    "SWITCHBOARD_",
    "WEB_",
    "HOST",
    "PORT",
    "SANDBOX_",
    "START_TIMEOUT",
)


def clean_env(**values: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(_OURS)}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(values)
    return env


def production_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    """What an operator sets in production (README, "Production")."""
    production = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": PRODUCTION_HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{PRODUCTION_HOST}",
        "DATABASE_URL": "postgres://switchboard@db.internal:5432/switchboard",
        "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
        "SWITCHBOARD_VAR_DIR": str(var_dir),
    }
    return clean_env(**{**production, **overrides})


def direct_client(base_url: str, **kwargs: object) -> httpx.Client:
    """A client that ignores proxy variables: the servers under test are on 127.0.0.1."""
    return httpx.Client(base_url=base_url, trust_env=False, timeout=30, **kwargs)
