"""Near me: an origin from a postcode, a département or the browser's position, and the
distances between département centres."""

import pytest

from directory.config import ROOT
from directory.services import nearby

CENTRES = str(ROOT / "static" / "map" / "departements.json")


def test_every_departement_of_the_taxonomy_has_a_centre(app):
    from directory.services.taxonomy import load_taxonomy

    with app.app_context():
        codes = {d.code for d in load_taxonomy().departements}
    assert codes <= set(nearby.centres(CENTRES))


@pytest.mark.parametrize(
    ("near", "departement"),
    [("35000", "35"), ("29", "29"), ("2a", "2A"), ("97400", "974"), ("48.39,-4.49", "29")],
)
def test_an_origin_from_what_the_visitor_gives(near, departement):
    assert nearby.origin(near, CENTRES).departement == departement


@pytest.mark.parametrize("near", ["", "00000", "nowhere", "0,0", "99.9,200"])
def test_unknown_places_give_no_origin(near):
    assert nearby.origin(near, CENTRES) is None


def test_distances_are_plausible_kilometres():
    rennes = nearby.distances(nearby.origin("35000", CENTRES), CENTRES)
    assert rennes["35"] == 0
    assert 60 < rennes["22"] < 140  # Côtes-d'Armor
    assert 600 < rennes["67"] < 800  # Bas-Rhin (Rennes to Strasbourg: about 700 km)
    assert rennes["22"] < rennes["75"] < rennes["13"]
    assert "974" not in rennes


def test_an_overseas_departement_is_near_itself_only():
    reunion = nearby.distances(nearby.origin("97400", CENTRES), CENTRES)
    assert reunion == {"974": 0.0}
