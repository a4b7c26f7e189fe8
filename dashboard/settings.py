"""Switchboard's settings: environment variables with safe defaults (see README's table).

A fresh machine needs none of them: SQLite and kombu's filesystem broker live under var/, the
platform is the sandbox's Connextlive. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and CELERY_BROKER_URL.
"""

import secrets
from pathlib import Path

import dj_database_url
import django.forms
import jinja2
from django.contrib.messages import constants as message_constants
from django.utils.csp import CSP

from dashboard.apikeys.schedule import BEAT_SCHEDULE as APIKEYS_BEAT_SCHEDULE
from dashboard.env import env_bool, env_float, env_int, env_list, env_str
from dashboard.reports.schedule import BEAT_SCHEDULE as REPORTS_BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SWITCHBOARD_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in var/ (never a fixed one)."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for FORM_RENDERER (TemplatesSetting)
    "django_htmx",
    "dashboard.lib",
    "accounts",
    "dashboard.overview",
    "dashboard.audit",
    "dashboard.workspace",
    "dashboard.agents",
    "dashboard.apikeys",
    "dashboard.visitors",
    "dashboard.conversations",
    "dashboard.jobs",
    "dashboard.broadcasts",
    "dashboard.integrations",
    "dashboard.reports",
    "dashboard.naxon",
    "dashboard.alerts",
    "dashboard.uchat",
    "dashboard.connectiveone",
    "dashboard.contacts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The viewer's language (their own, else the workspace's; Accept-Language when anonymous),
    # around the messages so that those added during the request are stored in it.
    "accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every platform call this request makes shares one deadline (PLATFORM_PAGE_DEADLINE).
    "accounts.middleware.PageDeadlineMiddleware",
    # The viewer's time zone (their own, else the workspace's) for every time shown or typed.
    "accounts.middleware.TimeZoneMiddleware",
    # Last, so they see request.user, request.htmx and messages: idle/absolute/token-expiry
    # timeouts, then platform errors raised by views (401 -> sign in again, others -> banner).
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.PlatformErrorMiddleware",
]

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

# What every page's layout reads (templates/jinja2/layout.html), for Django and Jinja2 pages alike.
CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.csp",
    # TIME_ZONE: the active zone's name, for labelling times and time inputs.
    "django.template.context_processors.tz",
    # LANGUAGE_CODE: the active language, for <html lang> and the preferences page.
    "django.template.context_processors.i18n",
    # Navigation (only the areas that exist and the user may open), workspace name.
    "accounts.context_processors.console",
]
TEMPLATES = [
    {
        # Forms, detail and settings pages.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": CONTEXT_PROCESSORS},
    },
    {
        # The layout, the list pages and the hot partials (a table's rows: dashboard/lib/rows.py),
        # fed values worked out in Python. Autoescape on; an undefined name is an error, not a
        # blank. Why Jinja2 there: README.md, "Adding a list page".
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        # The project's templates first, then Django's own Jinja2 widget templates (forms).
        "DIRS": [BASE_DIR / "templates" / "jinja2", Path(django.forms.__file__).parent / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "dashboard.lib.jinja2.environment",
            "context_processors": CONTEXT_PROCESSORS,
            "autoescape": True,
            "undefined": jinja2.StrictUndefined,
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
]
# One way to render a form field: {{ field.as_field_group }} through templates/forms/field.html.
FORM_RENDERER = "dashboard.lib.forms.ConsoleFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'switchboard.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes. Connections persist like any
    # database's (CONN_MAX_AGE): opening one and setting WAL is a cost every request would pay
    # otherwise (bench/README.md, bench_work.py). synchronous=NORMAL, SQLite's advice for WAL:
    # a commit no longer waits for its own fsync (4.0 -> 1.1 ms per stored webhook delivery,
    # bench_naxon.py), the file is never corrupted, and a killed process loses nothing; only a
    # power cut may lose the last commits. Production runs PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The platform. Every page is a call to it; the console keeps only what is its own.
PLATFORM_URL = env_str("PLATFORM_URL", "http://127.0.0.1:8001/connextlive").rstrip("/")
PLATFORM_CONNECT_TIMEOUT = env_float("PLATFORM_CONNECT_TIMEOUT", 3.0)
PLATFORM_READ_TIMEOUT = env_float("PLATFORM_READ_TIMEOUT", 10.0)
PLATFORM_MAX_RETRIES = env_int("PLATFORM_MAX_RETRIES", 2)
PLATFORM_RETRY_AFTER_CAP = env_float("PLATFORM_RETRY_AFTER_CAP", 5.0)
# How many platform calls one page may have in flight at once (dashboard.concurrent.gather);
# 1 makes pages like the overview sequential (the benchmark's baseline).
PLATFORM_CONCURRENCY = env_int("PLATFORM_CONCURRENCY", 8)
# Seconds one web request may spend on all its platform calls together, retries included
# (dashboard.platforms.base.page_deadline); past it, calls fail and the page shows a banner.
PLATFORM_PAGE_DEADLINE = env_float("PLATFORM_PAGE_DEADLINE", 8.0)
# Hosts a manager may point the Naxon AI integration at (the server calls them: no open SSRF).
# Empty: only the platform's own host (the sandbox, in development).
NAXON_ALLOWED_HOSTS = env_list("NAXON_ALLOWED_HOSTS", [])
# LivePerson's Connector API for this deployment ("": the sandbox's, beside PLATFORM_URL), and
# the hosts a UChat partner URL may name besides UChat's domains (None: the platform's host).
LIVEPERSON_URL = env_str("LIVEPERSON_URL", "")
UCHAT_ALLOWED_HOSTS = env_list("UCHAT_ALLOWED_HOSTS", []) or None

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The console's languages (a Connextlive workspace's `language`: en | tr | de | es). A signed-in
# user's page is in their own choice, else the workspace's; an anonymous one follows the
# browser's Accept-Language (accounts.languages, LanguageMiddleware). Dates and numbers follow
# the language (Django's localized formats). The catalogues are locale/<lang>/LC_MESSAGES/
# django.po, compiled by `make setup` (scripts/compile_messages.py); `make messages` extracts.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("tr", "Türkçe"), ("de", "Deutsch"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Celery: kombu's filesystem broker under var/ unless CELERY_BROKER_URL says redis:// or amqp://.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("in", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    # kombu's transport with atomic writes: the stock one lets a polling worker read a
    # half-written message and stop (dashboard/jobs/broker.py).
    CELERY_BROKER_TRANSPORT = "dashboard.jobs.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "in"),
        "data_folder_out": str(BROKER_DIR / "in"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Job runner tasks run long: a worker must not hold a second one unstarted behind the first.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Periodic work (beat): each app keeps its own schedule next to its tasks. `make run` runs beat
# inside its one worker (`--beat`); production runs one `celery beat` process (compose.yaml).
CELERY_BEAT_SCHEDULE = {**APIKEYS_BEAT_SCHEDULE, **REPORTS_BEAT_SCHEDULE}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Sessions: database-backed, 12 h absolute; the idle timeout is enforced in accounts.
SESSION_ENGINE = "accounts.sessions"  # Django's database sessions, read with SQL
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 3600)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
# A session follows its platform token (accounts.platform_session): the platform is asked whether
# the token still works at least this often (seconds), and on every sensitive action.
SESSION_REVALIDATE_SECONDS = env_int("SESSION_REVALIDATE_SECONDS", 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# A cache shared by every web process, and where the guarding counters live (accounts.counters:
# sign-in and confirmation throttling). Redis when CACHE_URL says redis://; else a table in the
# database for the cache (created by `migrate`, see accounts.apps) and a table of counters --
# never the per-process local-memory cache, which would multiply the limits.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "switchboard_cache",
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    }

# Password guessing (accounts.throttle). Each attempt takes a slot before the platform is asked;
# past a limit, the answer is 429 without asking it until that counter's window ends. The
# per-account limit must stay above what one address can reach in its window (5 per 15 min is
# at most 25 an hour), or one person could lock a colleague out.
SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP = env_int("SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP", 5)
SIGN_IN_FAILURES_PER_IP = env_int("SIGN_IN_FAILURES_PER_IP", 20)
SIGN_IN_THROTTLE_WINDOW = env_int("SIGN_IN_THROTTLE_WINDOW", 15 * 60)
SIGN_IN_FAILURES_PER_ACCOUNT = env_int("SIGN_IN_FAILURES_PER_ACCOUNT", 50)
SIGN_IN_ACCOUNT_WINDOW = env_int("SIGN_IN_ACCOUNT_WINDOW", 60 * 60)
# Wrong passwords on "confirm it's you", per session, within SIGN_IN_THROTTLE_WINDOW.
CONFIRM_FAILURES_PER_SESSION = env_int("CONFIRM_FAILURES_PER_SESSION", 5)

# Invitations a manager may send per hour (dashboard.agents.quota), to protect the platform and
# strangers' inboxes.
INVITES_PER_HOUR = env_int("INVITES_PER_HOUR", 50)

# Reports (dashboard/reports): a cached report whose range includes today is computed again in
# the background when a page finds it older than this (seconds); the time to the first agent
# reply is read from the messages of a uniform sample of this many conversations per report.
REPORTS_MAX_AGE = env_int("REPORTS_MAX_AGE", 3600)
REPORTS_FIRST_REPLY_SAMPLE = env_int("REPORTS_FIRST_REPLY_SAMPLE", 500)

# How many reverse proxies in front of the console append to X-Forwarded-For; the audit log
# reads the client address that many hops from the right (0: REMOTE_ADDR only).
AUDIT_TRUSTED_PROXIES = env_int("AUDIT_TRUSTED_PROXIES", 0)

# Message levels as the CSS kit's alert colours (error -> danger).
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

# Sign-in is the platform's: the backend calls its login and mirrors the identity into
# accounts.User (no local passwords). Set before the first migration; it cannot change later.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.PlatformBackend"]

# Security headers. HTTPS-only settings switch on outside DEBUG (production is behind TLS).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The console uses none of these browser features: nothing on its pages (nor anything injected
# into them) may ask for them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# /readyz: its platform check is reused for this many seconds (probes come often), and its
# detailed reasons go only to callers on this machine or presenting this token as a bearer.
READYZ_PLATFORM_CHECK_SECONDS = env_float("READYZ_PLATFORM_CHECK_SECONDS", 5.0)
READYZ_TOKEN = env_str("READYZ_TOKEN", "")

_https = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
# The language a signed-in user's pages were last in, for the pages they see signed out (sign-in
# after a timeout): accounts.middleware.LanguageMiddleware. Not secret; scripts need not read it.
LANGUAGE_COOKIE_SECURE = _https
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Health probes (container HEALTHCHECK, load balancers) speak plain HTTP to the process itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# The header's preload flag only allows a later submission to hstspreload.org; it submits nothing.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "dashboard.platforms.base.RedactSecretsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}
