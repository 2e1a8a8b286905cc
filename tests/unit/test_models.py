"""Model rules: tag normalisation, language fallback, safe website links, ids never reused."""

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from directory.extensions import db
from directory.models import (
    Application,
    ApplicationKind,
    ApplicationState,
    AuditEntry,
    Provider,
    normalise_tag,
)
from directory.services import applications, moderation


@pytest.mark.parametrize("name", ["NextCloud", "nextcloud", " Nextcloud ", "NEXTCLOUD"])
def test_software_tags_normalise_to_one_key(name):
    assert normalise_tag(name) == "nextcloud"


def test_inner_spaces_collapse():
    assert normalise_tag("Jitsi   Meet") == "jitsi meet"


def test_localized_text_falls_back_to_the_other_language():
    provider = Provider(pitch_fr="Bonjour", pitch_en="  ")
    english = provider.localized("pitch", "en")
    assert (english.text, english.lang, english.is_fallback) == ("Bonjour", "fr", True)
    french = provider.localized("pitch", "fr")
    assert (french.text, french.lang, french.is_fallback) == ("Bonjour", "fr", False)


def test_localized_text_when_both_are_empty():
    provider = Provider(pitch_fr="", pitch_en="")
    assert provider.localized("pitch", "fr").text == ""
    assert provider.localized("pitch", "fr").is_fallback is False


@pytest.mark.parametrize(
    ("website", "expected"),
    [
        ("https://a.example.org", "https://a.example.org"),
        ("HTTP://a.example.org", "HTTP://a.example.org"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("//evil.example", None),
        (None, None),
    ],
)
def test_only_http_websites_are_linked(website, expected):
    assert Provider(website=website).website_url == expected


def _approved_application(moderator, name: str):
    application = applications.submit_new(
        {"name": name, "kind": "association", "work_mode": "both"},
        f"{name.lower()}@private.example.net",
        "fr",
    )
    moderation.approve(application.id, moderator, application.version)
    return application


def test_an_erased_entry_never_lends_its_id_or_history_to_a_new_one(app, moderator):
    with app.test_request_context():
        first = _approved_application(moderator, "Premier")
        erased_id = first.provider_id
        removal = applications.request_removal(erased_id, "fr")
        moderation.approve(removal.id, moderator, removal.version)
        second = _approved_application(moderator, "Second")
        assert second.provider_id != erased_id
        assert second.provider_id > erased_id
        db.session.expire_all()
        # The erased entry's applications stay detached; its audit history keeps its own id.
        for application_id in (first.id, removal.id):
            assert db.session.get(Application, application_id).provider is None
        history = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.provider_id == second.provider_id)
        ).all()
        assert sorted(history) == ["application.approved", "provider.published"]


def test_deleting_a_provider_detaches_its_applications_in_the_database(app, moderator):
    with app.test_request_context():
        application = _approved_application(moderator, "Detache")
        db.session.execute(delete(Provider).where(Provider.id == application.provider_id))
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Application, application.id).provider_id is None


def test_a_row_pointing_nowhere_is_refused(app):
    with app.app_context():
        db.session.add(
            Application(
                reference="ABCD-EFGH",
                kind=ApplicationKind.UPDATE,
                state=ApplicationState.PENDING,
                provider_id=999,
                data={},
                locale="fr",
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
