"""Browser fixtures: the seeded app served on loopback, Debian's Chromium, console watching."""

import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from directory.config import ROOT
from directory.extensions import db
from directory.models import (
    ContactMessage,
    Provider,
    RecipientState,
    Report,
    RequestRecipient,
    Role,
    ServiceRequest,
)
from directory.models import Testimonial as Given
from directory.models import TestimonialState as GivenState
from directory.models.provider import utcnow
from directory.services import accounts, indexing, moderation, review, tokens
from directory.services.seeding import load_seed
from tests.conftest import PASSWORD, SEED_DIR, _make_app, csrf_token
from tests.forms import application_form

# expect()'s default of 5 s is short on a loaded machine (2 cores shared by pytest, the
# server and Chromium): a journey once failed after 5.5 s, and not again in 9 runs.
expect.set_options(timeout=15_000)

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
MODERATOR = "moderator@example.org"
ADMIN = "admin@example.org"
# Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass
class LiveServer:
    """The address of the served app, its outbox, and the items made for the page tests."""

    url: str
    app: object
    outbox: Path
    status_path: str = ""
    amend_path: str = ""  # an application sent back for changes
    edit_path: str = ""  # a listed provider's private edit link
    contact_erase_path: str = ""  # a contact message's private link, from its sender's copy
    pending_id: int = 0
    report_id: int = 0  # an open report on coop-num-armor
    testimonial_path: str = ""  # the invitation link of the contact message's sender
    testimonial_id: int = 0  # a testimonial waiting for a moderator
    request_testimonial_path: str = ""  # the invitation after a request to two providers

    def emails_to(self, address: str) -> list[EmailMessage]:
        """The emails written to the outbox for this address, oldest first."""
        files = sorted(self.outbox.glob("*.eml"), key=lambda f: f.stat().st_mtime_ns)
        messages = [message_from_bytes(f.read_bytes(), policy=default_policy) for f in files]
        return [message for message in messages if message["To"] == address]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app with the seed data, a moderator, an admin and applications in each state
    (pending, approved, sent back), served by werkzeug in a thread on a free loopback port
    for the whole session; emails are written to its outbox folder."""
    tmp = tmp_path_factory.mktemp("live")
    app = _make_app(tmp)
    with app.app_context():
        load_seed(SEED_DIR)
        indexing.reindex_all()
        moderator_id = accounts.create_moderator(MODERATOR, PASSWORD).id
        accounts.create_moderator(ADMIN, PASSWORD, Role.ADMIN)
    client = app.test_client()
    # A few applications, so that the queue and the dashboard have something to show: the
    # first stays pending (the page tests open it), the others are decided.
    status_tokens = []
    for name in ("Le Relais Libre", "Atelier du Lien", "Réseau Pixel", "Brins de Code"):
        response = client.post("/apply", data=application_form(client, name=name))
        assert response.status_code == 302, response.get_data(as_text=True)
        status_tokens.append(response.headers["Location"].rsplit("/", 1)[-1])
    contact_page = "/providers/coop-num-armor/contact"
    token = csrf_token(client, contact_page)
    sent = client.post(
        contact_page,
        data={
            "csrf_token": token,
            "sender_name": "Association du Port",
            "sender_email": "port@asso.example.org",
            "audience": "small_associations",
            "service": "hosting",
            "body": "Bonjour, nous cherchons un hébergement pour nos documents.",
            "consent": "y",
        },
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with app.app_context():
        message = db.session.scalars(select(ContactMessage)).one()
        contact_token = tokens.contact_token(message.id, message.reference)
    report_page = "/providers/coop-num-armor/report"
    reported = client.post(
        report_page,
        data={
            "csrf_token": csrf_token(client, report_page),
            "reason": "wrong_information",
            "body": "Le téléphone ne répond plus.",
        },
    )
    assert reported.status_code == 302, reported.get_data(as_text=True)
    with app.app_context():
        report_id = db.session.scalars(select(Report.id)).one()
        testimonial_path = "/testimonials/" + tokens.testimonial_token(
            message.id, message.reference
        )
        provider = db.session.get(ContactMessage, message.id).provider
        shown = Given(
            provider_id=provider.id,
            state=GivenState.APPROVED,
            author_name="Association des Jardins",
            services=["hosting"],
            month="2026-09",
            recommend=True,
            body="Un hébergement fiable et une équipe qui explique sans jargon.",
            via_directory=True,
            decided_at=datetime(2026, 10, 1),
            reply_body="Merci pour votre confiance !",
            reply_state=GivenState.APPROVED,
        )
        waiting = Given(
            provider_id=provider.id,
            state=GivenState.PENDING,
            region_code="53",
            services=["hosting"],
            month="2026-10",
            recommend=False,
            body="Des délais plus longs que prévu, mais un bon résultat.",
        )
        db.session.add_all([shown, waiting])
        db.session.commit()
        testimonial_id = waiting.id
    with app.test_request_context():  # the decisions email links to the site
        first, *others = review.queue()
        approved = moderation.approve(others[0].id, moderator_id, others[0].version)
        edit_path = "/edit/" + tokens.edit_token(
            approved.provider_id, approved.provider.contact_email
        )
        moderation.request_changes(
            others[1].id, moderator_id, others[1].version, "Merci de préciser vos tarifs."
        )
        pending_id = first.id
    request_testimonial_path = request_invitation(app, "Association de la Rade")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Links and redirects are built from PUBLIC_URL: the port is known only now.
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live = LiveServer(
        url=f"http://127.0.0.1:{server.port}",
        app=app,
        outbox=tmp / "mail",
        status_path=f"/status/{status_tokens[0]}",
        amend_path=f"/status/{status_tokens[2]}/amend",
        edit_path=edit_path,
        contact_erase_path=f"/contact/{contact_token}",
        pending_id=pending_id,
        report_id=report_id,
        testimonial_path=testimonial_path,
        testimonial_id=testimonial_id,
        request_testimonial_path=request_testimonial_path,
    )
    yield live
    server.shutdown()
    thread.join(timeout=10)
    app.extensions["directory.search"].index.close()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded one; a missing browser fails the tests."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium package (make test does it as root)"
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A French browser, as most visitors are; English is asked for with ?lang=en."""
    return {**browser_context_args, "locale": "fr-FR"}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} not found: run `npm ci` (make test does it)")
    return AXE.read_text(encoding="utf-8")


# Chromium logs the HTTP status of a page shown with an error status (a 404 page, a form
# sent back with errors) as a console error; those statuses are intended.
LOAD_FAILED = re.compile(r"^Failed to load resource: the server responded with a status of")


@pytest.fixture(autouse=True)
def console_errors(context):
    """Fails a browser test when any page logged a console error, threw an uncaught error,
    or one of its resources (style sheet, script, image) failed to load."""
    documents: set[str] = set()
    errors: list[str] = []

    def on_response(response):
        if response.request.resource_type == "document":
            documents.add(response.url)
        elif response.status >= 400:
            errors.append(f"{response.status} for {response.url}")

    def on_console(message):
        if message.type != "error":
            return
        if LOAD_FAILED.match(message.text) and message.location.get("url") in documents:
            return
        errors.append(f"console: {message.text} ({message.location.get('url')})")

    context.on("response", on_response)
    context.on("console", on_console)
    context.on("weberror", lambda error: errors.append(f"page error: {error.error}"))
    yield errors
    assert errors == [], "\n".join(errors)


def request_invitation(app, sender_name: str) -> str:
    """The path of a testimonial invitation after a request, sent 60 days ago, to
    coop-num-armor and another hosting provider, both of which said they would answer."""
    with app.app_context():
        other = db.session.scalars(
            select(Provider.slug)
            .where(Provider.published, Provider.slug != "coop-num-armor")
            .order_by(Provider.slug)
        ).first()
        request = ServiceRequest(
            reference=secrets.token_hex(16),
            sender_name=sender_name,
            sender_email="rade@asso.example.org",
            audience_code="small_associations",
            service_code="hosting",
            region_code="53",
            created_at=utcnow() - timedelta(days=60),
        )
        for slug in ("coop-num-armor", other):
            provider_id = db.session.scalars(select(Provider.id).where(Provider.slug == slug)).one()
            request.recipients.append(
                RequestRecipient(
                    reference=secrets.token_hex(16),
                    provider_id=provider_id,
                    state=RecipientState.WILL_ANSWER,
                )
            )
        db.session.add(request)
        db.session.commit()
        return "/testimonials/" + tokens.request_testimonial_token(request.id, request.reference)


def login(page, email: str = MODERATOR, password: str = PASSWORD) -> None:
    """Logs a moderator in through the real form."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/moderation/"))


@pytest.fixture
def moderator_page(page, live_server):
    login(page)
    return page
