"""Every URL that accepts POST rejects it without a CSRF token."""

import pytest
from django.middleware.csrf import get_token
from django.test import RequestFactory

from security import stats
from security.routes import (
    PUBLIC,
    RULES,
    classified_routes,
    expected_status,
    is_admin,
    path_for,
)

pytestmark = pytest.mark.django_db


def posting_personas(world, route):
    """Return the personas whose POST reaches the view, if any."""
    if is_admin(route):
        names = ["agent"]
    elif RULES[route.label].access == PUBLIC:
        names = ["anonymous", "reporter"]
    else:
        names = ["reporter", "agent"]
    return [
        world.personas[name]
        for name in names
        if expected_status(route, world.personas[name], "POST", world)
        not in {403, 404, 405}
    ]


def posting_cells(world):
    cells = [
        (route, persona)
        for route in classified_routes()
        for persona in posting_personas(world, route)
    ]
    assert cells, "no URL accepts POST: the route table is broken"
    return cells


def test_post_without_token_is_rejected(world):
    failures = []

    for route, persona in posting_cells(world):
        path = path_for(route, world, persona)
        client = persona.client(enforce_csrf_checks=True)
        stats.counts["csrf checks"] += 1
        response = client.post(path, {"summary": "x", "body": "x"})
        if response.status_code != 403:
            failures.append(f"{persona.name} POST {path}: {response.status_code}")

    assert not failures, "\n".join(failures)


def test_post_with_token_is_accepted(world):
    """The positive control: the same request with a valid token passes CSRF."""
    failures = []

    for route, persona in posting_cells(world):
        path = path_for(route, world, persona)
        client = persona.client(enforce_csrf_checks=True)
        token = get_token(RequestFactory().get("/"))
        client.cookies["csrftoken"] = token
        response = client.post(path, {"csrfmiddlewaretoken": token})
        if response.status_code == 403:
            failures.append(f"{persona.name} POST {path}: 403 with a valid token")

    assert not failures, "\n".join(failures)
