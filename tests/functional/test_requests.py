"""One request to several providers: the form, what reaches whom, the answer links, the
association's private page (withdraw, another provider, erase)."""

from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import OutboxMessage, RecipientState, RequestRecipient, ServiceRequest
from tests.conftest import body_of, csrf_token, form_values, html, link_in
from tests.factories import make_provider

SENDER = "bureau@asso-du-quartier.example.org"
TEXT = "Bonjour, nous voulons quitter Zoom pour 12 bénévoles en Bretagne."


def private(slug: str) -> str:
    return f"owner@{slug}.example.net"


@pytest.fixture
def four(app):
    """Four providers of video conferencing in Bretagne (53), each with a private address."""
    with app.app_context():
        return [
            make_provider(
                slug=slug,
                name=f"{slug.title()} Visio",
                contact_email=private(slug),
                services=["videoconference"],
                regions=["53"],
            ).slug
            for slug in ("alpha", "beta", "gamma", "delta")
        ]


def new_url(slugs, **answers) -> str:
    query = [("provider", slug) for slug in slugs]
    query += [(key, value) for key, values in answers.items()
              for value in (values if isinstance(values, list) else [values])]  # fmt: skip
    return "/requests/new?" + urlencode(query)


def request_form(client, url, **overrides) -> dict:
    data = {
        "csrf_token": csrf_token(client, url),
        "sender_name": "Association du Quartier",
        "sender_email": SENDER,
        "audience": "small_associations",
        "service": "videoconference",
        "body": TEXT,
        "consent": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def send(client, slugs, **answers):
    url = new_url(slugs, **answers)
    return client.post(url, data=request_form(client, url))


def test_the_form_shows_the_providers_and_the_need_in_words(client, four):
    url = new_url(four[:2], want="videoconference", tool="Zoom", region="53", remote="1")
    page = html(client.get(url + "&lang=en"))
    names = [a.get_text() for a in page.select(".chosen-providers a")]
    assert names == ["Alpha Visio", "Beta Visio"]
    summary = [li.get_text() for li in page.select(".need-summary li")]
    assert "Uses now: Zoom" in summary
    assert "Working remotely is fine." in summary
    assert "Région: Brittany" in summary
    assert page.select_one("input[name=service][value=videoconference]").has_attr("checked")


def test_the_questionnaires_answers_are_told_in_its_own_words(client, four):
    url = new_url(four[:1], want="leave", tool="Zoom", people="6-20", budget="sliding_scale")
    page = html(client.get(url + "&lang=en"))
    summary = [li.get_text() for li in page.select(".need-summary li")]
    assert "Wants: Leave a tool (Google, Zoom, Facebook…)" in summary
    assert "People who will use the tools: 6 to 20 people" in summary
    # Leaving Zoom is a video-conferencing need first, as the questionnaire ranks it.
    assert page.select_one("input[name=service][value=videoconference]").has_attr("checked")


def test_a_request_reaches_three_providers_and_a_copy_the_association(app, client, four, smtp):
    response = send(client, four[:3], want="videoconference", region="53")
    assert response.status_code == 302
    assert response.headers["Location"] == "/requests/sent"
    for slug in four[:3]:
        [email] = smtp.to(private(slug))
        assert email["Reply-To"] == SENDER
        assert TEXT in body_of(email)
        assert "/requests/answer/" in body_of(email)
    assert smtp.to(private("delta")) == []
    [copy] = smtp.to(SENDER)
    for slug in four[:3]:
        assert private(slug) not in copy.as_string()
    assert link_in(copy, "/requests/")
    with app.app_context():
        request = db.session.scalars(select(ServiceRequest)).one()
        assert request.region_code == "53"
        assert [r.state for r in request.recipients] == [RecipientState.SENT] * 3


def test_four_providers_are_refused_and_the_first_three_kept(app, client, four, smtp):
    url = new_url(four)
    page = html(client.get(url))
    assert page.select_one(".error-summary li").get_text(strip=True)
    assert len(page.select(".chosen-providers li")) == 3
    response = client.post(url, data=request_form(client, url))
    assert response.status_code == 400
    assert smtp.messages == []
    kept = html(response)
    assert kept.select_one("#body").get_text().strip() == TEXT
    action = kept.select_one("main form")["action"]
    assert "delta" not in action
    assert client.post(action, data=request_form(client, action)).status_code == 302
    assert len(smtp.messages) == 4


def test_removing_a_provider_keeps_everything_typed(client, four, smtp):
    url = new_url(four[:3])
    typed = request_form(client, url, remove="beta", consent=None)
    page = html(client.post(url, data=typed))
    assert [a.get_text() for a in page.select(".chosen-providers a")] == [
        "Alpha Visio",
        "Gamma Visio",
    ]
    kept = dict(form_values(page.select_one("main form")))
    for field in ("sender_name", "sender_email", "audience", "service", "body"):
        assert kept[field] == typed[field], field
    assert smtp.messages == []


def test_a_refused_request_keeps_everything_typed(app, client, four, smtp):
    url = new_url(four[:2])
    typed = request_form(client, url, consent=None)
    response = client.post(url, data=typed)
    assert response.status_code == 400
    kept = dict(form_values(html(response).select_one("main form")))
    for field in ("sender_name", "sender_email", "audience", "service", "body"):
        assert kept[field] == typed[field], field
    assert _count(app, ServiceRequest) == 0
    assert _count(app, OutboxMessage) == 0


def test_the_same_form_posted_twice_is_one_request(app, client, four, smtp):
    url = new_url(four[:2])
    key = html(client.get(url)).select_one("input[name=submission_key]")["value"]
    data = request_form(client, url, submission_key=key)
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert _count(app, ServiceRequest) == 1
    assert len(smtp.messages) == 3


def test_the_honeypot_stores_and_sends_nothing(app, client, four, smtp):
    url = new_url(four[:2])
    response = client.post(url, data=request_form(client, url, nickname="cheap watches"))
    assert response.headers["Location"] == "/requests/sent"
    assert _count(app, ServiceRequest) == 0
    assert smtp.messages == []


def test_without_providers_the_page_says_how_to_choose(client):
    response = client.get("/requests/new?provider=nobody&want=%3Cscript%3E")
    assert response.status_code == 200
    assert html(response).select_one("main form") is None


def _answer(client, email, state: str):
    path = next(w for w in body_of(email).split() if f"/{state}" in w and "/answer/" in w)
    path = "/" + path.split("/", 3)[3]
    page = html(client.get(path))
    form = page.select_one("main form")
    return path, form


def test_providers_answer_and_the_association_sees_it(app, client, four, smtp):
    send(client, four[:3])
    provider_client = app.test_client()
    path, form = _answer(provider_client, smtp.to(private("alpha"))[0], "will_answer")
    assert form is not None
    context = html(provider_client.get(path)).select_one(".request-context").get_text()
    assert "Association du Quartier" in context
    with app.app_context():
        assert db.session.scalars(select(RequestRecipient.state)).all() == ["sent"] * 3
    response = provider_client.post(path, data=dict(form_values(form)))
    assert response.status_code == 200
    assert "already" not in response.get_data(as_text=True)
    again = html(provider_client.get(path))
    assert again.select_one("main form") is None  # already recorded: nothing to confirm
    path, form = _answer(provider_client, smtp.to(private("beta"))[0], "cannot_help")
    provider_client.post(path, data=dict(form_values(form)))

    page = html(client.get(link_in(smtp.to(SENDER)[0], "/requests/") + "?lang=en"))
    states = {row.select_one("th").get_text(strip=True): row.select_one("td").get_text(strip=True)
              for row in page.select(".request-recipients tbody tr")}  # fmt: skip
    assert states == {
        "Alpha Visio": "Will answer you",
        "Beta Visio": "Cannot help",
        "Gamma Visio": "No answer yet",
    }


def test_a_declining_provider_is_replaced_by_another_from_the_list(app, client, four, smtp):
    send(client, four[:3], region="53")
    provider_client = app.test_client()
    path, form = _answer(provider_client, smtp.to(private("beta"))[0], "cannot_help")
    provider_client.post(path, data=dict(form_values(form)))
    mine = link_in(smtp.to(SENDER)[0], "/requests/")
    page = html(client.get(mine))
    offered = [form.select_one("input[name=provider]")["value"]
               for form in page.select(".request-alternatives form")]  # fmt: skip
    assert offered == ["delta"]
    form = page.select_one(".request-alternatives form")
    response = client.post(form["action"], data=dict(form_values(form)))
    assert response.status_code == 302
    [email] = smtp.to(private("delta"))
    assert TEXT in body_of(email)
    page = html(client.get(mine))
    assert page.select(".request-alternatives form") == []
    # A fourth active provider is refused, even posted by hand.
    response = client.post(form["action"], data=dict(form_values(form)), follow_redirects=True)
    assert len(smtp.to(private("delta"))) == 1


def test_withdrawing_stops_answers_and_tells_the_providers(app, client, four, smtp):
    send(client, four[:2])
    mine = link_in(smtp.to(SENDER)[0], "/requests/")
    page = html(client.get(mine))
    form = page.select_one(f"form[action='{mine}/withdraw']")
    client.post(form["action"], data=dict(form_values(form)))
    assert len(smtp.to(private("alpha"))) == 2  # the request, then its withdrawal
    provider_client = app.test_client()
    path = next(w for w in body_of(smtp.to(private("alpha"))[0]).split() if "/will_answer" in w)
    page = html(provider_client.get("/" + path.split("/", 3)[3] + "?lang=en"))
    assert "withdrawn" in page.select_one(".notice").get_text()
    assert page.select_one("main form") is None
    with app.app_context():
        assert set(db.session.scalars(select(RequestRecipient.state))) == {"withdrawn"}


def test_the_association_erases_its_request(app, client, four, smtp):
    send(client, four[:2])
    mine = link_in(smtp.to(SENDER)[0], "/requests/")
    form = html(client.get(mine + "/erase")).select_one("main form")
    client.post(form["action"], data=dict(form_values(form)))
    assert client.get(mine).status_code == 404
    with app.app_context():
        request = db.session.scalars(select(ServiceRequest)).one()
        assert (request.sender_email, request.body, request.need) == ("", "", {})
        assert request.erased_at is not None
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_only_a_provider_of_the_same_service_can_be_added_by_hand(app, client, four, smtp):
    with app.app_context():
        make_provider(slug="hoster", contact_email=private("hoster"), services=["hosting"])
    send(client, four[:2])
    mine = link_in(smtp.to(SENDER)[0], "/requests/")
    token = html(client.get(mine)).select_one("input[name=csrf_token]")["value"]
    client.post(mine + "/add", data={"csrf_token": token, "provider": "hoster"})
    assert smtp.to(private("hoster")) == []
    client.post(mine + "/add", data={"csrf_token": token, "provider": "gamma"})
    assert len(smtp.to(private("gamma"))) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RequestRecipient)) == 3
