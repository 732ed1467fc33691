import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tickets.models import Status, Ticket
from tickets.selectors import ticket_list_visible

pytestmark = pytest.mark.django_db

LOGINS = [
    "customer@alpha.example",
    "colleague@alpha.example",
    "outsider@beta.example",
    "agent@support.example",
    "admin@support.example",
]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("demo", verbosity=0)


def test_demo_creates_logins_with_demo_password(demo):
    for email in LOGINS:
        assert User.objects.get(email=email).check_password("demo-password"), email


def test_demo_creates_about_fifty_tickets_in_many_statuses(demo):
    assert Ticket.objects.count() == 50
    assert Ticket.objects.values("status").distinct().count() == len(Status)


def test_demo_is_idempotent(demo):
    call_command("demo", verbosity=0)

    assert Ticket.objects.count() == 50
    assert User.objects.count() == len(LOGINS)


def test_demo_keeps_outsider_apart(demo):
    outsider = User.objects.get(email="outsider@beta.example")
    customer = User.objects.get(email="customer@alpha.example")

    outsider_tickets = set(ticket_list_visible(user=outsider))
    customer_tickets = set(ticket_list_visible(user=customer))

    assert outsider_tickets
    assert customer_tickets
    assert not outsider_tickets & customer_tickets


def test_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("demo")
    assert not User.objects.exists()
