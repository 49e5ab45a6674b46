"""Settings for every environment: one module, read from the environment.

Local defaults are safe and work with `make run` / `make test`; production sets the
environment variables documented in README.md. There are no production-only branches.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from learning_platform import __version__

BASE_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = BASE_DIR / ".data"
# The release this code is, for /healthz, the probes and backup manifests: the code below
# the top-level package reads it from settings, never by importing learning_platform.
PLATFORM_VERSION: str = __version__

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")


def _local_secret_key(name: str = "secret_key") -> str:
    """A per-checkout key kept out of the repository, for development and tests."""
    path = DATA_DIR / name
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()

# What a real deployment must set. Without them a local run falls back to keys generated
# in .data/, in-process tasks with a local cache, and the console email backend: right
# for `make run` / `make test` (they set LOCAL_DEFAULTS=1; DEBUG implies it), a silent
# loss anywhere else (sessions and issuer keys unreadable on another machine, emails
# printed instead of sent). A process with neither refuses to start and says what is
# missing (shared_apps/core/checks.py).
LOCAL_DEFAULTS = env.bool("LOCAL_DEFAULTS", default=DEBUG)
REQUIRED_SETTINGS = (
    "SECRET_KEY",
    "BADGES_KEY_SECRET",
    "DATABASE_URL",
    "REDIS_URL",
    "PLATFORM_DOMAIN",
    "EMAIL_BACKEND",
)
MISSING_SETTINGS = [name for name in REQUIRED_SETTINGS if not env.str(name, default="")]

# The host decides everything: `<slug>.<PLATFORM_DOMAIN>` is a territory, the bare
# PLATFORM_DOMAIN is the network site. Unknown hosts are answered 404 by
# tenants.middleware.TerritoryMiddleware before any view runs, so Django's host check
# may stay open (verified custom domains cannot be listed here in advance).
PLATFORM_DOMAIN = env.str("PLATFORM_DOMAIN", default="localhost")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
# Scheme used when building links to other hosts (network site -> territory).
PLATFORM_SCHEME = env.str("PLATFORM_SCHEME", default="http")
# Port appended to absolute links between hosts in development ("" in production).
PLATFORM_PORT = env.str("PLATFORM_PORT", default="")

# ---------------------------------------------------------------------------
# Applications: public schema (shared) and per-territory schema (tenant)
# ---------------------------------------------------------------------------
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.forms",
    "django.contrib.postgres",
    "django_countries",
    # Before allauth: its templates are overridden by shared_apps.core's.
    "shared_apps.core",
    "allauth",
    "allauth.account",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI served by the app itself for /api/docs/ (no CDN).
    "drf_spectacular_sidecar",
    "django_htmx",
    "shared_apps.accounts",
    "shared_apps.audit",
    "shared_apps.network",
    "shared_apps.backpack",
    "shared_apps.billing",
    "shared_apps.onboarding",
    "shared_apps.ops",
    "shared_apps.guardians",
    "shared_apps.console",
    "shared_apps.netsearch",
    "shared_apps.sharedtemplates",
    "shared_apps.notifications",
]

TENANT_APPS = [
    "django.contrib.contenttypes",
    # Sessions live in each territory's schema: a session cookie from one territory
    # simply does not exist in another (isolation by construction).
    "django.contrib.sessions",
    "tenant_apps.home",
    "tenant_apps.manage",
    "tenant_apps.badges",
    "tenant_apps.catalogue",
    "tenant_apps.demand",
    "tenant_apps.deserts",
    "tenant_apps.playlists",
    # Evidence and its review, for badges and playlists (no models of its own).
    "tenant_apps.evidence",
    "tenant_apps.accessibility",
    "tenant_apps.imports",
    "tenant_apps.opendata",
    "tenant_apps.moderation",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Territory"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "learning_platform.urls_network"
# `make bench` points this at bench/urls_bench.py (the same URLs plus a bare view that
# measures the stack's ceiling); nothing else should set it.
ROOT_URLCONF = env.str("TERRITORY_URLCONF", default="learning_platform.urls_territory")
# One SET search_path per schema switch instead of one per query (safe in 4.0.1).
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    # Proxy headers (X-Forwarded-*) are believed only from TRUSTED_PROXIES: first.
    "shared_apps.core.security.TrustedProxyMiddleware",
    # Content-Security-Policy on every response (outermost: error pages get it too).
    "shared_apps.core.security.ContentSecurityPolicyMiddleware",
    # Request id, /livez, /readyz, /metrics: before anything that needs the database.
    "shared_apps.ops.middleware.OperationsMiddleware",
    "shared_apps.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.TerritoryMiddleware",
    "shared_apps.ops.middleware.LogContextMiddleware",
    "shared_apps.core.middleware.SentryScopeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous public reads to the read replica, when there is one (tenants/replica.py).
    "tenants.replica.ReplicaReadMiddleware",
    "shared_apps.accounts.middleware.MembershipMiddleware",
    # Signed out here but maybe signed in on the network site: one hop for a token.
    "shared_apps.accounts.middleware.SingleSignOnMiddleware",
    "shared_apps.billing.middleware.ReadOnlyWhenSuspendedMiddleware",
    "shared_apps.core.middleware.TerritoryLocaleMiddleware",
    # NUL in a query string or form is a 400 (after the locale: the 400 page is translated).
    "shared_apps.core.middleware.InputRuleMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
# Benchmarks only (bench/timing.py): each response tells the CPU and database time it
# cost, which a shared machine's load does not change. Never set in production.
if env.bool("BENCH_REQUEST_TIMING", default=False):
    MIDDLEWARE.insert(0, "bench.timing.RequestCostMiddleware")

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
                "shared_apps.core.context_processors.site",
                "shared_apps.notifications.context_processors.notifications",
            ],
        },
    },
]

FORM_RENDERER = "shared_apps.core.forms.FormRenderer"

WSGI_APPLICATION = "learning_platform.wsgi.application"

# ---------------------------------------------------------------------------
# Database: PostgreSQL + PostGIS behind django-tenants' schema-switching backend
# ---------------------------------------------------------------------------
# The default follows PGPORT, as the Makefile does: a command run by hand in a worktree
# (pytest, manage.py) must reach that worktree's own cluster, never another one.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default=f"postgis://postgres@127.0.0.1:{env.str('PGPORT', default='55432')}/cities",
    ),
}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# A password kept apart from the URL (ECS injects it from the RDS-managed secret).
if env.str("DATABASE_PASSWORD", default=""):
    DATABASES["default"]["PASSWORD"] = env.str("DATABASE_PASSWORD")
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="cities_test")}
# Django's psycopg pool: measured 8.4 ms -> ~3.5 ms per request (see ../shared/GUIDE.md).
# Off in tests, where pytest-django creates and drops databases under the pool's feet.
if env.bool("DB_POOL", default=True):
    # With the pool, Django checks a connection taken from it (an empty query, ~0.1 ms):
    # one broken by a PostgreSQL restart or failover is replaced, not handed to a request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN", default=1),
        "max_size": env.int("DB_POOL_MAX", default=10),
        "timeout": 10,
        # A server process caches the catalog of every schema it has touched; with
        # hundreds of territories, recycling connections bounds that memory
        # (deploy/SCALING.md).
        "max_lifetime": env.int("DB_POOL_MAX_LIFETIME", default=900),
    }
ORIGINAL_BACKEND = "django.contrib.gis.db.backends.postgis"
# GDAL 3.6 cannot block file/network access of malicious spatial references; we never
# hand user-supplied SRS or WKT to GDAL (points are built from validated numbers).
SILENCED_SYSTEM_CHECKS = [
    "gis.W001",
    # HTTP -> HTTPS redirects happen at the edge (nginx, the ALB's listener); the load
    # balancer's health checks reach the application over plain HTTP and must not be
    # redirected.
    "security.W008",
    # HSTS preloading is a near-irreversible decision for the whole domain, taken by
    # its owner with the browsers' preload list, not by a setting.
    "security.W021",
]
# Read replica (tenants/replica.py, deploy/SCALING.md §4): anonymous GETs of the public
# views below read from a streaming replica when REPLICA_DATABASE_URL is set; without
# it there is no "replica" alias and everything uses "default" as before.
if env.str("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = env.db_url("REPLICA_DATABASE_URL")
    DATABASES["replica"]["ENGINE"] = DATABASES["default"]["ENGINE"]
    if env.str("DATABASE_PASSWORD", default="") and not DATABASES["replica"].get("PASSWORD"):
        DATABASES["replica"]["PASSWORD"] = env.str("DATABASE_PASSWORD")
    # No pool: a pool waits its whole timeout for a server that is down. A kept-open
    # connection, checked at each request, and a short connect timeout instead: a
    # stopped replica costs a refused connection, then reads go to the primary.
    DATABASES["replica"]["CONN_MAX_AGE"] = env.int("REPLICA_CONN_MAX_AGE", default=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "REPLICA_CONNECT_TIMEOUT", default=1
    )
    # The test database's replica is the test database's physical copy.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=2.0)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=1.0)
REPLICA_RETRY_SECONDS = env.float("REPLICA_RETRY_SECONDS", default=5.0)
# A browser reads from the primary this long after one of its requests wrote.
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)
REPLICA_READ_VIEWS = [
    "home:index",
    "catalogue:search",
    "catalogue:activity",
    "catalogue:calendar",
    "catalogue:providers",
    "catalogue:provider",
    "api-territory",
    "api-activities",
    "api-activity",
    "api-providers",
    "api-provider",
    "api-venues",
    "api-interests",
    "api-map",
    # Open data (tenant_apps.opendata): a lagging replica shows a prefix of the changes
    # feed (numbers are visible in commit order), so a consumer misses nothing.
    "opendata:open_data",
    "api-open-data-activities",
    "api-open-data-changes",
]
DATABASE_ROUTERS = ["tenants.replica.ReplicaRouter", "django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Accounts (django-allauth, email as login; see README for why)
# ---------------------------------------------------------------------------
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
ACCOUNT_ADAPTER = "shared_apps.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# A display name (shared_apps.accounts) and the year and month of birth at sign-up
# (shared_apps.guardians): below the digital consent
# age of the territory's country (GDPR art. 8, as each country set it) the account is
# restricted until a guardian confirms by email.
ACCOUNT_SIGNUP_FORM_CLASS = "learning_platform.signup.SignupForm"
DIGITAL_CONSENT_AGE = {
    "LT": 14,
    "SI": 15,
    "IT": 14,
    "FI": 13,
    "DE": 16,
    "FR": 15,
    "ES": 14,
    "NL": 16,
}
DIGITAL_CONSENT_AGE_DEFAULT = 16
GUARDIAN_LINK_MAX_AGE_DAYS = env.int("GUARDIAN_LINK_MAX_AGE_DAYS", default=14)
# Minors' accounts unused this long are flagged for deletion (guardian and learner are
# told); still unused MINOR_DELETION_GRACE_DAYS later, they are deleted.
MINOR_INACTIVE_DAYS = env.int("MINOR_INACTIVE_DAYS", default=365)
MINOR_DELETION_GRACE_DAYS = env.int("MINOR_DELETION_GRACE_DAYS", default=30)
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# "Signed in as ...": the name, else the email (shown to the account holder only).
ACCOUNT_USER_DISPLAY = "shared_apps.accounts.selectors.display_for_self"
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Failed sign-ins are counted per account across the whole network (the adapter's key
# is the address alone, the cache key is network-wide) and per client address. The
# address limit is far above the account one, so a class signing in from one school
# address is never stopped before each pupil's own account limit applies.
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",
    "login_failed": "300/15m/ip,5/5m/key,20/1d/key",
}

# One sign-in across the network (shared_apps.accounts.sso): a hop's token lives this
# long, and a territory remembers "nobody is signed in on the network site" this long.
SSO_TOKEN_SECONDS = env.int("SSO_TOKEN_SECONDS", default=60)
SSO_RECHECK_SECONDS = env.int("SSO_RECHECK_SECONDS", default=300)

# Host-only cookies: a cookie set by vilnius.<domain> is never sent to ljubljana.<domain>.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
LANGUAGE_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Networks of the reverse proxies whose X-Forwarded-* headers are believed (deploy/'s
# nginx on the same machine: 127.0.0.1/32,::1/128). From any other peer they are
# dropped (shared_apps.core.security.TrustedProxyMiddleware). Empty: nobody's.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Proxies in front of the application that set X-Forwarded-For (nginx in deploy/: 1).
# allauth's sign-in rate limits count per client address, so they must see the real one.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
# HSTS from the application too (the ALB in terraform/ adds no header; nginx in deploy/
# sets its own and hides this one). Every subdomain is a territory served over HTTPS.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Where forms may go besides our own hosts (Content-Security-Policy form-action;
# shared_apps.core.security): Stripe's pages, which checkout and the portal redirect to.
CSP_FORM_ACTION_EXTRA = env.list(
    "CSP_FORM_ACTION_EXTRA", default=["https://checkout.stripe.com", "https://billing.stripe.com"]
)

# ---------------------------------------------------------------------------
# Languages
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("lt", _("Lithuanian")),
    ("sl", _("Slovenian")),
    ("it", _("Italian")),
    ("fi", _("Finnish")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("nl", _("Dutch")),
]
# Languages whose translations are complete for everything the UI shows.
COMPLETE_LANGUAGES = ["en", "lt", "sl", "it", "fi", "de", "fr", "es", "nl"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LOCALE_PATHS = [BASE_DIR / "platform" / "learning_platform" / "locale"]

# ---------------------------------------------------------------------------
# Static files and media
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Serve from the finders when nothing was collected (make run); production runs
# collectstatic and gets hashed, compressed, long-cached files.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(DATA_DIR / "media"))
# Private files (evidence, exports) never sit under MEDIA_ROOT: no URL maps to them.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(DATA_DIR / "private"))
# Behind nginx: the internal location that serves PRIVATE_MEDIA_ROOT (deploy/nginx).
PRIVATE_MEDIA_ACCEL_PREFIX = env.str("PRIVATE_MEDIA_ACCEL_PREFIX", default="")
# Lifetime of a presigned URL to a private file on S3.
PRIVATE_URL_SECONDS = env.int("PRIVATE_URL_SECONDS", default=120)


def _s3_storage(bucket: str, *, public: bool) -> dict[str, object]:
    options: dict[str, object] = {
        "bucket_name": bucket,
        "region_name": env.str("S3_REGION", default="eu-central-1"),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="") or None,
        "signature_version": "s3v4",
        # The buckets enforce object ownership (no ACLs); access is by bucket policy.
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": not public,
        "querystring_expire": PRIVATE_URL_SECONDS,
        "object_parameters": {
            # Public names are random and never reused: cache them for a year.
            "CacheControl": "public, max-age=31536000, immutable" if public else "private, no-store"
        },
    }
    if public and env.str("S3_PUBLIC_DOMAIN", default=""):
        options["custom_domain"] = env.str("S3_PUBLIC_DOMAIN")  # a CDN (deploy/SCALING.md)
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# S3 when the buckets are configured, the local disk otherwise (shared_apps/core/storage.py).
S3_PUBLIC_BUCKET = env.str("S3_PUBLIC_BUCKET", default="")
S3_PRIVATE_BUCKET = env.str("S3_PRIVATE_BUCKET", default="")
STORAGES = {
    "default": (
        _s3_storage(S3_PUBLIC_BUCKET, public=True)
        if S3_PUBLIC_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "private": (
        _s3_storage(S3_PRIVATE_BUCKET, public=False)
        if S3_PRIVATE_BUCKET
        else {
            "BACKEND": "shared_apps.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
        }
    ),
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# Uploads larger than this are refused before reaching a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---------------------------------------------------------------------------
# Cache: keys prefixed by schema, so a territory never reads another's entries
# ---------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Redis stopped or frozen must not fail or stall a request: the backend treats its
# errors as misses (shared_apps/ops/cache.py), and the timeouts bound a frozen Redis.
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.5)
CACHES = {
    "default": (
        {
            "BACKEND": "shared_apps.ops.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                # Seconds the process leaves Redis alone after a failure.
                "retry_after": env.float("CACHE_RETRY_AFTER_SECONDS", default=5.0),
            },
        }
        if REDIS_URL
        # Without Redis (development, tests, benchmarks): per process; room for the
        # cards and counts of a few hundred searches (the default 300 entries culled
        # them before they were read again).
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    )
}
# Per schema, except sign-in rate limits and other network-wide counters (accounts
# are global): shared_apps.core.cache.
CACHES["default"]["KEY_FUNCTION"] = "shared_apps.core.cache.make_key"

# ---------------------------------------------------------------------------
# Background work: Celery tasks run in the sender's territory schema
# ---------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker, tasks run in-process at call time (development, tests).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task not acknowledged within this time is handed to another worker. Live workers
# renew the messages they hold (running or waiting for a retry countdown) every third
# of it (shared_apps/ops/worker.py), so it bounds how late a crashed worker's tasks
# run again, not how long a task may take. Abandoned messages are looked for every
# unacked_restore_interval seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("BROKER_VISIBILITY_TIMEOUT", default=45),
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 5,
}
# A request's task goes to the outbox (shared_apps/ops/outbox.py); after a failed send
# the process leaves the broker alone this long, and the relay sends the rest.
BROKER_RETRY_AFTER_SECONDS = env.float("BROKER_RETRY_AFTER_SECONDS", default=5.0)
# The relay leaves rows this young to their own send, and hands an email that is still
# unsent this long after it was queued to the broker again.
OUTBOX_SETTLE_SECONDS = env.int("OUTBOX_SETTLE_SECONDS", default=10)
OUTBOX_EMAIL_REQUEUE_SECONDS = env.int("OUTBOX_EMAIL_REQUEUE_SECONDS", default=900)
# Deliveries of one run of a task (its worker died each time) before it is a dead letter.
TASK_MAX_DELIVERIES = env.int("TASK_MAX_DELIVERIES", default=3)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task running longer than this is stuck: SoftTimeLimitExceeded first (it can clean
# up), then the worker process is replaced. Long batches split themselves into tasks.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("TASK_SOFT_TIME_LIMIT", default=540)
CELERY_TASK_TIME_LIMIT = env.int("TASK_TIME_LIMIT", default=600)
CELERY_WORKER_SEND_TASK_EVENTS = False
# Retries of tasks built on shared_apps.ops.tasks.PlatformTask: 5 s, 10 s, 20 s, ...
TASK_MAX_RETRIES = env.int("TASK_MAX_RETRIES", default=5)
TASK_RETRY_BACKOFF_SECONDS = env.int("TASK_RETRY_BACKOFF_SECONDS", default=5)
# Beat sends an entry without "tenant_schemas" into every live territory's schema, and
# an entry with ["public"] once, network-wide (shared_apps/ops/beat.py).
CELERY_BEAT_SCHEDULER = "shared_apps.ops.beat:PersistentTerritoryScheduler"
CELERY_BEAT_SCHEDULE = {
    # Grace periods, suspensions, end of pilots, archiving (shared_apps.billing).
    "billing-housekeeping": {
        "task": "shared_apps.billing.tasks.billing_housekeeping",
        "schedule": 3600.0,
        "tenant_schemas": ["public"],
    },
    # Watchdog: builds the schemas of sign-ups that found the pool empty (if their job
    # was lost) and tops the standby pool up (a lost refill, a worker restart, a broker
    # outage), so the pool is empty for a minute at most.
    "standby-pool-refill": {
        "task": "tenants.pool.refill_standby_pool",
        "schedule": 60.0,
        "tenant_schemas": ["public"],
    },
    "clear-expired-sessions": {
        "task": "shared_apps.core.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=10),
    },
    "clear-expired-sessions-network": {
        "task": "shared_apps.core.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=5),
        "tenant_schemas": ["public"],
    },
    "purge-sent-emails": {
        "task": "ops.purge_sent_emails",
        "schedule": crontab(hour=4, minute=0),
        "tenant_schemas": ["public"],
    },
    # Learning-desert analytics of every live territory (tenant_apps.deserts).
    "deserts-nightly": {"task": "deserts.compute", "schedule": crontab(hour=2, minute=40)},
    "flag-inactive-minors": {
        "task": "guardians.flag_inactive_minors",
        "schedule": crontab(hour=4, minute=40),
        "tenant_schemas": ["public"],
    },
    "purge-task-records": {
        "task": "ops.purge_task_records",
        "schedule": crontab(hour=4, minute=20),
        "tenant_schemas": ["public"],
    },
}
# Tasks and emails requests could not hand to the broker (shared_apps/ops/outbox.py).
CELERY_BEAT_SCHEDULE["relay-outbox"] = {
    "task": "ops.relay_outbox",
    "schedule": env.float("OUTBOX_RELAY_SECONDS", default=60.0),
    "tenant_schemas": ["public"],
}
# Addresses of staff invitations closed a month ago are deleted (tenant_apps.catalogue).
CELERY_BEAT_SCHEDULE["catalogue-purge-invitations"] = {
    "task": "catalogue.purge_invitations",
    "schedule": crontab(hour=4, minute=20),
}
# Open data (tenant_apps.opendata): providers' calendars re-imported; the changes
# feed caught up with anything an interrupted after-commit write missed.
CELERY_BEAT_SCHEDULE["opendata-sync-calendars"] = {
    "task": "opendata.sync_calendars",
    "schedule": env.float("CALENDAR_SYNC_SECONDS", default=3600.0),
}
CELERY_BEAT_SCHEDULE["opendata-reconcile-feed"] = {
    "task": "opendata.reconcile_feed",
    "schedule": crontab(minute=35),
}
CELERY_BEAT_SCHEDULE["console-figures"] = {
    "task": "console.refresh_territory_figures",
    "schedule": 3600.0,
    "tenant_schemas": ["public"],
}
# Open data: the default licence of every territory's feeds (tenant_apps.opendata.
# models.LICENCES; each territory's admins may choose another).
OPEN_DATA_LICENCE = env.str("OPEN_DATA_LICENCE", default="CC-BY-4.0")
# Calendar import (iCalendar URLs of providers): limits of one fetch. Private and
# loopback addresses are refused (SSRF) unless allowed, which only tests do.
CALENDAR_FETCH_TIMEOUT = env.float("CALENDAR_FETCH_TIMEOUT", default=10.0)
CALENDAR_MAX_BYTES = env.int("CALENDAR_MAX_BYTES", default=2_000_000)
CALENDAR_MAX_EVENTS = env.int("CALENDAR_MAX_EVENTS", default=500)
CALENDAR_ALLOW_PRIVATE_ADDRESSES = env.bool("CALENDAR_ALLOW_PRIVATE_ADDRESSES", default=False)
# Certificate authorities for https calendars (a file); None: the system's.
CALENDAR_CA_BUNDLE = env.str("CALENDAR_CA_BUNDLE", default="") or None
# pg_dump and psql for backup_territory / restore_territory ("" = from PATH).
PG_BIN_DIR = env.str("PG_BIN_DIR", default="")
# `migrate_schemas --executor=multiprocessing` (deploy/RELEASE.md).
TENANT_MULTIPROCESSING_MAX_PROCESSES = env.int("MIGRATION_PROCESSES", default=2)
TENANT_MULTIPROCESSING_CHUNKS = env.int("MIGRATION_CHUNKS", default=2)

# ---------------------------------------------------------------------------
# Provisioning: pre-migrated standby schemas claimed by new territories (tenants.pool)
# ---------------------------------------------------------------------------
STANDBY_POOL_SIZE = env.int("STANDBY_POOL_SIZE", default=3)
# Off in the test suite, which fills its pool once per test database (tests/conftest.py).
STANDBY_REFILL_AFTER_PROVISIONING = env.bool("STANDBY_REFILL_AFTER_PROVISIONING", default=True)

# ---------------------------------------------------------------------------
# Billing (shared_apps.billing). Without STRIPE_SECRET_KEY card payments are off: the
# wizard offers the pilot and invoices only, and everything else works.
# ---------------------------------------------------------------------------
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Tests point this at a local HTTP server; Stripe's API is never called from tests.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")
BILLING_CURRENCY = "EUR"
BILLING_PLANS = {
    "city": {
        "amount": env.str("BILLING_CITY_AMOUNT", default="4800"),
        "interval": "year",
        "stripe_price": env.str("STRIPE_PRICE_CITY", default=""),
    },
    "region": {
        "amount": env.str("BILLING_REGION_AMOUNT", default="9600"),
        "interval": "year",
        "stripe_price": env.str("STRIPE_PRICE_REGION", default=""),
    },
}
BILLING_PILOT_DAYS = 60
BILLING_GRACE_DAYS = 14
# A cancelled territory stays read-only this long, then is archived.
BILLING_RETENTION_DAYS = env.int("BILLING_RETENTION_DAYS", default=90)

# ---------------------------------------------------------------------------
# Onboarding (shared_apps.onboarding) and custom domains
# ---------------------------------------------------------------------------
# Versions of the documents a new territory's admin accepts; acceptance is recorded
# with the version and time. Change the version whenever the text changes.
TERMS_VERSION = "2026-11"
DPA_VERSION = "2026-11"
# Days a wizard's resume link stays valid.
ONBOARDING_RESUME_DAYS = 30
# Custom domains are verified by a TXT record at <prefix>.<domain>.
DOMAIN_VERIFICATION_PREFIX = "_cities-of-learning"
# Days an unverified custom domain claim lasts: a claim never holds a name for long.
DOMAIN_CLAIM_DAYS = 7
# "host:port" nameservers to ask (tests run one on loopback); empty = the system's.
DNS_NAMESERVERS = env.list("DNS_NAMESERVERS", default=[])
# An uploaded SVG badge is drawn by a child process with these limits (the worst
# drawing the sanitiser lets through takes about 1.5 s).
BADGE_SVG_RENDER_CPU_SECONDS = env.int("BADGE_SVG_RENDER_CPU_SECONDS", default=5)
BADGE_SVG_RENDER_MEMORY_MB = env.int("BADGE_SVG_RENDER_MEMORY_MB", default=1024)

# ---------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "shared_apps.accounts.permissions.IsTerritoryMemberOrReadOnly",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "shared_apps.core.pagination.PageNumbers",
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cities of Learning API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from drf-spectacular-sidecar, served by the app (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# ---------------------------------------------------------------------------
# Open Badges: issuers' private signing keys are stored encrypted with a key derived
# from this secret (set it in production, and keep it apart from the database backups).
# ---------------------------------------------------------------------------
BADGES_KEY_SECRET = env.str("BADGES_KEY_SECRET", default="") or _local_secret_key(
    "badges_key_secret"
)

# ---------------------------------------------------------------------------
# Maps: the tile server the browser loads map images from (no library from a CDN);
# "" = no tiles (coordinates and a bare map), as in tests.
# ---------------------------------------------------------------------------
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)

# Address search of the venue form (tenant_apps.catalogue.geocoding): the territory's
# own places answer offline; a Nominatim-compatible search URL (e.g.
# https://nominatim.openstreetmap.org/search) adds an open geocoder. Off by default.
GEOCODER_URL = env.str("GEOCODER_URL", default="")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=3.0)
GEOCODER_USER_AGENT = env.str(
    "GEOCODER_USER_AGENT", default="cities-of-learning/1 (venue address search)"
)

# ---------------------------------------------------------------------------
# Email
# ---------------------------------------------------------------------------
# Any Django backend: SMTP (EMAIL_HOST, ...) or an anymail provider, e.g.
# EMAIL_BACKEND=anymail.backends.amazon_ses.EmailBackend, or ...mailgun.EmailBackend with
# ANYMAIL='{"MAILGUN_API_KEY": "..."}'. Sending always goes through the email task
# (shared_apps/ops/email.py), retried by a worker.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cities of Learning <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# For django.core.mail.backends.filebased.EmailBackend (a staging server's "outbox").
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(DATA_DIR / "outbox"))
ANYMAIL = env.json("ANYMAIL", default={})
# Sent emails hold addresses and sign-in links: kept this long, then deleted.
OUTBOUND_EMAIL_KEEP_DAYS = env.int("OUTBOUND_EMAIL_KEEP_DAYS", default=7)

# ---------------------------------------------------------------------------
# Errors and logs: no personal data (most users are minors)
# ---------------------------------------------------------------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development")
# /metrics: scraped directly from these networks (never through the proxy), or with
# "Authorization: Bearer $METRICS_TOKEN" from anywhere.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
# "json" in production (deploy/): one object per line with the request id and territory.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "shared_apps.ops.logcontext.ContextFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(territory)s %(request_id)s] "
            "%(message)s"
        },
        "json": {"()": "shared_apps.ops.logcontext.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs carry URLs and hosts, never bodies or cookies.
        "django.server": {"level": "INFO"},
        "django.db.backends": {"level": "INFO"},
    },
}

from shared_apps.ops.sentry import init_sentry  # noqa: E402

init_sentry(SENTRY_DSN, environment=SENTRY_ENVIRONMENT)
