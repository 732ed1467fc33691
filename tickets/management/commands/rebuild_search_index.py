from django.core.management.base import BaseCommand

from tickets.models import Ticket
from tickets.search import ticket_search_document_update

BATCH_SIZE = 500


class Command(BaseCommand):
    help = (
        "Build every request's search document again from its summary, "
        "description, public comments and file names. Run it after an upgrade "
        "that changes how the documents are built; searches keep working "
        "meanwhile."
    )

    def handle(self, *args, **options) -> None:
        ids = list(Ticket.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            batch = Ticket.objects.filter(pk__in=ids[start : start + BATCH_SIZE])
            for ticket in batch.only("pk", "summary", "description"):
                ticket_search_document_update(ticket=ticket)
            self.stdout.write(f"{min(start + BATCH_SIZE, len(ids))} of {len(ids)}")
        self.stdout.write(f"Search documents rebuilt: {len(ids)}.")
