"""Settings of the sandbox: a stand-alone Django project that emulates the platforms' APIs.

It shares nothing with the console (`dashboard`): its own SQLite database under var/, no
sessions, no CSRF (it is an API), no admin. Everything is read from the environment, which
`python -m sandbox` fills from its command-line options.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = BASE_DIR / "var" / "sandbox.sqlite3"
DB_PATH = Path(os.environ.get("SANDBOX_DB") or DEFAULT_DB_PATH).resolve()

# The sandbox signs nothing with Django's key (no sessions, no signed cookies); a fixed value
# keeps it stand-alone.
SECRET_KEY = "sandbox-only-key-not-used-for-anything-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]

# Connextlive signs its JWTs with this key (HS256). Fixed by default so that tokens survive a
# restart of the sandbox; override with SANDBOX_JWT_SECRET.
SANDBOX_JWT_SECRET = os.environ.get(
    "SANDBOX_JWT_SECRET", "connextlive-sandbox-jwt-signing-key-0123456789"
)
# Control endpoints (/__sandbox__/) and the fault/request-log layer are on only when asked.
SANDBOX_CONTROL = os.environ.get("SANDBOX_CONTROL", "0") == "1"
# URL prefixes of emulated platforms: faults and the request log apply to these only.
SANDBOX_PLATFORM_PREFIXES = ("/connextlive", "/connectiveone", "/naxon", "/uchat", "/liveperson")

INSTALLED_APPS = [
    "sandbox.connextlive",
    "sandbox.connectiveone",
    "sandbox.naxon",
    "sandbox.uchat",
    "sandbox.liveperson",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"
TEMPLATES: list[dict] = []

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DB_PATH,
        # Many worker threads write: WAL lets readers run beside a writer, IMMEDIATE takes the
        # write lock up front so two writers queue instead of failing to upgrade their locks.
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django-style password hashes, but cheap: tests sign in often and a login should cost
# milliseconds, not the production hasher's hundreds of milliseconds.
PASSWORD_HASHERS = ["sandbox.hashers.FastPBKDF2PasswordHasher"]

USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

# Attachments: up to 5 files of 10 MB each; larger uploads spill to temporary files.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # django.request would log every 4xx with its path; the request log is the place for that.
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
