"""Single-use links for invitations.

A link is valid until the password is set (the password hash is part of the
token), a newer invitation is sent (invited_at is part of it), or
INVITATION_TIMEOUT_HOURS have passed.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from accounts.models import User


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        invited_at = "" if user.invited_at is None else user.invited_at.isoformat()
        return super()._make_hash_value(user, timestamp) + invited_at

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        expected = self._make_token_with_timestamp(user, timestamp, self.secret)
        if not constant_time_compare(expected, token):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= settings.INVITATION_TIMEOUT_HOURS * 60 * 60


invitation_token_generator = InvitationTokenGenerator()
