"""Configuration classes; the only module that reads the environment."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class Config:
    """Defaults for a developer machine; every key can be overridden from the environment."""

    # A developer's machine (`make run` sets DIRECTORY_DEV=1): a secret key is generated into
    # the instance folder when none is set, and localhost is a trusted host. Elsewhere the
    # app refuses to start without SECRET_KEY and PUBLIC_URL.
    DEVELOPMENT = os.environ.get("DIRECTORY_DEV", "0") == "1"
    # Signs the session cookie and the status and edit links: required in production.
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    # Database URL; SQLite in the instance folder when unset (filled in by create_app).
    # PostgreSQL example: postgresql+psycopg://user:password@host/dbname
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # Folder of the Whoosh index; "<instance>/search-index" when unset.
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR")
    # Rebuild the index at start-up when it is missing, unreadable or of an older schema.
    SEARCH_REBUILD_ON_START = os.environ.get("SEARCH_REBUILD_ON_START", "1") == "1"
    # Results per page on the search page.
    SEARCH_PER_PAGE = int(os.environ.get("SEARCH_PER_PAGE", "20"))
    # Rendered home and search pages kept per worker process for anonymous visitors
    # (directory/page_cache.py); 0 turns the cache off.
    PAGE_CACHE_SIZE = int(os.environ.get("PAGE_CACHE_SIZE", "256"))
    # Folder holding taxonomy.json and providers.json for `flask seed`.
    SEED_DIR = os.environ.get("SEED_DIR", str(ROOT / "seed"))
    # The needs-and-tools vocabulary searches are read with (services/vocabulary.py); read at
    # run time, not loaded into the database.
    VOCABULARY_FILE = os.environ.get("VOCABULARY_FILE", str(ROOT / "seed" / "vocabulary.json"))
    # Locale of the interface when neither ?lang=, the cookie nor the browser decide.
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    # Locales the interface is translated into, in the order shown by the language switch.
    LANGUAGES = ("fr", "en")
    # Lifetime of the language cookie, in seconds (one year).
    LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Outgoing email. With no MAIL_SERVER, emails are written to MAIL_OUTBOX_DIR (default
    # "<instance>/mail") as .eml files instead of being sent.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    # STARTTLS on a plain connection (port 587), or TLS from the start (port 465).
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_TIMEOUT = 10
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Libre Assos <annuaire@localhost>")
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", "")
    # Public address of the site (scheme, host, and path if not at the root): every link the
    # app writes (emails, feeds, sitemap, redirects) is built from it, never from the
    # request's Host header. Required outside development; http://127.0.0.1:5000 there.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    # Host names a request may name in its Host header; others get a 400. Comma-separated;
    # when unset, PUBLIC_URL's host (plus localhost and 127.0.0.1 in development and tests).
    TRUSTED_HOSTS = _list(os.environ.get("TRUSTED_HOSTS", "")) or None
    # Reverse proxies in front of the app whose X-Forwarded-For and X-Forwarded-Proto are
    # trusted (Werkzeug's ProxyFix): 1 behind one nginx or Caddy; 0 (off) when the app is
    # reached directly, where these headers are anyone's to forge.
    TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))
    # Emails sent are kept in the outbox table this many days (for the operator to see what
    # went out), then pruned by `flask purge`: their bodies hold private addresses and links.
    OUTBOX_RETENTION_DAYS = int(os.environ.get("OUTBOX_RETENTION_DAYS", "7"))

    # Legal notice (/legal): who publishes the directory and who hosts it. The operator must
    # fill in the host; an empty value is shown as a visible "to be completed" placeholder.
    SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", "Association Libre Assos")
    SITE_PUBLISHER_ADDRESS = os.environ.get("SITE_PUBLISHER_ADDRESS", "")
    SITE_PUBLICATION_DIRECTOR = os.environ.get("SITE_PUBLICATION_DIRECTOR", "")
    SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "")
    SITE_HOST_NAME = os.environ.get("SITE_HOST_NAME", "")
    SITE_HOST_ADDRESS = os.environ.get("SITE_HOST_ADDRESS", "")

    # Folder of uploaded logos; "<instance>/uploads/logos" when unset.
    LOGO_DIR = os.environ.get("LOGO_DIR", "")
    # Largest accepted request body (the logo limit is 2 MB; the rest of the form is small).
    MAX_CONTENT_LENGTH = 3 * 1024 * 1024
    # Lifetime of a provider's edit link, in seconds (30 days).
    EDIT_LINK_MAX_AGE = int(os.environ.get("EDIT_LINK_MAX_AGE", str(30 * 24 * 3600)))
    # Yearly check: a provider not verified for VERIFY_AFTER_DAYS gets a reminder; after
    # VERIFY_GRACE_DAYS more, the entry shows a "to be verified" badge.
    VERIFY_AFTER_DAYS = int(os.environ.get("VERIFY_AFTER_DAYS", "365"))
    VERIFY_GRACE_DAYS = int(os.environ.get("VERIFY_GRACE_DAYS", "60"))
    # A second reminder this many days after the first one, when it had no answer.
    VERIFY_SECOND_REMINDER_DAYS = int(os.environ.get("VERIFY_SECOND_REMINDER_DAYS", "30"))
    # An entry not verified for this many days (2 years) is taken offline, and its provider
    # is told how to bring it back (confirming it through the edit link).
    FRESHNESS_UNPUBLISH_DAYS = int(os.environ.get("FRESHNESS_UNPUBLISH_DAYS", "730"))

    # Retention: personal data of rejected applications, and of applications left unanswered
    # after a request for changes, is erased after this many days by `flask purge`.
    PURGE_REJECTED_DAYS = int(os.environ.get("PURGE_REJECTED_DAYS", "183"))
    PURGE_ABANDONED_DAYS = int(os.environ.get("PURGE_ABANDONED_DAYS", "365"))
    # Messages written to providers through their contact form: the sender's name, address
    # and text are erased this many days after sending (about 6 months) by `flask purge`.
    CONTACT_RETENTION_DAYS = int(os.environ.get("CONTACT_RETENTION_DAYS", "183"))
    # Days after a message to a provider before its sender is invited to leave a testimonial
    # (sent by the daily send-reminders); a testimonial's text is at most this long.
    TESTIMONIAL_DELAY_DAYS = int(os.environ.get("TESTIMONIAL_DELAY_DAYS", "42"))
    TESTIMONIAL_MAX_LENGTH = 1500
    # Lifetime, in seconds, of the link a visitor gets to confirm its email and write its
    # testimonial (7 days); `flask purge` deletes the waiting invitations once it is over.
    TESTIMONIAL_LINK_MAX_AGE = 7 * 24 * 3600
    # The index change log that app servers replay is pruned by `flask purge` after this many
    # days; a server whose index lags further behind must run `flask reindex`.
    INDEX_CHANGE_RETENTION_DAYS = int(os.environ.get("INDEX_CHANGE_RETENTION_DAYS", "30"))

    # Login protection (services/lockout.py): failed attempts on one email from one client
    # address, and on any email from one address, before that address is locked out (of that
    # email, or of every account) for what remains of a window of LOGIN_LOCK_MINUTES.
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
    LOGIN_LOCK_MINUTES = 15
    # Flask-Limiter: storage shared by the workers: "redis://host:6379" when set, otherwise
    # counters in the app's database (filled in by create_app); then the limits.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")
    RATELIMIT_HEADERS_ENABLED = True
    APPLY_RATE_LIMIT = os.environ.get("APPLY_RATE_LIMIT", "10 per hour")
    EDIT_LINK_RATE_LIMIT = os.environ.get("EDIT_LINK_RATE_LIMIT", "5 per hour")
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per hour")
    # Contact form: messages sent per sender email and, apart, per client address (counted
    # by services/contact.py in the same storage: refused with the typed text kept), and
    # posts of any kind per client address (Flask-Limiter, forged ones included).
    CONTACT_RATE_LIMIT = os.environ.get("CONTACT_RATE_LIMIT", "5 per hour")
    CONTACT_FORM_RATE_LIMIT = os.environ.get("CONTACT_FORM_RATE_LIMIT", "30 per hour")
    # A message holds at most this many characters and this many links (spam carries links).
    CONTACT_MAX_LENGTH = 5000
    CONTACT_MAX_LINKS = 2
    # Reports of a problem with an entry (services/reports.py): per client address and,
    # when given, per email, counted like the contact form's; posts of any kind per client
    # address; the same limits on the optional message's length and links.
    REPORT_RATE_LIMIT = os.environ.get("REPORT_RATE_LIMIT", "5 per hour")
    REPORT_FORM_RATE_LIMIT = os.environ.get("REPORT_FORM_RATE_LIMIT", "30 per hour")
    REPORT_MAX_LENGTH = 2000
    REPORT_MAX_LINKS = 2
    # Visitors asking for a link to leave a testimonial (services/visitor_testimonials.py):
    # per client address and per email, counted like the contact form's.
    TESTIMONIAL_RATE_LIMIT = os.environ.get("TESTIMONIAL_RATE_LIMIT", "5 per hour")
    # Compressed responses (directory/compression.py, Flask-Compress): brotli for browsers
    # that take it, gzip otherwise, for pages, API, feeds, exports and static text files.
    # COMPRESS_RESPONSES=0 leaves it to a reverse proxy in front.
    COMPRESS_RESPONSES = os.environ.get("COMPRESS_RESPONSES", "1") == "1"
    COMPRESS_ALGORITHM = ["br", "gzip"]
    # Brotli 5: about 10 % smaller than gzip 6 for the same time (3 ms for a 64 kB page).
    COMPRESS_BR_LEVEL = 5
    # What is worth compressing among what the app serves (images other than SVG already are).
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/csv",
        "text/plain",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/xml",
        "application/atom+xml",
        "application/opensearchdescription+xml",
        "image/svg+xml",
    ]
    # Streamed bodies (static files) too: Flask-Compress's default leaves gzip out of these.
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]
    # Flask-Compress's own hook is not registered: compression.init_app places one where it
    # runs after the page cache has kept the plain page.
    COMPRESS_REGISTER = False
    # Pages link a stylesheet's minified copy (X.min.css, built from X.css by
    # tools/minify_css.py: `make install` and the deployment steps) when it was made from the
    # source as it is now (directory/static_files.py). Off on a developer's machine, where
    # the browser's tools then show the source; MINIFIED_CSS=1 or 0 decides anywhere.
    MINIFIED_CSS = os.environ.get("MINIFIED_CSS", "0" if DEVELOPMENT else "1") == "1"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Set SECURE_COOKIES=1 when served over HTTPS (production): Secure, __Host- cookies.
    SECURE_COOKIES = os.environ.get("SECURE_COOKIES", "0") == "1"
    # Moderator sessions end after this much inactivity, and after this long in any case.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))


class TestConfig(Config):
    """Settings for the test suite: an isolated database and index, no rebuild on start."""

    TESTING = True
    DEVELOPMENT = False
    SECRET_KEY = "test-secret"
    # The test client's default host, so that absolute links read http://localhost/...
    PUBLIC_URL = "http://localhost"
    TRUSTED_HOSTS = None
    SQLALCHEMY_DATABASE_URI = None
    SEARCH_REBUILD_ON_START = False
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = False
    # Off, so that a test that changes the world behind the app's back (a broken index, a
    # patched clock) sees it at once; tests/functional/test_page_cache.py turns it on.
    PAGE_CACHE_SIZE = 0
    # Off, so that no page test depends on whether `make install` built the minified copies;
    # tests/functional/test_minified_css.py turns it on.
    MINIFIED_CSS = False
