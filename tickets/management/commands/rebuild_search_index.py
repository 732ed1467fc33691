from django.core.management.base import BaseCommand

from tickets.models import Ticket
from tickets.search import ticket_search_document_update

PROGRESS_EVERY = 500


class Command(BaseCommand):
    help = (
        "Build every request's search document again from its summary, "
        "description, public comments and file names. Run it after an upgrade "
        "that changes how the documents are built; searches keep working "
        "meanwhile."
    )

    def handle(self, *args, **options) -> None:
        tickets = Ticket.objects.only("pk", "summary", "description").order_by("pk")
        total = tickets.count()
        done = 0
        for ticket in tickets.iterator(chunk_size=PROGRESS_EVERY):
            ticket_search_document_update(ticket=ticket)
            done += 1
            if done % PROGRESS_EVERY == 0:
                self.stdout.write(f"{done} of {total}")
        self.stdout.write(f"Search documents rebuilt: {done}.")
