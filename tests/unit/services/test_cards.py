"""Result cards read in two statements show what the provider model shows, and nothing
private."""

import pytest
from sqlalchemy import event

from directory.extensions import db
from directory.services import cards, providers
from directory.services.taxonomy import load_taxonomy
from tests.factories import make_provider


@pytest.fixture
def ctx(app):
    with app.test_request_context("/"):
        yield


def _shown(entry, locale):
    return {
        "name": entry.name,
        "slug": entry.slug,
        "kind": entry.kind.label(locale),
        "work_mode": entry.work_mode.label(locale),
        "services": [s.label(locale) for s in entry.services],
        "price_models": [p.label_fr for p in entry.price_models],
        "audiences": [a.code for a in entry.audiences],
        "languages": [lang.code for lang in entry.languages],
        "areas": entry.area_labels(locale),
        "software": [tag.name for tag in entry.software],
        "pitch": entry.localized("pitch", locale),
        "website": entry.website_url,
        "verified": entry.last_verified_on,
        "updated": entry.updated_at,
        "chatons": entry.chatons_member,
    }


@pytest.mark.usefixtures("ctx")
def test_a_card_shows_what_the_model_shows(app):
    made = make_provider(
        services=["training", "hosting", "website"],
        price_models=["free", "paid"],
        regions=["53", "11"],
        departements=["35", "29"],
        software=["Nextcloud", "BigBlueButton", "collabora online"],
        pitch_en="Hosting in Brittany",
        chatons_member=True,
        city="Rennes",
    )
    other = make_provider(services=[])
    model = {p.id: p for p in providers.get_many([made.id, other.id])}
    loaded = cards.load([made.id, other.id])
    for locale in ("fr", "en"):
        for provider_id in (made.id, other.id):
            assert _shown(loaded[provider_id], locale) == _shown(model[provider_id], locale)


@pytest.mark.usefixtures("ctx")
def test_cards_take_two_statements_hold_no_private_column_and_skip_unpublished(app):
    shown = make_provider(contact_email="private@example.org")
    hidden = make_provider(published=False)
    load_taxonomy()  # read once per process, then one lookup of its version
    ids = [shown.id, hidden.id]
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        loaded = cards.load(ids)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert list(loaded) == ids[:1]
    assert len(statements) <= 3  # the columns, the links (and the taxonomy's version)
    assert not hasattr(loaded[ids[0]], "contact_email")
    assert "private@example.org" not in repr(loaded[ids[0]])
