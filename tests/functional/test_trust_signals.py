"""Trust signals at a glance on result cards and provider pages (testimonials, "N recommend"
only from three, CHATONS, last verified), open reports for moderators only (never through
the page cache), and the "recommended by associations" sort and filter through HTTP and the
API."""

from datetime import date

import pytest

from directory.models import TestimonialState as State
from directory.page_cache import page_cache
from tests.conftest import html, make_app
from tests.factories import add_testimonials, make_provider
from tests.functional.test_reports import _report

HOSTING = "Hébergement Nextcloud pour les associations."


@pytest.fixture
def app(tmp_path):
    """An app with the page cache on (TestConfig turns it off): what moderators see must
    never be kept for visitors, nor what visitors see served to moderators."""
    app = make_app(tmp_path, PAGE_CACHE_SIZE=16)
    yield app
    app.extensions["directory.search"].index.close()


def _provider(app, slug, *recommends, **fields) -> int:
    with app.app_context():
        fields.setdefault("last_verified_on", date.today())
        provider = make_provider(slug=slug, name=slug.title(), description_fr=HOSTING, **fields)
        if recommends:
            add_testimonials(provider.id, *recommends)
        return provider.id


def _cards(client, path="/search?q=nextcloud&lang=en") -> dict:
    page = html(client.get(path))
    return {
        card.select_one(".card-title a").get_text(strip=True): card for card in page.select(".card")
    }


def _badges(element) -> list[str]:
    return [badge.get_text(" ", strip=True) for badge in element.select(".badge")]


def test_cards_count_testimonials_and_say_how_many_recommend_only_from_three(app, client):
    two = _provider(app, "two", True, True)
    _provider(app, "three", True, True, False, chatons_member=True)
    _provider(app, "none")
    with app.app_context():
        add_testimonials(two, True, state=State.PENDING)  # not published: not counted
        add_testimonials(two, True, state=State.REJECTED)
    cards = _cards(client)
    assert "2 testimonials" in _badges(cards["Two"])
    assert not cards["Two"].select(".badge-recommend")
    assert not cards["None"].select(".badge-testimonials, .badge-recommend")
    three = _badges(cards["Three"])
    assert {"CHATONS member", "3 testimonials", "2 recommend"} <= set(three)
    assert any(badge.startswith("Verified in") for badge in three)
    assert "%" not in " ".join(three)  # counts, never a share or an average


def test_the_provider_page_shows_the_same_signals(app, client):
    _provider(app, "two", True, False, chatons_member=True)
    _provider(app, "three", True, True, True)
    page = html(client.get("/providers/two?lang=en"))
    head = page.select_one(".provider-head")
    assert {"CHATONS member", "2 testimonials"} <= set(_badges(head))
    assert head.select_one("a.badge-testimonials")["href"] == "#testimonials-title"
    assert page.select_one("#testimonials-title") is not None
    assert not head.select(".badge-recommend")
    head = html(client.get("/providers/three?lang=en")).select_one(".provider-head")
    assert {"3 testimonials", "3 recommend"} <= set(_badges(head))


def _reports_shown(client, path="/search?q=nextcloud&lang=fr") -> list[str]:
    page = html(client.get(path))
    return [b.get_text(strip=True) for b in page.select(".badge-reports, .report-link .badge")]


def test_moderators_see_open_reports_and_visitors_never_even_through_the_cache(
    app, client, auth, moderator
):
    """`client` reports, then logs in as a moderator; `visitor` holds no session, so its
    pages are cached."""
    _provider(app, "acme")
    _report(client)
    _report(client, reason="gone", email=None, body="")
    visitor = app.test_client()
    assert _reports_shown(visitor) == []
    with app.app_context():
        assert page_cache().stores == 1  # the visitor's page, kept
    auth.login()
    assert _reports_shown(client) == ["2 signalements ouverts"]  # not the cached page
    assert _reports_shown(client, "/providers/acme?lang=fr") == ["2 signalements ouverts"]
    assert _reports_shown(visitor) == []
    assert _reports_shown(visitor, "/providers/acme?lang=fr") == []
    with app.app_context():
        assert (page_cache().stores, page_cache().hits) == (1, 1)


def test_a_moderators_visit_is_not_kept_for_the_visitors_after_it(app, client, auth, moderator):
    _provider(app, "acme")
    _report(client)
    auth.login()
    assert _reports_shown(client) == ["1 signalement ouvert"]
    with app.app_context():
        assert page_cache().stores == 0
    visitor = app.test_client()
    assert _reports_shown(visitor) == []
    with app.app_context():
        assert (page_cache().stores, page_cache().hits) == (1, 0)


def test_the_sort_and_the_filter_through_the_results_page(app, client):
    _provider(app, "first")
    _provider(app, "praised", True, True, True, True)
    _provider(app, "halved", True, True, False, False)
    assert next(iter(_cards(client))) == "First"
    page = html(client.get("/search?q=nextcloud&lang=en"))
    options = {o["value"]: o.get_text(strip=True) for o in page.select("#sort option")}
    assert options["recommended"] == "Recommended by associations"
    label = page.select_one("label[for=f-recommended-yes]").get_text(" ", strip=True)
    assert label == "Recommended by associations (1)"
    assert next(iter(_cards(client, "/search?q=nextcloud&sort=recommended&lang=en"))) == "Praised"
    assert list(_cards(client, "/search?q=nextcloud&recommended=yes&lang=en")) == ["Praised"]
    # The French page offers them too (their words come with the catalogue).
    page = html(client.get("/search?q=nextcloud&sort=recommended&lang=fr"))
    assert page.select_one("#sort option[value=recommended][selected]") is not None
    assert page.select_one("#f-recommended-yes") is not None


def test_the_sort_and_the_filter_through_the_api(app, client):
    _provider(app, "first")
    _provider(app, "praised", True, True, True, True)
    plain = client.get("/api/v1/providers?q=nextcloud").get_json()
    assert [item["id"] for item in plain["items"]] == ["first", "praised"]
    by_api = client.get("/api/v1/providers?q=nextcloud&sort=recommended").get_json()
    assert [item["id"] for item in by_api["items"]] == ["praised", "first"]
    filtered = client.get("/api/v1/providers?q=nextcloud&recommended=yes").get_json()
    assert [item["id"] for item in filtered["items"]] == ["praised"]
    assert {o["value"]: o["count"] for o in filtered["facets"]["recommended"]} == {"yes": 1}
    assert client.get("/api/v1/providers?sort=best").status_code == 400
    spec = client.get("/api/openapi.json").get_json()
    (sort,) = [
        p for p in spec["paths"]["/api/v1/providers"]["get"]["parameters"] if p["name"] == "sort"
    ]
    assert "recommended" in sort["schema"]["enum"]
