"""Two moderators, each in a real HTTP session on a real threaded server, decide the same item
at the same moment, 100 times: the loser gets the conflict message, never a 5xx."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import contextmanager
from http.cookiejar import CookieJar

from bs4 import BeautifulSoup
from sqlalchemy import func, select
from werkzeug.serving import make_server

from directory.extensions import db
from directory.models import (
    Application,
    ApplicationState,
    AuditEntry,
    Report,
    ReportReason,
    ReportState,
)
from directory.models import Testimonial as Given
from directory.models import TestimonialState as GivenState
from directory.services import accounts, applications, reports
from tests.conftest import PASSWORD
from tests.factories import make_provider
from tests.forms import provider_form

RACES = 100
DECISIONS = ("application.approved", "application.rejected", "application.changes_requested")
# Moderator A always approves; moderator B approves, rejects or asks for changes in turn.
PAIRS = [("approve", "approve"), ("approve", "reject"), ("approve", "request-changes")]


class Moderator:
    """A browser-like client: its own cookies, logged in through the real login form."""

    def __init__(self, base: str, email: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        status, page = self.request("/login")
        token = BeautifulSoup(page, "html.parser").select_one("input[name=csrf_token]")["value"]
        form = {"email": email, "password": PASSWORD, "csrf_token": token}
        status, page = self.request("/login", form)
        assert status == 200 and "/logout" in page, page[:500]
        _status, page = self.request("/moderation/")
        self.token = BeautifulSoup(page, "html.parser").select_one("input[name=csrf_token]")[
            "value"
        ]

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def decide(self, item_id: int, decision: str, kind: str = "items") -> tuple[int, str]:
        form = {"csrf_token": self.token, "version": "1", "message": "Merci de préciser."}
        return self.request(f"/moderation/{kind}/{item_id}/{decision}", form)


def race(item_id: int, moderators, decisions, kind: str = "items") -> list[tuple[int, str]]:
    """Both moderators send their decision on the item at the same moment."""
    barrier = threading.Barrier(len(moderators))
    answers = []

    def decide(moderator, decision):
        barrier.wait()
        answers.append(moderator.decide(item_id, decision, kind))

    threads = [
        threading.Thread(target=decide, args=pair)
        for pair in zip(moderators, decisions, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@contextmanager
def served(app):
    """The app on a free loopback port, one thread per request, as a real server would."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_two_moderators_deciding_at_once_never_get_a_server_error(app, moderator):
    with app.app_context():
        accounts.create_moderator("second@example.org", PASSWORD)
    with app.test_request_context():
        rows = [(provider_form(name=f"Course {n}"), "owner@example.net") for n in range(RACES)]
        ids = [application.id for application in applications.queue_imported(rows)]
    statuses, outcomes = Counter(), Counter()
    with served(app) as base:
        first = Moderator(base, "moderator@example.org")
        second = Moderator(base, "second@example.org")
        for number, application_id in enumerate(ids):
            answers = race(application_id, (first, second), PAIRS[number % len(PAIRS)])
            for status, page in answers:
                statuses[status] += 1
                warning = BeautifulSoup(page, "html.parser").select_one(".flash-warning")
                if warning and "vient de traiter" in warning.get_text():
                    outcomes["conflict"] += 1
    assert sum(statuses.values()) == 2 * RACES
    assert not [s for s in statuses if s >= 500], statuses
    with app.app_context():
        decided = db.session.execute(
            select(AuditEntry.application_id, func.count())
            .where(AuditEntry.action.in_(DECISIONS))
            .group_by(AuditEntry.application_id)
        ).all()
        assert sorted(decided) == [(i, 1) for i in ids]
        states = Counter(db.session.scalars(select(Application.state)))
        assert ApplicationState.PENDING not in states
    # The loser of each race was told so (the winner's page is the queue).
    assert outcomes["conflict"] == RACES


REPORT_RACES = 30
# Moderator A always closes; B closes, asks the provider or takes the entry offline in turn.
REPORT_PAIRS = [("close", "close"), ("close", "ask"), ("close", "unpublish")]
REPORT_DECISIONS = ("report.closed", "report.provider_asked", "report.unpublished")


def test_two_moderators_deciding_one_report_at_once_never_get_a_server_error(app, moderator):
    with app.app_context():
        accounts.create_moderator("second@example.org", PASSWORD)
        providers = [
            make_provider(slug=f"course-{n}", contact_email="owner@example.net").id
            for n in range(REPORT_RACES)
        ]
    with app.test_request_context():
        draft = reports.ReportDraft(ReportReason.GONE, "Fermé.", None, "fr")
        ids = [reports.submit(provider_id, draft, "10.0.0.1").id for provider_id in providers]
    statuses, conflicts = Counter(), 0
    with served(app) as base:
        first = Moderator(base, "moderator@example.org")
        second = Moderator(base, "second@example.org")
        for number, report_id in enumerate(ids):
            pair = REPORT_PAIRS[number % len(REPORT_PAIRS)]
            for status, page in race(report_id, (first, second), pair, kind="reports"):
                statuses[status] += 1
                warning = BeautifulSoup(page, "html.parser").select_one(".flash-warning")
                conflicts += bool(warning and "vient de traiter" in warning.get_text())
    assert not [s for s in statuses if s >= 500], statuses
    assert sum(statuses.values()) == 2 * REPORT_RACES
    with app.app_context():
        decided = db.session.execute(
            select(AuditEntry.provider_id, func.count())
            .where(AuditEntry.action.in_(REPORT_DECISIONS))
            .group_by(AuditEntry.provider_id)
        ).all()
        assert sorted(decided) == [(i, 1) for i in providers]
        assert ReportState.OPEN not in set(db.session.scalars(select(Report.state)))
    assert conflicts == REPORT_RACES


TESTIMONIAL_RACES = 30
TESTIMONIAL_PAIRS = [("approve", "approve"), ("approve", "reject")]


def test_two_moderators_deciding_one_testimonial_at_once_never_get_a_server_error(app, moderator):
    with app.app_context():
        accounts.create_moderator("second@example.org", PASSWORD)
        provider_id = make_provider(slug="temoin", contact_email="owner@example.net").id
        for number in range(TESTIMONIAL_RACES):
            db.session.add(
                Given(
                    provider_id=provider_id,
                    state=GivenState.PENDING,
                    author_name=f"Asso {number}",
                    services=["hosting"],
                    month="2026-10",
                    recommend=True,
                    body="Très bien accompagnés.",
                )
            )
        db.session.commit()
        ids = list(db.session.scalars(select(Given.id).order_by(Given.id)))
    statuses, conflicts = Counter(), 0
    with served(app) as base:
        first = Moderator(base, "moderator@example.org")
        second = Moderator(base, "second@example.org")
        for number, testimonial_id in enumerate(ids):
            pair = TESTIMONIAL_PAIRS[number % len(TESTIMONIAL_PAIRS)]
            for status, page in race(testimonial_id, (first, second), pair, kind="testimonials"):
                statuses[status] += 1
                warning = BeautifulSoup(page, "html.parser").select_one(".flash-warning")
                conflicts += bool(warning and "vient de traiter" in warning.get_text())
    assert not [s for s in statuses if s >= 500], statuses
    assert sum(statuses.values()) == 2 * TESTIMONIAL_RACES
    with app.app_context():
        decided = db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action.in_(("testimonial.approved", "testimonial.rejected"))
            )
        )
        assert decided == TESTIMONIAL_RACES
        assert GivenState.PENDING not in set(db.session.scalars(select(Given.state)))
    assert conflicts == TESTIMONIAL_RACES
