"""The "recommended by associations" sort and filter, read from the index documents: a
bounded boost within the text relevance, nothing below three testimonials."""

import pytest

from directory import search
from directory.models import TestimonialState as State
from directory.search import SearchRequest
from directory.search.documents import to_document
from directory.services import providers
from tests.factories import add_testimonials, make_provider

HOSTING = "Hébergement Nextcloud pour les associations."


def ids(result):
    return [hit.provider_id for hit in result.hits]


def find(text="", **kwargs):
    filters = {key: frozenset(value) for key, value in kwargs.pop("filters", {}).items()}
    return search.search(SearchRequest(text=text, filters=filters, **kwargs))


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


pytestmark = pytest.mark.usefixtures("ctx")


def test_the_document_carries_the_published_counts_only():
    provider = make_provider()
    add_testimonials(provider.id, True, True, False)
    add_testimonials(provider.id, True, state=State.PENDING)
    add_testimonials(provider.id, True, state=State.REJECTED)
    (document,) = [to_document(p) for p in providers.get_many([provider.id])]
    assert document["opinions"] == "3/2"
    assert document["recommended"] == "yes"


def test_a_provider_without_testimonials_has_no_opinions_value():
    (document,) = [to_document(p) for p in providers.get_many([make_provider().id])]
    assert "opinions" not in document


def test_testimonials_reorder_equal_text_matches():
    first = make_provider(description_fr=HOSTING)
    praised = make_provider(description_fr=HOSTING)
    add_testimonials(praised.id, True, True, True, True)
    assert ids(find("nextcloud")) == [first.id, praised.id]
    assert ids(find("nextcloud", sort="recommended")) == [praised.id, first.id]


def test_one_or_two_loud_testimonials_change_nothing():
    first = make_provider(description_fr=HOSTING)
    loud = make_provider(description_fr=HOSTING)
    add_testimonials(loud.id, True, True)
    assert ids(find("nextcloud", sort="recommended")) == [first.id, loud.id]
    assert ids(find("nextcloud", filters={"recommended": {"yes"}})) == []


def test_the_boost_is_bounded_and_never_lifts_a_mention_above_the_words_subject():
    named = make_provider(name="Nextcloud Services", description_fr="Hébergement.")
    mention = make_provider(description_fr="Nous aidons aussi avec Nextcloud.")
    add_testimonials(mention.id, *[True] * 30)
    assert ids(find("nextcloud", sort="recommended")) == [named.id, mention.id]


def test_without_words_the_recommended_come_first_then_the_others_by_name():
    plain_b = make_provider(name="Bravo")
    plain_a = make_provider(name="Alpha")
    fewer = make_provider(name="Zoulou")
    more = make_provider(name="Yankee")
    split = make_provider(name="Xray")
    add_testimonials(fewer.id, True, True, True)
    add_testimonials(more.id, *[True] * 8)
    add_testimonials(split.id, True, False, False)  # 1 of 3: a little confidence, not "recommended"
    order = [more.id, fewer.id, split.id, plain_a.id, plain_b.id]
    assert ids(find(sort="recommended")) == order
    # Pages cut anywhere, across the two parts.
    pages = [ids(find(sort="recommended", per_page=2, page=n)) for n in (1, 2, 3)]
    assert pages == [order[:2], order[2:4], order[4:]]


def test_a_place_read_out_of_the_query_does_not_replace_the_testimonials_order():
    in_town = make_provider(name="Alpha", city="Rennes")
    praised = make_provider(name="Bravo", city="Brest")
    add_testimonials(praised.id, True, True, True)
    assert ids(find(boost="rennes"))[0] == in_town.id
    assert ids(find(boost="rennes", sort="recommended")) == [praised.id, in_town.id]


def test_the_filter_keeps_providers_most_of_whose_three_or_more_testimonials_recommend():
    recommended = make_provider(description_fr=HOSTING)
    halved = make_provider(description_fr=HOSTING)
    make_provider(description_fr=HOSTING)
    add_testimonials(recommended.id, True, True, False)
    add_testimonials(halved.id, True, True, False, False)
    result = find("nextcloud", filters={"recommended": {"yes"}})
    assert ids(result) == [recommended.id]
    everything = find("nextcloud")
    assert everything.count("recommended", "yes") == 1
    assert everything.count("recommended", "no") == 2
