"""The "Find help" questionnaire: its steps and choices, declared once, and the answers read
from a query string (they live in the URL, never in the database).

The views render the steps from STEPS; services.guide_search turns the answers into a search
and says why each provider matches. The parameter names are a contract with the request form
(/requests/new): want, tool (repeated), region, postcode, remote, people, onsite, budget.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from directory.services.places import departement_of_postcode
from directory.services.taxonomy import Taxonomy
from directory.services.vocabulary import Vocabulary

POSTCODE_MAX = 10


@dataclass(frozen=True)
class Want:
    """What an association wants: the services that answer it. With `from_tools`, the
    services of the tools it names come first (leaving Zoom is a video-conferencing need
    before it is a migration one)."""

    code: str
    label: object
    services: tuple[str, ...]
    from_tools: bool = False


WANTS: tuple[Want, ...] = (
    Want("leave", _l("Leave a tool (Google, Zoom, Facebook…)"), ("migration", "change_support"),
         from_tools=True),
    Want("setup", _l("Set up a new tool (file sharing, video meetings, mailing lists…)"),
         ("hosting", "collaborative_tools", "videoconference", "email_lists"), from_tools=True),
    Want("train", _l("Train its people"), ("training", "digital_inclusion", "change_support")),
    Want("website", _l("Build a website"), ("website", "development")),
    Want("funding", _l("Get help with funding or a specification"), ("funding_help",)),
    Want("members", _l("Manage its members and accounts"), ("accounting_membership",)),
    Want("upkeep", _l("Look after its computers and network"),
         ("managed_it", "network_internet", "equipment")),
    Want("security", _l("Check its data protection and security"), ("audit",)),
)  # fmt: skip
WANTS_BY_CODE = {want.code: want for want in WANTS}


@dataclass(frozen=True)
class Band:
    """How many people will use the tools, and the audience of providers that suits them."""

    code: str
    label: object
    audience: str


PEOPLE: tuple[Band, ...] = (
    Band("1-5", _l("1 to 5 people"), "small_associations"),
    Band("6-20", _l("6 to 20 people"), "small_associations"),
    Band("21-100", _l("21 to 100 people"), "large_associations"),
    Band("100+", _l("More than 100 people"), "large_associations"),
)
PEOPLE_BY_CODE = {band.code: band for band in PEOPLE}


@dataclass(frozen=True)
class Budget:
    """A budget (a price model code of the taxonomy) and the price models that fit it:
    a free budget takes free offers only, "prix libre" free ones too, paid any (None)."""

    code: str
    label: object
    prices: frozenset[str] | None


BUDGETS: tuple[Budget, ...] = (
    Budget("free", _l("Free of charge only"), frozenset({"free"})),
    Budget("sliding_scale", _l("Pay what we can (prix libre)"),
           frozenset({"free", "sliding_scale"})),
    Budget("paid", _l("We can pay for a service"), None),
)  # fmt: skip
BUDGETS_BY_CODE = {budget.code: budget for budget in BUDGETS}


@dataclass(frozen=True)
class Step:
    """One page of the questionnaire: its URL's last part, its title and its parameters."""

    slug: str
    title: object
    params: tuple[str, ...]
    required: bool = False


STEPS: tuple[Step, ...] = (
    Step("need", _l("What does your association want?"), ("want",), required=True),
    Step("tools", _l("Which tools does it use now?"), ("tool",)),
    Step("place", _l("Where is it?"), ("region", "postcode", "remote")),
    Step("people", _l("How many people, and on site?"), ("people", "onsite")),
    Step("budget", _l("What is its budget?"), ("budget",)),
)
PARAMS = tuple(param for step in STEPS for param in step.params)


@dataclass(frozen=True)
class Answers:
    """The answers so far, each checked against the taxonomy and the vocabulary: a value
    they do not know is dropped (a hand-edited or old link still works)."""

    want: str | None = None
    tools: tuple[str, ...] = ()
    region: str | None = None
    postcode: str = ""
    remote: bool = False
    people: str | None = None
    onsite: bool = False
    budget: str | None = None
    # The postcode as typed when it names no French département (shown back, with a message).
    unknown_postcode: str = field(default="", compare=False)

    @property
    def departement(self) -> str | None:
        """The département of the postcode."""
        return departement_of_postcode(self.postcode) if self.postcode else None

    def pairs(self, leave_out: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        """The answers as query parameters (the contract's names), minus `leave_out`."""
        values = {
            "want": [self.want] if self.want else [],
            "tool": list(self.tools),
            "region": [self.region] if self.region else [],
            "postcode": [self.postcode or self.unknown_postcode]
            if self.postcode or self.unknown_postcode
            else [],
            "remote": ["1"] if self.remote else [],
            "people": [self.people] if self.people else [],
            "onsite": ["1"] if self.onsite else [],
            "budget": [self.budget] if self.budget else [],
        }
        return [(name, value) for name in PARAMS if name not in leave_out for value in values[name]]


def _text(value: str | None, limit: int) -> str:
    """A value typed by hand: control characters (a NUL, which PostgreSQL refuses) dropped."""
    return "".join(c for c in (value or "") if c.isprintable()).strip()[:limit]


def read_answers(args: MultiDict, taxonomy: Taxonomy, vocabulary: Vocabulary) -> Answers:
    """The answers of a query string; unknown values are dropped, never an error, except a
    postcode that names no French département, kept as `unknown_postcode` to say so."""
    regions = {region.code for region in taxonomy.regions}
    departements = {d.code for d in taxonomy.departements}
    tool_names = [tool.name for tool in vocabulary.tools]
    asked = set(args.getlist("tool"))
    postcode = _text(args.get("postcode"), POSTCODE_MAX)
    known_postcode = departement_of_postcode(postcode) in departements
    return Answers(
        want=args.get("want") if args.get("want") in WANTS_BY_CODE else None,
        tools=tuple(name for name in tool_names if name in asked),
        region=args.get("region") if args.get("region") in regions else None,
        postcode=postcode if known_postcode else "",
        remote=args.get("remote") == "1",
        people=args.get("people") if args.get("people") in PEOPLE_BY_CODE else None,
        onsite=args.get("onsite") == "1",
        budget=args.get("budget") if args.get("budget") in BUDGETS_BY_CODE else None,
        unknown_postcode="" if known_postcode else postcode,
    )


def wanted_services(answers: Answers, vocabulary: Vocabulary) -> tuple[str, ...]:
    """The services that answer the need: for leaving or setting up a tool, those of the
    tools named (the want's own when they have none); else the want's."""
    want = WANTS_BY_CODE.get(answers.want or "")
    if want is None:
        return ()
    if want.from_tools:
        named = [tool for tool in vocabulary.tools if tool.name in answers.tools]
        services = tuple(dict.fromkeys(code for tool in named for code in tool.services))
        if services:
            return services
    return want.services


def replacing_software(answers: Answers, vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """Each named tool and the free software that replaces it."""
    return {
        tool.name: tool.software
        for tool in vocabulary.tools
        if tool.name in answers.tools and tool.software
    }
