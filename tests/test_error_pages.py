"""Error pages 400, 403, 404 and 500 in the portal's layout, in both languages."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_csp import inline_code

pytestmark = [pytest.mark.urls("tests.error_urls"), pytest.mark.django_db]

PAGES = {
    # path: (status, English heading, German heading)
    "/test-errors/400": (400, "Invalid page request", "Ungültiger Seitenaufruf"),
    "/test-errors/403": (403, "Access denied", "Zugriff verweigert"),
    "/no-such-page": (404, "Page not found", "Seite nicht gefunden"),
    "/test-errors/500": (
        500,
        "Something went wrong on our side",
        "Bei uns ist ein Fehler aufgetreten",
    ),
}


def client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("path", PAGES)
def test_error_page_in_language(path, language):
    status, english, german = PAGES[path]
    heading = english if language == "en" else german

    response = client().get(path, headers={"Accept-Language": language})

    assert response.status_code == status
    html = response.content.decode()
    assert f'<h1 class="h3">{heading}</h1>' in html
    assert f'<html lang="{language}">' in html
    assert "bootstrap.min.css" in html
    assert inline_code(html) == []


def test_server_error_shows_request_id():
    response = client().get("/test-errors/500", headers={"X-Request-ID": "ref-4711"})

    assert "<code>ref-4711</code>" in response.content.decode()


def test_server_error_is_logged_with_request_id(caplog):
    client().get("/test-errors/500", headers={"X-Request-ID": "ref-4712"})

    errors = [r for r in caplog.records if r.name == "django.request"]
    assert len(errors) == 1
    assert errors[0].request_id == "ref-4712"
    assert errors[0].exc_info[0] is RuntimeError


def test_server_error_page_hides_exception():
    response = client().get("/test-errors/500")

    assert b"unexpected failure" not in response.content
    assert b"RuntimeError" not in response.content


def test_server_error_renders_without_request_context(settings):
    # A context processor that fails must not matter: the 500 page uses none.
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    "tests.test_error_pages.failing_context_processor",
                ],
            },
        }
    ]

    response = client().get("/test-errors/500")

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def failing_context_processor(request):
    raise RuntimeError("test: context processor failed")


def test_csrf_failure_page(reporter):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(
        reverse("accounts:login"),
        {"username": "customer@alpha.example", "password": "x"},
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "The form has expired" in html
    assert inline_code(html) == []


def test_error_page_for_signed_in_user_names_support(personas):
    response = personas["reporter"].get("/no-such-page")

    assert response.status_code == 404
    assert "Customer Care Center" in response.content.decode()
