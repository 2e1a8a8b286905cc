"""The "Find help" questionnaire: one page per step, a plain GET form each, the answers so
far carried in the query string; then the providers that match."""

from pathlib import Path

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _

from directory.card_faces import CardPainter
from directory.i18n import current_locale
from directory.services import guide_search
from directory.services.guide import BUDGETS, PEOPLE, STEPS, WANTS, read_answers
from directory.services.taxonomy import load_taxonomy
from directory.services.vocabulary import load_vocabulary
from directory.urls import url_with_query

bp = Blueprint("guide", __name__, url_prefix="/help")

RESULTS_SHOWN = 10
MAX_CHOSEN = 3


def _answers():
    taxonomy, vocabulary = load_taxonomy(), load_vocabulary()
    return taxonomy, vocabulary, read_answers(request.args, taxonomy, vocabulary)


def _endpoint(index: int) -> str:
    """Step `index` (0-based; len(STEPS) is the result page)."""
    return f"guide.{STEPS[index].slug if index < len(STEPS) else 'results'}"


def _url(index: int, answers, leave_out=()) -> str:
    """The URL of step `index` with the answers, minus `leave_out`."""
    return url_with_query(_endpoint(index), answers.pairs(leave_out))


def _step(index: int):
    """Step `index` (0-based) of the questionnaire, its form sending to the next one; after
    the first step, without an answer to it, the first step again with its error (400)."""
    taxonomy, vocabulary, answers = _answers()
    missing_want = index > 0 and answers.want is None
    if missing_want:
        # Only the first question is required: ask it again, keeping every other answer.
        index = 0
    step = STEPS[index]
    status = 400 if missing_want else 200
    return render_template(
        "guide/step.html",
        step=step,
        number=index + 1,
        steps=[(s, _url(i, answers)) for i, s in enumerate(STEPS)],
        answers=answers,
        hidden=answers.pairs(leave_out=step.params),
        action=url_for(_endpoint(index + 1)),
        back=_url(index - 1, answers) if index else None,
        skip=None if step.required else _url(index + 1, answers, leave_out=step.params),
        want_error=_("Choose what your association wants, to continue.") if missing_want else None,
        wants=WANTS,
        tools=[tool.name for tool in vocabulary.tools],
        regions=taxonomy.regions,
        people=PEOPLE,
        budgets=BUDGETS,
    ), status


def _register_steps() -> None:
    for index, step in enumerate(STEPS):
        path = "/" if index == 0 else f"/{step.slug}"
        bp.add_url_rule(path, step.slug, lambda index=index: _step(index), methods=["GET"])


_register_steps()


@bp.get("/results")
def results():
    taxonomy, vocabulary, answers = _answers()
    if answers.want is None:
        return _step(1)
    outcome = guide_search.find(
        answers,
        taxonomy,
        vocabulary,
        current_locale(),
        RESULTS_SHOWN,
        str(Path(current_app.static_folder, "map", "departements.json")),
    )
    painter = CardPainter(current_locale())
    return render_template(
        "guide/results.html",
        outcome=outcome,
        matches=[(match, painter.face(match.provider, match.hit)) for match in outcome.matches],
        card_words=painter.words,
        answers=answers,
        number=None,
        steps=[(s, _url(i, answers)) for i, s in enumerate(STEPS)],
        hidden=answers.pairs(),
        back=_url(len(STEPS) - 1, answers),
        request_form=url_for("requests.new"),
        max_chosen=MAX_CHOSEN,
        search_url=url_with_query("search.results", outcome.search_args),
    )
