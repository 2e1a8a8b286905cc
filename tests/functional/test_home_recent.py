"""The home page's "Recently updated" cards say when each entry was updated."""

from datetime import date, datetime, timedelta

from directory.extensions import db
from directory.models import Provider
from tests.conftest import html
from tests.factories import make_provider


def test_recently_updated_cards_show_the_update_date(app, client):
    with app.app_context():
        make_provider(
            slug="mise-a-jour",
            updated_at=datetime(2026, 3, 4, 10, 0),
            last_verified_on=date.today() - timedelta(days=700),
        )
        db.session.commit()
        assert db.session.query(Provider).count() == 1
    (card,) = html(client.get("/?lang=en")).select("#recent ~ .cards article.card")
    dates = {
        div.dt.get_text(strip=True): div.select_one("time")["datetime"]
        for div in card.select(".card-facts > div")
        if div.select_one("time")
    }
    assert dates == {"Updated": "2026-03-04"}
