"""The moderators' dashboard page: access, figures and charts with their text alternative."""

from datetime import timedelta

from directory.extensions import db
from directory.models import Application, ApplicationKind, ApplicationState, ContactMessage
from directory.models.provider import utcnow
from tests.conftest import html
from tests.factories import make_provider


def test_the_dashboard_needs_a_login(client):
    response = client.get("/moderation/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_dashboard_shows_figures_and_charts(app, client, auth, moderator):
    with app.app_context():
        now = utcnow()
        for days in (2, 40):
            db.session.add(
                Application(
                    reference=f"D{days:07d}",
                    kind=ApplicationKind.NEW,
                    state=ApplicationState.PENDING,
                    data={"name": "x"},
                    created_at=now - timedelta(days=days),
                    submitted_at=now - timedelta(days=days),
                )
            )
        db.session.commit()
        provider = make_provider(regions=["53"], services=["hosting"])
        db.session.add(
            ContactMessage(
                reference="m1", provider_id=provider.id, audience_code="collectives",
                service_code="hosting", created_at=now - timedelta(days=1),
            )
        )  # fmt: skip
        db.session.commit()
    auth.login()
    page = html(client.get("/moderation/dashboard?lang=fr"))
    assert page.select_one("h1").get_text(strip=True) == "Tableau de bord"
    figures = {
        div.select_one("dt").get_text(strip=True): div.select_one("dd").get_text(strip=True)
        for div in page.select(".figures .figure")
    }
    assert figures["En attente de modération"] == "2"
    assert figures["Prestataires publiés"] == "1"
    assert figures["Décisions des 30 derniers jours"] == "0"
    assert figures["Délai médian de décision, 30 derniers jours"] == "aucune décision"
    # The requests' section has its own test (tests/functional/test_request_data.py).
    charts = page.select("main > .charts figure.chart")
    assert len(charts) == 7
    # No decision yet: that chart says so instead of drawing twelve empty tracks.
    assert page.select_one("#chart-median svg") is None
    for chart in [chart for chart in charts if chart["id"] != "chart-median"]:
        svg = chart.select_one("svg[role=img]")
        assert svg["aria-labelledby"] == chart["id"] + "-title"
        assert chart.select_one(f"#{chart['id']}-title").get_text(strip=True)
        assert not svg.select("[style]")
    pending = page.select_one("#chart-pending")
    table = {
        row.select_one("th").get_text(strip=True): row.select_one("td").get_text(strip=True)
        for row in pending.select("tbody tr")
    }
    assert table == {
        "0 à 6 jours": "1",
        "7 à 13 jours": "0",
        "14 à 29 jours": "0",
        "30 jours ou plus": "1",
    }
    assert len(pending.select("rect.chart-bar")) == 2
    bars = {row.get_text(): row for row in page.select("#chart-regions text.chart-label")}
    assert "Bretagne — 1" in bars
    assert len(page.select("#chart-applications tbody tr")) == 12
    link = page.select_one(".moderator-bar a[href='/moderation/dashboard']")
    assert link is not None


def _decided(app, created_ago: timedelta, decided_ago: timedelta) -> None:
    with app.app_context():
        now = utcnow()
        number = db.session.query(Application).count() + 1
        db.session.add(
            Application(
                reference=f"E{number:07d}",
                kind=ApplicationKind.NEW,
                state=ApplicationState.APPROVED,
                data={"name": "x"},
                created_at=now - created_ago,
                submitted_at=now - created_ago,
                decided_at=now - decided_ago,
            )
        )
        db.session.commit()


def test_a_fresh_site_shows_empty_states_not_empty_charts(app, client, auth, moderator):
    auth.login()
    page = html(client.get("/moderation/dashboard?lang=en"))
    for chart in ("chart-applications", "chart-median", "chart-pending", "chart-regions"):
        figure = page.select_one(f"#{chart}")
        assert figure.select_one("h2").get_text(strip=True)
        assert figure.select_one("svg") is None, chart
        assert figure.select_one(".empty").get_text(strip=True)


def test_durations_are_never_a_full_bar_of_zero_days(app, client, auth, moderator):
    _decided(app, timedelta(minutes=20), timedelta(minutes=5))
    auth.login()
    for lang in ("fr", "en"):
        median = html(client.get(f"/moderation/dashboard?lang={lang}")).select_one("#chart-median")
        text = median.get_text(" ")
        assert "0 jour" not in text and "0 day" not in text
        (bar,) = median.select("rect.chart-bar")
        assert float(bar["width"].rstrip("%")) < 10


def test_days_follow_the_language_plural_rules(app, client, auth, moderator):
    _decided(app, timedelta(days=3, hours=12), timedelta(days=2))
    auth.login()
    figures = {
        lang: html(client.get(f"/moderation/dashboard?lang={lang}"))
        .select(".figures .figure dd")[2]
        .get_text(strip=True)
        for lang in ("fr", "en")
    }
    assert figures == {"fr": "1,5 jours", "en": "1.5 days"}


def test_charts_have_a_value_axis_with_ticks_and_its_unit(app, client, auth, moderator):
    with app.app_context():
        make_provider(regions=["53"], services=["hosting"])
        make_provider(regions=["53"], services=["training"])
        make_provider(regions=["75"], services=["hosting"])
        db.session.commit()
    auth.login()
    chart = html(client.get("/moderation/dashboard?lang=en")).select_one("#chart-regions svg")
    assert chart.select_one("line.chart-axis")
    ticks = {t["x"]: t.get_text(strip=True) for t in chart.select("text.chart-tick")}
    # Bretagne has the most (2): the full bar is 2, half of it 1.
    assert ticks == {"0%": "0", "50%": "1", "100%": "2"}
    assert chart.select_one("text.chart-axis-title").get_text(strip=True) == "Providers"
    assert len(chart.select("line.chart-grid")) == 3
    # A région without providers draws no bar at all; the most counted one a full bar.
    bars = chart.select("rect.chart-bar")
    assert sorted(bar["width"] for bar in bars) == ["100.0%", "50.0%"]


def test_references_and_dates_in_moderation_tables_do_not_wrap(app, client, auth, moderator):
    with app.app_context():
        db.session.add(
            Application(
                reference="XPP5-AQZQ",
                kind=ApplicationKind.NEW,
                state=ApplicationState.PENDING,
                data={"name": "x"},
                created_at=utcnow(),
                submitted_at=utcnow(),
            )
        )
        db.session.commit()
    auth.login()
    cell = html(client.get("/moderation/")).find("a", string="XPP5-AQZQ").parent
    assert cell.name == "td" and "reference" in cell["class"]
    css = client.get("/static/css/site.css").get_data(as_text=True)
    assert "td.reference, td time, td .reference { white-space: nowrap; }" in css
