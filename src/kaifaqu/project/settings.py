"""Django settings, read from the environment.

Every setting has a default that works out of the box for development (``make demo``); in production
(``KAIFAQU_DEBUG`` unset or false) the secret key and allowed hosts must be given, and a missing one
stops start-up with ``ImproperlyConfigured`` naming the variable.
"""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

# Django's generic classes (ModelAdmin[Model], Field[set, get]) subscriptable at run time, as the
# type annotations write them.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()

DEBUG = env.bool("KAIFAQU_DEBUG", default=False)
VAR_DIR = Path(env.str("KAIFAQU_VAR_DIR", default=str(BASE_DIR / "var")))

if DEBUG:
    SECRET_KEY = env.str("KAIFAQU_SECRET_KEY", default="development-only-not-secret")
    ALLOWED_HOSTS = env.list("KAIFAQU_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
else:
    SECRET_KEY = env.str("KAIFAQU_SECRET_KEY")
    ALLOWED_HOSTS = env.list("KAIFAQU_ALLOWED_HOSTS")

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kaifaqu.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, a busy timeout and immediate transactions let the worker and the web server share the
    # embedded database without locking each other out (DESIGN.md, jobs).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("KAIFAQU_CONN_MAX_AGE", default=60)

INSTALLED_APPS = [
    "kaifaqu.access.admin_site.KaifaquAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_filters",
    "django_tables2",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "kaifaqu.core",
    "kaifaqu.access",
    "kaifaqu.audit",
    "kaifaqu.jobs",
    "kaifaqu.catalog",
    "kaifaqu.workdays",
    "kaifaqu.zones",
    "kaifaqu.maps",
    "kaifaqu.enterprises",
    "kaifaqu.units",
    "kaifaqu.supervision",
    "kaifaqu.publications",
    "kaifaqu.intake",
    "kaifaqu.mujun",
    "kaifaqu.assessment",
    "kaifaqu.cockpit",
    "kaifaqu.notifications",
    "kaifaqu.attachments",
    "kaifaqu.investment",
    "kaifaqu.demo",
    "kaifaqu.servicerequests",
    "kaifaqu.api",
    "kaifaqu.ops",
    "kaifaqu.policies",
]

MIDDLEWARE = [
    "kaifaqu.ops.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kaifaqu.audit.middleware.WriteContextMiddleware",
    "kaifaqu.access.middleware.IdleTimeoutMiddleware",
    "kaifaqu.access.middleware.SecondFactorMiddleware",
    "kaifaqu.access.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy: only the platform's own scripts, styles and images. Templates carry no
# inline script, event attribute or style attribute (tests/test_headers.py); data: serves the empty
# favicon and the images inside the vendored stylesheets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "kaifaqu.project.urls"
WSGI_APPLICATION = "kaifaqu.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaifaqu.access.context_processors.navigation",
                "kaifaqu.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Login hardening (等保 level 3 practice); every number is a setting.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "kaifaqu.access.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("KAIFAQU_PASSWORD_MIN_LENGTH", default=8)},
    },
    {
        "NAME": "kaifaqu.access.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env.int("KAIFAQU_PASSWORD_MIN_CLASSES", default=3)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "kaifaqu.access.backends.AdminRolePermissionBackend",
]
AXES_FAILURE_LIMIT = env.int("KAIFAQU_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("KAIFAQU_LOCKOUT_MINUTES", default=30))
# Lock the account after repeated failures from anywhere, and an address only after many failures
# across accounts (access/lockout.py: colleagues share one address behind a government NAT).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "kaifaqu.access.lockout.AccountFirstHandler"
KAIFAQU_ADDRESS_LOCKOUT_FAILURES = env.int("KAIFAQU_ADDRESS_LOCKOUT_FAILURES", default=50)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A superuser is for `kaifaqu` commands on the server; it signs in to the web only in development.
KAIFAQU_SUPERUSER_WEB_LOGIN = env.bool("KAIFAQU_SUPERUSER_WEB_LOGIN", default=DEBUG)
# An API token works this many days after it is made (access/tokens.py).
KAIFAQU_API_TOKEN_DAYS = env.int("KAIFAQU_API_TOKEN_DAYS", default=90)
KAIFAQU_IDLE_TIMEOUT_MINUTES = env.int("KAIFAQU_IDLE_TIMEOUT_MINUTES", default=30)
# The audit trail is kept at least 183 days (等保); a shorter setting refuses to start.
KAIFAQU_AUDIT_RETENTION_DAYS = env.int("KAIFAQU_AUDIT_RETENTION_DAYS", default=365)
if KAIFAQU_AUDIT_RETENTION_DAYS < 183:
    raise ImproperlyConfigured("KAIFAQU_AUDIT_RETENTION_DAYS must be at least 183 (等保 2.0)")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from the npm registry into node_modules at setup (make), never from a CDN;
# only the file of each that the pages load is served (core/staticfiles.py).
NODE_MODULES = Path(env.str("KAIFAQU_NODE_MODULES", default=str(BASE_DIR / "node_modules")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
KAIFAQU_VENDOR_FILES = [
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist" / "echarts.min.js"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist" / "htmx.min.js"),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "kaifaqu.core.staticfiles.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Source maps are read only by developer tools: not compressed, which halves collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = VAR_DIR / "media"
# Uploads are stopped past this size while they stream, before anything is written; the same
# size bounds the spreadsheet reader (kaifaqu.core.uploads).
# How charts lay out (core/charts.py): bars lie down past this many categories or this many
# characters in a name, and scroll past a window of this many rows ("window") or columns
# ("columns"); a chart that sums the rest as 其他 names the largest "top" categories.
KAIFAQU_CHARTS = {
    "top": env.int("KAIFAQU_CHART_TOP", default=12),
    "vertical_max": env.int("KAIFAQU_CHART_VERTICAL_MAX", default=8),
    "label_chars": env.int("KAIFAQU_CHART_LABEL_CHARS", default=6),
    "window": env.int("KAIFAQU_CHART_WINDOW", default=15),
    "columns": env.int("KAIFAQU_CHART_COLUMNS", default=30),
}
KAIFAQU_UPLOAD_MAX_MB = env.int("KAIFAQU_UPLOAD_MAX_MB", default=50)
if KAIFAQU_UPLOAD_MAX_MB < 1:
    raise ImproperlyConfigured("KAIFAQU_UPLOAD_MAX_MB must be at least 1")
FILE_UPLOAD_HANDLERS = [
    "kaifaqu.core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Evidence files (attachments/): the largest one, and the types accepted, each told by its
# content (the name must agree). Bounded by KAIFAQU_UPLOAD_MAX_MB too, while it streams.
KAIFAQU_ATTACHMENT_MAX_MB = env.int(
    "KAIFAQU_ATTACHMENT_MAX_MB", default=min(20, KAIFAQU_UPLOAD_MAX_MB)
)
if not 1 <= KAIFAQU_ATTACHMENT_MAX_MB <= KAIFAQU_UPLOAD_MAX_MB:
    raise ImproperlyConfigured(
        "KAIFAQU_ATTACHMENT_MAX_MB must be at least 1 and at most KAIFAQU_UPLOAD_MAX_MB"
    )
KAIFAQU_ATTACHMENT_TYPES = env.list(
    "KAIFAQU_ATTACHMENT_TYPES",
    default=["pdf", "ofd", "jpg", "jpeg", "png", "docx", "xlsx", "doc", "xls"],
)

# E-mail (the daily notification digest) only when an SMTP server is given; without one Django's
# dummy backend drops every message, so nothing leaves the machine.
KAIFAQU_SMTP_HOST = env.str("KAIFAQU_SMTP_HOST", default="")
if KAIFAQU_SMTP_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = KAIFAQU_SMTP_HOST
    EMAIL_PORT = env.int("KAIFAQU_SMTP_PORT", default=25)
    EMAIL_HOST_USER = env.str("KAIFAQU_SMTP_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("KAIFAQU_SMTP_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("KAIFAQU_SMTP_TLS", default=False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("KAIFAQU_EMAIL_FROM", default="kaifaqu@localhost")
# The platform's address as users reach it, for the links in e-mails ("" leaves them relative).
KAIFAQU_SITE_URL = env.str("KAIFAQU_SITE_URL", default="")
# The most notifications one digest lists (the rest are counted).
KAIFAQU_DIGEST_ITEMS = env.int("KAIFAQU_DIGEST_ITEMS", default=20)

# Background jobs: Django's task API on the database backend (no extra service).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job whose worker has not reported for this long is taken as dead and marked failed.
KAIFAQU_JOB_STALE_SECONDS = env.int("KAIFAQU_JOB_STALE_SECONDS", default=300)
# A list export longer than this many rows is written by a background job, not in the request.
KAIFAQU_EXPORT_ROWS_INLINE = env.int("KAIFAQU_EXPORT_ROWS_INLINE", default=20_000)
# A list of a whole table (no scope, no filter) shows the planner's row estimate instead of an
# exact count from this many rows on (PostgreSQL only: counting a large table reads all of it).
KAIFAQU_LIST_ESTIMATE_ABOVE = env.int("KAIFAQU_LIST_ESTIMATE_ABOVE", default=100_000)
# An uploaded file never imported is removed, with its batch, this many days after the upload.
KAIFAQU_ABANDONED_UPLOAD_DAYS = env.int("KAIFAQU_ABANDONED_UPLOAD_DAYS", default=7)
if KAIFAQU_ABANDONED_UPLOAD_DAYS < 1:
    raise ImproperlyConfigured("KAIFAQU_ABANDONED_UPLOAD_DAYS must be at least 1")
# The working-day table (workdays.Day) runs this many years past the last loaded calendar year
# (counted on weekends only there); deadlines beyond it are counted in Python, on weekends only.
KAIFAQU_CALENDAR_YEARS_AHEAD = env.int("KAIFAQU_CALENDAR_YEARS_AHEAD", default=10)

# The REST API (/api/v1/): its authentication, paging, throttling and errors live with the API.
from kaifaqu.api.conf import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402, F401

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The application server (`kaifaqu serve`, gunicorn): processes, address, request time limit.
KAIFAQU_WEB_WORKERS = env.int("KAIFAQU_WEB_WORKERS", default=3)
KAIFAQU_BIND = env.str("KAIFAQU_BIND", default="127.0.0.1:8000")
KAIFAQU_WEB_TIMEOUT = env.int("KAIFAQU_WEB_TIMEOUT", default=120)
# /readyz fails when the var folder's disk has less free space than this.
KAIFAQU_DISK_FREE_MIN_MB = env.int("KAIFAQU_DISK_FREE_MIN_MB", default=1024)

# Plain lines on stderr for warnings and errors; one JSON line per request and per job on stdout
# (ops/logs.py), which journald keeps.
_json_log = {"handlers": ["json"], "level": "INFO", "propagate": False}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "kaifaqu.ops.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("KAIFAQU_LOG_LEVEL", default="WARNING")},
    "loggers": {
        "kaifaqu.requests": _json_log,
        "kaifaqu.jobs.runs": _json_log,
    },
}

if not DEBUG:
    # HTTPS in production (等保 level 3: confidentiality in transit). Behind a TLS-terminating proxy
    # set KAIFAQU_BEHIND_PROXY so Django trusts its X-Forwarded-Proto header.
    SESSION_COOKIE_SECURE = env.bool("KAIFAQU_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env.bool("KAIFAQU_SSL_REDIRECT", default=True)
    # health probes ask over plain HTTP on the server itself (ops/views.py)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env.int("KAIFAQU_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("KAIFAQU_HSTS_PRELOAD", default=True)
    if env.bool("KAIFAQU_BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
