"""Result cards that scan (logo or monogram, pictograms, facts on one line, trust badges) and
facets that fold, through the HTTP client."""

from datetime import date, timedelta

from babel.dates import format_date

from directory.pictograms import monogram, service_icon
from tests.conftest import html
from tests.factories import make_provider


def _cards(client, query_string=None):
    page = html(client.get("/search", query_string={"lang": "fr", **(query_string or {})}))
    return {
        card.select_one(".card-title a").get_text(strip=True): card for card in page.select(".card")
    }


def test_a_card_shows_the_logo_or_else_a_monogram_of_the_name(app, client):
    with app.app_context():
        make_provider(name="Coop Num Armor", logo_filename="abc.webp")
        make_provider(name="Les Octets de la Loire")
    cards = _cards(client)
    logo = cards["Coop Num Armor"].select_one("img.card-logo")
    assert logo["src"].endswith("/abc.webp") and logo["alt"] == ""
    assert (logo["width"], logo["height"]) == ("56", "56")  # its room is kept before it loads
    assert not cards["Coop Num Armor"].select(".monogram")
    mark = cards["Les Octets de la Loire"].select_one(".monogram")
    assert mark.get_text() == "OL" and mark["aria-hidden"] == "true"
    assert f"tone-{monogram('Les Octets de la Loire').tone}" in mark["class"]
    assert not cards["Les Octets de la Loire"].select("img")


def test_a_card_shows_each_service_with_its_pictogram_from_the_one_sprite(app, client):
    with app.app_context():
        make_provider(name="Visio", services=["videoconference", "training"])
    (card,) = _cards(client).values()
    services = card.select(".card-services li")
    assert [li.get_text(strip=True) for li in services] == ["Formation", "Visioconférence"]
    uses = [li.select_one("svg[aria-hidden=true] use")["href"] for li in services]
    sprites = {href.partition("#")[0] for href in uses}
    assert len(sprites) == 1 and sprites.pop().startswith("/static/icons/sprite.svg?v=")
    assert [href.partition("#")[2] for href in uses] == [
        service_icon("training"),
        service_icon("videoconference"),
    ]
    served = client.get(uses[0].partition("#")[0])
    assert served.status_code == 200 and served.mimetype == "image/svg+xml"
    assert f'id="{service_icon("videoconference")}"'.encode() in served.data


def test_area_and_price_share_one_line_and_trust_shows_as_badges(app, client):
    checked = date.today() - timedelta(days=40)
    with app.app_context():
        make_provider(
            name="Chatons",
            chatons_member=True,
            regions=["53"],
            serves_remotely=True,
            price_models=["paid", "free"],
            last_verified_on=checked,
        )
    (card,) = _cards(client).values()
    facts = {div["class"][0]: div for div in card.select(".card-facts > div")}
    assert facts["card-area"].dd.get_text(strip=True) == "Bretagne, À distance"
    assert facts["card-area"].dt.get_text(strip=True) == "Zones"  # named for screen readers
    assert facts["card-price"].dt.get_text(strip=True) == "Tarif"
    badges = [li.get_text(" ", strip=True) for li in card.select(".card-badges li.badge")]
    # The month as one short phrase ("Dernière vérification : 9 / sept. 2024" wrapped badly).
    assert badges[0] == "Membre des CHATONS"
    month = format_date(checked, "MMM y", locale="fr")  # "sept. 2024"
    assert badges[1] in {f"Vérifié en {month}", f"Verified in {month}"}
    assert card.select_one(".card-badges time")["datetime"] == checked.isoformat()


def test_a_stale_entry_shows_the_to_be_verified_badge_instead_of_its_date(app, client):
    with app.app_context():
        make_provider(name="Ancienne", last_verified_on=date(2019, 1, 15))
    (card,) = _cards(client).values()
    assert [li.get_text(strip=True) for li in card.select(".card-badges li")] == ["À vérifier"]
    assert card.select_one(".card-badges .badge-warning")


def _facet(page, name):
    return page.select_one(f"details#facet-{name}")


def test_facets_fold_and_show_their_most_frequent_values_first(seeded_client):
    page = html(seeded_client.get("/search?lang=fr"))
    services = _facet(page, "service")
    assert services.has_attr("open")  # the main facets open, the others folded
    assert not _facet(page, "audience").has_attr("open")
    featured = services.select("fieldset > .facet-option input")
    more = services.select("details.facet-more .facet-option input")
    assert len(featured) == 6 and len(more) == 10
    counts = {
        box["value"]: int(box.find_next("span", class_="count").get_text(strip="()").strip("()"))
        for box in featured + more
    }
    assert min(counts[b["value"]] for b in featured) >= max(counts[b["value"]] for b in more)
    english = _facet(html(seeded_client.get("/search?lang=en")), "service")
    assert english.select_one(".facet-more > summary").get_text(strip=True) == "Show 10 more"


def test_a_ticked_value_is_never_folded_away_and_opens_its_facet(seeded_client):
    page = html(seeded_client.get("/search?lang=fr&audience=large_associations"))
    audience = _facet(page, "audience")
    assert audience.has_attr("open")
    ticked = audience.select("input:checked")
    assert [box["value"] for box in ticked] == ["large_associations"]
    assert not ticked[0].find_parent("details", class_="facet-more")
    # Every value can still be ticked: none is left out of the form.
    page = html(seeded_client.get("/search?lang=fr"))
    values = [box["value"] for box in _facet(page, "region").select("input[name=region]")]
    assert len(values) == 18
