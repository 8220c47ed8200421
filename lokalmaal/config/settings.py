"""Django settings for Lokalmål, read from the environment with working defaults for a laptop.

Every setting read here is listed, with its default and meaning, in README.md (see env.py).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from lokalmaal.config import production
from lokalmaal.config.env import env_bool, env_given, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent

ENVIRONMENT = env_str(
    "LOKALMAAL_ENV",
    "development",
    "`development` (debug pages, console e-mail) or `production` (HTTPS-only cookies, HSTS, "
    "a required secret key).",
)
PRODUCTION = ENVIRONMENT == "production"
if ENVIRONMENT not in {"development", "production"}:
    raise ValueError("LOKALMAAL_ENV must be 'development' or 'production'")

DEBUG = env_bool(
    "LOKALMAAL_DEBUG", not PRODUCTION, "Show Django's debug pages. Never in production."
)
VAR_DIR = Path(
    env_str(
        "LOKALMAAL_VAR_DIR",
        str(REPO_DIR / "var"),
        "Folder for the SQLite database and other files the platform writes.",
    )
)
VAR_DIR.mkdir(parents=True, exist_ok=True)
_default_bundle = REPO_DIR.parent / "shared" / "data"
DATA_DIR = Path(
    env_str(
        "LOKALMAAL_DATA_DIR",
        str(_default_bundle),
        "The data bundle that `lokalmaal data load` reads (default `../shared/data` beside the "
        "checkout).",
    )
)

_insecure_dev_key = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
# In production a missing secret key, host list, database or cache is not guessed: `lokalmaal
# serve` (and the WSGI entry point) refuse to start and list what is missing
# (lokalmaal/ops/production.py). Django itself refuses an empty SECRET_KEY.
SECRET_KEY = env_str(
    "LOKALMAAL_SECRET_KEY",
    "" if PRODUCTION else _insecure_dev_key,
    "Django's secret key; required in production (also read from `LOKALMAAL_SECRET_KEY_FILE`).",
)

ALLOWED_HOSTS = env_list(
    "LOKALMAAL_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost"],
    "Comma-separated host names the platform answers to; required in production.",
)
CSRF_TRUSTED_ORIGINS = env_list(
    "LOKALMAAL_CSRF_TRUSTED_ORIGINS",
    [],
    "Comma-separated origins (https://…) trusted for form posts behind a proxy.",
)
SINGLE_HOST = env_bool(
    "LOKALMAAL_SINGLE_HOST",
    False,
    "Production on one machine: allows SQLite and, without `LOKALMAAL_CACHE_URL`, a cache in a "
    "folder of the var folder shared by that machine's processes.",
)

SQLITE_DEFAULT_URL = f"sqlite:///{VAR_DIR / 'lokalmaal.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str(
            "DATABASE_URL",
            SQLITE_DEFAULT_URL,
            "Database URL; SQLite in the var folder by default, e.g. "
            "`postgres://postgres@127.0.0.1:5432/lokalmaal` for PostgreSQL (required in "
            "production unless `LOKALMAAL_SINGLE_HOST=true`).",
        ),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people (and the worker) write at once: WAL lets readers go on while one writes, a
    # write transaction takes the lock when it begins (so it waits its turn instead of failing
    # to upgrade a read lock with "database is locked"), and a writer waits up to 20 s.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # full-text search on PostgreSQL (harmless on SQLite)
    "lokalmaal.web",  # first, so its templates override allauth's layout
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django.forms",  # Django's own form templates, after lokalmaal.web's (see FORM_RENDERER)
    "lokalmaal.accounts",
    "lokalmaal.catalogue",
    "lokalmaal.regions",
    "lokalmaal.bundle",
    "lokalmaal.localgoals",
    "lokalmaal.indicators",
    "lokalmaal.plans",
    "lokalmaal.arena",
    "lokalmaal.networks",
    "lokalmaal.discussion",
    "lokalmaal.peers",
    "lokalmaal.reports",
    "lokalmaal.api",
    "lokalmaal.ops",
    "lokalmaal.security",
]

MIDDLEWARE = [
    "lokalmaal.ops.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "lokalmaal.web.middleware.ControlCharacterMiddleware",  # 400 before any view sees a NUL
    "lokalmaal.web.middleware.NoStoreMiddleware",  # no-store for logged-in people's responses
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lokalmaal.web.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lokalmaal.security.middleware.SecurityEventMiddleware",
    "lokalmaal.security.middleware.SessionLifetimeMiddleware",
    "lokalmaal.security.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

if PRODUCTION:
    # The app serves its static files in production; runserver does it in development.
    _security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    MIDDLEWARE.insert(_security + 1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "lokalmaal.config.urls"
WSGI_APPLICATION = "lokalmaal.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lokalmaal.web.context.site",
                "lokalmaal.discussion.context.notifications",
                "lokalmaal.security.context.two_factor",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/organisasjoner/mine/"

# django-allauth: e-mail is the login, it must be verified, two-factor is optional per person.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Lokalmål"
# Subjects say "[Lokalmål] …", not the host name and port the request came to.
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Lokalmål] "
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# Login attempts, counted in Django's cache by allauth (lokalmaal/accounts/adapter.py): failed
# password logins per client address, and per account *and* address with growing waits (5 in
# 5 minutes, then 10 an hour, then 20 a day), so nobody can lock an owner out from another
# address; 100 an hour per account from all addresses together stops guessing spread over many
# addresses. The owner always has a way in: a one-time code by e-mail (login by code), limited
# per address only. Written out so the policy is visible here, not only in allauth.
ACCOUNT_ADAPTER = "lokalmaal.accounts.adapter.AccountAdapter"
MFA_ADAPTER = "lokalmaal.accounts.adapter.MFAAdapter"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,100/h/ip,5/5m/key,10/h/key,20/d/key",
    "login_failed_account": "100/h/key",
    "login": "30/m/ip",
    "request_login_code": "5/m/ip,20/h/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# Behind a reverse proxy the client address is the last-but-N entry of X-Forwarded-For: without
# this, every visitor would share the proxy's address and its login limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int(
    "LOKALMAAL_TRUSTED_PROXY_COUNT",
    0,
    "How many reverse proxies in front of the platform add to X-Forwarded-For; login limits and "
    "the security log use the client address they report (0: the connecting address).",
)
MFA_GRACE_DAYS = env_int(
    "LOKALMAAL_MFA_GRACE_DAYS",
    7,
    "Days a platform admin, moderator or organisation admin may work without two-factor "
    "authentication (from when the role is first seen); then every page leads to its set-up.",
)
SESSION_IDLE_HOURS = env_int(
    "LOKALMAAL_SESSION_IDLE_HOURS", 8, "A login ends after this many hours without a request."
)
SESSION_MAX_DAYS = env_int(
    "LOKALMAAL_SESSION_MAX_DAYS",
    14,
    "A login ends this many days after it began, however active the person is.",
)
SESSION_COOKIE_AGE = SESSION_MAX_DAYS * 86400
SECURITY_LOG_DAYS = env_int(
    "LOKALMAAL_SECURITY_LOG_DAYS",
    365,
    "Days the security event log is kept; `lokalmaal security prune` deletes older events.",
)
SECURITY_LOG_TRUNCATE_IP = env_bool(
    "LOKALMAAL_SECURITY_LOG_TRUNCATE_IP",
    False,
    "Store only the network part of client addresses (/24 for IPv4, /48 for IPv6) in the "
    "security event log.",
)


def _oidc_app(prefix: str, provider_id: str, name: str) -> dict[str, object] | None:
    """An OpenID Connect login (Entra ID, ID-porten) switched on by its settings alone."""
    client_id = env_str(f"{prefix}_CLIENT_ID", "", f"Client id for login with {name} (OIDC).")
    secret = env_str(f"{prefix}_CLIENT_SECRET", "", f"Client secret for login with {name}.")
    server_url = env_str(
        f"{prefix}_SERVER_URL",
        "",
        f"Issuer URL of {name} (its `.well-known/openid-configuration` lives below it).",
    )
    if not (client_id and server_url):
        return None
    return {
        "provider_id": provider_id,
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {"server_url": server_url},
    }


_oidc_apps = [
    app
    for app in (
        _oidc_app("LOKALMAAL_OIDC_ENTRA", "entra", "Microsoft Entra ID"),
        _oidc_app("LOKALMAAL_OIDC_IDPORTEN", "idporten", "ID-porten"),
    )
    if app
]
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": _oidc_apps}}

# Long jobs (refreshing indicators from SSB) run as tasks. The database is the queue, so a laptop
# needs no broker: `lokalmaal db_worker` runs them.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "LOKALMAAL_TASK_BACKEND",
            "django_tasks_db.DatabaseBackend",
            "Django task backend; the default keeps the queue in the database "
            "(run `lokalmaal db_worker`). `django.tasks.backends.immediate.ImmediateBackend` "
            "runs tasks at once, in the web request.",
        ),
        "QUEUES": [],  # any name: each organisation's analyses have a queue (ops/taskqueue.py)
    }
}

# Workers: `lokalmaal serve` runs WEB_WORKERS processes of WEB_THREADS threads each; `lokalmaal
# worker` runs TASK_WORKERS processes that take queued tasks one organisation at a time.
# CPUs + 1, not gunicorn's 2 × CPUs + 1: each process has WEB_THREADS threads for waiting on the
# database; on 2 CPUs five processes held 792 MB, three 492 MB and served no fewer requests.
WEB_WORKERS = env_int(
    "LOKALMAAL_WEB_WORKERS",
    min((os.cpu_count() or 1) + 1, 8),
    "Processes of `lokalmaal serve` (default CPUs + 1, at most 8); `--workers` overrides.",
)
WEB_THREADS = env_int("LOKALMAAL_WEB_THREADS", 4, "Threads in each `lokalmaal serve` process.")
TASK_WORKERS = env_int(
    "LOKALMAAL_TASK_WORKERS",
    1,
    "Processes of `lokalmaal worker` running queued tasks (plan analyses, indicator refreshes).",
)
WORKER_STALE_SECONDS = env_int(
    "LOKALMAAL_WORKER_STALE_SECONDS",
    60,
    "A task worker silent this long counts as dead: its task is run again once, then failed.",
)
TASK_TIMEOUT = env_int(
    "LOKALMAAL_TASK_TIMEOUT",
    1800,
    "Seconds a task may run; after that it is marked failed with a message.",
)
REQUEST_LOG = env_bool(
    "LOKALMAAL_REQUEST_LOG",
    PRODUCTION,
    "One JSON line per request on standard error (method, path, status, duration); on in "
    "production.",
)

# The cache holds login lockouts (allauth), posting limits (lib/ratelimit.py), whole pages for
# anonymous visitors (web/pagecache.py) and memoised computations (indicators/reads.py memo):
# with several app servers it must be one Redis that they all reach.
CACHE_URL = env_str(
    "LOKALMAAL_CACHE_URL",
    "",
    "Shared cache, e.g. `redis://127.0.0.1:6379/0` (Django's Redis backend); required in "
    "production unless `LOKALMAAL_SINGLE_HOST=true`. Empty: each process keeps its own cache in "
    "memory.",
)
CACHES: dict[str, dict[str, object]]
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "lokalmaal",
        }
    }
elif PRODUCTION:
    # One machine, several server processes: a folder they all read.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 300},
        }
    }
SHARED_CACHE = bool(CACHE_URL)
# Sessions live in the database (every app server reads it), read through the cache when the cache
# is shared; a per-process cache could keep a session alive in one process after logout in another.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lokalmaal_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# Every Django form draws its widgets through lokalmaal/web/templates/django/forms/, which gives
# them Designsystemet's classes; "django.forms" (after lokalmaal.web) supplies the rest.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = REPO_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/designsystemet", NODE_MODULES / "@digdir" / "designsystemet-css" / "dist"),
    # Designsystemet's typeface, Inter, as a variable font (web/fonts.css declares it).
    ("vendor/inter", NODE_MODULES / "@fontsource-variable" / "inter"),
]
# Uploaded files (plan documents) go through Django's storage API, never a path on this machine's
# disk: a folder under the var folder by default, an S3-compatible bucket (django-storages) when
# LOKALMAAL_S3_BUCKET is set, so every app server and worker reads the same files. They are never
# served as they are; pages show what was read from them, to those allowed to see it.
MEDIA_ROOT = Path(
    env_str(
        "LOKALMAAL_MEDIA_DIR",
        str(VAR_DIR / "media"),
        "Folder for uploaded files when no S3 bucket is set (shared by every app server).",
    )
)
S3_BUCKET = env_str(
    "LOKALMAAL_S3_BUCKET", "", "S3-compatible bucket for uploaded files; empty: the media folder."
)
_s3_options = {
    "bucket_name": S3_BUCKET,
    "endpoint_url": env_str(
        "LOKALMAAL_S3_ENDPOINT_URL",
        "",
        "Address of an S3-compatible service (empty: Amazon S3), e.g. `https://s3.example.no`.",
    )
    or None,
    "region_name": env_str("LOKALMAAL_S3_REGION", "", "Region of the bucket.") or None,
    "access_key": env_str(
        "LOKALMAAL_S3_ACCESS_KEY_ID", "", "Access key for the bucket (also `…_FILE`)."
    )
    or None,
    "secret_key": env_str(
        "LOKALMAAL_S3_SECRET_ACCESS_KEY", "", "Secret key for the bucket (also `…_FILE`)."
    )
    or None,
    "location": env_str("LOKALMAAL_S3_PREFIX", "", "Folder (key prefix) inside the bucket."),
    "default_acl": None,  # private: the bucket's own policy, never public-read
    "file_overwrite": False,
    "querystring_auth": True,
}
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        # Collected at build time (scripts/setup runs collectstatic) into STATIC_ROOT, compressed
        # and named by content so WhiteNoise can serve them with a far-future cache lifetime.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str(
    "LOKALMAAL_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend",
    "Django e-mail backend; the console backend prints mail instead of sending it.",
)
EMAIL_HOST = env_str("LOKALMAAL_EMAIL_HOST", "localhost", "SMTP server for outgoing mail.")
EMAIL_PORT = env_int("LOKALMAAL_EMAIL_PORT", 587, "SMTP port.")
EMAIL_HOST_USER = env_str("LOKALMAAL_EMAIL_USER", "", "SMTP user name.")
EMAIL_HOST_PASSWORD = env_str(
    "LOKALMAAL_EMAIL_PASSWORD", "", "SMTP password (also `LOKALMAAL_EMAIL_PASSWORD_FILE`)."
)
EMAIL_USE_TLS = env_bool("LOKALMAAL_EMAIL_USE_TLS", True, "Use STARTTLS for SMTP.")
DEFAULT_FROM_EMAIL = env_str(
    "LOKALMAAL_FROM_EMAIL", "Lokalmål <ikkje-svar@lokalmaal.no>", "Sender of the platform's mail."
)
SITE_URL = env_str(
    "LOKALMAAL_SITE_URL",
    "http://localhost:8000",
    "The platform's address, for links in e-mails sent outside a request (digests).",
)

# Networks and events (lokalmaal/networks).
NETWORK_DOCUMENT_MAX_BYTES = 1_000_000 * env_int(
    "LOKALMAAL_NETWORK_DOCUMENT_MAX_MB", 10, "Largest document a network member may upload, in MB."
)
EVENT_REMINDER_HOURS = env_int(
    "LOKALMAAL_EVENT_REMINDER_HOURS",
    24,
    "`lokalmaal networks remind` reminds participants of events starting within this many hours.",
)

# Practice examples (lokalmaal/arena).
ARENA_ATTACHMENT_MAX_BYTES = 1_000_000 * env_int(
    "LOKALMAAL_ARENA_ATTACHMENT_MAX_MB",
    10,
    "Largest attachment (PDF or image) of a practice example, in MB.",
)

# Plan analysis (lokalmaal/plans): limits on uploaded plans and on the child process that parses
# them, so a hostile file can fail its own task but never the web process or the worker.
PLAN_MAX_BYTES = 1_000_000 * env_int(
    "LOKALMAAL_PLAN_MAX_MB", 50, "Largest plan document that may be uploaded for analysis, in MB."
)
PLAN_MAX_PAGES = env_int(
    "LOKALMAAL_PLAN_MAX_PAGES", 1000, "Most pages a plan document may have to be analysed."
)
PLAN_TIME_LIMIT = env_int(
    "LOKALMAAL_PLAN_TIME_LIMIT",
    180,
    "Seconds (wall clock and CPU) the text extraction of one plan document may take.",
)
PLAN_MEMORY_LIMIT = 1_048_576 * env_int(
    "LOKALMAAL_PLAN_MEMORY_MB",
    1536,
    "Memory (address space, in MiB) the text extraction of one plan document may use.",
)

# Security: the same headers in development so tests see what production sends.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
_ssl_redirect = env_bool(
    "LOKALMAAL_SSL_REDIRECT", True, "Redirect plain HTTP to HTTPS in production."
)
SECURE_SSL_REDIRECT = PRODUCTION and _ssl_redirect
SECURE_REDIRECT_EXEMPT = [r"^helse/$"]  # the load balancer asks over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = env_int(
    "LOKALMAAL_HSTS_SECONDS", 31536000 if PRODUCTION else 0, "Strict-Transport-Security max-age."
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
# No inline script or style, nothing from another host: every asset is served from here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "lokalmaal.ops.requestlog.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {
        "handlers": ["console"],
        "level": env_str("LOKALMAAL_LOG_LEVEL", "INFO", "Log level."),
    },
    "loggers": {
        # One JSON line per request, for log collectors; never the query string or who asked.
        "lokalmaal.requests": {"handlers": ["json"], "level": "INFO", "propagate": False},
    },
}

PRODUCTION_SETTINGS = production.ProductionSettings(
    secret_key=SECRET_KEY,
    hosts_given=env_given("LOKALMAAL_ALLOWED_HOSTS"),
    database_engine=str(DATABASES["default"]["ENGINE"]),
    cache_url=CACHE_URL,
    single_host=SINGLE_HOST,
    static_manifest=Path(STATIC_ROOT) / "staticfiles.json",
)
if PRODUCTION and not SECRET_KEY:
    # Nothing runs without a key; the rest is checked when a server starts (lokalmaal serve,
    # wsgi.py), so that collectstatic and migrate can run before everything is in place.
    raise ValueError(production.message(production.missing(PRODUCTION_SETTINGS)))
