"""Export and erasure of one's own data, and retention (flask purge)."""

import io
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from directory.extensions import db
from directory.models import Application, ApplicationState
from directory.models.provider import utcnow
from directory.services import applications, moderation
from tests.conftest import csrf_token, html, link_in
from tests.factories import make_provider
from tests.forms import application_form


def _apply_with_logo(client, smtp):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, "PNG")
    buffer.seek(0)
    client.post("/apply", data=application_form(client, logo=(buffer, "logo.png")))
    return link_in(smtp.last(), "/status/")


def test_an_applicant_downloads_their_data(client, smtp):
    status = _apply_with_logo(client, smtp)
    link = html(client.get(status)).select_one('a[href$="data.json"]')["href"]
    response = client.get(link)
    data = response.get_json()["application"]
    assert data["contact_email"] == "secret.person@private.example.net"
    assert data["entry"]["name"] == "Les Claviers Solidaires"
    assert "attachment" in response.headers["Content-Disposition"]


def test_an_applicant_erases_their_application_and_logo(app, client, smtp):
    status = _apply_with_logo(client, smtp)
    logos = list(Path(app.config["LOGO_DIR"]).iterdir())
    assert len(logos) == 1
    delete = status + "/delete"
    response = client.post(delete, data={"csrf_token": csrf_token(client, delete)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Application)).all() == []
    assert list(Path(app.config["LOGO_DIR"]).iterdir()) == []
    assert client.get(status).status_code == 404


def test_purge_erases_old_rejected_and_abandoned_applications_only(
    app, client, runner, moderator, smtp
):
    for email in ("old@example.net", "recent@example.net", "abandoned@example.net"):
        client.post("/apply", data=application_form(client, contact_email=email))
    with app.test_request_context():
        rows = {a.contact_email: a for a in db.session.scalars(select(Application))}
        moderation.reject(rows["old@example.net"].id, moderator, 1, "Non.")
        moderation.reject(rows["recent@example.net"].id, moderator, 1, "Non.")
        moderation.request_changes(rows["abandoned@example.net"].id, moderator, 1, "Précisez.")
        rows["old@example.net"].decided_at = utcnow() - timedelta(days=200)
        rows["abandoned@example.net"].decided_at = utcnow() - timedelta(days=400)
        db.session.commit()
        ids = {email: a.id for email, a in rows.items()}
    result = runner.invoke(args=["purge"])
    assert "2 applications purged" in result.output
    with app.app_context():
        old = db.session.get(Application, ids["old@example.net"])
        assert old.contact_email is None
        assert "public_email" not in old.data
        assert all(m.body == "" for m in old.messages)
        assert old.state == ApplicationState.REJECTED
        assert db.session.get(Application, ids["abandoned@example.net"]).contact_email is None
        assert db.session.get(Application, ids["recent@example.net"]).contact_email


def test_the_privacy_page_states_the_retention_periods(client):
    text = html(client.get("/privacy?lang=en")).main.get_text(" ", strip=True)
    assert "erased 6 months after the decision" in text
    assert "erased 12 months later" in text


def test_erased_text_leaves_the_index_files_after_purge(app, runner, moderator):
    def index_bytes():
        return b"".join(
            p.read_bytes() for p in Path(app.config["SEARCH_INDEX_DIR"]).iterdir() if p.is_file()
        )

    with app.test_request_context():
        kept = make_provider(description_fr="Hébergement ordinaire.")
        gone = make_provider(
            contact_email="gone@example.net", description_fr="Spécialiste du zygomorphisme."
        )
        assert b"zygomorph" in index_bytes()
        removal = applications.request_removal(gone.id, "fr")
        moderation.approve(removal.id, moderator, removal.version)
        assert kept.id
    runner.invoke(args=["purge"])
    assert b"zygomorph" not in index_bytes()
    assert b"ordinair" in index_bytes()
