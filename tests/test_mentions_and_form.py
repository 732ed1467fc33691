"""Mention suggestions, the bug-report fields and the plain-text fallback."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from helpcenter.models import RequestType, TicketType
from tests.conftest import _make_user
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

PRIVATE_ACCESS = {"reporter": 200, "colleague": 404, "outsider": 404, "agent": 200}
SHARED_ACCESS = {"reporter": 200, "colleague": 200, "outsider": 404, "agent": 200}


def mentions_url(ticket, query: str = "") -> str:
    return reverse("tickets:mentions", kwargs={"key": ticket.key}) + f"?q={query}"


def names(response) -> list[str]:
    return [user["name"] for user in response.json()["users"]]


@pytest.mark.parametrize("persona, expected", PRIVATE_ACCESS.items())
def test_mentions_on_private_request(personas, ticket, persona, expected):
    response = personas[persona].get(mentions_url(ticket))

    assert response.status_code == expected


@pytest.mark.parametrize("persona, expected", SHARED_ACCESS.items())
def test_mentions_on_shared_request(personas, shared_ticket, persona, expected):
    response = personas[persona].get(mentions_url(shared_ticket))

    assert response.status_code == expected


def test_mentions_anonymous_redirects(personas, ticket):
    assert personas["anonymous"].get(mentions_url(ticket)).status_code == 302
    new = personas["anonymous"].get(reverse("tickets:mentions-new"))
    assert new.status_code == 302


def test_mentions_offer_reporters_organization_only(personas, ticket, outsider):
    assert names(personas["reporter"].get(mentions_url(ticket))) == ["Carl Colleague"]
    agent_view = names(personas["agent"].get(mentions_url(ticket)))
    # The reporter has access already, so the mention rule skips them.
    assert agent_view == ["Carl Colleague"]


def test_mentions_filter_by_query(personas, ticket, alpha):
    _make_user("dora@alpha.example", "Dora Developer", alpha)

    response = personas["reporter"].get(mentions_url(ticket, "dor"))

    assert names(response) == ["Dora Developer"]


def test_mentions_skip_inactive_users(personas, ticket, colleague):
    colleague.is_active = False
    colleague.save()

    assert names(personas["reporter"].get(mentions_url(ticket))) == []


def test_mentions_for_new_request_use_own_organizations(personas, beta, alpha):
    url = reverse("tickets:mentions-new")

    assert names(personas["reporter"].get(url)) == ["Carl Colleague"]
    assert names(personas["outsider"].get(url)) == []
    assert names(personas["agent"].get(url)) == []


def test_mentions_follow_membership_changes(personas, ticket, outsider, alpha):
    Membership.objects.create(user=outsider, organization=alpha)

    assert names(personas["reporter"].get(mentions_url(ticket))) == [
        "Carl Colleague",
        "Olga Outsider",
    ]


def test_mentions_hidden_from_outside_participant(personas, ticket, outsider):
    ticket.participants.add(outsider)

    response = personas["outsider"].get(mentions_url(ticket))

    assert response.status_code == 200
    assert names(response) == []


def test_mentions_offered_to_inside_participant(personas, ticket, colleague, alpha):
    _make_user("dora@alpha.example", "Dora Developer", alpha)
    ticket.participants.add(colleague)

    response = personas["colleague"].get(mentions_url(ticket))

    assert names(response) == ["Dora Developer"]


def test_mentions_limited_to_shared_organizations(
    personas, ticket, reporter, colleague, outsider, beta
):
    # The reporter belongs to Alpha and Beta; the colleague only to Alpha.
    Membership.objects.create(user=reporter, organization=beta)
    ticket.participants.add(colleague)

    colleague_view = names(personas["colleague"].get(mentions_url(ticket)))
    reporter_view = names(personas["reporter"].get(mentions_url(ticket)))

    assert "Olga Outsider" not in colleague_view
    assert reporter_view == ["Carl Colleague", "Olga Outsider"]


def test_mention_is_stored_in_stable_form(personas, request_type, colleague):
    html = f'<p>Ask <span data-mention="{colleague.pk}">@Carl Colleague</span></p>'

    personas["reporter"].post(
        request_type.get_absolute_url(),
        {
            "summary": "Mention",
            "priority": 2,
            "sharing": "private",
            "description": html,
            "description_format": "html",
        },
    )

    assert Ticket.objects.get().description == html


def test_plain_text_description_becomes_paragraphs(personas, request_type):
    personas["reporter"].post(
        request_type.get_absolute_url(),
        {
            "summary": "No JavaScript",
            "priority": 2,
            "sharing": "private",
            "description": "Line <one>\nline two\n\nSecond paragraph",
        },
    )

    assert Ticket.objects.get().description == (
        "<p>Line &lt;one&gt;<br>line two</p><p>Second paragraph</p>"
    )


def test_html_description_is_sanitised(personas, request_type):
    personas["reporter"].post(
        request_type.get_absolute_url(),
        {
            "summary": "Rich",
            "priority": 2,
            "sharing": "private",
            "description": '<p onclick="x()">Hi <strong>there</strong></p><script>x()</script>',
            "description_format": "html",
        },
    )

    assert Ticket.objects.get().description == "<p>Hi <strong>there</strong></p>"


def test_editor_without_script_keeps_text_area(personas, request_type):
    content = personas["reporter"].get(request_type.get_absolute_url()).content.decode()

    assert '<textarea name="description"' in content
    assert 'name="description_format" value="text"' in content
    assert 'data-mention-url="/requests/mentions/"' in content


def test_bug_request_stores_and_shows_bug_fields(personas, request_type):
    response = personas["reporter"].post(
        request_type.get_absolute_url(),
        {
            "summary": "Crash",
            "priority": 2,
            "sharing": "private",
            "steps_to_reproduce": "1. Open\n2. Click <Export>",
            "expected_result": "A PDF",
            "actual_result": "Error 500",
            "environment": "Windows 11, PostgreSQL 15",
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.steps_to_reproduce == "1. Open\n2. Click <Export>"
    assert ticket.expected_result == "A PDF"
    assert ticket.actual_result == "Error 500"
    assert ticket.environment == "Windows 11, PostgreSQL 15"
    page = personas["reporter"].get(ticket.get_absolute_url()).content.decode()
    assert "1. Open<br>2. Click &lt;Export&gt;" in page
    assert "Windows 11, PostgreSQL 15" in page


def test_question_request_has_no_bug_fields(personas, project):
    question = RequestType.objects.create(
        project=project, slug="question", name="Ask", type=TicketType.QUESTION
    )

    content = personas["reporter"].get(question.get_absolute_url()).content.decode()
    personas["reporter"].post(
        question.get_absolute_url(),
        {
            "summary": "How?",
            "priority": 2,
            "sharing": "private",
            "steps_to_reproduce": "ignored",
        },
    )

    assert 'name="steps_to_reproduce"' not in content
    assert Ticket.objects.get().steps_to_reproduce == ""


def test_bug_form_shows_bug_fields(personas, request_type):
    content = personas["reporter"].get(request_type.get_absolute_url()).content.decode()

    for name in (
        "steps_to_reproduce",
        "expected_result",
        "actual_result",
        "environment",
    ):
        assert f'name="{name}"' in content
