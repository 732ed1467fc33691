from django.conf import settings
from django.core.management.base import BaseCommand

from tickets.services import staged_uploads_cleanup


class Command(BaseCommand):
    help = (
        "Delete uploads staged for a request or comment form that was never sent, "
        "once they are older than ATTACHMENT_STAGING_MAX_AGE seconds."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--max-age",
            type=int,
            default=None,
            help="Age in seconds after which a staged upload is deleted "
            f"(default: ATTACHMENT_STAGING_MAX_AGE, now {settings.ATTACHMENT_STAGING_MAX_AGE}).",
        )

    def handle(self, *args, max_age: int | None, **options) -> None:
        count = staged_uploads_cleanup(max_age=max_age)
        self.stdout.write(f"Deleted {count} expired staged uploads.")
