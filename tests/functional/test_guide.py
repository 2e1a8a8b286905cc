"""The "Find help" questionnaire through the HTTP client, on the seed data: every step, Back
that keeps the answers, a sensible ranking with its reasons, the request form's contract."""

import json
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import pytest

from tests.conftest import SEED_DIR, html

STEP_PATHS = ["/help/", "/help/tools", "/help/place", "/help/people", "/help/budget"]
ZOOM_BRETAGNE = [("want", "leave"), ("tool", "Zoom"), ("region", "53")]


def _get(client, path, pairs=(), lang="fr"):
    query = urlencode([*pairs, ("lang", lang)])
    return client.get(f"{path}?{query}")


def _form_pairs(form) -> list[tuple[str, str]]:
    """What the browser sends for a GET form with nothing more ticked: its hidden fields and
    its checked boxes and radios."""
    pairs = []
    for field in form.select("input"):
        kind = field.get("type", "text")
        sent = kind == "hidden" or (kind == "text" and field.get("value"))
        if sent or (kind in ("checkbox", "radio") and field.has_attr("checked")):
            pairs.append((field["name"], field["value"]))
    for select in form.select("select"):
        chosen = select.select_one("option[selected]")
        if chosen is not None and chosen["value"]:
            pairs.append((select["name"], chosen["value"]))
    return pairs


def _submit(client, page, extra):
    form = page.select_one("form.guide-form")
    return client.get(f"{form['action']}?{urlencode(_form_pairs(form) + extra)}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_step_in_turn_then_the_result(seeded_client, lang):
    page = html(_get(seeded_client, "/help/", lang=lang))
    assert page.html["lang"] == lang
    # The French texts come with the coordinator's merge of the translations: the figures
    # are checked in both languages, the words in English.
    assert (
        "1" in page.select_one(".guide-step-count").get_text()
        and "5" in page.select_one(".guide-step-count").get_text()
    )
    assert page.select_one("[aria-current=step]") is not None
    answers = [
        [("want", "leave")],
        [("tool", "Zoom"), ("tool", "Skype")],
        [("region", "53"), ("remote", "1")],
        [("people", "6-20")],
        [("budget", "paid")],
    ]
    for number, extra in enumerate(answers, start=1):
        response = _submit(seeded_client, page, extra)
        assert response.status_code == 200
        page = html(response)
        if number < 5:
            count = page.select_one(".guide-step-count").get_text(strip=True)
            assert count == f"Step {number + 1} of 5" or lang == "fr"
            assert str(number + 1) in count
    # The result carries every answer to the request form, with the contract's names.
    form = page.select_one("form#guide-choose")
    assert form["action"] == "/requests/new"
    hidden = [(f["name"], f["value"]) for f in form.select("input[type=hidden]")]
    assert hidden == [
        ("want", "leave"),
        ("tool", "Zoom"),
        ("tool", "Skype"),
        ("region", "53"),
        ("remote", "1"),
        ("people", "6-20"),
        ("budget", "paid"),
    ]
    boxes = form.select("input[type=checkbox][name=provider]")
    assert boxes and all(box["value"] for box in boxes)


def test_back_keeps_every_answer(seeded_client):
    pairs = [*ZOOM_BRETAGNE, ("postcode", "29000"), ("people", "1-5"), ("onsite", "1")]
    page = html(_get(seeded_client, "/help/budget", pairs))
    back = page.select_one("a.guide-back")["href"]
    assert urlsplit(back).path == "/help/people"
    assert sorted(parse_qsl(urlsplit(back).query)) == sorted(pairs)
    people = html(seeded_client.get(back))
    assert people.select_one("input[name=people][value='1-5']").has_attr("checked")
    assert people.select_one("#onsite").has_attr("checked")
    # The answers of the other steps ride along as hidden fields.
    hidden = {(f["name"], f["value"]) for f in people.select("input[type=hidden]")}
    assert {("want", "leave"), ("tool", "Zoom"), ("region", "53"), ("postcode", "29000")} <= hidden
    place = html(seeded_client.get(people.select_one("a.guide-back")["href"]))
    assert place.select_one("#region option[selected]")["value"] == "53"
    assert place.select_one("#postcode")["value"] == "29000"


def test_the_first_question_is_required(seeded_client):
    response = _get(seeded_client, "/help/tools", [("region", "53")])
    assert response.status_code == 400
    page = html(response)
    assert page.select_one("input[name=want]") is not None
    assert page.select_one("#want-error").get_text(strip=True)
    # What was answered elsewhere is kept.
    assert ("region", "53") in {(f["name"], f["value"]) for f in page.select("input[type=hidden]")}
    assert _get(seeded_client, "/help/results").status_code == 400


def test_skipping_a_step_forgets_only_its_answers(seeded_client):
    page = html(_get(seeded_client, "/help/people", [*ZOOM_BRETAGNE, ("people", "1-5")]))
    skip = page.select_one("a.guide-skip")["href"]
    assert urlsplit(skip).path == "/help/budget"
    assert parse_qs(urlsplit(skip).query) == {"want": ["leave"], "tool": ["Zoom"], "region": ["53"]}
    assert html(_get(seeded_client, "/help/")).select_one("a.guide-skip") is None


def _matches(page):
    return [
        (
            item.select_one("input[name=provider]")["value"],
            item.select_one(".guide-why").get_text(" ", strip=True),
        )
        for item in page.select("li.guide-match")
    ]


def test_leaving_zoom_in_bretagne_ranks_a_video_host_first(seeded_client):
    page = html(_get(seeded_client, "/help/results", ZOOM_BRETAGNE))
    matches = _matches(page)
    slug, why = matches[0]
    # No video-conferencing provider is based in Bretagne: the first serves it from Paris,
    # all over France, with BigBlueButton and Jitsi Meet.
    assert slug == "libre-video-coop"
    # In French, the labels of the taxonomy; the sentence parts are checked in English.
    assert why.split(": ", 1)[1].startswith("Visioconférence · BigBlueButton, Jitsi Meet")
    english = html(_get(seeded_client, "/help/results", ZOOM_BRETAGNE, lang="en"))
    assert _matches(english)[0] == (
        "libre-video-coop",
        "Why it matches: Video conferencing · BigBlueButton, Jitsi Meet instead of Zoom · "
        "All of France · Discount for associations",
    )


def test_a_postcode_puts_the_nearest_first_and_names_its_departement(seeded_client):
    pairs = [("want", "setup"), ("tool", "Google Drive"), ("postcode", "29000")]
    page = html(_get(seeded_client, "/help/results", pairs, lang="en"))
    matches = dict(_matches(page)[:2])
    # Both serve Quimper's département (one all of Bretagne): 0 km, then by relevance.
    assert set(matches) == {"coop-num-armor", "toile-de-mer"}
    assert "Finistère (29)" in matches["toile-de-mer"]
    assert "Brittany" in matches["coop-num-armor"]
    assert "Nextcloud instead of Google Drive" in matches["toile-de-mer"]


def test_nothing_matches_then_the_budget_then_the_place_are_dropped(seeded_client):
    # Nobody comes on site for video conferencing in Bretagne, free or not.
    pairs = [*ZOOM_BRETAGNE, ("onsite", "1"), ("budget", "free")]
    page = html(_get(seeded_client, "/help/results", pairs, lang="en"))
    widened = [p.get_text(strip=True) for p in page.select(".guide-widened")]
    assert len(widened) == 2
    assert "budget" in widened[0] and "place" in widened[1]
    assert [slug for slug, _why in _matches(page)][:1] == ["libre-video-coop"]
    for _slug, why in _matches(page):
        assert "All of France" in why or "Remotely" in why
    # A paid budget filters nothing: only the place is said to be dropped.
    pairs = [*ZOOM_BRETAGNE, ("onsite", "1"), ("budget", "paid")]
    page = html(_get(seeded_client, "/help/results", pairs, lang="en"))
    assert [p.get_text(strip=True) for p in page.select(".guide-widened")] == widened[1:]
    # With the budget alone dropped, the page says only that.
    pairs = [*ZOOM_BRETAGNE, ("budget", "free")]
    page = html(_get(seeded_client, "/help/results", pairs, lang="en"))
    assert len(page.select(".guide-widened")) == 1


def test_the_search_link_opens_the_same_filters(seeded_client):
    pairs = [("want", "website"), ("region", "76"), ("onsite", "1"), ("budget", "sliding_scale")]
    page = html(_get(seeded_client, "/help/results", pairs))
    link = page.select_one("a.guide-search-link")
    query = parse_qs(urlsplit(link["href"]).query)
    assert query == {
        "service": ["website", "development"],
        "region": ["76"],
        "mode": ["on_site"],
        "price": ["free", "sliding_scale"],
    }
    assert seeded_client.get(link["href"]).status_code == 200


def test_home_and_navigation_link_to_the_questionnaire(seeded_client):
    page = html(seeded_client.get("/"))
    assert page.select_one("nav.site-nav a[href='/help/']") is not None
    assert page.select_one("main a[href='/help/']") is not None


@pytest.mark.parametrize(
    "query",
    [
        "want=nope&tool=Nope&region=999&people=x&budget=gold&remote=yes",
        "want=leave&postcode=%00%ff&tool=%ED%A0%80",
        "want=leave&tool=" + "x" * 5000,
        "want=leave&want=train&region=53&region=11",
        "want=leave&postcode=<script>",
    ],
)
@pytest.mark.parametrize("path", [*STEP_PATHS, "/help/results"])
def test_hostile_answers_never_break_a_page(seeded_client, path, query):
    response = seeded_client.get(f"{path}?{query}")
    assert response.status_code in (200, 400)
    assert b"<script>" not in response.data


def test_an_unknown_postcode_is_said_and_kept(seeded_client):
    page = html(_get(seeded_client, "/help/place", [("want", "train"), ("postcode", "99999")]))
    assert page.select_one("#postcode")["value"] == "99999"
    assert page.select_one("#postcode")["aria-invalid"] == "true"
    assert page.select_one("#postcode-error").get_text(strip=True)


def test_no_private_contact_email_on_the_result(seeded_client):
    seed = json.loads((SEED_DIR / "providers.json").read_text(encoding="utf-8"))
    private = {p["contact_email"] for p in seed if p.get("contact_email")} - {
        p.get("email") for p in seed
    }
    assert private
    for want in ("setup", "train", "website", "leave"):
        body = _get(seeded_client, "/help/results", [("want", want), ("remote", "1")]).text
        assert not [email for email in private if email in body]
