"""Every URL of the portal × every kind of person × GET and POST.

Each cell checks the status code, where a denial sends the visitor, that no
text of a request the person may not see is in the body, and that a GET left
the database as it was.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.http import StreamingHttpResponse
from django.shortcuts import resolve_url

from security import stats
from security.routes import (
    RULES,
    all_routes,
    changes_state,
    expected_status,
    is_admin,
    is_classified,
    path_for,
)

ROUTES = all_routes()
METHODS = ("GET", "POST")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }


def body_text(response) -> str:
    if isinstance(response, StreamingHttpResponse):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def get_creates_once(route) -> tuple[str, ...]:
    """Return the models whose first GET may add a row; the check uses a second GET."""
    rule = RULES.get(route.label)
    return rule.get_creates_once if rule is not None else ()


def denial_target(route, login_url: str) -> str | None:
    """Return where a page sends anonymous visitors, None where it may vary."""
    if route.name == "admin:logout":
        return "/admin/"
    if is_admin(route):
        return "/admin/login/"
    if route.name in {"home", "set_language", "accounts:logout", "accounts:login"}:
        return None
    return login_url


def test_every_url_is_classified():
    unclassified = [route.label for route in ROUTES if not is_classified(route)]

    assert not unclassified, (
        "URL patterns without an access rule: "
        f"{unclassified}. Add each to RULES in tests/security/routes.py with "
        "the status codes the view should answer."
    )


def test_matrix_covers_admin_and_portal():
    assert any(is_admin(route) for route in ROUTES)
    assert any(not is_admin(route) for route in ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=[route.label for route in ROUTES])
def test_access_matrix(world, route):
    if not is_classified(route):
        pytest.skip(f"{route.label} is not classified (see the test above)")
    login_url = resolve_url(settings.LOGIN_URL)
    failures: list[str] = []

    for persona in world.personas.values():
        path = path_for(route, world, persona)
        for method in METHODS:
            expected = expected_status(route, persona, method, world)
            client = persona.client()
            before = row_counts() if not changes_state(route, method) else None
            response = client.generic(method, path)
            cell = f"{persona.name} {method} {path}"
            stats.counts["access matrix cells"] += 1

            if response.status_code != expected:
                failures.append(f"{cell}: {response.status_code}, expected {expected}")
            location = response.get("Location", "")
            if response.status_code == 302 and persona.user is None:
                wanted = denial_target(route, login_url)
                if wanted is not None and not location.startswith(wanted):
                    failures.append(f"{cell}: forwards to {location!r}, not {wanted}")

            text = body_text(response)
            leaked = [f for f in persona.forbidden_fragments if f in text]
            if leaked:
                failures.append(f"{cell}: body contains {leaked}")
            if before is not None:
                allowed = get_creates_once(route) if method == "GET" else ()
                if allowed:
                    before = row_counts()
                    client.generic(method, path)
                after = row_counts()
                changed = {
                    label: (before[label], after[label])
                    for label in before
                    if before[label] != after[label]
                }
                if changed:
                    failures.append(f"{cell}: changed row counts {changed}")

    assert not failures, "\n".join(failures)
