"""Two real HTTP sessions act on one request at the same moment, on a real threaded server:
two answers from one provider's email (two tabs), or the association withdrawing while the
provider answers. One wins, the other gets a clear page, never a 5xx."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from functools import partial
from http.cookiejar import CookieJar

from bs4 import BeautifulSoup
from sqlalchemy import select

from directory.extensions import db
from directory.models import RequestRecipient, ServiceRequest
from directory.services import requests, tokens
from directory.services.contact import Draft
from directory.services.request_needs import Need
from directory.services.taxonomy import load_taxonomy
from tests.factories import make_provider
from tests.security.test_http_races import served

RACES = 20


class Session:
    """A browser-like client: its own cookies; opens a page, then posts its form."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def form(self, path: str, selector: str = "main form") -> tuple[str, dict]:
        status, page = self.request(path)
        assert status == 200, (status, path)
        form = BeautifulSoup(page, "html.parser").select_one(selector)
        fields = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
        return form["action"], fields


def _requests(app, count: int) -> list[tuple[str, str]]:
    """`count` requests to one provider: (the association's token, the provider's token)."""
    with app.app_context():
        provider_id = make_provider(slug="acme", contact_email="owner@private.example.net").id
    made = []
    with app.test_request_context():
        for number in range(count):
            draft = Draft("Asso", f"asso{number}@example.org", "collectives", "hosting",
                          "Bonjour, un hébergement pour nos documents.", "en")  # fmt: skip
            sent = requests.send([provider_id], draft, Need(), "10.0.0.1", load_taxonomy())
            recipient = sent.recipients[0]
            made.append(
                (
                    tokens.request_token(sent.id, sent.reference),
                    tokens.answer_token(recipient.id, recipient.reference),
                )
            )
    return made


def _at_once(calls) -> list[tuple[int, str]]:
    barrier = threading.Barrier(len(calls))
    answers = []

    def run(call):
        barrier.wait()
        answers.append(call())

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _notice(page: str) -> str:
    notice = BeautifulSoup(page, "html.parser").select_one(".notice")
    return notice.get_text(" ", strip=True) if notice else ""


def test_two_tabs_answering_at_once_one_wins_the_other_is_told(app):
    made = _requests(app, RACES)
    statuses = Counter()
    with served(app) as base:
        for _private, answer in made:
            one, two = Session(base), Session(base)
            yes = one.form(f"/requests/answer/{answer}/will_answer?lang=en")
            no = two.form(f"/requests/answer/{answer}/cannot_help?lang=en")
            answers = _at_once([partial(one.request, *yes), partial(two.request, *no)])
            assert sorted(status for status, _page in answers) == [200, 409], answers
            statuses.update(status for status, _page in answers)
            lost = next(page for status, page in answers if status == 409)
            assert "changed meanwhile" in _notice(lost)
    assert statuses == {200: RACES, 409: RACES}
    with app.app_context():
        states = Counter(db.session.scalars(select(RequestRecipient.state)))
        assert sum(states.values()) == RACES and "sent" not in states


def test_withdrawing_while_the_provider_answers_never_fails(app):
    made = _requests(app, RACES)
    outcomes = Counter()
    with served(app) as base:
        for private, answer in made:
            association, provider = Session(base), Session(base)
            withdraw = association.form(f"/requests/{private}?lang=en", "form[action$=withdraw]")
            yes = provider.form(f"/requests/answer/{answer}/will_answer?lang=en")
            answers = _at_once([partial(association.request, *withdraw),
                                partial(provider.request, *yes)])  # fmt: skip
            assert all(status == 200 for status, _page in answers), answers
            said = " ".join(_notice(page) for _status, page in answers)
            outcomes["withdrawn" if "withdrawn this request" in said else "recorded"] += 1
    assert sum(outcomes.values()) == RACES
    with app.app_context():
        assert all(r.withdrawn_at for r in db.session.scalars(select(ServiceRequest)))
        states = Counter(db.session.scalars(select(RequestRecipient.state)))
        # Answered before the withdrawal, or withdrawn unanswered: nothing else.
        assert set(states) <= {"will_answer", "withdrawn"}
        assert states["will_answer"] == outcomes["recorded"]
