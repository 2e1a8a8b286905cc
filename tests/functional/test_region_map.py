"""The map facet of the results page: one link per région, named with its count."""

from urllib.parse import parse_qs, urlsplit

from tests.conftest import html
from tests.factories import make_provider


def map_links(page) -> dict[str, dict]:
    return {
        link["data-region"]: {
            "label": link["aria-label"],
            "query": parse_qs(urlsplit(link["href"]).query),
            "class": link["class"],
        }
        for link in page.select("#region-map a[data-region]")
    }


def test_every_region_is_a_named_link_with_its_count(app, client):
    with app.app_context():
        make_provider(regions=["53"], services=["hosting"])
        make_provider(regions=["53"], services=["training"])
        make_provider(regions=["11"], services=["hosting"])
    page = html(client.get("/search?lang=fr&wide=0"))
    links = map_links(page)
    assert len(links) == 18
    assert links["53"]["label"] == "Bretagne\u00a0: 2 prestataires"
    assert links["11"]["label"] == "Île-de-France\u00a0: 1 prestataire"
    assert links["94"]["label"] == "Corse\u00a0: 0 prestataire"
    assert "level-4" in links["53"]["class"]
    assert "level-1" in links["11"]["class"]
    assert "level-0" in links["94"]["class"]
    svg = page.select_one("#region-map svg")
    assert svg["aria-labelledby"] == "region-map-title"
    assert page.select_one("#region-map-title").get_text(strip=True)
    # The overseas régions are drawn in framed insets.
    assert page.select_one('#region-map a[data-region="04"] rect.map-inset')
    assert not page.select_one('#region-map a[data-region="53"] rect.map-inset')


def test_a_region_link_toggles_its_filter_and_keeps_the_search(app, client):
    with app.app_context():
        make_provider(regions=["53"], services=["hosting"])
    page = html(client.get("/search?q=provider&service=hosting&region=53&page=2"))
    links = map_links(page)
    assert links["11"]["query"] == {
        "q": ["provider"],
        "service": ["hosting"],
        "region": ["53", "11"],
    }
    assert links["53"]["query"] == {"q": ["provider"], "service": ["hosting"]}
    assert "is-selected" in links["53"]["class"]
    assert links["53"]["label"].endswith("(sélectionnée)")
    assert "is-selected" not in links["11"]["class"]


def test_the_map_speaks_english_on_english_pages(app, client):
    with app.app_context():
        make_provider(regions=["53"])
    links = map_links(html(client.get("/search?lang=en&wide=0")))
    assert links["53"]["label"] == "Brittany: 1 provider"


def test_the_home_page_map_leads_to_each_regions_providers(app, client):
    with app.app_context():
        make_provider(regions=["53"], services=["hosting"])
    page = html(client.get("/"))
    links = map_links(page)
    assert len(links) == 18
    assert links["53"]["query"] == {"region": ["53"]}
    assert links["53"]["label"] == "Bretagne\u00a0: 1 prestataire"
    assert not any("is-selected" in link["class"] for link in links.values())
    hint = page.select_one("#region-map .hint").get_text(" ", strip=True)
    assert "voir ses prestataires" in hint


def test_counts_and_shades_are_local_with_the_nationwide_count_apart(app, client):
    with app.app_context():
        make_provider(regions=["53"])
        make_provider(departements=["29"])
        make_provider(regions=["11"])
        make_provider(serves_nationwide=True)
    page = html(client.get("/search?lang=en"))
    links = map_links(page)
    assert links["53"]["label"] == "Brittany: 2 providers, + 1 all over France"
    assert links["94"]["label"] == "Corsica: 0 providers, + 1 all over France"
    assert "level-4" in links["53"]["class"]
    assert "level-0" in links["94"]["class"]
    home = html(client.get("/?lang=en"))
    counts = {
        item.select_one("a").get_text(strip=True): item.select_one(".count").get_text(strip=True)
        for item in home.select(".region-list li")
    }
    assert counts["Brittany"] == "2 providers, + 1 all over France"
    assert counts["Corsica"] == "0 providers, + 1 all over France"
