"""The home and results pages, through the HTTP client, on the seed data."""

import pytest

from directory.search.documents import sort_key
from directory.services import providers
from tests.conftest import html


def result_names(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".card-title a")]


def count_text(page) -> str:
    return page.select_one("#results-count").get_text(" ", strip=True)


def test_home_shows_the_search_form_services_and_regions(seeded_client):
    response = seeded_client.get("/")
    page = html(response)
    assert response.status_code == 200
    assert page.html["lang"] == "fr"
    assert page.select_one("form[role=search]")["action"] == "/search"
    assert page.select_one("form[role=search]")["method"] == "get"
    assert len(page.select(".tiles a.tile")) >= 12
    assert len(page.select(".region-list a")) == 18
    assert len(page.select(".card")) == 6


def test_results_list_everything_without_a_query(seeded_client, seeded_app):
    with seeded_app.app_context():
        total = providers.count()
    page = html(seeded_client.get("/search"))
    assert count_text(page) == f"{total} prestataires trouvés"
    assert len(page.select(".card")) == 20
    assert page.select_one(".pagination a[rel=next]")["href"].endswith("page=2")


def test_a_search_in_french_finds_and_highlights(seeded_client):
    page = html(seeded_client.get("/search?q=hebergement+nextcloud"))
    assert page.select(".card")
    assert page.select(".card-snippet mark")
    assert page.select_one("#q")["value"] == "hebergement nextcloud"


def test_filters_are_kept_in_the_form(seeded_client):
    page = html(seeded_client.get("/search?service=hosting&service=training&region=53&wide=0"))
    checked = {(i["name"], i["value"]) for i in page.select("input[type=checkbox][checked]")}
    assert {("service", "hosting"), ("service", "training"), ("region", "53")} <= checked
    assert page.select_one("input#wide").get("checked") is None


def test_wide_is_ticked_by_default(seeded_client):
    page = html(seeded_client.get("/search?region=53"))
    assert page.select_one("input#wide").get("checked") is not None


def test_facet_counts_match_what_a_click_gives(seeded_client):
    page = html(seeded_client.get("/search?q=formation"))
    option = page.select_one("label[for=f-service-hosting] .count").get_text()
    expected = int(option.strip("()"))
    filtered = html(seeded_client.get("/search?q=formation&service=hosting"))
    assert expected > 0
    assert count_text(filtered).split()[0] == str(expected)


def test_a_misspelt_word_gets_a_did_you_mean_link(seeded_client):
    page = html(seeded_client.get("/search?q=nextclou&asis=1"))
    link = page.select_one(".suggestion a")
    assert link.get_text() == "nextcloud"
    assert "q=nextcloud" in link["href"]


def test_a_search_that_finds_nothing_shows_its_corrections_results(seeded_client):
    page = html(seeded_client.get("/search?q=nextclou"))
    assert page.select(".card")
    notice = page.select_one(".corrected")
    assert "nextcloud" in notice.get_text()
    typed = notice.select_one("a")
    assert typed.get_text() == "nextclou"
    assert "asis=1" in typed["href"]
    assert not html(seeded_client.get(typed["href"])).select(".card")


def test_sorting_by_name(seeded_client):
    page = html(seeded_client.get("/search?sort=name"))
    names = result_names(page)
    assert len(names) == 20
    assert names == sorted(names, key=sort_key)


@pytest.mark.parametrize(
    "query",
    [
        "q=%22unbalanced",
        "q=AND+OR",
        "q=*",
        "q=field%3Avalue",
        "q=" + "x" * 10_000,
        "q=a%00b",
        "q=%F0%9F%98%80",
        "q=%ff%fe",
        "page=-1",
        "page=abc",
        "page=99999999999999999999",
        "sort=drop+table",
        "service=nope&region=99&dept=xx",
        "q=a&q=b",
        "wide=maybe",
    ],
)
def test_hostile_query_strings_give_a_page(seeded_client, query):
    response = seeded_client.get(f"/search?{query}")
    assert response.status_code == 200
    assert html(response).select_one("#results-count")


def test_active_filters_can_be_removed_one_by_one(seeded_client):
    page = html(seeded_client.get("/search?q=formation&service=hosting&service=training&page=2"))
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select(".active-filters a")}
    assert set(links) == {"Hébergement de services libres ×", "Formation ×"}
    remove_hosting = links["Hébergement de services libres ×"]
    assert "service=training" in remove_hosting
    assert "service=hosting" not in remove_hosting
    assert "q=formation" in remove_hosting
    assert "page=" not in remove_hosting


def test_a_place_in_the_query_becomes_a_removable_filter(seeded_client):
    page = html(seeded_client.get("/search?q=h%C3%A9bergement+bretagne"))
    chip = page.select_one(".chip-place a")
    assert chip.get_text(" ", strip=True) == "Bretagne ×"
    assert "region" not in chip["href"]
    assert "bretagne" not in chip["href"].lower()
    as_word = page.select_one(".place-hint a")
    assert "asis=1" in as_word["href"]
    assert page.select_one("#q")["value"] == "hébergement bretagne"
    local = result_names(page)
    assert "Coop'Num Armor" in local
    as_text = html(seeded_client.get(as_word["href"]))
    assert not as_text.select(".chip-place")


def test_local_providers_come_first_then_a_labelled_group(seeded_client):
    page = html(seeded_client.get("/search?region=53&lang=en"))
    heading = page.select_one("#wide-group")
    assert heading.get_text(strip=True) == "Also working all over France or remotely"
    before = heading.find_previous_sibling("div", class_="cards").select(".card")
    assert {card.select_one(".card-title a").get_text(strip=True) for card in before} == {
        "Coop'Num Armor",
        "Toile de Mer",
        "Les Ateliers Clavier & Pédale",
        "Maëlle Le Goff – formatrice numérique libre",
    }


def test_a_tool_in_the_query_says_what_it_was_read_as(seeded_client):
    page = html(seeded_client.get("/search?q=zoom&lang=en"))
    line = page.select_one(".expansion").get_text(" ", strip=True)
    assert line.startswith("Alternatives to Zoom: BigBlueButton, Jitsi Meet — ")
    assert page.select(".card")


def test_the_departement_list_follows_the_selected_regions(seeded_client):
    everywhere = html(seeded_client.get("/search?lang=en"))
    assert len(everywhere.select("#dept option[value!='']")) == 101
    brittany = html(seeded_client.get("/search?region=53&lang=en"))
    codes = [o["value"] for o in brittany.select("#dept option") if o["value"]]
    assert codes == ["22", "29", "35", "56"]
    assert "selected régions" in brittany.select_one("label[for=dept]").get_text()


def test_a_departement_inside_a_selected_region_narrows_it(seeded_client):
    region = html(seeded_client.get("/search?region=53&wide=0"))
    narrowed = html(seeded_client.get("/search?region=53&dept=29&wide=0"))
    assert set(result_names(narrowed)) < set(result_names(region))
    assert "Toile de Mer" in result_names(narrowed)
    assert "Les Ateliers Clavier & Pédale" not in result_names(narrowed)


def test_near_me_by_postcode_sorts_by_distance_without_javascript(seeded_client):
    page = html(seeded_client.get("/search?near=35000&lang=en"))
    assert page.select_one("#sort option[selected]")["value"] == "distance"
    cards = page.select("#results article")
    # Serving Ille-et-Vilaine: the Rennes workshop, and the Breton cooperative (all Brittany).
    names = [card.select_one(".card-title a").get_text(strip=True) for card in cards[:2]]
    assert set(names) == {"Les Ateliers Clavier & Pédale", "Coop'Num Armor"}
    assert cards[0].select_one(".distance").get_text(strip=True) == "≈ 0 km"
    kms = [
        int(c.select_one(".distance").get_text(strip=True)[2:-3])
        for c in cards
        if c.select_one(".distance")
    ]
    assert kms == sorted(kms)
    assert page.select_one("#locate").has_attr("hidden")


def test_an_unknown_postcode_says_so_and_keeps_what_was_typed(seeded_client):
    page = html(seeded_client.get("/search?near=00000&lang=en"))
    assert page.select_one("#near")["value"] == "00000"
    assert page.select_one("#near")["aria-invalid"] == "true"
    assert "postcode" in page.select_one("#near-error").get_text()


def test_snippets_are_in_the_readers_language_when_the_provider_wrote_it(seeded_client):
    # Issue 12: "formation rennes" on the French site showed English extracts.
    page = html(seeded_client.get("/search", query_string={"q": "formation rennes", "lang": "fr"}))
    snippets = page.select("#results .card-snippet")
    assert snippets
    assert all(snippet.get("lang") is None for snippet in snippets)
    assert all("formation" in snippet.get_text().lower() for snippet in snippets)
