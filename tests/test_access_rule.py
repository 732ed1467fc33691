import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Membership
from tickets.selectors import ticket_list_visible

pytestmark = pytest.mark.django_db


def visible_keys(user) -> set[str]:
    return {
        ticket.key
        for ticket in ticket_list_visible(user=user).select_related("project")
    }


def test_reporter_sees_own_private_request(reporter, ticket):
    assert visible_keys(reporter) == {ticket.key}


def test_colleague_does_not_see_private_request(colleague, ticket):
    assert visible_keys(colleague) == set()


def test_colleague_sees_request_shared_with_organization(colleague, shared_ticket):
    assert visible_keys(colleague) == {shared_ticket.key}


def test_participant_sees_private_request(outsider, ticket):
    ticket.participants.add(outsider)

    assert visible_keys(outsider) == {ticket.key}


def test_outsider_sees_nothing(outsider, ticket, shared_ticket):
    assert visible_keys(outsider) == set()


def test_agent_sees_everything(agent, ticket, shared_ticket):
    assert visible_keys(agent) == {ticket.key, shared_ticket.key}


def test_anonymous_sees_nothing(ticket):
    assert visible_keys(AnonymousUser()) == set()


def test_inactive_user_sees_nothing(reporter, ticket):
    reporter.is_active = False
    reporter.save()

    assert visible_keys(reporter) == set()


def test_leaving_organization_revokes_access(colleague, shared_ticket):
    Membership.objects.filter(user=colleague).delete()

    assert visible_keys(colleague) == set()


def test_no_duplicates_when_several_rules_match(colleague, shared_ticket, alpha):
    shared_ticket.participants.add(colleague)

    assert ticket_list_visible(user=colleague).count() == 1
