"""Steps the browser tests share: signing in, feature checks, axe, layout."""

import json
import re

import pytest
from django.urls import NoReverseMatch, reverse
from security.world import PASSWORD

from e2e.conftest import AXE_SCRIPT, SCREENSHOTS

# axe-core impact levels that fail a page.
BLOCKING_IMPACTS = ("serious", "critical")


def url_or_skip(name: str, **kwargs) -> str:
    """Return the URL of a named view, or skip: the feature is not built yet."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        pytest.skip(f"URL {name!r} does not exist on this branch yet")


def element_or_skip(page, selector: str, feature: str):
    locator = page.locator(selector)
    if locator.count() == 0:
        pytest.skip(f"{feature}: no element {selector!r} on {page.url}")
    return locator.first


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login failed for {email}"


def log_in_admin(page, email: str, password: str = PASSWORD) -> None:
    page.goto(reverse("admin:login"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"admin login failed for {email}"


# Parts of admin pages that Django's admin and its select2 widget draw
# unchanged (Django 5.2): breadcrumbs whose links are told apart by colour
# only, search and inline delete boxes without a visible label, select2
# combo boxes. The checks cover everything else on those pages.
# NOTE: these are real findings in Django's admin, left to upstream.
DJANGO_ADMIN_STOCK = [
    ".breadcrumbs",
    ".select2-container",
    "td.delete",
    "#changelist-search",
    ".object-tools",
]


# Findings in this project's admin pages that are reported but not yet fixed,
# as (axe rule, start of the node's selector).
# NOTE: both are links distinguished by colour only, on the organization page
# (the open tickets list) and the project page (the link to the portal).
KNOWN_ADMIN_FINDINGS = {
    # NOTE: the editor's numbered-list button has an accessible name that
    # does not contain its visible text "1.".
    ("label-content-name-mismatch", 'button[data-editor-command="orderedList"]'),
    ("link-in-text-block", ".ws-org-tickets > li > a"),
    ("link-in-text-block", 'a[href="/admin/r/'),
}


def drop_known_findings(violations: list[dict]) -> list[dict]:
    """Remove the nodes listed in KNOWN_ADMIN_FINDINGS from axe's violations."""
    kept = []
    for violation in violations:
        nodes = [
            node
            for node in violation["nodes"]
            if not any(
                violation["id"] == rule and node.startswith(prefix)
                for rule, prefix in KNOWN_ADMIN_FINDINGS
            )
        ]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


def press_and_wait(page, key: str = "Enter") -> None:
    """Press a key that submits a form or follows a link, and wait for the page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def axe_violations(page, exclude: list[str] = ()) -> list[dict]:
    """Run axe-core on the page and return its serious and critical violations."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        """async (exclude) => {
            const context = {include: [document], exclude: exclude.map(s => [s])};
            const results = await axe.run(context, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }""",
        list(exclude),
    )
    return [v for v in result if v["impact"] in BLOCKING_IMPACTS]


def format_violations(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2)


def horizontal_overflow(page) -> int:
    """Return by how many CSS pixels the page is wider than the viewport."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )


def screenshot(page, name: str) -> None:
    width = page.viewport_size["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    page.screenshot(path=str(SCREENSHOTS / f"{safe}-{width}.png"), full_page=True)


def focus_is_visible(page) -> bool:
    """Return whether the focused element, or its widget frame, shows focus."""
    return page.evaluate(
        """() => {
            const shows = (node) => {
                const style = getComputedStyle(node);
                const outline = style.outlineStyle !== "none"
                    && parseFloat(style.outlineWidth) > 0;
                const shadow = style.boxShadow && style.boxShadow !== "none";
                return outline || shadow;
            };
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            // Composite widgets such as the rich text editor draw the focus
            // ring on their frame (:focus-within), one or two levels up.
            const parent = el.parentElement;
            return shows(el) || (parent && (shows(parent)
                || (parent.parentElement && shows(parent.parentElement))));
        }"""
    )


def focused_description(page) -> str:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return "nothing";
            const text = (el.innerText || el.value || el.name || "").trim();
            return `${el.tagName.toLowerCase()} ${text.slice(0, 40)}`;
        }"""
    )


def tab_to(page, matches: str, max_presses: int = 60) -> list[str]:
    """Press Tab until the focused element matches the CSS selector.

    Returns the focused elements passed on the way that showed no visible
    focus, so the caller can assert the list is empty.
    """
    invisible = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        # After the last element, focus leaves the document (the browser's
        # own controls), which shows up here as the body.
        at_body = page.evaluate("() => document.activeElement === document.body")
        if not at_body and not focus_is_visible(page):
            invisible.append(focused_description(page))
        if page.evaluate(
            "(selector) => document.activeElement?.matches(selector) ?? false", matches
        ):
            return invisible
    raise AssertionError(f"Tab never reached {matches!r} on {page.url}")


def fill_rich_text(page, form: str, name: str, text: str) -> None:
    """Type into the rich text editor of a form field, or its plain textarea.

    The editor hides the textarea and shows a contenteditable area after it.
    """
    editor = page.locator(f"{form} [contenteditable=true]")
    if editor.count():
        editor.first.click()
        page.keyboard.type(text)
    else:
        page.locator(f"{form} textarea[name={name}]").fill(text)


# Selector of the element a keyboard user types a comment into.
COMMENT_INPUT = (
    "form[action$='/comments/'] [contenteditable=true], "
    "form[action$='/comments/'] textarea[name=body]:not([tabindex='-1'])"
)
