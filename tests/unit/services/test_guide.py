"""The questionnaire's domain: answers read leniently from a query string, the services a
need stands for, and the search the answers describe."""

import pytest
from werkzeug.datastructures import MultiDict

from directory.search.facets import AREA_FIELD, WIDE_AREAS
from directory.services import guide_search
from directory.services.guide import (
    BUDGETS,
    PARAMS,
    STEPS,
    WANTS,
    Answers,
    read_answers,
    replacing_software,
    wanted_services,
)
from directory.services.taxonomy import load_taxonomy
from directory.services.vocabulary import load_vocabulary
from tests.factories import make_provider


@pytest.fixture
def context(seeded_app):
    with seeded_app.test_request_context("/?lang=en"):
        yield load_taxonomy(), load_vocabulary()


def _read(context, **values) -> Answers:
    args = MultiDict()
    for key, value in values.items():
        for one in value if isinstance(value, list) else [value]:
            args.add(key, one)
    return read_answers(args, *context)


def test_every_want_and_budget_names_taxonomy_codes(context):
    taxonomy, _vocabulary = context
    services = {s.code for s in taxonomy.services}
    prices = {p.code for p in taxonomy.price_models}
    assert all(set(want.services) <= services and want.services for want in WANTS)
    assert {budget.code for budget in BUDGETS} <= prices
    assert all(budget.prices is None or budget.prices <= prices for budget in BUDGETS)
    # The request form's contract: these names, in this order.
    assert PARAMS == ("want", "tool", "region", "postcode", "remote", "people", "onsite", "budget")
    assert [step.required for step in STEPS] == [True, False, False, False, False]


def test_known_answers_are_read_and_written_back_the_same(context):
    pairs = [
        ("want", "leave"),
        ("tool", "Zoom"),
        ("tool", "Google Drive"),
        ("region", "53"),
        ("postcode", "29000"),
        ("remote", "1"),
        ("people", "21-100"),
        ("onsite", "1"),
        ("budget", "sliding_scale"),
    ]
    answers = read_answers(MultiDict(pairs), *context)
    assert answers.departement == "29"
    assert answers.pairs() == pairs
    assert answers.pairs(leave_out=("tool", "postcode")) == [
        pair for pair in pairs if pair[0] not in ("tool", "postcode")
    ]


def test_unknown_and_hostile_values_are_dropped(context):
    answers = _read(
        context,
        want="everything",
        tool=["Zoom", "zoom", "Nope", "\x00"],
        region="99",
        remote="yes",
        people="1000",
        onsite="true",
        budget="gold",
    )
    assert answers == Answers(tools=("Zoom",))
    hostile = _read(context, want="train", postcode="29\x00000")
    assert hostile.postcode == "29000"
    unknown = _read(context, want="train", postcode="99999")
    assert (unknown.postcode, unknown.unknown_postcode) == ("", "99999")
    # Shown back to be corrected, and carried on.
    assert ("postcode", "99999") in unknown.pairs()


def test_a_tool_to_leave_stands_for_its_services(context):
    vocabulary = context[1]
    zoom = _read(context, want="leave", tool="Zoom")
    assert wanted_services(zoom, vocabulary) == ("videoconference",)
    assert replacing_software(zoom, vocabulary) == {"Zoom": ("BigBlueButton", "Jitsi Meet")}
    # A tool without services (Doodle) leaves the want's own.
    doodle = _read(context, want="leave", tool="Doodle")
    assert wanted_services(doodle, vocabulary) == ("migration", "change_support")
    # Training people is training, whichever tool they use.
    assert wanted_services(_read(context, want="train", tool="Zoom"), vocabulary) == (
        "training",
        "digital_inclusion",
        "change_support",
    )
    assert wanted_services(Answers(), vocabulary) == ()


def test_the_plan_is_the_search_the_answers_describe(context):
    taxonomy, vocabulary = context
    answers = _read(context, want="leave", tool="Zoom", postcode="29000", onsite="1", budget="free")
    plan = guide_search.plan(answers, taxonomy, vocabulary, "en", 10)
    request = plan.request
    assert request.filters["service"] == {"videoconference"}
    assert request.filters["mode"] == {"on_site"}
    assert request.filters["price"] == {"free"}
    assert AREA_FIELD in request.filters and request.include_wide
    assert request.boost == "BigBlueButton Jitsi Meet"
    assert plan.search_args == [
        ("service", "videoconference"),
        ("region", "53"),
        ("mode", "on_site"),
        ("price", "free"),
    ]

    widened = guide_search.plan(answers, taxonomy, vocabulary, "en", 10, drop=("budget", "place"))
    assert "price" not in widened.request.filters and "mode" not in widened.request.filters
    assert widened.request.filters[AREA_FIELD] == frozenset(WIDE_AREAS)
    assert widened.search_args == [("service", "videoconference")]


def test_reasons_come_from_the_providers_data_against_the_answers(app):
    with app.test_request_context("/?lang=en"):
        taxonomy, vocabulary = load_taxonomy(), load_vocabulary()
        provider = make_provider(
            services=["hosting", "migration", "training"],
            software=["nextcloud"],
            departements=["29"],
            price_models=["sliding_scale", "association_discount"],
            audiences=["small_associations"],
            work_mode_code="on_site",
        )
        answers = read_answers(
            MultiDict(
                [
                    ("want", "leave"),
                    ("tool", "Dropbox"),
                    ("postcode", "29200"),
                    ("people", "1-5"),
                    ("onsite", "1"),
                    ("budget", "sliding_scale"),
                ]
            ),
            taxonomy,
            vocabulary,
        )
        assert guide_search.reasons(provider, answers, taxonomy, vocabulary, "en") == [
            "Hosting of free-software services",
            "Moving away from Big Tech",
            "Nextcloud instead of Dropbox",
            "Finistère (29)",
            "Comes on site",
            "Pay what you can",
            "Discount for associations",
            "Works with: Small associations",
        ]
        # Nothing asked, nothing claimed: only the discount, which always helps.
        bare = read_answers(MultiDict([("want", "website")]), taxonomy, vocabulary)
        assert guide_search.reasons(provider, bare, taxonomy, vocabulary, "en") == [
            "Discount for associations"
        ]
