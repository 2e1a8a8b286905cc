"""Moderation transitions through the service functions."""

import pytest

from directory import search
from directory.extensions import db
from directory.models import Application, ApplicationState, Provider
from directory.search import SearchRequest
from directory.services import applications, moderation
from directory.services.provider_data import snapshot
from tests.factories import make_provider


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def moderator_id(moderator):
    return moderator


def _visible(text="") -> list[int]:
    return [hit.provider_id for hit in search.search(SearchRequest(text=text)).hits]


@pytest.mark.usefixtures("ctx")
class TestTransitions:
    def test_a_refused_removal_puts_the_entry_back_online(self, moderator_id):
        provider = make_provider(contact_email="owner@example.net", pitch_fr="Hébergement.")
        removal = applications.request_removal(provider.id, "fr")
        assert _visible() == []
        moderation.reject(removal.id, moderator_id, removal.version, "Demande non confirmée.")
        assert db.session.get(Provider, provider.id).published is True
        assert _visible() == [provider.id]

    def test_a_new_update_supersedes_the_open_one(self):
        provider = make_provider(contact_email="owner@example.net", pitch_fr="Hébergement.")
        data = snapshot(provider)
        first = applications.submit_update(provider.id, {**data, "city": "Brest"}, "fr")
        second = applications.submit_update(provider.id, {**data, "city": "Quimper"}, "fr")
        assert db.session.get(Application, first.id).state == ApplicationState.SUPERSEDED
        assert db.session.get(Application, second.id).state == ApplicationState.PENDING

    def test_a_decision_on_a_stale_version_is_a_conflict(self, moderator_id):
        provider = make_provider(contact_email="owner@example.net", pitch_fr="Hébergement.")
        update = applications.submit_update(
            provider.id, {**snapshot(provider), "city": "Brest"}, "fr"
        )
        seen = update.version
        moderation.request_changes(update.id, moderator_id, seen, "Précisez la ville.")
        with pytest.raises(moderation.Conflict):
            moderation.approve(update.id, moderator_id, seen)
        assert db.session.get(Provider, provider.id).city is None

    def test_only_a_returned_application_can_be_amended(self):
        provider = make_provider(contact_email="owner@example.net", pitch_fr="Hébergement.")
        update = applications.submit_update(
            provider.id, {**snapshot(provider), "city": "Brest"}, "fr"
        )
        with pytest.raises(applications.NotAmendable):
            applications.amend(update.id, snapshot(provider))

    def test_approving_an_update_keeps_the_slug_and_bumps_the_version(self, moderator_id):
        provider = make_provider(contact_email="owner@example.net", pitch_fr="Hébergement.")
        slug, version = provider.slug, provider.version
        update = applications.submit_update(
            provider.id, {**snapshot(provider), "name": "Nouveau Nom"}, "fr"
        )
        moderation.approve(update.id, moderator_id, update.version)
        refreshed = db.session.get(Provider, provider.id)
        assert (refreshed.slug, refreshed.name) == (slug, "Nouveau Nom")
        assert refreshed.version == version + 1
        assert _visible("nouveau") == [provider.id]
