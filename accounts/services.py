"""Write operations on accounts: invitations, avatars, password reset requests."""

import logging

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.avatars import avatar_reencode
from accounts.models import User

logger = logging.getLogger(__name__)


def _enqueue(task, *args) -> None:
    def enqueue() -> None:
        try:
            task.delay(*args)
        except Exception:
            # NOTE: with the broker down the e-mail is lost; the caller's
            # change is saved and the agent can send the invitation again.
            logger.exception("could not queue %s", task.name)

    transaction.on_commit(enqueue)


def invitation_send(*, user: User) -> None:
    """Record a new invitation and e-mail its link after the transaction commits.

    A new invitation makes every earlier link of this user invalid.
    """
    from accounts.tasks import send_invitation

    user.invited_at = timezone.now()
    user.save(update_fields=["invited_at"])
    _enqueue(send_invitation, user.pk)


def user_invite(*, email: str, full_name: str = "", **fields) -> User:
    """Create a customer without a password and send the invitation."""
    user = User.objects.create_user(email=email, full_name=full_name, **fields)
    invitation_send(user=user)
    return user


def password_reset_request(*, email: str) -> None:
    """Queue the reset e-mail; the task decides whether the address exists."""
    from accounts.tasks import send_password_reset

    _enqueue(send_password_reset, email)


def user_avatar_set(*, user: User, upload: UploadedFile) -> None:
    """Store the re-encoded avatar; raises ValidationError and stores nothing on bad input."""
    content = avatar_reencode(upload)
    old_name = user.avatar.name
    user.avatar.save("avatar.png", ContentFile(content), save=False)
    user.save(update_fields=["avatar"])
    if old_name:
        user.avatar.storage.delete(old_name)


def user_avatar_remove(*, user: User) -> None:
    if user.avatar:
        user.avatar.delete(save=False)
        user.save(update_fields=["avatar"])
