"""The moderators' dashboard page: access, figures and charts with their text alternative."""

from datetime import timedelta

from directory.extensions import db
from directory.models import Application, ApplicationKind, ApplicationState
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
        make_provider(regions=["53"], services=["hosting"])
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
    charts = page.select("figure.chart")
    assert len(charts) == 5
    for chart in charts:
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
