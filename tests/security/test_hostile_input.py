"""Hostile input never gives a 5xx, and nothing typed is reflected unescaped."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.services import mail, tokens
from tests.conftest import csrf_token, make_app
from tests.factories import make_provider
from tests.forms import application_form
from tests.functional.test_contact import contact_form
from tests.functional.test_reports import report_form

PAYLOAD = '"><script>alert(1)</script>'
nasty_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            PAYLOAD,
            "\x00",
            "a\x00b",
            "é" * 50_000,
            "%ff%fe",
            "{{7*7}}",
            "\u202e",
            "\r\nSet-Cookie: x=1",
            "' OR 1=1 --",
            "../../etc/passwd",
        ]
    ),
)
APPLY_FIELDS = [
    "name",
    "pitch_fr",
    "description_en",
    "website",
    "public_email",
    "public_phone",
    "city",
    "postcode",
    "software",
    "contact_email",
    "kind",
    "services",
    "regions",
    "work_mode",
    "languages",
    "nickname",
]


CONTACT_FIELDS = [
    "sender_name",
    "sender_email",
    "audience",
    "service",
    "body",
    "consent",
    "nickname",
]

REPORT_FIELDS = ["reason", "body", "email", "nickname", "submission_key"]
TESTIMONIAL_FIELDS = [
    "services",
    "month",
    "recommend",
    "body",
    "signature",
    "author_name",
    "region",
]


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("fuzz"))
    with app.app_context():
        make_provider(slug="acme", contact_email="owner@private.example.net")
    return app


def _no_raw_payload(response):
    assert PAYLOAD not in response.get_data(as_text=True)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(APPLY_FIELDS), value=nasty_text)
def test_apply_form_survives_anything(fuzz_app, field, value):
    client = fuzz_app.test_client()
    response = client.post("/apply", data=application_form(client, **{field: value}))
    assert response.status_code < 500
    _no_raw_payload(response)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(CONTACT_FIELDS), value=nasty_text)
def test_contact_form_survives_anything(fuzz_app, field, value):
    client = fuzz_app.test_client()
    response = client.post("/providers/acme/contact", data=contact_form(client, **{field: value}))
    assert response.status_code < 500
    _no_raw_payload(response)
    assert "owner@private.example.net" not in response.get_data(as_text=True)


REQUEST_URL = "/requests/new?provider=acme&want=hosting&tool=Zoom&region=53"


def request_form(client, **overrides) -> dict:
    data = {**contact_form(client), "csrf_token": csrf_token(client, REQUEST_URL), **overrides}
    return {key: value for key, value in data.items() if value is not None}


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from([*CONTACT_FIELDS, "remove", "submission_key"]), value=nasty_text)
def test_request_form_survives_anything(fuzz_app, field, value):
    client = fuzz_app.test_client()
    response = client.post(REQUEST_URL, data=request_form(client, **{field: value}))
    assert response.status_code < 500
    _no_raw_payload(response)
    assert "owner@private.example.net" not in response.get_data(as_text=True)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    params=st.lists(
        st.tuples(
            st.sampled_from(
                ["provider", "want", "tool", "region", "postcode", "remote", "people", "onsite",
                 "budget", "lang", "zzz"]
            ),
            nasty_text,
        ),
        max_size=8,
    )
)  # fmt: skip
def test_request_query_string_survives_anything(fuzz_app, params):
    client = fuzz_app.test_client()
    response = client.get("/requests/new", query_string=[("provider", "acme"), *params])
    assert response.status_code < 500
    _no_raw_payload(response)


def test_a_100_kb_request_is_refused_cleanly(fuzz_app):
    client = fuzz_app.test_client()
    response = client.post(REQUEST_URL, data=request_form(client, body="x" * 100_000))
    assert response.status_code == 400
    assert b"body-error" in response.data


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(REPORT_FIELDS), value=nasty_text)
def test_report_form_survives_anything(fuzz_app, field, value):
    client = fuzz_app.test_client()
    response = client.post("/providers/acme/report", data=report_form(client, **{field: value}))
    assert response.status_code < 500
    _no_raw_payload(response)
    assert "owner@private.example.net" not in response.get_data(as_text=True)


@pytest.fixture(scope="module")
def invitation(fuzz_app):
    """The path of a testimonial invitation to acme (its form)."""
    from datetime import timedelta

    from directory.models.provider import utcnow
    from directory.services import testimonial_invitations

    client = fuzz_app.test_client()
    assert client.post("/providers/acme/contact", data=contact_form(client)).status_code == 302
    with fuzz_app.test_request_context():
        testimonial_invitations.invite_due(utcnow() + timedelta(days=60))
        from sqlalchemy import select

        from directory.extensions import db
        from directory.models import ContactMessage

        message = db.session.scalars(select(ContactMessage).order_by(ContactMessage.id)).first()
        return "/testimonials/" + tokens.testimonial_token(message.id, message.reference)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(TESTIMONIAL_FIELDS), value=nasty_text)
def test_testimonial_form_survives_anything(fuzz_app, invitation, field, value):
    client = fuzz_app.test_client()
    data = {
        "csrf_token": csrf_token(client, invitation),
        "services": "hosting",
        "month": "2026-11",
        "recommend": "yes",
        "body": "Un accompagnement sérieux et patient, merci.",
        "signature": "name",
        "author_name": "Association",
        "region": "",
        field: value,
    }
    response = client.post(invitation, data=data)
    # 400 with the reasons, a 302 to the thank-you page, or (once one was kept) that page
    assert response.status_code < 500
    _no_raw_payload(response)


@pytest.fixture(scope="module")
def request_invitation(fuzz_app):
    """The path of a testimonial invitation after a request to acme and another provider,
    both of which said they would answer (the form then asks which one)."""
    from datetime import timedelta

    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Provider, RecipientState, RequestRecipient, ServiceRequest
    from directory.models.provider import utcnow
    from directory.services import testimonial_invitations

    with fuzz_app.test_request_context():
        acme = db.session.scalars(select(Provider.id).where(Provider.slug == "acme")).one()
        other = make_provider(slug="fuzz-other", contact_email="other@private.example.net")
        request = ServiceRequest(
            reference="f" * 32,
            sender_name="Asso",
            sender_email="asso@example.org",
            audience_code="small_associations",
            service_code="hosting",
            created_at=utcnow() - timedelta(days=60),
        )
        for number, provider_id in enumerate((acme, other.id)):
            recipient = RequestRecipient(
                reference=f"{number}" * 32,
                provider_id=provider_id,
                state=RecipientState.WILL_ANSWER,
            )
            request.recipients.append(recipient)
        db.session.add(request)
        db.session.commit()
        assert testimonial_invitations.invite_due() == 1
        return "/testimonials/" + tokens.request_testimonial_token(request.id, request.reference)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from([*TESTIMONIAL_FIELDS, "provider"]), value=nasty_text)
def test_request_testimonial_form_survives_anything(fuzz_app, request_invitation, field, value):
    client = fuzz_app.test_client()
    data = {
        "csrf_token": csrf_token(client, request_invitation),
        "provider": "acme",
        "services": "hosting",
        "month": "2026-11",
        "recommend": "yes",
        "body": "Un accompagnement sérieux et patient, merci.",
        "signature": "name",
        "author_name": "Association",
        "region": "",
        field: value,
    }
    response = client.post(request_invitation, data=data)
    assert response.status_code < 500
    _no_raw_payload(response)
    assert "owner@private.example.net" not in response.get_data(as_text=True)
    erase = {"csrf_token": data["csrf_token"], "provider": value}
    assert client.post(request_invitation + "/erase", data=erase).status_code == 302


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(["email", "nickname", "zzz"]), value=nasty_text)
def test_visitor_testimonial_email_form_survives_anything(fuzz_app, field, value):
    client = fuzz_app.test_client()
    path = "/providers/acme/testimonial"
    data = {"csrf_token": csrf_token(client, path), "email": "asso@example.org", field: value}
    response = client.post(path, data=data)
    assert response.status_code < 500
    _no_raw_payload(response)
    assert "owner@private.example.net" not in response.get_data(as_text=True)


@pytest.fixture(scope="module")
def visitor_link(fuzz_app):
    """The path of a visitor's link to leave a testimonial about acme."""
    client = fuzz_app.test_client()
    path = "/providers/acme/testimonial"
    data = {"csrf_token": csrf_token(client, path), "email": "visitor@example.org"}
    assert client.post(path, data=data).status_code == 302
    with fuzz_app.test_request_context():
        from sqlalchemy import select

        from directory.extensions import db
        from directory.models import VisitorInvitation

        invitation = db.session.scalars(select(VisitorInvitation)).first()
        return "/testimonials/" + tokens.visitor_testimonial_token(
            invitation.id, invitation.reference
        )


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from([*TESTIMONIAL_FIELDS, "provider"]), value=nasty_text)
def test_visitor_testimonial_form_survives_anything(fuzz_app, visitor_link, field, value):
    client = fuzz_app.test_client()
    data = {
        "csrf_token": csrf_token(client, visitor_link),
        "services": "hosting",
        "month": "2026-11",
        "recommend": "yes",
        "body": "Un accompagnement sérieux et patient, merci.",
        "signature": "name",
        "author_name": "Association",
        "region": "",
        field: value,
    }
    response = client.post(visitor_link, data=data)
    assert response.status_code < 500
    _no_raw_payload(response)
    assert "visitor@example.org" not in response.get_data(as_text=True)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    params=st.lists(
        st.tuples(
            st.sampled_from(
                ["q", "service", "region", "dept", "sort", "page", "wide", "lang", "kind", "zzz"]
            ),
            nasty_text,
        ),
        max_size=6,
    )
)
def test_search_query_string_survives_anything(fuzz_app, params):
    client = fuzz_app.test_client()
    for path in ("/search", "/api/v1/providers", "/feeds/providers.atom", "/embed"):
        response = client.get(path, query_string=params)
        assert response.status_code < 500, path
        _no_raw_payload(response)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    params=st.lists(
        st.tuples(
            st.sampled_from(
                ["want", "tool", "region", "postcode", "remote", "people", "onsite", "budget"]
            ),
            nasty_text,
        ),
        max_size=8,
    )
)
def test_find_help_query_string_survives_anything(fuzz_app, params):
    client = fuzz_app.test_client()
    for path in ("/help/", "/help/place", "/help/budget", "/help/results"):
        # A valid first answer too, so that the result page runs its search.
        for query in (params, [("want", "leave"), *params]):
            response = client.get(path, query_string=query)
            assert response.status_code < 500, path
            _no_raw_payload(response)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(email=nasty_text, password=nasty_text)
def test_login_and_edit_link_survive_anything(fuzz_app, email, password):
    client = fuzz_app.test_client()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code < 500
    response = client.post("/edit-link", data={"email": email, "csrf_token": token})
    assert response.status_code < 500
    _no_raw_payload(response)


def test_invalid_utf8_and_duplicates_in_a_raw_body(fuzz_app):
    client = fuzz_app.test_client()
    token = csrf_token(client, "/apply")
    body = f"csrf_token={token}&name=%ff%fe%00&name=second&services=hosting&services=hosting"
    response = client.post("/apply", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_a_100_kb_field_is_refused_cleanly(fuzz_app):
    client = fuzz_app.test_client()
    response = client.post("/apply", data=application_form(client, description_fr="x" * 100_000))
    assert response.status_code == 400
    assert b"description_fr-error" in response.data


def test_a_100_kb_message_is_refused_cleanly(fuzz_app):
    client = fuzz_app.test_client()
    response = client.post("/providers/acme/contact", data=contact_form(client, body="x" * 100_000))
    assert response.status_code == 400
    assert b"body-error" in response.data


def test_a_100_kb_report_is_refused_cleanly(fuzz_app):
    client = fuzz_app.test_client()
    response = client.post("/providers/acme/report", data=report_form(client, body="x" * 100_000))
    assert response.status_code == 400
    assert b"body-error" in response.data


@pytest.mark.parametrize(
    "value",
    [
        "a@example.org\r\nBcc: victim@example.org",
        "=?utf-8?q?=0D=0ABcc:_v@x.org?=@example.org",
    ],
)
def test_the_report_form_refuses_header_injection_in_the_email(fuzz_app, value):
    client = fuzz_app.test_client()
    response = client.post("/providers/acme/report", data=report_form(client, email=value))
    assert response.status_code == 400
    assert b'id="email-error"' in response.data


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sender_name", "Asso\r\nBcc: victim@example.org"),
        ("sender_email", "a@asso.example.org\r\nBcc: victim@example.org"),
        ("sender_email", "=?utf-8?q?=0D=0ABcc:_v@x.org?=@asso.example.org"),
    ],
)
def test_the_contact_form_refuses_header_injection(fuzz_app, field, value):
    client = fuzz_app.test_client()
    response = client.post("/providers/acme/contact", data=contact_form(client, **{field: value}))
    assert response.status_code == 400
    assert f'id="{field}-error"'.encode() in response.data


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Coop\r\nBcc: victim@example.org"),
        ("pitch_fr", "a\nb"),
        ("website", "https://ok.example.org\njavascript:x"),
        ("software", "Nextcloud\nX"),
    ],
)
def test_line_breaks_are_refused_in_one_line_fields(fuzz_app, field, value):
    client = fuzz_app.test_client()
    response = client.post("/apply", data=application_form(client, **{field: value}))
    assert response.status_code == 400
    assert f'id="{field}-error"'.encode() in response.data


def test_an_email_subject_never_spans_lines(app, smtp):
    with app.app_context():
        mail.send("a@example.net", "Entry\r\nBcc: victim@example.org", "body")
    (message,) = smtp.messages
    assert message["Subject"] == "Entry Bcc: victim@example.org"
    assert message["Bcc"] is None


@pytest.mark.parametrize("segment", ["%00", "a%00b", "%ff", "..%2f..%2fetc", "x" * 5000])
def test_hostile_path_segments(fuzz_app, segment):
    client = fuzz_app.test_client()
    for prefix in ("/providers/", "/api/v1/providers/", "/status/", "/edit/", "/providers/logos/"):
        response = client.get(prefix + segment)
        assert response.status_code == 404, prefix
    for path in (
        f"/providers/{segment}/contact",
        f"/contact/{segment}",
        f"/providers/{segment}/report",
        f"/providers/{segment}/report/sent",
        f"/requests/{segment}",
        f"/requests/{segment}/erase",
        f"/requests/answer/{segment}/will_answer",
    ):
        assert client.get(path).status_code == 404, path


def test_log_lines_cannot_be_forged(app, caplog):
    app.logger.error("Search failed for %s", "nextcloud\nERROR forged line\r")
    (record,) = [r for r in caplog.records if r.name == app.logger.name]
    assert "\n" not in record.getMessage()
    assert record.getMessage() == "Search failed for nextcloud\\nERROR forged line\\r"
