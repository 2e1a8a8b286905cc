"""Searching through the search package's public functions, on providers made for each test."""

from datetime import datetime

import pytest

from directory import search
from directory.search import SearchRequest
from tests.factories import make_provider


def ids(result):
    return [hit.provider_id for hit in result.hits]


def find(text="", **kwargs):
    filters = {key: frozenset(value) for key, value in kwargs.pop("filters", {}).items()}
    return search.search(SearchRequest(text=text, filters=filters, **kwargs))


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.mark.usefixtures("ctx")
class TestMatching:
    def test_accents_stems_and_plurals(self):
        bikes = make_provider(
            services=["equipment"], description_fr="Atelier de réparation de vélos et réemploi."
        )
        hosting = make_provider(services=["hosting"], description_fr="Des services libres.")
        assert ids(find("réparations vélo")) == [bikes.id]
        assert ids(find("REPARATION VELOS")) == [bikes.id]
        assert ids(find("hebergement")) == [hosting.id]

    def test_all_words_are_required(self):
        both = make_provider(description_fr="Formation et hébergement Nextcloud.")
        make_provider(description_fr="Formation à LibreOffice.")
        assert ids(find("formations nextcloud")) == [both.id]

    def test_english_text_is_searched_with_english_stems(self):
        provider = make_provider(description_en="We run trainings on mailing lists.")
        assert ids(find("training mailing list")) == [provider.id]

    def test_software_tags_are_searchable_whatever_their_case(self):
        provider = make_provider(software=["NextCloud", "Jitsi Meet"])
        assert ids(find("nextcloud")) == [provider.id]
        assert ids(find("jitsi")) == [provider.id]

    def test_the_readers_language_weighs_more(self):
        french = make_provider(description_fr="Migration depuis Dropbox.", description_en="Help.")
        english = make_provider(description_fr="Aide.", description_en="Migration from Dropbox.")
        assert ids(find("dropbox", locale="fr")) == [french.id, english.id]
        assert ids(find("dropbox", locale="en")) == [english.id, french.id]

    def test_the_name_weighs_more_than_the_description(self):
        described = make_provider(name="Atelier Numérique", description_fr="Paheko, Paheko.")
        named = make_provider(name="Paheko Services", description_fr="Comptabilité.")
        assert ids(find("paheko")) == [named.id, described.id]

    def test_empty_query_lists_everything_by_name(self):
        zebra = make_provider(name="Zèbre")
        screen = make_provider(name="écran libre")
        bee = make_provider(name="Abeille")
        result = find()
        assert result.total == 3
        assert ids(result) == [bee.id, screen.id, zebra.id]

    def test_removed_providers_are_no_longer_found(self):
        provider = make_provider(services=["hosting"])
        search.remove_providers([provider.id])
        assert find("hébergement").total == 0

    def test_an_update_replaces_the_document(self, app):
        provider = make_provider(services=["website"], description_fr="Hébergement.")
        provider.description_fr = "Formation."
        search.index_providers([provider])
        assert find("hébergement").total == 0
        assert ids(find("formation")) == [provider.id]


@pytest.mark.usefixtures("ctx")
class TestSortingAndPages:
    def test_sort_by_name_ignores_case_and_accents(self):
        zebra = make_provider(name="Zèbre")
        screen = make_provider(name="écran libre")
        bee = make_provider(name="Abeille")
        assert ids(find(sort="name")) == [bee.id, screen.id, zebra.id]

    def test_sort_by_most_recently_updated(self):
        old = make_provider(updated_at=datetime(2024, 1, 1))
        new = make_provider(updated_at=datetime(2026, 1, 1))
        assert ids(find(sort="updated")) == [new.id, old.id]

    def test_pages(self):
        made = [make_provider(name=f"Provider {n:02d}") for n in range(5)]
        first = find(sort="name", per_page=2, page=1)
        last = find(sort="name", per_page=2, page=3)
        assert (first.total, first.pages, ids(first)) == (5, 3, [made[0].id, made[1].id])
        assert ids(last) == [made[4].id]

    def test_a_page_past_the_end_shows_the_last_page(self):
        made = [make_provider() for _ in range(3)]
        result = find(sort="name", per_page=2, page=99)
        assert result.page == 2
        assert ids(result) == [made[2].id]


@pytest.mark.usefixtures("ctx")
class TestFacets:
    def test_values_of_a_facet_are_ored_and_facets_anded(self):
        hosting = make_provider(services=["hosting"], kind_code="association")
        training = make_provider(services=["training"], kind_code="cooperative")
        make_provider(services=["website"], kind_code="association")
        result = find(filters={"service": {"hosting", "training"}})
        assert sorted(ids(result)) == [hosting.id, training.id]
        result = find(filters={"service": {"hosting", "training"}, "kind": {"cooperative"}})
        assert ids(result) == [training.id]

    def test_counts_keep_the_other_facets_selections(self):
        make_provider(services=["hosting"], kind_code="association")
        make_provider(services=["training"], kind_code="cooperative")
        make_provider(services=["hosting", "training"], kind_code="cooperative")
        result = find(filters={"service": {"hosting"}, "kind": {"cooperative"}})
        assert result.total == 1
        # Service counts ignore the service selection but keep the kind selection.
        assert result.facets["service"]["hosting"] == 1
        assert result.facets["service"]["training"] == 2
        # Kind counts ignore the kind selection but keep the service selection.
        assert result.facets["kind"] == {"association": 1, "cooperative": 1}

    def test_region_filter_includes_nationwide_and_remote_providers_unless_unticked(self):
        breton = make_provider(regions=["53"])
        national = make_provider(serves_nationwide=True)
        remote = make_provider(serves_remotely=True)
        make_provider(regions=["11"])
        wide = find(filters={"area": {"r:53"}})
        assert sorted(ids(wide)) == sorted([breton.id, national.id, remote.id])
        assert wide.facets["area"]["r:53"] == 3
        local = find(filters={"area": {"r:53"}}, include_wide=False)
        assert ids(local) == [breton.id]
        assert local.facets["area"]["r:53"] == 1

    def test_departement_filter_matches_its_region_and_not_its_neighbours(self):
        finistere = make_provider(departements=["29"])
        bretagne = make_provider(regions=["53"])
        make_provider(departements=["22"])
        result = find(filters={"area": {"d:29"}}, include_wide=False)
        assert sorted(ids(result)) == sorted([finistere.id, bretagne.id])

    def test_a_departement_provider_is_found_by_its_region(self):
        finistere = make_provider(departements=["29"])
        assert ids(find(filters={"area": {"r:53"}})) == [finistere.id]

    def test_on_site_and_remote_both_find_providers_doing_both(self):
        both = make_provider(work_mode_code="both")
        on_site = make_provider(work_mode_code="on_site")
        assert sorted(ids(find(filters={"mode": {"on_site"}}))) == sorted([both.id, on_site.id])
        assert ids(find(filters={"mode": {"remote"}})) == [both.id]

    def test_unknown_facets_and_values_are_ignored(self):
        make_provider()
        assert find(filters={"colour": {"blue"}}).total == 1
        assert find(filters={"service": {"no-such-service"}}).total == 0


@pytest.mark.usefixtures("ctx")
class TestSnippetsAndSuggestions:
    def test_matched_words_are_highlighted_and_html_is_escaped(self):
        make_provider(description_fr="<script>alert(1)</script> Hébergement Nextcloud pour assos.")
        (hit,) = find("hebergement").hits
        assert "<mark" in hit.snippet_html
        assert "Hébergement</mark>" in hit.snippet_html
        assert "<script>" not in hit.snippet_html

    def test_snippets_fall_back_to_the_other_language(self):
        make_provider(description_en="", description_fr="Formation à Nextcloud.")
        (hit,) = find("formation", locale="en").hits
        assert hit.snippet_lang == "fr"

    def test_a_misspelt_word_gets_a_suggestion(self):
        make_provider(description_fr="Hébergement Nextcloud.", software=["Nextcloud"])
        result = find("hébergement nextclou", autocorrect=False)
        assert result.total == 0
        assert result.suggestion == "hébergement nextcloud"

    def test_a_query_that_finds_nothing_shows_the_results_of_its_correction(self):
        provider = make_provider(description_fr="Hébergement Nextcloud.", software=["Nextcloud"])
        result = find("hébergement nextclou")
        assert ids(result) == [provider.id]
        assert result.corrected == "hébergement nextcloud"
        assert result.suggestion is None

    @pytest.mark.parametrize(
        ("text", "expected"),
        [("nextcloud hostng", "nextcloud hosting"), ("3615", None), ("zoom", None)],
    )
    def test_suggestions_are_close_edits_of_words_that_matched_nothing(self, text, expected):
        make_provider(
            description_en="Nextcloud hosting for associations, in our zone.",
            software=["Nextcloud"],
        )
        make_provider(description_en="Microsoft 365 migrations.")
        assert find(text, autocorrect=False).suggestion == expected

    def test_no_suggestion_when_every_word_matches(self):
        make_provider(description_fr="Hébergement Nextcloud.")
        assert find("nextcloud").suggestion is None


@pytest.mark.usefixtures("ctx")
@pytest.mark.parametrize(
    "text",
    ['"unbalanced', "AND OR NOT", "*", "field:value", "x" * 10_000, "a\x00b", "😀 🚲", "((", ""],
)
def test_any_query_text_gives_a_result(text):
    make_provider(description_fr="Hébergement.")
    result = find(text)
    assert result.total >= 0
    assert result.page == 1


@pytest.mark.usefixtures("ctx")
class TestOperators:
    def test_or_widens(self):
        cloud = make_provider(software=["Nextcloud"])
        video = make_provider(software=["PeerTube"])
        make_provider(software=["Sympa"])
        assert find("nextcloud peertube").total == 0
        assert sorted(ids(find("nextcloud OR peertube"))) == sorted([cloud.id, video.id])

    def test_a_minus_excludes_a_word_but_not_inside_a_name(self):
        google = make_provider(description_fr="Migration hors de Google vers Nextcloud.")
        other = make_provider(description_fr="Hébergement Nextcloud en Île-de-France.")
        assert ids(find("nextcloud -google")) == [other.id]
        assert sorted(ids(find("nextcloud île-de-france"))) == [other.id]
        assert google.id in ids(find("nextcloud"))

    def test_quoted_words_must_appear_together(self):
        together = make_provider(description_fr="Nous réparons les logiciels libres.")
        apart = make_provider(description_fr="Des logiciels et du matériel libres.")
        assert sorted(ids(find("logiciels libres"))) == sorted([together.id, apart.id])
        assert ids(find('"logiciels libres"')) == [together.id]

    def test_quoted_words_are_matched_as_written_not_by_their_stems(self):
        # "comptable" and "comptabilité" share the stem "comptabl": quotes ask for the words.
        written = make_provider(description_fr="Comptabilité associative et paie.")
        plural = make_provider(description_fr="Les comptabilités associatives, sans accents.")
        stem_only = make_provider(description_fr="Un plan comptable associatif.")
        assert stem_only.id in ids(find("comptabilité associative"))
        assert sorted(ids(find('"comptabilité associative"'))) == sorted([written.id, plural.id])
        assert sorted(ids(find('"comptabilite associative"'))) == sorted([written.id, plural.id])


@pytest.mark.usefixtures("ctx")
class TestLocalFirst:
    def test_providers_of_the_area_come_before_those_working_everywhere(self):
        national = make_provider(name="Aaa national", serves_nationwide=True)
        remote = make_provider(name="Bbb remote", serves_remotely=True)
        local = make_provider(name="Zzz local", departements=["29"])
        result = find(filters={"area": {"r:53"}})
        assert ids(result)[0] == local.id
        assert set(ids(result)[1:]) == {national.id, remote.id}
        assert [hit.wide for hit in result.hits] == [False, True, True]
        assert result.local_total == 1

    def test_the_split_holds_across_pages(self):
        locals_ = [make_provider(name=f"Local {n}", regions=["53"]) for n in range(3)]
        wide = [make_provider(name=f"Wide {n}", serves_nationwide=True) for n in range(3)]
        pages = [find(filters={"area": {"r:53"}}, per_page=2, page=n) for n in (1, 2, 3)]
        order = [hit.provider_id for page in pages for hit in page.hits]
        assert set(order[:3]) == {p.id for p in locals_}
        assert set(order[3:]) == {p.id for p in wide}

    def test_no_split_without_an_area_or_without_wide_providers(self):
        make_provider(regions=["53"])
        assert find().local_total is None
        assert find(filters={"area": {"r:53"}}, include_wide=False).local_total is None
