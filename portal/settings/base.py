"""Settings for the Customer Care Center, read from environment variables.

Without any variables set, the project runs as a local demo: SQLite under
var/, e-mails written to var/mail/, Celery tasks run in-process. The README
lists every variable.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import env_bool, env_choice, env_int, env_list, env_str, env_url
from portal.logging_config import build_logging, read_log_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing. Set it to a long random string, "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "portal",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "helpcenter",
    "tickets",
]

MIDDLEWARE = [
    "portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "portal.context_processors.support_contact",
            ],
        },
    },
]

# Database: DATABASE_URL such as postgres://user:pass@host:5432/name.
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql"),
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Seconds to wait for PostgreSQL before a request or probe fails.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5, minimum=1
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# AxesStandaloneBackend first: it refuses a locked-out client before the
# password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "helpcenter:project-list"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---------------------------------------------------------------------------
# Accounts: invitations, sign-up, password reset, lockout, two-factor, avatars
# ---------------------------------------------------------------------------
# Whether anyone may create an account at /accounts/signup/. Off: support
# invites every customer from the admin.
SIGNUP_ENABLED = env_bool("SIGNUP_ENABLED", False)
# How long an invitation link and a password reset link stay valid, in hours.
INVITATION_TIMEOUT_HOURS = env_int("INVITATION_TIMEOUT_HOURS", 7 * 24, minimum=1)
PASSWORD_RESET_TIMEOUT = (
    env_int("PASSWORD_RESET_TIMEOUT_HOURS", 24, minimum=1) * 60 * 60
)
# django-axes: after AXES_FAILURE_LIMIT failed logins for one e-mail address
# from one IP address, that pair is locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_VERBOSE = False
# Behind a reverse proxy, set AXES_IPWARE_PROXY_COUNT so the client's address
# is read from X-Forwarded-For instead of the proxy's.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0, minimum=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if AXES_IPWARE_PROXY_COUNT
    else ["REMOTE_ADDR"]
)
# Two-factor authentication (django-otp, TOTP and recovery codes).
# Customers may turn it on; with TWO_FACTOR_REQUIRED_FOR_AGENTS, agents must.
TWO_FACTOR_REQUIRED_FOR_AGENTS = env_bool("TWO_FACTOR_REQUIRED_FOR_AGENTS", False)
# Avatars: the largest upload in bytes; stored re-encoded as a square PNG.
AVATAR_MAX_SIZE = env_int("AVATAR_MAX_SIZE", 2 * 1024 * 1024, minimum=1)
AVATAR_PIXELS = 256

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Media files are never served from a public URL: downloads go through views
# that apply the access rule. MEDIA_URL stays unset on purpose.
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

# Private files: how the access-checked views hand a file to the client.
# "django" streams it from the web process. With "x-accel-redirect" (nginx) or
# "x-sendfile" (Apache, lighttpd) a front proxy sends it (portal/sendfile.py).
MEDIA_SERVING = env_choice(
    "MEDIA_SERVING", "django", ("django", "x-accel-redirect", "x-sendfile")
)
# The nginx location marked `internal` that maps to MEDIA_ROOT.
MEDIA_X_ACCEL_PREFIX = env_str("MEDIA_X_ACCEL_PREFIX", "/protected-media/")

# Uploads and attachments: where files are stored, limits in bytes, previews.
# FILE_STORAGE=s3 stores them in an S3-compatible bucket through django-storages.
# The bucket must not be public, because downloads go through the portal's
# access-checked views.
FILE_STORAGE = env_choice("FILE_STORAGE", "filesystem", ("filesystem", "s3"))
if FILE_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET_NAME"),
            "endpoint_url": env_url("S3_ENDPOINT_URL", None, schemes=("http", "https")),
            "region_name": env_str("S3_REGION_NAME") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not STORAGES["default"]["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("FILE_STORAGE=s3 needs S3_BUCKET_NAME.")
ATTACHMENT_MAX_SIZE = env_int("ATTACHMENT_MAX_SIZE", 25 * 1024 * 1024, minimum=1)
ATTACHMENT_MAX_FILES = env_int("ATTACHMENT_MAX_FILES", 10, minimum=1)
ATTACHMENT_MAX_TOTAL_SIZE = env_int(
    "ATTACHMENT_MAX_TOTAL_SIZE", 100 * 1024 * 1024, minimum=1
)
# Seconds after which an upload staged for a form that was never sent is deleted.
ATTACHMENT_STAGING_MAX_AGE = env_int(
    "ATTACHMENT_STAGING_MAX_AGE", 24 * 3600, minimum=60
)
# The text preview shows at most this many bytes of a file.
ATTACHMENT_TEXT_PREVIEW_MAX_SIZE = env_int(
    "ATTACHMENT_TEXT_PREVIEW_MAX_SIZE", 512 * 1024, minimum=1024
)
# Celery beat (the scheduler process) deletes expired staged uploads hourly.
CELERY_BEAT_SCHEDULE = {
    "cleanup-staged-uploads": {
        "task": "tickets.tasks.cleanup_staged_uploads",
        "schedule": 3600.0,
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: SMTP when EMAIL_HOST is set, otherwise one file per message in var/mail/.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured(
            "Set at most one of EMAIL_USE_TLS and EMAIL_USE_SSL."
        )
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Customer Care Center <support@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with REDIS_URL unset, tasks run in-process so the demo needs no broker.
REDIS_URL = env_url("REDIS_URL", None, schemes=("redis", "rediss"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Queueing a task while Redis is down fails within a second instead of
# retrying for seconds, so saving a comment still answers quickly; the
# outbox sweep sends its e-mail once Redis is back.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
}

# Workflow and notifications. Periods in hours, days and seconds as named.
# A customer may escalate a request at most once per this many hours.
ESCALATION_PERIOD_HOURS = env_int("ESCALATION_PERIOD_HOURS", 24, minimum=0)
# A customer may reopen a resolved request for this many days after resolution.
REOPEN_DAYS = env_int("REOPEN_DAYS", 14, minimum=0)
# The requests overview counts matching requests up to this number and shows
# "more than" beyond it, because an exact count visits every page of the table
# on large data. The pages reach this far, and the CSV export has every match.
REQUEST_LIST_COUNT_LIMIT = env_int("REQUEST_LIST_COUNT_LIMIT", 1000, minimum=100)
# Delivery of the e-mail outbox: tries per e-mail, the wait before the second
# try (doubled for each further try), and the periodic sweep that sends what
# the after-commit task missed (for example while Redis was down).
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 6, minimum=1)
NOTIFICATION_RETRY_DELAY = env_int("NOTIFICATION_RETRY_DELAY", 60, minimum=1)
NOTIFICATION_SWEEP_INTERVAL = env_int("NOTIFICATION_SWEEP_INTERVAL", 60, minimum=1)
NOTIFICATION_SWEEP_AFTER = env_int("NOTIFICATION_SWEEP_AFTER", 180, minimum=0)
# A claimed e-mail whose worker vanished is tried again after this many seconds.
NOTIFICATION_CLAIM_TIMEOUT = env_int("NOTIFICATION_CLAIM_TIMEOUT", 900, minimum=60)
CELERY_BEAT_SCHEDULE = {
    "send-due-notifications": {
        "task": "tickets.tasks.sweep_notifications",
        "schedule": NOTIFICATION_SWEEP_INTERVAL,
    },
}

# The address customers use to reach the portal; links in e-mails start with it.
PORTAL_URL = env_url(
    "PORTAL_URL", "http://127.0.0.1:8000", schemes=("http", "https")
).rstrip("/")

# Contact details of the support desk, shown in every page's footer.
SUPPORT_NAME = env_str("SUPPORT_NAME", "Customer Care Center")
SUPPORT_HOTLINE = env_str("SUPPORT_HOTLINE", "+49 30 1234567-0")
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "support@localhost")
SUPPORT_ADDRESS = env_str(
    "SUPPORT_ADDRESS", "Support Desk, Beispielstraße 1, 10115 Berlin"
)
# The account name authenticator apps show next to the six-digit code.
OTP_TOTP_ISSUER = SUPPORT_NAME

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# ---------------------------------------------------------------------------
# Production security. With DEBUG off, cookies are Secure, plain HTTP is
# redirected to HTTPS and HSTS is sent. Each can be switched off for a trial
# over plain HTTP (see .env.example). `manage.py check --deploy` is clean with
# the defaults.
# ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie: forms and htmx send the token from
# the page, so the cookie can be hidden from JavaScript too.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Probes reach the container over plain HTTP and must not be redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # The preload flag alone changes nothing until the domain is submitted to
    # the browsers' preload list (hstspreload.org).
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto, turn this on so
# Django treats the request as HTTPS. Only when the proxy always overwrites the
# header: otherwise a client could claim HTTPS.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# ---------------------------------------------------------------------------
# Content-Security-Policy (django-csp 4): only our own scripts, styles, images
# and fonts, so no inline script, no style="" attributes and no framing. The Django
# 5.2 admin works under it unchanged, because it has no inline script or style.
# data: images are allowed for the SVG icons inside Bootstrap's CSS.
# A view that needs more uses csp.decorators.csp_update.
# ---------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# ---------------------------------------------------------------------------
# Logging: one line per event on stdout, as plain text or JSON (LOG_FORMAT),
# each tagged with the request or task id (portal/logging_config.py).
# ---------------------------------------------------------------------------
LOG_FORMAT, LOG_LEVEL = read_log_settings()
LOGGING = build_logging(LOG_FORMAT, LOG_LEVEL)
