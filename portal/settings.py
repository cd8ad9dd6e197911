"""The portal's one settings module, read from the environment (see .env.example and README)."""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret(filename: str, make) -> str:
    """A development secret created once and kept in an ignored file under var/."""
    path = VAR_DIR / filename
    if not path.exists():
        # Written aside, then linked into place: processes starting together (parallel test
        # workers) all end up with the first one's secret, never a half-written file.
        draft = path.with_name(f".{filename}.{os.getpid()}")
        draft.write_text(make())
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
# pytest (8.2+) sets PYTEST_VERSION while it runs, and only the suite imports pytest: both
# must hold before the test-only shortcuts (development secrets, fast hashing) switch on.
TESTING = bool(os.environ.get("PYTEST_VERSION")) and "pytest" in sys.modules
DEVELOPMENT_SECRETS_ALLOWED = DEBUG or TESTING

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEVELOPMENT_SECRETS_ALLOWED:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = local_secret("dev-secret-key", lambda: secrets.token_urlsafe(50))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "portal.accounts",
    "portal",
    "portal.payments",
    "portal.attendance",
    "portal.reports",
    "portal.outcomes",
    "cms",
    "courses",
    "volunteers",
    "programmes",
    "referrals",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Front end and jobs
    "crispy_forms",
    "crispy_forms_gds",
    "django_q",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.sites",
]
if TESTING:
    # The places engine's own offerings and holdings, for its tests (never in production).
    INSTALLED_APPS.append("tests.places_app")
    # A register source of the tests' own (series of meetings): tests/attendance/series_app.
    INSTALLED_APPS.append("tests.attendance.series_app")
    # An outcome subject of the tests' own (a member of a group): tests/outcomes/subject_app.
    INSTALLED_APPS.append("tests.outcomes.subject_app")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a reader with no cookie may get a whole public page from the cache.
    "cms.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.NoReferrerCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.PrivateWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.accounts.middleware.SecondFactorGuardsItselfMiddleware",
    "portal.middleware.StaffMFARequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default is shared by the web server and the task worker (two processes,
    # many threads). WAL lets readers and the one writer work at once; every transaction
    # takes the write lock when it begins (IMMEDIATE), so a transaction that read first can
    # never fail at its first write with "database is locked" (SQLite does not wait then);
    # writers queue for up to `timeout` seconds instead. FULL: each commit is on disk when
    # it returns, as on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login lockouts, rate limits and used authenticator codes live in the cache, so every web
# process must share it: Redis when configured, otherwise a table in the database (made by
# portal's migration 0003). A per-process cache would let each of 4 workers count failures
# and used codes on its own; `check --deploy` refuses one (portal.accounts.checks).
DATABASE_CACHE_TABLE = "portal_cache"
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif TESTING:
    # One process, and tests that need no database may still touch the cache; the tests of
    # sharing use the database cache themselves (tests/portal/test_shared_cache.py).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
        }
    }

# django-q2: Redis as the broker when configured, the database otherwise.
# With the database as broker a task is taken with a compare-and-set and, unless acknowledged,
# handed out again `retry` seconds later: `retry` must outlast `timeout` (a task running past
# it is killed), and every outcome, failures too, is acknowledged and attempted once. Jobs
# keep their own retries (the outbox's, with backoff) and are idempotent, because a broker
# can still deliver twice (an acknowledgement lost with a crash).
Q_CLUSTER = {
    "name": "portal",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 60,
    "retry": 120,
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 1000,
    # In tests tasks run inline so that what was queued can be asserted at once.
    "sync": env_bool("Q_SYNC", TESTING),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# One way to sign in, allauth's (rate limits, email verification, the second factor): the
# staff area's and Wagtail's front-end sign-in lead there too (see portal.urls).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_account"
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "portal.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Never email an address that has no account: anyone could make us write to anyone's inbox.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# A reset or sign-up request does the same work whether or not the address has an account
# (portal.accounts.forms): its answer's speed must not tell who has one.
ACCOUNT_FORMS = {
    "reset_password": "portal.accounts.forms.ResetPasswordForm",
    "signup": "portal.accounts.forms.SignupForm",
}
# TOTP secrets and recovery-code seeds are stored encrypted with the field keys.
MFA_ADAPTER = "portal.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("SERVICE_NAME", "Community DA Service")

# Council staff are recognised by a verified address on one of these domains.
COUNCIL_EMAIL_DOMAINS = env_list("COUNCIL_EMAIL_DOMAINS", "council.example.gov.uk")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: the console in development, SMTP (or whatever EMAIL_BACKEND names) in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds before a silent mail server is given up on (Django's default waits for ever, which
# would hold an outbox claim, and a worker, until the task is killed).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
SERVICE_NAME = os.environ.get("SERVICE_NAME", "Community DA Service")
# The service's postal address, comma-separated, printed on invoices under its name.
SERVICE_ADDRESS = os.environ.get("SERVICE_ADDRESS", "")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"{SERVICE_NAME} <noreply@portal.example.org.uk>"
)
# What a survivor sees in the From line and subject when discreet mode is on.
DISCREET_FROM_EMAIL = os.environ.get(
    "DISCREET_FROM_EMAIL", "Appointments <noreply@portal.example.org.uk>"
)
DISCREET_SUBJECT = os.environ.get("DISCREET_SUBJECT", "Your appointment")
# Text messages: a class with send(to, body) (see portal/sms.py); empty means no provider.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "")
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", VAR_DIR / "sms"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Referrals (the front door for support). High-risk cases go to the MARAC and IDVA route,
# whose contact the forms show; a referral is flagged for review after this many failed
# contact attempts; postcode areas ("RV1:north,RV2:central") choose a locality from a postcode.
REFERRALS_HIGH_RISK_NAME = os.environ.get("REFERRALS_HIGH_RISK_NAME", "the MARAC and IDVA service")
REFERRALS_HIGH_RISK_PHONE = os.environ.get("REFERRALS_HIGH_RISK_PHONE", "01632 960 100")
REFERRALS_HIGH_RISK_EMAIL = os.environ.get(
    "REFERRALS_HIGH_RISK_EMAIL", "marac@council.example.gov.uk"
)
REFERRALS_FAILED_ATTEMPTS_FOR_REVIEW = int(
    os.environ.get("REFERRALS_FAILED_ATTEMPTS_FOR_REVIEW", "3")
)
REFERRALS_POSTCODE_AREAS = dict(
    pair.split(":", 1)
    for pair in env_list(
        "REFERRALS_POSTCODE_AREAS",
        "RV1:north,RV2:north,RV3:central,RV4:central,RV7:south,RV8:south",
    )
)
if REFERRALS_FAILED_ATTEMPTS_FOR_REVIEW < 1:
    raise ImproperlyConfigured("REFERRALS_FAILED_ATTEMPTS_FOR_REVIEW must be 1+.")
# Days after a referral was closed (or passed to another service) that it is anonymised.
REFERRALS_RETENTION_DAYS = int(os.environ.get("REFERRALS_RETENTION_DAYS", "730"))
if REFERRALS_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("REFERRALS_RETENTION_DAYS must be 1 or more.")
# Days after a programme place ended (left, or the group's last week) that it is anonymised.
PROGRAMMES_RETENTION_DAYS = int(os.environ.get("PROGRAMMES_RETENTION_DAYS", "730"))
if PROGRAMMES_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("PROGRAMMES_RETENTION_DAYS must be 1 or more.")

# Stripe
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Where the stripe library sends its requests; tests point this at a local stand-in.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")

# Places: how long places are held while a person pays by card, and how long freed places
# are offered to the next waiting-list entry before passing on.
PLACES_PAYMENT_HOLD_MINUTES = int(os.environ.get("PLACES_PAYMENT_HOLD_MINUTES", "15"))
PLACES_OFFER_HOURS = int(os.environ.get("PLACES_OFFER_HOURS", "48"))
if PLACES_PAYMENT_HOLD_MINUTES < 1 or PLACES_OFFER_HOURS < 1:
    raise ImproperlyConfigured("PLACES_PAYMENT_HOLD_MINUTES and PLACES_OFFER_HOURS must be 1+.")


# Volunteers: days a referee has before the first and second reminders, and before the
# reference is marked failed; years a DBS check lasts before the service renews it, and the
# days before renewal the coordinator is reminded; days each onboarding stage should take.
def _days(name: str, default: str) -> list[int]:
    try:
        days = sorted(int(part) for part in os.environ.get(name, default).split(",") if part)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be comma-separated whole days.") from None
    if any(day < 1 for day in days):
        raise ImproperlyConfigured(f"{name} must be 1 or more days each.")
    return days


VOLUNTEER_REFERENCE_REMINDER_DAYS = _days("VOLUNTEER_REFERENCE_REMINDER_DAYS", "7,14")
VOLUNTEER_REFERENCE_FAIL_DAYS = int(os.environ.get("VOLUNTEER_REFERENCE_FAIL_DAYS", "21"))
if VOLUNTEER_REFERENCE_REMINDER_DAYS and (
    VOLUNTEER_REFERENCE_REMINDER_DAYS[-1] >= VOLUNTEER_REFERENCE_FAIL_DAYS
):
    raise ImproperlyConfigured("References must be reminded before they are marked failed.")
VOLUNTEER_DBS_RENEWAL_YEARS = int(os.environ.get("VOLUNTEER_DBS_RENEWAL_YEARS", "3"))
VOLUNTEER_DBS_RENEWAL_REMINDER_DAYS = _days("VOLUNTEER_DBS_RENEWAL_REMINDER_DAYS", "60,30,7")
# Days after an application was withdrawn or not progressed that its personal details,
# references and DBS record are anonymised (the row is kept, to be counted).
VOLUNTEER_RETENTION_DAYS = int(os.environ.get("VOLUNTEER_RETENTION_DAYS", "365"))
if VOLUNTEER_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("VOLUNTEER_RETENTION_DAYS must be 1 or more.")
VOLUNTEER_STAGE_TARGET_DAYS = {
    "applied": 5,
    "screening": 7,
    "interview": 14,
    "references": 21,
    "dbs": 28,
    "training": 42,
    "agreement": 7,
}
for _part in filter(None, os.environ.get("VOLUNTEER_STAGE_TARGET_DAYS", "").split(",")):
    _stage, _, _target = _part.strip().partition("=")
    if _stage not in VOLUNTEER_STAGE_TARGET_DAYS or not _target.isascii() or not _target.isdigit():
        raise ImproperlyConfigured(
            "VOLUNTEER_STAGE_TARGET_DAYS takes stage=days pairs, stages among "
            + ", ".join(VOLUNTEER_STAGE_TARGET_DAYS)
        )
    VOLUNTEER_STAGE_TARGET_DAYS[_stage] = int(_target)

# Volunteer shifts: a volunteer cancels their own place up to this many hours before it
# starts (after that they ring their coordinator); each is reminded this many hours before;
# the coordinator's at-risk list holds shifts starting within this many days not yet full.
VOLUNTEER_SHIFT_CANCEL_HOURS = int(os.environ.get("VOLUNTEER_SHIFT_CANCEL_HOURS", "24"))
VOLUNTEER_SHIFT_REMINDER_HOURS = int(os.environ.get("VOLUNTEER_SHIFT_REMINDER_HOURS", "24"))
VOLUNTEER_SHIFT_AT_RISK_DAYS = int(os.environ.get("VOLUNTEER_SHIFT_AT_RISK_DAYS", "7"))
if min(VOLUNTEER_SHIFT_CANCEL_HOURS, VOLUNTEER_SHIFT_REMINDER_HOURS) < 0 or (
    VOLUNTEER_SHIFT_AT_RISK_DAYS < 1
):
    raise ImproperlyConfigured("Volunteer shift hours cannot be negative, nor at-risk days < 1.")

# Field encryption: comma-separated Fernet keys, newest first. The first encrypts; all decrypt.
# Blind indexes (finding an encrypted email without decrypting): keys newest first, likewise.
# Both are checked here, so a bad key stops start-up (and `check --deploy`) with a clear
# message instead of failing at the first encrypted read or write.
from portal.crypto import validate_blind_index_keys, validate_fernet_keys  # noqa: E402

FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    if not DEVELOPMENT_SECRETS_ALLOWED:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off.")
    from cryptography.fernet import Fernet

    FIELD_ENCRYPTION_KEYS = [local_secret("dev-field-key", lambda: Fernet.generate_key().decode())]
validate_fernet_keys("FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS)

BLIND_INDEX_KEYS = env_list("BLIND_INDEX_KEYS")
if not BLIND_INDEX_KEYS:
    if not DEVELOPMENT_SECRETS_ALLOWED:
        raise ImproperlyConfigured("BLIND_INDEX_KEYS must be set when DEBUG is off.")
    BLIND_INDEX_KEYS = [local_secret("dev-blind-index-key", lambda: secrets.token_urlsafe(32))]
validate_blind_index_keys("BLIND_INDEX_KEYS", BLIND_INDEX_KEYS)

# Exit this page: where the quick exit lands. Only this address is ever redirected to off-site.
EXIT_PAGE_URL = os.environ.get("EXIT_PAGE_URL", "https://www.bbc.co.uk/weather")

# Security headers
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG and not TESTING
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Our CSRF middleware is Django's, subclassed to accept the `Origin: null` that browsers send
# under Referrer-Policy: no-referrer (see portal.middleware); the check cannot see that.
SILENCED_SYSTEM_CHECKS = ["security.W003"]
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

WAGTAIL_SITE_NAME = SERVICE_NAME
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = False  # allauth's reset, with its rate limits, is the one way
# Avatars from Gravatar would be a request to a third party from every admin page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Autosave is off: on an "add" screen (a drop-in) it saved the half-typed snippet, and the later
# Publish then created a second one (two drop-ins from one form), and each autosave of a form
# not yet valid answered 400. Editors save drafts with "Save draft"; revisions keep the history.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAILADMIN_COMMENTS_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
