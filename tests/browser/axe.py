"""Runs axe-core in a page and describes its violations in words a developer can act on."""

import json

# The WCAG 2.0 and 2.1 levels A and AA, and axe's own best practices (landmarks, headings).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
    return "\n".join(lines)


def run_axe(page, axe_source: str) -> list[dict]:
    """Injects axe-core through the DevTools protocol (the page's CSP does not apply to it)
    and returns the violations of the rules tagged in TAGS."""
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
        "['violations']}).then(r => JSON.stringify(r.violations))",
        TAGS,
    )
    return json.loads(result)
