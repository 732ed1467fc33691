"""seed_bench: the benchmark data set is complete and reproducible."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organization, User
from helpcenter.models import Project
from tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db


def test_seed_bench_creates_requests(settings):
    settings.DEBUG = True

    call_command("seed_bench", tickets=40, seed=3)

    tickets = Ticket.objects.all()
    assert tickets.count() == 40
    assert 40 * 2 <= Comment.objects.count() <= 40 * 6
    assert tickets.values("created_at").distinct().count() > 30
    assert not tickets.filter(search_text="").exists()
    assert Project.objects.get(key="BNET").last_ticket_number == (
        tickets.filter(project__key="BNET").count()
    )


def test_seed_bench_is_reproducible(settings):
    settings.DEBUG = True

    call_command("seed_bench", tickets=10, seed=7)
    first = list(Ticket.objects.order_by("pk").values_list("summary", flat=True))
    Ticket.objects.all().delete()
    Project.objects.all().delete()
    User.objects.all().delete()
    Organization.objects.all().delete()
    call_command("seed_bench", tickets=10, seed=7)
    second = list(Ticket.objects.order_by("pk").values_list("summary", flat=True))

    assert first == second


def test_seed_bench_rejects_second_run(settings):
    settings.DEBUG = True
    call_command("seed_bench", tickets=5)

    with pytest.raises(CommandError, match="already has bench data"):
        call_command("seed_bench", tickets=5)


def test_seed_bench_needs_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("seed_bench", tickets=5)
