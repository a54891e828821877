"""Recovery Finder settings: one module, driven by environment variables.

Development defaults are safe (SQLite under var/, DEBUG off unless asked for);
a bad value fails loudly at start-up rather than quietly misbehaving.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-not-secret"

# Loopback is always allowed so the container's own health check reaches /healthz.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") + ["localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "groups",
    "meetings",
    "staff",
    "reports",
    "data_version",
    "signin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "recovery_finder.middleware.ContentSecurityPolicyMiddleware",
    "meetings.http_cache.PublicCacheMiddleware",
    # The language first (it reads no session), then kept search pages, served before
    # the session, CSRF, authentication and messages middleware (meetings/page_cache.py).
    "django.middleware.locale.LocaleMiddleware",
    "meetings.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "signin.middleware.SecondStepMiddleware",
    # Names the signed-in user on history records of changes made in a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first, so a locked-out username and client is refused before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "recovery_finder.urls"
WSGI_APPLICATION = "recovery_finder.wsgi.application"

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
                "recovery_finder.context_processors.site",
                "recovery_finder.languages.context",
            ],
        },
    },
    {
        # The search results' rows only (meetings/templatetags/results.py says why);
        # every other page, the admin included, is on Django templates.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "recovery_finder.jinja2_environment.environment"},
    },
]

(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'recovery_finder.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a management command writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query it expects to be costly (the whole-directory feeds, a
    # search over much of the country) to machine code first: some 20 ms each time, for
    # queries that run in 100 to 200 ms and then faster without it. Off unless the
    # database URL sets ?options= itself.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at the addresses partners link to, Welsh under /cy/ (recovery_finder/urls.py).
# With i18n_patterns(prefix_default_language=False), LocaleMiddleware takes the language
# from the URL's prefix alone: an address without one is LANGUAGE_CODE, whatever the
# browser's Accept-Language or a cookie says, and it never sets a cookie.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
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

# Uploaded import files between the staff page's check and its confirm step: private to
# the server's user (files 0600 in a 0700 folder), deleted when the import ends. With
# several web hosts, IMPORT_UPLOAD_DIR must be a folder they share.
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR", "") or BASE_DIR / "var" / "imports")
STORAGES["imports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": IMPORT_UPLOAD_DIR, "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700},
}
IMPORT_MAX_BYTES = 50 * 1024 * 1024  # a feed of 60,000 meetings; more is not a feed

CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Pieces of pages that depend only on the code, the language and values in their
    # keys (the header and footer in templates/base.html, the search filters in
    # templates/meetings/search.html). Per process, on purpose: reading them from Redis
    # would cost more than rendering them.
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                  "LOCATION": "fragments"},
    # The feeds most asked for, gzipped, as kept in "default" (meetings/feed_http.py): a
    # copy per process saves fetching megabytes from Redis for every request. A dozen at
    # most (about 30 MB a process at 50,000 meetings); keyed by the data version.
    "feeds": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
              "LOCATION": "feeds", "OPTIONS": {"MAX_ENTRIES": 12}},
    # Whole search pages, JSON and embeds for visitors (meetings/page_cache.py), kept
    # under the data version until their wording would change (an hour at most). Apart
    # from "default" so that, in local memory, a flood of different searches never pushes
    # out the report form's rate-limit counts.
    "pages": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
         "KEY_PREFIX": "pages"}
        if CACHE_URL
        # About 30 KB a page (5 KB gzipped): at most 15 MB a process.
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages",
              "OPTIONS": {"MAX_ENTRIES": 500}}
    ),
    # Failed staff sign-ins, counted by django-axes. Shared by every process only with
    # CACHE_URL: in local memory each gunicorn worker counts on its own.
    "signin": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
         "KEY_PREFIX": "signin"}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "signin"}
    ),
}

# Kept pages are in one cache every process and host shares (Redis): they are checked
# against a data version announced there by every commit, with no database query. In
# local memory, each process reads the data version from the database instead.
PAGE_CACHE_SHARED = bool(CACHE_URL)

# Keep search pages, their JSON and embeds for visitors for a minute (meetings/page_cache.py,
# docs/deployment.md). On by default in production; off with DEBUG so a template being
# edited shows at once.
PAGE_CACHE = env_bool("PAGE_CACHE", not DEBUG)

# The whole-directory feeds take turns on each host (meetings/feed_turns.py), at most this
# many a second after a burst of as many (0: no turns).
FEED_TURNS_PER_SECOND = env_int("FEED_TURNS_PER_SECOND", 100)

# Who is asking (recovery_finder/client_address.py): how many proxies of ours (load
# balancers) append to X-Forwarded-For in front of the web hosts. 0 trusts no header.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Staff sign-in (docs/staff.md). Repeated failures lock out one username from one client
# for a while; the client is counted by a keyed hash of its address, which is never stored.
SIGNIN_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
SIGNIN_LOCKOUT_MINUTES = env_int("SIGNIN_LOCKOUT_MINUTES", 15)
if SIGNIN_FAILURE_LIMIT < 1 or SIGNIN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured("SIGNIN_FAILURE_LIMIT and SIGNIN_LOCKOUT_MINUTES must be 1 or more.")
# The cache handler: nothing about an attempt is written to the database, and the cache
# holds only a count under a hash of the username and the client's pseudonym.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "signin"
AXES_FAILURE_LIMIT = SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=SIGNIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "recovery_finder.client_address.for_signin"
AXES_CLIENT_STR_CALLABLE = "signin.lockout.describe_client"
AXES_LOCKOUT_CALLABLE = "signin.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
# Its admin pages list database records, which the cache handler never writes.
AXES_ENABLE_ADMIN = False
# A locked-out client that keeps trying does not push the end of its lockout further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A second step (django-otp): an authenticator app's code, or a printed backup code.
# Optional for staff; required of superusers in production, never in development.
OTP_REQUIRED_FOR_SUPERUSERS = env_bool("OTP_REQUIRED_FOR_SUPERUSERS", not DEBUG)
OTP_TOTP_ISSUER = "Recovery Finder"
SILENCED_SYSTEM_CHECKS = []
if DEBUG and not CACHE_URL:
    # axes.W001: local memory counts per process, which is fine for one development server.
    SILENCED_SYSTEM_CHECKS.append("axes.W001")

# Visitors who only browse and search never get a cookie: sessions and CSRF
# cookies exist only for staff in the admin (and forms that post).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    # The load balancer terminates TLS and redirects http to https itself (it sees every
    # request first); it tells us the scheme in X-Forwarded-Proto, which it must set itself,
    # never pass on from the client (docs/deployment.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    if not SECURE_SSL_REDIRECT:
        # security.W008 asks Django to redirect to https: the load balancer does.
        SILENCED_SYSTEM_CHECKS.append("security.W008")
    # HSTS: browsers use only https here for a year, subdomains included. Browsers remember
    # it, so a first deployment sets SECURE_HSTS_SECONDS=0 until https works everywhere.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    if SECURE_HSTS_SECONDS < 0:
        raise ImproperlyConfigured("SECURE_HSTS_SECONDS must be 0 (off) or more.")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # security.W021 asks for preloading: a request to the browser makers that takes
        # months to undo, for whoever owns the domain to decide, not a default.
        SILENCED_SYSTEM_CHECKS.append("security.W021")

# An optional geopy geocoder for full street addresses (e.g. "nominatim").
# Off by default: postcodes and place names resolve offline.
STREET_GEOCODER = os.environ.get("STREET_GEOCODER", "")
STREET_GEOCODER_USER_AGENT = os.environ.get("STREET_GEOCODER_USER_AGENT", "recovery-finder")

# Optional street map tiles (docs/deployment.md): the operator's own tile server, or a
# provider they have chosen, as a URL with {z}, {x} and {y}. Empty, the default: the only
# maps are the ones our server draws, and no page asks anything of another site. Set, a
# visitor may ask for a street map, and only that page loads tiles from this server.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "")
if MAP_TILES_URL and not (
    MAP_TILES_URL.startswith(("http://", "https://"))
    and all(part in MAP_TILES_URL for part in ("{z}", "{x}", "{y}"))
):
    raise ImproperlyConfigured(
        "MAP_TILES_URL must be an http(s) address with {z}, {x} and {y}, such as "
        f"https://tiles.example/{{z}}/{{x}}/{{y}}.png, not {MAP_TILES_URL!r}"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"drop_query_string": {"()": "recovery_finder.logs.DropQueryString"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "filters": ["drop_query_string"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Request lines name the searched place in their query string: log the path only.
    "loggers": {
        "django.server": {"handlers": ["requests"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["requests"], "level": "WARNING", "propagate": False},
        # Failed sign-ins and lockouts (named by username only), not every start-up and sign-in.
        "axes": {"level": "WARNING"},
    },
}
# The site's address, for links printed outside a request (manage.py add_volunteer).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}")
LOGIN_URL = "admin:login"  # where the password-set page sends a volunteer next
# Reports from visitors (reports app): how many one client may send in an hour (the client
# found as TRUSTED_PROXY_COUNT above says).
REPORTS_PER_HOUR = env_int("REPORTS_PER_HOUR", 5)

# Staff replies to reporters. Without EMAIL_HOST mail goes to the console (development),
# and the review page offers no reply in production, so no address is written to a log.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Recovery Finder <noreply@localhost>")
REPORT_REPLIES = env_bool("REPORT_REPLIES", bool(EMAIL_HOST) or DEBUG)

CODEPOINT_RELEASE_YEAR = os.environ.get("CODEPOINT_RELEASE_YEAR", "2024")
# Staff typing "example.org" into a URL field mean https (Django 6 default).
FORMS_URLFIELD_ASSUME_HTTPS = True
