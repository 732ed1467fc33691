from django.db.models import Q

from accounts.models import Membership, User
from tickets.selectors import ticket_list_visible


def avatar_visible(*, viewer: User, owner: User) -> bool:
    """Whether viewer may see owner's avatar.

    True for oneself, for agents, for agents' avatars, between members of
    one organization, and when viewer can see a request that owner reported
    or answered publicly.
    """
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if viewer.pk == owner.pk or viewer.is_staff or owner.is_staff:
        return True
    shares_organization = Membership.objects.filter(
        user=owner, organization__membership__user=viewer
    ).exists()
    if shares_organization:
        return True
    return (
        ticket_list_visible(user=viewer)
        .filter(
            Q(reporter=owner) | Q(comments__author=owner, comments__is_internal=False)
        )
        .exists()
    )
