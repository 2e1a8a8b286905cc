"""Fixtures: an app with its own database and index, a client, a CLI runner, seeded data."""

import shutil
import socket
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup

from directory import create_app
from directory.config import ROOT, TestConfig
from directory.extensions import db
from directory.models import Role
from directory.services import accounts, indexing
from directory.services.seeding import load_seed, load_taxonomy_file
from tests import databases

SEED_DIR = ROOT / "seed"
PASSWORD = "correct horse battery staple"


def worker_config(app, **overrides) -> dict:
    """The configuration of another worker process on the same database, index and files."""
    shared = (
        "SQLALCHEMY_DATABASE_URI",
        "SQLALCHEMY_ENGINE_OPTIONS",
        "SEARCH_INDEX_DIR",
        "LOGO_DIR",
        "MAIL_OUTBOX_DIR",
        "MAIL_SERVER",
        "RATELIMIT_STORAGE_URI",
    )
    return {
        **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
        **{k: app.config[k] for k in shared if k in app.config},
        **overrides,
    }


def pytest_configure(config):
    """Under pytest -n, each worker keeps its failure screenshots in test-results/<worker>:
    pytest-playwright empties its output folder when a session starts, which would delete
    what a faster worker had already saved there. The main process empties the whole folder
    once, before the workers start, so that it holds this run's failures only."""
    if not config.pluginmanager.hasplugin("playwright"):
        return
    if databases.WORKER:
        config.option.output = str(Path(config.option.output) / databases.WORKER)
    elif config.pluginmanager.hasplugin("xdist") and config.getoption("numprocesses"):
        shutil.rmtree(config.option.output, ignore_errors=True)


def make_app(tmp: Path, **overrides):
    """A new app on its own database and index in `tmp`, with the real taxonomy."""
    copied = "SQLALCHEMY_DATABASE_URI" not in overrides and databases.fresh_sqlite_copy(
        tmp, _make_template
    )
    app = _make_app(tmp, **overrides)
    with app.app_context():
        if not copied:
            load_taxonomy_file(SEED_DIR / "taxonomy.json")
        indexing.reindex_all()
    return app


def _make_template(folder: Path) -> None:
    """The database that make_app copies for each new app on SQLite."""
    app = _make_app(folder)
    with app.app_context():
        load_taxonomy_file(SEED_DIR / "taxonomy.json")
        db.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases():
    yield
    databases.drop_all()


# Every app made by the tests, so that the ones a test made are closed when it ends.
_apps_made: list = []


@pytest.fixture(autouse=True)
def _close_the_indexes_a_test_opened():
    """Closes the search index of every app made during the test: a Whoosh file left open
    would otherwise be collected during a later test, whose unraisable-exception warning
    (an error here) would fail it."""
    first = len(_apps_made)
    yield
    for made in _apps_made[first:]:
        made.extensions["directory.search"].index.close()
    del _apps_made[first:]


def _make_app(tmp: Path, **overrides):
    app = create_app(
        {
            **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            **databases.database(tmp),
            "SEARCH_INDEX_DIR": str(tmp / "index"),
            "LOGO_DIR": str(tmp / "logos"),
            "MAIL_OUTBOX_DIR": str(tmp / "mail"),
            "MAIL_SERVER": "",
            **overrides,
        }
    )
    with app.app_context():
        db.create_all()
    _apps_made.append(app)
    return app


@pytest.fixture
def app(tmp_path):
    """An app with the real taxonomy, no provider and an empty index."""
    app = make_app(tmp_path)
    yield app
    app.extensions["directory.search"].index.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def seeded_app(tmp_path_factory):
    """An app loaded with the seed data once for the session: read-only tests only."""
    app = _make_app(tmp_path_factory.mktemp("seeded"))
    with app.app_context():
        load_seed(SEED_DIR)
        indexing.reindex_all()
    yield app
    app.extensions["directory.search"].index.close()


@pytest.fixture
def seeded_client(seeded_app):
    return seeded_app.test_client()


class SMTPRecorder:
    """A real SMTP server on loopback that keeps every message it receives."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default_policy)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def last(self) -> EmailMessage:
        assert self.messages, "no email was sent"
        return self.messages[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app):
    """Points the app at an SMTP server on loopback and returns its recorder."""
    recorder = SMTPRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield recorder
    controller.stop()


def body_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message: EmailMessage, path_start: str) -> str:
    """The path of the first link in an email's body that starts with path_start."""
    for word in body_of(message).split():
        if word.startswith("http"):
            path = "/" + word.split("/", 3)[3]
            if path.startswith(path_start):
                return path
    raise AssertionError(f"no link to {path_start} in: {body_of(message)}")


class Auth:
    """Logs moderators in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, email="moderator@example.org", password=PASSWORD, follow=False):
        page = html(self.client.get("/login"))
        token = page.select_one("input[name=csrf_token]")["value"]
        return self.client.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": token},
            follow_redirects=follow,
        )

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": csrf_token(self.client, "/")})


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def moderator(app):
    with app.app_context():
        return accounts.create_moderator("moderator@example.org", PASSWORD).id


@pytest.fixture
def admin(app):
    with app.app_context():
        return accounts.create_moderator("admin@example.org", PASSWORD, Role.ADMIN).id


def csrf_token(client, path: str) -> str:
    """A CSRF token from a page's form (or from the logout form of the moderators' bar)."""
    field = html(client.get(path)).select_one("input[name=csrf_token]")
    assert field is not None, f"no form on {path}"
    return field["value"]


def form_values(form) -> list[tuple[str, str]]:
    """What a browser would submit for this <form> element, untouched."""
    values = []
    for field in form.select("input[name], textarea[name], select[name]"):
        kind = field.get("type", "text")
        if field.name == "textarea":
            values.append((field["name"], field.get_text().lstrip("\r\n")))
        elif field.name == "select":
            values += [(field["name"], o["value"]) for o in field.select("option[selected]")]
        elif kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                values.append((field["name"], field.get("value", "on")))
        elif kind not in ("file", "submit"):
            values.append((field["name"], field.get("value", "")))
    return values


def html(response) -> BeautifulSoup:
    """The parsed page of a response, for assertions through CSS selectors."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
