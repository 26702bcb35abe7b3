"""Settings shared by every environment; values come from the environment (see .env.example)."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.csp import CSP

from clea.audit.tracking import TRACKED_MODELS

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rules.apps.AutodiscoverRulesConfig",
    "clea.lib",
    "clea.geography",
    "clea.referentiel",
    "clea.accounts",
    "clea.organisations",
    "clea.notifications",
    "clea.dossiers",
    "clea.evaluations",
    "clea.referrals",
    "clea.meetings",
    "clea.training",
    "clea.funding",
    "clea.absences",
    "clea.jury",
    "clea.certificates",
    "clea.candidates",
    "clea.privacy",
    "clea.directory",
    "clea.quality",
    "clea.campaigns",
    "clea.pages",
    "auditlog",
    "clea.audit",
    "clea.api",
    "clea.demo",
    "django_ratelimit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "clea.lib.middleware.RequestHygieneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Records who makes each change the audit trail follows (clea/audit/tracking.py).
    "clea.audit.middleware.AuditActorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the login check: a sensitive role proves its second factor before any other page.
    "clea.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Its idle logout runs before the login check of each view (process_view comes after every __call__).
    "clea.accounts.middleware.SessionActivityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "clea.organisations.middleware.CurrentOrganisationMiddleware",
    # Axes last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "clea" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clea.organisations.context_processors.current_organisation",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'clea.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions: the web server and the task worker write concurrently.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Server-side binding lets psycopg prepare a query run 5 times on a connection: PostgreSQL then
    # reuses its plan, and planning a dossier's ten joins costs more than running them (issue 11).
    # DB_PREPARE_THRESHOLD= (empty) turns it off, e.g. behind PgBouncer in transaction mode before 1.21.
    threshold = env.str("DB_PREPARE_THRESHOLD", default="5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=bool(threshold), prepare_threshold=int(threshold) if threshold else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pages:dashboard"
LOGOUT_REDIRECT_URL = "pages:home"

# Two-factor authentication (TOTP): the issuer shown in the person's authenticator application.
OTP_TOTP_ISSUER = "CléA"
# Sessions of the roles that need a second factor end after this long without a request.
SENSITIVE_SESSION_IDLE_MINUTES = env.int("SENSITIVE_SESSION_IDLE_MINUTES", default=30)

# Brute-force protection: lock the (e-mail, IP) pair after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
# The project's own static files (clea/static) belong to no app: list the folder, or collectstatic
# skips it and every page fails in production on a missing manifest entry.
STATICFILES_DIRS = [BASE_DIR / "clea" / "static"]
STORAGES = {
    # Pieces uploaded by organisations: a persistent volume in production (docs/deploy.md).
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("MEDIA_ROOT", default=VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The manifest storage rewrites the DSFR files, so their published checksums no longer match.
DSFR_USE_INTEGRITY_CHECKSUMS = False

# Shared by every process (rate limits, throttles, locks): Redis when REDIS_URL is set, else the database
# (table created by ``createcachetable``, part of the release step).
REDIS_URL = env("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "clea_cache"}
    )
}
# Sessions live in the database: any web process serves any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Number of proxies in front of the web processes that append to X-Forwarded-For (0: REMOTE_ADDR is the
# client). Rate limits and API throttles key on the client address read this way (clea.lib.clients).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
RATELIMIT_USE_CACHE = "default"
if not REDIS_URL:
    # The database cache counts with get-then-set: concurrent lookups may slip one or two past a limit,
    # never a process's worth. REDIS_URL gives atomic counts (docs/deploy.md).
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Load balancers probe health over plain HTTP inside the platform.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "clea.lib.failures.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# ProConnect (professionals) and FranceConnect (candidates): OpenID Connect, enabled when a client id is set.
# The discovery URL gives every endpoint; the provider's origin is allowed as a form target because logging
# out (a POST) ends on its end-session page.
OIDC_PROVIDERS = {
    name: {
        "discovery_url": env(f"{prefix}_DISCOVERY_URL", default=default_url),
        "client_id": env(f"{prefix}_CLIENT_ID", default=""),
        "client_secret": env(f"{prefix}_CLIENT_SECRET", default=""),
        "scope": scope,
        "acr_values": acr_values,
    }
    for name, prefix, default_url, scope, acr_values in [
        (
            "proconnect",
            "PROCONNECT",
            "https://auth.proconnect.gouv.fr/api/v2/.well-known/openid-configuration",
            "openid email given_name usual_name siret uid",
            "",
        ),
        (
            "franceconnect",
            "FRANCECONNECT",
            "https://oidc.franceconnect.gouv.fr/api/v2/.well-known/openid-configuration",
            "openid given_name family_name preferred_username birthdate gender birthplace birthcountry email",
            "eidas1",
        ),
    ]
}
OIDC_FORM_TARGETS = [
    "{0.scheme}://{0.netloc}".format(urlsplit(provider["discovery_url"]))
    for provider in OIDC_PROVIDERS.values()
    if provider["client_id"]
]

# The audit trail (django-auditlog): what it follows is listed in clea/audit/tracking.py; no IP address.
AUDITLOG_INCLUDE_TRACKING_MODELS = TRACKED_MODELS
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_ON_RAW_SAVE = True

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF, *OIDC_FORM_TARGETS],
    "base-uri": [CSP.SELF],
}

MAIL_BACKEND = env("MAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
MAILERS = {"default": {"BACKEND": MAIL_BACKEND}}
if MAIL_BACKEND.endswith("smtp.EmailBackend"):
    # Every SMTP option from the environment (docs/deploy.md): host, port, account, TLS or SSL, timeout.
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=587),
        "username": env("EMAIL_HOST_USER", default=""),
        "password": env("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=True),
        "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
        "timeout": env.int("EMAIL_TIMEOUT", default=20),
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CléA <ne-pas-repondre@clea.example>")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The scheduler process enqueues the daily tasks from this hour on (Paris time), once a day.
DAILY_TASKS_HOUR = env.int("DAILY_TASKS_HOUR", default=2)

# Rule 23 (docs/rgpd.md): how long personal data are kept, in days.
RETENTION_DOSSIER_INACTIVE_DAYS = env.int("RETENTION_DOSSIER_INACTIVE_DAYS", default=730)
RETENTION_NOTICE_DAYS = env.int("RETENTION_NOTICE_DAYS", default=30)
RETENTION_MEETING_REQUEST_INACTIVE_DAYS = env.int("RETENTION_MEETING_REQUEST_INACTIVE_DAYS", default=180)
RETENTION_TASK_RESULTS_DAYS = env.int("RETENTION_TASK_RESULTS_DAYS", default=30)

# One limit for a whole request, files included (clea.lib.middleware answers 413 above it); the form
# fields alone may take all of it, so Django's own check never fires first with its bare 400.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "clea.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "clea.api.pagination.CappedPageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "clea.api.errors.exception_handler",
    "DEFAULT_METADATA_CLASS": "clea.api.metadata.ApiMetadata",
    # Throttles count in the shared cache, per client behind TRUSTED_PROXIES (same reading as the pages).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/min"),
        "user": env("API_THROTTLE_USER", default="1200/min"),
    },
    "NUM_PROXIES": TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API de la plateforme CléA",
    "DESCRIPTION": "Référentiels, dossiers et parcours des candidats CléA et CléA numérique.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "clea.api.schema.document_errors"],
    # Fields of the same name with other choices: stable names for generated clients, not hashes
    # (".values" where the field writes its enum by hand, as clea.api.jury.OutcomeField).
    "ENUM_NAME_OVERRIDES": {
        "DossierStateEnum": "clea.api.dossiers.DOSSIER_STATES",
        "FundingStateEnum": "clea.funding.models.FundingState.values",
        "JuryOutcomeEnum": "clea.jury.models.Outcome.values",
        "MeetingOutcomeEnum": "clea.dossiers.models.MeetingOutcome",
        "SessionStatusEnum": "clea.jury.models.SessionStatus.values",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "clea.lib.logfilters.ScrubPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Axes logs e-mail addresses of failed logins: personal data stays out of the logs.
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Where the référentiel JSON files shipped with the project live.
REFERENTIELS_DIR = BASE_DIR / "clea" / "referentiel" / "data"

# Error monitoring, opt-in (docs/deploy.md): nothing leaves without a DSN, and never personal data.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from clea.lib.monitoring import init_sentry

    init_sentry(
        SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"), release=env("RELEASE", default="")
    )
