"""An item page costs a bounded number of SQL statements, whatever the number of providers."""

from contextlib import contextmanager

from sqlalchemy import event, select

from directory.extensions import db
from directory.models import Provider, Service
from directory.services import applications
from tests.conftest import html
from tests.forms import provider_form

BOUND = 30


def _add_providers(count: int, start: int) -> None:
    hosting = db.session.get(Service, "hosting")
    for number in range(start, start + count):
        db.session.add(
            Provider(
                slug=f"load-{number}",
                name=f"Charge {number}",
                kind_code="association",
                work_mode_code="both",
                website=f"https://load-{number}.example.org",
                public_email=f"contact@load-{number}.example.org",
                public_phone=f"02 61 91 {number // 100:02d} {number % 100:02d}",
                contact_email=f"owner-{number}@example.net",
                services=[hosting],
            )
        )
    db.session.commit()


@contextmanager
def counted(app):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_an_item_page_costs_the_same_at_50_and_500_providers(app, client, auth, moderator):
    with app.app_context():
        _add_providers(50, 0)
    with app.test_request_context():
        (new,) = applications.queue_imported([(provider_form(name="Charge 7"), None)])
        provider_id = db.session.scalar(select(Provider.id).where(Provider.slug == "load-8"))
        update = applications.submit_update(
            provider_id, provider_form(name="Charge 8", website="https://load-7.example.org"), "fr"
        )
        items = [new.id, update.id]
    auth.login()

    def cost() -> list[int]:
        counts = []
        for application_id in items:
            client.get(f"/moderation/items/{application_id}")  # the taxonomy's cached copy
            with counted(app) as statements:
                page = html(client.get(f"/moderation/items/{application_id}"))
            assert page.select(".warning li"), "the duplicates are found"
            counts.append(len(statements))
        return counts

    at_50 = cost()
    with app.app_context():
        _add_providers(450, 50)
    assert cost() == at_50
    assert max(at_50) <= BOUND, at_50
