from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.catalogs import CatalogError, compile_catalogs


class Command(BaseCommand):
    help = (
        "Compile the .po catalogs in LOCALE_PATHS to .mo files with Babel "
        "(no GNU gettext needed). Only stale catalogs unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Compile even up-to-date catalogs."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        try:
            written = compile_catalogs(settings.LOCALE_PATHS, force=force)
        except CatalogError as error:
            raise CommandError(f"Invalid catalog:\n{error}") from error
        for path in written:
            self.stdout.write(f"compiled {path}")
