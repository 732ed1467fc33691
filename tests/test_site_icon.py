"""The site icon: named by every layout, and /favicon.ico leads to it."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ICON_LINK = 'rel="icon" href="/static/img/favicon.svg"'


def test_favicon_address_redirects_to_the_icon():
    response = Client().get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    assert finders.find("img/favicon.svg")


def test_favicon_address_rejects_post():
    assert Client().post("/favicon.ico").status_code == 405


def test_favicon_address_redirects_head():
    response = Client().head("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"


@pytest.mark.parametrize(
    "path, persona",
    [
        ("/accounts/login/", None),
        ("/requests/", "reporter"),
        ("/no-such-page/", None),
        ("/admin/", "agent"),
    ],
)
def test_pages_name_the_icon(personas, path, persona):
    client = personas[persona] if persona else Client()

    response = client.get(path)

    assert ICON_LINK in response.content.decode()


def test_icon_is_a_plain_svg():
    with open(finders.find("img/favicon.svg"), encoding="utf-8") as icon:
        text = icon.read()

    assert text.startswith("<svg ")
    assert "<script" not in text
    assert "href" not in text


def test_admin_keeps_its_header_and_menu(personas):
    content = personas["agent"].get(reverse("admin:index")).content.decode()

    assert 'id="site-name"' in content
    assert "Customer Care Center" in content
    assert 'id="logout-form"' in content
