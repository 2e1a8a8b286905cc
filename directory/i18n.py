"""Supported locales, the locale selector and the language switch."""

from flask import Flask, current_app, g, request
from flask_babel import get_locale, get_translations

from directory.extensions import babel
from directory.urls import url_with_query

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def supported_locales() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def requested_locale() -> str | None:
    """The locale asked for explicitly with ?lang=, if it is one we support."""
    asked = request.args.get("lang", "")
    return asked if asked in supported_locales() else None


def select_locale() -> str:
    """?lang= first, then the cookie, then Accept-Language, then French."""
    cookie = request.cookies.get(LANGUAGE_COOKIE, "")
    if cookie not in supported_locales():
        cookie = None
    return (
        requested_locale()
        or cookie
        or request.accept_languages.best_match(supported_locales())
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_locale() -> str:
    return str(get_locale())


def page_translations():
    """This request's translations, looked up once per request and locale: Flask-Babel
    finds them again on every call (its request state read three times and the locale's
    name built: 6 µs), and a results page translates about a hundred strings. Keyed on the
    locale object, so that `force_locale` (emails in the reader's language) is obeyed."""
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()
    known = getattr(state, "directory_translations", None)
    if known is None or known[0] is not locale:
        known = state.directory_translations = (locale, get_translations())
    return known[1]


def other_language_url(locale: str, external: bool = False) -> str:
    """The current page in another language: same endpoint and arguments, new ?lang=."""
    return _this_page(locale, external)


def language_alternates() -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of the current page in every language, itself included, and
    "x-default" for the page without ?lang=, where the browser's languages decide: what
    search engines expect of hreflang links (absolute, reciprocal, with a default)."""
    alternates = [(code, _this_page(code, external=True)) for code in supported_locales()]
    return [*alternates, ("x-default", _this_page(None, external=True))]


def _this_page(locale: str | None, external: bool) -> str:
    """The current page with ?lang=locale (none when locale is None); the home page when
    the request matched no route (a 404)."""
    lang = [("lang", locale)] if locale else []
    if request.endpoint is None:
        return url_with_query("search.home", lang, _external=external)
    query = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    view_args = request.view_args or {}
    return url_with_query(request.endpoint, query + lang, _external=external, **view_args)


def remember_locale(response):
    """Keep an explicit ?lang= choice in a cookie so that later links stay in that language."""
    chosen = requested_locale()
    if chosen and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=current_app.config["LANGUAGE_COOKIE_MAX_AGE"],
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SECURE_COOKIES"],
        )
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.config["TRANSLATIONS_DIR"]),
    )
    app.after_request(remember_locale)
    # The templates' _() and ngettext(), as Flask-Babel installs them, through the lookup above.
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: page_translations().ugettext(string),
        ngettext=lambda singular, plural, n: page_translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: page_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: page_translations().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )

    @app.context_processor
    def inject_locale():
        return {
            "current_locale": current_locale(),
            "language_names": LANGUAGE_NAMES,
            "other_language_url": other_language_url,
            "language_alternates": language_alternates,
        }
