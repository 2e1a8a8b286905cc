"""Moving through a page with Tab only, checking that every stop shows where the focus is."""

# The computed look of an element and of what it contains: a focus indicator changes it.
LOOK = """el => [el, ...el.querySelectorAll('*')].map(e => {
    const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.boxShadow, s.stroke, s.strokeWidth, s.fill,
            s.fontSize, s.textDecorationLine, s.backgroundColor, s.color, s.borderColor].join('|');
}).join(';')"""

DESCRIBE = """el => {
    const style = getComputedStyle(el);
    const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return {id: el.id, name: el.getAttribute('name'), tag: el.tagName.toLowerCase(),
            region: el.getAttribute('data-region'), text: el.textContent.trim().slice(0, 60),
            ring: ring || style.boxShadow !== 'none'};
}"""


def focused(page) -> dict:
    """The focused element's id, name, tag, data-region and text, and whether it has a
    focus ring (an outline or a shadow)."""
    return page.evaluate_handle("() => document.activeElement").evaluate(DESCRIBE)


def focus_is_visible(page) -> bool:
    """True when the focused element shows a ring, or else looks different once the focus
    has left it (a map région thickens its border instead). Tab then Shift+Tab puts the
    focus back where it was."""
    element = page.evaluate_handle("() => document.activeElement")
    if element.evaluate(DESCRIBE)["ring"]:
        return True
    with_focus = element.evaluate(LOOK)
    page.keyboard.press("Tab")
    without_focus = element.evaluate(LOOK)
    page.keyboard.press("Shift+Tab")
    return with_focus != without_focus


def tab_to(page, matches, limit: int = 150) -> dict:
    """Presses Tab until the focused element matches; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert focus_is_visible(page), f"no visible focus on {now}"
        if matches(now):
            return now
    raise AssertionError(f"never reached the element with Tab in {limit} presses")


def tab_through(page, limit: int = 400) -> int:
    """Tabs through the whole page once, asserting that every stop shows its focus; returns
    the number of stops."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            break
        element = page.evaluate_handle("() => document.activeElement")
        if seen and element.evaluate("(el, first) => el === first", seen[0]):
            break
        now = element.evaluate(DESCRIBE)
        assert focus_is_visible(page), f"no visible focus on {now}"
        seen.append(element)
    return len(seen)
