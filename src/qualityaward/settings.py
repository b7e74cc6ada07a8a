"""Settings, read from the environment. The defaults run one machine with SQLite.

Environment:
  DATABASE_URL     postgres://... (default: SQLite file var/qualityaward.sqlite3)
  REDIS_URL        redis://... enables Celery workers and beat (default: in-process)
  SECRET_KEY       (default: generated once into var/secret_key)
  ALLOWED_HOSTS    comma-separated (default: 127.0.0.1,localhost)
  DEBUG            1 to debug (default: off)
  HTTPS            1 behind TLS: secure cookies, HSTS, redirect (default: off)
  S3_BUCKET        store uploads in S3-compatible storage (with S3_ENDPOINT_URL,
                   S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION); default: var/media
  EMAIL_URL        smtp://user:pass@host:port (default: console)
  QA_VAR_DIR       where local data lives (default: ./var)
  QA_NATIONAL_CRYPTO  1: SM3 digests and SM4 field encryption; 0: SHA-256 and AES (default: 1)
  QA_FIELD_KEYS    field encryption keys "index:b64,id:b64" (default: var/field_keys)
  QA_EMAIL_RETRY_SECONDS  how often beat retries e-mails still owed (default: 300)
"""

import datetime
import hashlib
import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from qualityaward.core.secretfiles import read_or_create

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("QA_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(int(default))).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    return read_or_create(VAR_DIR / "secret_key", lambda: secrets.token_urlsafe(64)).strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
HTTPS = env_bool("HTTPS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_htmx",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The award, in the order of its flow.
    "qualityaward.core",
    "qualityaward.accounts",
    "qualityaward.workdays",
    "qualityaward.rulesets",
    "qualityaward.cycles",
    "qualityaward.applications",
    "qualityaward.evaluation",
    "qualityaward.decisions",
    "qualityaward.supervision",
    "qualityaward.exports",
    "qualityaward.notifications",
    "qualityaward.documents",
    "qualityaward.portal",
    "qualityaward.api",
    "qualityaward.backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "qualityaward.core.middleware.RequestIdMiddleware",
    "qualityaward.core.middleware.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "qualityaward.core.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qualityaward.urls"
WSGI_APPLICATION = "qualityaward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qualityaward.portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'qualityaward.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE takes the write
    # lock at BEGIN so concurrent writers queue instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # Prepared statements: with server-side parameters psycopg prepares a statement the
    # fifth time a connection runs it, so PostgreSQL stops planning the pages' queries on
    # every request (planning took longer than running them: 1.9 ms against 0.4 ms for
    # one application's row). Django leaves preparing off unless a threshold is given.
    # DB_SERVER_SIDE_BINDING=0 turns both off, for a transaction-mode pooler.
    prepared = env_bool("DB_SERVER_SIDE_BINDING", True)
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": prepared,
        "prepare_threshold": 5 if prepared else None,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "qualityaward.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Lockout: 5 failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL"),
            "access_key": os.environ.get("S3_ACCESS_KEY"),
            "secret_key": os.environ.get("S3_SECRET_KEY"),
            "region_name": os.environ.get("S3_REGION"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# One cache for every worker process: Redis when configured, else files under var/. A
# per-process memory cache would compute the ranking once per worker and count a public
# form's rate limit per worker.
# Keys carry the database's name: entries built from one database's rows and audit
# sequence must never answer for another's sharing the cache.
CACHES = {
    "default": {
        **(
            {
                # django-redis: with Redis down a read is a miss and a write is skipped
                # (logged), so the site keeps serving; see DJANGO_REDIS_* below.
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": REDIS_URL,
                "OPTIONS": {
                    "IGNORE_EXCEPTIONS": True,
                    "SOCKET_CONNECT_TIMEOUT": 1,
                    "SOCKET_TIMEOUT": 1,
                },
            }
            if REDIS_URL
            else {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(VAR_DIR / "cache"),
            }
        ),
        "KEY_PREFIX": hashlib.sha256(str(DATABASES["default"]["NAME"]).encode()).hexdigest()[:12],
    }
}

DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    _email = dj_database_url.parse(EMAIL_URL.replace("smtp://", "postgres://", 1))
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email["HOST"]
    EMAIL_PORT = int(_email["PORT"] or 25)
    EMAIL_HOST_USER = _email["USER"]
    EMAIL_HOST_PASSWORD = _email["PASSWORD"]
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "qualityaward@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only: people read the API at /api/docs/. DRF's browsable pages are English-only
    # and fail the accessibility checks (docs/accessibility.md).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "qualityaward.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "qualityaward API",
    "DESCRIPTION": _("Integration API of the quality award platform."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "RuleSetVersionStatusEnum": "qualityaward.rulesets.enums.VersionStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Award programme shown in the site header; the rule set supplies everything else.
QA_SITE_NAME = _("Quality Award")

# The public portal's footer (each line is shown when set): the organiser (主办单位;
# empty: the issuing authority of the rule set in effect), contact phone and address,
# the ICP filing number (ICP备案) and the public security filing number (公安备案).
QA_ORGANISER = os.environ.get("QA_ORGANISER", "").strip()
QA_CONTACT_PHONE = os.environ.get("QA_CONTACT_PHONE", "").strip()
QA_CONTACT_ADDRESS = os.environ.get("QA_CONTACT_ADDRESS", "").strip()
QA_ICP_NUMBER = os.environ.get("QA_ICP_NUMBER", "").strip()
QA_PSB_NUMBER = os.environ.get("QA_PSB_NUMBER", "").strip()

# The privacy notice (个人信息处理规则, PIPL articles 14 and 17) in force: its version is
# the date it takes effect. A signed-in user who accepted an older version (or none) is
# asked to accept this one before going on (accounts.middleware).
QA_PRIVACY_NOTICE_VERSION = datetime.date.fromisoformat(
    os.environ.get("QA_PRIVACY_NOTICE_VERSION", "2026-12-01").strip()
).isoformat()

# Checks and reminders run once a day: in-process by default (see gunicorn.conf.py),
# by Celery beat when REDIS_URL is set, or by `manage.py run_daily_jobs` from cron.
QA_DAILY_JOBS = ["qualityaward.cycles.jobs.remind_overdue_stages"]
CELERY_BEAT_SCHEDULE = {
    "daily-jobs": {
        "task": "qualityaward.notifications.tasks.run_daily_jobs",
        "schedule": 60 * 60,  # hourly; each job still runs at most once a day
    },
    # The e-mail outbox: notifications whose e-mail could not be queued or sent.
    "pending-emails": {
        "task": "qualityaward.notifications.tasks.send_pending_emails",
        "schedule": int(os.environ.get("QA_EMAIL_RETRY_SECONDS", "300")),
    },
}

# Uploads (qualityaward.documents.validation): checked by content, refused over these limits.
# China's commercial cryptography (GB/T 39786): SM3 for the audit chain and file
# digests, SM4 for personal data at rest (core.crypto). Keys live outside the database.
QA_NATIONAL_CRYPTO = env_bool("QA_NATIONAL_CRYPTO", True)
QA_FIELD_KEY_FILE = Path(os.environ.get("QA_FIELD_KEY_FILE", VAR_DIR / "field_keys"))

# How long personal data are kept (PIPL art. 19; supervision.retention). A JSON object
# in QA_RETENTION overrides single periods.
QA_RETENTION = {
    # names and contact details of the public's comments and objections
    "public_contacts_years": 3,
    # contact person and phone of applications that won nothing
    "application_contacts_years": 5,
    # failed and successful login records (IP addresses, user agents)
    "login_records_days": 180,
    **json.loads(os.environ.get("QA_RETENTION", "{}")),
}

# Processes that render a cycle's evaluation reports (exports app): 1 renders them in
# the process that prepares the export.
QA_REPORT_WORKERS = int(os.environ.get("QA_REPORT_WORKERS", "2"))
# How long nginx may give a public page to every anonymous visitor (core/shared_cache.py);
# 0: never. A publication or a revocation shows on the public pages at most this late.
QA_SHARED_CACHE_SECONDS = int(os.environ.get("QA_SHARED_CACHE_SECONDS", "10"))
# The compact copies of the PDF fonts (documents.fonts), built on first use.
QA_PDF_FONT_DIR = Path(os.environ.get("QA_PDF_FONT_DIR", VAR_DIR / "fonts"))
QA_UPLOAD_MAX_BYTES = int(os.environ.get("QA_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
QA_UPLOAD_ZIP_MAX_MEMBERS = 2000
QA_UPLOAD_ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
QA_UPLOAD_ZIP_MAX_RATIO = 100
QA_UPLOAD_IMAGE_MAX_PIXELS = 100_000_000

# Absolute address of the public portal, printed in certificates' QR codes.
QA_PUBLIC_BASE_URL = os.environ.get("QA_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security proof suite (docs/security.md): the API schema documents its error answers
# (401/403/404/400/409) so clients and the schema-driven fuzzing know the whole contract.
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "qualityaward.core.openapi.document_error_responses",
]

# The overdue fund-use reports of the winners (A24).
QA_DAILY_JOBS = [*QA_DAILY_JOBS, "qualityaward.supervision.jobs.remind_overdue_fund_reports"]

# A malformed session cookie (e.g. with a NUL byte) is dropped before the session is read.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "qualityaward.core.middleware.SessionCookieGuardMiddleware",
)
# An <int:...> URL parameter beyond the database's range is "not found", never a 500.
MIDDLEWARE.append("qualityaward.core.middleware.IdentifierRangeMiddleware")

# Account controls (GB/T 22239 level 3, docs/security.md): two factors, idle timeout, one
# session per staff account, password expiry. Each is on by default, in the demo too.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("qualityaward.core.middleware.LoginRequiredMiddleware") + 1,
    "qualityaward.accounts.middleware.AccountControlsMiddleware",
)
# Roles that must log in with a second factor (TOTP, or a recovery code); anyone else
# may opt in. Empty turns the requirement off.
QA_MFA_REQUIRED_ROLES = env_list(
    "QA_MFA_REQUIRED_ROLES", "office,working_group,agency,expert,supervisor,department"
)
QA_MFA_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "QualityAward")
# Staff: every role but the applicant. One session each; passwords expire.
QA_STAFF_ROLES = ["office", "working_group", "agency", "expert", "department", "supervisor"]
QA_SINGLE_SESSION = env_bool("QA_SINGLE_SESSION", True)
QA_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("QA_PASSWORD_MAX_AGE_DAYS", "90"))
# A session unused this long ends (0: only SESSION_COOKIE_AGE applies).
QA_IDLE_TIMEOUT_MINUTES = int(os.environ.get("QA_IDLE_TIMEOUT_MINUTES", "30"))
# Failures are forgiven only after the whole login (password and second factor), so
# failed codes add up with failed passwords (accounts.services).
AXES_RESET_ON_SUCCESS = False
