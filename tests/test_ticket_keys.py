import threading

import pytest
from django.db import connection, connections

from tickets.models import Ticket
from tickets.services import ticket_create

THREADS = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_gets_consecutive_keys(request_type, reporter):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def create() -> None:
        try:
            barrier.wait()
            ticket_create(reporter=reporter, request_type=request_type, summary="Race")
        except BaseException as error:  # noqa: BLE001 - reported by the assert below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    numbers = sorted(Ticket.objects.values_list("number", flat=True))
    assert errors == []
    assert numbers == list(range(1, THREADS + 1))


@pytest.mark.django_db(transaction=True)
def test_rolled_back_creation_leaves_no_gap(request_type, reporter):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        ticket_create(reporter=reporter, request_type=request_type, summary="Lost")
        raise RuntimeError("abort")
    ticket = ticket_create(reporter=reporter, request_type=request_type, summary="Kept")

    assert ticket.key == "NET-1"
