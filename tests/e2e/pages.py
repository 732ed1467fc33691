"""The pages the accessibility and layout checks visit, built from the URL
configuration so pages added later are checked too."""

from django.urls import reverse
from security.routes import (
    ADMIN_SITE_PAGES,
    RULES,
    TICKET,
    Persona,
    admin_model,
    admin_object_id,
    build_path,
    classified_routes,
    expected_status,
    is_admin,
    path_for,
)

# Admin pages an agent works in every day.
MAIN_ADMIN_MODELS = {"ticket", "user", "organization", "project"}


def customer_pages(world) -> list[tuple[str, str]]:
    """Return (name, path) of every HTML page the reporter can open with GET."""
    persona = world.personas["reporter"]
    pages = []
    for route in classified_routes():
        if is_admin(route) or route.name is None:
            continue
        rule = RULES[route.label]
        if expected_status(route, persona, "GET", world) != 200:
            continue
        if rule.access == TICKET and "attachment_id" in route.parameters:
            continue  # a file download, not a page
        if route.name in {
            "accounts:avatar",
            "accounts:two-factor-qr",
            "healthz",
            "readyz",
        }:
            continue  # images and probes
        if route.route.endswith((".csv", ".svg")):
            continue  # downloads and images, not pages
        pages.append((route.name, path_for(route, world, persona)))
    return pages


def anonymous_pages(world) -> list[tuple[str, str]]:
    """Return (name, path) of the HTML pages a visitor sees before signing in."""
    persona = world.personas["anonymous"]
    pages = []
    for route in classified_routes():
        if is_admin(route) or route.name is None:
            continue
        if route.name in {"healthz", "readyz"}:
            continue
        if expected_status(route, persona, "GET", world) != 200:
            continue
        pages.append((route.name, path_for(route, world, persona)))
    return pages


def admin_pages(world) -> list[tuple[str, str]]:
    """Return the admin index and the list and change pages of the main models."""
    agent = Persona("agent", world.agent, world.private, True)
    pages = [("admin:index", reverse("admin:index"))]
    for route in classified_routes():
        found = admin_model(route) if is_admin(route) else None
        if found is None:
            continue
        model, page = found
        if model._meta.model_name not in MAIN_ADMIN_MODELS:
            continue
        if page not in {"changelist", "change"}:
            continue
        if expected_status(route, agent, "GET", world) != 200:
            continue
        kwargs = {}
        if "object_id" in route.parameters:
            kwargs["object_id"] = admin_object_id(model, world)
        pages.append((route.name, build_path(route, kwargs)))
    assert "admin:index" in ADMIN_SITE_PAGES
    return pages
