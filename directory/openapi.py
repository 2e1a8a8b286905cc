"""The API's OpenAPI description: openapi.json completed with one parameter and one list of
options per facet (search.facets.FACETS), and the check of a request's parameters against it.
"""

import copy
import json
from functools import cache
from pathlib import Path

from directory.search.facets import FACETS

OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.json"
LIST_PATH = "/api/v1/providers"
MAX_VALUES = 20
MAX_CODE = 64


def _facet_parameter(facet) -> dict:
    return {
        "name": facet.param,
        "in": "query",
        "required": False,
        "description": facet.description,
        "schema": {
            "type": "array",
            "items": {"type": "string", "maxLength": MAX_CODE},
            "maxItems": MAX_VALUES,
        },
        "style": "form",
        "explode": True,
    }


@cache
def document() -> dict:
    """The whole description (read once per process; callers must not change it)."""
    spec = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    operation = spec["paths"][LIST_PATH]["get"]
    names = [parameter["name"] for parameter in operation["parameters"]]
    at = names.index("region")
    operation["parameters"][at:at] = [_facet_parameter(facet) for facet in FACETS]
    facets = spec["components"]["schemas"]["ProviderList"]["properties"]["facets"]
    option_list = {"type": "array", "items": {"$ref": "#/components/schemas/FacetOption"}}
    for facet in FACETS:
        facets["properties"][facet.param] = option_list
        facets["required"].append(facet.param)
    return spec


def served_document(server_url: str) -> dict:
    spec = copy.deepcopy(document())
    spec["servers"] = [{"url": server_url}]
    return spec


def _problem(schema: dict, value: str) -> bool:
    """True when this description forbids `value` for a parameter of this schema."""
    if "enum" in schema:
        return value not in schema["enum"]
    if schema.get("type") == "integer":
        try:
            number = int(value)
        except ValueError:
            return True
        return not schema.get("minimum", number) <= number <= schema.get("maximum", number)
    return len(value) > schema.get("maxLength", len(value))


def forbidden_parameters(path: str, args) -> list[tuple[str, str]]:
    """(name, value) of each query parameter of `args` that the description forbids for the
    GET operation of `path`; parameters it does not describe are left alone."""
    operation = document()["paths"][path]["get"]
    problems = []
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        name, schema = parameter["name"], parameter["schema"]
        values = args.getlist(name)
        if schema.get("type") == "array":
            if len(values) > schema.get("maxItems", len(values)):
                problems.append((name, values[-1]))
            schema = schema["items"]
        elif len(values) > 1:
            problems.append((name, values[-1]))
            continue
        problems += [(name, value) for value in values if _problem(schema, value)]
    return problems
