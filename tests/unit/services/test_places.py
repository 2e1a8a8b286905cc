"""Places typed in a query: régions, départements by name or number, postcodes, towns."""

import pytest

from directory import search
from directory.extensions import db
from directory.services import index_log, places
from directory.services.places import Gazetteer, departement_of_postcode
from directory.services.taxonomy import load_taxonomy
from tests.factories import make_provider

TOWNS = [("Saint-Denis", "93200"), ("Saint-Denis", "97400"), ("Quimper", "29000")]


@pytest.fixture
def gazetteer(app):
    with app.app_context():
        return Gazetteer(load_taxonomy(), TOWNS)


def found(gazetteer, text):
    places, rest = gazetteer.find(text)
    return [(p.param, p.code, p.words) for p in places], rest


@pytest.mark.parametrize(
    ("text", "places", "rest"),
    [
        ("hébergement bretagne", [("region", "53", "bretagne")], "hébergement"),
        ("hosting Brittany", [("region", "53", "Brittany")], "hosting"),
        ("visio ile-de-france", [("region", "11", "ile-de-france")], "visio"),
        ("nextcloud 35", [("dept", "35", "35")], "nextcloud"),
        ("29000", [("dept", "29", "29000")], ""),
        ("formation QUIMPER", [("dept", "29", "QUIMPER")], "formation"),
        ("compta Côte-d'Or", [("dept", "21", "Côte-d'Or")], "compta"),
        ("Pays de la Loire", [("region", "52", "Pays de la Loire")], ""),
        ("Saint-Denis", [("dept", "93", "Saint-Denis"), ("dept", "974", "Saint-Denis")], ""),
    ],
)
def test_places_become_areas(gazetteer, text, places, rest):
    assert found(gazetteer, text) == (places, rest)


@pytest.mark.parametrize("text", ["microsoft 365", "3615", "pas cher", "la somme", "nextcloud"])
def test_other_words_are_no_places(gazetteer, text):
    assert found(gazetteer, text) == ([], text)


@pytest.mark.parametrize(
    ("postcode", "code"),
    [("29000", "29"), ("97400", "974"), ("20000", "2A"), ("20200", "2B"), ("1234", None)],
)
def test_departement_of_postcode(postcode, code):
    assert departement_of_postcode(postcode) == code


def test_reunion_alone_is_a_meeting_la_reunion_is_a_place(gazetteer):
    assert found(gazetteer, "réunion en ligne") == ([], "réunion en ligne")
    assert found(gazetteer, "formation La Réunion")[0] == [("region", "04", "La Réunion")]


def _publish(**fields):
    """A provider made public as the services do: its change logged with its commit."""
    provider = make_provider(**fields)
    index_log.record(upserts=[provider.id])
    db.session.commit()
    return provider


def test_the_towns_of_providers_changed_since_are_added_to_the_kept_gazetteer(app):
    with app.test_request_context():
        taxonomy = load_taxonomy()
        _publish(city="Rennes", postcode="35000")
        first = places.gazetteer(taxonomy)
        assert found(first, "compta rennes") == ([("dept", "35", "rennes")], "compta")
        assert places.gazetteer(taxonomy) is first  # nothing changed: kept as it is
        _publish(city="Quimperlé", postcode="29300")
        after = places.gazetteer(taxonomy)
        assert found(after, "visio quimperle")[0] == [("dept", "29", "quimperle")]
        assert found(after, "rennes")[0] == [("dept", "35", "rennes")]


def test_a_pruned_change_log_reads_every_town_again(app, monkeypatch):
    with app.test_request_context():
        taxonomy = load_taxonomy()
        _publish(city="Rennes", postcode="35000")
        places.gazetteer(taxonomy)
        monkeypatch.setattr(index_log, "kept_since", lambda _after_id: False)
        monkeypatch.setattr(search, "index_providers", lambda _providers: None)
        make_provider(city="Morlaix", postcode="29600")  # its change was never logged
        _publish(city="Vannes", postcode="56000")
        rebuilt = places.gazetteer(taxonomy)
        assert found(rebuilt, "morlaix vannes")[0] == [
            ("dept", "29", "morlaix"),
            ("dept", "56", "vannes"),
        ]
