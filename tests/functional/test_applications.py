"""Applying for an entry: validation, logo, honeypot, confirmation and status page."""

import io
import threading

import pytest
from PIL import Image
from sqlalchemy import event, select
from werkzeug.test import EnvironBuilder

from directory.extensions import db, limiter
from directory.models import Application, ApplicationState
from tests.conftest import body_of, html, link_in, make_app
from tests.forms import application_form


def _png(size=(64, 64)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def _applications(app) -> list[Application]:
    with app.app_context():
        return list(db.session.scalars(select(Application)))


def test_the_form_shows_every_field_in_french(client):
    page = html(client.get("/apply"))
    assert page.h1.get_text() == "Demander à figurer dans l’annuaire"
    names = {field["name"] for field in page.select("form input, form textarea")}
    for name in (
        "name",
        "kind",
        "pitch_fr",
        "pitch_en",
        "description_fr",
        "website",
        "public_email",
        "public_phone",
        "city",
        "postcode",
        "services",
        "regions",
        "departements",
        "nationwide",
        "remote",
        "work_mode",
        "price_models",
        "audiences",
        "software",
        "chatons",
        "languages",
        "logo",
        "contact_email",
        "charter",
        "csrf_token",
    ):
        assert name in names, name
    for field in page.select("form input[type=text], form input[type=email], form textarea"):
        assert page.select_one(f'label[for="{field["id"]}"]'), field["id"]


def test_a_valid_application_is_queued_with_a_status_link(client, app, smtp):
    response = client.post("/apply", data=application_form(client, logo=(_png(), "logo.png")))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/apply/received/")
    page = html(client.get(response.headers["Location"]))
    status_link = page.select_one("a.button-link")["href"]
    (application,) = _applications(app)
    assert application.state == ApplicationState.PENDING
    assert application.data["name"] == "Les Claviers Solidaires"
    assert application.data["software"] == ["Nextcloud", "PeerTube"]
    assert application.logo_filename.endswith(".webp")
    assert application.locale == "fr"
    assert application.reference in page.get_text()
    status = html(client.get(status_link))
    assert "En attente de modération" in status.select_one(".state").get_text()
    email = smtp.last()
    assert email["To"] == "secret.person@private.example.net"
    assert email["Content-Language"] == "fr"
    assert link_in(email, "/status/") == status_link


def test_english_applicants_get_english_emails(client, smtp):
    client.post("/apply?lang=en", data=application_form(client))
    email = smtp.last()
    assert email["Content-Language"] == "en"
    assert "has been received" in email["Subject"]
    assert "Hello," in body_of(email)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Ce champ est requis."),
        ({"name": "x" * 201}, "name", "200"),
        ({"website": "javascript:alert(1)"}, "website", "https://"),
        ({"website": "ftp://files.example.org"}, "website", "https://"),
        ({"public_email": "not-an-email"}, "public_email", "adresse e-mail valide"),
        ({"public_email": "", "public_phone": ""}, "public_email", "numéro de téléphone"),
        ({"public_phone": "call me"}, "public_phone", "chiffres"),
        ({"postcode": "75"}, "postcode", "cinq chiffres"),
        ({"services": None}, "services", "au moins un service"),
        ({"services": ["teleportation"]}, "services", "teleportation"),
        ({"kind": "empire"}, "kind", ""),
        ({"regions": None, "remote": None}, "regions", "au moins une zone"),
        ({"pitch_fr": "", "pitch_en": ""}, "pitch_fr", "en français ou en anglais"),
        ({"contact_email": ""}, "contact_email", "requis"),
        ({"charter": None}, "charter", "charte"),
        ({"software": ", ".join(f"tool{n}" for n in range(21))}, "software", "20"),
        ({"city": "Brest\x00"}, "city", "caractères"),
    ],
)
def test_each_invalid_field_gets_its_own_translated_error(client, app, overrides, field, message):
    response = client.post("/apply", data=application_form(client, **overrides))
    assert response.status_code == 400
    page = html(response)
    error = page.select_one(f"#{field}-error")
    assert error is not None, page.select_one(".error-summary")
    assert message in error.get_text()
    described = page.select_one(f"#{field}")["aria-describedby"]
    assert f"{field}-error" in described
    assert page.select_one(".error-summary")
    # The form's list of sections flags the one section holding the error.
    section = error.find_parent("fieldset", class_="section")
    flagged = [li.a["href"] for li in page.select("nav.form-steps li.has-errors")]
    assert flagged == [f"#{section['id']}"]
    assert _applications(app) == []


def test_typed_values_are_kept_after_an_error(client):
    response = client.post("/apply", data=application_form(client, postcode="2920"))
    page = html(response)
    assert page.select_one("#name")["value"] == "Les Claviers Solidaires"
    # Browsers drop the newline that WTForms puts after <textarea>.
    assert (
        page.select_one("#description_fr").get_text().lstrip("\r\n")
        == "Nous hébergeons des services libres à Brest."
    )
    assert page.select_one("#software")["value"] == "Nextcloud, PeerTube"
    checked = {(i["name"], i["value"]) for i in page.select("input[checked]")}
    assert {
        ("services", "hosting"),
        ("services", "training"),
        ("regions", "53"),
        ("languages", "br"),
        ("work_mode", "both"),
        ("kind", "association"),
    } <= checked
    assert page.select_one("#contact_email")["value"] == "secret.person@private.example.net"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "PNG"),
        (b"MZ\x90\x00" + b"\x00" * 200, "PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "PNG"),
    ],
)
def test_a_bad_logo_is_refused_with_a_clear_message(client, app, content, message):
    data = application_form(client, logo=(io.BytesIO(content), "logo.png"))
    response = client.post("/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in html(response).select_one("#logo-error").get_text()
    assert _applications(app) == []


def test_a_logo_of_too_many_pixels_is_refused_with_a_translated_message(client, app):
    with Image.new("1", (6_300, 6_300)) as huge:  # 40 megapixels, a 5 KB PNG
        buffer = io.BytesIO()
        huge.save(buffer, "PNG")
    buffer.seek(0)
    data = application_form(client, logo=(buffer, "logo.png"))
    response = client.post("/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert (
        html(response)
        .select_one("#logo-error")
        .get_text(strip=True)
        .endswith("Cette image a trop de pixels. Envoyez une image plus petite.")
    )
    assert _applications(app) == []


def test_a_request_over_the_size_limit_gets_a_friendly_413(client):
    data = application_form(client, logo=(io.BytesIO(b"\x00" * (4 * 1024 * 1024)), "big.png"))
    environ = EnvironBuilder(path="/apply", method="POST", data=data).get_environ()
    try:
        response = client.open(environ)
    finally:
        environ["wsgi.input"].close()  # the body was spooled to a temporary file
    assert response.status_code == 413
    assert html(response).h1.get_text() == "Trop volumineux"


def test_the_honeypot_keeps_nothing(client, app):
    response = client.post("/apply", data=application_form(client, nickname="bot"))
    assert response.status_code == 200
    assert _applications(app) == []


def test_posting_without_a_csrf_token_is_refused(client, app):
    response = client.post("/apply", data=application_form(client, csrf_token="forged"))
    assert response.status_code == 400
    assert _applications(app) == []


def test_unknown_fields_cannot_set_state_or_version(client, app):
    client.post("/apply", data=application_form(client, state="approved", version="99", id="7"))
    (application,) = _applications(app)
    assert application.state == ApplicationState.PENDING
    assert application.version == 1


def test_a_forged_status_link_is_404(client):
    assert client.get("/status/not-a-token").status_code == 404


def test_the_apply_form_is_rate_limited_per_address(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, APPLY_RATE_LIMIT="3 per hour")
    limiter.reset()
    client = app.test_client()
    invalid = application_form(client, name="")
    codes = [client.post("/apply", data=invalid).status_code for _ in range(5)]
    other = client.post("/apply", data=invalid, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert codes == [400, 400, 400, 429, 429]
    assert other.status_code == 400
    assert html(client.post("/apply", data=invalid)).h1.get_text() == "Trop de requêtes"
    assert client.get("/apply").status_code == 200


def _one_form_in_two_tabs(app, client):
    """The application form as one page gave it (its CSRF token and submission key), and a
    second client on the same session: two tabs, or a double click, of the same browser."""
    page = html(client.get("/apply"))
    data = application_form(
        client,
        csrf_token=page.select_one("input[name=csrf_token]")["value"],
        submission_key=page.select_one("input[name=submission_key]")["value"],
    )
    twin = app.test_client()
    twin.set_cookie("session", client.get_cookie("session").value)
    return data, twin


def test_the_same_form_posted_twice_at_once_then_again_makes_one_application(app, client, smtp):
    data, twin = _one_form_in_two_tabs(app, client)
    answers = []

    def post(browser):
        answers.append(browser.post("/apply", data=dict(data)))

    threads = [threading.Thread(target=post, args=(browser,)) for browser in (client, twin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    post(client)
    assert [answer.status_code for answer in answers] == [302, 302, 302]
    assert len({answer.headers["Location"] for answer in answers}) == 1
    with app.app_context():
        assert len(db.session.scalars(select(Application)).all()) == 1
    assert len(smtp.messages) == 1


def test_another_applicant_cannot_reuse_a_submission_key(app, client):
    key = html(client.get("/apply")).select_one("input[name=submission_key]")["value"]
    first = client.post("/apply", data=application_form(client, submission_key=key))
    other = client.post(
        "/apply",
        data=application_form(client, submission_key=key, contact_email="other@example.net"),
    )
    assert first.status_code == other.status_code == 302
    assert first.headers["Location"] != other.headers["Location"]
    with app.app_context():
        assert len(db.session.scalars(select(Application)).all()) == 2


def test_a_twin_committed_between_two_looks_at_the_key_still_makes_one_application(app, client):
    """The same form posted three times at once on PostgreSQL over HTTP made 2 applications
    in 1 of 10 tries: the twin committed after this post first looked its key up, so the key
    then looked like another applicant's. The twin commits here at exactly that moment."""
    data, twin = _one_form_in_two_tabs(app, client)
    fired = threading.Event()

    def twin_commits_after_the_first_look(_conn, _cursor, statement, *_args):
        if fired.is_set() or "submission_key" not in statement or "SELECT" not in statement:
            return
        fired.set()
        thread = threading.Thread(target=lambda: twin.post("/apply", data=dict(data)))
        thread.start()
        thread.join()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", twin_commits_after_the_first_look)
    try:
        answer = client.post("/apply", data=dict(data))
    finally:
        event.remove(engine, "after_cursor_execute", twin_commits_after_the_first_look)
    assert fired.is_set()
    assert answer.status_code == 302
    assert len(_applications(app)) == 1
