"""Create the first administrator from environment variables, once."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create a superuser from DJANGO_SUPERUSER_EMAIL and DJANGO_SUPERUSER_PASSWORD "
        "(and the optional DJANGO_SUPERUSER_FULL_NAME) unless that e-mail address "
        "already has an account. Does nothing when the variables are unset, so "
        "deployments can run it on every start."
    )

    def handle(self, *args, **options) -> None:
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "").strip()
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        full_name = os.environ.get("DJANGO_SUPERUSER_FULL_NAME", "").strip()
        if not email:
            self.stdout.write(
                "DJANGO_SUPERUSER_EMAIL is not set: no superuser created."
            )
            return
        if not password:
            raise CommandError(
                "DJANGO_SUPERUSER_PASSWORD is missing. Set it together with "
                "DJANGO_SUPERUSER_EMAIL, or unset both."
            )

        user_model = get_user_model()
        with transaction.atomic():
            existing = user_model.objects.filter(email__iexact=email).first()
            if existing is not None:
                # The password is left alone: the administrator may have
                # changed it since, and the variable may be stale.
                self.stdout.write(
                    f"An account for {email} exists already (id {existing.pk}): "
                    "left unchanged."
                )
                return
            candidate = user_model(email=email, full_name=full_name)
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                raise CommandError(
                    "DJANGO_SUPERUSER_PASSWORD is too weak: " + " ".join(error.messages)
                ) from None
            user = user_model.objects.create_superuser(
                email=email, password=password, full_name=full_name
            )
        self.stdout.write(
            self.style.SUCCESS(f"Created superuser {email} (id {user.pk}).")
        )
